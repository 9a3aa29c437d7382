/**
 * 国办发〔2023〕39号: a household that applies for 低保 but whose income only qualifies it as a
 * 低保边缘家庭 is refused the tier it asked for, told that it qualifies for the other, and — with its
 * consent, given through `POST /applications/{id}/consent` — determined in that tier within 3
 * working days. Without consent, or without an answer in time, the refusal stands.
 *
 * 长沙县 (430121, urban, 2026): 低保 standard 950 yuan, marginal line 950 × 1.5 = 1,425 yuan per
 * person and month; a single adult earning 1,100 yuan (no employment-cost deduction: not marked
 * employed) is above the first and below the second.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonths } from '../../shared/domain/determination.ts';
import { CONSENT_WAIT_SECONDS } from '../../workflows/application.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

/** One adult earning 1,100 yuan a month, applying for 低保. */
const marginalHousehold = (serial: number) =>
  application({
    requestedTier: 'dibao',
    members: [
      {
        ...application().members[0]!,
        idNumber: validId('430121', '19800101', serial),
        incomes: [{ kind: 'wage', monthlyAmount: 1100 }],
      },
    ],
  });

const answer = (applicationId: string, body: unknown) =>
  api(`/applications/${applicationId}/consent`, { method: 'POST', body: JSON.stringify(body) });

/**
 * Submits; the township agrees with the means test, which fails the tier asked for, so it goes to the
 * county as a proposed refusal (社会救助法第四十四条); the county agrees too. Waits for the refusal
 * with its offer.
 */
async function refusedWithOffer(serial: number) {
  const { applicationId, caseId } = await flow.submit(marginalHousehold(serial));
  const task = await flow.task(applicationId, 'townshipReview');
  expect(task.meansTest).toMatchObject({
    tier: 'notEligible',
    eligible: false,
    alternative: { tier: 'marginal' },
  });
  expect((await flow.decide(task.taskId, { decision: 'approve', reasons: ['核查结果属实'] })).status).toBe(
    200,
  );
  const county = await flow.task(applicationId, 'countyDetermination');
  expect(county.proposal).toMatchObject({ decision: 'approve', reasons: ['核查结果属实'] });
  expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
  const refused = await flow.applicationWhen(applicationId, (a) => a.consent !== null);
  return { applicationId, caseId, refused };
}

describe('the offer of another tier', () => {
  it('is made with the refusal and, with consent, determined in that tier within 3 working days', async () => {
    const { applicationId, caseId, refused } = await refusedWithOffer(61);
    expect(refused.status).toBe('refused');
    // No public notice for a refusal.
    expect(refused.publicNotice).toBeNull();
    expect(refused.notice.kind).toBe('refusal');
    expect(refused.notice.body).toContain('低保边缘家庭');
    expect(refused.notice.body).toContain('3个工作日内完成认定');
    expect(refused.consent).toEqual({
      offeredTier: 'marginal',
      offeredMonthlyAmount: refused.meansTest.alternative.monthlyAmount,
      offeredAt: refused.determination.decidedAt,
      status: 'offered',
    });
    const refusalNoticeId = refused.notice.noticeId;

    // A malformed answer, and consent to a tier that was not offered, are refused.
    const malformed = await answer(applicationId, { consent: 'yes' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].field).toBe('consent');
    expect((await answer(applicationId, { consent: true, tier: 'dibao' })).status).toBe(409);

    const given = await answer(applicationId, { consent: true, tier: 'marginal' });
    expect(given.status).toBe(202);
    const determineBy = calendar.provisionalDeadline(today(), 3).deadline;
    expect(given.body.consent).toMatchObject({ status: 'given', determineBy, offeredTier: 'marginal' });
    expect(JSON.stringify(given.body)).not.toContain('taskToken');

    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.tier).toBe('marginal');
    expect(app.determination.tier).toBe('marginal');
    expect(chinaDate(new Date(app.determination.decidedAt)) <= determineBy).toBe(true);
    expect(app.notice.kind).toBe('approval');
    expect(app.notice.noticeId).not.toBe(refusalNoticeId);
    expect(app.notice.body).toContain('经您同意，按低保边缘家庭认定');
    expect(app.consent).toMatchObject({ status: 'given', determinedAt: app.determination.decidedAt });
    // 低保边缘家庭: yearly review (sample parameters: 12 months).
    expect(app.determination.nextRecheckDue).toBe(
      addMonths(chinaDate(new Date(app.determination.decidedAt)), 12),
    );
    expect((await flow.item(`CASE#${caseId}`, 'CASE')).nextRecheckDue).toBe(app.determination.nextRecheckDue);
    // Both written notices stay on the case.
    const kinds = (await flow.notices(caseId)).map((n) => n.kind).sort();
    expect(kinds).toEqual(['approval', 'refusal']);

    // Answered once: another answer is a conflict; the same answer again changes nothing.
    expect((await answer(applicationId, { consent: false })).status).toBe(409);
    const again = await answer(applicationId, { consent: true });
    expect(again.status).toBe(202);
    expect(again.body.consent).toMatchObject({ status: 'given', answeredAt: given.body.consent.answeredAt });
    expect((await flow.notices(caseId)).map((n) => n.kind).sort()).toEqual(['approval', 'refusal']);

    const history = await flow.history(caseId);
    expect(history.states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'AwaitConsent',
      'ConsentOutcome',
      'DetermineAlternative',
    ]);
  });

  it('without consent leaves the refusal standing', async () => {
    const { applicationId, caseId } = await refusedWithOffer(62);
    const declined = await answer(applicationId, { consent: false });
    expect(declined.status).toBe(202);
    expect(declined.body.consent.status).toBe('declined');
    expect(declined.body.consent.determineBy).toBeUndefined();

    const history = await flow.history(caseId);
    expect(history.states.slice(-3)).toEqual(['AwaitConsent', 'ConsentOutcome', 'Closed']);
    const app = await flow.application(applicationId);
    expect(app.status).toBe('refused');
    expect(app.tier).toBeNull();
    expect(app.consent.status).toBe('declined');
    expect((await flow.notices(caseId)).map((n) => n.kind)).toEqual(['refusal']);
  });

  it('lapses when no answer comes in time', async () => {
    const { applicationId, caseId } = await refusedWithOffer(63);
    await flow.history(caseId, (e) => e.states.includes('AwaitConsent'));
    clock.advance(CONSENT_WAIT_SECONDS * 1000 + 60_000);
    const history = await flow.history(caseId);
    expect(history.states.slice(-4)).toEqual(['AwaitConsent', 'ConsentLapsed', 'ConsentOutcome', 'Closed']);
    const app = await flow.application(applicationId);
    expect(app.status).toBe('refused');
    expect(app.consent.status).toBe('lapsed');
    expect((await answer(applicationId, { consent: true })).status).toBe(409);
  });

  /** What a crash between recording the answer and handing it to the workflow leaves behind. */
  async function recordedNotDelivered(applicationId: string) {
    // The token is on the application once the wait has started.
    await eventually(async () =>
      (await flow.item(`APP#${applicationId}`, 'APP')).consent?.taskToken ? true : undefined,
    );
    const determineBy = calendar.provisionalDeadline(today(), 3).deadline;
    await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
      new UpdateCommand({
        TableName: runtime.rt.env.CASES_TABLE,
        Key: { pk: `APP#${applicationId}`, sk: 'APP' },
        UpdateExpression: 'SET consent.#s = :given, consent.answeredAt = :at, consent.determineBy = :by',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':given': 'given', ':at': new Date().toISOString(), ':by': determineBy },
      }),
    );
  }

  it('recorded but not delivered is delivered when the applicant sends it again', async () => {
    const { applicationId, caseId } = await refusedWithOffer(65);
    await recordedNotDelivered(applicationId);
    expect((await answer(applicationId, { consent: false })).status).toBe(409);
    const again = await answer(applicationId, { consent: true });
    expect(again.status).toBe(202);
    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.tier).toBe('marginal');
    const history = await flow.history(caseId);
    expect(history.states.slice(-3)).toEqual(['AwaitConsent', 'ConsentOutcome', 'DetermineAlternative']);
  });

  it('recorded but not delivered still decides when the wait runs out', async () => {
    const { applicationId, caseId } = await refusedWithOffer(66);
    await recordedNotDelivered(applicationId);
    clock.advance(CONSENT_WAIT_SECONDS * 1000 + 60_000);
    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.tier).toBe('marginal');
    expect(app.consent.status).toBe('given');
    const history = await flow.history(caseId);
    expect(history.states.slice(-4)).toEqual([
      'AwaitConsent',
      'ConsentLapsed',
      'ConsentOutcome',
      'DetermineAlternative',
    ]);
  });

  it('is not there to answer when none was made', async () => {
    const { applicationId } = await flow.submit(
      application({
        members: [{ ...application().members[0]!, idNumber: validId('430121', '19800101', 64) }],
      }),
    );
    const none = await answer(applicationId, { consent: true });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/没有可同意/);
    expect((await answer('app-doesnotexist', { consent: true })).status).toBe(404);
  });
});
