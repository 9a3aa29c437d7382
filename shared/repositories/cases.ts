/**
 * The case table (key design in `shared/resources.ts`). Every write that must happen once is
 * conditional, so a retried Lambda or a racing caseworker cannot do it twice.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { casesTable } from '../resources.ts';
import type { ApplicationRequest } from '../schemas/household.ts';

const table = () => requiredEnv(casesTable.env);

export type ApplicationStatus = 'submitted' | 'underReview' | 'approved' | 'refused' | 'withdrawn';

export interface MeansTestSummary {
  tier: string;
  eligible: boolean;
  monthlyAmount: number | null;
  perCapitaMonthlyIncome: number;
  parameterVersion: string;
  reasons: Array<{ code: string; message: string; clause: string }>;
  alternative?: { tier: string; monthlyAmount: number | null } | undefined;
}

export interface Notice {
  noticeId: string;
  kind: 'approval' | 'refusal' | 'withdrawal';
  title: string;
  body: string;
  reasons: string[];
  decidedAt: string;
  /** The last day the written notice may be served (refusals: 3 working days after the decision). */
  serveBy: string;
  /** `serveBy` assumed Monday–Friday in a year whose holiday arrangement is not loaded yet. */
  serveByProvisional?: boolean;
}

export interface ApplicationRecord {
  applicationId: string;
  caseId: string;
  status: ApplicationStatus;
  regionCode: string;
  requestedTier: ApplicationRequest['requestedTier'];
  declaration: ApplicationRequest;
  submittedAt: string;
  executionArn?: string;
  meansTest?: MeansTestSummary;
  determination?: {
    outcome: 'approved' | 'refused' | 'withdrawn';
    tier: string | null;
    monthlyAmount: number | null;
    decidedAt: string;
  };
  notice?: Notice;
}

export interface TaskRecord {
  taskId: string;
  kind: 'townshipReview';
  status: 'open' | 'decided';
  applicationId: string;
  caseId: string;
  township: string;
  taskToken: string;
  executionArn: string;
  createdAt: string;
  dueDate: string;
  /** The due date assumed Monday–Friday in a year whose holiday arrangement is not loaded yet. */
  dueDateProvisional?: boolean;
  meansTest: MeansTestSummary;
  decision?: { decision: 'approve' | 'reject'; reasons: string[]; decidedAt: string; decidedBy: string };
}

export interface ExecutionLink {
  caseId: string;
  executionArn: string;
  workflow: string;
  startedAt: string;
}

const APP = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
const TASK = (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' });
const IDEMP = (scope: string, key: string) => ({ pk: `IDEMP#${scope}#${key}`, sk: 'IDEMP' });

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/**
 * Creates the application, its case and (with an Idempotency-Key) the key's record in one
 * transaction. Returns the existing application when the key was used before.
 */
export async function createApplication(
  record: ApplicationRecord,
  idempotencyKey?: string,
): Promise<{ created: boolean; application: ApplicationRecord }> {
  const items: Array<{
    Put: { TableName: string; Item: Record<string, unknown>; ConditionExpression: string };
  }> = [
    {
      Put: {
        TableName: table(),
        Item: { ...APP(record.applicationId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: {
          pk: `CASE#${record.caseId}`,
          sk: 'CASE',
          caseId: record.caseId,
          regionCode: record.regionCode,
          createdAt: record.submittedAt,
          applicationIds: [record.applicationId],
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (idempotencyKey) {
    items.push({
      Put: {
        TableName: table(),
        Item: {
          ...IDEMP('application', idempotencyKey),
          applicationId: record.applicationId,
          createdAt: record.submittedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return { created: true, application: record };
  } catch (error) {
    if (!idempotencyKey || !isConditionFailure(error)) throw error;
    const existing = await findByIdempotencyKey(idempotencyKey);
    if (!existing) throw error;
    return { created: false, application: existing };
  }
}

export async function findByIdempotencyKey(key: string): Promise<ApplicationRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: IDEMP('application', key), ConsistentRead: true }),
  );
  return Item ? getApplication(Item.applicationId as string) : undefined;
}

export async function getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: APP(applicationId), ConsistentRead: true }),
  );
  return strip<ApplicationRecord>(Item);
}

export async function linkExecution(link: ExecutionLink, applicationId?: string): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: `CASE#${link.caseId}`, sk: `EXEC#${link.startedAt}#${link.executionArn}`, ...link },
    }),
  );
  if (applicationId) {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: APP(applicationId),
        UpdateExpression: 'SET executionArn = :arn',
        ExpressionAttributeValues: { ':arn': link.executionArn },
      }),
    );
  }
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

export async function recordMeansTest(applicationId: string, meansTest: MeansTestSummary): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: APP(applicationId),
      UpdateExpression: 'SET meansTest = :m, #s = :s',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':m': meansTest, ':s': 'underReview' },
    }),
  );
}

/** Opens a task keyed by its id; a retried step finds it already there and changes nothing. */
export async function openTask(task: TaskRecord): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...TASK(task.taskId),
          gsi1pk: `OPEN#${task.township}`,
          gsi1sk: `${task.dueDate}#${task.taskId}`,
          ...task,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: TASK(taskId), ConsistentRead: true }),
  );
  return strip<TaskRecord>(Item);
}

export async function listOpenTasks(township: string): Promise<TaskRecord[]> {
  const out: TaskRecord[] = [];
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
    for (const item of page.Items ?? []) out.push(strip<TaskRecord>(item)!);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/**
 * Moves an open task to decided and out of the inbox index. Of two caseworkers deciding at once,
 * exactly one wins; the other gets `false`.
 */
export async function decideTask(
  taskId: string,
  decision: NonNullable<TaskRecord['decision']>,
): Promise<TaskRecord | undefined> {
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: TASK(taskId),
        UpdateExpression: 'SET #s = :decided, decision = :d REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':decided': 'decided', ':open': 'open', ':d': decision },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<TaskRecord>(Attributes);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Records the determination and its notice together, once: a retried step finds the notice
 * already written and returns the application as it is.
 */
export async function recordDetermination(
  applicationId: string,
  caseId: string,
  determination: NonNullable<ApplicationRecord['determination']>,
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
              UpdateExpression: 'SET #s = :s, determination = :d, notice = :n',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(determination)',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':s': determination.outcome, ':d': determination, ':n': notice },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { pk: `CASE#${caseId}`, sk: `NOTICE#${notice.noticeId}`, applicationId, ...notice },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function listNotices(caseId: string): Promise<Notice[]> {
  const page = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':n': 'NOTICE#' },
    }),
  );
  return (page.Items ?? []).map((item) => strip<Notice>(item)!);
}
