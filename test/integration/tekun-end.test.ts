/**
 * Ending 特困 support (民发〔2021〕43号 第二十六条) on the in-memory runtime: after the recheck's
 * confirmation and hearing, the proposal is publicly noticed for 7 days in the village/community;
 * without objection the county ends support (from the next month); an objection is investigated and
 * decided by the county, which may keep the support.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { publicNoticeEnd } from '../../shared/domain/determination.ts';
import { type Actor, actors } from '../support/actors.ts';
import { calendar } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);

/** 长沙县 urban: a 72-year-old alone, pension 500, no legal supporter — 特困. */
const tekunHousehold = () => {
  const body = application({ requestedTier: 'tekun', obligors: [], hasAbleSupporter: undefined });
  body.members = [{ ...body.members[0]!, age: 72, incomes: [{ kind: 'pension', monthlyAmount: 500 }] }];
  return body;
};

/** A 特困 case whose recheck finds a pension far above the line, confirmed and heard: at its end notice. */
async function atEndNotice() {
  const body = tekunHousehold();
  const seeded = await lc.seedApprovedCase(body);
  expect(seeded.tier).toBe('tekun');
  await scheduleFirstRecheck({
    caseId: seeded.caseId,
    tier: 'tekun',
    determinedAt: seeded.decidedAt,
    regionCode: '430121',
    residence: 'urban',
  });
  const changed = household([{ kind: 'pension', monthlyAmount: 6000 }], {
    requestedTier: 'tekun',
    obligors: [],
    hasAbleSupporter: undefined,
  });
  changed.members = [{ ...body.members[0]!, incomes: [{ kind: 'pension', monthlyAmount: 6000 }] }];
  await lc.declare(seeded.caseId, changed);
  await lc.startDue(seeded.caseId, 'Recheck');
  const task = await lc.task(seeded.caseId, 'recheckConfirmation');
  expect(task.recheck.outcome).toBe('terminate');
  await lc.decide(task.taskId, { decision: 'approve', reasons: ['养老金收入超过特困人员认定标准'] });
  await lc.hear(seeded.caseId, 'agree');
  await lc.reached(seeded.caseId, 'Recheck', 1, 'EndNoticePeriod');
  const notice = await eventually(async () => {
    const { Items } = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
      new QueryCommand({
        TableName: runtime.rt.env.CASES_TABLE!,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': `CASE#${seeded.caseId}`, ':e': 'ENDNOTICE#' },
        ConsistentRead: true,
      }),
    );
    return Items?.[0];
  });
  return { ...seeded, notice };
}

/** The region's public page as anyone reads it, without signing in. */
const publicEndNotices = async () => {
  const res = await runtime.api('/public/approvals?regionCode=430121', {}, 'anonymous');
  expect(res.status).toBe(200);
  return res.body.endNotices;
};

const object = (caseId: string, body: unknown, as: Actor = actors.otherApplicant) =>
  runtime.api(`/cases/${caseId}/end-objection`, { method: 'POST', body: JSON.stringify(body) }, as);

describe('ending 特困 support', () => {
  it('is noticed for 7 days after the hearing, and ends without objection from the next month', async () => {
    const c = await atEndNotice();
    expect(c.notice).toMatchObject({ status: 'open', startsOn: lc.today() });
    expect(c.notice.endsOn).toBe(publicNoticeEnd(calendar, c.notice.startsOn, 7).deadline);
    // Still in support while the notice runs.
    expect(await lc.caseItem(c.caseId)).toMatchObject({ tier: 'tekun' });
    // Published where the person lives, masked, for anyone to read and object to while it runs.
    const shown = await publicEndNotices();
    expect(shown.find((e: { objectionPath: string | null }) => e.objectionPath?.includes(c.caseId))).toEqual({
      applicantName: '张*',
      householdSize: 1,
      stage: 'proposed',
      statement: `经定期核查，拟终止张*的特困人员救助供养。对此有异议的，请于${c.notice.endsOn}前向乡镇（街道）或县级民政部门提出。`,
      startsOn: c.notice.startsOn,
      endsOn: c.notice.endsOn,
      objectionPath: `/cases/${c.caseId}/end-objection`,
    });

    lc.advanceTo(c.notice.endsAt);
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states.slice(-7)).toEqual([
      'Decide',
      'OpenEndNotice',
      'EndNoticePeriod',
      'CloseEndNotice',
      'EndNoticeObjected',
      'Decide',
      'Terminate',
    ]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ status: 'terminated' });
    const ended = (await lc.notices(c.caseId)).find((n) => n.kind === 'termination');
    expect(ended.body).toContain('自下月起停止发放');
    expect(ended.reasons).toContain(
      `拟终止救助供养已在所在村（社区）公示（${c.notice.startsOn}至${c.notice.endsOn}）：公示期满无异议（民发〔2021〕43号第二十六条）`,
    );
    const audit = await runtime.api(`/cases/${c.caseId}/audit`, {}, actors.auditor);
    const summaries = audit.body.entries.map((e: { summary: string }) => e.summary);
    expect(summaries).toContain(
      `拟终止特困人员救助供养，在所在村（社区）公示：${c.notice.startsOn}至${c.notice.endsOn}`,
    );
    expect(summaries).toContain('公示期满，无异议');
    // The notice is over: no objection is taken now.
    expect((await object(c.caseId, { reason: '迟到的异议' }, actors.applicant)).status).toBe(409);
  });

  it('takes objections while it runs, once a person, and has the county investigate them before it decides', async () => {
    const c = await atEndNotice();
    const bad = await object(c.caseId, { reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    const raised = await object(c.caseId, { reason: '该老人的养老金是一次性补发，每月实际只有500元' });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body.endsOn).toBe(c.notice.endsOn);
    const again = await object(c.caseId, { reason: '再提一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('只能提出一次');
    // A caseworker records one heard in person; another township's caseworker may not.
    expect(
      (await object(c.caseId, { reason: '村民反映情况属实', raisedBy: '村民李某' }, actors.township)).status,
    ).toBe(201);
    expect((await object(c.caseId, { reason: 'x' }, actors.townshipElsewhere)).status).toBe(403);

    lc.advanceTo(c.notice.endsAt);
    const review = await eventually(async () => {
      const { body } = await runtime.api('/tasks?township=430121');
      return body.tasks.find(
        (t: { caseId: string; round: number }) => t.caseId === c.caseId && t.round === 3,
      );
    });
    // The county investigates and decides, within 15 working days (43号 第二十六条); not the township.
    expect(review.kind).toBe('endNoticeReview');
    expect(review.dueDate).toBe(calendar.provisionalDeadline(lc.today(), 15).deadline);
    const byTownship = await runtime.api(
      `/tasks/${review.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: [] }) },
      actors.township,
    );
    expect(byTownship.status).toBe(403);
    expect(review.objections.map((o: { reason: string }) => o.reason)).toEqual([
      '该老人的养老金是一次性补发，每月实际只有500元',
      '村民反映情况属实',
    ]);
    await lc.decide(review.taskId, {
      decision: 'reject',
      reasons: ['核实养老金为一次性补发，维持特困人员救助供养'],
    });
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states.slice(-5)).toEqual([
      'PrepareEndNoticeReview',
      'PlanReviewEndNotice',
      'ReviewEndNotice',
      'EndNoticeReviewed',
      'Continue',
    ]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ tier: 'tekun' });
    expect((await lc.caseItem(c.caseId)).status ?? 'active').toBe('active');
    // 重新公示: the county's decision on the objections is published again, with no objection path.
    const decided = (await publicEndNotices()).filter((e: { stage: string }) => e.stage === 'decided');
    expect(
      decided.map((e: { statement: string; objectionPath: null }) => [e.statement, e.objectionPath]),
    ).toContainEqual([
      '对拟终止张*特困人员救助供养的异议，经县级民政部门调查核实，决定继续给予救助供养。',
      null,
    ]);
    const kept = (await lc.notices(c.caseId)).find((n) => n.kind === 'recheckContinue');
    expect(kept.reasons).toEqual(
      expect.arrayContaining([
        '核实养老金为一次性补发，维持特困人员救助供养',
        `拟终止救助供养已在所在村（社区）公示（${c.notice.startsOn}至${c.notice.endsOn}）：收到异议2件，经县级民政部门调查核实（民发〔2021〕43号第二十六条）`,
      ]),
    );
  });
});
