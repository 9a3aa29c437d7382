/**
 * A caseworker's decision recorded on its task but never sent to its workflow — the runtime killed,
 * or the Lambda failed, between `cases.decideTask` and `SendTaskSuccess` — is still delivered: the
 * same caseworker sending it again gets it delivered (200, not 409), and the redelivery job
 * delivers whatever is left, without waiting for the task's due date. The state such a crash
 * leaves is made here with the real first write (`cases.decideTask`) and nothing after it.
 * Sending the same decision again once it was delivered is answered as the first time (a retry);
 * any other decision on a decided task is still a conflict.
 */
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { REDELIVERY_GRACE_MS, redeliver } from '../../functions/steps/redeliver.ts';
import { clock } from '../../local/clock.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

const approval = { decision: 'approve' as const, reasons: ['入户核实属实'] };

/** An application waiting for the township, decided by 王五 as `POST /tasks/{id}/decision` records it, and no more. */
async function decidedButUndelivered() {
  const { applicationId, caseId } = await flow.submit(application());
  const task = await flow.task(applicationId, 'townshipReview');
  const { subject, name, role } = actors.township;
  const decided = await cases.decideTask(task.taskId, {
    ...approval,
    decidedBy: name,
    decidedByActor: { subject, name, role },
    decidedAt: new Date().toISOString(),
  });
  expect(decided?.status).toBe('decided');
  expect(await cases.isDecisionUndelivered(task.taskId)).toBe(true);
  return { applicationId, caseId, taskId: task.taskId as string };
}

const inNotice = (applicationId: string) =>
  flow.applicationWhen(applicationId, (a) => a.status === 'publicNotice');

describe('a decision recorded but not delivered', () => {
  it('is delivered when the same caseworker sends the same decision again; any other is a conflict', async () => {
    const { applicationId, taskId } = await decidedButUndelivered();
    // Not the same decision, or not the same person: the task is decided, as before.
    expect((await flow.decide(taskId, { decision: 'reject', reasons: ['重复'] })).status).toBe(409);
    const other = await runtime.api(
      `/tasks/${taskId}/decision`,
      { method: 'POST', body: JSON.stringify(approval) },
      { ...actors.township, subject: 'test-township-2', name: '另一位经办人' },
    );
    expect(other.status).toBe(409);
    expect((await flow.application(applicationId)).status).not.toBe('publicNotice');

    const again = await flow.decide(taskId, approval);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.decision).toMatchObject({ ...approval, decidedByActor: { subject: 'test-township' } });
    await inNotice(applicationId);
    const task = await cases.getTask(taskId);
    expect(task?.deliveredAt).toEqual(expect.any(String));
    expect(await cases.isDecisionUndelivered(taskId)).toBe(false);
    // Delivered now: the same decision once more is answered as before and sends nothing; another
    // decision is still a conflict.
    const third = await flow.decide(taskId, approval);
    expect([third.status, third.body.deliveredAt]).toEqual([200, task?.deliveredAt]);
    expect((await flow.decide(taskId, { decision: 'reject', reasons: ['重复'] })).status).toBe(409);
  });

  it('is delivered by the redelivery job once it is older than the grace period, once', async () => {
    const { applicationId, taskId } = await decidedButUndelivered();
    // Younger than the grace period: left to the request that is still sending it.
    expect((await redeliver()).delivered).toBe(0);
    expect(await cases.isDecisionUndelivered(taskId)).toBe(true);

    clock.advance(REDELIVERY_GRACE_MS + 1000);
    const first = await redeliver();
    expect(first.delivered).toBeGreaterThanOrEqual(1);
    await inNotice(applicationId);
    expect((await cases.getTask(taskId))?.deliveredAt).toEqual(expect.any(String));
    expect((await cases.listUndeliveredDecisions(new Date().toISOString())).includes(taskId)).toBe(false);
    // Nothing is left to deliver, and nothing is delivered twice.
    expect(await redeliver()).toMatchObject({ delivered: 0, closed: 0 });
  });

  it('leaves the index when its workflow has ended, recording why', async () => {
    const { taskId } = await decidedButUndelivered();
    const { executionArn } = (await cases.getTask(taskId))!;
    await new SFNClient({}).send(new StopExecutionCommand({ executionArn }));
    clock.advance(REDELIVERY_GRACE_MS + 1000);
    await redeliver();
    const task = await cases.getTask(taskId);
    expect(task).toMatchObject({ status: 'decided', undeliverable: 'ABORTED' });
    expect(task?.deliveredAt).toBeUndefined();
    expect(await cases.isDecisionUndelivered(taskId)).toBe(false);
  });
});
