/**
 * 听取意见 in the recheck workflow (社会救助法第四十八条): after a caseworker confirms a reduction or
 * an end of assistance, and before it is decided, the household is told the reasons and given a
 * working-day period to answer. One step function, three phases, as the workflow calls them:
 *
 *   open  — records the hearing and its written notice once; returns the wait's timeout
 *   await — the workflow's wait: keeps its token with the hearing (an answer already in is delivered)
 *   lapse — the time to answer ended: recorded as no answer (or the answer that just came in)
 */
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  endOfChinaDay,
  type HearingAnswer,
  hearingNotice,
  noticeLimit,
  secondsUntil,
} from '../../shared/domain/lifecycle.ts';
import { deliver } from '../../shared/hearing.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import type { Assessment } from './recheck.ts';

export interface HearingPlan {
  hearingId: string;
  answerBy: string;
  /** Seconds from now to the end of `answerBy`: the wait's `TimeoutSecondsPath`. */
  timeoutSeconds: number;
}

export type HearingEvent =
  | { phase: 'open'; executionArn: string; caseId: string; assessment: Assessment }
  | { phase: 'await'; taskToken: string; caseId: string; hearingId: string }
  | { phase: 'lapse'; caseId: string; hearingId: string };

export async function hearing(event: HearingEvent): Promise<HearingPlan | HearingAnswer | null> {
  switch (event.phase) {
    case 'open':
      return open(event);
    case 'await':
      await awaitAnswer(event);
      return null;
    case 'lapse':
      return lapse(event);
  }
}

const planOf = (h: lifecycle.HearingRecord): HearingPlan => ({
  hearingId: h.hearingId,
  answerBy: h.answerBy,
  timeoutSeconds: secondsUntil(endOfChinaDay(h.answerBy), new Date()),
});

async function open(event: Extract<HearingEvent, { phase: 'open' }>): Promise<HearingPlan> {
  const a = event.assessment;
  const hearingId = stableId('hearing', event.executionArn);
  const existing = await lifecycle.getHearing(event.caseId, hearingId);
  if (existing) return planOf(existing);

  const now = new Date();
  const today = chinaDate(now);
  const { timeLimits } = await parametersFor(a.regionCode, a.residence, today);
  const cal = await calendar();
  const answerBy = cal.provisionalDeadline(today, timeLimits.hearingWorkingDays);
  const serveBy = cal.provisionalDeadline(today, timeLimits[noticeLimit('hearing')]);
  if (answerBy.provisional) recordCalendarFallback(answerBy.assumedYears);
  const notice = hearingNotice({
    noticeId: stableId('notice', event.executionArn, 'hearing'),
    decidedAt: now.toISOString(),
    serveBy,
    outcome: a.outcome,
    current: a.current!,
    proposed: a.proposed,
    reasons: a.reasons,
    answerBy: answerBy.deadline,
  });
  const { hearing: recorded } = await lifecycle.openHearing({
    hearingId,
    caseId: event.caseId,
    recheckId: a.recheckId,
    status: 'open',
    outcome: a.outcome,
    current: a.current!,
    proposed: a.proposed,
    reasons: a.reasons,
    openedAt: now.toISOString(),
    answerBy: answerBy.deadline,
    ...(answerBy.provisional ? { answerByProvisional: true } : {}),
    noticeId: notice.noticeId,
  });
  await lifecycle.putNotice(event.caseId, notice, { recheckId: a.recheckId, hearingId, workflow: 'Recheck' });
  await appendAudit(event.caseId, {
    key: `hearing.opened#${hearingId}`,
    actor: SYSTEM,
    action: 'hearing.opened',
    summary: `告知拟调减或停止救助的理由，请于${recorded.answerBy}前陈述意见`,
    refs: { hearingId, recheckId: a.recheckId, noticeId: notice.noticeId, answerBy: recorded.answerBy },
  });
  return planOf(recorded);
}

async function awaitAnswer(event: Extract<HearingEvent, { phase: 'await' }>): Promise<void> {
  const h = await lifecycle.setHearingToken(event.caseId, event.hearingId, event.taskToken);
  // Answered before the wait began: hand it over now.
  if (h.status !== 'open' && h.answer) await deliver(event.taskToken, h.answer);
}

async function lapse(event: Extract<HearingEvent, { phase: 'lapse' }>): Promise<HearingAnswer> {
  const none: HearingAnswer = {
    opinion: 'none',
    statement: '',
    channel: null,
    answeredAt: new Date().toISOString(),
  };
  const closed = await lifecycle.closeHearing(event.caseId, event.hearingId, 'lapsed', { ...none, by: null });
  if (!closed) {
    // Answered (or lapsed by an earlier run of this step) just before: what is on record stands.
    const h = await lifecycle.getHearing(event.caseId, event.hearingId);
    const { by: _by, ...answer } = h!.answer!;
    return answer;
  }
  await appendAudit(event.caseId, {
    key: `hearing.lapsed#${event.hearingId}`,
    actor: SYSTEM,
    action: 'hearing.lapsed',
    summary: `陈述意见期限（${closed.answerBy}）届满，未陈述意见`,
    refs: { hearingId: event.hearingId, recheckId: closed.recheckId },
  });
  return none;
}
