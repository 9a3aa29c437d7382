/**
 * Monitoring runs, warnings and their feedback in the case table (key design in `shared/resources.ts`):
 *
 * | entity        | pk                 | sk             | index (sparse)                                                  |
 * |---------------|--------------------|----------------|-----------------------------------------------------------------|
 * | run           | `RUN#<runId>`      | `RUN`          | –                                                               |
 * | chunk result  | `RUN#<runId>`      | `CHUNK#<n>`    | –                                                               |
 * | warning       | `WARN#<warningId>` | `WARN`         | gsi1 `WARNS#<department>#<shard>` / `<regionCode>#<raisedAt>#<id>` |
 * |               |                    |                | gsi2 `WDUE#<dueDate>#<shard>` / `<dueDate>#<id>` until answered  |
 * | home check    | `TASK#<taskId>`    | `TASK`         | gsi1 `OPEN#<regionCode>` (the township inbox) until decided      |
 * | sweep cursor  | `WSWEEP`           | `CURSOR`       | –                                                               |
 *
 * A warning is written once (its id is deterministic: the same row, rule and household in any run);
 * every later step — push, chain entries, home check — is keyed by it, so a retried batch or a second
 * run of the same file does nothing twice. A department's warnings are listed from gsi1: a department's
 * partition is sharded (hash of the warning id) so a national run's warnings spread, and a region is a
 * prefix of the sort key (a province's code without its trailing zeros prefixes its counties'). The
 * due-date index reuses the sharded day partitions of the schedule sweeper (`WDUE#` rather than `DUE#`):
 * the escalation sweep reads day × shard, and an answer takes the warning out of it.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_SHARDS, type LedgerFacts, ledgerPartition } from '../audit.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { chinaDate } from '../domain/dates.ts';
import { NO_WORKFLOW_TOKEN, type Task, VERIFICATION_KIND, type VerificationTask } from '../domain/tasks.ts';
import { queryAll, updateExisting } from '../dynamo.ts';
import type { FeedCounts, Warning } from '../monitoring/compare/index.ts';
import type { Department } from '../monitoring/vocabulary.ts';
import { casesTable, DUE_SHARDS } from '../resources.ts';
import type { WarningFeedback, WarningStatus } from '../schemas/warnings.ts';
import { type Actor, markDecisionDelivered, openTaskItem } from './cases.ts';

export { NO_WORKFLOW_TOKEN, VERIFICATION_KIND, type VerificationTask };

const table = () => requiredEnv(casesTable.env);
const RUN = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
const WARN = (warningId: string) => ({ pk: `WARN#${warningId}`, sk: 'WARN' });

const shardOf = (id: string) => createHash('sha256').update(id).digest()[0]! % DUE_SHARDS;
/** A region code's prefix that its own area's codes share: 430000 → 43, 430100 → 4301, 430121 → 430121. */
export const regionPrefix = (regionCode: string) => regionCode.replace(/(00)+$/, '');

/**
 * Every item of a partition sharded over `DUE_SHARDS` (`<partition><shard>`) in an index, whose sort
 * key starts with `sortPrefix` if one is given (a region's prefix, for lists by region).
 */
export async function queryShards(
  index: 'gsi1' | 'gsi2',
  partition: string,
  sortPrefix = '',
): Promise<Record<string, unknown>[]> {
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: index,
        KeyConditionExpression: sortPrefix
          ? `${index}pk = :pk AND begins_with(${index}sk, :r)`
          : `${index}pk = :pk`,
        ExpressionAttributeValues: {
          ':pk': `${partition}${shard}`,
          ...(sortPrefix ? { ':r': sortPrefix } : {}),
        },
      }),
    ),
  );
  return shards.flat();
}

/**
 * Every item of a region in `gsi1` partitions by province (`<partition><2 digits>`, sort keys starting
 * with the region code): the province's partition, or every province's for national staff (000000).
 */
export async function queryByProvince(
  partition: string,
  regionCode: string,
): Promise<Record<string, unknown>[]> {
  const prefix = regionPrefix(regionCode);
  const provinces =
    prefix.length >= 2 ? [prefix.slice(0, 2)] : Array.from({ length: 90 }, (_, i) => String(i + 10));
  const items = await Promise.all(
    provinces.map((province) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: 'gsi1',
        // A national caller's prefix is empty, which DynamoDB does not take as a value: the whole partition.
        KeyConditionExpression: prefix ? 'gsi1pk = :pk AND begins_with(gsi1sk, :r)' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `${partition}${province}`, ...(prefix ? { ':r': prefix } : {}) },
      }),
    ),
  );
  return items.flat();
}

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
}

// ── runs ─────────────────────────────────────────────────────────────────────────────────────────

export type RunStatus = 'comparing' | 'rejected' | 'completed' | 'failed';

export interface RejectedLine {
  line: number;
  reason: string;
}

export interface RunReport {
  counts: FeedCounts;
  warnings: number;
  /** Warnings written for the first time by this run (a re-run of the same file writes none). */
  newWarnings: number;
  byRiskType: Record<string, number>;
  byDepartment: Record<string, number>;
  /** The first rejected lines, in line order (all of them are in the report object in S3). */
  rejections: RejectedLine[];
  rejectionsTruncated: boolean;
  reportKey: string;
}

export interface RunRecord {
  runId: string;
  bucket: string;
  key: string;
  etag: string;
  feed: string | null;
  format: string | null;
  status: RunStatus;
  /** Why the object was not read (not a feed, an unknown format): a rejected run. */
  reason?: string;
  executionArn: string;
  startedAt: string;
  /** The comparison date (China time): the indicators in force then apply to every row. */
  asOf: string;
  bytes?: number;
  lines?: number;
  chunks?: number;
  manifestKey?: string;
  /** A CSV feed's header line, which every chunk after the first decodes its columns with. */
  header?: string | null;
  /** Counties the feed's rows and warnings concern: who may read the run. */
  regionCodes?: string[];
  report?: RunReport;
  completedAt?: string;
  /** Why the comparison did not finish (a chunk failed after its retries); the report covers the rest. */
  failure?: { error: string; cause: string };
}

/** Records a run once; a repeated step gets the first record back. */
export async function putRun(run: RunRecord): Promise<RunRecord> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...RUN(run.runId), ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return run;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return (await getRun(run.runId))!;
}

export async function getRun(runId: string): Promise<RunRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: RUN(runId), ConsistentRead: true }),
  );
  return strip<RunRecord>(Item);
}

export async function updateRun(runId: string, set: Partial<RunRecord>): Promise<void> {
  await updateExisting(dynamo(), table(), RUN(runId), set);
}

export interface ChunkResult {
  index: number;
  counts: FeedCounts;
  warnings: number;
  newWarnings: number;
  byRiskType: Record<string, number>;
  byDepartment: Record<string, number>;
  rejected: number;
  /** The chunk's rejected lines in S3 (`runs/<runId>/rejections/<n>.json`), when there are any. */
  rejectionsKey: string | null;
  regionCodes: string[];
}

/** A chunk's outcome; a chunk compared again writes the same outcome. */
export async function putChunkResult(runId: string, result: ChunkResult): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: `RUN#${runId}`, sk: `CHUNK#${String(result.index).padStart(8, '0')}`, ...result },
    }),
  );
}

export async function listChunkResults(runId: string): Promise<ChunkResult[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
    ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':c': 'CHUNK#' },
    ConsistentRead: true,
  });
  return items.map((i) => strip<ChunkResult>(i)!);
}

// ── warnings ─────────────────────────────────────────────────────────────────────────────────────

export interface Escalation {
  escalatedAt: string;
  overdueSince: string;
  newDueDate: string;
}

export interface FeedbackRecord extends WarningFeedback {
  answeredAt: string;
  answeredBy: Actor;
  /** Answered after the department's due date: once escalated, or past the due date in force. */
  late: boolean;
}

export interface VerificationRecord {
  taskId: string;
  dueDate: string;
  status: 'open' | 'decided';
  decision?: {
    decision: 'approve' | 'reject' | 'dismiss';
    reasons: string[];
    decidedAt: string;
    decidedBy: string;
  };
}

export interface WarningRecord extends Warning {
  /** The household's assistance chain (一户一条救助链): a case id, `household-…` or `person-…`. */
  chainId: string;
  status: WarningStatus;
  runId: string;
  raisedAt: string;
  /** 反馈期限 in force: working days after the push, or the supervisors' after an escalation. */
  dueDate: string;
  dueDateProvisional?: boolean;
  feedbackWorkingDays: number;
  /** The clause that sets the feedback time limit (indicator data). */
  feedbackClause: string;
  pushedAt?: string;
  escalations: Escalation[];
  feedback?: FeedbackRecord;
  verification?: VerificationRecord;
  /** Blind indexes of the household's members, for the home check's conflict-of-interest rule. */
  memberIndexes?: string[];
}

const dueIndexKeys = (warningId: string, dueDate: string) => ({
  gsi2pk: `WDUE#${dueDate}#${shardOf(warningId)}`,
  gsi2sk: `${dueDate}#${warningId}`,
});

/** Stores a warning once: `created` false when it was stored before (by this run or an earlier one). */
export async function putWarning(w: WarningRecord): Promise<{ created: boolean; warning: WarningRecord }> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...WARN(w.warningId),
          gsi1pk: `WARNS#${w.department}#${shardOf(w.warningId)}`,
          gsi1sk: `${w.regionCode}#${w.raisedAt}#${w.warningId}`,
          ...dueIndexKeys(w.warningId, w.dueDate),
          ...w,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, warning: w };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return { created: false, warning: (await getWarning(w.warningId))! };
}

export async function getWarning(warningId: string): Promise<WarningRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: WARN(warningId), ConsistentRead: true }),
  );
  return strip<WarningRecord>(Item);
}

export async function markPushed(warningId: string, pushedAt: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: WARN(warningId),
      UpdateExpression: 'SET pushedAt = if_not_exists(pushedAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': pushedAt },
    }),
  );
}

export async function setVerification(warningId: string, verification: VerificationRecord): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: WARN(warningId),
      UpdateExpression: 'SET verification = :v',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':v': verification },
    }),
  );
}

/**
 * A department's warnings in a region (a province or city covers its counties), newest first. Every
 * shard of the department's partition is read; `status` filters.
 */
export async function listWarnings(query: {
  department: Department;
  regionCode: string;
  status?: WarningStatus | undefined;
}): Promise<WarningRecord[]> {
  const shards = await queryShards('gsi1', `WARNS#${query.department}#`, regionPrefix(query.regionCode));
  return shards
    .map((i) => strip<WarningRecord>(i)!)
    .filter((w) => !query.status || w.status === query.status)
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || a.warningId.localeCompare(b.warningId));
}

/**
 * A department's answer, once: the warning leaves the due-date index. Undefined when it was answered
 * already (the caller answers 409).
 */
export async function answerWarning(
  warningId: string,
  feedback: FeedbackRecord,
): Promise<WarningRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: WARN(warningId),
        UpdateExpression: 'SET feedback = :f, #s = :answered REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': feedback, ':answered': 'answered' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<WarningRecord>(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Unanswered warnings whose due date is `day`, across every shard. */
export async function warningsDueOn(day: string): Promise<WarningRecord[]> {
  return (await queryShards('gsi2', `WDUE#${day}#`)).map((i) => strip<WarningRecord>(i)!);
}

/**
 * Moves an unanswered warning's due date on after it lapsed (督办), once per lapsed date: a repeat
 * finds the due date moved and changes nothing. Returns the warning as it is now, or undefined when it
 * was answered or escalated meanwhile.
 */
export async function escalateWarning(
  warningId: string,
  escalation: Escalation,
  provisional: boolean,
): Promise<WarningRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: WARN(warningId),
        UpdateExpression:
          'SET #s = :esc, dueDate = :due, dueDateProvisional = :prov, escalations = list_append(escalations, :e), gsi2pk = :pk, gsi2sk = :sk',
        ConditionExpression: 'dueDate = :overdue AND attribute_not_exists(feedback)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':esc': 'escalated',
          ':due': escalation.newDueDate,
          ':prov': provisional,
          ':e': [escalation],
          ':overdue': escalation.overdueSince,
          ':pk': dueIndexKeys(warningId, escalation.newDueDate).gsi2pk,
          ':sk': dueIndexKeys(warningId, escalation.newDueDate).gsi2sk,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<WarningRecord>(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** A sweep's cursor (`WSWEEP` for warnings): the first due day that may still hold unanswered items. */
async function sweepCursor(pk: string): Promise<string | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: { pk, sk: 'CURSOR' }, ConsistentRead: true }),
  );
  return Item?.cursor as string | undefined;
}

async function setSweepCursor(pk: string, day: string): Promise<void> {
  await dynamo().send(new PutCommand({ TableName: table(), Item: { pk, sk: 'CURSOR', cursor: day } }));
}

/** How far back a first sweep looks for due dates it has never seen (a due date is never set in the past). */
const FIRST_SWEEP_LOOKBACK_DAYS = 31;
/** Days whose due-index partitions are read at once (each day is `DUE_SHARDS` queries). */
const SWEEP_WINDOW_DAYS = 16;
const DAY_MS = 86_400_000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/**
 * 督办 sweep over a due-date index: every item still due on a day before today (the last day counts;
 * it is overdue the day after) is handed to `escalate`, day by day from the cursor kept under
 * `cursorKey`, a window of days at a time, as the schedule sweeper reads its due index. `escalate`
 * moves the item's due date on (so a repeat finds nothing) and says whether it did.
 */
export async function sweepOverdue<T>(
  cursorKey: string,
  dueOn: (day: string) => Promise<T[]>,
  escalate: (item: T, today: string) => Promise<boolean>,
): Promise<{ escalated: number; cursor: string }> {
  const now = new Date();
  const today = chinaDate(now);
  const from =
    (await sweepCursor(cursorKey)) ?? chinaDate(new Date(now.getTime() - FIRST_SWEEP_LOOKBACK_DAYS * DAY_MS));
  const days: string[] = [];
  for (let day = from; day < today; day = nextDay(day)) days.push(day);
  let escalated = 0;
  for (let i = 0; i < days.length; i += SWEEP_WINDOW_DAYS) {
    const window = days.slice(i, i + SWEEP_WINDOW_DAYS);
    const due = await Promise.all(window.map(dueOn));
    for (const item of due.flat()) if (await escalate(item, today)) escalated++;
    await setSweepCursor(cursorKey, nextDay(window.at(-1)!));
  }
  return { escalated, cursor: days.length ? nextDay(days.at(-1)!) : from };
}

/** The warnings' escalation sweep (`functions/steps/monitoring.ts` `escalateWarnings`). */
export const WARNING_SWEEP = 'WSWEEP';

// ── the township's home check (入户核查) ───────────────────────────────────────────────────────────

/** Opens the home check once; an existing one is left as it is. */
export async function openVerificationTask(task: VerificationTask): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: openTaskItem(task),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export const isVerificationTask = (task: Pick<Task, 'kind'>): task is VerificationTask =>
  task.kind === VERIFICATION_KIND;

/**
 * A home check decided in the township inbox (`POST /tasks/{taskId}/decision`): no workflow waits on
 * it, so the decision is recorded on its warning, and the task leaves the undelivered-decision index
 * at once. Returns the task.
 */
export async function completeVerification<
  T extends {
    taskId: string;
    applicationId: string;
    dueDate: string;
    decision?:
      | {
          decision: 'approve' | 'reject' | 'dismiss';
          reasons: string[];
          decidedAt: string;
          decidedBy: string;
        }
      | undefined;
  },
>(task: T): Promise<T> {
  const d = task.decision;
  if (!d) throw new Error(`home check ${task.taskId} has no decision`);
  await setVerification(task.applicationId, {
    taskId: task.taskId,
    dueDate: task.dueDate,
    status: 'decided',
    decision: { decision: d.decision, reasons: d.reasons, decidedAt: d.decidedAt, decidedBy: d.decidedBy },
  });
  await markDecisionDelivered(task.taskId, { deliveredAt: new Date().toISOString() });
  return task;
}

// ── the happiness list's ledger ──────────────────────────────────────────────────────────────────

export interface LedgerEntry extends LedgerFacts {
  at: string;
  chainId: string;
  seq: number;
}

/** `YYYY-MM` months from `from` to `to` (dates), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

const chinaDay = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);

/** The chain entries that delivered assistance in a region between two China dates (inclusive). */
export async function ledgerEntries(regionCode: string, from: string, to: string): Promise<LedgerEntry[]> {
  const prefix = regionPrefix(regionCode);
  const queries = monthsBetween(from, to).flatMap((month) =>
    Array.from({ length: LEDGER_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: prefix ? 'gsi1pk = :pk AND begins_with(gsi1sk, :r)' : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': ledgerPartition(month, shard),
          ...(prefix ? { ':r': prefix } : {}),
        },
      }),
    ),
  );
  return (await Promise.all(queries))
    .flat()
    .map((item) => ({
      ...(item.ledger as LedgerFacts),
      at: item.at as string,
      chainId: item.caseId as string,
      seq: item.seq as number,
    }))
    .filter((e) => chinaDay(e.at) >= from && chinaDay(e.at) <= to)
    .sort((a, b) => a.at.localeCompare(b.at) || a.chainId.localeCompare(b.chainId) || a.seq - b.seq);
}
