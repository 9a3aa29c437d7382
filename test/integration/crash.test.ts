/**
 * Crash safety of the local runtime (issue 4): `npm start`'s runtime holding 100 applications at
 * every stage — waiting for the township, in public notice, waiting for the county, decided, and
 * some decisions in flight — is killed with SIGKILL, started again on the same data directory, and
 * every case still reaches its one correct end: one determination, one notice, one task per human
 * step, each execution's history written once.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { application } from '../support/households.ts';
import { eventually } from '../support/runtime.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'doudi-crash-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.pid) stopGroup(child.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

function stopGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const jvmsFor = (dir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.*${dir}`], { encoding: 'utf8' }).stdout.trim();

/** The runtime as `npm start` runs it, in its own process group so that one SIGKILL takes it all. */
async function start(): Promise<{ api: string; dynamo: string }> {
  const proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DOUDI_DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      SQS_PORT: '0',
      SFN_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child = proc;
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const api = await eventually(async () => /ready: (http:\/\/\S+)\/health/.exec(output)?.[1], 60_000);
  const dynamo = /DynamoDB Local\s+(http:\/\/\S+)/.exec(output)![1]!;
  return { api, dynamo };
}

it('finishes every case exactly once after a SIGKILL', { timeout: 300_000 }, async () => {
  let { api, dynamo } = await start();
  const call = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const inbox = async () =>
    (await call('/tasks?township=430121')).body.tasks as Array<{
      taskId: string;
      applicationId: string;
      kind: string;
    }>;
  const taskOf = (applicationId: string, kind: string) =>
    eventually(
      async () => (await inbox()).find((t) => t.applicationId === applicationId && t.kind === kind),
      60_000,
    );
  const statusOf = async (applicationId: string) =>
    (await call(`/applications/${applicationId}`)).body.status as string;
  const until = async (applicationId: string, status: string) => {
    let last = '';
    const reached = async () => {
      last = await statusOf(applicationId);
      return last === status ? true : undefined;
    };
    await eventually(reached, 60_000).catch(() => {
      throw new Error(`${applicationId} stayed ${last}, expected ${status}`);
    });
  };
  const decide = (taskId: string, decision: 'approve' | 'reject') =>
    call(`/tasks/${taskId}/decision`, 'POST', {
      decision,
      reasons: decision === 'reject' ? ['入户调查发现隐瞒收入'] : ['核实属实'],
    });
  const advanceDays = (days: number) => call('/admin/clock/advance', 'POST', { days });

  const apps: Array<{ applicationId: string; caseId: string }> = [];
  for (let i = 0; i < 100; i++) apps.push((await call('/applications', 'POST', application())).body);
  const group = {
    township: apps.slice(0, 25),
    notice: apps.slice(25, 50),
    county: apps.slice(50, 75),
    done: apps.slice(75, 90),
    refused: apps.slice(90, 100),
  };

  // The county and the finished groups pass their public notice first …
  for (const a of [...group.county, ...group.done])
    await decide((await taskOf(a.applicationId, 'townshipReview')).taskId, 'approve');
  for (const a of [...group.county, ...group.done]) await until(a.applicationId, 'publicNotice');
  await advanceDays(10);
  for (const a of group.done)
    await decide((await taskOf(a.applicationId, 'countyDetermination')).taskId, 'approve');
  for (const a of group.county) await taskOf(a.applicationId, 'countyDetermination');
  // … then the notice group starts its notice, the refused group is refused, and some decisions are in flight.
  for (const a of group.notice)
    await decide((await taskOf(a.applicationId, 'townshipReview')).taskId, 'approve');
  for (const a of group.refused)
    await decide((await taskOf(a.applicationId, 'townshipReview')).taskId, 'reject');
  const inFlight = group.township.slice(0, 5);
  const inFlightTasks = await Promise.all(inFlight.map((a) => taskOf(a.applicationId, 'townshipReview')));
  void Promise.allSettled(inFlightTasks.map((t) => decide(t.taskId, 'approve')));

  stopGroup(child!.pid!, 'SIGKILL');
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 20_000);

  ({ api, dynamo } = await start());
  // Whatever was in flight either landed or can be decided again; nothing is decided twice.
  for (const a of group.township) {
    const open = (await inbox()).find(
      (t) => t.applicationId === a.applicationId && t.kind === 'townshipReview',
    );
    if (open) await decide(open.taskId, 'approve');
  }
  for (const a of [...group.township, ...group.notice]) await until(a.applicationId, 'publicNotice');
  await advanceDays(10);
  for (const a of [...group.township, ...group.notice, ...group.county]) {
    await decide((await taskOf(a.applicationId, 'countyDetermination')).taskId, 'approve');
  }

  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamo,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const items = async (pk: string, prefix: string) =>
    (
      await doc.send(
        new QueryCommand({
          TableName: 'doudi-cases',
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': pk, ':s': prefix },
        }),
      )
    ).Items ?? [];

  for (const a of apps) {
    const expected = group.refused.includes(a) ? 'refused' : 'approved';
    await until(a.applicationId, expected);
    const app = (await call(`/applications/${a.applicationId}`)).body;
    expect(app.determination.outcome).toBe(expected);
    expect(await items(`CASE#${a.caseId}`, 'NOTICE#'), a.caseId).toHaveLength(1);
    const history = await eventually(async () => {
      const { body } = await call(`/cases/${a.caseId}/history`);
      return body.executions?.[0]?.status === 'SUCCEEDED' ? body.executions[0] : undefined;
    }, 60_000);
    expect(history.events.map((e: { id: number }) => e.id)).toEqual(
      history.events.map((_: unknown, i: number) => i + 1),
    );
    expect(new Set(history.states).size, 'no state entered twice on the happy path').toBe(
      history.states.length,
    );
  }
  // One task per human step and application: township review for all, county determination for the approved.
  const tasks =
    (
      await doc.send(
        new ScanCommand({
          TableName: 'doudi-cases',
          FilterExpression: 'begins_with(pk, :t)',
          ExpressionAttributeValues: { ':t': 'TASK#' },
        }),
      )
    ).Items ?? [];
  for (const a of apps) {
    const kinds = tasks
      .filter((t) => t.applicationId === a.applicationId)
      .map((t) => t.kind)
      .sort();
    expect(kinds, a.applicationId).toEqual(
      group.refused.includes(a) ? ['townshipReview'] : ['countyDetermination', 'townshipReview'],
    );
  }
  expect(await inbox()).toEqual([]);
  stopGroup(child!.pid!, 'SIGTERM');
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 20_000);
});
