/** The pure decisions of a case's life after its determination: recheck, gradual exit, monitoring, emergency. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REMEDY } from '../../shared/domain/cases.ts';
import {
  addMonths,
  addMonthsToMonth,
  chinaMonth,
  decideMonitoring,
  decideRecheck,
  emergencyMaxGrant,
  emergencyNotice,
  emergencyPeriodStart,
  employmentIncome,
  endOfChinaDay,
  exitNotice,
  type FreshAssessment,
  gradualExitMonth,
  gradualExitPlan,
  hearingNotice,
  hearingReason,
  isAdverse,
  monthStartsAt,
  noticeLimit,
  recheckMonthsFor,
  recheckNotice,
  startOfChinaDay,
} from '../../shared/domain/lifecycle.ts';
import { sameAmount } from '../../shared/domain/money.ts';

const dibao = { tier: 'dibao', monthlyAmount: 1000 };
const fresh = (over: Partial<FreshAssessment> = {}): FreshAssessment => ({
  tier: 'dibao',
  eligible: true,
  monthlyAmount: 1000,
  reasons: ['家庭人均月收入100元'],
  ...over,
});
const recheck = (over: Partial<Parameters<typeof decideRecheck>[0]> = {}) =>
  decideRecheck({
    current: dibao,
    fresh: fresh(),
    gradualExitMonths: 6,
    employmentIncomeBefore: 0,
    employmentIncomeNow: 0,
    ...over,
  });
const months = {
  tekun: 12,
  dibaoStable: 12,
  dibaoUnstable: 6,
  singlePersonDibao: 12,
  marginal: 12,
  rigidExpense: 12,
};

describe('China dates and months', () => {
  it('counts months across years and clamps to the month end', () => {
    expect(addMonthsToMonth('2026-11', 3)).toBe('2027-02');
    expect(addMonthsToMonth('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
  });

  it('puts day and month boundaries at midnight China time', () => {
    expect(startOfChinaDay('2027-03-01')).toBe('2027-02-28T16:00:00.000Z');
    expect(endOfChinaDay('2027-03-01')).toBe('2027-03-01T16:00:00.000Z');
    expect(monthStartsAt('2027-01')).toBe('2026-12-31T16:00:00.000Z');
    // 23:30 UTC on the last of the month is already the next month in China.
    expect(chinaMonth(new Date('2027-01-31T23:30:00Z'))).toBe('2027-02');
  });

  it('adding n months one at a time equals adding n at once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(60),
        (y, m, n) => {
          const start = `${y}-${String(m).padStart(2, '0')}`;
          let stepwise = start;
          for (let i = 0; i < n; i++) stepwise = addMonthsToMonth(stepwise, 1);
          expect(addMonthsToMonth(start, n)).toBe(stepwise);
        },
      ),
    );
  });
});

describe('decideRecheck', () => {
  it('continues without a confirmation when tier and amount are unchanged', () => {
    const d = recheck();
    expect(d).toMatchObject({ outcome: 'continue', changed: false, proposed: dibao });
  });

  it('treats amounts equal to the fen as unchanged', () => {
    expect(sameAmount(1000, 1000.001)).toBe(true);
    expect(recheck({ fresh: fresh({ monthlyAmount: 1000.004 }) }).outcome).toBe('continue');
  });

  it('proposes an adjustment for a new amount or tier, to be confirmed', () => {
    const amount = recheck({ fresh: fresh({ monthlyAmount: 800 }) });
    expect(amount).toMatchObject({
      outcome: 'adjust',
      changed: true,
      proposed: { tier: 'dibao', monthlyAmount: 800 },
    });
    expect(amount.reasons[0]).toBe(
      '经定期核查，家庭情况发生变化：救助金额由每月1,000.00元调整为每月800.00元',
    );
    const tier = recheck({ fresh: fresh({ tier: 'tekun', monthlyAmount: 1400 }) });
    expect(tier).toMatchObject({ outcome: 'adjust', proposed: { tier: 'tekun', monthlyAmount: 1400 } });
    expect(tier.reasons[0]).toContain('救助类别由最低生活保障调整为特困人员');
  });

  it('starts a gradual exit for a 低保 household that earned its way out, where the region grants one', () => {
    const d = recheck({
      fresh: fresh({ tier: 'notEligible', eligible: false, monthlyAmount: null }),
      employmentIncomeBefore: 0,
      employmentIncomeNow: 2600,
    });
    expect(d).toMatchObject({ outcome: 'gradualExit', changed: true, proposed: dibao, gradualExitMonths: 6 });
    expect(d.reasons[0]).toBe(
      '家庭成员就业后月工资性、经营性收入由0.00元增至2,600.00元，家庭不再符合最低生活保障条件',
    );
    // Still above 低保 but within 低保边缘: leaving 低保 through work is a gradual exit too.
    const marginal = recheck({
      fresh: fresh({ tier: 'marginal', monthlyAmount: null }),
      employmentIncomeNow: 1200,
    });
    expect(marginal.outcome).toBe('gradualExit');
  });

  it('terminates when the household no longer qualifies otherwise', () => {
    const notEligible = fresh({ tier: 'notEligible', eligible: false, monthlyAmount: null });
    // No rise in earnings (e.g. a pension): no gradual exit.
    expect(recheck({ fresh: notEligible })).toMatchObject({
      outcome: 'terminate',
      changed: true,
      proposed: null,
    });
    // The region grants no gradual exit.
    expect(recheck({ fresh: notEligible, employmentIncomeNow: 3000, gradualExitMonths: 0 }).outcome).toBe(
      'terminate',
    );
    // 特困 households have no gradual exit.
    const tekun = recheck({
      current: { tier: 'tekun', monthlyAmount: 1400 },
      fresh: notEligible,
      employmentIncomeNow: 3000,
    });
    expect(tekun.outcome).toBe('terminate');
    expect(tekun.reasons[0]).toBe('经定期核查，家庭不再符合特困人员条件');
  });

  it('never leaves a changed benefit unconfirmed', () => {
    const tiers = ['dibao', 'singlePersonDibao', 'tekun', 'marginal', 'rigidExpense', 'notEligible'];
    fc.assert(
      fc.property(
        fc.constantFrom(...tiers.slice(0, 5)),
        fc.constantFrom(...tiers),
        fc.option(fc.integer({ min: 0, max: 300_000 }).map((f) => f / 100)),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 500_000 }).map((f) => f / 100),
        (currentTier, freshTier, amount, exitMonths, earnings) => {
          const current = { tier: currentTier, monthlyAmount: currentTier === 'dibao' ? 1000 : null };
          const d = decideRecheck({
            current,
            fresh: fresh({ tier: freshTier, eligible: freshTier !== 'notEligible', monthlyAmount: amount }),
            gradualExitMonths: exitMonths,
            employmentIncomeBefore: 100,
            employmentIncomeNow: earnings,
          });
          const unchanged = freshTier === currentTier && sameAmount(amount, current.monthlyAmount);
          expect(d.changed).toBe(!unchanged || d.outcome !== 'continue');
          if (d.outcome === 'continue') expect(unchanged).toBe(true);
          if (d.outcome === 'gradualExit') expect(['dibao', 'singlePersonDibao']).toContain(currentTier);
        },
      ),
    );
  });
});

describe('recheck intervals', () => {
  it('uses the means test’s interval for the tier it decided, the parameters otherwise', () => {
    expect(recheckMonthsFor('dibao', months, { tier: 'dibao', recheckIntervalMonths: 12 })).toBe(12);
    expect(recheckMonthsFor('dibao', months)).toBe(6);
    expect(recheckMonthsFor('marginal', months, { tier: 'dibao', recheckIntervalMonths: 6 })).toBe(12);
    expect(recheckMonthsFor('notEligible', months)).toBeNull();
  });
});

describe('monitoring', () => {
  it('alerts a household that would qualify again, and ends otherwise', () => {
    expect(decideMonitoring(fresh({ tier: 'marginal', monthlyAmount: null })).outcome).toBe(
      'monitoringAlert',
    );
    expect(decideMonitoring(fresh({ tier: 'notEligible', eligible: false })).outcome).toBe('monitoringEnded');
  });
});

describe('gradual exit', () => {
  const plan = gradualExitPlan('2026-11-20T02:00:00Z', 6, dibao);

  it('starts the month after the decision and pays the full amount each month (no taper parameter)', () => {
    expect(plan).toEqual({
      tier: 'dibao',
      months: 6,
      firstMonth: '2026-12',
      monthlyAmount: 1000,
      taper: 'none',
    });
    const all = Array.from({ length: 6 }, (_, i) => gradualExitMonth(plan, i + 1));
    expect(all.map((m) => m.month)).toEqual([
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
    ]);
    expect(all.map((m) => m.amount)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
    expect(all.map((m) => m.last)).toEqual([false, false, false, false, false, true]);
    expect(all[5]).toMatchObject({
      startsAt: '2027-04-30T16:00:00.000Z',
      endsAt: '2027-05-31T16:00:00.000Z',
    });
    // Each month ends when the next begins: no gap, no overlap.
    for (let i = 0; i < 5; i++) expect(all[i]!.endsAt).toBe(all[i + 1]!.startsAt);
  });

  it('refuses a month outside the plan', () => {
    expect(() => gradualExitMonth(plan, 0)).toThrow(RangeError);
    expect(() => gradualExitMonth(plan, 7)).toThrow(RangeError);
  });

  it('closes with a notice naming the period and the monitoring', () => {
    const notice = exitNotice({
      noticeId: 'notice-1',
      decidedAt: '2027-06-01T00:00:00Z',
      serveBy: { deadline: '2027-06-08', provisional: true },
      plan,
      monitoringUntil: '2028-06-01',
    });
    expect(notice).toMatchObject({ kind: 'exit', serveBy: '2027-06-08', serveByProvisional: true });
    expect(notice.body).toContain('6个月渐退期（2026-12至2027-05）已满');
    expect(notice.body).toContain('动态监测');
  });
});

describe('employment income', () => {
  it('adds wage and business income only, to the fen', () => {
    const members = [
      {
        incomes: [
          { kind: 'wage', monthlyAmount: 0.1 },
          { kind: 'pension', monthlyAmount: 900 },
        ],
      },
      { incomes: [{ kind: 'business', monthlyAmount: 0.2 }] },
    ];
    expect(employmentIncome({ members } as never)).toBe(0.3);
  });
});

describe('emergency', () => {
  it('allows at most what was asked, the local limit and what is left of the household limit', () => {
    const max = (requestedAmount: number, grantedInPeriod = 0) =>
      emergencyMaxGrant({ requestedAmount, smallAmountLimit: 1000, householdLimit: 5000, grantedInPeriod });
    expect(max(600)).toEqual({ maxAmount: 600, remaining: 5000 });
    expect(max(5000)).toEqual({ maxAmount: 1000, remaining: 5000 });
    expect(max(999.99)).toEqual({ maxAmount: 999.99, remaining: 5000 });
    expect(max(3000, 4500.5)).toEqual({ maxAmount: 499.5, remaining: 499.5 });
    expect(max(3000, 5000)).toEqual({ maxAmount: 0, remaining: 0 });
    // Over the limit already (a limit lowered since): nothing, not a negative amount.
    expect(max(3000, 7000)).toEqual({ maxAmount: 0, remaining: 0 });
  });

  it("counts the household's period back from the China date", () => {
    // 2026-12-01 02:00 China time is still 2026-11-30 in UTC.
    expect(emergencyPeriodStart(new Date('2026-11-30T18:00:00Z'), 12)).toBe('2025-11-30T16:00:00.000Z');
    expect(emergencyPeriodStart(new Date('2026-03-31T04:00:00Z'), 1)).toBe('2026-02-27T16:00:00.000Z');
  });

  it('tells the household the paperwork due date and what happens to the rest', () => {
    const notice = emergencyNotice({
      noticeId: 'n',
      outcome: 'granted',
      decidedAt: '2026-11-25T00:00:00Z',
      serveBy: { deadline: '2026-11-30', provisional: false },
      amount: 1000,
      requestedAmount: 3000,
      paperworkDue: '2026-12-09',
    });
    expect(notice.kind).toBe('emergencyGrant');
    expect(notice.body).toContain('先行给予临时救助1,000.00元');
    expect(notice.body).toContain('2026-12-09前');
    expect(notice.body).toContain('（2,000.00元）');
    expect(notice).not.toHaveProperty('serveByProvisional');
  });

  it('names the application a conversion started', () => {
    const notice = emergencyNotice({
      noticeId: 'n',
      outcome: 'converted',
      decidedAt: '2026-11-25T00:00:00Z',
      serveBy: { deadline: '2026-11-30', provisional: false },
      amount: 500,
      requestedAmount: 500,
      convertedTo: { tier: 'dibao', applicationId: 'app-1' },
    });
    expect(notice.body).toContain('已按您的申报转为最低生活保障申请（申请编号 app-1）');
  });
});

describe('recheck notices', () => {
  const base = {
    noticeId: 'n',
    decidedAt: '2026-11-25T00:00:00Z',
    serveBy: { deadline: '2026-11-30', provisional: false },
    current: dibao,
    reasons: ['理由'],
  };

  it('says why a confirmed change did not happen', () => {
    const notice = recheckNotice({
      ...base,
      outcome: 'continue',
      proposed: dibao,
      notConfirmed: { reasons: ['入户核实收入未变'] },
      nextRecheckDue: '2027-05-25',
    });
    expect(notice.kind).toBe('recheckContinue');
    expect(notice.reasons).toEqual(['经办人核实后未确认核查发现的变化，维持原救助', '入户核实收入未变']);
    expect(notice.body).toContain('下次核查时间为2027-05-25前后');
  });

  it('serves terminations within the refusal limit, the rest within the approval limit', () => {
    expect(noticeLimit('termination')).toBe('refusalNoticeWorkingDays');
    expect(noticeLimit('emergencyRejected')).toBe('refusalNoticeWorkingDays');
    expect(noticeLimit('recheckAdjust')).toBe('approvalNoticeWorkingDays');
    const notice = recheckNotice({ ...base, outcome: 'terminate', proposed: null });
    expect(notice).toMatchObject({ kind: 'termination', title: '定期核查结果告知书：停止救助' });
    expect(notice.body).toContain('行政复议');
    expect(notice.remedy).toBe(REMEDY);
    expect(notice.remedy).toMatch(/60日内.*行政复议.*6个月内.*行政诉讼.*第七十六条/);
  });
});

describe('听取意见 before a reduction or an end (社会救助法第四十八条)', () => {
  it('hears the household before ending, exiting or paying less — not before a raise', () => {
    expect(isAdverse('terminate', dibao, null)).toBe(true);
    expect(isAdverse('gradualExit', dibao, dibao)).toBe(true);
    expect(isAdverse('adjust', dibao, { tier: 'dibao', monthlyAmount: 999.99 })).toBe(true);
    expect(isAdverse('adjust', dibao, { tier: 'marginal', monthlyAmount: null })).toBe(true);
    expect(isAdverse('adjust', dibao, { tier: 'dibao', monthlyAmount: 1000 })).toBe(false);
    expect(isAdverse('adjust', dibao, { tier: 'tekun', monthlyAmount: 1300 })).toBe(false);
    expect(isAdverse('continue', dibao, dibao)).toBe(false);
  });

  it('tells what is proposed, why, by when to answer and how; the decision says how it went', () => {
    const notice = hearingNotice({
      noticeId: 'n1',
      decidedAt: '2026-11-25T00:00:00Z',
      serveBy: { deadline: '2026-11-30', provisional: false },
      outcome: 'adjust',
      current: dibao,
      proposed: { tier: 'dibao', monthlyAmount: 600 },
      reasons: ['家庭月收入增加400.00元'],
      answerBy: '2026-12-02',
    });
    expect(notice).toMatchObject({ kind: 'hearing', reasons: ['家庭月收入增加400.00元'] });
    expect(notice.body).toContain('拟将最低生活保障，每月1,000.00元调减为最低生活保障，每月600.00元');
    expect(notice.body).toContain('请于2026-12-02前');
    expect(notice.body).toContain('第四十八条');
    expect(notice).not.toHaveProperty('remedy');
    const answered = { statement: '', channel: 'online' as const, answeredAt: '2026-11-26T02:00:00Z' };
    expect(hearingReason({ ...answered, opinion: 'agree' }, '2026-12-02')).toBe(
      '已告知拟作决定的理由并听取意见：本人表示无异议',
    );
    expect(hearingReason({ ...answered, opinion: 'none', channel: null }, '2026-12-02')).toBe(
      '已告知拟作决定的理由，本人在2026-12-02前未陈述意见',
    );
  });
});
