/**
 * The three apps in a real browser (Debian's Chromium through playwright-core) against an in-memory
 * local runtime, everyone signing in through the pages' own sign-in (本地开发登录): the township
 * caseworker meets the sign-in's field errors named in Chinese and signs in; an applicant signs in,
 * fills the declaration, meets a field error, fixes it, previews (试算) and submits; the caseworker's
 * workbench, already open, sees the task arrive without a reload and decides it; after the public
 * notice a county officer signs in to the same workbench and confirms; the applicant's status page
 * shows the notice; the auditor signs in, finds the case by region, status, caseworker and dates,
 * sees both tasks decided on time in the compliance view, exports the results, opens the timeline
 * and exports it. Then every page at 375 px and 1280 px: no sideways scrolling, no console error.
 * Screenshots go to test-artifacts/e2e/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { assets } from '../../shared/schemas/household.ts';
import { actors } from '../support/actors.ts';
import { application, validId } from '../support/households.ts';
import { validCard } from '../support/payroll.ts';
import { useRuntime } from '../support/runtime.ts';
import {
  ARTIFACTS,
  fitsWidth,
  type SignIn,
  screenshot,
  sees,
  signIn,
  text,
  useBrowser,
  widths,
} from './browser.ts';

const runtime = useRuntime();
const browser = useBrowser(() => runtime.rt.apiUrl);
const pages: Array<Page & { errors: string[] }> = [];

/** A page at `path`, kept: a later test reads the first page's storage. */
async function open(path: string, viewport: { width: number; height: number }) {
  const page = await browser.open(path, viewport);
  pages.push(page);
  return page;
}

async function saved(download: import('playwright-core').Download) {
  const path = join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(path);
  return readFile(path, 'utf8');
}

/** An ID number whose check character is wrong. */
function wrongCheckCharacter(id: string) {
  const last = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

describe('the applicant, caseworker and auditor journey', () => {
  let applicationId = '';
  let caseId = '';

  it('apply → decide → notice → audit', async () => {
    // The caseworker's workbench is open before anything arrives: first, the sign-in.
    const bench = await open('/workbench/', widths.desktop);
    await bench.locator('#signin-form').waitFor();
    expect(await bench.locator('#workbench').isVisible()).toBe(false);
    await bench.click('#signin-button');
    expect(await text(bench, '#signin-role-error')).toBe(
      '身份：请选择乡镇（街道）经办人或县级民政部门工作人员',
    );
    expect(await text(bench, '#signin-name-error')).toBe('姓名：请填写姓名（将记录在您办理的事项上）');
    expect(await text(bench, '#signin-regions-error')).toBe(
      '所服务的行政区划代码：请至少填写一个行政区划代码',
    );
    await bench.check('input[name="signin-role"][value="townshipCaseworker"]');
    await bench.fill('#signin-name', '李四');
    await bench.fill('#signin-regions', '430121, 43012');
    await bench.click('#signin-button');
    expect(await text(bench, '#signin-regions-error')).toBe(
      '所服务的行政区划代码：第2个“43012”行政区划代码应为6位数字',
    );
    expect(await text(bench, '#signin-role-error')).toBe('');
    expect(await bench.getAttribute('#signin-regions', 'aria-invalid')).toBe('true');
    await screenshot(bench, 'journey-0-workbench-signin-errors-1280');
    await signIn(bench, { regions: '430121' });
    expect(await text(bench, '#identity')).toContain('乡镇（街道）经办人 · 服务 430121');
    await sees(bench, '#inbox h2', '待办任务（0）');

    // ---- the applicant, on a phone
    const apply = await open('/apply/', widths.mobile);
    await apply.locator('#signin-form').waitFor();
    expect(await apply.locator('#application').isVisible()).toBe(false);
    expect(await apply.locator('#signin-regions').count()).toBe(0);
    expect(await fitsWidth(apply)).toBe(true);
    await screenshot(apply, 'journey-0-apply-signin-375');
    await signIn(apply, { name: '王芳' });
    expect(await text(apply, '#identity')).toContain('申请人');
    await apply.locator('[name="members.0.name"]').waitFor();
    const submittedOn = chinaDate();
    const ids = { self: validId('430121', '19800101', 31), child: validId('430121', '20150601', 32) };
    await apply.fill('[name="regionCode"]', '430121');
    await apply.selectOption('[name="residence"]', 'urban');
    await apply.selectOption('[name="requestedTier"]', 'dibao');
    await apply.fill('[name="applicant.name"]', '王芳');
    await apply.fill('[name="applicant.phone"]', '13912345678');
    await apply.fill('[name="members.0.name"]', '王芳');
    await apply.fill('[name="members.0.idNumber"]', wrongCheckCharacter(ids.self));
    await apply.fill('[name="members.0.age"]', '45');
    await apply.selectOption('[name="members.0.labourCapacity"]', 'partial');
    await apply.click('[data-action="add-income"]');
    await apply.selectOption('[name="members.0.incomes.0.kind"]', 'transfer');
    await apply.fill('[name="members.0.incomes.0.monthlyAmount"]', '200');
    await apply.click('[data-action="add-member"]');
    await apply.fill('[name="members.1.name"]', '王小明');
    await apply.fill('[name="members.1.idNumber"]', ids.child);
    await apply.selectOption('[name="members.1.relation"]', 'child');
    await apply.fill('[name="members.1.age"]', '11');
    await apply.selectOption('[name="members.1.labourCapacity"]', 'none');
    await apply.fill('[name="assets.deposits"]', '2000');
    await apply.fill('[name="assets.housingUnits"]', '-1');
    await apply.fill('[name="spendingLast12Months.medical"]', '1200');
    await apply.fill('[name="spendingLast12Months.education"]', '800');
    await apply.check('[name="pledge"]');
    await apply.check('[name="verificationConsent"]');

    // The schema's own message, next to the field, naming it in Chinese; nothing is sent.
    await apply.click('#submit-button');
    const idError = '[data-error-for="members.0.idNumber"]';
    await sees(apply, idError, '身份证号码');
    expect(await text(apply, idError)).toBe('家庭成员1 · 身份证号码：身份证号码校验位不正确（GB 11643）');
    // A message zod's own Chinese locale writes: the browser has the API's locale too.
    const housingMessage = assets.shape.housingUnits.safeParse(-1).error?.issues[0]?.message;
    expect(housingMessage).toMatch(/[\u4e00-\u9fff]/);
    expect(await text(apply, '[data-error-for="assets.housingUnits"]')).toBe(`住房套数：${housingMessage}`);
    expect(await text(apply, '#summary')).toContain('请修改以下 2 处');
    expect(await apply.getAttribute('[name="members.0.idNumber"]', 'aria-invalid')).toBe('true');
    expect(apply.url()).toContain('/apply/');
    await screenshot(apply, 'journey-1-apply-field-error-375');

    // Fixed, the error goes as it is typed.
    await apply.fill('[name="members.0.idNumber"]', ids.self);
    expect(await text(apply, idError)).toBe('');
    await apply.fill('[name="assets.housingUnits"]', '1');
    expect(await text(apply, '#summary')).toBe('');

    // The account may be declared with the application: checked as it is typed, like the rest.
    const card = validCard(9);
    await apply.selectOption('[name="payeeAccount.kind"]', 'bankCard');
    await apply.fill('[name="payeeAccount.bankName"]', '中国农业银行长沙县支行');
    await apply.fill('[name="payeeAccount.accountName"]', '王芳');
    await apply.fill(
      '[name="payeeAccount.accountNumber"]',
      `${card.slice(0, -1)}${(Number(card.at(-1)) + 1) % 10}`,
    );
    const cardError = '[data-error-for="payeeAccount.accountNumber"]';
    await sees(apply, cardError, '校验位');
    expect(await text(apply, cardError)).toBe('收款账户 · 账号：卡号校验位不正确，请核对卡号');
    await apply.fill('[name="payeeAccount.accountNumber"]', card);
    expect(await text(apply, cardError)).toBe('');
    // Special assistance asked for with the tier (一次申请、分类审核认定): the notice answers it.
    await apply.check('[name="specialRequests"][value="medicalAssistance"]');

    // 试算
    await apply.click('#preview-button');
    await sees(apply, '#preview-tier', '最低生活保障');
    expect(await text(apply, '#preview-result')).toContain('1,750.00元');
    await screenshot(apply, 'journey-2-apply-preview-375');

    // A double click files once.
    await Promise.all([apply.waitForURL(/\/status\/\?id=app-/), apply.dblclick('#submit-button')]);
    applicationId = new URL(apply.url()).searchParams.get('id')!;
    const status = apply;
    // The same tab: still signed in, nothing to ask.
    await sees(status, '#identity-name', '王芳');
    expect(await status.locator('#signin-form').count()).toBe(0);
    await sees(status, '#status-label', '');
    expect(['已受理', '审核中']).toContain(await text(status, '#status-label'));
    await sees(status, '#means-test', '核查结论');
    await screenshot(status, 'journey-3-status-pending-375');

    // ---- the caseworker: the task arrives without a reload
    await sees(bench, '#banner', '收到 1 件新任务');
    const item = bench.locator(`[data-task]`);
    expect(await item.count()).toBe(1);
    expect(await text(bench, '[data-task] .badge.new')).toBe('新');
    expect(await text(bench, '[data-task]')).toMatch(/剩 \d+ 天|今日到期/);
    await screenshot(bench, 'journey-4-workbench-inbox-1280');
    await item.click();
    await sees(bench, '#means-test', '最低生活保障');
    await sees(bench, '#history', '乡镇（街道）审核');
    caseId = (await text(bench, '#case-view a[href^="/audit/"]')).trim();
    expect(caseId).toMatch(/^case-/);
    expect(await text(bench, '#case-view')).not.toContain(ids.self);

    // A decision needs a choice, and a refusal needs reasons: both named in Chinese.
    await bench.click('#decide-button');
    expect(await text(bench, '#decision-error')).toBe('审核意见：请选择同意或不同意');
    await bench.check('input[name="decision"][value="reject"]');
    await bench.click('#decide-button');
    expect(await text(bench, '#reasons-error')).toBe('理由：不同意时必须填写理由');
    await screenshot(bench, 'journey-5-workbench-decision-errors-1280');
    await bench.check('input[name="decision"][value="approve"]');
    await bench.fill('#reasons', '入户核实属实\n收入与申报一致');
    await bench.click('#decide-button');
    await sees(bench, '#decision-result', '已提交：同意');
    expect(await text(bench, '#reasons-error')).toBe('');
    await sees(bench, '#inbox h2', '待办任务（0）');
    await screenshot(bench, 'journey-6-workbench-decided-1280');

    // ---- 公示: the proposed result is publicly noticed for 7 days, passed here on the virtual
    // clock; then a county officer signs in to the workbench and confirms
    await sees(status, '#status-label', '公示中', 60_000);
    const noticed = await runtime.api(`/applications/${applicationId}`, undefined, actors.auditor);
    clock.advance(Date.parse(`${noticed.body.publicNotice.endsOn}T16:00:00Z`) - Date.now() + 60_000);
    const countyBench = await open('/workbench/', widths.desktop);
    await signIn(countyBench, { role: 'countyOfficer', name: '钱七', regions: '430121' });
    expect(await text(countyBench, '#identity')).toContain('县级民政部门工作人员');
    const countyTask = countyBench.locator('[data-task]', { hasText: '县级民政部门确认' });
    await countyTask.waitFor({ timeout: 60_000 });
    await countyTask.click();
    await sees(countyBench, '#case-view', applicationId);
    await countyBench.check('input[name="decision"][value="approve"]');
    await countyBench.click('#decide-button');
    await sees(countyBench, '#decision-result', '已提交：同意');
    await screenshot(countyBench, 'journey-6b-workbench-county-decided-1280');

    // ---- the applicant sees the notice (the status page polls)
    await sees(status, '#notice h2', '社会救助确认通知书', 60_000);
    expect(await text(status, '#status-label')).toBe('已确认救助');
    expect(await text(status, '#tier')).toBe('最低生活保障');
    expect(await text(status, '#amount')).toBe('1,750.00元');
    expect(await text(status, '#notice')).toContain('书面告知送达期限');
    expect(await text(status, '#status')).not.toContain(ids.self);
    // What the tier entitles the household to beyond the money, department by department.
    await sees(status, '#special-answers', '医疗救助：给予（王芳：政策范围内个人自付费用按70%救助');
    await sees(status, '#special-assistance', '城乡居民基本医疗保险个人缴费资助', 60_000);
    expect(await text(status, '#special-assistance')).toContain('由医疗保障部门办理');
    await screenshot(status, 'journey-7-status-notice-375');

    // ---- the auditor signs in, finds the case and sees its tasks' deadlines
    const audit = await open('/audit/', widths.desktop);
    await signIn(audit, { name: '孙八', regions: '430121' });
    expect(await text(audit, '#identity')).toContain('审计人员（只读）');
    expect(await audit.inputValue('#search-regionCode')).toBe('430121');
    // The form validates with the API's own schema, naming the field in Chinese.
    await audit.fill('#search-from', submittedOn);
    await audit.fill('#search-to', '2000-01-01');
    await audit.click('#search-button');
    expect(await text(audit, '#search-to-error')).toBe('提交日期止：提交日期止不能早于提交日期起');
    await audit.fill('#search-to', chinaDate());
    await audit.selectOption('#search-status', 'approved');
    await audit.fill('#search-caseworker', '钱七');
    await audit.click('#search-button');
    await sees(audit, '#cases h2', '检索结果（1 件）');
    expect(await text(audit, '#search-to-error')).toBe('');
    const listed = audit.locator(`#cases tr[data-application="${applicationId}"]`);
    expect(await listed.textContent()).toContain('已确认救助');
    expect(await listed.textContent()).toContain('李四、钱七');
    const compliance = await text(audit, '#compliance');
    for (const expected of ['乡镇（街道）审核', '县级民政部门确认']) expect(compliance).toContain(expected);
    expect(await audit.locator('#compliance-table tbody tr').count()).toBe(2);
    for (const kind of ['townshipReview', 'countyDetermination'])
      expect(await text(audit, `#compliance-table tr[data-kind="${kind}"] .marks`)).toBe('按时');
    expect(await text(audit, '[data-figure="share"]')).toBe('100.0%按时办结率');
    expect(await text(audit, '#search-results')).not.toContain(ids.self);
    await screenshot(audit, 'journey-8-audit-search-compliance-1280');

    const casesCsv = await saved(
      (await Promise.all([audit.waitForEvent('download'), audit.click('#export-cases-csv')]))[0],
    );
    expect(casesCsv.startsWith('\uFEFF申请编号,案件编号,')).toBe(true);
    expect(casesCsv.trim().split('\r\n')).toHaveLength(2);
    expect(casesCsv).toContain(applicationId);
    const complianceCsv = await saved(
      (await Promise.all([audit.waitForEvent('download'), audit.click('#export-compliance-csv')]))[0],
    );
    expect(complianceCsv.startsWith('\uFEFF申请编号,案件编号,任务编号,任务,期限,')).toBe(true);
    const taskRows = complianceCsv.trim().split('\r\n').slice(1);
    expect(taskRows).toHaveLength(2);
    for (const row of taskRows) expect(row.endsWith(',按时')).toBe(true);
    const complianceJson = JSON.parse(
      await saved(
        (await Promise.all([audit.waitForEvent('download'), audit.click('#export-compliance-json')]))[0],
      ),
    );
    expect(complianceJson.totals).toMatchObject({ tasks: 2, decided: 2, onTime: 2, onTimeShare: 1 });
    expect(complianceJson.tasks.map((t: { kind: string }) => t.kind)).toEqual([
      'townshipReview',
      'countyDetermination',
    ]);
    const casesJson = JSON.parse(
      await saved(
        (await Promise.all([audit.waitForEvent('download'), audit.click('#export-cases-json')]))[0],
      ),
    );
    expect(casesJson.applications[0].applicationId).toBe(applicationId);

    // The search result opens the timeline.
    await audit.click(`#cases tr[data-application="${applicationId}"] a.open-case`);
    await sees(audit, '#timeline', '确认并书面告知');
    expect(audit.url()).toContain(`/audit/?case=${caseId}`);
    const timeline = await text(audit, '#timeline');
    for (const step of ['流程开始', '家庭经济状况核查', '乡镇（街道）审核', '确认并书面告知', '流程结束'])
      expect(timeline).toContain(step);
    await screenshot(audit, 'journey-8b-audit-timeline-1280');

    const [csvDownload] = await Promise.all([audit.waitForEvent('download'), audit.click('#export-csv')]);
    const csv = await saved(csvDownload);
    expect(csvDownload.suggestedFilename()).toBe(`doudi-${caseId}-timeline.csv`);
    expect(csv.startsWith('\uFEFF案件编号,流程,')).toBe(true);
    const rows = csv.trim().split('\r\n');
    expect(rows.length).toBe((await audit.locator('#timeline > li').count()) + 1);
    expect(csv).toContain('乡镇（街道）审核');

    const [jsonDownload] = await Promise.all([audit.waitForEvent('download'), audit.click('#export-json')]);
    const exported = JSON.parse(await saved(jsonDownload));
    expect(exported.caseId).toBe(caseId);
    expect(exported.timeline).toHaveLength(rows.length - 1);
    expect(exported.history.executions[0].states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'OpenPublicNotice',
      'PublicNotice',
      'ClosePublicNotice',
      'NoticeOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'Closed',
    ]);
    expect(exported.applications[0].notice.title).toBe('社会救助确认通知书');
    // An ID number stands alone; a run of 18 digits inside a hex id (task-7f0504357744…) is not one.
    for (const content of [csv, JSON.stringify(exported), casesCsv, complianceCsv])
      expect(content).not.toMatch(/(?<![0-9a-f])\d{17}[\dX](?![0-9a-f])/);

    // Filed once, whatever the double click did.
    const tasks = await runtime.api('/tasks?township=430121');
    expect(tasks.body.tasks).toEqual([]);
    const history = await runtime.api(`/cases/${caseId}/history`);
    expect(history.body.executions).toHaveLength(1);

    for (const page of pages) expect(page.errors, page.url()).toEqual([]);
  }, 180_000);

  it('offers the other tier to the applicant who comes back, with consent pending the API', async () => {
    // The applicant of the journey, on this browser: the page keeps their user id for next time.
    const first = pages[0]!;
    const subject = await first.evaluate(() => localStorage.getItem('doudi.applicant.subject'));
    expect(subject).toMatch(/^applicant-/);
    const single = application({
      members: [
        {
          ...application().members[0]!,
          idNumber: validId('430121', '19800101', 41),
          incomes: [{ kind: 'wage', monthlyAmount: 1100 }],
        },
      ],
    });
    const submitted = await runtime.api(
      '/applications',
      { method: 'POST', body: JSON.stringify(single) },
      { role: 'applicant', subject: subject!, name: '王芳' },
    );
    expect(submitted.status).toBe(202);
    const page = await open(`/status/?id=${submitted.body.applicationId}`, widths.mobile);
    // Signed in again, without a name this time: the same applicant, who reads their own application.
    await signIn(page);
    await sees(page, '#consent', '低保边缘家庭', 60_000);
    const consent = await runtime.api('/openapi.json');
    const route = Boolean(consent.body.paths['/applications/{applicationId}/consent']?.post);
    expect(await page.locator('#consent-button').isDisabled()).toBe(!route);
    if (!route) expect(await text(page, '#consent-note')).toContain('在线同意功能尚未开通');
    await screenshot(page, 'journey-9-status-consent-375');
    // The household changes where its SMS go, or turns them off: a bad number never leaves the page.
    await sees(page, '#contact-current', `短信通知发送至 ${single.applicant.phone.slice(0, 3)}****`);
    await page.fill('#contact-phone', '1380000');
    await page.click('#contact-button');
    await sees(page, '#contact-error', '手机号应为11位');
    await page.fill('#contact-phone', '13800000355');
    await page.selectOption('#contact-notify', 'none');
    await page.click('#contact-button');
    await sees(page, '#contact-result', '此后不再发送短信通知');
    await sees(page, '#contact-current', '已选择不接收短信（号码 138****0355）');
    expect(await fitsWidth(page)).toBe(true);
    expect(page.errors).toEqual([]);

    // The caseworker's case view on a phone.
    const bench = await open('/workbench/', widths.mobile);
    // Serving the whole province, the caseworker names the county whose inbox to open.
    await signIn(bench, { role: 'townshipCaseworker', name: '李四', regions: '430000' });
    await bench.fill('#township', '430121');
    await bench.click('#inbox-form button[type="submit"]');
    await bench.locator(`[data-task]`, { hasText: submitted.body.applicationId }).click();
    await sees(bench, '#means-test', '低保边缘家庭');
    await sees(bench, '#history', '乡镇（街道）审核');
    expect(await fitsWidth(bench)).toBe(true);
    await screenshot(bench, 'journey-10-workbench-case-375');
    expect(bench.errors).toEqual([]);
  });

  it('shows the API’s 403 in Chinese, a lapsed sign-in asks again, and a deployment without dev sign-in says so', async () => {
    // A region outside the auditor's jurisdiction: the API's own message, in Chinese.
    const audit = await open('/audit/', widths.mobile);
    await signIn(audit, { name: '审计孙八', regions: '430121' });
    await audit.fill('#search-regionCode', '110101');
    await audit.click('#search-button');
    await sees(audit, '#search-status-line', '检索失败：行政区划 110101 不在您的管辖范围内');
    await screenshot(audit, 'journey-11-audit-403-375');
    expect(audit.errors.every((e) => e.includes('403'))).toBe(true);

    // A lapsed token: the API answers 401, the card comes back over what the page shows.
    await audit.evaluate(() => sessionStorage.setItem('doudi.token', 'x.eyJzdWIiOiJ4In0.y'));
    await audit.fill('#search-regionCode', '430121');
    await audit.click('#search-button');
    await sees(audit, '#signin-notice', '登录已失效');
    expect(await audit.locator('#search-form').isVisible()).toBe(true);
    await signIn(audit, { regions: '430121' });
    await audit.click('#search-button');
    await sees(audit, '#cases h2', '检索结果');

    // Where POST /auth/dev-login is not there, nothing is faked.
    const page = await open('/workbench/', widths.mobile);
    await page.route('**/auth/dev-login', (route) =>
      route.fulfill({ status: 404, contentType: 'text/html', body: 'Not Found' }),
    );
    await page.locator('#signin-form').waitFor();
    await page.check('input[name="signin-role"][value="townshipCaseworker"]');
    await page.fill('#signin-name', '李四');
    await page.fill('#signin-regions', '430121');
    await page.click('#signin-button');
    await sees(page, '#signin-unavailable', '本部署没有本地开发登录');
    expect(await page.locator('#signin-button').isDisabled()).toBe(true);
    expect(await page.locator('#workbench').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('doudi.token'))).toBeNull();
    await screenshot(page, 'journey-12-signin-unavailable-375');
    // A deployment that says it has neither sign-in (GET /public/sign-in) offers no form at all.
    const bare = await open('/workbench/', widths.mobile);
    await bare.route('**/public/sign-in', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"dev":false,"oidc":null}' }),
    );
    await bare.reload();
    await sees(bare, '#signin-unavailable', '尚未配置统一身份认证登录');
    expect(await bare.locator('#signin-button').count()).toBe(0);
    expect(await bare.locator('#workbench').isVisible()).toBe(false);
    // The only console errors are the browser's notes of those refusals.
    for (const p of [audit, page]) for (const e of p.errors) expect(e).toMatch(/status of (401|403|404)/);
  });

  it('every page fits 375 px and 1280 px with no console error', async () => {
    expect(applicationId, 'the journey ran first').toMatch(/^app-/);
    const township: SignIn = { role: 'townshipCaseworker', name: '李四', regions: '430121' };
    const all: Array<[string, string, string, SignIn | null]> = [
      ['home', '/', 'main h1', null],
      ['signin', '/workbench/', '#signin-form', null],
      ['apply', '/apply/', '[name="members.0.name"]', { name: '王芳' }],
      ['status', `/status/?id=${applicationId}`, '#notice h2', {}],
      ['workbench', '/workbench/', '#inbox h2', township],
      ['audit', `/audit/?case=${caseId}`, '#timeline li', { regions: '430121' }],
      ['docs', '/docs', '#op-submitApplication', null],
    ];
    for (const [name, path, ready, as] of all) {
      for (const [size, viewport] of Object.entries(widths)) {
        const page = await open(path, viewport);
        if (as) await signIn(page, as);
        await page.locator(ready).first().waitFor();
        expect(await fitsWidth(page), `${name} at ${viewport.width} px scrolls sideways`).toBe(true);
        await screenshot(page, `page-${name}-${viewport.width}`);
        expect(page.errors, `${name} (${size})`).toEqual([]);
        await page.close();
      }
    }
  }, 180_000);
});
