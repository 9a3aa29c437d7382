/** 公布 (社会救助法第四十五条): what is published of an approval, and how a name is masked. */
import { describe, expect, it } from 'vitest';
import { maskName, publicationOf } from '../../shared/domain/publication.ts';
import { application } from '../support/households.ts';

describe('publication', () => {
  it('masks a name to its first and last characters', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小英')).toBe('张*英');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName(' 李 ')).toBe('*');
  });

  it('publishes the applicant masked, the members living together, the tier and the amount, for the period', () => {
    const declaration = application();
    declaration.members.push({
      ...declaration.members[1]!,
      name: '张大明',
      idNumber: '11010519491231002X',
      livesWithHousehold: false,
    });
    const entry = publicationOf({
      caseId: 'case-1',
      regionCode: '430121',
      declaration,
      tier: 'dibao',
      tierLabel: '最低生活保障',
      monthlyAmount: 1750,
      decidedOn: '2026-12-31',
      days: 30,
    });
    expect(entry).toEqual({
      regionCode: '430121',
      caseId: 'case-1',
      applicantName: '张*',
      householdSize: 2,
      tier: 'dibao',
      tierLabel: '最低生活保障',
      monthlyAmount: 1750,
      decidedOn: '2026-12-31',
      publishedUntil: '2027-01-30',
    });
  });
});
