/**
 * Reading a feed as a stream: lines a chunk at a time (one await per chunk, not per line), and a decoder
 * that turns each line into a row or a rejection naming its line — also for a piece of a file that starts
 * mid-way (a chunk of a Distributed Map run), so that line numbers are always the whole file's.
 */
import { StringDecoder } from 'node:string_decoder';
import { type CsvLayout, csvLayout, csvRecord, fastCsvRow, splitCsvLine } from './csv.ts';
import type { FeedFormat, FeedName } from './names.ts';
import { type FeedRows, feedDefinitions, type RecordDefinition } from './specs.ts';
import { validateRecord } from './validate.ts';

/** Where lines come from: a Node Readable, or any (async) iterable of text or byte chunks. */
export type LineSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * The lines of a source, a chunk at a time (one array per chunk read, so that a consumer does its
 * per-line work synchronously and pays one await per chunk, not per line). `\r\n` and `\n` both end a
 * line; a last line without a newline is still a line. Multi-byte UTF-8 split across chunks is decoded.
 */
export async function* lineBatches(source: LineSource): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length === 0) continue;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    yield lines;
  }
  const tail = rest + decoder.end();
  if (tail !== '') yield [tail.charCodeAt(tail.length - 1) === 13 ? tail.slice(0, -1) : tail];
}

export interface Rejection {
  /** 1-based; a CSV header is line 1. */
  line: number;
  reason: string;
}

export type RecordItem<Row> = { ok: true; line: number; row: Row } | ({ ok: false } & Rejection);

/**
 * The region code a line names when the line itself is rejected, if it looks like one (six digits):
 * a run's readers are the staff over the regions its rows name, and a file of rejected rows still
 * shows those rows' reasons. `header` is a CSV file's first line; undefined for JSON Lines.
 */
export function regionCodeNamed(
  format: FeedFormat,
  header: string | undefined,
  line: string,
): string | undefined {
  let value: unknown;
  if (format === 'csv') {
    if (header === undefined) return undefined;
    const names = splitCsvLine(header.charCodeAt(0) === 0xfeff ? header.slice(1) : header);
    const cells = splitCsvLine(line);
    if (!Array.isArray(names) || !Array.isArray(cells)) return undefined;
    const at = names.findIndex((n) => n.trim() === 'regionCode');
    value = at < 0 ? undefined : cells[at]?.trim();
  } else {
    try {
      value = (JSON.parse(line) as { regionCode?: unknown } | null)?.regionCode;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'string' && /^\d{6}$/.test(value) ? value : undefined;
}

/**
 * Decodes lines into records: call `push(line)` for each line in order, it returns the item for that
 * line, or `undefined` for a blank line or a CSV header that is fine. A bad header rejects line 1 and
 * every data line after it (the reason names the header), so nothing is silently dropped.
 */
export class RecordDecoder<Row> {
  private lineNo = 0;
  /** Lines before the first one this decoder reads (a piece of a file starting mid-file). */
  private skipped = 0;
  private layout: CsvLayout | undefined;
  blank = 0;

  /** `fast: false` forces the general path on every line (tests compare the two). */
  constructor(
    readonly def: RecordDefinition<Row>,
    readonly format: FeedFormat,
    readonly fast = true,
  ) {}

  /**
   * A decoder for a piece of a file that starts at line `firstLine` (1-based), e.g. a byte range of a
   * feed in S3 cut at line boundaries: line numbers go on from there, so a rejection names its line in
   * the whole file, and a CSV piece after the header reads its columns from `header` (the file's first
   * line, as it is — a bad header rejects every line of the piece, naming the header, as reading the
   * whole file does). `firstLine` 1 is the start of the file: the header is the piece's own first line.
   */
  static startingAt<Row>(
    def: RecordDefinition<Row>,
    format: FeedFormat,
    firstLine: number,
    header?: string,
    fast = true,
  ): RecordDecoder<Row> {
    if (!Number.isSafeInteger(firstLine) || firstLine < 1)
      throw new RangeError(`bad first line ${firstLine}`);
    const decoder = new RecordDecoder(def, format, fast);
    if (firstLine > 1) {
      if (format === 'csv') {
        if (header === undefined) throw new Error('a CSV piece after line 1 needs the header line');
        decoder.layout = csvLayout(def as RecordDefinition<unknown>, header);
      }
      decoder.lineNo = firstLine - 1;
      decoder.skipped = firstLine - 1;
    }
    return decoder;
  }

  /** Lines read by this decoder (header and blank lines included). */
  get lines(): number {
    return this.lineNo - this.skipped;
  }

  /** The number of the last line read (in the whole file). */
  get line(): number {
    return this.lineNo;
  }

  push(line: string): RecordItem<Row> | undefined {
    const lineNo = ++this.lineNo;
    const def = this.def as RecordDefinition<unknown>;
    if (this.format === 'csv') {
      if (lineNo === 1) {
        this.layout = csvLayout(def, line);
        return this.layout.error ? { ok: false, line: 1, reason: this.layout.error } : undefined;
      }
      if (isBlank(line)) {
        this.blank++;
        return undefined;
      }
      const layout = this.layout!;
      if (this.fast && !layout.error && line.indexOf('"') < 0) {
        const cells = line.split(',');
        if (cells.length === layout.width) {
          const row = fastCsvRow(def, layout, cells);
          if (row !== undefined) return { ok: true, line: lineNo, row: row as Row };
        }
      }
      const r = csvRecord(def, layout, line);
      return r.ok ? this.validate(lineNo, r.record) : { ok: false, line: lineNo, reason: r.error };
    }
    if (isBlank(line)) {
      this.blank++;
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
    } catch {
      return { ok: false, line: lineNo, reason: '不是有效的 JSON 行' };
    }
    return this.validate(lineNo, value);
  }

  private validate(line: number, value: unknown): RecordItem<Row> {
    const r = validateRecord(this.def, value);
    return r.ok ? { ok: true, line, row: r.row } : { ok: false, line, reason: r.reason };
  }
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xfeff) return false;
  }
  return true;
}

/**
 * Reads a feed: every non-blank line yields either a valid row or a rejection `{ line, reason }`;
 * a bad line never stops the rest of the file.
 */
export async function* readRecords<Row>(
  def: RecordDefinition<Row>,
  source: LineSource,
  format: FeedFormat,
): AsyncGenerator<RecordItem<Row>> {
  const decoder = new RecordDecoder(def, format);
  for await (const lines of lineBatches(source)) {
    for (const line of lines) {
      const item = decoder.push(line);
      if (item) yield item;
    }
  }
}

export function readFeed<F extends FeedName>(
  feed: F,
  source: LineSource,
  format: FeedFormat,
): AsyncGenerator<RecordItem<FeedRows[F]>> {
  return readRecords(feedDefinitions[feed] as RecordDefinition<FeedRows[F]>, source, format);
}
