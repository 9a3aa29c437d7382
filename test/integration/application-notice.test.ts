/**
 * 公示 and objections: an objection raised while the notice runs sends the case back to the
 * township for another investigation (the new task shows the objection) and a new notice; only a
 * notice that ends without objection goes on to the county. Objections outside a notice are refused.
 * Each objection records who objected, one per person per notice; the township may find them
 * groundless (`dismiss`, with reasons), and the noticed result goes on to the county.
 */
import { describe, expect, it } from 'vitest';
import { actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

const object = (applicationId: string, body: unknown) =>
  api(`/applications/${applicationId}/objection`, { method: 'POST', body: JSON.stringify(body) });

describe('an objection during the public notice', () => {
  it('sends the case back to investigation and a new notice, then on to the county', async () => {
    const { applicationId, caseId } = await flow.submit(
      application({
        members: [
          { ...application().members[0]!, idNumber: validId('430121', '19750303', 31) },
          { ...application().members[1]!, idNumber: validId('430121', '20120909', 32) },
        ],
      }),
    );
    const first = await flow.task(applicationId, 'townshipReview', 1);
    expect(first.objections).toBeUndefined();

    // No notice yet: nothing to object to.
    const early = await object(applicationId, { reason: '该户有车' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/不在公示期/);

    expect((await flow.decide(first.taskId, { decision: 'approve', reasons: ['入户核实属实'] })).status).toBe(
      200,
    );
    const noticed = await flow.applicationWhen(applicationId, (a) => a.status === 'publicNotice');
    expect(noticed.publicNotice.round).toBe(1);

    const empty = await object(applicationId, { reason: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].field).toBe('reason');
    const raised = await object(applicationId, { reason: '该户家中有一辆小轿车未申报', raisedBy: '邻居甲' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({
      applicationId,
      round: 1,
      publicNoticeEndsOn: noticed.publicNotice.endsOn,
    });
    const shown = await flow.application(applicationId);
    expect(shown.publicNotice.objections).toEqual([
      {
        objectionId: raised.body.objectionId,
        reason: '该户家中有一辆小轿车未申报',
        raisedAt: raised.body.raisedAt,
      },
    ]);
    // The objector's name stays with the office.
    expect(JSON.stringify(shown)).not.toContain('邻居甲');

    await flow.passPublicNotice(applicationId, 1);

    // ---- round 2: the township investigates the objection
    const second = await flow.task(applicationId, 'townshipReview', 2);
    expect(second.taskId).not.toBe(first.taskId);
    expect(second.status).toBe('open');
    expect(second.objections).toEqual([
      { reason: '该户家中有一辆小轿车未申报', raisedAt: raised.body.raisedAt },
    ]);
    expect(second.dueDate).toBe(calendar.provisionalDeadline(today(), 15).deadline);
    const reopened = await flow.application(applicationId);
    expect(reopened.status).toBe('underReview');
    expect(reopened.publicNotice).toMatchObject({ round: 1, status: 'closed' });
    // The closed notice takes no more objections.
    expect((await object(applicationId, { reason: '又一条' })).status).toBe(409);
    // Nothing went to the county.
    const inbox = (await api('/tasks?township=430121')).body.tasks;
    expect(
      inbox.filter((t: { applicationId: string; kind: string }) => t.applicationId === applicationId),
    ).toEqual([expect.objectContaining({ taskId: second.taskId, kind: 'townshipReview' })]);

    const decided = await flow.decide(second.taskId, {
      decision: 'approve',
      reasons: ['经核实，车辆为亲属所有，不属于家庭财产'],
      findings: {
        homeVisit: { visitedOn: today(), visitors: ['王五', '赵六'], matchesDeclaration: true },
        verifications: [{ source: '公安交管', result: 'consistent', notes: '申请人家庭成员名下无车辆' }],
      },
    });
    expect(decided.status).toBe(200);

    // ---- a new notice, without objection this time
    const renewed = await flow.applicationWhen(
      applicationId,
      (a) => a.status === 'publicNotice' && a.publicNotice.round === 2,
    );
    expect(renewed.publicNotice).toEqual({
      round: 2,
      startsOn: today(),
      endsOn: calendar.calendarDayDeadline(today(), 7),
      status: 'open',
      objections: [],
    });
    await flow.passPublicNotice(applicationId, 2);

    const county = await flow.task(applicationId, 'countyDetermination', 2);
    expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
    const app = await flow.applicationWhen(applicationId, (a) => a.determination !== null);
    expect(app.status).toBe('approved');
    expect(app.publicNotice).toMatchObject({ round: 2, status: 'closed', objections: [] });

    const history = await flow.history(caseId);
    expect(history.states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'OpenPublicNotice',
      'PublicNotice',
      'ClosePublicNotice',
      'NoticeOutcome',
      'Reinvestigate',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'OpenPublicNotice',
      'PublicNotice',
      'ClosePublicNotice',
      'NoticeOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'Closed',
    ]);
  });

  it('takes one objection per person per notice, recording who, and lets the township dismiss them', async () => {
    const { applicationId, caseId } = await flow.submit(application());
    const first = await flow.task(applicationId, 'townshipReview', 1);
    // Nothing to dismiss on a review that no objection sent back.
    const notSentBack = await flow.decide(first.taskId, { decision: 'dismiss', reasons: ['异议不成立'] });
    expect(notSentBack.status).toBe(400);
    expect(notSentBack.body.error.fields[0].field).toBe('decision');
    expect((await flow.decide(first.taskId, { decision: 'approve', reasons: ['入户核实属实'] })).status).toBe(
      200,
    );
    await flow.applicationWhen(applicationId, (a) => a.status === 'publicNotice');

    const as = (actor: (typeof actors)[keyof typeof actors], body: unknown) =>
      api(`/applications/${applicationId}/objection`, { method: 'POST', body: JSON.stringify(body) }, actor);
    const raised = await as(actors.otherApplicant, { reason: '该户有车' });
    expect(raised.status).toBe(201);
    // The attack: the same person again, one after another and several at once.
    const again = [
      await as(actors.otherApplicant, { reason: '该户有车，再次反映' }),
      ...(await Promise.all([1, 2, 3].map(() => as(actors.otherApplicant, { reason: '该户有房' })))),
    ];
    for (const res of again) {
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/^您已对申请 app-\w+ 的第1轮公示提出异议/);
      expect(res.body.error.message).toContain(raised.body.objectionId);
    }
    // Someone else may object; a caseworker records a named person's objection once too.
    expect((await as(actors.applicant, { reason: '该户有经营收入' })).status).toBe(201);
    expect((await as(actors.township, { reason: '当面反映有存款', raisedBy: '邻居乙' })).status).toBe(201);
    const inPersonAgain = await as(actors.township, { reason: '再次当面反映', raisedBy: '邻居乙' });
    expect(inPersonAgain.status).toBe(409);
    expect(inPersonAgain.body.error.message).toMatch(/^邻居乙已对申请/);

    const stored = await flow.item(`APP#${applicationId}`, 'APP');
    expect(stored.objections.map((o: { objector: unknown }) => o.objector)).toEqual([
      { subject: actors.otherApplicant.subject, name: actors.otherApplicant.name },
      { subject: actors.applicant.subject, name: actors.applicant.name },
      { name: '邻居乙' },
    ]);

    await flow.passPublicNotice(applicationId, 1);
    const second = await flow.task(applicationId, 'townshipReview', 2);
    expect(second.objections).toHaveLength(3);
    const noReason = await flow.decide(second.taskId, { decision: 'dismiss' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].field).toBe('reasons');
    const dismissed = await flow.decide(second.taskId, {
      decision: 'dismiss',
      reasons: ['经核实，车辆登记在他人名下，存款与申报一致，异议不成立'],
    });
    expect(dismissed.status).toBe(200);

    // No new investigation and notice: the noticed result goes on to the county.
    const county = await flow.task(applicationId, 'countyDetermination', 2);
    const pending = await flow.application(applicationId);
    expect(pending.publicNotice).toMatchObject({ round: 1, status: 'closed' });
    expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
    expect((await flow.applicationWhen(applicationId, (a) => a.determination !== null)).status).toBe(
      'approved',
    );
    const history = await flow.history(caseId);
    expect(history.states.slice(-8)).toEqual([
      'TownshipReview',
      'TownshipOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'Closed',
    ]);
    expect(history.states.filter((s: string) => s === 'OpenPublicNotice')).toHaveLength(1);
    const { body: log } = await api(`/cases/${caseId}/audit`);
    expect(log.entries.map((e: { summary: string }) => e.summary)).toContain(
      '乡镇（街道）审核：异议不成立，报县级确认（经核实，车辆登记在他人名下，存款与申报一致，异议不成立）',
    );
  });

  it('answers 404 for an unknown application and 400 for a malformed id', async () => {
    expect((await object('app-doesnotexist', { reason: '异议' })).status).toBe(404);
    expect((await object('nope', { reason: '异议' })).status).toBe(400);
  });
});
