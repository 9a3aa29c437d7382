/**
 * `npm start` as a person runs it: it answers /health, and after SIGTERM nothing it started is
 * left running — in particular no DynamoDB Local JVM. Stopped as a terminal's Ctrl+C or a service
 * manager does (the signal to the whole process group) it says it stopped; with the signal to npm
 * alone, which exits at once, it leaves nothing behind either.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { groupGone, jvmsFor, npmStart, readyUrl } from '../support/npm-start.ts';
import { eventually } from '../support/runtime.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

async function started(): Promise<{ child: ChildProcess; dataDir: string; output: () => string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'doudi-start-'));
  dirs.push(dataDir);
  const { child, output } = npmStart(dataDir);
  const url = await eventually(async () => readyUrl(output()), 60_000);
  expect((await fetch(`${url}/health`)).status).toBe(200);
  expect(jvmsFor(dataDir)).not.toBe('');
  return { child, dataDir, output };
}

it('stops on SIGTERM to its process group, says so, and leaves no JVM behind', async () => {
  const { child, dataDir, output } = await started();
  process.kill(-child.pid!, 'SIGTERM');
  await eventually(async () => (output().includes('已停止 (stopped)') ? true : undefined), 60_000);
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 60_000);
  await eventually(async () => (groupGone(child.pid!) ? true : undefined), 60_000);
});

it('leaves no JVM behind after SIGTERM to npm alone', async () => {
  const { child, dataDir } = await started();
  child.kill('SIGTERM');
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), 60_000);
  // The runtime itself goes too, having noticed it was orphaned.
  await eventually(async () => (groupGone(child.pid!) ? true : undefined), 60_000);
});
