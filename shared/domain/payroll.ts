/**
 * 发放名册 — a county's monthly payment roll, as the payroll workflow (`workflows/payroll.ts`) builds
 * it: one line per household owed something, the roll's month and any months owed before it (补发).
 * Pure: totals, the roll's hash and the comparison with the county's previous roll.
 *
 * Two people: the officer who starts the roll prepares it, a different officer approves it — the
 * separation of duties of treasury payment (国库集中支付, 社会救助法第六条第二款), a practice the law
 * leaves to the finance rules (docs/architecture.md §7). Once approved nothing on it changes (altering
 * payment records is what 第七十条（四） punishes): a correction is a line of a later roll.
 */
import { createHash } from 'node:crypto';
import type { ExcludedLine } from '../payroll-files.ts';
import type { rollStatuses } from '../schemas/payroll.ts';
import type { Actor } from './cases.ts';
import type { RollLine } from './entitlements.ts';

export type { RollLine } from './entitlements.ts';

/**
 * `computing`: the lines are being written; `computed`: a roll the monthly schedule started, sealed,
 * awaiting a county officer who checks and submits it (and so prepares it); `prepared`: sealed with
 * its totals and hash, prepared by an officer, awaiting approval by another; `approved`: fixed,
 * its months in transit to the bank — a later roll does not owe them again; `returned`: sent back by the approving officer (a new roll of the month may be prepared);
 * `failed`: the run did not complete (likewise); `reconciling`: the bank's return file is being
 * recorded; `reconciled`: every line paid (on the ledger) or failed (owed again in a later roll).
 * Only one roll of a county computes or awaits approval at a time (the county lock,
 * `shared/repositories/payroll.ts`).
 */
export type RollStatus = (typeof rollStatuses)[number];

/** Approved, whatever the bank has answered since: never prepared again, and last month's comparison. */
export const isApproved = (r: Pick<RollRecord, 'status'>): boolean =>
  r.status === 'approved' || r.status === 'reconciling' || r.status === 'reconciled';

/** Approved and not yet reconciled: its months are with the bank, owed by no other roll. */
export const inTransit = (r: Pick<RollRecord, 'status'>): boolean =>
  r.status === 'approved' || r.status === 'reconciling';

export interface RollTotals {
  /** Households with a line. */
  lines: number;
  /** Yuan, the whole roll. */
  amount: number;
  /** Yuan owed for months before the roll's own (补发). */
  backPay: number;
  /** Household-months paid. */
  months: number;
  /** Yuan deducted for recovery orders (the amount is after them). */
  deducted: number;
}

/**
 * A household owed months but heard before a reduction or an end (社会救助法第四十八条) in a province
 * that suspends payment meanwhile (`suspendDuringHearing`): not a line of the roll; its months stay
 * owed and a later roll pays them back.
 */
export interface HeldLine {
  caseId: string;
  months: string[];
  amount: number;
  reason: string;
}

export interface RollRecord {
  rollId: string;
  regionCode: string;
  /** The month the roll pays (`YYYY-MM`). */
  month: string;
  /** 1 for the month's first roll; a returned or failed roll is followed by the next. */
  seq: number;
  /** Months before this are not owed through the system (the county's first roll's month). */
  since: string;
  status: RollStatus;
  preparedBy: Actor;
  preparedAt: string;
  executionArn: string;
  totals?: RollTotals;
  /** SHA-256 of the lines, in case order: what was approved is what is paid. */
  hash?: string;
  sealedAt?: string;
  /** Households owed but held this month (a hearing under way where the province suspends payment). */
  held?: HeldLine[];
  /** Lines in each shard of the roll's lines, counted when it was sealed: how pages are found. */
  lineCounts?: number[];
  /** The county's last approved roll, for the approving officer's comparison. */
  previous?: { rollId: string; month: string; totals: RollTotals } | null;
  /** 审批: the last working day for the approval, and escalations past it. */
  approvalDueDate?: string;
  approvalDueDateProvisional?: boolean;
  escalations?: Array<{ at: string; dueDate: string }>;
  approval?: { decision: 'approve' | 'return'; reason?: string; by: Actor; at: string };
  /** A scheduled roll: when the officer who prepares it submitted it. */
  submittedAt?: string;
  /** The workflow's wait for the approval (never shown). */
  taskToken?: string;
  failure?: string;
  /** 银行文件: exported once approved; downloaded once, by the approving officer. */
  bankFile?: {
    key: string;
    indexKey: string;
    fileName: string;
    lines: number;
    total: number;
    excluded: ExcludedLine[];
    exportedAt: string;
    downloadedBy?: Actor;
    downloadedAt?: string;
  };
  /** 回盘: the bank's return file, accepted whole. */
  bankReturn?: {
    key: string;
    resultsKey: string;
    uploadedBy: Actor;
    uploadedAt: string;
    paid: number;
    failed: number;
    paidAmount: number;
    failedAmount: number;
  };
  /** The workflow's wait for the return file (never shown). */
  returnToken?: string;
  reconciledAt?: string;
}

/** `<regionCode>-<YYYY-MM>-<seq>`: a county's rolls sort by month, then by attempt. */
export const rollIdOf = (regionCode: string, month: string, seq: number): string =>
  `${regionCode}-${month}-${seq}`;

/**
 * Months owed before the county's first roll were paid outside the system: a county's first roll
 * pays its own month only, every later roll reaches back to the first.
 */
export const sinceOf = (earliest: RollRecord | undefined, month: string): string =>
  earliest && earliest.since < month ? earliest.since : month;

export function rollTotals(lines: readonly RollLine[]): RollTotals {
  let fen = 0;
  let backFen = 0;
  let deductedFen = 0;
  let months = 0;
  for (const line of lines) {
    fen += Math.round(line.amount * 100);
    for (const m of line.months) {
      if (m.backPay) backFen += Math.round(m.amount * 100);
      months++;
    }
    for (const d of line.deductions ?? []) deductedFen += Math.round(d.amount * 100);
  }
  return {
    lines: lines.length,
    amount: fen / 100,
    backPay: backFen / 100,
    months,
    deducted: deductedFen / 100,
  };
}

/** The roll's hash over its lines in case order, each as `caseId|month:amount:backPay,…|recovery:amount,…`. */
export function rollHash(rollId: string, lines: readonly RollLine[]): string {
  const hash = createHash('sha256').update(rollId);
  for (const line of [...lines].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0)))
    hash.update(
      `\n${line.caseId}|${line.months.map((m) => `${m.month}:${m.amount.toFixed(2)}:${m.backPay ? 1 : 0}`).join(',')}|${(line.deductions ?? []).map((d) => `${d.recoveryId}:${d.amount.toFixed(2)}`).join(',')}`,
    );
  return hash.digest('hex');
}
