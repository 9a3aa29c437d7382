/**
 * 审核确认时限 (民发〔2021〕57号 第二十二条: 30 working days from acceptance, 45 in special cases;
 * sample 长沙县 30/45): set when the application is accepted and means-tested, extended once with
 * a recorded reason, shown on the application and in the auditor's compliance view.
 */
import { describe, expect, it } from 'vitest';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const extend = (applicationId: string, body: unknown, as: Actor = actors.township) =>
  runtime.api(`/applications/${applicationId}/extension`, { method: 'POST', body: JSON.stringify(body) }, as);

describe('the review deadline', () => {
  it('runs from acceptance, is extended once with a reason, and shows whether it was kept', async () => {
    const { applicationId, caseId } = await flow.submit(application());
    const accepted = today();
    const app = await flow.applicationWhen(applicationId, (a) => a.reviewDeadline !== null);
    const first = calendar.provisionalDeadline(accepted, 30).deadline;
    expect(app.reviewDeadline).toEqual({
      acceptedOn: accepted,
      workingDays: 30,
      dueDate: first,
      originalDueDate: first,
      extended: false,
      met: null,
      overdue: false,
      investigation: {
        startBy: calendar.provisionalDeadline(accepted, 3).deadline,
        startedOn: null,
        method: null,
        met: null,
        overdue: false,
      },
    });

    // A reason outside the rules' list is refused, naming the field; nothing changes.
    const bad = await extend(applicationId, { reason: 'busy', note: '经办人忙' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    expect((await flow.application(applicationId)).reviewDeadline.extended).toBe(false);

    const extended = await extend(applicationId, {
      reason: 'householdSeparated',
      note: '户籍在长沙县，常住广州',
    });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    const longer = calendar.provisionalDeadline(accepted, 45).deadline;
    expect(extended.body.reviewDeadline).toMatchObject({
      workingDays: 45,
      dueDate: longer,
      originalDueDate: first,
      extended: true,
      extensionReason: '人户分离',
    });
    // Once only.
    const again = await extend(applicationId, { reason: 'objection', note: '公示有异议' }, actors.county);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(longer);

    // On the case's chain, and in the auditor's view with the first date beside the new one.
    const audit = await runtime.api(`/cases/${caseId}/audit`, {}, actors.auditor);
    const entry = audit.body.entries.find((e: { action: string }) => e.action === 'deadline.extended');
    expect(entry.summary).toBe(`审核确认时限由${first}延长至${longer}：人户分离`);
    const found = await runtime.api('/cases?regionCode=430121', {}, actors.auditor);
    const listed = found.body.applications.find(
      (a: { applicationId: string }) => a.applicationId === applicationId,
    );
    expect(listed.reviewDeadline).toMatchObject({ dueDate: longer, originalDueDate: first, extended: true });
    expect(found.body.compliance.reviews.extended).toBeGreaterThanOrEqual(1);

    // Decided within it: kept; no more extension once decided.
    const review = await flow.task(applicationId, 'townshipReview');
    await flow.decide(review.taskId, { decision: 'approve', reasons: ['入户核实属实'] });
    await flow.passPublicNotice(applicationId);
    const county = await flow.task(applicationId, 'countyDetermination');
    await flow.decide(county.taskId, { decision: 'approve' });
    const decided = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(decided.reviewDeadline).toMatchObject({ met: true, overdue: false });
    const late = await eventually(async () => {
      const r = await extend(applicationId, { reason: 'investigationDifficulty', note: '调查难度大' });
      return r.status === 409 ? r : undefined;
    });
    expect(late.body.error.message).toMatch(/已延长|已办结/);
  });

  it('records when the township started investigating, once, against the 3 working days (57号 第十五条)', async () => {
    const { applicationId, caseId } = await flow.submit(application());
    const accepted = today();
    const app = await flow.applicationWhen(applicationId, (a) => a.reviewDeadline !== null);
    const startBy = calendar.provisionalDeadline(accepted, 3).deadline;
    expect(app.reviewDeadline.investigation).toMatchObject({ startBy, startedOn: null, met: null });
    const start = (body: unknown, as: Actor = actors.township) =>
      runtime.api(
        `/applications/${applicationId}/investigation`,
        { method: 'POST', body: JSON.stringify(body) },
        as,
      );

    // Bad input names the field and records nothing; the county does not record the township's start.
    const future = await start({
      startedOn: calendar.provisionalDeadline(accepted, 10).deadline,
      method: 'homeVisit',
    });
    expect(future.status).toBe(400);
    expect(future.body.error.fields).toEqual([{ field: 'startedOn', message: '启动调查日期不能晚于今天' }]);
    const before = await start({ startedOn: '2020-01-01', method: 'homeVisit' });
    expect(before.body.error.fields[0].field).toBe('startedOn');
    const method = await start({ startedOn: accepted, method: 'phone' });
    expect(method.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['method']);
    expect((await start({ startedOn: accepted, method: 'homeVisit' }, actors.county)).status).toBe(403);
    expect((await flow.application(applicationId)).reviewDeadline.investigation.startedOn).toBeNull();

    const started = await start({ startedOn: accepted, method: 'neighbourVisit', note: '走访邻居三户' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.reviewDeadline.investigation).toEqual({
      startBy,
      startedOn: accepted,
      method: '邻里访问',
      met: true,
      overdue: false,
    });
    const again = await start({ startedOn: accepted, method: 'homeVisit' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`已于${accepted}记录启动调查`);

    const audit = await runtime.api(`/cases/${caseId}/audit`, {}, actors.auditor);
    const entry = audit.body.entries.find((e: { action: string }) => e.action === 'investigation.started');
    expect(entry.summary).toBe(`${accepted}启动家庭经济状况调查（邻里访问）`);
  });
});
