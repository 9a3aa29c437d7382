/**
 * What a case accumulates after its determination, in the case table (key design in
 * `shared/resources.ts`): declarations, recheck records, lifecycle notices and tasks, and emergency
 * requests. Every write that must happen once is conditional; the rest set the same values when
 * repeated, so a retried step or a replayed execution changes nothing.
 *
 * | entity            | pk                      | sk                                  |
 * |-------------------|-------------------------|-------------------------------------|
 * | declaration       | `CASE#<caseId>`         | `DECL#<declaredAt>#<declarationId>` |
 * | recheck           | `CASE#<caseId>`         | `RECHECK#<recheckId>`               |
 * | notice            | `CASE#<caseId>`         | `NOTICE#<noticeId>`                 |
 * | hearing (听取意见) | `CASE#<caseId>`         | `HEARING#<hearingId>`               |
 * | end notice (公示)  | `CASE#<caseId>`         | `ENDNOTICE#<endNoticeId>`           |
 * | lifecycle task    | `TASK#<taskId>`         | `TASK` (township inbox: gsi1)       |
 * | emergency request | `EMERG#<emergencyId>`   | `EMERG`                             |
 * | emergency claim   | `EMCLAIM#<blind index>` | `EMCLAIM` (one open request a person)|
 * | emergency grant   | `EMGRANT#<blind index>` | `<grantedAt>#<emergencyId>`         |
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { auditNotice } from '../audit.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { blindIndexes, fieldCipher, isSealed } from '../crypto.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import type { Benefit, HearingAnswer, LifecycleNotice } from '../domain/lifecycle.ts';
import type {
  EmergencyAllowance,
  EmergencyTaskDetail,
  LifecycleTask,
  LifecycleTaskDecision,
} from '../domain/tasks.ts';
import { isConditionFailure, queryAll, setExpression, updateExisting } from '../dynamo.ts';
import { HttpError } from '../errors.ts';
import { casesTable } from '../resources.ts';
import type { EmergencyStatus, EmergencyType } from '../schemas/cases.ts';
import type { ApplicationRequest, HouseholdDeclaration } from '../schemas/household.ts';
import {
  type Actor,
  type ApplicationRecord,
  claimWrites,
  getApplication,
  type MeansTestSummary,
  newApplicationPut,
  openTaskItem,
  TASK,
} from './cases.ts';
import { openIn, sealIn } from './personal.ts';

export type {
  EmergencyAllowance,
  EmergencyTaskDetail,
  LifecycleTask,
  LifecycleTaskDecision,
  LifecycleTaskKind,
} from '../domain/tasks.ts';

const table = () => requiredEnv(casesTable.env);
const CASE = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
const EMERG = (emergencyId: string) => ({ pk: `EMERG#${emergencyId}`, sk: 'EMERG' });
const IDEMP = (key: string) => ({ pk: `IDEMP#emergency#${key}`, sk: 'IDEMP' });

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

// ── the case item ────────────────────────────────────────────────────────────────────────────────

/** Where the case stands after its determination (absent: active, as the application left it). */
/** `lapsed`: a 刚性支出困难家庭 recognition whose validity ran out (认定办法 第十条). */
export type CaseStatus = 'active' | 'gradualExit' | 'exited' | 'terminated' | 'lapsed';

export interface CaseItem {
  caseId: string;
  regionCode: string;
  createdAt: string;
  applicationIds?: string[];
  /** Set by the application workflow on approval, and by a recheck that adjusts the benefit. */
  tier?: string;
  monthlyAmount?: number | null;
  determinedApplicationId?: string;
  determinedAt?: string;
  nextRecheckDue?: string;
  status?: CaseStatus;
  /** Bumped by every update (`updateCase`), for optimistic concurrency. */
  version?: number;
  /** 动态监测: the household left assistance and is watched for a relapse. */
  monitoring?: boolean;
  /** Wage and business income per month at the last determination or recheck. */
  employmentIncome?: number;
  kind?: 'emergency';
  emergencyId?: string;
  /** The applicant who opened the case online (an application or an emergency request). */
  ownerSubject?: string;
  [attribute: string]: unknown;
}

export async function getCaseItem(caseId: string): Promise<CaseItem | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: CASE(caseId), ConsistentRead: true }),
  );
  return strip<CaseItem>(Item);
}

/** The case item changed since it was read: read it again and decide again. */
export class StaleCaseError extends Error {
  override name = 'StaleCaseError';
  constructor(caseId: string, expected: number) {
    super(`case ${caseId} is no longer at version ${expected}: it changed since it was read`);
  }
}

/**
 * The update of a case item that sets (and removes) attributes and bumps its `version`, on
 * `condition` (over `attribute_exists(pk)`); `names`/`values` are what the condition adds.
 */
function versionedCaseUpdate(
  caseId: string,
  set: Record<string, unknown>,
  remove: readonly string[],
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
) {
  const { sets, removes, names, values } = setExpression(set, remove);
  names['#version'] = 'version';
  values[':zero'] = 0;
  values[':one'] = 1;
  sets.push('#version = if_not_exists(#version, :zero) + :one');
  return {
    TableName: table(),
    Key: CASE(caseId),
    UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '']
      .filter(Boolean)
      .join(' '),
    ConditionExpression: condition
      ? `attribute_exists(pk) AND ${condition.expression}`
      : 'attribute_exists(pk)',
    ExpressionAttributeNames: { ...names, ...condition?.names },
    ExpressionAttributeValues: { ...values, ...condition?.values },
  };
}

/**
 * Sets (and removes) attributes of an existing case item. Every update bumps its `version`;
 * with `expectedVersion` (the version the caller read) the update happens only if nobody changed
 * the case in between (optimistic concurrency), else `StaleCaseError`.
 */
export async function updateCase(
  caseId: string,
  set: Record<string, unknown>,
  remove: string[] = [],
  options: { expectedVersion?: number } = {},
): Promise<void> {
  const expected = options.expectedVersion;
  const condition =
    expected === undefined
      ? undefined
      : {
          expression:
            expected === 0
              ? '(attribute_not_exists(#version) OR #version = :expected)'
              : '#version = :expected',
          values: { ':expected': expected },
        };
  try {
    await dynamo().send(new UpdateCommand(versionedCaseUpdate(caseId, set, remove, condition)));
  } catch (error) {
    if (expected !== undefined && isConditionFailure(error)) throw new StaleCaseError(caseId, expected);
    throw error;
  }
}

/**
 * The write that puts a case back where it stood before a recheck's decision that was revoked: the
 * benefit before it, in assistance, no gradual exit or monitoring that the decision started, and a
 * recheck due on `nextRecheckDue`. Only while that decision is still the case's last recheck
 * (`lastRecheckAt`); the case's version is bumped as every update does.
 */
export function restoreCaseWrite(
  caseId: string,
  restore: { benefit: Benefit; decidedAt: string; nextRecheckDue: string; appealId: string; at: string },
) {
  return {
    Update: versionedCaseUpdate(
      caseId,
      {
        tier: restore.benefit.tier,
        monthlyAmount: restore.benefit.monthlyAmount,
        status: 'active',
        nextRecheckDue: restore.nextRecheckDue,
        reopenedAt: restore.at,
        reopenedBy: restore.appealId,
      },
      ['endedAt', 'gradualExit', 'monitoring', 'nextMonitoringDue', 'exitedAt'],
      {
        expression: '#last = :decided',
        names: { '#last': 'lastRecheckAt' },
        values: { ':decided': restore.decidedAt },
      },
    ),
  };
}

/** The application that determined the case: the one named on the case, else its latest. */
export async function determinedApplication(item: CaseItem): Promise<ApplicationRecord | undefined> {
  const id = item.determinedApplicationId ?? item.applicationIds?.at(-1);
  return id ? getApplication(id) : undefined;
}

/**
 * The benefit the household receives now: the case's own tier and amount (kept by the application
 * workflow and by rechecks), else its approved application's determination.
 */
export async function currentBenefit(item: CaseItem): Promise<Benefit | undefined> {
  if (typeof item.tier === 'string') return { tier: item.tier, monthlyAmount: item.monthlyAmount ?? null };
  const app = await determinedApplication(item);
  const d = app?.determination;
  if (d?.outcome === 'approved' && d.tier) return { tier: d.tier, monthlyAmount: d.monthlyAmount ?? null };
  return undefined;
}

// ── declarations ─────────────────────────────────────────────────────────────────────────────────

export interface DeclarationRecord {
  declarationId: string;
  caseId: string;
  declaredAt: string;
  declaration: HouseholdDeclaration;
  declaredBy?: Actor;
}

/** A new declaration of the household's situation, kept beside the earlier ones (never overwritten). */
export async function putDeclaration(record: DeclarationRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `CASE#${record.caseId}`,
        sk: `DECL#${record.declaredAt}#${record.declarationId}`,
        ...(await sealIn(record, 'declaration')),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function latestDeclaration(caseId: string): Promise<DeclarationRecord | undefined> {
  const { Items } = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':d': 'DECL#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return openIn(strip<DeclarationRecord>(Items?.[0]), 'declaration');
}

// ── notices ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Records a notice on the case once, and in the case's audit log; the same notice id again changes
 * nothing (and a retry after a crash between the two writes completes the second).
 */
export async function putNotice(
  caseId: string,
  notice: LifecycleNotice,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  let created = true;
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...extra, pk: `CASE#${caseId}`, sk: `NOTICE#${notice.noticeId}`, ...notice },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    created = false;
  }
  const refs = Object.fromEntries(
    Object.entries(extra).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  await auditNotice(caseId, notice, refs);
  return created;
}

// ── hearings (听取意见, 社会救助法第四十八条) ─────────────────────────────────────────────────────────

export interface HearingRecord {
  hearingId: string;
  caseId: string;
  recheckId: string;
  /** `open` until the household answers (`answered`) or the time to answer ends (`lapsed`). */
  status: 'open' | 'answered' | 'lapsed';
  /** What is proposed: the recheck's outcome and the benefit before and after. */
  outcome: string;
  current: Benefit;
  proposed: Benefit | null;
  reasons: string[];
  openedAt: string;
  answerBy: string;
  answerByProvisional?: boolean;
  noticeId: string;
  /** The waiting workflow's token, once its wait has started. */
  taskToken?: string;
  answer?: HearingAnswer & { by: Actor | null };
}

const HEARING = (caseId: string, hearingId: string) => ({ pk: `CASE#${caseId}`, sk: `HEARING#${hearingId}` });

export async function getHearing(caseId: string, hearingId: string): Promise<HearingRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: HEARING(caseId, hearingId), ConsistentRead: true }),
  );
  return strip<HearingRecord>(Item);
}

/** The case's hearings, oldest first. */
export async function listHearings(caseId: string): Promise<HearingRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':h': 'HEARING#' },
    ConsistentRead: true,
  });
  return items.map((i) => strip<HearingRecord>(i)!).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

/** Opens a hearing once; the same id again returns the one on record. */
export async function openHearing(
  record: HearingRecord,
): Promise<{ created: boolean; hearing: HearingRecord }> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...HEARING(record.caseId, record.hearingId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, hearing: record };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return { created: false, hearing: (await getHearing(record.caseId, record.hearingId))! };
}

/** Keeps the waiting workflow's token with the hearing (a retried wait replaces it). */
export async function setHearingToken(
  caseId: string,
  hearingId: string,
  taskToken: string,
): Promise<HearingRecord> {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: HEARING(caseId, hearingId),
      UpdateExpression: 'SET taskToken = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':t': taskToken },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return strip<HearingRecord>(Attributes)!;
}

/**
 * Ends an open hearing with an answer (`answered`) or with none (`lapsed`), once: undefined when it
 * was no longer open (answered or lapsed already).
 */
export async function closeHearing(
  caseId: string,
  hearingId: string,
  status: 'answered' | 'lapsed',
  answer: HearingRecord['answer'],
): Promise<HearingRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: HEARING(caseId, hearingId),
        UpdateExpression: 'SET #s = :s, answer = :a',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':a': answer, ':open': 'open' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<HearingRecord>(Attributes);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return undefined;
  }
}

// ── 拟终止特困人员救助供养的公示 ─────────────────────────────────────────────────────────────────

/**
 * The public notice of a proposed end of 特困 support (民发〔2021〕43号 第二十六条: 7 days in the
 * village/community), with the objections taken while it was open. `CASE#<caseId>` / `ENDNOTICE#<id>`.
 */
export interface EndNoticeRecord {
  endNoticeId: string;
  caseId: string;
  recheckId: string;
  status: 'open' | 'closed';
  openedAt: string;
  startsOn: string;
  endsOn: string;
  endsOnProvisional?: boolean;
  /** The instant the last day ends: the workflow waits until then. */
  endsAt: string;
  objections: Array<{ objectionId: string; reason: string; raisedAt: string; recordedBy: Actor }>;
  /** One objection per person per notice: `subject:<id>` or `name:<name>`. */
  objectorKeys: string[];
  closedAt?: string;
}

const END_NOTICE = (caseId: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `ENDNOTICE#${id}` });

export async function getEndNotice(caseId: string, id: string): Promise<EndNoticeRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: END_NOTICE(caseId, id), ConsistentRead: true }),
  );
  return strip<EndNoticeRecord>(Item);
}

/** The case's end notices, oldest first. */
export async function listEndNotices(caseId: string): Promise<EndNoticeRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':e': 'ENDNOTICE#' },
    ConsistentRead: true,
  });
  return items.map((i) => strip<EndNoticeRecord>(i)!).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

/** Opens the notice once; the same id again returns the one on record. */
export async function openEndNotice(record: EndNoticeRecord): Promise<EndNoticeRecord> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...END_NOTICE(record.caseId, record.endNoticeId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return (await getEndNotice(record.caseId, record.endNoticeId))!;
}

/**
 * Adds an objection while the notice is open and before it ends, once per person: `duplicate` when
 * that person objected already, `closed` when the notice is no longer taking objections.
 */
export async function addEndObjection(
  caseId: string,
  id: string,
  objection: EndNoticeRecord['objections'][number],
  objectorKey: string,
): Promise<'added' | 'duplicate' | 'closed'> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: END_NOTICE(caseId, id),
        UpdateExpression:
          'SET objections = list_append(objections, :o), objectorKeys = list_append(objectorKeys, :k)',
        ConditionExpression: '#s = :open AND endsAt > :now AND NOT contains(objectorKeys, :key)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':o': [objection],
          ':k': [objectorKey],
          ':key': objectorKey,
          ':open': 'open',
          ':now': objection.raisedAt,
        },
      }),
    );
    return 'added';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const current = await getEndNotice(caseId, id);
  return current?.objectorKeys.includes(objectorKey) ? 'duplicate' : 'closed';
}

/** Closes the notice (later objections are refused); the record as it stands. */
export async function closeEndNotice(caseId: string, id: string, closedAt: string): Promise<EndNoticeRecord> {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: END_NOTICE(caseId, id),
      UpdateExpression: 'SET #s = :closed, closedAt = if_not_exists(closedAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':at': closedAt },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return strip<EndNoticeRecord>(Attributes)!;
}

// ── recheck records ──────────────────────────────────────────────────────────────────────────────

/** Stores the first assessment of a recheck; a repeated step gets the stored one back. */
export async function putRecheck<T extends { recheckId: string; caseId: string }>(record: T): Promise<T> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `CASE#${record.caseId}`, sk: `RECHECK#${record.recheckId}`, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return (await getRecheck<T>(record.caseId, record.recheckId))!;
}

export async function getRecheck<T>(caseId: string, recheckId: string): Promise<T | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: `CASE#${caseId}`, sk: `RECHECK#${recheckId}` },
      ConsistentRead: true,
    }),
  );
  return strip<T>(Item);
}

export async function updateRecheck(
  caseId: string,
  recheckId: string,
  set: Record<string, unknown>,
): Promise<void> {
  await updateExisting(dynamo(), table(), { pk: `CASE#${caseId}`, sk: `RECHECK#${recheckId}` }, set);
}

// ── lifecycle tasks (in the township inbox beside the application's tasks) ───────────────────────

export async function getLifecycleTask(taskId: string): Promise<LifecycleTask | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: TASK(taskId), ConsistentRead: true }),
  );
  return strip<LifecycleTask>(Item);
}

/**
 * Opens the task, or — when the workflow waits on it again after an escalation or a replay — hands
 * it the current token. Returns the task as stored and whether it was created now.
 */
export async function openLifecycleTask(
  task: LifecycleTask,
): Promise<{ created: boolean; task: LifecycleTask }> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: openTaskItem(task),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, task };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
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
  return { created: false, task: strip<LifecycleTask>(Attributes)! };
}

/**
 * 督办: the open task passed `overdueSince`; it gets the supervisor's due date, once per lapsed due
 * date. It stays `open` so that it can still be decided. Returns the task as stored.
 */
export async function escalateLifecycleTask(
  taskId: string,
  escalation: { escalatedAt: string; overdueSince: string; newDueDate: string },
  provisional: boolean,
): Promise<LifecycleTask | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: TASK(taskId),
        UpdateExpression:
          'SET dueDate = :due, dueDateProvisional = :prov, gsi1sk = :sk, escalations = list_append(if_not_exists(escalations, :none), :e)',
        ConditionExpression: 'dueDate = :overdue AND #s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':due': escalation.newDueDate,
          ':prov': provisional,
          ':sk': `${escalation.newDueDate}#${taskId}`,
          ':none': [],
          ':e': [escalation],
          ':overdue': escalation.overdueSince,
          ':open': 'open',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<LifecycleTask>(Attributes);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return getLifecycleTask(taskId);
  }
}

// ── emergency requests ───────────────────────────────────────────────────────────────────────────

export type { EmergencyStatus };

/** Statuses after which the request holds nothing: its members may ask again. */
const CLOSED_EMERGENCY = new Set<EmergencyStatus>(['declined', 'completed', 'rejected', 'converted']);

export interface EmergencyRecord {
  emergencyId: string;
  caseId: string;
  status: EmergencyStatus;
  /** Where the hardship happened: the office there handles it, whatever the household's hukou. */
  regionCode: string;
  request: Omit<ApplicationRequest, 'requestedTier'> & {
    hardship: { kind: string; description: string; occurredOn: string };
    requestedAmount: number;
    hukouRegionCode?: string | undefined;
    /** Absent on requests made before 支出型 existed: 急难型. */
    type?: EmergencyType;
  };
  submittedAt: string;
  /** The applicant who asked online; absent when a caseworker entered the request. */
  ownerSubject?: string;
  enteredBy?: Actor;
  executionArn?: string;
  /** The members' blind indexes under every key of the ring when it was made, for the grant ledger (`EMGRANT#`). */
  memberIndexes?: string[];
  allowance?: EmergencyAllowance;
  /** The means test at the assessment, as the caseworkers' tasks show it. */
  meansTest?: MeansTestSummary;
  /** The caseworker's decision not to pay first (an approval shows as the grant). */
  grantReview?: { taskId: string; decision: LifecycleTaskDecision };
  grant?: { amount: number; limit: number; month: string; grantedAt: string; parameterVersion: string };
  paperwork?: { taskId: string; dueDate: string; decision?: LifecycleTaskDecision };
  /** 支出型: what the necessary spending left the household, as the assessment found it. */
  expenditure?: NonNullable<EmergencyTaskDetail['expenditure']>;
  /** 支出型: the township's review (入户调查) the county decides on. */
  review?: { taskId: string; decision: LifecycleTaskDecision };
  /**
   * The county's assessment of what was asked beyond the aid paid first (after the paperwork
   * confirmed it): what it was shown, and its decision.
   */
  assessment?: EmergencyAssessment;
  /** The amount the assessment granted, fixed before it is paid (as `grant`). */
  assessedGrant?: { amount: number; month: string; grantedAt: string; parameterVersion: string };
  convertedTo?: { tier: string; applicationId: string; caseId: string };
}

export interface EmergencyAssessment {
  taskId: string;
  requestedAmount: number;
  paidFirst: number;
  /** The part of the request beyond the aid paid first. */
  outstanding: number;
  householdLimit: { amount: number; months: number; since: string; granted: number; remaining: number };
  /** The most the county may grant: what is left of the household's limit. */
  maxAmount: number;
  preparedAt: string;
  decision?: LifecycleTaskDecision;
}

/**
 * The request as stored: the household sealed as in any declaration, and the hardship's description
 * too — it tells of illness, injury and loss (健康信息 among them), which a table export, a backup
 * or a console view must not show. Kind and date stay in clear: they say nothing of the person.
 */
async function sealEmergency(record: EmergencyRecord): Promise<EmergencyRecord> {
  const sealed = await sealIn(record, 'request');
  const { hardship } = sealed.request;
  if (isSealed(hardship.description)) return sealed;
  const description = await fieldCipher().seal(hardship.description);
  return { ...sealed, request: { ...sealed.request, hardship: { ...hardship, description } } };
}

/** The request as the rest of the code reads it: everything `sealEmergency` sealed, opened. */
async function openEmergency(record: EmergencyRecord | undefined): Promise<EmergencyRecord | undefined> {
  const opened = await openIn(record, 'request');
  const hardship = opened?.request.hardship;
  if (!opened || !hardship || !isSealed(hardship.description)) return opened;
  const description = await fieldCipher().open<string>(hardship.description);
  return { ...opened, request: { ...opened.request, hardship: { ...hardship, description } } };
}

const EMCLAIM = (index: string) => ({ pk: `EMCLAIM#${index}`, sk: 'EMCLAIM' });
const EMGRANT = (index: string) => `EMGRANT#${index}`;

/** A member already named by an emergency request still being handled (409, the ID number masked). */
export class OpenEmergencyError extends HttpError {
  constructor(
    readonly emergencyId: string,
    memberIndex: number,
    idNumber: string,
  ) {
    super(
      409,
      'OpenEmergencyExists',
      `家庭成员（身份证号 ${maskIdNumber(idNumber)}）已有正在办理的临时救助（${emergencyId}），同一人同一时间只能有一件临时救助在办；请待其办结后再申请，或向经办人了解办理进度`,
      [{ field: `members.${memberIndex}.idNumber`, message: `已有正在办理的临时救助 ${emergencyId}` }],
    );
  }
}

/**
 * One open emergency request per person (`EMCLAIM#<blind index>`), written in the request's
 * transaction like an application's claims (`cases.createApplication`): a claim held by a request
 * still open refuses the next one; one held by a closed request is taken over, conditionally on the
 * holder seen, so two requests racing for one person still have one winner.
 */
async function emergencyClaimWrites(record: EmergencyRecord, indexes: string[][]) {
  const holderOf = async (index: string) => {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: table(), Key: EMCLAIM(index), ConsistentRead: true }),
    );
    return Item?.emergencyId as string | undefined;
  };
  const isOpen = async (emergencyId: string) => {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: table(),
        Key: EMERG(emergencyId),
        ConsistentRead: true,
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#s': 'status' },
      }),
    );
    return Boolean(Item && !CLOSED_EMERGENCY.has(Item.status as EmergencyStatus));
  };
  const writes = [];
  // Each person's indexes under every key of the ring, newest first: a claim from before a rotation
  // still binds; a new one is taken under the newest key.
  for (const [i, [index, ...earlier]] of indexes.entries()) {
    const holder = await holderOf(index!);
    for (const h of [holder, ...(await Promise.all(earlier.map(holderOf)))])
      if (h && (await isOpen(h))) throw new OpenEmergencyError(h, i, record.request.members[i]!.idNumber);
    writes.push({
      Put: {
        TableName: table(),
        Item: { ...EMCLAIM(index!), emergencyId: record.emergencyId, caseId: record.caseId },
        ...(holder
          ? {
              ConditionExpression: 'emergencyId = :holder',
              ExpressionAttributeValues: { ':holder': holder },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  }
  return writes;
}

async function emergencyByKey(idempotencyKey: string): Promise<EmergencyRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: IDEMP(idempotencyKey), ConsistentRead: true }),
  );
  return Item ? getEmergency(Item.emergencyId as string) : undefined;
}

/**
 * Creates the request, its case, its members' claims and (with an Idempotency-Key) the key's record
 * in one transaction. A retry under the same key gets its first request back before anything else
 * (its own claims must not refuse it); a member with an open request refuses it (409).
 */
export async function createEmergency(
  record: EmergencyRecord,
  idempotencyKey?: string,
): Promise<{ created: boolean; emergency: EmergencyRecord }> {
  if (idempotencyKey) {
    const existing = await emergencyByKey(idempotencyKey);
    if (existing) return { created: false, emergency: existing };
  }
  const indexes = await Promise.all(record.request.members.map((m) => blindIndexes(m.idNumber)));
  // The grant ledger is kept under every key, so a household's grants count across a rotation.
  const stored: EmergencyRecord = { ...record, memberIndexes: indexes.flat() };
  const put = (Item: Record<string, unknown>) => ({
    Put: { TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  for (let attempt = 1; ; attempt++) {
    const items: Array<{ Put: Record<string, unknown> }> = [
      put({ ...EMERG(stored.emergencyId), ...(await sealEmergency(stored)) }),
      put({
        ...CASE(stored.caseId),
        caseId: stored.caseId,
        regionCode: stored.regionCode,
        createdAt: stored.submittedAt,
        kind: 'emergency',
        emergencyId: stored.emergencyId,
        applicationIds: [],
        ...(stored.ownerSubject ? { ownerSubject: stored.ownerSubject } : {}),
      }),
      ...(await emergencyClaimWrites(stored, indexes)),
    ];
    if (idempotencyKey)
      items.push(
        put({ ...IDEMP(idempotencyKey), emergencyId: stored.emergencyId, createdAt: stored.submittedAt }),
      );
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items as never }));
      return { created: true, emergency: stored };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The same key's first request won meanwhile: its answer. Else a claim changed hands since it
      // was read: read the claims again, which now refuse — or, spent again, are taken over.
      if (idempotencyKey) {
        const existing = await emergencyByKey(idempotencyKey);
        if (existing) return { created: false, emergency: existing };
      }
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * The household's emergency grants since `since` (an ISO instant): every grant that named any of
 * its members, each counted once however many members it named. The ledger (`EMGRANT#<blind index>`)
 * is written by the grant step before its payment, so a grant being paid already counts.
 */
export async function emergencyGrantsSince(
  memberIndexes: readonly string[],
  since: string,
): Promise<Array<{ emergencyId: string; amount: number; grantedAt: string }>> {
  const pages = await Promise.all(
    memberIndexes.map((index) =>
      queryAll(dynamo(), {
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: { ':pk': EMGRANT(index), ':since': since },
        ConsistentRead: true,
      }),
    ),
  );
  // One entry a grant (an emergency may have two: the aid paid first and the assessed amount),
  // however many members' ledgers name it.
  const byId = new Map<string, { emergencyId: string; amount: number; grantedAt: string }>();
  for (const item of pages.flat())
    byId.set(item.sk as string, {
      emergencyId: item.emergencyId as string,
      amount: item.amount as number,
      grantedAt: item.grantedAt as string,
    });
  return [...byId.values()];
}

/** Writes the grant into each member's ledger (the same item when repeated). */
export async function recordEmergencyGrantLedger(
  e: EmergencyRecord,
  grant: { amount: number; grantedAt: string },
): Promise<void> {
  await Promise.all(
    (e.memberIndexes ?? []).map((index) =>
      dynamo().send(
        new PutCommand({
          TableName: table(),
          Item: {
            pk: EMGRANT(index),
            sk: `${grant.grantedAt}#${e.emergencyId}`,
            emergencyId: e.emergencyId,
            caseId: e.caseId,
            amount: grant.amount,
            grantedAt: grant.grantedAt,
          },
        }),
      ),
    ),
  );
}

export async function getEmergency(emergencyId: string): Promise<EmergencyRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: EMERG(emergencyId), ConsistentRead: true }),
  );
  return openEmergency(strip<EmergencyRecord>(Item));
}

export async function updateEmergency(
  emergencyId: string,
  set: Partial<EmergencyRecord>,
): Promise<EmergencyRecord> {
  const { Attributes } = await updateExisting(dynamo(), table(), EMERG(emergencyId), set, 'ALL_NEW');
  return (await openEmergency(strip<EmergencyRecord>(Attributes)))!;
}

/**
 * Fixes an emergency's grant (amount, month, time) before anything is paid, once: a step replayed
 * later — in the next month, say — gets the first grant back and pays that month, not a second one.
 * `grant` is the aid paid first, `assessedGrant` what the county's assessment granted beyond it. The
 * status stays as it is; the step sets it last.
 */
export async function recordGrant<F extends 'grant' | 'assessedGrant'>(
  emergencyId: string,
  grant: NonNullable<EmergencyRecord[F]>,
  field: F,
): Promise<NonNullable<EmergencyRecord[F]>> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: EMERG(emergencyId),
        UpdateExpression: 'SET #g = :g',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#g)',
        ExpressionAttributeNames: { '#g': field },
        ExpressionAttributeValues: { ':g': grant },
      }),
    );
    return grant;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const stored = (await getEmergency(emergencyId))?.[field];
  if (!stored) throw new Error(`emergency ${emergencyId} does not exist`);
  return stored as NonNullable<EmergencyRecord[F]>;
}

/** Why a converted application may stand beside a member's open one: the caseworker decided it. */
const CONVERSION_REASON = '临时救助补办手续后，经办人决定转为常规救助申请';

/**
 * 转为常规申请: the application joins the emergency's case (一户一条救助链), once — the application id is
 * stable, so a repeated step finds it written and changes nothing. Like any application it takes its
 * members' claims (`cases.claimWrites`), so a later submission naming them is refused while it is
 * open; a member already in an open application or active case keeps that claim, and the conversion
 * records which (it is the caseworker's decision, as `newApplicationReason` is). The emergency's
 * status changes last, after its notice, by the step that calls this.
 */
export async function createConvertedApplication(app: ApplicationRecord, emergencyId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { writes, openApplicationIds } = await claimWrites(app, CONVERSION_REASON);
    const record: ApplicationRecord = openApplicationIds.length
      ? { ...app, newApplication: { reason: CONVERSION_REASON, openApplicationIds } }
      : app;
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            await newApplicationPut(record),
            {
              Update: {
                TableName: table(),
                Key: CASE(record.caseId),
                UpdateExpression:
                  'SET applicationIds = list_append(if_not_exists(applicationIds, :none), :ids)',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':none': [], ':ids': [record.applicationId] },
              },
            },
            {
              Update: {
                TableName: table(),
                Key: EMERG(emergencyId),
                UpdateExpression: 'SET convertedTo = :c',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: {
                  ':c': {
                    tier: record.requestedTier,
                    applicationId: record.applicationId,
                    caseId: record.caseId,
                  },
                },
              },
            },
            ...writes,
          ],
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Written by an earlier run of the step: nothing more to do. Else a claim changed hands since
      // it was read: read the claims again.
      if (await getApplication(record.applicationId)) return;
      if (attempt >= 3) throw error;
    }
  }
}
