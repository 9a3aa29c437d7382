/**
 * The household self-declaration (自主申报): the single source for the API request types, the
 * browser form's validation and the OpenAPI document. Money is in yuan with at most two decimals;
 * the rules convert to fen before any arithmetic.
 */
import { z } from 'zod';
import { isValidIdNumber } from '../domain/id-number.ts';
import { specialItems } from '../domain/special-assistance.ts';

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

/**
 * Income by kind, fine enough that each tier's exclusions can be applied: 民发〔2021〕57号 第十三条
 * lists what household income is and what is not counted; 民发〔2021〕43号 第六条 lists 特困's own
 * exclusions. Which kinds a region leaves out is the parameter `excludedIncomeKinds`, per tier.
 */
export const incomeKinds = [
  'wage', // 工资性收入
  'business', // 经营净收入
  'property', // 财产净收入
  'agriculture', // 农业生产收入
  'pension', // 离退休金
  'basicPension', // 城乡居民基本养老保险基础养老金
  'supportPayment', // 家庭外义务人给付的赡养费、抚养费、扶养费
  'transfer', // 其他转移性收入：失业保险金、遗属补助金、赔偿收入、捐赠收入等
  'specialCare', // 优待抚恤金
  'familyPlanning', // 计划生育奖励与扶助金
  'scholarship', // 奖学金、助学金
  'heroicReward', // 见义勇为等奖励性补助
  'assistance', // 政府发放的各类社会救助款物
  'allowance', // 高龄津贴等各类津贴、补贴
  'other', // 其他收入
] as const;
export type IncomeKind = (typeof incomeKinds)[number];

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

/** 残疾类别 on the 中华人民共和国残疾人证 (GB/T 26341). */
export const disabilityCategories = [
  'visual', // 视力残疾
  'hearing', // 听力残疾
  'speech', // 言语残疾
  'physical', // 肢体残疾
  'intellectual', // 智力残疾
  'mental', // 精神残疾
  'multiple', // 多重残疾
] as const;
export type DisabilityCategory = (typeof disabilityCategories)[number];
/** 残疾类别 as the 残疾人证 names them: the one list of labels the rules, the feeds and the pages read. */
export const disabilityCategoryLabels: Record<DisabilityCategory, string> = {
  visual: '视力残疾',
  hearing: '听力残疾',
  speech: '言语残疾',
  physical: '肢体残疾',
  intellectual: '智力残疾',
  mental: '精神残疾',
  multiple: '多重残疾',
};
export const disabilityGrade = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
  error: '残疾等级应为1至4级',
});
export type DisabilityGrade = z.infer<typeof disabilityGrade>;

/** 就学阶段: the stages the law names (第十六条: 义务教育、高中阶段教育（含中职）; 第七条: 本科及以下). */
export const schoolingStages = [
  'compulsory', // 义务教育（小学、初中）
  'seniorSecondary', // 高中阶段教育（普通高中、中等职业教育）
  'higher', // 高等教育（本科及以下）
] as const;
export type SchoolingStage = (typeof schoolingStages)[number];
/** The youngest age at which a stage is plausible: below it the declaration is refused. */
export const schoolingMinAge: Record<SchoolingStage, number> = {
  compulsory: 5,
  seniorSecondary: 12,
  higher: 14,
};
export const schoolingLabels: Record<SchoolingStage, string> = {
  compulsory: '义务教育阶段',
  seniorSecondary: '高中阶段（含中职）',
  higher: '高等教育阶段',
};

/**
 * 不计入共同生活的家庭成员 (民发〔2021〕57号 第七条第二款): whoever lives where, these are not members of
 * the household — a full-time student among them included.
 */
export const notCountedReasons = [
  'clergy', // （一）连续三年以上（含三年）脱离家庭独立生活的宗教教职人员
  'imprisoned', // （二）在监狱内服刑
  'compulsoryRehab', // （二）在戒毒所强制隔离戒毒
  'missing', // （二）宣告失踪
  'provincial', // （三）省级人民政府民政部门认定的其他人员
] as const;
export type NotCountedReason = (typeof notCountedReasons)[number];
export const notCountedLabels: Record<NotCountedReason, string> = {
  clergy: '连续三年以上脱离家庭独立生活的宗教教职人员',
  imprisoned: '在监狱内服刑',
  compulsoryRehab: '在戒毒所强制隔离戒毒',
  missing: '宣告失踪',
  provincial: '省级民政部门认定不计入的其他人员',
};

/** 民发〔2021〕43号 第二十一条: the six daily activities of the self-care assessment. */
export const dailyActivities = [
  'eating', // 自主吃饭
  'dressing', // 自主穿衣
  'transferring', // 自主上下床
  'toileting', // 自主如厕
  'walkingIndoors', // 室内自主行走
  'bathing', // 自主洗澡
] as const;

export const member = z
  .object({
    name: personName,
    idNumber,
    relation: z.enum(relations, { error: '与申请人关系不正确' }),
    age: z
      .number({ error: '年龄必须是数字' })
      .int({ error: '年龄必须是整数' })
      .min(0, { error: '年龄不能为负数' })
      .max(130, { error: '年龄不能超过130岁' }),
    /** 残疾类别 per the disability certificate; null when the member holds none. */
    disabilityCategory: z.enum(disabilityCategories, { error: '残疾类别不正确' }).nullable().default(null),
    /** 残疾等级 per the disability certificate: 1 and 2 are 重度残疾. */
    disabilityGrade: disabilityGrade.nullable().default(null),
    /** 重病: a serious illness in the local catalogue of 重特大疾病. */
    severeIllness: z.boolean().default(false),
    labourCapacity: z.enum(['full', 'partial', 'none'], { error: '劳动能力应为 full/partial/none' }),
    employed: z.boolean().default(false),
    /** 就学情况: null when not in school. */
    schooling: z
      .object({
        stage: z.enum(schoolingStages, { error: '就学阶段应为 compulsory/seniorSecondary/higher' }),
        fullTime: z.boolean({ error: '是否全日制应为 true 或 false' }).default(true),
      })
      .nullable()
      .default(null),
    /** 共同生活: lives with the household. A full-time student away at school still counts (第七条). */
    livesWithHousehold: z.boolean({ error: '是否共同生活应为 true 或 false' }).default(true),
    /** Not a member of the household whatever else is declared (57号 第七条第二款); null when counted. */
    notCounted: z
      .enum(notCountedReasons, {
        error:
          '不计入共同生活家庭成员的情形应为 clergy（宗教教职人员）、imprisoned（服刑）、compulsoryRehab（强制隔离戒毒）、missing（宣告失踪）或 provincial（省级认定的其他人员）',
      })
      .nullable()
      .default(null),
    /** 生活自理能力评估: the daily activities the member cannot manage (43号 第二十一条、第二十二条). */
    selfCareUnable: z
      .array(z.enum(dailyActivities, { error: '生活自理能力指标不正确' }))
      .max(dailyActivities.length)
      .refine((a) => new Set(a).size === a.length, { error: '生活自理能力指标重复' })
      .default([]),
    incomes: z.array(incomeItem).max(20).default([]),
  })
  .superRefine((m, ctx) => {
    if ((m.disabilityGrade === null) !== (m.disabilityCategory === null))
      ctx.addIssue({
        code: 'custom',
        path: [m.disabilityGrade === null ? 'disabilityGrade' : 'disabilityCategory'],
        message: '残疾类别和残疾等级须同时填写（以残疾人证为准），或都不填',
      });
    if (m.schooling !== null && m.age < schoolingMinAge[m.schooling.stage])
      ctx.addIssue({
        code: 'custom',
        path: ['schooling', 'stage'],
        message: `${m.age}岁不可能处于${schoolingLabels[m.schooling.stage]}（就学阶段与年龄不符）`,
      });
    if (m.relation === 'self' && !m.livesWithHousehold)
      ctx.addIssue({
        code: 'custom',
        path: ['livesWithHousehold'],
        message: '申请人本人须为共同生活的家庭成员',
      });
    if (m.relation === 'self' && m.notCounted !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['notCounted'],
        message: `申请人本人须为共同生活的家庭成员，不能是“${notCountedLabels[m.notCounted]}”`,
      });
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

/**
 * 刚性支出 over the 12 months before the application, by the categories of 《刚性支出困难家庭认定办法》
 * 第五条; 生活支出 (its first item) is not declared but added by the county's rule (`rigidLivingExpense`).
 */
export const rigidSpending = z.object({
  /** 医疗支出：医保等报销后个人负担部分 */
  medical: yuan,
  /** 教育支出：个人负担的保教费、学费、住宿费 */
  education: yuan,
  /** 残疾康复支出：扣除政府补助、保险赔付后个人负担部分 */
  rehabilitation: yuan.default(0),
  /** 县级民政部门认定的其他必需支出 */
  other: yuan.default(0),
});

/** 法定义务人无履行义务能力的情形 (民发〔2021〕43号 第八条). */
export const obligorInabilities = [
  'tekun', // （一）特困人员
  'dibaoElderly', // （二）60周岁以上的最低生活保障对象
  'elderlyLowIncome', // （三）70周岁以上、收入低于上年人均可支配收入、财产符合规定
  'disabledLowIncome', // （四）重度残疾人或三级智力、精神残疾人，收入低于上年人均可支配收入、财产符合规定
  'incapacitated', // （五）无民事行为能力、被宣告失踪或在监狱服刑，财产符合规定
  'provincial', // （六）省级人民政府规定的其他情形
] as const;

/** A legal supporter outside the household (赡养、抚养、扶养义务人), as the county found them. */
export const obligor = z
  .object({
    name: personName,
    relation: z.enum(relations, { error: '与申请人关系不正确' }).exclude(['self']),
    ableToSupport: z.boolean({ error: '是否具有履行义务能力应为 true 或 false' }),
    /** Required when the obligor cannot support: which ground of 第八条. */
    inability: z.enum(obligorInabilities, { error: '无履行义务能力的情形不正确' }).nullable().default(null),
    /** What the ground rests on (e.g. the certificate or the province's rule). */
    note: z.string().trim().max(200).default(''),
  })
  .superRefine((o, ctx) => {
    if (!o.ableToSupport && o.inability === null)
      ctx.addIssue({
        code: 'custom',
        path: ['inability'],
        message: '义务人无履行义务能力的，须写明属于《特困人员认定办法》第八条的哪种情形',
      });
    if (o.ableToSupport && o.inability !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['inability'],
        message: '有履行义务能力的义务人不应填写无能力情形',
      });
    if (o.inability === 'provincial' && o.note === '')
      ctx.addIssue({ code: 'custom', path: ['note'], message: '省级规定的其他情形须注明依据' });
  });

export const requestedTiers = ['dibao', 'tekun', 'marginal', 'rigidExpense', 'emergency'] as const;

/** The declaration's fields; schemas that override one of them extend this and add `supportersAgree`. */
export const householdFields = z.object({
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
  /** 申请前12个月的刚性支出 */
  spendingLast12Months: rigidSpending,
  /**
   * 家庭以外的法定赡养、抚养、扶养义务人 (特困's "no able supporter"): each with whether they can support
   * and, if not, why. Absent when not declared; then `hasAbleSupporter` stands alone.
   */
  obligors: z.array(obligor).max(30).optional(),
  /** 有具备履行能力的法定义务人. Defaults to true (特困 is not presumed); derived from `obligors` when given. */
  hasAbleSupporter: z.boolean().optional(),
  /** 收入来源不固定 (e.g. casual work): with a member able to work, the 低保 household is checked half-yearly. */
  irregularIncome: z.boolean().default(false),
  /**
   * 住房困难 (社会救助法第二十六条): no home of its own, or one below the local standard or unsafe. Read by
   * the special-assistance rules (住房救助), not by the means test.
   */
  housingDifficulty: z.boolean().default(false),
});

/** An object-level check: `hasAbleSupporter`, when given beside the obligors, must say what they say. */
export function supportersAgree(
  h: { obligors?: Array<{ ableToSupport: boolean }> | undefined; hasAbleSupporter?: boolean | undefined },
  ctx: z.RefinementCtx,
): void {
  if (h.obligors === undefined || h.hasAbleSupporter === undefined) return;
  if (h.hasAbleSupporter !== h.obligors.some((o) => o.ableToSupport))
    ctx.addIssue({
      code: 'custom',
      path: ['hasAbleSupporter'],
      message: '“有具备履行能力的法定义务人”与所列义务人情况不一致',
    });
}

// Schemas built on a refined one may `.extend` with new keys only; zod refuses `.omit` or overriding.
export const householdDeclaration = householdFields.superRefine(supportersAgree);

/** Whether a legal supporter able to support exists: from the obligors when declared, else the flag (default yes). */
export const hasAbleSupporter = (h: Pick<HouseholdDeclaration, 'obligors' | 'hasAbleSupporter'>): boolean =>
  h.obligors !== undefined ? h.obligors.some((o) => o.ableToSupport) : (h.hasAbleSupporter ?? true);

const mobilePhone = z.string().regex(/^1\d{10}$/, { error: '手机号应为11位，以1开头' });
/** 短信通知: SMS (the default) or none; the written notices stand either way. */
const notifyChoice = z
  .enum(['sms', 'none'], { error: '通知方式应为 sms（短信）或 none（不发送）' })
  .describe('通知方式：sms 短信（默认）、none 不发送；书面告知不受影响');

/** Who applies, with the pledge and the consent every application carries (第四十条). */
export const applicantFields = {
  applicant: z.object({
    name: personName,
    phone: mobilePhone,
    notify: notifyChoice.optional(),
  }),
  pledge: z.literal(true, { error: '须承诺所报信息真实（pledge=true）' }),
  verificationConsent: z.literal(true, { error: '须授权核对家庭经济状况（verificationConsent=true）' }),
  /**
   * 一次申请、分类审核认定: the special assistance the household asks for beside the tier; the
   * determination's notice answers each (`answerSpecialRequests`).
   */
  specialRequests: z
    .array(z.enum(specialItems, { error: `专项救助项目应为 ${specialItems.join('、')} 之一` }))
    .max(specialItems.length)
    .refine((r) => new Set(r).size === r.length, { error: '专项救助项目重复' })
    .default([]),
};

/** How the household is reached after it applied: a new phone number, or SMS turned on or off. */
export const householdContactBody = z.object({
  phone: mobilePhone.describe('接收短信的手机号'),
  notify: notifyChoice,
});

/** Where a household's SMS go now, as `GET` and `PUT /cases/{caseId}/contact` answer. */
export const householdContactView = z.object({
  phoneMasked: z.string().describe('脱敏手机号，如 138****5678'),
  notify: notifyChoice,
  source: z.enum(['declared', 'changed']).describe('declared 申请时所填；changed 此后变更'),
  changedAt: z.string().nullable(),
});
export const householdContactShown = z
  .object({ caseId: z.string(), contact: householdContactView.nullable() })
  .meta({ title: '短信通知方式' });
export const householdContactChanged = z
  .object({
    caseId: z.string(),
    outcome: z.enum(['changed', 'same']).describe('changed 已变更；same 与现用的相同，未写入'),
    contact: householdContactView,
    message: z.string(),
  })
  .meta({ title: '短信通知方式' });

export const applicationRequest = householdDeclaration.extend({
  ...applicantFields,
  requestedTier: z.enum(requestedTiers, { error: '申请类别不正确' }),
});

export type HouseholdDeclaration = z.infer<typeof householdDeclaration>;
export type Member = z.infer<typeof member>;
export type ApplicationRequest = z.infer<typeof applicationRequest>;
export type RequestedTier = (typeof requestedTiers)[number];
