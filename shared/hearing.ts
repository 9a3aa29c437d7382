/**
 * 听取意见 (社会救助法第四十八条): before assistance is reduced or ended the recipient hears the
 * reasons and may answer — online, or in person to a caseworker who records it. The answer is kept
 * once, appended to the case's audit chain, and handed to the recheck workflow waiting for it; if
 * its wait has not started yet the wait picks it up, and if the time to answer has just ended the
 * lapse step reads it (the same pattern as the consent to another tier, `shared/consent.ts`).
 */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { appendAudit } from './audit.ts';
import { sfn } from './clients.ts';
import { isLapsedToken } from './decision-delivery.ts';
import type { Actor } from './domain/cases.ts';
import { chinaDate } from './domain/dates.ts';
import type { HearingAnswer } from './domain/lifecycle.ts';
import { logger } from './logger.ts';
import * as lifecycle from './repositories/lifecycle.ts';

/**
 * - `recorded`: the answer is on record and on its way to the workflow.
 * - `same`: the same answer again (a retry): delivered again in case the first delivery was cut short.
 * - `conflict`: nothing to answer, another answer on record, or the time to answer over; `message`
 *   says which, for the person.
 */
export type HearingOutcome =
  | { outcome: 'recorded' | 'same'; hearing: lifecycle.HearingRecord }
  | { outcome: 'conflict'; message: string };

export async function answerHearing(
  caseId: string,
  answer: { opinion: 'agree' | 'object'; statement: string; channel: 'online' | 'visit' },
  by: Actor,
): Promise<HearingOutcome> {
  const conflict = (message: string): HearingOutcome => ({ outcome: 'conflict', message });
  const hearings = await lifecycle.listHearings(caseId);
  const hearing = hearings.findLast((h) => h.status === 'open') ?? hearings.at(-1);
  if (!hearing) return conflict(`案件 ${caseId} 没有需要陈述意见的事项`);
  if (hearing.status === 'lapsed')
    return conflict(`陈述意见的期限（${hearing.answerBy}）已过，已记录为未陈述意见`);
  if (hearing.status === 'answered') {
    const same = hearing.answer?.opinion === answer.opinion && hearing.answer.statement === answer.statement;
    if (!same) return conflict('已陈述意见，不能更改');
    if (hearing.taskToken) await deliver(hearing.taskToken, hearing.answer!);
    return { outcome: 'same', hearing };
  }
  const answeredAt = new Date().toISOString();
  if (chinaDate(new Date(answeredAt)) > hearing.answerBy)
    return conflict(`陈述意见的期限（${hearing.answerBy}）已过`);
  const recorded: HearingAnswer & { by: Actor } = { ...answer, answeredAt, by };
  const closed = await lifecycle.closeHearing(caseId, hearing.hearingId, 'answered', recorded);
  if (!closed) return conflict('陈述意见的期限已过或已陈述意见');
  await appendAudit(caseId, {
    key: `hearing.answered#${hearing.hearingId}`,
    actor: by,
    action: 'hearing.answered',
    summary:
      answer.opinion === 'agree'
        ? `对拟作决定无异议${answer.channel === 'visit' ? '（经办人入户听取并记录）' : ''}`
        : `对拟作决定提出异议${answer.channel === 'visit' ? '（经办人入户听取并记录）' : ''}`,
    refs: { hearingId: hearing.hearingId, recheckId: hearing.recheckId },
  });
  // A wait that ended meanwhile reads the recorded answer when it lapses.
  if (closed.taskToken) await deliver(closed.taskToken, recorded);
  return { outcome: 'recorded', hearing: closed };
}

/** The answer as the workflow reads it (at `<ResultPath>.result`, like a step's). */
export const hearingResult = (a: HearingAnswer) => ({
  result: { opinion: a.opinion, statement: a.statement, channel: a.channel, answeredAt: a.answeredAt },
});

/** Hands the recorded answer to the workflow waiting for it; a wait already ended is no error. */
export async function deliver(taskToken: string, answer: HearingAnswer): Promise<void> {
  try {
    await sfn().send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(hearingResult(answer)) }),
    );
  } catch (error) {
    if (!isLapsedToken(error)) throw error;
    logger.info('hearing delivery found its wait ended; the lapse step reads the recorded answer', { error });
  }
}
