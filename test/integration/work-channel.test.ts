/**
 * Staff choose how work messages alert them (issue 17 §4; `shared/notify/work-channel.ts`): the
 * office's group robots post every work message, and it @-mentions, on the platform they chose, the
 * staff who decide that kind of task and serve the office — per their staff record at the time, so
 * someone revoked since is not mentioned. Through the runtime's outbox on loopback, as the robots'
 * webhooks receive it.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { staffChain } from '../../shared/staff.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { pastQuietHours, relayUntil } from '../support/notify.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

const staff = (subject: string, name: string, role: Actor['role'], regionCodes: string[]): Actor => ({
  role,
  regionCodes,
  subject,
  name,
});
const chooser = staff('wc-township-1', '孙钉钉', 'townshipCaseworker', ['430121']);
const inboxOnly = staff('wc-township-2', '李收件', 'townshipCaseworker', ['430121']);
const leaving = staff('wc-township-3', '周调离', 'townshipCaseworker', ['430100']);
const countyOfficer = staff('wc-county-1', '吴县级', 'countyOfficer', ['430100']);
/** Serves another province: never mentioned for 430121. */
const elsewhere = staff('wc-township-4', '郑外省', 'townshipCaseworker', ['410000']);

const choose = (actor: Actor, body: Record<string, unknown>) =>
  runtime.api('/staff/me/work-channel', { method: 'PUT', body: JSON.stringify(body) }, actor);

/** The caseworkers' group messages (DingTalk, locally) that announced a new task of `kindLabel`. */
async function announced(kindLabel: string, after: number) {
  return relayUntil(runtime.rt, () => {
    const found = runtime.rt.outbox
      .records()
      .filter(
        (r) =>
          r.seq > after && r.channel === 'dingtalk' && r.text?.startsWith(`【兜底救助】新任务：${kindLabel}`),
      );
    return found.length ? found : undefined;
  });
}
const lastSeq = () => runtime.rt.outbox.records().at(-1)?.seq ?? 0;

describe('work-message channels', () => {
  it('a new task @-mentions the deciders of its kind who chose the platform, and no one else', async () => {
    expect((await runtime.api('/staff/me/work-channel', {}, chooser)).body).toEqual({
      channel: 'inbox',
      channelLabel: '仅在系统收件箱查看',
      account: null,
      updatedAt: null,
    });
    for (const [actor, body] of [
      [chooser, { channel: 'dingtalk', account: 'dt-sun' }],
      [inboxOnly, { channel: 'inbox' }],
      [leaving, { channel: 'dingtalk', account: 'dt-zhou' }],
      [countyOfficer, { channel: 'dingtalk', account: 'dt-wu' }],
      [elsewhere, { channel: 'dingtalk', account: 'dt-zheng' }],
    ] as const) {
      const res = await choose(actor, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const revoked = await runtime.api(
      `/admin/staff/${leaving.subject}/revocation`,
      { method: 'POST', body: JSON.stringify({ reason: '调离本县' }) },
      actors.admin,
    );
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);

    const before = lastSeq();
    const { applicationId, caseId } = await flow.submit(application());
    const [review] = await announced('乡镇（街道）审核', before);
    // The township's decider who chose DingTalk; not the inbox-only one, the revoked one, the county
    // officer (who does not decide a township review) or the one serving another province.
    expect(review!.mentions).toEqual(['dt-sun']);
    expect(review!.text).toContain('@dt-sun');

    const atCounty = lastSeq();
    await flow.reviewToCounty(applicationId);
    pastQuietHours();
    const [determination] = await announced('县级', atCounty);
    expect(determination!.mentions).toEqual(['dt-wu']);

    // The receipt says how many were alerted, not who.
    const receipts = await eventually(async () => {
      const sent = (await readAuditLog(caseId)).entries.filter(
        (e) => e.action === 'notification.sent' && e.refs.template === 'taskOpened',
      );
      return sent.length === 2 ? sent : undefined;
    });
    expect(receipts.map((e) => e.refs.mentioned)).toEqual(['1', '1']);
    expect(JSON.stringify(receipts)).not.toContain('dt-');

    // Each choice is on the person's own chain.
    const chain = await readAuditLog(staffChain(chooser.subject!));
    expect(chain.entries.filter((e) => e.action === 'staff.workChannel').map((e) => e.summary)).toEqual([
      '工作消息提醒方式设为：政务钉钉',
    ]);
  });

  it('choosing the inbox again stops the mentions; a choice without an account is refused, naming it', async () => {
    const refused = await choose(chooser, { channel: 'wecom' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([
      { field: 'account', message: expect.stringContaining('用户编号') },
    ]);
    const badAccount = await choose(chooser, { channel: 'wecom', account: '有空格 的编号' });
    expect(badAccount.status).toBe(400);
    expect(badAccount.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['account']);
    const unknown = await choose(chooser, { channel: 'sms', account: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['channel']);
    expect((await runtime.api('/staff/me/work-channel', {}, chooser)).body.account).toBe('dt-sun');

    pastQuietHours();
    const back = await choose(chooser, { channel: 'inbox' });
    expect(back.body).toMatchObject({ channel: 'inbox', account: null });
    const before = lastSeq();
    await flow.submit(application());
    const [review] = await announced('乡镇（街道）审核', before);
    expect(review!.mentions).toBeUndefined();
    // The same choice again writes nothing more on the chain.
    await choose(chooser, { channel: 'inbox' });
    const chain = await readAuditLog(staffChain(chooser.subject!));
    expect(chain.entries.filter((e) => e.action === 'staff.workChannel')).toHaveLength(2);
  });
});
