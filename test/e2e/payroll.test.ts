/**
 * The county's payroll page (发放名册) in a real browser against an in-memory local runtime: a county
 * officer signs in through the page's own card, meets the start form's errors in Chinese (the API's
 * schema checked in the browser, then the API's own field message), prepares the month's roll, sees
 * it computed (polled) to 待审批 with the households' lines and total, and is refused approving their
 * own roll. A second officer, the county remembered, approves it and sees 已审批; downloads the bank
 * file once (the household without an account listed as left out); uploads a return file that
 * differs from it and sees every problem named by its line, then the bank's true return, and the
 * roll reaches 已对账 with each line's result. An auditor reads it and finds nothing to press. At
 * 1280 px and 375 px: no sideways scrolling, no console error but the refusals asked for.
 * Screenshots in test-artifacts/e2e/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addMonthsToMonth, chinaMonth, monthStartsAt } from '../../shared/domain/lifecycle.ts';
import { fenText, toFen, yuanText } from '../../shared/domain/money.ts';
import { actors } from '../support/actors.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { payrollHelpers, returnFile } from '../support/payroll.ts';
import { useRuntime } from '../support/runtime.ts';
import { fitsWidth, screenshot, sees, signIn, text, useBrowser, widths } from './browser.ts';

const runtime = useRuntime();
const { open } = useBrowser(() => runtime.rt.apiUrl);
const _lc = lifecycleHelpers(runtime);

/** The refusals the scenario asks for show as failed requests in the console; nothing else may. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of (400|403|409)\b/.test(e));

const { determinedCase, registerAccount } = payrollHelpers(runtime);

/** A 低保 case of 长沙县 determined last month: this month's roll owes it one month. */
const caseOwedThisMonth = () =>
  determinedCase(new Date(Date.parse(monthStartsAt(chinaMonth(new Date()))) - 5 * 86_400_000).toISOString());

/**
 * Waits (polling the page's text) until the open roll shows `status`; when it does not, the failure
 * says what the page and the API show instead (a roll the workflow failed names why).
 */
async function rollShows(page: Page, rollId: string, status: string, timeout = 60_000) {
  try {
    await sees(page, '#roll-status', status, timeout);
  } catch (error) {
    const shown =
      (await page
        .locator('#roll')
        .textContent()
        .catch(() => '')) ?? '';
    const { body } = await runtime.api(`/payrolls/${rollId}`);
    throw new Error(
      `名册 ${rollId} 未显示“${status}”：页面 ${shown.slice(0, 300)}；接口 status=${body.status} failure=${body.failure ?? '—'}`,
      { cause: error },
    );
  }
}

const csv = (name: string, content: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(content, 'utf8'),
});

describe('the payroll page', () => {
  it('has one officer prepare the month’s roll, another approve it, and the bank’s return reconcile it', async () => {
    const month = chinaMonth(new Date());
    const paid = await caseOwedThisMonth();
    const unregistered = await caseOwedThisMonth();
    await registerAccount(paid.caseId);
    const amount = yuanText(paid.monthlyAmount!);
    const total = fenText(toFen(paid.monthlyAmount!) + toFen(unregistered.monthlyAmount!));
    const rollId = `430121-${month}-1`;
    const row = `#rolls-table [data-roll="${rollId}"]`;

    // Officer A serves the provinces: no county to default to, so the form starts empty.
    const a = await open('/payroll/', widths.desktop);
    await signIn(a, {
      role: 'countyOfficer',
      name: actors.county.name,
      regions: actors.county.regionCodes.join(','),
    });
    await a.locator('#start-form').waitFor();
    expect(await a.inputValue('#region-code')).toBe('');
    // This month by the browser's calendar (the page's clock is the machine's, not the runtime's pinned one).
    expect(await a.inputValue('#month')).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);

    // The API's schema, checked in the browser: nothing leaves the page.
    await a.fill('#month', `${month.slice(0, 4)}-13`);
    await a.click('#start-button');
    await sees(a, '#region-code-error', '县级行政区划代码：行政区划代码应为6位数字');
    await sees(a, '#month-error', '月份：月份应为 YYYY-MM');
    // The API's own refusal, named at the field.
    await a.fill('#region-code', '430121');
    await a.fill('#month', addMonthsToMonth(month, 3));
    await a.click('#start-button');
    await sees(a, '#month-error', '只能编制本月或下月的发放名册');
    expect(await text(a, '#region-code-error')).toBe('');

    await a.fill('#month', month);
    await a.click('#start-button');
    await sees(a, '#start-result', '已开始编制');
    await a.locator(row).waitFor();
    // Computed by the workflow while the page polls.
    await rollShows(a, rollId, '待审批');
    await sees(a, row, '待审批');
    expect(await text(a, row)).toContain(total);
    expect(await text(a, row)).toContain(actors.county.name);
    for (const { caseId } of [paid, unregistered]) {
      const line = a.locator(`#roll-lines [data-case="${caseId}"]`);
      await line.waitFor();
      expect(await line.textContent()).toContain(month);
    }
    expect(await text(a, `#roll-lines [data-case="${paid.caseId}"]`)).toContain(amount);
    expect(await text(a, '#roll-totals [data-figure="lines"]')).toContain('2');
    expect(await text(a, '#roll-totals [data-figure="amount"]')).toContain(total);
    expect(await a.getAttribute('#roll-hash', 'title')).toMatch(/^[0-9a-f]{64}$/);
    await sees(a, '#previous', '本县此前没有已审批的发放名册');
    await sees(a, '#own-roll', '您是本名册的编制人');

    // A return needs its reason (the API's schema, in the browser); the preparer may not approve.
    await a.click('#return-button');
    await sees(a, '#reason-error', '退回须说明理由');
    await a.click('#approve-button');
    await sees(a, '#approval-result', '须由另一名县级工作人员审批');
    expect(await text(a, '#approval-result')).toContain('本人编制的发放名册');
    await screenshot(a, 'payroll-prepared-1280');
    await a.setViewportSize(widths.mobile);
    expect(await fitsWidth(a)).toBe(true);
    await screenshot(a, 'payroll-prepared-375');
    expect(unexpected(a.errors)).toEqual([]);

    // The approval is also a task in the county's inbox, linking to the roll.
    const inbox = await open('/workbench/', widths.mobile);
    await signIn(inbox, { role: 'countyOfficer', name: actors.countyApprover.name, regions: '430121' });
    await inbox.locator('[data-task]', { hasText: rollId }).click({ timeout: 60_000 });
    await sees(inbox, '#case-view', '发放名册审批');
    expect(await text(inbox, '#case-view')).toContain(`2户，${total}`);
    expect(await text(inbox, '#case-view')).toContain(actors.county.name);
    expect(await inbox.getAttribute('#case-view a', 'href')).toBe(
      `/payroll/?roll=${encodeURIComponent(rollId)}`,
    );
    expect(await fitsWidth(inbox)).toBe(true);
    await screenshot(inbox, 'payroll-inbox-approval-375');
    expect(unexpected(inbox.errors)).toEqual([]);

    // Officer B serves the county: the form starts on it and lists its rolls.
    const b = await open('/payroll/', widths.mobile);
    await signIn(b, { role: 'countyOfficer', name: actors.countyApprover.name, regions: '430121' });
    expect(await b.inputValue('#region-code')).toBe('430121');
    await b.locator(`${row} a.open-roll`).click();
    await sees(b, '#roll-status', '待审批');
    expect(await b.locator('#own-roll').count()).toBe(0);
    await b.click('#approve-button');
    await sees(b, '#roll-message', '已审批通过');
    await rollShows(b, rollId, '已审批');
    await sees(b, '#roll-approval', actors.countyApprover.name);
    await sees(b, row, actors.countyApprover.name);
    expect(await b.locator('#approval').count()).toBe(0);

    // The bank file, written once the roll is approved: the household without an account left out.
    await sees(b, '#bank-file-lines', '1 笔', 60_000);
    expect(await text(b, '#bank-file-total')).toBe(amount);
    await sees(b, `#excluded [data-case="${unregistered.caseId}"]`, '未登记收款账户');
    expect(await fitsWidth(b)).toBe(true);
    await screenshot(b, 'payroll-approved-375');
    const [download] = await Promise.all([b.waitForEvent('download'), b.click('#download-button')]);
    await sees(b, '#download-result', '只能下载一次');
    expect(await b.getAttribute('#download-link', 'download')).toBe(await text(b, '#bank-file-name'));
    const bankLines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    expect(bankLines[0]).toBe(`#ROLL,${rollId},430121,${month}`);
    expect(bankLines.join('\n')).toContain(paid.caseId);
    expect(bankLines.join('\n')).not.toContain(unregistered.caseId);
    // Once only.
    await b.click('#download-button');
    await sees(b, '#download-result', '不能再次下载');

    // A return that differs from the bank file is refused whole, each problem named by its line.
    const good = returnFile(bankLines);
    const altered = good.replace(`,${paid.monthlyAmount!.toFixed(2)},成功`, ',1.00,成功');
    await b.setInputFiles('#return-file', csv('回盘.csv', altered));
    await b.click('#upload-button');
    await sees(b, '#upload-result', '回盘文件与银行文件不符');
    await sees(b, '#upload-errors', '第3行：');
    await sees(b, '#upload-errors', '第4行：');
    expect(await fitsWidth(b)).toBe(true);
    await b.setInputFiles('#return-file', csv('回盘.csv', good));
    await b.click('#upload-button');
    await sees(b, '#roll-message', '回盘已接受');
    await rollShows(b, rollId, '已对账');
    await sees(b, `#roll-lines [data-case="${paid.caseId}"]`, '已发放');
    await sees(b, `#roll-lines [data-case="${unregistered.caseId}"]`, '发放失败：未登记收款账户');
    await sees(b, '#return-paid', amount);
    await sees(b, row, '已对账');
    expect(await b.locator('#bank-return').count()).toBe(0);
    expect(await fitsWidth(b)).toBe(true);
    await screenshot(b, 'payroll-reconciled-375');
    expect(unexpected(b.errors)).toEqual([]);

    // The household left out is a task for its township: put its account right.
    const township = await open('/workbench/', widths.mobile);
    await signIn(township, { role: 'townshipCaseworker', name: '李四', regions: '430121' });
    await township.locator('[data-task]', { hasText: '核实收款账户' }).click({ timeout: 60_000 });
    await sees(township, '#case-view', '未登记收款账户');
    expect(await text(township, '#case-view')).toContain(unregistered.caseId);
    expect(await fitsWidth(township)).toBe(true);
    await screenshot(township, 'payroll-inbox-account-fix-375');
    expect(unexpected(township.errors)).toEqual([]);

    const reconciled = await runtime.api(`/payrolls/${rollId}`);
    expect(reconciled.body).toMatchObject({
      status: 'reconciled',
      approval: { decision: 'approve', by: { name: actors.countyApprover.name } },
    });

    // An auditor reads the roll and can change nothing.
    const auditor = await open(`/payroll/?roll=${rollId}`, widths.mobile);
    await auditor.locator('#signin-form').waitFor();
    await auditor.check('input[name="signin-role"][value="auditor"]');
    await auditor.fill('#signin-name', actors.auditor.name);
    await auditor.fill('#signin-regions', actors.auditor.regionCodes.join(','));
    await auditor.click('#signin-button');
    await auditor.locator('#identity').waitFor();
    await sees(auditor, '#roll-status', '已对账');
    await sees(auditor, `#roll-lines [data-case="${paid.caseId}"]`, '已发放');
    await sees(auditor, '#bank-file-downloaded', actors.countyApprover.name);
    expect(await auditor.inputValue('#region-code')).toBe('430121');
    expect(
      await auditor.locator('#start-button, #approval, #download-button, #bank-return, #return-file').count(),
    ).toBe(0);
    expect(await fitsWidth(auditor)).toBe(true);
    expect(auditor.errors).toEqual([]);
  });
});
