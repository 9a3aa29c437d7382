/**
 * The pages sign in for real (统一身份认证): Chromium follows the Authorization Code flow with PKCE to
 * an OpenID provider the test starts (`test/support/oidc-provider.ts`, standing in for the province's
 * unified identity), signs in on its pages and comes back; the runtime's API accepts the provider's
 * ID token as API Gateway's JWT authorizer would. The token says only who someone is: an applicant
 * is whoever the provider vouches for, a caseworker is who the staff record says. Tokens stay in the
 * page's memory; signing out ends the provider's session too.
 */
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors } from '../support/actors.ts';
import { freePort, startOidcProvider } from '../support/oidc-provider.ts';
import { useRuntime } from '../support/runtime.ts';
import { screenshot, sees, text, useBrowser, widths } from './browser.ts';

const CLIENT_ID = 'doudi-pages';
let issuerPort = 0;
beforeAll(async () => {
  issuerPort = await freePort();
});
const issuer = () => `http://127.0.0.1:${issuerPort}`;
const runtime = useRuntime(() => ({ oidc: { issuer: issuer(), clientId: CLIENT_ID } }));
const browser = useBrowser(() => runtime.rt.apiUrl);

let provider: ChildProcess | undefined;
beforeAll(async () => {
  const pages = ['apply', 'workbench'].map((p) => `${runtime.rt.apiUrl}/${p}/`);
  provider = await startOidcProvider(issuerPort, CLIENT_ID, pages);
});
afterAll(() => {
  provider?.kill();
});

/** Signs in on the provider's own pages (any password) and consents; back on the page that asked. */
async function signInAtProvider(page: Page, login: string) {
  await page.locator('#signin-oidc').click();
  await page.waitForURL((url) => url.origin === issuer());
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any');
  await page.click('button[type="submit"]');
  // The consent page: this system may have the person's profile.
  await page.locator('button[type="submit"]').first().click();
  await page.waitForURL((url) => url.origin === runtime.rt.apiUrl);
}

/** Errors of doudi's own pages (the provider's development pages fetch web fonts, which are offline here). */
const ownErrors = (page: Page & { errors: string[] }) =>
  page.errors.filter((e) => e.includes(runtime.rt.apiUrl) || e.startsWith('exception'));

describe('signing in through the unified identity (OIDC)', () => {
  it('an applicant signs in on the provider and comes back signed in, the token in memory only; signing out ends it', async () => {
    const page = await browser.open('/apply/', widths.mobile);
    await page.locator('#signin-oidc').waitFor();
    expect(await text(page, '#signin-local')).toContain('本地开发登录');
    await signInAtProvider(page, 'oidc-applicant-li');

    await sees(page, '#identity-name', '李申请');
    expect(await text(page, '#identity-role')).toContain('申请人');
    expect(new URL(page.url()).search).toBe('');
    // Nothing of the tokens is kept in the browser's storage (a JWT starts `eyJ`).
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toContain('eyJ');
    await screenshot(page, 'oidc-applicant-signed-in');

    await page.click('#signout');
    // The provider asks whether to end its session too.
    await page.waitForURL((url) => url.origin === issuer());
    await page.click('button[name="logout"]');
    await page.waitForURL((url) => url.origin === runtime.rt.apiUrl);
    await page.locator('#signin-oidc').waitFor();
    expect(await page.locator('#identity').count()).toBe(0);
    expect(ownErrors(page)).toEqual([]);
  });

  it('a caseworker is who the staff record says: the workbench shows the role and region granted, not a claim', async () => {
    const granted = await runtime.api(
      '/admin/staff/oidc-caseworker-zhou',
      {
        method: 'PUT',
        body: JSON.stringify({ name: '周经办', role: 'townshipCaseworker', regionCodes: ['430121'] }),
      },
      actors.admin,
    );
    expect(granted.status).toBe(201);
    const page = await browser.open('/workbench/', widths.desktop);
    await signInAtProvider(page, 'oidc-caseworker-zhou');
    await sees(page, '#identity-role', '乡镇（街道）经办人');
    expect(await text(page, '#identity-role')).toContain('430121');
    expect(await text(page, '#identity-name')).toBe('周经办');
    await screenshot(page, 'oidc-workbench-signed-in');
    expect(ownErrors(page)).toEqual([]);
  });

  it('someone without a staff record who signs in on the workbench is told it serves staff', async () => {
    const page = await browser.open('/workbench/', widths.mobile);
    // The caseworker's session at the provider would sign them in again without asking.
    await page.context().clearCookies();
    await signInAtProvider(page, 'oidc-applicant-li');
    await sees(page, '#signin-notice', '申请人');
    expect(await page.locator('#identity').count()).toBe(0);
  });
});
