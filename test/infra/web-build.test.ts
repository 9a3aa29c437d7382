/**
 * The site that CDK deploys to S3 (`scripts/build-web.ts`): the pages of `web/` and the same script
 * bundles the local runtime serves at `GET /assets/{file}`, with no path the API would take.
 */

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalog.ts';
import { bundleWebScript } from '../../functions/http/web-assets.ts';
import { apiPathPatterns, matchesPathPattern } from '../../infra/web.ts';
import { buildWeb, WEB_ROOT } from '../../scripts/build-web.ts';
import { SITE_PAGES } from './fake-site.ts';

let out: string;
let files: string[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'doudi-web-build-'));
  files = await buildWeb(out);
});

afterAll(() => rm(out, { recursive: true, force: true }));

const scriptNames = async () =>
  (await readdir(join(WEB_ROOT, 'src'), { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => e.name.replace(/\.ts$/, ''));

describe('site build', () => {
  it('holds every page, the styles and one bundle per web/src script, and no source', async () => {
    for (const page of SITE_PAGES) expect(files).toContain(page);
    expect(files).toContain('styles.css');
    expect(files).toContain('favicon.svg');
    const names = await scriptNames();
    expect(names.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('assets/'))).toEqual(names.map((n) => `assets/${n}.js`).sort());
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('src/'))).toEqual([]);
    const onDisk = (await readdir(out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(onDisk).toHaveLength(files.length);
  });

  it('ships the bytes `GET /assets/{file}` serves locally', async () => {
    const [name] = await scriptNames();
    const built = await readFile(join(out, 'assets', `${name}.js`), 'utf8');
    expect(built).toBe((await bundleWebScript(name!)).code);
  });

  it('every script a page loads is built', async () => {
    for (const page of files.filter((f) => f.endsWith('.html'))) {
      const html = await readFile(join(out, page), 'utf8');
      for (const [, script] of html.matchAll(/\bsrc="\/(assets\/[^"]+)"/g))
        expect(files, page).toContain(script);
    }
  });

  it('no API path pattern takes a file of the site', () => {
    const patterns = apiPathPatterns(routes);
    for (const file of files) {
      expect(
        patterns.filter((p) => matchesPathPattern(p, `/${file}`)),
        file,
      ).toEqual([]);
    }
  });
});
