/**
 * 行政复议 and 行政诉讼 against a decision on assistance (社会救助法第七十六条): every adverse written
 * notice states the remedy (`REMEDY`), and what the reviewing body or the court decided is recorded
 * against that notice. A decision revoked (撤销) no longer stands: the case goes back to where it
 * stood before it, and the office decides again (`AppealReopening`). Upheld, unlawful-but-standing
 * and withdrawn outcomes are recorded and change nothing else. Browser-safe.
 */
import type { Actor } from './cases.ts';

export const appealChannels = ['reconsideration', 'litigation'] as const;
export type AppealChannel = (typeof appealChannels)[number];

export const appealChannelLabels: Record<AppealChannel, string> = {
  reconsideration: '行政复议',
  litigation: '行政诉讼',
};

export const appealOutcomes = ['upheld', 'revoked', 'confirmedUnlawful', 'withdrawn'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];

export const appealOutcomeLabels: Record<AppealOutcome, string> = {
  upheld: '维持原决定（含驳回复议请求、驳回诉讼请求）',
  revoked: '撤销原决定，重新作出决定',
  confirmedUnlawful: '确认原决定违法，原决定不撤销',
  withdrawn: '申请人撤回复议申请或起诉',
};

/**
 * Where a revoked decision sent the case back to:
 * - `application`: the refused application is under review again at the level that decided it,
 *   in a new execution of the application workflow;
 * - `recheck`: the benefit before the recheck's decision is restored and a new recheck is due now;
 * - `none`: nothing in the system to reopen (a 临时救助 decision: the county handles a new request).
 */
export type AppealReopening =
  | { kind: 'application'; applicationId: string; executionArn: string }
  | {
      kind: 'recheck';
      recheckId: string;
      restored: { tier: string; monthlyAmount: number | null };
      dueAt: string;
    }
  | { kind: 'none'; nextStep: string };

export interface AppealRecord {
  appealId: string;
  caseId: string;
  /** The written notice of the decision challenged. */
  noticeId: string;
  noticeKind: string;
  noticeTitle: string;
  channel: AppealChannel;
  outcome: AppealOutcome;
  /** The day the reviewing body or the court decided (China). */
  decidedOn: string;
  /** 复议机关 or 人民法院. */
  authority: string;
  /** 复议决定书或判决书、裁定书编号. */
  documentNumber: string;
  note?: string;
  recordedAt: string;
  recordedBy: Actor;
  reopened?: AppealReopening;
}

/** The one line the audit log and the answer give for a recorded outcome. */
export const appealSummary = (
  a: Pick<AppealRecord, 'channel' | 'outcome' | 'authority' | 'documentNumber' | 'decidedOn' | 'noticeTitle'>,
) =>
  `${a.noticeTitle}经${appealChannelLabels[a.channel]}（${a.authority}，${a.documentNumber}，${a.decidedOn}）：${appealOutcomeLabels[a.outcome]}`;
