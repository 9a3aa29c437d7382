/**
 * The household self-declaration (自主申报): the single source for the API request types, the
 * browser form's validation and the OpenAPI document. Money is in yuan with at most two decimals;
 * the rules convert to fen before any arithmetic.
 */
import { z } from 'zod';
import { isValidIdNumber } from '../domain/id-number.ts';

z.config(z.locales.zhCN());

export const regionCode = z
  .string({ error: '行政区划代码必须是字符串' })
  .regex(/^\d{6}$/, { error: '行政区划代码应为6位数字' });

export const isoDate = z.iso.date({ error: '日期格式应为 YYYY-MM-DD' });

export const yuan = z
  .number({ error: '金额必须是数字（元）' })
  .nonnegative({ error: '金额不能为负数' })
  .max(100_000_000, { error: '金额超出合理范围' })
  .multipleOf(0.01, { error: '金额最多保留两位小数' });

export const idNumber = z
  .string({ error: '身份证号码必须是字符串' })
  .regex(/^\d{17}[\dX]$/, { error: '身份证号码应为18位（最后一位可为X）' })
  .refine(isValidIdNumber, { error: '身份证号码校验位不正确（GB 11643）' });

const personName = z
  .string({ error: '姓名必须是字符串' })
  .trim()
  .min(1, { error: '姓名不能为空' })
  .max(50, { error: '姓名过长' });

export const incomeKinds = [
  'wage', // 工资性收入
  'business', // 经营净收入
  'property', // 财产净收入
  'transfer', // 转移净收入
  'pension', // 养老金
  'agriculture', // 农业生产收入
  'other', // 其他收入
] as const;

export const incomeItem = z.object({
  kind: z.enum(incomeKinds, { error: '收入类型不正确' }),
  monthlyAmount: yuan,
});

export const relations = [
  'self',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'other',
] as const;

export const member = z.object({
  name: personName,
  idNumber,
  relation: z.enum(relations, { error: '与申请人关系不正确' }),
  age: z
    .number({ error: '年龄必须是数字' })
    .int({ error: '年龄必须是整数' })
    .min(0, { error: '年龄不能为负数' })
    .max(130, { error: '年龄不能超过130岁' }),
  /** 残疾等级 per the disability certificate: 1 and 2 are 重度残疾. */
  disabilityGrade: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
    .nullable()
    .default(null),
  /** 重病: a serious illness in the local catalogue of major diseases. */
  severeIllness: z.boolean().default(false),
  labourCapacity: z.enum(['full', 'partial', 'none'], { error: '劳动能力应为 full/partial/none' }),
  employed: z.boolean().default(false),
  incomes: z.array(incomeItem).max(20).default([]),
});

export const assets = z.object({
  /** 存款、理财等金融资产 */
  deposits: yuan,
  /** 机动车辆：车辆价值（元）；营运或残疾人代步车辆另行标注 */
  vehicles: z
    .array(z.object({ value: yuan, exempt: z.boolean().default(false) }))
    .max(20)
    .default([]),
  /** 家庭成员名下房产套数 */
  housingUnits: z.number().int().min(0).max(50),
});

export const requestedTiers = ['dibao', 'tekun', 'marginal', 'rigidExpense', 'emergency'] as const;

export const householdDeclaration = z.object({
  regionCode,
  residence: z.enum(['urban', 'rural'], { error: '户籍类别应为 urban（城市）或 rural（农村）' }),
  members: z
    .array(member)
    .min(1, { error: '至少填写一名家庭成员' })
    .max(30)
    .refine((ms) => ms.filter((m) => m.relation === 'self').length === 1, {
      error: '家庭成员中必须有且只有一名申请人本人（relation=self）',
    })
    .refine((ms) => new Set(ms.map((m) => m.idNumber)).size === ms.length, {
      error: '家庭成员身份证号码重复',
    }),
  assets,
  /** 申请前12个月的必需支出 */
  spendingLast12Months: z.object({ medical: yuan, education: yuan }),
  /** 无法定赡养、抚养、扶养义务人，或其无履行能力（特困条件） */
  hasAbleSupporter: z.boolean().default(true),
});

export const applicationRequest = householdDeclaration.extend({
  applicant: z.object({
    name: personName,
    phone: z.string().regex(/^1\d{10}$/, { error: '手机号应为11位，以1开头' }),
  }),
  requestedTier: z.enum(requestedTiers, { error: '申请类别不正确' }),
  pledge: z.literal(true, { error: '须承诺所报信息真实（pledge=true）' }),
  verificationConsent: z.literal(true, { error: '须授权核对家庭经济状况（verificationConsent=true）' }),
});

export type HouseholdDeclaration = z.infer<typeof householdDeclaration>;
export type Member = z.infer<typeof member>;
export type ApplicationRequest = z.infer<typeof applicationRequest>;
export type RequestedTier = (typeof requestedTiers)[number];
