/**
 * The pure parts of the classified push and its accounting: the department's message, the chain a
 * warning joins, the feedback form's rules and Chinese messages, and the happiness list's sums.
 */
import { describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import type { Warning } from '../../shared/monitoring/compare/index.ts';
import { happinessList, type LedgerItem } from '../../shared/monitoring/happiness.ts';
import { chainIdOf, pushMessage } from '../../shared/monitoring/push.ts';
import { monthsBetween, regionPrefix } from '../../shared/repositories/monitoring.ts';
import { happinessQuery, warningFeedbackBody, warningsQuery } from '../../shared/schemas/warnings.ts';
import { validId } from '../support/households.ts';

const person = validId('430121', '19800101', 11);
const warning: Warning = {
  warningId: `wrn-${'a'.repeat(24)}`,
  riskType: 'illness',
  cause: null,
  ruleId: 'illnessOutOfPocket',
  department: 'medicalInsurance',
  homeCheck: false,
  scope: 'inside',
  householdId: 'case-1',
  caseId: 'case-1',
  regionCode: '430121',
  source: 'medicalInsurance',
  recordId: 'MI-1',
  eventDate: '2026-11-01',
  subject: maskIdNumber(person),
  message: '因病预警（医疗费用个人自付负担重）：医保结算个人自付20,000.00元……',
  clause: '国办发〔2021〕42号',
  indicatorVersion: '430121:2026-01-01+000000:2024-01-01',
  sampleData: true,
  asOf: '2026-11-30',
};

describe('the push to a department', () => {
  it('carries the ids, the risk type, the masked person, the message and the due date — nothing else', () => {
    const m = pushMessage(warning, '2026-12-14', 0, '2026-11-30T02:00:00.000Z');
    expect(m).toEqual({
      type: 'warningPushed',
      warningId: warning.warningId,
      riskType: 'illness',
      riskTypeLabel: '因病',
      cause: null,
      department: 'medicalInsurance',
      departmentLabel: '医疗保障部门',
      regionCode: '430121',
      householdId: 'case-1',
      caseId: 'case-1',
      source: 'medicalInsurance',
      recordId: 'MI-1',
      eventDate: '2026-11-01',
      subject: maskIdNumber(person),
      message: warning.message,
      homeCheck: false,
      dueDate: '2026-12-14',
      escalation: 0,
      sentAt: '2026-11-30T02:00:00.000Z',
    });
    expect(JSON.stringify(m)).not.toContain(person);
  });

  it('marks an escalation and its new due date', () => {
    const m = pushMessage(warning, '2026-12-17', 2, '2026-12-15T02:00:00.000Z');
    expect(m.type).toBe('warningEscalated');
    expect(m.escalation).toBe(2);
    expect(m.message.startsWith('【督办：逾期未反馈（第2次），请于2026-12-17前反馈】')).toBe(true);
  });

  it('joins the case’s chain, else the register household’s, else the person’s (by blind index)', () => {
    expect(chainIdOf(warning, undefined)).toBe('case-1');
    expect(chainIdOf({ caseId: null, householdId: 'HH-1' }, undefined)).toBe('household-HH-1');
    expect(chainIdOf({ caseId: null, householdId: null }, 'f'.repeat(64))).toBe(`person-${'f'.repeat(32)}`);
    expect(() => chainIdOf({ caseId: null, householdId: null }, undefined)).toThrow();
  });
});

describe('the feedback form and the queries', () => {
  it('names each problem in Chinese with its field', () => {
    const issues = (body: unknown) =>
      warningFeedbackBody.safeParse(body).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({})).toEqual([
      ['result', expect.stringContaining('处置结果应为 assisted（已落实救助帮扶）')],
      ['measures', '处置措施必须填写'],
    ]);
    expect(issues({ result: 'assisted', measures: '纳入医疗救助' })).toEqual([
      ['assistance', '已落实救助帮扶的，须写明落实的救助项目'],
    ]);
    expect(issues({ result: 'notNeeded', measures: '无', assistance: ['cash'], amount: -1 })).toEqual([
      ['measures', '处置措施至少写2个字'],
      ['assistance.0', expect.stringContaining('救助项目应为 dibaoAllowance（低保金）')],
      ['amount', '金额不能为负数'],
    ]);
    expect(warningFeedbackBody.parse({ result: 'referred', measures: '转交县就业服务中心' })).toEqual({
      result: 'referred',
      measures: '转交县就业服务中心',
      assistance: [],
    });
  });

  it('checks the list’s and the happiness list’s queries', () => {
    expect(warningsQuery.parse({ regionCode: '430000' })).toEqual({ regionCode: '430000', limit: 200 });
    expect(
      warningsQuery.safeParse({ regionCode: '430000', department: 'police' }).error?.issues[0]?.message,
    ).toContain('部门应为');
    expect(
      happinessQuery.safeParse({ regionCode: '430000', from: '2026-01-01', to: '2028-12-31' }).error?.issues,
    ).toEqual([expect.objectContaining({ path: ['to'], message: '一次最多统计732天' })]);
  });

  it('reads regions as prefixes and months as ranges', () => {
    expect(['000000', '430000', '430100', '430121'].map(regionPrefix)).toEqual(['', '43', '4301', '430121']);
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-11-15', '2026-11-30')).toEqual(['2026-11']);
  });
});

describe('the happiness list', () => {
  const at = '2026-11-30T02:00:00.000Z';
  const entries: LedgerItem[] = [
    {
      kind: 'payment',
      regionCode: '430121',
      chainId: 'case-1',
      at,
      paymentKind: 'gradualExit',
      tier: 'dibao',
      amount: 450.1,
    },
    {
      kind: 'payment',
      regionCode: '430121',
      chainId: 'case-1',
      at,
      paymentKind: 'gradualExit',
      tier: 'dibao',
      amount: 450.2,
    },
    {
      kind: 'payment',
      regionCode: '430102',
      chainId: 'case-2',
      at,
      paymentKind: 'emergencyGrant',
      tier: 'emergency',
      amount: 800,
    },
    { kind: 'determination', regionCode: '430121', chainId: 'case-1', at, tier: 'dibao' },
    { kind: 'determination', regionCode: '430102', chainId: 'case-3', at, tier: 'marginal' },
    {
      kind: 'warningAnswered',
      regionCode: '430121',
      chainId: 'household-HH-1',
      at,
      riskType: 'illness',
      department: 'medicalInsurance',
      result: 'assisted',
      assistance: ['medicalAssistance', 'temporaryAssistance'],
      amount: 1000,
    },
    {
      kind: 'warningAnswered',
      regionCode: '430121',
      chainId: 'case-1',
      at,
      riskType: 'illness',
      department: 'medicalInsurance',
      result: 'assisted',
      assistance: ['medicalAssistance'],
    },
    // 需求推送: two demands of case-1 answered, by 医保 and by 教育.
    {
      kind: 'demandAnswered',
      regionCode: '430121',
      chainId: 'case-1',
      at,
      department: 'medicalInsurance',
      item: 'medicalPremium',
      result: 'granted',
    },
    {
      kind: 'demandAnswered',
      regionCode: '430121',
      chainId: 'case-1',
      at,
      department: 'education',
      item: 'educationAssistance',
      result: 'declined',
    },
  ];

  it('sums payments by kind and tier, determinations by tier, answers by what was done, and by county', () => {
    const list = happinessList(entries, { regionCode: '430000', from: '2026-11-01', to: '2026-11-30' });
    expect(list.totals).toEqual({
      households: 4,
      payments: 3,
      paid: 1700.3,
      determinations: 2,
      warningsAnswered: 2,
      demandsAnswered: 2,
    });
    expect(list.demandsAnswered).toEqual([
      {
        department: 'education',
        departmentLabel: '教育部门',
        item: 'educationAssistance',
        itemLabel: '教育救助',
        result: 'declined',
        resultLabel: '未落实（写明原因）',
        count: 1,
      },
      {
        department: 'medicalInsurance',
        departmentLabel: '医疗保障部门',
        item: 'medicalPremium',
        itemLabel: '城乡居民基本医疗保险个人缴费资助',
        result: 'granted',
        resultLabel: '已落实',
        count: 1,
      },
    ]);
    expect(list.payments).toEqual([
      {
        paymentKind: 'emergencyGrant',
        paymentKindLabel: '临时救助先行发放',
        tier: 'emergency',
        tierLabel: '临时救助',
        count: 1,
        households: 1,
        amount: 800,
      },
      {
        paymentKind: 'gradualExit',
        paymentKindLabel: '渐退期发放',
        tier: 'dibao',
        tierLabel: '最低生活保障',
        count: 2,
        households: 1,
        amount: 900.3,
      },
    ]);
    expect(list.determinations).toEqual([
      { tier: 'dibao', tierLabel: '最低生活保障', count: 1 },
      { tier: 'marginal', tierLabel: '低保边缘家庭', count: 1 },
    ]);
    expect(list.warningsAnswered).toEqual([
      {
        riskType: 'illness',
        riskTypeLabel: '因病',
        department: 'medicalInsurance',
        departmentLabel: '医疗保障部门',
        result: 'assisted',
        resultLabel: '已落实救助帮扶',
        count: 2,
        amount: 1000,
        assistance: [
          { type: 'medicalAssistance', label: '医疗救助', count: 2 },
          { type: 'temporaryAssistance', label: '临时救助', count: 1 },
        ],
      },
    ]);
    expect(list.byRegion).toEqual([
      {
        regionCode: '430102',
        households: 2,
        payments: 1,
        paid: 800,
        determinations: 1,
        warningsAnswered: 0,
        demandsAnswered: 0,
      },
      {
        regionCode: '430121',
        households: 2,
        payments: 2,
        paid: 900.3,
        determinations: 1,
        warningsAnswered: 2,
        demandsAnswered: 2,
      },
    ]);
  });

  it('is empty for no entries', () => {
    expect(happinessList([], { regionCode: '410000', from: '2026-11-01', to: '2026-11-30' })).toMatchObject({
      totals: {
        households: 0,
        payments: 0,
        paid: 0,
        determinations: 0,
        warningsAnswered: 0,
        demandsAnswered: 0,
      },
      payments: [],
      byRegion: [],
    });
  });
});
