import { describe, expect, it } from 'vitest';
import {
  type BenefitPeriod,
  firstMonth,
  lineTotal,
  monthsOwed,
  periodIn,
  periodsFromCase,
} from '../../shared/domain/entitlements.ts';

const period = (p: Partial<BenefitPeriod> & Pick<BenefitPeriod, 'from' | 'decidedAt'>): BenefitPeriod => ({
  caseId: 'case-1',
  cause: 'determination',
  status: 'active',
  tier: 'dibao',
  monthlyAmount: 500,
  ref: 'app-1',
  ...p,
});

const owed = (periods: BenefitPeriod[], since: string, upTo: string, paid: string[] = []) =>
  monthsOwed(periods, { since, upTo, paid: new Set(paid) }).map((o) => [
    o.month,
    o.period.monthlyAmount,
    o.backPay,
  ]);

describe('the first month a decision governs', () => {
  it('pays from the month after a determination (57号第二十一条), China time', () => {
    expect(firstMonth('determination', '2026-03-10T02:00:00.000Z')).toBe('2026-04');
    // 2026-03-31 17:00 UTC is already 1 April in China.
    expect(firstMonth('determination', '2026-03-31T17:00:00.000Z')).toBe('2026-05');
    expect(firstMonth('determination', '2026-12-15T02:00:00.000Z')).toBe('2027-01');
  });

  it('pays from the decision month where the province says so, but never adjusts or ends in it', () => {
    expect(firstMonth('determination', '2026-03-10T02:00:00.000Z', 'decisionMonth')).toBe('2026-03');
    expect(firstMonth('adjustment', '2026-03-10T02:00:00.000Z', 'decisionMonth')).toBe('2026-04');
    expect(firstMonth('termination', '2026-03-10T02:00:00.000Z', 'decisionMonth')).toBe('2026-04');
  });
});

describe('months owed', () => {
  const determined = period({ from: '2026-04', decidedAt: '2026-03-10T02:00:00.000Z' });

  it('owes each month from the first, the months before the roll as back pay', () => {
    expect(owed([determined], '2026-01', '2026-06')).toEqual([
      ['2026-04', 500, true],
      ['2026-05', 500, true],
      ['2026-06', 500, false],
    ]);
  });

  it('owes nothing before the window nor a month already paid (a failed line is not paid: owed again)', () => {
    expect(owed([determined], '2026-05', '2026-07', ['2026-06'])).toEqual([
      ['2026-05', 500, true],
      ['2026-07', 500, false],
    ]);
    expect(owed([determined], '2026-01', '2026-03')).toEqual([]);
  });

  it('pays the decision month of an adjustment at the old amount, the new one from the next', () => {
    const adjusted = period({
      from: '2026-06',
      cause: 'adjustment',
      monthlyAmount: 320,
      decidedAt: '2026-05-20T02:00:00.000Z',
    });
    expect(owed([determined, adjusted], '2026-05', '2026-07')).toEqual([
      ['2026-05', 500, true],
      ['2026-06', 320, true],
      ['2026-07', 320, false],
    ]);
  });

  it('stops from the month after a termination, and a gradual exit is not the roll’s to pay', () => {
    const ended = period({
      from: '2026-06',
      cause: 'termination',
      status: 'ended',
      decidedAt: '2026-05-20T02:00:00.000Z',
    });
    expect(owed([determined, ended], '2026-05', '2026-08')).toEqual([['2026-05', 500, true]]);
    const exiting = period({
      from: '2026-06',
      cause: 'gradualExit',
      status: 'gradualExit',
      decidedAt: '2026-05-20T02:00:00.000Z',
    });
    expect(owed([determined, exiting], '2026-05', '2026-08')).toEqual([['2026-05', 500, true]]);
  });

  it('owes the months a revoked termination withheld once the benefit is restored', () => {
    const ended = period({
      from: '2026-06',
      cause: 'termination',
      status: 'ended',
      decidedAt: '2026-05-20T02:00:00.000Z',
    });
    const restored = period({
      from: '2026-06',
      cause: 'restored',
      decidedAt: '2026-08-03T02:00:00.000Z',
      ref: 'appeal-1',
    });
    expect(owed([determined, ended, restored], '2026-05', '2026-08', ['2026-05'])).toEqual([
      ['2026-06', 500, true],
      ['2026-07', 500, true],
      ['2026-08', 500, false],
    ]);
    // On the same first month the later decision is in force.
    expect(periodIn([restored, ended], '2026-07')?.cause).toBe('restored');
  });

  it('owes nothing for a tier without a monthly amount', () => {
    const marginal = period({
      from: '2026-04',
      tier: 'marginal',
      monthlyAmount: null,
      decidedAt: '2026-03-10T02:00:00.000Z',
    });
    expect(owed([marginal], '2026-01', '2026-06')).toEqual([]);
  });

  it('refuses a malformed window', () => {
    expect(() => monthsOwed([determined], { since: '2026-1', upTo: '2026-06', paid: new Set() })).toThrow(
      RangeError,
    );
  });
});

describe('periods of a case decided before periods were recorded', () => {
  it('reads the determination and the end from the case item', () => {
    const periods = periodsFromCase({
      caseId: 'case-1',
      tier: 'tekun',
      monthlyAmount: 1200,
      determinedAt: '2026-02-03T02:00:00.000Z',
      status: 'terminated',
      endedAt: '2026-06-10T02:00:00.000Z',
    });
    expect(periods.map((p) => [p.cause, p.from, p.status])).toEqual([
      ['determination', '2026-03', 'active'],
      ['termination', '2026-07', 'ended'],
    ]);
    expect(periodsFromCase({ caseId: 'case-2' })).toEqual([]);
  });
});

it('totals a line in fen', () => {
  expect(
    lineTotal([
      { month: '2026-05', tier: 'dibao', amount: 0.1, backPay: true, basis: '' },
      { month: '2026-06', tier: 'dibao', amount: 0.2, backPay: false, basis: '' },
    ]),
  ).toBe(0.3);
});
