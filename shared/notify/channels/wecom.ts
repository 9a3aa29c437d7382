/**
 * 企业微信 group robot (群机器人) webhook: a text message to a caseworkers' group.
 *
 * `POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<robot key>` with
 * `{"msgtype": "text", "text": {"content": …}}` (content at most 2048 bytes, UTF-8). The key in the
 * url is the robot's only credential — there is no signature — so the url is kept as a secret.
 * (群机器人配置说明, as quoted at https://blog.csdn.net/cnzt0/article/details/144470384.)
 * Members are @-mentioned by their WeCom userid in `text.mentioned_list` (as quoted at
 * https://hc.huoban.com/data/9dde/8c5c/d629).
 *
 * WeCom answers HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` when it accepts. A robot may post 20
 * messages a minute (https://www.skills.sh/ajaxhe/wecom-bot-skill/wecom-bot, citing
 * developer.work.weixin.qq.com/document/path/99398); over it, 45009 "api freq out of limit" passes,
 * as does -1 "系统繁忙" (WeCom's global codes say "建议稍候重试": a copy at
 * http://static.kancloud.cn/dabashan/qiwei/2376083). 93000 "invalid webhook url" — the key is not a
 * robot's (https://github.com/wes-lin/Cloud189Checkin/issues/175) — and every other code is a
 * configuration fault that no retry repairs.
 */
import { type Channel, postJson, type RobotTarget, robotReceipt } from '../channels.ts';

const THROTTLED = new Set([45009, -1]);

export const wecom: Channel<RobotTarget> = {
  id: 'wecom',
  async send({ config }, message, now = Date.now) {
    const mentions = message.mentions ?? [];
    const body = JSON.stringify({
      msgtype: 'text',
      text: { content: message.text, ...(mentions.length ? { mentioned_list: mentions } : {}) },
    });
    const answer = await postJson(config.url, body, {}, config.timeoutMs);
    return robotReceipt('wecom', '企业微信机器人', answer, THROTTLED, now);
  },
};
