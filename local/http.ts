/**
 * The local API Gateway: each route of `functions/catalog.ts` calls the same Lambda handler with
 * an API Gateway HTTP API (payload v2) event. Other GET requests are served from `web/`.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { routePattern, routes } from '../functions/catalog.ts';
import { MIME } from '../functions/http/site.ts';
import { ConflictError, TooManyRequestsError } from '../shared/errors.ts';
import { escapeHtml, fieldErrors, LAMBDA_PAYLOAD_BYTES } from '../shared/http.ts';
import { channelLabels, maskPhone } from '../shared/notify/deliveries.ts';
import { takeRequest } from '../shared/rate-limiter.ts';
import { principalFromClaims } from '../shared/staff.ts';
import { devLoginBody, type LocalIdentity } from './auth.ts';
import { clock } from './clock.ts';
import { ACCOUNT, lambdaContext, loadHandler } from './lambda.ts';
import type { Outbox, OutboxRecord } from './outbox.ts';

const WEB_ROOT = join(import.meta.dirname, '..', 'web');
const compiled = routes.map((route) => ({ route, ...routePattern(route.path) }));

export function matchRoute(method: string, path: string) {
  let pathMatched = false;
  for (const { route, names, regex } of compiled) {
    const m = regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    return { route, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Lambda refuses a payload over 6 MB; the handlers refuse anything over their own limit.
    if (size > LAMBDA_PAYLOAD_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  routeKey: string,
  params: Record<string, string>,
  body: string,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      // Where API Gateway's JWT authorizer puts a verified token's claims.
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function serveStatic(res: ServerResponse, pathname: string): Promise<boolean> {
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^(\.\.[/\\])+/, '');
  let file = join(WEB_ROOT, relative);
  if (!file.startsWith(WEB_ROOT)) return false;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const content = await readFile(file);
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(content);
    return true;
  } catch {
    return false;
  }
}

const unauthorized = (res: ServerResponse) =>
  sendJson(res, 401, { error: { code: 'Unauthorized', message: '请先登录（缺少或无效的身份令牌）' } });

async function jsonBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: JSON.parse((await readBody(req)) || '{}') };
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    sendJson(res, 400, {
      error: {
        code: 'ValidationError',
        message: '请求体不是合法的 JSON',
        fields: [{ field: 'body', message: '请求体不是合法的 JSON' }],
      },
    });
    return { ok: false };
  }
}

/**
 * 开发登录 (local runtime only; on AWS people sign in through the deployment's OIDC issuer): any role
 * and regions, so that a tester can act as an applicant, a caseworker of a township, an auditor…
 */
async function devLogin(req: IncomingMessage, res: ServerResponse, identity: LocalIdentity) {
  // Nobody is signed in yet: the caller is the client's address, as API Gateway would see it.
  try {
    await takeRequest('signIn', `ip:${req.socket.remoteAddress ?? 'unknown'}`);
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    return sendJson(res, 429, { error: { code: error.code, message: error.message } }, error.headers);
  }
  const read = await jsonBody(req, res);
  if (!read.ok) return;
  const parsed = devLoginBody.safeParse(read.body);
  if (!parsed.success)
    return sendJson(res, 400, {
      error: { code: 'ValidationError', message: '请求内容有误', fields: fieldErrors(parsed.error) },
    });
  try {
    return sendJson(res, 200, await identity.issue(parsed.data));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return sendJson(res, 409, { error: { code: error.code, message: error.message } });
  }
}

/**
 * The local clock (local runtime only; on AWS time is real): `GET /admin/clock` and
 * `POST /admin/clock/advance { days?, hours?, minutes? }`, so a demo or a tester can make a public
 * notice, an overdue deadline or a recheck arrive now.
 */
async function clockRoute(req: IncomingMessage, res: ServerResponse, method: string, path: string) {
  const state = () => ({
    now: new Date(clock.now()).toISOString(),
    speed: clock.speed,
    pendingTimers: clock.pendingTimers,
  });
  if (path === '/admin/clock' && method === 'GET') return sendJson(res, 200, state());
  if (path !== '/admin/clock/advance' || method !== 'POST') {
    return sendJson(res, 404, { error: { code: 'NotFound', message: `路径 ${path} 不存在` } });
  }
  const read = await jsonBody(req, res);
  if (!read.ok) return;
  const parsed = clockAdvance.safeParse(read.body);
  if (!parsed.success)
    return sendJson(res, 400, {
      error: { code: 'ValidationError', message: '请求内容有误', fields: fieldErrors(parsed.error) },
    });
  const { days, hours, minutes } = parsed.data;
  clock.advance(((days * 24 + hours) * 60 + minutes) * 60_000);
  return sendJson(res, 200, state());
}

const clockAdvance = z
  .object({
    days: z.number().int().min(0).max(3650).default(0),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 3650)
      .default(0),
    minutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 3650)
      .default(0),
  })
  .refine((b) => b.days + b.hours + b.minutes > 0, { error: '须至少前进1分钟（days/hours/minutes）' });

/** The API server; `stop` lets the requests being handled finish before their connections go. */
export interface ApiServer {
  server: Server;
  stop(graceMs?: number): Promise<void>;
}

export function createApiServer(identity: LocalIdentity, outbox?: Outbox): ApiServer {
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handled = (
      outbox && req.method === 'GET' && req.url?.startsWith('/dev/outbox')
        ? Promise.resolve(outboxView(outbox, req, res))
        : handle(identity, req, res)
    ).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  // An idle keep-alive connection is for the client to close: a server closing one just as the
  // client sends a request on it resets that request (ECONNRESET, seen under load at Node's 5 s).
  // fetch drops idle connections after 4 s, browsers after longer; the server waits past both.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return {
    server,
    async stop(graceMs = 10_000) {
      // A handler cut off half-way would leave its work to emulators that are about to stop.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => setTimeout(r, graceMs).unref()),
      ]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** As the view shows a recipient: a phone number masked as on receipts, a robot by name. */
const shownTo = (r: OutboxRecord) => (r.channel === 'sms' ? maskPhone(r.to) : r.to);

/**
 * `/dev/outbox` (local runtime only): what would have been sent by SMS and work message, newest
 * first — an HTML page, or JSON from `/dev/outbox.json`. Phone numbers are masked here as on receipts.
 */
function outboxView(outbox: Outbox, req: IncomingMessage, res: ServerResponse): void {
  const records = outbox
    .records()
    .reverse()
    .map((r) => ({ ...r, to: shownTo(r) }));
  if (req.url?.startsWith('/dev/outbox.json')) {
    sendJson(res, 200, { records });
    return;
  }
  const rows = records
    .map(
      (r) =>
        `<tr><td>${r.seq}</td><td>${escapeHtml(r.receivedAt)}</td><td>${channelLabels[r.channel]}</td><td>${escapeHtml(r.to)}</td><td>${escapeHtml(r.templateId ?? '')}</td><td>${escapeHtml(r.text ?? JSON.stringify(r.params ?? {}))}${r.mentions ? `<br>提醒：${r.mentions.map((m) => `@${escapeHtml(m)}`).join(' ')}` : ''}</td><td>${escapeHtml(r.receiptId ?? '')}</td></tr>`,
    )
    .join('');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>本地发件箱 Outbox</title><style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}</style><h1>本地发件箱（短信、工作消息）</h1><p>本地运行时代替短信网关和群机器人收下的消息，共 ${records.length} 条。<a href="/dev/outbox.json">JSON</a></p><table><thead><tr><th>#</th><th>时间</th><th>渠道</th><th>接收方</th><th>模板</th><th>内容</th><th>回执</th></tr></thead><tbody>${rows || '<tr><td colspan="7">暂无消息</td></tr>'}</tbody></table></html>`,
  );
}

async function handle(identity: LocalIdentity, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  try {
    if (url.pathname === '/auth/dev-login' && method === 'POST') return await devLogin(req, res, identity);
    if (url.pathname.startsWith('/admin/clock')) {
      const caller = await principalFromClaims(await identity.verify(req.headers.authorization));
      if (!caller) return unauthorized(res);
      if (caller.role !== 'admin')
        return sendJson(res, 403, { error: { code: 'Forbidden', message: '仅系统管理员可调整本地时钟' } });
      return await clockRoute(req, res, method, url.pathname);
    }
    const matched = matchRoute(method, url.pathname);
    if (matched === 'method-not-allowed')
      return sendJson(res, 405, { error: { code: 'MethodNotAllowed', message: `不支持 ${method} 方法` } });
    if (!matched) {
      if (method === 'GET' && (await serveStatic(res, url.pathname))) return;
      return sendJson(res, 404, { error: { code: 'NotFound', message: `路径 ${url.pathname} 不存在` } });
    }
    // The JWT authorizer: a route that is not public answers 401 before its function runs.
    const claims = matched.route.public ? undefined : await identity.verify(req.headers.authorization);
    if (!matched.route.public && !claims) return unauthorized(res);
    const body = await readBody(req);
    const routeKey = `${matched.route.method} ${matched.route.path}`;
    const handler = await loadHandler(matched.route.function);
    const result = (await handler(
      toEvent(req, url, routeKey, matched.params, body, claims),
      lambdaContext(matched.route.function),
    )) as APIGatewayProxyStructuredResultV2;
    res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
    res.end(result.body ?? '');
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return sendJson(res, 413, { error: { code: 'PayloadTooLarge', message: '请求体过大' } });
    // The client went away mid-request (a load generator stopping): nobody to answer.
    if (req.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
    console.error('[http] handler crashed', error);
    sendJson(res, 500, { error: { code: 'InternalError', message: '系统内部错误' } });
  }
}
