/**
 * A member's death triggers a recheck within the region's months, 3 unless set (docs/architecture.md
 * §7): the dates, and which cases it concerns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/dates.ts';
import { addMonths, deathRecheckDue, deathTriggersRecheck } from '../../shared/domain/lifecycle.ts';
import { fieldErrors } from '../../shared/http.ts';
import { DEFAULT_DEATH_RECHECK_MONTHS, parameterValuesSchema } from '../../shared/parameters/index.ts';
import { baseValues } from '../rules/fixtures.ts';

describe('the recheck after a death', () => {
  it('is due 3 calendar months after the date of death', () => {
    expect(DEFAULT_DEATH_RECHECK_MONTHS).toBe(3);
    expect(deathRecheckDue('2026-08-01', '2026-08-20', 3)).toEqual({
      deadline: '2026-11-01',
      due: '2026-11-01',
    });
    // Clamped to the month's last day, as every month count is.
    expect(deathRecheckDue('2026-11-30', '2026-12-01', 3)).toEqual({
      deadline: '2027-02-28',
      due: '2027-02-28',
    });
    expect(deathRecheckDue('2027-11-30', '2027-12-01', 3).deadline).toBe('2028-02-29');
    expect(deathRecheckDue('2026-12-15', '2026-12-15', 3).deadline).toBe('2027-03-15');
  });

  it('is due at once when the death is reported after the 3 months', () => {
    expect(deathRecheckDue('2026-01-10', '2026-05-20', 3)).toEqual({
      deadline: '2026-04-10',
      due: '2026-05-20',
    });
    // On the last day itself, the deadline.
    expect(deathRecheckDue('2026-01-10', '2026-04-10', 3)).toEqual({
      deadline: '2026-04-10',
      due: '2026-04-10',
    });
  });

  it('is never after the deadline unless that has passed, and never before today', () => {
    const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 12 }),
        (death, late, months) => {
          const today = addDays(death, late);
          const { deadline, due } = deathRecheckDue(death, today, months);
          expect(deadline).toBe(addMonths(death, months));
          expect(due >= today).toBe(true);
          expect(due > death).toBe(true);
          expect(due).toBe([deadline, today].sort().at(-1));
        },
      ),
    );
  });

  it('concerns a case in assistance whose tier is rechecked', () => {
    for (const tier of ['dibao', 'singlePersonDibao', 'tekun', 'marginal'])
      expect(deathTriggersRecheck({ tier }), tier).toBe(true);
    expect(deathTriggersRecheck({ tier: 'dibao', status: 'active' })).toBe(true);
    // A 刚性支出 recognition lapses at its end rather than being rechecked: brought forward, it would end early.
    expect(deathTriggersRecheck({ tier: 'rigidExpense' })).toBe(false);
    expect(deathTriggersRecheck({ tier: 'relapseWatch' })).toBe(false);
    expect(deathTriggersRecheck({})).toBe(false);
    for (const status of ['gradualExit', 'exited', 'terminated', 'lapsed'])
      expect(deathTriggersRecheck({ tier: 'dibao', status }), status).toBe(false);
    expect(deathTriggersRecheck({ tier: 'dibao', kind: 'emergency' })).toBe(false);
  });
});

describe('the period as a regional parameter', () => {
  const timeLimits = parameterValuesSchema.shape.timeLimits;
  const { deathRecheckMonths: _d, ...withoutPeriod } = baseValues.timeLimits;

  it('is 3 months where a version does not set it, and what a version sets up to 12', () => {
    expect(timeLimits.parse(withoutPeriod).deathRecheckMonths).toBe(3);
    expect(timeLimits.parse({ ...withoutPeriod, deathRecheckMonths: 6 }).deathRecheckMonths).toBe(6);
    const tooLong = timeLimits.safeParse({ ...withoutPeriod, deathRecheckMonths: 13 });
    expect(tooLong.success).toBe(false);
    expect(fieldErrors(tooLong.error!)).toEqual([
      { field: 'deathRecheckMonths', message: '家庭成员死亡后的核查期限不应超过12个月' },
    ]);
  });
});
