/**
 * The pure determination logic: outcomes and their notices, the offer of another tier, the
 * determination in it, the dates the workflow keeps, and the one table of tier names.
 */
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { REMEDY } from '../../shared/domain/cases.ts';
import { reviewCompliance } from '../../shared/domain/deadlines.ts';
import {
  addMonths,
  decideAlternative,
  decideOutcome,
  endOfChinaDay,
  nextRecheckDue,
  type OutcomeInput,
  publicNoticeEnd,
  secondsUntil,
  tierLabels,
} from '../../shared/domain/determination.ts';
import type { MeansTestSummary } from '../../shared/repositories/cases.ts';
import { tierLabels as ruleTierLabels, tiers } from '../../shared/rules/classify.ts';

const calendar = new WorkingDayCalendar();
const limits = {
  refusalNoticeWorkingDays: 3,
  approvalNoticeWorkingDays: 3,
  alternativeDeterminationWorkingDays: 3,
};

const eligible: MeansTestSummary = {
  tier: 'dibao',
  eligible: true,
  monthlyAmount: 1700,
  perCapitaMonthlyIncome: 100,
  parameterVersion: '430121:urban:2026-01-01',
  reasons: [{ code: 'dibao.income', message: '家庭人均收入低于当地低保标准', clause: '第九条' }],
};

const marginalOnly: MeansTestSummary = {
  tier: 'notEligible',
  eligible: false,
  monthlyAmount: null,
  perCapitaMonthlyIncome: 1100,
  parameterVersion: '430121:urban:2026-01-01',
  reasons: [{ code: 'dibao.incomeAbove', message: '家庭人均收入高于当地低保标准', clause: '第九条' }],
  alternative: { tier: 'marginal', monthlyAmount: null },
};

// Friday 2026-09-25, 10:00 in Beijing: three working days later is Wednesday 2026-09-30
// (National Day holidays start on 1 October).
const decidedAt = '2026-09-25T02:00:00.000Z';

function input(over: Partial<OutcomeInput>): OutcomeInput {
  return {
    noticeId: 'notice-1',
    meansTest: eligible,
    review: { decision: 'approve', reasons: [], decidedAt, decidedBy: '李四' },
    stage: 'county',
    decidedAt,
    calendar,
    parameters: { timeLimits: limits },
    ...over,
  };
}

describe('decideOutcome', () => {
  it('approves an eligible household the county approves, paid from the next month', () => {
    const { determination, notice, alternativeOffered } = decideOutcome(input({}));
    expect(determination).toEqual({ outcome: 'approved', tier: 'dibao', monthlyAmount: 1700, decidedAt });
    expect(notice.kind).toBe('approval');
    expect(notice.title).toBe('社会救助确认通知书');
    expect(notice.body).toBe(
      '经审核确认，您的家庭符合最低生活保障条件，每月救助金1,700.00元，自 2026-10-01 起发放。',
    );
    expect(notice.reasons).toEqual(['家庭人均收入低于当地低保标准']);
    expect(notice.serveBy).toBe('2026-09-30');
    expect(alternativeOffered).toBe(false);
  });

  it('pays from January after a December determination', () => {
    const december = '2026-12-15T02:00:00.000Z';
    const { notice } = decideOutcome(
      input({ decidedAt: december, review: { ...input({}).review!, decidedAt: december } }),
    );
    expect(notice.body).toContain('自 2027-01-01 起发放');
  });

  it('refuses with the reviewer’s reasons and the findings that contradict the declaration, notice due in 3 working days', () => {
    const { determination, notice, alternativeOffered } = decideOutcome(
      input({
        stage: 'township',
        review: {
          decision: 'reject',
          reasons: ['家庭成员隐瞒经营收入'],
          decidedAt,
          decidedBy: '李四',
          findings: {
            homeVisit: { visitedOn: '2026-09-24', visitors: ['王五', '赵六'], matchesDeclaration: false },
            verifications: [
              { source: '人社', result: 'consistent' },
              { source: '市场监管', result: 'inconsistent', notes: '名下有个体工商户' },
            ],
          },
        },
      }),
    );
    expect(determination).toEqual({ outcome: 'refused', tier: null, monthlyAmount: null, decidedAt });
    expect(notice.kind).toBe('refusal');
    expect(notice.reasons).toEqual([
      '乡镇（街道）审核意见：家庭成员隐瞒经营收入',
      '入户调查（2026-09-24）：家庭实际情况与申报不符',
      '信息核对（市场监管）：与申报不一致，名下有个体工商户',
    ]);
    expect(notice.body).toContain('行政复议');
    expect(notice.remedy).toBe(REMEDY);
    expect(notice.body.endsWith(REMEDY)).toBe(true);
    expect(notice.serveBy).toBe('2026-09-30');
    expect(calendar.workingDaysBetween('2026-09-25', notice.serveBy)).toBe(3);
    expect(alternativeOffered).toBe(false);
  });

  it('names the county when the county refuses', () => {
    const { notice } = decideOutcome(
      input({ review: { decision: 'reject', reasons: ['复核发现存款超标'], decidedAt, decidedBy: '钱七' } }),
    );
    expect(notice.reasons).toEqual(['县级民政部门确认意见：复核发现存款超标']);
  });

  it('gives the township’s proposed refusal and the county’s decision on it, in that order (社会救助法第四十四条)', () => {
    const { determination, notice, alternativeOffered } = decideOutcome(
      input({
        proposal: { decision: 'reject', reasons: ['名下有出租房屋'], decidedAt, decidedBy: '李四' },
        review: { decision: 'reject', reasons: ['同意乡镇意见'], decidedAt, decidedBy: '钱七' },
      }),
    );
    expect(determination.outcome).toBe('refused');
    expect(notice.reasons).toEqual([
      '乡镇（街道）审核意见：名下有出租房屋',
      '县级民政部门确认意见：同意乡镇意见',
    ]);
    expect(alternativeOffered).toBe(false);
  });

  it('offers the other tier when the county accepts the declaration the township doubted but the means test fails', () => {
    const { notice, alternativeOffered } = decideOutcome(
      input({
        meansTest: marginalOnly,
        proposal: { decision: 'reject', reasons: ['收入存疑'], decidedAt, decidedBy: '李四' },
        review: { decision: 'approve', reasons: [], decidedAt, decidedBy: '钱七' },
      }),
    );
    expect(notice.reasons).toEqual(['乡镇（街道）审核意见：收入存疑', '家庭人均收入高于当地低保标准']);
    expect(alternativeOffered).toBe(true);
  });

  it('determines the noticed result where the township decides and found the objections groundless', () => {
    const { determination, notice } = decideOutcome(
      input({
        stage: 'township',
        review: { decision: 'dismiss', reasons: ['异议人所称收入系误传'], decidedAt, decidedBy: '李四' },
      }),
    );
    expect(determination).toEqual({ outcome: 'approved', tier: 'dibao', monthlyAmount: 1700, decidedAt });
    expect(notice.kind).toBe('approval');
  });

  it('refuses a household that fails the means test with its reasons, and offers the tier it qualifies for', () => {
    const { determination, notice, alternativeOffered } = decideOutcome(
      input({ meansTest: marginalOnly, stage: 'township' }),
    );
    expect(determination.outcome).toBe('refused');
    expect(notice.reasons).toEqual(['家庭人均收入高于当地低保标准']);
    expect(notice.body).toContain('符合低保边缘家庭条件');
    expect(notice.body).toContain('3个工作日内完成认定');
    expect(alternativeOffered).toBe(true);
  });

  it('does not offer another tier when the reviewer rejected the declaration itself', () => {
    const { notice, alternativeOffered } = decideOutcome(
      input({
        meansTest: marginalOnly,
        stage: 'township',
        review: { decision: 'reject', reasons: ['申报不实'], decidedAt, decidedBy: '李四' },
      }),
    );
    expect(alternativeOffered).toBe(false);
    expect(notice.body).not.toContain('低保边缘家庭');
  });

  it('records a withdrawal when the review failed or never happened', () => {
    const failed = decideOutcome(
      input({ review: undefined, failure: { Error: 'States.TaskFailed', Cause: 'x' } }),
    );
    expect(failed.determination.outcome).toBe('withdrawn');
    expect(failed.notice.kind).toBe('withdrawal');
    expect(failed.notice.reasons).toEqual(['流程终止：States.TaskFailed']);
    const none = decideOutcome(input({ review: undefined }));
    expect(none.notice.reasons).toEqual(['审核未完成']);
  });

  it('marks serveBy provisional in a year whose holiday arrangement is not loaded', () => {
    const late = '2099-03-06T02:00:00.000Z'; // a Friday
    const { notice } = decideOutcome(
      input({
        decidedAt: late,
        review: { decision: 'reject', reasons: ['x'], decidedAt: late, decidedBy: 'y' },
      }),
    );
    expect(notice.serveBy).toBe('2099-03-11');
    expect(notice.serveByProvisional).toBe(true);
    expect(decideOutcome(input({})).notice.serveByProvisional).toBeUndefined();
  });
});

describe('decideAlternative', () => {
  it('determines the consented tier with an approval notice that says why', () => {
    const { determination, notice } = decideAlternative({
      noticeId: 'notice-2',
      alternative: { tier: 'marginal', monthlyAmount: null },
      requestedTier: 'dibao',
      decidedAt,
      calendar,
      parameters: { timeLimits: limits },
    });
    expect(determination).toEqual({ outcome: 'approved', tier: 'marginal', monthlyAmount: null, decidedAt });
    expect(notice.kind).toBe('approval');
    expect(notice.body).toBe('您申请的最低生活保障不予确认；经您同意，按低保边缘家庭认定。');
    expect(notice.serveBy).toBe('2026-09-30');
  });
});

describe('dates the workflow keeps', () => {
  it('ends a China day at 16:00 UTC and counts whole seconds to it, at least one', () => {
    expect(endOfChinaDay('2026-12-02')).toBe('2026-12-02T16:00:00Z');
    expect(secondsUntil('2026-12-02T16:00:00Z', new Date('2026-12-02T15:59:58.500Z'))).toBe(2);
    expect(secondsUntil('2026-12-02T16:00:00Z', new Date('2026-12-03T00:00:00Z'))).toBe(1);
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-25', 6)).toBe('2027-05-25');
    expect(addMonths('2026-12-10', 12)).toBe('2027-12-10');
  });

  it('puts the first recheck the tier’s interval after the determination day (Beijing time)', () => {
    // 2026-12-31 20:00 UTC is already 1 January in Beijing.
    expect(nextRecheckDue('2026-12-31T20:00:00Z', 12)).toBe('2028-01-01');
    expect(nextRecheckDue(decidedAt, 6)).toBe('2027-03-25');
    expect(nextRecheckDue(decidedAt, null)).toBeUndefined();
  });

  it('ends a 7-day public notice on a working day, and provisionally past the known years', () => {
    // From Friday 2026-09-25: 2 October falls in the National Day holidays, so the notice runs on
    // to the first working day after them.
    const autumn = publicNoticeEnd(calendar, '2026-09-25', 7);
    expect(autumn).toEqual({
      deadline: calendar.calendarDayDeadline('2026-09-25', 7),
      provisional: false,
      assumedYears: [],
    });
    expect(calendar.isWorkingDay(autumn.deadline)).toBe(true);
    expect(autumn.deadline > '2026-10-02').toBe(true);
    // 2099-03-06 + 7 = Friday 2099-03-13: a weekday, kept, but only provisionally.
    expect(publicNoticeEnd(calendar, '2099-03-06', 7)).toEqual({
      deadline: '2099-03-13',
      provisional: true,
      assumedYears: [2099],
    });
    // Saturday 2099-03-14 + 7 = Saturday 2099-03-21 → Monday 2099-03-23.
    expect(publicNoticeEnd(calendar, '2099-03-14', 7).deadline).toBe('2099-03-23');
  });
});

describe('tier names', () => {
  it('are the rules’ table, with 临时救助 added', () => {
    for (const tier of tiers) expect(tierLabels[tier]).toBe(ruleTierLabels[tier]);
    expect(tierLabels.emergency).toBe('临时救助');
    expect(Object.keys(tierLabels).sort()).toEqual([...tiers, 'emergency'].sort());
  });
});

describe('审核确认时限 (57号 第二十二条)', () => {
  const deadline = {
    acceptedOn: '2026-12-01',
    workingDays: 30,
    dueDate: '2027-01-13',
  };

  it('is kept when decided by the date in force, overdue while open past it', () => {
    expect(reviewCompliance(deadline, '2027-01-13T15:59:00Z', '2027-01-20')).toMatchObject({
      dueDate: '2027-01-13',
      met: true,
      overdue: false,
    });
    // 2027-01-13T16:00Z is the 14th in China: late.
    expect(reviewCompliance(deadline, '2027-01-13T16:00:00Z', '2027-01-20').met).toBe(false);
    expect(reviewCompliance(deadline, null, '2027-01-13')).toMatchObject({ met: null, overdue: false });
    expect(reviewCompliance(deadline, null, '2027-01-14')).toMatchObject({ met: null, overdue: true });
  });

  it('measures an extended review by its new date, keeping the first in view', () => {
    const extended = {
      ...deadline,
      extension: {
        reason: 'householdSeparated' as const,
        note: '常住外省',
        workingDays: 45,
        dueDate: '2027-02-10',
        extendedAt: '2026-12-20T00:00:00Z',
        by: { subject: 's', name: '王五', role: 'townshipCaseworker' },
      },
    };
    expect(reviewCompliance(extended, null, '2027-01-20')).toEqual({
      acceptedOn: '2026-12-01',
      workingDays: 45,
      dueDate: '2027-02-10',
      originalDueDate: '2027-01-13',
      extended: true,
      extensionReason: '人户分离',
      met: null,
      overdue: false,
      investigation: null,
    });
  });
});
