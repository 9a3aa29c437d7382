/**
 * `npm start` as a person runs it: it answers /health, and after SIGTERM nothing it started is
 * left running — in particular no DynamoDB Local JVM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { eventually } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'doudi-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const jvmsFor = (dir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.*${dir}`], { encoding: 'utf8' }).stdout.trim();

it('starts, serves /health, and leaves no JVM behind after SIGTERM', async () => {
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
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': npm may exit first while the runtime it started still writes to the pipe.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const url = await eventually(async () => /ready: (http:\/\/\S+)\/health/.exec(output)?.[1], 30_000);
  const health = await fetch(`${url}/health`);
  expect(health.status).toBe(200);
  expect(jvmsFor(dataDir)).not.toBe('');

  child.kill('SIGTERM');
  await exited;
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 10_000);
  expect(output).toContain('已停止 (stopped)');
});
