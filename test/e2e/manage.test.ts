/**
 * 工作人员授权 (`/manage/`) in a real browser against an in-memory runtime: a province's administrator
 * signs in through the page's own card, meets the form's errors in Chinese, grants a caseworker by
 * their user id, is refused a region outside the province with the API's words, reads the person's
 * record of changes and revokes them with a reason; the caseworker's next request is an applicant's.
 * At 375 px: no sideways scrolling, no console error but the refusal's.
 */
import { describe, expect, it } from 'vitest';
import { useRuntime } from '../support/runtime.ts';
import { fitsWidth, screenshot, sees, signIn, text, useBrowser, widths } from './browser.ts';

const runtime = useRuntime();
const browser = useBrowser(() => runtime.rt.apiUrl);

describe('the administrators’ staff page', () => {
  it('grants, refuses outside the province, shows the record of changes and revokes', async () => {
    const page = await browser.open('/manage/', widths.mobile);
    await signIn(page, { name: '湖南省厅管理员', regions: '430000' });
    await page.locator('#grant-form').waitFor();

    // Nothing filled in: each field says what it needs.
    await page.click('#grant-button');
    await sees(page, '#grant-subject-error', '用户编号');
    expect(await text(page, '#grant-role-error')).toContain('角色');
    expect(await text(page, '#grant-regionCodes-error')).toContain('行政区划代码');

    await page.fill('#grant-subject', 'oidc-page-wang');
    await page.fill('#grant-name', '王经办');
    await page.selectOption('#grant-role', 'townshipCaseworker');
    await page.fill('#grant-regionCodes', '410102');
    await page.click('#grant-button');
    await sees(page, '#grant-status', '410102 不在您的管辖范围内');

    await page.fill('#grant-regionCodes', '430121');
    await page.click('#grant-button');
    await sees(page, '#grant-status', '已授予：王经办');
    await sees(page, '#staff-table', 'oidc-page-wang');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'manage-granted-375');

    await page.click('tr[data-subject="oidc-page-wang"] button');
    await sees(page, '#staff-history', '授予工作人员角色和管辖范围');
    await page.click('#revoke-button');
    await sees(page, '#revoke-reason-error', '理由');
    await page.fill('#revoke-reason', '调离本县');
    await page.click('#revoke-button');
    await sees(page, '#staff-detail', '已撤销：调离本县');
    expect(await page.locator('#staff-history li').count()).toBe(2);
    await sees(page, 'tr[data-subject="oidc-page-wang"]', '已撤销');
    await screenshot(page, 'manage-revoked-375');

    const { token } = await runtime.rt.identity.sign('oidc-page-wang', { name: '王经办' });
    const me = await fetch(`${runtime.rt.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { role: string }).role).toBe('applicant');
    for (const e of page.errors) expect(e).toMatch(/status of 403/);
  });
});
