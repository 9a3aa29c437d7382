/**
 * `npm run bench -- api`: load on the local runtime's HTTP API over loopback with autocannon —
 * `POST /applications` (a signed-in applicant's self-declaration: validation, a DynamoDB
 * transaction, the audit log, a Step Functions start) against `GET /health` on the same server
 * (the baseline: routing, the event, a handler, nothing stored), measured in the same run. Prints
 * both latency distributions, their p99 ratio and the errors (target: p99 ≤ 3× the baseline's,
 * no errors). Nothing here asserts a time.
 *
 * `BENCH_SECONDS` (default 10) and `BENCH_CONNECTIONS` (default 8) shape each run.
 */
import autocannon, { type Result } from 'autocannon';
import { devToken } from '../local/client.ts';
import { clockStartFromEnv } from '../local/clock.ts';
import { startRuntime, stopWithin } from '../local/runtime.ts';
import { application } from '../test/support/households.ts';

// One person submitting for seconds on end is a flood by the rate limits (shared/rate-limits.ts):
// the bench measures the system's work, the limiter's count included, with its limits raised out of
// the way unless DOUDI_RATE_LIMIT_SCALE says otherwise.
process.env.DOUDI_RATE_LIMIT_SCALE ??= '1000000';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);

const runtime = await startRuntime({
  dataDir: null,
  port: 0,
  startAt: clockStartFromEnv(),
  log: () => undefined,
});
const token = await devToken(runtime.apiUrl, {
  role: 'applicant',
  subject: 'bench-applicant',
  name: '压测申请人',
});

let n = 0;
/**
 * A different household each request, as real submissions are: its own people (`application()`
 * gives each call its own ID numbers; a person's second open application would be refused).
 */
function declaration(): string {
  n++;
  const household = application();
  return JSON.stringify({
    ...household,
    members: household.members.map((m, i) => ({
      ...m,
      incomes: i ? [] : [{ kind: 'transfer' as const, monthlyAmount: (n % 5) * 50 }],
    })),
  });
}

function run(title: string, options: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { connections: CONNECTIONS, duration: SECONDS, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    process.stderr.write(`${title}: ${SECONDS} s, ${CONNECTIONS} connections…\n`);
    instance.on('done', () => process.stderr.write(`${title}: done\n`));
  });
}

console.log(
  `doudi API benchmark — autocannon on loopback, ${CONNECTIONS} connections × ${SECONDS} s each, node ${process.version}`,
);
const baseline = await run('GET /health', { url: `${runtime.apiUrl}/health` });
const submissions = await run('POST /applications', {
  url: `${runtime.apiUrl}/applications`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  requests: [{ setupRequest: (request) => ({ ...request, body: declaration() }) }],
});
const row = (name: string, r: Result) => {
  const l = r.latency;
  const bad = r.errors + r.timeouts + r.non2xx;
  return `${name.padEnd(20)} ${String(r.requests.total).padStart(7)} req  ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${l.p50} ms  p90 ${l.p90} ms  p99 ${l.p99} ms  max ${l.max} ms   errors ${bad}`;
};
console.log(row('GET /health', baseline));
console.log(row('POST /applications', submissions));
const ratio = submissions.latency.p99 / Math.max(baseline.latency.p99, 1);
const errors =
  submissions.errors + submissions.timeouts + submissions.non2xx + baseline.errors + baseline.non2xx;
console.log(
  `p99 ratio POST /applications ÷ GET /health: ${ratio.toFixed(2)}× (target ≤ 3×: ${ratio <= 3 ? 'met' : 'not met'}); errors: ${errors} (target 0: ${errors === 0 ? 'met' : 'not met'})`,
);

// The figures are out before the runtime stops, so they never wait on its shutdown. The applications'
// executions wait for caseworkers; stopping leaves them, as a shutdown does.
await stopWithin(runtime, 60_000);
