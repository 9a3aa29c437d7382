/**
 * A household's SMS contact after it applied (issue 17 §4; `shared/notify/contact.ts`): the township
 * registers a new number once the gateway refused the declared one, the next message reaches it;
 * the household itself turns SMS off, and the next notice sends none. On the in-memory runtime and
 * its outbox on loopback.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { outboxItems, pastQuietHours, queueDepth, relayUntil, smsTo as sms } from '../support/notify.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

const change = (caseId: string, body: unknown, as: Actor = actors.township) =>
  runtime.api(`/cases/${caseId}/contact`, { method: 'PUT', body: JSON.stringify(body) }, as);
const entries = async (caseId: string, action: string) =>
  (await readAuditLog(caseId)).entries.filter((e) => e.action === action);
const smsTo = (phone: string) => sms(runtime.rt, phone);
const until = <T>(check: () => T | undefined | Promise<T | undefined>) => relayUntil(runtime.rt, check);

/** Nothing of the case is due in the outbox, and the deliveries queue is empty: all was handled. */
async function drained(caseId: string): Promise<true | undefined> {
  // Reminders wait there till their day (a task's eve, a recheck's week before): not yet due.
  const due = (await outboxItems(caseId)).filter(
    (i) => !i.notBefore || Date.parse(i.notBefore as string) <= Date.now(),
  );
  const { waiting, inFlight } = await queueDepth(runtime.rt.env.DELIVERIES_QUEUE_URL!);
  return due.length + waiting + inFlight === 0 ? true : undefined;
}

describe('the household’s SMS contact', () => {
  it('is mended by the township after a refused number, and turned off by the household', async () => {
    const { applicationId, caseId } = await flow.submit(
      application({ applicant: { name: '冯十二', phone: '19990000201' } }),
    );
    await until(async () => ((await entries(caseId, 'notification.failed')).length ? true : undefined));

    // Bad input is refused, naming the field, and nothing is written.
    const bad = await change(caseId, { phone: '12345', notify: 'sms' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['phone']);
    const badChoice = await change(caseId, { phone: '13800000201', notify: 'email' });
    expect(badChoice.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['notify']);
    // Not someone else's case.
    expect([403, 404]).toContain(
      (await change(caseId, { phone: '13800000299', notify: 'sms' }, actors.otherApplicant)).status,
    );
    expect(await entries(caseId, 'contact.changed')).toEqual([]);
    expect((await runtime.api(`/cases/${caseId}/contact`, {}, actors.applicant)).body.contact).toMatchObject({
      phoneMasked: '199****0201',
      source: 'declared',
    });

    // The township, having reached the household in person, registers its new number.
    const changed = await change(caseId, { phone: '13800000201', notify: 'sms' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      outcome: 'changed',
      contact: { phoneMasked: '138****0201', notify: 'sms', source: 'changed' },
      message: '此后的短信通知发送至 138****0201',
    });
    expect((await change(caseId, { phone: '13800000201', notify: 'sms' })).body.outcome).toBe('same');
    // The household sees where its SMS go now.
    expect((await runtime.api(`/cases/${caseId}/contact`, {}, actors.applicant)).body.contact).toEqual({
      phoneMasked: '138****0201',
      notify: 'sms',
      source: 'changed',
      changedAt: changed.body.contact.changedAt,
    });
    const [entry] = await entries(caseId, 'contact.changed');
    expect(entry!.summary).toBe('登记短信通知号码：138****0201');
    expect(JSON.stringify(await readAuditLog(caseId))).not.toContain('13800000201');

    // The next household message reaches it: the review's result under public notice.
    const review = await flow.task(applicationId, 'townshipReview');
    expect(
      (await flow.decide(review.taskId, { decision: 'approve', reasons: ['入户调查属实'] })).status,
    ).toBe(200);
    pastQuietHours();
    const [notice] = await until(() => {
      const sent = smsTo('13800000201');
      return sent.length ? sent : undefined;
    });
    expect(notice!.templateId).toBe('LOCAL_publicNotice');

    // The household turns SMS off: the determination's notice is on record, and no SMS is sent.
    const off = await change(caseId, { phone: '13800000201', notify: 'none' }, actors.applicant);
    expect(off.body).toMatchObject({ outcome: 'changed', message: '此后不再发送短信通知；书面告知照常送达' });
    await flow.passPublicNotice(applicationId);
    const county = await flow.task(applicationId, 'countyDetermination');
    expect((await flow.decide(county.taskId, { decision: 'approve', reasons: ['符合条件'] })).status).toBe(
      200,
    );
    pastQuietHours();
    await until(async () => ((await entries(caseId, 'notice.issued')).length ? true : undefined));
    await until(() => drained(caseId));
    expect(smsTo('13800000201').map((r) => r.templateId)).toEqual(['LOCAL_publicNotice']);
    expect((await entries(caseId, 'contact.changed')).map((e) => e.summary)).toEqual([
      '登记短信通知号码：138****0201',
      '选择不接收短信通知（号码 138****0201，书面告知不受影响）',
    ]);
  });
});
