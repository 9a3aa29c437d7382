/**
 * The case table (key design in `shared/resources.ts`). Every write that must happen once is
 * conditional, so a retried Lambda or a racing caseworker cannot do it twice.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
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
import { blindIndexes } from '../crypto.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import { type ConditionalPut, isConditionFailure, queryAll, setExpression } from '../dynamo.ts';
import { HttpError, IdempotencyKeyReusedError } from '../errors.ts';
import { casesTable, DUE_SHARDS } from '../resources.ts';
import type { MeansTestResult } from '../rules/index.ts';
import {
  applicationIndexKeys,
  ensureTaskSummaries,
  missingSummaries,
  taskSummaryWrites,
  transactionConflict,
} from './audit-search.ts';
import { openIn, sealIn } from './personal.ts';

const table = () => requiredEnv(casesTable.env);

export type {
  Actor,
  ApplicationRecord,
  ApplicationStatus,
  ConsentRecord,
  DecisionLevel,
  Findings,
  MeansTestSummary,
  Notice,
  Objection,
  PublicNoticeRecord,
  RevokedDetermination,
} from '../domain/cases.ts';
/** The application's tasks; `Task` in `shared/domain/tasks.ts` is every stored kind. */
export type {
  ApplicationTask as TaskRecord,
  ApplicationTaskKind as TaskKind,
  Escalation,
  TaskDecision,
} from '../domain/tasks.ts';

import type {
  ApplicationRecord,
  ApplicationStatus,
  ConsentRecord,
  DecisionLevel,
  MeansTestSummary,
  Notice,
  Objection,
  PublicNoticeRecord,
  RevokedDetermination,
} from '../domain/cases.ts';
import type { InvestigationStart, ReviewDeadline } from '../domain/deadlines.ts';
import {
  type Escalation,
  isApplicationTask,
  type Task,
  type TaskDecision,
  type ApplicationTask as TaskRecord,
} from '../domain/tasks.ts';

/** What a task shows of a means test: its conclusion and every reason with its clause. */
export function meansTestSummary(result: MeansTestResult): MeansTestSummary {
  return {
    tier: result.tier,
    eligible: result.eligible,
    monthlyAmount: result.monthlyAmount,
    perCapitaMonthlyIncome: result.perCapitaMonthlyIncome,
    parameterVersion: result.parameterVersion,
    reasons: result.reasons.map(({ code, message, clause }) => ({ code, message, clause })),
    alternative: result.alternative
      ? { tier: result.alternative.tier, monthlyAmount: result.alternative.monthlyAmount }
      : undefined,
  };
}

export interface ExecutionLink {
  caseId: string;
  executionArn: string;
  workflow: string;
  startedAt: string;
}

const APP = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
export const TASK = (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' });

/** A task as stored while open: in its township's inbox (gsi1), soonest due first. */
export const openTaskItem = <T extends { taskId: string; township: string; dueDate: string }>(task: T) => ({
  ...TASK(task.taskId),
  gsi1pk: `OPEN#${task.township}`,
  gsi1sk: `${task.dueDate}#${task.taskId}`,
  ...task,
});

// ── tasks no workflow waits on (主动发现, 举报投诉): opened and closed with the record they work on ──

/**
 * The record and its task, written together once; false when the record was written before (a
 * retried request, or a warning found again).
 */
export async function putWithTask(record: Record<string, unknown>, task: Task): Promise<boolean> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: record, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: table(),
              Item: openTaskItem(task),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The task decided and out of the inbox, and its record updated (`remove`: attributes it loses, such
 * as its due-index keys), in one write; false when the task was decided already.
 */
export async function decideWithRecord(
  taskId: string,
  decision: TaskDecision,
  record: { key: { pk: string; sk: string }; set: Record<string, unknown>; remove?: string[] },
): Promise<boolean> {
  const { sets, removes, names, values } = setExpression(record.set, record.remove);
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: TASK(taskId),
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
          {
            Update: {
              TableName: table(),
              Key: record.key,
              UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * 督办 of a task no workflow waits on: escalated with its new due date (the inbox reorders it), once
 * per lapsed due date; false when it was decided or escalated meanwhile.
 */
export async function escalateStandaloneTask(
  taskId: string,
  escalation: Escalation,
  dueDateProvisional: boolean,
): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: TASK(taskId),
        UpdateExpression:
          'SET #s = :esc, dueDate = :due, dueDateProvisional = :prov, gsi1sk = :sk, escalations = list_append(if_not_exists(escalations, :none), :one)',
        ConditionExpression: '#s IN (:open, :esc) AND dueDate = :overdue',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':esc': 'escalated',
          ':open': 'open',
          ':due': escalation.newDueDate,
          ':prov': dueDateProvisional,
          ':sk': `${escalation.newDueDate}#${taskId}`,
          ':overdue': escalation.overdueSince,
          ':none': [],
          ':one': [escalation],
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Partitions of the undelivered-decision index (`gsi1`, `UNDELIVERED#<shard>`). */
export const UNDELIVERED_SHARDS = DUE_SHARDS;
const UNDELIVERED = 'UNDELIVERED#';
const undeliveredShard = (taskId: string) =>
  createHash('sha256').update(taskId).digest()[0]! % UNDELIVERED_SHARDS;

/**
 * The `gsi1` keys of a decided task whose decision has not reached its workflow yet: written with
 * the decision, removed once `SendTaskSuccess` answered (or the workflow turned out to be over).
 */
export const undeliveredIndexKeys = (taskId: string, decidedAt: string) => ({
  gsi1pk: `${UNDELIVERED}${undeliveredShard(taskId)}`,
  gsi1sk: `${decidedAt}#${taskId}`,
});
const IDEMP = (scope: string, key: string) => ({ pk: `IDEMP#${scope}#${key}`, sk: 'IDEMP' });

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

/** A submission's `Idempotency-Key` (the caller's subject and the header) and its content's digest. */
export interface SubmissionKey {
  key: string;
  /** The content's digests under each blind-index key, newest first (`requestDigests`): the first is kept. */
  digests: string[];
}

/**
 * A person's claim on assistance (`CLAIM#<blind index of the ID number>`): held by the application
 * that names them, written in its transaction, so that two submissions naming one person cannot
 * both pass. It binds only while its application is open or the case it led to is active; an
 * application closed (refused, withdrawn) or a case ended (exited, terminated) leaves it spent, and
 * the next submission takes it over — conditionally on the holder it saw, so that a race between
 * two of them still has one winner. Spent claims are taken over rather than deleted when a case
 * closes, so there is no release to miss on any of the ways an application or a case ends.
 */
const CLAIM = (index: string) => ({ pk: `CLAIM#${index}`, sk: 'CLAIM' });

/** A member already in an open application or an active case (409, the ID number masked). */
export class OpenApplicationError extends HttpError {
  constructor(
    readonly applicationId: string,
    memberIndex: number,
    idNumber: string,
  ) {
    const message = `家庭成员（身份证号 ${maskIdNumber(idNumber)}）已有未办结的救助申请或正在享受救助（申请 ${applicationId}），不能重复申请；确需重新申请的，由乡镇（街道）经办人注明理由后代为录入`;
    super(409, 'OpenApplicationExists', message, [
      { field: `members.${memberIndex}.idNumber`, message: `已有未办结的申请 ${applicationId}` },
    ]);
  }
}

// A lapsed recognition binds nothing: the household is invited to apply again.
const ENDED_CASE = new Set(['exited', 'terminated', 'lapsed']);

/** Whether the claim's application is still open, or the case it led to still active. */
async function claimBinds(applicationId: string): Promise<boolean> {
  const { Item: app } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: APP(applicationId),
      ConsistentRead: true,
      ProjectionExpression: '#s, caseId, consent.#s',
      ExpressionAttributeNames: { '#s': 'status' },
    }),
  );
  if (!app) return false;
  const status = app.status as ApplicationStatus;
  if (status === 'withdrawn') return false;
  // A refusal with the offer of another tier stays open until the offer is answered or lapses.
  if (status === 'refused') {
    const consent = (app.consent as { status?: string } | undefined)?.status;
    return consent === 'offered' || consent === 'given';
  }
  if (status !== 'approved') return true;
  const { Item: item } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: `CASE#${app.caseId as string}`, sk: 'CASE' },
      ConsistentRead: true,
      ProjectionExpression: '#s',
      ExpressionAttributeNames: { '#s': 'status' },
    }),
  );
  return !ENDED_CASE.has(item?.status as string);
}

/**
 * The claim writes of an application's members: a free claim is taken, a spent one taken over from
 * the holder seen; a binding one refuses the submission — or, with a caseworker's reason, is left
 * with its holder (the new application does not take a claim the open one still needs).
 */
export async function claimWrites(
  record: ApplicationRecord,
  overrideReason: string | undefined,
): Promise<{ writes: ConditionalPut[]; openApplicationIds: string[] }> {
  const members = record.declaration.members;
  // Under every key of the ring: a claim taken before a rotation binds as before. A new claim is
  // taken under the newest key (the first of each person's indexes).
  const indexes = await Promise.all(members.map((m) => blindIndexes(m.idNumber)));
  // One read for the household, however many members it has.
  const holders = new Map<string, string>();
  let request: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead: true }> = {
    [table()]: { Keys: [...new Set(indexes.flat())].map((index) => CLAIM(index)), ConsistentRead: true },
  };
  while (Object.keys(request).length) {
    const out = await dynamo().send(new BatchGetCommand({ RequestItems: request }));
    for (const item of out.Responses?.[table()] ?? [])
      holders.set(item.pk as string, item.applicationId as string);
    request = (out.UnprocessedKeys ?? {}) as typeof request;
  }
  const writes: ConditionalPut[] = [];
  const openApplicationIds = new Set<string>();
  for (const [i, [index, ...earlier]] of indexes.entries()) {
    const holder = holders.get(CLAIM(index!).pk);
    let binding: string | undefined;
    for (const h of [holder, ...earlier.map((e) => holders.get(CLAIM(e).pk))])
      if (h && !binding && (await claimBinds(h))) binding = h;
    if (binding) {
      if (overrideReason === undefined) throw new OpenApplicationError(binding, i, members[i]!.idNumber);
      openApplicationIds.add(binding);
      continue;
    }
    writes.push({
      Put: {
        TableName: table(),
        Item: { ...CLAIM(index!), applicationId: record.applicationId, caseId: record.caseId },
        ...(holder
          ? {
              ConditionExpression: 'applicationId = :holder',
              ExpressionAttributeValues: { ':holder': holder },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }
  return { writes, openApplicationIds: [...openApplicationIds] };
}

/**
 * The put of a new application: sealed, indexed for the auditor's search, with an empty summary of
 * tasks; once only. Submissions and emergency conversions write it in their own transactions.
 */
export async function newApplicationPut(application: ApplicationRecord): Promise<ConditionalPut> {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...APP(application.applicationId),
        ...applicationIndexKeys(application),
        ...(await sealIn(application, 'declaration')),
        taskSummaries: {},
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Creates the application, its case, its members' claims and (with an Idempotency-Key) the key's
 * record in one transaction. Returns the existing application when the key was used before with the
 * same content; the key used before with other content is refused (422). The key's record has no
 * expiry: it lives as long as the application it answers for, so the refusal never lapses into a
 * silent answer. A member with an open application or an active case refuses it (409) unless a
 * caseworker gives a reason (`overrideReason`), which the application keeps. The application is
 * indexed by region and submission time for the auditor's search, with an empty summary of tasks.
 */
export async function createApplication(
  record: ApplicationRecord,
  submission?: SubmissionKey,
  overrideReason?: string,
  /** More writes of the same transaction, made for the application as created: its case's first audit entries. */
  alongside: (application: ApplicationRecord) => ConditionalPut[] = () => [],
): Promise<{ created: boolean; application: ApplicationRecord }> {
  // A retry answers its first answer before anything else: its own claims must not refuse it. The
  // key and the claims are read at once; the claims' answer counts only when the key is new.
  const [first, firstClaims] = await Promise.allSettled([
    submission ? findBySubmissionKey(submission) : Promise.resolve(undefined),
    claimWrites(record, overrideReason),
  ]);
  if (first.status === 'rejected') throw first.reason;
  if (first.value) return { created: false, application: first.value };
  for (let attempt = 1; ; attempt++) {
    if (attempt === 1 && firstClaims.status === 'rejected') throw firstClaims.reason;
    const { writes, openApplicationIds } =
      attempt === 1 && firstClaims.status === 'fulfilled'
        ? firstClaims.value
        : await claimWrites(record, overrideReason);
    const application: ApplicationRecord =
      overrideReason === undefined
        ? record
        : { ...record, newApplication: { reason: overrideReason, openApplicationIds } };
    const items: Array<ConditionalPut> = [
      await newApplicationPut(application),
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `CASE#${application.caseId}`,
            sk: 'CASE',
            caseId: application.caseId,
            regionCode: application.regionCode,
            createdAt: application.submittedAt,
            applicationIds: [application.applicationId],
            ...(application.ownerSubject ? { ownerSubject: application.ownerSubject } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...writes,
      ...alongside(application),
    ];
    if (submission) {
      items.push({
        Put: {
          TableName: table(),
          Item: {
            ...IDEMP('application', submission.key),
            applicationId: application.applicationId,
            digest: submission.digests[0],
            createdAt: application.submittedAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      return { created: true, application };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The same key's first request won meanwhile: its answer. Else a claim changed hands since it
      // was read: read the claims again, which now refuse — or, spent again, are taken over.
      if (submission) {
        const existing = await findBySubmissionKey(submission);
        if (existing) return { created: false, application: existing };
      }
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * The application a submission key was first used for; the key used with other content is refused,
 * every time (a record from before digests were kept cannot tell a retry apart, so it refuses too).
 */
export async function findBySubmissionKey(submission: SubmissionKey): Promise<ApplicationRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: IDEMP('application', submission.key), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  if (!submission.digests.includes(Item.digest as string)) throw new IdempotencyKeyReusedError();
  return getApplication(Item.applicationId as string);
}

export async function getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: APP(applicationId), ConsistentRead: true }),
  );
  return toApplication(Item);
}

/** An application item as the code reads it: keys dropped, the household's personal fields opened. */
async function toApplication(
  item: Record<string, unknown> | undefined,
): Promise<ApplicationRecord | undefined> {
  return openIn(strip<ApplicationRecord>(item), 'declaration');
}

/** A case's link to one of its executions, listed by start (`listExecutions`). */
export const executionLinkItem = (link: ExecutionLink) => ({
  pk: `CASE#${link.caseId}`,
  sk: `EXEC#${link.startedAt}#${link.executionArn}`,
  ...link,
});

export async function linkExecution(link: ExecutionLink, applicationId?: string): Promise<void> {
  const put = { TableName: table(), Item: executionLinkItem(link) };
  if (!applicationId) {
    await dynamo().send(new PutCommand(put));
    return;
  }
  // The case's link and the application's pointer at once: one request, and never one without the other.
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: put },
        {
          Update: {
            TableName: table(),
            Key: APP(applicationId),
            UpdateExpression: 'SET executionArn = :arn',
            ExpressionAttributeValues: { ':arn': link.executionArn },
          },
        },
      ],
    }),
  );
}

export async function listExecutions(caseId: string): Promise<ExecutionLink[]> {
  const out: ExecutionLink[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :exec)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':exec': 'EXEC#' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) out.push(strip<ExecutionLink>(item)!);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

export async function caseExists(caseId: string): Promise<boolean> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
  );
  return Item !== undefined;
}

export async function recordMeansTest(
  applicationId: string,
  meansTest: MeansTestSummary,
  recheckMonths: Record<string, number | null>,
  reviewDeadline: ReviewDeadline,
  decisionLevel: DecisionLevel,
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: APP(applicationId),
      // The deadline runs from acceptance: a repeated step never moves it (nor drops an extension).
      UpdateExpression:
        'SET meansTest = :m, recheckMonths = :r, #s = :s, reviewDeadline = if_not_exists(reviewDeadline, :d), decisionLevel = if_not_exists(decisionLevel, :l)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':m': meansTest,
        ':r': recheckMonths,
        ':s': 'underReview',
        ':d': reviewDeadline,
        ':l': decisionLevel,
      },
    }),
  );
}

/**
 * 单独登记备案 (57号 第十一条): registers the application once, when a member is first found to be a
 * declared close relative of staff or of a committee member. Whether it was registered now.
 */
export async function registerRelatives(
  applicationId: string,
  register: NonNullable<ApplicationRecord['relativesRegister']>,
): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: 'SET relativesRegister = :r',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(relativesRegister)',
        ExpressionAttributeValues: { ':r': register },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Sets `path` on the application's review deadline once, while it is still under review and
 * `requires` exists on it: the record as it is then, or undefined when it cannot be.
 */
async function setOnceUnderReview(
  applicationId: string,
  path: string,
  requires: string,
  value: unknown,
): Promise<ApplicationRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: `SET ${path} = :v`,
        ConditionExpression: `attribute_exists(${requires}) AND attribute_not_exists(${path}) AND #s IN (:u, :p)`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':v': value, ':u': 'underReview', ':p': 'publicNotice' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return openIn(strip<ApplicationRecord>(Attributes), 'declaration');
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * 延长审核确认时限: once per application, while it is still under review, with the reason recorded.
 * Undefined when it cannot be (no deadline yet, already extended, or already decided).
 */
export const extendReviewDeadline = (
  applicationId: string,
  extension: NonNullable<ReviewDeadline['extension']>,
): Promise<ApplicationRecord | undefined> =>
  setOnceUnderReview(applicationId, 'reviewDeadline.extension', 'reviewDeadline', extension);

/**
 * 启动调查: recorded once, while the application is under review and has the day to start by.
 * Undefined when it cannot be (not yet accepted, already recorded, or already decided).
 */
export const recordInvestigationStart = (
  applicationId: string,
  started: NonNullable<InvestigationStart['started']>,
): Promise<ApplicationRecord | undefined> =>
  setOnceUnderReview(
    applicationId,
    'reviewDeadline.investigation.started',
    'reviewDeadline.investigation',
    started,
  );

/**
 * Opens a task keyed by its id, or — when it exists, because the workflow waits on it again after
 * an escalation or a retry — hands it the new token. Returns the task as stored and whether it was
 * created now. A task decided while its previous token lapsed comes back `decided`: the caller
 * delivers that decision with the new token.
 */
export async function openTask(task: TaskRecord): Promise<{ created: boolean; task: TaskRecord }> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The task and its summary on the application (the auditor's search) together.
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
            ...taskSummaryWrites(task),
          ],
        }),
      );
      return { created: true, task };
    } catch (error) {
      if (missingSummaries(error, 1) && attempt < 3) {
        await ensureTaskSummaries(task.applicationId);
        continue;
      }
      if (transactionConflict(error) && attempt < 5) continue;
      if (!isConditionFailure(error)) throw error;
      break;
    }
  }
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: TASK(task.taskId),
      UpdateExpression: 'SET taskToken = :t, executionArn = :e',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':t': task.taskToken, ':e': task.executionArn },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { created: false, task: strip<TaskRecord>(Attributes)! };
}

/**
 * Marks an overdue task escalated and gives it the supervisor's due date, once per lapsed due date
 * (a retried step finds the due date moved on and changes nothing). A task decided meanwhile stays
 * decided and out of the inbox. Returns the task as stored.
 */
export async function escalateTask(
  taskId: string,
  escalation: Escalation,
  due: { dueDate: string; dueDateProvisional: boolean },
): Promise<TaskRecord | undefined> {
  for (let attempt = 1; ; attempt++) {
    const task = await getApplicationTask(taskId);
    if (!task || task.dueDate !== escalation.overdueSince || task.status === 'decided') return task;
    const escalated: TaskRecord = {
      ...task,
      status: 'escalated',
      dueDate: due.dueDate,
      dueDateProvisional: due.dueDateProvisional,
      escalations: [...(task.escalations ?? []), escalation],
    };
    try {
      // The task as read (status, due date and token unchanged meanwhile) and its summary, together.
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: TASK(taskId),
                UpdateExpression:
                  'SET #s = :esc, dueDate = :due, dueDateProvisional = :prov, gsi1sk = :sk, escalations = :all',
                ConditionExpression: 'dueDate = :overdue AND #s = :was AND taskToken = :token',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':esc': 'escalated',
                  ':was': task.status,
                  ':token': task.taskToken,
                  ':due': due.dueDate,
                  ':prov': due.dueDateProvisional,
                  ':sk': `${due.dueDate}#${taskId}`,
                  ':overdue': escalation.overdueSince,
                  ':all': escalated.escalations,
                },
              },
            },
            ...taskSummaryWrites(escalated),
          ],
        }),
      );
      return escalated;
    } catch (error) {
      if (missingSummaries(error, 1) && attempt < 3) {
        await ensureTaskSummaries(task.applicationId);
        continue;
      }
      // Decided, escalated or handed a new token meanwhile: look again.
      if ((isConditionFailure(error) || transactionConflict(error)) && attempt < 5) continue;
      if (!isConditionFailure(error)) throw error;
      return getApplicationTask(taskId);
    }
  }
}

/**
 * One of the application's tasks (the township's review, the county's determination): what the
 * application workflow's steps read. Another kind under the id is a defect, not a task to act on.
 */
export async function getApplicationTask(taskId: string): Promise<TaskRecord | undefined> {
  const task = await getTask(taskId);
  if (task && !isApplicationTask(task))
    throw new Error(`task ${taskId} is a ${task.kind} task, not one of an application's`);
  return task;
}

/** Any stored task, whatever its kind: narrow on `kind`. */
export async function getTask(taskId: string): Promise<Task | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: TASK(taskId), ConsistentRead: true }),
  );
  return strip<Task>(Item);
}

export async function listOpenTasks(township: string): Promise<Task[]> {
  const out: Task[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `OPEN#${township}` },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) out.push(strip<Task>(item)!);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/**
 * Moves an open task to decided, out of the inbox and into the undelivered-decision index, with its
 * summary on the application. Of two caseworkers deciding at once, exactly one wins; the other gets
 * `undefined`. The caller then delivers the decision to the workflow and marks it delivered
 * (`markDecisionDelivered`); what a crash or a failed call leaves undelivered, the redelivery job
 * (`functions/steps/redeliver.ts`) delivers.
 */
export async function decideTask(taskId: string, decision: TaskDecision): Promise<Task | undefined> {
  for (let attempt = 1; ; attempt++) {
    const task = await getTask(taskId);
    if (!task || (task.status !== 'open' && task.status !== 'escalated')) return undefined;
    const decided = { ...task, status: 'decided', decision } as Task;
    const undelivered = undeliveredIndexKeys(taskId, decision.decidedAt);
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: TASK(taskId),
                UpdateExpression: 'SET #s = :decided, decision = :d, gsi1pk = :upk, gsi1sk = :usk',
                // Still as read: the token returned is the one the workflow waits on.
                ConditionExpression: '#s = :was AND taskToken = :token',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':decided': 'decided',
                  ':was': task.status,
                  ':token': task.taskToken,
                  ':d': decision,
                  ':upk': undelivered.gsi1pk,
                  ':usk': undelivered.gsi1sk,
                },
              },
            },
            ...taskSummaryWrites(decided),
          ],
        }),
      );
      return decided;
    } catch (error) {
      if (missingSummaries(error, 1) && attempt < 3) {
        await ensureTaskSummaries(task.applicationId);
        continue;
      }
      // Decided by someone else (the next look says so), escalated or handed a new token: look again.
      if ((isConditionFailure(error) || transactionConflict(error)) && attempt < 5) continue;
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** Whether the task's decision is recorded but not yet known to have reached its workflow. */
export async function isDecisionUndelivered(taskId: string): Promise<boolean> {
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: TASK(taskId),
      ProjectionExpression: 'gsi1pk',
      ConsistentRead: true,
    }),
  );
  return typeof Item?.gsi1pk === 'string' && Item.gsi1pk.startsWith(UNDELIVERED);
}

/**
 * Takes a decided task out of the undelivered index: its decision reached the workflow
 * (`{ deliveredAt }`), or the workflow ended before it could (`{ undeliverable: <status> }`). Only a
 * task still in the index changes; marking twice changes nothing.
 */
export async function markDecisionDelivered(
  taskId: string,
  outcome: { deliveredAt: string } | { undeliverable: string },
): Promise<void> {
  const [[name, value]] = Object.entries(outcome) as [[string, string]];
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: TASK(taskId),
        UpdateExpression: 'SET #o = :o REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :decided AND begins_with(gsi1pk, :u)',
        ExpressionAttributeNames: { '#s': 'status', '#o': name },
        ExpressionAttributeValues: { ':o': value, ':decided': 'decided', ':u': UNDELIVERED },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Task ids whose decision was recorded before `before` (an ISO instant) and is not yet delivered,
 * oldest first within each shard: the redelivery job's work. Rare (a crash or a failed call
 * between recording a decision and delivering it), so each shard is one short query.
 */
export async function listUndeliveredDecisions(before: string): Promise<string[]> {
  const shards = await Promise.all(
    Array.from({ length: UNDELIVERED_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
        ExpressionAttributeValues: { ':pk': `${UNDELIVERED}${shard}`, ':before': before },
        ProjectionExpression: 'taskId',
      }),
    ),
  );
  return shards.flat().map((item) => String(item.taskId));
}

type Determination = NonNullable<ApplicationRecord['determination']>;

/**
 * An approved household's case item carries its tier and first recheck date, where the recheck
 * schedule picks it up (`nextRecheckDue`).
 */
function caseApproved(caseId: string, applicationId: string, determination: Determination) {
  return {
    Update: {
      TableName: table(),
      Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
      UpdateExpression: determination.nextRecheckDue
        ? 'SET tier = :t, monthlyAmount = :a, determinedApplicationId = :app, determinedAt = :at, nextRecheckDue = :due'
        : 'SET tier = :t, monthlyAmount = :a, determinedApplicationId = :app, determinedAt = :at REMOVE nextRecheckDue',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':t': determination.tier,
        ':a': determination.monthlyAmount,
        ':app': applicationId,
        ':at': determination.decidedAt,
        ...(determination.nextRecheckDue ? { ':due': determination.nextRecheckDue } : {}),
      },
    },
  };
}

function noticeItem(caseId: string, applicationId: string, notice: Notice) {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `CASE#${caseId}`, sk: `NOTICE#${notice.noticeId}`, applicationId, ...notice },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Records the determination and its notice together, once (with the offer of another tier, if
 * any): a retried step finds the notice already written and returns the application as it is.
 */
export async function recordDetermination(
  applicationId: string,
  caseId: string,
  determination: Determination,
  notice: Notice,
  consent?: ConsentRecord,
): Promise<void> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: APP(applicationId),
              UpdateExpression: `SET #s = :s, determination = :d, notice = :n${consent ? ', consent = :c' : ''}`,
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(determination)',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: {
                ':s': determination.outcome,
                ':d': determination,
                ':n': notice,
                ...(consent ? { ':c': consent } : {}),
              },
            },
          },
          noticeItem(caseId, applicationId, notice),
          ...(determination.outcome === 'approved'
            ? [caseApproved(caseId, applicationId, determination)]
            : []),
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * The determination in the alternative tier the applicant consented to: it replaces the refusal as
 * the application's current determination (the refusal notice stays on the case), once.
 */
export async function recordAlternativeDetermination(
  applicationId: string,
  caseId: string,
  determination: Determination,
  notice: Notice,
): Promise<void> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: APP(applicationId),
              UpdateExpression: 'SET #s = :s, determination = :d, notice = :n, consent.determinedAt = :at',
              ConditionExpression: 'consent.#cs = :given AND determination.outcome = :refused',
              ExpressionAttributeNames: { '#s': 'status', '#cs': 'status' },
              ExpressionAttributeValues: {
                ':s': 'approved',
                ':d': determination,
                ':n': notice,
                ':at': determination.decidedAt,
                ':given': 'given',
                ':refused': 'refused',
              },
            },
          },
          noticeItem(caseId, applicationId, notice),
          caseApproved(caseId, applicationId, determination),
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * The writes that put a refused application back under review after its refusal was revoked: the
 * determination, its notice and any answered offer of another tier move to `revokedDeterminations`,
 * and the members' claims are taken again (`claims`, from `claimWrites`), so that no other
 * application can take them while this one is open. Only while it is still the refusal that was
 * revoked, and no offer of another tier waits for an answer.
 */
export function reopenApplicationWrites(
  app: ApplicationRecord,
  revoked: RevokedDetermination,
  claims: ConditionalPut[],
) {
  return [
    {
      Update: {
        TableName: table(),
        Key: APP(app.applicationId),
        UpdateExpression:
          'SET #s = :review, revokedDeterminations = list_append(if_not_exists(revokedDeterminations, :none), :r) REMOVE determination, notice, consent',
        ConditionExpression:
          '#s = :refused AND notice.noticeId = :notice AND (attribute_not_exists(consent) OR NOT consent.#s = :offered)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':review': 'underReview',
          ':refused': 'refused',
          ':offered': 'offered',
          ':notice': revoked.noticeId,
          ':none': [],
          ':r': [revoked],
        },
      },
    },
    ...claims,
  ];
}

/** Opens the public notice of a round, once; the application shows it while it runs. */
export async function openPublicNotice(
  applicationId: string,
  notice: PublicNoticeRecord,
): Promise<ApplicationRecord> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: 'SET publicNotice = :n, #s = :s',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(publicNotice) OR publicNotice.round < :r)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':n': notice, ':s': 'publicNotice', ':r': notice.round },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (await toApplication(Attributes))!;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await getApplication(applicationId))!;
  }
}

/**
 * Adds an objection to the notice of `round` while it is open. `false` when the notice is not
 * open (never opened, closed, or a later round's).
 */
/**
 * Adds an objection to the open notice of its round: `closed` when that notice no longer takes
 * objections, `duplicate` (with the objection on record) when its objector has objected to this
 * notice already — one condition on the application, so two at once from one person make one.
 */
export async function addObjection(
  applicationId: string,
  objection: Objection,
): Promise<{ added: true } | { added: false; closed: true } | { added: false; existing: Objection }> {
  const key = objection.objectorKey;
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: `SET objections = list_append(if_not_exists(objections, :none), :o)${key ? ' ADD objectorKeys :k' : ''}`,
        ConditionExpression: `publicNotice.round = :r AND publicNotice.#ns = :open${key ? ' AND NOT contains(objectorKeys, :key)' : ''}`,
        ExpressionAttributeNames: { '#ns': 'status' },
        ExpressionAttributeValues: {
          ':none': [],
          ':o': [objection],
          ':r': objection.round,
          ':open': 'open',
          ...(key ? { ':k': new Set([key]), ':key': key } : {}),
        },
      }),
    );
    return { added: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const app = await getApplication(applicationId);
    const existing = key && app?.objections?.find((o) => o.objectorKey === key);
    return existing ? { added: false, existing } : { added: false, closed: true };
  }
}

/**
 * Closes the notice of `round`: from now on no objection is taken for it, so what the application
 * holds is final. Returns the application as stored; closing twice changes nothing.
 */
export async function closePublicNotice(
  applicationId: string,
  round: number,
  closedAt: string,
): Promise<ApplicationRecord> {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: APP(applicationId),
      UpdateExpression:
        'SET publicNotice.#ns = :closed, publicNotice.closedAt = if_not_exists(publicNotice.closedAt, :at), #s = :review',
      ConditionExpression: 'publicNotice.round = :r',
      ExpressionAttributeNames: { '#ns': 'status', '#s': 'status' },
      ExpressionAttributeValues: {
        ':closed': 'closed',
        ':at': closedAt,
        ':review': 'underReview',
        ':r': round,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return (await toApplication(Attributes))!;
}

/** Records whether the closed notice drew objections (shown with the notice). */
export async function markNoticeObjected(
  applicationId: string,
  round: number,
  objected: boolean,
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: APP(applicationId),
      UpdateExpression: 'SET publicNotice.objected = :o',
      ConditionExpression: 'publicNotice.round = :r',
      ExpressionAttributeValues: { ':o': objected, ':r': round },
    }),
  );
}

/** Hands the consent offer the workflow's token; returns the application as stored. */
export async function attachConsentToken(
  applicationId: string,
  taskToken: string,
): Promise<ApplicationRecord> {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: APP(applicationId),
      UpdateExpression: 'SET consent.taskToken = :t',
      ConditionExpression: 'attribute_exists(consent)',
      ExpressionAttributeValues: { ':t': taskToken },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return (await toApplication(Attributes))!;
}

/**
 * The applicant's answer to the offer, once. Returns the application as stored, or undefined when
 * there is no open offer (none made, already answered, or lapsed).
 */
export async function answerConsent(
  applicationId: string,
  answer: { consent: boolean; answeredAt: string; determineBy?: string | undefined },
): Promise<ApplicationRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: `SET consent.#cs = :st, consent.answeredAt = :at${answer.determineBy ? ', consent.determineBy = :by' : ''}`,
        ConditionExpression: 'consent.#cs = :offered',
        ExpressionAttributeNames: { '#cs': 'status' },
        ExpressionAttributeValues: {
          ':st': answer.consent ? 'given' : 'declined',
          ':at': answer.answeredAt,
          ':offered': 'offered',
          ...(answer.determineBy ? { ':by': answer.determineBy } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toApplication(Attributes);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * The wait for an answer ended: an offer still unanswered lapses and the refusal stands; an answer
 * already recorded (its delivery cut short, or recorded as the wait ended) stands instead. Returns
 * the consent as it is now.
 */
export async function lapseConsent(applicationId: string, at: string): Promise<ConsentRecord> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: 'SET consent.#cs = :lapsed, consent.answeredAt = :at',
        ConditionExpression: 'consent.#cs = :offered',
        ExpressionAttributeNames: { '#cs': 'status' },
        ExpressionAttributeValues: { ':lapsed': 'lapsed', ':at': at, ':offered': 'offered' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (await toApplication(Attributes))!.consent!;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const app = await getApplication(applicationId);
    if (!app?.consent) throw new Error(`application ${applicationId} has no consent offer`);
    return app.consent;
  }
}

export async function getCase(caseId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: { pk: `CASE#${caseId}`, sk: 'CASE' }, ConsistentRead: true }),
  );
  return Item;
}

/** Every notice of the case, page after page: a long case's notices outgrow one query page. */
export async function listNotices(caseId: string): Promise<Notice[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':n': 'NOTICE#' },
  });
  return items.map((item) => strip<Notice>(item)!);
}
