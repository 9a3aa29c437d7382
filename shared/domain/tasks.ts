/**
 * Every task a person decides in the township or county inbox, one discriminated union by `kind`:
 * the application's review and determination, the lifecycle's confirmations (a recheck's change, an
 * emergency's grant and paperwork) and monitoring's home check. All are stored alike under
 * `TASK#<id>` and decided through `POST /tasks/{taskId}/decision`. Types, with who decides each kind
 * (`deciders`) and the two markers of the home check.
 */

import type { Role } from '../auth.ts';
import type { ExpenditureTest } from '../rules/index.ts';
import type { Actor, Findings, MeansTestSummary, Objection } from './cases.ts';
import type { CountyHomeCheck } from './deadlines.ts';
import type { Benefit, HearingAnswer } from './lifecycle.ts';

/**
 * Who decides each kind of task: the township reviews and confirms, the county determines. Every
 * route that decides a task asks this table (`requireDecider`): a route of its own for one kind
 * (the emergency paperwork) had its own role list and let the county do the township's part.
 */
export const deciders = {
  townshipReview: ['townshipCaseworker'],
  recheckConfirmation: ['townshipCaseworker'],
  emergencyGrant: ['townshipCaseworker'],
  emergencyPaperwork: ['townshipCaseworker'],
  // 支出型临时救助: the township reviews (入户调查), the county decides and fixes the amount.
  emergencyReview: ['townshipCaseworker'],
  monitoringVerification: ['townshipCaseworker'],
  countyDetermination: ['countyOfficer'],
  // Objections to the notice of ending 特困 support are investigated and decided by the county (43号 第二十六条).
  endNoticeReview: ['countyOfficer'],
  // What an emergency asked beyond the aid paid first is decided by the ordinary procedure (第四十四条).
  emergencyAssessment: ['countyOfficer'],
  // A roll is approved by a county officer other than its preparer (`shared/payroll.ts`).
  payrollApproval: ['countyOfficer'],
  // The township registers a household's payee account, or confirms the one on record.
  payeeAccountFix: ['townshipCaseworker'],
  // 主动发现: the township contacts the household and helps it apply (社会救助法第三十九条第二款).
  outreach: ['townshipCaseworker'],
  // 举报投诉: the county verifies and deals with what was reported (第六十八条第二款).
  complaintReview: ['countyOfficer'],
} as const satisfies Record<string, readonly Role[]>;

export interface TaskDecision {
  /**
   * `dismiss`: a township review sent back by objections finds them groundless and, with written
   * reasons, sends the noticed result on to the county instead of investigating and noticing again.
   */
  decision: 'approve' | 'reject' | 'dismiss';
  reasons: string[];
  decidedAt: string;
  /** The name shown on notices and in the inbox; `decidedByActor` is who it was. */
  decidedBy: string;
  decidedByActor?: Actor;
  /** Staff who declared a member of the household a close relative, and so stood aside (近亲属回避). */
  standAside?: Array<{ subject: string; name: string; relation: string }>;
  findings?: Findings | undefined;
  /** An emergency's grant review: the amount to pay first; its assessment: the amount to pay beyond it (元). */
  amount?: number | undefined;
}

/** One level's opinion as the other level's task shows it. */
export type TaskOpinion = Pick<TaskDecision, 'decision' | 'reasons' | 'decidedAt' | 'decidedBy' | 'findings'>;

/** The opinion of one level, as the other level's task shows it. */
export function opinionOf(task: { decision?: TaskDecision } | undefined): TaskOpinion | undefined {
  const d = task?.decision;
  if (!d) return undefined;
  return {
    decision: d.decision,
    reasons: d.reasons,
    decidedAt: d.decidedAt,
    decidedBy: d.decidedBy,
    ...(d.findings ? { findings: d.findings } : {}),
  };
}

/** The application's own tasks: the township's review, the county's determination. */
export type ApplicationTaskKind = 'townshipReview' | 'countyDetermination';

export interface Escalation {
  escalatedAt: string;
  /** The due date that passed. */
  overdueSince: string;
  /** The supervisor's new due date (督办期限). */
  newDueDate: string;
}

/** What every task has, whatever its kind: in the inbox of its township, due on a working day. */
interface TaskBase {
  taskId: string;
  /** The review round (1, then one more after each objection to a public notice). */
  round: number;
  /**
   * What it is about: the application; for a recheck, the application that determined the case; for
   * an emergency, the request; for a home check, the warning.
   */
  applicationId: string;
  caseId: string;
  township: string;
  /** The current token: an escalated task waits on a new one, and a decision must use that. */
  taskToken: string;
  executionArn: string;
  createdAt: string;
  dueDate: string;
  /** The due date counted with weekends and statutory holidays only, in a year whose arrangement is not loaded yet. */
  dueDateProvisional?: boolean;
  /**
   * When the decision reached the workflow (`SendTaskSuccess` answered). Until then the task is in
   * the undelivered index (`gsi1` under `UNDELIVERED#<shard>`), where the redelivery job finds it.
   */
  deliveredAt?: string;
  /** The decision could not be delivered: the workflow had ended (its status then). */
  undeliverable?: string;
  /** Blind indexes of the household's members: staff who declared one a relative never get the task. */
  memberIndexes?: string[];
}

export interface ApplicationTask extends TaskBase {
  kind: ApplicationTaskKind;
  /** `escalated`: overdue and reported to the supervisors; still open for a decision. */
  status: 'open' | 'escalated' | 'decided';
  meansTest: MeansTestSummary;
  /** Objections to the previous public notice, for the caseworker who investigates them. */
  objections?: Array<Pick<Objection, 'reason' | 'raisedAt'>>;
  /** A county determination the county decides only after its own home check, and why. */
  homeCheck?: CountyHomeCheck;
  /**
   * A county determination of a proposed refusal (社会救助法第四十四条): the township's opinion —
   * not to approve, or approve where the means test fails — that the county now decides on.
   */
  proposal?: TaskOpinion;
  /** A township review the county sent back: it did not accept the township's proposed refusal. */
  returned?: TaskOpinion;
  /** A review reopened because its earlier determination was revoked on 行政复议 or 行政诉讼. */
  reopened?: { appealId: string; summary: string };
  escalations?: Escalation[];
  decision?: TaskDecision;
}

// ── lifecycle tasks ───────────────────────────────────────────────────────────────────────────────

/**
 * What the caseworker deciding the grant is shown, and what bounds the amount they may decide: the
 * place's small-amount limit, and what is left of the household's limit over its period.
 */
export interface EmergencyAllowance {
  requestedAmount: number;
  /** 当地先行救助上限 (`emergencySmallAmount`). */
  smallAmountLimit: number;
  /** 家庭一定期限内的临时救助累计上限 (`emergencyHouseholdLimit`). */
  householdLimit: { amount: number; months: number; since: string; granted: number; remaining: number };
  /** The most the caseworker may grant now: the least of the request and the two limits. */
  maxAmount: number;
}

/**
 * The emergency detail on a task (no hardship text: it travels through the workflow's history). The
 * paperwork and the assessment show `grantedAmount`, the aid paid first; the assessment's
 * `maxAmount` is what remains of the household's limit (the small-amount limit does not bind it).
 */
export interface EmergencyTaskDetail extends Partial<EmergencyAllowance> {
  requestedAmount: number;
  grantedAmount?: number;
  /** 支出型: what the necessary spending left the household (`expenditureTest` in `shared/rules/`). */
  expenditure?: Omit<ExpenditureTest, 'reasons'> & { reasons: string[] };
  /** 支出型, the county's assessment: the township's opinion it decides on (社会救助法第四十四条). */
  review?: TaskOpinion;
}

/**
 * `endNoticeReview`: the county's investigation of objections to the public notice of a proposed end
 * of 特困 support, and its decision (民发〔2021〕43号 第二十六条: the county, within 15 working days).
 * `emergencyAssessment`: the county's assessment of what an emergency request asked beyond the aid
 * paid first, once the paperwork confirmed it, or of a 支出型 request after the township's review
 * (`emergencyReview`) — 临时救助 by the ordinary procedure.
 */
export type LifecycleTaskKind =
  | 'recheckConfirmation'
  | 'endNoticeReview'
  | 'emergencyGrant'
  | 'emergencyPaperwork'
  | 'emergencyReview'
  | 'emergencyAssessment';

export interface LifecycleTaskDecision {
  decision: 'approve' | 'reject';
  reasons: string[];
  decidedAt: string;
  decidedBy: string;
  decidedByActor?: Actor;
  standAside?: Array<{ subject: string; name: string; relation: string }>;
  /** Emergency paperwork only: the regular tier the household is to apply for. */
  convertTo?: string | undefined;
  /**
   * Emergency grant: the amount the caseworker decided to pay first; emergency assessment: the
   * amount the county officer granted beyond it (元).
   */
  amount?: number | undefined;
}

/**
 * The record the application's tasks use (`ApplicationTask`), so the township inbox
 * lists both and `POST /tasks/{taskId}/decision` decides both; `recheck` or `emergency` says what
 * the caseworker is asked to confirm.
 */
export interface LifecycleTask extends TaskBase {
  kind: LifecycleTaskKind;
  status: 'open' | 'decided';
  meansTest: MeansTestSummary;
  escalations?: Escalation[];
  recheck?: { current: Benefit; proposed: Benefit | null; outcome: string; reasons: string[] };
  /** A review after the household objected at its hearing (第四十八条): what they said. */
  hearing?: HearingAnswer & { answerBy?: string };
  /** A review of objections to the public notice of a proposed end of 特困 support (43号 第二十六条). */
  objections?: Array<{ reason: string; raisedAt: string }>;
  /**
   * No hardship text: it tells of illness and injury, and the task's detail travels through the
   * workflow's history and archive. The inbox reads it from the sealed emergency record.
   */
  emergency?: EmergencyTaskDetail;
  decision?: LifecycleTaskDecision;
}

// ── monitoring's home check (入户核查) ────────────────────────────────────────────────────────────

export const VERIFICATION_KIND = 'monitoringVerification';
/**
 * A home check is a task in the township inbox that no workflow waits on: its token is this marker,
 * and `POST /tasks/{taskId}/decision` records its decision on the warning instead of sending it to a
 * workflow (`completeVerification` in `functions/steps/monitoring.ts`).
 */
export const NO_WORKFLOW_TOKEN = 'none:monitoring-verification';

export interface VerificationTask extends TaskBase {
  kind: typeof VERIFICATION_KIND;
  status: 'open' | 'decided';
  round: 1;
  taskToken: typeof NO_WORKFLOW_TOKEN;
  warning: {
    warningId: string;
    riskType: string;
    department: string;
    subject: string | null;
    message: string;
    householdId: string | null;
  };
  /** Recorded by `POST /tasks/{taskId}/decision`, then on the warning (`completeVerification`). */
  decision?: TaskDecision;
}

// ── payments' tasks (资金发放) ────────────────────────────────────────────────────────────────────

/**
 * Payments' work in the same inbox: `payrollApproval`, a sealed roll awaiting a second county
 * officer (due in working days, escalated like any task); `payeeAccountFix`, a household whose bank
 * line failed, for the township to register a correct account (or confirm the one on record). No
 * workflow waits on the task itself: the roll's own wait holds the workflow's token, and the task is
 * closed when the roll is decided (`shared/payroll.ts`) or the account registered.
 */
export const PAYMENT_TASK_TOKEN = 'none:payments';
export const paymentTaskKinds = ['payrollApproval', 'payeeAccountFix'] as const;
export type PaymentTaskKind = (typeof paymentTaskKinds)[number];

export interface PaymentTask extends TaskBase {
  kind: PaymentTaskKind;
  status: 'open' | 'escalated' | 'decided';
  round: 1;
  taskToken: typeof PAYMENT_TASK_TOKEN;
  /** `applicationId` and `caseId` are the roll's id and audit chain for an approval, the roll's id and the case for a fix. */
  payment: {
    rollId: string;
    month: string;
    regionCode: string;
    /** The roll's households and total (元), for its approval. */
    lines?: number;
    amount?: number;
    preparedBy?: string;
    /** The failed line: what it paid, its months and the bank's reason. */
    months?: string[];
    reason?: string;
  };
  escalations?: Escalation[];
  decision?: TaskDecision;
}

export const isPaymentTask = (task: Pick<Task, 'kind'>): task is PaymentTask =>
  (paymentTaskKinds as readonly string[]).includes(task.kind);

// ── 主动发现 (社会救助法第三十九条) ──────────────────────────────────────────────────────────────

/**
 * A household someone found that may need help (`shared/discoveries.ts`): the township is to contact
 * it, tell it of the policies and help it apply. No workflow waits on it; it is closed by its
 * decision — `approve` with the application the household made, or `reject` with why none was made.
 */
export const OUTREACH_KIND = 'outreach';
export const OUTREACH_TASK_TOKEN = 'none:outreach';

export interface OutreachTask extends TaskBase {
  kind: typeof OUTREACH_KIND;
  status: 'open' | 'decided';
  round: 1;
  taskToken: typeof OUTREACH_TASK_TOKEN;
  /** `applicationId` and `caseId` are the discovery's id and its chain. */
  outreach: {
    discoveryId: string;
    source: string;
    sourceLabel: string;
    urgency: 'urgent' | 'normal';
    /** What was seen, shortened and without names or numbers: the whole is read on the discovery. */
    summary: string;
    warningId?: string;
  };
  decision?: TaskDecision;
}

export const isOutreachTask = (task: Pick<Task, 'kind'>): task is OutreachTask => task.kind === OUTREACH_KIND;

// ── 举报投诉 (社会救助法第六十、六十八条) ───────────────────────────────────────────────────────────

/**
 * A report or complaint (`shared/complaints.ts`) for the county to verify and deal with: in the
 * county's inbox, due in working days and escalated when it lapses; closed by its decision —
 * `approve` substantiated (with what was done), `reject` not substantiated (with why).
 */
export const COMPLAINT_KIND = 'complaintReview';
export const COMPLAINT_TASK_TOKEN = 'none:complaint';

export interface ComplaintTask extends TaskBase {
  kind: typeof COMPLAINT_KIND;
  status: 'open' | 'escalated' | 'decided';
  round: 1;
  taskToken: typeof COMPLAINT_TASK_TOKEN;
  /** `applicationId` and `caseId` are the complaint's id and its chain. */
  complaint: { complaintId: string; kind: string; kindLabel: string; channel: string; channelLabel: string };
  escalations?: Escalation[];
  decision?: TaskDecision;
}

export const isComplaintTask = (task: Pick<Task, 'kind'>): task is ComplaintTask =>
  task.kind === COMPLAINT_KIND;

/** Every kind of human task, as pages and the audit log name it. */
export const taskKindLabels: Record<TaskKind, string> = {
  townshipReview: '乡镇（街道）审核',
  countyDetermination: '县级民政部门确认',
  recheckConfirmation: '定期核查确认',
  endNoticeReview: '终止特困供养公示异议的县级核实',
  emergencyGrant: '临时救助先行救助',
  emergencyPaperwork: '临时救助补办手续',
  emergencyReview: '支出型临时救助乡镇审核',
  emergencyAssessment: '临时救助县级审核',
  monitoringVerification: '动态监测预警入户核查',
  payrollApproval: '发放名册审批',
  payeeAccountFix: '发放失败，核实收款账户',
  outreach: '主动发现：联系并协助申请',
  complaintReview: '举报投诉核实处理',
};

/** Any stored task. */
export type Task =
  | ApplicationTask
  | LifecycleTask
  | VerificationTask
  | PaymentTask
  | OutreachTask
  | ComplaintTask;
export type TaskKind = Task['kind'];

/** The application's own tasks, which the application workflow opens, escalates and waits on. */
export const isApplicationTask = (task: Task): task is ApplicationTask =>
  task.kind === 'townshipReview' || task.kind === 'countyDetermination';
