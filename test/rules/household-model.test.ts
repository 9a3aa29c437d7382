/**
 * The household as the law describes it, hand-worked one rule at a time (issue 12 §1–§2). The
 * parameters are the fixtures' round numbers (低保 800, 特困 1040, line 1200, disposable income
 * 4000/月, ratio 50%, deduction 200, rounding to the yuan with a 20 元 floor); each case names the
 * article it applies, as read in the 社会救助法 and the Ministry's measures.
 */
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../shared/http.ts';
import { parameterVersionSchema } from '../../shared/parameters/index.ts';
import { clausesFor, LAW_IN_FORCE, meansTest } from '../../shared/rules/index.ts';
import { householdDeclaration } from '../../shared/schemas/household.ts';
import { AS_OF, household, idNumber, parameters, REGION, wage } from './fixtures.ts';

type Opts = Partial<Parameters<typeof meansTest>[1]>;
const run = (h: ReturnType<typeof household>, opts: Opts = {}) =>
  meansTest(h, { asOf: AS_OF, parameters: parameters(), ...opts });
const codes = (r: { reasons: Array<{ code: string }> }) => r.reasons.map((x) => x.code);
const reasonOf = (r: { reasons: Array<{ code: string; message: string; clause: string }> }, code: string) =>
  r.reasons.find((x) => x.code === code)!;

/** One person with no income, no supporter and no property beyond one house. */
const single = (member: Parameters<typeof household>[0]['members'][number]) =>
  household({ members: [{ age: 40, ...member }], obligors: [] });

describe('无劳动能力 by disability category and grade (43号 第五条（三）)', () => {
  it('a grade-2 visual disability is not "unable to work"; a grade-3 mental one is', () => {
    // 视力 only grade 1 counts, so a 40-year-old with grade-2 visual disability is able to work:
    // not 特困, but 低保 (income 0 < 800; amount 800).
    const visual = run(single({ disability: ['visual', 2] }));
    expect(visual.classification).toBe('dibao');
    expect(visual.monthlyAmount).toBe(800);
    const refused = run(single({ disability: ['visual', 2] }), { requestedTier: 'tekun' });
    expect(codes(refused)).toContain('tekun.hasLabourCapacity');
    // 精神 grades 1–3 count: grade 3 → 无劳动能力 → 特困 at 1040.
    const mental = run(single({ disability: ['mental', 3] }));
    expect(mental.classification).toBe('tekun');
    expect(mental.monthlyAmount).toBe(1040);
    expect(reasonOf(mental, 'tekun.noLabourCapacity').message).toContain('精神残疾三级');
  });

  it('follows the table: 智力 1–3, 肢体 1–2, 视力 1; hearing and speech not at all; a province may add', () => {
    const tier = (category: Parameters<typeof single>[0]['disability'], opts: Opts = {}) =>
      run(single({ disability: category }), opts).classification;
    expect(tier(['intellectual', 3])).toBe('tekun');
    expect(tier(['intellectual', 4])).toBe('dibao');
    expect(tier(['physical', 2])).toBe('tekun');
    expect(tier(['physical', 3])).toBe('dibao');
    expect(tier(['visual', 1])).toBe('tekun');
    expect(tier(['hearing', 1])).toBe('dibao');
    expect(tier(['multiple', 1])).toBe('dibao');
    // 第五条（四）: the province adds 多重残疾 grades 1–2.
    const base = parameters();
    const added = parameters({
      personCriteria: {
        ...base.personCriteria,
        noLabourCapacityDisabilities: [
          ...base.personCriteria.noLabourCapacityDisabilities,
          { category: 'multiple', upToGrade: 2 },
        ],
      },
    });
    expect(tier(['multiple', 1], { parameters: added })).toBe('tekun');
  });
});

describe('特困 minors in school (社会救助法第十六条第三款; 43号 第二十四条)', () => {
  const student = (age: number, stage: 'compulsory' | 'seniorSecondary' | 'higher') =>
    single({ age, schooling: { stage } });

  it('keeps a 17-year-old senior-secondary pupil 特困, and a 19-year-old one too', () => {
    for (const age of [17, 19]) {
      const r = run(student(age, 'seniorSecondary'));
      expect(r.classification).toBe('tekun');
      const labour = reasonOf(r, 'tekun.noLabourCapacity');
      expect(labour.message).toContain('高中阶段（含中职）');
      expect(labour.clause).toContain('第二十四条');
    }
  });

  it('does not extend it to higher education, or to a 17-year-old out of school', () => {
    expect(run(student(19, 'higher')).classification).toBe('dibao');
    expect(run(single({ age: 17 })).classification).toBe('dibao');
  });
});

describe('income exclusions per tier (57号 第十三条; 43号 第六条)', () => {
  // The lists a province would publish: 低保 leaves out awards and assistance and the basic pension;
  // 特困 leaves out the basic pension, 优待抚恤金 and 高龄津贴 — but counts a scholarship.
  const lists = parameters({
    excludedIncomeKinds: {
      dibao: ['specialCare', 'familyPlanning', 'scholarship', 'heroicReward', 'assistance', 'basicPension'],
      tekun: ['basicPension', 'specialCare', 'allowance'],
    },
  });

  it('counts 高龄津贴 for 低保 but not for 特困', () => {
    // 75-year-old, basic pension 200 + 高龄津贴 650. 低保: counted 650 (< 800 → income below the
    // standard). 特困: counted 0 (< 800 → no income source). No supporter → 特困 at 1040.
    const h = household({
      members: [
        {
          age: 75,
          incomes: [
            { kind: 'basicPension', monthlyAmount: 200 },
            { kind: 'allowance', monthlyAmount: 650 },
          ],
        },
      ],
      obligors: [],
    });
    const r = run(h, { parameters: lists });
    expect(r.income).toMatchObject({
      grossMonthlyIncome: 850,
      excludedMonthlyIncome: 200,
      countedMonthlyIncome: 650,
      tekunCountedMonthlyIncome: 0,
    });
    expect(r.classification).toBe('tekun');
  });

  it('counts a scholarship for 特困 but not for 低保', () => {
    // 15-year-old orphan (under 16 → unable to work) with a 900 scholarship. 特困: 900 ≥ 800 → has an
    // income source → not 特困. 低保: 0 counted → 低保 at 800.
    const h = household({
      members: [{ age: 15, relation: 'self', incomes: [{ kind: 'scholarship', monthlyAmount: 900 }] }],
      obligors: [],
    });
    const r = run(h, { parameters: lists });
    expect(r.classification).toBe('dibao');
    expect(r.monthlyAmount).toBe(800);
    const refused = run(h, { parameters: lists, requestedTier: 'tekun' });
    expect(codes(refused)).toContain('tekun.hasIncomeSource');
    expect(reasonOf(refused, 'tekun.hasIncomeSource').message).toContain('900.00元');
  });

  it('counts support payments from obligors outside the household', () => {
    const h = household({
      members: [{ incomes: [{ kind: 'supportPayment', monthlyAmount: 900 }] }],
    });
    expect(run(h, { parameters: lists }).income.countedMonthlyIncome).toBe(900);
  });
});

describe('共同生活 (57号 第七条)', () => {
  it('leaves out a member who lives elsewhere, but counts a full-time student away at school', () => {
    // 甲 wage 1000; 乙 works in another city (wage 3000, not living together); 丙 18, full-time at
    // university away from home. Counted: 甲 and 丙 → 2 people, income 1000, per capita 500 → 低保
    // 800 × 2 − 1000 = 600.
    const h = household({
      members: [
        { name: '甲', incomes: [wage(1000)] },
        { name: '乙', livesWithHousehold: false, incomes: [wage(3000)] },
        { name: '丙', age: 18, livesWithHousehold: false, schooling: { stage: 'higher', fullTime: true } },
      ],
    });
    const r = run(h);
    expect(r.income.householdSize).toBe(2);
    expect(r.income.grossMonthlyIncome).toBe(1000);
    expect(r.tier).toBe('dibao');
    expect(r.monthlyAmount).toBe(600);
    expect(reasonOf(r, 'income.perCapita').message).toContain('乙不共同生活，不计入');
  });

  it('leaves out whom 第七条第二款 excludes, wherever they live — a student in prison included', () => {
    // 甲 wage 1000; 乙, his wife, serves a sentence (living at home on paper, wage 2000 declared); 丙
    // 19, full-time student, in compulsory drug rehabilitation. Counted: 甲 alone → 1 person, income
    // 1000 > 800: not 低保; marginal line 1,200 → 低保边缘.
    const h = household({
      members: [
        { name: '甲', incomes: [wage(1000)] },
        { name: '乙', relation: 'spouse', notCounted: 'imprisoned', incomes: [wage(2000)] },
        {
          name: '丙',
          age: 19,
          notCounted: 'compulsoryRehab',
          schooling: { stage: 'higher', fullTime: true },
        },
      ],
    });
    const r = run(h);
    expect(r.income.householdSize).toBe(1);
    expect(r.income.grossMonthlyIncome).toBe(1000);
    expect(r.tier).toBe('marginal');
    const summary = reasonOf(r, 'income.perCapita');
    expect(summary.message).toContain(
      '乙在监狱内服刑、丙在戒毒所强制隔离戒毒，依规定不计入共同生活家庭成员，不计入',
    );
    expect(summary.clause).toContain('第七条');
  });

  it('names both, those away and those excluded, in one summary', () => {
    const h = household({
      members: [
        { name: '甲', incomes: [wage(500)] },
        { name: '乙', livesWithHousehold: false },
        { name: '丁', notCounted: 'clergy' },
      ],
    });
    expect(reasonOf(run(h), 'income.perCapita').message).toContain(
      '（乙不共同生活；丁连续三年以上脱离家庭独立生活的宗教教职人员，依规定不计入共同生活家庭成员，不计入）',
    );
  });

  it('refuses an applicant who would not be a member of the household, naming the field', () => {
    const parsed = householdDeclaration.safeParse({
      ...household({ members: [{ name: '甲' }] }),
      members: [{ ...household({ members: [{ name: '甲' }] }).members[0]!, notCounted: 'missing' }],
    });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!)).toEqual([
      { field: 'members.0.notCounted', message: '申请人本人须为共同生活的家庭成员，不能是“宣告失踪”' },
    ]);
  });
});

describe('法定义务人 (43号 第四条、第八条)', () => {
  it('reads the obligors: all unable, each with its ground → no able supporter', () => {
    const h = household({
      members: [{ age: 80 }],
      obligors: [
        { name: '长子', relation: 'child', ableToSupport: false, inability: 'dibaoElderly', note: '' },
        { name: '次子', relation: 'child', ableToSupport: false, inability: 'incapacitated', note: '服刑' },
      ],
    });
    const r = run(h);
    expect(r.classification).toBe('tekun');
    const why = reasonOf(r, 'tekun.noAbleSupporter').message;
    expect(why).toContain('长子（60周岁以上的最低生活保障对象）');
    expect(why).toContain('次子（无民事行为能力、被宣告失踪或在监狱服刑，服刑）');
  });

  it('one able obligor means 低保 rather than 特困, named in the refusal', () => {
    const h = household({
      members: [{ age: 80 }],
      obligors: [{ name: '女儿', relation: 'child', ableToSupport: true, inability: null, note: '' }],
    });
    const r = run(h, { requestedTier: 'tekun' });
    expect(r.tier).toBe('notEligible');
    expect(reasonOf(r, 'tekun.hasAbleSupporter').message).toContain('女儿');
    expect(r.alternative?.tier).toBe('dibao');
  });
});

describe('照料护理标准 by self-care (43号 第二十一条、第二十二条; 社会救助法第十七条)', () => {
  const care = parameters({ tekunCareStandards: { fullSelfCare: 100, partialLoss: 300, fullLoss: 900 } });

  it('pays the basic standard plus the care standard of each member’s assessed level', () => {
    // 甲 manages all six → 全自理 100; 乙 cannot bathe or dress → 部分丧失 300; 丙 cannot manage four →
    // 完全丧失 900. 3 × 1040 + 100 + 300 + 900 = 4420.
    const h = household({
      members: [
        { age: 70 },
        { age: 75, selfCareUnable: ['bathing', 'dressing'] },
        { age: 90, selfCareUnable: ['bathing', 'dressing', 'toileting', 'transferring'] },
      ],
      obligors: [],
    });
    const r = run(h, { parameters: care });
    expect(r.tier).toBe('tekun');
    expect(r.monthlyAmount).toBe(4420);
    const levels = r.reasons.filter((x) => x.code === 'tekun.careStandard').map((x) => x.values.level);
    expect(levels).toEqual(['fullSelfCare', 'partialLoss', 'fullLoss']);
  });
});

describe('单人保 (57号 第八条; 社会救助法第二十一条第二款)', () => {
  // A 低保边缘 household: 甲 wage 2200 over 2 people = 1100 (≥ 800, < 1200); 乙 without income.
  const marginalWith = (member: Parameters<typeof household>[0]['members'][number]) =>
    household({ members: [{ incomes: [wage(2200)] }, { name: '乙', ...member }] });

  it('covers a grade-3 intellectual or mental disability, not a grade-3 physical one', () => {
    expect(run(marginalWith({ disability: ['intellectual', 3] })).tier).toBe('singlePersonDibao');
    expect(run(marginalWith({ disability: ['mental', 3] })).tier).toBe('singlePersonDibao');
    expect(run(marginalWith({ disability: ['physical', 3] })).tier).toBe('marginal');
    expect(run(marginalWith({ disability: ['hearing', 2] })).tier).toBe('singlePersonDibao');
  });

  it('covers an adult with a severe disability and no work whatever the household, where the province says so', () => {
    // 甲 wage 4000 over 2 = 2000 ≥ 1200: not a 低保边缘 household, so the 第八条 route is closed.
    const h = household({
      members: [{ incomes: [wage(4000)] }, { name: '乙', age: 30, disability: ['physical', 1] }],
    });
    expect(run(h).tier).toBe('notEligible');
    const base = parameters();
    const option = parameters({
      personCriteria: { ...base.personCriteria, adultSevereDisabilityAlone: true },
    });
    const r = run(h, { parameters: option });
    expect(r.tier).toBe('singlePersonDibao');
    expect(r.coveredMembers).toEqual([idNumber(1)]);
    expect(r.monthlyAmount).toBe(800);
    expect(reasonOf(r, 'singlePersonDibao.member').message).toContain('乙（肢体残疾一级）');
  });
});

describe('单人保 routes do not mix', () => {
  it('covers only the adult route’s member in a household above the 低保边缘 line', () => {
    // 甲 wage 6000 over 3 = 2000 ≥ 1200: the 第八条 route is closed, so 丙's serious illness covers
    // nobody; the province's adult route still covers 乙 alone (800).
    const h = household({
      members: [
        { incomes: [wage(6000)] },
        { name: '乙', age: 30, disability: ['physical', 1] },
        { name: '丙', age: 10, severeIllness: true },
      ],
    });
    const base = parameters();
    const option = parameters({
      personCriteria: { ...base.personCriteria, adultSevereDisabilityAlone: true },
    });
    const r = run(h, { parameters: option });
    expect(r.tier).toBe('singlePersonDibao');
    expect(r.coveredMembers).toEqual([idNumber(1)]);
    expect(r.monthlyAmount).toBe(800);
  });
});

describe('分类施保 (社会救助法第二十条)', () => {
  const increments = (combine: 'highest' | 'sum') =>
    parameters({
      dibaoIncrements: {
        elderlyFromAge: 70,
        elderly: 50,
        minor: 40,
        severeDisability: 100,
        seriousIllness: 80,
        combine,
      },
    });

  it('adds the increment of each elderly, minor, severely disabled or seriously ill member', () => {
    // 甲 40 wage 1000 (not employed); 乙 72; 丙 10; 丁 45 with a grade-1 physical disability and a
    // serious illness. Gap 800 × 4 − 1000 = 2200. Increments: 乙 50, 丙 40, 丁 max(100, 80) = 100 →
    // 190 → 2390; summed, 丁 gets 180 → 2470.
    const h = household({
      members: [
        { incomes: [wage(1000)] },
        { age: 72 },
        { age: 10 },
        { age: 45, disability: ['physical', 1], severeIllness: true },
      ],
    });
    const highest = run(h, { parameters: increments('highest') });
    expect(highest.tier).toBe('dibao');
    expect(highest.monthlyAmount).toBe(2390);
    expect(highest.reasons.filter((x) => x.code === 'dibao.increment')).toHaveLength(3);
    expect(reasonOf(highest, 'dibao.increment').clause).toContain('第二十七条');
    expect(run(h, { parameters: increments('sum') }).monthlyAmount).toBe(2470);
  });
});

describe('分档定额 (社会救助法第十八条第二款)', () => {
  it('pays the band the per-person gap falls in', () => {
    const bands = parameters({
      dibaoAmountMethod: {
        kind: 'bands',
        bands: [
          { minGapPerPerson: 0, amountPerPerson: 200 },
          { minGapPerPerson: 300, amountPerPerson: 450 },
          { minGapPerPerson: 600, amountPerPerson: 700 },
        ],
      },
    });
    // 2 people, income 400 → per-person gap 800 − 200 = 600 → the top band exactly: 700 × 2 = 1400.
    const at = (income: number) =>
      run(household({ members: [{ incomes: [wage(income)] }, {}] }), { parameters: bands });
    expect(at(400).monthlyAmount).toBe(1400);
    // income 1000 → per-person gap 300 → the middle band: 450 × 2 = 900.
    expect(at(1000).monthlyAmount).toBe(900);
    // income 1000.02 → per-person gap 299.99 → the lowest band: 200 × 2 = 400.
    const low = at(1000.02);
    expect(low.monthlyAmount).toBe(400);
    expect(reasonOf(low, 'dibao.amount').message).toContain('分档定额');
  });
});

describe('刚性支出 by category (认定办法 第五条) and the illness deduction (57号 第十三条末款)', () => {
  it('adds rehabilitation, other items and the county’s 生活支出 to the spending', () => {
    // 3 people, wage 9000 (not employed) → 3000 per capita: above 1200, below 4000. Income over 12
    // months 108,000; 50% = 54,000. Medical 20,000 + rehabilitation 20,000 + other 5,000 = 45,000 →
    // not over. With 生活支出 at 0.5 × 800 per person-month: 0.5 × 800 × 12 × 3 = 14,400 → 59,400 > 54,000.
    const h = household({
      members: [{ incomes: [wage(9000)] }, {}, {}],
      medical: 20_000,
      rehabilitation: 20_000,
      otherSpending: 5_000,
    });
    expect(run(h).rigidExpense).toMatchObject({ spending: 45_000, overRatio: false });
    const living = parameters({ rigidLivingExpense: { kind: 'dibaoStandardMultiple', multiple: 0.5 } });
    const r = run(h, { parameters: living });
    expect(r.rigidExpense).toMatchObject({ living: 14_400, spending: 59_400, overRatio: true });
    expect(r.tier).toBe('rigidExpense');
    expect(reasonOf(r, 'rigidExpense.overRatio').message).toContain('残疾康复20,000.00元');
  });

  it('deducts the year’s medical and rehabilitation costs monthly where the region allows', () => {
    // wage 1800 over 2 = 900 ≥ 800. Medical 2,400 + rehabilitation 1,200 = 3,600 → 300 a month.
    // Deducted: 1500 over 2 = 750 < 800 → 低保, 1600 − 1500 = 100.
    const h = household({ members: [{ incomes: [wage(1800)] }, {}], medical: 2_400, rehabilitation: 1_200 });
    expect(run(h).tier).toBe('marginal');
    const r = run(h, { parameters: parameters({ illnessDisabilityDeduction: true }) });
    expect(r.income.illnessDisabilityDeduction).toBe(300);
    expect(r.tier).toBe('dibao');
    expect(r.monthlyAmount).toBe(100);
  });
});

describe('decisions from 2026-07-01 cite the 社会救助法 first', () => {
  it('switches on the day the law is in force', () => {
    expect(LAW_IN_FORCE).toBe('2026-07-01');
    expect(clausesFor('2026-06-30').dibao).not.toContain('社会救助法');
    expect(clausesFor('2026-07-01').dibao).toMatch(/^《中华人民共和国社会救助法》第十八条/);
    const h = single({ age: 70 });
    const after = meansTest(h, { asOf: '2026-07-01', parameters: { ...parameters(), asOf: '2026-07-01' } });
    for (const r of after.reasons) expect(r.clause).toMatch(/^《中华人民共和国社会救助法》/);
    expect(reasonOf(after, 'tekun.amount').clause).toContain('第十七条');
  });
});

describe('bad input names the field, in Chinese', () => {
  const errors = (body: unknown) => {
    const parsed = householdDeclaration.safeParse(body);
    return parsed.success ? [] : fieldErrors(parsed.error);
  };
  const base = () => {
    const h = household({ members: [{}, { age: 10 }] });
    return JSON.parse(JSON.stringify(h)) as Record<string, never> & {
      members: Array<Record<string, unknown>>;
    };
  };

  it('refuses a grade on no category, an unknown category and schooling for a 3-year-old', () => {
    const noCategory = base();
    noCategory.members[1]!.disabilityGrade = 2;
    expect(errors(noCategory)).toEqual([
      {
        field: 'members.1.disabilityCategory',
        message: '残疾类别和残疾等级须同时填写（以残疾人证为准），或都不填',
      },
    ]);
    const unknown = base();
    unknown.members[1]!.disabilityCategory = 'emotional';
    unknown.members[1]!.disabilityGrade = 2;
    expect(errors(unknown)).toEqual([{ field: 'members.1.disabilityCategory', message: '残疾类别不正确' }]);
    const toddler = base();
    toddler.members[1]!.age = 3;
    toddler.members[1]!.schooling = { stage: 'compulsory', fullTime: true };
    expect(errors(toddler)).toEqual([
      { field: 'members.1.schooling.stage', message: '3岁不可能处于义务教育阶段（就学阶段与年龄不符）' },
    ]);
  });

  it('refuses an unable obligor without a ground, and a supporter flag that contradicts the obligors', () => {
    const h = base() as Record<string, unknown>;
    delete h.hasAbleSupporter;
    h.obligors = [{ name: '儿子', relation: 'child', ableToSupport: false }];
    expect(errors(h)).toEqual([
      {
        field: 'obligors.0.inability',
        message: '义务人无履行义务能力的，须写明属于《特困人员认定办法》第八条的哪种情形',
      },
    ]);
    const contradiction = base();
    Object.assign(contradiction, {
      obligors: [{ name: '儿子', relation: 'child', ableToSupport: true }],
      hasAbleSupporter: false,
    });
    expect(errors(contradiction).map((e) => e.field)).toEqual(['hasAbleSupporter']);
  });

  it('refuses a parameter version naming an income kind that does not exist, or a 渐退 over 6 months', () => {
    const version = (values: Record<string, unknown>, regionCode = REGION) =>
      parameterVersionSchema.safeParse({
        regionCode,
        residence: 'urban',
        effectiveFrom: '2027-01-01',
        basis: '测试',
        values,
      });
    const kinds = version({
      excludedIncomeKinds: { value: { dibao: ['lottery'], tekun: [] }, clause: '测试' },
    });
    expect(kinds.success).toBe(false);
    expect(fieldErrors(kinds.error!)).toEqual([
      { field: 'values.excludedIncomeKinds.value.dibao.0', message: '收入类型不正确（不存在的收入类型）' },
    ]);
    const longExit = version({ gradualExitMonths: { value: 12, clause: '县规定' } });
    expect(fieldErrors(longExit.error!)).toEqual([
      { field: 'values.gradualExitMonths.value', message: expect.stringContaining('第三十三条') },
    ]);
    // Marked as the province's exception, naming its document: accepted, at province or county level.
    const provincial = version(
      { gradualExitMonths: { value: 12, clause: '省规定', provincialException: '×政办发〔2027〕1号' } },
      '430000',
    );
    expect(provincial.success).toBe(true);
    const county = version({
      gradualExitMonths: { value: 12, clause: '县规定', provincialException: '×民函〔2027〕2号（省厅同意）' },
    });
    expect(county.success).toBe(true);
    // A 刚性支出困难家庭 recognition is valid for at most 12 months (认定办法 第十条).
    const rechecks = { tekun: 12, dibaoStable: 12, dibaoUnstable: 6, singlePersonDibao: 12, marginal: 12 };
    const long = version({ recheckMonths: { value: { ...rechecks, rigidExpense: 18 }, clause: '县规定' } });
    expect(fieldErrors(long.error!)).toEqual([
      {
        field: 'values.recheckMonths.value.rigidExpense',
        message: '刚性支出困难家庭认定有效期一般不超过12个月（《刚性支出困难家庭认定办法》第十条）',
      },
    ]);
    // 特困: the county checks at least 30% in the household (43号 第十六条).
    const limits = parameters().timeLimits;
    const fewer = version({
      timeLimits: { value: { ...limits, tekunHomeCheckShare: 0.2 }, clause: '县规定' },
    });
    expect(fieldErrors(fewer.error!)).toEqual([
      {
        field: 'values.timeLimits.value.tekunHomeCheckShare',
        message: '特困人员认定的随机抽查比例不得低于30%（《特困人员认定办法》第十六条）',
      },
    ]);
    // 6 months needs no exception.
    expect(version({ gradualExitMonths: { value: 6, clause: '县规定' } }).success).toBe(true);
  });
});
