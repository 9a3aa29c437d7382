/**
 * Delivers task notifications from the caseworkers' and the supervisors' queues into the inbox of
 * the township or county they concern (`NOTIFY#<regionCode>` items, read by `GET /notifications`).
 * Each is also announced to the office's group by work message (`shared/notify/deliveries.ts`).
 *
 * Partial batch responses (`./sqs.ts`). Delivery is idempotent: a message delivered twice (SQS is
 * at least once) writes the same item.
 */
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { Role } from '../../shared/auth.ts';
import { deciders, taskKindLabels } from '../../shared/domain/tasks.ts';
import { eveOf, putInOutbox } from '../../shared/notify/deliveries.ts';
import { escalatedItemLabels } from '../../shared/notify/templates.ts';
import { putNotification } from '../../shared/repositories/notifications.ts';
import { regionCode } from '../../shared/schemas/household.ts';
import { sqsConsumer } from './sqs.ts';

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

async function deliver(m: NotificationMessage, record: SQSRecord): Promise<void> {
  await putNotification(m, record.messageId);
  // And a work message to the office's group (督办: the supervisors'), through the outbox.
  const kindLabel =
    (taskKindLabels as Record<string, string>)[m.kind] ??
    (escalatedItemLabels as Record<string, string>)[m.kind];
  if (!kindLabel) return;
  const eventId = `${m.type}#${m.taskId}#${'escalation' in m ? m.escalation : 0}`;
  // The office's staff who decide this kind of task are the ones @-mentioned.
  const roles = (deciders as Record<string, readonly Role[]>)[m.kind];
  const caseworkers = {
    office: m.township,
    audience: 'caseworkers' as const,
    ...(roles ? { roles: [...roles] } : {}),
  };
  // And a reminder the morning before it falls due, unless that is past (the new task says it).
  if (m.type === 'taskOpened' && Date.parse(eveOf(m.dueDate)) > Date.now())
    await putInOutbox(
      {
        eventId: `taskDueTomorrow#${m.taskId}#${m.dueDate}`,
        template: 'taskDueTomorrow',
        caseId: m.caseId,
        to: caseworkers,
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
          to: caseworkers,
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

export const handler = sqsConsumer(notificationMessage, deliver, 'notifications not delivered');
