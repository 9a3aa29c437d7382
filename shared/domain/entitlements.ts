/**
 * 按月足额 — what a case is owed, month by month. Pure: the payroll (`shared/payroll.ts`) reads the
 * case's benefit periods and payments and asks this module which months to pay.
 *
 * A decision on the benefit governs from a month on, as a **benefit period** on the case (`BENEFIT#`
 * items, `shared/repositories/lifecycle.ts`):
 * - a determination, from the month after it (民发〔2021〕57号第二十一条: 从作出确认同意决定之日下月起发放;
 *   民发〔2021〕43号第十七条: 从确认之日下月起给予救助供养待遇), or from its own month where the province
 *   pays so (`paymentStart`);
 * - a recheck's adjustment (增发、减发, 57号第三十一条) and a termination (停发; 43号第二十六条: 从下月起终止),
 *   from the month after the decision: the decision's month is paid as it stood;
 * - a gradual exit, from its first month: those months are paid by the gradual-exit workflow, not by
 *   the roll;
 * - a decision revoked on appeal restores the benefit from the month the revoked decision took
 *   effect, so the months it withheld are owed again (back pay).
 * The period in force in a month is the latest to take effect by then, a later decision winning a tie.
 */
import { addMonthsToMonth, chinaMonth, PAYING_TIERS } from './lifecycle.ts';
import { yuanText } from './money.ts';

export type BenefitCause =
  | 'determination'
  | 'adjustment'
  | 'gradualExit'
  | 'termination'
  | 'lapse'
  | 'restored';

export interface BenefitPeriod {
  caseId: string;
  /** The first month (`YYYY-MM`, China time) the decision governs. */
  from: string;
  cause: BenefitCause;
  /**
   * `active`: in assistance, paid by the monthly roll; `gradualExit`: paid by the gradual-exit
   * workflow; `ended`: nothing is owed.
   */
  status: 'active' | 'gradualExit' | 'ended';
  tier: string | null;
  monthlyAmount: number | null;
  decidedAt: string;
  /** What decided it: the application, the recheck's execution, the appeal. */
  ref: string;
  /**
   * Where and under which parameter versions the amount was computed: a standard raised later
   * changes the amount from the month it takes effect (`shared/payroll.ts` recomputes it).
   */
  regionCode?: string;
  residence?: 'urban' | 'rural';
  parameterVersion?: string;
}

/** 发放起始月 (`paymentStart`): the month after the decision (the national rule) or the decision's own month. */
export type PaymentStart = 'nextMonth' | 'decisionMonth';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first month a decision of `cause` taken at `decidedAt` governs. */
export function firstMonth(
  cause: BenefitCause,
  decidedAt: string,
  start: PaymentStart = 'nextMonth',
): string {
  const month = chinaMonth(new Date(decidedAt));
  return cause === 'determination' && start === 'decisionMonth' ? month : addMonthsToMonth(month, 1);
}

/** The period in force in `month`: the latest to take effect by then, the later decision on a tie. */
export function periodIn(periods: readonly BenefitPeriod[], month: string): BenefitPeriod | undefined {
  let best: BenefitPeriod | undefined;
  for (const p of periods) {
    if (p.from > month) continue;
    if (!best || p.from > best.from || (p.from === best.from && p.decidedAt > best.decidedAt)) best = p;
  }
  return best;
}

/** The roll pays the period's month: in assistance, in a monthly-paid tier, with an amount. */
export const paidByRoll = (p: BenefitPeriod | undefined): p is BenefitPeriod =>
  p?.status === 'active' && p.tier !== null && PAYING_TIERS.has(p.tier) && (p.monthlyAmount ?? 0) > 0;

export interface MonthOwed {
  month: string;
  period: BenefitPeriod;
  /** 补发: a month before the roll's own. */
  backPay: boolean;
}

/**
 * The months from `since` through `upTo` the roll owes: each month whose period in force the roll
 * pays and that no payment covers (a failed bank line leaves its month unpaid: it is owed again).
 */
export function monthsOwed(
  periods: readonly BenefitPeriod[],
  window: { since: string; upTo: string; paid: ReadonlySet<string> },
): MonthOwed[] {
  if (!MONTH.test(window.since) || !MONTH.test(window.upTo))
    throw new RangeError(`bad month window ${window.since}..${window.upTo}`);
  const owed: MonthOwed[] = [];
  const earliest = periods.reduce<string | undefined>(
    (m, p) => (m === undefined || p.from < m ? p.from : m),
    undefined,
  );
  if (earliest === undefined) return owed;
  // The later of the two months (`YYYY-MM` sorts as text).
  const first = [earliest, window.since].sort()[1]!;
  for (let m = first; m <= window.upTo; m = addMonthsToMonth(m, 1)) {
    const period = periodIn(periods, m);
    if (paidByRoll(period) && !window.paid.has(m)) owed.push({ month: m, period, backPay: m < window.upTo });
  }
  return owed;
}

/**
 * The periods of a case decided before periods were recorded, from the case item alone: its
 * determination with today's amount, then its gradual exit or end. Rougher than recorded periods (an
 * earlier adjustment is not seen), which is why every decision now records its own.
 */
export function periodsFromCase(item: {
  caseId: string;
  tier?: string;
  monthlyAmount?: number | null;
  determinedAt?: string;
  determinedApplicationId?: string;
  status?: string;
  endedAt?: unknown;
  gradualExit?: unknown;
}): BenefitPeriod[] {
  if (typeof item.tier !== 'string' || !item.determinedAt) return [];
  const base = { caseId: item.caseId, tier: item.tier, monthlyAmount: item.monthlyAmount ?? null };
  const periods: BenefitPeriod[] = [
    {
      ...base,
      cause: 'determination',
      from: firstMonth('determination', item.determinedAt),
      status: 'active',
      decidedAt: item.determinedAt,
      ref: item.determinedApplicationId ?? item.caseId,
    },
  ];
  const exit = item.gradualExit as { firstMonth?: string } | undefined;
  if ((item.status === 'gradualExit' || item.status === 'exited') && exit?.firstMonth)
    periods.push({
      ...base,
      cause: 'gradualExit',
      from: exit.firstMonth,
      status: 'gradualExit',
      decidedAt: item.determinedAt,
      ref: item.caseId,
    });
  if ((item.status === 'terminated' || item.status === 'lapsed') && typeof item.endedAt === 'string')
    periods.push({
      ...base,
      cause: item.status === 'lapsed' ? 'lapse' : 'termination',
      from: firstMonth('termination', item.endedAt),
      status: 'ended',
      decidedAt: item.endedAt,
      ref: item.caseId,
    });
  return periods;
}

/** One month of a roll line. */
export interface LineMonth {
  month: string;
  tier: string;
  /** Yuan. */
  amount: number;
  backPay: boolean;
  /** Why this amount, in Chinese. */
  basis: string;
}

/** 发放名册 — one household's line: the roll's month and any back pay, with their total. */
export interface RollLine {
  caseId: string;
  months: LineMonth[];
  /** Recovery orders deducted from this line (`shared/domain/recoveries.ts`). */
  deductions?: Array<{ recoveryId: string; amount: number }>;
  /** Yuan paid: the sum of the months, less any deductions. */
  amount: number;
  /** What the bank's return said of it (or that it never reached the bank: no account). */
  result?: { status: 'paid' | 'failed'; reason?: string };
}

const CAUSE_TEXT: Record<BenefitCause, string> = {
  determination: '确认',
  adjustment: '调整',
  gradualExit: '渐退',
  termination: '终止',
  lapse: '失效',
  restored: '复议、诉讼撤销后恢复',
};

/** The basis of a month paid at the period's own amount. */
export function periodBasis(owed: MonthOwed, tierLabel: string): string {
  const p = owed.period;
  return `${owed.backPay ? '补发' : ''}${owed.month}${tierLabel}，按${p.decidedAt.slice(0, 10)}${CAUSE_TEXT[p.cause]}的金额每月${yuanText(p.monthlyAmount ?? 0)}`;
}

/** A line's total, exact in fen. */
export const lineTotal = (months: readonly LineMonth[]): number =>
  months.reduce((fen, m) => fen + Math.round(m.amount * 100), 0) / 100;
