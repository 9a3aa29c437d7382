/**
 * The three apps in a real browser (Debian's Chromium through playwright-core) against an in-memory
 * local runtime: an applicant fills the declaration, meets a field error named in Chinese, fixes it,
 * previews (试算) and submits; the caseworker's workbench, already open, sees the task arrive without
 * a reload and decides it; the applicant's status page shows the notice; the auditor sees the
 * timeline and exports it. Then every page at 375 px and 1280 px: no sideways scrolling, no console
 * error. Screenshots go to test-artifacts/e2e/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { assets } from '../../shared/schemas/household.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';
import { ARTIFACTS, type Browser, fitsWidth, launch, screenshot, widths } from './browser.ts';

const runtime = useRuntime();
let browser: Browser | undefined;
const pages: Array<Page & { errors: string[] }> = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, viewport: { width: number; height: number }) {
  const page = await browser!.page(viewport);
  pages.push(page);
  await page.goto(`${runtime.rt.apiUrl}${path}`);
  return page;
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();

/** Waits until the element's text contains `expected`. */
async function sees(page: Page, selector: string, expected: string, timeout = 15_000) {
  await page.locator(selector, { hasText: expected }).first().waitFor({ timeout });
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
    // The caseworker's workbench is open before anything arrives.
    const bench = await open('/workbench/', widths.desktop);
    await sees(bench, '#inbox h2', '待办任务（0）');

    // ---- the applicant, on a phone
    const apply = await open('/apply/', widths.mobile);
    await apply.locator('[name="members.0.name"]').waitFor();
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

    // 试算
    await apply.click('#preview-button');
    await sees(apply, '#preview-tier', '最低生活保障');
    expect(await text(apply, '#preview-result')).toContain('1,700.00 元');
    await screenshot(apply, 'journey-2-apply-preview-375');

    // A double click files once.
    await Promise.all([apply.waitForURL(/\/status\/\?id=app-/), apply.dblclick('#submit-button')]);
    applicationId = new URL(apply.url()).searchParams.get('id')!;
    const status = apply;
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
    await bench.fill('#caseworker', '李四');
    await bench.click('#decide-button');
    await sees(bench, '#decision-result', '已提交：同意');
    expect(await text(bench, '#reasons-error')).toBe('');
    await sees(bench, '#inbox h2', '待办任务（0）');
    await screenshot(bench, 'journey-6-workbench-decided-1280');

    // ---- 公示: the proposed result is publicly noticed for 7 days, passed here on the virtual
    // clock; then the county confirms (through the API: its inbox is the same workbench)
    await sees(status, '#status-label', '公示中', 20_000);
    const noticed = await runtime.api(`/applications/${applicationId}`);
    clock.advance(Date.parse(`${noticed.body.publicNotice.endsOn}T16:00:00Z`) - Date.now() + 60_000);
    const county = await eventually(async () => {
      const { body } = await runtime.api('/tasks?township=430121');
      return body.tasks.find((t: { kind: string }) => t.kind === 'countyDetermination');
    });
    const confirmed = await runtime.api(`/tasks/${county.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', decidedBy: '县民政局 钱七' }),
    });
    expect(confirmed.status).toBe(200);

    // ---- the applicant sees the notice (the status page polls)
    await sees(status, '#notice h2', '社会救助确认通知书', 20_000);
    expect(await text(status, '#status-label')).toBe('已确认救助');
    expect(await text(status, '#tier')).toBe('最低生活保障');
    expect(await text(status, '#amount')).toBe('1,700.00 元');
    expect(await text(status, '#notice')).toContain('书面告知送达期限');
    expect(await text(status, '#status')).not.toContain(ids.self);
    await screenshot(status, 'journey-7-status-notice-375');

    // ---- the auditor
    const audit = await open(`/audit/?case=${caseId}`, widths.desktop);
    await sees(audit, '#timeline', '确认并书面告知');
    const timeline = await text(audit, '#timeline');
    for (const step of ['流程开始', '家庭经济状况核查', '乡镇（街道）审核', '确认并书面告知', '流程结束'])
      expect(timeline).toContain(step);
    await screenshot(audit, 'journey-8-audit-timeline-1280');

    const [csvDownload] = await Promise.all([audit.waitForEvent('download'), audit.click('#export-csv')]);
    const csvPath = join(ARTIFACTS, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvPath);
    const csv = await readFile(csvPath, 'utf8');
    expect(csvDownload.suggestedFilename()).toBe(`doudi-${caseId}-timeline.csv`);
    expect(csv.startsWith('\uFEFF案件编号,流程,')).toBe(true);
    const rows = csv.trim().split('\r\n');
    expect(rows.length).toBe((await audit.locator('#timeline > li').count()) + 1);
    expect(csv).toContain('乡镇（街道）审核');

    const [jsonDownload] = await Promise.all([audit.waitForEvent('download'), audit.click('#export-json')]);
    const jsonPath = join(ARTIFACTS, jsonDownload.suggestedFilename());
    await jsonDownload.saveAs(jsonPath);
    const exported = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(exported.caseId).toBe(caseId);
    expect(exported.timeline).toHaveLength(rows.length - 1);
    expect(exported.history.executions[0].states).toEqual([
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
      'Determine',
    ]);
    expect(exported.applications[0].notice.title).toBe('社会救助确认通知书');
    for (const content of [csv, JSON.stringify(exported)]) expect(content).not.toMatch(/\d{17}[\dX]/);

    // Filed once, whatever the double click did.
    const tasks = await runtime.api('/tasks?township=430121');
    expect(tasks.body.tasks).toEqual([]);
    const history = await runtime.api(`/cases/${caseId}/history`);
    expect(history.body.executions).toHaveLength(1);

    for (const page of pages) expect(page.errors, page.url()).toEqual([]);
  }, 180_000);

  it('offers the other tier the household qualifies for, with consent pending the API', async () => {
    const single = application({
      members: [
        {
          ...application().members[0]!,
          idNumber: validId('430121', '19800101', 41),
          incomes: [{ kind: 'wage', monthlyAmount: 1100 }],
        },
      ],
    });
    const submitted = await runtime.api('/applications', { method: 'POST', body: JSON.stringify(single) });
    expect(submitted.status).toBe(202);
    const page = await open(`/status/?id=${submitted.body.applicationId}`, widths.mobile);
    await sees(page, '#consent', '低保边缘家庭', 20_000);
    const consent = await runtime.api('/openapi.json');
    const route = Boolean(consent.body.paths['/applications/{applicationId}/consent']?.post);
    expect(await page.locator('#consent-button').isDisabled()).toBe(!route);
    if (!route) expect(await text(page, '#consent-note')).toContain('在线同意功能尚未开通');
    await screenshot(page, 'journey-9-status-consent-375');
    expect(page.errors).toEqual([]);

    // The caseworker's case view on a phone.
    const bench = await open('/workbench/', widths.mobile);
    await bench.locator(`[data-task]`, { hasText: submitted.body.applicationId }).click();
    await sees(bench, '#means-test', '低保边缘家庭');
    await sees(bench, '#history', '乡镇（街道）审核');
    expect(await fitsWidth(bench)).toBe(true);
    await screenshot(bench, 'journey-10-workbench-case-375');
    expect(bench.errors).toEqual([]);
  }, 60_000);

  it('every page fits 375 px and 1280 px with no console error', async () => {
    expect(applicationId, 'the journey ran first').toMatch(/^app-/);
    const all: Array<[string, string, string]> = [
      ['home', '/', 'main h1'],
      ['apply', '/apply/', '[name="members.0.name"]'],
      ['status', `/status/?id=${applicationId}`, '#notice h2'],
      ['workbench', '/workbench/', '#inbox h2'],
      ['audit', `/audit/?case=${caseId}`, '#timeline li'],
      ['docs', '/docs', '#op-submitApplication'],
    ];
    for (const [name, path, ready] of all) {
      for (const [size, viewport] of Object.entries(widths)) {
        const page = await open(path, viewport);
        await page.locator(ready).first().waitFor();
        expect(await fitsWidth(page), `${name} at ${viewport.width} px scrolls sideways`).toBe(true);
        await screenshot(page, `page-${name}-${viewport.width}`);
        expect(page.errors, `${name} (${size})`).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);
});
