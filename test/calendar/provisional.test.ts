import { describe, expect, it } from 'vitest';
import { UnknownCalendarYearError, WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { statutoryHolidays } from '../../shared/calendar/statutory.ts';

describe('provisionalDeadline', () => {
  const calendar = new WorkingDayCalendar();
  const lastKnown = Math.max(...calendar.knownYears);

  it('equals deadline, not provisional, where every year is known', () => {
    expect(calendar.provisionalDeadline('2026-09-30', 3)).toEqual({
      deadline: calendar.deadline('2026-09-30', 3),
      provisional: false,
      assumedYears: [],
    });
  });

  it('counts the weekdays that are not statutory holidays in an unknown year, and says which year it assumed', () => {
    const from = `${lastKnown}-12-31`;
    expect(() => calendar.deadline(from, 5)).toThrow(UnknownCalendarYearError);
    const result = calendar.provisionalDeadline(from, 5);
    expect(result.provisional).toBe(true);
    expect(result.assumedYears).toEqual([lastKnown + 1]);
    // Five weekdays after the 31st that are not statutory holidays (元旦 among them).
    const day = new Date(`${result.deadline}T00:00:00Z`);
    expect(day.getUTCFullYear()).toBe(lastKnown + 1);
    expect([1, 2, 3, 4, 5]).toContain(day.getUTCDay());
    let weekdays = 0;
    for (let d = new Date(`${from}T00:00:00Z`); d < day; ) {
      d = new Date(d.getTime() + 86_400_000);
      const holiday = statutoryHolidays(lastKnown + 1).some((h) => h.date === d.toISOString().slice(0, 10));
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !holiday) weekdays++;
    }
    expect(weekdays).toBe(5);
  });

  it('stops being provisional once the year is loaded', () => {
    const year = lastKnown + 1;
    const loaded = calendar.withArrangements({
      year,
      source: '测试',
      holidays: [{ name: '元旦', from: `${year}-01-01`, to: `${year}-01-01` }],
    });
    const result = loaded.provisionalDeadline(`${lastKnown}-12-31`, 5);
    expect(result.provisional).toBe(false);
    expect(result.deadline).toBe(loaded.deadline(`${lastKnown}-12-31`, 5));
  });
});
