/**
 * `GET /assets/{file}`: the web pages' scripts. `web/src/<name>.ts` is bundled with esbuild, together
 * with the zod schemas it imports from `shared/`, into one browser ES module — so the pages validate
 * with the very schemas and Chinese messages the API uses, and nothing built is ever committed.
 *
 * This is the local runtime's asset server: esbuild is a dev dependency, loaded on the first request
 * and kept out of a Lambda bundle; a bundle is rebuilt when one of its source files changes. Where
 * esbuild is absent (a deployed function) the route answers 404: deployed pages get the same bundles
 * built once at deploy time.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Plugin } from 'esbuild';
import { json } from '../../shared/http.ts';
import { logger } from '../../shared/logger.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE = join(ROOT, 'web', 'src');
const FILE = /^([a-z][a-z-]*)\.js$/;

interface Bundle {
  code: string;
  /** Source files of the project (not node_modules) with their mtimes when bundled. */
  inputs: Array<[string, number]>;
}

type Esbuild = typeof import('esbuild');
/** A computed specifier, so the Lambda bundler leaves esbuild out. */
const esbuildModule = 'esbuild';

const bundles = new Map<string, Promise<Bundle>>();

/**
 * zod's locale barrel holds every language's messages (two thirds of a bundle); the shared schemas
 * configure only zh-CN (`z.config(z.locales.zhCN())`), so the browser gets only that one. A schema
 * that names another locale fails the bundle (see `logOverride` below).
 */
const onlyChineseZodMessages: Plugin = {
  name: 'only-chinese-zod-messages',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as zhCN } from './zh-CN.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

/** Bundles `web/src/<name>.ts` into one ES module for the browser. */
export async function bundleWebScript(name: string): Promise<Bundle> {
  const esbuild = (await import(esbuildModule)) as Esbuild;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(SOURCE, `${name}.ts`)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // No source map: an inline one would multiply a phone's download by six.
    sourcemap: false,
    charset: 'utf8',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [onlyChineseZodMessages],
    // A shared schema naming another locale must fail the bundle, not leave it undefined.
    logOverride: { 'import-is-undefined': 'error' },
  });
  const inputs = await Promise.all(
    Object.keys(result.metafile.inputs)
      .filter((file) => !file.includes('node_modules'))
      .map(async (file): Promise<[string, number]> => {
        const path = join(ROOT, file);
        return [path, (await stat(path)).mtimeMs];
      }),
  );
  return { code: result.outputFiles[0]!.text, inputs };
}

async function fresh(bundle: Bundle): Promise<boolean> {
  for (const [path, mtime] of bundle.inputs) {
    const now = await stat(path).then(
      (s) => s.mtimeMs,
      () => -1,
    );
    if (now !== mtime) return false;
  }
  return true;
}

async function bundleFor(name: string): Promise<Bundle> {
  const cached = bundles.get(name);
  if (cached) {
    const bundle = await cached.catch(() => undefined);
    if (bundle && (await fresh(bundle))) return bundle;
  }
  const building = bundleWebScript(name);
  bundles.set(name, building);
  building.catch(() => bundles.delete(name));
  return building;
}

const notFound = (file: string) => json(404, { error: { code: 'NotFound', message: `脚本 ${file} 不存在` } });

export async function asset(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const file = event.pathParameters?.file ?? '';
  const name = FILE.exec(file)?.[1];
  if (!name) {
    return json(400, {
      error: {
        code: 'ValidationError',
        message: '请求内容有误',
        fields: [{ field: 'path.file', message: '脚本名应为小写字母和连字符，以 .js 结尾' }],
      },
    });
  }
  const exists = await stat(join(SOURCE, `${name}.ts`)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return notFound(file);
  try {
    const { code } = await bundleFor(name);
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
      body: code,
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return notFound(file);
    logger.error('bundling a web script failed', { error: error as Error, file });
    return json(500, { error: { code: 'InternalError', message: '系统内部错误，请稍后重试' } });
  }
}
