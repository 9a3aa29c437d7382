/**
 * Notifications that reach people (households by SMS, offices by their work-message robots), with
 * a receipt on the case chain for each.
 *
 * 1. **Outbox.** A household event is an entry of its case chain (acceptance, public notice, written
 *    notice, hearing, payment); the delivery it calls for is written in the same transaction as the
 *    entry (`householdDeliveryOf`, from `shared/audit.ts`), so an event is never on record without its
 *    message nor the other way round. Task notifications add theirs when they reach the inbox.
 *    Reminders are put there ahead of time (a task due tomorrow, a household's recheck in a week),
 *    and the quiet hours put a message back till morning. Items: `OUTBOX#<shard>` /
 *    `<notBefore>#<eventId>` (`#<eventId>`: at once), so a relay reads only what is due.
 * 2. **Relay** (`relayDeliveries`, every minute): moves what is due from the outbox onto the
 *    `Deliveries` queue, then deletes it.
 * 3. **Delivery** (`deliver`, the queue's consumer): once per event and recipient
 *    (`DELIVERY#<eventId>` / `<channel>#<n>`), through the channel (`shared/notify/channels.ts`); a
 *    transient failure is thrown for SQS to retry (and, past `maxReceiveCount`, to keep in the DLQ
 *    for redrive), a permanent one is recorded and shown to the caseworkers: "未能送达，请当面或电话联系".
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AuditInput } from '../audit.ts';
import { roles } from '../auth.ts';
import { dynamo, sqs } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { yuanText } from '../domain/money.ts';
import { batchWriteAll, type ConditionalPut } from '../dynamo.ts';
import { casesTable, deliveriesQueue } from '../resources.ts';
import type { ChannelId } from './channels.ts';
import { type TemplateId, templateIds, templates } from './templates.ts';

const table = () => requiredEnv(casesTable.env);
export const OUTBOX_SHARDS = 4;
const OUTBOX = (shard: number) => `OUTBOX#${shard}`;
const shardOf = (eventId: string) => createHash('sha256').update(eventId).digest()[0]! % OUTBOX_SHARDS;

export const deliveryMessage = z.object({
  /** The event's id: one delivery per event and recipient, however often it is relayed or received. */
  eventId: z.string().min(1).max(300),
  template: z.enum(templateIds as [TemplateId, ...TemplateId[]]),
  /** The case chain the receipt goes on. */
  caseId: z.string().min(1),
  /** The household of the case, or an office by its region code. */
  to: z.union([
    z.object({ household: z.literal(true) }),
    z.object({
      office: z.string().regex(/^\d{6}$/),
      audience: z.enum(['caseworkers', 'supervisors']),
      /** Who acts on it: the staff of these roles who chose a platform are @-mentioned there (`work-channel.ts`). */
      roles: z.array(z.enum(roles)).optional(),
    }),
  ]),
  params: z.record(z.string(), z.string()),
  /** A reminder about a task: not sent once the task is decided. */
  taskId: z.string().min(1).optional(),
});
export type DeliveryMessage = z.infer<typeof deliveryMessage>;

/** The outbox item of a delivery, as one item of the transaction that records its event. */
export function outboxPut(message: DeliveryMessage, notBefore?: string): ConditionalPut {
  return {
    Put: {
      TableName: table(),
      Item: {
        pk: OUTBOX(shardOf(message.eventId)),
        sk: `${notBefore ?? ''}#${message.eventId}`,
        message,
        ...(notBefore ? { notBefore } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** 09:00 China time of the day before `day` (`YYYY-MM-DD`): when a reminder of it goes out. */
export const eveOf = (day: string, daysBefore = 1): string =>
  new Date(Date.parse(`${day}T09:00:00+08:00`) - daysBefore * 86_400_000).toISOString();

/** Puts a delivery in the outbox on its own (an event recorded elsewhere, or held back till morning). */
export async function putInOutbox(message: DeliveryMessage, notBefore?: string): Promise<void> {
  const { Put } = outboxPut(message, notBefore);
  await dynamo().send(new PutCommand({ TableName: Put.TableName, Item: Put.Item }));
}

/**
 * The delivery a household event on its case chain calls for, if any: the chain entry's own facts,
 * nothing else. The hearing's written notice is announced by the hearing itself, with its deadline.
 */
export function householdDeliveryOf(caseId: string, input: AuditInput): DeliveryMessage | undefined {
  const refs = input.refs ?? {};
  const message = (template: TemplateId, params: Record<string, string>): DeliveryMessage => ({
    eventId: `${caseId}#${input.key}`,
    template,
    caseId,
    to: { household: true },
    params,
  });
  switch (input.action) {
    case 'application.submitted':
      return refs.applicationId
        ? message('applicationReceived', { applicationId: refs.applicationId })
        : undefined;
    case 'emergency.submitted':
      return refs.emergencyId ? message('emergencyReceived', { emergencyId: refs.emergencyId }) : undefined;
    case 'publicNotice.opened':
      return refs.endsOn ? message('publicNotice', { endsOn: refs.endsOn }) : undefined;
    case 'notice.issued':
      return refs.title && !refs.hearingId ? message('noticeIssued', { title: refs.title }) : undefined;
    case 'hearing.opened':
      return refs.answerBy ? message('hearingInvited', { answerBy: refs.answerBy }) : undefined;
    case 'payment.recorded':
      return refs.month && input.ledger?.amount !== undefined
        ? message('paymentMade', { month: refs.month, amount: yuanText(input.ledger.amount) })
        : undefined;
    case 'payment.failed':
      return refs.months ? message('paymentFailed', { months: refs.months }) : undefined;
    default:
      return undefined;
  }
}

/**
 * Moves the outbox's due deliveries onto the `Deliveries` queue (ten a message batch), deleting each
 * once the queue has it: a relay that fails half-way sends some again, which `deliver` absorbs.
 */
export async function relayDeliveries(now: Date = new Date()): Promise<{ relayed: number }> {
  let relayed = 0;
  for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: table(),
          // `#…` (at once) and every `<instant>#…` up to now: '~' sorts after '#'.
          KeyConditionExpression: 'pk = :pk AND sk <= :due',
          ExpressionAttributeValues: { ':pk': OUTBOX(shard), ':due': `${now.toISOString()}~` },
          ExclusiveStartKey: start,
          Limit: 100,
        }),
      );
      start = page.LastEvaluatedKey;
      const due = page.Items ?? [];
      for (let i = 0; i < due.length; i += 10) {
        const batch = due.slice(i, i + 10);
        const out = await sqs().send(
          new SendMessageBatchCommand({
            QueueUrl: requiredEnv(deliveriesQueue.env),
            Entries: batch.map((item, n) => ({ Id: String(n), MessageBody: JSON.stringify(item.message) })),
          }),
        );
        const sent = new Set((out.Successful ?? []).map((s) => Number(s.Id)));
        const gone = batch.filter((_, n) => sent.has(n));
        await batchWriteAll(
          dynamo(),
          table(),
          gone.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
        );
        relayed += gone.length;
      }
    } while (start);
  }
  return { relayed };
}

// ── receipts ─────────────────────────────────────────────────────────────────────────────────────

export const channelLabels: Record<ChannelId, string> = {
  sms: '短信',
  dingtalk: '政务钉钉',
  wecom: '企业微信',
};

/** A phone number as a receipt shows it: 138****5678. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

export type TargetState = 'sent' | 'failed';

/** The recorded outcome of one recipient of an event, if any: a redelivered message sends nothing again. */
export async function targetState(eventId: string, target: string): Promise<TargetState | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: `DELIVERY#${eventId}`, sk: target },
      ConsistentRead: true,
    }),
  );
  return Item?.state as TargetState | undefined;
}

export async function recordTarget(
  eventId: string,
  target: string,
  state: TargetState,
  facts: Record<string, string | null>,
): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `DELIVERY#${eventId}`,
        sk: target,
        state,
        ...facts,
        at: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 400 * 86_400,
      },
    }),
  );
}

/** A household the system could not reach: kept on the case for the caseworkers (most recent first). */
export async function markUnreached(
  caseId: string,
  what: { template: TemplateId; reason: string; at: string },
) {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
      UpdateExpression: 'SET unreached = list_append(:one, if_not_exists(unreached, :none))',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':one': [{ ...what, label: templates[what.template].label }],
        ':none': [],
      },
    }),
  );
}
