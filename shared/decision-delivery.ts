/**
 * Delivering a caseworker's recorded decision to the workflow that waits for it.
 *
 * A decision is recorded on its task first (`cases.decideTask`, which also puts the task in the
 * undelivered index) and sent to the workflow second (`SendTaskSuccess`). A crash, or a Lambda that
 * fails, between the two must not leave the workflow waiting until the task's due date: the task
 * stays in the index until the decision is known to have arrived, and whoever gets there first
 * delivers it — the request that recorded it, the same caseworker sending it again, the step that
 * reopens the task after an escalation, or the redelivery job (`functions/steps/redeliver.ts`).
 */
import {
  DescribeExecutionCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { auditTaskDecided, canonical } from './audit.ts';
import { sfn } from './clients.ts';
import { discoveryFromWarning } from './discoveries.ts';
import type { Task, TaskDecision } from './domain/tasks.ts';
import * as cases from './repositories/cases.ts';
import { completeVerification, isVerificationTask } from './repositories/monitoring.ts';

/**
 * - `delivered`: the workflow has the decision.
 * - `waiting`: the token lapsed at the due date but the workflow runs on; it escalates and waits on
 *   the same task again, and the step that reopens it delivers the decision with the new token.
 * - `closed`: the workflow ended before the decision reached it; nothing can take it any more.
 */
export type Delivery = 'delivered' | 'waiting' | 'closed';

/** The token is no longer one the workflow waits on (answered, timed out, or never valid). */
export const isLapsedToken = (error: unknown): boolean =>
  error instanceof TaskDoesNotExist || error instanceof InvalidToken || error instanceof TaskTimedOut;

/**
 * Sends the task's recorded decision with its current token, and takes the task out of the
 * undelivered index once the workflow has it (or has ended). Safe to call from several places at
 * once: a second sender finds the token answered and the task marked.
 */
export async function deliverDecision(
  task: Pick<cases.TaskRecord, 'taskId' | 'taskToken' | 'executionArn'> & { decision?: unknown },
): Promise<Delivery> {
  if (!task.decision) throw new Error(`task ${task.taskId} has no decision to deliver`);
  try {
    await sfn().send(
      new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify(task.decision) }),
    );
    await cases.markDecisionDelivered(task.taskId, { deliveredAt: new Date().toISOString() });
    return 'delivered';
  } catch (error) {
    if (!isLapsedToken(error)) throw error;
  }
  // Someone else delivered it meanwhile (their token answered ours), or the token lapsed.
  const now = await cases.getTask(task.taskId);
  if (now?.deliveredAt) return 'delivered';
  const execution = await sfn().send(new DescribeExecutionCommand({ executionArn: task.executionArn }));
  if (execution.status === 'RUNNING') return 'waiting';
  await cases.markDecisionDelivered(task.taskId, { undeliverable: execution.status ?? 'UNKNOWN' });
  return 'closed';
}

/**
 * The step that (re)opens a task found it decided: the decision goes to the workflow with the
 * step's own token. That token can only have been answered already by another deliverer (the
 * redelivery job, a caseworker's retry), so a lapsed-token answer means delivered too.
 */
export async function deliverOnOpen(taskId: string, taskToken: string, decision: unknown): Promise<void> {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
  } catch (error) {
    if (!isLapsedToken(error)) throw error;
  }
  await cases.markDecisionDelivered(taskId, { deliveredAt: new Date().toISOString() });
}

/**
 * The same person sending the same decision again (a retry after a lost answer): the fields the
 * caseworker chose are equal and it was they who decided. When and under what name do not count.
 */
export function sameDecision(
  recorded: { decision: string; reasons: string[]; decidedByActor?: { subject: string } | undefined },
  again: { decision: string; reasons: string[] },
  subject: string,
): boolean {
  const chosen = ({
    decidedAt: _at,
    decidedBy: _by,
    decidedByActor: _actor,
    standAside: _aside,
    ...rest
  }: Record<string, unknown>) => canonical(rest); // two decisions read back from the table compare
  return (
    recorded.decidedByActor?.subject === subject &&
    chosen(recorded as unknown as Record<string, unknown>) ===
      chosen(again as unknown as Record<string, unknown>)
  );
}

/**
 * What became of a decision sent on a task — the handler only maps it to a status:
 * - `recorded`: taken now and handed to the workflow, or waiting for the escalated task to reopen
 *   (then the step that reopens it delivers it); a monitoring home check, recorded on its warning.
 * - `same`: the same person's same decision again, already with its workflow: answered as the first.
 * - `conflict`: the task holds another decision, or another person's.
 * - `closed`: on record, but the workflow ended before it could take it.
 */
export type DecisionOutcome =
  | { outcome: 'recorded' | 'same' | 'closed'; task: Task }
  | { outcome: 'conflict' };

/**
 * Records a caseworker's decision on an open task, appends it to the case's audit log and delivers
 * it. A retry of the same decision (the first answer was lost, or the runtime stopped before the
 * workflow heard of it) delivers what is recorded if it has not arrived yet.
 */
export async function decideAndDeliver(
  taskId: string,
  decision: TaskDecision,
  by: cases.Actor,
): Promise<DecisionOutcome> {
  let task = await cases.decideTask(taskId, decision);
  if (!task) {
    const recorded = await cases.getTask(taskId);
    if (!recorded?.decision || !sameDecision(recorded.decision, decision, by.subject))
      return { outcome: 'conflict' };
    if (!(await cases.isDecisionUndelivered(taskId)))
      return { outcome: recorded.undeliverable ? 'closed' : 'same', task: recorded };
    task = recorded;
  }
  const recorded = task.decision!;
  await auditTaskDecided(task, recorded, recorded.decidedByActor ?? by);
  // A monitoring home check: no workflow waits on it; its warning records the decision.
  if (isVerificationTask(task)) {
    const verified = await completeVerification(task);
    // 疑似漏保 found real: the household is to be helped to apply (主动发现, 第三十九条第二款).
    if (task.warning.riskType === 'omission' && recorded.decision === 'approve')
      await discoveryFromWarning({
        warningId: task.warning.warningId,
        regionCode: task.township,
        message: task.warning.message,
      });
    return { outcome: 'recorded', task: verified };
  }
  return { outcome: (await deliverDecision(task)) === 'closed' ? 'closed' : 'recorded', task };
}
