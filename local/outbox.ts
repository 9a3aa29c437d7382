/**
 * The local stand-in for the notification gateways: the SMS gateway, DingTalk's and WeCom's group
 * robots, on one real HTTP server on 127.0.0.1. The channels (`shared/notify/channels/`) talk to it
 * exactly as they talk to the real ones — signatures, deduplication and refusals included — so the
 * local runtime and the tests exercise the code that runs in production, and a person can read what
 * would have reached a household or a caseworker (`records()`).
 *
 *   SMS       POST /sms                            (the contract in shared/notify/channels/sms.ts)
 *   DingTalk  POST /dingtalk/<name>?access_token=<name>&timestamp=…&sign=…
 *   WeCom     POST /wecom/send?key=<name>
 *
 * Every DingTalk robot here has "加签" on, with `robotSecret`. A phone number starting 1999 is a
 * number the gateway knows to be invalid, so a test can reach that refusal without staging it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ChannelId } from '../shared/notify/channels.ts';
import type { NotifyConfig } from '../shared/notify/config.ts';
import { templateIds } from '../shared/notify/templates.ts';

export interface OutboxRecord {
  seq: number;
  channel: ChannelId;
  receivedAt: string;
  /** The phone number for SMS, the robot's name for robots. */
  to: string;
  templateId?: string;
  params?: Record<string, string>;
  text?: string;
  /** Robots: the members @-mentioned (DingTalk `at.atUserIds`, WeCom `text.mentioned_list`). */
  mentions?: string[];
  messageId?: string;
  receiptId: string | null;
}

/**
 * A staged answer for the next request: `5xx` a 503, `timeout` no answer at all, `invalidNumber` and
 * `unsubscribed` a 400 with that code, `throttled` each gateway's own "slow down" (SMS 429, DingTalk
 * 130101, WeCom 45009).
 */
export type OutboxFailure = '5xx' | 'timeout' | 'invalidNumber' | 'unsubscribed' | 'throttled';

export interface Outbox {
  url: string;
  smsEndpoint: string;
  /** A robot's webhook url: DingTalk's carries `?access_token=`, so the channel appends `&timestamp=…&sign=…`. */
  robotUrl(channel: 'dingtalk' | 'wecom', name: string): string;
  /** Copies, in arrival order. */
  records(): OutboxRecord[];
  /** The next `times` (default 1) requests, of any channel, answer so. */
  fail(mode: OutboxFailure, times?: number): void;
  clear(): void;
  stop(): Promise<void>;
}

export interface OutboxOptions {
  smsSecret: string;
  robotSecret: string;
  port?: number;
  host?: string;
  /**
   * Refuse timestamps far from this server's clock (SMS: 5 minutes; DingTalk: an hour), as the real
   * gateways do. Off for a runtime whose virtual clock runs ahead of the wall clock. Default true.
   */
  checkTimestamp?: boolean;
}

const SMS_SKEW_MS = 5 * 60_000;
const DINGTALK_SKEW_MS = 60 * 60_000;

type Json = Record<string, unknown>;

export async function startOutbox(options: OutboxOptions): Promise<Outbox> {
  const host = options.host ?? '127.0.0.1';
  const checkTimestamp = options.checkTimestamp ?? true;
  let records: OutboxRecord[] = [];
  let failures: OutboxFailure[] = [];
  // messageId → receiptId: the SMS gateway's deduplication.
  let receipts = new Map<string, string>();
  let seq = 0;

  const keep = (entry: Omit<OutboxRecord, 'seq' | 'receivedAt' | 'receiptId'>, smsReceipt: boolean) => {
    seq++;
    const kept: OutboxRecord = {
      seq,
      receivedAt: new Date().toISOString(),
      ...entry,
      receiptId: smsReceipt ? `sms-${seq}` : null,
    };
    records.push(kept);
    return kept;
  };
  const fresh = (stamp: string | null, skewMs: number) =>
    !checkTimestamp || Math.abs(Date.now() - Number(stamp)) <= skewMs;

  function sms(req: IncomingMessage, body: Json | undefined, raw: string): [number, Json] {
    const timestamp = header(req, 'x-doudi-timestamp');
    const expected = createHmac('sha256', options.smsSecret).update(`${timestamp}\n${raw}`).digest('hex');
    if (!timestamp || !same(header(req, 'x-doudi-signature'), expected))
      return [401, { ok: false, code: 'BAD_SIGNATURE' }];
    if (!fresh(timestamp, SMS_SKEW_MS)) return [401, { ok: false, code: 'STALE_TIMESTAMP' }];
    const { messageId, phone, templateId, params } = body ?? {};
    if (typeof messageId !== 'string' || typeof phone !== 'string' || typeof templateId !== 'string')
      return [400, { ok: false, code: 'BAD_REQUEST' }];
    const earlier = receipts.get(messageId);
    if (earlier) return [200, { ok: true, receiptId: earlier }];
    if (phone.startsWith('1999')) return [400, { ok: false, code: 'INVALID_NUMBER' }];
    const kept = keep({ channel: 'sms', to: phone, templateId, params: stringsOf(params), messageId }, true);
    receipts.set(messageId, kept.receiptId!);
    return [200, { ok: true, receiptId: kept.receiptId }];
  }

  function dingtalk(url: URL, name: string, body: Json | undefined): [number, Json] {
    if (url.searchParams.get('access_token') !== name)
      return [200, { errcode: 300001, errmsg: 'token is not exist' }];
    const timestamp = url.searchParams.get('timestamp');
    const expected = createHmac('sha256', options.robotSecret)
      .update(`${timestamp}\n${options.robotSecret}`)
      .digest('base64');
    // A stale timestamp is folded into the same refusal: either way the signature does not hold.
    if (!timestamp || !same(url.searchParams.get('sign'), expected) || !fresh(timestamp, DINGTALK_SKEW_MS))
      return [200, { errcode: 310000, errmsg: 'sign not match' }];
    return robotText('dingtalk', name, body);
  }

  function wecom(url: URL, body: Json | undefined): [number, Json] {
    const key = url.searchParams.get('key');
    if (!key) return [200, { errcode: 93000, errmsg: 'invalid webhook url' }];
    return robotText('wecom', key, body);
  }

  function robotText(channel: 'dingtalk' | 'wecom', to: string, body: Json | undefined): [number, Json] {
    const text = body?.msgtype === 'text' && isJson(body.text) ? body.text.content : undefined;
    // The outbox's own refusal of a body it cannot read; neither platform's code for it is relied on.
    if (typeof text !== 'string') return [400, { errcode: 400, errmsg: 'invalid message body' }];
    const listed =
      channel === 'dingtalk'
        ? isJson(body?.at) && body.at.atUserIds
        : isJson(body?.text) && body.text.mentioned_list;
    const mentions = Array.isArray(listed) ? listed.filter((m): m is string => typeof m === 'string') : [];
    keep({ channel, to, text, ...(mentions.length ? { mentions } : {}) }, false);
    return [200, { errcode: 0, errmsg: 'ok' }];
  }

  function staged(mode: OutboxFailure, channel: ChannelId): [number, Json] | undefined {
    if (mode === '5xx') return [503, { ok: false, code: 'UNAVAILABLE', message: '网关暂不可用' }];
    if (mode === 'invalidNumber') return [400, { ok: false, code: 'INVALID_NUMBER' }];
    if (mode === 'unsubscribed') return [400, { ok: false, code: 'UNSUBSCRIBED' }];
    if (mode !== 'throttled') return undefined; // timeout: no answer
    if (channel === 'sms') return [429, { ok: false, code: 'THROTTLED' }];
    if (channel === 'dingtalk')
      return [200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }];
    return [200, { errcode: 45009, errmsg: 'api freq out of limit' }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://outbox');
    const raw = await readBody(req);
    const [, path, name] = /^\/(sms|dingtalk|wecom)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    const known =
      (path === 'sms' && !name) || (path === 'dingtalk' && name) || (path === 'wecom' && name === 'send');
    const channel = known ? path : undefined;
    if (req.method !== 'POST' || !isChannel(channel))
      return answer(res, 404, { ok: false, code: 'NOT_FOUND' });

    const forced = failures.shift();
    if (forced) {
      const reply = staged(forced, channel);
      // Held unanswered: the client gives up and closes the socket, or stop() closes it.
      if (!reply) return;
      return answer(res, ...reply);
    }
    const body = parseJson(raw);
    const [status, reply] =
      channel === 'sms'
        ? sms(req, body, raw)
        : channel === 'dingtalk'
          ? dingtalk(url, decodeURIComponent(name!), body)
          : wecom(url, body);
    answer(res, status, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, { ok: false, code: 'INTERNAL' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    smsEndpoint: `${base}/sms`,
    robotUrl: (channel, name) =>
      channel === 'dingtalk'
        ? `${base}/dingtalk/${encodeURIComponent(name)}?access_token=${encodeURIComponent(name)}`
        : `${base}/wecom/send?key=${encodeURIComponent(name)}`,
    records: () => records.map((r) => structuredClone(r)),
    fail: (mode, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(mode);
    },
    clear: () => {
      records = [];
      failures = [];
      receipts = new Map();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Held requests and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isChannel = (value: string | undefined): value is ChannelId =>
  value === 'sms' || value === 'dingtalk' || value === 'wecom';

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
};

const isJson = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJson(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const stringsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(isJson(value) ? value : {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );

/** Constant-time comparison, so a signature cannot be guessed a byte at a time from answer timings. */
function same(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The local runtime's notifications: an outbox on loopback and the configuration that points every
 * channel at it (`NOTIFY_CONFIG_FILE`, `shared/notify/config.ts`) — the SMS gateway, and a national
 * group robot for caseworkers (政务钉钉) and one for supervisors (企业微信), which every region falls
 * back to. The configuration is written again once the pages' address is known (`pagesAt`).
 */
export async function startLocalNotifications(dir: string): Promise<{
  outbox: Outbox;
  env: Record<string, string>;
  pagesAt(url: string): void;
  stop(): Promise<void>;
}> {
  const smsSecret = randomBytes(24).toString('base64url');
  const robotSecret = randomBytes(24).toString('base64url');
  // Virtual time may run ahead of the wall clock: the outbox checks signatures, not the hour.
  const outbox = await startOutbox({ smsSecret, robotSecret, checkTimestamp: false });
  const file = join(dir, 'notify.json');
  const write = (pageBaseUrl: string) => {
    const config: NotifyConfig = {
      pageBaseUrl,
      sms: {
        endpoint: outbox.smsEndpoint,
        secret: smsSecret,
        templates: Object.fromEntries(templateIds.map((t) => [t, `LOCAL_${t}`])),
      },
      caseworkers: {
        '000000': [
          { channel: 'dingtalk', url: outbox.robotUrl('dingtalk', 'caseworkers'), secret: robotSecret },
        ],
      },
      supervisors: { '000000': [{ channel: 'wecom', url: outbox.robotUrl('wecom', 'supervisors') }] },
      quietHours: { from: '21:00', to: '08:00' },
    };
    writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  };
  write('http://127.0.0.1');
  return {
    outbox,
    env: { NOTIFY_CONFIG_FILE: file },
    pagesAt: write,
    stop: () => outbox.stop(),
  };
}
