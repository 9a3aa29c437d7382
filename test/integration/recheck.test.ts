/**
 * 定期核查 on the in-memory runtime: the first recheck is scheduled from the determination, the
 * sweeper starts it when the virtual clock reaches it, and each outcome — unchanged, changed and
 * confirmed, changed and not confirmed, out of 低保 through work, no longer eligible — has its effect,
 * its notice and its next step.
 */
import { describe, expect, it } from 'vitest';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { addMonths, startOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { latestDeclaration } from '../../shared/repositories/lifecycle.ts';
import { actors } from '../support/actors.ts';
import { application } from '../support/households.ts';
import { household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);

const caseAtFirstRecheck = () => lc.caseAtFirstRecheck();

describe('recheck', () => {
  it('schedules the first recheck from the determination, once', async () => {
    const seeded = await lc.seedApprovedCase();
    const input = {
      caseId: seeded.caseId,
      tier: 'dibao',
      determinedAt: seeded.decidedAt,
      regionCode: '430121',
      residence: 'urban' as const,
    };
    // Income from transfers only, a member able to work: the unstable-income 低保 rhythm, 6 months.
    const first = await scheduleFirstRecheck(input);
    expect(first!.due).toBe(addMonths(lc.today(), 6));
    expect(first!.dueAt).toBe(startOfChinaDay(first!.due));
    await scheduleFirstRecheck(input);
    // The date the application recorded wins over the parameters.
    await scheduleFirstRecheck({ ...input, due: first!.due });
    const schedules = await lc.schedules(seeded.caseId);
    expect(schedules.map((s) => [s.workflow, s.dueAt, s.status, s.input])).toEqual([
      ['Recheck', first!.dueAt, 'pending', { mode: 'regular' }],
    ]);
    expect(await scheduleFirstRecheck({ ...input, tier: 'relapseWatch' })).toBeUndefined();
  });

  it('unchanged: continues without a task, notifies, and schedules the next recheck', async () => {
    const c = await caseAtFirstRecheck();
    await lc.startDue(c.caseId, 'Recheck');
    const history = await lc.closed(c.caseId, 'Recheck');
    const [run] = history.executions;
    expect(run).toMatchObject({ workflow: 'Recheck', status: 'SUCCEEDED', archived: true });
    expect(run.states).toEqual(['Assess', 'Assessed', 'Continue']);

    const notices = await lc.notices(c.caseId);
    expect(notices.map((n) => n.kind)).toEqual(['recheckContinue']);
    expect(notices[0].body).toContain(`继续享受最低生活保障，每月${yuanText(c.monthlyAmount!)}`);
    const next = addMonths(c.due, 6);
    expect(notices[0].body).toContain(`下次核查时间为${next}前后`);
    const pending = await lc.pending(c.caseId, 'Recheck');
    expect(pending.dueAt).toBe(startOfChinaDay(next));
    expect(await lc.caseItem(c.caseId)).toMatchObject({
      tier: 'dibao',
      monthlyAmount: c.monthlyAmount,
      nextRecheckDue: next,
    });
  });

  it('changed: a caseworker confirms, and the amount is adjusted from then on', async () => {
    const c = await caseAtFirstRecheck();
    // The household reports more transfer income: the gap to the 低保 standard shrinks.
    await lc.declare(c.caseId, household([{ kind: 'transfer', monthlyAmount: 400 }]));
    await lc.startDue(c.caseId, 'Recheck');

    const task = await lc.task(c.caseId, 'recheckConfirmation');
    expect(task).toMatchObject({
      status: 'open',
      applicationId: c.applicationId,
      township: '430121',
      recheck: {
        outcome: 'adjust',
        current: { tier: 'dibao', monthlyAmount: 1750 },
        proposed: { tier: 'dibao', monthlyAmount: 1550 },
      },
    });
    expect(task.recheck.reasons[0]).toBe(
      '经定期核查，家庭情况发生变化：救助金额由每月1,750.00元调整为每月1,550.00元',
    );
    expect(task).not.toHaveProperty('taskToken');
    // Caseworkers hear of it on their queue.
    await eventually(async () =>
      (await lc.notifications()).find((m) => m.taskId === task.taskId && m.kind === 'recheckConfirmation'),
    );

    await lc.decide(task.taskId, { decision: 'approve', reasons: ['入户核实属实'], decidedBy: '王五' });
    // 调减: the household is told the reasons and heard before it is decided (第四十八条).
    const hearing = await lc.openHearing(c.caseId);
    const told = (await lc.notices(c.caseId)).find((n) => n.kind === 'hearing');
    expect(told.body).toContain('拟将最低生活保障，每月1,750.00元调减为最低生活保障，每月1,550.00元');
    expect(told.body).toContain(`请于${hearing.answerBy}前`);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ monthlyAmount: 1750 });
    await lc.hear(c.caseId, 'agree');
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states).toEqual([
      'Assess',
      'Assessed',
      'PlanConfirmChange',
      'ConfirmChange',
      'Confirmed',
      'OpenHearing',
      'AwaitHearing',
      'Heard',
      'Decide',
      'Adjust',
    ]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ tier: 'dibao', monthlyAmount: 1550 });
    const notice = (await lc.notices(c.caseId)).find((n) => n.kind === 'recheckAdjust');
    expect(notice).toMatchObject({ title: '定期核查结果告知书：调整救助' });
    expect(notice.body).toContain('自下月起您家享受最低生活保障，每月1,550.00元');
    expect(notice.reasons.at(-1)).toBe('已告知拟作决定的理由并听取意见：本人表示无异议');
    expect(notice.remedy).toMatch(/行政复议/);
    expect((await lc.pending(c.caseId, 'Recheck')).dueAt).toBe(startOfChinaDay(addMonths(c.due, 6)));
    // Decided once: the same task cannot be decided again.
    const again = await runtime.api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: [] }),
    });
    expect(again.status).toBe(409);
  });

  it('changed but not confirmed: the benefit continues as it was, with the caseworker’s reasons', async () => {
    const c = await caseAtFirstRecheck();
    await lc.declare(c.caseId, household([{ kind: 'transfer', monthlyAmount: 400 }]));
    await lc.startDue(c.caseId, 'Recheck');
    const task = await lc.task(c.caseId, 'recheckConfirmation');
    await lc.decide(task.taskId, { decision: 'reject', reasons: ['入户核实：新增转移性收入为一次性慰问金'] });
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states.at(-1)).toBe('Continue');
    expect(history.executions[0].states).not.toContain('OpenHearing');
    expect(await lc.caseItem(c.caseId)).toMatchObject({ monthlyAmount: 1750 });
    const [notice] = await lc.notices(c.caseId);
    expect(notice.kind).toBe('recheckContinue');
    expect(notice.reasons).toEqual([
      '经办人核实后未确认核查发现的变化，维持原救助',
      '入户核实：新增转移性收入为一次性慰问金',
    ]);
    await lc.pending(c.caseId, 'Recheck');
  });

  it('no longer qualifies through work: a gradual exit starts the month after', async () => {
    const c = await caseAtFirstRecheck();
    await lc.declare(c.caseId, household([{ kind: 'wage', monthlyAmount: 3000 }]));
    await lc.startDue(c.caseId, 'Recheck');
    const task = await lc.task(c.caseId, 'recheckConfirmation');
    expect(task.recheck).toMatchObject({
      outcome: 'gradualExit',
      proposed: { tier: 'dibao', monthlyAmount: 1750 },
    });
    await lc.decide(task.taskId, { decision: 'approve', reasons: [] });
    await lc.hear(c.caseId, 'agree');

    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states.at(-1)).toBe('StartGradualExit');
    const item = await lc.caseItem(c.caseId);
    const firstMonth = addMonths(c.due, 1).slice(0, 7);
    expect(item).toMatchObject({
      status: 'gradualExit',
      gradualExit: { months: 6, firstMonth, monthlyAmount: 1750, taper: 'none' },
    });
    expect(item).not.toHaveProperty('nextRecheckDue');
    const pending = await lc.pending(c.caseId, 'GradualExit');
    expect(pending.dueAt).toBe(startOfChinaDay(`${firstMonth}-01`));
    expect(pending.input).toMatchObject({ index: 1, regionCode: '430121', residence: 'urban' });
    const notice = (await lc.notices(c.caseId)).find((n) => n.kind === 'gradualExit');
    expect(notice.body).toContain('给予6个月渐退期');
    expect(notice.reasons[0]).toBe(
      '家庭成员就业后月工资性、经营性收入由0.00元增至3,000.00元，家庭不再符合最低生活保障条件',
    );
  });

  it('no longer eligible: terminated with reasons, monitored, and an overdue confirmation escalated first', async () => {
    const c = await caseAtFirstRecheck();
    await lc.declare(c.caseId, household([{ kind: 'pension', monthlyAmount: 6000 }]));
    await lc.startDue(c.caseId, 'Recheck');
    const task = await lc.task(c.caseId, 'recheckConfirmation');
    expect(task.recheck.outcome).toBe('terminate');

    // Nobody decides before the due date: the supervisors hear of it and the task gets a new date.
    const { taskToken } = await lc.taskItem(task.taskId);
    lc.advanceTo(`${task.dueDate}T16:00:00Z`);
    const escalated = await eventually(async () => {
      const { body } = await runtime.api('/tasks?township=430121');
      const t = body.tasks.find((x: { taskId: string }) => x.taskId === task.taskId);
      return t?.escalations?.length === 1 ? t : undefined;
    });
    expect(escalated.escalations[0].overdueSince).toBe(task.dueDate);
    expect(escalated.dueDate > task.dueDate).toBe(true);
    await eventually(async () =>
      (await lc.notifications()).find((m) => m.taskId === task.taskId && m.type === 'taskEscalated'),
    );

    // The workflow waits on the task again, with a new token.
    await eventually(async () =>
      (await lc.taskItem(task.taskId)).taskToken !== taskToken ? true : undefined,
    );
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['家庭养老金收入超过认定标准'] });
    // The household does not answer: when its time to answer ends, that is recorded and the
    // termination decided.
    const hearing = await lc.openHearing(c.caseId);
    lc.advanceTo(`${hearing.answerBy}T16:00:00Z`);
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states).toEqual([
      'Assess',
      'Assessed',
      'PlanConfirmChange',
      'ConfirmChange',
      'EscalateConfirmChange',
      'ConfirmChange',
      'Confirmed',
      'OpenHearing',
      'AwaitHearing',
      'HearingLapsed',
      'Heard',
      'Decide',
      'Terminate',
    ]);
    const item = await lc.caseItem(c.caseId);
    expect(item).toMatchObject({ status: 'terminated', monitoring: true });
    expect((await lc.hearings(c.caseId))[0]).toMatchObject({ status: 'lapsed', answer: { opinion: 'none' } });
    const notice = (await lc.notices(c.caseId)).find((n) => n.kind === 'termination');
    expect(notice).toMatchObject({ title: '定期核查结果告知书：停止救助' });
    expect(notice.reasons[0]).toBe('经定期核查，家庭不再符合最低生活保障条件');
    expect(notice.reasons.at(-1)).toBe(`已告知拟作决定的理由，本人在${hearing.answerBy}前未陈述意见`);
    // Too late now: the answer is refused, naming the date.
    const late = await runtime.api(
      `/cases/${c.caseId}/hearing`,
      { method: 'POST', body: JSON.stringify({ opinion: 'object', statement: '收入是一次性的' }) },
      actors.applicant,
    );
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(hearing.answerBy);
    // A monitoring follow-up a year on.
    const monitoring = await lc.pending(c.caseId, 'Recheck');
    expect(monitoring.input).toEqual({ mode: 'monitoring' });
    expect(monitoring.dueAt).toBe(startOfChinaDay(item.nextMonitoringDue));
  });

  it('binds a declaration to the case’s region: another county is refused naming regionCode, and nothing is written', async () => {
    const c = await lc.seedApprovedCase();
    const { applicant: _a, requestedTier: _r, ...rest } = application();
    // 芙蓉区's standard instead of 长沙县's, chosen by the applicant: refused.
    const moved = await runtime.api(`/cases/${c.caseId}/declaration`, {
      method: 'POST',
      body: JSON.stringify({ ...rest, regionCode: '430102' }),
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields).toEqual([
      { field: 'regionCode', message: expect.stringMatching(/^行政区划代码须为本案件所在地（430121）/) },
    ]);
    expect(await latestDeclaration(c.caseId)).toBeUndefined();
    // Left out, the region is the case's.
    const { regionCode: _region, ...withoutRegion } = rest;
    const declared = await runtime.api(`/cases/${c.caseId}/declaration`, {
      method: 'POST',
      body: JSON.stringify(withoutRegion),
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect((await latestDeclaration(c.caseId))?.declaration.regionCode).toBe('430121');
  });

  it('refuses a declaration for a case that does not exist, or with bad fields', async () => {
    const { applicant: _a, requestedTier: _r, ...rest } = application();
    const missing = await runtime.api('/cases/case-doesnotexist/declaration', {
      method: 'POST',
      body: JSON.stringify(rest),
    });
    expect(missing.status).toBe(404);
    const c = await lc.seedApprovedCase();
    const bad = await runtime.api(`/cases/${c.caseId}/declaration`, {
      method: 'POST',
      body: JSON.stringify({ ...rest, pledge: false, members: [] }),
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.error.fields.map((f: { field: string }) => f.field))].sort()).toEqual([
      'members',
      'pledge',
    ]);
  });
});
