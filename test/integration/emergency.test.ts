/**
 * 临时救助 on the in-memory runtime: applied for where the hardship happened (a Henan household in
 * 长沙市芙蓉区), a small amount paid at once, a paperwork task due in working days, and the paperwork
 * deciding to confirm, refuse, or turn the case into a regular application on the same case.
 */
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../shared/domain/dates.ts';
import { chinaMonth } from '../../shared/domain/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { application, validId } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const lc = lifecycleHelpers(runtime);
const FURONG = '430102';

/** A household from 中牟县 (Henan) in hardship in 长沙市芙蓉区 (Hunan). */
function emergencyRequest(over: Record<string, unknown> = {}) {
  const { requestedTier: _r, ...declaration } = application();
  return {
    ...declaration,
    regionCode: FURONG,
    hukouRegionCode: '410122',
    members: declaration.members.map((m, i) => ({
      ...m,
      idNumber: validId('410122', i ? '20150601' : '19800101', 31 + i),
    })),
    hardship: {
      kind: 'accident',
      description: '务工途中遭遇交通事故，急需医疗费用',
      occurredOn: chinaDate(),
    },
    requestedAmount: 3000,
    ...over,
  };
}

async function submit(body: unknown, key?: string) {
  return api('/emergency', {
    method: 'POST',
    body: JSON.stringify(body),
    ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
  });
}

/** Submits and waits for the grant and the paperwork task. */
async function granted(key?: string) {
  const res = await submit(emergencyRequest(), key);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const { emergencyId, caseId } = res.body;
  const task = await lc.task(caseId, 'emergencyPaperwork', FURONG);
  const view = await eventually(async () => {
    const { body } = await api(`/emergency/${emergencyId}`);
    return body.status === 'granted' ? body : undefined;
  });
  return { emergencyId, caseId, task, view };
}

describe('emergency assistance', () => {
  it('refuses a bad request naming each field, and writes nothing', async () => {
    const before = (await lc.emergencyItems()).length;
    const res = await submit(
      emergencyRequest({
        regionCode: '4301',
        requestedAmount: -5,
        hardship: { kind: 'bored', description: '', occurredOn: '2026-13-01' },
      }),
      'emergency-bad-1',
    );
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(
      res.body.error.fields.map((f: { field: string; message: string }) => [f.field, f.message]),
    );
    expect(fields).toMatchObject({
      regionCode: '行政区划代码应为6位数字',
      requestedAmount: '申请金额必须大于0',
      'hardship.kind': expect.stringContaining('急难类型应为'),
      'hardship.description': '请说明急难情况',
      'hardship.occurredOn': '日期格式应为 YYYY-MM-DD',
    });
    expect((await lc.emergencyItems()).length).toBe(before);
    // The key was not used up by the bad request.
    expect((await submit(emergencyRequest(), 'emergency-bad-1')).status).toBe(202);
  });

  it('grants a small amount at once where the hardship happened, whatever the hukou, and sets the paperwork due', async () => {
    const first = await submit(emergencyRequest(), 'emergency-key-1');
    expect(first.status).toBe(202);
    expect(first.body.emergencyId).toMatch(/^emerg-/);
    // The same key again: the same request, whatever state it has reached meanwhile.
    const again = await submit(emergencyRequest(), 'emergency-key-1');
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ emergencyId: first.body.emergencyId, caseId: first.body.caseId });

    const { emergencyId, caseId } = first.body;
    const task = await lc.task(caseId, 'emergencyPaperwork', FURONG);
    const day = chinaDate();
    const { timeLimits, emergencySmallAmount } = await parametersFor(FURONG, 'urban', day);
    // Paperwork is due within the determination limit, in working days.
    expect(task).toMatchObject({
      status: 'open',
      applicationId: emergencyId,
      township: FURONG,
      dueDate: (await calendar()).provisionalDeadline(day, timeLimits.determinationWorkingDays).deadline,
      emergency: { requestedAmount: 3000, grantedAmount: emergencySmallAmount },
    });

    const view = await eventually(async () => {
      const { body } = await api(`/emergency/${emergencyId}`);
      return body.status === 'granted' ? body : undefined;
    });
    expect(view).toMatchObject({
      regionCode: FURONG,
      hukouRegionCode: '410122',
      statusLabel: '已先行救助，待补办手续',
      grant: { amount: 1000, limit: 1000, month: chinaMonth(new Date()) },
      paperwork: { taskId: task.taskId, dueDate: task.dueDate, decision: null },
    });
    expect(view.notices.map((n: { kind: string }) => n.kind)).toEqual(['emergencyGrant']);
    expect(view.notices[0].body).toContain(`先行给予临时救助1000.00元。请于${task.dueDate}前`);
    expect(view.notices[0].body).toContain('超出先行救助上限的部分（2000.00元）');

    const payments = await lc.payments(caseId);
    expect(payments.map((p) => [p.kind, p.amount, p.tier])).toEqual([['emergencyGrant', 1000, 'emergency']]);
    const history = await lc.history(caseId);
    expect(history.executions.map((e: { workflow: string }) => e.workflow)).toEqual(['Emergency']);
    expect(history.executions[0].states).toEqual(['PlanPaperwork', 'Grant', 'Paperwork']);
  });

  it('converts into a regular application on the same case when the paperwork says so', async () => {
    const { emergencyId, caseId, task } = await granted();
    const res = await api(`/emergency/${emergencyId}/paperwork`, {
      method: 'POST',
      body: JSON.stringify({
        decision: 'approve',
        reasons: ['手续齐全'],
        convertTo: 'dibao',
        decidedBy: '赵六',
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ taskId: task.taskId, decision: 'approve', convertTo: 'dibao' });

    const view = await eventually(async () => {
      const { body } = await api(`/emergency/${emergencyId}`);
      return body.status === 'converted' ? body : undefined;
    });
    const { applicationId } = view.convertedTo;
    expect(view.convertedTo).toMatchObject({ tier: 'dibao', tierLabel: '最低生活保障', caseId });
    expect(view.notices.map((n: { kind: string }) => n.kind).sort()).toEqual([
      'emergencyConverted',
      'emergencyGrant',
    ]);

    // The application is an ordinary one, on the emergency's case, with its own workflow running.
    const app = await api(`/applications/${applicationId}`);
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ caseId, requestedTier: 'dibao' });
    await lc.task(caseId, 'townshipReview', FURONG);
    const history = await eventually(async () => {
      const h = await lc.history(caseId);
      return h.executions.length === 2 && h.executions[0].archived ? h : undefined;
    });
    expect(history.executions.map((e: { workflow: string }) => e.workflow)).toEqual([
      'Emergency',
      'Application',
    ]);
    expect(history.executions[0].states.at(-1)).toBe('ConvertToApplication');

    const twice = await api(`/emergency/${emergencyId}/paperwork`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [] }),
    });
    expect(twice.status).toBe(409);
  });

  it('completes or refuses through the ordinary task decision', async () => {
    const completed = await granted();
    await lc.decide(completed.task.taskId, { decision: 'approve', reasons: ['手续齐全'] });
    const rejected = await granted();
    await lc.decide(rejected.task.taskId, { decision: 'reject', reasons: ['经核实不属于急难情形'] });

    for (const [e, status, kind] of [
      [completed, 'completed', 'emergencyCompleted'],
      [rejected, 'rejected', 'emergencyRejected'],
    ] as const) {
      const view = await eventually(async () => {
        const { body } = await api(`/emergency/${e.emergencyId}`);
        return body.status === status ? body : undefined;
      });
      expect(view.notices.map((n: { kind: string }) => n.kind).sort()).toEqual(
        [kind, 'emergencyGrant'].sort(),
      );
      expect(view.convertedTo).toBeNull();
      // The aid paid first stays paid once.
      expect((await lc.payments(e.caseId)).length).toBe(1);
    }
    const rejectedView = (await api(`/emergency/${rejected.emergencyId}`)).body;
    expect(rejectedView.paperwork).toMatchObject({ decision: 'reject', reasons: ['经核实不属于急难情形'] });
  });

  it('validates the paperwork decision', async () => {
    const { emergencyId } = await granted();
    const bad = await api(`/emergency/${emergencyId}/paperwork`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'reject', reasons: [], convertTo: 'dibao' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'convertTo',
      'reasons',
    ]);
    expect(
      (
        await api('/emergency/emerg-doesnotexist/paperwork', {
          method: 'POST',
          body: '{"decision":"approve"}',
        })
      ).status,
    ).toBe(404);
    expect((await api('/emergency/nope')).status).toBe(400);
  });
});
