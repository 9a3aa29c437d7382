/**
 * 定期核查 on the in-memory runtime, continued from recheck.test.ts: an objection at the hearing
 * before an end goes back to a caseworker (社会救助法第四十八条), and a 刚性支出困难家庭 recognition
 * lapses when its year is up instead of being rechecked (认定办法 第十条).
 */
import { describe, expect, it } from 'vitest';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { addMonths } from '../../shared/domain/lifecycle.ts';
import { actors } from '../support/actors.ts';
import { household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);

const caseAtFirstRecheck = () => lc.caseAtFirstRecheck();

describe('recheck: hearings and lapses', () => {
  it('an objection at the hearing goes back to a caseworker, who may keep the assistance as it was', async () => {
    const c = await caseAtFirstRecheck();
    await lc.declare(c.caseId, household([{ kind: 'pension', monthlyAmount: 6000 }]));
    await lc.startDue(c.caseId, 'Recheck');
    const task = await lc.task(c.caseId, 'recheckConfirmation');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['养老金收入超过标准'] });
    // Bad answers first: an objection without reasons names the field; another household's
    // applicant cannot answer.
    await lc.openHearing(c.caseId);
    const bare = await runtime.api(
      `/cases/${c.caseId}/hearing`,
      { method: 'POST', body: JSON.stringify({ opinion: 'object' }) },
      actors.applicant,
    );
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields).toEqual([{ field: 'statement', message: '有异议的，请写明异议及理由' }]);
    const stranger = await runtime.api(
      `/cases/${c.caseId}/hearing`,
      { method: 'POST', body: JSON.stringify({ opinion: 'agree' }) },
      actors.otherApplicant,
    );
    expect(stranger.status).toBe(404);
    // A caseworker records the objection heard on a visit.
    const heard = await lc.hear(c.caseId, 'object', '养老金是补发的，每月实际只有800元', actors.township);
    expect(heard).toMatchObject({ opinion: 'object', channel: 'visit' });
    // The review is a task of its own, with the objection in it.
    const review = await eventually(async () => {
      const { body } = await runtime.api('/tasks?township=430121');
      return body.tasks.find(
        (t: { caseId: string; taskId: string }) => t.caseId === c.caseId && t.taskId !== task.taskId,
      );
    });
    expect(review).toMatchObject({
      kind: 'recheckConfirmation',
      round: 2,
      hearing: { opinion: 'object', statement: '养老金是补发的，每月实际只有800元', channel: 'visit' },
    });
    await lc.decide(review.taskId, { decision: 'reject', reasons: ['核实养老金为一次性补发，维持原救助'] });
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states.slice(-6)).toEqual([
      'Heard',
      'PrepareReview',
      'PlanReviewObjection',
      'ReviewObjection',
      'Decide',
      'Continue',
    ]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ tier: 'dibao', monthlyAmount: 1750 });
    const notice = (await lc.notices(c.caseId)).find((n) => n.kind === 'recheckContinue');
    expect(notice.reasons).toEqual([
      '经办人核实后未确认核查发现的变化，维持原救助',
      '核实养老金为一次性补发，维持原救助',
      '已告知拟作决定的理由并听取意见：本人提出异议（经办人入户听取并记录）——“养老金是补发的，每月实际只有800元”，经办人已复核',
    ]);
    // On the case's chain: the hearing opened, the answer, by whom.
    const audit = await runtime.api(`/cases/${c.caseId}/audit`, {}, actors.auditor);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['hearing.opened', 'hearing.answered']));
  });

  it('a 刚性支出困难家庭 recognition lapses when its year is up: no recheck, a notice inviting a new application', async () => {
    // 长沙县 urban: wage 4000 − deduction 300 = 3700 over 2 = 1850 (above 1425, below 5416.67);
    // medical 50,000 + education 800 > 3700 × 12 × 100% → 刚性支出困难家庭.
    const h = household([{ kind: 'wage', monthlyAmount: 4000 }], {
      requestedTier: 'rigidExpense',
      spendingLast12Months: { medical: 50_000, education: 800, rehabilitation: 0, other: 0 },
    });
    const c = await lc.seedApprovedCase(h);
    expect(c.tier).toBe('rigidExpense');
    const first = await scheduleFirstRecheck({
      caseId: c.caseId,
      tier: c.tier,
      determinedAt: c.decidedAt,
      regionCode: '430121',
      residence: 'urban',
    });
    expect(first!.due).toBe(addMonths(lc.today(), 12));
    await lc.startDue(c.caseId, 'Recheck');
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions[0].states).toEqual(['Assess', 'Assessed', 'Lapse']);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ status: 'lapsed' });
    const notice = (await lc.notices(c.caseId)).find((n) => n.kind === 'lapse');
    expect(notice.body).toContain('请重新提出申请');
    expect(notice.body).toContain('《刚性支出困难家庭认定办法》第十条');
    expect((await lc.schedules(c.caseId)).filter((x) => x.status === 'pending')).toEqual([]);
    // The same household may apply again.
    const again = await runtime.api('/applications', { method: 'POST', body: JSON.stringify(h) });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
  });
});
