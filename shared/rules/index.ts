/**
 * 家庭经济状况核查 (meansTest): places a household in a tier, computes the monthly amount where the
 * tier pays one, and explains both — every reason carries a code, a Chinese message, the clause it
 * applies and the values it compared. Pure and synchronous: the same code serves `POST /means-test`
 * (试算), the application workflow's means-test step and the benchmark.
 *
 * The household must already be parsed by `householdDeclaration` (defaults applied, amounts valid);
 * the parameters must be those resolved for its region, residence and the decision date.
 */
import type { ParameterName, ParameterSet, Residence } from '../parameters/index.ts';
import {
  type DisabilityGrade,
  disabilityCategoryLabels,
  type HouseholdDeclaration,
  incomeKinds,
  notCountedLabels,
  type obligorInabilities,
  type RequestedTier,
  schoolingLabels,
} from '../schemas/household.ts';
import {
  consentTiers,
  type Evaluation,
  evaluate,
  isSeverelyDisabled,
  type MeansTier,
  singlePersonGround,
  type Tier,
  tierLabels,
  tierRank,
} from './classify.ts';
import { type AssetCheck, type AssetTier, type IncomeKind, roundFen } from './economics.ts';

export {
  type Assessment,
  assess,
  classify,
  consentTiers,
  decide,
  evaluate,
  qualifying,
  type Tier,
  type TierFacts,
  tierLabels,
  tierRank,
  tiers,
} from './classify.ts';

import { fenText, toFen, toYuan } from '../domain/money.ts';

export { type AssetCheck, type HouseholdEconomics, householdEconomics } from './economics.ts';

export interface Reason {
  code: string;
  /** Chinese, fit for a written notice. */
  message: string;
  clause: string;
  values: Record<string, number | string | boolean>;
}

export interface TierOutcome {
  tier: Tier;
  monthlyAmount: number | null;
  reasons: Reason[];
  /** idNumbers of the members 单人保 covers. */
  coveredMembers?: string[];
}

export interface MeansTestResult {
  /** The tier decided for the request (`notEligible` when the requested tier fails). */
  tier: Tier;
  eligible: boolean;
  /** Yuan per month; null where the tier pays no periodic amount. */
  monthlyAmount: number | null;
  perCapitaMonthlyIncome: number;
  reasons: Reason[];
  parameterVersion: string;
  /** Another tier the household qualifies for, to be determined only with the applicant's consent. */
  alternative?: TierOutcome;
  coveredMembers?: string[];
  /** The household's tier on the means test alone, whatever was requested. */
  classification: Tier;
  requestedTier: RequestedTier | null;
  relapseWatch: boolean;
  asOf: string;
  regionCode: string;
  residence: Residence;
  /** True when sample parameters were used: the result is a demonstration, not a decision. */
  sampleParameters: boolean;
  income: {
    householdSize: number;
    grossMonthlyIncome: number;
    excludedMonthlyIncome: number;
    employmentCostDeduction: number;
    /** Extra costs of illness or disability deducted, where the region allows it. */
    illnessDisabilityDeduction: number;
    countedMonthlyIncome: number;
    perCapitaMonthlyIncome: number;
    /** Monthly household income under 特困's own exclusions (43号 第六条). */
    tekunCountedMonthlyIncome: number;
    byKind: Record<IncomeKind, number>;
  };
  lines: {
    dibaoStandard: number;
    tekunBasicLivingStandard: number;
    marginalMultiple: number;
    /** Per capita per month. */
    marginalLine: number;
    priorYearDisposableIncome: number;
    /** Per capita per month: last year's disposable income ÷ 12. */
    disposableIncomeMonthlyLine: number;
  };
  assets: Record<AssetTier, AssetCheck>;
  rigidExpense: {
    medical: number;
    education: number;
    rehabilitation: number;
    other: number;
    /** 生活支出 by the county's rule over the 12 months. */
    living: number;
    spending: number;
    income12Months: number;
    /** spending ÷ income over the 12 months, 4 decimals; null when there was no income. */
    ratio: number | null;
    thresholdRatio: number;
    overRatio: boolean;
  };
  /** Months until the next 定期核查/年度复核 for the decided tier; null where none applies. */
  recheckIntervalMonths: number | null;
  /** 渐退期 available to a 低保 household leaving through employment; null for other tiers. */
  gradualExitMonths: number | null;
  /** 临时救助: the small amount that may be paid before the paperwork (小金额先行救助). */
  emergency?: { smallAmountLimit: number; clause: string };
  /** The clause behind each parameter value used. */
  parameterClauses: Record<ParameterName, string>;
}

export interface MeansTestOptions {
  /** YYYY-MM-DD, the decision date; the parameters must be those in force that day. */
  asOf: string;
  requestedTier?: RequestedTier | undefined;
  /** 防止返贫监测对象 status from the rural-affairs department: recognised, not re-assessed. */
  relapseWatch?: boolean | undefined;
  parameters: ParameterSet;
}

export class ParameterMismatchError extends Error {
  override readonly name = 'ParameterMismatchError';
  constructor(
    readonly field: 'regionCode' | 'residence' | 'asOf',
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`救助参数与核查对象不符：${field} 应为 ${expected}，参数为 ${actual}`);
  }
}

/** The national measures' clauses, as decisions before the 社会救助法 cite them. */
const MEASURES = {
  income: '民发〔2021〕57号《最低生活保障审核确认办法》第七条、第十三条（共同生活家庭成员与家庭收入的核算）',
  assets: '民发〔2021〕57号《最低生活保障审核确认办法》第十四条（家庭财产）',
  dibao: '《社会救助暂行办法》（国务院令第649号）第九条；民发〔2021〕57号《最低生活保障审核确认办法》',
  dibaoAmount: '《社会救助暂行办法》（国务院令第649号）第十三条；民发〔2021〕57号第二十三条（差额或分档）',
  increments:
    '民发〔2021〕57号《最低生活保障审核确认办法》第二十七条（老年人、未成年人、重度残疾人和重病患者）',
  tekun: '民发〔2021〕43号《特困人员认定办法》第四条',
  tekunLabour: '民发〔2021〕43号《特困人员认定办法》第五条',
  tekunStudent:
    '民发〔2021〕43号《特困人员认定办法》第二十四条（年满18周岁仍在义务教育或高中阶段就读的继续供养）',
  tekunSupporter: '民发〔2021〕43号《特困人员认定办法》第四条、第八条',
  tekunIncome: '民发〔2021〕43号《特困人员认定办法》第六条',
  tekunAmount:
    '国发〔2016〕14号《国务院关于进一步健全特困人员救助供养制度的意见》；民发〔2021〕43号第二十条至第二十二条（照料护理标准）',
  singlePerson: '民发〔2021〕57号《最低生活保障审核确认办法》第八条',
  marginal: '国办发〔2023〕39号（低保边缘家庭的认定）；民发〔2021〕57号第八条',
  rigidExpense: '《刚性支出困难家庭认定办法》第四条、第五条；国办发〔2023〕39号',
  relapseWatch: '国办发〔2023〕39号（防止返贫监测对象与低收入人口信息共享、相互认定）',
  emergency:
    '《社会救助暂行办法》（国务院令第649号）第四十七条；民发〔2018〕23号《关于进一步加强和改进临时救助工作的意见》',
  alternative:
    '民发〔2021〕57号《最低生活保障审核确认办法》第四章（不符合低保条件但符合其他救助条件的，告知并经同意后认定）',
} as const;
type ClauseKey = keyof typeof MEASURES;

/** 《中华人民共和国社会救助法》 (in force 2026-07-01): the article each rule applies, cited first from then on. */
export const LAW_IN_FORCE = '2026-07-01';
const LAW: Record<ClauseKey, string> = {
  income: '第二十三条、第四十条',
  assets: '第二十三条',
  dibao: '第十八条',
  dibaoAmount: '第十八条',
  increments: '第二十条',
  tekun: '第十六条',
  tekunLabour: '第十六条',
  tekunStudent: '第十六条第三款',
  tekunSupporter: '第十六条',
  tekunIncome: '第十六条、第二十三条',
  tekunAmount: '第十七条',
  singlePerson: '第二十一条第二款',
  marginal: '第二十一条',
  rigidExpense: '第二十二条',
  relapseWatch: '第四十二条',
  emergency: '第二十九条、第五十条',
  alternative: '第二十一条、第二十二条',
};
const CLAUSES_FROM_LAW = Object.fromEntries(
  Object.entries(MEASURES).map(([k, v]) => [k, `《中华人民共和国社会救助法》${LAW[k as ClauseKey]}；${v}`]),
) as Record<ClauseKey, string>;

/** The clauses a decision on `asOf` cites: the 社会救助法 first from the day it is in force. */
export const clausesFor = (asOf: string): Record<ClauseKey, string> =>
  asOf >= LAW_IN_FORCE ? CLAUSES_FROM_LAW : MEASURES;

const ASSET_LABEL: Record<AssetTier, string> = {
  tekun: '特困人员',
  dibao: '最低生活保障',
  marginal: '低保边缘家庭',
  rigidExpense: '刚性支出困难家庭',
};

const DISABILITY_LABEL = disabilityCategoryLabels;
const GRADE_LABEL: Record<DisabilityGrade, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

const ROUNDING_LABEL = {
  unit: { fen: '分', jiao: '角', yuan: '元' },
  mode: { up: '向上取整', down: '向下取整', halfUp: '四舍五入' },
} as const;

// Local rather than imported from economics.ts: these run dozens of times per result, and a bundler
// or loader that turns imports into property reads (tsx does) makes each call measurably dearer.

/** 1234.50元 from integer fen, without `toFixed` (it dominates the explanation's cost otherwise). */
const percentText = (basisPoints: number): string => `${basisPoints / 100}%`;
const roundHalfUp = (x: number): number => Math.floor(x + 0.5);

/** Everything the reasons read, computed once per household. */
interface Context {
  household: HouseholdDeclaration;
  /** The clauses this decision cites (by its date). */
  cl: Record<ClauseKey, string>;
  p: ParameterSet;
  ev: Evaluation;
  perCapitaFen: number;
  marginalLineFen: number;
  disposableMonthlyFen: number;
}

function reason(code: string, message: string, clause: string, values: Reason['values']): Reason {
  return { code, message, clause, values };
}

function incomeSummary(c: Context): Reason {
  const { ev, perCapitaFen } = c;
  const e = ev.economics;
  const notCounted = c.household.members.filter((_, i) => !e.counted[i]);
  const apart = notCounted.map((m) => m.name);
  // Who lives apart, and who the 57号 第七条第二款 excludes wherever they live, each said as such.
  const away = notCounted.filter((m) => m.notCounted === null).map((m) => m.name);
  const excluded = notCounted
    .filter((m) => m.notCounted !== null)
    .map((m) => `${m.name}${notCountedLabels[m.notCounted!]}`);
  const apartText =
    apart.length > 0
      ? `（${[
          ...(away.length ? [`${away.join('、')}不共同生活`] : []),
          ...(excluded.length ? [`${excluded.join('、')}，依规定不计入共同生活家庭成员`] : []),
        ].join('；')}，不计入）`
      : '';
  const illnessText =
    e.illnessDeductionFen > 0 ? `、扣减因病因残增加的刚性支出${fenText(e.illnessDeductionFen)}` : '';
  return reason(
    'income.perCapita',
    `共同生活家庭成员${e.size}人${apartText}，月收入合计${fenText(e.grossIncomeFen)}，其中不计入家庭收入${fenText(e.excludedIncomeFen)}、扣减必要就业成本${fenText(e.employmentDeductionFen)}${illnessText}，计入家庭月收入${fenText(e.countedIncomeFen)}，人均月收入${fenText(perCapitaFen)}`,
    c.cl.income,
    {
      householdSize: e.size,
      membersNotLivingTogether: apart.join('、'),
      grossMonthlyIncome: toYuan(e.grossIncomeFen),
      excludedMonthlyIncome: toYuan(e.excludedIncomeFen),
      employmentCostDeduction: toYuan(e.employmentDeductionFen),
      illnessDisabilityDeduction: toYuan(e.illnessDeductionFen),
      countedMonthlyIncome: toYuan(e.countedIncomeFen),
      perCapitaMonthlyIncome: toYuan(perCapitaFen),
    },
  );
}

function dibaoIncome(c: Context, pass: boolean): Reason {
  const s = c.ev.lines.dibaoStandardFen;
  return reason(
    pass ? 'dibao.incomeBelowStandard' : 'dibao.incomeNotBelowStandard',
    `家庭人均月收入${fenText(c.perCapitaFen)}${pass ? '低于' : '不低于'}当地最低生活保障标准${fenText(s)}`,
    c.cl.dibao,
    { perCapitaMonthlyIncome: toYuan(c.perCapitaFen), dibaoStandard: toYuan(s) },
  );
}

function assetsReason(c: Context, tier: AssetTier): Reason {
  const a = c.ev.assets[tier];
  const label = ASSET_LABEL[tier];
  const values = {
    deposits: a.deposits.value,
    depositLimit: a.deposits.limit,
    nonExemptVehicles: a.vehicles.count,
    nonExemptVehicleValue: a.vehicles.value,
    maxNonExemptVehicles: a.vehicles.maxCount,
    maxNonExemptVehicleValue: a.vehicles.maxValue === null ? '不限' : a.vehicles.maxValue,
    housingUnits: a.housing.units,
    maxHousingUnits: a.housing.max,
  };
  const deposits = fenText(toFen(a.deposits.value));
  const limit = fenText(toFen(a.deposits.limit));
  if (a.within) {
    return reason(
      `${tier}.assetsWithinLimits`,
      `家庭财产符合${label}财产状况规定：存款等金融资产${deposits}（限额${limit}），非豁免机动车辆${a.vehicles.count}辆，住房${a.housing.units}套`,
      c.cl.assets,
      values,
    );
  }
  const parts: string[] = [];
  if (!a.deposits.within) parts.push(`存款等金融资产${deposits}超过限额${limit}`);
  if (!a.vehicles.within) {
    const cap = a.vehicles.maxValue === null ? '' : `、合计价值不超过${fenText(toFen(a.vehicles.maxValue))}`;
    parts.push(
      `非豁免机动车辆${a.vehicles.count}辆（价值${fenText(toFen(a.vehicles.value))}），规定为不超过${a.vehicles.maxCount}辆${cap}`,
    );
  }
  if (!a.housing.within) parts.push(`住房${a.housing.units}套，超过规定的${a.housing.max}套`);
  return reason(
    `${tier}.assetsExceedLimits`,
    `家庭财产不符合${label}财产状况规定：${parts.join('；')}`,
    c.cl.assets,
    values,
  );
}

function groundText(c: Context, i: number): string {
  const m = c.household.members[i]!;
  const pc = c.p.personCriteria;
  switch (c.ev.labourGround[i]!) {
    case 'elderly':
      return `${m.name}（${m.age}周岁，${pc.elderlyFromAge}周岁以上）`;
    case 'minor':
      return `${m.name}（${m.age}周岁，未满${pc.minorBelowAge}周岁）`;
    case 'disability':
      return `${m.name}（${DISABILITY_LABEL[m.disabilityCategory!]}${GRADE_LABEL[m.disabilityGrade!]}）`;
    case 'student':
      return `${m.name}（${m.age}周岁，在${schoolingLabels[m.schooling!.stage]}就学）`;
    case 'assessed':
      return `${m.name}（经认定无劳动能力）`;
    case '':
      return m.name;
  }
}

function tekunLabour(c: Context, pass: boolean): Reason {
  const { elderlyFromAge, minorBelowAge } = c.p.personCriteria;
  const counted = c.household.members.map((_, i) => i).filter((i) => c.ev.economics.counted[i]);
  const students = counted.some((i) => c.ev.labourGround[i] === 'student');
  const clause = students ? `${c.cl.tekunLabour}；${c.cl.tekunStudent}` : c.cl.tekunLabour;
  if (pass) {
    const who = counted.map((i) => groundText(c, i));
    return reason('tekun.noLabourCapacity', `家庭成员均无劳动能力：${who.join('、')}`, clause, {
      members: who.join('、'),
      elderlyFromAge,
      minorBelowAge,
    });
  }
  const able = counted.filter((i) => !c.ev.withoutLabourCapacity[i]).map((i) => c.household.members[i]!.name);
  return reason(
    'tekun.hasLabourCapacity',
    `${able.join('、')}具有劳动能力（不属于${elderlyFromAge}周岁以上、未满${minorBelowAge}周岁、规定类别和等级的残疾或在学情形），不符合特困人员"无劳动能力"条件`,
    clause,
    { membersWithLabourCapacity: able.join('、'), elderlyFromAge, minorBelowAge },
  );
}

const INABILITY_LABEL: Record<(typeof obligorInabilities)[number], string> = {
  tekun: '本人为特困人员',
  dibaoElderly: '60周岁以上的最低生活保障对象',
  elderlyLowIncome: '70周岁以上且收入、财产符合规定',
  disabledLowIncome: '重度残疾或三级智力、精神残疾且收入、财产符合规定',
  incapacitated: '无民事行为能力、被宣告失踪或在监狱服刑',
  provincial: '省级规定的其他情形',
};

function tekunSupporter(c: Context, pass: boolean): Reason {
  const obligors = c.household.obligors;
  if (pass) {
    const detail =
      obligors === undefined || obligors.length === 0
        ? '无法定赡养、抚养、扶养义务人'
        : `法定义务人均无履行义务能力：${obligors.map((o) => `${o.name}（${INABILITY_LABEL[o.inability!]}${o.note ? `，${o.note}` : ''}）`).join('、')}`;
    return reason('tekun.noAbleSupporter', detail, c.cl.tekunSupporter, {
      hasAbleSupporter: false,
      obligors: obligors?.length ?? 0,
    });
  }
  const able = (obligors ?? []).filter((o) => o.ableToSupport).map((o) => o.name);
  return reason(
    'tekun.hasAbleSupporter',
    able.length > 0
      ? `法定义务人${able.join('、')}具有履行义务能力，不符合特困人员条件`
      : '有具备履行义务能力的法定赡养、抚养、扶养义务人，不符合特困人员条件',
    c.cl.tekunSupporter,
    { hasAbleSupporter: true, ableObligors: able.join('、') },
  );
}

function tekunIncome(c: Context, pass: boolean): Reason {
  const s = c.ev.lines.dibaoStandardFen;
  const e = c.ev.economics;
  const perCapita = roundHalfUp(e.tekunCountedIncomeFen / e.size);
  const excluded = `（按特困人员收入认定，不计入${fenText(e.tekunExcludedIncomeFen)}）`;
  return reason(
    pass ? 'tekun.noIncomeSource' : 'tekun.hasIncomeSource',
    pass
      ? `人均月收入${fenText(perCapita)}${excluded}低于低保标准${fenText(s)}，属于无生活来源`
      : `人均月收入${fenText(perCapita)}${excluded}不低于低保标准${fenText(s)}，不属于无生活来源`,
    c.cl.tekunIncome,
    {
      perCapitaMonthlyIncome: toYuan(perCapita),
      tekunExcludedMonthlyIncome: toYuan(e.tekunExcludedIncomeFen),
      dibaoStandard: toYuan(s),
    },
  );
}

function marginalIncome(c: Context, pass: boolean): Reason {
  const s = c.ev.lines.dibaoStandardFen;
  return reason(
    pass ? 'marginal.incomeBelowLine' : 'marginal.incomeNotBelowLine',
    `家庭人均月收入${fenText(c.perCapitaFen)}${pass ? '低于' : '不低于'}低保边缘收入线${fenText(c.marginalLineFen)}（低保标准${fenText(s)}×${c.p.marginalMultiple}）`,
    c.cl.marginal,
    {
      perCapitaMonthlyIncome: toYuan(c.perCapitaFen),
      dibaoStandard: toYuan(s),
      marginalMultiple: c.p.marginalMultiple,
      marginalLine: toYuan(c.marginalLineFen),
    },
  );
}

function rigidIncome(c: Context, pass: boolean): Reason {
  const annual = c.ev.lines.disposableIncomeAnnualFen;
  return reason(
    pass ? 'rigidExpense.incomeBelowLine' : 'rigidExpense.incomeNotBelowLine',
    `家庭人均月收入${fenText(c.perCapitaFen)}${pass ? '低于' : '不低于'}上年度当地居民人均可支配收入${fenText(annual)}/年（折合${fenText(c.disposableMonthlyFen)}/月）`,
    c.cl.rigidExpense,
    {
      perCapitaMonthlyIncome: toYuan(c.perCapitaFen),
      priorYearDisposableIncome: toYuan(annual),
      disposableIncomeMonthlyLine: toYuan(c.disposableMonthlyFen),
    },
  );
}

function rigidRatio(c: Context, pass: boolean): Reason {
  const e = c.ev.economics;
  const spending = e.rigidSpendingFen;
  const income12 = e.countedIncomeFen * 12;
  const threshold = c.ev.lines.rigidExpenseBasisPoints;
  const share =
    income12 === 0
      ? '家庭同期无收入'
      : `占家庭同期收入${fenText(income12)}的${percentText(roundHalfUp((spending * 10_000) / income12))}`;
  const parts = [
    `医疗${fenText(e.medicalSpendingFen)}`,
    `教育${fenText(e.educationSpendingFen)}`,
    ...(e.rehabilitationSpendingFen > 0 ? [`残疾康复${fenText(e.rehabilitationSpendingFen)}`] : []),
    ...(e.otherSpendingFen > 0 ? [`其他${fenText(e.otherSpendingFen)}`] : []),
    ...(e.livingSpendingFen > 0 ? [`生活支出（按当地规定）${fenText(e.livingSpendingFen)}`] : []),
  ];
  return reason(
    pass ? 'rigidExpense.overRatio' : 'rigidExpense.notOverRatio',
    `申请前12个月刚性支出：${parts.join('、')}，合计${fenText(spending)}，${share}，${pass ? '超过' : '未超过'}规定比例${percentText(threshold)}`,
    c.cl.rigidExpense,
    {
      medical: toYuan(e.medicalSpendingFen),
      education: toYuan(e.educationSpendingFen),
      rehabilitation: toYuan(e.rehabilitationSpendingFen),
      other: toYuan(e.otherSpendingFen),
      living: toYuan(e.livingSpendingFen),
      spending: toYuan(spending),
      income12Months: toYuan(income12),
      thresholdRatio: c.p.rigidExpenseRatio,
    },
  );
}

function relapseWatchReason(c: Context): Reason {
  return reason(
    'relapseWatch.recognised',
    '经农业农村（乡村振兴）部门认定为防止返贫监测对象，相互认可，不再重复核查',
    c.cl.relapseWatch,
    { relapseWatch: true },
  );
}

/** Why the household is not 低保: the failing one of income or property. */
function notDibao(c: Context): Reason {
  return c.ev.facts.belowDibaoStandard ? assetsReason(c, 'dibao') : dibaoIncome(c, false);
}

/** Why the household is not 低保边缘: the failing one of income or property. */
function notMarginal(c: Context): Reason {
  return c.ev.facts.belowMarginalLine ? assetsReason(c, 'marginal') : marginalIncome(c, false);
}

function roundingText(p: ParameterSet): string {
  return `按${ROUNDING_LABEL.unit[p.amountRounding.unit]}${ROUNDING_LABEL.mode[p.amountRounding.mode]}`;
}

/**
 * 社会救助法第十八条: the gap between the standard and income, for every member covered, monthly —
 * or, where the province pays fixed bands (分档定额), the band the per-person gap falls in. For the
 * whole household the gap times its size is exactly standard × size − income, so no fraction of a
 * fen arises before the region's rounding; a region's floor (保底) is per covered person and applies
 * after rounding. `gaps` holds each covered unit's gap: one for the household, one per 单人保 member.
 */
function paidAmount(
  c: Context,
  gaps: Array<{ gapFen: number; heads: number }>,
): { fen: number; text: string } {
  const covered = gaps.reduce((n, g) => n + g.heads, 0);
  const method = c.p.dibaoAmountMethod;
  if (method.kind === 'bands') {
    const bands = [...method.bands].sort((a, b) => b.minGapPerPerson - a.minGapPerPerson);
    let fen = 0;
    const parts: string[] = [];
    for (const g of gaps) {
      // The highest band whose per-person gap the unit reaches: gap ≥ min × heads, exactly.
      const band = bands.find((b) => g.gapFen >= toFen(b.minGapPerPerson) * g.heads)!;
      fen += toFen(band.amountPerPerson) * g.heads;
      parts.push(
        `人均差额${fenText(roundHalfUp(g.gapFen / g.heads))}，属“人均差额${fenText(toFen(band.minGapPerPerson))}以上”一档，${fenText(toFen(band.amountPerPerson))}/人·月×${g.heads}人`,
      );
    }
    return { fen, text: `分档定额：${parts.join('；')}，共${fenText(fen)}` };
  }
  const gapFen = gaps.reduce((n, g) => n + g.gapFen, 0);
  const rounded = roundFen(gapFen, c.p.amountRounding);
  const floorFen = c.p.amountFloorPerPerson === null ? 0 : toFen(c.p.amountFloorPerPerson) * covered;
  const floorText =
    floorFen > rounded ? `，低于保底${fenText(floorFen / covered)}/人·月，按${fenText(floorFen)}发放` : '';
  return {
    fen: Math.max(rounded, floorFen),
    text: `${fenText(gapFen)}，${roundingText(c.p)}为${fenText(rounded)}${floorText}`,
  };
}

const INCREMENT_LABEL = {
  elderly: '老年人',
  minor: '未成年人',
  severeDisability: '重度残疾人',
  seriousIllness: '重病患者',
} as const;

/** 分类施保 (社会救助法第二十条): the extra monthly amount for each covered member, as the region sets it. */
function increments(c: Context, covered: number[]): { fen: number; reasons: Reason[] } {
  const inc = c.p.dibaoIncrements;
  let total = 0;
  const reasons: Reason[] = [];
  for (const i of covered) {
    const m = c.household.members[i]!;
    const applies: Array<[keyof typeof INCREMENT_LABEL, number]> = [];
    if (m.age >= inc.elderlyFromAge) applies.push(['elderly', toFen(inc.elderly)]);
    if (m.age < c.p.personCriteria.adultAge) applies.push(['minor', toFen(inc.minor)]);
    if (isSeverelyDisabled(m, c.p)) applies.push(['severeDisability', toFen(inc.severeDisability)]);
    if (m.severeIllness) applies.push(['seriousIllness', toFen(inc.seriousIllness)]);
    const paying = applies.filter(([, fen]) => fen > 0);
    if (paying.length === 0) continue;
    const chosen = inc.combine === 'sum' ? paying : [paying.reduce((a, b) => (b[1] > a[1] ? b : a))];
    const fen = chosen.reduce((n, [, f]) => n + f, 0);
    total += fen;
    reasons.push(
      reason(
        'dibao.increment',
        `${m.name}属${chosen.map(([k]) => INCREMENT_LABEL[k]).join('、')}，分类施保每月增发${fenText(fen)}${inc.combine === 'highest' && paying.length > 1 ? '（多项取最高）' : ''}`,
        c.cl.increments,
        { name: m.name, kinds: chosen.map(([k]) => k).join(','), monthlyIncrement: toYuan(fen) },
      ),
    );
  }
  return { fen: total, reasons };
}

/** 43号 第二十二条: all six activities managed → 全自理; 1–3 not → 部分丧失; 4 or more → 完全丧失. */
export function selfCareLevel(unable: number): 'fullSelfCare' | 'partialLoss' | 'fullLoss' {
  return unable === 0 ? 'fullSelfCare' : unable <= 3 ? 'partialLoss' : 'fullLoss';
}
const SELF_CARE_LABEL = {
  fullSelfCare: '具备生活自理能力',
  partialLoss: '部分丧失生活自理能力',
  fullLoss: '完全丧失生活自理能力',
};

interface Explained {
  reasons: Reason[];
  amountFen: number | null;
  coveredMembers?: string[];
}

/** The reasons a household meets `tier`, and the amount it pays. */
function explainTier(c: Context, tier: Tier): Explained {
  const e = c.ev.economics;
  const s = c.ev.lines.dibaoStandardFen;
  const countedMembers = c.household.members.map((_, i) => i).filter((i) => e.counted[i]);
  switch (tier) {
    case 'tekun': {
      const basicFen = c.ev.lines.tekunStandardFen * e.size;
      const care = countedMembers.map((i) => {
        const m = c.household.members[i]!;
        const level = selfCareLevel(m.selfCareUnable.length);
        const fen = toFen(c.p.tekunCareStandards[level]);
        return reason(
          'tekun.careStandard',
          `${m.name}：生活自理能力6项指标中${m.selfCareUnable.length}项不能达到，${SELF_CARE_LABEL[level]}，照料护理标准${fenText(fen)}/月`,
          c.cl.tekunAmount,
          { name: m.name, unableActivities: m.selfCareUnable.length, level, careStandard: toYuan(fen) },
        );
      });
      const careFen = care.reduce((n, r) => n + toFen(r.values.careStandard as number), 0);
      const amountFen = basicFen + careFen;
      return {
        amountFen,
        reasons: [
          tekunLabour(c, true),
          tekunSupporter(c, true),
          tekunIncome(c, true),
          assetsReason(c, 'tekun'),
          ...care,
          reason(
            'tekun.amount',
            `按特困人员基本生活标准${fenText(c.ev.lines.tekunStandardFen)}/人·月×${e.size}人，加照料护理标准${fenText(careFen)}，每月${fenText(amountFen)}`,
            c.cl.tekunAmount,
            {
              tekunBasicLivingStandard: toYuan(c.ev.lines.tekunStandardFen),
              covered: e.size,
              careStandards: toYuan(careFen),
              monthlyAmount: toYuan(amountFen),
            },
          ),
        ],
      };
    }
    case 'dibao': {
      const gapFen = s * e.size - e.countedIncomeFen;
      const paid = paidAmount(c, [{ gapFen, heads: e.size }]);
      const extra = increments(c, countedMembers);
      const amountFen = paid.fen + extra.fen;
      return {
        amountFen,
        reasons: [
          dibaoIncome(c, true),
          assetsReason(c, 'dibao'),
          reason(
            'dibao.amount',
            `低保金 =（低保标准${fenText(s)}×${e.size}人 − 家庭月收入${fenText(e.countedIncomeFen)}）= ${paid.text}${extra.fen > 0 ? `；加分类施保${fenText(extra.fen)}，每月${fenText(amountFen)}` : ''}`,
            c.cl.dibaoAmount,
            {
              dibaoStandard: toYuan(s),
              covered: e.size,
              gap: toYuan(gapFen),
              increments: toYuan(extra.fen),
              monthlyAmount: toYuan(amountFen),
            },
          ),
          ...extra.reasons,
        ],
      };
    }
    case 'singlePersonDibao': {
      const gaps: Array<{ gapFen: number; heads: number }> = [];
      const memberReasons = c.ev.singlePersonMembers.map((i) => {
        const m = c.household.members[i]!;
        const own = c.ev.economics.memberIncomeFen[i]!;
        gaps.push({ gapFen: s - own, heads: 1 });
        const ground = singlePersonGround(m, c.p);
        const why =
          ground === 'illness'
            ? '患重特大疾病'
            : ground === 'disability'
              ? `${DISABILITY_LABEL[m.disabilityCategory!]}${GRADE_LABEL[m.disabilityGrade!]}`
              : `成年无业重度残疾人`;
        return reason(
          'singlePersonDibao.member',
          `${m.name}（${why}）本人月收入${fenText(own)}低于低保标准${fenText(s)}，参照单人户纳入最低生活保障`,
          c.cl.singlePerson,
          { name: m.name, ownMonthlyIncome: toYuan(own), dibaoStandard: toYuan(s) },
        );
      });
      const covered = c.ev.singlePersonMembers.length;
      const paid = paidAmount(c, gaps);
      const extra = increments(c, c.ev.singlePersonMembers);
      const amountFen = paid.fen + extra.fen;
      const gapFen = gaps.reduce((n, g) => n + g.gapFen, 0);
      return {
        amountFen,
        coveredMembers: c.ev.singlePersonMembers.map((i) => c.household.members[i]!.idNumber),
        reasons: [
          notDibao(c),
          ...(c.ev.facts.singlePersonCandidates > 0 ? [marginalIncome(c, c.ev.facts.belowMarginalLine)] : []),
          assetsReason(c, 'marginal'),
          ...memberReasons,
          reason(
            'singlePersonDibao.amount',
            `单人保低保金 = 各纳入成员（低保标准 − 本人月收入）= ${paid.text}${extra.fen > 0 ? `；加分类施保${fenText(extra.fen)}，每月${fenText(amountFen)}` : ''}`,
            c.cl.dibaoAmount,
            { covered, gap: toYuan(gapFen), increments: toYuan(extra.fen), monthlyAmount: toYuan(amountFen) },
          ),
          ...extra.reasons,
        ],
      };
    }
    case 'marginal':
      return {
        amountFen: null,
        reasons: [notDibao(c), marginalIncome(c, true), assetsReason(c, 'marginal')],
      };
    case 'rigidExpense':
      return {
        amountFen: null,
        reasons: [notMarginal(c), rigidIncome(c, true), assetsReason(c, 'rigidExpense'), rigidRatio(c, true)],
      };
    case 'relapseWatch':
      return { amountFen: null, reasons: [relapseWatchReason(c)] };
    case 'otherHardship':
      return {
        amountFen: null,
        reasons: [
          reason(
            'otherHardship.emergency',
            '不符合其他救助类别条件，按遭遇急难的其他困难人员给予临时救助',
            c.cl.emergency,
            {},
          ),
          // Property beyond even the loosest tier's limits: the caseworker deciding whether to pay
          // first must see it (a household with millions in deposits is rarely in 急难).
          ...(c.ev.assets.rigidExpense.within ? [] : [assetsReason(c, 'rigidExpense')]),
        ],
      };
    case 'notEligible':
      return { amountFen: null, reasons: refusalReasons(c, undefined) };
  }
}

/** Why the household fails `requested` (or, with no request, every means-tested tier). */
function dibaoFails(c: Context, out: Reason[]): void {
  if (!c.ev.facts.belowDibaoStandard) out.push(dibaoIncome(c, false));
  if (!c.ev.facts.assetsWithin.dibao) out.push(assetsReason(c, 'dibao'));
}

function marginalFails(c: Context, out: Reason[]): void {
  if (!c.ev.facts.belowMarginalLine) out.push(marginalIncome(c, false));
  if (!c.ev.facts.assetsWithin.marginal) out.push(assetsReason(c, 'marginal'));
}

function rigidFails(c: Context, out: Reason[]): void {
  if (!c.ev.facts.belowDisposableIncomeLine) out.push(rigidIncome(c, false));
  if (!c.ev.facts.assetsWithin.rigidExpense) out.push(assetsReason(c, 'rigidExpense'));
  if (!c.ev.facts.rigidExpenseOverRatio) out.push(rigidRatio(c, false));
}

function refusalReasons(c: Context, requested: MeansTier | undefined): Reason[] {
  const f = c.ev.facts;
  const q = c.ev.qualifying;
  const out: Reason[] = [];
  switch (requested) {
    case 'tekun':
      if (!f.allWithoutLabourCapacity) out.push(tekunLabour(c, false));
      if (f.hasAbleSupporter) out.push(tekunSupporter(c, false));
      if (!f.tekunIncomeBelowStandard) out.push(tekunIncome(c, false));
      if (!f.assetsWithin.tekun) out.push(assetsReason(c, 'tekun'));
      break;
    case 'dibao':
      dibaoFails(c, out);
      break;
    case 'marginal':
      if (q.dibao) {
        out.push(
          reason(
            'marginal.qualifiesForDibao',
            '家庭符合最低生活保障条件，不属于低保边缘家庭',
            c.cl.marginal,
            {},
          ),
        );
      } else marginalFails(c, out);
      break;
    case 'rigidExpense':
      if (q.tekun || q.dibao || q.marginal) {
        const higher = q.tekun ? 'tekun' : q.dibao ? 'dibao' : 'marginal';
        out.push(
          reason(
            'rigidExpense.qualifiesForHigherTier',
            `家庭符合${tierLabels[higher]}条件，不属于刚性支出困难家庭`,
            c.cl.rigidExpense,
            { qualifiesFor: higher },
          ),
        );
      } else rigidFails(c, out);
      break;
    default:
      out.push(
        reason(
          'notEligible',
          '家庭经济状况不符合特困人员、最低生活保障、低保边缘家庭、刚性支出困难家庭的认定条件',
          c.cl.dibao,
          {},
        ),
      );
      dibaoFails(c, out);
      marginalFails(c, out);
      rigidFails(c, out);
  }
  return out;
}

/** The tier a request is granted, under the requested tier's own definition (null when it fails). */
function granted(requested: MeansTier, q: Record<MeansTier, boolean>): Tier | null {
  switch (requested) {
    case 'tekun':
      return q.tekun ? 'tekun' : null;
    case 'dibao':
      return q.dibao ? 'dibao' : null;
    case 'singlePersonDibao':
      return q.singlePersonDibao ? 'singlePersonDibao' : null;
    // 国办发〔2023〕39号 defines 低保边缘 as not meeting 低保, and 刚性支出 as meeting none of 低保, 特困
    // and 低保边缘: an applicant who qualifies higher is pointed there rather than placed lower.
    case 'marginal':
      return q.marginal && !q.dibao ? 'marginal' : null;
    case 'rigidExpense':
      return q.rigidExpense && !q.tekun && !q.dibao && !q.marginal ? 'rigidExpense' : null;
  }
}

function recheckMonths(tier: Tier, c: Context): number | null {
  const r = c.p.recheckMonths;
  switch (tier) {
    case 'tekun':
      return r.tekun;
    case 'dibao':
      return c.ev.unstableIncome ? r.dibaoUnstable : r.dibaoStable;
    case 'singlePersonDibao':
      return r.singlePersonDibao;
    case 'marginal':
      return r.marginal;
    case 'rigidExpense':
      return r.rigidExpense;
    default:
      return null;
  }
}

function yuanByKind(byKind: Record<IncomeKind, number>): Record<IncomeKind, number> {
  const out = {} as Record<IncomeKind, number>;
  for (const k of incomeKinds) out[k] = byKind[k] / 100;
  return out;
}

function outcome(c: Context, t: Tier): TierOutcome {
  const x = explainTier(c, t);
  const o: TierOutcome = {
    tier: t,
    monthlyAmount: x.amountFen === null ? null : toYuan(x.amountFen),
    reasons: x.reasons,
  };
  if (x.coveredMembers) o.coveredMembers = x.coveredMembers;
  return o;
}

export function meansTest(household: HouseholdDeclaration, options: MeansTestOptions): MeansTestResult {
  const p = options.parameters;
  if (household.regionCode !== p.regionCode)
    throw new ParameterMismatchError('regionCode', household.regionCode, p.regionCode);
  if (household.residence !== p.residence)
    throw new ParameterMismatchError('residence', household.residence, p.residence);
  if (options.asOf !== p.asOf) throw new ParameterMismatchError('asOf', options.asOf, p.asOf);

  const requested = options.requestedTier;
  const relapseWatch = options.relapseWatch === true;
  const ev = evaluate(household, p, { relapseWatch, emergency: requested === 'emergency' });
  const e = ev.economics;
  const n = e.size;
  const c: Context = {
    household,
    cl: clausesFor(options.asOf),
    p,
    ev,
    perCapitaFen: roundHalfUp(e.countedIncomeFen / n),
    marginalLineFen: roundHalfUp((ev.lines.dibaoStandardFen * ev.lines.marginalBasisPoints) / 10_000),
    disposableMonthlyFen: roundHalfUp(ev.lines.disposableIncomeAnnualFen / 12),
  };
  const best = ev.classification;

  let tier: Tier;
  let eligible: boolean;
  let explained: Explained;
  let alternative: TierOutcome | undefined;

  if (requested === undefined || requested === 'emergency') {
    tier = best;
    eligible = best !== 'notEligible';
    explained = explainTier(c, best);
  } else {
    const got = granted(requested, ev.qualifying);
    if (got !== null) {
      tier = got;
      eligible = true;
      explained = explainTier(c, got);
      if (consentTiers.has(best) && tierRank[best] > tierRank[got]) alternative = outcome(c, best);
    } else {
      tier = 'notEligible';
      eligible = false;
      explained = { amountFen: null, reasons: refusalReasons(c, requested) };
      if (consentTiers.has(best)) alternative = outcome(c, best);
      else if (best === 'relapseWatch') explained.reasons.push(relapseWatchReason(c));
    }
  }

  const reasons = [incomeSummary(c), ...explained.reasons];
  if (alternative) {
    reasons.push(
      reason(
        'alternative.available',
        `经核查，家庭符合${tierLabels[alternative.tier]}条件，经申请人同意后可予认定`,
        c.cl.alternative,
        { tier: alternative.tier },
      ),
    );
  }
  let emergency: MeansTestResult['emergency'];
  if (requested === 'emergency') {
    const limit = toFen(p.emergencySmallAmount);
    emergency = { smallAmountLimit: toYuan(limit), clause: c.cl.emergency };
    reasons.push(
      reason(
        'emergency.smallAmount',
        `申请临时救助：情况紧急的，可先行给予不超过${fenText(limit)}的小金额救助，事后补齐手续`,
        c.cl.emergency,
        { smallAmountLimit: toYuan(limit) },
      ),
    );
  }
  if (p.sampleData) {
    reasons.push(
      reason(
        'parameters.sampleData',
        '本次核算使用的是示例参数（非官方数值），结果仅供演示，不得作为认定依据',
        p.version,
        { parameterVersion: p.version },
      ),
    );
  }

  const spending = e.rigidSpendingFen;
  const income12 = e.countedIncomeFen * 12;
  const paysGradualExit = tier === 'dibao' || tier === 'singlePersonDibao';
  const result: MeansTestResult = {
    tier,
    eligible,
    monthlyAmount: explained.amountFen === null ? null : toYuan(explained.amountFen),
    perCapitaMonthlyIncome: toYuan(c.perCapitaFen),
    reasons,
    parameterVersion: p.version,
    classification: best,
    requestedTier: requested ?? null,
    relapseWatch,
    asOf: options.asOf,
    regionCode: household.regionCode,
    residence: household.residence,
    sampleParameters: p.sampleData,
    income: {
      householdSize: n,
      grossMonthlyIncome: toYuan(e.grossIncomeFen),
      excludedMonthlyIncome: toYuan(e.excludedIncomeFen),
      employmentCostDeduction: toYuan(e.employmentDeductionFen),
      illnessDisabilityDeduction: toYuan(e.illnessDeductionFen),
      countedMonthlyIncome: toYuan(e.countedIncomeFen),
      perCapitaMonthlyIncome: toYuan(c.perCapitaFen),
      tekunCountedMonthlyIncome: toYuan(e.tekunCountedIncomeFen),
      byKind: yuanByKind(e.incomeByKindFen),
    },
    lines: {
      dibaoStandard: p.dibaoStandard,
      tekunBasicLivingStandard: p.tekunBasicLivingStandard,
      marginalMultiple: p.marginalMultiple,
      marginalLine: toYuan(c.marginalLineFen),
      priorYearDisposableIncome: p.priorYearDisposableIncome,
      disposableIncomeMonthlyLine: toYuan(c.disposableMonthlyFen),
    },
    assets: ev.assets,
    rigidExpense: {
      medical: toYuan(e.medicalSpendingFen),
      education: toYuan(e.educationSpendingFen),
      rehabilitation: toYuan(e.rehabilitationSpendingFen),
      other: toYuan(e.otherSpendingFen),
      living: toYuan(e.livingSpendingFen),
      spending: toYuan(spending),
      income12Months: toYuan(income12),
      ratio: income12 === 0 ? null : roundHalfUp((spending * 10_000) / income12) / 10_000,
      thresholdRatio: p.rigidExpenseRatio,
      overRatio: ev.facts.rigidExpenseOverRatio,
    },
    recheckIntervalMonths: recheckMonths(tier, c),
    gradualExitMonths: paysGradualExit ? p.gradualExitMonths : null,
    parameterClauses: p.clauses,
  };
  if (explained.coveredMembers) result.coveredMembers = explained.coveredMembers;
  if (alternative) result.alternative = alternative;
  if (emergency) result.emergency = emergency;
  return result;
}

/**
 * 支出型临时救助: what the household's sudden necessary spending left it. Eligible when the counted
 * income of the 12 months the declaration covers (before any illness/disability deduction), less the necessary spending of those months
 * (medical after insurance, education, disability rehabilitation, other items the county recognises
 * — 生活支出 is not such a spending), comes per person and month to no more than the local 低保边缘
 * line, and the assets are within the 低保边缘 limits: its basic living is then in serious temporary
 * difficulty (社会救助法第二十九条). The line and the limits are the region's 低保边缘 parameters
 * (docs/architecture.md §7). Exact in fen.
 */
export interface ExpenditureTest {
  eligible: boolean;
  /** The necessary spending over the 12 months (元). */
  spending: number;
  /** The counted income over the same 12 months (元). */
  income12Months: number;
  /** Per person and month once the spending is paid (元, never below zero). */
  perCapitaMonthlyAfterSpending: number;
  /** The 低保边缘 line, per person and month (元). */
  line: number;
  assetsWithin: boolean;
  reasons: Reason[];
}

export function expenditureTest(result: MeansTestResult): ExpenditureTest {
  const clause = clausesFor(result.asOf).emergency;
  const r = result.rigidExpense;
  const spendingFen = toFen(r.medical) + toFen(r.education) + toFen(r.rehabilitation) + toFen(r.other);
  // The illness/disability deduction some provinces take from income is that same spending: added
  // back, so that it is not subtracted twice.
  const incomeFen = toFen(r.income12Months) + toFen(result.income.illnessDisabilityDeduction) * 12;
  const afterFen = Math.max(0, incomeFen - spendingFen);
  const n = result.income.householdSize;
  const lineFen = toFen(result.lines.marginalLine);
  const incomeWithin = afterFen <= lineFen * 12 * n;
  const assetsWithin = result.assets.marginal.within;
  const perCapitaFen = roundHalfUp(afterFen / 12 / n);
  const reasons = [
    reason(
      'expenditure.income',
      `申请前12个月家庭收入${fenText(incomeFen)}，扣除医疗、教育、残疾康复等必需支出${fenText(spendingFen)}后，人均月收入${fenText(perCapitaFen)}，${incomeWithin ? '不高于' : '高于'}当地低保边缘家庭认定标准${fenText(lineFen)}`,
      clause,
      {
        spending: toYuan(spendingFen),
        perCapitaMonthlyAfterSpending: toYuan(perCapitaFen),
        line: toYuan(lineFen),
      },
    ),
    reason(
      'expenditure.assets',
      `家庭财产状况${assetsWithin ? '符合' : '不符合'}当地低保边缘家庭的规定`,
      clause,
      { assetsWithin },
    ),
  ];
  return {
    eligible: spendingFen > 0 && incomeWithin && assetsWithin,
    spending: toYuan(spendingFen),
    income12Months: toYuan(incomeFen),
    perCapitaMonthlyAfterSpending: toYuan(perCapitaFen),
    line: toYuan(lineFen),
    assetsWithin,
    reasons,
  };
}
