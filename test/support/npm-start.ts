/**
 * `npm start` as a person runs it, for the tests in `test/isolated/`: on a data directory of their
 * own, every port chosen by the system, in a process group of its own (as a terminal gives a
 * command), so that a signal to the group reaches everything it started.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_START } from './pinned-clock.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface NpmStart {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: () => string;
}

export function npmStart(dataDir: string, env: Record<string, string> = {}): NpmStart {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DOUDI_DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      SQS_PORT: '0',
      SFN_PORT: '0',
      // The runtime's virtual time starts where every other test's does, whatever the hour.
      DOUDI_CLOCK_START: new Date(TEST_START).toISOString(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** The API's base URL once the runtime printed that it is ready. */
export const readyUrl = (output: string) => /ready: (http:\/\/\S+)\/health/.exec(output)?.[1];

/** The pids of DynamoDB Local JVMs serving `dataDir` ('' when none is left). */
export const jvmsFor = (dataDir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.*${dataDir}`], { encoding: 'utf8' }).stdout.trim();

/** Whether every process of the group `npm start` led has exited. */
export function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** A signal to every process of the group `npm start` leads (nothing if it is gone already). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** The last day any of these applications' public notices runs to. */
export const lastNoticeEnd = (apps: ReadonlyArray<{ publicNotice: { endsOn: string } }>): string =>
  apps
    .map((a) => a.publicNotice.endsOn)
    .sort()
    .at(-1)!;
