/**
 * The zod schemas: the documented reference, for JSON bodies and OpenAPI, and the yardstick the tests
 * hold the fast validator to. Not on the streaming path — zod costs ~4 µs a row, too dear for millions.
 */
import { z } from 'zod';
import {
  idNumber as idNumberSchema,
  isoDate,
  regionCode as regionCodeSchema,
  yuan,
} from '../../schemas/household.ts';
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
import type { Validation } from './validate.ts';

function zodFor(spec: FieldSpec): z.ZodType {
  const t = spec.type;
  let schema: z.ZodType;
  switch (t.kind) {
    case 'recordId': {
      const m = codeMessages(spec.label);
      schema = z.string({ error: m.type }).regex(RECORD_ID, { error: m.format });
      break;
    }
    case 'idNumber':
      schema = idNumberSchema;
      break;
    case 'regionCode':
      schema = regionCodeSchema;
      break;
    case 'date':
      schema = isoDate;
      break;
    case 'yuan':
      schema = yuan;
      break;
    case 'grade':
      schema = z
        .number({ error: gradeMessages.type })
        .int({ error: gradeMessages.int })
        .min(1, { error: gradeMessages.range })
        .max(4, { error: gradeMessages.range });
      break;
    case 'boolean':
      schema = z.boolean({ error: booleanMessage(spec.label) });
      break;
    case 'enum':
      schema = z.enum(Object.keys(t.values) as [string, ...string[]], {
        error: enumMessage(spec.label, t.values),
      });
      break;
    case 'idNumberList':
      schema = z
        .array(idNumberSchema, { error: listMessage(spec.label) })
        .min(1, { error: `${spec.label}不能为空` });
      break;
    case 'enumList':
      schema = z.array(
        z.enum(Object.keys(t.values) as [string, ...string[]], { error: enumMessage(spec.label, t.values) }),
        { error: listMessage(spec.label) },
      );
      break;
  }
  if (spec.default !== undefined) return schema.default(spec.default as never);
  return spec.required === true ? schema : schema.optional();
}

/** A zod schema for a record definition: the same rules as `validateRecord`, with the same reasons. */
export function recordSchema<Row>(def: RecordDefinition<Row>): z.ZodType<Row> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of def.fields) shape[f.name] = zodFor(f);
  const object = z.object(shape, { error: NOT_OBJECT });
  const check = def.check;
  if (!check) return object as unknown as z.ZodType<Row>;
  return object.superRefine((row, ctx) => {
    const problem = check(row as Row);
    if (problem)
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.field ? [problem.field] : [] });
  }) as unknown as z.ZodType<Row>;
}

/** The documented schemas of the seven feeds (for JSON bodies, OpenAPI and as the reference in tests). */
export const feedSchemas: { [F in FeedName]: z.ZodType<FeedRows[F]> } = {
  health: recordSchema(feedDefinitions.health),
  medicalInsurance: recordSchema(feedDefinitions.medicalInsurance),
  education: recordSchema(feedDefinitions.education),
  humanResources: recordSchema(feedDefinitions.humanResources),
  disability: recordSchema(feedDefinitions.disability),
  emergencyManagement: recordSchema(feedDefinitions.emergencyManagement),
  ruralAffairs: recordSchema(feedDefinitions.ruralAffairs),
};

/** Validates with zod and words the first issue as `validateRecord` does (the reference in tests). */
export function validateWithZod<Row>(
  def: RecordDefinition<Row>,
  schema: z.ZodType<Row>,
  value: unknown,
): { ok: true; row: Row } | { ok: false; reason: string } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, row: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path[0];
  return {
    ok: false,
    reason: problemReason(def as RecordDefinition<unknown>, {
      ...(typeof field === 'string' ? { field } : {}),
      message: issue.message,
    }),
  };
}

/** `validateWithZod` for a feed. */
export function validateFeedWithZod<F extends FeedName>(feed: F, value: unknown): Validation<FeedRows[F]> {
  return validateWithZod(
    feedDefinitions[feed] as RecordDefinition<FeedRows[F]>,
    feedSchemas[feed] as z.ZodType<FeedRows[F]>,
    value,
  );
}
