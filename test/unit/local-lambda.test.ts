/** The local runtime's Lambda context: AWS's timeout, stretched only where the suite says so. */
import { describe, expect, it } from 'vitest';
import { type FunctionDefinition, functions, timeoutOf } from '../../functions/catalog.ts';
import { lambdaContext, timeoutScale } from '../../local/lambda.ts';

describe('DOUDI_TIMEOUT_SCALE', () => {
  it('is 1 unset, a number of at least 1 when set, and refused otherwise', () => {
    expect(timeoutScale(undefined)).toBe(1);
    expect(timeoutScale('')).toBe(1);
    expect(timeoutScale('6')).toBe(6);
    expect(timeoutScale('1.5')).toBe(1.5);
    for (const bad of ['0', '0.5', '-1', 'long', 'Infinity'])
      expect(() => timeoutScale(bad)).toThrow(RangeError);
  });

  it("stretches the catalog's timeout in the handler's context, and nothing else", () => {
    const saved = process.env.DOUDI_TIMEOUT_SCALE;
    try {
      for (const scale of ['', '6']) {
        process.env.DOUDI_TIMEOUT_SCALE = scale;
        const expected =
          timeoutOf(functions.submitApplication as FunctionDefinition) * (scale ? 6 : 1) * 1000;
        const remaining = lambdaContext('submitApplication').getRemainingTimeInMillis();
        expect(remaining).toBeLessThanOrEqual(expected);
        expect(remaining).toBeGreaterThan(expected - 5_000);
      }
    } finally {
      process.env.DOUDI_TIMEOUT_SCALE = saved;
    }
  });
});
