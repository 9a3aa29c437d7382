/**
 * 动态监测 — a department feed dropped into the intake bucket becomes a monitoring run
 * (`workflows/monitoring.ts`):
 *
 *   startRun  (S3 Object Created, through EventBridge on AWS, the runtime's bucket watcher locally)
 *   → prepare       validate the key, read the feed once and cut it into line-aligned byte ranges
 *   → compareChunks (Distributed Map, batches of chunks) read each range, decode from its first line,
 *                   look the people up in the register, evaluate the indicators, store and push warnings
 *   → summarize     merge the chunks' counts and rejected lines into the run report
 *
 * and, on a schedule, `escalateWarnings`: warnings unanswered after their due date are re-pushed marked
 * escalated and reported to the supervisors; and `sweepDemands`, the special-assistance demands
 * (`shared/demands.ts`) pushed and escalated the same way.
 *
 * Everything is idempotent: the run is named after the object's key and ETag (a repeated event starts
 * nothing), warning ids are deterministic and each step after storing a warning is keyed by it, so a
 * retried batch — or the same file dropped again — writes, pushes and records nothing twice.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { appendAudit, auditTaskOpened, SYSTEM } from '../../shared/audit.ts';
import { s3, sendTyped, sfn } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { blindIndexes } from '../../shared/crypto.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { SUPERVISION_WORKING_DAYS } from '../../shared/domain/determination.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { logger } from '../../shared/logger.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import { type FeedChunk, feedKey, planChunks } from '../../shared/monitoring/chunks.ts';
import {
  collectingSink,
  compareFeed,
  type FeedCounts,
  type RegisterEntry,
  type Warning,
} from '../../shared/monitoring/compare/index.ts';
import {
  type FeedFormat,
  type FeedName,
  feedDefinitions,
  feedDescriptions,
  lineBatches,
  RecordDecoder,
  type RecordDefinition,
  regionCodeNamed,
} from '../../shared/monitoring/feeds/index.ts';
import {
  IndicatorBook,
  type IndicatorId,
  indicatorDefinitions,
  sampleIndicatorVersions,
} from '../../shared/monitoring/indicators.ts';
import { chainIdOf, pushMessage } from '../../shared/monitoring/push.ts';
import { departmentLabels, riskTypeLabels } from '../../shared/monitoring/vocabulary.ts';
import * as monitoring from '../../shared/repositories/monitoring.ts';
import { calendar } from '../../shared/repositories/parameters.ts';
import { getHousehold, lookupPersons } from '../../shared/repositories/register.ts';
import { caseworkerQueue, departmentQueues, intakeBucket, supervisorQueue } from '../../shared/resources.ts';
import { workflows } from '../../workflows/index.ts';
import { recheckAfterDeath } from './recheck.ts';

/** Lines per chunk (`MONITORING_CHUNK_LINES` overrides; tests use a few to make several chunks). */
const chunkLines = () => Number(process.env.MONITORING_CHUNK_LINES) || 2_000;
/** A chunk is cut early where lines are long, so that one Lambda never reads more than this of one range. */
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** Warnings of a chunk stored and pushed at once. */
const RAISE_CONCURRENCY = 8;
/** Rejected lines kept on the run record itself; the report in S3 has all of them. */
const RUN_RECORD_REJECTIONS = 100;

/**
 * The indicators (thresholds, departments, home checks, feedback time limits) the comparison applies.
 * Date-versioned data per region (`shared/monitoring/indicators.ts`); the shipped sample versions until
 * an administrator's are loaded.
 */
const book = () => new IndicatorBook(sampleIndicatorVersions);

const runIdOf = (bucket: string, key: string, etag: string) => stableId('run', bucket, key, etag);
const unquote = (etag: string) => etag.replace(/^"|"$/g, '');

// ── the start: S3 Object Created ─────────────────────────────────────────────────────────────────

/** S3's `Object Created` event as EventBridge delivers it (the fields this function reads). */
export interface ObjectCreatedEvent {
  'detail-type': string;
  source: string;
  time?: string;
  detail: {
    bucket: { name: string };
    object: { key: string; size?: number; etag?: string; sequencer?: string };
  };
}

/**
 * Starts a monitoring run for a feed dropped into the intake bucket. The execution is named after the
 * object's key and ETag, so a repeated event (EventBridge delivers at least once; the local watcher
 * again after a restart) starts nothing a second time; a new upload under the same key is a new run.
 */
export async function startRun(
  event: ObjectCreatedEvent,
): Promise<{ runId: string; started: boolean } | { ignored: string }> {
  const { bucket, object } = event.detail;
  if (bucket.name !== requiredEnv(intakeBucket.env)) return { ignored: `bucket ${bucket.name}` };
  const etag = unquote(object.etag ?? object.sequencer ?? '');
  const runId = runIdOf(bucket.name, object.key, etag);
  const workflow = workflows.find((w) => w.id === 'Monitoring')!;
  try {
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv(workflow.env),
        name: runId,
        input: JSON.stringify({ runId, bucket: bucket.name, key: object.key, etag }),
      }),
    );
    logger.info('monitoring run started', { runId, key: object.key });
    return { runId, started: true };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return { runId, started: false };
  }
}

// ── Prepare ──────────────────────────────────────────────────────────────────────────────────────

export interface RunInput {
  runId: string;
  bucket: string;
  key: string;
  etag: string;
  executionArn: string;
}

export type Prepared =
  | { status: 'rejected'; runId: string; reason: string }
  | {
      status: 'comparing';
      runId: string;
      feed: FeedName;
      format: FeedFormat;
      asOf: string;
      header: string | null;
      manifest: { bucket: string; key: string };
      chunks: number;
      lines: number;
    };

const manifestKeyOf = (runId: string) => `runs/${runId}/manifest.json`;

/**
 * Validates the key (`<feed>/<name>.csv|.jsonl`), reads the feed once to cut it into chunks at line
 * boundaries, writes the manifest (a JSON array the Map's ItemReader reads) and records the run. A
 * repeated step finds the run recorded and answers the same.
 */
export async function prepare(event: RunInput): Promise<Prepared> {
  const recorded = await monitoring.getRun(event.runId);
  if (recorded?.status === 'rejected')
    return { status: 'rejected', runId: event.runId, reason: recorded.reason! };
  if (recorded?.manifestKey && recorded.feed && recorded.format) {
    return {
      status: 'comparing',
      runId: event.runId,
      feed: recorded.feed as FeedName,
      format: recorded.format as FeedFormat,
      asOf: recorded.asOf,
      header: recorded.header ?? null,
      manifest: { bucket: event.bucket, key: recorded.manifestKey },
      chunks: recorded.chunks ?? 0,
      lines: recorded.lines ?? 0,
    };
  }
  const startedAt = new Date().toISOString();
  const base = {
    runId: event.runId,
    bucket: event.bucket,
    key: event.key,
    etag: event.etag,
    executionArn: event.executionArn,
    startedAt,
    asOf: chinaDate(new Date(startedAt)),
  };
  const info = feedKey(event.key);
  if (!info.ok) {
    await monitoring.putRun({ ...base, feed: null, format: null, status: 'rejected', reason: info.reason });
    return { status: 'rejected', runId: event.runId, reason: info.reason };
  }
  const object = await s3().send(
    new GetObjectCommand({ Bucket: event.bucket, Key: event.key, IfMatch: `"${event.etag}"` }),
  );
  const plan = await planChunks(object.Body as AsyncIterable<Uint8Array>, {
    linesPerChunk: chunkLines(),
    maxChunkBytes: MAX_CHUNK_BYTES,
  });
  const manifestKey = manifestKeyOf(event.runId);
  await s3().send(
    new PutObjectCommand({
      Bucket: event.bucket,
      Key: manifestKey,
      Body: JSON.stringify(plan.chunks),
      ContentType: 'application/json',
    }),
  );
  await monitoring.putRun({
    ...base,
    feed: info.feed,
    format: info.format,
    status: 'comparing',
    bytes: plan.bytes,
    lines: plan.lines,
    chunks: plan.chunks.length,
    manifestKey,
    header: info.format === 'csv' ? plan.header : null,
  });
  logger.info('monitoring run prepared', { runId: event.runId, feed: info.feed, chunks: plan.chunks.length });
  return {
    status: 'comparing',
    runId: event.runId,
    feed: info.feed,
    format: info.format,
    asOf: base.asOf,
    header: info.format === 'csv' ? plan.header : null,
    manifest: { bucket: event.bucket, key: manifestKey },
    chunks: plan.chunks.length,
    lines: plan.lines,
  };
}

// ── CompareChunks: one batch of chunks ───────────────────────────────────────────────────────────

export interface BatchInput {
  runId: string;
  bucket: string;
  key: string;
  etag: string;
  feed: FeedName;
  format: FeedFormat;
  asOf: string;
  header: string | null;
  /** The monitoring run's execution (the parent of this Map's child). */
  runExecutionArn: string;
}

/** A Distributed Map child's input: the ItemBatcher's `{ Items, BatchInput }`. */
export interface CompareBatchEvent {
  Items: FeedChunk[];
  BatchInput: BatchInput;
  executionArn?: string;
}

export async function compareChunks(event: CompareBatchEvent): Promise<{ chunks: number; warnings: number }> {
  const rules = book();
  let warnings = 0;
  for (const chunk of event.Items) warnings += (await compareChunk(event.BatchInput, chunk, rules)).warnings;
  return { chunks: event.Items.length, warnings };
}

async function readRange(input: BatchInput, chunk: FeedChunk): Promise<Uint8Array> {
  const object = await s3().send(
    new GetObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      Range: `bytes=${chunk.start}-${chunk.end}`,
      IfMatch: `"${input.etag}"`,
    }),
  );
  return object.Body!.transformToByteArray();
}

const emptyTally = () => ({
  byRiskType: {} as Record<string, number>,
  byDepartment: {} as Record<string, number>,
});

async function compareChunk(
  input: BatchInput,
  chunk: FeedChunk,
  rules: IndicatorBook,
): Promise<monitoring.ChunkResult> {
  const text = await readRange(input, chunk);
  const def = feedDefinitions[input.feed] as unknown as RecordDefinition<{
    idNumber: string;
    recordId: string;
    regionCode: string;
  }>;
  const start = { firstLine: chunk.firstLine, header: input.header ?? undefined };

  // First the people: every valid row's ID number, looked up in the register in batches of 100.
  const decoder = RecordDecoder.startingAt(def, input.format, start.firstLine, start.header);
  const idOfRecord = new Map<string, string>();
  const regions = new Set<string>();
  let header = start.header;
  for await (const lines of lineBatches([text]))
    for (const line of lines) {
      const item = decoder.push(line);
      if (input.format === 'csv' && decoder.line === 1) header = line;
      if (!item) continue;
      if (!item.ok) {
        // A rejected row still names whose it is: the run shows its reason, so its region limits the readers.
        const named =
          item.line > 1 || input.format !== 'csv' ? regionCodeNamed(input.format, header, line) : undefined;
        if (named) regions.add(named);
        continue;
      }
      idOfRecord.set(item.row.recordId, item.row.idNumber);
      regions.add(item.row.regionCode);
    }
  // Each person's indexes under every key of the ring, newest first.
  const indexOf = new Map<string, string[]>();
  for (const id of new Set(idOfRecord.values())) indexOf.set(id, await blindIndexes(id));
  const entries = await lookupPersons([...indexOf.values()]);
  const lookup = (idNumber: string): RegisterEntry | undefined => {
    const newest = indexOf.get(idNumber)?.[0];
    return newest === undefined ? undefined : entries.get(newest);
  };

  // Then the comparison proper, over the same lines.
  const sink = collectingSink();
  const counts: FeedCounts = await compareFeed(
    { feed: input.feed, format: input.format, source: [text], start },
    lookup,
    rules,
    input.asOf,
    sink,
  );
  const tally = emptyTally();
  for (const w of sink.warnings) {
    tally.byRiskType[w.riskType] = (tally.byRiskType[w.riskType] ?? 0) + 1;
    tally.byDepartment[w.department] = (tally.byDepartment[w.department] ?? 0) + 1;
    regions.add(w.regionCode);
  }
  // A few warnings at a time: each is a handful of writes and a send, independent of the others.
  let created = 0;
  const queue = [...sink.warnings];
  const worker = async () => {
    for (let w = queue.shift(); w; w = queue.shift()) {
      const personId = w.recordId === null ? undefined : idOfRecord.get(w.recordId);
      // A person's own chain is named under the ring's oldest key: it stays one chain across rotations.
      if (await raise(w, { input, rules, personIndex: personId ? indexOf.get(personId)?.at(-1) : undefined }))
        created++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(RAISE_CONCURRENCY, queue.length) }, worker));
  const rejectionsKey = sink.rejections.length ? `runs/${input.runId}/rejections/${chunk.index}.json` : null;
  if (rejectionsKey)
    await s3().send(
      new PutObjectCommand({
        Bucket: input.bucket,
        Key: rejectionsKey,
        Body: JSON.stringify(sink.rejections.map(({ line, reason }) => ({ line, reason }))),
        ContentType: 'application/json',
      }),
    );
  const result: monitoring.ChunkResult = {
    index: chunk.index,
    counts,
    warnings: sink.warnings.length,
    newWarnings: created,
    ...tally,
    rejected: sink.rejections.length,
    rejectionsKey,
    regionCodes: [...regions].sort(),
  };
  await monitoring.putChunkResult(input.runId, result);
  return result;
}

const send = (queueEnv: string, body: object, type: string) => sendTyped(queueEnv, type, body);

const indicatorLabel = (ruleId: string) => {
  const [first, second] = ruleId.split('.');
  if (first === 'omission')
    return `疑似漏保（${indicatorDefinitions[second as IndicatorId]?.label ?? second}）`;
  if (first === 'duplicateAssistance')
    return second === 'membership' ? '同一人员登记在多个在保家庭' : '同时享受互斥的救助项目';
  return indicatorDefinitions[first as IndicatorId]?.label ?? ruleId;
};

/**
 * A warning into the system, once: stored (`WARN#<id>`), joined to the household's chain, pushed to
 * its department's queue with its feedback due date, and — where the indicator asks for one — a
 * township home check opened. Each step is keyed by the warning, so a retry completes what a failure
 * left and repeats nothing. Returns whether the warning is new.
 */
async function raise(
  w: Warning,
  ctx: { input: BatchInput; rules: IndicatorBook; personIndex: string | undefined },
): Promise<boolean> {
  const set = ctx.rules.resolve(w.regionCode, ctx.input.asOf);
  const raisedAt = new Date().toISOString();
  const due = (await calendar()).provisionalDeadline(chinaDate(new Date(raisedAt)), set.feedbackWorkingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const household = w.householdId && w.homeCheck ? await getHousehold(w.householdId) : undefined;
  const { created, warning } = await monitoring.putWarning({
    ...w,
    chainId: chainIdOf(w, ctx.personIndex),
    status: 'pushed',
    runId: ctx.input.runId,
    raisedAt,
    dueDate: due.deadline,
    ...(due.provisional ? { dueDateProvisional: true } : {}),
    feedbackWorkingDays: set.feedbackWorkingDays,
    feedbackClause: set.clauses.feedbackWorkingDays,
    escalations: [],
    ...(household?.memberIndexes.length ? { memberIndexes: household.memberIndexes } : {}),
  });
  const refs = {
    warningId: warning.warningId,
    runId: warning.runId,
    ...(warning.recordId ? { recordId: warning.recordId } : {}),
  };
  await appendAudit(warning.chainId, {
    key: `warning.raised#${warning.warningId}`,
    actor: SYSTEM,
    action: 'warning.raised',
    summary: `${riskTypeLabels[warning.riskType]}预警（${indicatorLabel(warning.ruleId)}）：${
      warning.source === 'register'
        ? '名单比对'
        : `${feedDescriptions[warning.source].split('：')[0]}记录 ${warning.recordId}`
    }${warning.subject ? `，人员 ${warning.subject}` : ''}`,
    refs,
  });
  if (!warning.pushedAt) {
    await send(
      departmentQueues[warning.department].env,
      pushMessage(warning, warning.dueDate, 0, new Date().toISOString()),
      'warningPushed',
    );
    await monitoring.markPushed(warning.warningId, new Date().toISOString());
  }
  await appendAudit(warning.chainId, {
    key: `warning.pushed#${warning.warningId}`,
    actor: SYSTEM,
    action: 'warning.pushed',
    summary: `分类推送${departmentLabels[warning.department]}，请于${warning.dueDate}前反馈${
      warning.homeCheck ? '；需乡镇（街道）入户核查' : ''
    }（${warning.feedbackWorkingDays}个工作日）`,
    refs,
  });
  if (warning.homeCheck) await openHomeCheck(warning, ctx.input.runExecutionArn);
  // 家庭成员死亡: the case's next 定期核查 within 3 months of the death (a repeat moves nothing again).
  if (
    warning.riskType === 'death' &&
    warning.scope === 'inside' &&
    warning.source !== 'register' &&
    warning.caseId &&
    warning.eventDate
  )
    await recheckAfterDeath({
      caseId: warning.caseId,
      warningId: warning.warningId,
      eventDate: warning.eventDate,
      source: warning.source,
      recordId: warning.recordId,
    });
  return created;
}

/** 入户核查: a task in the township inbox of the warning's county, due with the feedback. */
async function openHomeCheck(warning: monitoring.WarningRecord, runExecutionArn: string): Promise<void> {
  const taskId = stableId('task', warning.warningId, 'verification');
  const task: monitoring.VerificationTask = {
    taskId,
    kind: monitoring.VERIFICATION_KIND,
    status: 'open',
    round: 1,
    applicationId: warning.warningId,
    caseId: warning.chainId,
    township: warning.regionCode,
    taskToken: monitoring.NO_WORKFLOW_TOKEN,
    executionArn: runExecutionArn,
    createdAt: new Date().toISOString(),
    dueDate: warning.dueDate,
    ...(warning.dueDateProvisional ? { dueDateProvisional: true } : {}),
    warning: {
      warningId: warning.warningId,
      riskType: warning.riskType,
      department: warning.department,
      subject: warning.subject,
      message: warning.message,
      householdId: warning.householdId,
    },
    ...(warning.memberIndexes?.length ? { memberIndexes: warning.memberIndexes } : {}),
  };
  await monitoring.openVerificationTask(task);
  if (!warning.verification)
    await monitoring.setVerification(warning.warningId, { taskId, dueDate: task.dueDate, status: 'open' });
  await auditTaskOpened(task);
  // In the township's inbox and its group, as every new task (a repeat is the same notification).
  await sendTyped(caseworkerQueue.env, 'taskOpened', {
    taskId,
    kind: task.kind,
    township: task.township,
    caseId: task.caseId,
    dueDate: task.dueDate,
  });
}

// ── Summarize ────────────────────────────────────────────────────────────────────────────────────

export interface RunSummary {
  runId: string;
  lines: number;
  rows: number;
  rejected: number;
  warnings: number;
  newWarnings: number;
  reportKey: string;
}

const addCounts = (a: FeedCounts, b: FeedCounts): FeedCounts => {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof FeedCounts>) out[k] += b[k];
  return out;
};
const zero = (): FeedCounts => ({
  lines: 0,
  blank: 0,
  rows: 0,
  rejected: 0,
  matched: 0,
  inside: 0,
  stale: 0,
  warnings: 0,
});

/**
 * Merges the chunks' counts and rejected lines into the run report: all of it as `reports/<runId>.json`
 * in the intake bucket, the counts and the first rejections on the run record. Writing it again writes
 * the same report.
 */
export async function summarize(event: {
  runId: string;
  executionArn?: string;
  /** The Map's error, when a chunk failed: the run is reported as failed, with what was compared. */
  failure?: { Error?: string; Cause?: string };
}): Promise<RunSummary> {
  const run = await monitoring.getRun(event.runId);
  if (!run) throw new Error(`monitoring run ${event.runId} is not recorded`);
  const results = (await monitoring.listChunkResults(event.runId)).sort((a, b) => a.index - b.index);
  let counts = zero();
  const byRiskType: Record<string, number> = {};
  const byDepartment: Record<string, number> = {};
  const regions = new Set<string>();
  let warnings = 0;
  let newWarnings = 0;
  const rejections: monitoring.RejectedLine[] = [];
  for (const r of results) {
    counts = addCounts(counts, r.counts);
    warnings += r.warnings;
    newWarnings += r.newWarnings;
    for (const [k, n] of Object.entries(r.byRiskType)) byRiskType[k] = (byRiskType[k] ?? 0) + n;
    for (const [k, n] of Object.entries(r.byDepartment)) byDepartment[k] = (byDepartment[k] ?? 0) + n;
    for (const code of r.regionCodes) regions.add(code);
    if (r.rejectionsKey) {
      const part = await s3().send(new GetObjectCommand({ Bucket: run.bucket, Key: r.rejectionsKey }));
      rejections.push(...(JSON.parse(await part.Body!.transformToString()) as monitoring.RejectedLine[]));
    }
  }
  rejections.sort((a, b) => a.line - b.line);
  const reportKey = `reports/${event.runId}.json`;
  const completedAt = new Date().toISOString();
  await s3().send(
    new PutObjectCommand({
      Bucket: run.bucket,
      Key: reportKey,
      ContentType: 'application/json',
      Body: JSON.stringify({
        runId: run.runId,
        key: run.key,
        etag: run.etag,
        feed: run.feed,
        format: run.format,
        asOf: run.asOf,
        startedAt: run.startedAt,
        completedAt,
        chunks: results.length,
        counts,
        warnings,
        newWarnings,
        byRiskType,
        byDepartment,
        regionCodes: [...regions].sort(),
        rejections,
      }),
    }),
  );
  await monitoring.updateRun(event.runId, {
    status: event.failure ? 'failed' : 'completed',
    ...(event.failure
      ? {
          failure: {
            error: event.failure.Error ?? 'Error',
            cause: (event.failure.Cause ?? '').slice(0, 2000),
          },
        }
      : {}),
    completedAt,
    regionCodes: [...regions].sort(),
    report: {
      counts,
      warnings,
      newWarnings,
      byRiskType,
      byDepartment,
      rejections: rejections.slice(0, RUN_RECORD_REJECTIONS),
      rejectionsTruncated: rejections.length > RUN_RECORD_REJECTIONS,
      reportKey,
    },
  });
  logger.info('monitoring run completed', {
    runId: event.runId,
    lines: counts.lines,
    warnings,
    rejected: counts.rejected,
  });
  return {
    runId: event.runId,
    lines: counts.lines,
    rows: counts.rows,
    rejected: counts.rejected,
    warnings,
    newWarnings,
    reportKey,
  };
}

// ── escalation of unanswered warnings ────────────────────────────────────────────────────────────

/** 增减变动名单: the month's files, once it is over. */
export { dropChangeLists } from '../../shared/change-lists.ts';
/** 需求推送 is swept with the warnings' escalation, by the function that holds the departments' queues. */
export { sweepDemands } from '../../shared/demands.ts';

/**
 * 督办: every warning still unanswered after its due date is pushed to its department again marked
 * escalated, with the supervisors' new due date (`SUPERVISION_WORKING_DAYS`), reported to the
 * supervisors' queue and recorded on its chain — once per lapsed due date (`monitoring.sweepOverdue`).
 */
export async function escalateWarnings(): Promise<{ escalated: number; cursor: string }> {
  const result = await monitoring.sweepOverdue(
    monitoring.WARNING_SWEEP,
    monitoring.warningsDueOn,
    async (w, today) => {
      if (w.feedback) return false;
      await escalate(w, today);
      return true;
    },
  );
  if (result.escalated) logger.info('warnings escalated', result);
  return result;
}

async function escalate(w: monitoring.WarningRecord, today: string): Promise<void> {
  const due = (await calendar()).provisionalDeadline(today, SUPERVISION_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const escalation = w.escalations.length + 1;
  const sentAt = new Date().toISOString();
  await send(
    departmentQueues[w.department].env,
    pushMessage(w, due.deadline, escalation, sentAt),
    'warningEscalated',
  );
  await send(
    supervisorQueue.env,
    {
      type: 'warningEscalated',
      taskId: w.warningId,
      kind: 'monitoringWarning',
      township: w.regionCode,
      caseId: w.chainId,
      overdueSince: w.dueDate,
      newDueDate: due.deadline,
      escalation,
    },
    'warningEscalated',
  );
  await appendAudit(w.chainId, {
    key: `warning.escalated#${w.warningId}#${w.dueDate}`,
    actor: SYSTEM,
    action: 'warning.escalated',
    summary: `${departmentLabels[w.department]}逾期未反馈${riskTypeLabels[w.riskType]}预警（期限${w.dueDate}），报督办，再次推送，新期限${due.deadline}`,
    refs: { warningId: w.warningId },
  });
  await monitoring.escalateWarning(
    w.warningId,
    { escalatedAt: sentAt, overdueSince: w.dueDate, newDueDate: due.deadline },
    due.provisional,
  );
}
