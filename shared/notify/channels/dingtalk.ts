/**
 * 政务钉钉/钉钉 custom group robot (自定义机器人) webhook: a text message to a caseworkers' group.
 *
 * `POST <webhook url>` — `https://oapi.dingtalk.com/robot/send?access_token=…`, or the 政务钉钉
 * deployment's own host — with `{"msgtype": "text", "text": {"content": …}}`. With the robot's
 * "加签" security setting on (a `SEC…` secret), `&timestamp=<ms>&sign=<sign>` is appended, where
 * sign = urlencode(base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret))), and the timestamp
 * must be within an hour of DingTalk's clock. (Signing rule as DingTalk's robot documentation gives
 * it, quoted at https://www.mihaoyun.com/wordpress/?p=391 and
 * https://blog.csdn.net/weixin_31560545/article/details/116255918.) Members are @-mentioned by their
 * DingTalk userId in `at.atUserIds`, each also written `@<userId>` in the content, as public clients
 * send it (github.com/LmonZero/funds, lib/dingding.js).
 *
 * DingTalk answers HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` when it accepts, and a nonzero
 * errcode otherwise. Throttling is the one refusal that passes: a robot may post 20 messages a
 * minute and is then held back for 10 (130101 "send too fast, exceed 20 times per minute":
 * https://github.com/ccfos/nightingale/issues/369,
 * https://blog.csdn.net/jialiuyang/article/details/118615052). 660026 "sending too many messages per
 * minute", which a public DingTalk client handles as throttling, is treated alike: mistaking a
 * refusal for a pause costs a few bounded retries, the other way round a lost message. Every other code — 310000 "sign not match" or a missing keyword
 * (https://cloud.tencent.com/developer/article/1834468), 300001 "token is not exist" — is a
 * configuration fault that no retry repairs.
 */
import { createHmac } from 'node:crypto';
import { type Channel, postJson, type RobotTarget, robotReceipt } from '../channels.ts';

const THROTTLED = new Set([130101, 660026]);

/** The `timestamp` and `sign` query parameters of DingTalk's "加签" setting. */
function dingtalkSignature(secret: string, timestamp: number): { timestamp: string; sign: string } {
  const stamp = String(timestamp);
  const sign = createHmac('sha256', secret).update(`${stamp}\n${secret}`).digest('base64');
  return { timestamp: stamp, sign };
}

export const dingtalk: Channel<RobotTarget> = {
  id: 'dingtalk',
  async send({ config }, message, now = Date.now) {
    let url = config.url;
    if (config.secret) {
      const { timestamp, sign } = dingtalkSignature(config.secret, now());
      url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
    }
    const mentions = message.mentions ?? [];
    // A mention is shown where its `@<userId>` stands in the text; `at.atUserIds` makes it an alert.
    const body = JSON.stringify({
      msgtype: 'text',
      text: {
        content: mentions.length
          ? `${message.text}\n${mentions.map((m) => `@${m}`).join(' ')}`
          : message.text,
      },
      ...(mentions.length ? { at: { atUserIds: mentions, isAtAll: false } } : {}),
    });
    const answer = await postJson(url, body, {}, config.timeoutMs);
    return robotReceipt('dingtalk', '钉钉机器人', answer, THROTTLED, now);
  },
};
