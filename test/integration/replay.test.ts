/**
 * A step replayed on a later day — a Lambda retry, or an execution resumed after a crash days
 * later — does what its first run did, not it again at today's date: the real steps run twice on
 * the in-memory runtime with the virtual clock moved on between, and leave one schedule, one notice,
 * one payment. Each step takes its dates from what its first run fixed: a recheck from its stored
 * assessment, a gradual exit's end from its plan, an emergency grant from the grant recorded before
 * its payment.
 */
import { describe, expect, it, vi } from 'vitest';
import { assess as assessEmergency, grant } from '../../functions/steps/emergency.ts';
import { end } from '../../functions/steps/gradual-exit.ts';
import { assess, type ConcludeEvent, conclude } from '../../functions/steps/recheck.ts';
import { clock } from '../../local/clock.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { newId } from '../../shared/domain/ids.ts';
import {
  addMonthsToMonth,
  chinaMonth,
  endOfChinaDay,
  gradualExitMonth,
  gradualExitPlan,
  monthStartsAt,
  startOfChinaDay,
} from '../../shared/domain/lifecycle.ts';
import { createEmergency, getEmergency, updateCase } from '../../shared/repositories/lifecycle.ts';
import { emergencyRequest } from '../../shared/schemas/cases.ts';
import { application, validId } from '../support/households.ts';
import { DAY, lifecycleHelpers } from '../support/lifecycle.ts';
import { useRuntime } from '../support/runtime.ts';

/** `crash.afterPayment`: the next payment is written, then the step dies (as a SIGKILL would). */
const crash = vi.hoisted(() => ({ afterPayment: false }));
vi.mock('../../shared/repositories/payments.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../shared/repositories/payments.ts')>();
  return {
    ...real,
    recordPayment: async (payment: Parameters<typeof real.recordPayment>[0]) => {
      const recorded = await real.recordPayment(payment);
      if (crash.afterPayment) {
        crash.afterPayment = false;
        throw new Error('the runtime died right after the payment');
      }
      return recorded;
    },
  };
});

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);
const arn = (workflow: string, name: string) =>
  `arn:aws:states:us-east-1:000000000000:execution:doudi-${workflow}:${name}`;

describe('a step replayed on a later day', () => {
  it('an unchanged recheck schedules its next recheck once, from its assessment', async () => {
    const { caseId } = await lc.seedApprovedCase();
    const executionArn = arn('recheck', `Recheck-${caseId}`);
    const assessment = await assess({ caseId, executionArn });
    expect([assessment.outcome, assessment.changed]).toEqual(['continue', false]);
    const event: ConcludeEvent = {
      outcome: 'continue',
      executionArn,
      state: { caseId, assessment: { result: assessment } },
    };
    const first = await conclude(event);
    expect(first.next?.workflow).toBe('Recheck');

    clock.advance(3 * DAY);
    // The assessment is the stored one: a replay finds it, whatever the day.
    expect(await assess({ caseId, executionArn })).toMatchObject(assessment);
    expect(await conclude(event)).toEqual(first);

    const pending = (await lc.schedules(caseId)).filter((s) => s.status === 'pending');
    expect(pending.map((s) => [s.workflow, s.dueAt])).toEqual([['Recheck', first.next!.dueAt]]);
    const item = await lc.caseItem(caseId);
    expect([item.lastRecheckAt, startOfChinaDay(item.nextRecheckDue)]).toEqual([
      assessment.assessedAt,
      first.next!.dueAt,
    ]);
    expect((await lc.notices(caseId)).map((n) => [n.kind, n.decidedAt])).toEqual([
      ['recheckContinue', assessment.assessedAt],
    ]);
  });

  it('the end of a gradual exit schedules one monitoring follow-up, from the plan', async () => {
    const seeded = await lc.seedApprovedCase();
    const { caseId } = seeded;
    const plan = gradualExitPlan(new Date().toISOString(), 3, {
      tier: seeded.tier,
      monthlyAmount: seeded.monthlyAmount,
    });
    await updateCase(caseId, { status: 'gradualExit', gradualExit: plan });
    const { endsAt } = gradualExitMonth(plan, plan.months);
    // The last month's execution waited for the month to end.
    lc.advanceTo(endsAt);
    const event = {
      caseId,
      executionArn: arn('gradual-exit', `GradualExit-${caseId}-3`),
      plan,
      regionCode: '430121',
      residence: 'urban' as const,
    };
    const first = await end(event);
    if ('revoked' in first) throw new Error('the gradual exit was not revoked');

    clock.advance(2 * DAY);
    expect(await end(event)).toEqual(first);

    const pending = (await lc.schedules(caseId)).filter((s) => s.status === 'pending');
    expect(pending.map((s) => [s.workflow, s.dueAt, s.input])).toEqual([
      ['Recheck', startOfChinaDay(first.monitoringDue), { mode: 'monitoring' }],
    ]);
    const item = await lc.caseItem(caseId);
    expect(item).toMatchObject({
      status: 'exited',
      exitedAt: endsAt,
      monitoring: true,
      nextMonitoringDue: first.monitoringDue,
    });
    expect((await lc.notices(caseId)).map((n) => [n.kind, n.decidedAt])).toEqual([['exit', endsAt]]);
  });

  it('an emergency grant that died after its payment pays that month once when it runs again next month', async () => {
    const now = new Date();
    const { requestedTier: _r, ...declaration } = application();
    const request = emergencyRequest.parse({
      ...declaration,
      regionCode: '430102',
      hukouRegionCode: '410122',
      members: declaration.members.map((m, i) => ({
        ...m,
        idNumber: validId('410122', i ? '20150601' : '19800101', 41 + i),
      })),
      hardship: { kind: 'fire', description: '家中失火，财物损毁', occurredOn: chinaDate(now) },
      requestedAmount: 3000,
    });
    const emergencyId = newId('emerg', now);
    const caseId = newId('case', now);
    await createEmergency({
      emergencyId,
      caseId,
      status: 'submitted',
      regionCode: '430102',
      request,
      submittedAt: now.toISOString(),
    });
    const dueDate = chinaDate(new Date(now.getTime() + 10 * DAY));
    await assessEmergency({ emergencyId });
    const event = {
      emergencyId,
      executionArn: arn('emergency', emergencyId),
      decision: {
        decision: 'approve' as const,
        reasons: ['情况紧急'],
        decidedAt: now.toISOString(),
        decidedBy: '经办人',
        amount: 800,
      },
      paperwork: {
        taskId: `task-${'0'.repeat(24)}`,
        dueDate,
        dueDateProvisional: false,
        dueAt: endOfChinaDay(dueDate),
        timeoutSeconds: 10 * 86_400,
        escalations: 0,
      },
    };
    const month = chinaMonth(now);

    crash.afterPayment = true;
    await expect(grant(event)).rejects.toThrow('the runtime died right after the payment');
    const crashed = await getEmergency(emergencyId);
    expect(crashed).toMatchObject({ status: 'submitted', grant: { month } });
    expect((await lc.payments(caseId)).map((p) => p.month)).toEqual([month]);

    // Resumed in the next month: the grant recorded before the payment names the month it paid.
    lc.advanceTo(monthStartsAt(addMonthsToMonth(month, 1)));
    const replayed = await grant(event);
    expect([replayed.month, replayed.amount]).toEqual([month, crashed!.grant!.amount]);

    expect((await lc.payments(caseId)).map((p) => [p.month, p.kind, p.amount])).toEqual([
      [month, 'emergencyGrant', 800],
    ]);
    expect(await getEmergency(emergencyId)).toMatchObject({
      status: 'granted',
      grant: crashed!.grant,
      paperwork: { taskId: event.paperwork.taskId, dueDate },
    });
    expect((await lc.notices(caseId)).map((n) => [n.kind, n.decidedAt])).toEqual([
      ['emergencyGrant', crashed!.grant!.grantedAt],
    ]);
  });
});
