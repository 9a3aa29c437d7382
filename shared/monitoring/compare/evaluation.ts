/**
 * The decision for one department row: which indicator it triggers, and what that raises for a household
 * inside assistance or a person outside it. Pure and synchronous, with no I/O, because it runs once per
 * row — millions of times in a national run — and the same decision must come out whether the register
 * is an in-memory index or a DynamoDB lookup.
 */
import { maskIdNumber } from '../../domain/id-number.ts';
import { fenText, toFen } from '../../domain/money.ts';
import { compareProducts, toBasisPoints } from '../../rules/economics.ts';
import { damageLevels, departmentLabels, type FeedName, schoolStages } from '../feeds/names.ts';
import type { FeedRows } from '../feeds/specs.ts';
import {
  assistanceTypeLabels,
  type IndicatorBook,
  type IndicatorId,
  type IndicatorSet,
  indicatorDefinitions,
  type RiskType,
  registerStatusLabels,
  riskTypeLabels,
} from '../indicators.ts';
import { duplicateFindings } from './duplicates.ts';
import { isInside, type RegisterEntry } from './register.ts';
import { householdText, insideAction, sampleNote, type Warning, warningId } from './warnings.ts';

const percentText = (ratio: number): string => `${Math.round(ratio * 10_000) / 100}%`;

const cutoffs = new WeakMap<IndicatorSet, string>();
/** The earliest event date that still raises a warning: asOf − lookbackDays. */
function cutoffOf(set: IndicatorSet): string {
  let c = cutoffs.get(set);
  if (c === undefined) {
    const t = Date.parse(`${set.asOf}T00:00:00Z`) - set.lookbackDays * 86_400_000;
    c = new Date(t).toISOString().slice(0, 10);
    cutoffs.set(set, c);
  }
  return c;
}

/** Why a row raised nothing, or what it raised: the driver counts these. */
export type Outcome = 'stale' | 'future' | 'evaluated';

interface Trigger {
  indicator: IndicatorId;
  /** What the record shows and the threshold it crossed. */
  detail: string;
}

/** Which indicator a row can trigger, and the finding if it does. */
function trigger(
  feed: FeedName,
  row: FeedRows[FeedName],
  entry: RegisterEntry | undefined,
  set: IndicatorSet,
): Trigger | undefined {
  switch (feed) {
    case 'medicalInsurance': {
      const r = row as FeedRows['medicalInsurance'];
      const v = set.illnessOutOfPocket;
      const oop = toFen(r.outOfPocket);
      const line = toFen(v.minOutOfPocket);
      if (oop >= line)
        return {
          indicator: 'illnessOutOfPocket',
          detail: `医保结算个人自付${fenText(oop)}（总费用${fenText(toFen(r.totalCost))}），达到监测线${fenText(line)}`,
        };
      if (v.incomeShare !== null && entry && oop >= toFen(v.incomeShareFloor)) {
        const annual = toFen(entry.perCapitaMonthlyIncome) * entry.memberCount * 12;
        if (compareProducts(oop, 10_000, toBasisPoints(v.incomeShare), annual) > 0)
          return {
            indicator: 'illnessOutOfPocket',
            detail: `医保结算个人自付${fenText(oop)}，超过家庭年收入${fenText(annual)}的${percentText(v.incomeShare)}（且不低于${fenText(toFen(v.incomeShareFloor))}）`,
          };
      }
      return undefined;
    }
    case 'health': {
      const r = row as FeedRows['health'];
      if (r.eventType === 'death')
        return { indicator: 'death', detail: `卫生健康部门登记该成员于${r.eventDate}死亡` };
      const v = set.illnessLargeBill;
      const cost = toFen(r.totalCost ?? 0);
      const line = toFen(v.minTotalCost);
      if (cost >= line)
        return {
          indicator: 'illnessLargeBill',
          detail: `住院总费用${fenText(cost)}，达到大额医疗费用监测线${fenText(line)}`,
        };
      if (v.countMajorDisease && r.majorDisease)
        return {
          indicator: 'illnessLargeBill',
          detail: `住院病种属于大病专项救治范围（总费用${fenText(cost)}）`,
        };
      return undefined;
    }
    case 'education': {
      const r = row as FeedRows['education'];
      if (r.eventType === 'hardshipStudent')
        return {
          indicator: 'schoolingHardship',
          detail: `教育部门认定为家庭经济困难学生（${schoolStages[r.stage]}）`,
        };
      return set.schoolingEnrolment.stages.includes(r.stage)
        ? { indicator: 'schoolingEnrolment', detail: `成员在读${schoolStages[r.stage]}` }
        : undefined;
    }
    case 'humanResources': {
      const r = row as FeedRows['humanResources'];
      if (r.eventType === 'unemploymentRegistration')
        return { indicator: 'unemployment', detail: `人社部门登记该成员于${r.eventDate}失业` };
      const amount = toFen(r.monthlyAmount ?? 0);
      const line = toFen(set.incomeChange.minMonthlyIncome);
      if (amount < line) return undefined;
      const what = r.eventType === 'employment' ? '就业，月工资' : '开始领取养老金，月领取';
      return {
        indicator: 'incomeChange',
        detail: `人社部门登记该成员${what}${fenText(amount)}，达到收入变化监测线${fenText(line)}${
          entry
            ? `（登记的家庭人均月收入${fenText(toFen(entry.perCapitaMonthlyIncome))}，${entry.memberCount}人）`
            : ''
        }`,
      };
    }
    case 'disability': {
      const r = row as FeedRows['disability'];
      if (r.action === 'revoked' || r.grade === undefined || r.grade > set.disability.maxGrade)
        return undefined;
      return {
        indicator: 'disability',
        detail: `残联${r.action === 'issued' ? '发放' : '变更'}残疾人证，残疾等级${r.grade}级（监测线：${set.disability.maxGrade}级及以上重度）`,
      };
    }
    case 'emergencyManagement': {
      const r = row as FeedRows['emergencyManagement'];
      const v = set.disaster;
      if (r.damageLevel !== undefined && v.damageLevels.includes(r.damageLevel))
        return { indicator: 'disaster', detail: `应急管理部门登记住房${damageLevels[r.damageLevel]}` };
      if (v.minDirectLoss !== null && r.directLoss !== undefined) {
        const loss = toFen(r.directLoss);
        const line = toFen(v.minDirectLoss);
        if (loss >= line)
          return {
            indicator: 'disaster',
            detail: `受灾直接经济损失${fenText(loss)}，达到监测线${fenText(line)}`,
          };
      }
      return undefined;
    }
    case 'ruralAffairs': {
      const r = row as FeedRows['ruralAffairs'];
      return r.status === 'identified'
        ? { indicator: 'relapseWatchIdentified', detail: '农业农村部门将该成员纳入防止返贫监测' }
        : { indicator: 'relapseWatchEliminated', detail: '农业农村部门标注该成员防止返贫监测风险已消除' };
    }
  }
}

const relapseCauseRisk: Record<string, RiskType> = {
  illness: 'illness',
  disability: 'disability',
  schooling: 'schooling',
  unemployment: 'unemployment',
  disaster: 'disaster',
};

/**
 * The warnings one valid row raises. `entry` is what the register knows of the person's household
 * (undefined: not on the register). Rules are resolved for the household's region (else the row's)
 * on `asOf`; throws `IndicatorsNotFoundError` when that region has none. A row dated after `asOf`
 * or older than the look-back raises nothing (the driver reports the former as a rejection).
 */
export function evaluate<F extends FeedName>(
  feed: F,
  row: FeedRows[F],
  entry: RegisterEntry | undefined,
  rules: IndicatorBook,
  asOf: string,
): Warning[] {
  return evaluateRow(feed, row, entry, rules, asOf).warnings;
}

/** `evaluate`, with the outcome the driver counts. */
export function evaluateRow<F extends FeedName>(
  feed: F,
  row: FeedRows[F],
  entry: RegisterEntry | undefined,
  rules: IndicatorBook,
  asOf: string,
): { outcome: Outcome; warnings: Warning[] } {
  const set = rules.resolve(entry ? entry.regionCode : row.regionCode, asOf);
  if (row.eventDate > asOf) return { outcome: 'future', warnings: [] };
  if (row.eventDate < cutoffOf(set)) return { outcome: 'stale', warnings: [] };

  const warnings: Warning[] = [];
  if (entry) duplicateFindings(entry, row.idNumber, set, warnings);

  const t = trigger(feed, row as FeedRows[FeedName], entry, set);
  if (!t) return { outcome: 'evaluated', warnings };
  const def = indicatorDefinitions[t.indicator];
  const v = set[t.indicator];
  const clause = set.clauses[t.indicator];
  const base = {
    householdId: entry?.householdId ?? null,
    caseId: entry?.caseId ?? null,
    regionCode: set.regionCode,
    source: feed,
    recordId: row.recordId,
    eventDate: row.eventDate,
    subject: maskIdNumber(row.idNumber),
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf,
  };

  if (entry && isInside(entry)) {
    if (!v.inside) return { outcome: 'evaluated', warnings };
    if (v.insideTiers !== null && !v.insideTiers.includes(entry.tier))
      return { outcome: 'evaluated', warnings };
    for (const a of v.suppressIfReceiving)
      if (entry.assistance.includes(a)) return { outcome: 'evaluated', warnings };
    const riskType = def.riskType;
    const missing =
      v.suppressIfReceiving.length > 0
        ? `，尚未享受${v.suppressIfReceiving.map((a) => assistanceTypeLabels[a]).join('、')}`
        : '';
    warnings.push({
      ...base,
      warningId: warningId(feed, row.recordId, t.indicator, entry.householdId),
      riskType,
      cause: null,
      ruleId: t.indicator,
      department: v.department,
      homeCheck: v.homeCheck,
      scope: 'inside',
      message:
        `${riskTypeLabels[riskType]}预警（${def.label}）：${t.detail}。${householdText(entry)}${missing}；` +
        `${riskType === 'death' && entry.memberCount <= 1 ? '户内唯一成员已死亡，请终止救助' : insideAction[riskType]}（推送${departmentLabels[v.department]}${v.homeCheck ? '，需乡镇（街道）入户核查' : ''}）。` +
        `依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
      clause,
    });
    return { outcome: 'evaluated', warnings };
  }

  if (v.outside !== 'omission') return { outcome: 'evaluated', warnings };
  const o = set.omission;
  const cause =
    def.riskType !== 'omission'
      ? def.riskType
      : feed === 'ruralAffairs'
        ? (relapseCauseRisk[(row as FeedRows['ruralAffairs']).riskCause ?? ''] ?? null)
        : null;
  const where = entry
    ? `所在家庭户 ${entry.householdId} 登记在低收入人口名单，目前不在保（${registerStatusLabels[entry.status]}）`
    : '该人员不在低收入人口名单内';
  const omissionClause = `${set.clauses.omission}；${clause}`;
  warnings.push({
    ...base,
    warningId: warningId(feed, row.recordId, `omission.${t.indicator}`, entry?.householdId ?? null),
    riskType: 'omission',
    cause,
    ruleId: `omission.${t.indicator}`,
    department: o.department,
    homeCheck: o.homeCheck,
    scope: 'outside',
    message:
      `疑似漏保${cause ? `（${riskTypeLabels[cause]}）` : ''}：${t.detail}；${where}。` +
      `请${departmentLabels[o.department]}${o.homeCheck ? '会同乡镇（街道）入户核查' : '核实'}是否符合救助条件，符合的及时纳入。` +
      `依据：${omissionClause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause: omissionClause,
  });
  return { outcome: 'evaluated', warnings };
}
