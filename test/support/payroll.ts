/** The payroll as tests play it: cases owed, accounts registered, the bank's return. */
import { expect } from 'vitest';
import { addMonthsToMonth, chinaMonth } from '../../shared/domain/lifecycle.ts';
import { luhnValid } from '../../shared/domain/payee.ts';
import { simulatedReturn } from '../../shared/payroll-files.ts';
import { parametersFor } from '../../shared/repositories/parameters.ts';
import { recordBenefitPeriod } from '../../shared/repositories/payments.ts';
import { actors } from './actors.ts';
import { application } from './households.ts';
import { lifecycleHelpers } from './lifecycle.ts';
import type { useRuntime } from './runtime.ts';

/** A 19-digit card number whose check digit passes. */
export function validCard(serial = 1): string {
  const body = `62284800${String(serial).padStart(10, '0')}`;
  return `${body}${[...Array(10).keys()].find((d) => luhnValid(`${body}${d}`))!}`;
}

export function payrollHelpers(runtime: ReturnType<typeof useRuntime>) {
  const lc = lifecycleHelpers(runtime);
  return {
    /**
     * A 低保 case determined on `decidedAt`, its benefit period recorded as the determination records it
     * (from the next month), at the amount and under the parameter version of that day.
     */
    async determinedCase(decidedAt: string) {
      const declaration = application();
      const seeded = await lc.seedApprovedCase(declaration);
      const parameters = await parametersFor('430121', 'urban', decidedAt.slice(0, 10));
      await recordBenefitPeriod({
        caseId: seeded.caseId,
        cause: 'determination',
        from: addMonthsToMonth(chinaMonth(new Date(decidedAt)), 1),
        status: 'active',
        tier: seeded.tier,
        monthlyAmount: seeded.monthlyAmount,
        decidedAt,
        ref: seeded.applicationId,
        regionCode: '430121',
        residence: 'urban',
        parameterVersion: parameters.version,
      });
      return { ...seeded, declaration };
    },

    /** A valid card (its check digit computed) registered as the household's account. */
    async registerAccount(caseId: string, serial = 1) {
      const registered = await runtime.api(
        `/cases/${caseId}/payee-account`,
        {
          method: 'PUT',
          body: JSON.stringify({
            kind: 'bankCard',
            bankName: '中国农业银行长沙县支行',
            accountNumber: validCard(serial),
            accountName: '张三',
          }),
        },
        actors.township,
      );
      expect(registered.status, JSON.stringify(registered.body)).toBe(200);
      return registered.body;
    },
  };
}

/** The bank's return for a bank file's lines (see `simulatedReturn`). */
export const returnFile = (bankLines: string[], failed: Record<string, string> = {}): string =>
  simulatedReturn(bankLines.join('\n'), failed);
