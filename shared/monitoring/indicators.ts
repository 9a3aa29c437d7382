/**
 * 动态监测预警指标 as data: which department record raises which warning (因病、因学、因残、因失业、因灾、
 * 死亡、收入变化), with what threshold, to which department's queue (分类推送) and whether the township must
 * check at home (入户核查). 国办发〔2023〕39号 asks for a monitoring and early-warning mechanism whose
 * indicators the provinces set; so, like the means-test parameters (shared/parameters/index.ts), every value
 * is date-versioned per administrative region and stored beside the clause that sets it, and a county's
 * indicators merge, value by value, the versions in force at 全国 (000000), province (XX0000), prefecture
 * (XXXX00) and county level, the lowest level winning.
 *
 * The code only knows what each indicator reads from its feed (`indicatorDefinitions`); every threshold,
 * the department, the home check and whether it also looks outside assistance are the data below.
 */
import { z } from 'zod';
import { regionLineage, resolveVersioned } from '../parameters/index.ts';
import { tierLabels } from '../rules/classify.ts';
import { isoDate, yuan } from '../schemas/household.ts';
import { type Department, damageLevels, departments, type FeedName, schoolStages } from './feeds/names.ts';
import { type AssistanceType, assistanceTypes, type RiskType } from './vocabulary.ts';

// ── vocabulary ───────────────────────────────────────────────────────────────────────────────────

export {
  type AssistanceType,
  assistanceTypeLabels,
  assistanceTypes,
  type RiskType,
  riskTypeLabels,
  riskTypes,
} from './vocabulary.ts';

/** The household's tier on the register; `none`: on the register (e.g. watched after leaving) but not covered. */
export const registerTiers = [
  'tekun',
  'dibao',
  'singlePersonDibao',
  'marginal',
  'rigidExpense',
  'relapseWatch',
  'otherHardship',
  'none',
] as const;
export type RegisterTier = (typeof registerTiers)[number];

/** The tiers' names as the rules give them (`shared/rules/classify.ts`), and `none`. */
export const registerTierLabels: Record<RegisterTier, string> = {
  ...(Object.fromEntries(registerTiers.filter((t) => t !== 'none').map((t) => [t, tierLabels[t]])) as Record<
    Exclude<RegisterTier, 'none'>,
    string
  >),
  none: '未在保',
};

export const registerStatusLabels = {
  active: '在保',
  gradualExit: '渐退期',
  monitoring: '退出后监测',
  exited: '已退出',
  terminated: '已终止',
} as const;
export type RegisterStatus = keyof typeof registerStatusLabels;
export const registerStatuses = Object.keys(registerStatusLabels) as RegisterStatus[];

// ── what each indicator reads (code) ─────────────────────────────────────────────────────────────

export const indicatorDefinitions = {
  illnessOutOfPocket: { feed: 'medicalInsurance', riskType: 'illness', label: '医疗费用个人自付负担重' },
  illnessLargeBill: { feed: 'health', riskType: 'illness', label: '大额住院医疗费用' },
  death: { feed: 'health', riskType: 'death', label: '家庭成员死亡' },
  schoolingHardship: { feed: 'education', riskType: 'schooling', label: '认定为家庭经济困难学生' },
  schoolingEnrolment: { feed: 'education', riskType: 'schooling', label: '在学成员未享受教育救助' },
  disability: { feed: 'disability', riskType: 'disability', label: '重度残疾' },
  unemployment: { feed: 'humanResources', riskType: 'unemployment', label: '失业登记' },
  incomeChange: { feed: 'humanResources', riskType: 'incomeChange', label: '新增就业或养老金收入' },
  disaster: { feed: 'emergencyManagement', riskType: 'disaster', label: '受灾或住房损毁' },
  relapseWatchIdentified: { feed: 'ruralAffairs', riskType: 'omission', label: '防止返贫监测对象未纳入' },
  relapseWatchEliminated: { feed: 'ruralAffairs', riskType: 'incomeChange', label: '防止返贫监测风险已消除' },
} as const satisfies Record<string, { feed: FeedName; riskType: RiskType; label: string }>;
export type IndicatorId = keyof typeof indicatorDefinitions;
export const indicatorIds = Object.keys(indicatorDefinitions) as IndicatorId[];

// ── the data's shape ─────────────────────────────────────────────────────────────────────────────

const department = z.enum(departments, { error: `部门应为 ${departments.join('/')} 之一` });
const assistanceType = z.enum(assistanceTypes as [AssistanceType, ...AssistanceType[]], {
  error: '救助项目不正确',
});
const ratio = z
  .number({ error: '比例必须是数字' })
  .positive({ error: '比例必须大于0' })
  .max(100, { error: '比例超出合理范围' })
  .refine((r) => Math.abs(r * 10_000 - Math.round(r * 10_000)) < 1e-6, { error: '比例最多保留4位小数' });

/** Where an indicator's warning goes and when it is raised at all. */
const routing = {
  /** 分类推送：the department whose queue receives the warning for a household inside assistance. */
  department,
  /** 需乡镇（街道）入户核查 */
  homeCheck: z.boolean(),
  /** Raise the warning for a household inside assistance (在保、渐退期). */
  inside: z.boolean(),
  /** For a person outside assistance: an omission candidate (疑似漏保, see `omission`) or nothing. */
  outside: z.enum(['omission', 'ignore'], { error: 'outside 应为 omission 或 ignore' }),
  /** Inside: no warning when the household already receives one of these (the help is already there). */
  suppressIfReceiving: z.array(assistanceType).max(assistanceTypes.length),
  /** Inside: only for these tiers; null for every tier. */
  insideTiers: z.array(z.enum(registerTiers, { error: '类别不正确' })).nullable(),
};

export const indicatorValueShape = {
  /** Records older than this many days before the comparison date raise no warning. */
  lookbackDays: z.number().int().min(1).max(3_660),
  /**
   * 反馈时限：a department answers a pushed warning within this many working days of the push (the
   * township's home check is due the same day); unanswered, it is escalated (督办).
   */
  feedbackWorkingDays: z.number().int().min(1).max(60),
  /** 疑似漏保：where an omission candidate goes. */
  omission: z.object({ department, homeCheck: z.boolean() }),
  /** 重复救助：one person in two covered households, or two mutually exclusive kinds of help. */
  duplicateAssistance: z.object({
    department,
    homeCheck: z.boolean(),
    exclusivePairs: z.array(z.tuple([assistanceType, assistanceType])).max(20),
  }),
  illnessOutOfPocket: z.object({
    ...routing,
    /** 个人自付达到此金额（元） */
    minOutOfPocket: yuan,
    /** 或个人自付超过家庭年收入的此比例（null 不适用；只对登记在册、收入已知的家庭） */
    incomeShare: ratio.nullable(),
    /** 比例规则的最低自付金额（元），避免零收入家庭的小额费用触发 */
    incomeShareFloor: yuan,
  }),
  illnessLargeBill: z.object({
    ...routing,
    /** 住院总费用达到此金额（元） */
    minTotalCost: yuan,
    /** 大病专项救治病种不论金额均预警 */
    countMajorDisease: z.boolean(),
  }),
  death: z.object(routing),
  schoolingHardship: z.object(routing),
  schoolingEnrolment: z.object({
    ...routing,
    stages: z.array(
      z.enum(Object.keys(schoolStages) as [keyof typeof schoolStages], { error: '学段不正确' }),
    ),
  }),
  disability: z.object({
    ...routing,
    /** 残疾等级不高于此级（1、2级为重度） */
    maxGrade: z.number().int().min(1).max(4),
  }),
  unemployment: z.object(routing),
  incomeChange: z.object({
    ...routing,
    /** 新增月收入达到此金额（元） */
    minMonthlyIncome: yuan,
  }),
  disaster: z.object({
    ...routing,
    damageLevels: z.array(
      z.enum(Object.keys(damageLevels) as [keyof typeof damageLevels], { error: '房屋损毁程度不正确' }),
    ),
    /** 或直接经济损失达到此金额（元）；null 不适用 */
    minDirectLoss: yuan.nullable(),
  }),
  relapseWatchIdentified: z.object(routing),
  relapseWatchEliminated: z.object(routing),
};

export const indicatorValuesSchema = z.object(indicatorValueShape);
export type IndicatorValues = z.infer<typeof indicatorValuesSchema>;
export type IndicatorName = keyof IndicatorValues;
export const indicatorNames = Object.keys(indicatorValueShape) as IndicatorName[];
export type IndicatorRouting = IndicatorValues[IndicatorId];

const clause = z.string({ error: '须注明依据条款' }).trim().min(1, { error: '须注明依据条款' }).max(500);

const citedValues = z
  .object(
    Object.fromEntries(
      Object.entries(indicatorValueShape).map(([k, v]) => [k, z.object({ value: v, clause }).optional()]),
    ) as {
      [K in IndicatorName]: z.ZodOptional<
        z.ZodObject<{ value: (typeof indicatorValueShape)[K]; clause: typeof clause }>
      >;
    },
  )
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: '至少设置一项指标' });

/** One region's indicator values from one date; 000000 is the national level. */
export const indicatorVersionSchema = z.object({
  regionCode: z.string().regex(/^\d{6}$/, { error: '行政区划代码应为6位数字' }),
  effectiveFrom: isoDate,
  basis: z.string({ error: '须注明发文依据' }).trim().min(1, { error: '须注明发文依据' }).max(500),
  /** 示例数据标记：示例数据只用于开发和演示 */
  sampleData: z.boolean().default(false),
  values: citedValues,
});
export type IndicatorVersion = z.infer<typeof indicatorVersionSchema>;
export type IndicatorVersionInput = z.input<typeof indicatorVersionSchema>;

export const NATIONAL = '000000';

/** Indicators resolved for one region and date: what the comparison reads. */
export interface IndicatorSet extends IndicatorValues {
  regionCode: string;
  asOf: string;
  /** The versions merged, lowest level first, e.g. `430121:2026-01-01+430000:2025-01-01+000000:2024-01-01`. */
  version: string;
  sampleData: boolean;
  clauses: Record<IndicatorName, string>;
  sources: Record<IndicatorName, string>;
}

export class IndicatorsNotFoundError extends Error {
  override readonly name = 'IndicatorsNotFoundError';
  constructor(
    readonly regionCode: string,
    readonly asOf: string,
    readonly missing: IndicatorName[],
  ) {
    super(`行政区划 ${regionCode} 在 ${asOf} 没有生效的监测预警指标：缺少 ${missing.join('、')}`);
  }
}

export const indicatorVersionId = (v: Pick<IndicatorVersion, 'regionCode' | 'effectiveFrom'>): string =>
  `${v.regionCode}:${v.effectiveFrom}`;

/** County, prefecture, province, then the national level. */
export function indicatorLineage(regionCode: string): string[] {
  const lineage = regionCode === NATIONAL ? [] : regionLineage(regionCode);
  lineage.push(NATIONAL);
  return lineage;
}

/**
 * The indicators in force for `regionCode` on `asOf`: per level the latest version on or before `asOf`
 * (a later version replaces an earlier one of the same level whole), then value by value the lowest
 * level that sets it (`resolveVersioned`, as for the means-test parameters).
 */
export function resolveIndicators(
  versions: readonly IndicatorVersion[],
  regionCode: string,
  asOf: string,
): IndicatorSet {
  const { chosen, values, clauses, sources, missing, sampleData } = resolveVersioned(
    versions,
    indicatorLineage(regionCode),
    asOf,
    indicatorNames,
    indicatorVersionId,
  );
  if (missing.length > 0) throw new IndicatorsNotFoundError(regionCode, asOf, missing);
  return {
    ...(values as IndicatorValues),
    regionCode,
    asOf,
    version: chosen.map(indicatorVersionId).join('+'),
    sampleData,
    clauses: clauses as Record<IndicatorName, string>,
    sources: sources as Record<IndicatorName, string>,
  };
}

/**
 * The versions with resolution memoised per region and date: a comparison run resolves each region once,
 * not once per row. A region without indicators is remembered too (and rethrown).
 */
export class IndicatorBook {
  private readonly byDate = new Map<string, Map<string, IndicatorSet | IndicatorsNotFoundError>>();

  constructor(readonly versions: readonly IndicatorVersion[]) {}

  resolve(regionCode: string, asOf: string): IndicatorSet {
    let byRegion = this.byDate.get(asOf);
    if (!byRegion) {
      byRegion = new Map();
      this.byDate.set(asOf, byRegion);
    }
    let set = byRegion.get(regionCode);
    if (!set) {
      try {
        set = resolveIndicators(this.versions, regionCode, asOf);
      } catch (error) {
        if (!(error instanceof IndicatorsNotFoundError)) throw error;
        set = error;
      }
      byRegion.set(regionCode, set);
    }
    if (set instanceof IndicatorsNotFoundError) throw set;
    return set;
  }
}

/** Validates versions (e.g. loaded from a file or an admin API) and refuses two for the same region and date. */
export function indicatorVersionsFrom(input: unknown): IndicatorVersion[] {
  const versions = z.array(indicatorVersionSchema).parse(input);
  const seen = new Set<string>();
  for (const v of versions) {
    const id = indicatorVersionId(v);
    if (seen.has(id)) throw new Error(`监测指标版本 ${id} 重复；历史版本不可覆盖，请以新的生效日期发布`);
    seen.add(id);
  }
  return versions;
}

// ── SAMPLE DATA — 示例数据，非官方数值 ─────────────────────────────────────────────────────────────
//
// Thresholds for the nation, Hunan (湖南省 430000, 长沙县 430121) and Henan (河南省 410000, 中牟县 410122)
// so that monitoring runs end to end before an administrator loads the published ones. The amounts are
// plausible in size but are NOT any region's published indicators; every version is `sampleData: true`.

const SAMPLE = '示例数据（非官方数值，仅供开发、测试和演示）';

const C = {
  lookbackDays: '国办发〔2023〕39号：常态化开展低收入人口动态监测；预警信息时效（最近12个月）为示例值',
  feedbackWorkingDays:
    '国办发〔2023〕39号：对预警信息分类推送有关部门，及时核实处置并反馈结果，形成工作闭环；反馈时限（10个工作日）为示例值',
  omission:
    '国办发〔2023〕39号：对监测发现的困难群众，及时核实，符合条件的纳入相应救助范围（主动发现、及时救助）；民发〔2021〕57号第四章：乡镇（街道）入户调查',
  duplicateAssistance:
    '国办发〔2023〕39号：加强救助信息共享，避免重复救助、遗漏救助；国发〔2016〕14号、民发〔2021〕43号：特困人员救助供养与最低生活保障不重复享受',
  illnessOutOfPocket:
    '国办发〔2021〕42号《关于健全重特大疾病医疗保险和救助制度的意见》：强化高额医疗费用支出预警监测，对经基本医保、大病保险等支付后个人负担仍然较重的，及时纳入救助',
  illnessLargeBill:
    '国办发〔2021〕42号：建立防范化解因病返贫致贫长效机制，卫生健康部门与医保、民政部门共享大额费用患者信息',
  death:
    '《社会救助暂行办法》（国务院令第649号）第十三条：低保家庭人口状况发生变化的，应当及时告知并调整低保金；民发〔2021〕57号第五章',
  schoolingHardship:
    '《社会救助暂行办法》第三十三条：对在学的低保家庭成员、特困供养人员给予教育救助；国办发〔2023〕39号：教育部门对困难学生按规定给予资助',
  schoolingEnrolment:
    '《社会救助暂行办法》第三十三条：对在义务教育、高中教育（含中等职业教育）、普通高等教育阶段就学的低保家庭成员、特困供养人员给予教育救助',
  disability:
    '国发〔2015〕52号《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》：低保家庭中的残疾人、残疾等级为一级、二级的重度残疾人；民发〔2021〕57号第十条：重度残疾人可单人保',
  unemployment: '《社会救助暂行办法》第四十二条：对低保家庭中有劳动能力并处于失业状态的成员给予就业救助',
  incomeChange:
    '《社会救助暂行办法》第十三条：低保家庭人口、收入、财产状况发生变化的，应当及时告知，县级民政部门增发、减发或停发低保金；民发〔2021〕57号第五章：渐退',
  disaster:
    '《社会救助暂行办法》第五章（受灾人员救助）：对基本生活受到自然灾害严重影响的人员提供生活救助，住房损毁严重的给予过渡性安置和恢复重建补助',
  relapseWatchIdentified:
    '国办发〔2023〕39号：防止返贫监测对象纳入低收入人口动态监测，农业农村部门认定结果相互认可、不再重复认定',
  relapseWatchEliminated:
    '国办发〔2023〕39号：防止返贫监测对象风险消除的，信息同步更新，相应调整救助帮扶措施',
} as const;

type Values = IndicatorVersion['values'];
type Entry<K extends IndicatorName> = NonNullable<Values[K]>['value'];

function cite<K extends IndicatorName>(name: K, value: Entry<K>, basis?: string): Values[K] {
  return { value, clause: basis ? `${C[name]}；${basis}` : C[name] } as Values[K];
}

type Routing = Pick<Entry<'death'>, keyof Entry<'death'>>;
const route = (
  department: Department,
  homeCheck: boolean,
  opts: Partial<Omit<Routing, 'department' | 'homeCheck'>> = {},
): Routing => ({
  department,
  homeCheck,
  inside: opts.inside ?? true,
  outside: opts.outside ?? 'ignore',
  suppressIfReceiving: opts.suppressIfReceiving ?? [],
  insideTiers: opts.insideTiers ?? null,
});

const nationalValues: Values = {
  lookbackDays: cite('lookbackDays', 365),
  feedbackWorkingDays: cite('feedbackWorkingDays', 10),
  omission: cite('omission', { department: 'civilAffairs', homeCheck: true }),
  duplicateAssistance: cite('duplicateAssistance', {
    department: 'civilAffairs',
    homeCheck: true,
    exclusivePairs: [['dibaoAllowance', 'tekunSupport']],
  }),
  illnessOutOfPocket: cite('illnessOutOfPocket', {
    ...route('medicalInsurance', false, { outside: 'omission' }),
    minOutOfPocket: 20_000,
    incomeShare: 0.5,
    incomeShareFloor: 3_000,
  }),
  illnessLargeBill: cite('illnessLargeBill', {
    ...route('health', false, { outside: 'omission' }),
    minTotalCost: 50_000,
    countMajorDisease: true,
  }),
  death: cite('death', route('civilAffairs', false)),
  schoolingHardship: cite(
    'schoolingHardship',
    route('education', false, { outside: 'omission', suppressIfReceiving: ['educationAid'] }),
  ),
  schoolingEnrolment: cite('schoolingEnrolment', {
    ...route('education', false, {
      suppressIfReceiving: ['educationAid'],
      insideTiers: ['tekun', 'dibao', 'singlePersonDibao', 'marginal'],
    }),
    stages: ['primary', 'juniorSecondary', 'seniorSecondary', 'vocational', 'higher'],
  }),
  disability: cite('disability', {
    ...route('disability', false, { outside: 'omission', suppressIfReceiving: ['disabilityAllowance'] }),
    maxGrade: 2,
  }),
  unemployment: cite(
    'unemployment',
    route('humanResources', false, { suppressIfReceiving: ['employmentAssistance'] }),
  ),
  incomeChange: cite('incomeChange', { ...route('civilAffairs', true), minMonthlyIncome: 500 }),
  disaster: cite('disaster', {
    ...route('emergencyManagement', true, { outside: 'omission' }),
    damageLevels: ['collapsed', 'severe'],
    minDirectLoss: 10_000,
  }),
  relapseWatchIdentified: cite(
    'relapseWatchIdentified',
    route('civilAffairs', false, { inside: false, outside: 'omission' }),
  ),
  relapseWatchEliminated: cite(
    'relapseWatchEliminated',
    route('civilAffairs', false, { insideTiers: ['relapseWatch'] }),
  ),
};

const HUNAN = '湘政办发〔2024〕30号（示例阈值）';
const HENAN = '豫政办〔2022〕103号（示例阈值）';

export const sampleIndicatorVersions: IndicatorVersion[] = [
  {
    regionCode: NATIONAL,
    effectiveFrom: '2024-01-01',
    basis: `${SAMPLE}；国办发〔2023〕39号`,
    sampleData: true,
    values: nationalValues,
  },
  // 湖南省: a lower out-of-pocket line.
  {
    regionCode: '430000',
    effectiveFrom: '2025-01-01',
    basis: `${SAMPLE}；${HUNAN}`,
    sampleData: true,
    values: {
      illnessOutOfPocket: cite(
        'illnessOutOfPocket',
        { ...nationalValues.illnessOutOfPocket!.value, minOutOfPocket: 15_000 },
        HUNAN,
      ),
    },
  },
  // 长沙县 from 2026: lower again, and a lower share of household income.
  {
    regionCode: '430121',
    effectiveFrom: '2026-01-01',
    basis: `${SAMPLE}；长沙县低收入人口动态监测实施方案（示例）`,
    sampleData: true,
    values: {
      illnessOutOfPocket: cite(
        'illnessOutOfPocket',
        { ...nationalValues.illnessOutOfPocket!.value, minOutOfPocket: 12_000, incomeShare: 0.4 },
        '长沙县（示例）',
      ),
    },
  },
  // 河南省: lower disaster-loss and income-change lines.
  {
    regionCode: '410000',
    effectiveFrom: '2025-01-01',
    basis: `${SAMPLE}；${HENAN}`,
    sampleData: true,
    values: {
      disaster: cite('disaster', { ...nationalValues.disaster!.value, minDirectLoss: 5_000 }, HENAN),
      incomeChange: cite(
        'incomeChange',
        { ...nationalValues.incomeChange!.value, minMonthlyIncome: 400 },
        HENAN,
      ),
    },
  },
  // 中牟县 from 2025-07: registered unemployment of someone outside assistance is looked at too (摸排).
  {
    regionCode: '410122',
    effectiveFrom: '2025-07-01',
    basis: `${SAMPLE}；中牟县实施细则（示例）`,
    sampleData: true,
    values: {
      unemployment: cite(
        'unemployment',
        { ...nationalValues.unemployment!.value, outside: 'omission' },
        '中牟县（示例）',
      ),
    },
  },
];
