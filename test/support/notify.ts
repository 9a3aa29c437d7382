/**
 * The notifications' plumbing as tests look at it (`shared/notify/`): what waits in the outbox, how
 * deep the deliveries queue is, relaying until something holds — saying where the messages stood
 * when it does not — and the quiet hours, which hold non-urgent messages till morning.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '../../local/client.ts';
import { clock } from '../../local/clock.ts';
import { invoke } from '../../local/lambda.ts';
import type { Runtime } from '../../local/runtime.ts';
import { dynamo } from '../../shared/clients.ts';
import { OUTBOX_SHARDS } from '../../shared/notify/deliveries.ts';

// biome-ignore lint/suspicious/noExplicitAny: outbox items as DynamoDB returns them
type OutboxItem = Record<string, any>;

/** What waits in the outbox (of one case): reminders till their day, messages held through the night. */
export async function outboxItems(caseId?: string): Promise<OutboxItem[]> {
  const items: OutboxItem[] = [];
  for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: process.env.CASES_TABLE!,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `OUTBOX#${shard}` },
      }),
    );
    items.push(...Items!.filter((i) => caseId === undefined || i.message?.caseId === caseId));
  }
  return items;
}

/** Messages waiting in a queue, and received but not yet deleted. */
export async function queueDepth(url: string): Promise<{ waiting: number; inFlight: number }> {
  const { Attributes } = await new SQSClient({ useQueueUrlAsEndpoint: false }).send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    waiting: Number(Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/** The SMS the runtime's gateway received for a phone number. */
export const smsTo = (rt: Runtime, phone: string) =>
  rt.outbox.records().filter((r) => r.channel === 'sms' && r.to === phone);

/**
 * Runs the outbox relay (as its schedule does every minute) until `check` answers; on timeout, says
 * what the outbox, the deliveries queue and its DLQ held and what was sent, to show where a message stopped.
 */
export async function relayUntil<T>(
  rt: Runtime,
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  try {
    return await eventually(
      async () => {
        await invoke('relayDeliveries', {});
        return check();
      },
      { every: 200 },
    );
  } catch (error) {
    const state = {
      now: new Date().toISOString(),
      outbox: (await outboxItems()).map((i) => `${i.sk} ${i.message?.template}`),
      queue: await queueDepth(rt.env.DELIVERIES_QUEUE_URL!),
      dlq: await queueDepth(rt.env.DELIVERIES_QUEUE_DLQ_URL!),
      sent: rt.outbox.records().map((r) => `${r.receivedAt} ${r.channel} ${r.templateId ?? r.to}`),
    };
    throw new Error(`${(error as Error).message}\n${JSON.stringify(state)}`);
  }
}

/** Past the quiet hours (21:00–08:00 China time, the local configuration's): to 08:01 if in them. */
export function pastQuietHours(): void {
  const hour = new Date(clock.now() + 8 * 3_600_000).getUTCHours();
  if (hour >= 8 && hour < 21) return;
  const china = new Date(clock.now() + 8 * 3_600_000 + (hour >= 21 ? 86_400_000 : 0));
  const morning =
    Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), 8, 1) - 8 * 3_600_000;
  clock.advance(morning - clock.now());
}
