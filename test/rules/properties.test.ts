/**
 * Properties over random households and random parameter sets (each tier's asset limits drawn
 * independently, so no property relies on the sample data's limits being nested).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParameterSet } from '../../shared/parameters/index.ts';
import {
  decide,
  evaluate,
  type MeansTestResult,
  meansTest,
  type Tier,
  tierRank,
  tiers,
} from '../../shared/rules/index.ts';
import {
  dailyActivities,
  disabilityCategories,
  type HouseholdDeclaration,
  householdDeclaration,
  incomeKinds,
  notCountedReasons,
  type RequestedTier,
  requestedTiers,
  schoolingMinAge,
  schoolingStages,
} from '../../shared/schemas/household.ts';
import { AS_OF, baseValues, idNumber, parameters, REGION } from './fixtures.ts';

const RUNS = 400;

/** Yuan with two decimals, drawn as integer fen. */
const yuan = (maxYuan: number) => fc.integer({ min: 0, max: maxYuan * 100 }).map((fen) => fen / 100);

// Mostly modest amounts, so that every tier is reached often, with the odd large one.
const incomeArb = fc.record({
  kind: fc.constantFrom(...incomeKinds),
  monthlyAmount: fc.oneof({ arbitrary: yuan(700), weight: 4 }, { arbitrary: yuan(6_000), weight: 1 }),
});

const memberArb = fc
  .record({
    age: fc.integer({ min: 0, max: 100 }),
    disability: fc.option(
      fc.tuple(
        fc.constantFrom(...disabilityCategories),
        fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
      ),
      { freq: 3, nil: null },
    ),
    severeIllness: fc.boolean(),
    labourCapacity: fc.constantFrom('full', 'partial', 'none'),
    employed: fc.boolean(),
    schooling: fc.option(fc.record({ stage: fc.constantFrom(...schoolingStages), fullTime: fc.boolean() }), {
      freq: 3,
      nil: null,
    }),
    livesWithHousehold: fc.constantFrom(true, true, true, false),
    selfCareUnable: fc.subarray([...dailyActivities]),
    incomes: fc.array(incomeArb, { maxLength: 3 }),
  })
  .map(({ disability, ...m }) => ({
    ...m,
    disabilityCategory: disability?.[0] ?? null,
    disabilityGrade: disability?.[1] ?? null,
    // Only stages the age allows: the schema refuses the rest.
    schooling: m.schooling && m.age >= schoolingMinAge[m.schooling.stage] ? m.schooling : null,
  }));

const householdArb: fc.Arbitrary<HouseholdDeclaration> = fc
  .record({
    members: fc.array(memberArb, { minLength: 1, maxLength: 6 }),
    deposits: fc.oneof({ arbitrary: yuan(20_000), weight: 3 }, { arbitrary: yuan(120_000), weight: 1 }),
    vehicles: fc.array(fc.record({ value: yuan(100_000), exempt: fc.boolean() }), {
      maxLength: 2,
      size: 'xsmall',
    }),
    housingUnits: fc.constantFrom(0, 1, 1, 1, 2, 3),
    medical: fc.oneof(fc.constant(0), yuan(5_000), yuan(120_000)),
    education: fc.oneof(fc.constant(0), yuan(30_000)),
    rehabilitation: fc.oneof(fc.constant(0), yuan(20_000)),
    other: fc.oneof(fc.constant(0), yuan(10_000)),
    hasAbleSupporter: fc.boolean(),
    obligors: fc.option(
      fc.array(
        fc.oneof(
          fc.constant({ name: '赡养人', relation: 'child' as const, ableToSupport: true }),
          fc.record({
            name: fc.constant('义务人'),
            relation: fc.constantFrom('child' as const, 'sibling' as const, 'parent' as const),
            ableToSupport: fc.constant(false),
            inability: fc.constantFrom('tekun' as const, 'dibaoElderly' as const, 'incapacitated' as const),
          }),
        ),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
    irregularIncome: fc.boolean(),
  })
  .map((h) =>
    householdDeclaration.parse({
      regionCode: REGION,
      residence: 'urban',
      members: h.members.map((m, i) => ({
        ...m,
        name: `成员${i + 1}`,
        idNumber: idNumber(i),
        relation: i === 0 ? 'self' : 'child',
        livesWithHousehold: i === 0 ? true : m.livesWithHousehold,
      })),
      assets: { deposits: h.deposits, vehicles: h.vehicles, housingUnits: h.housingUnits },
      spendingLast12Months: {
        medical: h.medical,
        education: h.education,
        rehabilitation: h.rehabilitation,
        other: h.other,
      },
      ...(h.obligors === undefined ? { hasAbleSupporter: h.hasAbleSupporter } : { obligors: h.obligors }),
      irregularIncome: h.irregularIncome,
    }),
  );

const assetLimitArb = fc.record({
  deposits: fc.oneof(
    fc.record({
      kind: fc.constant('multipleOfAnnualDibaoStandard' as const),
      multiple: fc.integer({ min: 1, max: 60 }).map((x) => x / 10),
      basis: fc.constantFrom('perCapita' as const, 'household' as const),
    }),
    fc.record({
      kind: fc.constant('absolute' as const),
      amount: yuan(60_000),
      basis: fc.constantFrom('perCapita' as const, 'household' as const),
    }),
  ),
  maxNonExemptVehicles: fc.integer({ min: 0, max: 2 }),
  maxNonExemptVehicleValue: fc.option(yuan(100_000), { nil: null }),
  maxHousingUnits: fc.integer({ min: 0, max: 3 }),
});

const parametersArb: fc.Arbitrary<ParameterSet> = fc
  .record({
    dibaoStandard: fc.integer({ min: 30_000, max: 150_000 }).map((f) => f / 100),
    tekunBasicLivingStandard: fc.integer({ min: 30_000, max: 200_000 }).map((f) => f / 100),
    marginalMultiple: fc.integer({ min: 10_000, max: 25_000 }).map((bp) => bp / 10_000),
    priorYearDisposableIncome: fc.integer({ min: 1_000_000, max: 8_000_000 }).map((f) => f / 100),
    rigidExpenseRatio: fc.integer({ min: 1_000, max: 15_000 }).map((bp) => bp / 10_000),
    employmentCostDeduction: yuan(500),
    excludedIncomeKinds: fc.record({
      dibao: fc.subarray([...incomeKinds], { maxLength: 6 }),
      tekun: fc.subarray([...incomeKinds], { maxLength: 4 }),
    }),
    tekunCareStandards: fc.record({ fullSelfCare: yuan(200), partialLoss: yuan(600), fullLoss: yuan(1_500) }),
    dibaoIncrements: fc.record({
      elderlyFromAge: fc.integer({ min: 60, max: 90 }),
      elderly: yuan(150),
      minor: yuan(150),
      severeDisability: yuan(200),
      seriousIllness: yuan(200),
      combine: fc.constantFrom('highest' as const, 'sum' as const),
    }),
    dibaoAmountMethod: fc.oneof(
      fc.constant({ kind: 'gap' as const }),
      fc.record({
        kind: fc.constant('bands' as const),
        bands: fc
          .uniqueArray(fc.integer({ min: 1, max: 1_000 }), { maxLength: 3 })
          .chain((mins) =>
            fc.tuple(
              ...[0, ...mins].map((min) =>
                yuan(1_200).map((a) => ({ minGapPerPerson: min, amountPerPerson: a + 1 })),
              ),
            ),
          ),
      }),
    ),
    rigidLivingExpense: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({
        kind: fc.constant('dibaoStandardMultiple' as const),
        multiple: fc.constantFrom(0.5, 1, 1.2),
      }),
      fc.record({ kind: fc.constant('perPersonMonthly' as const), amount: yuan(800).map((a) => a + 1) }),
    ),
    illnessDisabilityDeduction: fc.boolean(),
    assetLimits: fc.record({
      tekun: assetLimitArb,
      dibao: assetLimitArb,
      marginal: assetLimitArb,
      rigidExpense: assetLimitArb,
    }),
    amountRounding: fc.record({
      unit: fc.constantFrom('fen' as const, 'jiao' as const, 'yuan' as const),
      mode: fc.constantFrom('up' as const, 'down' as const, 'halfUp' as const),
    }),
    amountFloorPerPerson: fc.option(yuan(60), { nil: null }),
  })
  .map((v) => parameters({ ...baseValues, ...v }));

const relapseArb = fc.constantFrom(false, false, false, true);
const requestArb = fc.option(fc.constantFrom<RequestedTier>(...requestedTiers), { nil: undefined });

const run = (h: HouseholdDeclaration, p: ParameterSet, requestedTier?: RequestedTier, relapseWatch = false) =>
  meansTest(h, { asOf: AS_OF, parameters: p, requestedTier, relapseWatch });

/** How assisted the household ends up: the granted tier, or the one it may consent to. */
function effectiveRank(r: MeansTestResult): number {
  return Math.max(r.eligible ? tierRank[r.tier] : 0, r.alternative ? tierRank[r.alternative.tier] : 0);
}

type IncomeChange = {
  member: number;
  item: number;
  add: number;
  kind: (typeof incomeKinds)[number];
  newItem: boolean;
};
type AssetChange = { what: 'deposits' | 'vehicle' | 'vehicleValue' | 'housing'; amount: number };

/** A change that can only raise household income. */
const moreIncomeArb: fc.Arbitrary<IncomeChange> = fc.record({
  member: fc.nat(),
  item: fc.nat(),
  add: yuan(3_000).filter((x) => x > 0),
  kind: fc.constantFrom(...incomeKinds),
  newItem: fc.boolean(),
});

function withMoreIncome(h: HouseholdDeclaration, change: IncomeChange): HouseholdDeclaration {
  const members = h.members.map((m) => ({ ...m, incomes: m.incomes.map((i) => ({ ...i })) }));
  const m = members[change.member % members.length]!;
  const existing = m.incomes[change.item % Math.max(1, m.incomes.length)];
  if (change.newItem || !existing) m.incomes.push({ kind: change.kind, monthlyAmount: change.add });
  else existing.monthlyAmount = Math.round((existing.monthlyAmount + change.add) * 100) / 100;
  return { ...h, members };
}

/** A change that can only raise household assets. */
const moreAssetsArb: fc.Arbitrary<AssetChange> = fc.record({
  what: fc.constantFrom('deposits' as const, 'vehicle' as const, 'vehicleValue' as const, 'housing' as const),
  amount: yuan(50_000).filter((x) => x > 0),
});

function withMoreAssets(h: HouseholdDeclaration, change: AssetChange): HouseholdDeclaration {
  const assets = { ...h.assets, vehicles: h.assets.vehicles.map((v) => ({ ...v })) };
  switch (change.what) {
    case 'deposits':
      assets.deposits = Math.round((assets.deposits + change.amount) * 100) / 100;
      break;
    case 'vehicle':
      assets.vehicles.push({ value: change.amount, exempt: false });
      break;
    case 'vehicleValue': {
      const v = assets.vehicles[0];
      if (v) v.value = Math.round((v.value + change.amount) * 100) / 100;
      else assets.vehicles.push({ value: change.amount, exempt: false });
      break;
    }
    case 'housing':
      assets.housingUnits += 1;
      break;
  }
  return { ...h, assets };
}

const PAYING: ReadonlySet<Tier> = new Set(['tekun', 'dibao', 'singlePersonDibao']);

describe('means test properties', () => {
  it('classification is total: every valid household gets exactly one known tier, consistently explained', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, requestArb, relapseArb, (h, p, req, relapse) => {
        const r = run(h, p, req, relapse);
        expect(tiers).toContain(r.tier);
        expect(tiers).toContain(r.classification);
        expect(r.eligible).toBe(r.tier !== 'notEligible');
        expect(r.monthlyAmount === null).toBe(!PAYING.has(r.tier));
        expect(r.reasons.length).toBeGreaterThan(1);
        for (const reason of r.reasons) {
          expect(reason.code).toMatch(/^[a-zA-Z.]+$/);
          expect(reason.message).toMatch(/[\u4e00-\u9fff]/);
          expect(reason.clause.length).toBeGreaterThan(0);
        }
        if (req === undefined) expect(r.tier).toBe(r.classification);
        if (req === 'emergency') expect(r.eligible).toBe(true);
        if (r.alternative) expect(r.alternative.tier).not.toBe(r.tier);
        expect((r.coveredMembers?.length ?? 0) > 0).toBe(r.tier === 'singlePersonDibao');
      }),
      { numRuns: RUNS },
    );
  });

  it('the amount is never negative, and 低保 never pays more than the standard for everyone plus rounding', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, requestArb, (h, p, req) => {
        const r = run(h, p, req);
        for (const amount of [r.monthlyAmount, r.alternative?.monthlyAmount ?? null]) {
          if (amount !== null) expect(amount).toBeGreaterThanOrEqual(0);
        }
        if (r.tier === 'dibao') {
          // Per covered person: the standard (+1 for rounding), the floor or the highest band, plus
          // every 分类施保 increment at once.
          const n = r.income.householdSize;
          const inc = p.dibaoIncrements;
          const band =
            p.dibaoAmountMethod.kind === 'bands'
              ? Math.max(...p.dibaoAmountMethod.bands.map((b) => b.amountPerPerson))
              : 0;
          const perPerson =
            Math.max(p.dibaoStandard + 1, p.amountFloorPerPerson ?? 0, band) +
            inc.elderly +
            inc.minor +
            inc.severeDisability +
            inc.seriousIllness;
          expect(r.monthlyAmount!).toBeLessThanOrEqual(perPerson * n + 1e-6);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('more income never moves a household to a more-assisted tier', () => {
    fc.assert(
      fc.property(
        householdArb,
        parametersArb,
        requestArb,
        relapseArb,
        moreIncomeArb,
        (h, p, req, relapse, change) => {
          const before = run(h, p, req, relapse);
          const after = run(withMoreIncome(h, change), p, req, relapse);
          expect(tierRank[after.classification]).toBeLessThanOrEqual(tierRank[before.classification]);
          expect(effectiveRank(after)).toBeLessThanOrEqual(effectiveRank(before));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('more assets never move a household to a more-assisted tier', () => {
    fc.assert(
      fc.property(
        householdArb,
        parametersArb,
        requestArb,
        relapseArb,
        moreAssetsArb,
        (h, p, req, relapse, change) => {
          const before = run(h, p, req, relapse);
          const after = run(withMoreAssets(h, change), p, req, relapse);
          expect(tierRank[after.classification]).toBeLessThanOrEqual(tierRank[before.classification]);
          expect(effectiveRank(after)).toBeLessThanOrEqual(effectiveRank(before));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the request changes the decision but never the classification', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, relapseArb, (h, p, relapse) => {
        const plain = run(h, p, undefined, relapse).classification;
        for (const req of ['dibao', 'tekun', 'marginal', 'rigidExpense'] as const) {
          expect(run(h, p, req, relapse).classification).toBe(plain);
        }
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('per-capita income times household size gives back the counted income within a fen per member', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, (h, p) => {
        const r = run(h, p);
        const n = r.income.householdSize;
        expect(Math.abs(r.perCapitaMonthlyIncome * n - r.income.countedMonthlyIncome)).toBeLessThanOrEqual(
          0.005 * n + 1e-6,
        );
        expect(r.income.countedMonthlyIncome).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the lean decision agrees with the explained one, asset test included', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, relapseArb, fc.boolean(), (h, p, relapseWatch, emergency) => {
        const flags = { relapseWatch, emergency };
        const ev = evaluate(h, p, flags);
        expect(decide(h, p, flags)).toBe(ev.classification);
        for (const t of ['tekun', 'dibao', 'marginal', 'rigidExpense'] as const) {
          expect(ev.facts.assetsWithin[t]).toBe(ev.assets[t].within);
        }
        const r = run(h, p, emergency ? 'emergency' : undefined, relapseWatch);
        expect(r.classification).toBe(ev.classification);
      }),
      { numRuns: RUNS },
    );
  });

  it('a member who neither lives with the household nor studies full-time away changes nothing', () => {
    // 57号 第七条: only 共同生活的家庭成员 count — their income, their number, their needs.
    fc.assert(
      fc.property(householdArb, parametersArb, memberArb, (h, p, extra) => {
        const away = {
          ...extra,
          name: '外出成员',
          idNumber: idNumber(40),
          relation: 'sibling' as const,
          livesWithHousehold: false,
          schooling: extra.schooling && { ...extra.schooling, fullTime: false },
        };
        const withAway = householdDeclaration.parse({ ...h, members: [...h.members, away] });
        const before = run(h, p);
        const after = run(withAway, p);
        expect(after.classification).toBe(before.classification);
        expect(after.monthlyAmount).toBe(before.monthlyAmount);
        expect(after.income.householdSize).toBe(before.income.householdSize);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('a member whom 第七条第二款 excludes changes nothing, wherever they live and whatever they study', () => {
    // 57号 第七条第二款: clergy living apart, prisoners, compulsory rehabilitation, the missing.
    fc.assert(
      fc.property(
        householdArb,
        parametersArb,
        memberArb,
        fc.constantFrom(...notCountedReasons),
        (h, p, extra, reason) => {
          const excluded = {
            ...extra,
            name: '不计入成员',
            idNumber: idNumber(41),
            relation: 'spouse' as const,
            livesWithHousehold: true,
            notCounted: reason,
          };
          const withExcluded = householdDeclaration.parse({ ...h, members: [...h.members, excluded] });
          const before = run(h, p);
          const after = run(withExcluded, p);
          expect(after.classification).toBe(before.classification);
          expect(after.monthlyAmount).toBe(before.monthlyAmount);
          expect(after.income.householdSize).toBe(before.income.householdSize);
        },
      ),
      { numRuns: RUNS / 2 },
    );
  });

  it('a 特困 household stays 特困 when a member turns 18 in senior-secondary school', () => {
    // 社会救助法第十六条第三款: schooling, not the 18th birthday, ends a minor's support.
    fc.assert(
      fc.property(
        parametersArb,
        fc.constantFrom('compulsory' as const, 'seniorSecondary' as const),
        (p, stage) => {
          const base = {
            regionCode: REGION,
            residence: 'urban' as const,
            assets: { deposits: 0, vehicles: [], housingUnits: 0 },
            spendingLast12Months: { medical: 0, education: 0 },
            obligors: [],
          };
          const student = (age: number) =>
            householdDeclaration.parse({
              ...base,
              members: [
                {
                  name: '学生',
                  idNumber: idNumber(0),
                  relation: 'self',
                  age,
                  labourCapacity: 'full',
                  schooling: { stage, fullTime: true },
                },
              ],
            });
          const p0 = {
            ...p,
            assetLimits: { ...p.assetLimits, tekun: { ...p.assetLimits.tekun, maxHousingUnits: 0 } },
          };
          const at17 = run(student(17), p0).classification;
          const at19 = run(student(19), p0).classification;
          expect(at19).toBe(at17);
        },
      ),
      { numRuns: RUNS / 4 },
    );
  });

  it('results are plain JSON', () => {
    fc.assert(
      fc.property(householdArb, parametersArb, requestArb, (h, p, req) => {
        const r = run(h, p, req);
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      }),
      { numRuns: 100 },
    );
  });
});
