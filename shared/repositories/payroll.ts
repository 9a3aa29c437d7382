/**
 * Payment rolls (发放名册) in the case table (`shared/domain/payroll.ts` for what they mean):
 *
 * | entity       | pk                             | sk        | gsi1pk / gsi1sk                    |
 * |--------------|--------------------------------|-----------|------------------------------------|
 * | roll         | `ROLL#<rollId>`                | `ROLL`    | `ROLLS#<regionCode>` / `<month>#<seq>` |
 * | roll line    | `ROLLLINES#<rollId>#<shard>`   | `<caseId>`| –                                  |
 * | county lock  | `ROLLS#<regionCode>`           | `LOCK`    | –                                  |
 * | county       | `PAYROLLCOUNTIES`              | `<regionCode>` | –                             |
 * | account fix  | `PAYEEFIX#<caseId>`            | `<rollId>`| –  (the open `payeeAccountFix` task)|
 * | held line    | `ROLLHELD#<rollId>`            | `<caseId>`| –  (owed, held during a hearing)   |
 *
 * A roll's lines spread over `DUE_SHARDS` partitions (hash of the case id): a county's tens of
 * thousands of lines are written at once by the payroll's Distributed Map. The county lock names the
 * roll being computed or awaiting approval: a second roll of the county cannot start meanwhile, so no
 * two rolls count the same month as owed. A county that has prepared a roll is listed once
 * (`PAYROLLCOUNTIES`, a few thousand nationwide): the monthly schedule prepares its later rolls.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import type { HeldLine, RollLine, RollRecord, RollStatus } from '../domain/payroll.ts';
import type { PaymentTask, TaskDecision } from '../domain/tasks.ts';
import { batchWriteAll, isConditionFailure, queryAll, setExpression } from '../dynamo.ts';
import { casesTable, DUE_SHARDS } from '../resources.ts';
import { escalateStandaloneTask, openTaskItem, TASK } from './cases.ts';
import { shardOf } from './schedule.ts';

const table = () => requiredEnv(casesTable.env);
const ROLL = (rollId: string) => ({ pk: `ROLL#${rollId}`, sk: 'ROLL' });
const LOCK = (regionCode: string) => ({ pk: `ROLLS#${regionCode}`, sk: 'LOCK' });
const linesPk = (rollId: string, shard: number) => `ROLLLINES#${rollId}#${shard}`;

function strip(item: Record<string, unknown>): RollRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as unknown as RollRecord;
}

/** Another roll of the county holds its months (`rollId`). */
export class RollInFlightError extends Error {
  override name = 'RollInFlightError';
  constructor(readonly rollId: string) {
    super(`roll ${rollId} is in flight`);
  }
}

/** The counties whose rolls the monthly schedule prepares. */
export async function payrollCounties(): Promise<string[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'PAYROLLCOUNTIES' },
  });
  return items.map((i) => String(i.regionCode));
}

/** Every roll of a county, by month and attempt. */
export async function rollsOf(regionCode: string): Promise<RollRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `ROLLS#${regionCode}` },
  });
  return items.map(strip);
}

export async function getRoll(rollId: string): Promise<RollRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: ROLL(rollId), ConsistentRead: true }),
  );
  return Item ? strip(Item) : undefined;
}

/** The county's roll in flight, if any. */
export async function rollInFlight(regionCode: string): Promise<string | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: LOCK(regionCode), ConsistentRead: true }),
  );
  return typeof Item?.rollId === 'string' ? Item.rollId : undefined;
}

/**
 * Records a new roll and takes the county's lock for it, together: `RollInFlightError` if another
 * roll holds the lock; the same roll again changes nothing (`created: false`).
 */
export async function createRoll(roll: RollRecord): Promise<{ created: boolean }> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: {
                ...ROLL(roll.rollId),
                gsi1pk: `ROLLS#${roll.regionCode}`,
                gsi1sk: `${roll.month}#${String(roll.seq).padStart(3, '0')}`,
                ...roll,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { pk: 'PAYROLLCOUNTIES', sk: roll.regionCode, regionCode: roll.regionCode },
            },
          },
          {
            Update: {
              TableName: table(),
              Key: LOCK(roll.regionCode),
              UpdateExpression: 'SET rollId = :roll, lockedAt = :at',
              ConditionExpression: 'attribute_not_exists(rollId)',
              ExpressionAttributeValues: { ':roll': roll.rollId, ':at': roll.preparedAt },
            },
          },
        ],
      }),
    );
    return { created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const holder = await rollInFlight(roll.regionCode);
  if (holder === roll.rollId && (await getRoll(roll.rollId))) return { created: false };
  throw new RollInFlightError(holder ?? roll.rollId);
}

/** Writes (or writes again, identically) lines of a roll still computing. */
export async function writeLines(rollId: string, lines: readonly RollLine[]): Promise<void> {
  const requests = lines.map((line) => ({
    PutRequest: { Item: { pk: linesPk(rollId, shardOf(line.caseId)), sk: line.caseId, rollId, ...line } },
  }));
  await batchWriteAll(dynamo(), table(), requests);
}

/** Households held this month (few: a hearing lasts days), written (again, identically) by their batch. */
export async function writeHeld(rollId: string, held: readonly HeldLine[]): Promise<void> {
  for (const h of held)
    await dynamo().send(
      new PutCommand({ TableName: table(), Item: { pk: `ROLLHELD#${rollId}`, sk: h.caseId, ...h } }),
    );
}

/** The roll's held households, in case order. */
export async function readHeld(rollId: string): Promise<HeldLine[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `ROLLHELD#${rollId}` },
    ConsistentRead: true,
  });
  return items.map(({ caseId, months, amount, reason }) => ({
    caseId: String(caseId),
    months: months as string[],
    amount: Number(amount),
    reason: String(reason),
  }));
}

/** What the bank's return said of a line: set once. */
export async function setLineResult(rollId: string, caseId: string, result: NonNullable<RollLine['result']>) {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: linesPk(rollId, shardOf(caseId)), sk: caseId },
        UpdateExpression: 'SET #result = :result',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#result)',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':result': result },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

const lineOf = ({ caseId, months, amount, deductions, result }: Record<string, unknown>) =>
  ({
    caseId,
    months,
    amount,
    ...(deductions ? { deductions } : {}),
    ...(result ? { result } : {}),
  }) as RollLine;

const byCase = (a: RollLine, b: RollLine) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/** Every line of a roll, in case order. */
export async function readLines(rollId: string): Promise<RollLine[]> {
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': linesPk(rollId, shard) },
        ConsistentRead: true,
      }),
    ),
  );
  return shards.flat().map(lineOf).sort(byCase);
}

/** How many of these lines each shard holds: what a page of the roll's lines is found by. */
export function shardCounts(lines: readonly RollLine[]): number[] {
  const counts = Array.from({ length: DUE_SHARDS }, () => 0);
  for (const line of lines) counts[shardOf(line.caseId)]!++;
  return counts;
}

/**
 * `count` lines from position `from` in the roll's page order — shard by shard, each in case order —
 * reading only the shards the page falls in (a county's roll runs to tens of thousands of lines).
 */
export async function readLinesPage(
  rollId: string,
  counts: readonly number[],
  from: number,
  count: number,
): Promise<RollLine[]> {
  const page: RollLine[] = [];
  let skip = from;
  for (let shard = 0; shard < counts.length && page.length < count; shard++) {
    const size = counts[shard] ?? 0;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await dynamo().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': linesPk(rollId, shard) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of res.Items ?? []) {
        if (skip > 0) skip--;
        else if (page.length < count) page.push(lineOf(item));
      }
      ExclusiveStartKey = page.length < count ? res.LastEvaluatedKey : undefined;
    } while (ExclusiveStartKey);
  }
  return page;
}

/** These cases' lines of a roll, by case id (100 keys a `BatchGetItem`). */
export async function linesOf(rollId: string, caseIds: readonly string[]): Promise<Map<string, RollLine>> {
  const found = new Map<string, RollLine>();
  for (let i = 0; i < caseIds.length; i += 100) {
    let keys: Array<Record<string, unknown>> = caseIds
      .slice(i, i + 100)
      .map((caseId) => ({ pk: linesPk(rollId, shardOf(caseId)), sk: caseId }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === 8) throw new Error(`roll ${rollId}: lines not read after ${attempt} tries`);
      const { Responses, UnprocessedKeys } = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[table()] ?? []) found.set(String(item.caseId), lineOf(item));
      keys = (UnprocessedKeys?.[table()]?.Keys ?? []) as Array<Record<string, unknown>>;
      if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}

/** What a case has on rolls still with the bank: the months they pay, and what they deduct per order. */
export interface OnRolls {
  months: Set<string>;
  deducted: Map<string, number>;
}

/**
 * What each case has on these rolls (approved rolls whose months are in transit to the bank), by
 * case id — in batches of the 100 keys a `BatchGetItem` takes.
 */
export async function onRolls(
  rollIds: readonly string[],
  caseIds: readonly string[],
): Promise<Map<string, OnRolls>> {
  const found = new Map<string, OnRolls>();
  const keys = rollIds.flatMap((rollId) =>
    caseIds.map((caseId) => ({ pk: linesPk(rollId, shardOf(caseId)), sk: caseId })),
  );
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8) throw new Error(`roll lines not read after ${attempt} tries`);
      const { Responses, UnprocessedKeys } = await dynamo().send(
        new BatchGetCommand({
          RequestItems: {
            [table()]: {
              Keys: pending,
              ProjectionExpression: 'caseId, months, deductions',
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of Responses?.[table()] ?? []) {
        const entry = found.get(String(item.caseId)) ?? { months: new Set<string>(), deducted: new Map() };
        for (const m of item.months as RollLine['months']) entry.months.add(m.month);
        for (const d of (item.deductions ?? []) as NonNullable<RollLine['deductions']>)
          entry.deducted.set(d.recoveryId, (entry.deducted.get(d.recoveryId) ?? 0) + d.amount);
        found.set(String(item.caseId), entry);
      }
      pending = (UnprocessedKeys?.[table()]?.Keys ?? []) as Array<Record<string, unknown>>;
      if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}

/**
 * Sets attributes of a roll in status `from` (one of them); false when the roll is no longer there
 * (another run moved it on), so a retried step changes nothing.
 */
export async function updateRoll(
  rollId: string,
  from: readonly RollStatus[],
  set: Partial<RollRecord>,
  remove: readonly string[] = [],
  extra?: { condition: string; values: Record<string, unknown> },
): Promise<boolean> {
  const { sets, removes, names, values } = setExpression(set, remove);
  names['#status'] = 'status';
  from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: ROLL(rollId),
        UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '']
          .filter(Boolean)
          .join(' '),
        ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})${extra ? ` AND ${extra.condition}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ...extra?.values },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Lets the county prepare another roll: the roll no longer holds its months. */
export async function releaseLock(regionCode: string, rollId: string): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: LOCK(regionCode),
        UpdateExpression: 'REMOVE rollId, lockedAt',
        ConditionExpression: 'rollId = :roll',
        ExpressionAttributeValues: { ':roll': rollId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

// ── payments' tasks in the inbox (`PaymentTask`) ─────────────────────────────────────────────────

const FIX = (caseId: string, rollId: string) => ({ pk: `PAYEEFIX#${caseId}`, sk: rollId });

/** Opens the task once (with its pointer on the case, for a fix); false when a retried step finds it open. */
export async function openPaymentTask(task: PaymentTask): Promise<boolean> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: openTaskItem(task),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(task.kind === 'payeeAccountFix'
            ? [
                {
                  Put: {
                    TableName: table(),
                    Item: { ...FIX(task.caseId, task.payment.rollId), taskId: task.taskId },
                  },
                },
              ]
            : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** 督办: an open task past `escalation.overdueSince` gets the supervisors' due date, once. */
/** 督办 of a roll's approval task (`escalateStandaloneTask`). */
export const escalatePaymentTask = escalateStandaloneTask;

/** Decided: out of the inbox (no workflow to deliver to), once; false when already closed or never opened. */
export async function closePaymentTask(
  task: Pick<PaymentTask, 'taskId' | 'kind' | 'caseId' | 'payment'>,
  decision: TaskDecision,
): Promise<boolean> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: TASK(task.taskId),
              UpdateExpression: 'SET #s = :decided, decision = :d REMOVE gsi1pk, gsi1sk',
              ConditionExpression: '#s IN (:open, :esc)',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':decided': 'decided',
                ':d': decision,
                ':open': 'open',
                ':esc': 'escalated',
              },
            },
          },
          ...(task.kind === 'payeeAccountFix'
            ? [{ Delete: { TableName: table(), Key: FIX(task.caseId, task.payment.rollId) } }]
            : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The case's open account fixes (their task ids): registering an account closes them. */
export async function openAccountFixes(caseId: string): Promise<string[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `PAYEEFIX#${caseId}` },
    ConsistentRead: true,
  });
  return items.map((i) => String(i.taskId));
}
