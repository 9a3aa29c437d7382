/**
 * `npm run bench -- payroll`: a synthetic county of `BENCH_CASES` (50,000 unless set) active cases
 * paid end to end on the local runtime — the roll computed (Distributed Map), sealed, approved by a
 * second officer, exported to the bank file, and reconciled from the bank's return — against DuckDB
 * computing the same roll's lines and totals from an export of the same cases, measured in the same
 * run. The two rolls must agree line for line. Prints cases/s for both and their ratio, the peak RSS,
 * the state transitions, DynamoDB requests and AWS cost per case-month at list prices (counted, not
 * estimated), and what a province of 3 million cases would take on Distributed Map.
 *
 * The county: each case determined in one of the four months up to the roll's (so up to three months
 * of back pay are owed since the county's first roll), every tenth terminated the month before, a
 * third of them paid for the first month already, every fiftieth without an account (left out of the
 * bank file), and the bank failing every hundredth line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance } from '@duckdb/node-api';
import { ApiClient, type Caller, eventually } from '../local/client.ts';
import { clockStartFromEnv } from '../local/clock.ts';
import { invocationCounts, resetInvocationCounts } from '../local/lambda.ts';
import { startRuntime, stopWithin } from '../local/runtime.ts';
import { requestCountsByCaller, resetRequestCounts } from '../shared/clients.ts';
import { fieldCipher } from '../shared/crypto.ts';
import { addMonthsToMonth, chinaMonth } from '../shared/domain/lifecycle.ts';
import { maskAccountNumber } from '../shared/domain/payee.ts';
import { simulatedReturn } from '../shared/payroll-files.ts';
import { readLines } from '../shared/repositories/payroll.ts';
import { MAX_CONCURRENCY } from '../workflows/payroll.ts';
import { PRICES, requestTotals } from './prices.ts';

process.env.DOUDI_RATE_LIMIT_SCALE ??= '1000000';
const N = Number(process.env.BENCH_CASES ?? 50_000);
const REGION = '430121';
const PROVINCE_CASES = 3_000_000;
/** A province's counties run their rolls at once, each its own execution. */
const COUNTIES_AT_ONCE = 100;

// The 2nd of the month, China time, unless the caller pins the clock: before the county's payroll
// day, so that the schedule does not start the roll the bench starts.
const now = new Date();
const startAt = clockStartFromEnv() ?? Date.parse(`${chinaMonth(now)}-02T09:00:00+08:00`);
const runtime = await startRuntime({ dataDir: null, port: 0, startAt });
const client = new ApiClient(runtime.apiUrl);
const as = {
  preparer: { role: 'countyOfficer', regionCodes: [REGION], subject: 'bench-county-1', name: '压测编制人' },
  approver: { role: 'countyOfficer', regionCodes: [REGION], subject: 'bench-county-2', name: '压测审批人' },
} satisfies Record<string, Caller>;
await Promise.all(Object.values(as).map((person) => client.authorization(person)));

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);

// ── the county ───────────────────────────────────────────────────────────────────────────────────

const month = chinaMonth(new Date(startAt));
const since = addMonthsToMonth(month, -3);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = runtime.env.CASES_TABLE!;
const cipher = fieldCipher();

interface Seeded {
  caseId: string;
  periods: Array<{ from: string; decidedAt: string; status: 'active' | 'ended'; amount: number }>;
  paid: string[];
}
const seeded: Seeded[] = [];
const decidedIn = (m: string) => `${addMonthsToMonth(m, -1)}-15T02:00:00.000Z`;
const items: Array<Record<string, unknown>> = [
  // The county's first roll, three months ago: months before it are not owed through the system.
  {
    pk: `ROLL#${REGION}-${since}-1`,
    sk: 'ROLL',
    gsi1pk: `ROLLS#${REGION}`,
    gsi1sk: `${since}#001`,
    rollId: `${REGION}-${since}-1`,
    regionCode: REGION,
    month: since,
    seq: 1,
    since,
    status: 'reconciled',
    preparedBy: { subject: 'bench', name: '压测', role: 'countyOfficer' },
    preparedAt: `${since}-05T02:00:00.000Z`,
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:doudi-payroll:seeded',
  },
  { pk: 'PAYROLLCOUNTIES', sk: REGION, regionCode: REGION },
];
for (let i = 0; i < N; i++) {
  const caseId = `case-bench${String(i).padStart(7, '0')}`;
  const applicationId = `app-bench${String(i).padStart(7, '0')}`;
  const amount = 300 + (i % 50) * 10 + (i % 7) * 0.5;
  const from = addMonthsToMonth(month, -(i % 4));
  const periods: Seeded['periods'] = [{ from, decidedAt: decidedIn(from), status: 'active', amount }];
  if (i % 10 === 0) {
    const endFrom = addMonthsToMonth(month, -1);
    periods.push({ from: endFrom, decidedAt: decidedIn(endFrom), status: 'ended', amount });
  }
  const paid = i % 3 === 0 && from <= since ? [since] : [];
  seeded.push({ caseId, periods, paid });
  items.push(
    {
      pk: `APP#${applicationId}`,
      sk: 'APP',
      gsi1pk: `APPS#${REGION}`,
      gsi1sk: `${periods[0]!.decidedAt}#${applicationId}`,
      applicationId,
      caseId,
      status: 'approved',
      regionCode: REGION,
    },
    {
      pk: `CASE#${caseId}`,
      sk: 'CASE',
      caseId,
      regionCode: REGION,
      tier: 'dibao',
      monthlyAmount: amount,
      determinedAt: periods[0]!.decidedAt,
      determinedApplicationId: applicationId,
    },
    ...periods.map((p, k) => ({
      pk: `CASE#${caseId}`,
      sk: `BENEFIT#${p.decidedAt}#${k === 0 ? 'determination' : 'termination'}`,
      caseId,
      from: p.from,
      cause: k === 0 ? 'determination' : 'termination',
      status: p.status,
      tier: 'dibao',
      monthlyAmount: amount,
      decidedAt: p.decidedAt,
      ref: applicationId,
      regionCode: REGION,
    })),
    ...paid.map((m) => ({
      pk: `CASE#${caseId}`,
      sk: `PAY#${m}`,
      caseId,
      month: m,
      kind: 'regular',
      amount,
      tier: 'dibao',
      basis: '压测：已发放',
      executionArn: 'seeded',
      recordedAt: `${m}-10T02:00:00.000Z`,
    })),
  );
  if (i % 50 !== 49) {
    const number = `6228480${String(i).padStart(11, '0')}0`;
    items.push({
      pk: `CASE#${caseId}`,
      sk: 'PAYEE',
      kind: 'bankAccount',
      bankName: '中国农业银行长沙县支行',
      accountNumberMasked: maskAccountNumber(number),
      accountNameMasked: '张*',
      changedAt: periods[0]!.decidedAt,
      changedBy: { subject: 'bench', name: '压测', role: 'townshipCaseworker' },
      accountNumber: await cipher.seal(number),
      accountName: await cipher.seal(`张三${i}`),
    });
  }
}
const seedStarted = performance.now();
for (let i = 0; i < items.length; i += 25 * 8) {
  await Promise.all(
    Array.from({ length: 8 }, async (_, k) => {
      let pending = items.slice(i + k * 25, i + (k + 1) * 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }),
  );
}
const seedSeconds = (performance.now() - seedStarted) / 1000;

// ── doudi: the roll end to end ───────────────────────────────────────────────────────────────────

resetRequestCounts();
resetInvocationCounts();
const until = <T>(check: () => Promise<T | undefined>) =>
  eventually(check, { timeoutMs: 3_600_000, every: 250 });
// biome-ignore lint/suspicious/noExplicitAny: the API's answers, read by the bench
type Body = Record<string, any>;
// The roll's status and totals from the county's list (the detail also reads a page of lines).
const rollOf = async (rollId: string): Promise<Body> =>
  (
    (await client.expect(as.preparer, 'GET', `/payrolls?regionCode=${REGION}`, undefined, [200])) as Body
  ).rolls.find((r: Body) => r.rollId === rollId);

const phase: Record<string, number> = {};
let mark = performance.now();
const lap = (name: string) => {
  const t = performance.now();
  phase[name] = (t - mark) / 1000;
  mark = t;
};
const started = (await client.expect(
  as.preparer,
  'POST',
  '/payrolls',
  { regionCode: REGION, month },
  [202],
)) as Body;
const rollId = started.rollId as string;
await until(async () => ((await rollOf(rollId)).status === 'prepared' ? true : undefined));
lap('compute and seal');
await client.expect(as.approver, 'POST', `/payrolls/${rollId}/decision`, { decision: 'approve' }, [202]);
await until(async () => ((await rollOf(rollId)).bankFile ? true : undefined));
lap('approve and export the bank file');
const link = (await client.expect(as.approver, 'POST', `/payrolls/${rollId}/bank-file`, {}, [200])) as Body;
const bankLines = (await (await fetch(link.url)).text()).trim().split('\n');
const failing = Object.fromEntries(
  bankLines
    .slice(2, -1)
    .filter((_, k) => k % 100 === 99)
    .map((line) => [line.split(',').at(-1)!, '账户已冻结']),
);
await client.expect(
  as.preparer,
  'POST',
  `/payrolls/${rollId}/bank-return`,
  { content: simulatedReturn(bankLines.join('\n'), failing) },
  [202],
);
await until(async () => ((await rollOf(rollId)).status === 'reconciled' ? true : undefined));
lap('return file and reconciliation');
const doudiSeconds = Object.values(phase).reduce((a, b) => a + b, 0);
const roll = await rollOf(rollId);
const lines = await readLines(rollId);

const byCaller = requestCountsByCaller();
const invocations = invocationCounts();
const history = await new SFNClient({}).send(
  new GetExecutionHistoryCommand({ executionArn: roll.executionArn, maxResults: 1000 }),
);
clearInterval(sampler);
await stopWithin(runtime, 60_000);

// ── DuckDB: the same roll from an export of the same cases ───────────────────────────────────────

const dir = mkdtempSync(join(tmpdir(), 'doudi-payroll-bench-'));
writeFileSync(
  join(dir, 'periods.csv'),
  `caseId,from,decidedAt,status,amount\n${seeded.flatMap((c) => c.periods.map((p) => `${c.caseId},${p.from},${p.decidedAt},${p.status},${p.amount}`)).join('\n')}\n`,
);
writeFileSync(
  join(dir, 'paid.csv'),
  `caseId,month\n${seeded.flatMap((c) => c.paid.map((m) => `${c.caseId},${m}`)).join('\n')}\n`,
);
const duckStarted = performance.now();
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const reader = await duck.runAndReadAll(`
  WITH periods AS (SELECT * FROM read_csv('${join(dir, 'periods.csv')}', types = {'from': 'VARCHAR', 'amount': 'DECIMAL(12,2)'})),
  paid AS (SELECT * FROM read_csv('${join(dir, 'paid.csv')}', types = {'month': 'VARCHAR'})),
  months AS (
    SELECT strftime(m, '%Y-%m') AS month
    FROM range(DATE '${since}-01', DATE '${month}-01' + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(m)
  ),
  inforce AS (
    SELECT p.caseId, m.month,
           arg_max(p.status, p."from" || p.decidedAt) AS status,
           arg_max(p.amount, p."from" || p.decidedAt) AS amount
    FROM periods p JOIN months m ON p."from" <= m.month
    GROUP BY p.caseId, m.month
  ),
  owed AS (
    SELECT i.* FROM inforce i ANTI JOIN paid USING (caseId, month)
    WHERE i.status = 'active' AND i.amount > 0
  )
  SELECT caseId, string_agg(month, ',' ORDER BY month) AS months, sum(amount)::DOUBLE AS amount
  FROM owed GROUP BY caseId ORDER BY caseId`);
const duckRows = reader.getRowObjects() as Array<{ caseId: string; months: string; amount: number }>;
const duckSeconds = (performance.now() - duckStarted) / 1000;
rmSync(dir, { recursive: true, force: true });

const ours = new Map(lines.map((l) => [l.caseId, l]));
let agreeing = 0;
const disagreeing: string[] = [];
for (const row of duckRows) {
  const line = ours.get(row.caseId);
  const same =
    line &&
    line.months.map((m) => m.month).join(',') === row.months &&
    Math.round(line.amount * 100) === Math.round(row.amount * 100);
  if (same) agreeing++;
  else if (disagreeing.length < 5)
    disagreeing.push(
      `${row.caseId}: DuckDB ${row.months} ${row.amount}, doudi ${line ? `${line.months.map((m) => m.month)} ${line.amount}` : 'no line'}`,
    );
}
const duckTotal = duckRows.reduce((fen, r) => fen + Math.round(r.amount * 100), 0) / 100;

// ── figures ──────────────────────────────────────────────────────────────────────────────────────

// The bench's looking at the roll stands in for the officers', and is not costed.
const POLLING = ['listPayrolls', 'getPayroll'];
const { dynamoWrites: writes, dynamoReads: reads, s3Puts, s3Gets } = requestTotals(byCaller, POLLING);
const steps = [
  'payrollLinesStep',
  'reconcilePayrollStep',
  'preparePayrollStep',
  'sealPayrollStep',
  'exportBankFileStep',
];
const lambdaCount = Object.entries(invocations)
  .filter(([k]) => !POLLING.includes(k))
  .reduce((a, [, v]) => a + v.count, 0);
const lambdaMs = Object.entries(invocations)
  .filter(([k]) => !POLLING.includes(k))
  .reduce((a, [, v]) => a + v.ms, 0);
const children = (invocations.payrollLinesStep?.count ?? 0) + (invocations.reconcilePayrollStep?.count ?? 0);
// The roll's own states, and each child execution's: its start, its one task state and its end.
const transitions =
  (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length + children * 3;
const caseMonths = roll.totals.months as number;
const perCaseMonth = (n: number) => n / caseMonths;
const cost = {
  stepFunctions: perCaseMonth(transitions) * PRICES.stepFunctionsPerTransition,
  lambda:
    perCaseMonth(lambdaCount) * PRICES.lambdaPerRequest +
    (perCaseMonth(lambdaMs) / 1000) * PRICES.lambdaMemoryGb * PRICES.lambdaPerGbSecondArm,
  dynamodb:
    perCaseMonth(writes) * PRICES.dynamoPerWriteRequest + perCaseMonth(reads) * PRICES.dynamoPerReadRequest,
  s3: perCaseMonth(s3Puts) * PRICES.s3PerPut + perCaseMonth(s3Gets) * PRICES.s3PerGet,
};
const total = Object.values(cost).reduce((a, b) => a + b, 0);
const stepMsPerCase = steps.reduce((a, k) => a + (invocations[k]?.ms ?? 0), 0) / N;
const provinceSeconds = (PROVINCE_CASES * stepMsPerCase) / 1000 / (MAX_CONCURRENCY * COUNTIES_AT_ONCE);

const rate = (seconds: number) => (N / seconds).toFixed(1);
console.log(
  `county of ${N.toLocaleString('en')} cases, roll ${rollId} (${since} … ${month}); seeded in ${seedSeconds.toFixed(1)} s`,
);
for (const [name, seconds] of Object.entries(phase))
  console.log(`  ${name.padEnd(34)} ${seconds.toFixed(1)} s`);
console.log(
  `doudi (Distributed Map → Lambda → DynamoDB, bank file, reconciliation): ${rate(doudiSeconds)} cases/s (${doudiSeconds.toFixed(1)} s), peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (this process: the runtime and its handlers; DynamoDB Local's JVM apart)`,
);
console.log(
  `baseline (DuckDB, the same roll from a CSV export):           ${rate(duckSeconds)} cases/s (${duckSeconds.toFixed(2)} s)`,
);
console.log(`ratio doudi ÷ DuckDB: ${(duckSeconds / doudiSeconds).toFixed(4)}× the baseline's throughput`);
console.log(
  `lines agreeing with DuckDB: ${agreeing.toLocaleString('en')} / ${duckRows.length.toLocaleString('en')} (doudi ${lines.length.toLocaleString('en')} lines); totals ${roll.totals.amount + roll.totals.deducted === duckTotal ? 'equal' : 'DIFFER'} (${duckTotal.toFixed(2)} yuan)`,
);
for (const d of disagreeing) console.log(`  differs: ${d}`);
console.log(
  `roll: ${roll.totals.lines} lines, ${caseMonths} case-months, ${roll.totals.amount.toFixed(2)} yuan (back pay ${roll.totals.backPay.toFixed(2)}); bank file ${roll.bankFile.lines} lines, ${roll.bankFile.excluded.length} left out (no account); return: ${roll.bankReturn.paid} paid, ${roll.bankReturn.failed} failed`,
);
console.log(
  `per case-month: state transitions ${perCaseMonth(transitions).toFixed(3)} (${transitions} in all; ${children} child executions), DynamoDB ${perCaseMonth(writes).toFixed(2)} writes + ${perCaseMonth(reads).toFixed(2)} reads, Lambda ${perCaseMonth(lambdaCount).toFixed(4)} invocations (${perCaseMonth(lambdaMs).toFixed(2)} ms), S3 ${perCaseMonth(s3Puts + s3Gets).toFixed(4)}`,
);
console.log('AWS cost per case-month (USD, list prices in bench/prices.ts):');
for (const [k, v] of Object.entries(cost)) console.log(`  ${k.padEnd(14)} $${v.toFixed(8)}`);
console.log(
  `  ${'total'.padEnd(14)} $${total.toFixed(8)}  (≈ $${(total * 1_000_000).toFixed(2)} per million case-months)`,
);
console.log(
  `projected for a province of ${PROVINCE_CASES.toLocaleString('en')} cases: ${(provinceSeconds / 60).toFixed(1)} min of step time (${stepMsPerCase.toFixed(2)} ms a case measured here, ${COUNTIES_AT_ONCE} counties at once, ${MAX_CONCURRENCY} children each), before DynamoDB's on-demand scaling`,
);
