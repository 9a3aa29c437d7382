/**
 * 临时救助 on the in-memory runtime: applied for where the hardship happened (a Henan household in
 * 长沙市芙蓉区); nothing paid until a caseworker decides to pay first and how much — never above the
 * place's small-amount limit or what is left of the household's limit over its period — one open
 * request per person; a paperwork task due in working days, and the paperwork deciding to confirm,
 * refuse, or turn the case into a regular application on the same case.
 */
import { describe, expect, it } from 'vitest';
import { blindIndex } from '../../shared/crypto.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { chinaMonth, EMERGENCY_GRANT_WORKING_DAYS } from '../../shared/domain/lifecycle.ts';
import { type EmergencyRecord, recordEmergencyGrantLedger } from '../../shared/repositories/lifecycle.ts';
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
    // Other people every call (a person's second open request is refused), with Henan ID numbers.
    members: declaration.members.map((m) => ({
      ...m,
      idNumber: validId('410122', m.idNumber.slice(6, 14), Number(m.idNumber.slice(14, 17))),
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

const status = (emergencyId: string, wanted: string) =>
  eventually(async () => {
    const { body } = await api(`/emergency/${emergencyId}`);
    return body.status === wanted ? body : undefined;
  });

/** Submits, has the caseworker pay `amount` first, and waits for the grant and the paperwork task. */
async function granted(amount = 1000, request = emergencyRequest()) {
  const res = await submit(request);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const { emergencyId, caseId } = res.body;
  const review = await lc.task(caseId, 'emergencyGrant', FURONG);
  await lc.decide(review.taskId, { decision: 'approve', reasons: ['情况紧急'], amount });
  const task = await lc.task(caseId, 'emergencyPaperwork', FURONG);
  const view = await status(emergencyId, 'granted');
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

  it('pays nothing until a caseworker decides, then the amount decided, and sets the paperwork due', async () => {
    const request = emergencyRequest();
    const first = await submit(request, 'emergency-key-1');
    expect(first.status).toBe(202);
    expect(first.body.emergencyId).toMatch(/^emerg-/);
    // The same key again: the same request, whatever state it has reached meanwhile.
    const again = await submit(request, 'emergency-key-1');
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ emergencyId: first.body.emergencyId, caseId: first.body.caseId });

    const { emergencyId, caseId } = first.body;
    const review = await lc.task(caseId, 'emergencyGrant', FURONG);
    const day = chinaDate();
    const { emergencySmallAmount, emergencyHouseholdLimit } = await parametersFor(FURONG, 'urban', day);
    // 先行救助 is decided within a working day, up to the least of the request and the limits.
    expect(review).toMatchObject({
      status: 'open',
      applicationId: emergencyId,
      township: FURONG,
      dueDate: (await calendar()).provisionalDeadline(day, EMERGENCY_GRANT_WORKING_DAYS).deadline,
      emergency: {
        requestedAmount: 3000,
        smallAmountLimit: emergencySmallAmount,
        householdLimit: { ...emergencyHouseholdLimit, granted: 0, remaining: emergencyHouseholdLimit.amount },
        maxAmount: emergencySmallAmount,
        hardship: '务工途中遭遇交通事故，急需医疗费用',
      },
    });
    // Nothing is paid while the caseworker has not decided.
    const waiting = (await api(`/emergency/${emergencyId}`)).body;
    expect(waiting).toMatchObject({ status: 'submitted', grant: null, allowance: { maxAmount: 1000 } });
    expect(await lc.payments(caseId)).toEqual([]);

    // The caseworker decides less than the most allowed.
    await lc.decide(review.taskId, { decision: 'approve', reasons: ['急需医疗费用'], amount: 800 });
    const task = await lc.task(caseId, 'emergencyPaperwork', FURONG);
    const { timeLimits } = await parametersFor(FURONG, 'urban', day);
    expect(task).toMatchObject({
      dueDate: (await calendar()).provisionalDeadline(day, timeLimits.determinationWorkingDays).deadline,
      emergency: { requestedAmount: 3000, grantedAmount: 800 },
    });
    const view = await status(emergencyId, 'granted');
    expect(view).toMatchObject({
      regionCode: FURONG,
      hukouRegionCode: '410122',
      statusLabel: '已先行救助，待补办手续',
      grant: { amount: 800, limit: 1000, month: chinaMonth(new Date()) },
      paperwork: { taskId: task.taskId, dueDate: task.dueDate, decision: null },
    });
    expect(view.notices.map((n: { kind: string }) => n.kind)).toEqual(['emergencyGrant']);
    expect(view.notices[0].body).toContain(`先行给予临时救助800.00元。请于${task.dueDate}前`);
    expect(view.notices[0].reasons[0]).toContain('《社会救助法》第五十条');

    const payments = await lc.payments(caseId);
    expect(payments.map((p) => [p.kind, p.amount, p.tier])).toEqual([['emergencyGrant', 800, 'emergency']]);
    const history = await lc.history(caseId);
    expect(history.executions.map((e: { workflow: string }) => e.workflow)).toEqual(['Emergency']);
    expect(history.executions[0].states).toEqual([
      'Assess',
      'EmergencyType',
      'PlanGrantReview',
      'GrantReview',
      'GrantOutcome',
      'PlanPaperwork',
      'Grant',
      'Paperwork',
    ]);
  });

  it('refuses an amount above what may be paid first, or none with an approval, and records nothing', async () => {
    const res = await submit(emergencyRequest({ requestedAmount: 50_000 }));
    const { caseId } = res.body;
    const review = await lc.task(caseId, 'emergencyGrant', FURONG);
    for (const body of [
      { decision: 'approve', reasons: [], amount: 50_000 },
      { decision: 'approve', reasons: [], amount: 1000.01 },
      { decision: 'approve', reasons: [] },
    ]) {
      const refused = await api(`/tasks/${review.taskId}/decision`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['amount']);
      expect(refused.body.error.fields[0].message).toContain('1,000.00元');
    }
    expect((await lc.taskItem(review.taskId)).status).toBe('open');
    // An amount belongs to the grant review only.
    const other = await lc.task((await granted()).caseId, 'emergencyPaperwork', FURONG);
    const misplaced = await api(`/tasks/${other.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [], amount: 10 }),
    });
    expect(misplaced.status).toBe(400);
    expect(await lc.payments(caseId)).toEqual([]);
  });

  it('does not pay a household declaring millions in deposits unless a person decides: declined with a notice', async () => {
    const rich = emergencyRequest();
    const res = await submit({ ...rich, assets: { ...rich.assets, deposits: 50_000_000 } });
    expect(res.status).toBe(202);
    const { emergencyId, caseId } = res.body;
    const review = await lc.task(caseId, 'emergencyGrant', FURONG);
    // The caseworker sees the means test, the deposits beyond every limit among its reasons.
    expect(review.meansTest.reasons.map((r: { message: string }) => r.message).join('\n')).toContain(
      '超过限额',
    );
    expect((await api(`/emergency/${emergencyId}`)).body.status).toBe('submitted');
    expect(await lc.payments(caseId)).toEqual([]);

    await lc.decide(review.taskId, { decision: 'reject', reasons: ['家庭存款远超当地标准，不属于急难情形'] });
    const view = await status(emergencyId, 'declined');
    expect(view).toMatchObject({
      statusLabel: '不予先行救助',
      grant: null,
      paperwork: null,
      declined: { reasons: ['家庭存款远超当地标准，不属于急难情形'] },
    });
    expect(view.notices.map((n: { kind: string }) => n.kind)).toEqual(['emergencyDeclined']);
    expect(await lc.payments(caseId)).toEqual([]);
    const history = await lc.history(caseId);
    expect(history.executions[0].states.at(-1)).toBe('Decline');
  });

  it('takes one open request per person: the same person again is refused (409) until the first is closed', async () => {
    const request = emergencyRequest();
    const first = await submit(request);
    expect(first.status).toBe(202);
    // The attack: the same request for the same person, again and again.
    for (let i = 0; i < 3; i++) {
      const again = await submit(request);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('OpenEmergencyExists');
      expect(again.body.error.message).toContain(first.body.emergencyId);
      expect(again.body.error.message).not.toContain(request.members[0]!.idNumber);
      expect(again.body.error.fields[0].field).toBe('members.0.idNumber');
    }
    // Another household with one of the same members: refused too.
    const other = emergencyRequest();
    other.members[1] = request.members[1]!;
    expect((await submit(other)).status).toBe(409);
    expect(await lc.payments(first.body.caseId)).toEqual([]);

    // Closed (declined), the person may ask again.
    const review = await lc.task(first.body.caseId, 'emergencyGrant', FURONG);
    await lc.decide(review.taskId, { decision: 'reject', reasons: ['经核实情况不紧急'] });
    await status(first.body.emergencyId, 'declined');
    expect((await submit(request)).status).toBe(202);
  });

  it('keeps a household within its limit over the period: earlier grants to any member count', async () => {
    const request = emergencyRequest();
    const { amount, months } = (await parametersFor(FURONG, 'urban', chinaDate())).emergencyHouseholdLimit;
    // Earlier grants this period named the child (another request, closed): the limit less 600 is gone.
    const earlier = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await recordEmergencyGrantLedger(
      {
        emergencyId: 'emerg-earlier0test',
        caseId: 'case-earlier0test',
        memberIndexes: [await blindIndex(request.members[1]!.idNumber)],
      } as EmergencyRecord,
      { amount: amount - 600, grantedAt: earlier },
    );
    const res = await submit(request);
    const review = await lc.task(res.body.caseId, 'emergencyGrant', FURONG);
    expect(review.emergency).toMatchObject({
      householdLimit: { amount, months, granted: amount - 600, remaining: 600 },
      maxAmount: 600,
    });
    const refused = await api(`/tasks/${review.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [], amount: 1000 }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].message).toContain(`家庭${months}个月内累计上限`);
    await lc.decide(review.taskId, { decision: 'approve', reasons: [], amount: 600 });
    await status(res.body.emergencyId, 'granted');
    expect((await lc.payments(res.body.caseId)).map((p) => p.amount)).toEqual([600]);
  });

  it('converts into a regular application on the same case when the paperwork says so', async () => {
    const request = emergencyRequest();
    const { emergencyId, caseId, task } = await granted(1000, request);
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

    // The converted application holds its members' claims like any application: the same people
    // submitting another application are told of it.
    const { hardship: _h, requestedAmount: _a, hukouRegionCode: _k, regionCode: _r, ...household } = request;
    const duplicate = await api('/applications', {
      method: 'POST',
      body: JSON.stringify({ ...application(), ...household, regionCode: '430121', requestedTier: 'dibao' }),
    });
    expect(duplicate.status, JSON.stringify(duplicate.body)).toBe(409);
    expect(duplicate.body.error.message).toContain(applicationId);

    const twice = await api(`/emergency/${emergencyId}/paperwork`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [] }),
    });
    expect(twice.status).toBe(409);
  });

  it('completes or refuses through the ordinary task decision', async () => {
    // Nothing asked beyond the aid paid first: the paperwork ends the request (no assessment).
    const completed = await granted(1000, emergencyRequest({ requestedAmount: 1000 }));
    await lc.decide(completed.task.taskId, { decision: 'approve', reasons: ['手续齐全'] });
    const rejected = await granted(500);
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
