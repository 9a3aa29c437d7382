/**
 * The field specifications: one table per feed from which the zod schemas, the fast validator, CSV
 * conversion and the published documentation are all derived, so that they cannot drift apart. The row
 * types are what a valid line becomes; the checks between fields live beside the fields they relate.
 */

import { toFen as fen } from '../../domain/money.ts';
import {
  type DamageLevel,
  damageLevels,
  disabilityActions,
  disabilityCategories,
  disasterEvents,
  disasterTypes,
  educationEvents,
  employmentEvents,
  type FeedName,
  healthEvents,
  relapseCauses,
  relapseStatuses,
  type SchoolStage,
  schoolStages,
} from './names.ts';

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
