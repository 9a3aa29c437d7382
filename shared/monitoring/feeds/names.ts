/**
 * The names every other part of the feeds reads: the feeds and departments (from vocabulary.ts, which
 * code that needs no schema imports on its own), the two file formats, and each enumeration's values
 * with the Chinese label that reasons, warnings and the published documentation show.
 */
import { disabilityCategoryLabels } from '../../schemas/household.ts';
import type { FeedName } from '../vocabulary.ts';

// ── names ────────────────────────────────────────────────────────────────────────────────────────

export { type Department, departmentLabels, departments, type FeedName, feedNames } from '../vocabulary.ts';

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
export const disabilityCategories = disabilityCategoryLabels;
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
