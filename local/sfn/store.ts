/**
 * The local engine's own record of executions and their histories, in DynamoDB Local (the role
 * Step Functions' internal storage plays on AWS). Writes for one execution are applied in order;
 * `flush` waits for all of them.
 */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
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

export interface ExecutionStore {
  putExecution(e: StoredExecution): Promise<void>;
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  listExecutions(stateMachineArn: string): Promise<StoredExecution[]>;
  appendEvent(arn: string, event: HistoryEvent): void;
  listEvents(arn: string): Promise<HistoryEvent[]>;
  flush(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(8, '0');

export class DynamoExecutionStore implements ExecutionStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #buffers = new Map<string, HistoryEvent[]>();
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;

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
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }

  putExecution(e: StoredExecution): Promise<void> {
    const snapshot = { ...e, events: undefined, invocations: undefined, abort: undefined };
    return this.#enqueue(async () => {
      await this.#doc.send(
        new PutCommand({
          TableName: EXECUTIONS_TABLE,
          Item: {
            pk: e.executionArn,
            sk: 'EXECUTION',
            machine: e.stateMachineArn,
            startKey: String(e.startDate).padStart(15, '0'),
            ...snapshot,
          },
        }),
      );
    });
  }

  async getExecution(arn: string): Promise<StoredExecution | undefined> {
    await this.#chain;
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: EXECUTIONS_TABLE,
        Key: { pk: arn, sk: 'EXECUTION' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _p, sk: _s, machine: _m, startKey: _k, ...rest } = Item;
    return rest as StoredExecution;
  }

  async listExecutions(stateMachineArn: string): Promise<StoredExecution[]> {
    await this.#chain;
    const out: StoredExecution[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: EXECUTIONS_TABLE,
          IndexName: 'byMachine',
          KeyConditionExpression: 'machine = :m',
          ExpressionAttributeValues: { ':m': stateMachineArn },
          ExclusiveStartKey,
        }),
      );
      for (const { pk: _p, sk: _s, machine: _m, startKey: _k, ...rest } of page.Items ?? [])
        out.push(rest as StoredExecution);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  /** Buffered and written in batches of 25, in order, so a busy execution costs few requests. */
  appendEvent(arn: string, event: HistoryEvent): void {
    const buffer = this.#buffers.get(arn) ?? [];
    buffer.push(event);
    this.#buffers.set(arn, buffer);
    if (this.#scheduled) return;
    this.#scheduled = true;
    void this.#enqueue(async () => {
      this.#scheduled = false;
      const batches = [...this.#buffers.entries()];
      this.#buffers.clear();
      for (const [executionArn, events] of batches) {
        for (let i = 0; i < events.length; i += 25) {
          let items = events
            .slice(i, i + 25)
            .map((ev) => ({ PutRequest: { Item: { pk: executionArn, sk: `EVENT#${pad(ev.id)}`, ...ev } } }));
          while (items.length) {
            const out = await this.#doc.send(
              new BatchWriteCommand({ RequestItems: { [EXECUTIONS_TABLE]: items } }),
            );
            items = (out.UnprocessedItems?.[EXECUTIONS_TABLE] ?? []) as typeof items;
          }
        }
      }
    });
  }

  async listEvents(arn: string): Promise<HistoryEvent[]> {
    await this.#chain;
    const out: HistoryEvent[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: EXECUTIONS_TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': arn, ':e': 'EVENT#' },
          ExclusiveStartKey,
        }),
      );
      for (const { pk: _p, sk: _s, ...rest } of page.Items ?? []) out.push(rest as HistoryEvent);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  flush(): Promise<void> {
    return this.#chain;
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work);
    this.#chain = next.catch((error) => {
      console.error('[sfn-store] write failed', error);
    });
    return next;
  }
}
