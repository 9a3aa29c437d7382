import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter, isValidIdNumber, maskIdNumber } from '../../shared/domain/id-number.ts';

describe('GB 11643 ID numbers', () => {
  it('computes the check character of the standard’s worked example', () => {
    // GB 11643-1999 附录 example: 11010519491231002X.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects every single-digit change of a valid number', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}$/),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (first17, pos, delta) => {
          const valid = first17 + idCheckCharacter(first17);
          expect(isValidIdNumber(valid)).toBe(true);
          const digit = (Number(valid[pos]) + delta) % 10;
          const changed = valid.slice(0, pos) + digit + valid.slice(pos + 1);
          expect(isValidIdNumber(changed)).toBe(false);
        },
      ),
    );
  });

  it('masks all but the region and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('short')).toBe('******');
  });
});
