/**
 * The application workflow end to end over HTTP on the in-memory local runtime: submit → means
 * test → township task (record + SQS notification) → decision with findings → public notice (公示,
 * passed on the virtual clock) → county task → determination, notice and first recheck date →
 * history. And a township refusal with its written notice due within 3 working days. What landed is
 * read back through the real SDK clients from DynamoDB Local, fauxqs and the local Step Functions API.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { requestCountsByCaller, resetRequestCounts } from '../../shared/clients.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonths } from '../../shared/domain/determination.ts';
import { updateCase } from '../../shared/repositories/lifecycle.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => runtime.rt.env.CASES_TABLE!;

async function countItems(prefix: string): Promise<number> {
  const out = await doc().send(
    new ScanCommand({
      TableName: table(),
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': prefix },
    }),
  );
  return out.Count ?? 0;
}

/** Applications and case items (not the entries the running workflows add under a case). */
async function countRecords(): Promise<number> {
  const out = await doc().send(
    new ScanCommand({
      TableName: table(),
      FilterExpression: 'sk IN (:app, :case)',
      ExpressionAttributeValues: { ':app': 'APP', ':case': 'CASE' },
    }),
  );
  return out.Count ?? 0;
}

async function submit(body: unknown, headers: Record<string, string> = {}) {
  return api('/applications', { method: 'POST', body: JSON.stringify(body), headers });
}

async function settled(applicationId: string) {
  return flow.applicationWhen(applicationId, (app) => app.determination !== null);
}

describe('POST /applications validation', () => {
  it('answers 400 naming every bad field, and writes nothing', async () => {
    const bad = application({ regionCode: '43012', pledge: false as never });
    const good = bad.members[0]!.idNumber;
    bad.members[0]!.idNumber = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    bad.members[1]!.age = -3;
    const { status, body } = await submit(bad);
    expect(status).toBe(400);
    const fields = body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['regionCode', 'pledge', 'members.0.idNumber', 'members.1.age']),
    );
    expect(
      body.error.fields.find((f: { field: string }) => f.field === 'members.0.idNumber').message,
    ).toMatch(/校验位/);
    expect(await countItems('APP#')).toBe(0);
    expect(await countItems('CASE#')).toBe(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await runtime.api('/applications', { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].field).toBe('body');
  });
});

describe('the submission request', () => {
  it('writes the application, its case, claims, key and first audit entry at once, then starts the workflow', async () => {
    resetRequestCounts();
    const res = await submit(application(), { 'Idempotency-Key': 'one-transaction-1' });
    expect(res.status).toBe(202);
    // The handler's own requests, counted as they went out: who the caller is (a staff record, none
    // for an applicant), the rate limit's count, the key and the claims read at once, one
    // transaction (the link to the execution in it), and the start.
    expect(requestCountsByCaller().submitApplication).toEqual({
      'DynamoDB.UpdateItem': 1,
      'DynamoDB.GetItem': 2,
      'DynamoDB.BatchGetItem': 1,
      'DynamoDB.TransactWriteItems': 1,
      'StepFunctions.StartExecution': 1,
    });
    const { applicationId, caseId } = res.body;
    const { body: log } = await runtime.api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(log.entries[0]).toMatchObject({
      seq: 1,
      action: 'application.submitted',
      refs: { applicationId },
    });
    const item = await flow.item(`APP#${applicationId}`, 'APP');
    expect(log.entries[0].at).toBe(item.submittedAt);
    expect(item.executionArn).toMatch(new RegExp(`:execution:[^:]+:${applicationId}$`));
    // The link written with the application leads the auditor to the execution started after it.
    const { body: chain } = await runtime.api(`/cases/${caseId}/history`, {}, actors.auditor);
    expect(chain.executions.map((e: { executionArn: string }) => e.executionArn)).toEqual([
      item.executionArn,
    ]);
    expect(chain.executions[0].startDate >= item.submittedAt).toBe(true);
  });
});

describe('an application the township proposes to refuse and the county refuses', () => {
  it('requires reasons, sends them to the county, then records a refusal notice with both, due within 3 working days', async () => {
    const { applicationId } = await flow.submit(
      application({
        regionCode: '410122',
        members: [{ ...application().members[0]!, idNumber: validId('410122', '19700505', 21) }],
      }),
    );
    const task = await flow.task(applicationId, 'townshipReview', 1, '410122');

    const noReasons = await flow.decide(task.taskId, { decision: 'reject' });
    expect(noReasons.status).toBe(400);
    expect(noReasons.body.error.fields[0].field).toBe('reasons');
    const oneVisitor = await flow.decide(task.taskId, {
      decision: 'reject',
      reasons: ['家庭成员隐瞒经营收入'],
      findings: { homeVisit: { visitedOn: today(), visitors: ['王五'], matchesDeclaration: false } },
    });
    expect(oneVisitor.status).toBe(400);
    expect(oneVisitor.body.error.fields[0].field).toBe('findings.homeVisit.visitors');

    const rejected = await flow.decide(task.taskId, {
      decision: 'reject',
      reasons: ['家庭成员隐瞒经营收入'],
      findings: {
        homeVisit: {
          visitedOn: today(),
          visitors: ['王五', '赵六'],
          matchesDeclaration: false,
          notes: '经营小卖部',
        },
        verifications: [{ source: '市场监管', result: 'inconsistent', notes: '名下有个体工商户' }],
      },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decision.findings.homeVisit.visitors).toEqual(['王五', '赵六']);

    // 社会救助法第四十四条: the township proposes, the county decides — the application is still open.
    const county = await flow.task(applicationId, 'countyDetermination', 1, '410122');
    expect(county.proposal).toMatchObject({ decision: 'reject', reasons: ['家庭成员隐瞒经营收入'] });
    expect((await flow.application(applicationId)).status).toBe('underReview');
    const refused = await flow.decide(county.taskId, {
      decision: 'reject',
      reasons: ['经复核，同意乡镇（街道）意见'],
    });
    expect(refused.status).toBe(200);

    const app = await settled(applicationId);
    expect(app.status).toBe('refused');
    expect(app.publicNotice).toBeNull();
    expect(app.consent).toBeNull();
    expect(app.notice.kind).toBe('refusal');
    expect(app.notice.reasons).toEqual(
      expect.arrayContaining([
        '乡镇（街道）审核意见：家庭成员隐瞒经营收入',
        `入户调查（${today()}）：家庭实际情况与申报不符，经营小卖部`,
        '信息核对（市场监管）：与申报不一致，名下有个体工商户',
        '县级民政部门确认意见：经复核，同意乡镇（街道）意见',
      ]),
    );
    // 民发〔2021〕57号: written notice within 3 working days of the decision.
    const decidedDay = chinaDate(new Date(app.determination.decidedAt));
    expect(app.notice.serveBy).toBe(calendar.provisionalDeadline(decidedDay, 3).deadline);
    if (!app.notice.serveByProvisional)
      expect(calendar.workingDaysBetween(decidedDay, app.notice.serveBy)).toBe(3);
    expect(app.determination.nextRecheckDue).toBeUndefined();

    const history = await flow.history(app.caseId);
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
      'Closed',
    ]);
  });

  it('answers 404 for an unknown task and an unknown application', async () => {
    expect(
      (
        await api('/tasks/task-000000000000000000000000/decision', {
          method: 'POST',
          body: JSON.stringify({ decision: 'approve' }),
        })
      ).status,
    ).toBe(404);
    expect((await api('/applications/app-doesnotexist')).status).toBe(404);
    expect((await api('/cases/case-doesnotexist/history')).status).toBe(404);
  });
});

describe('an application approved by the township, publicly noticed and determined by the county', () => {
  it('runs from submission to a determined application with its notice, recheck date and history', async () => {
    const key = `idem-${Date.now()}`;
    const declared = application();
    const first = await submit(declared, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'submitted' });
    const { applicationId, caseId } = first.body;

    // A retried submission with the same key is the same application, not a second one.
    const retry = await submit(declared, { 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.body.applicationId).toBe(applicationId);

    // ---- 乡镇（街道）审核, due in 15 working days
    const task = await flow.task(applicationId, 'townshipReview');
    expect(task).toMatchObject({
      kind: 'townshipReview',
      status: 'open',
      round: 1,
      caseId,
      township: '430121',
    });
    expect(task.taskToken).toBeUndefined();
    expect(task.dueDate).toBe(calendar.provisionalDeadline(today(), 15).deadline);
    expect(task.meansTest.tier).toBe('dibao');

    // The task record holds the token; the notification on SQS carries ids, not personal data.
    const { Item } = await doc().send(
      new GetCommand({ TableName: table(), Key: { pk: `TASK#${task.taskId}`, sk: 'TASK' } }),
    );
    expect(Item?.taskToken).toEqual(expect.any(String));
    const message = await flow.notification((m) => m.taskId === task.taskId);
    expect(message).toMatchObject({
      type: 'taskOpened',
      taskId: task.taskId,
      kind: 'townshipReview',
      township: '430121',
      caseId,
      dueDate: task.dueDate,
    });
    expect(JSON.stringify(message)).not.toContain(declared.members[0]!.idNumber);

    const findings = {
      homeVisit: { visitedOn: today(), visitors: ['王五', '赵六'], matchesDeclaration: true },
      verifications: [
        { source: '人社', result: 'consistent' },
        { source: '不动产登记', result: 'consistent' },
      ],
    };
    const decided = await flow.decide(task.taskId, {
      decision: 'approve',
      reasons: ['入户核实属实'],
      findings,
    });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.findings).toEqual(findings);
    const again = await flow.decide(task.taskId, { decision: 'reject', reasons: ['重复'] });
    expect(again.status).toBe(409);

    // ---- 公示 7 days, ending at the end of its last day (moved off a rest day)
    const noticed = await flow.applicationWhen(applicationId, (a) => a.status === 'publicNotice');
    expect(noticed.statusLabel).toBe('公示中');
    expect(noticed.determination).toBeNull();
    expect(noticed.publicNotice).toEqual({
      round: 1,
      startsOn: today(),
      endsOn: calendar.calendarDayDeadline(today(), 7),
      status: 'open',
      objections: [],
    });
    // The decided task has left the inbox; nothing is due from the county yet.
    const inbox = await api('/tasks?township=430121');
    expect(
      inbox.body.tasks.filter((t: { applicationId: string }) => t.applicationId === applicationId),
    ).toEqual([]);

    await flow.passPublicNotice(applicationId);

    // ---- 县级确认, due 10 working days after the notice closed
    const county = await flow.task(applicationId, 'countyDetermination');
    expect(county).toMatchObject({ status: 'open', round: 1, caseId });
    expect(county.taskId).not.toBe(task.taskId);
    expect(county.dueDate).toBe(calendar.provisionalDeadline(today(), 10).deadline);
    const closed = await flow.application(applicationId);
    expect(closed.status).toBe('underReview');
    expect(closed.publicNotice.status).toBe('closed');
    expect(
      (await flow.decide(county.taskId, { decision: 'approve', decidedBy: '县民政局 钱七' })).status,
    ).toBe(200);

    const app = await settled(applicationId);
    expect(app.status).toBe('approved');
    expect(app.tier).toBe('dibao');
    expect(app.monthlyAmount).toBeGreaterThan(0);
    expect(app.notice.kind).toBe('approval');
    expect(app.notice.body).toMatch(/最低生活保障/);
    expect(app.members[0].idNumber).toMatch(/^430121\*{8}\d{3}[\dX]$/);

    // The first recheck falls due as many months after the determination as the parameters say
    // for this household's tier; the case item carries it for the recheck schedule.
    const { applicant: _a, pledge: _p, verificationConsent: _v, ...household } = application();
    const preview = await api('/means-test', {
      method: 'POST',
      body: JSON.stringify({ ...household, asOf: app.submittedAt.slice(0, 10) }),
    });
    const months = preview.body.recheckIntervalMonths;
    expect(months).toBeGreaterThan(0);
    const decidedDay = chinaDate(new Date(app.determination.decidedAt));
    expect(app.determination.nextRecheckDue).toBe(addMonths(decidedDay, months));
    const caseItem = await flow.item(`CASE#${caseId}`, 'CASE');
    expect(caseItem).toMatchObject({
      nextRecheckDue: app.determination.nextRecheckDue,
      tier: 'dibao',
      determinedApplicationId: applicationId,
    });

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
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'Closed',
    ]);
    const types = history.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.filter((t: string) => t === 'TaskSubmitted')).toHaveLength(2);
    expect(types).toContain('WaitStateEntered');
    expect(types).not.toContain('TaskTimedOut');
    expect(types.at(-1)).toBe('ExecutionSucceeded');

    // The same history through the Step Functions API, as an auditor's tool would read it.
    const sfn = new SFNClient({});
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: history.executionArn }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.input!)).toEqual({ applicationId, caseId, regionCode: '430121' });
    const events = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 5 }),
    );
    expect(events.events).toHaveLength(5);
    expect(events.nextToken).toBeDefined();
  });
});

describe('one open application or active case per person', () => {
  const helpers = lifecycleHelpers(runtime);
  const refusedAs409 = async (body: unknown, openId: string, as: Actor = actors.applicant) => {
    const res = await runtime.api('/applications', { method: 'POST', body: JSON.stringify(body) }, as);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^家庭成员（身份证号 \d{6}\*{8}[\dX]{4}）已有未办结的救助申请/);
    expect(res.body.error.message).toContain(openId);
    return res.body.error;
  };

  it('refuses the same person again while the first is open or its case active, and writes nothing', async () => {
    const household = application();
    const first = await flow.submit(household);
    const records = await countRecords();

    // The attack: the same household again, and again; then its child in another household.
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await refusedAs409(household, first.applicationId);
      expect(error.fields).toEqual([
        { field: 'members.0.idNumber', message: `已有未办结的申请 ${first.applicationId}` },
      ]);
      for (const m of household.members) expect(JSON.stringify(error)).not.toContain(m.idNumber);
    }
    const other = application();
    const withChild = { ...other, members: [other.members[0]!, household.members[1]!] };
    expect((await refusedAs409(withChild, first.applicationId)).fields[0].field).toBe('members.1.idNumber');
    expect(await countRecords()).toBe(records);

    // Two at once for one new household: one application, not two.
    const racing = application();
    const both = await Promise.all([submit(racing), submit(racing)]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);

    // The Idempotency-Key retry of a submission is still its first answer, not a 409.
    const keyed = application();
    const once = await submit(keyed, { 'Idempotency-Key': 'dup-retry-1' });
    expect(once.status).toBe(202);
    const retry = await submit(keyed, { 'Idempotency-Key': 'dup-retry-1' });
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(once.body);
  });

  it('lets a caseworker open a new one with a reason, recorded; an applicant may not give one', async () => {
    const household = application();
    const first = await flow.submit(household);
    await refusedAs409(household, first.applicationId, actors.township);

    const byApplicant = await submit({ ...household, newApplicationReason: '原申请信息有误' });
    expect(byApplicant.status).toBe(400);
    expect(byApplicant.body.error.fields).toEqual([
      { field: 'newApplicationReason', message: expect.stringMatching(/^重新申请的理由仅由/) },
    ]);

    const reason = '原申请录入的收入有误，入户核实后重新录入';
    const reopened = await runtime.api(
      '/applications',
      { method: 'POST', body: JSON.stringify({ ...household, newApplicationReason: reason }) },
      actors.township,
    );
    expect(reopened.status).toBe(202);
    const item = await flow.item(`APP#${reopened.body.applicationId}`, 'APP');
    expect(item.newApplication).toEqual({ reason, openApplicationIds: [first.applicationId] });
    expect(item.declaration.newApplicationReason).toBeUndefined();
    const { body: log } = await runtime.api(`/cases/${reopened.body.caseId}/audit`, {}, actors.auditor);
    expect(log.entries.map((e: { action: string }) => e.action)).toContain('application.reopened');
  });

  it('lets a person apply again once the application is refused or the case has ended', async () => {
    const refusedHousehold = application({ regionCode: '410122' });
    const { applicationId } = await flow.submit(refusedHousehold);
    await flow.refuse(applicationId, '410122', {
      decision: 'reject',
      reasons: ['家庭成员隐瞒经营收入'],
      findings: { homeVisit: { visitedOn: today(), visitors: ['王五', '赵六'], matchesDeclaration: false } },
    });
    await flow.applicationWhen(applicationId, (a) => a.status === 'refused' && a.consent === null);
    await flow.submit(refusedHousehold);

    const approved = application();
    const { applicationId: activeId, caseId } = await helpers.seedApprovedCase(approved);
    await refusedAs409(approved, activeId);
    await updateCase(caseId, { status: 'exited' });
    await flow.submit(approved);
  });
});
