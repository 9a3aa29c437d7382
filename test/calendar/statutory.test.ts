/**
 * The statutory holidays of 《全国年节及纪念日放假办法》 (as amended, in force 2025-01-01) for years whose
 * State Council arrangement is not loaded. 2027 and 2028 worked by hand from the lunar calendar:
 *  2027 除夕 2月5日, 春节 2月6日（正月初一）, 清明 4月5日, 端午 6月9日, 中秋 9月15日;
 *  2028 除夕 1月25日, 春节 1月26日, 清明 4月4日, 端午 5月28日, 中秋 10月3日 (the same day as 国庆's third).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledArrangementDays, chineseDaysYears, WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { festivalDays, statutoryHolidays } from '../../shared/calendar/statutory.ts';

const dates = (year: number) => statutoryHolidays(year).map((h) => `${h.date} ${h.name}`);

describe('statutory holidays', () => {
  it('are the thirteen days of the amended measures, lunar ones by the lunar calendar', () => {
    expect(dates(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
    expect(dates(2028)).toEqual([
      '2028-01-01 元旦',
      '2028-01-25 春节',
      '2028-01-26 春节',
      '2028-01-27 春节',
      '2028-01-28 春节',
      '2028-04-04 清明节',
      '2028-05-01 劳动节',
      '2028-05-02 劳动节',
      '2028-05-28 端午节',
      '2028-10-01 国庆节',
      '2028-10-02 国庆节',
      '2028-10-03 国庆节',
      '2028-10-03 中秋节',
    ]);
    // The rules of 2025 on; earlier years all come with the State Council's arrangements.
    expect(statutoryHolidays(2024)).toEqual([]);
  });

  it('put every festival of 2008–2026 on a day the State Council gave as a holiday (or a weekend in its run)', () => {
    const years = chineseDaysYears.filter((y) => y >= 2008);
    expect(years.length).toBeGreaterThanOrEqual(19);
    for (const year of years) {
      const holidays = new Set(bundledArrangementDays(year)!.holidays);
      for (const [festival, date] of Object.entries(festivalDays(year))) {
        const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
        expect(holidays.has(date) || weekend, `${year} ${festival} ${date}`).toBe(true);
      }
    }
  });

  it('do not depend on the time zone the process runs in', () => {
    const script = `import { statutoryHolidays } from ${JSON.stringify(join(import.meta.dirname, '../../shared/calendar/statutory.ts'))};
console.log(JSON.stringify([2027, 2030, 2050].map((y) => statutoryHolidays(y))));`;
    const run = (tz: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
    const here = JSON.stringify([2027, 2030, 2050].map((y) => statutoryHolidays(y)));
    for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'])
      expect(run(tz).trim()).toBe(here);
  });
});

describe('a deadline in a year whose arrangement is not loaded', () => {
  const calendar = new WorkingDayCalendar();

  it('never counts 1 January 2027 as a working day', () => {
    // Thursday 31 December 2026 + 1 working day: Friday 1 January is 元旦, then the weekend.
    expect(calendar.provisionalDeadline('2026-12-31', 1).deadline).toBe('2027-01-04');
  });

  it('rests on the statutory holidays and the weekends, provisionally', () => {
    const unknown = 2099;
    expect(calendar.knowsYear(unknown)).toBe(false);
    // 中秋 2099 is Tuesday 29 September and 国庆 Thursday 1 to Saturday 3 October: three working
    // days from Monday 28 September are Wednesday 30 September, Monday 5 and Tuesday 6 October.
    expect(statutoryHolidays(unknown).map((h) => h.date)).toContain('2099-09-29');
    expect(calendar.provisionalDeadline('2099-09-28', 3)).toEqual({
      deadline: '2099-10-06',
      provisional: true,
      assumedYears: [unknown],
    });
  });
});
