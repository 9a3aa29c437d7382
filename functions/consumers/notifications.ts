/**
 * Delivers task notifications from the caseworkers' and the supervisors' queues into the inbox of
 * the township or county they concern (`NOTIFY#<regionCode>` items, read by `GET /notifications`).
 *
 * An SQS consumer as Powertools shapes one: each record is processed on its own and only the
 * records that failed are reported back (partial batch response), so one poisoned message is
 * retried alone and, after the queue's `maxReceiveCount` receives, moved to its dead-letter queue
 * while the rest of the batch is delivered. Delivery is idempotent: a message delivered twice
 * (SQS is at least once) writes the same item.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { taskKindLabels } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';
import { eveOf, putInOutbox } from '../../shared/notify/deliveries.ts';
import { escalatedItemLabels } from '../../shared/notify/templates.ts';
import { putNotification } from '../../shared/repositories/notifications.ts';
import { regionCode } from '../../shared/schemas/household.ts';

const day = z.iso.date();
export const notificationMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('taskOpened'),
    taskId: z.string().min(1),
    kind: z.string().min(1),
    township: regionCode,
    caseId: z.string().min(1),
    dueDate: day,
  }),
  z.object({
    type: z.literal('taskEscalated'),
    taskId: z.string().min(1),
    kind: z.string().min(1),
    township: regionCode,
    caseId: z.string().min(1),
    overdueSince: day,
    newDueDate: day,
    escalation: z.number().int().positive(),
  }),
  // A monitoring warning its department left unanswered past the due date (`taskId` is the warning's id).
  z.object({
    type: z.literal('warningEscalated'),
    taskId: z.string().min(1),
    kind: z.literal('monitoringWarning'),
    township: regionCode,
    caseId: z.string().min(1),
    overdueSince: day,
    newDueDate: day,
    escalation: z.number().int().positive(),
  }),
  // A special-assistance demand its department left unanswered past the due date (`taskId` is the demand's id).
  z.object({
    type: z.literal('demandEscalated'),
    taskId: z.string().min(1),
    kind: z.literal('specialDemand'),
    township: regionCode,
    caseId: z.string().min(1),
    overdueSince: day,
    newDueDate: day,
    escalation: z.number().int().positive(),
  }),
]);
export type NotificationMessage = z.infer<typeof notificationMessage>;

/** A message that can never be delivered: retrying will not help, the DLQ is where it belongs. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

async function deliver(record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`message ${record.messageId} is not JSON`);
  }
  const parsed = notificationMessage.safeParse(body);
  if (!parsed.success)
    throw new PoisonMessageError(
      `message ${record.messageId}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  await putNotification(parsed.data, record.messageId);
  // And a work message to the office's group (督办: the supervisors'), through the outbox.
  const m = parsed.data;
  const kindLabel =
    (taskKindLabels as Record<string, string>)[m.kind] ??
    (escalatedItemLabels as Record<string, string>)[m.kind];
  if (!kindLabel) return;
  const eventId = `${m.type}#${m.taskId}#${'escalation' in m ? m.escalation : 0}`;
  // And a reminder the morning before it falls due, unless that is past (the new task says it).
  if (m.type === 'taskOpened' && Date.parse(eveOf(m.dueDate)) > Date.now())
    await putInOutbox(
      {
        eventId: `taskDueTomorrow#${m.taskId}#${m.dueDate}`,
        template: 'taskDueTomorrow',
        caseId: m.caseId,
        to: { office: m.township, audience: 'caseworkers' },
        params: { kindLabel, dueDate: m.dueDate },
        taskId: m.taskId,
      },
      eveOf(m.dueDate),
    );
  await putInOutbox(
    m.type === 'taskOpened'
      ? {
          eventId,
          template: 'taskOpened',
          caseId: m.caseId,
          to: { office: m.township, audience: 'caseworkers' },
          params: { kindLabel, dueDate: m.dueDate },
        }
      : {
          eventId,
          template: 'taskEscalated',
          caseId: m.caseId,
          to: { office: m.township, audience: 'supervisors' },
          params: { kindLabel, overdueSince: m.overdueSince, newDueDate: m.newDueDate },
        },
  );
}

const processor = new BatchProcessor(EventType.SQS);

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const response = await processPartialResponse(event, deliver, processor, {
    context,
    // A batch of nothing but poison still answers record by record (each counts its receives).
    throwOnFullBatchFailure: false,
  });
  if (response.batchItemFailures.length)
    logger.warn('notifications not delivered; SQS will retry them', {
      failed: response.batchItemFailures.map((f) => f.itemIdentifier),
      of: event.Records.length,
    });
  return response;
};
