/**
 * The caseworker's workbench on the decisions the applicant journey does not reach: what an
 * emergency is paid first (the card of its hardship and limits; an amount above the allowance never
 * leaves the page), and a review sent back by objections to its public notice, shown with them and
 * found groundless with reasons. In a real browser against an in-memory local runtime.
 */
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../shared/domain/dates.ts';
import { getTask } from '../../shared/repositories/cases.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';
import { fitsWidth, screenshot, sees, signIn, text, useBrowser, widths } from './browser.ts';

const runtime = useRuntime();
const { open } = useBrowser(() => runtime.rt.apiUrl);

describe('the caseworker decides', () => {
  it('has the caseworker decide what an emergency is paid first, within its allowance', async () => {
    const { requestedTier: _r, ...declaration } = application();
    const submitted = await runtime.api('/emergency', {
      method: 'POST',
      body: JSON.stringify({
        ...declaration,
        hardship: { kind: 'fire', description: '家中失火，衣物被褥全部烧毁', occurredOn: chinaDate() },
        requestedAmount: 3000,
      }),
    });
    expect(submitted.status).toBe(202);
    const { emergencyId, caseId } = submitted.body;
    const bench = await open('/workbench/', widths.desktop);
    await signIn(bench, { role: 'townshipCaseworker', name: '李四', regions: '430121' });
    await bench.locator('[data-task]', { hasText: emergencyId }).click({ timeout: 60_000 });
    await sees(bench, '#emergency', '家中失火，衣物被褥全部烧毁');
    await sees(bench, '#emergency', '本次最多先行救助');
    expect(await text(bench, '#emergency')).toContain('1,000.00元');
    // More than the allowance never leaves the page.
    await bench.check('input[name="decision"][value="approve"]');
    await bench.fill('#amount', '1500');
    await bench.click('#decide-button');
    await sees(bench, '#amount-error', '不超过1,000.00元');
    await bench.fill('#amount', '600');
    await bench.fill('#reasons', '家中失火，基本生活无着');
    await bench.click('#decide-button');
    await sees(bench, '#decision-result', '已提交');
    await screenshot(bench, 'casework-emergency-grant-1280');
    const paid = await eventually(async () => {
      const view = await runtime.api(`/emergency/${emergencyId}`, undefined, actors.township);
      return view.body.status === 'granted' ? view.body : undefined;
    });
    expect(paid.grant.amount).toBe(600);
    expect(
      (await runtime.api(`/cases/${caseId}/payments`, undefined, actors.auditor)).body.payments,
    ).toHaveLength(1);
    expect(bench.errors).toEqual([]);
  });

  // Last: it moves the clock past a public notice.
  it('shows a review sent back by objections with them, and lets the caseworker find them groundless', async () => {
    const flow = applicationFlow(runtime);
    const { applicationId: objected } = await flow.submit(application());
    const first = await flow.task(objected, 'townshipReview', 1);
    expect((await flow.decide(first.taskId, { decision: 'approve', reasons: ['入户核实属实'] })).status).toBe(
      200,
    );
    await flow.applicationWhen(objected, (a) => a.status === 'publicNotice');
    const raised = await runtime.api(`/applications/${objected}/objection`, {
      method: 'POST',
      body: JSON.stringify({ reason: '听说该户在城里有一套房' }),
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    await flow.passPublicNotice(objected, 1);
    const second = await flow.task(objected, 'townshipReview', 2);

    const bench = await open('/workbench/', widths.mobile);
    await signIn(bench, { role: 'townshipCaseworker', name: '李四', regions: '430121' });
    await bench.locator('[data-task]', { hasText: objected }).click({ timeout: 60_000 });
    await sees(bench, '#objections', '听说该户在城里有一套房');
    // Groundless needs its reasons, as the API says.
    await bench.check('input[name="decision"][value="dismiss"]');
    await bench.click('#decide-button');
    await sees(bench, '#reasons-error', '认定异议不成立时必须写明理由');
    await bench.fill('#reasons', '经不动产登记信息核对，该户成员名下无其他住房');
    await bench.click('#decide-button');
    await sees(bench, '#decision-result', '已提交：异议不成立');
    expect(await fitsWidth(bench)).toBe(true);
    await screenshot(bench, 'casework-objection-dismissed-375');
    const decided = await eventually(async () => {
      const task = await getTask(second.taskId);
      return task?.status === 'decided' ? task : undefined;
    });
    expect(decided.decision).toMatchObject({
      decision: 'dismiss',
      reasons: ['经不动产登记信息核对，该户成员名下无其他住房'],
    });
    expect(bench.errors).toEqual([]);
  });
});
