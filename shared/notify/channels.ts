/**
 * Delivery channels for notifications: SMS to households, work messages (政务钉钉/钉钉, 企业微信 group
 * robots) to caseworkers. A channel takes a message already rendered from a fixed template and either
 * answers a receipt or throws one of two errors, and the whole retry policy hangs on which:
 *
 * - `TransientDeliveryError`: the gateway may accept the same message later (5xx, 429, throttling,
 *   a timeout, a network failure, an answer that cannot be read). The caller retries, with the same
 *   `message.id`, so a gateway that did accept the first attempt does not send it twice.
 * - `PermanentDeliveryError`: the gateway says this message can never be delivered as it stands (an
 *   invalid or unsubscribed number, a rejected signature, a missing template). Retrying only repeats
 *   the refusal; the caller records the failure and tells a person.
 *
 * Adding a channel is one file under `channels/` and one line in the registry below.
 */
import { dingtalk } from './channels/dingtalk.ts';
import { sms } from './channels/sms.ts';
import { wecom } from './channels/wecom.ts';

export type ChannelId = 'sms' | 'dingtalk' | 'wecom';

/** What is sent: rendered by the caller from a fixed template; `id` is the event's delivery id (idempotency). */
export interface OutgoingMessage {
  id: string;
  templateId: string;
  text: string;
  params: Record<string, string>;
  /** Robots: the account ids on the robot's platform to @-mention (staff who chose it: `work-channel.ts`). */
  mentions?: readonly string[];
}

/**
 * An SMS gateway. `templates` maps our template ids to the gateway's: carriers only send text they
 * approved in advance, so the SMS channel sends a template id and its parameters, never free text.
 */
export interface SmsConfig {
  endpoint: string;
  secret: string;
  templates: Record<string, string>;
  timeoutMs?: number;
}

export interface RobotConfig {
  channel: 'dingtalk' | 'wecom';
  url: string;
  /** DingTalk's "加签" secret (`SEC…`); WeCom robots carry their credential in the url's `key`. */
  secret?: string;
  timeoutMs?: number;
}

export type Target =
  | { channel: 'sms'; phone: string; config: SmsConfig }
  | { channel: 'dingtalk' | 'wecom'; config: RobotConfig };
export type SmsTarget = Extract<Target, { channel: 'sms' }>;
export type RobotTarget = Exclude<Target, { channel: 'sms' }>;

export interface Receipt {
  channel: ChannelId;
  /** The gateway's own id for the message where it gives one (SMS); robots give none. */
  receiptId: string | null;
  /** ISO 8601. */
  acceptedAt: string;
}

/** Worth trying again later: 5xx, 429, throttling, a timeout, a network failure, an unreadable answer. */
export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The gateway says this can never succeed: retrying would only repeat the refusal. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
  constructor(
    message: string,
    readonly reason: 'invalidNumber' | 'unsubscribed' | 'rejected',
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface Channel<T extends Target = Target> {
  readonly id: T['channel'];
  send(target: T, message: OutgoingMessage, now?: () => number): Promise<Receipt>;
}

/**
 * The registry. Built on first use rather than at load: each channel module imports the errors
 * above from this one, and a caller that imports a channel module first would otherwise find that
 * channel not yet defined when this module's body runs.
 */
let channels: Record<ChannelId, Channel> | undefined;
const registry = () => (channels ??= { sms, dingtalk, wecom });

/** Sends through the target's channel. `now` (default `Date.now`) stamps signatures and the receipt. */
export async function send(
  target: Target,
  message: OutgoingMessage,
  now: () => number = Date.now,
): Promise<Receipt> {
  // A robot configured for one platform and addressed as the other would post a body the platform
  // does not understand to a url that is not its own: a configuration fault, not a delivery attempt.
  if (target.channel !== 'sms' && target.config.channel !== target.channel)
    throw new PermanentDeliveryError(
      `通知渠道配置有误：目标渠道为 ${target.channel}，机器人配置却属于 ${target.config.channel}`,
      'rejected',
      'CHANNEL_MISMATCH',
    );
  return registry()[target.channel].send(target, message, now);
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A gateway's answer: its HTTP status and its body as JSON (`undefined` when the body is not JSON). */
export interface GatewayAnswer {
  status: number;
  body: unknown;
}

/**
 * POSTs a JSON body. Only the cases where nothing usable came back are decided here — no answer in
 * time, no connection — and both are transient: the gateway may well have received the message,
 * which is why every channel sends the delivery id the gateway deduplicates by, or can.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<GatewayAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      // The body is read under the same deadline: a gateway that stalls mid-answer is no answer.
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  } catch (error) {
    throw new TransientDeliveryError(`网关未应答：${describeFailure(error, timeoutMs)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `${timeoutMs} 毫秒内无应答`;
  // undici reports a refused connection or an unknown host as "fetch failed", the reason in `cause`.
  const reason = (cause ?? {}) as { code?: unknown; message?: unknown };
  const detail = [reason.code, reason.message, message].find((d) => typeof d === 'string' && d);
  return `连接失败（${detail ?? String(error)}）`;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const receipt = (channel: ChannelId, receiptId: string | null, now: () => number): Receipt => ({
  channel,
  receiptId,
  acceptedAt: new Date(now()).toISOString(),
});

/** HTTP statuses that say "not now" rather than "not this": timeouts, throttling, server faults. */
export const isTransientStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500;

/**
 * The group robots answer alike — HTTP 200 with `{"errcode", "errmsg"}`, 0 for accepted — and differ
 * only in which nonzero codes mean "slow down". Everything else nonzero (a bad signature, a missing
 * keyword, a revoked token or key) stays wrong however often it is retried.
 */
export function robotReceipt(
  channel: 'dingtalk' | 'wecom',
  label: string,
  answer: GatewayAnswer,
  throttled: ReadonlySet<number>,
  now: () => number,
): Receipt {
  const { status, body } = answer;
  if (isTransientStatus(status))
    throw new TransientDeliveryError(`${label}暂不可用（HTTP ${status}）`, status);
  if (status >= 400)
    throw new PermanentDeliveryError(`${label}拒收（HTTP ${status}）`, 'rejected', `HTTP_${status}`);
  if (!isRecord(body) || typeof body.errcode !== 'number')
    throw new TransientDeliveryError(`${label}的应答无法识别（HTTP ${status}）`, status);
  if (body.errcode === 0) return receipt(channel, null, now);
  const detail = `errcode ${body.errcode}${typeof body.errmsg === 'string' ? `：${body.errmsg}` : ''}`;
  if (throttled.has(body.errcode)) throw new TransientDeliveryError(`${label}限流，稍后重试（${detail}）`);
  throw new PermanentDeliveryError(`${label}拒收（${detail}）`, 'rejected', String(body.errcode));
}
