/**
 * `npm run demo` in-process and quiet: the three households reach their end states — the approved
 * household paid monthly through the county's roll and the bank, rechecked into a gradual exit with
 * one payment record per month and closed under monitoring, the refused household told its reasons within 3 working days, the emergency granted at
 * once and converted into a regular application that is determined (how long it takes is the demo's own printout, not an assertion).
 */
import { describe, expect, it } from 'vitest';
import { type DemoSummary, runDemo } from '../../local/demo/index.ts';
import { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { addMonthsToMonth } from '../../shared/domain/lifecycle.ts';

describe('npm run demo', () => {
  it('takes three households to their expected end states', async () => {
    const lines: string[] = [];
    const summary: DemoSummary = await runDemo({ quiet: true, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);

    expect(summary.failures).toEqual([]);
    for (const h of summary.households)
      expect(
        h.checks.filter((c) => !c.ok),
        h.label,
      ).toEqual([]);
    expect(summary.households.map((h) => [h.label, h.ok])).toEqual([
      ['户1', true],
      ['户2', true],
      ['户3', true],
    ]);
    expect(summary.ok).toBe(true);

    // 户1: approved, rechecked, six months of gradual exit paid once each, closed under monitoring.
    const a = summary.approved;
    expect(a).toMatchObject({ tier: 'dibao', caseStatus: 'exited', monitoring: true });
    expect(a.monthlyAmount).toBeGreaterThan(0);
    expect(a.recheck.outcome).toBe('gradualExit');
    expect(a.recheck.reasons[0]).toContain('家庭成员就业后');
    const months = a.gradualExit.months!;
    expect(months).toBe(6);
    const first = addMonthsToMonth(a.recheck.confirmedOn!.slice(0, 7), 1);
    expect(a.gradualExit.payments.map((p) => [p.month, p.kind, p.amount, p.tier])).toEqual(
      Array.from({ length: months }, (_, i) => [
        addMonthsToMonth(first, i),
        'gradualExit',
        a.monthlyAmount,
        'dibao',
      ]),
    );
    expect(a.gradualExit.payments.at(-1)!.basis).toContain(`渐退期第${months}个月（共${months}个月）`);
    expect(a.gradualExit.total).toBe(a.monthlyAmount! * months);
    expect(a.workflows).toEqual(['Application', 'Recheck', ...Array(months).fill('GradualExit')]);
    // Paid every month through the county's roll and the bank before the recheck (the first two shown).
    expect(a.paidMonths).toHaveLength(2);
    expect(a.notices).toEqual(expect.arrayContaining(['approval', 'gradualExit', 'exit']));
    // The recheck came months after the determination, the exit after the last month.
    expect(a.determinedOn! < a.nextRecheckDue!).toBe(true);
    expect(a.recheck.confirmedOn).toBe(a.nextRecheckDue);

    // 户2: the township proposes, the county refuses (第四十四条); the township's reasons and findings
    // and the county's in the written notice, due in 3 working days.
    const r = summary.refused;
    expect(r.status).toBe('refused');
    expect(r.noticeTitle).toBeTruthy();
    expect(r.reasons).toEqual([
      '乡镇（街道）审核意见：家庭成员隐瞒经营收入，实际人均收入高于当地低保标准',
      `入户调查（${r.decidedOn}）：家庭实际情况与申报不符，家中经营小卖部，月营业收入约6000元`,
      '信息核对（市场监管）：与申报不一致，申请人名下有个体工商户',
      '县级民政部门确认意见：经复核市场监管登记信息，同意乡镇（街道）意见',
    ]);
    const calendar = new WorkingDayCalendar();
    const due = calendar.provisionalDeadline(r.decidedOn!, 3);
    expect(r.serveBy).toBe(due.deadline);
    if (!due.provisional) expect(calendar.workingDaysBetween(r.decidedOn!, r.serveBy!)).toBe(3);
    expect(r.workflows).toEqual(['Application']);

    // 户3: a small amount at once, the paperwork, then a regular 低保 application on the same case.
    const e = summary.emergency;
    expect(e).toMatchObject({
      status: 'converted',
      requestedAmount: 5000,
      grantedAmount: 1000,
      grantLimit: 1000,
    });
    expect(e.paperworkDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.payments.map((p) => [p.kind, p.amount, p.tier])).toEqual([
      ['emergencyGrant', 1000, 'emergency'],
    ]);
    expect(e.notices).toEqual(expect.arrayContaining(['emergencyGrant', 'emergencyConverted']));
    expect(e.convertedTo).toMatchObject({ tier: 'dibao', status: 'approved' });
    expect(e.convertedTo!.monthlyAmount).toBeGreaterThan(0);
    expect(e.workflows.slice(0, 2)).toEqual(['Emergency', 'Application']);
  });
});
