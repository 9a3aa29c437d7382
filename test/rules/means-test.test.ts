/**
 * Hand-worked households, one rule at a time. Unless a case says otherwise the parameters are the
 * fixtures' round numbers: 低保 800 元/人·月, 特困 1040, marginal multiple 1.5 (line 1200), prior-year
 * disposable income 48,000 元/年 (4000/月), rigid-expense ratio 50%, employment-cost deduction 200,
 * 低保 deposits ≤ 2 × 9600 per capita, no non-exempt vehicle, 1 house; amounts rounded to the yuan
 * (half up) with a floor of 20 元 per covered person.
 */
import { describe, expect, it } from 'vitest';
import { householdEconomics, meansTest, ParameterMismatchError } from '../../shared/rules/index.ts';
import { incomeKinds } from '../../shared/schemas/household.ts';
import { AS_OF, household, idNumber, parameters, pension, transfer, wage } from './fixtures.ts';

const run = (h: ReturnType<typeof household>, opts: Partial<Parameters<typeof meansTest>[1]> = {}) =>
  meansTest(h, { asOf: AS_OF, parameters: parameters(), ...opts });
const codes = (r: { reasons: Array<{ code: string }> }) => r.reasons.map((x) => x.code);

describe('household income', () => {
  it('deducts the employment cost only from employed members, never beyond their own earnings', () => {
    // 甲 employed, wage 1500 → deduct 200; 乙 employed, wage 100 → deduct only 100;
    // 丙 not employed, wage 900 → no deduction; 丁 employed, pension 300 only → nothing to deduct from.
    // gross 1500 + 100 + 900 + 300 = 2800; deduction 300; counted 2500; per capita 625.
    const h = household({
      members: [
        { employed: true, incomes: [wage(1500)] },
        { employed: true, incomes: [wage(100)] },
        { employed: false, incomes: [wage(900)] },
        { employed: true, age: 65, incomes: [pension(300)] },
      ],
    });
    const e = householdEconomics(h, parameters());
    expect(e.grossIncomeFen).toBe(280_000);
    expect(e.employmentDeductionFen).toBe(30_000);
    expect(e.countedIncomeFen).toBe(250_000);
    expect(e.memberIncomeFen).toEqual([130_000, 0, 90_000, 30_000]);
    const r = run(h);
    expect(r.perCapitaMonthlyIncome).toBe(625);
    expect(r.income).toMatchObject({
      grossMonthlyIncome: 2800,
      employmentCostDeduction: 300,
      countedMonthlyIncome: 2500,
    });
    expect(r.income.byKind).toMatchObject({ wage: 2500, pension: 300, transfer: 0 });
  });

  it('breaks income down by every kind the schema knows', () => {
    const e = householdEconomics(household({ members: [{}] }), parameters());
    expect(Object.keys(e.incomeByKindFen).sort()).toEqual([...incomeKinds].sort());
  });

  it('leaves out the income kinds the region excludes', () => {
    // transfer 500 excluded: counted = wage 1000 only, over 2 people = 500 per capita (< 800 → 低保).
    const h = household({ members: [{ incomes: [wage(1000), transfer(500)] }, {}] });
    const r = run(h, { parameters: parameters({ excludedIncomeKinds: { dibao: ['transfer'], tekun: [] } }) });
    expect(r.income).toMatchObject({
      grossMonthlyIncome: 1500,
      excludedMonthlyIncome: 500,
      countedMonthlyIncome: 1000,
    });
    expect(r.perCapitaMonthlyIncome).toBe(500);
    expect(r.tier).toBe('dibao');
  });

  it('computes per-capita income in fen, rounded half up only for display', () => {
    // 1000.00 over 3 = 333.333… → shown as 333.33; the test against the line uses 1000 < 800 × 3 exactly.
    const r = run(household({ members: [{ incomes: [pension(1000)] }, {}, {}] }));
    expect(r.perCapitaMonthlyIncome).toBe(333.33);
  });
});

describe('最低生活保障 dibao', () => {
  it('pays standard × members − household income for a household below the standard', () => {
    // 甲 employed wage 1500 → 1300 after the 200 deduction; 乙 pension 300. Counted 1600, 3 people,
    // per capita 533.33 < 800 → 低保. Amount = 800 × 3 − 1600 = 800.
    const h = household({
      members: [{ employed: true, incomes: [wage(1500)] }, { age: 62, incomes: [pension(300)] }, { age: 10 }],
    });
    const r = run(h);
    expect(r.tier).toBe('dibao');
    expect(r.eligible).toBe(true);
    expect(r.monthlyAmount).toBe(800);
    expect(codes(r)).toEqual([
      'income.perCapita',
      'dibao.incomeBelowStandard',
      'dibao.assetsWithinLimits',
      'dibao.amount',
    ]);
    const amount = r.reasons.find((x) => x.code === 'dibao.amount')!;
    expect(amount.values).toMatchObject({ dibaoStandard: 800, covered: 3, gap: 800, monthlyAmount: 800 });
    expect(amount.message).toContain('低保金');
    expect(r.parameterVersion).toBe('430121:urban:test');
  });

  it('is strict at the standard: per capita exactly 800 is not below it', () => {
    // 1600 over 2 = 800.00, not < 800 → not 低保; < 1200 → 低保边缘.
    const r = run(household({ members: [{ incomes: [pension(1600)] }, {}] }));
    expect(r.tier).toBe('marginal');
    expect(r.monthlyAmount).toBeNull();
    expect(codes(r)).toContain('dibao.incomeNotBelowStandard');
    // One fen less qualifies: 1599.99 < 1600, gap 0.01 rounds to 0 yuan, so the floor pays 20 × 2 = 40.
    const below = run(household({ members: [{ incomes: [pension(1599.99)] }, {}] }));
    expect(below.tier).toBe('dibao');
    expect(below.monthlyAmount).toBe(40);
  });

  it('rounds the amount by the region rule', () => {
    // Counted 1600.45 over 3: gap = 2400 − 1600.45 = 799.55.
    const h = household({ members: [{ incomes: [pension(1600.45)] }, {}, {}] });
    const withRounding = (unit: 'fen' | 'jiao' | 'yuan', mode: 'up' | 'down' | 'halfUp') =>
      run(h, { parameters: parameters({ amountRounding: { unit, mode } }) }).monthlyAmount;
    expect(withRounding('yuan', 'halfUp')).toBe(800); // 799.55 → 800
    expect(withRounding('yuan', 'down')).toBe(799);
    expect(withRounding('jiao', 'up')).toBe(799.6);
    expect(withRounding('jiao', 'down')).toBe(799.5);
    expect(withRounding('jiao', 'halfUp')).toBe(799.6);
    expect(withRounding('fen', 'down')).toBe(799.55);
  });

  it('applies the floor per covered person, and none when the region sets none', () => {
    // One person with 790: gap 10 < floor 20 → 20. Without a floor → 10.
    const h = household({ members: [{ incomes: [pension(790)] }] });
    expect(run(h).monthlyAmount).toBe(20);
    expect(run(h, { parameters: parameters({ amountFloorPerPerson: null }) }).monthlyAmount).toBe(10);
    const amount = run(h).reasons.find((r) => r.code === 'dibao.amount')!;
    expect(amount.message).toContain('保底');
  });

  it('rechecks half-yearly only where income is irregular and a member can work', () => {
    // 57号 第三十一条 with the usual local rule: 收入来源不固定 and 有劳动能力 → every 6 months. 甲 40,
    // able to work, casual wage → 6; the same with a steady wage → 12; an elderly couple → 12.
    const casual = household({ members: [{ incomes: [wage(300)] }], irregularIncome: true });
    expect(run(casual).recheckIntervalMonths).toBe(6);
    expect(run(household({ members: [{ incomes: [wage(300)] }] })).recheckIntervalMonths).toBe(12);
    const unableButIrregular = household({
      members: [{ age: 70, incomes: [pension(300)] }],
      irregularIncome: true,
    });
    expect(run(unableButIrregular).recheckIntervalMonths).toBe(12);
    const elderly = household({
      members: [{ age: 70, incomes: [pension(300)] }, { age: 68 }],
      hasAbleSupporter: true,
    });
    const r = run(elderly);
    expect(r.tier).toBe('dibao');
    expect(r.recheckIntervalMonths).toBe(12);
    expect(r.gradualExitMonths).toBe(6);
  });
});

describe('household assets', () => {
  it('moves a low-income household out of 低保 when deposits exceed the limit, into 低保边缘 if those fit', () => {
    // One person, no income. 低保 deposit limit 2 × 800 × 12 × 1 = 19,200; 低保边缘 3 × 9600 = 28,800.
    const at = run(household({ members: [{}], deposits: 19_200 }));
    expect(at.tier).toBe('dibao');
    const over = run(household({ members: [{}], deposits: 19_200.01 }));
    expect(over.tier).toBe('marginal');
    expect(over.assets.dibao.deposits).toEqual({ value: 19_200.01, limit: 19_200, within: false });
    expect(codes(over)).toContain('dibao.assetsExceedLimits');
    expect(over.reasons.find((r) => r.code === 'dibao.assetsExceedLimits')!.message).toContain(
      '超过限额19,200.00元',
    );
  });

  it('counts non-exempt vehicles only, by number and value', () => {
    const exempt = run(household({ members: [{}], vehicles: [{ value: 30_000, exempt: true }] }));
    expect(exempt.tier).toBe('dibao');
    const car = run(household({ members: [{}], vehicles: [{ value: 30_000 }] }));
    expect(car.tier).toBe('marginal'); // 低保 allows 0 vehicles; 低保边缘 1 worth ≤ 50,000
    const dear = run(household({ members: [{}], vehicles: [{ value: 50_000.01 }] }));
    expect(dear.tier).toBe('notEligible');
    expect(dear.assets.marginal.vehicles).toMatchObject({
      count: 1,
      value: 50_000.01,
      maxValue: 50_000,
      within: false,
    });
  });

  it('limits housing units', () => {
    const r = run(household({ members: [{}], housingUnits: 2 }));
    expect(r.assets.dibao.housing).toEqual({ units: 2, max: 1, within: false });
    expect(r.tier).not.toBe('dibao');
  });

  it('supports an absolute or per-household deposit limit', () => {
    // Household of 2, deposits 25,000: per household 2 × 9600 = 19,200 → over; per capita 38,400 → within.
    const members = [{}, {}];
    const perHousehold = parameters({
      assetLimits: {
        ...parameters().assetLimits,
        dibao: {
          ...parameters().assetLimits.dibao,
          deposits: { kind: 'multipleOfAnnualDibaoStandard', multiple: 2, basis: 'household' },
        },
      },
    });
    expect(run(household({ members, deposits: 25_000 })).assets.dibao.deposits.limit).toBe(38_400);
    expect(
      run(household({ members, deposits: 25_000 }), { parameters: perHousehold }).assets.dibao.deposits,
    ).toEqual({
      value: 25_000,
      limit: 19_200,
      within: false,
    });
    // The rigid-expense limit in the fixtures is absolute, 40,000 per capita → 80,000 for 2.
    expect(run(household({ members })).assets.rigidExpense.deposits.limit).toBe(80_000);
  });
});

describe('特困人员 tekun', () => {
  const alone = (overrides: Parameters<typeof household>[0]['members'][number] = {}) =>
    household({
      members: [{ age: 72, labourCapacity: 'partial', incomes: [pension(500)], ...overrides }],
      hasAbleSupporter: false,
    });

  it('supports an elderly person without income source or able supporter at the basic living standard', () => {
    // 72 ≥ 60 → no labour capacity (43号第五条); 500 < 800 → no income source (第六条); no supporter.
    // Amount = 1040 × 1 (the standard in full, not a gap).
    const r = run(alone());
    expect(r.tier).toBe('tekun');
    expect(r.monthlyAmount).toBe(1040);
    expect(codes(r)).toEqual([
      'income.perCapita',
      'tekun.noLabourCapacity',
      'tekun.noAbleSupporter',
      'tekun.noIncomeSource',
      'tekun.assetsWithinLimits',
      'tekun.careStandard',
      'tekun.amount',
    ]);
    expect(r.recheckIntervalMonths).toBe(12);
  });

  it('treats minors under 16 and severely disabled members as unable to work', () => {
    const orphans = household({
      members: [
        { age: 12, relation: 'self' },
        { age: 30, disability: ['physical', 1] },
      ],
      hasAbleSupporter: false,
    });
    const r = run(orphans);
    expect(r.tier).toBe('tekun');
    expect(r.monthlyAmount).toBe(2080);
  });

  it('is not 特困 with an able supporter, an income source or a member able to work', () => {
    expect(
      run(household({ members: [{ age: 72, incomes: [pension(500)] }], hasAbleSupporter: true })).tier,
    ).toBe('dibao');
    // Pension 900 ≥ 800 → has an income source; 900 < 1200 → 低保边缘.
    expect(run(alone({ incomes: [pension(900)] })).tier).toBe('marginal');
    const withWorker = household({
      members: [{ age: 72 }, { age: 40, labourCapacity: 'full' }],
      hasAbleSupporter: false,
    });
    expect(run(withWorker).tier).toBe('dibao');
    const refused = run(withWorker, { requestedTier: 'tekun' });
    expect(refused.tier).toBe('notEligible');
    expect(codes(refused)).toContain('tekun.hasLabourCapacity');
    expect(refused.reasons.find((r) => r.code === 'tekun.hasLabourCapacity')!.message).toContain('成员2');
    expect(refused.alternative?.tier).toBe('dibao');
  });
});

describe('低保边缘 marginal and 单人保 singlePersonDibao', () => {
  it('places a household between the standard and 1.5 × the standard as 低保边缘', () => {
    // 2000 over 2 = 1000: ≥ 800, < 1200 → 低保边缘, no periodic amount.
    const r = run(household({ members: [{ incomes: [wage(2000)] }, {}] }));
    expect(r.tier).toBe('marginal');
    expect(r.monthlyAmount).toBeNull();
    expect(r.lines.marginalLine).toBe(1200);
    expect(codes(r)).toEqual([
      'income.perCapita',
      'dibao.incomeNotBelowStandard',
      'marginal.incomeBelowLine',
      'marginal.assetsWithinLimits',
    ]);
    expect(r.recheckIntervalMonths).toBe(12);
    expect(r.gradualExitMonths).toBeNull();
  });

  it('follows a raised multiple', () => {
    // 2500 over 2 = 1250 ≥ 1200 → not 低保边缘 at 1.5; < 1600 at 2.0.
    const h = household({ members: [{ incomes: [wage(2500)] }, {}] });
    expect(run(h).tier).not.toBe('marginal');
    expect(run(h, { parameters: parameters({ marginalMultiple: 2 }) }).tier).toBe('marginal');
  });

  it('covers a severely ill or severely disabled member of a marginal household alone', () => {
    // 甲 wage 2400 (not employed, no deduction), 乙 grade-2 disability without income, 丙 severely ill
    // with a 900 pension. Counted 3300 over 3 = 1100: ≥ 800, < 1200 → a 低保边缘 household.
    // 乙's own income 0 < 800 → covered alone; 丙's 900 ≥ 800 → not. Amount = 800 − 0 = 800.
    const h = household({
      members: [
        { incomes: [wage(2400)] },
        { name: '乙', disability: ['hearing', 2], labourCapacity: 'none' },
        { name: '丙', severeIllness: true, incomes: [pension(900)] },
      ],
    });
    const r = run(h);
    expect(r.perCapitaMonthlyIncome).toBe(1100);
    expect(r.tier).toBe('singlePersonDibao');
    expect(r.coveredMembers).toEqual([idNumber(1)]);
    expect(r.monthlyAmount).toBe(800);
    expect(codes(r)).toContain('singlePersonDibao.member');
    expect(r.reasons.find((x) => x.code === 'singlePersonDibao.member')!.message).toContain(
      '乙（听力残疾二级）',
    );
  });

  it('pays the single-person gap against the member’s own income', () => {
    // 乙 severely ill with 300 of own income: 800 − 300 = 500; household per capita (2700 + 300) / 3 = 1000.
    const h = household({
      members: [{ incomes: [wage(2700)] }, { name: '乙', severeIllness: true, incomes: [transfer(300)] }, {}],
    });
    const r = run(h);
    expect(r.tier).toBe('singlePersonDibao');
    expect(r.monthlyAmount).toBe(500);
  });
});

describe('刚性支出困难家庭 rigidExpense', () => {
  // 3 people, wage 4500 (not employed): per capita 1500 ≥ 1200 (not 低保边缘), < 4000 (disposable line).
  const family = (medical: number, education: number) =>
    household({ members: [{ incomes: [wage(4500)] }, {}, {}], medical, education });

  it('recognises necessary spending above the share of income', () => {
    // Income over 12 months = 4500 × 12 = 54,000; spending 30,000 + 5,000 = 35,000 = 64.81% > 50%.
    const r = run(family(30_000, 5_000));
    expect(r.tier).toBe('rigidExpense');
    expect(r.rigidExpense).toEqual({
      medical: 30_000,
      education: 5_000,
      rehabilitation: 0,
      other: 0,
      living: 0,
      spending: 35_000,
      income12Months: 54_000,
      ratio: 0.6481,
      thresholdRatio: 0.5,
      overRatio: true,
    });
    expect(codes(r)).toEqual([
      'income.perCapita',
      'marginal.incomeNotBelowLine',
      'rigidExpense.incomeBelowLine',
      'rigidExpense.assetsWithinLimits',
      'rigidExpense.overRatio',
    ]);
    expect(r.reasons.find((x) => x.code === 'rigidExpense.overRatio')!.message).toContain('64.81%');
  });

  it('is strict at the ratio', () => {
    // 27,000 / 54,000 = exactly 50% → not over; 27,000.01 → over.
    expect(run(family(27_000, 0)).tier).toBe('notEligible');
    expect(run(family(27_000, 0.01)).tier).toBe('rigidExpense');
  });

  it('refuses a household above last year’s disposable income', () => {
    // 3 × 4000 = 12,000 a month is the line: 12,000 exactly is not below it.
    const r = run(household({ members: [{ incomes: [wage(12_000)] }, {}, {}], medical: 500_000 }));
    expect(r.tier).toBe('notEligible');
    expect(codes(r)).toContain('rigidExpense.incomeNotBelowLine');
  });

  it('treats any spending as above the share when there was no income', () => {
    // No income but assets too large for 低保/低保边缘 (deposits 60,000 > 28,800) and within 40,000 × 2.
    const r = run(household({ members: [{}, {}], deposits: 60_000, medical: 100 }));
    expect(r.tier).toBe('rigidExpense');
    expect(r.rigidExpense.ratio).toBeNull();
    expect(r.reasons.find((x) => x.code === 'rigidExpense.overRatio')!.message).toContain('家庭同期无收入');
  });
});

describe('requested tier and the alternative', () => {
  const dibaoHousehold = household({ members: [{ incomes: [pension(600)] }] });
  const marginalHousehold = household({ members: [{ incomes: [pension(1000)] }] });

  it('refuses 低保 to a 低保边缘 household and offers 低保边缘 with consent', () => {
    const r = run(marginalHousehold, { requestedTier: 'dibao' });
    expect(r).toMatchObject({
      tier: 'notEligible',
      eligible: false,
      monthlyAmount: null,
      classification: 'marginal',
    });
    expect(codes(r)).toEqual(['income.perCapita', 'dibao.incomeNotBelowStandard', 'alternative.available']);
    expect(r.alternative).toMatchObject({ tier: 'marginal', monthlyAmount: null });
    expect(r.alternative!.reasons.map((x) => x.code)).toContain('marginal.incomeBelowLine');
  });

  it('points a 低保-eligible applicant for 低保边缘 to 低保', () => {
    const r = run(dibaoHousehold, { requestedTier: 'marginal' });
    expect(r.tier).toBe('notEligible');
    expect(codes(r)).toContain('marginal.qualifiesForDibao');
    expect(r.alternative).toMatchObject({ tier: 'dibao', monthlyAmount: 200 });
  });

  it('grants the requested tier when it fits', () => {
    expect(run(dibaoHousehold, { requestedTier: 'dibao' })).toMatchObject({
      tier: 'dibao',
      eligible: true,
      monthlyAmount: 200,
    });
    expect(run(marginalHousehold, { requestedTier: 'marginal' })).toMatchObject({
      tier: 'marginal',
      eligible: true,
    });
    expect(run(marginalHousehold, { requestedTier: 'marginal' }).alternative).toBeUndefined();
  });

  it('offers 单人保 to a household refused 低保 that has a severely ill member', () => {
    const h = household({ members: [{ incomes: [wage(2000)] }, { severeIllness: true }] });
    const r = run(h, { requestedTier: 'dibao' });
    expect(r.tier).toBe('notEligible');
    expect(r.alternative).toMatchObject({
      tier: 'singlePersonDibao',
      monthlyAmount: 800,
      coveredMembers: [idNumber(1)],
    });
  });

  it('refuses everything to a household above every line, with the reasons for each tier', () => {
    const r = run(household({ members: [{ incomes: [wage(20_000)] }] }));
    expect(r).toMatchObject({ tier: 'notEligible', eligible: false, classification: 'notEligible' });
    expect(codes(r)).toEqual([
      'income.perCapita',
      'notEligible',
      'dibao.incomeNotBelowStandard',
      'marginal.incomeNotBelowLine',
      'rigidExpense.incomeNotBelowLine',
      'rigidExpense.notOverRatio',
    ]);
    for (const reason of r.reasons) expect(reason.clause).not.toBe('');
  });
});

describe('防止返贫监测对象, 临时救助 and 其他困难人员', () => {
  const wellOff = household({ members: [{ incomes: [wage(20_000)] }] });

  it('recognises relapse-watch status without re-assessing it, below every means-tested tier', () => {
    expect(run(wellOff, { relapseWatch: true })).toMatchObject({
      tier: 'relapseWatch',
      eligible: true,
      monthlyAmount: null,
    });
    const poor = household({ members: [{ incomes: [pension(100)] }] });
    expect(run(poor, { relapseWatch: true }).tier).toBe('dibao');
    const refused = run(wellOff, { relapseWatch: true, requestedTier: 'dibao' });
    expect(refused.tier).toBe('notEligible');
    expect(codes(refused)).toContain('relapseWatch.recognised');
  });

  it('never refuses 临时救助 for want of a tier, and states the small amount payable first', () => {
    const r = run(wellOff, { requestedTier: 'emergency' });
    expect(r).toMatchObject({ tier: 'otherHardship', eligible: true, monthlyAmount: null });
    expect(r.emergency?.smallAmountLimit).toBe(1000);
    expect(codes(r)).toEqual(['income.perCapita', 'otherHardship.emergency', 'emergency.smallAmount']);
    const poor = run(household({ members: [{}] }), { requestedTier: 'emergency' });
    expect(poor.tier).toBe('dibao');
    expect(poor.emergency).toBeDefined();
  });
});

describe('parameters and explanation', () => {
  it('refuses parameters resolved for another region, residence or date', () => {
    const h = household({ members: [{}] });
    expect(() => run(h, { parameters: parameters({}, 'rural') })).toThrow(ParameterMismatchError);
    expect(() => run(h, { asOf: '2026-03-02' })).toThrow(/asOf/);
    expect(() => run({ ...h, regionCode: '410122' })).toThrow(ParameterMismatchError);
  });

  it('flags results made with sample parameters', () => {
    const p = { ...parameters(), sampleData: true };
    const r = run(household({ members: [{}] }), { parameters: p });
    expect(r.sampleParameters).toBe(true);
    expect(codes(r)).toContain('parameters.sampleData');
  });

  it('returns plain JSON: what the API sends is what the rules computed', () => {
    const r = run(household({ members: [{ incomes: [wage(2000)] }, { severeIllness: true }] }), {
      requestedTier: 'dibao',
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
