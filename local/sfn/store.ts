/**
 * The local engine's own record of executions and their histories, in DynamoDB Local (the role
 * Step Functions' internal storage plays on AWS). Writes for one execution are applied in order,
 * each execution's apart from the others' (one queue for all made each execution's next step — a
 * start too — wait for every other's writes); `flush` waits for all of them.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../shared/dynamo.ts';
import type { HistoryEvent } from './engine.ts';

export const EXECUTIONS_TABLE = 'doudi-local-executions';

export interface StoredExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  input: string;
  startDate: number;
  stopDate?: number | undefined;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
}

/**
 * What became of one task invocation, keyed `<state>#<n>`: a replay returns the recorded result
 * instead of doing the work again. `submitted` is a `.waitForTaskToken` task whose work is done and
 * whose token is out, with the deadline its timeout set.
 */
export type TaskRecord =
  | { status: 'submitted'; response: unknown; deadlineAt?: number | undefined }
  | { status: 'succeeded'; output: unknown }
  | { status: 'failed'; error: string; cause: string };

export class TaskAlreadyClosed extends Error {}

export interface ExecutionStore {
  /**
   * Writes the execution. A running one, and a closed one until `markNotified`, is in the index a
   * restart reads (`listRunning`, `listUnnotified`).
   */
  putExecution(e: StoredExecution): Promise<void>;
  listRunning(): Promise<StoredExecution[]>;
  /** Closed executions whose close notification (the archiver) has not yet succeeded. */
  listUnnotified(): Promise<StoredExecution[]>;
  /** The close notification of this closed execution succeeded: it leaves the restart index. */
  markNotified(arn: string): Promise<void>;
  putTaskRecord(arn: string, key: string, record: TaskRecord): Promise<void>;
  /** Completes a task once: throws TaskAlreadyClosed if it already succeeded or failed. */
  closeTask(
    arn: string,
    key: string,
    record: Extract<TaskRecord, { status: 'succeeded' | 'failed' }>,
  ): Promise<void>;
  getTaskRecord(arn: string, key: string): Promise<TaskRecord | undefined>;
  listTaskRecords(arn: string): Promise<Map<string, TaskRecord>>;
  /** Wait-state deadlines, so a replayed Wait ends when the original would have. */
  putWaitDeadline(arn: string, key: string, dueAt: number): void;
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  listExecutions(stateMachineArn: string): Promise<StoredExecution[]>;
  appendEvent(arn: string, event: HistoryEvent): void;
  listEvents(arn: string): Promise<HistoryEvent[]>;
  flush(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(8, '0');

/** Partitions of the restart index (`running`): executions to run again, closings to notify again. */
const RUNNING = 'RUNNING';
const UNNOTIFIED = 'CLOSED_UNNOTIFIED';

function toExecution({
  pk: _p,
  sk: _s,
  machine: _m,
  startKey: _k,
  runningShard: _r,
  ...rest
}: Record<string, unknown>): StoredExecution {
  return rest as unknown as StoredExecution;
}

export class DynamoExecutionStore implements ExecutionStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #buffers = new Map<string, HistoryEvent[]>();
  /** Each execution's queue of writes, while it has any. */
  readonly #chains = new Map<string, Promise<void>>();
  /** Settles when every write queued so far has; a new promise each time one is queued. */
  #all: Promise<void> = Promise.resolve();

  constructor(private readonly client: DynamoDBClient) {
    this.#doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async createTable(): Promise<void> {
    try {
      await this.client.send(
        new CreateTableCommand({
          TableName: EXECUTIONS_TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'machine', AttributeType: 'S' },
            { AttributeName: 'startKey', AttributeType: 'S' },
            { AttributeName: 'runningShard', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byMachine',
              KeySchema: [
                { AttributeName: 'machine', KeyType: 'HASH' },
                { AttributeName: 'startKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
            {
              IndexName: 'running',
              KeySchema: [
                { AttributeName: 'runningShard', KeyType: 'HASH' },
                { AttributeName: 'startKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }

  putExecution(e: StoredExecution): Promise<void> {
    // Only the stored fields: the engine's execution also carries live state that is not data.
    const { executionArn, stateMachineArn, name, status, input, startDate, stopDate, output, error, cause } =
      e;
    const snapshot = {
      executionArn,
      stateMachineArn,
      name,
      status,
      input,
      startDate,
      stopDate,
      output,
      error,
      cause,
    };
    return this.#enqueue(executionArn, async () => {
      await this.#doc.send(
        new PutCommand({
          TableName: EXECUTIONS_TABLE,
          Item: {
            pk: executionArn,
            sk: 'EXECUTION',
            machine: stateMachineArn,
            startKey: String(startDate).padStart(15, '0'),
            // Sparse: the index a restart reads holds running executions, and closed ones until
            // their close notification has succeeded (`markNotified`), so a crash between closing
            // and notifying cannot lose the notification.
            runningShard: status === 'RUNNING' ? RUNNING : UNNOTIFIED,
            ...snapshot,
          },
        }),
      );
    });
  }

  async getExecution(arn: string): Promise<StoredExecution | undefined> {
    await this.#chains.get(arn);
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: EXECUTIONS_TABLE,
        Key: { pk: arn, sk: 'EXECUTION' },
        ConsistentRead: true,
      }),
    );
    return Item ? toExecution(Item) : undefined;
  }

  async listExecutions(stateMachineArn: string): Promise<StoredExecution[]> {
    await this.#all;
    const items = await queryAll(this.#doc, {
      TableName: EXECUTIONS_TABLE,
      IndexName: 'byMachine',
      KeyConditionExpression: 'machine = :m',
      ExpressionAttributeValues: { ':m': stateMachineArn },
    });
    return items.map(toExecution);
  }

  listRunning(): Promise<StoredExecution[]> {
    return this.#toResume(RUNNING);
  }

  listUnnotified(): Promise<StoredExecution[]> {
    return this.#toResume(UNNOTIFIED);
  }

  async #toResume(shard: string): Promise<StoredExecution[]> {
    await this.#all;
    const items = await queryAll(this.#doc, {
      TableName: EXECUTIONS_TABLE,
      IndexName: 'running',
      KeyConditionExpression: 'runningShard = :r',
      ExpressionAttributeValues: { ':r': shard },
    });
    return items.map(toExecution);
  }

  markNotified(arn: string): Promise<void> {
    return this.#enqueue(arn, async () => {
      try {
        await this.#doc.send(
          new UpdateCommand({
            TableName: EXECUTIONS_TABLE,
            Key: { pk: arn, sk: 'EXECUTION' },
            UpdateExpression: 'REMOVE runningShard',
            ConditionExpression: 'runningShard = :u',
            ExpressionAttributeValues: { ':u': UNNOTIFIED },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  putTaskRecord(arn: string, key: string, record: TaskRecord): Promise<void> {
    return this.#enqueue(arn, async () => {
      await this.#doc.send(
        new PutCommand({ TableName: EXECUTIONS_TABLE, Item: { pk: arn, sk: `TASK#${key}`, ...record } }),
      );
    });
  }

  closeTask(
    arn: string,
    key: string,
    record: Extract<TaskRecord, { status: 'succeeded' | 'failed' }>,
  ): Promise<void> {
    return this.#enqueue(arn, async () => {
      try {
        await this.#doc.send(
          new PutCommand({
            TableName: EXECUTIONS_TABLE,
            Item: { pk: arn, sk: `TASK#${key}`, ...record },
            ConditionExpression: 'attribute_not_exists(pk) OR #s = :submitted',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':submitted': 'submitted' },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new TaskAlreadyClosed(key);
        throw error;
      }
    });
  }

  async getTaskRecord(arn: string, key: string): Promise<TaskRecord | undefined> {
    await this.#chains.get(arn);
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: EXECUTIONS_TABLE,
        Key: { pk: arn, sk: `TASK#${key}` },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _p, sk: _s, ...record } = Item;
    return record as TaskRecord;
  }

  async listTaskRecords(arn: string): Promise<Map<string, TaskRecord>> {
    const out = new Map<string, TaskRecord>();
    for (const prefix of ['TASK#', 'WAIT#']) {
      for (const item of await this.#query(arn, prefix)) {
        const { pk: _p, sk, ...record } = item;
        // Tasks are keyed `<state>#<n>` as the engine counts them; waits keep their `WAIT#` prefix.
        out.set(prefix === 'TASK#' ? String(sk).slice(prefix.length) : String(sk), record as TaskRecord);
      }
    }
    return out;
  }

  putWaitDeadline(arn: string, key: string, dueAt: number): void {
    void this.#enqueue(arn, async () => {
      await this.#doc.send(
        new PutCommand({ TableName: EXECUTIONS_TABLE, Item: { pk: arn, sk: `WAIT#${key}`, dueAt } }),
      );
    });
  }

  async #query(arn: string, prefix: string): Promise<Record<string, unknown>[]> {
    await this.#chains.get(arn);
    return queryAll(this.#doc, {
      TableName: EXECUTIONS_TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': arn, ':p': prefix },
      ConsistentRead: true,
    });
  }

  /** Buffered and written in batches of 25, in order, so a busy execution costs few requests. */
  appendEvent(arn: string, event: HistoryEvent): void {
    const buffer = this.#buffers.get(arn);
    if (buffer) {
      buffer.push(event);
      return;
    }
    this.#buffers.set(arn, [event]);
    void this.#enqueue(arn, async () => {
      // A step appends several events at once, and the next step's follow: written together.
      await nextMacrotask();
      const events = this.#buffers.get(arn) ?? [];
      this.#buffers.delete(arn);
      for (let i = 0; i < events.length; i += 25) {
        let items = events
          .slice(i, i + 25)
          .map((ev) => ({ PutRequest: { Item: { pk: arn, sk: `EVENT#${pad(ev.id)}`, ...ev } } }));
        while (items.length) {
          const out = await this.#doc.send(
            new BatchWriteCommand({ RequestItems: { [EXECUTIONS_TABLE]: items } }),
          );
          items = (out.UnprocessedItems?.[EXECUTIONS_TABLE] ?? []) as typeof items;
        }
      }
    });
  }

  async listEvents(arn: string): Promise<HistoryEvent[]> {
    return (await this.#query(arn, 'EVENT#')).map(({ pk: _p, sk: _s, ...event }) => event as HistoryEvent);
  }

  flush(): Promise<void> {
    return this.#all;
  }

  #enqueue(arn: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#chains.get(arn) ?? Promise.resolve()).then(work);
    const settled = next.catch((error) => {
      if (!(error instanceof TaskAlreadyClosed)) console.error('[sfn-store] write failed', error);
    });
    this.#chains.set(arn, settled);
    void settled.then(() => {
      if (this.#chains.get(arn) === settled) this.#chains.delete(arn);
    });
    this.#all = Promise.all([this.#all, settled]).then(() => undefined);
    return next;
  }
}
