/**
 * The State Council arrangements used below, as carried by chinese-days 1.5.7:
 *  2025 春节 1月28日（周二）至2月4日（周二）放假，1月26日（周日）、2月8日（周六）上班;
 *  2025 国庆节、中秋节 10月1日（周三）至8日（周三）放假，9月28日（周日）、10月11日（周六）上班;
 *  2026 春节 2月15日（周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班;
 *  2026 国庆节 10月1日（周四）至7日（周三）放假，9月20日（周日）、10月10日（周六）上班.
 */
import { isWorkday } from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnnualArrangementInput,
  annualArrangementSchema,
  arrangementFromRequest,
  CalendarYearMismatchError,
  chineseDaysYears,
  InvalidDateError,
  UnknownCalendarYearError,
  WorkingDayCalendar,
} from '../../shared/calendar/index.ts';

const calendar = new WorkingDayCalendar();

/** A made-up arrangement for a year chinese-days does not know. 2027-01-01 is a Friday. */
const madeUp2027: AnnualArrangementInput = {
  year: 2027,
  source: '测试用虚构安排（非国务院通知）',
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-11' },
  ],
  adjustedWorkdays: [{ name: '春节', date: '2027-02-13' }],
};

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
};

describe('years known from chinese-days', () => {
  it('runs from 2004 to 2026 in the installed chinese-days', () => {
    expect(chineseDaysYears[0]).toBe(2004);
    expect(chineseDaysYears.at(-1)).toBe(2026);
    expect(calendar.knownYears).toEqual(chineseDaysYears);
  });

  it('agrees with chinese-days itself on every day it knows', () => {
    const disagreements = days('2004-01-01', '2026-12-31').filter(
      (d) => calendar.isWorkingDay(d) !== isWorkday(d),
    );
    expect(disagreements).toEqual([]);
  });
});

describe('Spring Festival', () => {
  it('2025: rest 1月28日–2月4日, work Sunday 1月26日 and Saturday 2月8日', () => {
    for (const d of days('2025-01-28', '2025-02-04')) expect(calendar.isWorkingDay(d), d).toBe(false);
    expect(calendar.describe('2025-01-26')).toMatchObject({
      workingDay: true,
      kind: 'adjustedWorkday',
      name: '春节',
    });
    expect(calendar.describe('2025-02-08')).toMatchObject({ workingDay: true, kind: 'adjustedWorkday' });
    expect(calendar.describe('2025-01-25')).toMatchObject({ workingDay: false, kind: 'weekend' });
    expect(calendar.describe('2025-01-29')).toMatchObject({
      workingDay: false,
      kind: 'holiday',
      name: '春节',
    });
    expect(calendar.describe('2025-02-05')).toMatchObject({ workingDay: true, kind: 'workday', name: null });
  });

  it('2025: "within 3 working days" of Friday 1月24日 ends 2月5日', () => {
    // Not counting the 24th: 25th Saturday rest; 26th Sunday adjusted workday (1); 27th Monday (2);
    // 28th–4th holiday; 5th Wednesday (3).
    expect(calendar.deadline('2025-01-24', 3)).toBe('2025-02-05');
    expect(calendar.deadline('2025-01-24', 1)).toBe('2025-01-26');
    // From 2月7日 (Friday): Saturday 8th is an adjusted workday (1), Monday 10th (2).
    expect(calendar.deadline('2025-02-07', 2)).toBe('2025-02-10');
  });

  it('2026: rest 2月15日–23日, work Saturdays 2月14日 and 2月28日', () => {
    for (const d of days('2026-02-15', '2026-02-23')) expect(calendar.isWorkingDay(d), d).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-21')).toBe(false);
    // Friday 13th + 1 → Saturday 14th; + 2 → Tuesday 24th, across the whole holiday.
    expect(calendar.deadline('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.deadline('2026-02-13', 2)).toBe('2026-02-24');
    // 10 working days from 2月12日: 13, 14(Sat), 24, 25, 26, 27, 28(Sat), 3/2, 3/3, 3/4.
    expect(calendar.deadline('2026-02-12', 10)).toBe('2026-03-04');
  });
});

describe('National Day', () => {
  it('2025: rest 10月1日–8日, work Sunday 9月28日 and Saturday 10月11日', () => {
    for (const d of days('2025-10-01', '2025-10-08')) expect(calendar.isWorkingDay(d), d).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-09-27')).toBe(false);
    // Friday 9月26日 + 1 → Sunday 28th (adjusted); from Tuesday 30th + 3 → 9th, 10th, Saturday 11th.
    expect(calendar.deadline('2025-09-26', 1)).toBe('2025-09-28');
    expect(calendar.deadline('2025-09-30', 3)).toBe('2025-10-11');
  });

  it('2026: rest 10月1日–7日, work Sunday 9月20日 and Saturday 10月10日', () => {
    for (const d of days('2026-10-01', '2026-10-07')) expect(calendar.isWorkingDay(d), d).toBe(false);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.deadline('2026-09-18', 1)).toBe('2026-09-20');
    expect(calendar.deadline('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.deadline('2026-09-30', 3)).toBe('2026-10-10');
  });
});

describe('counting convention', () => {
  it('does not count the day of the event', () => {
    // Monday 2025-03-03 + 1 → Tuesday; a Friday + 1 → Monday; a Saturday + 1 → Monday.
    expect(calendar.deadline('2025-03-03', 1)).toBe('2025-03-04');
    expect(calendar.deadline('2025-03-07', 1)).toBe('2025-03-10');
    expect(calendar.deadline('2025-03-08', 1)).toBe('2025-03-10');
    expect(calendar.workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(calendar.workingDaysBetween('2025-03-07', '2025-03-10')).toBe(1);
  });

  it('moves a calendar-day period ending on a rest day to the next working day (公示7天)', () => {
    // 2025-09-26 + 7 days = 10月3日, in the holiday → 10月9日.
    expect(calendar.calendarDayDeadline('2025-09-26', 7)).toBe('2025-10-09');
    // 2026-02-09 + 7 = 2月16日 (春节) → 2月24日; 2025-03-03 + 7 = Monday 3月10日 stays.
    expect(calendar.calendarDayDeadline('2026-02-09', 7)).toBe('2026-02-24');
    expect(calendar.calendarDayDeadline('2025-03-03', 7)).toBe('2025-03-10');
    // Ending on an adjusted Saturday stays there: 2026-02-07 + 7 = 2月14日.
    expect(calendar.calendarDayDeadline('2026-02-07', 7)).toBe('2026-02-14');
  });

  it('counts backwards and rolls forward consistently', () => {
    expect(calendar.addWorkingDays('2025-02-05', -3)).toBe('2025-01-24');
    expect(calendar.addWorkingDays('2025-02-05', 0)).toBe('2025-02-05');
    expect(calendar.addWorkingDays('2025-02-01', 0)).toBe('2025-02-05');
    expect(calendar.rollForward('2026-10-01')).toBe('2026-10-08');
    expect(calendar.workingDaysBetween('2025-02-05', '2025-01-24')).toBe(-3);
  });

  it('holds for random dates and counts: the result is a working day n working days later', () => {
    // Far enough from both ends that 60 working days back or 100 forward stay in known years.
    const dayArb = fc.integer({ min: Date.UTC(2004, 5, 1), max: Date.UTC(2026, 5, 30) }).map((ms) => {
      const d = new Date(ms);
      return d.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -60, max: 100 }), (from, n) => {
        const to = calendar.addWorkingDays(from, n);
        expect(calendar.isWorkingDay(to)).toBe(true);
        if (n !== 0) expect(calendar.workingDaysBetween(from, to)).toBe(n);
        if (n > 0) {
          expect(to > from).toBe(true);
          expect(calendar.addWorkingDays(from, n + 1) > to).toBe(true);
          expect(calendar.deadline(from, n)).toBe(to);
        }
        if (n < 0) expect(to < from).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects invalid dates and counts', () => {
    expect(() => calendar.isWorkingDay('2025-02-30')).toThrow(InvalidDateError);
    expect(() => calendar.isWorkingDay('2025/01/01')).toThrow(InvalidDateError);
    expect(() => calendar.deadline('2025-01-01', -1)).toThrow(RangeError);
    expect(() => calendar.deadline('2025-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('unknown years', () => {
  it('refuses to guess a year whose arrangement it lacks', () => {
    expect(() => calendar.isWorkingDay('2027-03-01')).toThrow(UnknownCalendarYearError);
    expect(() => calendar.isWorkingDay('2003-05-01')).toThrow(UnknownCalendarYearError);
    try {
      // 2026-12-30 + 3: 31st (1), then 2027-01-01 is unknown.
      calendar.deadline('2026-12-30', 3);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownCalendarYearError);
      expect((e as UnknownCalendarYearError).year).toBe(2027);
      expect((e as Error).message).toContain('2027年的节假日安排尚未载入');
    }
    expect(calendar.deadline('2026-12-30', 1)).toBe('2026-12-31');
  });

  it('computes across the year once an arrangement is loaded as data', () => {
    const loaded = calendar.withArrangements(madeUp2027);
    // 12-31 Thursday (1); 1-1 … 1-3 holiday; Monday 1-4 (2); Tuesday 1-5 (3).
    expect(loaded.deadline('2026-12-30', 3)).toBe('2027-01-05');
    expect(loaded.describe('2027-02-13')).toMatchObject({
      workingDay: true,
      kind: 'adjustedWorkday',
      source: '测试用虚构安排（非国务院通知）',
    });
    expect(loaded.isWorkingDay('2027-02-08')).toBe(false);
    expect(loaded.knownYears.at(-1)).toBe(2027);
    // The original calendar is unchanged.
    expect(calendar.knowsYear(2027)).toBe(false);
    expect(() => loaded.isWorkingDay('2028-01-03')).toThrow(UnknownCalendarYearError);
  });

  it('lets a loaded arrangement replace chinese-days for its year, the latest load winning', () => {
    const corrected = new WorkingDayCalendar([
      { year: 2026, source: '第一版', holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-02' }] },
      { year: 2026, source: '更正版', holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-03' }] },
    ]);
    expect(corrected.isWorkingDay('2026-10-05')).toBe(true);
    expect(corrected.isWorkingDay('2026-09-20')).toBe(false); // the Sunday is no longer an adjusted workday
    expect(corrected.isWorkingDay('2026-02-16')).toBe(true); // the Spring Festival was not in this version
    expect(corrected.describe('2026-10-02').source).toBe('更正版');
    expect(corrected.loadedArrangements).toHaveLength(1);
    expect(corrected.describe('2025-10-02')).toMatchObject({ workingDay: false, source: 'chinese-days' });
  });
});

describe('annualArrangementSchema (PUT /admin/calendar/{year})', () => {
  const issues = (b: unknown) => {
    const r = annualArrangementSchema.safeParse(b);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a well-formed arrangement', () => {
    expect(issues(madeUp2027)).toEqual([]);
    expect(arrangementFromRequest(2027, madeUp2027).year).toBe(2027);
  });

  it('names the offending field', () => {
    expect(issues({ ...madeUp2027, adjustedWorkdays: [{ name: '春节', date: '2027-02-10' }] })).toEqual([
      'adjustedWorkdays.0.date: 调休上班日应为星期六或星期日',
      'adjustedWorkdays.0.date: 调休上班日不能同时是放假日',
    ]);
    expect(
      issues({ ...madeUp2027, holidays: [{ name: '国庆节', from: '2028-10-01', to: '2028-10-07' }] }),
    ).toEqual(['holidays.0: 放假日期应在2027年内（元旦可含上年12月）']);
    expect(
      issues({ ...madeUp2027, holidays: [{ name: '春节', from: '2027-02-11', to: '2027-02-05' }] })[0],
    ).toBe('holidays.0.to: 放假结束日期早于开始日期');
    expect(issues({ ...madeUp2027, source: '' })[0]).toBe('source: 须注明安排依据');
    expect(issues({ ...madeUp2027, holidays: [] })[0]).toBe('holidays: 至少包含一个放假时段');
    expect(
      issues({ ...madeUp2027, holidays: [{ name: '元旦', from: '2027-1-1', to: '2027-01-01' }] })[0],
    ).toMatch(/^holidays\.0\.from: /);
  });

  it('allows the December before, as a New Year arrangement may need', () => {
    // 2011-12-31 (a Saturday) was a working day under the 2012 arrangement.
    const a = {
      year: 2012,
      source: '示例',
      holidays: [{ name: '元旦', from: '2012-01-01', to: '2012-01-03' }],
      adjustedWorkdays: [{ name: '元旦', date: '2011-12-31' }],
    };
    expect(issues(a)).toEqual([]);
  });

  it('reports, never throws, whatever the body holds', () => {
    for (const body of [
      null,
      42,
      {},
      { ...madeUp2027, year: 99_999 },
      { ...madeUp2027, year: 'x' },
      { ...madeUp2027, adjustedWorkdays: [{ name: '春节', date: 7 }] },
    ]) {
      expect(annualArrangementSchema.safeParse(body).success).toBe(false);
    }
  });

  it('checks the path year against the body', () => {
    expect(() => arrangementFromRequest(2028, madeUp2027)).toThrow(CalendarYearMismatchError);
  });
});
