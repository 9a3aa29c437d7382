/**
 * 临时救助: what a household asked beyond the aid paid first (《社会救助法》第五十条 binds only 先行救助 to a
 * small amount) is assessed once the paperwork confirms the aid — by the county, up to what is left
 * of the household's limit over its period — and paid with a written notice of the total, or refused
 * in writing with reasons and the remedy (第七十六条). A request no larger than the aid paid first ends
 * with the paperwork, as before (`emergency.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { REMEDY } from '../../shared/domain/cases.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { chinaMonth } from '../../shared/domain/lifecycle.ts';
import { emergencyGrantsSince, getEmergency } from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { actors } from '../support/actors.ts';
import { application, validId } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const lc = lifecycleHelpers(runtime);
const FURONG = '430102';

/** A 中牟县 household in hardship in 长沙市芙蓉区, other people every call. */
function emergencyRequest(requestedAmount: number) {
  const { requestedTier: _r, ...declaration } = application();
  return {
    ...declaration,
    regionCode: FURONG,
    hukouRegionCode: '410122',
    members: declaration.members.map((m) => ({
      ...m,
      idNumber: validId('410122', m.idNumber.slice(6, 14), Number(m.idNumber.slice(14, 17))),
    })),
    hardship: { kind: 'illness', description: '突发重病住院，急需医疗费用', occurredOn: chinaDate() },
    requestedAmount,
  };
}

const view = (emergencyId: string) => api(`/emergency/${emergencyId}`).then((r) => r.body);
const status = (emergencyId: string, wanted: string) =>
  eventually(async () => {
    const body = await view(emergencyId);
    return body.status === wanted ? body : undefined;
  });

/** The county officer's decision on a task, as answered. */
const countyDecides = (taskId: string, body: Record<string, unknown>) =>
  api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify(body) }, actors.county);

/** Asks `requested`, is paid `paidFirst` first, has the paperwork completed: the assessment task. */
async function confirmed(requested: number, paidFirst: number) {
  const res = await api('/emergency', { method: 'POST', body: JSON.stringify(emergencyRequest(requested)) });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const { emergencyId, caseId } = res.body;
  const review = await lc.task(caseId, 'emergencyGrant', FURONG);
  await lc.decide(review.taskId, { decision: 'approve', reasons: ['情况紧急'], amount: paidFirst });
  const paperwork = await lc.task(caseId, 'emergencyPaperwork', FURONG);
  await lc.decide(paperwork.taskId, { decision: 'approve', reasons: ['手续齐全'] });
  const task = await lc.task(caseId, 'emergencyAssessment', FURONG);
  return { emergencyId, caseId, task };
}

describe('emergency assistance beyond the aid paid first', () => {
  it('assesses the rest up to the household limit, pays the amount approved and tells the total', async () => {
    const day = chinaDate();
    const { emergencySmallAmount, emergencyHouseholdLimit, timeLimits } = await parametersFor(
      FURONG,
      'urban',
      day,
    );
    expect(emergencySmallAmount).toBe(1000);
    const { emergencyId, caseId, task } = await confirmed(3000, 1000);
    const remaining = emergencyHouseholdLimit.amount - 1000;

    // The county sees the request, the aid paid first, and what is left of the household's limit:
    // the small-amount limit does not bind the amount assessed.
    expect(task).toMatchObject({
      kind: 'emergencyAssessment',
      status: 'open',
      applicationId: emergencyId,
      township: FURONG,
      dueDate: (await calendar()).provisionalDeadline(day, timeLimits.determinationWorkingDays).deadline,
      emergency: {
        requestedAmount: 3000,
        grantedAmount: 1000,
        householdLimit: { ...emergencyHouseholdLimit, granted: 1000, remaining },
        maxAmount: remaining,
        hardship: '突发重病住院，急需医疗费用',
      },
    });
    expect(remaining).toBeGreaterThan(emergencySmallAmount);
    const assessing = await status(emergencyId, 'assessing');
    expect(assessing).toMatchObject({
      statusLabel: '手续齐全，申请金额超出先行救助的部分审核中',
      paperwork: { decision: 'approve' },
      assessment: {
        taskId: task.taskId,
        requestedAmount: 3000,
        paidFirst: 1000,
        outstanding: 2000,
        maxAmount: remaining,
        decision: null,
        amount: null,
        totalGranted: null,
      },
    });
    expect(assessing.notices.map((n: { kind: string }) => n.kind)).toEqual(['emergencyGrant']);

    // The county decides it, not the township.
    const township = await api(
      `/tasks/${task.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: [], amount: 1500 }) },
      actors.township,
    );
    expect(township.status).toBe(403);
    // Bad amounts and a refusal without reasons are refused, naming the field, and change nothing.
    for (const [body, field, message] of [
      [{ decision: 'approve', reasons: [], amount: remaining + 0.01 }, 'amount', '再给予的金额不能超过'],
      [{ decision: 'approve', reasons: [], amount: 0 }, 'amount', '金额必须大于0'],
      [{ decision: 'approve', reasons: [], amount: -5 }, 'amount', '金额必须大于0'],
      [{ decision: 'approve', reasons: [] }, 'amount', '须填写金额'],
      [{ decision: 'reject', reasons: [] }, 'reasons', '必须填写理由'],
      [{ decision: 'dismiss', reasons: ['x'] }, 'decision', 'dismiss'],
    ] as const) {
      const res = await countyDecides(task.taskId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const fields: Array<{ field: string; message: string }> = res.body.error.fields;
      // A negative amount is told both that it is negative and that it must be above zero.
      expect([...new Set(fields.map((f) => f.field))]).toEqual([field]);
      expect(fields.map((f) => f.message).join('；')).toContain(message);
    }
    expect((await lc.taskItem(task.taskId)).status).toBe('open');
    expect((await lc.payments(caseId)).length).toBe(1);

    const decided = await countyDecides(task.taskId, {
      decision: 'approve',
      reasons: ['住院费用票据属实，自付部分较大'],
      amount: 1500,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await status(emergencyId, 'completed');
    expect(done.assessment).toMatchObject({
      decision: 'approve',
      amount: 1500,
      totalGranted: 2500,
      reasons: ['住院费用票据属实，自付部分较大'],
    });
    expect(done.notices.map((n: { kind: string }) => n.kind).sort()).toEqual([
      'emergencyAssessed',
      'emergencyGrant',
    ]);
    const notice = done.notices.find((n: { kind: string }) => n.kind === 'emergencyAssessed');
    expect(notice.body).toContain('再给予临时救助1,500.00元，本次共给予临时救助2,500.00元');

    // Two payments, the first and the assessed, each once; both count against the household's limit.
    const { body: paid } = await api(`/cases/${caseId}/payments`, {}, actors.auditor);
    const month = chinaMonth(new Date());
    expect(paid.payments.map((p: { kind: string; amount: number }) => [p.kind, p.amount])).toEqual([
      ['emergencyGrant', 1000],
      ['emergencyAssessed', 1500],
    ]);
    expect(paid.payments[0].month).toBe(month);
    expect(paid.total).toBe(2500);
    const e = await getEmergency(emergencyId);
    const since = e!.assessment!.householdLimit.since;
    expect((await emergencyGrantsSince(e!.memberIndexes!, since)).map((g) => g.amount).sort()).toEqual([
      1000, 1500,
    ]);

    // The audit chain: the task opened and decided, both payments and the notices, still verifying.
    const { body: audit } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(audit.verification).toMatchObject({ valid: true, ledger: { holds: true, payments: 2 } });
    const actions = audit.entries.map((x: { action: string; refs: Record<string, string> }) => [
      x.action,
      x.refs.taskId ?? x.refs.slot ?? x.refs.month ?? '',
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['task.opened', task.taskId],
        ['task.decided', task.taskId],
        ['payment.recorded', month],
        ['payment.recorded', `${month}#emergencyAssessed`],
      ]),
    );
    const history = await lc.closed(caseId, 'Emergency');
    expect(history.executions[0].states.slice(-5)).toEqual([
      'ConfirmForAssessment',
      'PlanAssessment',
      'Assessment',
      'AssessmentOutcome',
      'PayAssessed',
    ]);
  });

  it('refuses the rest in writing, with reasons and the remedy, and pays nothing more', async () => {
    const { emergencyId, caseId, task } = await confirmed(3000, 800);
    expect(task.emergency).toMatchObject({ requestedAmount: 3000, grantedAmount: 800 });
    const decided = await countyDecides(task.taskId, {
      decision: 'reject',
      reasons: ['医疗费用已由医保报销大部分，先行救助足以渡过急难'],
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await status(emergencyId, 'completed');
    expect(done.assessment).toMatchObject({
      decision: 'reject',
      amount: 0,
      totalGranted: 800,
      reasons: ['医疗费用已由医保报销大部分，先行救助足以渡过急难'],
    });
    const notice = done.notices.find((n: { kind: string }) => n.kind === 'emergencyAssessmentRefused');
    expect(notice.body).toContain('超出先行救助的部分（2,200.00元）不予救助');
    expect(notice.body).toContain(REMEDY);
    expect(notice.reasons).toEqual(['医疗费用已由医保报销大部分，先行救助足以渡过急难']);
    expect((await lc.payments(caseId)).map((p) => [p.kind, p.amount])).toEqual([['emergencyGrant', 800]]);
    const history = await lc.closed(caseId, 'Emergency');
    expect(history.executions[0].states.at(-1)).toBe('RefuseAssessed');
  });
});

/** A 支出型 request: a large medical bill declared among the 12 months' necessary spending. */
const expenditureRequest = (requestedAmount: number, medical: number) => {
  const base = emergencyRequest(requestedAmount);
  return {
    ...base,
    type: 'expenditure',
    hardship: { kind: 'illness', description: '家人患重病住院，自付医疗费用较大', occurredOn: chinaDate() },
    spendingLast12Months: { medical, education: 0, rehabilitation: 0, other: 0 },
  };
};

describe('支出型 emergency assistance (sudden necessary spending)', () => {
  it('is never paid first: the township reviews it, the county decides and pays the amount', async () => {
    const res = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify(expenditureRequest(6000, 30_000)),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { emergencyId, caseId } = res.body;
    const { emergencyHouseholdLimit } = await parametersFor(FURONG, 'urban', chinaDate());

    // The township's review shows what the spending left the household; nothing to pay first.
    const review = await lc.task(caseId, 'emergencyReview', FURONG);
    expect(review.emergency.expenditure).toMatchObject({ eligible: true, spending: 30_000 });
    expect(review.emergency.maxAmount).toBeUndefined();
    expect(await view(emergencyId)).toMatchObject({
      type: 'expenditure',
      statusLabel: '已受理，乡镇（街道）审核中',
      allowance: null,
      grant: null,
    });
    // The amount is the county's: the township decides without one.
    const withAmount = await api(`/tasks/${review.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [], amount: 100 }),
    });
    expect(withAmount.status).toBe(400);
    await lc.decide(review.taskId, { decision: 'approve', reasons: ['入户核实医疗票据属实'] });

    // The county decides on the township's opinion, up to what is left of the household's limit.
    const task = await lc.task(caseId, 'emergencyAssessment', FURONG);
    expect(task.emergency).toMatchObject({
      requestedAmount: 6000,
      maxAmount: emergencyHouseholdLimit.amount,
      expenditure: { eligible: true },
      review: { decision: 'approve', reasons: ['入户核实医疗票据属实'] },
    });
    expect(task.emergency.grantedAmount).toBeUndefined();
    expect((await status(emergencyId, 'assessing')).statusLabel).toBe(
      '乡镇（街道）已审核，县级民政部门审批中',
    );
    const decided = await countyDecides(task.taskId, {
      decision: 'approve',
      reasons: ['自付费用较大'],
      amount: 4000,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    const done = await status(emergencyId, 'completed');
    expect(done.assessment).toMatchObject({ paidFirst: 0, amount: 4000, totalGranted: 4000 });
    expect(done.notices.map((n: { kind: string }) => n.kind)).toEqual(['emergencyAssessed']);
    expect(done.notices[0].body).toContain('经乡镇（街道）审核、县级民政部门审批，给予临时救助4,000.00元');
    const { body: paid } = await api(`/cases/${caseId}/payments`, {}, actors.auditor);
    expect(paid.payments.map((p: { kind: string; amount: number }) => [p.kind, p.amount])).toEqual([
      ['emergencyAssessed', 4000],
    ]);
    const history = await lc.closed(caseId, 'Emergency');
    const states = history.executions[0].states;
    expect(states).not.toContain('GrantReview');
    expect(states.slice(0, 5)).toEqual(['Assess', 'EmergencyType', 'PlanReview', 'Review', 'ToAssessment']);
    expect(states.at(-1)).toBe('PayAssessed');
  });

  it('refused by the county on the township’s opinion, in writing with the remedy, and nothing paid', async () => {
    const res = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify(expenditureRequest(5000, 800)),
    });
    expect(res.status).toBe(202);
    const { emergencyId, caseId } = res.body;
    const review = await lc.task(caseId, 'emergencyReview', FURONG);
    await lc.decide(review.taskId, {
      decision: 'reject',
      reasons: ['医疗支出已由医保报销，家庭收入足以承担'],
    });
    const task = await lc.task(caseId, 'emergencyAssessment', FURONG);
    expect(task.emergency.review).toMatchObject({ decision: 'reject' });
    await countyDecides(task.taskId, { decision: 'reject', reasons: ['同意乡镇（街道）审核意见'] });
    const done = await status(emergencyId, 'completed');
    const notice = done.notices.find((n: { kind: string }) => n.kind === 'emergencyAssessmentRefused');
    expect(notice.title).toBe('临时救助不予救助告知书');
    expect(notice.body).toContain(REMEDY);
    expect(notice.reasons).toEqual(['同意乡镇（街道）审核意见']);
    expect((await lc.payments(caseId)).length).toBe(0);
  });

  it('asks for the necessary spending it rests on, naming the field, and writes nothing', async () => {
    const before = (await lc.emergencyItems()).length;
    const res = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify(expenditureRequest(5000, 0)),
    });
    expect(res.status).toBe(400);
    const fields: Array<{ field: string; message: string }> = res.body.error.fields;
    expect(fields).toEqual([
      {
        field: 'spendingLast12Months',
        message: '支出型临时救助须申报突发的必需支出（医疗、教育、残疾康复或其他必需支出）',
      },
    ]);
    expect((await lc.emergencyItems()).length).toBe(before);
  });
});
