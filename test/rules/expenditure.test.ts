/**
 * 支出型临时救助 (社会救助法第二十九条): hand-worked cases of `expenditureTest`. The test region's
 * 低保 standard is 800 and the 低保边缘 multiple 1.5, so the line is 1,200 per person and month; a
 * household of three at that line has 43,200 a year.
 */
import { describe, expect, it } from 'vitest';
import { clausesFor, expenditureTest, meansTest } from '../../shared/rules/index.ts';
import { AS_OF, type HouseholdInput, household, parameters, pension } from './fixtures.ts';

/** Three people; the householder's pension of 3,900 a month is the counted income (46,800 a year). */
const three = (over: Partial<HouseholdInput> = {}) =>
  household({
    members: [{ incomes: [pension(3900)], age: 62 }, { relation: 'spouse', age: 60 }, { age: 30 }],
    ...over,
  });

const run = (h: ReturnType<typeof household>) =>
  expenditureTest(meansTest(h, { asOf: AS_OF, requestedTier: 'emergency', parameters: parameters() }));

describe('expenditureTest', () => {
  it('a large medical bill takes the household below the 低保边缘 line: eligible', () => {
    // (46,800 − 12,000) / 12 / 3 = 966.67 ≤ 1,200.
    const t = run(three({ medical: 12_000 }));
    expect(t).toMatchObject({
      eligible: true,
      spending: 12_000,
      income12Months: 46_800,
      perCapitaMonthlyAfterSpending: 966.67,
      line: 1200,
      assetsWithin: true,
    });
    expect(t.reasons[0]!.message).toContain('人均月收入966.67元，不高于当地低保边缘家庭认定标准1,200.00元');
    expect(t.reasons[0]!.clause).toBe(clausesFor(AS_OF).emergency);
  });

  it('is inclusive at the line, to the fen', () => {
    // 46,800 − 3,600 = 43,200 = 1,200 × 12 × 3: at the line.
    expect(run(three({ medical: 3600 })).eligible).toBe(true);
    // One fen less spending leaves the household above it.
    expect(run(three({ medical: 3599.99 })).eligible).toBe(false);
  });

  it('counts every necessary spending but the county’s 生活支出', () => {
    // 2,000 + 1,000 + 600 = 3,600 of education, rehabilitation and other: at the line.
    const t = run(three({ education: 2000, rehabilitation: 1000, otherSpending: 600 }));
    expect(t).toMatchObject({ eligible: true, spending: 3600 });
  });

  it('refuses a household with assets beyond the 低保边缘 limits, however large the bill', () => {
    // Deposits of 3 × 9,600 a person (86,400 for three) at most; 100,000 is over.
    const t = run(three({ medical: 40_000, deposits: 100_000 }));
    expect(t).toMatchObject({ eligible: false, assetsWithin: false });
    expect(t.reasons[1]!.message).toBe('家庭财产状况不符合当地低保边缘家庭的规定');
  });

  it('is never eligible without a necessary spending, and never goes below zero', () => {
    const none = run(three({ members: [{ age: 62 }, { relation: 'spouse', age: 60 }] }));
    expect(none).toMatchObject({ eligible: false, spending: 0, perCapitaMonthlyAfterSpending: 0 });
    const more = run(three({ medical: 60_000 }));
    expect(more).toMatchObject({ eligible: true, perCapitaMonthlyAfterSpending: 0 });
  });
});
