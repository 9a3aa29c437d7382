/**
 * Activities of the gradual-exit workflow (渐退). One short execution per month of the gradual
 * exit, each started by the sweeper on the first of its month: it records the month's payment
 * (once per case and month) and schedules the next month; the last month waits until the month
 * is over and closes the case, which stays under 动态监测.
 */
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  addMonths,
  exitNotice,
  type GradualExitMonth,
  type GradualExitPlan,
  gradualExitMonth,
  MONITORING_FOLLOW_UP_MONTHS,
  startOfChinaDay,
} from '../../shared/domain/lifecycle.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import type { Residence } from '../../shared/parameters/index.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { recordPayment } from '../../shared/repositories/payments.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { scheduleWorkflow } from '../../shared/repositories/schedule.ts';

export interface GradualExitEvent {
  caseId: string;
  executionArn: string;
  plan: GradualExitPlan;
  /** 1-based month of the gradual exit this execution pays. */
  index: number;
  /** Where the household's parameters come from (notice time limits). */
  regionCode: string;
  residence: Residence;
}

/**
 * Whether the case is still in this gradual exit: a decision revoked on 行政复议 or 行政诉讼
 * (`functions/http/appeals.ts`) puts the case back in assistance, and what the exit scheduled before
 * then does nothing.
 */
async function stands(event: Pick<GradualExitEvent, 'caseId' | 'plan'>): Promise<boolean> {
  const item = await lifecycle.getCaseItem(event.caseId);
  const plan = item?.gradualExit as GradualExitPlan | undefined;
  // `exited` too: a replayed last step finds the case it closed itself.
  return (
    (item?.status === 'gradualExit' || item?.status === 'exited') &&
    plan?.firstMonth === event.plan.firstMonth
  );
}

/** The month's payment, at the amount the plan fixes (no taper parameter exists: the full amount). */
export async function pay(
  event: GradualExitEvent,
): Promise<GradualExitMonth & { created: boolean; revoked?: true }> {
  const month = gradualExitMonth(event.plan, event.index);
  // Nothing paid, and not the last month: the next step, finding it revoked too, ends the run.
  if (!(await stands(event))) return { ...month, last: false, created: false, revoked: true };
  const { created } = await recordPayment({
    caseId: event.caseId,
    month: month.month,
    kind: 'gradualExit',
    amount: month.amount,
    tier: event.plan.tier,
    basis: `渐退期第${month.index}个月（共${event.plan.months}个月），按原标准发放（当地未设渐退递减参数）`,
    executionArn: event.executionArn,
    recordedAt: new Date().toISOString(),
  });
  return { ...month, created };
}

/** The next month of the gradual exit becomes due on the first of that month. */
export async function scheduleNext(
  event: GradualExitEvent,
): Promise<{ index: number; dueAt: string | null }> {
  if (!(await stands(event))) return { index: event.index, dueAt: null };
  const next = gradualExitMonth(event.plan, event.index + 1);
  await scheduleWorkflow({
    caseId: event.caseId,
    workflow: 'GradualExit',
    dueAt: next.startsAt,
    input: { plan: event.plan, index: next.index, regionCode: event.regionCode, residence: event.residence },
  });
  return { index: next.index, dueAt: next.startsAt };
}

/**
 * The gradual exit is over: the case is closed (`exited`) with a notice, and the household stays
 * under monitoring — flagged on the case, with a monitoring follow-up (a `Recheck` in monitoring
 * mode) scheduled a year on.
 */
export async function end(
  event: Omit<GradualExitEvent, 'index'>,
): Promise<{ noticeId: string; monitoringDue: string } | { revoked: true }> {
  if (!(await stands(event))) return { revoked: true };
  // The end the plan fixes (its last month's end, which the workflow waited for), not the time
  // this step runs: a replay on a later day schedules the same monitoring follow-up, not a second.
  const endedAt = gradualExitMonth(event.plan, event.plan.months).endsAt;
  const day = chinaDate(new Date(endedAt));
  const monitoringDue = addMonths(day, MONITORING_FOLLOW_UP_MONTHS);
  await scheduleWorkflow({
    caseId: event.caseId,
    workflow: 'Recheck',
    dueAt: startOfChinaDay(monitoringDue),
    input: { mode: 'monitoring' },
  });
  await lifecycle.updateCase(event.caseId, {
    status: 'exited',
    exitedAt: endedAt,
    monitoring: true,
    nextMonitoringDue: monitoringDue,
  });
  const { timeLimits } = await parametersFor(event.regionCode, event.residence, day);
  const due = (await calendar()).provisionalDeadline(day, timeLimits.approvalNoticeWorkingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const notice = exitNotice({
    noticeId: stableId('notice', event.executionArn, 'exit'),
    decidedAt: endedAt,
    serveBy: { deadline: due.deadline, provisional: due.provisional },
    plan: event.plan,
    monitoringUntil: monitoringDue,
  });
  await lifecycle.putNotice(event.caseId, notice, { workflow: 'GradualExit' });
  await registerCase(event.caseId, 'gradualExit', event.executionArn); // 低收入人口名单 (monitoring)
  return { noticeId: notice.noticeId, monitoringDue };
}
