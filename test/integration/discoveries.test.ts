/**
 * 主动发现 (社会救助法第三十九条) on the in-memory runtime: a village committee's report becomes a
 * discovery and the township's task to contact the household, due in working days by its urgency; the
 * task closes with the application the household made (linked on both chains) or with why none was
 * made; bad input names its field and writes nothing; a monitoring omission warning whose home check
 * found the need real becomes a discovery of its own.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  NO_WORKFLOW_TOKEN,
  openVerificationTask,
  putWarning,
  VERIFICATION_KIND,
} from '../../shared/repositories/monitoring.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { chainActions, eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const report = {
  regionCode: '430121',
  source: 'committee',
  reportedBy: '长桥村委会 李某',
  address: '长桥村三组12号',
  observed: '独居老人，行动不便，电话13912345678，无固定收入',
  urgency: 'normal',
  contact: { name: '刘大爷', phone: '13912345678' },
};
const record = (body: Body, as: Actor = actors.township) =>
  runtime.api('/discoveries', { method: 'POST', body: JSON.stringify(body) }, as);
const decide = (taskId: string, body: Body) =>
  runtime.api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify(body) }, actors.township);
const inbox = async () =>
  (await runtime.api('/tasks?township=430121', {}, actors.township)).body.tasks as Body[];

describe('主动发现', () => {
  it('runs from a committee’s report to the application it led to, or to why there was none', async () => {
    // ── bad input: the field named, nothing written ──
    const before = (await runtime.api('/discoveries?regionCode=430121', {}, actors.auditor)).body.count;
    const bad = await record({ ...report, observed: '', urgency: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: Body) => f.field).sort()).toEqual(['observed', 'urgency']);
    expect((await record(report, actors.townshipElsewhere)).status).toBe(403);
    expect((await runtime.api('/discoveries?regionCode=430121', {}, actors.auditor)).body.count).toBe(before);

    // ── recorded: the task in the township's inbox, due in 5 working days, nothing personal on it ──
    const made = await record(report);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const found = made.body;
    expect(found).toMatchObject({
      status: 'open',
      sourceLabel: '村（居）民委员会报告',
      dueDate: calendar.deadline(today(), 5),
      detail: { address: report.address, contact: report.contact },
    });
    const task = await eventually(async () => (await inbox()).find((t) => t.taskId === found.taskId));
    expect(task).toMatchObject({ kind: 'outreach', status: 'open', dueDate: found.dueDate });
    expect(task.outreach.summary).toBe('独居老人，行动不便，电话***********，无固定收入');
    expect(JSON.stringify(task)).not.toContain('长桥村三组');
    expect(JSON.stringify(task)).not.toContain('13912345678');
    // The county reads it whole; auditors without where, what and whom.
    expect((await runtime.api(`/discoveries/${found.discoveryId}`, {}, actors.county)).body.detail).toEqual(
      found.detail,
    );
    const audited = await runtime.api(`/discoveries/${found.discoveryId}`, {}, actors.auditor);
    expect(audited.body.detail).toBeUndefined();
    expect(JSON.stringify(audited.body)).not.toContain('13912345678');
    expect((await runtime.api(`/discoveries/${found.discoveryId}`, {}, actors.auditorElsewhere)).status).toBe(
      403,
    );

    // ── closed by the application the household made with the township's help ──
    const missing = await decide(task.taskId, { decision: 'approve', reasons: ['已上门告知政策'] });
    expect(missing.body.error.fields.map((f: Body) => f.field)).toEqual(['applicationId']);
    const unknown = await decide(task.taskId, { decision: 'approve', applicationId: 'app-doesnotexist' });
    expect(unknown.body.error.fields.map((f: Body) => f.field)).toEqual(['applicationId']);
    const { applicationId, caseId } = await flow.submit(application());
    const closed = await decide(task.taskId, {
      decision: 'approve',
      reasons: ['上门告知低保政策，协助填写申请'],
      applicationId,
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('decided');
    expect((await decide(task.taskId, { decision: 'reject', reasons: ['重复'] })).status).toBe(409);
    expect((await inbox()).some((t) => t.taskId === task.taskId)).toBe(false);
    const applied = (await runtime.api(`/discoveries/${found.discoveryId}`, {}, actors.county)).body;
    expect(applied).toMatchObject({
      status: 'applied',
      statusLabel: '已协助申请',
      outcome: { applicationId, closedBy: { name: actors.township.name } },
    });
    expect(chainActions((await readAuditLog(found.chainId)).entries)).toEqual([
      'discovery.recorded',
      'task.opened',
      'discovery.closed',
    ]);
    expect((await readAuditLog(caseId)).entries.map((e) => e.action)).toContain('discovery.linked');

    // ── an urgent one, due the next working day, closed with why no application was made ──
    const urgent = (await record({ ...report, urgency: 'urgent', contact: undefined }, actors.county)).body;
    expect(urgent.dueDate).toBe(calendar.deadline(today(), 1));
    expect((await decide(urgent.taskId, { decision: 'reject' })).body.error.fields[0].field).toBe('reasons');
    expect(
      (await decide(urgent.taskId, { decision: 'reject', reasons: ['经了解子女已接回赡养，生活无困难'] }))
        .status,
    ).toBe(200);
    const listed = (await runtime.api('/discoveries?regionCode=430000', {}, actors.auditor)).body;
    expect(
      listed.discoveries
        .filter((d: Body) => [found.discoveryId, urgent.discoveryId].includes(d.discoveryId))
        .map((d: Body) => [d.urgency, d.status, d.outcome.reasons]),
    ).toEqual([
      ['urgent', 'closed', ['经了解子女已接回赡养，生活无困难']],
      ['normal', 'applied', ['上门告知低保政策，协助填写申请']],
    ]);
  });

  it('turns an omission warning whose home check found the need real into a discovery', async () => {
    const warningId = `wrn-${'5'.repeat(24)}`;
    const at = new Date().toISOString();
    const message = '疑似漏保（因病）：医保结算个人自付25,000.00元，家庭不在低收入人口名单内。';
    await putWarning({
      warningId,
      riskType: 'omission',
      cause: 'illness',
      ruleId: 'omission.illnessOutOfPocket',
      department: 'civilAffairs',
      homeCheck: true,
      scope: 'outside',
      householdId: null,
      caseId: null,
      chainId: 'person-omissiontest',
      regionCode: '430121',
      source: 'medicalInsurance',
      recordId: 'MI-OM-1',
      eventDate: today(),
      subject: '430121********0019',
      message,
      clause: '测试',
      indicatorVersion: 'test',
      sampleData: true,
      asOf: today(),
      status: 'pushed',
      runId: `run-${'6'.repeat(24)}`,
      raisedAt: at,
      pushedAt: at,
      dueDate: calendar.deadline(today(), 10),
      feedbackWorkingDays: 10,
      feedbackClause: '测试',
      escalations: [],
    });
    const checkId = stableId('task', warningId, 'verification');
    await openVerificationTask({
      taskId: checkId,
      kind: VERIFICATION_KIND,
      status: 'open',
      round: 1,
      applicationId: warningId,
      caseId: 'person-omissiontest',
      township: '430121',
      taskToken: NO_WORKFLOW_TOKEN,
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:doudi-monitoring:test',
      createdAt: at,
      dueDate: calendar.deadline(today(), 10),
      warning: {
        warningId,
        riskType: 'omission',
        department: 'civilAffairs',
        subject: '430121********0019',
        message,
        householdId: null,
      },
    });
    expect((await decide(checkId, { decision: 'approve', reasons: ['入户核实：住院费用属实'] })).status).toBe(
      200,
    );
    const discoveryId = stableId('dsc', warningId);
    const found = (await runtime.api(`/discoveries/${discoveryId}`, {}, actors.county)).body;
    expect(found).toMatchObject({
      source: 'warning',
      warningId,
      status: 'open',
      detail: { observed: message },
    });
    expect((await inbox()).find((t) => t.taskId === found.taskId)?.outreach).toMatchObject({
      warningId,
      sourceLabel: '动态监测疑似漏保',
    });
  });
});
