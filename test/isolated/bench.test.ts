/**
 * Every `npm run bench -- <name>` still runs end to end, at a small size, and prints the figures its
 * issue asks for. What they measure is not asserted — timings live in the benches' own output —
 * only that each finishes, prints its ratio against its baseline, and that the comparisons agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TEST_START } from '../support/pinned-clock.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'doudi-bench-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function bench(name: string, env: Record<string, string>): string {
  const run = spawnSync('npm', ['run', '--silent', 'bench', '--', name], {
    cwd: ROOT,
    // The benches' runtimes start on the same day as every test's.
    env: { ...process.env, DOUDI_CLOCK_START: new Date(TEST_START).toISOString(), ...env },
    encoding: 'utf8',
    // Under the test's own limit, so that a bench that does not end is reported with its output
    // (the benches end themselves within a minute of their stop: local/runtime.ts, stopWithin).
    timeout: 230_000,
  });
  const ended = run.error
    ? `${run.error.message} (killed by ${run.signal ?? 'nothing'})`
    : `status ${run.status}${run.signal ? `, signal ${run.signal}` : ''}`;
  expect(run.status, `${name}: ${ended}\n--- stderr\n${run.stderr}\n--- stdout\n${run.stdout}`).toBe(0);
  return run.stdout;
}

it('rules: both throughputs, every decision matching, the ratio', () => {
  const out = bench('rules', { BENCH_HOUSEHOLDS: '3000' });
  expect(out).toMatch(/doudi tier decision .*households\/s/);
  expect(out).toMatch(/json-rules-engine tier decision .*households\/s/);
  expect(out).toContain('decisions matching: 3,000 / 3,000');
  expect(out).toMatch(/ratio doudi tier decision ÷ json-rules-engine: [\d.]+×/);
}, 240_000);

it('lifecycle: applications/s against the baseline, counted requests, the cost per application', () => {
  const out = bench('lifecycle', { BENCH_APPLICATIONS: '4', BENCH_CONCURRENCY: '2' });
  expect(out).toMatch(/doudi .*: [\d.]+ applications\/s/);
  expect(out).toMatch(/ratio doudi ÷ baseline: [\d.]+×/);
  expect(out).toMatch(/per application: DynamoDB [\d.]+ writes \+ [\d.]+ reads/);
  expect(out).toMatch(
    /where the DynamoDB requests go, per application: the engine's own records [\d.]+ .* submitApplication [\d.]+/,
  );
  expect(out).toMatch(/total\s+\$[\d.]+/);
}, 240_000);

it('api: both routes open-loop and at saturation, the p99 ratio, requests per submission, no errors', () => {
  const out = bench('api', { BENCH_SECONDS: '1', BENCH_WARM_UP_SECONDS: '1', BENCH_CONNECTIONS: '2' });
  const [open, saturation] = out.split(/\nsaturation, /);
  for (const part of [open, saturation]) {
    expect(part).toMatch(/GET \/health .* p50 \d+ ms {2}p99 \d+ ms .* errors 0/);
    expect(part).toMatch(/POST \/applications .* p50 \d+ ms {2}p99 \d+ ms .* errors 0/);
  }
  expect(open).toMatch(/p99 ratio POST \/applications ÷ GET \/health: [\d.]+×/);
  expect(open).toMatch(/DynamoDB [\d.]+ per submission/);
  expect(saturation).toMatch(/sustained POST \/applications: [\d.]+\/s/);
  expect(out).toContain('errors: 0 (target 0: met)');
}, 240_000);

it('monitoring: both rates, the same warnings from both, the ratio and the peak RSS', () => {
  const out = bench('monitoring', { BENCH_HOUSEHOLDS: '2000', BENCH_DIR: join(scratch, 'monitoring') });
  expect(out).toMatch(/doudi : .*[\d,]+ 行\/秒，峰值 RSS \d+ MiB/);
  expect(out).toMatch(/DuckDB: .*[\d,]+ 行\/秒/);
  expect(out).toMatch(/doudi 用时 ÷ DuckDB 用时 = [\d.]+/);
  expect(out).toContain('两者预警一致');
}, 240_000);

it('payroll: the county paid end to end, every line agreeing with DuckDB, the cost per case-month', () => {
  const out = bench('payroll', { BENCH_CASES: '120' });
  expect(out).toMatch(/doudi \(Distributed Map .*: [\d.]+ cases\/s .* peak RSS \d+ MiB/);
  expect(out).toMatch(/baseline \(DuckDB.*:\s+[\d.]+ cases\/s/);
  expect(out).toMatch(/ratio doudi ÷ DuckDB: [\d.]+×/);
  expect(out).toContain('lines agreeing with DuckDB: 120 / 120 (doudi 120 lines); totals equal');
  expect(out).toMatch(/per case-month: state transitions [\d.]+ .* DynamoDB [\d.]+ writes \+ [\d.]+ reads/);
  expect(out).toMatch(/total\s+\$[\d.]+/);
  expect(out).toMatch(/projected for a province of 3,000,000 cases: [\d.]+ min/);
}, 240_000);

it('lookup: 结果互认 look-ups answered alike by doudi and DuckDB, with rates and latencies', () => {
  const out = bench('lookup', { BENCH_PEOPLE: '10000', BENCH_LOOKUPS: '3' });
  expect(out).toMatch(/doudi \(HTTP API, local runtime\): [\d.]+ look-ups\/s .* p99 [\d,]+ ms/);
  expect(out).toMatch(/DuckDB \(in memory, same export\):\s+[\d.]+ look-ups\/s/);
  expect(out).toMatch(/ratio doudi ÷ DuckDB: throughput [\d.]+×, p99 latency [\d.]+×/);
  expect(out).toContain('agreement: 3,000 of 3,000 positions alike');
}, 240_000);
