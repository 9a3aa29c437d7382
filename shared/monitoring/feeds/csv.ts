/**
 * CSV as department files have it: RFC 4180 cells within one line, a header naming the columns in any
 * order, and text turned into the typed values the validators read. The fast path accepts a plain line
 * whose every cell is unmistakably valid in one pass; anything else takes the general path, so that
 * reasons come from one place. The fast path's helpers stay here, beside it: they run for every cell.
 */
import { z } from 'zod';
import type { FieldSpec, RecordDefinition } from './specs.ts';

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────────

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A CSV cell as the typed value the validators read: empty → absent; numbers and booleans converted
 * when they look like one, otherwise left as text so the validator names the wrong type.
 */
export function csvValue(spec: FieldSpec, cell: string): unknown {
  const text = cell.trim();
  if (text === '') return undefined;
  switch (spec.type.kind) {
    case 'yuan':
    case 'grade':
      return DECIMAL.test(text) ? Number(text) : text;
    case 'boolean':
      if (text === 'true' || text === '1' || text === '是') return true;
      if (text === 'false' || text === '0' || text === '否') return false;
      return text;
    case 'idNumberList':
    case 'enumList':
      return text.split(';').map((s) => s.trim());
    default:
      return text;
  }
}

/**
 * Splits one CSV line into cells (RFC 4180 quoting, `""` for a quote inside a quoted cell). A quoted
 * cell cannot span lines: department feeds carry no free text, and a line number must name one line.
 */
export function splitCsvLine(line: string): string[] | { error: string } {
  if (line.indexOf('"') < 0) return line.split(',');
  const cells: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return { error: '引号未闭合（带引号的单元格不能跨行）' };
        cell += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          cell += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      if (j < n && line.charCodeAt(j) !== 44) return { error: '引号后应紧跟逗号或行尾' };
      cells.push(cell);
      if (j >= n) return cells;
      i = j + 1;
    } else {
      const c = line.indexOf(',', i);
      const cell = line.slice(i, c < 0 ? n : c);
      if (cell.indexOf('"') >= 0) return { error: '未加引号的单元格中不能有引号' };
      cells.push(cell);
      if (c < 0) return cells;
      i = c + 1;
    }
  }
}

/** What a CSV header maps to: per record field, its column (−1 if absent), or why the file is unreadable. */
export interface CsvLayout {
  columns: number[];
  width: number;
  error?: string;
}

export function csvLayout(def: RecordDefinition<unknown>, headerLine: string): CsvLayout {
  const cells = splitCsvLine(headerLine.charCodeAt(0) === 0xfeff ? headerLine.slice(1) : headerLine);
  if (!Array.isArray(cells)) return { columns: [], width: 0, error: `表头无法解析：${cells.error}` };
  const names = cells.map((c) => c.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return { columns: [], width: names.length, error: `表头列 ${name} 重复` };
    seen.add(name);
  }
  const columns = def.fields.map((f) => names.indexOf(f.name));
  const missing = def.fields
    .filter((f, i) => f.required === true && columns[i]! < 0)
    .map((f) => `${f.name}（${f.label}）`);
  if (missing.length > 0)
    return { columns, width: names.length, error: `表头缺少必填列：${missing.join('、')}` };
  return { columns, width: names.length };
}

/** A CSV data line as a record for the validators, or the reason it cannot be one. */
export function csvRecord(
  def: RecordDefinition<unknown>,
  layout: CsvLayout,
  line: string,
): { ok: true; record: Record<string, unknown> } | { ok: false; error: string } {
  if (layout.error) return { ok: false, error: `表头无效（第1行）：${layout.error}` };
  const cells = splitCsvLine(line);
  if (!Array.isArray(cells)) return { ok: false, error: cells.error };
  if (cells.length !== layout.width)
    return { ok: false, error: `本行有 ${cells.length} 列，表头有 ${layout.width} 列` };
  const out: Record<string, unknown> = {};
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const col = layout.columns[i]!;
    if (col < 0) continue;
    const v = csvValue(fields[i]!, cells[col]!);
    if (v !== undefined) out[fields[i]!.name] = v;
  }
  return { ok: true, record: out };
}

// ── the CSV fast path ────────────────────────────────────────────────────────────────────────────

// The same pattern object as validate.ts's ZOD_DATE (zod's own), held here so that fastDate reads a
// module-local constant.
const ZOD_DATE = z.regexes.date;

const GB_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB_CHECK = [49, 48, 88, 57, 56, 55, 54, 53, 52, 51, 50]; // '10X98765432'

/** A well-formed ID number with the right check character, in one pass over the characters. */
function fastIdNumber(t: string): boolean {
  if (t.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * GB_WEIGHTS[i]!;
  }
  return t.charCodeAt(17) === GB_CHECK[sum % 11];
}

function fastCode(t: string): boolean {
  const n = t.length;
  if (n < 1 || n > 64) return false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    // A–Z a–z 0–9 _ . : -
    if (
      !(
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122) ||
        (c >= 48 && c <= 58) ||
        c === 95 ||
        c === 46 ||
        c === 45
      )
    )
      return false;
  }
  return true;
}

function fastDigits(t: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** YYYY-MM-DD with a day every month has; days 29–31 are left to zod's own pattern. */
function fastDate(t: string): boolean {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return false;
  if (!fastDigits(t, 0, 4) || !fastDigits(t, 5, 7) || !fastDigits(t, 8, 10)) return false;
  const month = (t.charCodeAt(5) - 48) * 10 + (t.charCodeAt(6) - 48);
  const day = (t.charCodeAt(8) - 48) * 10 + (t.charCodeAt(9) - 48);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= 28 || ZOD_DATE.test(t);
}

/**
 * Plain non-negative decimal with at most two decimals and at most 9 integer digits: such text is a
 * valid amount (its nearest double has at most two decimals), unless it exceeds 100,000,000.
 */
function fastYuan(t: string): number | undefined {
  const n = t.length;
  const dot = t.indexOf('.');
  const whole = dot < 0 ? n : dot;
  if (whole < 1 || whole > 9 || !fastDigits(t, 0, whole)) return undefined;
  if (dot >= 0 && (n - dot - 1 < 1 || n - dot - 1 > 2 || !fastDigits(t, dot + 1, n))) return undefined;
  const v = Number(t);
  return v <= 100_000_000 ? v : undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0xfeff || c === 0x3000;
}

/**
 * The record a plain CSV line (no quotes, right width) makes, when every cell is unmistakably valid;
 * otherwise undefined, and the caller takes the general path (csvRecord + validateRecord), which
 * gives the exact reason. So this path only ever accepts what the general path accepts, with the same
 * values — test/monitoring checks that on random lines.
 */
export function fastCsvRow(def: RecordDefinition<unknown>, layout: CsvLayout, cells: string[]): unknown {
  const out: Record<string, unknown> = {};
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const spec = fields[i]!;
    const col = layout.columns[i]!;
    const t = col < 0 ? '' : cells[col]!;
    if (t.length === 0) {
      if (spec.default !== undefined) out[spec.name] = spec.default;
      else if (spec.required === true) return undefined;
      continue;
    }
    if (isSpace(t.charCodeAt(0)) || isSpace(t.charCodeAt(t.length - 1))) return undefined;
    const type = spec.type;
    switch (type.kind) {
      case 'recordId':
        if (!fastCode(t)) return undefined;
        out[spec.name] = t;
        break;
      case 'idNumber':
        if (!fastIdNumber(t)) return undefined;
        out[spec.name] = t;
        break;
      case 'regionCode':
        if (t.length !== 6 || !fastDigits(t, 0, 6)) return undefined;
        out[spec.name] = t;
        break;
      case 'date':
        if (!fastDate(t)) return undefined;
        out[spec.name] = t;
        break;
      case 'yuan': {
        const v = fastYuan(t);
        if (v === undefined) return undefined;
        out[spec.name] = v;
        break;
      }
      case 'grade': {
        const c = t.length === 1 ? t.charCodeAt(0) - 48 : 0;
        if (c < 1 || c > 4) return undefined;
        out[spec.name] = c;
        break;
      }
      case 'boolean':
        if (t === 'true' || t === '1' || t === '是') out[spec.name] = true;
        else if (t === 'false' || t === '0' || t === '否') out[spec.name] = false;
        else return undefined;
        break;
      case 'enum':
        if (!Object.hasOwn(type.values, t)) return undefined;
        out[spec.name] = t;
        break;
      case 'idNumberList': {
        const list = t.split(';');
        for (let k = 0; k < list.length; k++) if (!fastIdNumber(list[k]!)) return undefined;
        out[spec.name] = list;
        break;
      }
      case 'enumList': {
        const list = t.split(';');
        for (let k = 0; k < list.length; k++) if (!Object.hasOwn(type.values, list[k]!)) return undefined;
        out[spec.name] = list;
        break;
      }
    }
  }
  if (def.check?.(out)) return undefined;
  return out;
}
