/**
 * The fast validator: the zod schemas' rules written out by hand, because the streaming comparison checks
 * millions of rows and zod costs ~4 µs a row. Its field checks stay in this module, beside the loop that
 * calls them for every field of every row.
 */
import { z } from 'zod';
import { isValidIdNumber } from '../../domain/id-number.ts';
import { csvValue } from './csv.ts';
import type { FeedName } from './names.ts';
import {
  booleanMessage,
  codeMessages,
  enumMessage,
  gradeMessages,
  listMessage,
  NOT_OBJECT,
  problemReason,
  RECORD_ID,
} from './reasons.ts';
import { type FeedRows, type FieldSpec, feedDefinitions, type RecordDefinition } from './specs.ts';

const ZOD_DATE = z.regexes.date;
const REGION = /^\d{6}$/;

/** zod's `multipleOf(0.01)` outcome for a finite number (see test/monitoring for the equivalence). */
function hasAtMostTwoDecimals(x: number): boolean {
  // zod counts the decimals of `String(x)`; exponent notation (below 1e-6) has none there.
  if (x !== 0 && Math.abs(x) < 1e-6) return true;
  return Math.round(x * 100) / 100 === x;
}

function idNumberProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return '身份证号码必须是字符串';
  if (v.length !== 18) return '身份证号码应为18位（最后一位可为X）';
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return '身份证号码应为18位（最后一位可为X）';
  }
  const last = v.charCodeAt(17);
  if (!((last >= 48 && last <= 57) || last === 88)) return '身份证号码应为18位（最后一位可为X）';
  return isValidIdNumber(v) ? undefined : '身份证号码校验位不正确（GB 11643）';
}

function enumProblem(
  v: unknown,
  spec: FieldSpec,
  values: Readonly<Record<string, string>>,
): string | undefined {
  return typeof v === 'string' && Object.hasOwn(values, v) ? undefined : enumMessage(spec.label, values);
}

/** The first problem with one field's value (`undefined` = absent), or none. */
function fieldProblem(spec: FieldSpec, v: unknown): string | undefined {
  const t = spec.type;
  switch (t.kind) {
    case 'recordId':
      if (typeof v !== 'string') return codeMessages(spec.label).type;
      return RECORD_ID.test(v) ? undefined : codeMessages(spec.label).format;
    case 'idNumber':
      return idNumberProblem(v);
    case 'regionCode':
      if (typeof v !== 'string') return '行政区划代码必须是字符串';
      return REGION.test(v) ? undefined : '行政区划代码应为6位数字';
    case 'date':
      return typeof v === 'string' && ZOD_DATE.test(v) ? undefined : '日期格式应为 YYYY-MM-DD';
    case 'yuan':
      if (typeof v !== 'number' || !Number.isFinite(v)) return '金额必须是数字（元）';
      if (v < 0) return '金额不能为负数';
      if (v > 100_000_000) return '金额超出合理范围';
      return hasAtMostTwoDecimals(v) ? undefined : '金额最多保留两位小数';
    case 'grade':
      if (typeof v !== 'number' || !Number.isFinite(v)) return gradeMessages.type;
      // zod's `.int()` is a safe-integer check.
      if (!Number.isSafeInteger(v)) return gradeMessages.int;
      return v < 1 || v > 4 ? gradeMessages.range : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : booleanMessage(spec.label);
    case 'enum':
      return enumProblem(v, spec, t.values);
    case 'idNumberList': {
      if (!Array.isArray(v)) return listMessage(spec.label);
      if (v.length === 0) return `${spec.label}不能为空`;
      for (const x of v) {
        const p = idNumberProblem(x);
        if (p) return p;
      }
      return undefined;
    }
    case 'enumList': {
      if (!Array.isArray(v)) return listMessage(spec.label);
      for (const x of v) {
        const p = enumProblem(x, spec, t.values);
        if (p) return p;
      }
      return undefined;
    }
  }
}

export type Validation<Row> = { ok: true; row: Row } | { ok: false; reason: string };

/**
 * Validates a decoded record (a parsed JSON line, or a CSV row after `csvValue`): every field in
 * definition order, then the rules between fields; the first problem is the reason. Unknown keys are
 * dropped, absent booleans take their default — as the zod schema does.
 */
export function validateRecord<Row>(def: RecordDefinition<Row>, value: unknown): Validation<Row> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: NOT_OBJECT };
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const spec = fields[i]!;
    const v = input[spec.name];
    if (v === undefined) {
      if (spec.default !== undefined) out[spec.name] = spec.default;
      else if (spec.required === true)
        return {
          ok: false,
          reason: problemReason(def as RecordDefinition<unknown>, {
            field: spec.name,
            message: fieldProblem(spec, v)!,
          }),
        };
      continue;
    }
    const problem = fieldProblem(spec, v);
    if (problem)
      return {
        ok: false,
        reason: problemReason(def as RecordDefinition<unknown>, { field: spec.name, message: problem }),
      };
    out[spec.name] = v;
  }
  const cross = def.check?.(out as Row);
  if (cross) return { ok: false, reason: problemReason(def as RecordDefinition<unknown>, cross) };
  return { ok: true, row: out as Row };
}

export function validateFeedRecord<F extends FeedName>(feed: F, value: unknown): Validation<FeedRows[F]> {
  return validateRecord(feedDefinitions[feed] as RecordDefinition<FeedRows[F]>, value);
}

/**
 * Validates a row that arrives as named text cells — e.g. an item of a Step Functions Distributed Map
 * reading a CSV from S3 (ItemReader with a header row gives `{ column: "text" }`) — exactly as a line of
 * the same CSV file would be.
 */
export function validateCsvCells<F extends FeedName>(
  feed: F,
  cells: Readonly<Record<string, string | undefined>>,
): Validation<FeedRows[F]> {
  const def = feedDefinitions[feed] as RecordDefinition<FeedRows[F]>;
  const record: Record<string, unknown> = {};
  for (const spec of def.fields) {
    const text = cells[spec.name];
    const v = text === undefined ? undefined : csvValue(spec, text);
    if (v !== undefined) record[spec.name] = v;
  }
  return validateRecord(def, record);
}
