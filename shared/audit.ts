/**
 * The per-case audit log: every action on a case — a declaration, a decision, an objection, a
 * notice, a payment — appended as an entry whose hash covers the entry and the hash of the entry
 * before it (a hash chain), so that altering, removing or reordering any entry afterwards breaks
 * every hash from there on and `verifyAuditLog` says where (docs/architecture.md §1: attributable and
 * replayable).
 *
 * Items on the case's partition (key design in `shared/resources.ts`):
 *   `AUDIT#<seq, 8 digits>` the entries, `AUDIT#HEAD` the last seq and hash, and
 *   `AUDITKEY#<key>` one marker per action, so a retried Lambda or a replayed step appends once.
 * An append is one transaction guarded by the head's seq: two actions at once cannot both take the
 * same place in the chain; the loser reads the new head and appends after it.
 *
 * A plain hash chain only shows that the entries agree with each other: whoever can write the table
 * can also recompute every hash after an entry they changed. Two things close that
 * (docs/architecture.md §1):
 * - every fact an entry carries is hashed — since `v: 2` the ledger facts the happiness list sums,
 *   and a payment's entry names the digest of its payment item, which verification reads back;
 * - each chain's head is anchored outside the table (`shared/repositories/audit-anchors.ts`): a
 *   chain that no longer hashes to an anchored head was rewritten, one shorter than it truncated.
 * The chain is not keyed (HMAC): the table's writers are the very functions that append to it, so a
 * MAC key they must use to extend the chain is a key they hold, and a KMS-held one would cost a KMS
 * call per append while still letting any of them recompute a chain. The anchor, written where
 * those writers have no grant, is what makes a recomputed chain detectable.
 */
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './clients.ts';
import { requiredEnv } from './config.ts';
import { yuanText } from './domain/money.ts';
import { taskKindLabels as kindLabels } from './domain/tasks.ts';
import { type ConditionalPut, queryAll } from './dynamo.ts';
import { householdDeliveryOf, outboxPut } from './notify/deliveries.ts';
import { type Anchor, listAnchors } from './repositories/audit-anchors.ts';
import type { PaymentRecord } from './repositories/payments.ts';
import { casesTable } from './resources.ts';

const table = () => requiredEnv(casesTable.env);

export const GENESIS = '0'.repeat(64);

/** Who acted: a signed-in person, or the system itself (a workflow step). */
export interface AuditActor {
  subject: string;
  name: string;
  role: string;
}
export const SYSTEM: AuditActor = { subject: 'system', name: '系统', role: 'system' };

export interface AuditEntry {
  caseId: string;
  seq: number;
  at: string;
  actor: AuditActor;
  /** What happened, e.g. `task.decided` (see `auditActions`). */
  action: string;
  /** The same in Chinese, for the auditor; no ID numbers or health facts. */
  summary: string;
  /** Ids of what it concerns: applicationId, taskId, noticeId, … */
  refs: Record<string, string>;
  /**
   * 2: the hash covers the ledger facts too. Entries without it were written before, when the
   * ledger was outside the hash ("pre-coverage"); they still verify as they were hashed.
   */
  v?: 2;
  /** What the entry delivered, as the happiness list sums it (see `LedgerFacts`). */
  ledger?: LedgerFacts;
  prevHash: string;
  hash: string;
}

export const ENTRY_VERSION = 2;

export const auditActions = {
  'application.submitted': '提交救助申请',
  'application.reopened': '已有未办结申请或正在救助时，经办人注明理由重新受理',
  'application.relativesRegistered': '与经办人员或村（居）委会成员有近亲属关系的申请单独登记备案',
  'emergency.submitted': '申请临时救助',
  'task.opened': '生成经办任务',
  'task.escalated': '任务逾期督办',
  'task.decided': '经办人作出决定',
  'publicNotice.opened': '公示拟审核结果',
  'publicNotice.closed': '公示期满',
  'objection.raised': '公示期间提出异议',
  'consent.answered': '申请人答复是否按其他类别认定',
  'declaration.submitted': '申报家庭情况变化',
  'deadline.extended': '延长审核确认时限（注明理由）',
  'investigation.started': '启动家庭经济状况调查',
  'hearing.opened': '拟调减、终止救助，告知理由并听取意见',
  'hearing.answered': '救助对象陈述意见',
  'hearing.lapsed': '陈述意见期限届满，未陈述意见',
  'endNotice.opened': '拟终止特困人员救助供养，公示',
  'endNotice.objection': '终止公示期间收到异议',
  'endNotice.closed': '终止公示期满',
  'notice.issued': '出具书面告知',
  'payment.recorded': '记录救助金发放',
  'register.updated': '低收入人口名单登记',
  'warning.raised': '动态监测预警',
  'warning.pushed': '预警分类推送',
  'warning.escalated': '预警逾期未反馈，报督办',
  'warning.answered': '部门反馈处置情况',
  'recheck.advanced': '家庭成员死亡，定期核查提前',
  'appeal.recorded': '记录行政复议、行政诉讼结果',
  'payee.changed': '登记（变更）收款账户',
  'payee.confirmed': '核实收款账户无误',
  'special.changed': '专项救助项目变化（新增、停止）',
  'demand.pushed': '专项救助需求推送部门',
  'demand.viewed': '部门查看需求对象身份',
  'demand.escalated': '需求逾期未反馈，报督办',
  'demand.answered': '部门反馈需求办理结果',
  'changeList.downloaded': '部门下载增减变动名单',
  'discovery.recorded': '主动发现需要救助的家庭',
  'discovery.closed': '主动发现：联系结果（协助申请或未申请的原因）',
  'discovery.linked': '经主动发现协助申请',
  'complaint.received': '受理举报投诉',
  'complaint.concluded': '举报投诉核实处理结果',
  'complaint.read': '查阅举报投诉的内容和举报人信息',
  'payroll.prepared': '编制发放名册',
  'payroll.submitted': '核对提交按月自动计算的发放名册',
  'payroll.approved': '审批通过发放名册',
  'payroll.returned': '退回发放名册',
  'payroll.exported': '生成银行文件',
  'payroll.downloaded': '下载银行文件',
  'payroll.reconciled': '银行回盘对账',
  'payroll.failed': '发放名册作废（银行文件未能生成）',
  'payment.failed': '救助金发放失败',
  'recovery.ordered': '决定追回救助金',
  'recovery.deducted': '从救助金中扣回',
  'recovery.repaid': '退回救助金',
  'calendar.loaded': '载入年度节假日安排',
  'calendar.proposed': '提出须复核的节假日安排',
  'calendar.confirmed': '复核确认节假日安排',
  'staff.granted': '授予工作人员角色和管辖范围',
  'staff.changed': '变更工作人员角色、管辖范围或所属部门',
  'staff.revoked': '撤销工作人员授权',
  'staff.workChannel': '设置工作消息提醒方式',
  'notification.sent': '通知已发出（短信、工作消息）',
  'notification.failed': '通知未能送达，须当面或电话联系',
  'contact.changed': '变更短信通知号码或方式',
} as const;

/** The chain of national actions on the holiday calendar: who loaded, proposed and confirmed what. */
export const CALENDAR_CHAIN = 'calendar';
export type AuditAction = keyof typeof auditActions;

/** JSON with keys in a fixed order at every level: the same entry always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { caseId, seq, at, actor, action, summary, refs, prevHash, v, ledger } = entry;
  const covered =
    v === undefined
      ? { caseId, seq, at, actor, action, summary, refs, prevHash }
      : { caseId, seq, at, actor, action, summary, refs, prevHash, v, ledger };
  return createHash('sha256').update(canonical(covered)).digest('hex');
}

const HEAD = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'AUDIT#HEAD' });
/**
 * Every chain head is indexed in `gsi1` under `AUDITHEADS#<shard>` / `<at of its last entry>#<chain>`:
 * an append moves it to the end, so the anchoring run reads the heads that changed since its last
 * run as one range per shard.
 */
export const AUDIT_HEAD_SHARDS = 8;
export const auditHeadPartition = (shard: number): string => `AUDITHEADS#${shard}`;
const seqKey = (seq: number) => `AUDIT#${String(seq).padStart(8, '0')}`;

export interface AuditInput {
  /** Unique per action: the same action recorded twice (a retry, a replay) is one entry. */
  key: string;
  actor: AuditActor;
  action: AuditAction;
  summary: string;
  refs?: Record<string, string>;
  /** Assistance delivered, counted in the happiness list (幸福清单): indexes the entry by month and region. */
  ledger?: LedgerFacts;
}

/**
 * What an entry of the chain delivered, as the happiness list (`GET /reports/happiness-list`) sums it:
 * a payment, a determination, a warning a department answered. The entry is indexed in `gsi1` under
 * `LEDGER#<YYYY-MM>#<shard>` / `<regionCode>#<at>#<chain>#<seq>` (sparse: only these entries), so a
 * region (a province is a prefix of its counties' codes) and a month are a few range queries; the
 * shards (hash of the chain id) spread a national month's writes.
 */
export interface LedgerFacts {
  regionCode: string;
  kind: 'payment' | 'determination' | 'warningAnswered' | 'demandAnswered';
  /** A demand's special-assistance item (需求推送). */
  item?: string | undefined;
  tier?: string | undefined;
  paymentKind?: string | undefined;
  /** Yuan. */
  amount?: number | undefined;
  riskType?: string | undefined;
  department?: string | undefined;
  /** A department's feedback: the result and the kinds of help it arranged. */
  result?: string | undefined;
  assistance?: string[] | undefined;
}

export const LEDGER_SHARDS = 8;
export const ledgerPartition = (month: string, shard: number): string => `LEDGER#${month}#${shard}`;
const ledgerShard = (chainId: string) => createHash('sha256').update(chainId).digest()[0]! % LEDGER_SHARDS;
const headShard = (chainId: string) => createHash('sha256').update(chainId).digest()[1]! % AUDIT_HEAD_SHARDS;
/** Where a ledger entry is indexed for the happiness list: derived from hashed facts, so checkable. */
const ledgerIndex = (entry: Pick<AuditEntry, 'caseId' | 'seq' | 'at'>, regionCode: string) => ({
  gsi1pk: ledgerPartition(chinaMonth(entry.at), ledgerShard(entry.caseId)),
  gsi1sk: `${regionCode}#${entry.at}#${entry.caseId}#${entry.seq}`,
});
/** `YYYY-MM` of an instant, China time. */
const chinaMonth = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 7);

/**
 * The writes that put `inputs` at the end of the case's chain after `head` (none: a chain not yet
 * begun), each once per key: the key's marker and the entry per input, then the head, moved only if
 * it is still where it was read. One transaction's items; what `appendAudit` and a case's opening
 * transaction send.
 */
function chainWrites(
  caseId: string,
  inputs: readonly AuditInput[],
  head: { seq: number; hash: string } | undefined,
  at: string,
): { entries: AuditEntry[]; writes: ConditionalPut[] } {
  const entries: AuditEntry[] = [];
  const writes: ConditionalPut[] = [];
  let prev = head;
  for (const input of inputs) {
    const seq = (prev?.seq ?? 0) + 1;
    const unhashed: Omit<AuditEntry, 'hash'> = {
      caseId,
      seq,
      at,
      actor: input.actor,
      action: input.action,
      summary: input.summary,
      refs: input.refs ?? {},
      v: ENTRY_VERSION,
      ...(input.ledger ? { ledger: input.ledger } : {}),
      prevHash: prev?.hash ?? GENESIS,
    };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
    entries.push(entry);
    writes.push(
      {
        Put: {
          TableName: table(),
          Item: { pk: `CASE#${caseId}`, sk: `AUDITKEY#${input.key}`, seq },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `CASE#${caseId}`,
            sk: seqKey(seq),
            ...entry,
            ...(input.ledger ? ledgerIndex(entry, input.ledger.regionCode) : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    );
    // The household's notification of the event lands with it, or neither does.
    const delivery = householdDeliveryOf(caseId, input);
    if (delivery) writes.push(outboxPut(delivery));
    prev = entry;
  }
  const last = entries.at(-1);
  if (last)
    writes.push({
      Put: {
        TableName: table(),
        Item: {
          ...HEAD(caseId),
          seq: last.seq,
          hash: last.hash,
          at: last.at,
          gsi1pk: auditHeadPartition(headShard(caseId)),
          gsi1sk: `${last.at}#${caseId}`,
        },
        ...(head
          ? { ConditionExpression: 'seq = :prev', ExpressionAttributeValues: { ':prev': head.seq } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  return { entries, writes };
}

/**
 * The first entries of a new case's chain, as items of the transaction that creates the case: no
 * read, since nothing can be on a chain whose case does not exist yet.
 */
export function openingAuditWrites(
  caseId: string,
  inputs: readonly AuditInput[],
  at: string,
): ConditionalPut[] {
  return chainWrites(caseId, inputs, undefined, at).writes;
}

/** A write of a record that the audit entry describing it lands with, or neither does. */
export type AuditedWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The record written with an audit entry had changed since it was read: nothing was written. */
export class AuditedWriteConflictError extends Error {
  constructor(caseId: string) {
    super(`${caseId}: the record changed while this change was being made`);
    this.name = 'AuditedWriteConflictError';
  }
}

/**
 * Appends one entry to the case's chain, once per `key`; returns it, or undefined if already there.
 * `alongside` are writes of the record the entry describes, in the same transaction: a change and
 * its entry are both on record or neither is. A condition of theirs that fails throws
 * `AuditedWriteConflictError`.
 */
export async function appendAudit(
  caseId: string,
  input: AuditInput,
  alongside: readonly AuditedWrite[] = [],
): Promise<AuditEntry | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Item: head } = await dynamo().send(
      new GetCommand({ TableName: table(), Key: HEAD(caseId), ConsistentRead: true }),
    );
    const { entries, writes } = chainWrites(
      caseId,
      [input],
      head ? { seq: head.seq as number, hash: head.hash as string } : undefined,
      new Date().toISOString(),
    );
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: [...writes, ...alongside] }));
      return entries[0];
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // The action is on record already: appended by an earlier try of the same step.
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return undefined;
      if (reasons.slice(writes.length).some((r) => r.Code === 'ConditionalCheckFailed'))
        throw new AuditedWriteConflictError(caseId);
      // Another action took this place in the chain first (or the transaction conflicted): again.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
  throw new Error(`audit log of ${caseId}: could not append after 20 tries`);
}

/** A chain's items as stored: the entries with their index keys, and the head. */
async function readChainItems(caseId: string) {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':audit': 'AUDIT#' },
    ConsistentRead: true,
  });
  let head: { seq: number; hash: string } | undefined;
  const entries: AuditEntry[] = [];
  const indexed = new Map<number, { gsi1pk?: string; gsi1sk?: string }>();
  for (const { pk: _pk, sk, gsi1pk, gsi1sk, ...item } of items) {
    if (sk === 'AUDIT#HEAD') head = { seq: item.seq as number, hash: item.hash as string };
    else {
      entries.push(item as unknown as AuditEntry);
      indexed.set(item.seq as number, { gsi1pk: gsi1pk as string, gsi1sk: gsi1sk as string });
    }
  }
  return { entries, indexed, ...(head ? { head } : {}) };
}

export async function readAuditLog(
  caseId: string,
): Promise<{ entries: AuditEntry[]; head?: { seq: number; hash: string } }> {
  const { indexed: _i, ...log } = await readChainItems(caseId);
  return log;
}

export type Verification =
  | { valid: true; entries: number; headHash: string }
  | { valid: false; entries: number; brokenAt: number; reason: string };

/** Checks the chain entry by entry: numbering, links, hashes, and the head. Pure. */
export function verifyChain(
  caseId: string,
  entries: readonly AuditEntry[],
  head: { seq: number; hash: string } | undefined,
): Verification {
  let prevHash = GENESIS;
  for (const [i, entry] of entries.entries()) {
    const broken = (reason: string): Verification => ({
      valid: false,
      entries: entries.length,
      brokenAt: i + 1,
      reason,
    });
    if (entry.seq !== i + 1) return broken(`第${i + 1}条记录的序号为${entry.seq}：记录缺失或顺序被改动`);
    if (entry.caseId !== caseId) return broken(`第${i + 1}条记录属于另一案件 ${entry.caseId}`);
    if (entry.prevHash !== prevHash)
      return broken(`第${i + 1}条记录与前一条的链接不符：前序记录被改动或删除`);
    if (entryHash(entry) !== entry.hash) return broken(`第${i + 1}条记录的内容与其哈希不符：记录被改动`);
    prevHash = entry.hash;
  }
  if ((head?.seq ?? 0) !== entries.length || (head?.hash ?? GENESIS) !== prevHash) {
    return {
      valid: false,
      entries: entries.length,
      brokenAt: entries.length,
      reason: `链头记录为第${head?.seq ?? 0}条，而日志有${entries.length}条：末尾记录被删除或链头被改动`,
    };
  }
  return { valid: true, entries: entries.length, headHash: prevHash };
}

/** How the chain compares with the heads anchored outside the table. */
export interface AnchorCheck {
  /**
   * `holds`: every anchored head is still in the chain; `none`: not anchored yet (the anchoring runs
   * hourly); `rewritten`: an entry up to an anchored seq no longer hashes to the anchored hash;
   * `truncated`: the chain is shorter than an anchored head.
   */
  status: 'holds' | 'none' | 'rewritten' | 'truncated';
  anchors: number;
  /** The latest anchored head. */
  latest?: { seq: number; hash: string };
  reason?: string;
}

/** Checks the entries against every anchor of the chain (all, not only the latest: a rewrite may keep the newest). Pure. */
export function checkAnchors(
  entries: readonly AuditEntry[],
  anchors: ReadonlyArray<Pick<Anchor, 'seq' | 'hash'>>,
): AnchorCheck {
  if (!anchors.length) return { status: 'none', anchors: 0 };
  const latest = anchors.reduce((a, b) => (b.seq > a.seq ? b : a));
  const base = { anchors: anchors.length, latest: { seq: latest.seq, hash: latest.hash } };
  const last = entries.reduce((max, e) => Math.max(max, e.seq), 0);
  if (latest.seq > last)
    return {
      ...base,
      status: 'truncated',
      reason: `第${latest.seq}条已于链外锚定，而日志只有${last}条：记录被截断`,
    };
  for (const anchor of anchors) {
    const entry = entries.find((e) => e.seq === anchor.seq);
    if (entry?.hash !== anchor.hash)
      return {
        ...base,
        status: 'rewritten',
        reason: `第${anchor.seq}条记录的哈希与链外锚定的不符（锚定 ${anchor.hash.slice(0, 12)}…）：第${anchor.seq}条及以前的记录被改写`,
      };
  }
  return { ...base, status: 'holds' };
}

/** The payment item's facts as its audit entry names them: any change to one changes the digest. */
export function paymentDigest(
  p: Pick<PaymentRecord, 'caseId' | 'month' | 'amount' | 'basis'> & Partial<PaymentRecord>,
): string {
  const { caseId, month, kind, amount, tier, basis, executionArn, recordedAt } = p;
  return createHash('sha256')
    .update(canonical({ caseId, month, kind, amount, tier, basis, executionArn, recordedAt }))
    .digest('hex');
}

/**
 * A payment's place among the case's payments (`PAY#<slot>`) and in the audit log: its month, or —
 * for the one kind paid beside another in the same month, an emergency's assessed amount — the month
 * and the kind.
 */
export const paymentSlot = (
  p: Pick<PaymentRecord, 'month'> & Partial<Pick<PaymentRecord, 'kind'>>,
): string => (p.kind === 'emergencyAssessed' ? `${p.month}#${p.kind}` : p.month);

/** How the chain's ledger agrees with the payment items and the happiness list's index. */
export interface LedgerCheck {
  holds: boolean;
  /** Payment items of the case. */
  payments: number;
  /** Ledger entries appended before ledger facts were hashed: only what their summary says is covered. */
  preCoverage: number;
  mismatches: string[];
}

/** Checks payment items and ledger index keys against the chain. Pure. */
export function checkLedger(
  entries: readonly AuditEntry[],
  indexed: ReadonlyMap<number, { gsi1pk?: string; gsi1sk?: string }>,
  payments: ReadonlyArray<PaymentRecord>,
): LedgerCheck {
  const mismatches: string[] = [];
  const recorded = new Map<string, AuditEntry>();
  for (const e of entries)
    if (e.action === 'payment.recorded' && e.refs.month) recorded.set(e.refs.slot ?? e.refs.month, e);
  for (const p of payments) {
    const entry = recorded.get(paymentSlot(p));
    if (!entry) {
      mismatches.push(`${p.month} 的发放记录（${yuanText(p.amount)}）在审计日志中没有对应记录`);
      continue;
    }
    const digestDiffers = entry.refs.paymentDigest
      ? entry.refs.paymentDigest !== paymentDigest(p)
      : // Pre-coverage: the hashed summary still states the amount, as it was written then.
        !entry.summary.includes(`${p.amount.toFixed(2)} 元`);
    if (digestDiffers || (entry.ledger?.amount !== undefined && entry.ledger.amount !== p.amount))
      mismatches.push(
        `${p.month} 的发放记录（${yuanText(p.amount)}，案件 ${p.caseId}）与审计日志第${entry.seq}条记录的不符：发放记录被改动`,
      );
  }
  const paid = new Set(payments.map(paymentSlot));
  for (const [slot, entry] of recorded)
    if (!paid.has(slot))
      mismatches.push(`审计日志第${entry.seq}条记录了${entry.refs.month}的发放，而发放记录不存在`);
  let preCoverage = 0;
  for (const e of entries) {
    if (e.ledger && e.v === undefined) preCoverage++;
    const stored = indexed.get(e.seq) ?? {};
    const expected: { gsi1pk?: string; gsi1sk?: string } = e.ledger
      ? ledgerIndex(e, e.ledger.regionCode)
      : {};
    // Only ledger entries sit in the ledger index; a moved or added key changes the happiness list.
    if (
      (stored.gsi1pk?.startsWith('LEDGER#') || expected.gsi1pk) &&
      (stored.gsi1pk !== expected.gsi1pk || stored.gsi1sk !== expected.gsi1sk)
    )
      mismatches.push(`审计日志第${e.seq}条记录的幸福清单索引与记录不符：索引被改动`);
  }
  return { holds: mismatches.length === 0, payments: payments.length, preCoverage, mismatches };
}

/**
 * The whole check, as the auditor's view and `npm run audit:verify` report it: `valid` only when the
 * chain holds, agrees with its anchors and with the ledger; the chain's own result stays at the top
 * level (`entries`, `headHash` or `brokenAt` and `reason`).
 */
export type AuditVerification = (
  | { chainValid: true; entries: number; headHash: string }
  | { chainValid: false; entries: number; brokenAt: number; reason: string }
) & { valid: boolean; anchor: AnchorCheck; ledger: LedgerCheck };

export async function verifyAuditLog(caseId: string): Promise<AuditVerification & { log: AuditEntry[] }> {
  const [{ entries, indexed, head }, anchors, payments] = await Promise.all([
    readChainItems(caseId),
    listAnchors(caseId),
    queryAll(dynamo(), {
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pay)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':pay': 'PAY#' },
      ConsistentRead: true,
    }),
  ]);
  const { valid: chainValid, ...chain } = verifyChain(caseId, entries, head);
  const anchor = checkAnchors(entries, anchors);
  const ledger = checkLedger(
    entries,
    indexed,
    payments.map(({ pk: _pk, sk: _sk, ...p }) => p as unknown as PaymentRecord),
  );
  const valid = chainValid && ledger.holds && (anchor.status === 'holds' || anchor.status === 'none');
  return {
    ...(chainValid
      ? { chainValid, ...(chain as { entries: number; headHash: string }) }
      : { chainValid, ...(chain as { entries: number; brokenAt: number; reason: string }) }),
    valid,
    anchor,
    ledger,
    log: entries,
  };
}

/** Head changes to anchor: every chain whose last entry was appended in `[from, upTo)`. */
export async function headsChangedBetween(from: string, upTo: string): Promise<Anchor[]> {
  const shards = await Promise.all(
    Array.from({ length: AUDIT_HEAD_SHARDS }, (_, shard) =>
      queryAll(dynamo(), {
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :upTo',
        ExpressionAttributeValues: { ':pk': auditHeadPartition(shard), ':from': from, ':upTo': upTo },
      }),
    ),
  );
  return shards.flat().map((item) => ({
    chainId: (item.pk as string).slice('CASE#'.length),
    seq: item.seq as number,
    hash: item.hash as string,
    at: item.at as string,
  }));
}

/** The kinds of human task, as the audit log names them (the pages name them alike). */
export const taskKindLabels: Record<string, string> = kindLabels;

/** A written notice (告知书) issued on the case: once per notice id. */
export function auditNotice(
  caseId: string,
  notice: { noticeId: string; title: string; serveBy?: string | undefined },
  refs: Record<string, string> = {},
): Promise<AuditEntry | undefined> {
  return appendAudit(caseId, {
    key: `notice.issued#${notice.noticeId}`,
    actor: SYSTEM,
    action: 'notice.issued',
    summary: `出具《${notice.title}》${notice.serveBy ? `，须于${notice.serveBy}前送达` : ''}`,
    refs: { ...refs, noticeId: notice.noticeId, title: notice.title },
  });
}

/**
 * A month's payment recorded on the case: once per case and month, as the payment itself; counted in
 * the happiness list under the case's region.
 */
export async function auditPayment(payment: PaymentRecord): Promise<AuditEntry | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: { pk: `CASE#${payment.caseId}`, sk: 'CASE' } }),
  );
  const regionCode = Item?.regionCode as string | undefined;
  const slot = paymentSlot(payment);
  return appendAudit(payment.caseId, {
    key: `payment.recorded#${slot}`,
    actor: SYSTEM,
    action: 'payment.recorded',
    summary: `${payment.month} 发放 ${yuanText(payment.amount)}：${payment.basis}`,
    // The digest binds the entry to the payment item as written: verification reads the item back.
    refs: {
      month: payment.month,
      ...(slot === payment.month ? {} : { slot }),
      paymentDigest: paymentDigest(payment),
    },
    ...(regionCode
      ? {
          ledger: {
            regionCode,
            kind: 'payment',
            paymentKind: payment.kind,
            tier: payment.tier,
            amount: payment.amount,
          },
        }
      : {}),
  });
}

interface AuditedTask {
  taskId: string;
  kind: string;
  caseId: string;
  applicationId: string;
  dueDate: string;
  round?: number;
}

/** A human task put in the inbox: once per task. */
export function auditTaskOpened(task: AuditedTask): Promise<AuditEntry | undefined> {
  return appendAudit(task.caseId, {
    key: `task.opened#${task.taskId}`,
    actor: SYSTEM,
    action: 'task.opened',
    summary: `生成${taskKindLabels[task.kind] ?? task.kind}任务${task.round && task.round > 1 ? `（第${task.round}轮）` : ''}，期限${task.dueDate}`,
    refs: { applicationId: task.applicationId, taskId: task.taskId },
  });
}

/** A human task past its due date reported to the supervisors: once per lapsed due date. */
export function auditTaskEscalated(
  task: AuditedTask,
  escalation: { overdueSince: string; newDueDate: string },
): Promise<AuditEntry | undefined> {
  return appendAudit(task.caseId, {
    key: `task.escalated#${task.taskId}#${escalation.overdueSince}`,
    actor: SYSTEM,
    action: 'task.escalated',
    summary: `${taskKindLabels[task.kind] ?? task.kind}任务逾期（期限${escalation.overdueSince}），报督办，新期限${escalation.newDueDate}`,
    refs: { applicationId: task.applicationId, taskId: task.taskId },
  });
}

/** A person's decision on a task, with who decided. */
export function auditTaskDecided(
  task: AuditedTask,
  decision: { decision: string; reasons: string[] },
  actor: AuditActor,
): Promise<AuditEntry | undefined> {
  const verdict =
    { approve: '同意', reject: '不同意', dismiss: '异议不成立，报县级确认' }[decision.decision] ?? '不同意';
  return appendAudit(task.caseId, {
    key: `task.decided#${task.taskId}`,
    actor,
    action: 'task.decided',
    summary: `${taskKindLabels[task.kind] ?? task.kind}：${verdict}${decision.reasons.length ? `（${decision.reasons.join('；')}）` : ''}`,
    refs: { applicationId: task.applicationId, taskId: task.taskId },
  });
}
