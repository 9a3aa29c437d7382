/**
 * The china profile's pages (`functions/http/site.ts`): the API's `$default` route reads them from
 * the site bucket — here fauxqs's S3, through the real SDK — with directories as their index.html,
 * as the local server and the global profile's CloudFront function serve them.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { page, pageKey } from '../../functions/http/site.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const BUCKET = 'doudi-site-test';

const request = (path: string, method = 'GET') =>
  page({
    rawPath: path,
    requestContext: { http: { method, path } },
  } as unknown as APIGatewayProxyEventV2) as Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>兜底</title>',
    'apply/index.html': '<!doctype html><title>申请救助</title>',
    'assets/apply.js': 'export const x = 1;',
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'logo.png': '\u0089PNG',
  };
  for (const [Key, Body] of Object.entries(files))
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key,
        Body: Buffer.from(Body, Key.endsWith('.png') ? 'latin1' : 'utf8'),
      }),
    );
  client.destroy();
  process.env.SITE_BUCKET = BUCKET;
});

describe('pages from the site bucket', () => {
  it('maps a path to its object: a directory is its index.html, nothing climbs out', () => {
    expect(pageKey('/')).toBe('index.html');
    expect(pageKey('/apply')).toBe('apply/index.html');
    expect(pageKey('/apply/')).toBe('apply/index.html');
    expect(pageKey('/assets/apply.js')).toBe('assets/apply.js');
    expect(pageKey('/../secret')).toBeUndefined();
    expect(pageKey('/apply/../../x.js')).toBeUndefined();
    expect(pageKey('//x.js')).toBeUndefined();
  });

  it('serves pages and scripts with their types, revalidated, with the security headers', async () => {
    const home = await request('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<title>兜底</title>');
    expect(home.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': 'max-age=31536000',
    });
    expect((await request('/apply')).body).toContain('申请救助');
    expect((await request('/apply/')).body).toContain('申请救助');
    const script = await request('/assets/apply.js');
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('export const x = 1;');
    expect((await request('/favicon.svg')).headers?.['content-type']).toBe('image/svg+xml');
    const png = await request('/logo.png');
    expect(png.isBase64Encoded).toBe(true);
    expect(Buffer.from(png.body!, 'base64').toString('latin1')).toBe('\u0089PNG');
    const head = await request('/', 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers 404 in Chinese for what is not there, for a path that climbs out, and for a write', async () => {
    for (const [path, method] of [
      ['/nothing-here', 'GET'],
      ['/../index.html', 'GET'],
      ['/', 'POST'],
    ] as const) {
      const res = await request(path, method);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(JSON.parse(res.body!).error).toMatchObject({ code: 'NotFound' });
      expect(JSON.parse(res.body!).error.message).toContain('不存在');
    }
  });
});
