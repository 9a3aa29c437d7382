/**
 * Means-test parameters as date-versioned data per administrative region (行政区划代码) and residence
 * (城市/农村). A version carries only the values its region sets; resolution for a county merges, value
 * by value, the versions in force on the decision date at province (XX0000), prefecture (XXXX00) and
 * county level, the lowest level winning. That mirrors how standards are set: 国务院令第649号《社会救助暂行
 * 办法》第十条 lets the province or the 设区的市 fix the 低保 standard, and counties apply or raise it.
 *
 * Every value is stored with the clause that sets it, so a decision can cite the parameter's basis
 * next to the rule's clause; a version never overwrites another (see `addParameterVersion`).
 */
import { z } from 'zod';
import { specialItems, specialTiers } from '../domain/special-assistance.ts';
import { bankFileColumns, REQUIRED_BANK_COLUMNS } from '../payroll-files.ts';
import {
  disabilityCategories,
  disabilityGrade,
  incomeKinds,
  isoDate,
  regionCode,
  schoolingStages,
  yuan,
} from '../schemas/household.ts';

export const residences = ['urban', 'rural'] as const;
export type Residence = (typeof residences)[number];

/** A ratio or multiple kept to 4 decimals so the rules can work in exact integer basis points. */
const ratio = z
  .number({ error: '比例/倍数必须是数字' })
  .positive({ error: '比例/倍数必须大于0' })
  .max(100, { error: '比例/倍数超出合理范围' })
  .refine((r) => Math.abs(r * 10_000 - Math.round(r * 10_000)) < 1e-6, { error: '比例/倍数最多保留4位小数' });

/** The usual provincial period for the recheck after a member's death (docs/architecture.md §7). */
export const DEFAULT_DEATH_RECHECK_MONTHS = 3;

const months = z.number({ error: '月数必须是数字' }).int({ error: '月数必须是整数' }).min(1).max(60);
const days = z.number({ error: '天数必须是数字' }).int({ error: '天数必须是整数' }).min(1).max(365);
const positiveYuan = yuan.positive({ error: '标准必须大于0' });
const incomeKindList = z
  .array(z.enum(incomeKinds, { error: '收入类型不正确（不存在的收入类型）' }))
  .max(incomeKinds.length)
  .refine((a) => new Set(a).size === a.length, { error: '收入类型重复' });

/**
 * One row of the special-assistance table (`shared/domain/special-assistance.ts`): an item, the tiers
 * it follows, the members it reaches, what it gives and the clause it applies.
 */
const specialRule = z.object({
  item: z.enum(specialItems, { error: `专项救助项目应为 ${specialItems.join('、')} 之一` }),
  tiers: z
    .array(z.enum(specialTiers, { error: `救助类别应为 ${specialTiers.join('、')} 之一` }))
    .min(1, { error: '至少列出一个救助类别' })
    .max(specialTiers.length)
    .refine((t) => new Set(t).size === t.length, { error: '救助类别重复' }),
  recipients: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('everyMember') }),
      z.object({
        kind: z.literal('schooling'),
        stages: z.array(z.enum(schoolingStages, { error: '就学阶段不正确' })).min(1),
      }),
      z.object({
        kind: z.literal('unemployedAbleToWork'),
        minAge: z.number().int().min(14).max(30),
        maxAge: z.number().int().min(40).max(70),
      }),
      z.object({ kind: z.literal('disabled'), grades: z.array(disabilityGrade).min(1).max(4) }),
      z.object({ kind: z.literal('severeIllness') }),
      z.object({ kind: z.literal('housingDifficulty'), residence: z.enum(residences).optional() }),
    ],
    {
      error:
        '救助对象应为 everyMember、schooling、unemployedAbleToWork、disabled、severeIllness 或 housingDifficulty',
    },
  ),
  benefit: z.string({ error: '须写明救助内容' }).trim().min(1, { error: '须写明救助内容' }).max(200),
  share: ratio.max(1).optional(),
  ratio: ratio.max(1).optional(),
  annualCap: yuan.optional(),
  clause: z.string({ error: '须注明依据' }).trim().min(1, { error: '须注明依据' }).max(300),
});

export const depositLimitSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      /** 存款等金融资产不超过当地年低保标准的若干倍 */
      kind: z.literal('multipleOfAnnualDibaoStandard'),
      multiple: ratio,
      basis: z.enum(['perCapita', 'household'], { error: '应为 perCapita（人均）或 household（家庭合计）' }),
    }),
    z.object({
      kind: z.literal('absolute'),
      amount: yuan,
      basis: z.enum(['perCapita', 'household'], { error: '应为 perCapita（人均）或 household（家庭合计）' }),
    }),
  ],
  { error: '存款限额类型应为 multipleOfAnnualDibaoStandard 或 absolute' },
);

export const assetLimitSchema = z.object({
  deposits: depositLimitSchema,
  /** 非豁免机动车辆（不含残疾人功能性补偿代步车辆等）最多几辆 */
  maxNonExemptVehicles: z.number().int().min(0).max(20),
  /** 非豁免机动车辆合计价值上限；null 表示只限数量 */
  maxNonExemptVehicleValue: yuan.nullable(),
  maxHousingUnits: z.number().int().min(0).max(50),
});

/** The value of every parameter, as the rules read it once resolved. */
const valueShape = {
  /** 低保标准（元/人·月） */
  dibaoStandard: positiveYuan,
  /** 特困人员基本生活标准（元/人·月） */
  tekunBasicLivingStandard: positiveYuan,
  /** 低保边缘家庭收入线 = 低保标准 × 倍数 */
  marginalMultiple: ratio.min(1, { error: '低保边缘倍数不应小于1' }),
  /** 上年度当地居民人均可支配收入（元/年） */
  priorYearDisposableIncome: positiveYuan,
  /** 刚性支出占家庭总收入比例的认定线 */
  rigidExpenseRatio: ratio,
  /** 每名就业成员每月可扣减的必要就业成本（元），不超过其工资与经营收入 */
  employmentCostDeduction: yuan,
  /**
   * 不计入家庭收入的收入类型, per tier: 低保 (and the tiers measured against its lines: 单人保、低保边缘、
   * 刚性支出) by 民发〔2021〕57号 第十三条, 特困 by 民发〔2021〕43号 第六条 — the lists differ.
   */
  excludedIncomeKinds: z.object({ dibao: incomeKindList, tekun: incomeKindList }),
  assetLimits: z.object({
    tekun: assetLimitSchema,
    dibao: assetLimitSchema,
    marginal: assetLimitSchema,
    rigidExpense: assetLimitSchema,
  }),
  /** 无劳动能力、重度残疾的认定 */
  personCriteria: z.object({
    elderlyFromAge: z.number().int().min(0).max(130),
    minorBelowAge: z.number().int().min(0).max(30),
    /** 成年年龄：特困未成年人供养至此年龄，在义务教育、高中阶段就学的继续供养（社会救助法第十六条） */
    adultAge: z.number().int().min(16).max(30).default(18),
    /** 重度残疾的等级（各类别通用），用于单人保、分类施保 */
    severeDisabilityGrades: z.array(disabilityGrade).min(1).max(4),
    /** 视为无劳动能力的残疾：类别及其最低等级数（43号第五条：智力、精神一至三级，肢体一至二级，视力一级；省级可增加） */
    noLabourCapacityDisabilities: z
      .array(
        z.object({
          category: z.enum(disabilityCategories, { error: '残疾类别不正确' }),
          upToGrade: disabilityGrade,
        }),
      )
      .max(disabilityCategories.length)
      .refine((a) => new Set(a.map((x) => x.category)).size === a.length, { error: '残疾类别重复' }),
    /** 成年无业重度残疾人可参照单人户纳入低保（省级选项） */
    adultSevereDisabilityAlone: z.boolean().default(false),
  }),
  /** 特困人员照料护理标准（元/人·月），按生活自理能力评估结果（43号第二十二条；社会救助法第十七条） */
  tekunCareStandards: z.object({ fullSelfCare: yuan, partialLoss: yuan, fullLoss: yuan }),
  /**
   * 分类施保（社会救助法第二十条）：低保家庭中老年人、未成年人、重度残疾人、重病患者每人每月增发的金额；
   * combine 为 highest 时一人只按最高一项，为 sum 时各项相加
   */
  dibaoIncrements: z.object({
    elderlyFromAge: z.number().int().min(0).max(130),
    elderly: yuan,
    minor: yuan,
    severeDisability: yuan,
    seriousIllness: yuan,
    combine: z.enum(['highest', 'sum'], { error: '叠加方式应为 highest（取最高）或 sum（相加）' }),
  }),
  /** 低保金计算方式（社会救助法第十八条）：按实际差额，或按人均差额分档定额 */
  dibaoAmountMethod: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('gap') }),
      z.object({
        kind: z.literal('bands'),
        /** 人均差额不低于 minGapPerPerson 的，每人每月发 amountPerPerson；须有一档从0起 */
        bands: z
          .array(z.object({ minGapPerPerson: yuan, amountPerPerson: positiveYuan }))
          .min(1)
          .max(20)
          .refine((b) => b.some((x) => x.minGapPerPerson === 0), { error: '分档须包含人均差额从0起的一档' })
          .refine((b) => new Set(b.map((x) => x.minGapPerPerson)).size === b.length, {
            error: '分档起点重复',
          }),
      }),
    ],
    { error: '低保金计算方式应为 gap（差额）或 bands（分档）' },
  ),
  /** 刚性支出中的生活支出（刚性支出认定办法第五条（一））：由县级规定，按人每月计 */
  rigidLivingExpense: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('dibaoStandardMultiple'), multiple: ratio }),
      z.object({ kind: z.literal('perPersonMonthly'), amount: positiveYuan }),
    ],
    { error: '生活支出规则应为 none、dibaoStandardMultiple 或 perPersonMonthly' },
  ),
  /** 因残疾、患重病增加的刚性支出可在核算家庭收入时扣减（57号第十三条末款；由地方规定） */
  illnessDisabilityDeduction: z.boolean({ error: '应为 true 或 false' }),
  /** 定期核查/年度复核间隔（月） */
  recheckMonths: z.object({
    tekun: months,
    /** 收入相对稳定的低保家庭 */
    dibaoStable: months,
    /** 收入来源不固定、成员有劳动能力的低保家庭 */
    dibaoUnstable: months,
    singlePersonDibao: months,
    marginal: months,
    /** 刚性支出困难家庭认定的有效期：届满即失效，须重新申请 */
    rigidExpense: months.max(12, {
      error: '刚性支出困难家庭认定有效期一般不超过12个月（《刚性支出困难家庭认定办法》第十条）',
    }),
  }),
  /** 渐退期（月），0 表示不设渐退期 */
  gradualExitMonths: z.number().int().min(0).max(24),
  /** 临时救助小金额先行救助上限（元）：经办人一次先行救助的最高金额 */
  emergencySmallAmount: yuan,
  /**
   * 先行救助金额的封顶（元），只由省级设定：任何一级把 emergencySmallAmount 设得高于它，须另一名省级以上
   * 管理员复核确认（`PUT /admin/parameters`）。
   */
  emergencySmallAmountCeiling: positiveYuan,
  /** 同一家庭在若干月内临时救助的累计上限：先行救助不得超出剩余额度 */
  emergencyHouseholdLimit: z.object({ amount: positiveYuan, months }),
  /** 低保金取整规则 */
  amountRounding: z.object({
    unit: z.enum(['fen', 'jiao', 'yuan'], { error: '取整单位应为 fen/jiao/yuan' }),
    mode: z.enum(['up', 'down', 'halfUp'], { error: '取整方式应为 up/down/halfUp' }),
  }),
  /** 低保金保底（元/人·月）；null 表示不设保底 */
  amountFloorPerPerson: yuan.nullable(),
  /** 办理时限 */
  timeLimits: z.object({
    /** 公示期（自然日）：法定为7天，可以更长，不得更短 */
    publicNoticeDays: days.min(7, {
      error:
        '公示期不得少于7天（《最低生活保障审核确认办法》第十九条、《特困人员认定办法》第十五条：公示期为7天）',
    }),
    /** 乡镇（街道）受理后完成调查、审核（工作日） */
    townshipReviewWorkingDays: days,
    /** 公示无异议后确认（工作日） */
    determinationWorkingDays: days,
    /** 不予确认的书面告知（工作日） */
    refusalNoticeWorkingDays: days,
    /** 确认同意的通知（工作日） */
    approvalNoticeWorkingDays: days,
    /** 经同意转认定低保边缘/刚性支出困难家庭（工作日） */
    alternativeDeterminationWorkingDays: days,
    /** 审核确认全程（工作日） */
    reviewWorkingDays: days,
    /** 乡镇（街道）自受理之日起启动家庭经济状况调查（工作日；57号第十五条：3个工作日） */
    investigationStartWorkingDays: days.default(3),
    /** 特殊情况延长后的全程时限（工作日） */
    reviewExtendedWorkingDays: days,
    /**
     * 听取意见的陈述期限（工作日）：拟调减、终止救助前告知理由，对象在此期限内陈述意见（社会救助法第四十八条；
     * 期限由地方规定）
     */
    hearingWorkingDays: days.default(5),
    /** 确认决定在村（社区）公布的天数（自然日；社会救助法第四十五条，期间由地方规定） */
    publicationDays: days.default(30),
    /** 特困人员认定：乡镇（街道）调查核实、提出初审意见（工作日；43号第十三条：15个工作日） */
    tekunTownshipWorkingDays: days.default(15),
    /** 特困人员认定：县级审核确认（工作日；43号第十六条：15个工作日） */
    tekunCountyWorkingDays: days.default(15),
    /**
     * 家庭成员死亡后定期核查的期限（月，自死亡之日起）：省级规定，常见为3个月；国家文件未规定
     * (docs/architecture.md §7)
     */
    deathRecheckMonths: months
      .max(12, { error: '家庭成员死亡后的核查期限不应超过12个月' })
      .default(DEFAULT_DEATH_RECHECK_MONTHS),
    /** 特困人员认定：县级随机抽查入户核实的比例（43号第十六条：不低于30%） */
    tekunHomeCheckShare: ratio
      .min(0.3, { error: '特困人员认定的随机抽查比例不得低于30%（《特困人员认定办法》第十六条）' })
      .max(1, { error: '抽查比例不能超过100%' })
      .default(0.3),
  }),
  /**
   * 谁作出确认决定（社会救助法第四十四条）：县级社会救助管理部门，或经省级人民政府规定由乡镇（街道）作出；
   * 下放的，审核确认全程按 reviewWorkingDays 个工作日计（示例 20）。
   */
  decisionAuthority: z.discriminatedUnion(
    'level',
    [
      z.object({ level: z.literal('county') }),
      z.object({ level: z.literal('township'), reviewWorkingDays: days.default(20) }),
    ],
    { error: '确认决定层级应为 county（县级）或 township（乡镇、街道）' },
  ),
  /**
   * 发放起始月：作出确认决定的下月（民发〔2021〕57号第二十一条、43号第十七条），或经省级规定自决定当月起发放；
   * 调整、终止均自决定的下月起（`shared/domain/entitlements.ts`）
   */
  paymentStart: z.enum(['nextMonth', 'decisionMonth'], {
    error: '发放起始月应为 nextMonth（决定的下月）或 decisionMonth（决定当月）',
  }),
  /**
   * 听取意见期间是否暂停发放（省级规定）：社会救助法第四十八条要求调减、终止前听取意见，决定作出前救助照常；
   * 省级规定暂停的，听取意见期间各月暂缓发放，结论作出后按决定生效前的金额补发（`shared/payroll.ts`）
   */
  suspendDuringHearing: z.boolean({ error: '应为 true（暂停发放）或 false（照常发放）' }),
  /**
   * 专项救助（社会救助法第二十四至二十七条）：按救助类别和成员情况给予的医疗、教育、住房、就业等救助及其主管部门；
   * 每行注明依据，先列的行优先（同一项目、同一对象只给一次）
   */
  specialAssistance: z.array(specialRule).max(60, { error: '专项救助规则不超过60条' }),
  /** 追回救助金时每月扣回的比例上限（占当月应发金额），其余照常发放 */
  recoveryDeductionShare: ratio.max(1, { error: '扣回比例不能超过100%' }),
  /** 每月编制发放名册的日期（1–28日）：此日起系统按月自动计算本县名册，待工作人员核对提交 */
  payrollDay: z
    .number({ error: '日期应为数字' })
    .int({ error: '日期应为整数' })
    .min(1)
    .max(28, { error: '编制日期不晚于28日（每月都有）' }),
  /**
   * 代发银行文件的列（县级按代发银行的要求设定；`shared/payroll-files.ts`）：序号、户名、账号、金额不可少
   */
  bankFileLayout: z.object({
    columns: z
      .array(z.enum(bankFileColumns, { error: `银行文件的列应为 ${bankFileColumns.join('、')} 之一` }))
      .min(REQUIRED_BANK_COLUMNS.length)
      .max(bankFileColumns.length)
      .refine((c) => new Set(c).size === c.length, { error: '银行文件的列重复' })
      .refine((c) => REQUIRED_BANK_COLUMNS.every((r) => c.includes(r)), {
        error: `银行文件须包含 ${REQUIRED_BANK_COLUMNS.join('、')} 列`,
      }),
  }),
};

export const parameterValuesSchema = z.object(valueShape);
export type ParameterValues = z.infer<typeof parameterValuesSchema>;
export type ParameterName = keyof ParameterValues;
export const parameterNames = Object.keys(valueShape) as ParameterName[];

const clause = z.string({ error: '须注明依据条款' }).trim().min(1, { error: '须注明依据条款' }).max(500);

type CitedShape<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: z.ZodOptional<z.ZodObject<{ value: S[K]; clause: typeof clause }>>;
};
function cited<S extends Record<string, z.ZodType>>(shape: S): CitedShape<S> {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape)) out[k] = z.object({ value: v, clause }).optional();
  return out as CitedShape<S>;
}

/**
 * The body of `PUT /admin/parameters/{regionCode}`: the values one region sets from one date, each with
 * the clause that sets it. Values the region does not set are inherited from the level above.
 */
export const parameterSetSchema = z.object({
  residence: z.enum(residences, { error: '户籍类别应为 urban（城市）或 rural（农村）' }),
  effectiveFrom: isoDate,
  /** 发文依据，例如《××市人民政府关于调整城乡低保标准的通知》（×政发〔2026〕×号） */
  basis: z.string({ error: '须注明发文依据' }).trim().min(1, { error: '须注明发文依据' }).max(500),
  /** 示例数据标记：示例数据只用于开发和演示 */
  sampleData: z.boolean().default(false),
  values: z
    .object({
      ...cited(valueShape),
      gradualExitMonths: z
        .object({
          value: valueShape.gradualExitMonths,
          clause,
          /** 省级明确的例外及其依据文件：渐退期超过6个月时必填（省级设定，或县市依省级文件设定） */
          provincialException: z.string().trim().min(1).max(500).optional(),
        })
        .optional(),
    })
    .refine((v) => Object.values(v).some((x) => x !== undefined), { error: '至少设置一项参数' }),
});
export type ParameterSetInput = z.input<typeof parameterSetSchema>;

/** Levels whose versions may set a value: the ceiling binds counties, so only a province (or above) sets it. */
export const provinceOnlyParameters: readonly ParameterName[] = [
  'emergencySmallAmountCeiling',
  // 社会救助法第四十四条第二款: only the province may let townships decide.
  'decisionAuthority',
  // Paying from the decision's own month departs from the national measures: a province's choice.
  'paymentStart',
  // Holding payments while a household is heard departs from paying until a decision: likewise.
  'suspendDuringHearing',
];

const ALL_SPECIAL_TIERS = [...specialTiers];

/**
 * 社会救助法第二十四至二十七条 as a table, where a region has published none of its own: who gets
 * which kind of help, in the law's words, without the shares, ratios and caps that only a local rule
 * sets. A region that published its parameters before the table existed still resolves.
 */
const lawSpecialAssistance: ParameterValues['specialAssistance'] = [
  {
    item: 'medicalPremium',
    tiers: ['tekun', 'dibao', 'singlePersonDibao'],
    recipients: { kind: 'everyMember' },
    benefit: '参加城乡居民基本医疗保险的个人缴费部分给予资助（资助标准按当地规定）',
    clause: '《社会救助法》第二十四条第二款',
  },
  {
    item: 'medicalAssistance',
    tiers: ALL_SPECIAL_TIERS,
    recipients: { kind: 'everyMember' },
    benefit: '按规定给予医疗救助',
    clause: '《社会救助法》第二十四条第一款',
  },
  {
    item: 'educationAssistance',
    tiers: ALL_SPECIAL_TIERS,
    recipients: { kind: 'schooling', stages: [...schoolingStages] },
    benefit: '按规定减免相关费用，发放助学金、生活补助',
    clause: '《社会救助法》第二十五条',
  },
  {
    item: 'housingAssistance',
    tiers: ALL_SPECIAL_TIERS,
    recipients: { kind: 'housingDifficulty', residence: 'urban' },
    benefit: '优先配租公租房或者发放公租房租赁补贴',
    clause: '《社会救助法》第二十六条',
  },
  {
    item: 'housingAssistance',
    tiers: ALL_SPECIAL_TIERS,
    recipients: { kind: 'housingDifficulty', residence: 'rural' },
    benefit: '通过农村危房改造等方式优先给予住房救助',
    clause: '《社会救助法》第二十六条',
  },
  {
    item: 'employmentAssistance',
    tiers: ['dibao', 'singlePersonDibao', 'marginal', 'rigidExpense'],
    // The ages are practice (working age); the law says “有劳动能力且处于失业状态”.
    recipients: { kind: 'unemployedAbleToWork', minAge: 16, maxAge: 59 },
    benefit: '给予就业救助',
    clause: '《社会救助法》第二十七条',
  },
];

/**
 * Values the law itself sets when no version does: a region that never published them still
 * resolves, with the article as its clause. The other defaults are the payroll's practice — its day of
 * the month, the share of a payment a recovery may take, the bank file's layout — which no law sets
 * and a county replaces to match its bank and its practice. Nothing else has a default — a missing
 * standard is an error.
 */
export const statutoryDefaults: Partial<{
  [N in ParameterName]: { value: ParameterValues[N]; clause: string };
}> = {
  decisionAuthority: {
    value: { level: 'county' },
    clause:
      '《社会救助法》第四十四条第一款：乡镇人民政府、街道办事处提出审核意见，县级人民政府社会救助管理部门作出确认决定',
  },
  recoveryDeductionShare: {
    value: 0.3,
    clause: '默认每月扣回不超过当月应发金额的30%，保障基本生活；县级民政部门可另行设定',
  },
  payrollDay: { value: 5, clause: '默认每月5日；县级民政部门可按本地发放安排设定' },
  specialAssistance: {
    value: lawSpecialAssistance,
    clause:
      '《社会救助法》第二十四条至第二十七条（本地未公布专项救助规定时按法律条文列出，具体标准以当地规定为准）',
  },
  suspendDuringHearing: {
    value: false,
    clause:
      '《社会救助法》第四十八条：作出调减、终止社会救助决定前应当听取意见——决定作出前照常发放；省级规定听取意见期间暂停发放的，结论作出后补发',
  },
  bankFileLayout: {
    value: { columns: ['lineNo', 'accountName', 'accountNumber', 'bankName', 'amount', 'purpose', 'caseId'] },
    clause:
      '默认格式；县级民政部门可按代发银行的要求设定（《社会救助法》第六条第二款：资金支付按照国库集中支付管理有关规定执行）',
  },
  paymentStart: {
    value: 'nextMonth',
    clause:
      '民发〔2021〕57号《最低生活保障审核确认办法》第二十一条：从作出确认同意决定之日下月起发放；民发〔2021〕43号《特困人员认定办法》第十七条：从确认之日下月起给予救助供养待遇',
  },
};
const isProvinceLevel = (code: string) => code.endsWith('0000');

/**
 * 渐退期的通行上限：各省渐退办法一般不超过6个月（地方规定，见 docs/architecture.md §7）；更长须省级明确例外。
 * The national measures (57号 第三十三条) allow "一定时间的渐退期" without a length, so the cap is a
 * floor of practice the system enforces, overridable only by a province that says so.
 */
export const GRADUAL_EXIT_MAX_MONTHS = 6;

export const parameterVersionSchema = parameterSetSchema.extend({ regionCode }).superRefine((v, ctx) => {
  const exit = v.values.gradualExitMonths;
  if (exit !== undefined && exit.value > GRADUAL_EXIT_MAX_MONTHS) {
    if (exit.provincialException === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['values', 'gradualExitMonths', 'value'],
        message: `渐退期不得超过${GRADUAL_EXIT_MAX_MONTHS}个月（《最低生活保障审核确认办法》第三十三条“一定时间的渐退期”，各地一般不超过6个月）；超过的须在 provincialException 注明省级人民政府或民政部门明确例外的依据文件`,
      });
  }
  if (isProvinceLevel(v.regionCode)) return;
  for (const name of provinceOnlyParameters)
    if (v.values[name] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['values', name],
        message: `${name} 由省级民政部门设定，${v.regionCode} 不能设置`,
      });
});
export type ParameterVersion = z.infer<typeof parameterVersionSchema>;

/** Parameters resolved for one region, residence and decision date: what `meansTest` reads. */
export interface ParameterSet extends ParameterValues {
  regionCode: string;
  residence: Residence;
  asOf: string;
  /** Stable id of the versions merged, lowest level first, e.g. `430121:urban:2026-01-01+430000:urban:2026-01-01`. */
  version: string;
  /** True when any value comes from sample data: such a result must not be used for a real decision. */
  sampleData: boolean;
  /** The clause behind each value. */
  clauses: Record<ParameterName, string>;
  /** The version id each value came from. */
  sources: Record<ParameterName, string>;
}

export class ParametersNotFoundError extends Error {
  override readonly name = 'ParametersNotFoundError';
  constructor(
    readonly regionCode: string,
    readonly residence: Residence,
    readonly asOf: string,
    readonly missing: ParameterName[],
  ) {
    super(
      `行政区划 ${regionCode}（${residence === 'urban' ? '城市' : '农村'}）在 ${asOf} 没有生效的救助参数：缺少 ${missing.join('、')}`,
    );
  }
}

export class ParameterVersionConflictError extends Error {
  override readonly name = 'ParameterVersionConflictError';
  constructor(readonly versionId: string) {
    super(`参数版本 ${versionId} 已存在；历史版本不可覆盖，请以新的生效日期发布`);
  }
}

export function versionId(v: Pick<ParameterVersion, 'regionCode' | 'residence' | 'effectiveFrom'>): string {
  return `${v.regionCode}:${v.residence}:${v.effectiveFrom}`;
}

/** The region itself, then its prefecture (XXXX00), then its province (XX0000), without repeats. */
export function regionLineage(code: string): string[] {
  const lineage = [code];
  const prefecture = `${code.slice(0, 4)}00`;
  const province = `${code.slice(0, 2)}0000`;
  if (!lineage.includes(prefecture)) lineage.push(prefecture);
  if (!lineage.includes(province)) lineage.push(province);
  return lineage;
}

/** A version of region-level values, each with the clause it implements (parameters, indicators). */
export interface VersionOfValues<N extends string> {
  regionCode: string;
  effectiveFrom: string;
  sampleData?: boolean;
  values: Partial<Record<N, { value: unknown; clause: string } | undefined>>;
}

/**
 * The one resolution rule of date-versioned, region-inherited values: per level of `lineage` (the
 * region first) the version with the latest `effectiveFrom` on or before `asOf` — a later version
 * replaces an earlier one of the same level whole, so a region that stops overriding a value
 * publishes a version without it — then name by name the lowest level that sets it. Names come in
 * their canonical order, whichever level supplies them, so every resolved set has the same shape
 * (stable JSON, and monomorphic property reads in the rules).
 */
export function resolveVersioned<N extends string, V extends VersionOfValues<N>>(
  versions: readonly V[],
  lineage: readonly string[],
  asOf: string,
  names: readonly N[],
  id: (v: V) => string,
) {
  const chosen: V[] = [];
  for (const level of lineage) {
    let best: V | undefined;
    for (const v of versions) {
      if (v.regionCode !== level || v.effectiveFrom > asOf) continue;
      if (!best || v.effectiveFrom > best.effectiveFrom) best = v;
    }
    if (best) chosen.push(best);
  }
  const values: Partial<Record<N, unknown>> = {};
  const clauses: Partial<Record<N, string>> = {};
  const sources: Partial<Record<N, string>> = {};
  const missing: N[] = [];
  let sampleData = false;
  for (const name of names) {
    const v = chosen.find((x) => x.values[name] !== undefined);
    const entry = v?.values[name];
    if (!v || !entry) {
      missing.push(name);
      continue;
    }
    values[name] = entry.value;
    clauses[name] = entry.clause;
    sources[name] = id(v);
    if (v.sampleData) sampleData = true;
  }
  return { chosen, values, clauses, sources, missing, sampleData };
}

/** The parameters in force for `regionCode` and `residence` on `asOf` (`resolveVersioned`). */
export function resolveParameters(
  versions: readonly ParameterVersion[],
  regionCode: string,
  residence: Residence,
  asOf: string,
): ParameterSet {
  const { chosen, values, clauses, sources, missing, sampleData } = resolveVersioned(
    versions.filter((v) => v.residence === residence),
    regionLineage(regionCode),
    asOf,
    parameterNames,
    versionId,
  );
  const unset: ParameterName[] = [];
  for (const name of missing) {
    const fallback = statutoryDefaults[name];
    if (!fallback) {
      unset.push(name);
      continue;
    }
    values[name] = fallback.value;
    clauses[name] = fallback.clause;
    sources[name] = 'statute';
  }
  if (unset.length > 0) throw new ParametersNotFoundError(regionCode, residence, asOf, unset);

  return {
    ...(values as ParameterValues),
    regionCode,
    residence,
    asOf,
    version: chosen.map(versionId).join('+'),
    sampleData,
    clauses: clauses as Record<ParameterName, string>,
    sources: sources as Record<ParameterName, string>,
  };
}

/**
 * Adds a version to a history without touching the versions already there: the same region,
 * residence and effective date twice is a conflict, since earlier decisions cite that version id.
 */
export function addParameterVersion(
  history: readonly ParameterVersion[],
  version: ParameterVersion,
): ParameterVersion[] {
  const id = versionId(version);
  if (history.some((v) => versionId(v) === id)) throw new ParameterVersionConflictError(id);
  return [...history, version];
}

/** Validates a `PUT /admin/parameters/{regionCode}` body and attaches the region from the path. */
export function parameterVersionFromRequest(regionCodeFromPath: string, body: unknown): ParameterVersion {
  return parameterVersionSchema.parse({ ...(body as object), regionCode: regionCodeFromPath });
}

export { sampleParameterVersions } from './sample-data.ts';
