/**
 * 分层: which tier a household falls in. The economics become a handful of facts; the decision is a
 * priority over the tiers' own conditions, so classification is total (every household gets exactly
 * one tier) and, since every condition only gets harder to meet as income or assets rise, more income
 * or more assets never yields a more-assisted tier.
 */

import { toFen } from '../domain/money.ts';
import type { ParameterSet } from '../parameters/index.ts';
import { type HouseholdDeclaration, hasAbleSupporter, type Member } from '../schemas/household.ts';
import {
  type AssetCheck,
  type AssetTier,
  assetsWithin,
  checkAssets,
  compareProducts,
  type HouseholdEconomics,
  householdEconomics,
  toBasisPoints,
} from './economics.ts';

/** Most assisted first: the order in which a household is placed. */
export const tiers = [
  'tekun',
  'dibao',
  'singlePersonDibao',
  'marginal',
  'rigidExpense',
  'relapseWatch',
  'otherHardship',
  'notEligible',
] as const;
export type Tier = (typeof tiers)[number];

export const tierRank: Record<Tier, number> = {
  tekun: 7,
  dibao: 6,
  singlePersonDibao: 5,
  marginal: 4,
  rigidExpense: 3,
  relapseWatch: 2,
  otherHardship: 1,
  notEligible: 0,
};

/** Tiers the household can be determined in on its consent when it applied for another. */
export const consentTiers: ReadonlySet<Tier> = new Set([
  'tekun',
  'dibao',
  'singlePersonDibao',
  'marginal',
  'rigidExpense',
]);

export const tierLabels: Record<Tier, string> = {
  tekun: '特困人员',
  dibao: '最低生活保障',
  singlePersonDibao: '最低生活保障（单人保）',
  marginal: '低保边缘家庭',
  rigidExpense: '刚性支出困难家庭',
  relapseWatch: '防止返贫监测对象',
  otherHardship: '其他困难人员',
  notEligible: '不符合条件',
};

/** The facts the tier decision reads; the benchmark feeds the same ones to json-rules-engine. */
export interface TierFacts {
  /** 民发〔2021〕43号 第五条: every member lacks capacity to work. */
  allWithoutLabourCapacity: boolean;
  hasAbleSupporter: boolean;
  /** Per-capita counted income < 低保标准. */
  belowDibaoStandard: boolean;
  /** Per-capita income under 特困's exclusions < 低保标准 (43号 第六条: 无生活来源). */
  tekunIncomeBelowStandard: boolean;
  /** Per-capita counted income < 低保标准 × marginal multiple. */
  belowMarginalLine: boolean;
  /** Per-capita counted income < prior-year per-capita disposable income ÷ 12. */
  belowDisposableIncomeLine: boolean;
  /** 12-month rigid spending (every category) > ratio × 12-month household income. */
  rigidExpenseOverRatio: boolean;
  assetsWithin: Record<AssetTier, boolean>;
  /** Severely ill or severely disabled members whose own income is below the 低保 standard. */
  singlePersonCandidates: number;
  /** Adults with a severe disability and no work, where the province covers them alone whatever the household. */
  aloneCandidates: number;
  relapseWatch: boolean;
  emergency: boolean;
}

export type MeansTier = 'tekun' | 'dibao' | 'singlePersonDibao' | 'marginal' | 'rigidExpense';

/** Each tier's own conditions, before the priority between tiers. */
export function qualifying(f: TierFacts): Record<MeansTier, boolean> {
  return {
    // 民发〔2021〕43号《特困人员认定办法》第四条: 无劳动能力、无生活来源 (第六条: income below the 低保
    // standard and property within the 特困 rules) and no able legal supporter.
    tekun:
      f.allWithoutLabourCapacity && !f.hasAbleSupporter && f.tekunIncomeBelowStandard && f.assetsWithin.tekun,
    // 《社会救助暂行办法》第九条: per-capita income below the local standard, property within the rules.
    dibao: f.belowDibaoStandard && f.assetsWithin.dibao,
    // 民发〔2021〕57号 第十条: a severely ill or severely disabled member of a 低保边缘 household may be
    // covered alone, as a single-person household (参照单人户).
    // 社会救助法第二十一条第二款; the province may also cover adults with a severe disability and no work.
    singlePersonDibao:
      f.assetsWithin.marginal &&
      ((f.singlePersonCandidates > 0 && f.belowMarginalLine) || f.aloneCandidates > 0),
    // 国办发〔2023〕39号: 低保边缘家庭 — income below the multiple of the standard, property within the rules.
    marginal: f.belowMarginalLine && f.assetsWithin.marginal,
    // 国办发〔2023〕39号: 刚性支出困难家庭 — income below last year's per-capita disposable income,
    // property within the rules, necessary spending above the set share of income.
    rigidExpense: f.belowDisposableIncomeLine && f.assetsWithin.rigidExpense && f.rigidExpenseOverRatio,
  };
}

/** The most-assisted tier whose conditions hold. */
export function classify(f: TierFacts): Tier {
  return pick(qualifying(f), f);
}

function pick(q: Record<MeansTier, boolean>, f: TierFacts): Tier {
  if (q.tekun) return 'tekun';
  if (q.dibao) return 'dibao';
  if (q.singlePersonDibao) return 'singlePersonDibao';
  if (q.marginal) return 'marginal';
  if (q.rigidExpense) return 'rigidExpense';
  // 国办发〔2023〕39号: the rural-affairs department's 防止返贫监测对象 are recognised as they are.
  if (f.relapseWatch) return 'relapseWatch';
  // 临时救助 is not refused for want of a tier: a household in sudden hardship is 其他困难人员.
  if (f.emergency) return 'otherHardship';
  return 'notEligible';
}

/** The facts and the per-member findings behind them, without the explanation's detail. */
export interface Assessment {
  economics: HouseholdEconomics;
  facts: TierFacts;
  /** Per member: lacks capacity to work, per 43号 第五条. */
  withoutLabourCapacity: boolean[];
  /** Per member: why they lack capacity to work ('' when they do not), for the reasons. */
  labourGround: LabourGround[];
  /** Indexes of the members 单人保 would cover. */
  singlePersonMembers: number[];
  /** Income is irregular and a member can work: the 低保 household is rechecked more often. */
  unstableIncome: boolean;
}

/** Why a member counts as unable to work (43号 第五条; 社会救助法 第十六条 for students). */
export type LabourGround = '' | 'elderly' | 'minor' | 'disability' | 'student' | 'assessed';

export interface Evaluation extends Assessment {
  qualifying: Record<MeansTier, boolean>;
  classification: Tier;
  assets: Record<AssetTier, AssetCheck>;
  lines: {
    dibaoStandardFen: number;
    tekunStandardFen: number;
    marginalBasisPoints: number;
    disposableIncomeAnnualFen: number;
    rigidExpenseBasisPoints: number;
  };
}

export function isSeverelyDisabled(m: Member, p: ParameterSet): boolean {
  return m.disabilityGrade !== null && p.personCriteria.severeDisabilityGrades.includes(m.disabilityGrade);
}

/** 43号 第五条（三）: the disability categories and grades that mean no capacity to work (a parameter). */
function disabilityMeansNoLabour(m: Member, p: ParameterSet): boolean {
  if (m.disabilityGrade === null) return false;
  for (const d of p.personCriteria.noLabourCapacityDisabilities)
    if (d.category === m.disabilityCategory && m.disabilityGrade <= d.upToGrade) return true;
  return false;
}

/**
 * 社会救助法第十六条, 43号 第二十四条: a 特困 minor is supported until adulthood, and after it while in
 * compulsory or senior-secondary school — so a pupil of those stages is not "able to work".
 */
const inSupportedSchooling = (m: Member): boolean =>
  m.schooling !== null && (m.schooling.stage === 'compulsory' || m.schooling.stage === 'seniorSecondary');

export function labourGround(m: Member, p: ParameterSet): LabourGround {
  const c = p.personCriteria;
  if (m.age >= c.elderlyFromAge) return 'elderly';
  if (m.age < c.minorBelowAge) return 'minor';
  if (disabilityMeansNoLabour(m, p)) return 'disability';
  if (inSupportedSchooling(m)) return 'student';
  if (m.labourCapacity === 'none') return 'assessed';
  return '';
}

/** 57号 第八条（一）（二）: grade 1–2 of any category, grade-3 智力 or 精神, or a 重特大疾病. */
export function singlePersonGround(m: Member, p: ParameterSet): 'illness' | 'disability' | null {
  if (m.severeIllness) return 'illness';
  if (isSeverelyDisabled(m, p)) return 'disability';
  if (
    m.disabilityGrade === 3 &&
    (m.disabilityCategory === 'intellectual' || m.disabilityCategory === 'mental')
  )
    return 'disability';
  return null;
}

/** The household's economics and the facts the tier decision reads. */
export function assess(
  household: HouseholdDeclaration,
  p: ParameterSet,
  flags: { relapseWatch: boolean; emergency: boolean },
): Assessment {
  const e = householdEconomics(household, p);
  const n = e.size;
  const dibaoStandardFen = toFen(p.dibaoStandard);
  const { adultAge, adultSevereDisabilityAlone } = p.personCriteria;

  const withoutLabourCapacity: boolean[] = [];
  const labourGrounds: LabourGround[] = [];
  // Per member: a 第八条 candidate (covered only in a 低保边缘 household), or the province's adult route.
  const candidates: Array<'article8' | 'alone'> = [];
  let aloneCandidates = 0;
  let allWithout = true;
  let someoneCanWork = false;
  const members = household.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const ground = labourGround(m, p);
    labourGrounds.push(ground);
    withoutLabourCapacity.push(ground !== '');
    if (!e.counted[i]) continue;
    if (ground === '') {
      allWithout = false;
      someoneCanWork = true;
    }
    const ownBelow = e.memberIncomeFen[i]! < dibaoStandardFen;
    if (!ownBelow) continue;
    const alone = adultSevereDisabilityAlone && m.age >= adultAge && isSeverelyDisabled(m, p) && !m.employed;
    if (alone) {
      candidates[i] = 'alone';
      aloneCandidates++;
    } else if (singlePersonGround(m, p) !== null) candidates[i] = 'article8';
  }

  const income = e.countedIncomeFen;
  const limits = p.assetLimits;
  const belowMarginalLine =
    compareProducts(income, 10_000, toBasisPoints(p.marginalMultiple), dibaoStandardFen * n) < 0;
  const singlePersonMembers: number[] = [];
  let article8 = 0;
  candidates.forEach((c, i) => {
    if (c === 'article8') article8++;
    if (c === 'alone' || belowMarginalLine) singlePersonMembers.push(i);
  });
  const facts: TierFacts = {
    allWithoutLabourCapacity: allWithout,
    hasAbleSupporter: hasAbleSupporter(household),
    belowDibaoStandard: income < dibaoStandardFen * n,
    tekunIncomeBelowStandard: e.tekunCountedIncomeFen < dibaoStandardFen * n,
    belowMarginalLine,
    belowDisposableIncomeLine: compareProducts(income, 12, toFen(p.priorYearDisposableIncome), n) < 0,
    rigidExpenseOverRatio:
      compareProducts(e.rigidSpendingFen, 10_000, toBasisPoints(p.rigidExpenseRatio), income * 12) > 0,
    assetsWithin: {
      tekun: assetsWithin(e, limits.tekun, dibaoStandardFen),
      dibao: assetsWithin(e, limits.dibao, dibaoStandardFen),
      marginal: assetsWithin(e, limits.marginal, dibaoStandardFen),
      rigidExpense: assetsWithin(e, limits.rigidExpense, dibaoStandardFen),
    },
    singlePersonCandidates: article8,
    aloneCandidates,
    relapseWatch: flags.relapseWatch,
    emergency: flags.emergency,
  };
  return {
    economics: e,
    facts,
    withoutLabourCapacity,
    labourGround: labourGrounds,
    singlePersonMembers,
    unstableIncome: household.irregularIncome && someoneCanWork,
  };
}

/**
 * The tier alone, for bulk work that needs no explanation (e.g. a monitoring run over a register):
 * the same facts and priority as `meansTest`, which also explains and pays.
 */
export function decide(
  household: HouseholdDeclaration,
  p: ParameterSet,
  flags: { relapseWatch: boolean; emergency: boolean },
): Tier {
  return classify(assess(household, p, flags).facts);
}

/** `assess` plus what the explanation reads: each tier's conditions and the asset detail. */
export function evaluate(
  household: HouseholdDeclaration,
  p: ParameterSet,
  flags: { relapseWatch: boolean; emergency: boolean },
): Evaluation {
  const a = assess(household, p, flags);
  const dibaoStandardFen = toFen(p.dibaoStandard);
  const q = qualifying(a.facts);
  return {
    ...a,
    qualifying: q,
    classification: pick(q, a.facts),
    assets: {
      tekun: checkAssets(a.economics, p.assetLimits.tekun, dibaoStandardFen),
      dibao: checkAssets(a.economics, p.assetLimits.dibao, dibaoStandardFen),
      marginal: checkAssets(a.economics, p.assetLimits.marginal, dibaoStandardFen),
      rigidExpense: checkAssets(a.economics, p.assetLimits.rigidExpense, dibaoStandardFen),
    },
    lines: {
      dibaoStandardFen,
      tekunStandardFen: toFen(p.tekunBasicLivingStandard),
      marginalBasisPoints: toBasisPoints(p.marginalMultiple),
      disposableIncomeAnnualFen: toFen(p.priorYearDisposableIncome),
      rigidExpenseBasisPoints: toBasisPoints(p.rigidExpenseRatio),
    },
  };
}
