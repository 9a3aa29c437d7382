/**
 * The payroll's work on cases: which households a county's roll covers, and each one's line — the
 * months owed (`shared/domain/entitlements.ts`) at the amount in force in each month. The payroll
 * workflow's steps (`functions/steps/payroll.ts`) call these.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { payroll as payrollWorkflow } from '../workflows/payroll.ts';
import { appendAudit, SYSTEM } from './audit.ts';
import { dynamo, s3, sfn } from './clients.ts';
import { requiredEnv } from './config.ts';
import { isLapsedToken } from './decision-delivery.ts';
import type { Actor } from './domain/cases.ts';
import {
  type LineMonth,
  lineTotal,
  type MonthOwed,
  monthsOwed,
  periodBasis,
  periodsFromCase,
  type RollLine,
} from './domain/entitlements.ts';
import { stableId } from './domain/ids.ts';
import { tierLabel } from './domain/lifecycle.ts';
import { yuanText } from './domain/money.ts';
import { type MaskedPayeeAccount, type PayeeAccount, payeeAccountKindLabels } from './domain/payee.ts';
import {
  type HeldLine,
  isApproved,
  type RollRecord,
  type RollStatus,
  rollIdOf,
  sinceOf,
} from './domain/payroll.ts';
import { deductions } from './domain/recoveries.ts';
import { isPaymentTask, PAYMENT_TASK_TOKEN, type PaymentTask, type TaskDecision } from './domain/tasks.ts';
import { queryAll } from './dynamo.ts';
import type { ParameterSet, Residence } from './parameters/index.ts';
import { type BankLine, type ReturnProblem, type ReturnResult, readReturnFile } from './payroll-files.ts';
import { getTask } from './repositories/cases.ts';
import * as lifecycle from './repositories/lifecycle.ts';
import { parametersFor } from './repositories/parameters.ts';
import { benefitPeriods, listPayments, listRecoveries, putPayeeAccount } from './repositories/payments.ts';
import * as payroll from './repositories/payroll.ts';
import { householdOf } from './repositories/register.ts';
import { casesTable, payrollBucket } from './resources.ts';
import { meansTest } from './rules/index.ts';
import { type RequestedTier, requestedTiers } from './schemas/household.ts';

/**
 * The cases a county's roll looks at: every case of the county with an approved application
 * (`APPS#<regionCode>`, the applications' index), whatever it stands at now — a case ended since
 * may still be owed a month before its end.
 */
export async function countyCases(regionCode: string): Promise<string[]> {
  const items = await queryAll(dynamo(), {
    TableName: requiredEnv(casesTable.env),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    FilterExpression: '#status = :approved',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': `APPS#${regionCode}`, ':approved': 'approved' },
    ProjectionExpression: 'caseId',
  });
  return [...new Set(items.map((i) => String(i.caseId)))].sort();
}

/** Parameters by region, residence and month, resolved once per run of a step. */
function parameterCache() {
  const cache = new Map<string, Promise<ParameterSet | undefined>>();
  return (regionCode: string, residence: Residence, month: string) => {
    const key = `${regionCode}|${residence}|${month}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = parametersFor(regionCode, residence, `${month}-01`).catch(() => undefined);
      cache.set(key, hit);
    }
    return hit;
  };
}

const requestable = (tier: string): RequestedTier | undefined =>
  tier === 'singlePersonDibao'
    ? 'dibao'
    : (requestedTiers as readonly string[]).includes(tier)
      ? (tier as RequestedTier)
      : undefined;

/**
 * The amount of a month owed: the period's own, unless the region's parameters in force that month
 * are not those the amount was computed under — a standard raised (or any rule changed) from a
 * month changes the amount from that month, so the household as last declared is measured again
 * against them in the same tier. If it no longer fits that tier, the decided amount stands: ending
 * or changing the tier is a recheck's decision, not the roll's.
 */
async function monthOf(
  owed: MonthOwed,
  params: ReturnType<typeof parameterCache>,
  household: () => Promise<Awaited<ReturnType<typeof householdOf>>>,
): Promise<LineMonth> {
  const p = owed.period;
  const tier = p.tier!;
  const decided: LineMonth = {
    month: owed.month,
    tier,
    amount: p.monthlyAmount!,
    backPay: owed.backPay,
    basis: periodBasis(owed, tierLabel(tier)),
  };
  if (!p.parameterVersion) return decided;
  const h = await household();
  if (!h) return decided;
  // Measured where and as the household is declared, as the means test requires.
  const parameters = await params(h.declaration.regionCode, h.declaration.residence, owed.month);
  if (!parameters || parameters.version === p.parameterVersion) return decided;
  const requestedTier = requestable(tier);
  if (!requestedTier) return decided;
  const result = meansTest(h.declaration, { asOf: `${owed.month}-01`, parameters, requestedTier });
  if (!result.eligible || result.tier !== tier || result.monthlyAmount === null) return decided;
  return {
    ...decided,
    amount: result.monthlyAmount,
    basis: `${owed.backPay ? '补发' : ''}${owed.month}${tierLabel(tier)}，按当月施行的标准重新计算为每月${yuanText(result.monthlyAmount)}（原决定每月${yuanText(p.monthlyAmount!)}）`,
  };
}

/** One household's line of the roll for `month`, or none when nothing is owed. */
export async function lineFor(
  caseId: string,
  roll: { regionCode: string; month: string; since: string },
  params: ReturnType<typeof parameterCache>,
  inTransit: payroll.OnRolls = { months: new Set(), deducted: new Map() },
): Promise<RollLine | undefined> {
  const [item, recorded, payments, recoveries] = await Promise.all([
    lifecycle.getCaseItem(caseId),
    benefitPeriods(caseId),
    listPayments(caseId),
    listRecoveries(caseId),
  ]);
  if (!item || item.kind === 'emergency') return undefined;
  const periods = recorded.length ? recorded : periodsFromCase(item);
  // A month paid as the regular benefit or as a gradual-exit month is paid, and a month on an
  // approved roll is on its way: never twice.
  const paid = new Set([
    ...inTransit.months,
    ...payments.filter((p) => p.kind === 'regular' || p.kind === 'gradualExit').map((p) => p.month),
  ]);
  const owed = monthsOwed(periods, { since: roll.since, upTo: roll.month, paid });
  if (owed.length === 0) return undefined;
  let household: Promise<Awaited<ReturnType<typeof householdOf>>> | undefined;
  const months: LineMonth[] = [];
  for (const o of owed) months.push(await monthOf(o, params, () => (household ??= householdOf(item))));
  const gross = lineTotal(months);
  const share = (await params(roll.regionCode, 'urban', roll.month))?.recoveryDeductionShare ?? 0;
  const deducted = deductions(gross, share, recoveries, inTransit.deducted);
  const net =
    (Math.round(gross * 100) - deducted.reduce((fen, d) => fen + Math.round(d.amount * 100), 0)) / 100;
  return { caseId, months, ...(deducted.length ? { deductions: deducted } : {}), amount: net };
}

/** Why a line is held: what the roll and the household's page say. */
export const HEARING_HOLD_REASON = '听取意见期间暂停发放（省级规定），结论作出后补发';

/**
 * A household with a line this month and a hearing under way (社会救助法第四十八条), in a province that
 * suspends payment meanwhile: held, its months still owed. Elsewhere the benefit is paid as decided
 * until the decision that reduces or ends it takes effect.
 */
async function heldFor(
  line: RollLine,
  roll: { regionCode: string; month: string },
  params: ReturnType<typeof parameterCache>,
): Promise<HeldLine | undefined> {
  if (!(await params(roll.regionCode, 'urban', roll.month))?.suspendDuringHearing) return undefined;
  const hearings = await lifecycle.listHearings(line.caseId);
  if (!hearings.some((h) => h.status === 'open')) return undefined;
  return {
    caseId: line.caseId,
    months: line.months.map((m) => m.month),
    amount: lineTotal(line.months),
    reason: HEARING_HOLD_REASON,
  };
}

/**
 * The lines of a batch of a county's cases, and the households held this month; `inTransit` names
 * the county's approved rolls whose months have not come back from the bank.
 */
export async function linesFor(
  caseIds: readonly string[],
  roll: { regionCode: string; month: string; since: string; inTransit: readonly string[] },
): Promise<{ lines: RollLine[]; held: HeldLine[] }> {
  const params = parameterCache();
  const onRolls = await payroll.onRolls(roll.inTransit, caseIds);
  const lines: RollLine[] = [];
  const held: HeldLine[] = [];
  // A few cases at a time: the batch shares one Lambda's connections with its neighbours.
  for (let i = 0; i < caseIds.length; i += 8) {
    const chunk = await Promise.all(
      caseIds.slice(i, i + 8).map(async (id) => {
        const line = await lineFor(id, roll, params, onRolls.get(id));
        return line && { line, held: await heldFor(line, roll, params) };
      }),
    );
    for (const found of chunk)
      if (found?.held) held.push(found.held);
      else if (found) lines.push(found.line);
  }
  return { lines, held };
}

// ── starting and deciding a roll ─────────────────────────────────────────────────────────────────

/** The audit chain of a roll (who prepared, approved or returned it), where its executions are archived too. */
export const rollChain = (rollId: string): string => `roll-${rollId}`;

export type StartOutcome =
  | { outcome: 'started' | 'same'; roll: RollRecord }
  /** Another roll of the county holds its months, or the month's roll is approved, or a later month's. */
  | { outcome: 'inFlight' | 'approved' | 'later'; rollId: string };

const startExecution = async (roll: RollRecord) => {
  try {
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv(payrollWorkflow.env),
        name: roll.rollId,
        input: JSON.stringify({ rollId: roll.rollId, chainId: rollChain(roll.rollId) }),
      }),
    );
  } catch (error) {
    // Started by an earlier try of the same request.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
};

/**
 * A county officer prepares the month's roll: recorded as computing, with the county's lock, and its
 * workflow started. Only one roll of a county is in flight; an approved month is never prepared again,
 * and nor is a month before one already approved. A retry by the same officer while the roll is in
 * flight answers the same roll (and starts its workflow, should the first try have stopped short).
 */
export async function startRoll(regionCode: string, month: string, by: Actor): Promise<StartOutcome> {
  const rolls = await payroll.rollsOf(regionCode);
  const approved = rolls.filter(isApproved);
  const done = approved.find((r) => r.month >= month);
  if (done) return { outcome: done.month === month ? 'approved' : 'later', rollId: done.rollId };
  const holder = await payroll.rollInFlight(regionCode);
  if (holder) {
    const held = rolls.find((r) => r.rollId === holder);
    if (held?.month === month && held.preparedBy.subject === by.subject) {
      if (held.status === 'computing') await startExecution(held);
      return { outcome: 'same', roll: held };
    }
    return { outcome: 'inFlight', rollId: holder };
  }
  const seq = rolls.filter((r) => r.month === month).reduce((n, r) => Math.max(n, r.seq), 0) + 1;
  const rollId = rollIdOf(regionCode, month, seq);
  const roll: RollRecord = {
    rollId,
    regionCode,
    month,
    seq,
    since: sinceOf(approved[0], month),
    status: 'computing',
    preparedBy: by,
    preparedAt: new Date().toISOString(),
    executionArn: `${requiredEnv(payrollWorkflow.env).replace(':stateMachine:', ':execution:')}:${rollId}`,
  };
  try {
    await payroll.createRoll(roll);
  } catch (error) {
    if (error instanceof payroll.RollInFlightError) return { outcome: 'inFlight', rollId: error.rollId };
    throw error;
  }
  await startExecution(roll);
  return { outcome: 'started', roll };
}

export type DecideOutcome =
  | { outcome: 'recorded' | 'same'; roll: RollRecord }
  /** The preparer may not approve their own roll. */
  | { outcome: 'own' }
  /** Not awaiting approval (still computing, or decided otherwise already). */
  | { outcome: 'conflict'; roll: RollRecord };

/**
 * A county officer's decision on a sealed roll. `submit`: a roll the schedule computed is checked
 * and submitted by an officer, who thereby prepares it. `approve` or `return`: by an officer other
 * than the one who prepared it, recorded once and delivered to the waiting workflow (or, if its
 * token is not there yet, by the step that puts it there). A computed roll may be returned before
 * anyone submits it; it is approved only once prepared.
 */
export async function decideRoll(
  roll: RollRecord,
  decision: { decision: 'approve' | 'return' | 'submit'; reason?: string | undefined },
  by: Actor,
): Promise<DecideOutcome> {
  if (decision.decision === 'submit') {
    const submitted = await payroll.updateRoll(roll.rollId, ['computed'], {
      status: 'prepared',
      preparedBy: by,
      submittedAt: new Date().toISOString(),
    });
    const now = (await payroll.getRoll(roll.rollId))!;
    if (submitted) {
      await appendAudit(rollChain(roll.rollId), {
        key: `payroll.submitted#${roll.rollId}`,
        actor: by,
        action: 'payroll.submitted',
        summary: `核对并提交${roll.month}发放名册（${now.totals?.lines ?? 0}户，合计${yuanText(now.totals?.amount ?? 0)}），待另一名工作人员审批`,
        refs: { rollId: roll.rollId },
      });
      return { outcome: 'recorded', roll: now };
    }
    return now.status === 'prepared' && now.preparedBy.subject === by.subject
      ? { outcome: 'same', roll: now }
      : { outcome: 'conflict', roll: now };
  }
  if (roll.preparedBy.subject === by.subject) return { outcome: 'own' };
  const approval = {
    decision: decision.decision,
    ...(decision.reason ? { reason: decision.reason } : {}),
    by,
    at: new Date().toISOString(),
  };
  const from: RollStatus[] = decision.decision === 'return' ? ['computed', 'prepared'] : ['prepared'];
  const recorded = await payroll.updateRoll(roll.rollId, from, { approval }, [], {
    condition: 'attribute_not_exists(approval)',
    values: {},
  });
  const now = (await payroll.getRoll(roll.rollId))!;
  if (!recorded) {
    const same = now.approval?.decision === decision.decision && now.approval.by.subject === by.subject;
    return same ? { outcome: 'same', roll: now } : { outcome: 'conflict', roll: now };
  }
  // Out of the inbox now, whichever route decided; the workflow's conclusion closes it too (a no-op then).
  await closeApprovalTask(now);
  if (now.taskToken)
    try {
      await deliverApproval(now.taskToken, now);
    } catch (error) {
      // Lapsed at the due date: the escalation reopens the wait, and its step delivers.
      if (!isLapsedToken(error)) throw error;
    }
  return { outcome: 'recorded', roll: now };
}

/** Deliver a recorded approval decision to the workflow waiting on `taskToken`. */
export async function deliverApproval(taskToken: string, roll: RollRecord): Promise<void> {
  const { decision, reason } = roll.approval!;
  await sfn().send(
    new SendTaskSuccessCommand({
      taskToken,
      output: JSON.stringify({ decision, ...(reason ? { reason } : {}) }),
    }),
  );
}

// ── the roll's tasks in the inbox ─────────────────────────────────────────────────────────────────

// Task ids in the inbox's one format, stable so a retried step opens the same task.
export const approvalTaskId = (rollId: string): string => stableId('task', 'payrollApproval', rollId);
export const accountFixTaskId = (caseId: string, rollId: string): string =>
  stableId('task', 'payeeAccountFix', caseId, rollId);

/**
 * Working days the township has to put a failed line's account right: before the next month's roll is
 * prepared (docs/architecture.md §7).
 */
export const ACCOUNT_FIX_WORKING_DAYS = 10;

/** The sealed roll's approval, in the county's inbox beside its other tasks. */
export function approvalTask(roll: RollRecord): PaymentTask {
  return {
    taskId: approvalTaskId(roll.rollId),
    kind: 'payrollApproval',
    status: 'open',
    round: 1,
    applicationId: roll.rollId,
    caseId: rollChain(roll.rollId),
    township: roll.regionCode,
    taskToken: PAYMENT_TASK_TOKEN,
    executionArn: roll.executionArn,
    createdAt: roll.sealedAt ?? new Date().toISOString(),
    dueDate: roll.approvalDueDate!,
    ...(roll.approvalDueDateProvisional ? { dueDateProvisional: true } : {}),
    payment: {
      rollId: roll.rollId,
      month: roll.month,
      regionCode: roll.regionCode,
      lines: roll.totals?.lines ?? 0,
      amount: roll.totals?.amount ?? 0,
      ...(roll.preparedBy.role === SYSTEM.role ? {} : { preparedBy: roll.preparedBy.name }),
    },
  };
}

/** The roll's decision as its task's: closes the task whichever route decided the roll. */
export async function closeApprovalTask(roll: RollRecord): Promise<void> {
  const a = roll.approval;
  const decision: TaskDecision = a
    ? {
        decision: a.decision === 'approve' ? 'approve' : 'reject',
        reasons: a.reason ? [a.reason] : [],
        decidedAt: a.at,
        decidedBy: a.by.name,
        decidedByActor: a.by,
      }
    : {
        decision: 'reject',
        reasons: ['名册未能完成计算或导出，已终止；可重新编制'],
        decidedAt: new Date().toISOString(),
        decidedBy: SYSTEM.name,
        decidedByActor: SYSTEM,
      };
  await payroll.closePaymentTask(approvalTask(roll), decision);
}

/**
 * A line the bank did not pay, or that could not go to the bank for want of an account: a task for
 * the township of the case (its months stay owed and go on the next roll).
 */
export async function openAccountFix(
  roll: RollRecord,
  line: RollLine,
  reason: string,
  due: { dueDate: string; provisional: boolean },
): Promise<void> {
  const item = await lifecycle.getCaseItem(line.caseId);
  if (!item) throw new Error(`roll ${roll.rollId}: case ${line.caseId} does not exist`);
  await payroll.openPaymentTask({
    taskId: accountFixTaskId(line.caseId, roll.rollId),
    kind: 'payeeAccountFix',
    status: 'open',
    round: 1,
    applicationId: roll.rollId,
    caseId: line.caseId,
    township: item.regionCode,
    taskToken: PAYMENT_TASK_TOKEN,
    executionArn: roll.executionArn,
    createdAt: new Date().toISOString(),
    dueDate: due.dueDate,
    ...(due.provisional ? { dueDateProvisional: true } : {}),
    payment: {
      rollId: roll.rollId,
      month: roll.month,
      regionCode: roll.regionCode,
      amount: line.amount,
      months: line.months.map((m) => m.month),
      reason,
    },
  });
}

/**
 * A household's account registered on its case — by `PUT /cases/{caseId}/payee-account`, or with the
 * application that declared it: sealed and masked, on the case's chain, and the open fixes of its
 * failed lines done. Every registration is kept (`PAYEE#<changedAt>`).
 */
export async function registerPayeeAccount(
  caseId: string,
  { reason, ...account }: PayeeAccount & { reason?: string | undefined },
  by: Actor,
  changedAt: string = new Date().toISOString(),
): Promise<{ masked: MaskedPayeeAccount; changedAt: string; fixed: number }> {
  const masked = await putPayeeAccount(caseId, account, {
    changedAt,
    changedBy: by,
    ...(reason ? { reason } : {}),
  });
  await appendAudit(caseId, {
    key: `payee.changed#${changedAt}`,
    actor: by,
    action: 'payee.changed',
    summary: `登记收款账户：${payeeAccountKindLabels[masked.kind]}，${masked.bankName}，账号${masked.accountNumberMasked}，户名${masked.accountNameMasked}${reason ? `（${reason}）` : ''}`,
    refs: { changedAt },
  });
  // A failed line's task asked for exactly this: done.
  const fixed = await closeAccountFixes(
    caseId,
    by,
    `已登记新的收款账户（账号${masked.accountNumberMasked}）`,
  );
  return { masked, changedAt, fixed };
}

/** A correct account registered for the case: its open fixes are done. */
export async function closeAccountFixes(caseId: string, by: Actor, reason: string): Promise<number> {
  let closed = 0;
  for (const taskId of await payroll.openAccountFixes(caseId)) {
    const task = await getTask(taskId);
    if (!task || !isPaymentTask(task)) continue;
    const decision: TaskDecision = {
      decision: 'approve',
      reasons: [reason],
      decidedAt: new Date().toISOString(),
      decidedBy: by.name,
      decidedByActor: by,
    };
    if (await payroll.closePaymentTask(task, decision)) closed++;
  }
  return closed;
}

// ── the bank file and the bank's return ──────────────────────────────────────────────────────────

/** The link to the bank file lives this long: long enough to save it, too short to pass around. */
export const BANK_FILE_LINK_SECONDS = 300;

export type DownloadOutcome =
  | { outcome: 'link'; url: string; expiresAt: string; roll: RollRecord }
  /** Only the officer who approved the roll downloads its bank file. */
  | { outcome: 'notApprover' }
  /** Not exported yet, or downloaded already (once only). */
  | { outcome: 'conflict'; message: string };

/**
 * The approving officer's one download of the bank file: recorded first (conditionally, so that two
 * clicks cannot both get a link), then a link valid for `BANK_FILE_LINK_SECONDS`.
 */
export async function downloadBankFile(roll: RollRecord, by: Actor): Promise<DownloadOutcome> {
  const file = roll.bankFile;
  if (!file) return { outcome: 'conflict', message: '银行文件尚未生成（名册审批通过后生成），请稍后再试' };
  if (roll.approval?.decision !== 'approve' || roll.approval.by.subject !== by.subject)
    return { outcome: 'notApprover' };
  if (file.downloadedAt)
    return {
      outcome: 'conflict',
      message: `银行文件已于${file.downloadedAt.slice(0, 16).replace('T', ' ')}（UTC）下载，不能再次下载`,
    };
  const at = new Date();
  const recorded = await payroll.updateRoll(
    roll.rollId,
    ['approved', 'reconciling', 'reconciled'],
    { bankFile: { ...file, downloadedAt: at.toISOString(), downloadedBy: by } },
    [],
    { condition: 'attribute_not_exists(bankFile.downloadedAt)', values: {} },
  );
  if (!recorded) return { outcome: 'conflict', message: '银行文件已下载，不能再次下载' };
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.downloaded#${roll.rollId}`,
    actor: by,
    action: 'payroll.downloaded',
    summary: `下载银行文件（${file.lines}笔，合计${yuanText(file.total)}）`,
    refs: { rollId: roll.rollId },
  });
  const url = await getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: requiredEnv(payrollBucket.env),
      Key: file.key,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    }),
    { expiresIn: BANK_FILE_LINK_SECONDS },
  );
  return {
    outcome: 'link',
    url,
    expiresAt: new Date(at.getTime() + BANK_FILE_LINK_SECONDS * 1000).toISOString(),
    roll,
  };
}

export type ReturnOutcome =
  | { outcome: 'accepted'; roll: RollRecord }
  | { outcome: 'refused'; problems: ReturnProblem[] }
  | { outcome: 'conflict'; message: string };

/**
 * The bank's return file, checked whole against the bank file: refused with every problem, nothing
 * recorded; or kept (the file as sent, its results for the reconciliation) and handed to the waiting
 * workflow, which records each line.
 */
export async function acceptReturn(roll: RollRecord, content: string, by: Actor): Promise<ReturnOutcome> {
  if (roll.bankReturn || roll.status !== 'approved')
    return { outcome: 'conflict', message: `发放名册 ${roll.rollId} 已上传过回盘或不在待对账状态` };
  const file = roll.bankFile;
  if (!file) return { outcome: 'conflict', message: '银行文件尚未生成，不能对账' };
  const bucket = requiredEnv(payrollBucket.env);
  const index = JSON.parse(
    await (
      await s3().send(new GetObjectCommand({ Bucket: bucket, Key: file.indexKey }))
    ).Body!.transformToString(),
  ) as { rollId: string; total: number; lines: BankLine[] };
  const read = readReturnFile(content, index);
  if (!read.ok) return { outcome: 'refused', problems: read.problems };
  const uploadedAt = new Date().toISOString();
  const key = `bank/${roll.rollId}.return.csv`;
  const resultsKey = `bank/${roll.rollId}.results.json`;
  await s3().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: content, ContentType: 'text/csv; charset=utf-8' }),
  );
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: resultsKey,
      Body: JSON.stringify(read.results),
      ContentType: 'application/json',
    }),
  );
  const paid = read.results.filter((r) => r.status === 'paid');
  const failed = read.results.filter((r) => r.status === 'failed');
  const sum = (rs: ReturnResult[]) => rs.reduce((fen, r) => fen + Math.round(r.amount * 100), 0) / 100;
  const bankReturn = {
    key,
    resultsKey,
    uploadedBy: by,
    uploadedAt,
    paid: paid.length,
    failed: failed.length,
    paidAmount: sum(paid),
    failedAmount: sum(failed),
  };
  const recorded = await payroll.updateRoll(
    roll.rollId,
    ['approved'],
    { status: 'reconciling', bankReturn },
    [],
    {
      condition: 'attribute_not_exists(bankReturn)',
      values: {},
    },
  );
  if (!recorded) return { outcome: 'conflict', message: `发放名册 ${roll.rollId} 已上传过回盘` };
  const now = (await payroll.getRoll(roll.rollId))!;
  if (now.returnToken)
    try {
      await deliverReturn(now.returnToken, now);
    } catch (error) {
      if (!isLapsedToken(error)) throw error;
    }
  return { outcome: 'accepted', roll: now };
}

/** Hand the accepted return to the workflow waiting on `taskToken`. */
export async function deliverReturn(taskToken: string, roll: RollRecord): Promise<void> {
  const r = roll.bankReturn!;
  await sfn().send(
    new SendTaskSuccessCommand({
      taskToken,
      output: JSON.stringify({
        bucket: requiredEnv(payrollBucket.env),
        key: r.resultsKey,
        uploadedAt: r.uploadedAt,
        lines: r.paid + r.failed,
      }),
    }),
  );
}
