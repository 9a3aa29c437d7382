/**
 * Durable schedules for the next execution of a case's chain (a recheck, a gradual exit, …),
 * found through the date-sharded due index `gsi2` (see `shared/resources.ts`) rather than one
 * EventBridge schedule per household.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { chinaDate } from '../domain/dates.ts';
import { queryAll } from '../dynamo.ts';
import { eveOf, outboxPut } from '../notify/deliveries.ts';
import { casesTable, DUE_SHARDS } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);

export interface Schedule {
  caseId: string;
  /** The workflow id to start (`workflows/`), e.g. `Recheck`. */
  workflow: string;
  /** ISO instant the execution is due. */
  dueAt: string;
  input: Record<string, unknown>;
  /** `cancelled`: the decision that scheduled it no longer stands (`cancelPending`). */
  status: 'pending' | 'started' | 'cancelled';
  executionArn?: string;
  createdAt: string;
  /** Brought forward (`bringForward`): the instant it was due before, and when it was moved. */
  movedFrom?: string;
  movedAt?: string;
  /** What scheduled or moved it outside the usual rhythm, e.g. a monitoring warning's id. */
  cause?: string;
}

export const shardOf = (caseId: string): number =>
  createHash('sha256').update(caseId).digest()[0]! % DUE_SHARDS;

const scheduleKey = (s: Pick<Schedule, 'caseId' | 'workflow' | 'dueAt'>) => ({
  pk: `CASE#${s.caseId}`,
  sk: `SCHEDULE#${s.workflow}#${s.dueAt}`,
});

/** The stored item: the schedule under its case, and in the due index while it is pending. */
const scheduleItem = (s: Omit<Schedule, 'status'>) => ({
  ...scheduleKey(s),
  gsi2pk: `DUE#${chinaDate(new Date(s.dueAt))}#${shardOf(s.caseId)}`,
  gsi2sk: `${s.dueAt}#${s.caseId}#${s.workflow}`,
  ...s,
  status: 'pending',
});

const fromItem = ({ pk: _p, sk: _s, gsi2pk: _g, gsi2sk: _k, ...item }: Record<string, unknown>) =>
  item as unknown as Schedule;

/** Schedules a workflow for a case; the same (case, workflow, due) twice is one schedule. */
export async function scheduleWorkflow(s: Omit<Schedule, 'status' | 'createdAt'>): Promise<void> {
  const put = {
    TableName: table(),
    Item: scheduleItem({ ...s, createdAt: new Date().toISOString() }),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  const reminder = recheckReminder(s);
  try {
    if (!reminder) await dynamo().send(new PutCommand(put));
    else await dynamo().send(new TransactWriteCommand({ TransactItems: [{ Put: put }, reminder] }));
  } catch (error) {
    // Scheduled before (with its reminder).
    if (error instanceof ConditionalCheckFailedException) return;
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    )
      return;
    throw error;
  }
}

/** A week before a recheck, the household is reminded to declare what changed (定期核查提醒). */
function recheckReminder(s: Pick<Schedule, 'workflow' | 'caseId' | 'dueAt'>) {
  if (s.workflow !== 'Recheck') return undefined;
  const dueOn = chinaDate(new Date(s.dueAt));
  const at = eveOf(dueOn, 7);
  if (Date.parse(at) <= Date.now()) return undefined;
  return outboxPut(
    {
      eventId: `recheckDue#${s.caseId}#${dueOn}`,
      template: 'recheckDue',
      caseId: s.caseId,
      to: { household: true },
      params: { dueOn },
    },
    at,
  );
}

/** Every schedule of `workflow` for a case, pending or started, in due order (read consistently). */
export async function schedulesOf(caseId: string, workflow: string): Promise<Schedule[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':sk': `SCHEDULE#${workflow}#` },
    ConsistentRead: true,
  });
  return items.map(fromItem).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

export type BringForwardResult =
  /** The pending schedule was due later: it is now due at `to.dueAt` (it replaced `from`). */
  | { outcome: 'moved'; from: Schedule; to: Schedule }
  /** The pending schedule is due at or before the instant asked for already: left as it is. */
  | { outcome: 'unchanged'; pending: Schedule }
  /**
   * Another schedule of the workflow is due that same day already (started, or one `match` does not
   * count): the sweeper names an execution after the case, the workflow and the day, so a second one
   * that day would never start.
   */
  | { outcome: 'taken'; by: Schedule }
  /** No pending schedule of the workflow (that `match` accepts) for the case. */
  | { outcome: 'none' };

/**
 * Brings a case's pending schedule of `workflow` forward so that it is due no later than `dueAt`.
 * The later schedule is replaced, in one transaction, by the same schedule due at `dueAt`: the old
 * item is deleted on condition that it is still pending (not started by the sweeper, not moved by
 * another call meanwhile) and the new one put on condition that its key is free — so a case never has
 * two pending schedules of the workflow because of a move. Idempotent: once moved, the schedule is
 * due at `dueAt` and a repeat answers `unchanged`; a schedule already due earlier is left alone.
 * `match` narrows which pending schedules count (e.g. a recheck's mode); `cause` is recorded on
 * the moved schedule.
 *
 * `dueAt` should not lie before the start of today (China): the sweeper does not read days it has
 * finished.
 */
export async function bringForward(
  caseId: string,
  workflow: string,
  dueAt: string,
  options: { match?: (s: Schedule) => boolean; cause?: string } = {},
): Promise<BringForwardResult> {
  const match = options.match ?? (() => true);
  for (let attempt = 0; attempt < 5; attempt++) {
    const all = await schedulesOf(caseId, workflow);
    const pending = all.filter((s) => s.status === 'pending' && match(s));
    const earliest = pending[0];
    if (!earliest) return { outcome: 'none' };
    if (earliest.dueAt <= dueAt) return { outcome: 'unchanged', pending: earliest };
    const taken = all.find((s) => s.status !== 'cancelled' && s.dueAt.slice(0, 10) === dueAt.slice(0, 10));
    if (taken) return { outcome: 'taken', by: taken };
    const movedAt = new Date().toISOString();
    const to: Schedule = {
      ...earliest,
      dueAt,
      movedFrom: earliest.dueAt,
      movedAt,
      ...(options.cause ? { cause: options.cause } : {}),
    };
    // The household is reminded of the new date (the earlier reminder, if not yet sent, is dropped:
    // a recheck reminder goes out only for a date a pending schedule still has).
    const reminder = recheckReminder(to);
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            ...(reminder ? [{ Put: { TableName: reminder.Put.TableName, Item: reminder.Put.Item } }] : []),
            {
              Delete: {
                TableName: table(),
                Key: scheduleKey(earliest),
                ConditionExpression: '#s = :pending',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':pending': 'pending' },
              },
            },
            {
              Put: {
                TableName: table(),
                Item: scheduleItem(to),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'moved', from: earliest, to };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Started or moved meanwhile, or the new key taken: read again and decide again.
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20 * (attempt + 1)));
    }
  }
  throw new Error(`schedule ${workflow} of ${caseId}: could not bring it forward after 5 tries`);
}

/**
 * Cancels a case's pending schedules of `workflow` (that `match` accepts): they leave the due index
 * and stay on the case as `cancelled`, with `cause`. One that the sweeper started meanwhile is left
 * as it is (its execution checks whether it still stands). Idempotent; returns what it cancelled.
 */
export async function cancelPending(
  caseId: string,
  workflow: string,
  cause: string,
  match: (s: Schedule) => boolean = () => true,
): Promise<Schedule[]> {
  const pending = (await schedulesOf(caseId, workflow)).filter((s) => s.status === 'pending' && match(s));
  const cancelled: Schedule[] = [];
  for (const s of pending) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: table(),
          Key: scheduleKey(s),
          UpdateExpression: 'SET #s = :cancelled, cancelledAt = :at, cause = :cause REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':pending': 'pending',
            ':at': new Date().toISOString(),
            ':cause': cause,
          },
        }),
      );
      cancelled.push(s);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return cancelled;
}

/** Pending schedules due on `day` (China date) at or before `now`, across every shard. */
export async function dueOn(day: string, now: string): Promise<Schedule[]> {
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': `DUE#${day}#${shard}`, ':now': `${now}\uffff` },
      }),
    ),
  );
  return shards.flat().map(fromItem);
}

/** Takes a started schedule out of the due index, recording the execution it started. */
export async function markStarted(s: Schedule, executionArn: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: scheduleKey(s),
      UpdateExpression: 'SET #s = :started, executionArn = :arn REMOVE gsi2pk, gsi2sk',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':started': 'started', ':arn': executionArn },
    }),
  );
}

/** The sweeper's cursor: the first day that may still hold pending schedules. */
export async function sweepCursor(): Promise<string | undefined> {
  const page = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SWEEP' },
    }),
  );
  return page.Items?.[0]?.cursor as string | undefined;
}

export async function setSweepCursor(day: string): Promise<void> {
  await dynamo().send(
    new PutCommand({ TableName: table(), Item: { pk: 'SWEEP', sk: 'CURSOR', cursor: day } }),
  );
}
