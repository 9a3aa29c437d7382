/**
 * `npm run bench -- lifecycle`: N applications through approval on the local runtime (township
 * review → public notice → county determination), against a baseline of raw DynamoDB Local doing
 * only the minimum writes an application needs, measured in the same run. Prints applications/s
 * for both and their ratio, the DynamoDB requests, Lambda invocations and state transitions per
 * application (counted, not estimated), and what one application's lifecycle costs on AWS at list
 * prices (the table below).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ApiClient, type Caller, eventually } from '../local/client.ts';
import { clock, clockStartFromEnv } from '../local/clock.ts';
import { invocationCounts, resetInvocationCounts } from '../local/lambda.ts';
import { startRuntime, stopWithin } from '../local/runtime.ts';
import { requestCountsByCaller, resetRequestCounts } from '../shared/clients.ts';
import { applicationTaskId } from '../shared/domain/ids.ts';
import type { ApplicationTaskKind } from '../shared/domain/tasks.ts';
import { application } from '../test/support/households.ts';
import { ENGINE, PRICES, requestTotals } from './prices.ts';

// One person submitting for seconds on end is a flood by the rate limits (shared/rate-limits.ts):
// the bench measures the system's work, the limiter's count included, with its limits raised out of
// the way unless DOUDI_RATE_LIMIT_SCALE says otherwise.
process.env.DOUDI_RATE_LIMIT_SCALE ??= '1000000';
const N = Number(process.env.BENCH_APPLICATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DAY = 86_400_000;

const runtime = await startRuntime({ dataDir: null, port: 0, startAt: clockStartFromEnv() });
// Each step by the person who takes it, signed in as on the pages before the clock starts (sign-ins are
// not counted as the system's work).
const client = new ApiClient(runtime.apiUrl);
const as = {
  applicant: { role: 'applicant', subject: 'bench-applicant', name: '压测申请人' },
  township: { role: 'townshipCaseworker', regionCodes: ['430121'], name: '压测经办人' },
  county: { role: 'countyOfficer', regionCodes: ['430121'], name: '压测县级审核人' },
} satisfies Record<string, Caller>;
await Promise.all(Object.values(as).map((person) => client.authorization(person)));
const until = <T>(check: () => Promise<T | undefined>) =>
  eventually(check, { timeoutMs: 600_000, every: 20 });

// The bench watches the table with its own client, so that its looking is not counted as the system's work.
const watcher = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = runtime.env.CASES_TABLE!;
/**
 * The application's open task of a kind, looked up by its id (`applicationTaskId`: the first round's,
 * as in this straight run) rather than found in the township's inbox: reading the whole inbox every
 * few milliseconds, which grows with the run, was most of DynamoDB Local's work.
 */
async function openTask(applicationId: string, kind: ApplicationTaskKind): Promise<{ taskId: string }> {
  const { Item: app } = await watcher.send(
    new GetCommand({ TableName: table, Key: { pk: `APP#${applicationId}`, sk: 'APP' } }),
  );
  const taskId = applicationTaskId(app!.executionArn, kind, 1);
  return until(async () => {
    const { Item } = await watcher.send(
      new GetCommand({ TableName: table, Key: { pk: `TASK#${taskId}`, sk: 'TASK' } }),
    );
    return Item?.status === 'open' ? { taskId } : undefined;
  });
}
async function statusIs(applicationId: string, status: string) {
  await until(async () => {
    const { Item } = await watcher.send(
      new GetCommand({ TableName: table, Key: { pk: `APP#${applicationId}`, sk: 'APP' } }),
    );
    return Item?.status === status ? true : undefined;
  });
}

async function decideOpen(applicationId: string, kind: ApplicationTaskKind, actor: Caller) {
  const task = await openTask(applicationId, kind);
  const res = await client.call(actor, 'POST', `/tasks/${task.taskId}/decision`, {
    decision: 'approve',
    reasons: ['核实属实'],
  });
  if (res.status !== 200) throw new Error(`decision failed: ${JSON.stringify(res.body)}`);
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

console.log(
  `doudi lifecycle benchmark — ${N} applications, ${CONCURRENCY} at a time, node ${process.version}`,
);
resetRequestCounts();
resetInvocationCounts();
const ids: Array<{ applicationId: string; caseId: string }> = [];
const started = performance.now();
// Phase 1: submit and take each through the township review.
await pool(
  Array.from({ length: N }, (_, i) => i),
  async () => {
    const { status, body } = await client.call(as.applicant, 'POST', '/applications', application());
    if (status !== 202) throw new Error(`submit failed: ${JSON.stringify(body)}`);
    ids.push(body);
    await decideOpen(body.applicationId, 'townshipReview', as.township);
  },
);
// Phase 2: the public notice runs out for all of them at once on the virtual clock.
await pool(ids, ({ applicationId }) => statusIs(applicationId, 'publicNotice'));
clock.advance(10 * DAY);
// Phase 3: the county determines each.
await pool(ids, async ({ applicationId }) => {
  await decideOpen(applicationId, 'countyDetermination', as.county);
  await statusIs(applicationId, 'approved');
});
const doudiSeconds = (performance.now() - started) / 1000;
await runtime.engine.idle();

const sfn = new SFNClient({});
let transitions = 0;
const sampled = ids.slice(0, Math.min(ids.length, 50));
for (const { caseId } of sampled) {
  const { Items } = await watcher.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':p': `CASE#${caseId}`, ':e': 'EXEC#' },
    }),
  );
  for (const link of Items ?? []) {
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: link.executionArn, maxResults: 1000 }),
    );
    transitions += (history.events ?? []).filter((ev) => ev.type?.endsWith('StateEntered')).length;
  }
}
const transitionsPerApp = transitions / sampled.length;
const byCaller = requestCountsByCaller();
const invocations = invocationCounts();

// Baseline: the minimum an application needs in DynamoDB — the application, its task, the
// decision and the determination with its notice — with nothing around it.
const raw = watcher;
const baselineStarted = performance.now();
await pool(
  Array.from({ length: N }, (_, i) => i),
  async (i) => {
    const id = `bench-${i}`;
    await raw.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `APP#${id}`, sk: 'APP', declaration: application(), status: 'submitted' },
      }),
    );
    await raw.send(
      new PutCommand({ TableName: table, Item: { pk: `TASK#${id}`, sk: 'TASK', status: 'open' } }),
    );
    await raw.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `TASK#${id}`, sk: 'TASK' },
        UpdateExpression: 'SET #s = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':d': 'decided' },
      }),
    );
    await raw.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `APP#${id}`, sk: 'APP' },
        UpdateExpression: 'SET #s = :a',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':a': 'approved' },
      }),
    );
    await raw.send(
      new PutCommand({ TableName: table, Item: { pk: `CASE#${id}`, sk: 'NOTICE#1', body: '确认通知' } }),
    );
  },
);
const baselineSeconds = (performance.now() - baselineStarted) / 1000;
await stopWithin(runtime, 60_000);

const per = (n: number) => n / N;
// The HTTP requests a lifecycle needs are the people's: the submission and two decisions. The
// bench's polling of inboxes and statuses stands in for people looking, and is not costed.
const POLLING = ['listTasks', 'getApplication', 'caseHistory'];
const dynamoOf = (byOperation: Record<string, number> = {}) =>
  Object.entries(byOperation)
    .filter(([k]) => k.startsWith('DynamoDB.'))
    .reduce((a, [, v]) => a + v, 0);
const { dynamoWrites, dynamoReads, sqsRequests, s3Puts, s3Gets, sfnRequests } = requestTotals(
  byCaller,
  POLLING,
);
const lambdaCount = Object.values(invocations).reduce((a, v) => a + v.count, 0);
const lambdaMs = Object.values(invocations).reduce((a, v) => a + v.ms, 0);
const PEOPLE_REQUESTS = 3;
const pollingMs = POLLING.reduce((a, k) => a + (invocations[k]?.ms ?? 0), 0);
const pollingCount = POLLING.reduce((a, k) => a + (invocations[k]?.count ?? 0), 0);

const cost = {
  stepFunctions: transitionsPerApp * PRICES.stepFunctionsPerTransition,
  lambda:
    per(lambdaCount - pollingCount) * PRICES.lambdaPerRequest +
    (per(lambdaMs - pollingMs) / 1000) * PRICES.lambdaMemoryGb * PRICES.lambdaPerGbSecondArm,
  dynamodb: per(dynamoWrites) * PRICES.dynamoPerWriteRequest + per(dynamoReads) * PRICES.dynamoPerReadRequest,
  sqs: per(sqsRequests) * PRICES.sqsPerRequest,
  s3: per(s3Puts) * PRICES.s3PerPut + per(s3Gets) * PRICES.s3PerGet,
  httpApi: PEOPLE_REQUESTS * PRICES.httpApiPerRequest,
};
const total = Object.values(cost).reduce((a, b) => a + b, 0);

const rate = (seconds: number) => (N / seconds).toFixed(1);
console.log(
  `doudi (HTTP → Lambda → Step Functions → DynamoDB/SQS/S3): ${rate(doudiSeconds)} applications/s (${doudiSeconds.toFixed(2)} s)`,
);
console.log(
  `baseline (raw DynamoDB Local, 5 writes per application):   ${rate(baselineSeconds)} applications/s (${baselineSeconds.toFixed(2)} s)`,
);
console.log(
  `ratio doudi ÷ baseline: ${(baselineSeconds / doudiSeconds).toFixed(3)}× the baseline's throughput`,
);
console.log(
  `per application: DynamoDB ${per(dynamoWrites).toFixed(1)} writes + ${per(dynamoReads).toFixed(1)} reads (baseline: 5 writes), SQS ${per(sqsRequests).toFixed(1)}, Step Functions API ${per(sfnRequests).toFixed(1)}, S3 ${per(s3Puts + s3Gets).toFixed(1)}, Lambda ${per(lambdaCount - pollingCount).toFixed(1)} invocations (${per(lambdaMs - pollingMs).toFixed(0)} ms; polling excluded), state transitions ${transitionsPerApp.toFixed(1)} (from ${sampled.length} histories)`,
);
const functionsByDynamo = Object.entries(byCaller)
  .filter(([who]) => who !== ENGINE && !POLLING.includes(who))
  .map(([who, byOperation]) => [who, dynamoOf(byOperation)] as const)
  .filter(([, n]) => n > 0)
  .sort((a, b) => b[1] - a[1]);
console.log(
  `where the DynamoDB requests go, per application: the engine's own records ${per(dynamoOf(byCaller[ENGINE])).toFixed(1)} (Step Functions' on AWS; not costed as DynamoDB); the functions ${per(dynamoWrites + dynamoReads).toFixed(1)} — ${functionsByDynamo.map(([who, n]) => `${who} ${per(n).toFixed(1)}`).join(', ')}; the bench's polling ${per(POLLING.reduce((a, k) => a + dynamoOf(byCaller[k]), 0)).toFixed(1)} (not costed)`,
);
console.log('AWS cost per application lifecycle (USD, list prices in bench/prices.ts):');
for (const [k, v] of Object.entries(cost)) console.log(`  ${k.padEnd(14)} $${v.toFixed(8)}`);
console.log(
  `  ${'total'.padEnd(14)} $${total.toFixed(8)}  (≈ $${(total * 1_000_000).toFixed(2)} per million applications)`,
);
console.log(`(HTTP requests made by the bench itself, polling included: ${client.requests}; not costed)`);
