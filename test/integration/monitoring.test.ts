/**
 * 动态监测 end to end on the in-memory runtime: a household approved through the application workflow
 * (so the register learns of it), households of the national register loaded by an administrator, and
 * two department feeds dropped into the local intake bucket — a CSV with malformed rows and a JSON Lines
 * file. Each drop starts a monitoring run (the bucket watcher → the Monitoring workflow, its Distributed
 * Map over chunks of two lines); the test asserts the exact warnings, the messages on each department's
 * queue, the township home checks, the feedback flow (once; 409 again; 403 for another department), the
 * escalation after the due date on the virtual clock, the chain entries, the happiness list and the run
 * reports with their line numbers and reasons — and that dropping the same rows again does nothing twice.
 */
process.env.MONITORING_CHUNK_LINES = '2';

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { readAuditLog, verifyAuditLog } from '../../shared/audit.ts';
import { blindIndex } from '../../shared/crypto.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { warningId } from '../../shared/monitoring/compare/index.ts';
import { type Department, departments } from '../../shared/monitoring/vocabulary.ts';
import { departmentQueues, intakeBucket } from '../../shared/resources.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { chainActions, eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);
// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
type Body = any;

const officer = (department: Department): Actor => ({
  ...actors.department,
  department,
  subject: `test-department-${department}`,
  name: `${department}经办`,
});

// The people: a household approved here (A1, A2), households only the national register knows.
const approvedHousehold = application();
const A1 = approvedHousehold.members[0]!.idNumber;
const X1 = validId('430121', '19700101', 21); // 在册未在保
const X2 = validId('430121', '19600101', 31); // 低保户 HH-IMP-2
const S = validId('430121', '19900101', 41); // 同时在 HH-IMP-2（低保）与 HH-IMP-3（特困）
const NOBODY = validId('430121', '19850101', 51);
const NOBODY2 = validId('430121', '19750101', 61);

const daysFrom = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// ── the department queues, read as the departments' systems would ────────────────────────────────

const sqs = () => new SQSClient({ endpoint: runtime.rt.endpoints.sqs, useQueueUrlAsEndpoint: false });
const queueUrl = (d: Department) => runtime.rt.env[departmentQueues[d].env]!;

/**
 * Every warning message now on a department's queue (received and deleted), waiting until `atLeast`
 * came. The approved household's special-assistance demands (需求推送) share the queues; a department's
 * system tells them apart by `type`, and so does this.
 */
async function drain(d: Department, atLeast = 0): Promise<Body[]> {
  const client = sqs();
  const out: Body[] = [];
  const until = Date.now() + 15_000;
  try {
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl(d), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      out.push(
        ...Messages.map((m: Message) => JSON.parse(m.Body!)).filter((m: Body) =>
          m.type.startsWith('warning'),
        ),
      );
      if (Messages.length)
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl(d),
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      if (!Messages.length && (out.length >= atLeast || Date.now() > until)) return out;
    }
  } finally {
    client.destroy();
  }
}

// ── the intake bucket ─────────────────────────────────────────────────────────────────────────────

/** Drops a feed into the intake bucket; answers the run id the bucket watcher starts it under. */
async function drop(key: string, body: string): Promise<string> {
  const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
  const bucket = runtime.rt.env[intakeBucket.env]!;
  const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  client.destroy();
  return stableId('run', bucket, key, put.ETag!.replace(/"/g, ''));
}

async function completedRun(runId: string): Promise<Body> {
  return eventually(async () => {
    const res = await api(`/monitoring/runs/${runId}`);
    return res.status === 200 && res.body.status === 'completed' ? res.body : undefined;
  });
}

const warningsOf = async (regionCode: string, as: Actor = actors.county, query = '') =>
  (await api(`/warnings?regionCode=${regionCode}${query}`, {}, as)).body;

describe('dynamic monitoring', () => {
  it('feeds dropped into the intake bucket raise, push, check, escalate and account for warnings', {
    timeout: 240_000,
  }, async () => {
    // ── a household approved through the application workflow: the register learns of it ──
    const { applicationId, caseId } = await flow.submit(approvedHousehold);
    await flow.decide((await flow.task(applicationId, 'townshipReview')).taskId, {
      decision: 'approve',
      reasons: ['入户核实属实'],
    });
    await flow.passPublicNotice(applicationId);
    await flow.decide((await flow.task(applicationId, 'countyDetermination')).taskId, {
      decision: 'approve',
    });
    await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    const household = await eventually(async () => flow.item(`HH#${caseId}`, 'HH'));
    expect(household).toMatchObject({
      householdId: caseId,
      caseId,
      regionCode: '430121',
      tier: 'dibao',
      status: 'active',
      memberCount: 2,
      assistance: ['dibaoAllowance'],
      source: 'case',
    });
    expect(household.memberIndexes).toEqual([
      await blindIndex(A1),
      await blindIndex(approvedHousehold.members[1]!.idNumber),
    ]);
    expect(JSON.stringify(household)).not.toContain(A1);

    // ── an emergency grant: a payment on the chain ──
    const { requestedTier: _r, ...declaration } = application();
    const emergency = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify({
        ...declaration,
        members: declaration.members.map((m, i) => ({
          ...m,
          idNumber: validId('430121', '19880101', 71 + i),
        })),
        hardship: { kind: 'fire', description: '家中失火，生活用品全部烧毁', occurredOn: chinaDate() },
        requestedAmount: 800,
      }),
    });
    expect(emergency.status).toBe(202);
    // Paid first by the township caseworker's decision.
    const review = await eventually(async () =>
      (await api('/tasks?township=430121')).body.tasks?.find(
        (t: { caseId: string; kind: string }) =>
          t.caseId === emergency.body.caseId && t.kind === 'emergencyGrant',
      ),
    );
    const granted = await api(`/tasks/${review.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: ['情况紧急'], amount: 800 }),
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    const paid = await eventually(async () => {
      const res = await api(`/cases/${emergency.body.caseId}/payments`, {}, actors.auditor);
      return res.body.payments?.length ? res.body.payments[0] : undefined;
    });

    // ── the national register's households ──
    const imported = await api(
      '/admin/register?regionCode=430121',
      {
        method: 'PUT',
        body: JSON.stringify({
          households: [
            {
              householdId: 'HH-IMP-1',
              regionCode: '430121',
              tier: 'none',
              status: 'monitoring',
              perCapitaMonthlyIncome: 300,
              members: [X1],
            },
            {
              householdId: 'HH-IMP-2',
              regionCode: '430121',
              tier: 'dibao',
              status: 'active',
              perCapitaMonthlyIncome: 350,
              members: [X2, S],
              assistance: ['dibaoAllowance'],
            },
            {
              householdId: 'HH-IMP-3',
              regionCode: '430121',
              tier: 'tekun',
              status: 'active',
              perCapitaMonthlyIncome: 0,
              members: [S],
              assistance: ['tekunSupport'],
            },
            {
              householdId: 'HH-BAD',
              regionCode: '430121',
              tier: 'dibao',
              status: 'active',
              perCapitaMonthlyIncome: 1,
              members: ['430121198001010110'],
            },
            {
              householdId: 'HH-HENAN',
              regionCode: '410122',
              tier: 'dibao',
              status: 'active',
              perCapitaMonthlyIncome: 1,
              members: [NOBODY],
            },
          ],
        }),
      },
      actors.admin,
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toEqual({
      regionCode: '430121',
      received: 5,
      loaded: 3,
      rejected: [
        {
          index: 3,
          householdId: 'HH-BAD',
          reason: '字段 members（家庭成员）：身份证号码校验位不正确（GB 11643）',
        },
        {
          index: 4,
          householdId: 'HH-HENAN',
          reason: '字段 regionCode（行政区划代码）：410122 不在所载入的 430121 范围内',
        },
      ],
    });
    expect(
      (
        await api(
          '/admin/register?regionCode=430121',
          {
            method: 'PUT',
            body: JSON.stringify({
              households: [
                {
                  householdId: 'HH-X',
                  regionCode: '430121',
                  tier: 'none',
                  status: 'monitoring',
                  perCapitaMonthlyIncome: 0,
                  members: [NOBODY],
                },
              ],
            }),
          },
          actors.adminElsewhere,
        )
      ).status,
    ).toBe(403);

    // ── two feeds dropped into the intake bucket ──
    const today = chinaDate();
    const day = (n: number) => daysFrom(today, -n);
    const future = daysFrom(today, 40);
    const csv = [
      'recordId,idNumber,regionCode,eventDate,totalCost,reimbursed,outOfPocket',
      `MI-1,${A1},430121,${day(20)},40000,20000,20000`,
      `MI-2,${X1},430121,${day(19)},30000,5000,25000`,
      `MI-3,430121198001010110,430121,${day(18)},100,50,50`,
      `MI-4,${S},430121,${day(17)},100,50,50`,
      `MI-5,${NOBODY},430121,${day(16)},500,400,100`,
      '',
      `MI-6,${NOBODY2},430121,${day(15)},60000,10000,50000`,
      `MI-7,${A1},430121,${future},100,50,50`,
    ].join('\n');
    const jsonl = [
      JSON.stringify({
        recordId: 'HR-1',
        idNumber: A1,
        regionCode: '430121',
        eventDate: day(10),
        eventType: 'unemploymentRegistration',
      }),
      '{"recordId": "HR-2", "idNumber": ',
      JSON.stringify({
        recordId: 'HR-3',
        idNumber: A1,
        regionCode: '430121',
        eventDate: day(9),
        eventType: 'employment',
        monthlyAmount: 3000,
      }),
      JSON.stringify({ recordId: 'HR-4', idNumber: A1, regionCode: '430121', eventDate: day(8) }),
    ].join('\n');
    const csvRun = await drop('medicalInsurance/2026-11 医保结算.csv', `${csv}\n`);
    const jsonlRun = await drop('humanResources/2026-11.jsonl', jsonl);
    const notAFeed = await drop('health/readme.txt', 'not a feed');

    // The run reports: every line counted, each malformed line with its number and reason.
    const csvReport = await completedRun(csvRun);
    expect(csvReport).toMatchObject({
      runId: csvRun,
      key: 'medicalInsurance/2026-11 医保结算.csv',
      feed: 'medicalInsurance',
      format: 'csv',
      asOf: today,
      lines: 9,
      chunks: 5,
      regionCodes: ['430121'],
    });
    expect(csvReport.report.counts).toEqual({
      lines: 9,
      blank: 1,
      rows: 5,
      rejected: 2,
      matched: 3,
      inside: 2,
      stale: 0,
      warnings: 4,
    });
    expect(csvReport.report.rejections).toEqual([
      { line: 4, reason: '字段 idNumber（身份证号码）：身份证号码校验位不正确（GB 11643）' },
      { line: 9, reason: `字段 eventDate（事件日期）：事件日期 ${future} 晚于比对日期 ${today}` },
    ]);
    expect(csvReport.report).toMatchObject({
      warnings: 4,
      newWarnings: 4,
      byRiskType: { illness: 1, omission: 2, duplicateAssistance: 1 },
      byDepartment: { medicalInsurance: 1, civilAffairs: 3 },
      rejectionsTruncated: false,
      reportKey: `reports/${csvRun}.json`,
    });
    const jsonlReport = await completedRun(jsonlRun);
    expect(jsonlReport.report.counts).toMatchObject({ lines: 4, rows: 2, rejected: 2, warnings: 2 });
    expect(jsonlReport.report.rejections).toEqual([
      { line: 2, reason: '不是有效的 JSON 行' },
      {
        line: 4,
        reason:
          '字段 eventType（事件类型）：事件类型应为 unemploymentRegistration/employment/pensionStart 之一',
      },
    ]);
    const rejectedRun = await eventually(async () => {
      const res = await api(`/monitoring/runs/${notAFeed}`, {}, actors.admin);
      return res.body?.status === 'rejected' ? res.body : undefined;
    });
    expect(rejectedRun.reason).toBe('对象 health/readme.txt 的文件名应以 .csv 或 .jsonl 结尾');
    expect((await api(`/monitoring/runs/${csvRun}`, {}, actors.auditorElsewhere)).status).toBe(403);

    // ── the exact warnings ──
    const nobody2Index = await blindIndex(NOBODY2);
    const expected = [
      [
        'medicalInsurance',
        'MI-1',
        'illnessOutOfPocket',
        caseId,
        'illness',
        'medicalInsurance',
        false,
        caseId,
        A1,
      ],
      [
        'medicalInsurance',
        'MI-2',
        'omission.illnessOutOfPocket',
        'HH-IMP-1',
        'omission',
        'civilAffairs',
        true,
        'household-HH-IMP-1',
        X1,
      ],
      [
        'register',
        'HH-IMP-2+HH-IMP-3',
        'duplicateAssistance.membership',
        'HH-IMP-2',
        'duplicateAssistance',
        'civilAffairs',
        true,
        'household-HH-IMP-2',
        S,
      ],
      [
        'medicalInsurance',
        'MI-6',
        'omission.illnessOutOfPocket',
        null,
        'omission',
        'civilAffairs',
        true,
        `person-${nobody2Index.slice(0, 32)}`,
        NOBODY2,
      ],
      ['humanResources', 'HR-1', 'unemployment', caseId, 'unemployment', 'humanResources', false, caseId, A1],
      ['humanResources', 'HR-3', 'incomeChange', caseId, 'incomeChange', 'civilAffairs', true, caseId, A1],
    ] as const;
    const all = await warningsOf('430000');
    expect(all.count).toBe(6);
    const byId = new Map(all.warnings.map((w: Body) => [w.warningId, w]));
    const dueDate = calendar.deadline(today, 10);
    for (const [
      source,
      identity,
      rule,
      householdId,
      riskType,
      department,
      homeCheck,
      chainId,
      person,
    ] of expected) {
      const id = warningId(source, identity, rule, householdId);
      const w = byId.get(id) as Body;
      expect(w, `${rule} ${identity}`).toMatchObject({
        riskType,
        ruleId: rule,
        department,
        homeCheck,
        householdId,
        chainId,
        regionCode: '430121',
        source,
        subject: maskIdNumber(person),
        status: 'pushed',
        dueDate,
        feedbackWorkingDays: 10,
        escalations: [],
        runId: source === 'humanResources' ? jsonlRun : csvRun,
      });
      expect(w.message).toContain('依据');
      expect(JSON.stringify(w)).not.toContain(person);
    }

    // ── the messages on each department's queue: classified, masked, with the due date ──
    const pushed = Object.fromEntries(
      await Promise.all(
        departments.map(async (d) => [
          d,
          await drain(
            d,
            ({ medicalInsurance: 1, civilAffairs: 4, humanResources: 1 } as Record<string, number>)[d] ?? 0,
          ),
        ]),
      ),
    ) as Record<Department, Body[]>;
    const idsOf = (messages: Body[]) => messages.map((m) => m.warningId).sort();
    const expectedIds = (department: string) =>
      expected
        .filter((e) => e[5] === department)
        .map((e) => warningId(e[0], e[1], e[2], e[3]))
        .sort();
    for (const d of departments) expect(idsOf(pushed[d]), d).toEqual(expectedIds(d));
    for (const m of Object.values(pushed).flat()) {
      expect(m).toMatchObject({ type: 'warningPushed', escalation: 0, dueDate, regionCode: '430121' });
      expect(Object.keys(m).sort()).toEqual(
        [
          'cause',
          'caseId',
          'department',
          'departmentLabel',
          'dueDate',
          'escalation',
          'eventDate',
          'homeCheck',
          'householdId',
          'message',
          'recordId',
          'regionCode',
          'riskType',
          'riskTypeLabel',
          'sentAt',
          'source',
          'subject',
          'type',
          'warningId',
        ].sort(),
      );
      for (const id of [A1, X1, X2, S, NOBODY, NOBODY2]) expect(JSON.stringify(m)).not.toContain(id);
    }
    expect(pushed.medicalInsurance[0]).toMatchObject({
      riskTypeLabel: '因病',
      departmentLabel: '医疗保障部门',
      recordId: 'MI-1',
      subject: maskIdNumber(A1),
    });

    // ── the township's home checks (入户核查) ──
    const homeChecks = await eventually(async () => {
      const { body } = await api('/tasks?township=430121', {}, actors.township);
      const checks = body.tasks.filter((t: Body) => t.kind === 'monitoringVerification');
      return checks.length === 4 ? checks : undefined;
    });
    expect(homeChecks.map((t: Body) => t.applicationId).sort()).toEqual(
      expected
        .filter((e) => e[6])
        .map((e) => warningId(e[0], e[1], e[2], e[3]))
        .sort(),
    );
    for (const t of homeChecks) {
      expect(t).toMatchObject({ status: 'open', township: '430121', dueDate, round: 1 });
      expect(t.warning.warningId).toBe(t.applicationId);
      expect(t.meansTest).toBeUndefined();
    }
    const x1Warning = warningId('medicalInsurance', 'MI-2', 'omission.illnessOutOfPocket', 'HH-IMP-1');
    const x1Check = homeChecks.find((t: Body) => t.applicationId === x1Warning);
    expect(x1Check.caseId).toBe('household-HH-IMP-1');
    const verified = await api(
      `/tasks/${x1Check.taskId}/decision`,
      {
        method: 'POST',
        body: JSON.stringify({ decision: 'approve', reasons: ['入户核实：住院费用属实，家庭无力负担'] }),
      },
      actors.township,
    );
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.status).toBe('decided');
    expect(
      (
        await api(
          `/tasks/${x1Check.taskId}/decision`,
          { method: 'POST', body: JSON.stringify({ decision: 'approve' }) },
          actors.township,
        )
      ).status,
    ).toBe(409);
    expect(
      (await api(`/warnings/${x1Warning}`, {}, officer('civilAffairs'))).body.verification,
    ).toMatchObject({
      taskId: x1Check.taskId,
      status: 'decided',
      decision: { decision: 'approve', reasons: ['入户核实：住院费用属实，家庭无力负担'], decidedBy: '王五' },
    });

    // ── departments see their own warnings, and answer once ──
    const illness = warningId('medicalInsurance', 'MI-1', 'illnessOutOfPocket', caseId);
    const mine = await warningsOf('430121', officer('medicalInsurance'));
    expect(mine.warnings.map((w: Body) => w.warningId)).toEqual([illness]);
    expect(mine.department).toBe('medicalInsurance');
    expect(
      (await api('/warnings?regionCode=430121&department=civilAffairs', {}, officer('medicalInsurance')))
        .status,
    ).toBe(403);
    expect((await api(`/warnings/${illness}`, {}, officer('humanResources'))).status).toBe(403);
    expect((await api('/warnings?regionCode=110101', {}, officer('medicalInsurance'))).status).toBe(403);

    const answer = (id: string, body: unknown, as: Actor) =>
      api(`/warnings/${id}/feedback`, { method: 'POST', body: JSON.stringify(body) }, as);
    const incomplete = await answer(illness, { result: 'assisted' }, officer('medicalInsurance'));
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.fields).toEqual([{ field: 'measures', message: '处置措施必须填写' }]);
    const noHelp = await answer(
      illness,
      { result: 'assisted', measures: '已纳入医疗救助' },
      officer('medicalInsurance'),
    );
    expect(noHelp.body.error.fields).toEqual([
      { field: 'assistance', message: '已落实救助帮扶的，须写明落实的救助项目' },
    ]);
    const feedback = {
      result: 'assisted',
      measures: '已纳入重特大疾病医疗救助，个人自付部分按70%救助',
      assistance: ['medicalAssistance'],
      amount: 14000,
    };
    expect((await answer(illness, feedback, officer('humanResources'))).status).toBe(403);
    const answered = await answer(illness, feedback, officer('medicalInsurance'));
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'answered',
      statusLabel: '已反馈',
      feedback: {
        result: 'assisted',
        resultLabel: '已落实救助帮扶',
        assistance: ['medicalAssistance'],
        amount: 14000,
        handledOn: today,
        answeredBy: { name: 'medicalInsurance经办', role: 'departmentOfficer' },
        late: false,
      },
    });
    const again = await answer(illness, { ...feedback, measures: '再次反馈' }, officer('medicalInsurance'));
    expect(again.status).toBe(409);
    // A retry with the same Idempotency-Key (the first answer was lost) gets the first answer, not a 409.
    const x1Feedback = {
      method: 'POST',
      headers: { 'Idempotency-Key': 'feedback-x1-1' },
      body: JSON.stringify({
        result: 'assisted',
        measures: '入户核实后纳入临时救助',
        assistance: ['temporaryAssistance'],
        amount: 2000,
      }),
    };
    const x1Answer = await api(`/warnings/${x1Warning}/feedback`, x1Feedback, officer('civilAffairs'));
    expect(x1Answer.status).toBe(200);
    const x1Retry = await api(`/warnings/${x1Warning}/feedback`, x1Feedback, officer('civilAffairs'));
    expect([x1Retry.status, x1Retry.body.feedback.answeredAt]).toEqual([
      200,
      x1Answer.body.feedback.answeredAt,
    ]);
    expect((await warningsOf('430121', actors.auditor, '&status=answered')).count).toBe(2);

    // ── the same rows again: nothing twice ──
    const rerun = await drop('medicalInsurance/2026-11 重报.csv', `${csv}\n`);
    expect((await completedRun(rerun)).report).toMatchObject({ warnings: 4, newWarnings: 0 });
    const afterRerun = await Promise.all(departments.map((d) => drain(d)));
    expect(afterRerun.flat(), 'nothing pushed again').toEqual([]);
    expect((await warningsOf('430000')).count).toBe(6);

    // ── the due date passes: what is unanswered escalates, once ──
    flow.passEndOf(dueDate);
    const unanswered = expected
      .map((e) => warningId(e[0], e[1], e[2], e[3]))
      .filter((id) => id !== illness && id !== x1Warning);
    const escalated = await eventually(async () => {
      const list = await warningsOf('430000', actors.county, '&status=escalated');
      return list.count === unanswered.length ? list.warnings : undefined;
    });
    const newDue = calendar.deadline(chinaDate(), 3);
    for (const w of escalated) {
      expect(w.escalations).toEqual([
        { escalatedAt: expect.any(String), overdueSince: dueDate, newDueDate: newDue },
      ]);
      expect(w.dueDate).toBe(newDue);
    }
    expect(escalated.map((w: Body) => w.warningId).sort()).toEqual(unanswered.sort());
    const repushed = {
      civilAffairs: await drain('civilAffairs', 3),
      humanResources: await drain('humanResources', 1),
      medicalInsurance: await drain('medicalInsurance'),
    };
    expect(repushed.medicalInsurance).toEqual([]);
    expect(repushed.civilAffairs.map((m: Body) => m.warningId).sort()).toEqual(
      unanswered.filter((id) => (byId.get(id) as Body).department === 'civilAffairs').sort(),
    );
    for (const m of [...repushed.civilAffairs, ...repushed.humanResources]) {
      expect(m).toMatchObject({ type: 'warningEscalated', escalation: 1, dueDate: newDue });
      expect(m.message).toMatch(/^【督办：逾期未反馈（第1次），请于\d{4}-\d\d-\d\d前反馈】/);
    }
    // The supervisors hear of it in the county's inbox.
    const supervised = await flow.notification(
      (n) =>
        n.type === 'warningEscalated' &&
        n.taskId === warningId('humanResources', 'HR-1', 'unemployment', caseId),
    );
    expect(supervised).toMatchObject({
      kind: 'monitoringWarning',
      caseId,
      overdueSince: dueDate,
      newDueDate: newDue,
    });
    // An answer after the due date is late.
    const late = await answer(
      warningId('humanResources', 'HR-1', 'unemployment', caseId),
      { result: 'referred', measures: '已转交县就业服务中心办理就业援助' },
      officer('humanResources'),
    );
    expect(late.body.feedback).toMatchObject({ result: 'referred', late: true });

    // ── the household's assistance chain ──
    const { status, body: audit } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(status).toBe(200);
    expect(audit.verification.valid).toBe(true);
    const actions = audit.entries.map((e: Body) => e.action);
    const count = (a: string) => actions.filter((x: string) => x === a).length;
    expect([
      count('register.updated'),
      count('warning.raised'),
      count('warning.pushed'),
      count('warning.answered'),
      count('warning.escalated'),
    ]).toEqual([1, 3, 3, 2, 2]);
    const monitoringEntries = audit.entries.filter(
      (e: Body) => e.action.startsWith('warning.') || e.action === 'register.updated',
    );
    expect(monitoringEntries.map((e: Body) => e.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^认定后登记在低收入人口名单：最低生活保障，在保（2人，人均月收入100\.00元）$/),
        '因病预警（医疗费用个人自付负担重）：医疗保障部门记录 MI-1，人员 ' + maskIdNumber(A1),
        `分类推送医疗保障部门，请于${dueDate}前反馈（10个工作日）`,
        `分类推送民政部门，请于${dueDate}前反馈；需乡镇（街道）入户核查（10个工作日）`,
        '医疗保障部门反馈因病预警：已落实救助帮扶，落实医疗救助，金额14,000.00元（已纳入重特大疾病医疗救助，个人自付部分按70%救助）',
        `人力资源社会保障部门逾期未反馈因失业预警（期限${dueDate}），报督办，再次推送，新期限${newDue}`,
      ]),
    );
    for (const e of audit.entries) for (const id of [A1, X1, S]) expect(e.summary).not.toContain(id);
    // A household the national register alone knows has its own chain: the warning, the push, the home check, the answer.
    const x1Chain = await readAuditLog('household-HH-IMP-1');
    expect(chainActions(x1Chain.entries)).toEqual([
      'warning.raised',
      'warning.pushed',
      'task.opened',
      'task.decided',
      'warning.answered',
    ]);
    expect((await verifyAuditLog('household-HH-IMP-1')).valid).toBe(true);
    expect(chainActions((await readAuditLog(`person-${nobody2Index.slice(0, 32)}`)).entries)).toEqual([
      'warning.raised',
      'warning.pushed',
      'task.opened',
      'warning.escalated',
    ]);

    // ── the happiness list ──
    const from = daysFrom(today, -30);
    const to = chinaDate();
    const list = await api(
      `/reports/happiness-list?regionCode=430000&from=${from}&to=${to}`,
      {},
      actors.auditor,
    );
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.determinations).toEqual([{ tier: 'dibao', tierLabel: '最低生活保障', count: 1 }]);
    expect(list.body.payments).toEqual([
      {
        paymentKind: 'emergencyGrant',
        paymentKindLabel: '临时救助先行发放',
        tier: 'emergency',
        tierLabel: '临时救助',
        count: 1,
        households: 1,
        amount: paid.amount,
      },
    ]);
    expect(list.body.warningsAnswered).toEqual([
      {
        riskType: 'illness',
        riskTypeLabel: '因病',
        department: 'medicalInsurance',
        departmentLabel: '医疗保障部门',
        result: 'assisted',
        resultLabel: '已落实救助帮扶',
        count: 1,
        amount: 14000,
        assistance: [{ type: 'medicalAssistance', label: '医疗救助', count: 1 }],
      },
      {
        riskType: 'omission',
        riskTypeLabel: '疑似漏保',
        department: 'civilAffairs',
        departmentLabel: '民政部门',
        result: 'assisted',
        resultLabel: '已落实救助帮扶',
        count: 1,
        amount: 2000,
        assistance: [{ type: 'temporaryAssistance', label: '临时救助', count: 1 }],
      },
      {
        riskType: 'unemployment',
        riskTypeLabel: '因失业',
        department: 'humanResources',
        departmentLabel: '人力资源社会保障部门',
        result: 'referred',
        resultLabel: '已转交其他部门办理',
        count: 1,
        amount: 0,
        assistance: [],
      },
    ]);
    expect(list.body.totals).toMatchObject({
      payments: 1,
      paid: paid.amount,
      determinations: 1,
      warningsAnswered: 3,
    });
    expect(list.body.byRegion.map((r: Body) => r.regionCode)).toEqual(['430121']);
    // Another province's list is empty; another jurisdiction may not look.
    const henan = await api(
      `/reports/happiness-list?regionCode=410000&from=${from}&to=${to}`,
      {},
      actors.auditor,
    );
    expect(henan.body.totals).toEqual({
      households: 0,
      payments: 0,
      paid: 0,
      determinations: 0,
      warningsAnswered: 0,
      demandsAnswered: 0,
    });
    expect(
      (
        await api(
          `/reports/happiness-list?regionCode=430000&from=${from}&to=${to}`,
          {},
          actors.auditorElsewhere,
        )
      ).status,
    ).toBe(403);
    const badRange = await api(
      `/reports/happiness-list?regionCode=430000&from=${to}&to=${from}`,
      {},
      actors.auditor,
    );
    expect(badRange.body.error.fields).toEqual([{ field: 'query.to', message: '截止日期不能早于起始日期' }]);
    expect(clock.now()).toBeGreaterThan(Date.parse(`${dueDate}T16:00:00Z`));
  });
});
