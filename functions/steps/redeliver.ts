/**
 * Redelivery of recorded decisions: a caseworker's decision is recorded on its task before it is
 * sent to the workflow, and a crash or a failed call between the two leaves it recorded but
 * unsent (the task stays in the undelivered index, `shared/resources.ts`). This job delivers what
 * is left. Run by EventBridge Scheduler on AWS and by the local runtime's clock (once right after
 * start too, so that what a crash left is delivered at once); running it twice, or beside a
 * caseworker's own request, delivers nothing twice (`shared/decision-delivery.ts`).
 */
import { auditTaskDecided } from '../../shared/audit.ts';
import { deliverDecision } from '../../shared/decision-delivery.ts';
import { logger } from '../../shared/logger.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { completeVerification, isVerificationTask } from '../../shared/repositories/monitoring.ts';

/**
 * Decisions younger than this are left to the request that recorded them, which is still sending
 * them (an API request ends within 30 s); older ones were left behind.
 */
export const REDELIVERY_GRACE_MS = 60_000;

export async function redeliver(): Promise<{ delivered: number; waiting: number; closed: number }> {
  const before = new Date(Date.now() - REDELIVERY_GRACE_MS).toISOString();
  const counts = { delivered: 0, waiting: 0, closed: 0 };
  for (const taskId of await cases.listUndeliveredDecisions(before)) {
    const task = await cases.getTask(taskId);
    if (!task?.decision) continue;
    try {
      // The decision's audit entry, if the crash came before it (once per task: keyed by it).
      if (task.decision.decidedByActor)
        await auditTaskDecided(task, task.decision, task.decision.decidedByActor);
      if (isVerificationTask(task)) {
        // A monitoring home check: no workflow waits; its warning takes the decision.
        await completeVerification(task);
        counts.delivered++;
      } else counts[await deliverDecision(task)]++;
    } catch (error) {
      // One task's trouble does not hold up the others; the next run tries again.
      logger.error('redelivery of a decision failed', { taskId, error });
    }
  }
  if (counts.delivered || counts.closed) logger.info('redelivered recorded decisions', counts);
  return counts;
}
