/**
 * 行政复议、行政诉讼的结果 (社会救助法第七十六条) on the in-memory runtime: the county records the
 * outcome against the written notice of its decision; a revocation puts the case back where it stood
 * — a refused application before the county again, a terminated case back in assistance with its
 * benefit and a new recheck — and an outcome that lets the decision stand changes nothing else.
 */
import { describe, expect, it } from 'vitest';
import { pay } from '../../functions/steps/gradual-exit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const lc = lifecycleHelpers(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const appeal = (caseId: string, body: Body, as: Actor = actors.county) =>
  runtime.api(`/cases/${caseId}/appeals`, { method: 'POST', body: JSON.stringify(body) }, as);

const outcome = (noticeId: string, fields: Body = {}) => ({
  noticeId,
  channel: 'reconsideration',
  outcome: 'revoked',
  decidedOn: chinaDate(),
  authority: '长沙县人民政府',
  documentNumber: '长县政复决〔2026〕7号',
  ...fields,
});

/** A case whose recheck ended the assistance: confirmed, heard, concluded. */
async function terminatedCase() {
  const seeded = await lc.caseAtFirstRecheck();
  await lc.declare(seeded.caseId, household([{ kind: 'pension', monthlyAmount: 6000 }]));
  await lc.startDue(seeded.caseId, 'Recheck');
  const task = await lc.task(seeded.caseId, 'recheckConfirmation');
  await lc.decide(task.taskId, { decision: 'approve', reasons: ['养老金收入超过当地低保标准'] });
  await lc.hear(seeded.caseId, 'agree');
  const termination = await eventually(async () =>
    (await lc.notices(seeded.caseId)).find((n) => n.kind === 'termination'),
  );
  await lc.closed(seeded.caseId, 'Recheck');
  return { ...seeded, termination };
}

describe('appeal outcomes', () => {
  it('a refusal revoked on 行政复议 goes back to the county on the township’s opinion, and on to approval', async () => {
    const body = application();
    const { applicationId, caseId } = await flow.submit(body);
    const refused = await flow.refuse(applicationId);
    const noticeId = refused.notice.noticeId;

    const recorded = await appeal(caseId, outcome(noticeId));
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body).toMatchObject({
      noticeId,
      outcome: 'revoked',
      reopened: { kind: 'application', applicationId },
    });
    // A retry answers the same; the same decision cannot be revoked a second time.
    const again = await appeal(caseId, outcome(noticeId));
    expect(again.status).toBe(200);
    expect(again.body.appealId).toBe(recorded.body.appealId);
    const second = await appeal(
      caseId,
      outcome(noticeId, { channel: 'litigation', documentNumber: '（2026）湘0121行初1号' }),
    );
    expect(second.status).toBe(409);

    // Open again: its members hold their claims, so a second application for them is refused.
    const reopened = await flow.applicationWhen(applicationId, (a) => a.status === 'underReview');
    expect(reopened.determination).toBeNull();
    expect(reopened.appeals).toEqual([
      expect.objectContaining({
        channelLabel: '行政复议',
        outcome: 'revoked',
        noticeTitle: refused.notice.title,
      }),
    ]);
    const stored = await flow.item(`APP#${applicationId}`, 'APP');
    expect(stored.revokedDeterminations).toHaveLength(1);
    expect(stored.revokedDeterminations[0]).toMatchObject({
      noticeId,
      appealId: recorded.body.appealId,
      determination: { outcome: 'refused' },
      townshipReview: { decision: 'reject' },
    });
    const duplicate = await runtime.api('/applications', { method: 'POST', body: JSON.stringify(body) });
    expect(duplicate.status).toBe(409);

    // The county decides again, on the township's proposed refusal, with the outcome shown.
    const county = await flow.task(applicationId, 'countyDetermination');
    expect(county.reopened.summary).toContain('撤销原决定');
    expect(county.proposal).toMatchObject({ decision: 'reject' });
    // It does not accept the proposal: back to the township for a review and a public notice.
    expect(
      (await flow.decide(county.taskId, { decision: 'approve', reasons: ['经复议，家庭收入未超过标准'] }))
        .status,
    ).toBe(200);
    const township = await flow.task(applicationId, 'townshipReview', 2);
    expect(township.returned).toMatchObject({ decision: 'approve' });
    expect(
      (await flow.decide(township.taskId, { decision: 'approve', reasons: ['重新入户调查属实'] })).status,
    ).toBe(200);
    await flow.passPublicNotice(applicationId, 2);
    const final = await flow.task(applicationId, 'countyDetermination', 2);
    expect((await flow.decide(final.taskId, { decision: 'approve' })).status).toBe(200);
    const approved = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(approved.notice.noticeId).not.toBe(noticeId);

    // Both notices stay on the case; the auditor sees the outcome on the chain and both executions.
    const notices = await flow.notices(caseId);
    expect(notices.find((n) => n.noticeId === noticeId)).toMatchObject({ revokedBy: recorded.body.appealId });
    const audit = await runtime.api(`/cases/${caseId}/audit`);
    const entry = audit.body.entries.find((e: Body) => e.action === 'appeal.recorded');
    expect(entry.summary).toContain('行政复议');
    expect(entry.summary).toContain('重新审核');
    const history = await runtime.api(`/cases/${caseId}/history`);
    const runs = history.body.executions.filter((e: Body) => e.workflow === 'Application');
    expect(runs).toHaveLength(2);
    const reopenedRun = runs.find((e: Body) => e.states.includes('Reopen'));
    expect(reopenedRun.states.slice(0, 5)).toEqual([
      'Start',
      'Reopen',
      'Reopened',
      'ReopenedAt',
      'PlanCountyDetermination',
    ]);
  });

  it('a termination revoked on 行政诉讼 restores the benefit, cancels the follow-up and rechecks the next day', async () => {
    const c = await terminatedCase();
    expect(await lc.caseItem(c.caseId)).toMatchObject({ status: 'terminated', monitoring: true });

    const recorded = await appeal(
      c.caseId,
      outcome(c.termination.noticeId, { channel: 'litigation', documentNumber: '（2026）湘0121行初9号' }),
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const tomorrow = chinaDate(new Date(Date.now() + 86_400_000));
    expect(recorded.body.reopened).toMatchObject({
      kind: 'recheck',
      restored: { tier: c.tier, monthlyAmount: c.monthlyAmount },
    });
    expect(chinaDate(new Date(recorded.body.reopened.dueAt))).toBe(tomorrow);

    const item = await lc.caseItem(c.caseId);
    expect(item).toMatchObject({
      status: 'active',
      tier: c.tier,
      monthlyAmount: c.monthlyAmount,
      nextRecheckDue: tomorrow,
      reopenedBy: recorded.body.appealId,
    });
    expect(item.endedAt).toBeUndefined();
    expect(item.monitoring).toBeUndefined();
    const schedules = await lc.schedules(c.caseId);
    expect(
      schedules
        .filter((s) => s.status !== 'started')
        .map((s) => [s.status, s.input.mode, chinaDate(new Date(s.dueAt))]),
    ).toEqual(
      [
        ['pending', 'regular', tomorrow],
        ['cancelled', 'monitoring', expect.any(String)],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    );

    // The new recheck decides again, with a hearing again before any end.
    await lc.startDue(c.caseId, 'Recheck');
    const task = await lc.task(c.caseId, 'recheckConfirmation');
    expect(task.recheck.outcome).toBe('terminate');
  });

  it('a gradual exit revoked mid-way pays no further exit month and leaves the case in assistance', async () => {
    const ZHONGMOU = '410122';
    const seeded = await lc.caseAtFirstRecheck(
      household([{ kind: 'transfer', monthlyAmount: 200 }], { regionCode: ZHONGMOU }),
    );
    await lc.declare(
      seeded.caseId,
      household([{ kind: 'wage', monthlyAmount: 3500 }], { regionCode: ZHONGMOU }),
    );
    await lc.startDue(seeded.caseId, 'Recheck');
    const task = await lc.task(seeded.caseId, 'recheckConfirmation', ZHONGMOU);
    expect(task.recheck.outcome).toBe('gradualExit');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['就业稳定'] });
    await lc.hear(seeded.caseId, 'agree');
    await lc.closed(seeded.caseId, 'Recheck');
    // The first month is paid; then the decision is revoked.
    await lc.startDue(seeded.caseId, 'GradualExit');
    await lc.closed(seeded.caseId, 'GradualExit', 1);
    const { gradualExit: plan } = await lc.caseItem(seeded.caseId);
    const notice = (await lc.notices(seeded.caseId)).find((n) => n.kind === 'gradualExit');

    const recorded = await appeal(
      seeded.caseId,
      outcome(notice.noticeId, { authority: '中牟县人民政府', documentNumber: '牟政复决〔2026〕3号' }),
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(await lc.caseItem(seeded.caseId)).toMatchObject({ status: 'active', tier: seeded.tier });
    const exits = (await lc.schedules(seeded.caseId)).filter((s) => s.workflow === 'GradualExit');
    expect(exits.map((s) => s.status)).toEqual(['started', 'cancelled']);

    // A month's execution already under way when it was revoked pays nothing and schedules nothing.
    const late = await pay({
      caseId: seeded.caseId,
      executionArn: 'arn:aws:states:cn-north-1:000000000000:execution:GradualExit:late',
      plan,
      index: 2,
      regionCode: ZHONGMOU,
      residence: 'urban',
    });
    expect(late).toMatchObject({ revoked: true, created: false, last: false });
    expect(await lc.payments(seeded.caseId)).toHaveLength(1);
  });

  it('records an outcome that lets the decision stand, and refuses what is not an adverse decision', async () => {
    const c = await terminatedCase();
    const upheld = await appeal(c.caseId, outcome(c.termination.noticeId, { outcome: 'upheld' }));
    expect(upheld.status, JSON.stringify(upheld.body)).toBe(201);
    expect(upheld.body.reopened).toBeNull();
    expect(await lc.caseItem(c.caseId)).toMatchObject({ status: 'terminated' });

    // The same document recorded with another outcome is refused.
    const changed = await appeal(c.caseId, outcome(c.termination.noticeId, { outcome: 'confirmedUnlawful' }));
    expect(changed.status).toBe(409);

    // The hearing's notice proposes; it decides nothing and states no remedy.
    const hearing = (await lc.notices(c.caseId)).find((n) => n.kind === 'hearing');
    expect(hearing?.remedy).toBeUndefined();
    const notAdverse = await appeal(c.caseId, outcome(hearing!.noticeId));
    expect(notAdverse.status).toBe(400);
    expect(notAdverse.body.error.fields[0].field).toBe('noticeId');
    const unknown = await appeal(c.caseId, outcome('notice-none'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].field).toBe('noticeId');
    const early = await appeal(c.caseId, outcome(c.termination.noticeId, { decidedOn: '2020-01-01' }));
    expect(early.status).toBe(400);
    expect(early.body.error.fields[0].field).toBe('decidedOn');
    const township = await appeal(c.caseId, outcome(c.termination.noticeId), actors.township);
    expect(township.status).toBe(403);
  });
});
