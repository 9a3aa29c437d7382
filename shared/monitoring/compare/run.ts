/**
 * The streaming driver: a whole run, and one feed at a time through the comparison, with bounded memory
 * (only the register index is held; feeds are read a chunk of lines at a time) and every line accounted
 * for — compared, rejected or blank — so that a national run fits one process or Lambda and its report
 * adds up. The per-row loop is here; the decisions it calls are pure.
 */
import { type Department, departments, type FeedFormat, type FeedName } from '../feeds/names.ts';
import { type FeedRows, feedDefinitions, type RecordDefinition } from '../feeds/specs.ts';
import { type LineSource, lineBatches, RecordDecoder, type Rejection } from '../feeds/stream.ts';
import {
  IndicatorBook,
  IndicatorsNotFoundError,
  type IndicatorVersion,
  type RiskType,
  riskTypes,
} from '../indicators.ts';
import { registerDuplicateWarnings } from './duplicates.ts';
import { evaluateRow, type Outcome } from './evaluation.ts';
import { isInside, type RegisterEntry, type RegisterLookup, type RegisterRecord } from './register.ts';
import { loadRegister, RegisterIndex } from './register-index.ts';
import { type Warning, WarningChecksum, type WarningSource } from './warnings.ts';

export interface FeedRejection extends Rejection {
  source: WarningSource;
}

/** Where a run's results go; a promise returned is awaited (back-pressure, e.g. an SQS send). */
export interface MonitoringSink {
  warning?(w: Warning): void | Promise<void>;
  rejection?(r: FeedRejection): void | Promise<void>;
}

export interface FeedInput {
  feed: FeedName;
  format: FeedFormat;
  source: LineSource;
  /**
   * The source is a piece of the file starting at this line (a chunk of a Distributed Map run), with
   * the file's CSV header line: line numbers are the whole file's (`RecordDecoder.startingAt`).
   */
  start?: { firstLine: number; header?: string | undefined };
}

export interface FeedCounts {
  /** Every line read, header and blank lines included. */
  lines: number;
  blank: number;
  /** Valid rows compared. */
  rows: number;
  /**
   * Lines rejected, a bad CSV header included: rows + rejected + blank = lines, less one for a CSV
   * header that was fine.
   */
  rejected: number;
  /** Valid rows whose person is on the register, inside assistance or not. */
  matched: number;
  inside: number;
  stale: number;
  warnings: number;
}

const emptyCounts = (): FeedCounts => ({
  lines: 0,
  blank: 0,
  rows: 0,
  rejected: 0,
  matched: 0,
  inside: 0,
  stale: 0,
  warnings: 0,
});

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Streams one feed through the comparison. Every line ends up counted: a valid row (compared), a
 * rejection (sent to the sink with its line and reason), or a blank line. `emitted` holds the ids of
 * register findings already sent, so a finding seen from many rows is sent once per run.
 */
export async function compareFeed(
  input: FeedInput,
  register: RegisterLookup | RegisterIndex,
  rules: IndicatorBook,
  asOf: string,
  sink: MonitoringSink = {},
  emitted: Set<string> = new Set(),
  onProgress?: (lines: number) => void,
): Promise<FeedCounts> {
  const counts = emptyCounts();
  const feed = input.feed;
  const def = feedDefinitions[feed] as RecordDefinition<FeedRows[FeedName]>;
  const decoder = input.start
    ? RecordDecoder.startingAt(def, input.format, input.start.firstLine, input.start.header)
    : new RecordDecoder(def, input.format);
  const index = register instanceof RegisterIndex ? register : undefined;
  const lookup = index ? undefined : (register as RegisterLookup);

  const reject = async (line: number, reason: string) => {
    counts.rejected++;
    const r = sink.rejection?.({ source: feed, line, reason });
    if (isThenable(r)) await r;
  };

  for await (const lines of lineBatches(input.source)) {
    for (let i = 0; i < lines.length; i++) {
      const item = decoder.push(lines[i]!);
      if (!item) continue;
      if (!item.ok) {
        await reject(item.line, item.reason);
        continue;
      }
      const row = item.row;
      let entry: RegisterEntry | undefined;
      if (index) entry = index.lookup(row.idNumber);
      else {
        const found = lookup!(row.idNumber);
        entry = isThenable(found) ? await found : found;
      }
      let result: { outcome: Outcome; warnings: Warning[] };
      try {
        result = evaluateRow(feed, row, entry, rules, asOf);
      } catch (error) {
        if (!(error instanceof IndicatorsNotFoundError)) throw error;
        await reject(item.line, error.message);
        continue;
      }
      if (result.outcome === 'future') {
        await reject(item.line, `字段 eventDate（事件日期）：事件日期 ${row.eventDate} 晚于比对日期 ${asOf}`);
        continue;
      }
      counts.rows++;
      if (entry) {
        counts.matched++;
        if (isInside(entry)) counts.inside++;
      }
      if (result.outcome === 'stale') counts.stale++;
      for (const w of result.warnings) {
        if (w.source === 'register') {
          if (emitted.has(w.warningId)) continue;
          emitted.add(w.warningId);
        }
        counts.warnings++;
        const r = sink.warning?.(w);
        if (isThenable(r)) await r;
      }
    }
    onProgress?.(decoder.lines);
  }
  counts.lines = decoder.lines;
  counts.blank = decoder.blank;
  return counts;
}

export type RegisterSource =
  | RegisterLookup
  | RegisterIndex
  | { source: LineSource; format: FeedFormat; expectedPersons?: number }
  | Iterable<RegisterRecord>
  | AsyncIterable<RegisterRecord>;

export interface MonitoringRun {
  register: RegisterSource;
  feeds: readonly FeedInput[];
  rules: IndicatorBook | readonly IndicatorVersion[];
  /** The comparison date (China civil date): indicators in force then apply. */
  asOf: string;
  sink?: MonitoringSink;
  /** Called after each chunk read, for progress reports. */
  onProgress?: (p: { stage: 'register' | FeedName; lines: number }) => void;
}

export interface MonitoringReport {
  asOf: string;
  register: { lines: number; households: number; persons: number; rejected: number } | null;
  feeds: Partial<Record<FeedName, FeedCounts>>;
  /** Register findings (duplicate assistance) found by the sweep. */
  registerWarnings: number;
  warnings: number;
  byRiskType: Record<RiskType, number>;
  byDepartment: Record<Department, number>;
  /** `WarningChecksum` of every warning id sent. */
  checksum: string;
  /** Problems that are not a line's fault, e.g. a region without indicators during the register sweep. */
  problems: string[];
}

/**
 * A whole run: index the register (unless given a lookup), sweep it for duplicate assistance, then
 * stream each feed. Warnings and rejections go to `sink`; the report counts everything.
 */
export async function runMonitoring(run: MonitoringRun): Promise<MonitoringReport> {
  const rules = run.rules instanceof IndicatorBook ? run.rules : new IndicatorBook(run.rules);
  const byRiskType = Object.fromEntries(riskTypes.map((t) => [t, 0])) as Record<RiskType, number>;
  const byDepartment = Object.fromEntries(departments.map((d) => [d, 0])) as Record<Department, number>;
  const checksum = new WarningChecksum();
  const sink = run.sink ?? {};
  const counting: MonitoringSink = {
    warning: (w) => {
      byRiskType[w.riskType]++;
      byDepartment[w.department]++;
      checksum.add(w.warningId);
      return sink.warning?.(w);
    },
    rejection: (r) => sink.rejection?.(r),
  };
  const problems: string[] = [];

  let register: RegisterLookup | RegisterIndex;
  let registerReport: MonitoringReport['register'] = null;
  const r = run.register;
  if (typeof r === 'function' || r instanceof RegisterIndex) register = r;
  else if ('source' in r && 'format' in r) {
    const load = await loadRegister(r.source, r.format, {
      onRejection: (rej) => sink.rejection?.({ ...rej, source: 'register' }),
      ...(run.onProgress
        ? { onProgress: (lines: number) => run.onProgress!({ stage: 'register', lines }) }
        : {}),
      ...(r.expectedPersons ? { expectedPersons: r.expectedPersons } : {}),
    });
    register = load.index;
    registerReport = {
      lines: load.lines,
      households: load.households,
      persons: load.index.persons,
      rejected: load.rejected,
    };
  } else {
    register = await RegisterIndex.from(r as AsyncIterable<RegisterRecord>);
  }
  if (register instanceof RegisterIndex && !registerReport)
    registerReport = {
      lines: register.households,
      households: register.households,
      persons: register.persons,
      rejected: 0,
    };

  const emitted = new Set<string>();
  let registerWarnings = 0;
  if (register instanceof RegisterIndex) {
    const sweep = registerDuplicateWarnings(register, rules, run.asOf);
    problems.push(...sweep.unresolved);
    for (const w of sweep.warnings) {
      if (emitted.has(w.warningId)) continue;
      emitted.add(w.warningId);
      registerWarnings++;
      const x = counting.warning!(w);
      if (isThenable(x)) await x;
    }
  }

  const feeds: MonitoringReport['feeds'] = {};
  for (const input of run.feeds) {
    const c = await compareFeed(
      input,
      register,
      rules,
      run.asOf,
      counting,
      emitted,
      run.onProgress ? (lines) => run.onProgress!({ stage: input.feed, lines }) : undefined,
    );
    const prev = feeds[input.feed];
    feeds[input.feed] = prev ? addCounts(prev, c) : c;
  }
  return {
    asOf: run.asOf,
    register: registerReport,
    feeds,
    registerWarnings,
    warnings: checksum.count,
    byRiskType,
    byDepartment,
    checksum: checksum.value,
    problems,
  };
}

function addCounts(a: FeedCounts, b: FeedCounts): FeedCounts {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof FeedCounts>) out[k] += b[k];
  return out;
}

/** A sink that keeps everything, for tests and small runs (not for a national run). */
export function collectingSink(): MonitoringSink & { warnings: Warning[]; rejections: FeedRejection[] } {
  const warnings: Warning[] = [];
  const rejections: FeedRejection[] = [];
  return {
    warnings,
    rejections,
    warning: (w) => {
      warnings.push(w);
    },
    rejection: (r) => {
      rejections.push(r);
    },
  };
}
