/**
 * 听取意见期间暂停发放: a province may hold a household's payment while it is heard before a
 * reduction or an end (社会救助法第四十八条); the months stay owed and the roll after the hearing pays
 * them. Where the province says nothing, the benefit is paid as decided until a decision changes it.
 */
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { addMonthsToMonth, chinaMonth, monthStartsAt } from '../../shared/domain/lifecycle.ts';
import { sampleParameterVersions } from '../../shared/parameters/index.ts';
import { closeHearing, openHearing } from '../../shared/repositories/lifecycle.ts';
import { actors } from '../support/actors.ts';
import { payrollHelpers } from '../support/payroll.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { determinedCase } = payrollHelpers(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const roll = async (rollId: string, status: string): Promise<Body> =>
  eventually(async () => {
    const got = await runtime.api(`/payrolls/${rollId}`);
    return got.status === 200 && got.body.status === status ? got.body : undefined;
  });
const setSuspension = (regionCode: string, effectiveFrom: string) =>
  runtime.api(
    `/admin/parameters/${regionCode}`,
    {
      method: 'PUT',
      body: JSON.stringify({
        residence: 'urban',
        effectiveFrom,
        basis: '测试：听取意见期间暂停发放',
        // A version replaces its level's values: the province's own, with the suspension added.
        values: {
          ...sampleParameterVersions.find((v) => v.regionCode === regionCode && v.residence === 'urban')!
            .values,
          suspendDuringHearing: { value: true, clause: '测试：省级规定听取意见期间暂停发放' },
        },
      }),
    },
    actors.admin,
  );

describe('a hearing under way', () => {
  it('is paid as decided unless the province holds it, and a held month is paid once the hearing ends', async () => {
    const month = chinaMonth(new Date());
    const next = addMonthsToMonth(month, 1);
    const lastMonth = new Date(Date.parse(monthStartsAt(month)) - 5 * 86_400_000).toISOString();
    const heard = await determinedCase(lastMonth);
    const other = await determinedCase(lastMonth);
    const hearing = {
      hearingId: 'hearing-payroll-1',
      caseId: heard.caseId,
      recheckId: 'recheck-payroll-1',
      status: 'open' as const,
      outcome: 'terminate',
      current: { tier: 'dibao', monthlyAmount: heard.monthlyAmount },
      proposed: null,
      reasons: ['家庭人均收入已超过当地低保标准'],
      openedAt: new Date().toISOString(),
      answerBy: `${next}-10`,
      noticeId: 'notice-payroll-1',
    };
    await openHearing(hearing);

    // A county cannot decide it: the province does.
    const county = await setSuspension('430121', `${next}-01`);
    expect(county.status).toBe(400);
    expect(county.body.error.fields).toEqual([
      expect.objectContaining({ field: 'values.suspendDuringHearing' }),
    ]);
    // Nothing said (this month): paid as decided, hearing or not.
    const start = (m: string) =>
      runtime.api('/payrolls', { method: 'POST', body: JSON.stringify({ regionCode: '430121', month: m }) });
    const paid = await start(month);
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
    const asDecided = await roll(paid.body.rollId, 'prepared');
    expect(asDecided.lines.map((l: Body) => l.caseId).sort()).toEqual([heard.caseId, other.caseId].sort());
    expect(asDecided.held).toBeUndefined();
    expect(
      (
        await runtime.api(
          `/payrolls/${paid.body.rollId}/decision`,
          {
            method: 'POST',
            body: JSON.stringify({ decision: 'return', reason: '测试：重新编制' }),
          },
          actors.countyApprover,
        )
      ).status,
    ).toBe(202);
    await roll(paid.body.rollId, 'returned');

    // Held from next month, where the province says so.
    const province = await setSuspension('430000', `${next}-01`);
    expect(province.status, JSON.stringify(province.body)).toBe(201);
    clock.advance(Math.max(0, Date.parse(monthStartsAt(next)) - clock.now()) + 3_600_000);
    const holding = await start(next);
    expect(holding.status, JSON.stringify(holding.body)).toBe(202);
    const held = await roll(holding.body.rollId, 'prepared');
    expect(held.lines.map((l: Body) => l.caseId)).toEqual([other.caseId]);
    expect(held.held).toEqual([
      {
        caseId: heard.caseId,
        // The county's first roll is this one: months before it were paid outside the system.
        months: [next],
        amount: heard.monthlyAmount,
        reason: '听取意见期间暂停发放（省级规定），结论作出后补发',
      },
    ]);
    expect(held.totals.lines).toBe(1);
    const approved = await runtime.api(
      `/payrolls/${holding.body.rollId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve' }) },
      actors.countyApprover,
    );
    expect(approved.status).toBe(202);
    await roll(holding.body.rollId, 'approved');

    // Heard: the month held is owed, and the month after pays it back, once.
    await closeHearing(heard.caseId, hearing.hearingId, 'answered', {
      opinion: 'agree',
      statement: '同意',
      channel: 'online',
      answeredAt: new Date().toISOString(),
      by: null,
    });
    const later = addMonthsToMonth(next, 1);
    clock.advance(Math.max(0, Date.parse(monthStartsAt(later)) - clock.now()) + 3_600_000);
    const after = await start(later);
    expect(after.status, JSON.stringify(after.body)).toBe(202);
    const paidBack = await roll(after.body.rollId, 'prepared');
    expect(paidBack.held).toBeUndefined();
    const months = (caseId: string) =>
      paidBack.lines.find((l: Body) => l.caseId === caseId).months.map((m: Body) => [m.month, m.backPay]);
    expect(months(heard.caseId)).toEqual([
      [next, true],
      [later, false],
    ]);
    expect(months(other.caseId)).toEqual([[later, false]]);
  });
});
