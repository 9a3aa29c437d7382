/**
 * The statutory holidays of 《全国年节及纪念日放假办法》 as amended in 2024 (in force 2025-01-01), for a
 * year whose State Council arrangement is not loaded: the days the measures give every citizen, with
 * no 调休 (the arrangement that moves working days around them comes only with the State Council's
 * notice, as data):
 *   元旦 1 January · 春节 除夕 and 正月初一至初三 (4 days) · 清明 (the solar term's day) · 劳动节 1–2 May ·
 *   端午 (五月初五) · 中秋 (八月十五) · 国庆 1–3 October.
 *
 * Lunar dates come from the lunar table that `chinese-days` carries (1900–2100), asked with local
 * dates, which its conversion reads in the process's time zone whatever that is; 清明 from the
 * solar-term formula for 2000–2099 (the day ⌊0.2422·Y + 4.81⌋ − ⌊Y/4⌋ of April, Y the year's last
 * two digits). Years before 2025 had other rules and all have arrangements in the package's data;
 * a year after 2099 gets the fixed-date holidays only.
 */
import chineseDays from 'chinese-days';

export interface StatutoryHoliday {
  date: string;
  name: string;
}

const iso = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The solar date of a lunar date of `year` (never a leap month). */
function fromLunar(year: number, month: number, day: number): string {
  return chineseDays.getSolarDateFromLunar(new Date(year, month - 1, day)).date;
}

/** The day before `date` (ISO). */
function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The year's lunar and solar-term festival days (2000–2099): 春节 (正月初一), 清明, 端午, 中秋. */
export function festivalDays(year: number): {
  springFestival: string;
  qingming: string;
  dragonBoat: string;
  midAutumn: string;
} {
  if (!(Number.isSafeInteger(year) && year >= 2000 && year <= 2099))
    throw new RangeError(`仅支持2000–2099年：${year}`);
  const y = year % 100;
  return {
    springFestival: fromLunar(year, 1, 1),
    qingming: iso(year, 4, Math.floor(0.2422 * y + 4.81) - Math.floor(y / 4)),
    dragonBoat: fromLunar(year, 5, 5),
    midAutumn: fromLunar(year, 8, 15),
  };
}

const cache = new Map<number, readonly StatutoryHoliday[]>();

/** The year's statutory holidays, sorted by date (a day may be two festivals); none before 2025. */
export function statutoryHolidays(year: number): readonly StatutoryHoliday[] {
  if (!Number.isSafeInteger(year)) throw new RangeError(`年份应为整数：${year}`);
  const known = cache.get(year);
  if (known) return known;
  const days: StatutoryHoliday[] = [];
  if (year >= 2025) {
    days.push({ date: iso(year, 1, 1), name: '元旦' });
    days.push({ date: iso(year, 5, 1), name: '劳动节' }, { date: iso(year, 5, 2), name: '劳动节' });
    for (const d of [1, 2, 3]) days.push({ date: iso(year, 10, d), name: '国庆节' });
    if (year <= 2099) {
      const f = festivalDays(year);
      days.push(
        { date: dayBefore(f.springFestival), name: '春节' },
        { date: f.springFestival, name: '春节' },
      );
      for (const d of [2, 3]) days.push({ date: fromLunar(year, 1, d), name: '春节' });
      days.push({ date: f.qingming, name: '清明节' });
      days.push({ date: f.dragonBoat, name: '端午节' });
      days.push({ date: f.midAutumn, name: '中秋节' });
    }
  }
  const sorted = days.sort((a, b) => a.date.localeCompare(b.date));
  cache.set(year, sorted);
  return sorted;
}
