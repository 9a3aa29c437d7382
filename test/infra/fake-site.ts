import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The pages of `web/` as the site build lays them out (tests of the build: web-build.test.ts). */
export const SITE_PAGES = [
  'index.html',
  'apply/index.html',
  'status/index.html',
  'workbench/index.html',
  'payroll/index.html',
  'audit/index.html',
];

/**
 * A stand-in for the built site (`scripts/build-web.ts`) in a fresh temporary directory: the paths are
 * the real ones, so the stack's check that no API path hides a page runs against them, without
 * bundling the pages' scripts for every template test.
 */
export function fakeSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'doudi-site-'));
  for (const file of [...SITE_PAGES, 'styles.css', 'favicon.svg', 'assets/apply.js']) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), file);
  }
  return dir;
}
