/**
 * `npm run bench -- rules`: classifies N varied households (default 1,000,000; `BENCH_HOUSEHOLDS`
 * to shrink) with doudi's rules and with json-rules-engine encoding the same tier decision, checks
 * every decision matches, and prints both throughputs and their ratio. One thread throughout.
 *
 * What is timed, to keep the comparison conservative against doudi:
 *  - doudi: the whole `meansTest` — income and asset economics, the tier decision, the amount and
 *    every Chinese reason — as the API and the workflow call it;
 *  - json-rules-engine: `engine.run` only, on facts precomputed outside the timer (the household's
 *    economics from the same `householdEconomics`, the lines and limits from the same parameters);
 *    its rules make every comparison and the tier priority (first matching rule by priority).
 * The headline ratio compares the tier decision: doudi from the raw household (its economics on the
 * clock) against json-rules-engine from precomputed facts; the fully explained meansTest has its own.
 *
 * Households are generated in chunks from a seeded PRNG so memory stays flat and every run is the same.
 * Each sample parameter set also runs with the provincial and county options the sample data leaves
 * off switched on (成年无业重度残疾人单人保, the illness/disability deduction, 生活支出 in 刚性支出, an
 * extra disability category without labour capacity, 分档定额), so those branches are compared too.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { idCheckCharacter } from '../shared/domain/id-number.ts';
import {
  type ParameterSet,
  parameterValuesSchema,
  resolveParameters,
  sampleParameterVersions,
} from '../shared/parameters/index.ts';
import { decide, householdEconomics, meansTest, type Tier, tiers } from '../shared/rules/index.ts';
import {
  dailyActivities,
  disabilityCategories,
  type HouseholdDeclaration,
  householdDeclaration,
  incomeKinds,
  type Member,
  obligorInabilities,
} from '../shared/schemas/household.ts';

const N = Number(process.env.BENCH_HOUSEHOLDS ?? 1_000_000);
if (!Number.isSafeInteger(N) || N < 1)
  throw new Error(`BENCH_HOUSEHOLDS must be a positive integer, got ${process.env.BENCH_HOUSEHOLDS}`);
const SEED = 20_260_301;
const CHUNK = 20_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
// Each pass replays the same stream from the seed, so the passes see identical households.
let rand = prng(SEED);
const chance = (p: number) => rand() < p;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const money = (x: number) => Math.round(x * 100) / 100;

// Sample parameter sets: a Hunan and a Henan county, urban and rural, before and after the 2026 change.
interface Context {
  regionCode: string;
  residence: 'urban' | 'rural';
  asOf: string;
  parameters: ParameterSet;
  ids: string[];
}
/**
 * The options a province or county may switch on that the sample data leaves off, on top of a
 * resolved sample set; checked against the parameter schema like any published value.
 */
function withLocalOptions(p: ParameterSet, k: number): ParameterSet {
  const variant: ParameterSet = {
    ...p,
    personCriteria: {
      ...p.personCriteria,
      adultSevereDisabilityAlone: true,
      noLabourCapacityDisabilities: [
        ...p.personCriteria.noLabourCapacityDisabilities,
        { category: 'multiple', upToGrade: 2 },
      ],
    },
    illnessDisabilityDeduction: true,
    rigidLivingExpense:
      k % 2 === 0
        ? { kind: 'dibaoStandardMultiple', multiple: 0.5 }
        : { kind: 'perPersonMonthly', amount: 200 },
    dibaoAmountMethod:
      k % 2 === 0
        ? { kind: 'gap' }
        : {
            kind: 'bands',
            bands: [
              { minGapPerPerson: 0, amountPerPerson: 100 },
              { minGapPerPerson: 200, amountPerPerson: 300 },
              { minGapPerPerson: 500, amountPerPerson: 600 },
            ],
          },
    version: `${p.version}+bench:localOptions`,
  };
  parameterValuesSchema.parse(variant);
  return variant;
}

const contexts: Context[] = [];
for (const regionCode of ['430121', '410122']) {
  for (const residence of ['urban', 'rural'] as const) {
    for (const asOf of ['2025-08-01', '2026-03-01']) {
      const ids = Array.from({ length: 8 }, (_, i) => {
        const first17 = `${regionCode}1980010${i + 1}${String(100 + i).padStart(3, '0')}`;
        return first17 + idCheckCharacter(first17);
      });
      const parameters = resolveParameters(sampleParameterVersions, regionCode, residence, asOf);
      contexts.push({ regionCode, residence, asOf, parameters, ids });
      contexts.push({
        regionCode,
        residence,
        asOf,
        parameters: withLocalOptions(parameters, contexts.length),
        ids,
      });
    }
  }
}

// Every kind at least once, the common ones more often.
const incomeKindsWeighted = [
  ...incomeKinds,
  'wage',
  'wage',
  'wage',
  'business',
  'agriculture',
  'pension',
  'basicPension',
] as const;
const obligorRelations = [
  'child',
  'parent',
  'sibling',
  'grandchild',
  'grandparent',
  'spouse',
  'other',
] as const;
type Obligor = NonNullable<HouseholdDeclaration['obligors']>[number];

/** Schooling plausible for the age (never below the schema's minimum age for the stage). */
function schoolingFor(age: number): Member['schooling'] {
  if (age >= 6 && age <= 15 && chance(0.9)) return { stage: 'compulsory', fullTime: true };
  if (age >= 15 && age <= 20 && chance(0.5)) return { stage: 'seniorSecondary', fullTime: chance(0.9) };
  if (age >= 17 && age <= 26 && chance(0.35)) return { stage: 'higher', fullTime: chance(0.85) };
  if (age > 26 && age < 50 && chance(0.02)) return { stage: 'higher', fullTime: false };
  return null;
}

interface Case {
  household: HouseholdDeclaration;
  context: Context;
  relapseWatch: boolean;
  emergency: boolean;
}

/** Incomes and assets scaled to the local standard, so that every tier occurs in numbers. */
function generate(): Case {
  const context = pick(contexts);
  const p = context.parameters;
  const scale = p.dibaoStandard;
  const size = pick([1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6]);
  const members: Member[] = [];
  for (let i = 0; i < size; i++) {
    const age =
      i === 0
        ? 18 + Math.floor(rand() * 70)
        : chance(0.3)
          ? Math.floor(rand() * 20)
          : 18 + Math.floor(rand() * 80);
    const dependent = age >= 60 || age < 16;
    // About one member in ten holds a disability certificate: a category and a grade, always both.
    const disabled = chance(0.1);
    const disabilityCategory = disabled ? pick(disabilityCategories) : null;
    const disabilityGrade = disabled ? pick([1, 2, 3, 4] as const) : null;
    const severe = disabilityGrade !== null && disabilityGrade <= 2;
    const labourCapacity =
      dependent || severe
        ? chance(0.7)
          ? 'none'
          : 'partial'
        : chance(0.1)
          ? 'none'
          : chance(0.2)
            ? 'partial'
            : 'full';
    const schooling = schoolingFor(age);
    const incomes = [];
    const items = chance(0.25) ? 0 : chance(0.7) ? 1 : 2;
    for (let k = 0; k < items; k++) {
      const r = rand();
      incomes.push({ kind: pick(incomeKindsWeighted), monthlyAmount: money(scale * r * r * 3) });
    }
    members.push({
      name: `成员${i + 1}`,
      idNumber: context.ids[i]!,
      relation: i === 0 ? 'self' : pick(['spouse', 'child', 'parent', 'grandchild', 'sibling'] as const),
      age,
      disabilityCategory,
      disabilityGrade,
      severeIllness: chance(0.06),
      labourCapacity,
      employed: labourCapacity !== 'none' && !dependent && (severe ? chance(0.3) : chance(0.6)),
      schooling,
      // The applicant always lives with the household; others are away now and then (working
      // elsewhere, or studying, in which case a full-time student still counts).
      livesWithHousehold: i === 0 || !chance(0.12),
      // Now and then a member 57号 第七条第二款 leaves out (in prison, say), a student among them.
      notCounted: i > 0 && chance(0.03) ? pick(['imprisoned', 'clergy', 'missing'] as const) : null,
      selfCareUnable: (age >= 70 || severe) && chance(0.5) ? dailyActivities.filter(() => chance(0.4)) : [],
      incomes,
    });
  }
  const annualStandard = scale * 12;
  let obligors: Obligor[] | undefined;
  if (chance(0.35)) {
    obligors = [];
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
      const able = chance(0.4);
      const inability = able ? null : pick(obligorInabilities);
      obligors.push({
        name: `义务人${obligors.length + 1}`,
        relation: pick(obligorRelations),
        ableToSupport: able,
        inability,
        note: inability === 'provincial' ? '省级规定的其他情形（示例）' : '',
      });
    }
  }
  const household: HouseholdDeclaration = {
    regionCode: context.regionCode,
    residence: context.residence,
    members,
    assets: {
      deposits: money(chance(0.6) ? rand() * annualStandard : rand() * annualStandard * 6),
      vehicles: chance(0.15) ? [{ value: money(5_000 + rand() * 100_000), exempt: chance(0.3) }] : [],
      housingUnits: chance(0.1) ? 0 : chance(0.85) ? 1 : pick([2, 3]),
    },
    spendingLast12Months: {
      medical: money(chance(0.6) ? rand() * 2_000 : rand() * 80_000),
      education: money(chance(0.7) ? 0 : rand() * 20_000),
      rehabilitation: money(chance(0.85) ? 0 : rand() * 30_000),
      other: money(chance(0.9) ? 0 : rand() * 10_000),
    },
    irregularIncome: chance(0.2),
    housingDifficulty: chance(0.1),
  };
  // The supporter flag: from the obligors when listed (stated consistently, or left out), else stated
  // or left to its default (an able supporter exists).
  if (obligors !== undefined) {
    household.obligors = obligors;
    if (chance(0.5)) household.hasAbleSupporter = obligors.some((o) => o.ableToSupport);
  } else if (chance(0.85)) household.hasAbleSupporter = chance(0.8);
  return { household, context, relapseWatch: chance(0.05), emergency: chance(0.03) };
}

// ---------------------------------------------------------------------------------------------
// json-rules-engine: the same tier decision, as rules over facts.

const fen = (yuan: number) => Math.round(yuan * 100);
const bp = (ratio: number) => Math.round(ratio * 10_000);
const assetTiers = ['tekun', 'dibao', 'marginal', 'rigidExpense'] as const;

/**
 * The facts json-rules-engine reads. Built here from `householdEconomics` (income, assets and the
 * declared spending) and the parameters, with who counts, the per-member tests, the supporter and
 * the 生活支出 rule written out again (not taken from doudi's `assess`), so that agreement is a
 * cross-check rather than a tautology. Products are pre-scaled to integers (×10,000 for basis points)
 * so json-rules-engine's numeric operators compare exactly.
 */
function ruleFacts(c: Case): Record<string, number | boolean> {
  const p = c.context.parameters;
  const h = c.household;
  const e = householdEconomics(h, p);
  const std = fen(p.dibaoStandard);
  const criteria = p.personCriteria;
  let n = 0;
  let allWithout = true;
  let candidates = 0;
  let alone = 0;
  h.members.forEach((m, i) => {
    // 共同生活: at home, or away as a full-time student; anyone else — and anyone 第七条第二款
    // excludes — is left out of size and income.
    if (m.notCounted !== null || !(m.livesWithHousehold || m.schooling?.fullTime)) return;
    n++;
    const grade = m.disabilityGrade;
    const severe = grade !== null && (criteria.severeDisabilityGrades as number[]).includes(grade);
    const disabilityNoLabour =
      grade !== null &&
      criteria.noLabourCapacityDisabilities.some(
        (d) => d.category === m.disabilityCategory && grade <= d.upToGrade,
      );
    const pupil =
      m.schooling !== null && (m.schooling.stage === 'compulsory' || m.schooling.stage === 'seniorSecondary');
    if (
      !(
        m.age >= criteria.elderlyFromAge ||
        m.age < criteria.minorBelowAge ||
        disabilityNoLabour ||
        pupil ||
        m.labourCapacity === 'none'
      )
    )
      allWithout = false;
    if (e.memberIncomeFen[i]! >= std) return;
    const grade3IntellectualOrMental =
      grade === 3 && (m.disabilityCategory === 'intellectual' || m.disabilityCategory === 'mental');
    if (m.severeIllness || severe || grade3IntellectualOrMental) candidates++;
    if (criteria.adultSevereDisabilityAlone && m.age >= criteria.adultAge && severe && !m.employed) alone++;
  });
  const supporter =
    h.obligors === undefined ? h.hasAbleSupporter !== false : h.obligors.some((o) => o.ableToSupport);
  const rule = p.rigidLivingExpense;
  const livingFen =
    rule.kind === 'dibaoStandardMultiple'
      ? Math.floor((bp(rule.multiple) * std * 12 * n) / 10_000)
      : rule.kind === 'perPersonMonthly'
        ? fen(rule.amount) * 12 * n
        : 0;
  const spendingFen =
    e.medicalSpendingFen +
    e.educationSpendingFen +
    e.rehabilitationSpendingFen +
    e.otherSpendingFen +
    livingFen;
  const facts: Record<string, number | boolean> = {
    income: e.countedIncomeFen,
    tekunIncome: e.tekunCountedIncomeFen,
    incomeX10000: e.countedIncomeFen * 10_000,
    incomeX12: e.countedIncomeFen * 12,
    dibaoLine: std * n,
    marginalLineX10000: bp(p.marginalMultiple) * std * n,
    disposableLine: fen(p.priorYearDisposableIncome) * n,
    spendingX10000: spendingFen * 10_000,
    rigidThresholdX10000: bp(p.rigidExpenseRatio) * e.countedIncomeFen * 12,
    depositsX10000: e.depositsFen * 10_000,
    vehicles: e.nonExemptVehicles,
    vehicleValue: e.nonExemptVehicleValueFen,
    housingUnits: e.housingUnits,
    allWithoutLabourCapacity: allWithout,
    hasAbleSupporter: supporter,
    singlePersonCandidates: candidates,
    aloneCandidates: alone,
    relapseWatch: c.relapseWatch,
    emergency: c.emergency,
  };
  for (const t of assetTiers) {
    const l = p.assetLimits[t];
    const heads = l.deposits.basis === 'perCapita' ? n : 1;
    facts[`${t}DepositLimitX10000`] =
      l.deposits.kind === 'multipleOfAnnualDibaoStandard'
        ? bp(l.deposits.multiple) * 12 * std * heads
        : fen(l.deposits.amount) * heads * 10_000;
    facts[`${t}MaxVehicles`] = l.maxNonExemptVehicles;
    facts[`${t}MaxVehicleValue`] =
      l.maxNonExemptVehicleValue === null ? Number.MAX_SAFE_INTEGER : fen(l.maxNonExemptVehicleValue);
    facts[`${t}MaxHousingUnits`] = l.maxHousingUnits;
  }
  return facts;
}

const lessThanFact = (fact: string, other: string) => ({
  fact,
  operator: 'lessThan',
  value: { fact: other },
});
const atMostFact = (fact: string, other: string) => ({
  fact,
  operator: 'lessThanInclusive',
  value: { fact: other },
});
const is = (fact: string, value: boolean) => ({ fact, operator: 'equal', value });

function buildEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const t of assetTiers) {
    const assets: TopLevelCondition = {
      all: [
        atMostFact('depositsX10000', `${t}DepositLimitX10000`),
        atMostFact('vehicles', `${t}MaxVehicles`),
        atMostFact('vehicleValue', `${t}MaxVehicleValue`),
        atMostFact('housingUnits', `${t}MaxHousingUnits`),
      ],
    };
    engine.setCondition(`assetsWithin:${t}`, assets);
  }
  const rules: RuleProperties[] = [
    {
      name: 'tekun',
      priority: 70,
      conditions: {
        all: [
          is('allWithoutLabourCapacity', true),
          is('hasAbleSupporter', false),
          lessThanFact('tekunIncome', 'dibaoLine'),
          { condition: 'assetsWithin:tekun' },
        ],
      },
      event: { type: 'tekun' },
    },
    {
      name: 'dibao',
      priority: 60,
      conditions: { all: [lessThanFact('income', 'dibaoLine'), { condition: 'assetsWithin:dibao' }] },
      event: { type: 'dibao' },
    },
    {
      name: 'singlePersonDibao',
      priority: 50,
      conditions: {
        all: [
          { condition: 'assetsWithin:marginal' },
          {
            any: [
              {
                all: [
                  { fact: 'singlePersonCandidates', operator: 'greaterThan', value: 0 },
                  lessThanFact('incomeX10000', 'marginalLineX10000'),
                ],
              },
              // Adults with a severe disability and no work, covered alone whatever the household's income.
              { fact: 'aloneCandidates', operator: 'greaterThan', value: 0 },
            ],
          },
        ],
      },
      event: { type: 'singlePersonDibao' },
    },
    {
      name: 'marginal',
      priority: 40,
      conditions: {
        all: [lessThanFact('incomeX10000', 'marginalLineX10000'), { condition: 'assetsWithin:marginal' }],
      },
      event: { type: 'marginal' },
    },
    {
      name: 'rigidExpense',
      priority: 30,
      conditions: {
        all: [
          lessThanFact('incomeX12', 'disposableLine'),
          { condition: 'assetsWithin:rigidExpense' },
          { fact: 'spendingX10000', operator: 'greaterThan', value: { fact: 'rigidThresholdX10000' } },
        ],
      },
      event: { type: 'rigidExpense' },
    },
    {
      name: 'relapseWatch',
      priority: 20,
      conditions: { all: [is('relapseWatch', true)] },
      event: { type: 'relapseWatch' },
    },
    {
      name: 'otherHardship',
      priority: 10,
      conditions: { all: [is('emergency', true)] },
      event: { type: 'otherHardship' },
    },
  ];
  for (const r of rules) engine.addRule(r);
  // First match wins: the most-assisted tier whose rule holds, as in doudi's priority.
  engine.on('success', () => {
    engine.stop();
  });
  return engine;
}

// ---------------------------------------------------------------------------------------------

const tierIndex = new Map<Tier, number>(tiers.map((t, i) => [t, i]));
const engine = buildEngine();

// The generator's output must be what the API accepts.
for (let i = 0; i < Math.min(N, 2_000); i++) householdDeclaration.parse(generate().household);

// A full collection before each timed section, for both engines, so that neither pays on its clock
// for promoting the chunk just generated or for the other's garbage.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/**
 * Runs `work` over the N households chunk by chunk, timing only `work`. Passes run one after the
 * other rather than interleaved, so one engine's garbage is not collected on the other's clock.
 */
async function pass(work: (cases: Case[], offset: number) => void | Promise<void>): Promise<number> {
  rand = prng(SEED);
  let ms = 0;
  for (let done = 0; done < N; done += CHUNK) {
    const cases = Array.from({ length: Math.min(CHUNK, N - done) }, generate);
    collectGarbage();
    const t = performance.now();
    await work(cases, done);
    ms += performance.now() - t;
  }
  return ms;
}

const started = performance.now();
let sink = 0;
const doudi = new Uint8Array(N);
const doudiMs = await pass((cases, offset) => {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const r = meansTest(c.household, {
      asOf: c.context.asOf,
      parameters: c.context.parameters,
      requestedTier: c.emergency ? 'emergency' : undefined,
      relapseWatch: c.relapseWatch,
    });
    doudi[offset + i] = tierIndex.get(r.tier)!;
    sink += r.reasons.length;
  }
});

// The tier decision alone, from the household (economics included) — the same work the rules engine
// is credited with below, where its facts are built off the clock.
let decisionDisagreements = 0;
const decisionMs = await pass((cases, offset) => {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const tier = decide(c.household, c.context.parameters, c);
    if (tierIndex.get(tier) !== doudi[offset + i]) decisionDisagreements++;
  }
});

const jre = new Uint8Array(N);
let jreMs = 0;
rand = prng(SEED);
for (let done = 0; done < N; done += CHUNK) {
  const cases = Array.from({ length: Math.min(CHUNK, N - done) }, generate);
  const facts = cases.map(ruleFacts);
  collectGarbage();
  const t = performance.now();
  for (let i = 0; i < facts.length; i++) {
    const result = await engine.run(facts[i]);
    jre[done + i] = tierIndex.get((result.events[0]?.type ?? 'notEligible') as Tier)!;
  }
  jreMs += performance.now() - t;
}
const wallS = (performance.now() - started) / 1000;

let matches = 0;
const counts = new Array<number>(tiers.length).fill(0);
const mismatches: string[] = [];
for (let i = 0; i < N; i++) {
  counts[doudi[i]!]!++;
  if (doudi[i] === jre[i]) matches++;
  else if (mismatches.length < 5)
    mismatches.push(`#${i}: doudi ${tiers[doudi[i]!]}, json-rules-engine ${tiers[jre[i]!]}`);
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (x: number) => x.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const doudiRate = perSecond(N, doudiMs);
const decisionRate = perSecond(N, decisionMs);
const jreRate = perSecond(N, jreMs);

console.log(
  `doudi rules benchmark — ${fmt(N)} households (seed ${SEED}), node ${process.version}, one thread`,
);
console.log(
  `parameter sets: ${contexts.length} (sample data: 430121 长沙县 and 410122 中牟县 × urban/rural × 2025-08-01/2026-03-01, each as is and with the local options on)`,
);
console.log(`tiers: ${tiers.map((t, i) => `${t} ${((counts[i]! / N) * 100).toFixed(1)}%`).join(', ')}`);
console.log('');
console.log(
  `doudi tier decision (household → economics → tier):      ${fmt(decisionRate)} households/s (${seconds(decisionMs)})`,
);
console.log(
  `doudi meansTest (+ amount and every Chinese reason):     ${fmt(doudiRate)} households/s (${seconds(doudiMs)})`,
);
console.log(
  `json-rules-engine tier decision (facts built off-clock): ${fmt(jreRate)} households/s (${seconds(jreMs)}, all ${fmt(N)} households)`,
);
console.log('');
console.log(`decisions matching: ${fmt(matches)} / ${fmt(N)}${matches === N ? '' : ' — MISMATCH'}`);
for (const m of mismatches) console.log(`  ${m}`);
if (decisionDisagreements > 0)
  console.log(`  doudi classify and meansTest disagree on ${fmt(decisionDisagreements)} households`);
console.log(
  `ratio doudi tier decision ÷ json-rules-engine: ${(decisionRate / jreRate).toFixed(1)}× (target ≥ 50×)`,
);
console.log(`ratio doudi meansTest ÷ json-rules-engine:     ${(doudiRate / jreRate).toFixed(1)}×`);
console.log(`wall time ${wallS.toFixed(1)} s including generation (checksum ${sink})`);
if (matches !== N || decisionDisagreements > 0) process.exitCode = 1;
