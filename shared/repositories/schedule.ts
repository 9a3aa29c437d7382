/**
 * Durable schedules for the next execution of a case's chain (a recheck, a gradual exit, …),
 * found through the date-sharded due index `gsi2` (see `shared/resources.ts`) rather than one
 * EventBridge schedule per household.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { chinaDate } from '../domain/dates.ts';
import { queryAll } from '../dynamo.ts';
import { casesTable, DUE_SHARDS } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);

export interface Schedule {
  caseId: string;
  /** The workflow id to start (`workflows/`), e.g. `Recheck`. */
  workflow: string;
  /** ISO instant the execution is due. */
  dueAt: string;
  input: Record<string, unknown>;
  status: 'pending' | 'started';
  executionArn?: string;
  createdAt: string;
}

export const shardOf = (caseId: string): number =>
  createHash('sha256').update(caseId).digest()[0]! % DUE_SHARDS;

const scheduleKey = (s: Pick<Schedule, 'caseId' | 'workflow' | 'dueAt'>) => ({
  pk: `CASE#${s.caseId}`,
  sk: `SCHEDULE#${s.workflow}#${s.dueAt}`,
});

/** Schedules a workflow for a case; the same (case, workflow, due) twice is one schedule. */
export async function scheduleWorkflow(s: Omit<Schedule, 'status' | 'createdAt'>): Promise<void> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...scheduleKey(s),
          gsi2pk: `DUE#${chinaDate(new Date(s.dueAt))}#${shardOf(s.caseId)}`,
          gsi2sk: `${s.dueAt}#${s.caseId}#${s.workflow}`,
          ...s,
          status: 'pending',
          createdAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
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
  return shards
    .flat()
    .map(({ pk: _p, sk: _s, gsi2pk: _g, gsi2sk: _k, ...item }) => item as unknown as Schedule);
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
