/**
 * `npm run bench -- api`: load on the local runtime's HTTP API over loopback with autocannon —
 * `POST /applications` (a signed-in applicant's self-declaration: validation, the rate limit, one
 * DynamoDB transaction with the application, its case, claims and first audit entries, then a Step
 * Functions start) against `GET /health` on the same server (the baseline: routing, the event, a
 * handler, nothing stored), measured in the same run, twice:
 *
 * - open loop: requests sent at a fixed rate (`BENCH_RATE`, default 10 a second) below saturation,
 *   as people arrive, whatever the server's pace — p50 and p99 of both routes and their p99 ratio
 *   (target ≤ 3×), and the DynamoDB requests one submission makes (counted, not estimated). The
 *   baseline runs on a quiet runtime, before any submission (whose workflows would still be running
 *   under it); and once more beside the submissions, at the same rate and the same time, which shows
 *   what the machine's load alone does to a request that stores nothing;
 * - saturation: `BENCH_CONNECTIONS` (default 8) connections sending as fast as answers come — the
 *   sustained rate (target: twice the 6 submissions a second measured before the single-transaction
 *   submission), p50 and p99.
 *
 * `BENCH_SECONDS` (default 10) is each run's length, after `BENCH_WARM_UP_SECONDS` (default 3) of
 * both routes that are not measured. Nothing here asserts a time.
 */
import autocannon, { type Result } from 'autocannon';
import { devToken } from '../local/client.ts';
import { clockStartFromEnv } from '../local/clock.ts';
import { invocationCounts } from '../local/lambda.ts';
import { startRuntime, stopWithin } from '../local/runtime.ts';
import { requestCountsByCaller, resetRequestCounts } from '../shared/clients.ts';
import { application } from '../test/support/households.ts';

// One person submitting for seconds on end is a flood by the rate limits (shared/rate-limits.ts):
// the bench measures the system's work, the limiter's count included, with its limits raised out of
// the way unless DOUDI_RATE_LIMIT_SCALE says otherwise.
process.env.DOUDI_RATE_LIMIT_SCALE ??= '1000000';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
/** Submissions a second at saturation before the submission became one transaction (issue 11). */
const EARLIER_SATURATION = 6;

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

/** Until the warm-up's workflows have done what they do before a caseworker (no invocation for a second). */
async function settled(): Promise<void> {
  const total = () => Object.values(invocationCounts()).reduce((sum, f) => sum + f.count, 0);
  for (let last = -1, waited = 0; total() !== last && waited < 60_000; waited += 1000) {
    last = total();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

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
    const pace = options.overallRate ? `${options.overallRate}/s` : `${CONNECTIONS} connections`;
    process.stderr.write(`${title}: ${options.duration ?? SECONDS} s, ${pace}…\n`);
    instance.on('done', () => process.stderr.write(`${title}: done\n`));
  });
}

const health: autocannon.Options = { url: `${runtime.apiUrl}/health` };
const submit: autocannon.Options = {
  url: `${runtime.apiUrl}/applications`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  requests: [{ setupRequest: (request) => ({ ...request, body: declaration() }) }],
};
const bad = (r: Result) => r.errors + r.timeouts + r.non2xx;
const row = (name: string, r: Result) => {
  const l = r.latency;
  return `${name.padEnd(20)} ${String(r.requests.total).padStart(7)} req  ${r.requests.average.toFixed(1).padStart(7)} req/s   p50 ${l.p50} ms  p99 ${l.p99} ms  max ${l.max} ms   errors ${bad(r)}`;
};
const met = (ok: boolean) => (ok ? 'met' : 'not met');

console.log(
  `doudi API benchmark — autocannon on loopback, ${SECONDS} s a run, node ${process.version}; open loop at ${RATE}/s, saturation with ${CONNECTIONS} connections`,
);
// Warm-up, not measured: a runtime just started is still compiling its handlers and running its
// schedules' first look, which would slow whichever route is measured first (the baseline).
await run('warm-up', { ...health, duration: WARM_UP_SECONDS, overallRate: RATE });
// Open loop: the rate people arrive at, not the server's pace. The baseline first, on a quiet
// runtime: each submission starts a workflow that goes on working after its answer.
const openHealth = await run('GET /health (open loop)', { ...health, overallRate: RATE });
await run('warm-up', { ...submit, duration: WARM_UP_SECONDS, overallRate: RATE });
await settled();
resetRequestCounts();
const [openSubmit, besideHealth] = await Promise.all([
  run('POST /applications (open loop)', { ...submit, overallRate: RATE }),
  run('GET /health (beside it)', { ...health, overallRate: RATE }),
]);
const submitted = openSubmit.requests.total - bad(openSubmit);
const handlerRequests = Object.entries(requestCountsByCaller().submitApplication ?? {});
const perSubmission = (n: number) => n / Math.max(submitted, 1);
const dynamoPerSubmission = perSubmission(
  handlerRequests
    .filter(([operation]) => operation.startsWith('DynamoDB.'))
    .reduce((sum, [, n]) => sum + n, 0),
);
const submissionRequests = handlerRequests
  .map(([operation, n]) => `${operation} ${perSubmission(n).toFixed(2)}`)
  .join(', ');
// Saturation: as fast as answers come.
const satHealth = await run('GET /health (saturation)', health);
const satSubmit = await run('POST /applications (saturation)', submit);

console.log(`\nopen loop at ${RATE} requests/s`);
console.log(row('GET /health', openHealth));
console.log(row('POST /applications', openSubmit));
console.log(row('GET /health beside', besideHealth));
const ratio = openSubmit.latency.p99 / Math.max(openHealth.latency.p99, 1);
console.log(
  `p99 ratio POST /applications ÷ GET /health: ${ratio.toFixed(2)}× (target ≤ 3×: ${met(ratio <= 3)})`,
);
console.log(
  `p99 ratio POST /applications ÷ GET /health beside it, under the same load: ${(openSubmit.latency.p99 / Math.max(besideHealth.latency.p99, 1)).toFixed(2)}×`,
);
console.log(
  `requests of one submission's handler: ${submissionRequests || 'none counted'} — DynamoDB ${dynamoPerSubmission.toFixed(2)} per submission`,
);
console.log(`\nsaturation, ${CONNECTIONS} connections`);
console.log(row('GET /health', satHealth));
console.log(row('POST /applications', satSubmit));
const sustained = satSubmit.requests.average;
console.log(
  `sustained POST /applications: ${sustained.toFixed(1)}/s = ${(sustained / EARLIER_SATURATION).toFixed(2)}× the ${EARLIER_SATURATION}/s before (target ≥ 2×: ${met(sustained >= 2 * EARLIER_SATURATION)})`,
);
const errors = [openHealth, openSubmit, besideHealth, satHealth, satSubmit].reduce(
  (sum, r) => sum + bad(r),
  0,
);
console.log(`errors: ${errors} (target 0: ${met(errors === 0)})`);

// The figures are out before the runtime stops, so they never wait on its shutdown. The applications'
// executions wait for caseworkers; stopping leaves them, as a shutdown does.
await stopWithin(runtime, 60_000);
