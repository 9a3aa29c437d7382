/**
 * `npm run test:stress -- [runs]` (5 by default): runs `npm test`'s passes `runs` times while a CPU
 * hog keeps every core busy, then lists every test that failed at least once, with how often and
 * its messages. A test that fails only under load is a defect — in the test's waiting or in the
 * code — to be fixed at its cause, never retried around. Not part of `npm test`: five runs take
 * an hour on two cores.
 *
 * Each pass is the very command `npm test` runs (read from package.json), given a JSON reporter
 * besides its own; every run's whole output is kept under test-artifacts/stress/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test-artifacts', 'stress');

const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`用法 usage: npm run test:stress -- [次数 runs ≥ 1] (got ${process.argv[2]})`);
  process.exit(2);
}

/** `npm test`'s passes, each a `vitest run …` command. */
const passes: string[][] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.test as string
)
  .split('&&')
  .map((command) => command.trim().split(/\s+/));
if (!passes.every((argv) => argv[0] === 'vitest' && argv[1] === 'run')) {
  console.error(
    'package.json 的 test 脚本应由若干 `vitest run …` 组成 (npm test is expected to be vitest passes)',
  );
  process.exit(2);
}

/**
 * One busy process per core. Each checks now and then that this script is still its parent, so
 * that a stress run killed outright leaves no hog behind.
 */
function startHogs(): ChildProcess[] {
  const spin = `const parent = process.ppid;
(function spin() {
  const until = Date.now() + 200;
  while (Date.now() < until);
  if (process.ppid !== parent) process.exit(0);
  setImmediate(spin);
})();`;
  return Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }),
  );
}

interface JsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

interface Failure {
  test: string;
  runs: number[];
  messages: string[];
}

function runPass(argv: string[], log: string, json: string): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn(
      'npx',
      [
        ...argv,
        // Reporters named here replace the configured ones: name them all again, JSON besides.
        '--reporter=default',
        '--reporter=./test/support/slowest-files.ts',
        '--reporter=json',
        `--outputFile.json=${json}`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.on('close', (code) => out.end(() => resolve(code ?? 1)));
  });
}

/** The failures a pass's JSON report names; a pass that wrote none failed before reporting. */
function failuresOf(json: string, log: string): Array<{ test: string; message: string }> {
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    return [{ test: `(${json}: no report)`, message: `the pass ended without a report; see ${log}` }];
  }
  const out: Array<{ test: string; message: string }> = [];
  for (const file of report.testResults) {
    const name = file.name.startsWith(ROOT) ? file.name.slice(ROOT.length + 1) : file.name;
    const failed = file.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failed)
      out.push({ test: `${name} › ${a.fullName}`, message: a.failureMessages.join('\n') });
    // A file that failed outside any test (a hook, an import, an unhandled error).
    if (file.status === 'failed' && !failed.length)
      out.push({ test: name, message: file.message ?? `failed outside its tests; see ${log}` });
  }
  return out;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const hogs = startHogs();
const stopHogs = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });

console.log(`压力测试 stress: npm test × ${runs}, ${hogs.length} busy process(es) beside it; logs in ${OUT}`);
const failures = new Map<string, Failure>();
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  let failedHere = 0;
  for (const [i, argv] of passes.entries()) {
    const log = join(OUT, `run-${run}-pass-${i + 1}.log`);
    const json = join(OUT, `run-${run}-pass-${i + 1}.json`);
    const code = await runPass(argv, log, json);
    const found = failuresOf(json, log);
    if (code !== 0 && !found.length)
      found.push({ test: `(pass ${i + 1})`, message: `exit ${code} with no failed test; see ${log}` });
    for (const { test, message } of found) {
      const failure = failures.get(test) ?? { test, runs: [], messages: [] };
      failure.runs.push(run);
      failure.messages.push(message);
      failures.set(test, failure);
    }
    failedHere += found.length;
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(`  run ${run}/${runs}: ${failedHere ? `${failedHere} failed` : 'all passed'} (${minutes} min)`);
}
stopHogs();

if (!failures.size) {
  console.log(`\n${runs} 次全部通过 (no test failed in ${runs} runs under load)`);
  process.exit(0);
}
console.log(`\n至少失败一次的测试 (tests that failed at least once):`);
for (const f of failures.values()) {
  console.log(`\n✗ ${f.test} — failed in run(s) ${f.runs.join(', ')} of ${runs}`);
  for (const message of new Set(f.messages))
    console.log(`    ${message.split('\n').slice(0, 6).join('\n    ')}`);
}
process.exit(1);
