/**
 * 部门数据 (department feeds) for 低收入人口动态监测 (国办发〔2023〕39号：健全低收入人口动态监测机制，
 * 加强教育、人社、卫健、医保、残联、应急管理、农业农村等部门数据共享比对). Each department delivers a file,
 * either CSV (first line a header naming the columns, UTF-8, comma-separated, RFC 4180 quotes allowed within
 * one line) or JSON Lines (one JSON object per line). Money is in yuan with at most two decimals; dates are
 * YYYY-MM-DD (China civil dates). Every row names one person by 18-digit 公民身份号码 (GB 11643).
 *
 * Columns every feed has, in this order:
 *
 *   field        type          required  meaning
 *   recordId     text ≤ 64     yes       the department's own record number (结算单号、证号…): a warning is
 *                                        identified by feed + recordId, so a rerun yields the same warning id
 *   idNumber     ID number     yes       公民身份号码 of the person the record is about
 *   regionCode   6 digits      yes       行政区划代码 where the event was recorded (县级)
 *   eventDate    YYYY-MM-DD    yes       the day of the event (结算日、死亡日、登记日…)
 *
 * Then, per feed:
 *
 *   health (卫生健康部门：大额医疗费用、死亡)
 *     eventType     hospitalisation | death      yes   住院（大额医疗费用）或 死亡
 *     totalCost     yuan                         *     住院总费用；eventType=hospitalisation 时必填，death 时须为空
 *     majorDisease  true | false                 no    是否属于大病专项救治病种（缺省 false）
 *   medicalInsurance (医疗保障部门：报销、个人自付)
 *     totalCost     yuan                         yes   医疗总费用
 *     reimbursed    yuan                         yes   基本医保、大病保险、医疗救助已支付（不超过总费用）
 *     outOfPocket   yuan                         yes   个人自付（不超过总费用）
 *   education (教育部门：在学、家庭经济困难学生)
 *     eventType     enrolment | hardshipStudent  yes   入学/在学登记，或认定为家庭经济困难学生
 *     stage         preschool | primary | juniorSecondary | seniorSecondary | vocational | higher   yes  学段
 *   humanResources (人力资源社会保障部门：失业登记、就业、养老金)
 *     eventType     unemploymentRegistration | employment | pensionStart   yes
 *     monthlyAmount yuan                         *     月工资或月养老金；employment/pensionStart 必填，失业登记须为空
 *   disability (残疾人联合会：残疾人证及等级)
 *     action        issued | gradeChanged | revoked   yes   发证、等级变更、注销
 *     category      visual | hearing | speech | physical | intellectual | mental | multiple   yes  残疾类别
 *     grade         1–4                          *     残疾等级（1、2级为重度）；注销时可为空，其他必填
 *   emergencyManagement (应急管理部门：受灾人员、房屋损毁)
 *     eventType     disasterVictim | homeDamaged  yes   受灾人员登记，或住房损毁
 *     disasterType  flood | drought | earthquake | typhoon | landslide | fire | other   yes  灾害种类
 *     damageLevel   collapsed | severe | moderate | minor   *   倒塌、严重损坏、一般损坏、轻微；homeDamaged 必填
 *     directLoss    yuan                         no    直接经济损失
 *   ruralAffairs (农业农村部门：防止返贫监测)
 *     status        identified | riskEliminated   yes   纳入防止返贫监测，或风险消除
 *     riskCause     illness | disability | schooling | unemployment | disaster | accident | other   no  主要风险
 *
 * In CSV an empty cell is a missing value; booleans are true/false (also 1/0, 是/否); columns may come in any
 * order and unknown columns are ignored (a department may send more than we read). A row that breaks a rule
 * is rejected with its line number (1-based; a CSV header is line 1) and the field and reason in Chinese, and
 * the rest of the file is still read. Blank lines are not rows and are counted apart.
 *
 * Two validators check the same rules: the zod schemas (`feedSchemas`, the documented reference, for APIs and
 * OpenAPI) and a hand-written one (`validateFeedRecord`) that the streaming comparison uses because it runs
 * millions of rows (zod costs ~4 µs a row); test/monitoring checks they accept the same rows and give the same
 * first reason. On top, a plain CSV line whose every cell is unmistakably valid is decoded in one pass
 * (`fastCsvRow`); anything else takes the general path, so reasons come from one place.
 */
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { isValidIdNumber } from '../domain/id-number.ts';
import {
  idNumber as idNumberSchema,
  isoDate,
  regionCode as regionCodeSchema,
  yuan,
} from '../schemas/household.ts';
import { type FeedName, feedNames } from './vocabulary.ts';

// ── names ────────────────────────────────────────────────────────────────────────────────────────

export { type Department, departmentLabels, departments, type FeedName, feedNames } from './vocabulary.ts';

export const feedDescriptions: Record<FeedName, string> = {
  health: '卫生健康部门：大额医疗费用（住院）、死亡',
  medicalInsurance: '医疗保障部门：医疗费用结算、报销、个人自付',
  education: '教育部门：学生在学登记、家庭经济困难学生认定',
  humanResources: '人力资源社会保障部门：失业登记、就业登记、养老金领取',
  disability: '残疾人联合会：残疾人证发放、等级变更、注销',
  emergencyManagement: '应急管理部门：受灾人员、住房损毁',
  ruralAffairs: '农业农村部门：防止返贫监测对象纳入与风险消除',
};

export type FeedFormat = 'csv' | 'jsonl';

// ── enumerations (value → Chinese label) ─────────────────────────────────────────────────────────

export const healthEvents = { hospitalisation: '住院（大额医疗费用）', death: '死亡' } as const;
export const educationEvents = {
  enrolment: '入学/在学登记',
  hardshipStudent: '家庭经济困难学生认定',
} as const;
export const schoolStages = {
  preschool: '学前教育',
  primary: '小学',
  juniorSecondary: '初中',
  seniorSecondary: '普通高中',
  vocational: '中等职业教育',
  higher: '高等教育',
} as const;
export const employmentEvents = {
  unemploymentRegistration: '失业登记',
  employment: '就业登记',
  pensionStart: '开始领取养老金',
} as const;
export const disabilityActions = { issued: '发证', gradeChanged: '等级变更', revoked: '注销' } as const;
export const disabilityCategories = {
  visual: '视力残疾',
  hearing: '听力残疾',
  speech: '言语残疾',
  physical: '肢体残疾',
  intellectual: '智力残疾',
  mental: '精神残疾',
  multiple: '多重残疾',
} as const;
export const disasterEvents = { disasterVictim: '受灾人员', homeDamaged: '住房损毁' } as const;
export const disasterTypes = {
  flood: '洪涝',
  drought: '干旱',
  earthquake: '地震',
  typhoon: '台风',
  landslide: '地质灾害',
  fire: '火灾',
  other: '其他灾害',
} as const;
export const damageLevels = {
  collapsed: '倒塌',
  severe: '严重损坏',
  moderate: '一般损坏',
  minor: '轻微损坏',
} as const;
export const relapseStatuses = { identified: '纳入防止返贫监测', riskEliminated: '风险消除' } as const;
export const relapseCauses = {
  illness: '因病',
  disability: '因残',
  schooling: '因学',
  unemployment: '因失业',
  disaster: '因灾',
  accident: '因意外事故',
  other: '其他',
} as const;

export type SchoolStage = keyof typeof schoolStages;
export type DamageLevel = keyof typeof damageLevels;

// ── field specifications: one table drives zod, the fast validator, CSV conversion and the docs ────

export type FieldKind =
  /** An identifier: 1–64 letters, digits or `_ . : -` (record numbers, household and case ids). */
  | { kind: 'recordId' }
  | { kind: 'idNumber' }
  | { kind: 'regionCode' }
  | { kind: 'date' }
  | { kind: 'yuan' }
  | { kind: 'grade' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: Readonly<Record<string, string>> }
  /** A list of values: `;`-separated in CSV, an array in JSON. */
  | { kind: 'idNumberList' }
  | { kind: 'enumList'; values: Readonly<Record<string, string>> };

export interface FieldSpec {
  name: string;
  /** Chinese name, used in every rejection reason. */
  label: string;
  type: FieldKind;
  /** `true`: must be present; `false`: may be absent; `'conditional'`: the record's own check decides. */
  required: boolean | 'conditional';
  /** A value taken when the field is absent (booleans only). */
  default?: boolean;
  description: string;
}

/** The first problem found in a record: the field (if any) and the reason. */
export interface FieldProblem {
  field?: string;
  message: string;
}

export interface RecordDefinition<Row> {
  name: string;
  fields: readonly FieldSpec[];
  /** Rules between fields, applied once every field is valid on its own. */
  check?: (row: Row) => FieldProblem | undefined;
  /** Only to carry the row type. */
  readonly _row?: Row;
}

const common: readonly FieldSpec[] = [
  {
    name: 'recordId',
    label: '记录编号',
    type: { kind: 'recordId' },
    required: true,
    description: '部门记录编号（结算单号、证号等）；同一文件内唯一，重复比对得到相同的预警编号',
  },
  {
    name: 'idNumber',
    label: '身份证号码',
    type: { kind: 'idNumber' },
    required: true,
    description: '公民身份号码（18位，GB 11643）',
  },
  {
    name: 'regionCode',
    label: '行政区划代码',
    type: { kind: 'regionCode' },
    required: true,
    description: '记录发生地的县级行政区划代码（6位）',
  },
  {
    name: 'eventDate',
    label: '事件日期',
    type: { kind: 'date' },
    required: true,
    description: '事件发生日期（YYYY-MM-DD）',
  },
];

interface CommonRow {
  recordId: string;
  idNumber: string;
  regionCode: string;
  eventDate: string;
}

export interface HealthRow extends CommonRow {
  eventType: keyof typeof healthEvents;
  totalCost?: number | undefined;
  majorDisease: boolean;
}
export interface MedicalInsuranceRow extends CommonRow {
  totalCost: number;
  reimbursed: number;
  outOfPocket: number;
}
export interface EducationRow extends CommonRow {
  eventType: keyof typeof educationEvents;
  stage: SchoolStage;
}
export interface HumanResourcesRow extends CommonRow {
  eventType: keyof typeof employmentEvents;
  monthlyAmount?: number | undefined;
}
export interface DisabilityRow extends CommonRow {
  action: keyof typeof disabilityActions;
  category: keyof typeof disabilityCategories;
  grade?: number | undefined;
}
export interface EmergencyManagementRow extends CommonRow {
  eventType: keyof typeof disasterEvents;
  disasterType: keyof typeof disasterTypes;
  damageLevel?: DamageLevel | undefined;
  directLoss?: number | undefined;
}
export interface RuralAffairsRow extends CommonRow {
  status: keyof typeof relapseStatuses;
  riskCause?: keyof typeof relapseCauses | undefined;
}

export interface FeedRows {
  health: HealthRow;
  medicalInsurance: MedicalInsuranceRow;
  education: EducationRow;
  humanResources: HumanResourcesRow;
  disability: DisabilityRow;
  emergencyManagement: EmergencyManagementRow;
  ruralAffairs: RuralAffairsRow;
}
export type FeedRow = FeedRows[FeedName];

const fen = (yuanAmount: number) => Math.round(yuanAmount * 100);

export const feedDefinitions: { [F in FeedName]: RecordDefinition<FeedRows[F]> } = {
  health: {
    name: 'health',
    fields: [
      ...common,
      {
        name: 'eventType',
        label: '事件类型',
        type: { kind: 'enum', values: healthEvents },
        required: true,
        description: '住院（大额医疗费用）或死亡',
      },
      {
        name: 'totalCost',
        label: '住院总费用',
        type: { kind: 'yuan' },
        required: 'conditional',
        description: '住院总费用（元）；住院必填，死亡须为空',
      },
      {
        name: 'majorDisease',
        label: '大病专项救治病种',
        type: { kind: 'boolean' },
        required: false,
        default: false,
        description: '是否属于大病专项救治病种（缺省为否）',
      },
    ],
    check: (row) => {
      if (row.eventType === 'hospitalisation' && row.totalCost === undefined)
        return { field: 'totalCost', message: '住院记录须填写住院总费用' };
      if (row.eventType === 'death' && row.totalCost !== undefined)
        return { field: 'totalCost', message: '死亡记录不应填写住院总费用' };
      return undefined;
    },
  },
  medicalInsurance: {
    name: 'medicalInsurance',
    fields: [
      ...common,
      {
        name: 'totalCost',
        label: '医疗总费用',
        type: { kind: 'yuan' },
        required: true,
        description: '医疗总费用（元）',
      },
      {
        name: 'reimbursed',
        label: '已报销金额',
        type: { kind: 'yuan' },
        required: true,
        description: '基本医保、大病保险、医疗救助已支付（元）',
      },
      {
        name: 'outOfPocket',
        label: '个人自付',
        type: { kind: 'yuan' },
        required: true,
        description: '个人自付（元）',
      },
    ],
    check: (row) => {
      if (fen(row.reimbursed) > fen(row.totalCost))
        return { field: 'reimbursed', message: '已报销金额不应超过医疗总费用' };
      if (fen(row.outOfPocket) > fen(row.totalCost))
        return { field: 'outOfPocket', message: '个人自付不应超过医疗总费用' };
      return undefined;
    },
  },
  education: {
    name: 'education',
    fields: [
      ...common,
      {
        name: 'eventType',
        label: '事件类型',
        type: { kind: 'enum', values: educationEvents },
        required: true,
        description: '入学/在学登记，或家庭经济困难学生认定',
      },
      {
        name: 'stage',
        label: '学段',
        type: { kind: 'enum', values: schoolStages },
        required: true,
        description: '学段',
      },
    ],
  },
  humanResources: {
    name: 'humanResources',
    fields: [
      ...common,
      {
        name: 'eventType',
        label: '事件类型',
        type: { kind: 'enum', values: employmentEvents },
        required: true,
        description: '失业登记、就业登记或开始领取养老金',
      },
      {
        name: 'monthlyAmount',
        label: '月收入金额',
        type: { kind: 'yuan' },
        required: 'conditional',
        description: '月工资或月养老金（元）；就业、养老金必填，失业登记须为空',
      },
    ],
    check: (row) => {
      if (row.eventType === 'unemploymentRegistration') {
        if (row.monthlyAmount !== undefined)
          return { field: 'monthlyAmount', message: '失业登记不应填写月收入金额' };
      } else if (row.monthlyAmount === undefined) {
        return { field: 'monthlyAmount', message: '就业登记、养老金记录须填写月收入金额' };
      }
      return undefined;
    },
  },
  disability: {
    name: 'disability',
    fields: [
      ...common,
      {
        name: 'action',
        label: '证件事项',
        type: { kind: 'enum', values: disabilityActions },
        required: true,
        description: '发证、等级变更或注销',
      },
      {
        name: 'category',
        label: '残疾类别',
        type: { kind: 'enum', values: disabilityCategories },
        required: true,
        description: '残疾类别',
      },
      {
        name: 'grade',
        label: '残疾等级',
        type: { kind: 'grade' },
        required: 'conditional',
        description: '残疾等级1–4（1、2级为重度残疾）；注销可为空，其他必填',
      },
    ],
    check: (row) =>
      row.action !== 'revoked' && row.grade === undefined
        ? { field: 'grade', message: '发证、等级变更须填写残疾等级' }
        : undefined,
  },
  emergencyManagement: {
    name: 'emergencyManagement',
    fields: [
      ...common,
      {
        name: 'eventType',
        label: '事件类型',
        type: { kind: 'enum', values: disasterEvents },
        required: true,
        description: '受灾人员登记或住房损毁',
      },
      {
        name: 'disasterType',
        label: '灾害种类',
        type: { kind: 'enum', values: disasterTypes },
        required: true,
        description: '灾害种类',
      },
      {
        name: 'damageLevel',
        label: '房屋损毁程度',
        type: { kind: 'enum', values: damageLevels },
        required: 'conditional',
        description: '倒塌、严重损坏、一般损坏、轻微损坏；住房损毁必填',
      },
      {
        name: 'directLoss',
        label: '直接经济损失',
        type: { kind: 'yuan' },
        required: false,
        description: '直接经济损失（元）',
      },
    ],
    check: (row) =>
      row.eventType === 'homeDamaged' && row.damageLevel === undefined
        ? { field: 'damageLevel', message: '住房损毁记录须填写房屋损毁程度' }
        : undefined,
  },
  ruralAffairs: {
    name: 'ruralAffairs',
    fields: [
      ...common,
      {
        name: 'status',
        label: '监测状态',
        type: { kind: 'enum', values: relapseStatuses },
        required: true,
        description: '纳入防止返贫监测或风险消除',
      },
      {
        name: 'riskCause',
        label: '主要风险',
        type: { kind: 'enum', values: relapseCauses },
        required: false,
        description: '主要致贫返贫风险',
      },
    ],
  },
};

// ── zod: the documented reference ────────────────────────────────────────────────────────────────

const RECORD_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const codeMessages = (label: string) => ({
  type: `${label}必须是字符串`,
  format: `${label}应为1–64位字母、数字或 _ . : -`,
});
const NOT_OBJECT = '每行应为一个 JSON 对象';

const booleanMessage = (label: string) => `${label}应为 true 或 false`;
const enumMessage = (label: string, values: Readonly<Record<string, string>>) =>
  `${label}应为 ${Object.keys(values).join('/')} 之一`;
const gradeMessages = {
  type: '残疾等级必须是数字',
  int: '残疾等级必须是整数',
  range: '残疾等级应为1–4',
} as const;
const listMessage = (label: string) => `${label}应为列表（CSV 中以分号 ; 分隔）`;

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

/** The reason for a problem, as a rejection reports it: `字段 idNumber（身份证号码）：…`. */
export function problemReason(def: RecordDefinition<unknown>, problem: FieldProblem): string {
  if (problem.field === undefined) return problem.message;
  const spec = def.fields.find((f) => f.name === problem.field);
  return `字段 ${problem.field}（${spec?.label ?? problem.field}）：${problem.message}`;
}

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

// ── the fast validator: the same rules, written out for the hot path ─────────────────────────────

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
function fastCsvRow(def: RecordDefinition<unknown>, layout: CsvLayout, cells: string[]): unknown {
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

// ── streaming ────────────────────────────────────────────────────────────────────────────────────

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

// ── documentation ────────────────────────────────────────────────────────────────────────────────

export interface FieldDoc {
  field: string;
  type: string;
  required: string;
  description: string;
}

function typeText(t: FieldKind): string {
  switch (t.kind) {
    case 'recordId':
      return '文本（1–64位字母、数字或 _ . : -）';
    case 'idNumber':
      return '身份证号码（18位）';
    case 'regionCode':
      return '行政区划代码（6位）';
    case 'date':
      return '日期 YYYY-MM-DD';
    case 'yuan':
      return '金额（元，最多两位小数）';
    case 'grade':
      return '整数 1–4';
    case 'boolean':
      return 'true/false';
    case 'enum':
      return Object.entries(t.values)
        .map(([k, v]) => `${k}=${v}`)
        .join('；');
    case 'idNumberList':
      return '身份证号码列表（CSV 以 ; 分隔）';
    case 'enumList':
      return `列表（CSV 以 ; 分隔）：${Object.entries(t.values)
        .map(([k, v]) => `${k}=${v}`)
        .join('；')}`;
  }
}

/** The documented schema of a record definition: field, type, required and the Chinese description. */
export function describeRecord(def: RecordDefinition<unknown>): FieldDoc[] {
  return def.fields.map((f) => ({
    field: f.name,
    type: typeText(f.type),
    required: f.required === true ? '必填' : f.required === 'conditional' ? '视情况必填' : '选填',
    description: `${f.label}：${f.description}`,
  }));
}

export function describeFeed(feed: FeedName): FieldDoc[] {
  return describeRecord(feedDefinitions[feed] as RecordDefinition<unknown>);
}

/**
 * The feed schemas as plain text, one block per feed, for publishing to the departments: the column
 * order of a CSV header, then per field its type, whether it is required and what it means.
 */
export function renderFeedSchemas(feeds: readonly FeedName[] = feedNames): string {
  const out: string[] = [
    '低收入人口动态监测 · 部门数据接口说明',
    '格式：CSV（UTF-8，首行为列名，逗号分隔）或 JSON Lines（每行一个 JSON 对象）。金额单位为元，最多两位小数；日期为 YYYY-MM-DD。',
    'CSV 中空单元格表示未填写；列顺序不限，多余的列忽略。不合格的行连同行号和原因写入比对报告，其余行照常比对。',
    '',
  ];
  for (const feed of feeds) {
    out.push(`【${feed}】${feedDescriptions[feed]}`);
    out.push(`CSV 表头：${feedDefinitions[feed].fields.map((f) => f.name).join(',')}`);
    for (const d of describeFeed(feed)) out.push(`  ${d.field}\t${d.type}\t${d.required}\t${d.description}`);
    out.push('');
  }
  return out.join('\n');
}
