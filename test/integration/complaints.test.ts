/**
 * 举报投诉 (社会救助法第六十、六十三、六十八条) on the in-memory runtime: anyone reports online without
 * signing in and reads the conclusion with the code they were given; a hotline operator records a
 * call; the county verifies from the file (each reading on the chain), is escalated past the due date
 * and concludes; auditors count them by region, timeliness and outcome — never who reported.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { chainActions, eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const report = {
  regionCode: '430121',
  kind: 'ineligiblePaid',
  content: '长桥村某户家中有两套商品房、一辆小轿车，仍在享受低保',
  reporter: { name: '赵某', phone: '13700001111' },
};
const statsOf = async () =>
  (
    await runtime.api(
      `/reports/complaints?regionCode=430000&from=${today()}&to=${today()}`,
      {},
      actors.auditor,
    )
  ).body as Body;
const inbox = async () =>
  (await runtime.api('/tasks?township=430121', {}, actors.county)).body.tasks as Body[];

describe('举报投诉', () => {
  it('runs from a report online and a hotline call to the county’s conclusion, told to the reporter', async () => {
    // ── bad input: named, nothing written ──
    const before = (await statsOf()).total;
    const bad = await runtime.api(
      '/complaints',
      { method: 'POST', body: JSON.stringify({ ...report, kind: 'rumour', content: '太短' }) },
      'anonymous',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: Body) => f.field).sort()).toEqual(['content', 'kind']);
    expect((await statsOf()).total).toBe(before);

    // ── online, without signing in: a code to read the conclusion with ──
    const made = await runtime.api(
      '/complaints',
      { method: 'POST', body: JSON.stringify(report) },
      'anonymous',
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { complaintId, code } = made.body;
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(made.body).toMatchObject({
      status: 'open',
      channel: 'online',
      dueDate: calendar.deadline(today(), 15),
    });
    const status = (c: string, id = complaintId) =>
      runtime.api(`/complaints/${id}/status?code=${c}`, {}, 'anonymous');
    expect((await status(code)).body).toMatchObject({ status: 'open', statusLabel: '核实处理中' });
    expect((await status(code)).body.code).toBeUndefined();
    const wrong = await status(code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA');
    const none = await status(code, 'cmp-000000000000000000000000');
    expect([wrong.status, none.status]).toEqual([404, 404]);
    expect(wrong.body).toEqual(none.body);

    // ── a hotline call, recorded by the township's operator ──
    const call = await runtime.api(
      '/complaints/recorded',
      {
        method: 'POST',
        body: JSON.stringify({
          regionCode: '430121',
          kind: 'staffMisconduct',
          content: '来电反映某村干部为亲属违规办理低保',
          channel: 'hotline',
        }),
      },
      actors.township,
    );
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    expect(call.body.channelLabel).toBe('服务热线');

    // ── in the county's inbox, the file read by the county alone, each reading on the chain ──
    const task = await eventually(async () =>
      (await inbox()).find((t) => t.kind === 'complaintReview' && t.complaint.complaintId === complaintId),
    );
    expect(JSON.stringify(task)).not.toContain('13700001111');
    expect(JSON.stringify(task)).not.toContain('商品房');
    const file = await runtime.api(`/complaints/${complaintId}`, {}, actors.county);
    expect(file.body).toMatchObject({ content: report.content, reporter: report.reporter });
    expect((await runtime.api(`/complaints/${complaintId}`, {}, actors.auditor)).status).toBe(403);
    expect((await runtime.api(`/complaints/${complaintId}`, {}, actors.countyElsewhere)).status).toBe(403);
    const chain = `complaint-${complaintId}`;
    expect(chainActions((await readAuditLog(chain)).entries)).toEqual([
      'complaint.received',
      'task.opened',
      'complaint.read',
    ]);
    const decide = (body: Body, as: Actor = actors.county) =>
      runtime.api(`/tasks/${task.taskId}/decision`, { method: 'POST', body: JSON.stringify(body) }, as);
    expect((await decide({ decision: 'approve' }, actors.township)).status).toBe(403);
    expect((await decide({ decision: 'approve' })).body.error.fields[0].field).toBe('reasons');

    // ── past the due date: escalated to the supervisors ──
    flow.passEndOf(made.body.dueDate);
    const escalated = await eventually(async () => {
      const body = (await status(code)).body;
      return body.status === 'escalated' ? body : undefined;
    });
    expect(escalated.dueDate).toBe(calendar.deadline(today(), 3));
    const supervised = await flow.notification((n) => n.type === 'taskEscalated' && n.taskId === task.taskId);
    expect(supervised).toMatchObject({ kind: 'complaintReview', overdueSince: made.body.dueDate });

    // ── concluded: the reporter reads it; once ──
    const concluded = await decide({
      decision: 'approve',
      reasons: ['经入户核查，该户确有商品房两套，已终止低保并追回多发资金'],
    });
    expect(concluded.status, JSON.stringify(concluded.body)).toBe(200);
    expect((await decide({ decision: 'reject', reasons: ['再次'] })).status).toBe(409);
    expect((await status(code)).body).toMatchObject({
      status: 'substantiated',
      statusLabel: '经核实属实，已处理',
      conclusion: {
        substantiated: true,
        reasons: ['经入户核查，该户确有商品房两套，已终止低保并追回多发资金'],
      },
    });
    expect(chainActions((await readAuditLog(chain)).entries).slice(-2)).toEqual([
      'task.escalated',
      'complaint.concluded',
    ]);

    // ── the auditors' counts: by kind, outcome, timeliness and county, nobody's name ──
    const stats = await runtime.api(
      `/reports/complaints?regionCode=430000&from=${chainDay(made.body.receivedAt)}&to=${today()}`,
      {},
      actors.auditor,
    );
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body).toMatchObject({
      total: 2,
      outcomes: { open: 1, substantiated: 1, unsubstantiated: 0 },
      timeliness: { concludedOnTime: 0, concludedLate: 1, openOverdue: 1 },
      byRegion: [{ regionCode: '430121', total: 2, open: 1, substantiated: 1, late: 2 }],
    });
    expect(stats.body.byKind.map((k: Body) => k.kindLabel)).toEqual([
      '不符合条件却享受救助',
      '工作人员违法违规（滥用职权、玩忽职守、徇私舞弊等）',
    ]);
    expect(JSON.stringify(stats.body)).not.toContain('赵某');
  });
});

const chainDay = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);
