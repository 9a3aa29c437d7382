/**
 * The public report page (举报投诉) in a real browser against an in-memory local runtime: without
 * signing in, a person meets the form's errors in Chinese, reports, is given an id and a code, and
 * later reads the county's conclusion with them. At 375 px and 1280 px: no sideways scrolling, no
 * console error. Screenshots in test-artifacts/e2e/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { actors } from '../support/actors.ts';
import { eventually, useRuntime } from '../support/runtime.ts';
import { fitsWidth, screenshot, useBrowser, widths } from './browser.ts';

const runtime = useRuntime();
const browser = useBrowser(() => runtime.rt.apiUrl);

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();

describe('the report page', () => {
  it('takes a report without sign-in and shows the county’s conclusion by code', async () => {
    const page = await browser.page(widths.mobile);
    await page.goto(`${runtime.rt.apiUrl}/report/`);
    await page.click('#report-button');
    await page.locator('#report-errors li', { hasText: '举报投诉的事项' }).waitFor();
    expect(await text(page, '#report-errors')).toContain('举报投诉类别');
    await page.fill('#regionCode', '430121');
    await page.check('input[name="kind"][value="ineligiblePaid"]');
    await page.fill('#content', '长桥村某户有两套商品房仍在享受低保');
    await page.fill('#reporter-phone', '13700002222');
    await page.click('#report-button');
    await page.locator('#receipt-code').waitFor();
    const complaintId = await text(page, '#receipt-id');
    const code = await text(page, '#receipt-code');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'report-01-received-375');
    expect(page.errors).toEqual([]);

    // The county concludes it through its task.
    const task = await eventually(async () =>
      (
        (await runtime.api('/tasks?township=430121', {}, actors.county)).body.tasks as Array<{
          taskId: string;
          complaint?: { complaintId: string };
        }>
      ).find((t) => t.complaint?.complaintId === complaintId),
    );
    const decided = await runtime.api(
      `/tasks/${task.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'reject', reasons: ['经核查，该户仅有一套住房'] }) },
      actors.county,
    );
    expect(decided.status).toBe(200);

    const wide = await browser.page(widths.desktop);
    await wide.goto(`${runtime.rt.apiUrl}/report/`);
    await wide.fill('#lookup-id', complaintId);
    await wide.fill('#lookup-code', code.toLowerCase());
    await wide.click('#lookup-button');
    await wide.locator('#receipt-conclusion').waitFor();
    expect(await text(wide, '#receipt-status')).toBe('经核实不属实');
    expect(await text(wide, '#receipt-conclusion')).toBe('经核查，该户仅有一套住房');
    expect(await fitsWidth(wide)).toBe(true);
    await screenshot(wide, 'report-02-concluded-1280');
    expect(wide.errors).toEqual([]);
  });
});
