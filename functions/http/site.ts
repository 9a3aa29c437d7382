/**
 * The pages, served by the HTTP API itself from the site bucket: the china profile's web origin
 * (`infra/site-origin.ts`), where CloudFront needs an ICP-registered domain of its own. The API's
 * `$default` route brings here every request no route of the catalog matches, so the pages and the
 * API they call share one origin, as behind CloudFront. Directories are their `index.html`, as the
 * local server and the global profile's CloudFront function serve them.
 */
import { extname } from 'node:path';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { s3 } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { json } from '../../shared/http.ts';

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers CloudFront's SECURITY_HEADERS policy adds on the global profile. */
const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-xss-protection': '1; mode=block',
};

/** The object a page path names: `/` and `/apply/` and `/apply` are an `index.html`; undefined for a path that climbs out. */
export function pageKey(path: string): string | undefined {
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.' || s.includes('\\'))) return undefined;
  const last = segments.at(-1) ?? '';
  if (last === '') segments[segments.length - 1] = 'index.html';
  else if (!last.includes('.')) segments.push('index.html');
  if (segments.slice(0, -1).some((s) => s === '')) return undefined;
  return segments.join('/');
}

const notFound = (path: string) =>
  json(404, { error: { code: 'NotFound', message: `路径 ${path} 不存在` } }, SECURITY_HEADERS);

export const page = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const method = event.requestContext.http.method;
  if (method !== 'GET' && method !== 'HEAD') return notFound(event.rawPath);
  const key = pageKey(event.rawPath);
  if (!key) return notFound(event.rawPath);
  try {
    const object = await s3().send(new GetObjectCommand({ Bucket: requiredEnv('SITE_BUCKET'), Key: key }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    const type = MIME[extname(key)] ?? 'application/octet-stream';
    const text = type.includes('charset') || type === 'image/svg+xml';
    return {
      statusCode: 200,
      headers: {
        'content-type': type,
        // Script names are not content-hashed (the pages name /assets/apply.js): browsers revalidate.
        'cache-control': 'no-cache',
        ...(object.ETag ? { etag: object.ETag } : {}),
        ...SECURITY_HEADERS,
      },
      body: method === 'HEAD' ? '' : text ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !text && method !== 'HEAD',
    };
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
      return notFound(event.rawPath);
    throw error;
  }
};
