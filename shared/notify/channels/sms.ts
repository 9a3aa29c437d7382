/**
 * SMS through an HTTPS gateway — the province's own or a carrier's, behind an adapter that meets
 * this contract (`local/outbox.ts` is the local stand-in and its reference implementation):
 *
 * Request: `POST <endpoint>`, JSON body
 *   `{"messageId": "<delivery id>", "phone": "1xxxxxxxxxx", "templateId": "<gateway's template>", "params": {…}}`
 * with headers
 *   `Content-Type: application/json`
 *   `X-Doudi-Timestamp: <ms since the epoch>`
 *   `X-Doudi-Signature: <hex HMAC-SHA256(secret, timestamp + "\n" + body)>`
 * The gateway refuses a wrong signature, and a timestamp more than 5 minutes from its own clock, so
 * a captured request cannot be replayed later.
 *
 * Answers:
 *   200 `{"ok": true, "receiptId": "…"}`                        accepted
 *   4xx `{"ok": false, "code": "INVALID_NUMBER"}`              never deliverable to this number
 *   4xx `{"ok": false, "code": "UNSUBSCRIBED"}`                the holder has opted out of SMS
 *   other 4xx (401 `BAD_SIGNATURE`, …)                         refused: configuration to fix
 *   408, 429, 5xx                                              try again later
 * The gateway deduplicates by `messageId`: a second request with a messageId it has accepted sends
 * nothing and answers the first receiptId. That is what makes a retry after a timeout safe.
 */
import { createHmac } from 'node:crypto';
import {
  type Channel,
  isRecord,
  isTransientStatus,
  PermanentDeliveryError,
  postJson,
  receipt,
  type SmsTarget,
  TransientDeliveryError,
} from '../channels.ts';

/** Mainland mobile numbers: 11 digits, leading 1. Anything else no gateway can deliver to. */
const MOBILE = /^1\d{10}$/;

export const sms: Channel<SmsTarget> = {
  id: 'sms',
  async send({ phone, config }, message, now = Date.now) {
    const templateId = config.templates[message.templateId];
    if (!templateId)
      throw new PermanentDeliveryError(
        `短信网关未配置与通知模板“${message.templateId}”对应的短信模板，短信未发送`,
        'rejected',
        'NO_TEMPLATE',
      );
    if (!MOBILE.test(phone))
      throw new PermanentDeliveryError('手机号码格式不正确，短信未发送', 'invalidNumber', 'MALFORMED_NUMBER');

    const body = JSON.stringify({ messageId: message.id, phone, templateId, params: message.params });
    const timestamp = String(now());
    const signature = createHmac('sha256', config.secret).update(`${timestamp}\n${body}`).digest('hex');
    const { status, body: answer } = await postJson(
      config.endpoint,
      body,
      { 'x-doudi-timestamp': timestamp, 'x-doudi-signature': signature },
      config.timeoutMs,
    );

    if (isTransientStatus(status))
      throw new TransientDeliveryError(`短信网关暂不可用（HTTP ${status}）`, status);
    const code = isRecord(answer) && typeof answer.code === 'string' ? answer.code : undefined;
    if (status >= 400) {
      if (code === 'INVALID_NUMBER')
        throw new PermanentDeliveryError('短信网关：该手机号码无效', 'invalidNumber', code);
      if (code === 'UNSUBSCRIBED')
        throw new PermanentDeliveryError('短信网关：该手机号码已退订短信', 'unsubscribed', code);
      throw new PermanentDeliveryError(
        `短信网关拒收（HTTP ${status}${code ? `，${code}` : ''}）`,
        'rejected',
        code ?? `HTTP_${status}`,
      );
    }
    if (isRecord(answer) && answer.ok === true)
      return receipt('sms', typeof answer.receiptId === 'string' ? answer.receiptId : null, now);
    // A 2xx that does not say "accepted" may or may not have been: the retry, deduplicated, settles it.
    throw new TransientDeliveryError(`短信网关的应答无法识别（HTTP ${status}）`, status);
  },
};
