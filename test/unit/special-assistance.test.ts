/**
 * 专项救助 by tier, worked by hand against the sample table of 湖南省 (2026): which member gets which
 * item from which department, and what a change of tier starts and ends.
 */
import { describe, expect, it } from 'vitest';
import {
  type SpecialHousehold,
  type SpecialRule,
  specialAssistanceFor,
  specialChanges,
} from '../../shared/domain/special-assistance.ts';
import { parameterVersionSchema, sampleParameterVersions } from '../../shared/parameters/index.ts';

const hunan = sampleParameterVersions.find(
  (v) => v.regionCode === '430000' && v.residence === 'urban' && v.effectiveFrom === '2026-01-01',
)!;
const rules = hunan.values.specialAssistance!.value as SpecialRule[];

const adult = { name: '张三', age: 45, labourCapacity: 'partial' as const, employed: false, schooling: null };
const pupil = {
  name: '张小明',
  age: 11,
  labourCapacity: 'none' as const,
  schooling: { stage: 'compulsory' },
};

/** Items as `item@member` (h for the household), in the order given. */
const itemsOf = (household: SpecialHousehold, tier: string) =>
  specialAssistanceFor(household, tier, rules).map((g) => `${g.item}@${g.member ?? 'h'}`);

describe('special assistance by tier', () => {
  it('gives a 低保 household premium and medical help each, the pupil education, the unemployed adult work, the household housing', () => {
    const household: SpecialHousehold = {
      residence: 'urban',
      housingDifficulty: true,
      members: [adult, pupil],
    };
    const grants = specialAssistanceFor(household, 'dibao', rules);
    expect(grants.map((g) => `${g.item}@${g.member ?? 'h'}`)).toEqual([
      'medicalPremium@0',
      'medicalPremium@1',
      'medicalAssistance@0',
      'medicalAssistance@1',
      'educationAssistance@1',
      'housingAssistance@h',
      'employmentAssistance@0',
    ]);
    // 湖南 sample: 70% of the premium, 70% of costs up to 30,000 a year; the urban row of housing.
    expect(grants[0]).toMatchObject({
      department: 'medicalInsurance',
      share: 0.7,
      benefit: '个人缴费部分资助70%',
    });
    expect(grants[2]).toMatchObject({ ratio: 0.7, annualCap: 30_000 });
    expect(grants[4]).toMatchObject({ department: 'education', benefit: '义务教育阶段发放生活补助' });
    expect(grants[5]).toMatchObject({ department: 'housing', benefit: '优先配租公租房或发放公租房租赁补贴' });
    expect(grants[6]).toMatchObject({ department: 'humanResources' });
    expect(grants.every((g) => g.clause.includes('社会救助法'))).toBe(true);
  });

  it('gives a 特困 person the whole premium and 90% of costs, and no work: the tier is not among 第二十七条’s', () => {
    const alone: SpecialHousehold = {
      residence: 'rural',
      members: [{ name: '李奶奶', age: 72, labourCapacity: 'none' }],
    };
    const grants = specialAssistanceFor(alone, 'tekun', rules);
    expect(grants.map((g) => [g.item, g.share ?? g.ratio])).toEqual([
      ['medicalPremium', 1],
      ['medicalAssistance', 0.9],
    ]);
  });

  it('reaches neither a member not counted nor, in a 低保边缘 household, the disability subsidy of 低保 households', () => {
    const household: SpecialHousehold = {
      residence: 'rural',
      housingDifficulty: true,
      members: [
        { ...adult, employed: true, disabilityGrade: 2 },
        { name: '张二', age: 40, labourCapacity: 'full', notCounted: 'imprisoned' },
      ],
    };
    expect(itemsOf(household, 'marginal')).toEqual([
      'medicalPremium@0',
      'medicalAssistance@0',
      'housingAssistance@h',
    ]);
    expect(specialAssistanceFor(household, 'marginal', rules)[2]!.benefit).toBe(
      '通过农村危房改造等方式优先给予住房救助',
    );
    // In a 低保 household the same member gets the subsidy.
    expect(itemsOf(household, 'dibao')).toContain('disabilitySubsidy@0');
    // Tiers the law gives no special assistance: nothing.
    expect(itemsOf(household, 'relapseWatch')).toEqual([]);
    expect(itemsOf(household, 'notEligible')).toEqual([]);
  });

  it('gives an item once per recipient: the first row that reaches them', () => {
    const twice: SpecialRule[] = [
      { ...rules[1]!, benefit: '先列的行' },
      { ...rules[1]!, benefit: '后列的行' },
    ];
    const grants = specialAssistanceFor({ residence: 'urban', members: [adult] }, 'dibao', twice);
    expect(grants.map((g) => g.benefit)).toEqual(['先列的行']);
  });

  it('names what a change of tier starts and ends: new terms start again, what is no longer given ends', () => {
    const household: SpecialHousehold = {
      residence: 'urban',
      members: [{ ...adult, disabilityGrade: 3 }, pupil],
    };
    const dibao = specialAssistanceFor(household, 'dibao', rules);
    const marginal = specialAssistanceFor(household, 'marginal', rules);
    const { started, ended } = specialChanges(dibao, marginal);
    // The premium at 50% instead of 70%, medical help at 60%: started on the new terms.
    expect(started.map((g) => `${g.item}@${g.member}:${g.share ?? g.ratio}`)).toEqual([
      'medicalPremium@0:0.5',
      'medicalPremium@1:0.5',
      'medicalAssistance@0:0.6',
      'medicalAssistance@1:0.6',
    ]);
    expect(ended.map((g) => `${g.item}@${g.member}`)).toEqual(['disabilitySubsidy@0']);
    // Unchanged: nothing to tell. Ended: everything ends.
    expect(specialChanges(dibao, dibao)).toEqual({ started: [], ended: [] });
    expect(specialChanges(dibao, []).ended).toEqual(dibao);
  });

  it('refuses a table row that names no known item, naming where', () => {
    const bad = parameterVersionSchema.safeParse({
      ...hunan,
      values: {
        ...hunan.values,
        specialAssistance: {
          value: [{ ...rules[0], item: 'pension' }],
          clause: '测试',
        },
      },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['values.specialAssistance.value.0.item']);
  });
});
