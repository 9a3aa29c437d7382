/**
 * Chinese working days (工作日) for deadlines.
 *
 * A day is a working day when it is Monday to Friday and not a statutory holiday, or when it is an
 * adjusted workday (调休上班日) — 国务院《关于职工工作时间的规定》第七条 (Saturday and Sunday are the weekly
 * rest days) and 《全国年节及纪念日放假办法》, as arranged each year by the State Council's notice
 * (国务院办公厅关于××年部分节假日安排的通知).
 *
 * The annual arrangements come from data only: the `chinese-days` package's published data file
 * (2004 to 2026 in version 1.5.7; the range is read from the data, not assumed), and arrangements
 * loaded at run time (`PUT /admin/calendar/{year}`), which replace the package's for their year. A
 * date in a year with neither is never guessed: every method throws `UnknownCalendarYearError`.
 *
 * COUNTING CONVENTION (《中华人民共和国民法典》第二百零一条、第二百零三条, followed by every method here):
 *  - the day of the event is not counted; counting starts the next day;
 *  - "within N working days of D" ends on the N-th working day after D;
 *  - a period counted in calendar days ("公示7天") ends D + N, and if that is a rest day it moves to the
 *    next working day.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { z } from 'zod';
import { isoDate } from '../schemas/household.ts';
import { statutoryHolidays } from './statutory.ts';

export class UnknownCalendarYearError extends Error {
  override readonly name = 'UnknownCalendarYearError';
  constructor(
    readonly year: number,
    readonly date: string,
  ) {
    super(
      `${year}年的节假日安排尚未载入，无法判断 ${date} 是否为工作日；请先载入国务院办公厅${year}年节假日安排`,
    );
  }
}

export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  constructor(readonly value: unknown) {
    super(`日期格式应为有效的 YYYY-MM-DD：${String(value)}`);
  }
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`, else InvalidDateError. */
function dayNumber(date: string): number {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidDateError(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw new InvalidDateError(date);
  }
  return ms / DAY_MS;
}

function dayOrNull(date: unknown): number | null {
  try {
    return dayNumber(date as string);
  } catch {
    return null;
  }
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const isWeekend = (day: number) => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

const arrangementDate = isoDate;

/**
 * One year's arrangement as the State Council publishes it: the holiday periods (rest days, weekends
 * inside them included) and the adjusted workdays. Dates may reach back into the December before, as
 * a New Year's arrangement sometimes does (e.g. 2011-12-31 was a working Saturday for 2012's 元旦).
 */
export const annualArrangementSchema = z
  .object({
    year: z.number({ error: '年份必须是数字' }).int({ error: '年份必须是整数' }).min(1949).max(2199),
    /** 发文依据：通知文号或网址 */
    source: z.string({ error: '须注明安排依据' }).trim().min(1, { error: '须注明安排依据' }).max(500),
    holidays: z
      .array(
        z.object({
          name: z
            .string({ error: '节日名称必须是字符串' })
            .trim()
            .min(1, { error: '节日名称不能为空' })
            .max(50),
          from: arrangementDate,
          to: arrangementDate,
        }),
      )
      .min(1, { error: '至少包含一个放假时段' })
      .max(40),
    adjustedWorkdays: z
      .array(
        z.object({
          name: z
            .string({ error: '节日名称必须是字符串' })
            .trim()
            .min(1, { error: '节日名称不能为空' })
            .max(50),
          date: arrangementDate,
        }),
      )
      .max(40)
      .default([]),
  })
  .superRefine((a, ctx) => {
    // zod runs this even when a field above already failed: skip what did not parse rather than throw.
    const first = dayOrNull(`${a.year - 1}-12-01`);
    const last = dayOrNull(`${a.year}-12-31`);
    if (first === null || last === null) return;
    const inYear = (d: number) => d >= first && d <= last;
    const rest = new Set<number>();
    a.holidays.forEach((h, i) => {
      const from = dayOrNull(h.from);
      const to = dayOrNull(h.to);
      if (from === null || to === null) return;
      if (to < from)
        ctx.addIssue({ code: 'custom', path: ['holidays', i, 'to'], message: '放假结束日期早于开始日期' });
      if (!inYear(from) || !inYear(to)) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', i],
          message: `放假日期应在${a.year}年内（元旦可含上年12月）`,
        });
      }
      // A sanity bound on a single period, not a policy value: no arrangement has come near a month.
      if (to - from > 31)
        ctx.addIssue({ code: 'custom', path: ['holidays', i], message: '单个放假时段过长' });
      for (let d = from; d <= to && d - from <= 31; d++) rest.add(d);
    });
    const seen = new Set<number>();
    a.adjustedWorkdays.forEach((w, i) => {
      const d = dayOrNull(w.date);
      if (d === null) return;
      const path = ['adjustedWorkdays', i, 'date'];
      if (!inYear(d))
        ctx.addIssue({ code: 'custom', path, message: `调休上班日应在${a.year}年内（元旦可含上年12月）` });
      if (!isWeekend(d)) ctx.addIssue({ code: 'custom', path, message: '调休上班日应为星期六或星期日' });
      if (rest.has(d)) ctx.addIssue({ code: 'custom', path, message: '调休上班日不能同时是放假日' });
      if (seen.has(d)) ctx.addIssue({ code: 'custom', path, message: '调休上班日重复' });
      seen.add(d);
    });
  });

export type AnnualArrangement = z.infer<typeof annualArrangementSchema>;
export type AnnualArrangementInput = z.input<typeof annualArrangementSchema>;

export class CalendarYearMismatchError extends Error {
  override readonly name = 'CalendarYearMismatchError';
  constructor(
    readonly pathYear: number,
    readonly bodyYear: number,
  ) {
    super(`路径中的年份 ${pathYear} 与安排中的年份 ${bodyYear} 不一致`);
  }
}

/** Validates a `PUT /admin/calendar/{year}` body (ZodError on bad input) and checks the path's year. */
export function arrangementFromRequest(yearFromPath: number, body: unknown): AnnualArrangement {
  const arrangement = annualArrangementSchema.parse(body);
  if (arrangement.year !== yearFromPath) throw new CalendarYearMismatchError(yearFromPath, arrangement.year);
  return arrangement;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjustedWorkday';

export interface DayDetail {
  date: string;
  workingDay: boolean;
  kind: DayKind;
  /** 节日名称 for holidays and adjusted workdays. */
  name: string | null;
  /** Where the year's arrangement came from: `chinese-days` or a loaded arrangement's source. */
  source: string;
}

interface Special {
  kind: 'holiday' | 'adjustedWorkday';
  name: string;
}

const CHINESE_DAYS = 'chinese-days';

/** `chinese-days` stores "English,中文,法定天数"; the Chinese name is what notices print. */
function chineseName(description: string): string {
  return description.split(',')[1] ?? description;
}

function chineseDaysSpecials(): { specials: Map<number, Special>; years: Set<number> } {
  const specials = new Map<number, Special>();
  const years = new Set<number>();
  for (const [date, description] of Object.entries(chineseDaysData.holidays as Record<string, string>)) {
    specials.set(dayNumber(date), { kind: 'holiday', name: chineseName(description) });
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, description] of Object.entries(chineseDaysData.workdays as Record<string, string>)) {
    specials.set(dayNumber(date), { kind: 'adjustedWorkday', name: chineseName(description) });
    years.add(Number(date.slice(0, 4)));
  }
  return { specials, years };
}

const bundled = chineseDaysSpecials();

/** The years the installed `chinese-days` carries (2004–2026 for 1.5.7). */
export const chineseDaysYears: readonly number[] = [...bundled.years].sort((a, b) => a - b);

export interface ProvisionalDeadline {
  deadline: string;
  /** True when a year without a loaded arrangement was counted with its statutory holidays and weekends only. */
  provisional: boolean;
  assumedYears: number[];
}

export class WorkingDayCalendar {
  readonly #specials: Map<number, Special>;
  /** year → source of its arrangement */
  readonly #years: Map<number, string>;
  readonly #arrangements: readonly AnnualArrangement[];

  /**
   * @param extraArrangements arrangements loaded as data; each replaces `chinese-days` for its year,
   *   and a later one for the same year replaces an earlier one (a corrected notice).
   */
  constructor(extraArrangements: readonly AnnualArrangementInput[] = []) {
    const arrangements = extraArrangements.map((a) => annualArrangementSchema.parse(a));
    const latest = new Map<number, AnnualArrangement>();
    for (const a of arrangements) latest.set(a.year, a);
    this.#arrangements = [...latest.values()].sort((a, b) => a.year - b.year);

    this.#years = new Map(chineseDaysYears.map((y) => [y, CHINESE_DAYS]));
    this.#specials = new Map();
    for (const [day, special] of bundled.specials) {
      if (!latest.has(Number(isoOf(day).slice(0, 4)))) this.#specials.set(day, special);
    }
    for (const a of this.#arrangements) {
      this.#years.set(a.year, a.source);
      for (const h of a.holidays) {
        for (let d = dayNumber(h.from); d <= dayNumber(h.to); d++)
          this.#specials.set(d, { kind: 'holiday', name: h.name });
      }
      for (const w of a.adjustedWorkdays)
        this.#specials.set(dayNumber(w.date), { kind: 'adjustedWorkday', name: w.name });
    }
  }

  /** A new calendar with these arrangements added (replacing any for the same years). */
  withArrangements(...arrangements: AnnualArrangementInput[]): WorkingDayCalendar {
    return new WorkingDayCalendar([...this.#arrangements, ...arrangements]);
  }

  /** The arrangements loaded as data (not those from `chinese-days`). */
  get loadedArrangements(): readonly AnnualArrangement[] {
    return this.#arrangements;
  }

  get knownYears(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  knowsYear(year: number): boolean {
    return this.#years.has(year);
  }

  #check(day: number): void {
    const date = isoOf(day);
    const year = Number(date.slice(0, 4));
    if (!this.#years.has(year)) throw new UnknownCalendarYearError(year, date);
  }

  #working(day: number): boolean {
    this.#check(day);
    const special = this.#specials.get(day);
    if (special) return special.kind === 'adjustedWorkday';
    return !isWeekend(day);
  }

  isWorkingDay(date: string): boolean {
    return this.#working(dayNumber(date));
  }

  describe(date: string): DayDetail {
    const day = dayNumber(date);
    this.#check(day);
    const special = this.#specials.get(day);
    const source = this.#years.get(Number(date.slice(0, 4)))!;
    if (special) {
      return {
        date,
        workingDay: special.kind === 'adjustedWorkday',
        kind: special.kind,
        name: special.name,
        source,
      };
    }
    const weekend = isWeekend(day);
    return { date, workingDay: !weekend, kind: weekend ? 'weekend' : 'workday', name: null, source };
  }

  /** `date` itself if it is a working day, else the next working day. */
  rollForward(date: string): string {
    let day = dayNumber(date);
    while (!this.#working(day)) day++;
    return isoOf(day);
  }

  /**
   * The n-th working day after `from` (`from` itself not counted); a negative n counts back to the
   * n-th working day before. n = 0 gives `from` if it is a working day, else the next one.
   */
  addWorkingDays(from: string, n: number): string {
    if (!Number.isSafeInteger(n)) throw new RangeError(`工作日数应为整数：${n}`);
    let day = dayNumber(from);
    if (n === 0) return this.rollForward(from);
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.#working(day)) left--;
    }
    return isoOf(day);
  }

  /** The last day of "within `workingDays` working days of `from`" (自`from`起N个工作日内). */
  deadline(from: string, workingDays: number): string {
    if (!Number.isSafeInteger(workingDays) || workingDays < 0) {
      throw new RangeError(`工作日数应为非负整数：${workingDays}`);
    }
    return this.addWorkingDays(from, workingDays);
  }

  /**
   * `deadline`, except that casework never stops for want of next year's arrangement: in a year
   * whose arrangement is not loaded, weekends and the statutory holidays of 《全国年节及纪念日放假办法》
   * (`statutory.ts`) are the rest days — 2027-01-01 is never a working day — and the answer says so
   * (`provisional`, `assumedYears`) so that it is shown as provisional and raises the alarm until
   * the State Council's notice is loaded (docs/architecture.md §3: a declared, visible fallback, never a silent guess).
   */
  provisionalDeadline(from: string, workingDays: number): ProvisionalDeadline {
    try {
      return { deadline: this.deadline(from, workingDays), provisional: false, assumedYears: [] };
    } catch (error) {
      if (!(error instanceof UnknownCalendarYearError)) throw error;
    }
    const assumed = new Set<number>();
    const working = (day: number) => {
      const date = isoOf(day);
      const year = Number(date.slice(0, 4));
      if (this.#years.has(year)) return this.#working(day);
      assumed.add(year);
      return !isWeekend(day) && !statutoryHolidays(year).some((h) => h.date === date);
    };
    let day = dayNumber(from);
    if (workingDays === 0) {
      while (!working(day)) day++;
    }
    for (let left = workingDays; left > 0; ) {
      day++;
      if (working(day)) left--;
    }
    return { deadline: isoOf(day), provisional: true, assumedYears: [...assumed].sort() };
  }

  /** The last day of a period of `days` calendar days from `from` (e.g. 公示7天), moved off a rest day. */
  calendarDayDeadline(from: string, days: number): string {
    if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`天数应为非负整数：${days}`);
    return this.rollForward(isoOf(dayNumber(from) + days));
  }

  /**
   * Working days counted from `from` (not counted) to `to` (counted), so that
   * workingDaysBetween(from, addWorkingDays(from, n)) = n for every n ≠ 0; negative when `to` is earlier.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    let count = 0;
    if (b >= a) {
      for (let d = a + 1; d <= b; d++) if (this.#working(d)) count++;
      return count;
    }
    // Mirrors addWorkingDays with a negative n: `to` counted, `from` not.
    for (let d = b; d < a; d++) if (this.#working(d)) count--;
    return count;
  }
}

/** The days a year's arrangement makes holidays, and its adjusted workdays (ISO dates, sorted). */
export interface ArrangementDays {
  holidays: string[];
  adjustedWorkdays: string[];
}

export function arrangementDays(a: AnnualArrangement): ArrangementDays {
  const holidays = new Set<string>();
  for (const h of a.holidays) {
    for (let d = dayNumber(h.from); d <= dayNumber(h.to); d++) holidays.add(isoOf(d));
  }
  return { holidays: [...holidays].sort(), adjustedWorkdays: a.adjustedWorkdays.map((w) => w.date).sort() };
}

/** The year as the installed `chinese-days` has it, or undefined for a year it does not carry. */
export function bundledArrangementDays(year: number): ArrangementDays | undefined {
  if (!bundled.years.has(year)) return undefined;
  const days: ArrangementDays = { holidays: [], adjustedWorkdays: [] };
  for (const [day, special] of bundled.specials) {
    const date = isoOf(day);
    if (Number(date.slice(0, 4)) !== year) continue;
    (special.kind === 'holiday' ? days.holidays : days.adjustedWorkdays).push(date);
  }
  days.holidays.sort();
  days.adjustedWorkdays.sort();
  return days;
}

/** What loading `next` would take away from the arrangement in force. */
export interface CalendarRemoval {
  adjustedWorkdays: string[];
  holidays: string[];
  holidaysInForce: number;
}

export function removedBy(inForce: ArrangementDays, next: ArrangementDays): CalendarRemoval {
  const keeps = (list: string[]) => new Set(list);
  const holidays = keeps(next.holidays);
  const workdays = keeps(next.adjustedWorkdays);
  return {
    adjustedWorkdays: inForce.adjustedWorkdays.filter((d) => !workdays.has(d)),
    holidays: inForce.holidays.filter((d) => !holidays.has(d)),
    holidaysInForce: inForce.holidays.length,
  };
}

/**
 * A load that drops an adjusted workday in force, or more than half the holiday days, moves every
 * deadline of the year: a mistake or a malicious load would be felt by every case in the country,
 * so a second national administrator confirms it. Corrections of a day or two go through at once.
 */
export const needsConfirmation = (removal: CalendarRemoval): boolean =>
  removal.adjustedWorkdays.length > 0 || removal.holidays.length * 2 > removal.holidaysInForce;
