/**
 * 督办: a human task left past its working-day due date is escalated by the workflow's timer — the
 * task is marked escalated with the supervisor's new due date, the supervisors' queue is told, the
 * history shows the timeout and the escalation — and the workflow waits again on the same task
 * with a new token, so the caseworker's decision still completes it. A task that lapses twice is
 * escalated twice.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { SUPERVISION_WORKING_DAYS } from '../../shared/domain/determination.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

const storedToken = async (taskId: string) => {
  const { Item } = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
    new GetCommand({ TableName: runtime.rt.env.CASES_TABLE, Key: { pk: `TASK#${taskId}`, sk: 'TASK' } }),
  );
  return Item?.taskToken as string;
};

describe('an overdue task', () => {
  it('is escalated to the supervisors, stays decidable, and the decision completes the workflow', async () => {
    const { applicationId, caseId } = await flow.submit(
      application({
        members: [
          { ...application().members[0]!, idNumber: validId('430121', '19660606', 51) },
          { ...application().members[1]!, idNumber: validId('430121', '20140404', 52) },
        ],
      }),
    );
    const task = await flow.task(applicationId, 'townshipReview');
    const firstToken = await storedToken(task.taskId);
    const overdueSince = task.dueDate;

    // ---- the due date passes with no decision
    flow.passEndOf(overdueSince);
    const escalated = await eventually(async () => {
      const { body } = await api('/tasks?township=430121');
      return body.tasks.find(
        (t: { taskId: string; status: string }) => t.taskId === task.taskId && t.status === 'escalated',
      );
    });
    const newDue = calendar.provisionalDeadline(today(), SUPERVISION_WORKING_DAYS).deadline;
    expect(escalated).toMatchObject({ kind: 'townshipReview', round: 1, dueDate: newDue });
    expect(escalated.escalations).toEqual([
      { escalatedAt: expect.any(String), overdueSince, newDueDate: newDue },
    ]);
    // The same task, waiting on a new token.
    const secondToken = await eventually(async () => {
      const token = await storedToken(task.taskId);
      return token !== firstToken ? token : undefined;
    });
    expect(secondToken).toEqual(expect.any(String));

    const message = await flow.notification((m) => m.taskId === task.taskId && m.type === 'taskEscalated');
    expect(message).toMatchObject({
      type: 'taskEscalated',
      taskId: task.taskId,
      kind: 'townshipReview',
      township: '430121',
      caseId,
      overdueSince,
      newDueDate: newDue,
      escalation: 1,
    });

    const running = await flow.history(
      caseId,
      (e) => e.states.filter((s: string) => s === 'TownshipReview').length === 2,
    );
    expect(running.status).toBe('RUNNING');
    expect(running.states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'EscalateTownshipReview',
      'TownshipReview',
    ]);
    expect(running.events.map((e: { type: string }) => e.type)).toContain('TaskTimedOut');

    // ---- the supervisor's due date passes too: escalated again
    flow.passEndOf(newDue);
    const twice = await eventually(async () => {
      const { body } = await api('/tasks?township=430121');
      const t = body.tasks.find((x: { taskId: string }) => x.taskId === task.taskId);
      return t?.escalations?.length === 2 ? t : undefined;
    });
    expect(twice.escalations[1]).toMatchObject({ overdueSince: newDue, newDueDate: twice.dueDate });
    const again = await flow.notification(
      (m) => m.taskId === task.taskId && m.type === 'taskEscalated' && m.escalation === 2,
    );
    expect(again).toMatchObject({ overdueSince: newDue, escalation: 2 });

    // ---- the caseworker decides the escalated task: the workflow carries on
    const thirdToken = await eventually(async () => {
      const token = await storedToken(task.taskId);
      return token !== secondToken ? token : undefined;
    });
    expect(thirdToken).not.toBe(firstToken);
    const decided = await flow.decide(task.taskId, { decision: 'approve', reasons: ['督办后完成入户调查'] });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'decided', escalations: expect.any(Array) });
    expect((await flow.decide(task.taskId, { decision: 'approve' })).status).toBe(409);

    await flow.passPublicNotice(applicationId);
    const county = await flow.task(applicationId, 'countyDetermination');
    expect(county.status).toBe('open');
    expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
    const app = await flow.applicationWhen(applicationId, (a) => a.determination !== null);
    expect(app.status).toBe('approved');

    const history = await flow.history(caseId);
    expect(history.states.slice(0, 10)).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'EscalateTownshipReview',
      'TownshipReview',
      'EscalateTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
    ]);
    expect(history.states.slice(-3)).toEqual(['Determine', 'AlternativeOffered', 'Closed']);
    expect(history.events.filter((e: { type: string }) => e.type === 'TaskTimedOut')).toHaveLength(2);
  });
});
