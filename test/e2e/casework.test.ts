/**
 * The caseworker's workbench on the decisions the applicant journey does not reach: what an
 * emergency is paid first (the card of its hardship and limits; an amount above the allowance never
 * leaves the page), and a review sent back by objections to its public notice, shown with them and
 * found groundless with reasons; a county determination of a township's proposed refusal that the
 * county must visit first; the households an SMS did not reach, and the caseworker's choice of how
 * work messages alert them. In a real browser against an in-memory local runtime.
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../local/lambda.ts';
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

  it('tells the township which households an SMS did not reach, takes their new number, and how work messages alert the caseworker', async () => {
    const flow = applicationFlow(runtime);
    // A number the local SMS gateway refuses (local/outbox.ts).
    const { caseId } = await flow.submit(application({ applicant: { name: '王五', phone: '19990000201' } }));
    await eventually(async () => {
      await invoke('relayDeliveries', {});
      const inbox = await runtime.api('/notifications?township=430121', {}, actors.township);
      return inbox.body.notifications.some(
        (n: { caseId: string; type: string }) => n.caseId === caseId && n.type === 'householdUnreached',
      )
        ? true
        : undefined;
    });
    const bench = await open('/workbench/', widths.mobile);
    await signIn(bench, { role: 'townshipCaseworker', name: '李四', regions: '430121' });
    await sees(bench, '#unreached', '短信未送达，请当面或电话联系');
    await sees(bench, `#unreached [data-case="${caseId}"]`, '申请已受理：号码无效');
    // Reached in person, the household gives a new number: its SMS go there from now on.
    const item = bench.locator(`#unreached [data-case="${caseId}"]`);
    await item.locator('input').fill('1380');
    await item.locator('button').click();
    await sees(bench, `#unreached [data-case="${caseId}"] small`, '手机号应为11位');
    await item.locator('input').fill('13800000456');
    await item.locator('button').click();
    await sees(bench, `#unreached [data-case="${caseId}"] small`, '此后的短信通知发送至 138****0456');
    expect((await runtime.api(`/cases/${caseId}/contact`, {}, actors.township)).body.contact).toMatchObject({
      phoneMasked: '138****0456',
      source: 'changed',
    });
    // And chooses to be @-mentioned on 政务钉钉: not without an account id there.
    await sees(bench, '#work-channel-result', '尚未设置');
    await bench.selectOption('#work-channel', 'dingtalk');
    await bench.click('#work-channel-button');
    await sees(bench, '#work-account-error', '用户编号');
    await bench.fill('#work-account', 'lisi-430121');
    await bench.click('#work-channel-button');
    await sees(bench, '#work-channel-result', '当前：政务钉钉');
    expect(await fitsWidth(bench)).toBe(true);
    expect(bench.errors).toEqual([]);
  });

  it('shows the county the township’s proposed refusal and why it must visit, and takes the visit with the decision', async () => {
    const flow = applicationFlow(runtime);
    const household = application();
    const { applicationId } = await flow.submit(household);
    const recorded = await runtime.api(
      '/staff/committee-relatives',
      {
        method: 'POST',
        body: JSON.stringify({
          regionCode: '430121',
          committee: '天华村村民委员会',
          member: '周某',
          relatives: [
            {
              name: household.members[0]!.name,
              idNumber: household.members[0]!.idNumber,
              relation: 'sibling',
            },
          ],
        }),
      },
      actors.township,
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const county = await flow.proposeRefusal(applicationId, '430121', {
      decision: 'reject',
      reasons: ['邻里反映家中有经营收入'],
    });

    const bench = await open('/workbench/', widths.mobile);
    await signIn(bench, { role: 'countyOfficer', name: '钱七', regions: '430121' });
    await bench.locator('[data-task]', { hasText: applicationId }).click({ timeout: 60_000 });
    await sees(bench, '#proposal', '邻里反映家中有经营收入');
    await sees(bench, '#home-check', '家庭成员与村（居）民委员会成员有近亲属关系');
    await bench.check('input[name="decision"][value="reject"]');
    await bench.fill('#reasons', '同意乡镇（街道）意见');
    await bench.click('#decide-button');
    // Without the county's own visit the API refuses, naming the field, in Chinese.
    await sees(bench, '#findings-error', '须由县级民政部门入户核查后再作决定');
    await bench.fill('#visit-date', chinaDate());
    await bench.fill('#visit-visitors', '钱七、孙八');
    await bench.uncheck('#visit-matches');
    await bench.fill('#visit-notes', '家中经营小卖部');
    await bench.click('#decide-button');
    await sees(bench, '#decision-result', '已提交：不同意');
    expect(await fitsWidth(bench)).toBe(true);
    await screenshot(bench, 'casework-county-proposal-home-check-375');
    const decided = await eventually(async () => {
      const task = await getTask(county.taskId);
      return task?.status === 'decided' ? task : undefined;
    });
    expect(decided.decision).toHaveProperty('findings.homeVisit', {
      visitedOn: chinaDate(),
      visitors: ['钱七', '孙八'],
      matchesDeclaration: false,
      notes: '家中经营小卖部',
    });
    const refused = await flow.applicationWhen(applicationId, (a) => a.status === 'refused');
    expect(refused.notice.reasons).toContain('乡镇（街道）审核意见：邻里反映家中有经营收入');

    // 行政复议 revokes the refusal (第七十六条): the county records it; the review reopens before it.
    await bench.fill('#appeal-caseId', refused.caseId);
    await bench.fill('#appeal-noticeId', refused.notice.noticeId);
    await bench.selectOption('#appeal-channel', 'reconsideration');
    await bench.selectOption('#appeal-outcome', 'revoked');
    await bench.fill('#appeal-decidedOn', chinaDate());
    await bench.fill('#appeal-authority', '长沙县人民政府');
    await bench.click('#appeal-button');
    // Incomplete: it never leaves the page, and the missing field is named in Chinese.
    await sees(bench, '#appeal-documentNumber-error', '文号：请填写复议决定书或判决书、裁定书的文号');
    await bench.fill('#appeal-documentNumber', '长县政复决〔2026〕9号');
    await bench.click('#appeal-button');
    await sees(bench, '#appeal-result', '申请已回到原作出决定的层级重新审核');
    await bench.locator('[data-task]', { hasText: applicationId }).click({ timeout: 60_000 });
    await sees(bench, '#reopened', '撤销原决定');
    await sees(bench, '#proposal', '邻里反映家中有经营收入');
    expect(await fitsWidth(bench)).toBe(true);
    await screenshot(bench, 'casework-county-appeal-reopened-375');
    expect(bench.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
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
