/**
 * What a warning is and how it is named. Its id is the same in every run, so pushing a rerun's warnings
 * again is idempotent, and the checksum lets two runs (or doudi and the DuckDB benchmark) be compared
 * without keeping millions of warnings. The wording both row warnings and register findings use lives
 * here too, so that the two kinds read alike to a caseworker.
 */
import { createHash, hash } from 'node:crypto';
import type { Department, FeedName } from '../feeds/names.ts';
import { type IndicatorSet, type RiskType, registerStatusLabels, registerTierLabels } from '../indicators.ts';
import type { RegisterEntry } from './register.ts';

export type WarningSource = FeedName | 'register';

export interface Warning {
  /** Deterministic: the same row, rule and household give the same id in every run (idempotent push). */
  warningId: string;
  riskType: RiskType;
  /** For an omission candidate, the risk that made them one (因病、因残…); otherwise null. */
  cause: RiskType | null;
  /** The indicator (or `omission.<indicator>`, `duplicateAssistance.<kind>`) that raised it. */
  ruleId: string;
  /** 分类推送：the department whose queue receives it. */
  department: Department;
  /** 需乡镇（街道）入户核查 */
  homeCheck: boolean;
  /** inside: the household is in assistance; outside: it is not (or the person is not on the register). */
  scope: 'inside' | 'outside';
  householdId: string | null;
  caseId: string | null;
  /** The county whose indicators applied: the household's, else where the event was recorded. */
  regionCode: string;
  source: WarningSource;
  /** The source department's record number; null for a register finding. */
  recordId: string | null;
  eventDate: string | null;
  /** The person, masked (110101********123X); null for a finding about a whole household. */
  subject: string | null;
  /** In Chinese, with the values compared, the thresholds and the clause. */
  message: string;
  clause: string;
  /** The indicator versions applied. */
  indicatorVersion: string;
  sampleData: boolean;
  asOf: string;
}

/** sha256 over the identity, as `wrn-` and 24 hex digits (the same recipe in the DuckDB benchmark). */
export function warningId(
  source: WarningSource,
  identity: string,
  ruleId: string,
  householdId: string | null,
): string {
  const text = `${source}|${identity}|${ruleId}|${householdId ?? '-'}`;
  // crypto.hash (Node ≥ 21.7) is the one-shot form, several times cheaper than a Hash object.
  const digest =
    typeof hash === 'function'
      ? hash('sha256', text, 'hex')
      : createHash('sha256').update(text).digest('hex');
  return `wrn-${digest.slice(0, 24)}`;
}

/**
 * An order-independent checksum of warning ids: the sum of each id's last 13 hex digits (52 bits),
 * as a decimal string. Two runs with the same warnings, in any order, give the same checksum.
 */
export class WarningChecksum {
  private high = 0;
  private low = 0;
  count = 0;

  add(id: string): void {
    const tail = Number.parseInt(id.slice(-13), 16);
    // Split in two 26-bit halves so both sums stay exact up to 2^27 warnings.
    this.high += Math.floor(tail / 2 ** 26);
    this.low += tail % 2 ** 26;
    this.count++;
  }

  get value(): string {
    return (BigInt(this.high) * 2n ** 26n + BigInt(this.low)).toString();
  }
}

export function householdText(e: RegisterEntry): string {
  return `户 ${e.householdId}（${registerTierLabels[e.tier]}，${registerStatusLabels[e.status]}）`;
}

export function sampleNote(set: IndicatorSet): string {
  return set.sampleData ? '（示例数据，不得用于实际决定）' : '';
}

export const insideAction: Record<RiskType, string> = {
  illness: '请核实并落实医疗救助等专项救助',
  schooling: '请核实并落实教育救助（学生资助）',
  disability: '请核实并落实残疾人两项补贴',
  unemployment: '请落实就业救助',
  disaster: '请核实并落实受灾人员救助',
  death: '家庭人口变化，请重新核算救助金额',
  incomeChange: '家庭收入可能变化，请核查是否调整或渐退',
  duplicateAssistance: '请核查并纠正重复救助',
  omission: '请核查是否纳入相应救助',
};
