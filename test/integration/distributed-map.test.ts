/**
 * Distributed Map states on the local Step Functions engine, from the ASL AWS runs: items read
 * from S3 (JSON, JSON Lines, CSV) or from the input, ItemSelector, ItemBatcher, MaxConcurrency,
 * tolerated failures, ItemReader failures, the ResultWriter, the parent's history, and a restart
 * in the middle of a Map.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../local/runtime.ts';
import type { AslDocument } from '../../workflows/types.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const sfn = () => new SFNClient({});
const s3 = () => new S3Client({ forcePathStyle: true });
const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

const BUCKET = 'doudi-distributed-map-test';
/** A table of the test's own, keyed `pk`, for what the children write. */
const TABLE = 'doudi-distributed-map-test';

const chunks = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, rows: i * 100 }));

async function setUp(): Promise<void> {
  const client = s3();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: Error) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('manifests/chunks.json', JSON.stringify(chunks));
  await put('manifests/chunks.jsonl', `${chunks.map((c) => JSON.stringify(c)).join('\n')}\n`);
  await put('manifests/people.csv', 'name,city,note\r\nAn,Changsha,"says ""hi"", twice"\r\nBo,Wuhan,\r\n');
  await put('manifests/flagged.json', JSON.stringify(chunks.map((c, i) => ({ ...c, bad: i === 5 }))));
  client.destroy();
  await new DynamoDBClient({})
    .send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ResourceInUseException') throw error;
    });
}

beforeAll(setUp);

let names = 0;
function machine(definition: AslDocument, rt: Runtime = runtime.rt): string {
  return rt.engine.createStateMachine(`test-dmap-${++names}`, definition);
}

async function start(stateMachineArn: string, input: unknown): Promise<string> {
  const { executionArn } = await sfn().send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  return executionArn!;
}

async function finished(executionArn: string, timeoutMs?: number) {
  const done = await eventually(async () => {
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, timeoutMs);
  return { ...done, output: done.output === undefined ? undefined : JSON.parse(done.output) };
}

async function run(stateMachineArn: string, input: unknown) {
  return finished(await start(stateMachineArn, input));
}

async function eventTypes(executionArn: string): Promise<string[]> {
  const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (events ?? []).map((e) => e.type!);
}

const manifest = (key: string) => ({ runId: 'run-1', manifest: { bucket: BUCKET, key } });
const s3Reader = (ReaderConfig: Record<string, unknown>) => ({
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig,
  Parameters: { 'Bucket.$': '$.manifest.bucket', 'Key.$': '$.manifest.key' },
});
const distributed = (States: AslDocument['States'], StartAt = Object.keys(States)[0]!) => ({
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt,
  States,
});

/** The lead's monitoring Map, with a Pass processor that tells what each child was given. */
function compareChunks(overrides: Record<string, unknown> = {}): AslDocument {
  return {
    StartAt: 'CompareChunks',
    States: {
      CompareChunks: {
        Type: 'Map',
        ItemReader: s3Reader({ InputType: 'JSON' }),
        ItemSelector: {
          'runId.$': '$.runId',
          'chunk.$': '$$.Map.Item.Value',
          'index.$': '$$.Map.Item.Index',
        },
        ItemBatcher: { MaxItemsPerBatch: 4, BatchInput: { 'runId.$': '$.runId' } },
        MaxConcurrency: 8,
        ToleratedFailurePercentage: 0,
        ItemProcessor: distributed({
          CompareBatch: {
            Type: 'Pass',
            Parameters: { 'count.$': 'States.ArrayLength($.Items)', 'given.$': '$' },
            End: true,
          },
        }),
        ResultPath: '$.compared',
        Next: 'Summarize',
        ...overrides,
      },
      Summarize: { Type: 'Pass', End: true },
    },
  };
}

describe('a Distributed Map reading its items from S3', () => {
  it('batches the selected items with the BatchInput and returns the children’s outputs in item order', async () => {
    const done = await run(machine(compareChunks()), manifest('manifests/chunks.json'));
    expect(done.status).toBe('SUCCEEDED');
    const compared = done.output.compared as Array<{
      count: number;
      given: { BatchInput: unknown; Items: unknown[] };
    }>;
    expect(compared.map((c) => c.count)).toEqual([4, 4, 2]);
    // As on AWS, the batch is `{ BatchInput, Items }`: BatchInput is not merged into it.
    for (const c of compared) expect(c.given.BatchInput).toEqual({ runId: 'run-1' });
    expect(compared.flatMap((c) => c.given.Items)).toEqual(
      chunks.map((chunk, index) => ({ runId: 'run-1', chunk, index })),
    );
    expect(done.output.runId).toBe('run-1');
  });

  it('shows the Map and its Map Run in the parent’s history', async () => {
    const arn = machine(compareChunks());
    const executionArn = await start(arn, manifest('manifests/chunks.json'));
    await finished(executionArn);
    const types = await eventTypes(executionArn);
    const mapEvents = types.filter((t) => t.startsWith('Map'));
    expect(mapEvents).toEqual([
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
    ]);
    expect(types.indexOf('MapStateExited')).toBeLessThan(types.indexOf('PassStateEntered'));
    // The children's own events stay out of the parent's history, as on AWS: one Pass, Summarize.
    expect(types.filter((t) => t === 'PassStateEntered')).toHaveLength(1);
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn }));
    const mapRunArn = events!.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
    expect(mapRunArn).toMatch(/:mapRun:test-dmap-\d+\/CompareChunks:[0-9a-f-]{36}$/);
    const described = runtime.rt.engine.describeMapRun(mapRunArn);
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      maxConcurrency: 8,
      itemCounts: { total: 10, succeeded: 10, failed: 0, pending: 0, running: 0 },
      executionCounts: { total: 3, succeeded: 3 },
    });
  });

  it('reads JSON Lines and CSV (first row the header, every value a string)', async () => {
    const lines = await run(
      machine(
        compareChunks({
          ItemReader: s3Reader({ InputType: 'JSONL' }),
          ItemBatcher: undefined,
          ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: distributed({ Echo: { Type: 'Pass', End: true } }),
        }),
      ),
      manifest('manifests/chunks.jsonl'),
    );
    expect(lines.output.compared).toEqual(chunks.map((c, index) => ({ id: c.id, index })));

    const csv = await run(
      machine(
        compareChunks({
          ItemReader: s3Reader({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }),
          ItemBatcher: undefined,
          ItemSelector: undefined,
          ItemProcessor: distributed({ Echo: { Type: 'Pass', End: true } }),
        }),
      ),
      manifest('manifests/people.csv'),
    );
    expect(csv.output.compared).toEqual([
      { name: 'An', city: 'Changsha', note: 'says "hi", twice' },
      { name: 'Bo', city: 'Wuhan', note: '' },
    ]);
  });

  it('fails with States.ItemReaderFailed, for the parent’s Catch, when the object is missing', async () => {
    const done = await run(
      machine(
        compareChunks({
          Catch: [{ ErrorEquals: ['States.ItemReaderFailed'], ResultPath: '$.error', Next: 'Summarize' }],
        }),
      ),
      manifest('manifests/missing.json'),
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output.error.Error).toBe('States.ItemReaderFailed');
    expect(done.output.error.Cause).toMatch(/NoSuchKey/);
    expect(done.output.compared).toBeUndefined();
  });
});

describe('failed children', () => {
  /** A child fails on the chunk marked bad; the others pass their input on. */
  const failing = (overrides: Record<string, unknown>) =>
    compareChunks({
      ItemBatcher: undefined,
      ItemSelector: undefined,
      ItemProcessor: distributed({
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.bad', BooleanEquals: true, Next: 'Bad' }],
          Default: 'Good',
        },
        Bad: { Type: 'Fail', Error: 'BadChunk', Cause: 'chunk 5 is bad' },
        Good: { Type: 'Pass', End: true },
      }),
      Catch: [
        { ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Summarize' },
      ],
      ...overrides,
    });

  it('fail the Map with States.ExceedToleratedFailureThreshold beyond the tolerated percentage', async () => {
    const done = await run(
      machine(failing({ ToleratedFailurePercentage: 0 })),
      manifest('manifests/flagged.json'),
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output.error.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(done.output.error.Cause).toMatch(/item 5 failed with BadChunk: chunk 5 is bad/);
    expect(done.output.compared).toBeUndefined();
  });

  it('are in the output, described as AWS describes them, when tolerated', async () => {
    const done = await run(
      machine(failing({ ToleratedFailurePercentage: 10 })),
      manifest('manifests/flagged.json'),
    );
    const compared = done.output.compared as Array<Record<string, unknown>>;
    expect(compared).toHaveLength(10);
    expect(compared[4]).toEqual({ ...chunks[4], bad: false });
    expect(compared[5]).toMatchObject({
      Status: 'FAILED',
      Error: 'BadChunk',
      Cause: 'chunk 5 is bad',
      Input: JSON.stringify({ ...chunks[5], bad: true }),
    });
    expect(compared[5]!.ExecutionArn).toMatch(/:execution:test-dmap-\d+\/CompareChunks:[0-9a-f-]{36}$/);
  });

  it('count every item of a failed batch', async () => {
    const batched = (count: number) =>
      failing({
        ToleratedFailurePercentage: undefined,
        ToleratedFailureCount: count,
        ItemBatcher: { MaxItemsPerBatch: 4 },
        ItemProcessor: distributed({
          // Chunk 5 is the second item of the second batch.
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$.Items[1].bad', BooleanEquals: true, Next: 'Bad' }],
            Default: 'Good',
          },
          Bad: { Type: 'Fail', Error: 'BadChunk', Cause: 'a chunk is bad' },
          Good: { Type: 'Pass', Result: 'good', End: true },
        }),
      });
    // The bad chunk is in the second batch of four: four failed items.
    const over = await run(machine(batched(3)), manifest('manifests/flagged.json'));
    expect(over.output.error?.Error).toBe('States.ExceedToleratedFailureThreshold');
    const within = await run(machine(batched(4)), manifest('manifests/flagged.json'));
    expect(within.output.compared.map((c: { Status?: string }) => c.Status ?? c)).toEqual([
      'good',
      'FAILED',
      'good',
    ]);
  });
});

describe('children', () => {
  it('run MaxConcurrency at a time, and the output keeps item order whatever order they end in', async () => {
    const runId = 'concurrency';
    const arn = machine({
      StartAt: 'Hold',
      States: {
        Hold: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'run.$': '$.runId', 'n.$': '$$.Map.Item.Value' },
          MaxConcurrency: 2,
          ItemProcessor: distributed({
            Wait: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:putItem.waitForTaskToken',
              Parameters: {
                TableName: TABLE,
                Item: {
                  pk: { 'S.$': "States.Format('HOLD#{}#{}', $.run, $.n)" },
                  token: { 'S.$': '$$.Task.Token' },
                },
              },
              ResultPath: '$.answer',
              End: true,
            },
          }),
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { runId, items: [0, 1, 2, 3, 4] });
    const held = async () =>
      (
        (
          await doc().send(
            new ScanCommand({
              TableName: TABLE,
              FilterExpression: 'begins_with(pk, :p)',
              ExpressionAttributeValues: { ':p': `HOLD#${runId}#` },
            }),
          )
        ).Items ?? []
      ).map((i) => ({ n: Number(String(i.pk).split('#')[2]), token: String(i.token) }));
    const mapRun = () => {
      const [listed] = runtime.rt.engine.listMapRuns(executionArn);
      return listed && runtime.rt.engine.describeMapRun(listed.mapRunArn);
    };

    const answered = new Set<number>();
    for (let done = 0; done < 5; done++) {
      // Each child waits for its token: no other can start until one is answered.
      const expected = Math.min(done + 2, 5);
      const holding = await eventually(async () => {
        const rows = await held();
        return rows.length === expected && mapRun()?.executionCounts.running === expected - done
          ? rows
          : undefined;
      });
      expect(mapRun()!.executionCounts).toMatchObject({
        running: expected - done,
        succeeded: done,
        total: 5,
      });
      // Answer the latest started first: the children end out of item order.
      const next = holding.filter((h) => !answered.has(h.n)).sort((a, b) => b.n - a.n)[0]!;
      await sfn().send(
        new SendTaskSuccessCommand({ taskToken: next.token, output: JSON.stringify({ answered: next.n }) }),
      );
      answered.add(next.n);
    }
    const done = await finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual([0, 1, 2, 3, 4].map((n) => ({ run: runId, n, answer: { answered: n } })));
    expect(mapRun()).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 2 });
  });

  it('stop with their execution', async () => {
    const arn = machine({
      StartAt: 'Hold',
      States: {
        Hold: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'n.$': '$$.Map.Item.Value' },
          ItemProcessor: distributed({
            Wait: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:putItem.waitForTaskToken',
              Parameters: {
                TableName: TABLE,
                Item: {
                  pk: { 'S.$': "States.Format('HOLD#stop#{}', $.n)" },
                  token: { 'S.$': '$$.Task.Token' },
                },
              },
              End: true,
            },
          }),
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { items: [0, 1] });
    const { Item } = await eventually(async () => {
      const got = await doc().send(new GetCommand({ TableName: TABLE, Key: { pk: 'HOLD#stop#1' } }));
      return got.Item ? got : undefined;
    });
    await sfn().send(
      new StopExecutionCommand({ executionArn, error: 'Enough', cause: 'stopped by the test' }),
    );
    expect((await finished(executionArn)).status).toBe('ABORTED');
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: String(Item!.token), output: '{}' })),
    ).rejects.toThrow(/Task Timed Out/);
    const [listed] = runtime.rt.engine.listMapRuns(executionArn);
    await eventually(async () =>
      runtime.rt.engine.describeMapRun(listed!.mapRunArn).status === 'ABORTED' ? true : undefined,
    );
  });

  it('use service integrations with AWS’s error names, Retry and Catch', async () => {
    const arn = machine({
      StartAt: 'Save',
      States: {
        Save: {
          Type: 'Map',
          ItemsPath: '$.keys',
          MaxConcurrency: 1,
          ItemSelector: { 'key.$': '$$.Map.Item.Value' },
          ItemProcessor: distributed({
            Put: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:putItem',
              Parameters: {
                TableName: TABLE,
                Item: { pk: { 'S.$': "States.Format('SAVE#{}', $.key)" } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
              Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], MaxAttempts: 2 }],
              Catch: [
                {
                  ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
                  ResultPath: '$.error',
                  Next: 'Duplicate',
                },
              ],
              ResultPath: null,
              Next: 'Saved',
            },
            Saved: { Type: 'Pass', Result: 'saved', End: true },
            Duplicate: { Type: 'Pass', Result: 'duplicate', End: true },
          }),
          End: true,
        },
      },
    });
    const done = await run(arn, { keys: ['a', 'b', 'a'] });
    expect(done.output).toEqual(['saved', 'saved', 'duplicate']);
    const { Item } = await doc().send(new GetCommand({ TableName: TABLE, Key: { pk: 'SAVE#b' } }));
    expect(Item).toEqual({ pk: 'SAVE#b' });
  });
});

describe('a ResultWriter', () => {
  it('exports the results to S3 as AWS lays them out and returns where', async () => {
    const done = await run(
      machine(
        compareChunks({
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Parameters: { Bucket: BUCKET, 'Prefix.$': "States.Format('results/{}', $.runId)" },
          },
        }),
      ),
      manifest('manifests/chunks.json'),
    );
    expect(done.status).toBe('SUCCEEDED');
    const { MapRunArn, ResultWriterDetails } = done.output.compared;
    const runId = String(MapRunArn).split(':').pop();
    expect(ResultWriterDetails).toEqual({ Bucket: BUCKET, Key: `results/run-1/${runId}/manifest.json` });
    const read = async (Key: string) =>
      JSON.parse(
        await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString(),
      );
    const written = await read(ResultWriterDetails.Key);
    expect(written).toMatchObject({
      DestinationBucket: BUCKET,
      MapRunArn,
      ResultFiles: {
        FAILED: [],
        PENDING: [],
        SUCCEEDED: [{ Key: `results/run-1/${runId}/SUCCEEDED_0.json` }],
      },
    });
    const succeeded = await read(written.ResultFiles.SUCCEEDED[0].Key);
    expect(succeeded).toHaveLength(3);
    expect(succeeded[2]).toMatchObject({ Status: 'SUCCEEDED', InputDetails: { Included: true } });
    expect(JSON.parse(succeeded[2].Output).count).toBe(2);
  });
});

describe('a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'doudi-dmap-restart-'));
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Counts every time a child's step runs for `<map>#<n>`: a step done twice would count 2. */
  const count = (map: string) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::dynamodb:updateItem',
    Parameters: {
      TableName: TABLE,
      Key: { pk: { 'S.$': `States.Format('COUNT#${map}#{}', $.n)` } },
      UpdateExpression: 'ADD done :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    },
    ResultPath: null,
  });
  const definition: AslDocument = {
    StartAt: 'First',
    States: {
      First: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'n.$': '$$.Map.Item.Value' },
        ItemProcessor: distributed({ Count: { ...count('first'), End: true } }),
        ResultPath: '$.first',
        Next: 'Second',
      },
      Second: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'n.$': '$$.Map.Item.Value' },
        ItemProcessor: distributed({
          Count: { ...count('second'), Next: 'Wait' },
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem.waitForTaskToken',
            Parameters: {
              TableName: TABLE,
              Item: {
                pk: { 'S.$': "States.Format('HOLD#restart#{}', $.n)" },
                token: { 'S.$': '$$.Task.Token' },
              },
            },
            ResultPath: '$.answer',
            End: true,
          },
        }),
        ResultPath: '$.second',
        End: true,
      },
    },
  };
  const counted = async () =>
    Object.fromEntries(
      (
        (
          await doc().send(
            new ScanCommand({
              TableName: TABLE,
              FilterExpression: 'begins_with(pk, :p)',
              ExpressionAttributeValues: { ':p': 'COUNT#' },
            }),
          )
        ).Items ?? []
      ).map((i) => [String(i.pk), Number(i.done)]),
    );
  const tokens = async () =>
    (
      (
        await doc().send(
          new ScanCommand({
            TableName: TABLE,
            FilterExpression: 'begins_with(pk, :p)',
            ExpressionAttributeValues: { ':p': 'HOLD#restart#' },
          }),
        )
      ).Items ?? []
    ).map((i) => ({ n: Number(String(i.pk).split('#')[2]), token: String(i.token) }));

  it('keeps a finished Map’s outcome and carries an unfinished one on without redoing its children’s steps', async () => {
    rt = await startRuntime({ dataDir, port: 0 });
    await setUp();
    const executionArn = await start(machine(definition, rt), { items: [0, 1, 2] });
    // The second Map's children have each counted and wait for their tokens.
    const before = await eventually(async () => {
      const t = await tokens();
      return t.length === 3 ? t : undefined;
    });
    await rt.stop();

    rt = await startRuntime({ dataDir, port: 0 });
    const arn = rt.engine.createStateMachine(`test-dmap-${names}`, definition);
    expect(arn).toBe(executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''));
    expect(await rt.engine.resume()).toBe(1);
    // The tokens handed out before the restart are the ones the children wait for now.
    for (const { n, token } of before.sort((a, b) => a.n - b.n))
      await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ n }) }));
    const done = await finished(executionArn, 60_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output.first).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(done.output.second).toEqual([0, 1, 2].map((n) => ({ n, answer: { n } })));
    // Every child's step ran once: the first Map was not run again, the second's children replayed.
    expect(await counted()).toEqual({
      'COUNT#first#0': 1,
      'COUNT#first#1': 1,
      'COUNT#first#2': 1,
      'COUNT#second#0': 1,
      'COUNT#second#1': 1,
      'COUNT#second#2': 1,
    });
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
    expect(events!.filter((e) => e.type === 'MapRunStarted')).toHaveLength(2);
    expect(events!.filter((e) => e.type === 'MapRunSucceeded')).toHaveLength(2);
  });
});
