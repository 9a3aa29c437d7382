/**
 * 确认 and its written notice, and the dates the application workflow keeps. Pure: the steps that
 * call it record the results.
 *
 * 民发〔2021〕57号《最低生活保障审核确认办法》: the proposed result is published (公示) for 7 days and,
 * without objection, determined within 10 working days; a refusal is notified in writing with
 * reasons within 3 working days of the decision; 低保金 is paid from the month after the
 * determination. 国办发〔2023〕39号: a household that fails the tier applied for but qualifies as
 * 低保边缘/刚性支出困难 is told so and, with its consent, determined within 3 working days.
 */

import type { ProvisionalDeadline, WorkingDayCalendar } from '../calendar/index.ts';
import { tierLabels as ruleTierLabels } from '../rules/classify.ts';
import {
  type ApplicationRecord,
  type Findings,
  type MeansTestSummary,
  type Notice,
  withRemedy,
} from './cases.ts';
import { addDays, chinaDate } from './dates.ts';
import { yuanText } from './money.ts';
import type { TaskDecision } from './tasks.ts';

/**
 * Chinese names of the tiers: the rules' table, plus 临时救助, which is applied for but is not a tier
 * the means test places a household in.
 */
export const tierLabels: Record<string, string> = { ...ruleTierLabels, emergency: '临时救助' };

export const tierLabel = (tier: string): string => tierLabels[tier] ?? tier;

/**
 * Working days a supervisor has to see an overdue task through after it is escalated (督办期限).
 * An internal management rule, not a policy time limit: each further lapse escalates again.
 */
export const SUPERVISION_WORKING_DAYS = 3;

/** The instant a China-time civil day ends (the next day's 00:00 at UTC+8), as Step Functions takes it. */
export function endOfChinaDay(date: string): string {
  return `${date}T16:00:00Z`;
}

/** Whole seconds from `now` until `instant`, at least 1 (Step Functions refuses a timeout of 0). */
export function secondsUntil(instant: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(instant) - now.getTime()) / 1000));
}

/** `date` plus `months` calendar months, clamped to the month's last day (01-31 + 1 month = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function firstOfNextMonth(date: string): string {
  return addMonths(`${date.slice(0, 8)}01`, 1);
}

type DeadlineCalendar = Pick<WorkingDayCalendar, 'provisionalDeadline' | 'calendarDayDeadline'>;

/**
 * The last day of the public notice: `days` calendar days after `from`, moved off a rest day
 * (`calendarDayDeadline`). In a year whose holiday arrangement is not loaded yet the rest days are
 * assumed to be the weekends, and the answer says so, as working-day deadlines do.
 */
export function publicNoticeEnd(calendar: DeadlineCalendar, from: string, days: number): ProvisionalDeadline {
  try {
    return { deadline: calendar.calendarDayDeadline(from, days), provisional: false, assumedYears: [] };
  } catch (error) {
    if ((error as Error).name !== 'UnknownCalendarYearError') throw error;
  }
  // deadline(x, 0) is x moved off a rest day; its provisional form falls back to weekends and statutory holidays.
  return calendar.provisionalDeadline(addDays(from, days), 0);
}

export interface OutcomeInput {
  noticeId: string;
  meansTest: MeansTestSummary;
  /**
   * The decision the determination follows: the county's (社会救助法第四十四条第一款), or the
   * township's where the province has delegated the decision (第二款).
   */
  review?: TaskDecision | undefined;
  /** With a county decision: the township's opinion before it, whose reasons a refusal also gives. */
  proposal?: TaskDecision | undefined;
  /** Who decided `review`. */
  stage?: 'township' | 'county' | undefined;
  failure?: { Error: string; Cause: string } | undefined;
  decidedAt: string;
  calendar: Pick<WorkingDayCalendar, 'provisionalDeadline'>;
  parameters: {
    timeLimits: {
      refusalNoticeWorkingDays: number;
      approvalNoticeWorkingDays: number;
      alternativeDeterminationWorkingDays: number;
    };
  };
}

export type Determination = NonNullable<ApplicationRecord['determination']>;

export interface Outcome {
  determination: Determination;
  notice: Notice;
  /** The applicant is offered `meansTest.alternative.tier`, to be determined on its consent. */
  alternativeOffered: boolean;
}

function serveBy(
  calendar: OutcomeInput['calendar'],
  day: string,
  workingDays: number,
): Pick<Notice, 'serveBy' | 'serveByProvisional'> {
  const due = calendar.provisionalDeadline(day, workingDays);
  return due.provisional ? { serveBy: due.deadline, serveByProvisional: true } : { serveBy: due.deadline };
}

function amountText(amount: number | null, day: string): string {
  return amount === null ? '' : `，每月救助金${yuanText(amount)}，自 ${firstOfNextMonth(day)} 起发放`;
}

/** What the findings of a home visit and of verification add to a refusal's reasons. */
function findingReasons(findings: Findings | undefined): string[] {
  if (!findings) return [];
  const out: string[] = [];
  if (findings.homeVisit && !findings.homeVisit.matchesDeclaration) {
    out.push(
      `入户调查（${findings.homeVisit.visitedOn}）：家庭实际情况与申报不符${findings.homeVisit.notes ? `，${findings.homeVisit.notes}` : ''}`,
    );
  }
  for (const v of findings.verifications ?? []) {
    if (v.result === 'inconsistent')
      out.push(`信息核对（${v.source}）：与申报不一致${v.notes ? `，${v.notes}` : ''}`);
  }
  return out;
}

/**
 * A township's `dismiss` (the objections to the notice are groundless) leaves the noticed result —
 * its approval — standing: where the township decides, that is what it determines.
 */
const standing = (review: TaskDecision): TaskDecision =>
  review.decision === 'dismiss' ? { ...review, decision: 'approve' } : review;

export function decideOutcome(input: OutcomeInput): Outcome {
  const { meansTest, failure, decidedAt } = input;
  const review = input.review && standing(input.review);
  const day = chinaDate(new Date(decidedAt));
  const limits = input.parameters.timeLimits;

  if (failure || !review) {
    return {
      determination: { outcome: 'withdrawn', tier: null, monthlyAmount: null, decidedAt },
      notice: {
        noticeId: input.noticeId,
        kind: 'withdrawal',
        title: '社会救助申请终止告知书',
        body: '您的社会救助申请审核流程已终止，如有疑问请联系所在乡镇（街道）社会救助经办机构。',
        reasons: [failure ? `流程终止：${failure.Error}` : '审核未完成'],
        decidedAt,
        ...serveBy(input.calendar, day, limits.refusalNoticeWorkingDays),
      },
      alternativeOffered: false,
    };
  }

  if (review.decision === 'approve' && meansTest.eligible) {
    return {
      determination: {
        outcome: 'approved',
        tier: meansTest.tier,
        monthlyAmount: meansTest.monthlyAmount,
        decidedAt,
      },
      notice: {
        noticeId: input.noticeId,
        kind: 'approval',
        title: '社会救助确认通知书',
        body: `经审核确认，您的家庭符合${tierLabel(meansTest.tier)}条件${amountText(meansTest.monthlyAmount, day)}。`,
        reasons: meansTest.reasons.map((r) => r.message),
        decidedAt,
        ...serveBy(input.calendar, day, limits.approvalNoticeWorkingDays),
      },
      alternativeOffered: false,
    };
  }

  const opinion = (d: TaskDecision | undefined, who: string) =>
    d?.decision === 'reject' ? [...d.reasons.map((r) => `${who}：${r}`), ...findingReasons(d.findings)] : [];
  const reasons = [
    ...opinion(input.proposal, '乡镇（街道）审核意见'),
    ...opinion(review, input.stage === 'county' ? '县级民政部门确认意见' : '乡镇（街道）审核意见'),
    ...(meansTest.eligible ? [] : meansTest.reasons.map((r) => r.message)),
  ];
  // The other tier is offered when the refusal rests on the means test alone: a caseworker who
  // rejected the declaration itself (hidden income, a false statement) has found it unreliable.
  const alternative = meansTest.alternative;
  const alternativeOffered =
    !meansTest.eligible && review.decision === 'approve' && alternative !== undefined;
  const offer = alternativeOffered
    ? `经核查，您的家庭符合${tierLabel(alternative!.tier)}条件。如您同意按该类别认定，请通过申请状态页面或向乡镇（街道）经办机构表示同意，我们将在收到同意后${limits.alternativeDeterminationWorkingDays}个工作日内完成认定。`
    : '';
  return {
    determination: { outcome: 'refused', tier: null, monthlyAmount: null, decidedAt },
    notice: withRemedy({
      noticeId: input.noticeId,
      kind: 'refusal' as const,
      title: '不予确认社会救助告知书',
      body: `经审核，您的申请不符合条件，不予确认。理由见下。${offer}`,
      reasons,
      decidedAt,
      ...serveBy(input.calendar, day, limits.refusalNoticeWorkingDays),
    }),
    alternativeOffered,
  };
}

/** The day by which a consented alternative must be determined: N working days after the consent. */
export function alternativeDetermineBy(
  calendar: OutcomeInput['calendar'],
  consentedAt: string,
  workingDays: number,
): ProvisionalDeadline {
  return calendar.provisionalDeadline(chinaDate(new Date(consentedAt)), workingDays);
}

export interface AlternativeInput {
  noticeId: string;
  alternative: NonNullable<MeansTestSummary['alternative']>;
  requestedTier: string;
  decidedAt: string;
  calendar: Pick<WorkingDayCalendar, 'provisionalDeadline'>;
  parameters: OutcomeInput['parameters'];
}

/** 经申请人同意，按其符合的其他类别认定. */
export function decideAlternative(input: AlternativeInput): Omit<Outcome, 'alternativeOffered'> {
  const { alternative, decidedAt } = input;
  const day = chinaDate(new Date(decidedAt));
  return {
    determination: {
      outcome: 'approved',
      tier: alternative.tier,
      monthlyAmount: alternative.monthlyAmount,
      decidedAt,
    },
    notice: {
      noticeId: input.noticeId,
      kind: 'approval',
      title: '社会救助确认通知书',
      body: `您申请的${tierLabel(input.requestedTier)}不予确认；经您同意，按${tierLabel(alternative.tier)}认定${amountText(alternative.monthlyAmount, day)}。`,
      reasons: [`申请人同意按${tierLabel(alternative.tier)}认定`],
      decidedAt,
      ...serveBy(input.calendar, day, input.parameters.timeLimits.approvalNoticeWorkingDays),
    },
  };
}

/** The first recheck (定期核查/年度复核): `months` after the determination; none when null. */
export function nextRecheckDue(decidedAt: string, months: number | null | undefined): string | undefined {
  if (!months) return undefined;
  return addMonths(chinaDate(new Date(decidedAt)), months);
}
