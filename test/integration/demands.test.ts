/**
 * 需求推送 on the in-memory runtime: a 低保 household with a child in school and an adult out of work
 * is approved; each special-assistance item becomes a demand to its department, pushed to that
 * department's queue by the scheduled sweep (masked), read by the department with who it reaches
 * (recorded on the chain), answered once, escalated when unanswered past its due date, counted in the
 * happiness list; ending the benefit pushes the demands to stop; each month's change list
 * (增减变动名单) names who entered and who left.
 */

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { readAuditLog } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { addMonthsToMonth } from '../../shared/domain/lifecycle.ts';
import type { Department } from '../../shared/monitoring/vocabulary.ts';
import { departmentFilesBucket, departmentQueues } from '../../shared/resources.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const lc = lifecycleHelpers(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const officer = (department: Department) => ({
  ...actors.department,
  subject: `test-${department}`,
  name: `${department}officer`,
  department,
});
const medical = actors.department;
const elsewhere = { ...actors.department, subject: 'test-department-bj', regionCodes: ['110101'] };

/** An object of the departments' bucket, or undefined while it is not there. */
async function readObject(key: string): Promise<string | undefined> {
  const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
  try {
    const { Body } = await client.send(
      new GetObjectCommand({ Bucket: runtime.rt.env[departmentFilesBucket.env]!, Key: key }),
    );
    return await Body!.transformToString();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** Every message now on a department's queue (received and deleted), waiting until `atLeast` came. */
async function drain(d: Department, atLeast: number): Promise<Body[]> {
  const client = new SQSClient({ endpoint: runtime.rt.endpoints.sqs, useQueueUrlAsEndpoint: false });
  const url = runtime.rt.env[departmentQueues[d].env]!;
  const out: Body[] = [];
  const until = Date.now() + 15_000;
  try {
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      out.push(...Messages.map((m: Message) => JSON.parse(m.Body!)));
      if (Messages.length)
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      if (!Messages.length && (out.length >= atLeast || Date.now() > until)) return out;
    }
  } finally {
    client.destroy();
  }
}

type Caller = Parameters<typeof runtime.api>[2];
const demandsOf = async (as: Caller, query = '') => {
  const res = await runtime.api(`/demands?regionCode=430000${query}`, {}, as);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Body;
};
const answer = (demandId: string, body: Body, as: Caller = medical) =>
  runtime.api(`/demands/${demandId}/feedback`, { method: 'POST', body: JSON.stringify(body) }, as);
/** Runs the sweep (every minute of virtual time) until `ready` holds. */
const afterSweep = <T>(ready: () => Promise<T | undefined>) =>
  eventually(async () => {
    clock.advance(61_000);
    return ready();
  });

describe('需求推送', () => {
  it('pushes each item to its department, which reads, answers, or is escalated; an end is pushed too', async () => {
    const declaration = application();
    declaration.members[1] = {
      ...declaration.members[1]!,
      schooling: { stage: 'compulsory', fullTime: true },
    };
    const { applicationId, caseId } = await flow.submit(declaration);
    const county = await flow.reviewToCounty(applicationId);
    expect((await flow.decide(county.taskId, { decision: 'approve', reasons: ['符合条件'] })).status).toBe(
      200,
    );
    await flow.applicationWhen(applicationId, (a) => a.status === 'approved' && a.specialAssistance !== null);

    // ── pushed by the sweep, each to its own department ──
    const pushed = await afterSweep(async () => {
      const all = await demandsOf(actors.county);
      return all.count === 6 && all.demands.every((d: Body) => d.status === 'pushed') ? all : undefined;
    });
    const byDepartment = (d: Department) => pushed.demands.filter((x: Body) => x.department === d);
    expect(byDepartment('medicalInsurance')).toHaveLength(4);
    expect(byDepartment('education').map((d: Body) => d.itemLabel)).toEqual(['教育救助']);
    expect(byDepartment('humanResources').map((d: Body) => d.itemLabel)).toEqual(['就业救助']);
    const pushedOn = today();
    const dueDate = calendar.deadline(pushedOn, 10);
    for (const d of pushed.demands) {
      expect(d).toMatchObject({ kind: 'start', kindLabel: '新增', caseId, tier: 'dibao', dueDate });
      expect(d.person, 'the list never names the person').toBeUndefined();
      expect(d.subject).toMatch(/^430121\*{8}\d{3}[\dX]$/);
    }
    const messages = await drain('medicalInsurance', 4);
    expect(messages).toHaveLength(4);
    for (const m of messages) {
      expect(m).toMatchObject({ type: 'demandPushed', escalation: 0, dueDate, regionCode: '430121' });
      const text = JSON.stringify(m);
      expect(text).not.toContain('张三');
      expect(text).not.toContain(declaration.members[0]!.idNumber);
    }
    expect((await drain('education', 1))[0]!.message).toMatch(
      /^【需求推送】最低生活保障家庭成员（430121\*{8}.{4}）自\d{4}-\d\d-\d\d起享受教育救助：/,
    );
    // A second sweep pushes nothing again.
    clock.advance(61_000);
    expect(await drain('medicalInsurance', 0)).toEqual([]);

    // ── each department sees its own, within its regions ──
    const edu = officer('education');
    const hr = officer('humanResources');
    expect((await demandsOf(edu)).count).toBe(1);
    expect((await demandsOf(medical)).count).toBe(4);
    expect((await runtime.api('/demands?regionCode=430000&department=education', {}, medical)).status).toBe(
      403,
    );
    expect((await runtime.api('/demands?regionCode=430000', {}, elsewhere)).status).toBe(403);
    const premium = byDepartment('medicalInsurance').find(
      (d: Body) => d.item === 'medicalPremium' && d.member === 0,
    )!;
    expect((await runtime.api(`/demands/${premium.demandId}`, {}, edu)).status).toBe(403);
    expect((await runtime.api(`/demands/${premium.demandId}`, {}, elsewhere)).status).toBe(403);
    expect((await runtime.api('/demands/dmd-000000000000000000000000', {}, medical)).status).toBe(404);

    // The department that must act reads who it is; that reading is on the chain. The county reads it masked.
    const read = await runtime.api(`/demands/${premium.demandId}`, {}, medical);
    expect(read.body.person).toEqual({ name: '张三', idNumber: declaration.members[0]!.idNumber });
    expect(
      (await runtime.api(`/demands/${premium.demandId}`, {}, actors.county)).body.person,
    ).toBeUndefined();
    const viewed = (await readAuditLog(caseId)).entries.filter((e) => e.action === 'demand.viewed');
    expect(viewed.map((e) => e.actor.name)).toEqual([medical.name]);

    // ── the answer: once, with a result that fits the demand ──
    const wrong = await answer(premium.demandId, { result: 'stopped', measures: '已停止' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.map((f: Body) => f.field)).toEqual(['result']);
    const missing = await answer(premium.demandId, { result: 'granted' });
    expect(missing.body.error.fields.map((f: Body) => f.field)).toEqual(['measures']);
    const granted = await answer(premium.demandId, {
      result: 'granted',
      measures: '已资助2027年度城乡居民医保个人缴费',
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body).toMatchObject({
      status: 'answered',
      feedback: { result: 'granted', resultLabel: '已落实', late: false, handledOn: today() },
    });
    expect((await answer(premium.demandId, { result: 'granted', measures: '再次反馈' })).status).toBe(409);
    expect(
      (await answer(byDepartment('education')[0]!.demandId, { result: 'granted', measures: '不是本部门' }))
        .status,
    ).toBe(403);
    const job = byDepartment('humanResources')[0]!;
    expect(
      (await answer(job.demandId, { result: 'granted', measures: '已登记失业并推荐岗位3个' }, hr)).status,
    ).toBe(200);

    // ── the month's change list (增减变动名单): 张三 and 张小明 entered 医保's items ──
    const month = pushedOn.slice(0, 7);
    const changes = await runtime.api(`/register/changes?regionCode=430121&month=${month}`, {}, medical);
    expect(changes.status, JSON.stringify(changes.body)).toBe(200);
    expect(changes.body).toMatchObject({ counts: { entered: 2, changed: 0, left: 0 }, final: false });
    expect(changes.body.rows.map((r: Body) => [r.changeLabel, r.subject, r.started])).toEqual(
      [0, 1].map((i) => [
        '新增',
        maskIdNumber(declaration.members[i]!.idNumber),
        ['城乡居民基本医疗保险个人缴费资助', '医疗救助'],
      ]),
    );
    const file = await (await fetch(changes.body.url)).text();
    expect(file.split('\r\n')[0]).toBe(
      // (the UTF-8 BOM the file starts with is read away)
      '变动类型,姓名,身份证号码,行政区划代码,救助类别,新增项目,停止项目,决定日期',
    );
    expect(file).toContain(`新增,张三,${declaration.members[0]!.idNumber},430121,最低生活保障,`);
    expect(
      (await runtime.api(`/register/changes?regionCode=110101&month=${month}`, {}, medical)).status,
    ).toBe(403);
    expect((await readAuditLog(`changes-medicalInsurance-430121`)).entries.map((e) => e.action)).toEqual([
      'changeList.downloaded',
    ]);

    // ── past the due date, what is unanswered is escalated, once, and re-pushed ──
    flow.passEndOf(dueDate);
    const escalated = await afterSweep(async () => {
      const list = await demandsOf(actors.county, '&status=escalated');
      return list.count === 4 ? list : undefined;
    });
    const newDue = calendar.deadline(today(), 3);
    for (const d of escalated.demands)
      expect(d).toMatchObject({
        dueDate: newDue,
        escalations: [{ overdueSince: dueDate, newDueDate: newDue }],
      });
    const again = await drain('medicalInsurance', 3);
    expect(again.map((m) => [m.type, m.escalation])).toEqual([
      ['demandEscalated', 1],
      ['demandEscalated', 1],
      ['demandEscalated', 1],
    ]);
    expect(again[0]!.message).toMatch(/^【督办：逾期未反馈（第1次），请于.+前反馈】【需求推送】/);
    // The supervisors hear of it in the county's inbox.
    const supervised = await flow.notification(
      (n) => n.type === 'demandEscalated' && n.taskId === escalated.demands[0].demandId,
    );
    expect(supervised).toMatchObject({ kind: 'specialDemand', overdueSince: dueDate, newDueDate: newDue });
    const late = await answer(
      byDepartment('education')[0]!.demandId,
      { result: 'declined', measures: '学生已转学外省' },
      edu,
    );
    expect(late.body.feedback).toMatchObject({ result: 'declined', late: true });

    // ── on the chain and in the happiness list ──
    const log = await readAuditLog(caseId);
    const count = (action: string) => log.entries.filter((e) => e.action === action).length;
    expect([count('demand.pushed'), count('demand.escalated'), count('demand.answered')]).toEqual([6, 4, 3]);
    const happiness = await runtime.api(
      `/reports/happiness-list?regionCode=430000&from=${pushedOn}&to=${today()}`,
      {},
      actors.auditor,
    );
    expect(happiness.body.totals.demandsAnswered).toBe(3);
    expect(
      happiness.body.demandsAnswered.map(
        (r: Body) => `${r.departmentLabel}·${r.itemLabel}·${r.resultLabel}·${r.count}`,
      ),
    ).toEqual([
      '教育部门·教育救助·未落实（写明原因）·1',
      '人力资源社会保障部门·就业救助·已落实·1',
      '医疗保障部门·城乡居民基本医疗保险个人缴费资助·已落实·1',
    ]);

    // ── the benefit ends: every item's department is told to stop ──
    await lc.declare(caseId, {
      ...declaration,
      members: [
        { ...declaration.members[0]!, incomes: [{ kind: 'pension', monthlyAmount: 6000 }] },
        declaration.members[1]!,
      ],
    });
    await lc.startDue(caseId, 'Recheck');
    const task = await lc.task(caseId, 'recheckConfirmation');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['家庭养老金收入超过认定标准'] });
    await lc.hear(caseId, 'agree');
    const ends = await afterSweep(async () => {
      const list = (await demandsOf(actors.county)).demands.filter((d: Body) => d.kind === 'end');
      return list.length === 6 && list.every((d: Body) => d.status === 'pushed') ? list : undefined;
    });
    expect(ends.every((d: Body) => d.tier === null && d.cause === 'termination')).toBe(true);
    const stop = ends.find((d: Body) => d.item === 'employmentAssistance')!;
    expect((await answer(stop.demandId, { result: 'granted', measures: '已落实' }, hr)).status).toBe(400);
    expect((await answer(stop.demandId, { result: 'stopped', measures: '已停止就业援助' }, hr)).status).toBe(
      200,
    );

    // ── the month over, each department's file for the county is dropped, the ended items as 减少 ──
    const endedIn = chinaDate(new Date(stop.decidedAt)).slice(0, 7);
    const next = addMonthsToMonth(endedIn, 1);
    clock.advance(Math.max(0, Date.parse(`${next}-01T01:00:00+08:00`) - clock.now()));
    const dropped = await eventually(async () => {
      clock.advance(3_600_000);
      return readObject(`change-lists/humanResources/430121/${endedIn}.csv`);
    });
    expect(dropped).toContain(`减少,张三,${declaration.members[0]!.idNumber},430121,救助已终止,,就业救助,`);
  });
});
