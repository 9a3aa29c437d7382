/**
 * The web pages as S3 serves them behind CloudFront: `web/` without its TypeScript sources, plus
 * `assets/<name>.js` for every `web/src/<name>.ts`, bundled by the very function the local runtime's
 * `GET /assets/{file}` uses (`bundleWebScript`), so a deployed page runs the bytes a local one does.
 *
 * `infra/app.ts` builds into a temporary directory at synth time; nothing built is committed.
 * By hand: `npx tsx scripts/build-web.ts <out-dir>`.
 */
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWebScript } from '../functions/http/web-assets.ts';

const ROOT = join(import.meta.dirname, '..');
export const WEB_ROOT = join(ROOT, 'web');
const SOURCE = join(WEB_ROOT, 'src');

/** What a browser may fetch from `web/` as it is (sources, notes and the like stay out). */
const STATIC = /\.(html|css|svg|png|ico|webmanifest|txt)$/;
/** The names `GET /assets/{file}` serves locally (`[a-z][a-z-]*.js`); any other would differ on AWS. */
const SCRIPT = /^([a-z][a-z-]*)\.ts$/;

const posix = (path: string) => path.split(sep).join('/');

/**
 * Writes the site into `outDir` (emptied first) and answers its files, `/`-separated and relative
 * to `outDir`, sorted. Fails when a page refers to a script under `/assets/` that was not built.
 */
export async function buildWeb(outDir: string): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];

  const entries = await readdir(WEB_ROOT, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.startsWith(SOURCE + sep) || !STATIC.test(entry.name)) continue;
    const file = posix(relative(WEB_ROOT, path));
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await copyFile(path, join(outDir, file));
    files.push(file);
  }

  const scripts = (await readdir(SOURCE, { withFileTypes: true })).filter(
    (e) => e.isFile() && e.name.endsWith('.ts'),
  );
  const names = scripts.map((e) => {
    const name = SCRIPT.exec(e.name)?.[1];
    if (!name) throw new Error(`web/src/${e.name}: script names are lower-case letters and hyphens`);
    return name;
  });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  await Promise.all(
    names.map(async (name) => {
      const { code } = await bundleWebScript(name);
      await writeFile(join(outDir, 'assets', `${name}.js`), code);
    }),
  );
  files.push(...names.map((name) => `assets/${name}.js`));

  const built = new Set(files);
  for (const page of files.filter((f) => f.endsWith('.html'))) {
    const html = await readFile(join(outDir, page), 'utf8');
    for (const [, script] of html.matchAll(/\bsrc="\/(assets\/[^"]+)"/g)) {
      if (!built.has(script!))
        throw new Error(`web/${page} loads /${script}, which no web/src script builds`);
    }
  }
  return files.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: tsx scripts/build-web.ts <out-dir>');
    process.exit(2);
  }
  for (const file of await buildWeb(outDir)) console.log(file);
}
