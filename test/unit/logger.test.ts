/** Log lines never carry personal data whole (issue 7.2). */
import { describe, expect, it } from 'vitest';
import { MaskingLogFormatter, maskText } from '../../shared/logger.ts';

const ID = '430121198001010117';

describe('the masking log formatter', () => {
  it('masks ID numbers inside any text, keeping region and last four', () => {
    expect(maskText(`身份证 ${ID} 校验失败`)).toBe('身份证 430121********0117 校验失败');
    expect(maskText('no id here: 12345')).toBe('no id here: 12345');
  });

  it('masks bank card and account numbers inside any text, keeping the first and last four', () => {
    expect(maskText('卡号 6228480012345678903 校验失败')).toBe('卡号 6228********8903 校验失败');
    expect(maskText('账户 622202020011')).toBe('账户 6222********0011');
    expect(maskText('amount 12345678901')).toBe('amount 12345678901');
  });

  it('masks sensitive keys, ID numbers in messages, attributes and errors', () => {
    const item = new MaskingLogFormatter()
      .formatAttributes(
        {
          logLevel: 'ERROR',
          message: `means test failed for ${ID}`,
          timestamp: new Date('2026-11-30T00:00:00Z'),
          serviceName: 'doudi',
          sampleRateValue: 0,
        } as never,
        {
          applicationId: 'app-1',
          members: [{ name: '张三', idNumber: ID }],
          detail: { severeIllness: true, note: `held by ${ID}` },
          error: new Error(`duplicate ${ID}`),
        },
      )
      .getAttributes();
    const line = JSON.stringify(item);
    expect(line).not.toContain(ID);
    expect(line).not.toContain('张三');
    expect(item.message).toBe('means test failed for 430121********0117');
    expect(item.applicationId).toBe('app-1');
    expect(item.members).toBe('***');
    expect((item.detail as Record<string, unknown>).severeIllness).toBe('***');
    expect((item.error as { message: string }).message).toBe('duplicate 430121********0117');
  });
});
