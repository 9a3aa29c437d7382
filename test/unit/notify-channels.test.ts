/** Notification channels against the local outbox: real HTTP, real signatures, no mocks. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Outbox, startOutbox } from '../../local/outbox.ts';
import {
  type OutgoingMessage,
  PermanentDeliveryError,
  type RobotConfig,
  type SmsConfig,
  send,
  type Target,
  TransientDeliveryError,
} from '../../shared/notify/channels.ts';

const SMS_SECRET = 'sms-secret-for-tests';
const ROBOT_SECRET = 'SECrobot-secret-for-tests';

let outbox: Outbox;
beforeAll(async () => {
  outbox = await startOutbox({ smsSecret: SMS_SECRET, robotSecret: ROBOT_SECRET });
});
afterAll(() => outbox.stop());
beforeEach(() => outbox.clear());

let nextId = 0;
const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: `delivery-${++nextId}`,
  templateId: 'decision-issued',
  text: '【兜底】张某某户的低保申请已作出决定，请于三个工作日内送达决定书。',
  params: { name: '张某某', decision: '批准' },
  ...overrides,
});

const smsConfig = (overrides: Partial<SmsConfig> = {}): SmsConfig => ({
  endpoint: outbox.smsEndpoint,
  secret: SMS_SECRET,
  templates: { 'decision-issued': 'SMS_900001' },
  ...overrides,
});
const smsTo = (phone: string, config = smsConfig()): Target => ({ channel: 'sms', phone, config });
const robot = (channel: 'dingtalk' | 'wecom', overrides: Partial<RobotConfig> = {}): Target => ({
  channel,
  config: {
    channel,
    url: outbox.robotUrl(channel, '城关镇救助组'),
    ...(channel === 'dingtalk' ? { secret: ROBOT_SECRET } : {}),
    ...overrides,
  },
});

/** The error a send fails with; the test fails if the send succeeds. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('delivery', () => {
  it('sends an SMS with the gateway template the template id maps to, and answers its receipt', async () => {
    const msg = message();
    const receipt = await send(smsTo('13800138000'), msg);

    expect(receipt.channel).toBe('sms');
    const [record, ...more] = outbox.records();
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      channel: 'sms',
      to: '13800138000',
      templateId: 'SMS_900001',
      params: { name: '张某某', decision: '批准' },
      messageId: msg.id,
    });
    expect(receipt.receiptId).toBe(record!.receiptId);
    expect(receipt.receiptId).toMatch(/^sms-\d+$/);
    // SMS carries a template and parameters, never free text.
    expect(record!.text).toBeUndefined();
  });

  it('posts the text to a DingTalk robot, signed', async () => {
    const msg = message();
    const receipt = await send(robot('dingtalk'), msg);

    expect(receipt).toMatchObject({ channel: 'dingtalk', receiptId: null });
    expect(outbox.records()).toMatchObject([{ channel: 'dingtalk', to: '城关镇救助组', text: msg.text }]);
  });

  it('posts the text to a WeCom robot, and stamps the receipt with the clock it is given', async () => {
    const msg = message();
    const receipt = await send(robot('wecom'), msg, () => Date.parse('2026-12-02T02:00:00Z'));

    expect(receipt).toEqual({ channel: 'wecom', receiptId: null, acceptedAt: '2026-12-02T02:00:00.000Z' });
    expect(outbox.records()).toMatchObject([{ channel: 'wecom', to: '城关镇救助组', text: msg.text }]);
  });

  it('@-mentions members by their account on each platform: DingTalk at.atUserIds and @ in the text, WeCom mentioned_list', async () => {
    const msg = message({ mentions: ['zhang-01', 'li.02'] });
    await send(robot('dingtalk'), msg);
    await send(robot('wecom'), msg);
    expect(outbox.records()).toMatchObject([
      { channel: 'dingtalk', text: `${msg.text}\n@zhang-01 @li.02`, mentions: ['zhang-01', 'li.02'] },
      { channel: 'wecom', text: msg.text, mentions: ['zhang-01', 'li.02'] },
    ]);
    // None to mention: the text as it is, no list.
    outbox.clear();
    await send(robot('dingtalk'), message({ mentions: [] }));
    expect(outbox.records()[0]!.mentions).toBeUndefined();
  });

  it('sends a delivery id twice to the SMS gateway once: one record, the same receipt', async () => {
    const msg = message();
    const first = await send(smsTo('13800138000'), msg);
    const second = await send(smsTo('13800138000'), msg);

    expect(second.receiptId).toBe(first.receiptId);
    expect(outbox.records()).toHaveLength(1);
  });
});

describe('signatures', () => {
  it('a DingTalk robot refuses a message signed with the wrong secret: permanent, nothing posted', async () => {
    const error = await failure(send(robot('dingtalk', { secret: 'SECwrong' }), message()));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'rejected', code: '310000' });
    expect(outbox.records()).toEqual([]);
  });

  it('a DingTalk robot without its token is refused as a configuration fault', async () => {
    const error = await failure(
      send(robot('dingtalk', { url: `${outbox.url}/dingtalk/城关镇救助组?access_token=other` }), message()),
    );
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', reason: 'rejected', code: '300001' });
  });

  it('the SMS gateway answers a wrong signature 401, which is permanent', async () => {
    const error = await failure(send(smsTo('13800138000', smsConfig({ secret: 'wrong' })), message()));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'rejected', code: 'BAD_SIGNATURE' });
    expect(outbox.records()).toEqual([]);
  });

  it('the SMS gateway refuses a stale timestamp unless told not to check', async () => {
    const longAgo = () => Date.now() - 60 * 60_000;
    const error = await failure(send(smsTo('13800138000'), message(), longAgo));
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', code: 'STALE_TIMESTAMP' });

    const lenient = await startOutbox({
      smsSecret: SMS_SECRET,
      robotSecret: ROBOT_SECRET,
      checkTimestamp: false,
    });
    try {
      const target = smsTo('13800138000', smsConfig({ endpoint: lenient.smsEndpoint }));
      expect((await send(target, message(), longAgo)).receiptId).toBe('sms-1');
      expect(lenient.records()).toHaveLength(1);
    } finally {
      await lenient.stop();
    }
  });
});

describe('transient failures', () => {
  it('a 5xx is transient and carries the status, on every channel', async () => {
    outbox.fail('5xx', 3);
    for (const target of [smsTo('13800138000'), robot('dingtalk'), robot('wecom')]) {
      const error = await failure(send(target, message()));
      expect(error).toBeInstanceOf(TransientDeliveryError);
      expect((error as TransientDeliveryError).status).toBe(503);
    }
    expect(outbox.records()).toEqual([]);
  });

  it('no answer within timeoutMs is transient; the next attempt goes through', async () => {
    outbox.fail('timeout');
    const msg = message();
    const error = await failure(send(smsTo('13800138000', smsConfig({ timeoutMs: 200 })), msg));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toContain('200 毫秒内无应答');
    expect(outbox.records()).toEqual([]);

    await send(smsTo('13800138000', smsConfig({ timeoutMs: 200 })), msg);
    expect(outbox.records()).toHaveLength(1);
  });

  it('a robot that says "too fast" is transient: DingTalk 130101, WeCom 45009; SMS 429', async () => {
    outbox.fail('throttled', 3);
    for (const target of [robot('dingtalk'), robot('wecom'), smsTo('13800138000')])
      expect(await failure(send(target, message()))).toBeInstanceOf(TransientDeliveryError);
    expect(outbox.records()).toEqual([]);
  });

  it('a gateway that cannot be reached is transient', async () => {
    const gone = await startOutbox({ smsSecret: SMS_SECRET, robotSecret: ROBOT_SECRET });
    await gone.stop();
    const error = await failure(
      send(smsTo('13800138000', smsConfig({ endpoint: gone.smsEndpoint })), message()),
    );
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).status).toBeUndefined();
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('permanent failures', () => {
  it('a number the gateway knows to be invalid is permanent: invalidNumber', async () => {
    const error = await failure(send(smsTo('19990000000'), message()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'invalidNumber', code: 'INVALID_NUMBER' });

    outbox.fail('invalidNumber');
    expect(await failure(send(smsTo('13800138000'), message()))).toMatchObject({ reason: 'invalidNumber' });
    expect(outbox.records()).toEqual([]);
  });

  it('an unsubscribed number is permanent: unsubscribed', async () => {
    outbox.fail('unsubscribed');
    const error = await failure(send(smsTo('13800138000'), message()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'unsubscribed', code: 'UNSUBSCRIBED' });
  });

  it('a template with no gateway template is rejected before anything is sent', async () => {
    // A staged 5xx that the rejected send leaves in place proves no request reached the gateway.
    outbox.fail('5xx');
    const error = await failure(send(smsTo('13800138000'), message({ templateId: 'no-such-template' })));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'rejected', code: 'NO_TEMPLATE' });
    expect(error.message).toContain('no-such-template');

    expect(await failure(send(smsTo('13800138000'), message()))).toMatchObject({ status: 503 });
    expect(outbox.records()).toEqual([]);
  });

  it('a malformed phone number is rejected as invalid without a request', async () => {
    outbox.fail('5xx');
    expect(await failure(send(smsTo('1380013800'), message()))).toMatchObject({
      name: 'PermanentDeliveryError',
      reason: 'invalidNumber',
    });
    expect(await failure(send(smsTo('13800138000'), message()))).toMatchObject({ status: 503 });
  });

  it('a WeCom url without a robot key is refused: 93000, permanent', async () => {
    const error = await failure(send(robot('wecom', { url: `${outbox.url}/wecom/send` }), message()));
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', reason: 'rejected', code: '93000' });
  });

  it('a robot configured for the other platform is refused before anything is sent', async () => {
    const target: Target = {
      channel: 'wecom',
      config: { channel: 'dingtalk', url: outbox.robotUrl('wecom', 'x') },
    };
    const error = await failure(send(target, message()));
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', code: 'CHANNEL_MISMATCH' });
    expect(outbox.records()).toEqual([]);
  });
});
