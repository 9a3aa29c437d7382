/**
 * The embedded runtime: DynamoDB Local, fauxqs, the local Step Functions service and the local
 * API Gateway on loopback, wired to the same handlers, workflows, tables and queues as CDK
 * deploys. Functions find everything through the SDK's standard endpoint variables.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as realSetTimeout } from 'node:timers';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type FunctionDefinition, type FunctionName, functions } from '../functions/catalog.ts';
import { countRequests, resetClients } from '../shared/clients.ts';
import { newKeyFileContents } from '../shared/crypto.ts';
import { rateLimitScale } from '../shared/rate-limits.ts';
import { buckets, idempotencyTable, localName, queues, tables } from '../shared/resources.ts';
import { substitute, workflows } from '../workflows/index.ts';
import { LocalIdentity } from './auth.ts';
import { type Clock, installClock } from './clock.ts';
import { startConsumer } from './consumers.ts';
import { ensureTable, startDynamoLocal } from './dynamodb.ts';
import { createApiServer } from './http.ts';
import { clearInterruptedIdempotency } from './interrupted.ts';
import { ACCOUNT, functionArn, invoke, localTimeoutScale, REGION } from './lambda.ts';
import { watchBucket } from './object-events.ts';
import { type Outbox, startLocalNotifications } from './outbox.ts';
import { ensureQueue, startQueues } from './queues.ts';
import { createSfnServer } from './sfn/api.ts';
import { type Integrations, LocalStepFunctions } from './sfn/engine.ts';
import { DynamoExecutionStore } from './sfn/store.ts';

export interface RuntimeOptions {
  /** Where DynamoDB Local and fauxqs keep their data; `null` keeps everything in memory. */
  dataDir: string | null;
  /** The HTTP API's port (0 picks a free one). */
  port: number;
  dynamoPort?: number;
  queuesPort?: number;
  sfnPort?: number;
  log?: (line: string) => void;
  /**
   * Where virtual time starts (epoch ms), instead of now: tests pin it so that no due date depends
   * on the hour or the day they run. A data directory's saved time still wins when it is later.
   */
  startAt?: number;
  /**
   * An OIDC issuer whose ID tokens for `clientId` the API accepts beside the dev sign-in's, and that
   * the pages sign in with (`GET /public/sign-in`) — as the province's issuer on the china profile.
   */
  oidc?: { issuer: string; clientId: string };
}

export interface Runtime {
  apiUrl: string;
  endpoints: { dynamodb: string; sqs: string; sfn: string };
  env: Record<string, string>;
  engine: LocalStepFunctions;
  /** Issues tokens as `POST /auth/dev-login` does, for tests and scripts running in-process. */
  identity: LocalIdentity;
  /** What would have been sent by SMS and work message (`/dev/outbox`). */
  outbox: Outbox;
  dynamoPid: number;
  stop(): Promise<void>;
}

/** `rate(5 minutes)` → milliseconds (the EventBridge Scheduler rate syntax the catalog uses). */
export function rateMs(expression: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!m) throw new Error(`unsupported schedule expression ${expression}`);
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[
    m[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day'
  ];
  return Number(m[1]) * unit;
}

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** Calls `arn:aws:states:::<service>:<action>` integrations through the service's own SDK client. */
function sdkIntegrations(): Integrations {
  const clients = new Map<string, { send(command: unknown): Promise<Record<string, unknown>> }>();
  const modules: Record<string, () => Promise<Record<string, unknown>>> = {
    dynamodb: () => import('@aws-sdk/client-dynamodb'),
    sqs: () => import('@aws-sdk/client-sqs'),
    s3: () => import('@aws-sdk/client-s3'),
  };
  const clientNames: Record<string, string> = {
    dynamodb: 'DynamoDBClient',
    sqs: 'SQSClient',
    s3: 'S3Client',
  };
  return {
    invokeFunction: invoke,
    async call(service, action, parameters) {
      const load = modules[service];
      if (!load)
        throw Object.assign(new Error(`Unsupported service integration: ${service}`), {
          name: 'States.Runtime',
        });
      const mod = await load();
      const Command = mod[`${action.charAt(0).toUpperCase()}${action.slice(1)}Command`] as
        | (new (
            input: unknown,
          ) => unknown)
        | undefined;
      if (!Command)
        throw Object.assign(new Error(`Unsupported action ${service}:${action}`), { name: 'States.Runtime' });
      let client = clients.get(service);
      if (!client) {
        const Client = mod[clientNames[service]!] as new (
          config: unknown,
        ) => { send(command: unknown): Promise<Record<string, unknown>> };
        client = new Client(
          service === 's3'
            ? { forcePathStyle: true }
            : service === 'sqs'
              ? { useQueueUrlAsEndpoint: false }
              : {},
        );
        clients.set(service, client);
      }
      // Step Functions serialises a JSON MessageBody for SQS, as it does on AWS.
      if (
        service === 'sqs' &&
        parameters.MessageBody !== undefined &&
        typeof parameters.MessageBody !== 'string'
      ) {
        parameters = { ...parameters, MessageBody: JSON.stringify(parameters.MessageBody) };
      }
      try {
        const { $metadata: _m, ...output } = await client.send(new Command(parameters));
        return output;
      } catch (error) {
        // Step Functions names service errors `<Service>.<ErrorCode>`, e.g. DynamoDB.ConditionalCheckFailedException.
        const e = error as Error;
        const prefix = { dynamodb: 'DynamoDB', sqs: 'SQS', s3: 'S3' }[service];
        throw Object.assign(new Error(e.message), { name: `${prefix}.${e.name}` });
      }
    },
  };
}

/**
 * Keeps the virtual clock with the data: a runtime restarted on the same data directory goes on
 * from the time its records were written at, never from an earlier one (a deadline recorded for
 * the virtual day D must not move because the clock had been advanced before a crash). Saved on
 * every jump and every second; a crash loses at most a second of virtual run.
 */
function persistClock(clock: Clock, dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'clock.json');
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { now?: unknown };
    if (typeof saved.now === 'number') clock.resumeAt(saved.now);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify({ now: clock.now() }));
    renameSync(`${file}.tmp`, file);
  };
  save();
  clock.onChange = save;
  const every = setInterval(save, 1000);
  every.unref();
  return () => {
    clearInterval(every);
    clock.onChange = undefined;
    save();
  };
}

/**
 * The master key of personal fields (`shared/crypto.ts`; KMS on AWS): a file in the data directory,
 * readable by its owner only, made on first start; an in-memory runtime's lives in a temporary
 * directory removed at stop. Functions find it through `FIELD_KEY_FILE`, and the blind-index key
 * ring beside it, once rotated, through `BLIND_INDEX_KEY_FILE`.
 */
function fieldKeyFile(dataDir: string | null): { path: string; remove(): void } {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'doudi-key-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'field-key');
  if (!existsSync(path)) writeFileSync(path, newKeyFileContents(), { mode: 0o600 });
  return { path, remove: () => (dataDir ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

/**
 * A function run every `every` ms of virtual time, and at once on `runNow`: never two runs at once —
 * a call while one runs asks for one more run after it. One timer, re-armed after each run.
 */
function periodic(run: () => Promise<unknown>, every: number, name: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  const runNow = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    do {
      again = false;
      await run().catch((error) => {
        // A run cut short by the runtime stopping is not a failure: the next start runs it again.
        if (!stopped) console.error(`[schedule] ${name} failed`, error);
      });
    } while (again && !stopped);
    running = false;
    if (!stopped) timer = setTimeout(() => void runNow(), every);
  };
  return {
    runNow: () => void runNow(),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Stops the runtime for a tool that must end by itself (the benches): the process ends within `ms`
 * of the stop beginning, or is ended with status 1. A stop that has not ended by then is reported
 * with the engine's work still in flight; a stop that ended but left something holding the process
 * (a referenced timer, a socket) is reported with what holds it. Once a bench sat for six minutes
 * after a saturating load before its stop returned (issue 11); once one printed its figures and
 * never exited, until CI killed it four minutes on — as a token task begun while the engine was
 * closing did, whose deadline timer held the process (now refused: local/sfn/tasks.ts).
 *
 * The deadline is a real-time timer (`node:timers`), not one on the runtime's clock, which a bench
 * may have moved or sped up. After the stop it is unref'd: it keeps nothing alive by itself, and
 * fires only if something else does.
 */
export async function stopWithin(runtime: Runtime, ms: number): Promise<void> {
  let stopped = false;
  const deadline = realSetTimeout(() => {
    console.error(
      stopped
        ? `本地运行时已停止，但进程在 ${ms / 1000} 秒内未能退出 (the local runtime stopped, but the process did not exit within ${ms / 1000} s; still held by: ${process.getActiveResourcesInfo().join(', ') || 'nothing reported'})`
        : `本地运行时未能在 ${ms / 1000} 秒内停止 (the local runtime did not stop within ${ms / 1000} s; ${runtime.engine.runningCount} engine task(s) still in flight)`,
    );
    process.exit(1);
  }, ms);
  await runtime.stop();
  stopped = true;
  deadline.unref();
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = installClock();
  const log = options.log ?? (() => undefined);
  // The emulators accept any credentials; the SDK only needs some to sign with.
  process.env.AWS_REGION ??= REGION;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  // A mistyped scale fails here, at start, rather than as a 500 on the first write.
  const scale = rateLimitScale();
  if (scale !== 1) log(`rate limits        × ${scale} (DOUDI_RATE_LIMIT_SCALE)`);
  const timeoutScale = localTimeoutScale();
  if (timeoutScale !== 1) log(`function timeouts  × ${timeoutScale} (DOUDI_TIMEOUT_SCALE)`);

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error('[runtime] stop failed', e));
  };
  try {
    if (options.startAt !== undefined) clock.startAt(options.startAt);
    if (options.dataDir) {
      const unpersist = persistClock(clock, options.dataDir);
      stops.push(async () => unpersist());
    }
    const dynamo = await startDynamoLocal({
      port: options.dynamoPort ?? 0,
      dataDir: options.dataDir && join(options.dataDir, 'dynamodb'),
    });
    stops.push(dynamo.stop);
    log(
      `DynamoDB Local     ${dynamo.endpoint}  (pid ${dynamo.pid}, ${options.dataDir ? join(options.dataDir, 'dynamodb') : 'in memory'})`,
    );

    const sqsServer = await startQueues({
      port: options.queuesPort ?? 0,
      dataDir: options.dataDir && join(options.dataDir, 'fauxqs'),
    });
    stops.push(sqsServer.stop);
    log(`SQS + S3 (fauxqs)  ${sqsServer.endpoint}`);

    const fieldKey = fieldKeyFile(options.dataDir);
    stops.push(async () => fieldKey.remove());
    const notifications = await startLocalNotifications(dirname(fieldKey.path));
    stops.push(notifications.stop);
    log(`SMS + 工作消息 outbox ${notifications.outbox.url}  (/dev/outbox)`);
    const env: Record<string, string> = {
      ...notifications.env,
      FIELD_KEY_FILE: fieldKey.path,
      // Made by the first rotation of the blind-index keys (`npm run keys:rotate -- --blind-index`).
      BLIND_INDEX_KEY_FILE: join(dirname(fieldKey.path), 'blind-index-key'),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      AWS_ENDPOINT_URL_S3: sqsServer.endpoint,
    };
    Object.assign(process.env, env);

    for (const table of tables) {
      const name = localName(table.id);
      await ensureTable(dynamo.client, table, name);
      env[table.env] = name;
    }
    // No Lambda runs yet: an idempotency record in progress is one a killed runtime left.
    const interrupted = await clearInterruptedIdempotency(dynamo.client, env[idempotencyTable.env]!);
    if (interrupted)
      log(`cleared ${interrupted} idempotency record(s) left in progress by a stopped runtime`);
    const sqsClient = new SQSClient({ endpoint: sqsServer.endpoint, useQueueUrlAsEndpoint: false });
    for (const queue of queues) {
      const { url, dlqUrl } = await ensureQueue(sqsClient, sqsServer.endpoint, queue, localName(queue.id));
      env[queue.env] = url;
      env[`${queue.env.replace(/_URL$/, '')}_DLQ_URL`] = dlqUrl;
    }
    sqsClient.destroy();
    const s3Client = new S3Client({ endpoint: sqsServer.endpoint, forcePathStyle: true });
    for (const bucket of buckets) {
      const name = localName(bucket.id);
      try {
        await s3Client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        if (
          !(error instanceof BucketAlreadyOwnedByYou) &&
          (error as Error).name !== 'BucketAlreadyOwnedByYou'
        )
          throw error;
      }
      env[bucket.env] = name;
    }
    s3Client.destroy();

    // The engine's own records, counted apart from the functions' (what Step Functions keeps on AWS).
    const store = new DynamoExecutionStore(countRequests('DynamoDB', dynamo.client, 'stepFunctionsEngine'));
    await store.createTable();
    const catalog = Object.entries(functions) as Array<[FunctionName, FunctionDefinition]>;
    const onClosed = catalog.filter(([, def]) => def.onExecutionClosed).map(([name]) => name);
    const engine = new LocalStepFunctions(sdkIntegrations(), store, async (execution) => {
      // The event EventBridge delivers on AWS for a closing execution.
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Step Functions Execution Status Change',
        source: 'aws.states',
        account: ACCOUNT,
        time: new Date().toISOString(),
        region: REGION,
        resources: [execution.executionArn],
        detail: {
          executionArn: execution.executionArn,
          stateMachineArn: execution.stateMachineArn,
          name: execution.name,
          status: execution.status,
        },
      };
      for (const name of onClosed) await invoke(name, event);
    });
    for (const workflow of workflows) {
      const values = Object.fromEntries(
        Object.entries(workflow.substitutions).map(([k, fn]) => [k, functionArn(fn)]),
      );
      env[workflow.env] = engine.createStateMachine(
        localName(workflow.id),
        substitute(workflow.definition, values),
      );
    }
    const sfnServer = createSfnServer(engine);
    const sfnPort = await listen(sfnServer, options.sfnPort ?? 0);
    stops.push(async () => {
      sfnServer.closeAllConnections();
      await new Promise<void>((r) => sfnServer.close(() => r()));
    });
    // Stops run in reverse: the engine closes first, while the archiver can still reach the API.
    stops.push(() => engine.close());
    env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${sfnPort}`;
    log(
      `Step Functions     ${env.AWS_ENDPOINT_URL_SFN}  (${workflows.map((w) => localName(w.id)).join(', ')})`,
    );
    Object.assign(process.env, env);
    resetClients();
    const resumed = await engine.resume();
    if (resumed) log(`resumed ${resumed} running execution(s) from ${options.dataDir}`);

    // Queue consumers: the event source mappings CDK creates on AWS.
    for (const [name, def] of catalog) {
      for (const queueId of def.consumes ?? []) {
        const queue = queues.find((q) => q.id === queueId);
        if (!queue) throw new Error(`${name} consumes unknown queue ${queueId}`);
        const consumer = startConsumer({
          functionName: name,
          queueName: localName(queue.id),
          queueUrl: env[queue.env]!,
          endpoint: sqsServer.endpoint,
        });
        stops.push(() => consumer.stop());
      }
    }

    // New objects in a watched bucket start their function: the EventBridge rules CDK creates on AWS.
    for (const [name, def] of catalog) {
      if (!def.onObjectCreated) continue;
      const bucket = buckets.find((b) => b.id === def.onObjectCreated!.bucket);
      if (!bucket) throw new Error(`${name} watches unknown bucket ${def.onObjectCreated.bucket}`);
      const watcher = watchBucket({
        functionName: name,
        bucket: env[bucket.env]!,
        prefixes: def.onObjectCreated.prefixes,
        endpoint: sqsServer.endpoint,
      });
      stops.push(() => watcher.stop());
    }

    // Scheduled functions run on the same rate as on AWS, against the runtime's clock — once right
    // after start, so that work a crash left (a due schedule not started, a recorded decision not
    // delivered) is picked up at once rather than a period later, and again after every jump of
    // the clock, so that advancing it runs everything that fell due (a run in flight during the
    // jump is followed by another).
    let stopped = false;
    const scheduled = catalog
      .filter(([, d]) => d.schedule)
      .map(([name, def]) =>
        periodic(() => (stopped ? Promise.resolve() : invoke(name, {})), rateMs(def.schedule!), name),
      );
    const unsubscribe = clock.onJump(() => {
      for (const s of scheduled) s.runNow();
    });
    for (const s of scheduled) s.runNow();
    stops.push(async () => {
      stopped = true;
      unsubscribe();
      for (const s of scheduled) s.stop();
    });

    const identity = LocalIdentity.forDataDir(options.dataDir, options.oidc);
    // What `GET /public/sign-in` tells the pages (functions/http/staff.ts).
    Object.assign(process.env, {
      DOUDI_DEV_SIGN_IN: 'on',
      ...(options.oidc ? { OIDC_ISSUER: options.oidc.issuer, OIDC_CLIENT_ID: options.oidc.clientId } : {}),
    });
    stops.push(async () => {
      delete process.env.DOUDI_DEV_SIGN_IN;
      delete process.env.OIDC_ISSUER;
      delete process.env.OIDC_CLIENT_ID;
    });
    const api = createApiServer(identity, notifications.outbox);
    const apiPort = await listen(api.server, options.port);
    stops.push(() => api.stop());
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    notifications.pagesAt(apiUrl);
    log(`HTTP API + web     ${apiUrl}`);

    return {
      apiUrl,
      endpoints: { dynamodb: dynamo.endpoint, sqs: sqsServer.endpoint, sfn: env.AWS_ENDPOINT_URL_SFN },
      env,
      engine,
      identity,
      outbox: notifications.outbox,
      dynamoPid: dynamo.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
