/**
 * `npm start` as a person runs it: it answers /health, and after SIGTERM nothing it started is
 * left running — in particular no DynamoDB Local JVM. Stopped as a terminal's Ctrl+C or a service
 * manager does (the signal to the whole process group) it says it stopped; with the signal to npm
 * alone, which exits at once, it leaves nothing behind either.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { eventually } from '../support/runtime.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const jvmsFor = (dir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.*${dir}`], { encoding: 'utf8' }).stdout.trim();

interface Started {
  child: ChildProcess;
  dataDir: string;
  output: () => string;
}

async function npmStart(): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'doudi-start-'));
  dirs.push(dataDir);
  const child = spawn('npm', ['start'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      DOUDI_DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      SQS_PORT: '0',
      SFN_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, as a terminal gives a command it runs.
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await eventually(async () => /ready: (http:\/\/\S+)\/health/.exec(output)?.[1], 60_000);
  expect((await fetch(`${url}/health`)).status).toBe(200);
  expect(jvmsFor(dataDir)).not.toBe('');
  return { child, dataDir, output: () => output };
}

it('stops on SIGTERM to its process group, says so, and leaves no JVM behind', async () => {
  const { child, dataDir, output } = await npmStart();
  process.kill(-child.pid!, 'SIGTERM');
  await eventually(async () => (output().includes('已停止 (stopped)') ? true : undefined), 30_000);
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 10_000);
});

it('leaves no JVM behind after SIGTERM to npm alone', async () => {
  const { child, dataDir } = await npmStart();
  child.kill('SIGTERM');
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 20_000);
});
