/**
 * Notifications that reach people (issue 17) on the in-memory runtime, through its outbox on
 * loopback — a real SMS gateway protocol and real robot webhooks (`local/outbox.ts`): a household
 * event sends one SMS and puts its receipt on the case chain; a new task sends one work message to
 * the caseworkers' group; a household that chose none gets no SMS; a bad number is recorded as not
 * reached and shown to the caseworkers; a gateway outage delays a message but loses nothing (retries,
 * then the dead-letter queue and `npm run redrive`); the quiet hours hold non-urgent messages till
 * morning.
 */
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { invoke } from '../../local/lambda.ts';
import type { OutboxRecord } from '../../local/outbox.ts';
import { readAuditLog } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { eveOf } from '../../shared/notify/deliveries.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { bringForward } from '../../shared/repositories/schedule.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { outboxItems, queueDepth, relayUntil, smsTo as sms } from '../support/notify.ts';
import { eventually, useRuntime } from '../support/runtime.ts';
import { runScript } from '../support/scripts.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

/** Runs the outbox relay, as its schedule does every minute. */
const relay = () => invoke('relayDeliveries', {});
const pending = (caseId: string) => outboxItems(caseId);
const smsTo = (phone: string) => sms(runtime.rt, phone);
const entries = async (caseId: string, action: string) =>
  (await readAuditLog(caseId)).entries.filter((e) => e.action === action);
const until = <T>(check: () => T | undefined | Promise<T | undefined>) => relayUntil(runtime.rt, check);

describe('notifications', () => {
  it('a household event sends one SMS with its receipt on the chain; a new task, one work message', async () => {
    const household = application({ applicant: { name: '张三', phone: '13800000101' } });
    const { applicationId, caseId } = await flow.submit(household);
    const [sms] = await until(() => {
      const sent = smsTo('13800000101');
      return sent.length ? sent : undefined;
    });
    expect(sms).toMatchObject({ templateId: 'LOCAL_applicationReceived', params: { applicationId } });
    const [receipt] = await until(async () => {
      const found = await entries(caseId, 'notification.sent');
      return found.some((e) => e.refs.channel === 'sms')
        ? found.filter((e) => e.refs.channel === 'sms')
        : undefined;
    });
    expect(receipt!.refs).toMatchObject({
      channel: 'sms',
      template: 'applicationReceived',
      recipient: '138****0101',
      receiptId: sms!.receiptId,
    });
    expect(receipt!.summary).toContain('申请已受理');
    // What a developer reads at /dev/outbox: the message as sent, the phone number masked.
    const view = await fetch(`${runtime.rt.apiUrl}/dev/outbox.json`);
    const { records } = (await view.json()) as { records: OutboxRecord[] };
    expect(records.find((r) => r.receiptId === sms!.receiptId)).toMatchObject({
      channel: 'sms',
      to: '138****0101',
    });
    const page = await (await fetch(`${runtime.rt.apiUrl}/dev/outbox`)).text();
    expect(page).toContain('本地发件箱');
    expect(page).toContain('138****0101');
    expect(page).not.toContain('13800000101');
    expect(JSON.stringify(receipt)).not.toContain('13800000101');

    // The township's new task: one message to the caseworkers' group robot (政务钉钉).
    const task = await flow.task(applicationId, 'townshipReview');
    const work = await until(() => {
      const found = runtime.rt.outbox
        .records()
        .filter(
          (r: OutboxRecord) => r.channel === 'dingtalk' && r.text?.includes(`办理期限 ${task.dueDate}`),
        );
      return found.length ? found : undefined;
    });
    expect(work[0]!.to).toBe('caseworkers');
    expect(work[0]!.text).toContain('新任务：乡镇（街道）审核');
    expect(work[0]!.text).toContain(`${runtime.rt.apiUrl}/workbench/`);

    // Relayed and delivered again, nothing is sent twice.
    await relay();
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsTo('13800000101')).toHaveLength(1);
    expect((await entries(caseId, 'notification.sent')).filter((e) => e.refs.channel === 'sms')).toHaveLength(
      1,
    );
  });

  it('sends nothing to a household that chose no SMS', async () => {
    const quiet = application({ applicant: { name: '李四', phone: '13800000102', notify: 'none' } });
    const { applicationId, caseId } = await flow.submit(quiet);
    // Its task's work message proves the outbox was relayed past the household's event.
    await flow.task(applicationId, 'townshipReview');
    await until(async () => ((await entries(caseId, 'notification.sent')).length ? true : undefined));
    expect(smsTo('13800000102')).toEqual([]);
  });

  it('records a number the gateway refuses as not reached, for the caseworkers to contact in person', async () => {
    const unreachable = application({ applicant: { name: '王五', phone: '19990000103' } });
    const { caseId } = await flow.submit(unreachable);
    const [failed] = await until(async () => {
      const found = await entries(caseId, 'notification.failed');
      return found.length ? found : undefined;
    });
    expect(failed!.summary).toContain('请当面或电话联系');
    expect(failed!.refs).toMatchObject({ channel: 'sms', reason: 'invalidNumber', recipient: '199****0103' });
    const item = await lifecycle.getCaseItem(caseId);
    expect(item?.unreached).toEqual([
      expect.objectContaining({ template: 'applicationReceived', label: '申请已受理', reason: '号码无效' }),
    ]);
    // In the township's inbox, for a caseworker to reach the household another way.
    const inbox = await runtime.api('/notifications?township=430121', {}, actors.township);
    expect(inbox.status).toBe(200);
    expect(
      inbox.body.notifications.filter(
        (n: { caseId: string; type: string }) => n.caseId === caseId && n.type === 'householdUnreached',
      ),
    ).toEqual([
      expect.objectContaining({ type: 'householdUnreached', label: '申请已受理', reason: '号码无效' }),
    ]);
  });

  it('a gateway outage delays a message and loses nothing: retried, then kept in the DLQ for redrive', async () => {
    // A short outage: the retries get through.
    runtime.rt.outbox.fail('5xx', 3);
    const { caseId } = await flow.submit(application({ applicant: { name: '赵六', phone: '13800000104' } }));
    await until(() => (smsTo('13800000104').length ? true : undefined));
    expect(smsTo('13800000104')).toHaveLength(1);
    await until(async () => ((await entries(caseId, 'notification.sent')).length ? true : undefined));

    // A long one: past the queue's receives the message waits in the DLQ, and is sent once redriven.
    runtime.rt.outbox.fail('5xx', 1_000);
    await flow.submit(application({ applicant: { name: '钱七', phone: '13800000105' } }));
    await until(async () =>
      (await queueDepth(runtime.rt.env.DELIVERIES_QUEUE_DLQ_URL!)).waiting > 0 ? true : undefined,
    );
    runtime.rt.outbox.clear();
    const run = await runScript('scripts/redrive.ts', ['Deliveries'], {
      AWS_ENDPOINT_URL_SQS: runtime.rt.endpoints.sqs,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/已将 \d+ 条消息/);
    await until(() => (smsTo('13800000105').length ? true : undefined));
    expect(smsTo('13800000105')).toHaveLength(1);
  });

  it('reminds the caseworkers the morning before a task falls due, unless it is decided', async () => {
    const first = await flow.submit(application({ applicant: { name: '周九', phone: '13800000107' } }));
    const open = await flow.task(first.applicationId, 'townshipReview');
    const second = await flow.submit(application({ applicant: { name: '吴十', phone: '13800000108' } }));
    const decided = await flow.task(second.applicationId, 'townshipReview');
    expect(decided.dueDate).toBe(open.dueDate);
    expect((await flow.decide(decided.taskId, { decision: 'approve', reasons: ['核实属实'] })).status).toBe(
      200,
    );
    const reminders = () =>
      runtime.rt.outbox.records().filter((r) => r.channel === 'dingtalk' && r.text?.includes('提醒：'));
    // Not before its morning …
    await relay();
    await new Promise((r) => setTimeout(r, 1000));
    expect(reminders().filter((r) => r.text!.includes(open.dueDate))).toEqual([]);
    // … then for the open task only.
    clock.advance(Date.parse(eveOf(open.dueDate)) - clock.now() + 60_000);
    await until(() => (reminders().some((r) => r.text!.includes(open.dueDate)) ? true : undefined));
    await until(
      async () =>
        (await entries(first.caseId, 'notification.sent')).some(
          (e) => e.refs.template === 'taskDueTomorrow',
        ) || undefined,
    );
    // The decided task's reminder left the outbox too, and was dropped.
    await until(
      async () =>
        !(await pending(second.caseId)).some((i) => i.message.taskId === decided.taskId) || undefined,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      (await entries(second.caseId, 'notification.sent')).filter(
        (e) => e.refs.template === 'taskDueTomorrow',
      ),
    ).toEqual([]);
    // Once for its task (the other open tasks of this file fall due that day too: one each).
    expect(
      (await entries(first.caseId, 'notification.sent')).filter((e) => e.refs.template === 'taskDueTomorrow'),
    ).toHaveLength(1);
    expect(reminders().some((r) => r.text!.includes(`乡镇（街道）审核任务明天（${open.dueDate}）到期`))).toBe(
      true,
    );
  });

  it('a determined household is reminded a week before its recheck', async () => {
    const { applicationId, caseId } = await flow.submit(
      application({ applicant: { name: '郑十一', phone: '13800000109' } }),
    );
    const county = await flow.reviewToCounty(applicationId);
    expect((await flow.decide(county.taskId, { decision: 'approve', reasons: ['符合条件'] })).status).toBe(
      200,
    );
    const reminder = await eventually(async () =>
      (await pending(caseId)).find((i) => i.message.template === 'recheckDue'),
    );
    const dueOn = reminder.message.params.dueOn as string;
    expect(reminder.notBefore).toBe(eveOf(dueOn, 7));
    expect(Date.parse(dueOn) - Date.parse(chinaDate(new Date(clock.now())))).toBeGreaterThan(30 * 86_400_000);

    // Brought forward (as a member's death brings it): reminded of the new date, not the old one.
    const sooner = new Date(clock.now() + 20 * 86_400_000).toISOString();
    expect((await bringForward(caseId, 'Recheck', sooner)).outcome).toBe('moved');
    const newDay = chinaDate(new Date(sooner));
    const moved = await eventually(async () =>
      (await pending(caseId)).find(
        (i) => i.message.template === 'recheckDue' && i.message.params.dueOn === newDay,
      ),
    );
    clock.advance(Date.parse(moved.notBefore) - clock.now() + 60_000);
    const [sms] = await until(() => {
      const sent = smsTo('13800000109').filter((r) => r.templateId === 'LOCAL_recheckDue');
      return sent.length ? sent : undefined;
    });
    expect(sms!.params).toEqual({ dueOn: newDay });
    // The old date's reminder, when its time comes, is dropped: no pending recheck has that day.
    await invoke('deliverMessages', {
      Records: [
        {
          messageId: 'old-reminder',
          receiptHandle: 'x',
          body: JSON.stringify(reminder.message),
          attributes: { ApproximateReceiveCount: '1' },
        },
      ],
    });
    expect(smsTo('13800000109').filter((r) => r.params?.dueOn === dueOn)).toEqual([]);
  });

  it('holds a non-urgent message through the quiet hours and sends it in the morning', async () => {
    // To 22:30 China time.
    const now = new Date(clock.now());
    const china = new Date(now.getTime() + 8 * 3_600_000);
    const target =
      Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), 22, 30) - 8 * 3_600_000;
    clock.advance((target > now.getTime() ? target : target + 86_400_000) - now.getTime());
    const { caseId } = await flow.submit(application({ applicant: { name: '孙八', phone: '13800000106' } }));
    const morning = Date.parse(
      `${new Date(clock.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10)}T08:00:00+08:00`,
    );
    // Relayed, received, and put back in the outbox till 08:00.
    await until(
      async () =>
        (await pending(caseId)).some((i) => String(i.sk).startsWith(new Date(morning).toISOString())) ||
        undefined,
    );
    expect(smsTo('13800000106')).toEqual([]);
    // 08:01 the next morning.
    clock.advance(9.5 * 3_600_000 + 60_000);
    const [sms] = await until(() => {
      const sent = smsTo('13800000106');
      return sent.length ? sent : undefined;
    });
    const at = new Date(Date.parse(sms!.receivedAt) + 8 * 3_600_000);
    expect(at.getUTCHours()).toBeGreaterThanOrEqual(8);
  });
});
