/**
 * 审计检索 (`GET /cases`): a region's applications by submission date, status and who decided their
 * tasks, each task with its deadline compliance — decided by the due date it was opened with
 * (按时), or past it after an escalation to the supervisors (督办, 逾期), or still open. Household
 * members' names and ID numbers never appear; staff outside the region are refused.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../shared/domain/dates.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, today } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

const li: Actor = {
  role: 'townshipCaseworker',
  regionCodes: ['430121'],
  subject: 'test-township-li',
  name: '李四',
};

// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
type Body = any;

const household = (serial: number, regionCode = '430121') =>
  application({
    regionCode,
    members: [
      {
        ...application().members[0]!,
        name: `户主${serial}`,
        idNumber: validId(regionCode, '19700101', serial),
      },
      {
        ...application().members[1]!,
        name: `子女${serial}`,
        idNumber: validId(regionCode, '20140101', serial + 1),
      },
    ],
  });

const search = (query: string, as: Actor | 'anonymous' = actors.auditor) =>
  api(`/cases?${query}`, undefined, as);
const ids = (body: Body) => body.applications.map((a: Body) => a.applicationId).sort();
const decide = (taskId: string, as: Actor) =>
  api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve' }) }, as);

describe('the auditor’s search', () => {
  it('by region, status, caseworker and dates, with each task’s deadline compliance', async () => {
    const submittedOn = today();
    const a = await flow.submit(household(11));
    const b = await flow.submit(household(21));
    const elsewhere = await flow.submit(household(31, '430102'));

    // ---- A: the township decides at once, the notice passes, the county decides at once
    const aReview = await flow.task(a.applicationId, 'townshipReview');
    expect((await decide(aReview.taskId, actors.township)).status).toBe(200);
    await flow.passPublicNotice(a.applicationId);
    const aCounty = await flow.task(a.applicationId, 'countyDetermination');
    expect((await decide(aCounty.taskId, actors.county)).status).toBe(200);
    await flow.applicationWhen(a.applicationId, (app) => app.status === 'approved');

    // ---- B: the township review lapses and is escalated, then decided late by 李四
    const bReview = await flow.task(b.applicationId, 'townshipReview');
    flow.passEndOf(bReview.dueDate);
    await eventually(async () => {
      const { body } = await api('/tasks?township=430121');
      return body.tasks.find((t: Body) => t.taskId === bReview.taskId && t.status === 'escalated');
    });
    // An application written before task summaries existed has no map for them: the decision
    // still goes in, and writes the task's whole summary.
    await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
      new UpdateCommand({
        TableName: runtime.rt.env.CASES_TABLE,
        Key: { pk: `APP#${b.applicationId}`, sk: 'APP' },
        UpdateExpression: 'REMOVE taskSummaries',
      }),
    );
    expect((await decide(bReview.taskId, li)).status).toBe(200);
    await flow.applicationWhen(b.applicationId, (app) => app.status === 'publicNotice');

    // ---- C: submitted now, weeks later; its review is open
    const laterDay = today();
    expect(laterDay > submittedOn).toBe(true);
    const c = await flow.submit(household(41));
    await flow.task(c.applicationId, 'townshipReview');

    // Region: only 长沙县's applications, newest first.
    const all = await search('regionCode=430121');
    expect(all.status).toBe(200);
    expect(all.body.applications.map((x: Body) => x.applicationId)).toEqual([
      c.applicationId,
      b.applicationId,
      a.applicationId,
    ]);
    expect(ids(all.body)).not.toContain(elsewhere.applicationId);
    expect(ids((await search('regionCode=430102')).body)).toEqual([elsewhere.applicationId]);

    // Compliance: A on time twice; B escalated and late; C open and not yet due.
    const byId = Object.fromEntries(all.body.applications.map((x: Body) => [x.applicationId, x]));
    const appA = byId[a.applicationId];
    expect(appA).toMatchObject({
      caseId: a.caseId,
      regionCode: '430121',
      status: 'approved',
      statusLabel: '已确认救助',
      requestedTier: 'dibao',
      tier: 'dibao',
      determinedAt: expect.any(String),
    });
    expect(appA.tasks.map((t: Body) => [t.kind, t.onTime, t.escalated, t.decidedBy.name])).toEqual([
      ['townshipReview', true, false, '王五'],
      ['countyDetermination', true, false, '县民政局赵六'],
    ]);
    expect(appA.tasks[0]).toMatchObject({
      taskId: aReview.taskId,
      dueDate: aReview.dueDate,
      currentDueDate: aReview.dueDate,
      escalations: [],
      decision: 'approve',
      decidedBy: { subject: 'test-township', name: '王五', role: 'townshipCaseworker' },
      overdue: false,
    });
    expect(chinaDate(new Date(appA.tasks[0].decidedAt)) <= appA.tasks[0].dueDate).toBe(true);
    expect(appA.decidedBy.map((d: Body) => d.subject)).toEqual(['test-township', 'test-county']);

    const appB = byId[b.applicationId];
    expect(appB.determinedAt).toBeNull();
    expect(appB.tasks).toHaveLength(1);
    expect(appB.tasks[0]).toMatchObject({
      taskId: bReview.taskId,
      kind: 'townshipReview',
      dueDate: bReview.dueDate,
      escalated: true,
      onTime: false,
      overdue: false,
      decidedBy: { subject: 'test-township-li', name: '李四' },
    });
    expect(appB.tasks[0].escalations).toEqual([
      {
        escalatedAt: expect.any(String),
        overdueSince: bReview.dueDate,
        newDueDate: appB.tasks[0].currentDueDate,
      },
    ]);

    const appC = byId[c.applicationId];
    expect(appC.tasks).toMatchObject([
      { kind: 'townshipReview', onTime: null, escalated: false, overdue: false },
    ]);
    expect(appC.tasks[0].decidedAt).toBeUndefined();
    expect(appC.decidedBy).toEqual([]);

    expect(all.body.compliance).toEqual({
      tasks: 4,
      decided: 3,
      onTime: 2,
      late: 1,
      escalated: 1,
      open: 1,
      overdue: 0,
      onTimeShare: 0.6667,
      // The whole review (受理 to 决定, 30 working days): one application decided, within it.
      reviews: { determined: 1, withinDeadline: 1, late: 0, overdue: 0, extended: 0 },
    });

    // Status.
    expect(ids((await search('regionCode=430121&status=approved')).body)).toEqual([a.applicationId]);
    expect(ids((await search('regionCode=430121&status=publicNotice')).body)).toEqual([b.applicationId]);
    expect((await search('regionCode=430121&status=refused')).body.applications).toEqual([]);

    // Caseworker: part of a name, or a subject exactly.
    expect(ids((await search('regionCode=430121&caseworker=赵六')).body)).toEqual([a.applicationId]);
    expect(ids((await search('regionCode=430121&caseworker=test-township-li')).body)).toEqual([
      b.applicationId,
    ]);
    expect(ids((await search(`regionCode=430121&caseworker=${encodeURIComponent('李四')}`)).body)).toEqual([
      b.applicationId,
    ]);
    expect(ids((await search('regionCode=430121&caseworker=test-township')).body)).toEqual([a.applicationId]);
    expect((await search('regionCode=430121&caseworker=nobody')).body.applications).toEqual([]);

    // Submission dates (China time), inclusive at both ends.
    expect(ids((await search(`regionCode=430121&from=${submittedOn}&to=${submittedOn}`)).body)).toEqual(
      [a.applicationId, b.applicationId].sort(),
    );
    expect(ids((await search(`regionCode=430121&from=${laterDay}`)).body)).toEqual([c.applicationId]);
    expect(ids((await search(`regionCode=430121&to=${submittedOn}`)).body)).toEqual(
      [a.applicationId, b.applicationId].sort(),
    );
    const limited = await search('regionCode=430121&limit=2');
    expect(limited.body).toMatchObject({ count: 2, truncated: true });
    expect(limited.body.applications.map((x: Body) => x.applicationId)).toEqual([
      c.applicationId,
      b.applicationId,
    ]);

    // A county officer of the region searches too.
    expect((await search('regionCode=430121', actors.county)).status).toBe(200);

    // Nothing about the household's members.
    const text = JSON.stringify(all.body);
    for (const n of [11, 21, 41]) {
      expect(text).not.toContain(`户主${n}`);
      expect(text).not.toContain(`子女${n}`);
    }
    // An ID number stands alone; a run of 18 digits inside a hex id (task-7f0504357744…) is not one.
    expect(text).not.toMatch(/(?<![0-9a-f])\d{17}[\dX](?![0-9a-f])/);
    expect(text).not.toContain('taskToken');
  });

  it('two caseworkers deciding at once: one decision, in the task and in its summary', async () => {
    const e = await flow.submit(household(51, '430102'));
    const task = await flow.task(e.applicationId, 'townshipReview', 1, '430102');
    const who = ['甲', '乙', '丙', '丁', '戊'].map(
      (name, i): Actor => ({ ...li, regionCodes: ['430102'], subject: `test-race-${i}`, name }),
    );
    const answers = await Promise.all(who.map((as) => decide(task.taskId, as)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.decision.decidedByActor.subject;
    const { body } = await search('regionCode=430102');
    const listed = body.applications.find((x: Body) => x.applicationId === e.applicationId);
    expect(listed.tasks[0].decidedBy.subject).toBe(winner);
    expect(listed.decidedBy).toHaveLength(1);
  });

  it('answers 403 outside the jurisdiction or the roles, 400 naming a bad field', async () => {
    const away = await search('regionCode=430121', actors.auditorElsewhere);
    expect(away.status).toBe(403);
    expect(away.body.error.message).toBe('行政区划 430121 不在您的管辖范围内');
    expect((await search('regionCode=110101')).status).toBe(403);
    expect((await search('regionCode=430121', actors.township)).status).toBe(403);
    expect((await search('regionCode=430121', actors.applicant)).status).toBe(403);
    expect((await search('regionCode=430121', 'anonymous')).status).toBe(401);

    const badStatus = await search('regionCode=430121&status=open');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.fields).toEqual([
      { field: 'query.status', message: expect.stringContaining('status 应为') },
    ]);
    const backwards = await search('regionCode=430121&from=2026-06-02&to=2026-06-01');
    expect(backwards.body.error.fields).toEqual([
      { field: 'query.to', message: '提交日期止不能早于提交日期起' },
    ]);
    const noRegion = await search('status=approved');
    expect(noRegion.body.error.fields.map((f: Body) => f.field)).toEqual(['query.regionCode']);
  });
});
