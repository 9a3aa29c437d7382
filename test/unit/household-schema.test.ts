/** The declaration schema speaks Chinese and names the field, for the API and the browser alike. */
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../shared/http.ts';
import { applicationRequest } from '../../shared/schemas/household.ts';
import { application } from '../support/households.ts';

const errorsOf = (body: unknown) => {
  const parsed = applicationRequest.safeParse(body);
  return parsed.success ? [] : fieldErrors(parsed.error);
};

describe('applicationRequest', () => {
  it('accepts the sample household', () => {
    expect(errorsOf(application())).toEqual([]);
  });

  it('says what is wrong with an age, in Chinese, at the member’s field', () => {
    const tooOld = application();
    tooOld.members[1]!.age = 200;
    expect(errorsOf(tooOld)).toEqual([{ field: 'members.1.age', message: '年龄不能超过130岁' }]);
    const negative = application();
    negative.members[1]!.age = -1;
    expect(errorsOf(negative)).toEqual([{ field: 'members.1.age', message: '年龄不能为负数' }]);
  });

  it('requires exactly one applicant, distinct ID numbers, the pledge and the consent', () => {
    const body = application({ pledge: false as never, verificationConsent: undefined as never });
    body.members[1] = { ...body.members[1]!, relation: 'self', idNumber: body.members[0]!.idNumber };
    const fields = errorsOf(body);
    expect(fields.map((f) => f.field).sort()).toEqual([
      'members',
      'members',
      'pledge',
      'verificationConsent',
    ]);
    expect(fields.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        '家庭成员中必须有且只有一名申请人本人（relation=self）',
        '家庭成员身份证号码重复',
      ]),
    );
  });

  it('rejects money below zero or with more than two decimals', () => {
    const body = application();
    body.assets.deposits = -1;
    body.spendingLast12Months.medical = 1.234;
    expect(errorsOf(body)).toEqual([
      { field: 'assets.deposits', message: '金额不能为负数' },
      { field: 'spendingLast12Months.medical', message: '金额最多保留两位小数' },
    ]);
  });
});
