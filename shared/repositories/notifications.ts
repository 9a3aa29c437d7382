/**
 * Task notifications in the inbox of a township or county office: `pk=NOTIFY#<regionCode>`,
 * `sk=<type>#<taskId>#<escalation>`, listed in the order delivered, kept 90 days (TTL). Ids and dates only: what the task
 * is about is read through the task itself, by those entitled to it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { queryAll } from '../dynamo.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);
const KEEP_SECONDS = 90 * 86_400;

export interface Notification {
  /**
   * `warningEscalated`: a monitoring warning unanswered past its due date; `taskId` is the warning's id.
   * `demandEscalated`: the same for a special-assistance demand (需求推送); `taskId` is the demand's id.
   */
  type: 'taskOpened' | 'taskEscalated' | 'warningEscalated' | 'demandEscalated' | 'householdUnreached';
  taskId: string;
  kind: string;
  township: string;
  caseId: string;
  dueDate?: string;
  overdueSince?: string;
  newDueDate?: string;
  escalation?: number;
  /** `householdUnreached`: the message not delivered (`label`) and why (`reason`). */
  label?: string;
  reason?: string;
  /** The event's own date (due date for a new task, the lapsed one for an escalation), for ordering. */
  at: string;
  deliveredAt: string;
}

/** Keyed by the event, not the delivery: the same message delivered twice is one notification. */
export async function putNotification(
  message: Omit<Notification, 'at' | 'deliveredAt'>,
  messageId: string,
): Promise<void> {
  const at =
    message.type === 'taskOpened'
      ? message.dueDate!
      : message.type === 'householdUnreached'
        ? new Date().toISOString().slice(0, 10)
        : message.overdueSince!;
  const deliveredAt = new Date().toISOString();
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `NOTIFY#${message.township}`,
        sk: `${message.type}#${message.taskId}#${message.escalation ?? 0}`,
        ...message,
        at,
        deliveredAt,
        messageId,
        expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS,
      },
    }),
  );
}

export async function listNotifications(regionCode: string, since?: string): Promise<Notification[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `NOTIFY#${regionCode}` },
    ConsistentRead: true,
  });
  return items
    .map(({ pk: _p, sk: _s, expiresAt: _e, messageId: _m, ...n }) => n as unknown as Notification)
    .filter((n) => !since || n.deliveredAt > since)
    .sort((a, b) => a.deliveredAt.localeCompare(b.deliveredAt));
}
