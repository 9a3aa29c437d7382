/**
 * The case after its determination — 定期核查/年度复核, 渐退, 动态监测 and 临时救助 — as pure decisions:
 * the steps in `functions/steps/{recheck,gradual-exit,emergency}.ts` load the facts, call these, and
 * record what they return. Dates are China civil dates (UTC+8), months `YYYY-MM`.
 *
 * Sources: 民发〔2021〕57号《最低生活保障审核确认办法》第五章 (定期核查、渐退、终止), 国办发〔2023〕39号
 * (低收入人口动态监测、年度复核), 民发〔2018〕23号 (临时救助：小金额先行救助、事后补办手续).
 */
import { tierLabels } from '../rules/index.ts';
import type { HouseholdDeclaration } from '../schemas/household.ts';
import { type Notice, withRemedy } from './cases.ts';
import { chinaDate } from './dates.ts';
import { toFen as fen, sameAmount, yuanText } from './money.ts';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Tiers that pay a monthly amount (低保金、特困供养金); 低保边缘、刚性支出 are recognitions without one. */
export const PAYING_TIERS: ReadonlySet<string> = new Set(['dibao', 'singlePersonDibao', 'tekun']);
/** 渐退 applies to households leaving 低保 (民发〔2021〕57号第五章). */
export const DIBAO_TIERS: ReadonlySet<string> = new Set(['dibao', 'singlePersonDibao']);
/** Income the household earns by working: a rise in it is what a gradual exit rewards. */
const EMPLOYMENT_INCOME_KINDS: ReadonlySet<string> = new Set(['wage', 'business']);

/**
 * After a case ends the household stays under 动态监测 and is looked at again this many months later.
 * No parameter carries it yet; a year matches the 年度复核 rhythm of the low-income register.
 */
export const MONITORING_FOLLOW_UP_MONTHS = 12;
/** 督办: an overdue lifecycle task gets this many more working days, as application tasks do. */
export const SUPERVISION_WORKING_DAYS = 3;

export const tierLabel = (tier: string): string =>
  (tierLabels as Record<string, string>)[tier] ?? (tier === 'emergency' ? '临时救助' : tier);

// ── dates ────────────────────────────────────────────────────────────────────────────────────────

/** The China month (`YYYY-MM`) an instant falls in. */
export const chinaMonth = (instant: Date): string => chinaDate(instant).slice(0, 7);

/** `YYYY-MM` plus `n` months. */
export function addMonthsToMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `date` plus `months` calendar months, clamped to the month's last day (01-31 + 1 month = 02-28). */
export function addMonths(date: string, months: number): string {
  const month = addMonthsToMonth(date.slice(0, 7), months);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(Math.min(Number(date.slice(8, 10)), last)).padStart(2, '0')}`;
}

/** The instant a China civil day begins (00:00 UTC+8). */
export const startOfChinaDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS).toISOString();

/** The instant a China civil day ends: a task due that day is overdue from then. */
export const endOfChinaDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 - CHINA_OFFSET_MS).toISOString();

/** The instant a month begins in China: where monthly payments and gradual-exit months start. */
export const monthStartsAt = (month: string): string => startOfChinaDay(`${month}-01`);

/** Whole seconds from `now` until `instant`, at least 1 (Step Functions refuses a timeout of 0). */
export const secondsUntil = (instant: string, now: Date): number =>
  Math.max(1, Math.ceil((Date.parse(instant) - now.getTime()) / 1000));

// ── money (shared/domain/money.ts) ─────────────────────────────────────────────────────────────

/** Wage and business income per month, the household's earnings from work. */
export function employmentIncome(declaration: Pick<HouseholdDeclaration, 'members'>): number {
  let total = 0;
  for (const m of declaration.members)
    for (const i of m.incomes) if (EMPLOYMENT_INCOME_KINDS.has(i.kind)) total += fen(i.monthlyAmount);
  return total / 100;
}

// ── 定期核查 / 年度复核 ──────────────────────────────────────────────────────────────────────────

export interface Benefit {
  tier: string;
  /** Yuan per month; null for tiers without a periodic amount. */
  monthlyAmount: number | null;
}

/** What the fresh means test (without a requested tier: the household's own classification) found. */
export interface FreshAssessment extends Benefit {
  eligible: boolean;
  /** Chinese reasons from the means test, as a notice lists them. */
  reasons: string[];
}

export type RecheckOutcome = 'continue' | 'adjust' | 'gradualExit' | 'terminate';

export interface RecheckDecision {
  outcome: RecheckOutcome;
  /** Circumstances changed: a caseworker confirms before anything is changed. */
  changed: boolean;
  current: Benefit;
  /** The benefit after the recheck (a gradual exit keeps the current one while it lasts); null when it ends. */
  proposed: Benefit | null;
  /** Months of gradual exit, for `gradualExit`. */
  gradualExitMonths: number | null;
  /** Why, in Chinese, for the caseworker and the notice. */
  reasons: string[];
}

export interface RecheckInput {
  current: Benefit;
  fresh: FreshAssessment;
  /** The region's 渐退期 in months (0: none). */
  gradualExitMonths: number;
  /** Wage and business income per month at the previous determination or recheck, and now. */
  employmentIncomeBefore: number;
  employmentIncomeNow: number;
}

/**
 * 定期核查: unchanged tier and amount → continue; otherwise a caseworker confirms a change —
 * a new amount or tier (adjust), a gradual exit (a 低保 household whose earnings from work lifted it
 * out of 低保, where the region grants a 渐退期), or termination (no tier any more, no gradual exit).
 */
export function decideRecheck(input: RecheckInput): RecheckDecision {
  const { current, fresh } = input;
  const leavesDibao = DIBAO_TIERS.has(current.tier) && !DIBAO_TIERS.has(fresh.tier) && fresh.tier !== 'tekun';
  const earnedMore = fen(input.employmentIncomeNow) > fen(input.employmentIncomeBefore);
  const base = { current, reasons: fresh.reasons };

  if (leavesDibao && earnedMore && input.gradualExitMonths > 0) {
    return {
      ...base,
      outcome: 'gradualExit',
      changed: true,
      proposed: current,
      gradualExitMonths: input.gradualExitMonths,
      reasons: [
        `家庭成员就业后月工资性、经营性收入由${yuanText(input.employmentIncomeBefore)}增至${yuanText(input.employmentIncomeNow)}，家庭不再符合${tierLabel(current.tier)}条件`,
        `给予${input.gradualExitMonths}个月渐退期，渐退期内继续按原标准发放`,
        ...fresh.reasons,
      ],
    };
  }
  if (!fresh.eligible) {
    return {
      ...base,
      outcome: 'terminate',
      changed: true,
      proposed: null,
      gradualExitMonths: null,
      reasons: [`经定期核查，家庭不再符合${tierLabel(current.tier)}条件`, ...fresh.reasons],
    };
  }
  if (fresh.tier === current.tier && sameAmount(fresh.monthlyAmount, current.monthlyAmount)) {
    return { ...base, outcome: 'continue', changed: false, proposed: current, gradualExitMonths: null };
  }
  const proposed = { tier: fresh.tier, monthlyAmount: fresh.monthlyAmount };
  const what =
    fresh.tier === current.tier
      ? `救助金额由每月${amountText(current.monthlyAmount)}调整为每月${amountText(fresh.monthlyAmount)}`
      : `救助类别由${tierLabel(current.tier)}调整为${tierLabel(fresh.tier)}${fresh.monthlyAmount === null ? '' : `，每月${yuanText(fresh.monthlyAmount)}`}`;
  return {
    ...base,
    outcome: 'adjust',
    changed: true,
    proposed,
    gradualExitMonths: null,
    reasons: [`经定期核查，家庭情况发生变化：${what}`, ...fresh.reasons],
  };
}

const amountText = (amount: number | null) => (amount === null ? '不发放' : yuanText(amount));

/** Months to the next recheck of a tier: the fresh means test's interval where it decided that tier. */
export function recheckMonthsFor(
  tier: string,
  recheckMonths: {
    tekun: number;
    dibaoStable: number;
    dibaoUnstable: number;
    singlePersonDibao: number;
    marginal: number;
    rigidExpense: number;
  },
  fresh?: { tier: string; recheckIntervalMonths: number | null },
): number | null {
  if (fresh && fresh.tier === tier && fresh.recheckIntervalMonths) return fresh.recheckIntervalMonths;
  switch (tier) {
    case 'tekun':
      return recheckMonths.tekun;
    // Whether income is stable is the means test's call; without it, look again sooner rather than later.
    case 'dibao':
      return Math.min(recheckMonths.dibaoStable, recheckMonths.dibaoUnstable);
    case 'singlePersonDibao':
      return recheckMonths.singlePersonDibao;
    case 'marginal':
      return recheckMonths.marginal;
    case 'rigidExpense':
      return recheckMonths.rigidExpense;
    default:
      return null;
  }
}

// ── 动态监测 ─────────────────────────────────────────────────────────────────────────────────────

export type MonitoringOutcome = 'monitoringAlert' | 'monitoringEnded';

/**
 * 刚性支出困难家庭: a recognition is valid for at most 12 months and then lapses — the household
 * applies again (《刚性支出困难家庭认定办法》第十条), it is not rechecked.
 */
export const LAPSING_TIERS: ReadonlySet<string> = new Set(['rigidExpense']);
export const LAPSE_CLAUSE = '《刚性支出困难家庭认定办法》第十条';

/**
 * The follow-up of a household that left assistance: if it would qualify again, it is told to apply
 * (benefits need an application and a determination) and watched for another period; otherwise
 * monitoring ends.
 */
export function decideMonitoring(fresh: FreshAssessment): { outcome: MonitoringOutcome; reasons: string[] } {
  if (fresh.eligible) {
    return {
      outcome: 'monitoringAlert',
      reasons: [`动态监测发现家庭可能符合${tierLabel(fresh.tier)}条件，请及时申请`, ...fresh.reasons],
    };
  }
  return { outcome: 'monitoringEnded', reasons: ['动态监测期满，家庭经济状况稳定，结束监测'] };
}

// ── 家庭成员死亡 ────────────────────────────────────────────────────────────────────────────────

/** Tiers that are rechecked (定期核查/年度复核); a lapsing recognition is not (`LAPSING_TIERS`). */
const RECHECKED_TIERS: ReadonlySet<string> = new Set(['tekun', 'dibao', 'singlePersonDibao', 'marginal']);

/**
 * Whether a member's death brings the case's recheck forward: a case in assistance (active) in a tier
 * that is rechecked. Not a 刚性支出 recognition, whose "recheck" is its lapse (brought forward it would
 * end the recognition early); not a case in a gradual exit or ended (its follow-up is 动态监测).
 */
export function deathTriggersRecheck(item: { status?: string; tier?: unknown; kind?: string }): boolean {
  return (
    (item.status ?? 'active') === 'active' &&
    item.kind !== 'emergency' &&
    typeof item.tier === 'string' &&
    RECHECKED_TIERS.has(item.tier)
  );
}

/**
 * The recheck after a death: the day it is due at the latest (`months` after the date of death — the
 * region's `timeLimits.deathRecheckMonths`), and the day it is scheduled for — that day, or `today`
 * when it has passed already (a death reported late is rechecked at once; a schedule is never put on a
 * day the sweeper has finished).
 */
export function deathRecheckDue(
  deathDate: string,
  today: string,
  months: number,
): { deadline: string; due: string } {
  const deadline = addMonths(deathDate, months);
  return { deadline, due: deadline < today ? today : deadline };
}

// ── 渐退 ─────────────────────────────────────────────────────────────────────────────────────────

export interface GradualExitPlan {
  tier: string;
  months: number;
  /** The first month of the gradual exit: the month after the recheck decided it. */
  firstMonth: string;
  /** Paid each month of the gradual exit. */
  monthlyAmount: number;
  /**
   * No parameter lets a region taper the amount over the gradual exit, so it continues in full;
   * the plan says so explicitly rather than leaving it implicit.
   */
  taper: 'none';
}

export function gradualExitPlan(decidedAt: string, months: number, benefit: Benefit): GradualExitPlan {
  return {
    tier: benefit.tier,
    months,
    firstMonth: addMonthsToMonth(chinaMonth(new Date(decidedAt)), 1),
    monthlyAmount: benefit.monthlyAmount ?? 0,
    taper: 'none',
  };
}

export interface GradualExitMonth {
  /** 1-based month of the gradual exit. */
  index: number;
  month: string;
  amount: number;
  last: boolean;
  /** When the month begins (its execution is due then) and when it ends (the next month begins). */
  startsAt: string;
  endsAt: string;
}

export function gradualExitMonth(plan: GradualExitPlan, index: number): GradualExitMonth {
  if (!Number.isInteger(index) || index < 1 || index > plan.months)
    throw new RangeError(`gradual exit month ${index} outside 1..${plan.months}`);
  const month = addMonthsToMonth(plan.firstMonth, index - 1);
  return {
    index,
    month,
    amount: plan.monthlyAmount,
    last: index === plan.months,
    startsAt: monthStartsAt(month),
    endsAt: monthStartsAt(addMonthsToMonth(month, 1)),
  };
}

// ── 临时救助 ─────────────────────────────────────────────────────────────────────────────────────

/**
 * 先行救助 is decided within a working day: 《社会救助法》第五十条 reserves it for a case that needs
 * action at once. No parameter names the limit; a day more and it would no longer be 先行.
 */
export const EMERGENCY_GRANT_WORKING_DAYS = 1;

/** The instant a household's limit period (`months` back from `now`, China dates) begins. */
export const emergencyPeriodStart = (now: Date, months: number): string =>
  startOfChinaDay(addMonths(chinaDate(now), -months));

/**
 * The most a caseworker may grant first: the least of what was asked, the place's small-amount limit
 * and what is left of the household's limit over its period, to the fen, never below zero.
 */
export function emergencyMaxGrant(input: {
  requestedAmount: number;
  smallAmountLimit: number;
  householdLimit: number;
  grantedInPeriod: number;
}): { maxAmount: number; remaining: number } {
  const remaining = Math.max(0, fen(input.householdLimit) - fen(input.grantedInPeriod));
  const max = Math.min(fen(input.requestedAmount), fen(input.smallAmountLimit), remaining);
  return { maxAmount: max / 100, remaining: remaining / 100 };
}

/**
 * What is left to assess once the aid paid first is confirmed: the part of the request beyond it
 * (`outstanding`; nothing left, the request ends with the paperwork), and the most the county may
 * still grant — what is left of the household's limit over its period, every grant naming any member
 * counted, the aid paid first included. The small-amount limit binds 先行救助 only (《社会救助法》
 * 第五十条), not an amount assessed by the ordinary procedure. To the fen, never below zero.
 */
export function emergencyAssessmentMax(input: {
  requestedAmount: number;
  paidFirst: number;
  householdLimit: number;
  /** Every grant in the period, the aid paid first on this request included. */
  grantedInPeriod: number;
}): { outstanding: number; maxAmount: number } {
  const outstanding = Math.max(0, fen(input.requestedAmount) - fen(input.paidFirst));
  const remaining = Math.max(0, fen(input.householdLimit) - fen(input.grantedInPeriod));
  return { outstanding: outstanding / 100, maxAmount: remaining / 100 };
}

// ── notices ──────────────────────────────────────────────────────────────────────────────────────

export type LifecycleNoticeKind =
  | 'recheckContinue'
  | 'recheckAdjust'
  | 'gradualExit'
  | 'termination'
  | 'exit'
  | 'monitoringAlert'
  | 'monitoringEnded'
  | 'emergencyGrant'
  | 'emergencyDeclined'
  | 'emergencyCompleted'
  | 'emergencyRejected'
  | 'emergencyConverted'
  | 'emergencyAssessed'
  | 'emergencyAssessmentRefused'
  | 'hearing'
  | 'lapse'
  | 'recovery';

export type LifecycleNotice = Notice<LifecycleNoticeKind>;

/** Terminations are refusals of continued assistance: served within the refusal limit; the rest within the approval limit. */
export const noticeLimit = (
  kind: LifecycleNoticeKind,
): 'refusalNoticeWorkingDays' | 'approvalNoticeWorkingDays' =>
  kind === 'termination' ||
  kind === 'emergencyRejected' ||
  kind === 'emergencyDeclined' ||
  kind === 'emergencyAssessmentRefused'
    ? 'refusalNoticeWorkingDays'
    : 'approvalNoticeWorkingDays';

export interface RecheckNoticeInput {
  noticeId: string;
  outcome: RecheckOutcome | MonitoringOutcome | 'lapse';
  decidedAt: string;
  serveBy: { deadline: string; provisional: boolean };
  current: Benefit | null;
  proposed: Benefit | null;
  reasons: string[];
  /** The caseworker did not confirm the proposed change: the benefit continues as it was. */
  notConfirmed?: { reasons: string[] } | undefined;
  nextRecheckDue?: string | undefined;
  gradualExit?: { months: number; firstMonth: string; lastMonth: string } | undefined;
}

const serveFields = (s: { deadline: string; provisional: boolean }) =>
  s.provisional ? { serveBy: s.deadline, serveByProvisional: true } : { serveBy: s.deadline };

const benefitText = (b: Benefit) =>
  `${tierLabel(b.tier)}${b.monthlyAmount === null ? '' : `，每月${yuanText(b.monthlyAmount)}`}`;

/** The written notice of a recheck's or a monitoring follow-up's outcome. */
export function recheckNotice(input: RecheckNoticeInput): LifecycleNotice {
  const { outcome, current, proposed } = input;
  const next = input.nextRecheckDue ? `下次核查时间为${input.nextRecheckDue}前后。` : '';
  const common = { noticeId: input.noticeId, decidedAt: input.decidedAt, ...serveFields(input.serveBy) };
  switch (outcome) {
    case 'continue':
      return {
        ...common,
        kind: 'recheckContinue',
        title: '定期核查结果告知书：继续享受救助',
        body: `经定期核查，您家继续享受${benefitText(current!)}。${next}`,
        reasons: input.notConfirmed
          ? ['经办人核实后未确认核查发现的变化，维持原救助', ...input.notConfirmed.reasons]
          : ['家庭经济状况与上次认定相比没有变化'],
      };
    case 'adjust': {
      const notice: LifecycleNotice = {
        ...common,
        kind: 'recheckAdjust',
        title: '定期核查结果告知书：调整救助',
        body: `经定期核查并经经办人确认，自下月起您家享受${benefitText(proposed!)}。${next}`,
        reasons: input.reasons,
      };
      // 调减 is adverse (第四十八条、第七十六条); a raise is not.
      const reduced = (proposed!.monthlyAmount ?? 0) < (current!.monthlyAmount ?? 0);
      return reduced ? withRemedy(notice) : notice;
    }
    case 'gradualExit': {
      const g = input.gradualExit!;
      return withRemedy({
        ...common,
        kind: 'gradualExit',
        title: '定期核查结果告知书：渐退',
        body: `经定期核查并经经办人确认，您家因就业增收不再符合${tierLabel(current!.tier)}条件。给予${g.months}个月渐退期（${g.firstMonth}至${g.lastMonth}），渐退期内继续按每月${yuanText(current!.monthlyAmount ?? 0)}发放，期满后停发，并纳入低收入人口动态监测。`,
        reasons: input.reasons,
      });
    }
    case 'terminate':
      return withRemedy({
        ...common,
        kind: 'termination',
        title: '定期核查结果告知书：停止救助',
        body: `经定期核查并经经办人确认，您家不再符合${tierLabel(current!.tier)}条件，自下月起停止发放，并纳入低收入人口动态监测。`,
        reasons: input.reasons,
      });
    case 'monitoringAlert':
      return {
        ...common,
        kind: 'monitoringAlert',
        title: '动态监测提示：可申请社会救助',
        body: `动态监测发现您家可能符合${proposed ? tierLabel(proposed.tier) : '社会救助'}条件，请向乡镇（街道）提出申请。${next}`,
        reasons: input.reasons,
      };
    case 'monitoringEnded':
      return {
        ...common,
        kind: 'monitoringEnded',
        title: '动态监测结束告知',
        body: '监测期满，您家经济状况稳定，结束低收入人口动态监测。今后如遇困难，可随时申请社会救助。',
        reasons: input.reasons,
      };
    case 'lapse':
      return {
        ...common,
        kind: 'lapse',
        title: '刚性支出困难家庭认定有效期届满告知',
        body: `您家刚性支出困难家庭认定的有效期已满，认定自然失效，不再作定期核查。如仍需认定，请重新提出申请；此前已提交且没有变化的材料不需要重复提交（${LAPSE_CLAUSE}）。`,
        reasons: input.reasons,
      };
  }
}

// ── 听取意见 (社会救助法第四十八条) ───────────────────────────────────────────────────────────────────

/**
 * 调减、终止 need the recipient heard first: a termination, a gradual exit (it ends the assistance)
 * and an adjustment that pays less. A raise, or a change of tier that pays as much, does not.
 */
export function isAdverse(outcome: string, current: Benefit | null, proposed: Benefit | null): boolean {
  if (outcome === 'terminate' || outcome === 'gradualExit') return true;
  if (outcome !== 'adjust' || !current) return false;
  return fen(proposed?.monthlyAmount ?? 0) < fen(current.monthlyAmount ?? 0);
}

/** The recipient's answer: 无异议, 有异议 (with a statement), or none in time (逾期未陈述). */
export type HearingOpinion = 'agree' | 'object' | 'none';

export interface HearingAnswer {
  opinion: HearingOpinion;
  statement: string;
  /** `online` by the household itself; `visit` recorded by a caseworker after hearing them in person. */
  channel: 'online' | 'visit' | null;
  answeredAt: string;
}

const PROPOSAL_TEXT: Record<string, (current: Benefit, proposed: Benefit | null) => string> = {
  adjust: (c, p) => `将${benefitText(c)}调减为${p ? benefitText(p) : '不发放'}`,
  gradualExit: (c) => `停止${tierLabel(c.tier)}（给予渐退期）`,
  terminate: (c) => `停止${tierLabel(c.tier)}`,
};

/** What a hearing puts to the household, in a phrase: 将…调减为…, 停止…. */
export const proposalText = (outcome: string, current: Benefit, proposed: Benefit | null): string =>
  (PROPOSAL_TEXT[outcome] ?? PROPOSAL_TEXT.terminate!)(current, proposed);

/** 拟调减/终止的告知：the reasons, the time to answer and how; sent before any decision. */
export function hearingNotice(input: {
  noticeId: string;
  decidedAt: string;
  serveBy: { deadline: string; provisional: boolean };
  outcome: string;
  current: Benefit;
  proposed: Benefit | null;
  reasons: string[];
  answerBy: string;
}): LifecycleNotice {
  const proposal = proposalText(input.outcome, input.current, input.proposed);
  return {
    noticeId: input.noticeId,
    kind: 'hearing',
    title: '拟调减或停止社会救助听取意见告知书',
    body: `经定期核查，拟${proposal}，理由见下。作出决定前听取您的意见：请于${input.answerBy}前通过申请状态页面，或向乡镇（街道）经办机构当面陈述意见；逾期未陈述的，记录为未陈述意见，依程序作出决定（《中华人民共和国社会救助法》第四十八条）。`,
    reasons: input.reasons,
    decidedAt: input.decidedAt,
    ...serveFields(input.serveBy),
  };
}

/** How the hearing went, as the decision's notice states it. */
export function hearingReason(answer: HearingAnswer, answerBy: string): string {
  const how = answer.channel === 'visit' ? '（经办人入户听取并记录）' : '';
  switch (answer.opinion) {
    case 'agree':
      return `已告知拟作决定的理由并听取意见：本人表示无异议${how}`;
    case 'object':
      return `已告知拟作决定的理由并听取意见：本人提出异议${how}——“${answer.statement}”，经办人已复核`;
    case 'none':
      return `已告知拟作决定的理由，本人在${answerBy}前未陈述意见`;
  }
}

/** The notice that the gradual exit has ended and the case is closed. */
export function exitNotice(input: {
  noticeId: string;
  decidedAt: string;
  serveBy: { deadline: string; provisional: boolean };
  plan: GradualExitPlan;
  monitoringUntil: string;
}): LifecycleNotice {
  const last = addMonthsToMonth(input.plan.firstMonth, input.plan.months - 1);
  return {
    noticeId: input.noticeId,
    kind: 'exit',
    title: '渐退期满告知书',
    body: `您家${input.plan.months}个月渐退期（${input.plan.firstMonth}至${last}）已满，${tierLabel(input.plan.tier)}自即日起停发，案件办结。您家将继续纳入低收入人口动态监测（至${input.monitoringUntil}前后复查），如再遇困难，可随时申请。`,
    reasons: [`渐退期${input.plan.months}个月届满`],
    decidedAt: input.decidedAt,
    ...serveFields(input.serveBy),
  };
}

export type EmergencyNoticeOutcome =
  | 'granted'
  | 'declined'
  | 'completed'
  | 'rejected'
  | 'converted'
  | 'assessed'
  | 'assessmentRefused';

export function emergencyNotice(input: {
  noticeId: string;
  outcome: EmergencyNoticeOutcome;
  decidedAt: string;
  serveBy: { deadline: string; provisional: boolean };
  amount: number;
  requestedAmount: number;
  paperworkDue?: string | undefined;
  reasons?: string[] | undefined;
  convertedTo?: { tier: string; applicationId: string } | undefined;
  /** The assessment of the rest: the amount granted beyond the aid paid first (`assessed`). */
  assessedAmount?: number | undefined;
  /** A 支出型 request, decided by the ordinary procedure with nothing paid first. */
  expenditure?: boolean | undefined;
}): LifecycleNotice {
  const common = { noticeId: input.noticeId, decidedAt: input.decidedAt, ...serveFields(input.serveBy) };
  switch (input.outcome) {
    case 'granted': {
      const rest =
        fen(input.requestedAmount) > fen(input.amount)
          ? `申请金额超出先行救助上限的部分（${yuanText(input.requestedAmount - input.amount)}），待补齐手续后按临时救助程序审核。`
          : '';
      return {
        ...common,
        kind: 'emergencyGrant',
        title: '临时救助（小金额先行救助）告知书',
        body: `您遭遇急难，先行给予临时救助${yuanText(input.amount)}。请于${input.paperworkDue ?? '规定期限'}前配合经办人补齐申请手续。${rest}`,
        reasons: [
          '情况紧急、救助金额较小、需立即采取救助措施，先行救助（《社会救助法》第五十条）',
          ...(input.reasons ?? []),
        ],
      };
    }
    case 'declined':
      return withRemedy({
        ...common,
        kind: 'emergencyDeclined',
        title: '不予先行救助告知书',
        body: `经办人审核，您申请的临时救助（申请金额${yuanText(input.requestedAmount)}）不予先行救助。`,
        reasons: input.reasons ?? [],
      });
    case 'completed':
      return {
        ...common,
        kind: 'emergencyCompleted',
        title: '临时救助手续办结告知书',
        body: `您的临时救助已补齐手续，先行发放的${yuanText(input.amount)}予以确认，本次临时救助办结。`,
        reasons: input.reasons ?? [],
      };
    case 'rejected':
      return withRemedy({
        ...common,
        kind: 'emergencyRejected',
        title: '临时救助补办手续审核结果告知书',
        body: `经补办手续审核，您的情况不符合临时救助条件；已先行发放的${yuanText(input.amount)}按规定处理。`,
        reasons: input.reasons ?? [],
      });
    case 'assessed': {
      const assessed = input.assessedAmount ?? 0;
      if (input.expenditure)
        return {
          ...common,
          kind: 'emergencyAssessed',
          title: '临时救助审批决定告知书',
          body: `您因突发的必需支出申请的临时救助（申请金额${yuanText(input.requestedAmount)}），经乡镇（街道）审核、县级民政部门审批，给予临时救助${yuanText(assessed)}，本次临时救助办结。`,
          reasons: input.reasons ?? [],
        };
      const total = (fen(input.amount) + fen(assessed)) / 100;
      return {
        ...common,
        kind: 'emergencyAssessed',
        title: '临时救助审核决定告知书',
        body: `您的临时救助（申请金额${yuanText(input.requestedAmount)}）已补齐手续，先行发放的${yuanText(input.amount)}予以确认。经审核，对超出先行救助的部分再给予临时救助${yuanText(assessed)}，本次共给予临时救助${yuanText(total)}，本次临时救助办结。`,
        reasons: input.reasons ?? [],
      };
    }
    case 'assessmentRefused':
      if (input.expenditure)
        return withRemedy({
          ...common,
          kind: 'emergencyAssessmentRefused',
          title: '临时救助不予救助告知书',
          body: `您因突发的必需支出申请的临时救助（申请金额${yuanText(input.requestedAmount)}），经乡镇（街道）审核、县级民政部门审批，不予救助。`,
          reasons: input.reasons ?? [],
        });
      return withRemedy({
        ...common,
        kind: 'emergencyAssessmentRefused',
        title: '临时救助审核决定告知书（超出先行救助部分不予救助）',
        body: `您的临时救助（申请金额${yuanText(input.requestedAmount)}）已补齐手续，先行发放的${yuanText(input.amount)}予以确认。经审核，申请金额超出先行救助的部分（${yuanText(Math.max(0, fen(input.requestedAmount) - fen(input.amount)) / 100)}）不予救助，本次共给予临时救助${yuanText(input.amount)}，本次临时救助办结。`,
        reasons: input.reasons ?? [],
      });
    case 'converted': {
      const c = input.convertedTo!;
      return {
        ...common,
        kind: 'emergencyConverted',
        title: '临时救助转为社会救助申请告知书',
        body: `您的临时救助已补齐手续，先行发放的${yuanText(input.amount)}予以确认。经办人认为您家可能符合${tierLabel(c.tier)}条件，已按您的申报转为${tierLabel(c.tier)}申请（申请编号 ${c.applicationId}），将依程序审核确认。`,
        reasons: input.reasons ?? [],
      };
    }
  }
}
