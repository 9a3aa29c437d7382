/**
 * An application for assistance as the system keeps it: its status, the means test's conclusion,
 * the public notice and objections, the offer of another tier and the decision's notice. Types only;
 * the case table's repository (`shared/repositories/cases.ts`) reads and writes them.
 */
import type { ApplicationRequest } from '../schemas/household.ts';
import type { ReviewDeadline } from './deadlines.ts';
import type { SpecialAnswer } from './special-assistance.ts';
import type { TaskOpinion } from './tasks.ts';

export type ApplicationStatus =
  | 'submitted'
  | 'underReview'
  | 'publicNotice'
  | 'approved'
  | 'refused'
  | 'withdrawn';

/** 作出确认决定的层级 (社会救助法第四十四条). */
export type DecisionLevel = 'county' | 'township';

export interface MeansTestSummary {
  tier: string;
  eligible: boolean;
  monthlyAmount: number | null;
  perCapitaMonthlyIncome: number;
  parameterVersion: string;
  reasons: Array<{ code: string; message: string; clause: string }>;
  alternative?: { tier: string; monthlyAmount: number | null } | undefined;
}

/** A written notice of a decision (an application's; `LifecycleNotice` is a case's later ones). */
export interface Notice<Kind extends string = 'approval' | 'refusal' | 'withdrawal'> {
  noticeId: string;
  kind: Kind;
  title: string;
  body: string;
  reasons: string[];
  decidedAt: string;
  /** The last day the written notice may be served (refusals: 3 working days after the decision). */
  serveBy: string;
  /** `serveBy` counted with weekends and statutory holidays only, in a year whose arrangement is not loaded yet. */
  serveByProvisional?: boolean;
  /** The remedy an adverse notice (refusal, reduction, termination) states: 社会救助法第七十六条. */
  remedy?: string;
  /** A determination's answer to each special-assistance item the household asked for. */
  specialAnswers?: SpecialAnswer[];
}

/**
 * 社会救助法第七十六条: any decision on assistance may be challenged by 行政复议 or 行政诉讼; the
 * periods are the general ones of the 行政复议法 (60 days) and the 行政诉讼法 (6 months).
 */
export const REMEDY =
  '如对本决定不服，可以自知道该决定之日起60日内依法申请行政复议，或者自知道该决定之日起6个月内依法向人民法院提起行政诉讼（《中华人民共和国社会救助法》第七十六条）。';

/** An adverse notice: the remedy is stated in its body and kept as its own field for the pages. */
export function withRemedy<N extends Notice<string>>(notice: N): N {
  return { ...notice, body: `${notice.body}${REMEDY}`, remedy: REMEDY };
}

/** 入户调查 and 信息核对: what the caseworker found, recorded with the decision. */
export interface Findings {
  homeVisit?: {
    visitedOn: string;
    /** At least two staff visit (民发〔2021〕57号); their names. */
    visitors: string[];
    matchesDeclaration: boolean;
    notes?: string | undefined;
  };
  verifications?: Array<{
    /** The department or register checked, e.g. 人社、公安、不动产登记、银行存款. */
    source: string;
    result: 'consistent' | 'inconsistent';
    notes?: string | undefined;
  }>;
}

/** 公示 of the proposed result in the applicant's village or community. */
export interface PublicNoticeRecord {
  /** The review round it publishes: an objection sends the case back and a new round begins. */
  round: number;
  startsOn: string;
  /** The last day of the notice (China time); objections are taken until it ends. */
  endsOn: string;
  endsOnProvisional?: boolean;
  /** The instant the notice ends: the workflow's Wait state waits until then. */
  endsAt: string;
  status: 'open' | 'closed';
  closedAt?: string;
  objected?: boolean;
}

/** The signed-in person who did something: attributable, as every action must be. */
export interface Actor {
  subject: string;
  name: string;
  role: string;
}

export interface Objection {
  objectionId: string;
  round: number;
  reason: string;
  /** Who objected, if they gave a name; not shown to the applicant. */
  raisedBy?: string | undefined;
  /**
   * The person objecting, as the limit of one objection per person per notice counts them: the
   * signed-in objector (subject and name), or the person a caseworker took it from in person (name).
   */
  objector?: { subject?: string; name: string } | undefined;
  /** That person, as a key: the notice's round and who (`objectorKeys` on the application). */
  objectorKey?: string | undefined;
  raisedAt: string;
  /** Who recorded it (the objector signed in, or the caseworker who took it in person). */
  recordedBy?: Actor;
}

/** The offer of another tier (国办发〔2023〕39号) and the applicant's answer. */
export interface ConsentRecord {
  offeredTier: string;
  offeredMonthlyAmount: number | null;
  offeredAt: string;
  status: 'offered' | 'given' | 'declined' | 'lapsed';
  /** The workflow's wait for the answer; absent until the consent step has started. */
  taskToken?: string;
  answeredAt?: string;
  /** With consent: the last day for the determination in the offered tier. */
  determineBy?: string;
  determinedAt?: string;
}

export interface ApplicationRecord {
  applicationId: string;
  caseId: string;
  status: ApplicationStatus;
  regionCode: string;
  requestedTier: ApplicationRequest['requestedTier'];
  declaration: ApplicationRequest;
  submittedAt: string;
  /** The applicant who submitted it online: the one applicant who may read and answer it. */
  ownerSubject?: string;
  /** Who entered it: the applicant, or a caseworker after a home visit. */
  enteredBy?: Actor;
  /**
   * Why a caseworker entered this application although a member already had an open application or
   * an active case (the one way past the duplicate check), and which applications those were.
   */
  newApplication?: { reason: string; openApplicationIds: string[] };
  executionArn?: string;
  meansTest?: MeansTestSummary;
  /** Months to the first recheck, by tier (the decided tier and any alternative), from the means test. */
  recheckMonths?: Record<string, number | null>;
  /** 审核确认时限: set with the means test, from the day of acceptance; extended once, with a reason. */
  reviewDeadline?: ReviewDeadline;
  /**
   * Who makes the determination (社会救助法第四十四条), as the parameters in force on the day of
   * acceptance said: the county, or the township where the province has delegated it. Absent on
   * applications accepted before it was recorded, which the county decided.
   */
  decisionLevel?: DecisionLevel;
  publicNotice?: PublicNoticeRecord;
  objections?: Objection[];
  /** The latest determination and notice; every notice is also kept on the case (`NOTICE#`). */
  determination?: {
    outcome: 'approved' | 'refused' | 'withdrawn';
    tier: string | null;
    monthlyAmount: number | null;
    decidedAt: string;
    /** Approved: the first 定期核查/年度复核 (also on the case item, for the recheck schedule). */
    nextRecheckDue?: string;
  };
  notice?: Notice;
  consent?: ConsentRecord;
  /**
   * 单独登记备案 (民发〔2021〕57号 第十一条): at acceptance a member was a declared close relative of
   * caseworkers (`staff`) or of village/community committee members (`committee`) — how many of each.
   */
  relativesRegister?: { registeredAt: string; staff: number; committee: number };
  /** Determinations revoked on 行政复议 or 行政诉讼, oldest first; the application was reopened after each. */
  revokedDeterminations?: RevokedDetermination[];
}

/**
 * A determination that no longer stands (社会救助法第七十六条; `shared/domain/appeals.ts`): kept with
 * what the reopened review needs — the execution that decided it, and the township's last opinion,
 * which a county deciding again decides on.
 */
export interface RevokedDetermination {
  determination: NonNullable<ApplicationRecord['determination']>;
  noticeId: string;
  appealId: string;
  /** The outcome in one line, for the task of the review that reopens. */
  appealSummary: string;
  revokedAt: string;
  executionArn: string;
  townshipReview: TaskOpinion | null;
}
