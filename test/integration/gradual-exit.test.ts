/**
 * 渐退 on the in-memory runtime: a recheck that finds a 低保 household out of 低保 through work starts
 * the gradual exit the region grants (中牟县: 12 months); each month is one short execution started by
 * the sweeper on the first of the month and pays that month once; after the last month the case is
 * closed and the household stays under monitoring.
 */
import { describe, expect, it } from 'vitest';
import { pay } from '../../functions/steps/gradual-exit.ts';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import {
  addMonths,
  addMonthsToMonth,
  monthStartsAt,
  startOfChinaDay,
} from '../../shared/domain/lifecycle.ts';
import { household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);
const ZHONGMOU = '410122';

describe('gradual exit', () => {
  it('pays each month of the period the parameters give, once, then closes the case under monitoring', async () => {
    const seeded = await lc.seedApprovedCase(
      household([{ kind: 'transfer', monthlyAmount: 200 }], { regionCode: ZHONGMOU }),
    );
    expect(seeded.tier).toBe('dibao');
    const first = (await scheduleFirstRecheck({
      caseId: seeded.caseId,
      tier: seeded.tier,
      determinedAt: seeded.decidedAt,
      regionCode: ZHONGMOU,
      residence: 'urban',
    }))!;
    await lc.declare(
      seeded.caseId,
      household([{ kind: 'wage', monthlyAmount: 3500 }], { regionCode: ZHONGMOU }),
    );
    expect((await lc.startDue(seeded.caseId, 'Recheck')).dueAt).toBe(first.dueAt);
    const task = await lc.task(seeded.caseId, 'recheckConfirmation', ZHONGMOU);
    expect(task.recheck.outcome).toBe('gradualExit');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['就业稳定'] });
    await lc.hear(seeded.caseId, 'agree');
    await lc.closed(seeded.caseId, 'Recheck');

    const { gradualExit: plan } = await lc.caseItem(seeded.caseId);
    expect(plan).toMatchObject({ months: 12, monthlyAmount: seeded.monthlyAmount, taper: 'none' });
    const months = Array.from({ length: 12 }, (_, i) => addMonthsToMonth(plan.firstMonth, i));

    // Month by month: the sweeper starts the month's execution on the first, which pays it.
    for (const [i, month] of months.entries()) {
      expect((await lc.startDue(seeded.caseId, 'GradualExit')).dueAt).toBe(monthStartsAt(month));
      await eventually(async () => ((await lc.payments(seeded.caseId)).length === i + 1 ? true : undefined));
      if (i < 11) await lc.closed(seeded.caseId, 'GradualExit', i + 1);
    }
    // The last month's execution waits until the month is over, then closes the case.
    await lc.reached(seeded.caseId, 'GradualExit', 12, 'WaitForMonthEnd');
    expect((await lc.caseItem(seeded.caseId)).status).toBe('gradualExit');
    lc.advanceTo(monthStartsAt(addMonthsToMonth(months[11]!, 1)));
    const history = await lc.closed(seeded.caseId, 'GradualExit', 12);

    const payments = await lc.payments(seeded.caseId);
    expect(payments.map((p) => [p.month, p.kind, p.amount])).toEqual(
      months.map((m) => [m, 'gradualExit', seeded.monthlyAmount]),
    );
    expect(payments[11].basis).toBe('渐退期第12个月（共12个月），按原标准发放（当地未设渐退递减参数）');

    const item = await lc.caseItem(seeded.caseId);
    expect(item).toMatchObject({ status: 'exited', monitoring: true });
    const exitNotice = (await lc.notices(seeded.caseId)).find((n) => n.kind === 'exit');
    expect(exitNotice.body).toContain(`12个月渐退期（${months[0]}至${months[11]}）已满`);
    const monitoring = await lc.pending(seeded.caseId, 'Recheck');
    expect(monitoring.input).toEqual({ mode: 'monitoring' });
    expect(item.nextMonitoringDue).toBe(addMonths(chinaDate(new Date(item.exitedAt)), 12));
    expect(monitoring.dueAt).toBe(startOfChinaDay(item.nextMonitoringDue));

    // One short execution per month, in order, every one archived.
    const runs = history.executions.filter((e: { workflow: string }) => e.workflow === 'GradualExit');
    expect(runs).toHaveLength(12);
    expect(
      runs.every((r: { status: string; archived: boolean }) => r.status === 'SUCCEEDED' && r.archived),
    ).toBe(true);
    expect(runs[0].states).toEqual(['PayMonth', 'LastMonth', 'ScheduleNextMonth']);
    expect(runs[11].states).toEqual(['PayMonth', 'LastMonth', 'WaitForMonthEnd', 'Exit']);

    // Paying a month again (a retried step) pays nothing more.
    const again = await pay({
      caseId: seeded.caseId,
      executionArn: runs[2].executionArn,
      plan,
      index: 3,
      regionCode: ZHONGMOU,
      residence: 'urban',
    });
    expect(again).toMatchObject({ month: months[2], created: false });
    expect(await lc.payments(seeded.caseId)).toHaveLength(12);
    const { body } = await runtime.api(`/cases/${seeded.caseId}/payments`);
    expect(body.total).toBe(seeded.monthlyAmount! * 12);
    expect(body.payments).toHaveLength(12);
  });
});
