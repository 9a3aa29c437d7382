/**
 * The fixed message templates (`shared/notify/templates.ts`): each renders in Chinese with the
 * system's sign and its page's link; none can carry an ID number, a phone number, a health fact or
 * anything its parameters do not allow — a rendering that would is refused, never sent.
 */
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../functions/consumers/deliveries.ts';
import { taskKindLabels } from '../../shared/domain/tasks.ts';
import { outsideQuietHours, robotsFor } from '../../shared/notify/config.ts';
import { householdDeliveryOf } from '../../shared/notify/deliveries.ts';
import {
  renderMessage,
  type TemplateId,
  templates,
  UnsafeMessageError,
} from '../../shared/notify/templates.ts';

const BASE = 'https://doudi.example.gov.cn';
const valid: Record<TemplateId, Record<string, string>> = {
  applicationReceived: { applicationId: 'app-mx5hakzr4ff3e62ed216' },
  emergencyReceived: { emergencyId: 'emerg-mx5hakzr4ff3e62ed216' },
  publicNotice: { endsOn: '2026-12-14' },
  noticeIssued: { title: '定期核查结果告知书：调整救助' },
  hearingInvited: { answerBy: '2026-12-18' },
  paymentMade: { month: '2026-12', amount: '1,234.50元' },
  paymentFailed: { months: '2026-11、2026-12' },
  recheckDue: { dueOn: '2027-06-01' },
  taskOpened: { kindLabel: taskKindLabels.townshipReview, dueDate: '2026-12-21' },
  taskDueTomorrow: { kindLabel: taskKindLabels.recheckConfirmation, dueDate: '2026-12-22' },
  taskEscalated: {
    kindLabel: taskKindLabels.countyDetermination,
    overdueSince: '2026-12-01',
    newDueDate: '2026-12-04',
  },
};

describe('message templates', () => {
  it('render every message in Chinese, signed, with the link to its page', () => {
    for (const id of Object.keys(templates) as TemplateId[]) {
      const text = renderMessage(id, valid[id], BASE);
      expect(text, id).toMatch(/^【兜底救助】/);
      expect(text, id).toContain(`${BASE}${templates[id].page}`);
      for (const value of Object.values(valid[id])) expect(text, id).toContain(value);
    }
  });

  it('refuse what a template does not allow: an ID number, a phone number, extra fields, a bad amount', () => {
    const refused: Array<[TemplateId, Record<string, string>]> = [
      ['applicationReceived', { applicationId: '430121198001010117' }],
      ['paymentMade', { month: '2026-12', amount: '430121198001010117' }],
      ['paymentMade', { month: '2026-12', amount: '1234.5' }],
      ['publicNotice', { endsOn: '2026-12-14', name: '张三' }],
      ['taskOpened', { kindLabel: '随便什么', dueDate: '2026-12-21' }],
      ['noticeIssued', { title: '13800000000' }],
    ];
    for (const [id, params] of refused)
      expect(() => renderMessage(id, params, BASE), `${id} ${JSON.stringify(params)}`).toThrow(
        UnsafeMessageError,
      );
  });

  it('refuse a rendering that names a health fact, even through an allowed parameter', () => {
    expect(() => renderMessage('noticeIssued', { title: '重度残疾人护理补贴告知书' }, BASE)).toThrow(
      /health fact/,
    );
  });

  it('no template text itself carries a health word or a long digit run', () => {
    for (const id of Object.keys(templates) as TemplateId[])
      expect(() => renderMessage(id, valid[id], BASE), id).not.toThrow();
  });
});

describe('which household events are announced', () => {
  const actor = { kind: 'system' as const, id: 'doudi' };
  it('from the chain entry alone, once per entry key; the hearing notice by the hearing, with its deadline', () => {
    const at = (action: string, refs: Record<string, string>, ledger?: { amount: number }) =>
      householdDeliveryOf('case-1', {
        key: `${action}#k`,
        actor: actor as never,
        action: action as never,
        summary: 's',
        refs,
        ...(ledger ? { ledger: { regionCode: '430121', kind: 'payment', ...ledger } } : {}),
      });
    expect(at('application.submitted', { applicationId: 'app-1234' })).toMatchObject({
      eventId: 'case-1#application.submitted#k',
      template: 'applicationReceived',
      to: { household: true },
    });
    expect(at('payment.recorded', { month: '2026-12' }, { amount: 820 })?.params).toEqual({
      month: '2026-12',
      amount: '820.00元',
    });
    expect(
      at('notice.issued', { title: '拟调减或停止社会救助听取意见告知书', hearingId: 'h-1' }),
    ).toBeUndefined();
    expect(at('notice.issued', { title: '社会救助确认通知书' })?.template).toBe('noticeIssued');
    expect(at('task.decided', {})).toBeUndefined();
    expect(at('notification.sent', {})).toBeUndefined();
  });
});

describe('retries', () => {
  it('back off from 30 s, doubling, to 15 minutes: the queue’s ten receives span more than an hour', () => {
    const delays = Array.from({ length: 9 }, (_, i) => retryDelaySeconds(i + 1));
    expect(delays).toEqual([30, 60, 120, 240, 480, 900, 900, 900, 900]);
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThan(3600);
  });
});

describe('configuration', () => {
  it('quiet hours across midnight hold until 08:00 China time, and nothing outside them', () => {
    const config = { quietHours: { from: '21:00', to: '08:00' } } as never;
    expect(outsideQuietHours(config, new Date('2026-12-02T14:30:00+08:00'))).toBeUndefined();
    expect(outsideQuietHours(config, new Date('2026-12-02T22:30:00+08:00'))).toBe(
      new Date('2026-12-03T08:00:00+08:00').toISOString(),
    );
    expect(outsideQuietHours(config, new Date('2026-12-03T06:00:00+08:00'))).toBe(
      new Date('2026-12-03T08:00:00+08:00').toISOString(),
    );
  });

  it('an office falls back to its city’s, province’s, then the national robots', () => {
    const robot = (url: string) => [{ channel: 'wecom' as const, url }];
    const table = { '430100': robot('city'), '000000': robot('nation') };
    expect(robotsFor(table, '430121')[0]!.url).toBe('city');
    expect(robotsFor(table, '410122')[0]!.url).toBe('nation');
  });
});
