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
      dueDate: first,
      originalDueDate: first,
      extended: false,
      met: null,
      overdue: false,
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
});
