/**
 * `npm run bench -- lookup`: 结果互认 look-ups of 1,000 people each (`POST /register/lookup`, as a 医保
 * officer) against a register of `BENCH_PEOPLE` people (1,000,000 unless set) on the local runtime,
 * against DuckDB answering the same look-ups from the register's export, measured in the same run.
 * Both must answer every position alike (in the population or not, tier, status). Prints look-ups/s
 * and the p50/p99 latency of each, and their ratios.
 *
 * The register: households of 1–4 people in ten counties of 湖南 (the look-ups ask about 长沙县,
 * 430121), in assistance, easing out, watched after it, or exited; written straight into the table as
 * the register's import writes them (household and person items, people by the blind index of their
 * ID numbers). Each look-up asks about 700 people of the county, 100 of other counties (answered as not
 * found: outside the region) and 200 nobody registered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance } from '@duckdb/node-api';
import { ApiClient, type Caller } from '../local/client.ts';
import { clockStartFromEnv } from '../local/clock.ts';
import { startRuntime, stopWithin } from '../local/runtime.ts';
import { blindIndex } from '../shared/crypto.ts';
import { idCheckCharacter } from '../shared/domain/id-number.ts';
import type { RegisterStatus, RegisterTier } from '../shared/monitoring/indicators.ts';

process.env.DOUDI_RATE_LIMIT_SCALE ??= '1000000';
const N = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 30);
if (!Number.isSafeInteger(N) || N < 10_000) throw new Error(`BENCH_PEOPLE must be at least 10,000, got ${N}`);
const REGION = '430121';
const COUNTIES = [
  '430121',
  '430102',
  '430103',
  '430104',
  '430105',
  '430111',
  '430112',
  '430124',
  '430181',
  '430182',
];
const TIERS: RegisterTier[] = ['dibao', 'dibao', 'dibao', 'tekun', 'marginal', 'rigidExpense'];
const STATUSES: RegisterStatus[] = [
  'active',
  'active',
  'active',
  'active',
  'gradualExit',
  'monitoring',
  'exited',
];
const IN_POPULATION = new Set<RegisterStatus>(['active', 'gradualExit', 'monitoring']);
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const progress = (text: string) => process.stderr.write(`  ${text}\n`);

/** A deterministic generator (mulberry32): the same register every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(20_261_205);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

/** The `serial`-th ID number of a region: a birth date (1940–1999) and a sequence number, 20 million apart. */
function idNumber(region: string, serial: number): string {
  const sequence = serial % 1000;
  const date = Math.floor(serial / 1000);
  const day = 1 + (date % 28);
  const month = 1 + (Math.floor(date / 28) % 12);
  const year = 1940 + (Math.floor(date / 336) % 60);
  const first17 = `${region}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

interface Person {
  idNumber: string;
  householdId: string;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
}

// ── the register ─────────────────────────────────────────────────────────────────────────────────

const runtime = await startRuntime({ dataDir: null, port: 0, startAt: clockStartFromEnv() });
const table = runtime.env.CASES_TABLE!;
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: 'us-east-1' }),
  { marshallOptions: { removeUndefinedValues: true } },
);

const people: Person[] = [];
const seen = new Set<string>();
let serial = 0;
for (let h = 0; people.length < N; h++) {
  const regionCode = pick(COUNTIES);
  const householdId = `HH-BENCH-${h}`;
  const tier = pick(TIERS);
  const status = pick(STATUSES);
  const size = Math.min(1 + Math.floor(rand() * 4), N - people.length);
  for (let m = 0; m < size; m++) {
    let id: string;
    do id = idNumber(regionCode, serial++);
    while (seen.has(id));
    seen.add(id);
    people.push({ idNumber: id, householdId, regionCode, tier, status });
  }
}
progress(`generated ${fmt(people.length)} people`);

const loadStarted = performance.now();
const households = new Map<string, Person[]>();
for (const p of people) households.set(p.householdId, [...(households.get(p.householdId) ?? []), p]);
const items: Array<Record<string, unknown>> = [];
const updatedAt = new Date().toISOString();
for (const [householdId, members] of households) {
  const first = members[0]!;
  const indexes = await Promise.all(members.map((m) => blindIndex(m.idNumber)));
  const entry = {
    householdId,
    caseId: null,
    regionCode: first.regionCode,
    tier: first.tier,
    status: first.status,
    memberCount: members.length,
    perCapitaMonthlyIncome: 400,
    assistance: [],
  };
  items.push({
    pk: `HH#${householdId}`,
    sk: 'HH',
    ...entry,
    memberIndexes: indexes,
    source: 'import',
    updatedAt,
  });
  for (const index of indexes)
    items.push({ pk: `PERSON#${index}`, sk: 'PERSON', households: { [householdId]: entry } });
}
let written = 0;
const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) =>
  items.slice(i * 25, i * 25 + 25),
);
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
      written += batch.length;
      if (written % 100_000 < 25) progress(`written ${fmt(written)} of ${fmt(items.length)} items`);
    }
  }),
);
const loadSeconds = (performance.now() - loadStarted) / 1000;
progress(`register loaded in ${fmt(loadSeconds, 1)} s`);

// ── the look-ups ─────────────────────────────────────────────────────────────────────────────────

const inCounty = people.filter((p) => p.regionCode === REGION);
const elsewhere = people.filter((p) => p.regionCode !== REGION);
const requests = Array.from({ length: LOOKUPS }, (_, l) => [
  ...Array.from({ length: 700 }, () => pick(inCounty).idNumber),
  ...Array.from({ length: 100 }, () => pick(elsewhere).idNumber),
  ...Array.from({ length: 200 }, (_, i) => idNumber('430121', 900_000_000 + l * 1000 + i)),
]);

const officer = {
  role: 'departmentOfficer',
  regionCodes: [REGION],
  subject: 'bench-medical',
  name: '压测医保',
  department: 'medicalInsurance',
} satisfies Caller;
const client = new ApiClient(runtime.apiUrl);
await client.authorization(officer);
interface Answer {
  inLowIncomePopulation: boolean;
  tier?: string;
  status?: string;
}
const ours: Answer[][] = [];
const ourMs: number[] = [];
for (const idNumbers of requests) {
  const started = performance.now();
  const res = await client.expect(officer, 'POST', '/register/lookup', {
    regionCode: REGION,
    purpose: '压测：资助城乡居民医保个人缴费',
    idNumbers,
  });
  ourMs.push(performance.now() - started);
  ours.push((res as { results: Answer[] }).results);
}
progress('doudi look-ups done');

// ── DuckDB on the register's export ──────────────────────────────────────────────────────────────

const dir = mkdtempSync(join(tmpdir(), 'doudi-lookup-'));
writeFileSync(
  join(dir, 'register.csv'),
  `idNumber,householdId,regionCode,tier,status\n${people.map((p) => `${p.idNumber},${p.householdId},${p.regionCode},${p.tier},${p.status}`).join('\n')}\n`,
);
const duckLoadStarted = performance.now();
const duck = await (await DuckDBInstance.create(':memory:')).connect();
await duck.run(
  `CREATE TABLE register AS SELECT * FROM read_csv('${join(dir, 'register.csv')}', all_varchar = true)`,
);
const duckLoadSeconds = (performance.now() - duckLoadStarted) / 1000;
const theirs: Answer[][] = [];
const duckMs: number[] = [];
for (const idNumbers of requests) {
  const started = performance.now();
  // The ID numbers are generated (digits and X only): inlined as a list literal.
  const list = `[${idNumbers.map((id) => `'${id}'`).join(',')}]::VARCHAR[]`;
  const reader = await duck.runAndReadAll(`
    WITH asked AS (SELECT unnest(${list}) AS idNumber, generate_subscripts(${list}, 1) AS position)
    SELECT a.position, r.tier, r.status,
           (r.idNumber IS NOT NULL AND r.regionCode LIKE '${REGION}%' AND r.status IN ('active', 'gradualExit', 'monitoring')) AS found
    FROM asked a LEFT JOIN register r USING (idNumber) ORDER BY a.position`);
  duckMs.push(performance.now() - started);
  theirs.push(
    (reader.getRowObjects() as Array<{ found: boolean; tier: string | null; status: string | null }>).map(
      (r) =>
        r.found
          ? { inLowIncomePopulation: true, tier: r.tier!, status: r.status! }
          : { inLowIncomePopulation: false },
    ),
  );
}
rmSync(dir, { recursive: true, force: true });
await stopWithin(runtime, 30_000);

// ── figures ──────────────────────────────────────────────────────────────────────────────────────

let agreeing = 0;
let positions = 0;
const differences: string[] = [];
for (const [l, answers] of ours.entries())
  for (const [i, a] of answers.entries()) {
    positions++;
    const b = theirs[l]![i]!;
    const same =
      a.inLowIncomePopulation === b.inLowIncomePopulation &&
      (!a.inLowIncomePopulation || (a.tier === b.tier && a.status === b.status));
    if (same) agreeing++;
    else if (differences.length < 5)
      differences.push(`look-up ${l} position ${i}: doudi ${JSON.stringify(a)}, DuckDB ${JSON.stringify(b)}`);
  }
const byId = new Map(people.map((p) => [p.idNumber, p]));
const expectedFound = requests.map(
  (ids) =>
    ids.filter((id) => {
      const p = byId.get(id);
      return p && p.regionCode === REGION && IN_POPULATION.has(p.status);
    }).length,
);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ourRate = (LOOKUPS / sum(ourMs)) * 1000;
const duckRate = (LOOKUPS / sum(duckMs)) * 1000;
console.log(
  `\n结果互认 look-ups — ${fmt(LOOKUPS)} look-ups of 1,000 people against a register of ${fmt(people.length)} people`,
);
console.log(
  `  register written to DynamoDB Local in ${fmt(loadSeconds, 1)} s; DuckDB loaded the export in ${fmt(duckLoadSeconds, 1)} s`,
);
console.log(
  `  doudi (HTTP API, local runtime): ${fmt(ourRate, 2)} look-ups/s (${fmt(ourRate * 1000)} people/s), p50 ${fmt(quantile(ourMs, 0.5))} ms, p99 ${fmt(quantile(ourMs, 0.99))} ms`,
);
console.log(
  `  DuckDB (in memory, same export):  ${fmt(duckRate, 2)} look-ups/s (${fmt(duckRate * 1000)} people/s), p50 ${fmt(quantile(duckMs, 0.5), 1)} ms, p99 ${fmt(quantile(duckMs, 0.99), 1)} ms`,
);
console.log(
  `  ratio doudi ÷ DuckDB: throughput ${fmt(ourRate / duckRate, 3)}×, p99 latency ${fmt(quantile(ourMs, 0.99) / quantile(duckMs, 0.99), 1)}×`,
);
console.log(
  `  agreement: ${fmt(agreeing)} of ${fmt(positions)} positions alike; found per look-up ${fmt(Math.min(...expectedFound))}–${fmt(Math.max(...expectedFound))} (as generated)`,
);
for (const d of differences) console.log(`    ${d}`);
if (agreeing !== positions) process.exitCode = 1;
