/**
 * 确认 and its written notice. Pure: the step that calls it records the result.
 *
 * 民发〔2021〕57号《最低生活保障审核确认办法》第二十条: a refusal is notified in writing with
 * reasons within 3 working days of the decision; 第二十二条: 低保金 is paid from the month after
 * the determination.
 */

import type { WorkingDayCalendar } from '../calendar/index.ts';
import type { ApplicationRecord, MeansTestSummary, Notice } from '../repositories/cases.ts';
import { chinaDate } from './dates.ts';

export const tierLabels: Record<string, string> = {
  dibao: '最低生活保障',
  tekun: '特困人员救助供养',
  marginal: '低保边缘家庭',
  rigidExpense: '刚性支出困难家庭',
  singlePersonDibao: '最低生活保障（单人保）',
  relapseWatch: '防止返贫监测对象',
  otherHardship: '其他困难人员',
  emergency: '临时救助',
  notEligible: '不符合救助条件',
};

export interface OutcomeInput {
  noticeId: string;
  meansTest: MeansTestSummary;
  review?:
    | { decision: 'approve' | 'reject'; reasons: string[]; decidedAt: string; decidedBy: string }
    | undefined;
  failure?: { Error: string; Cause: string } | undefined;
  decidedAt: string;
  calendar: Pick<WorkingDayCalendar, 'provisionalDeadline'>;
  parameters: { timeLimits: { refusalNoticeWorkingDays: number; approvalNoticeWorkingDays: number } };
}

function serveBy(
  input: OutcomeInput,
  day: string,
  workingDays: number,
): Pick<Notice, 'serveBy' | 'serveByProvisional'> {
  const due = input.calendar.provisionalDeadline(day, workingDays);
  return due.provisional ? { serveBy: due.deadline, serveByProvisional: true } : { serveBy: due.deadline };
}

function firstOfNextMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export function decideOutcome(input: OutcomeInput): {
  determination: NonNullable<ApplicationRecord['determination']>;
  notice: Notice;
} {
  const { meansTest, review, failure, decidedAt } = input;
  const day = chinaDate(new Date(decidedAt));
  const limits = input.parameters.timeLimits;

  if (failure || !review) {
    return {
      determination: { outcome: 'withdrawn', tier: null, monthlyAmount: null, decidedAt },
      notice: {
        noticeId: input.noticeId,
        kind: 'withdrawal',
        title: '社会救助申请终止告知书',
        body: '您的社会救助申请审核流程已终止，如有疑问请联系所在乡镇（街道）社会救助经办机构。',
        reasons: [failure ? `流程终止：${failure.Error}` : '审核未完成'],
        decidedAt,
        ...serveBy(input, day, limits.refusalNoticeWorkingDays),
      },
    };
  }

  if (review.decision === 'approve' && meansTest.eligible) {
    const label = tierLabels[meansTest.tier] ?? meansTest.tier;
    const amount =
      meansTest.monthlyAmount === null
        ? ''
        : `，每月救助金 ${meansTest.monthlyAmount.toFixed(2)} 元，自 ${firstOfNextMonth(day)} 起发放`;
    return {
      determination: {
        outcome: 'approved',
        tier: meansTest.tier,
        monthlyAmount: meansTest.monthlyAmount,
        decidedAt,
      },
      notice: {
        noticeId: input.noticeId,
        kind: 'approval',
        title: '社会救助确认通知书',
        body: `经审核确认，您的家庭符合${label}条件${amount}。`,
        reasons: meansTest.reasons.map((r) => r.message),
        decidedAt,
        ...serveBy(input, day, limits.approvalNoticeWorkingDays),
      },
    };
  }

  const reasons = [
    ...(review.decision === 'reject' ? review.reasons.map((r) => `审核意见：${r}`) : []),
    ...(meansTest.eligible ? [] : meansTest.reasons.map((r) => r.message)),
  ];
  const alternative = meansTest.alternative
    ? `经核查，您的家庭可能符合${tierLabels[meansTest.alternative.tier] ?? meansTest.alternative.tier}条件，经您同意可予认定。`
    : '';
  return {
    determination: { outcome: 'refused', tier: null, monthlyAmount: null, decidedAt },
    notice: {
      noticeId: input.noticeId,
      kind: 'refusal',
      title: '不予确认社会救助告知书',
      body: `经审核，您的申请不符合条件，不予确认。理由见下。${alternative}如对决定不服，可依法申请行政复议或提起行政诉讼。`,
      reasons,
      decidedAt,
      ...serveBy(input, day, limits.refusalNoticeWorkingDays),
    },
  };
}
