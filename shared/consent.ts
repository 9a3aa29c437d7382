/**
 * The applicant's answer to the offer of another tier (国办发〔2023〕39号: a household that does not
 * qualify for the tier it asked for is offered the one it does, and determined within a few working
 * days of consenting): recorded once, appended to the case's audit log, then handed to the workflow
 * waiting for it — or, if its wait has not started yet, picked up when it does; if it has just ended,
 * read by the step that ends it (`lapseConsent`).
 */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { appendAudit } from './audit.ts';
import { sfn } from './clients.ts';
import { isLapsedToken } from './decision-delivery.ts';
import { chinaDate } from './domain/dates.ts';
import { alternativeDetermineBy } from './domain/determination.ts';
import { tierLabel } from './domain/lifecycle.ts';
import { logger } from './logger.ts';
import * as cases from './repositories/cases.ts';
import { calendar, parametersFor } from './repositories/parameters.ts';

/**
 * - `recorded`: the answer is on record now and on its way to the workflow.
 * - `same`: the same answer again (a retry after a lost response or a crash): delivered again in
 *   case its delivery was cut short; a wait that has ended already has it.
 * - `conflict`: nothing to answer, another answer on record, the time to answer over, or a tier
 *   other than the one offered; `message` says which, for the person.
 */
export type ConsentOutcome =
  | { outcome: 'recorded' | 'same'; consent: cases.ConsentRecord }
  | { outcome: 'conflict'; message: string };

export async function answerConsent(
  app: cases.ApplicationRecord,
  answer: { consent: boolean; tier?: string | undefined },
  by: cases.Actor,
): Promise<ConsentOutcome> {
  const conflict = (message: string): ConsentOutcome => ({ outcome: 'conflict', message });
  const offer = app.consent;
  if (!offer) return conflict(`申请 ${app.applicationId} 没有可同意的其他救助类别`);
  if (offer.status === 'given' || offer.status === 'declined') {
    if ((offer.status === 'given') !== answer.consent)
      return conflict(`申请 ${app.applicationId} 已答复，不能更改答复`);
    if (offer.taskToken) await deliver(offer.taskToken, answer.consent, offer.answeredAt!);
    return { outcome: 'same', consent: offer };
  }
  if (offer.status !== 'offered') return conflict(`申请 ${app.applicationId} 的答复期限已过，不能再答复`);
  if (answer.tier !== undefined && answer.tier !== offer.offeredTier)
    return conflict(`所同意的类别 ${answer.tier} 与提供的类别 ${offer.offeredTier} 不一致`);
  const answeredAt = new Date().toISOString();
  // With consent, determined within N working days (a parameter, usually 3).
  const determineBy = answer.consent
    ? alternativeDetermineBy(
        await calendar(),
        answeredAt,
        (await parametersFor(app.regionCode, app.declaration.residence, chinaDate(new Date(answeredAt))))
          .timeLimits.alternativeDeterminationWorkingDays,
      ).deadline
    : undefined;
  const answered = await cases.answerConsent(app.applicationId, {
    consent: answer.consent,
    answeredAt,
    determineBy,
  });
  if (!answered?.consent) return conflict(`申请 ${app.applicationId} 已答复或已逾期，不能重复答复`);
  await appendAudit(app.caseId, {
    key: `consent.answered#${app.applicationId}`,
    actor: by,
    action: 'consent.answered',
    summary: `${answer.consent ? '同意' : '不同意'}按${tierLabel(answered.consent.offeredTier)}认定`,
    refs: { applicationId: app.applicationId },
  });
  // A wait that ended meanwhile reads the recorded answer when it lapses.
  if (answered.consent.taskToken) await deliver(answered.consent.taskToken, answer.consent, answeredAt);
  return { outcome: 'recorded', consent: answered.consent };
}

/** Hands the recorded answer to the workflow waiting for it; a wait already ended is no error. */
async function deliver(taskToken: string, consent: boolean, answeredAt: string): Promise<void> {
  try {
    await sfn().send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ consent, answeredAt }) }),
    );
  } catch (error) {
    if (!isLapsedToken(error)) throw error;
    logger.info('consent delivery found its wait ended; the lapse step reads the recorded answer', { error });
  }
}
