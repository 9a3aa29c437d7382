/**
 * 重复救助 (duplicate assistance) is found from the register itself, not from a department row: per row,
 * so that a Lambda holding only a lookup still sees it, and by a sweep of the whole index, so that a
 * household no department names is not missed. Both must give the same warning ids (a finding is sent
 * once per run), so they share the builders here.
 */
import { maskIdNumber } from '../../domain/id-number.ts';
import { departmentLabels } from '../feeds/names.ts';
import {
  type AssistanceType,
  assistanceTypeLabels,
  type IndicatorBook,
  type IndicatorSet,
  IndicatorsNotFoundError,
  registerTierLabels,
} from '../indicators.ts';
import { isInside, type RegisterEntry } from './register.ts';
import type { RegisterIndex } from './register-index.ts';
import { householdText, insideAction, sampleNote, type Warning, warningId } from './warnings.ts';

/**
 * 重复救助 visible from one register entry: the person is also in another covered household, or the
 * household receives two kinds of help that exclude each other. The ids do not depend on the row, so
 * every row of such a household gives the same warning and the sweep below gives it too.
 */
export function duplicateFindings(
  entry: RegisterEntry,
  idNumber: string,
  set: IndicatorSet,
  out: Warning[],
): void {
  if (!isInside(entry)) return;
  if (entry.alsoIn && entry.alsoIn.length > 0) {
    const inside = entry.alsoIn.filter(isInside);
    if (inside.length > 0) out.push(membershipWarning([entry, ...inside], idNumber, set));
  }
  const exclusive = exclusivePairsOf(entry.assistance, set);
  if (exclusive.length > 0) out.push(exclusiveWarning(entry, exclusive, set));
}

function exclusivePairsOf(
  assistance: readonly AssistanceType[],
  set: IndicatorSet,
): Array<[AssistanceType, AssistanceType]> {
  const pairs: Array<[AssistanceType, AssistanceType]> = [];
  for (const pair of set.duplicateAssistance.exclusivePairs)
    if (assistance.includes(pair[0]) && assistance.includes(pair[1])) pairs.push(pair);
  return pairs;
}

function membershipWarning(
  households: ReadonlyArray<Pick<RegisterEntry, 'householdId' | 'caseId' | 'tier' | 'status'>>,
  idNumber: string,
  set: IndicatorSet,
): Warning {
  const sorted = [...households].sort((a, b) =>
    a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0,
  );
  const first = sorted[0]!;
  const ids = sorted.map((h) => h.householdId);
  const d = set.duplicateAssistance;
  const clause = set.clauses.duplicateAssistance;
  return {
    warningId: warningId('register', ids.join('+'), 'duplicateAssistance.membership', first.householdId),
    riskType: 'duplicateAssistance',
    cause: null,
    ruleId: 'duplicateAssistance.membership',
    department: d.department,
    homeCheck: d.homeCheck,
    scope: 'inside',
    householdId: first.householdId,
    caseId: first.caseId,
    regionCode: set.regionCode,
    source: 'register',
    recordId: null,
    eventDate: null,
    subject: maskIdNumber(idNumber),
    message: `重复救助预警：同一人员同时登记在${sorted.length}个在保家庭（${sorted
      .map((h) => `户 ${h.householdId}：${registerTierLabels[h.tier]}`)
      .join('；')}）。${insideAction.duplicateAssistance}（推送${departmentLabels[d.department]}${
      d.homeCheck ? '，需乡镇（街道）入户核查' : ''
    }）。依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause,
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf: set.asOf,
  };
}

function exclusiveWarning(
  entry: RegisterEntry,
  pairs: ReadonlyArray<readonly [AssistanceType, AssistanceType]>,
  set: IndicatorSet,
): Warning {
  const d = set.duplicateAssistance;
  const clause = set.clauses.duplicateAssistance;
  return {
    warningId: warningId('register', entry.householdId, 'duplicateAssistance.exclusive', entry.householdId),
    riskType: 'duplicateAssistance',
    cause: null,
    ruleId: 'duplicateAssistance.exclusive',
    department: d.department,
    homeCheck: d.homeCheck,
    scope: 'inside',
    householdId: entry.householdId,
    caseId: entry.caseId,
    regionCode: set.regionCode,
    source: 'register',
    recordId: null,
    eventDate: null,
    subject: null,
    message: `重复救助预警：${householdText(entry)}同时享受互斥的救助项目（${pairs
      .map(([a, b]) => `${assistanceTypeLabels[a]}与${assistanceTypeLabels[b]}`)
      .join('；')}）。${insideAction.duplicateAssistance}（推送${departmentLabels[d.department]}${
      d.homeCheck ? '，需乡镇（街道）入户核查' : ''
    }）。依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause,
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf: set.asOf,
  };
}

/**
 * Every duplicate-assistance finding on the register: each set of covered households sharing a person
 * (one warning per set, naming the smallest shared ID number, masked) and each covered household
 * receiving two mutually exclusive kinds of help. Regions without indicators are returned apart.
 */
export function registerDuplicateWarnings(
  index: RegisterIndex,
  rules: IndicatorBook,
  asOf: string,
): { warnings: Warning[]; unresolved: string[] } {
  const warnings: Warning[] = [];
  const unresolved = new Set<string>();
  const resolve = (regionCode: string): IndicatorSet | undefined => {
    try {
      return rules.resolve(regionCode, asOf);
    } catch (error) {
      if (!(error instanceof IndicatorsNotFoundError)) throw error;
      unresolved.add(error.message);
      return undefined;
    }
  };
  const bySet = new Map<string, { idNumber: string; households: RegisterEntry[] }>();
  for (const shared of index.sharedPersons()) {
    const inside = shared.households.filter(isInside);
    if (inside.length < 2) continue;
    const key = inside
      .map((h) => h.householdId)
      .sort()
      .join('+');
    const seen = bySet.get(key);
    if (!seen || shared.idNumber < seen.idNumber)
      bySet.set(key, { idNumber: shared.idNumber, households: inside });
  }
  for (const { idNumber, households } of bySet.values()) {
    const first = [...households].sort((a, b) => (a.householdId < b.householdId ? -1 : 1))[0]!;
    const set = resolve(first.regionCode);
    if (set) warnings.push(membershipWarning(households, idNumber, set));
  }
  for (const entry of index.entries()) {
    if (!isInside(entry) || entry.assistance.length < 2) continue;
    const set = resolve(entry.regionCode);
    if (!set) continue;
    const pairs = exclusivePairsOf(entry.assistance, set);
    if (pairs.length > 0) warnings.push(exclusiveWarning(entry, pairs, set));
  }
  return { warnings, unresolved: [...unresolved] };
}
