/**
 * The payroll workflow's steps (`workflows/payroll.ts`): list the county's cases, compute their lines
 * in batches, seal the roll, wait for a second officer's approval (escalating past its due date), and
 * record the outcome. Each step may run again after a crash and changes nothing the second time: a
 * batch writes the same lines, and every change of the roll's status is conditional on the status it
 * moves from.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import { s3, sendTyped } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { endOfChinaDay, SUPERVISION_WORKING_DAYS, secondsUntil } from '../../shared/domain/lifecycle.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { inTransit, isApproved, type RollRecord, rollHash, rollTotals } from '../../shared/domain/payroll.ts';
import { logger } from '../../shared/logger.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import {
  ACCOUNT_FIX_WORKING_DAYS,
  approvalTask,
  approvalTaskId,
  closeApprovalTask,
  countyCases,
  deliverApproval,
  deliverReturn,
  linesFor,
  openAccountFix,
  rollChain,
  startRoll,
} from '../../shared/payroll.ts';
import { bankFile, type ReturnResult } from '../../shared/payroll-files.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { payeeAccountsOf, recordPayment, reduceRecovery } from '../../shared/repositories/payments.ts';
import * as payroll from '../../shared/repositories/payroll.ts';
import { payrollBucket, supervisorQueue } from '../../shared/resources.ts';

/**
 * Working days the approving officer has: no national text fixes it; the roll must reach the bank
 * within its month, so it is short (docs/architecture.md §7).
 */
export const PAYROLL_APPROVAL_WORKING_DAYS = 3;

async function loadRoll(rollId: string): Promise<RollRecord> {
  const roll = await payroll.getRoll(rollId);
  if (!roll) throw new Error(`roll ${rollId} does not exist`);
  return roll;
}

async function approvalDue(days: number) {
  const due = (await calendar()).provisionalDeadline(chinaDate(), days);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const dueAt = endOfChinaDay(due.deadline);
  return {
    dueDate: due.deadline,
    provisional: due.provisional,
    timeoutSeconds: secondsUntil(dueAt, new Date()),
  };
}

export interface Prepared {
  rollId: string;
  regionCode: string;
  cases: number;
  month: string;
  since: string;
  /** The county's approved rolls whose months are still with the bank. */
  inTransit: string[];
  manifest: { bucket: string; key: string };
}

/** The county's cases, as the manifest the Distributed Map reads (a JSON array of case ids). */
export async function prepare(event: { rollId: string }): Promise<Prepared> {
  const roll = await loadRoll(event.rollId);
  const caseIds = roll.status === 'computing' ? await countyCases(roll.regionCode) : [];
  const manifest = { bucket: requiredEnv(payrollBucket.env), key: `rolls/${roll.rollId}/cases.json` };
  await s3().send(
    new PutObjectCommand({
      Bucket: manifest.bucket,
      Key: manifest.key,
      Body: JSON.stringify(caseIds),
      ContentType: 'application/json',
    }),
  );
  const withBank = (await payroll.rollsOf(roll.regionCode)).filter(inTransit).map((r) => r.rollId);
  return {
    rollId: roll.rollId,
    regionCode: roll.regionCode,
    cases: caseIds.length,
    month: roll.month,
    since: roll.since,
    inTransit: withBank,
    manifest,
  };
}

export interface LinesEvent {
  Items: string[];
  BatchInput: { rollId: string; regionCode: string; month: string; since: string; inTransit: string[] };
}

/** One batch of cases: their lines, written while the roll is still computing. */
export async function lines(event: LinesEvent): Promise<{ lines: number }> {
  const { rollId, regionCode, month, since, inTransit: withBank } = event.BatchInput;
  const roll = await loadRoll(rollId);
  if (roll.status !== 'computing') return { lines: 0 };
  const computed = await linesFor(event.Items, { regionCode, month, since, inTransit: withBank });
  await payroll.writeLines(rollId, computed.lines);
  await payroll.writeHeld(rollId, computed.held);
  return { lines: computed.lines.length };
}

/**
 * Totals and hash over every line, the comparison with the county's last approved roll, and the
 * approval's due date: the roll is `prepared`, and from now on its lines do not change.
 */
export async function seal(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  if (roll.status !== 'computing') return { rollId: roll.rollId, status: roll.status, timeoutSeconds: 1 };
  const [all, held] = await Promise.all([payroll.readLines(roll.rollId), payroll.readHeld(roll.rollId)]);
  const totals = rollTotals(all);
  const hash = rollHash(roll.rollId, all);
  const previous = (await payroll.rollsOf(roll.regionCode))
    .filter((r) => isApproved(r) && r.rollId !== roll.rollId && r.totals)
    .at(-1);
  const due = await approvalDue(PAYROLL_APPROVAL_WORKING_DAYS);
  // Started by the schedule: an officer checks and submits it before another approves it.
  const status = roll.preparedBy.role === SYSTEM.role ? 'computed' : 'prepared';
  await payroll.updateRoll(roll.rollId, ['computing'], {
    status,
    totals,
    hash,
    lineCounts: payroll.shardCounts(all),
    ...(held.length ? { held } : {}),
    sealedAt: new Date().toISOString(),
    previous: previous ? { rollId: previous.rollId, month: previous.month, totals: previous.totals! } : null,
    approvalDueDate: due.dueDate,
    approvalDueDateProvisional: due.provisional,
  });
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.prepared#${roll.rollId}`,
    actor: roll.preparedBy,
    action: 'payroll.prepared',
    summary: `${status === 'computed' ? '按月自动计算' : '编制'}${roll.month}发放名册：${totals.lines}户，合计${yuanText(totals.amount)}（其中补发${yuanText(totals.backPay)}）${held.length ? `；${held.length}户听取意见期间暂停发放` : ''}`,
    refs: { rollId: roll.rollId, hash },
  });
  return { rollId: roll.rollId, status, timeoutSeconds: due.timeoutSeconds };
}

/**
 * The wait for the approval: the token goes on the roll, where `POST /payrolls/{rollId}/decision`
 * finds it. A decision recorded before the token arrived is delivered now.
 */
export async function openApproval(event: { taskToken: string; rollId: string }) {
  await payroll.updateRoll(event.rollId, ['computed', 'prepared'], { taskToken: event.taskToken });
  const roll = await loadRoll(event.rollId);
  if (roll.approval) await deliverApproval(event.taskToken, roll);
  // Waited on again after an escalation: the task is open already.
  else await payroll.openPaymentTask(approvalTask(roll));
  return { rollId: roll.rollId, status: roll.status };
}

/** 督办: the approval's due date passed; the supervisors hear of it and a new due date runs. */
export async function escalateApproval(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  const due = await approvalDue(SUPERVISION_WORKING_DAYS);
  const escalations = [...(roll.escalations ?? []), { at: new Date().toISOString(), dueDate: due.dueDate }];
  await payroll.updateRoll(roll.rollId, ['computed', 'prepared'], {
    escalations,
    approvalDueDate: due.dueDate,
  });
  if (roll.approvalDueDate)
    await payroll.escalatePaymentTask(
      approvalTaskId(roll.rollId),
      { escalatedAt: escalations.at(-1)!.at, overdueSince: roll.approvalDueDate, newDueDate: due.dueDate },
      due.provisional,
    );
  // The supervisors' inbox, as any task's escalation (a message of another shape would be poison there).
  await sendTyped(supervisorQueue.env, 'taskEscalated', {
    taskId: approvalTaskId(roll.rollId),
    kind: 'payrollApproval',
    township: roll.regionCode,
    caseId: rollChain(roll.rollId),
    overdueSince: roll.approvalDueDate ?? chinaDate(),
    newDueDate: due.dueDate,
    escalation: escalations.length,
  });
  return { rollId: roll.rollId, timeoutSeconds: due.timeoutSeconds };
}

/**
 * The approving officer's decision, as the roll's status: approved (fixed from now on), or returned
 * (the county may prepare the month's roll again).
 */
export async function conclude(event: { rollId: string; decision: 'approve' | 'return' }) {
  const roll = await loadRoll(event.rollId);
  const status = event.decision === 'approve' ? 'approved' : 'returned';
  await payroll.updateRoll(roll.rollId, ['computed', 'prepared'], { status }, ['taskToken']);
  // Approved, its months are in transit (a later roll does not owe them); returned, they are owed.
  await payroll.releaseLock(roll.regionCode, roll.rollId);
  await closeApprovalTask(roll);
  const approval = roll.approval;
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.${status}#${roll.rollId}`,
    actor: approval?.by ?? SYSTEM,
    action: `payroll.${status}`,
    summary:
      status === 'approved'
        ? `审批通过${roll.month}发放名册（${roll.totals?.lines ?? 0}户，合计${yuanText(roll.totals?.amount ?? 0)}），名册此后不可更改`
        : `退回${roll.month}发放名册：${approval?.reason ?? ''}`,
    refs: { rollId: roll.rollId, ...(roll.hash ? { hash: roll.hash } : {}) },
  });
  return { rollId: roll.rollId, status };
}

/**
 * The run did not complete. Before the bank file existed nothing reached the bank: the roll is marked
 * failed, its months are owed again, and the county may prepare it again — an approved roll whose
 * bank file could not be made included, else its months would stay "in transit" and never be paid.
 * Once the file exists the bank may have paid it: the roll keeps its status and records the failure
 * for the officers.
 */
export async function fail(event: { rollId: string; failure?: { Error?: string; Cause?: string } }) {
  const roll = await loadRoll(event.rollId);
  const failure = [event.failure?.Error, event.failure?.Cause].filter(Boolean).join(': ').slice(0, 1000);
  const failed =
    (await payroll.updateRoll(
      roll.rollId,
      ['computing', 'computed', 'prepared'],
      { status: 'failed', failure },
      ['taskToken'],
    )) ||
    (await payroll.updateRoll(roll.rollId, ['approved'], { status: 'failed', failure }, [], {
      condition: 'attribute_not_exists(bankFile)',
      values: {},
    }));
  if (!failed) await payroll.updateRoll(roll.rollId, ['approved', 'reconciling'], { failure });
  await payroll.releaseLock(roll.regionCode, roll.rollId);
  if (roll.approvalDueDate) await closeApprovalTask(roll);
  if (failed && roll.status === 'approved')
    await appendAudit(rollChain(roll.rollId), {
      key: `payroll.failed#${roll.rollId}`,
      actor: SYSTEM,
      action: 'payroll.failed',
      summary: `银行文件未能生成，${roll.month}发放名册作废（未送银行）；各户的月份仍应发放，本县可重新编制：${failure}`,
      refs: { rollId: roll.rollId },
    });
  return { rollId: roll.rollId, status: failed ? 'failed' : roll.status };
}

// ── the bank ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The approved roll's bank file, in the county's layout, under the payroll bucket's key (encrypted
 * with the stores' key), and its index for the reconciliation. Lines without an account are left out
 * and listed: their months stay owed.
 */
export async function exportBankFile(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  if (roll.bankFile || roll.status !== 'approved')
    return { rollId: roll.rollId, lines: roll.bankFile?.lines ?? 0 };
  const lines = await payroll.readLines(roll.rollId);
  const accounts = await payeeAccountsOf(lines.map((l) => l.caseId));
  const { bankFileLayout } = await parametersFor(roll.regionCode, 'urban', chinaDate());
  const file = bankFile(roll, lines, accounts, bankFileLayout.columns);
  const bucket = requiredEnv(payrollBucket.env);
  const key = `bank/${roll.rollId}.csv`;
  const indexKey = `bank/${roll.rollId}.index.json`;
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: file.content,
      ContentType: 'text/csv; charset=utf-8',
    }),
  );
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: indexKey,
      Body: JSON.stringify({ rollId: roll.rollId, total: file.total, lines: file.lines }),
      ContentType: 'application/json',
    }),
  );
  // A county's households without an account run to hundreds: sixteen lines marked at a time, each
  // a task for its township.
  const byCase = new Map(lines.map((l) => [l.caseId, l]));
  const due = file.excluded.length ? await approvalDue(ACCOUNT_FIX_WORKING_DAYS) : undefined;
  for (let i = 0; i < file.excluded.length; i += 16)
    await Promise.all(
      file.excluded.slice(i, i + 16).map(async (e) => {
        await payroll.setLineResult(roll.rollId, e.caseId, { status: 'failed', reason: e.reason });
        await openAccountFix(roll, byCase.get(e.caseId)!, e.reason, due!);
      }),
    );
  await payroll.updateRoll(roll.rollId, ['approved'], {
    bankFile: {
      key,
      indexKey,
      fileName: `发放名册-${roll.rollId}.csv`,
      lines: file.lines.length,
      total: file.total,
      excluded: file.excluded,
      exportedAt: new Date().toISOString(),
    },
  });
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.exported#${roll.rollId}`,
    actor: SYSTEM,
    action: 'payroll.exported',
    summary: `生成银行文件：${file.lines.length}笔，合计${yuanText(file.total)}${file.excluded.length ? `；${file.excluded.length}户未登记收款账户，未列入` : ''}`,
    refs: { rollId: roll.rollId },
  });
  return { rollId: roll.rollId, lines: file.lines.length };
}

/** The wait for the bank's return file: its token on the roll; a return accepted first is delivered now. */
export async function openBankReturn(event: { taskToken: string; rollId: string }) {
  await payroll.updateRoll(event.rollId, ['approved', 'reconciling'], { returnToken: event.taskToken });
  const roll = await loadRoll(event.rollId);
  if (roll.bankReturn) await deliverReturn(event.taskToken, roll);
  return { rollId: roll.rollId, status: roll.status };
}

export interface ReconcileEvent {
  Items: ReturnResult[];
  BatchInput: { rollId: string; uploadedAt: string; runExecutionArn: string };
}

/**
 * One batch of the return's results: a paid line becomes the case's payments, a month each, on the
 * ledger (written once: a retried batch finds them); a failed line is recorded on the case, its
 * months owed again in the next roll.
 */
export async function reconcileLines(event: ReconcileEvent): Promise<{ paid: number; failed: number }> {
  const { rollId, uploadedAt, runExecutionArn } = event.BatchInput;
  // What each line pays for is on the roll's line; the return names the line.
  const lines = await payroll.linesOf(
    rollId,
    event.Items.map((r) => r.caseId),
  );
  const roll = await loadRoll(rollId);
  const due = event.Items.some((r) => r.status === 'failed')
    ? await approvalDue(ACCOUNT_FIX_WORKING_DAYS)
    : undefined;
  const one = async (r: ReturnResult) => {
    const line = lines.get(r.caseId);
    if (!line) throw new Error(`roll ${rollId} has no line for ${r.caseId}`);
    if (r.status === 'paid') {
      for (const m of line.months)
        await recordPayment({
          caseId: r.caseId,
          month: m.month,
          kind: 'regular',
          amount: m.amount,
          tier: m.tier,
          basis: m.basis,
          executionArn: runExecutionArn,
          recordedAt: uploadedAt,
        });
      for (const d of line.deductions ?? []) {
        const applied = await reduceRecovery(r.caseId, d.recoveryId, {
          kind: 'deduction',
          rollId,
          amount: d.amount,
        });
        if (applied === 'exceeds')
          logger.warn('deduction exceeds what the order owes', { rollId, caseId: r.caseId });
        await appendAudit(r.caseId, {
          key: `recovery.deducted#${d.recoveryId}#${rollId}`,
          actor: SYSTEM,
          action: 'recovery.deducted',
          summary: `从${line.months.map((m) => m.month).join('、')}救助金中扣回${yuanText(d.amount)}（追回决定 ${d.recoveryId}）`,
          refs: { rollId, recoveryId: d.recoveryId },
        });
      }
    } else {
      await openAccountFix(roll, line, `银行退回：${r.reason ?? '未说明原因'}`, due!);
      await appendAudit(r.caseId, {
        key: `payment.failed#${rollId}`,
        actor: SYSTEM,
        action: 'payment.failed',
        summary: `${line.months.map((m) => m.month).join('、')}救助金${yuanText(r.amount)}发放失败（银行：${r.reason ?? ''}），将列入以后月份的名册补发`,
        refs: { rollId, lineNo: String(r.lineNo), months: line.months.map((m) => m.month).join('、') },
      });
    }
    await payroll.setLineResult(rollId, r.caseId, {
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
    });
  };
  // A line per household: eight households at a time, each household's entries in order.
  for (let i = 0; i < event.Items.length; i += 8) await Promise.all(event.Items.slice(i, i + 8).map(one));
  const paid = event.Items.filter((r) => r.status === 'paid').length;
  return { paid, failed: event.Items.length - paid };
}

/** Every line reconciled: the roll is closed. */
export async function closeRoll(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  await payroll.updateRoll(
    roll.rollId,
    ['reconciling'],
    { status: 'reconciled', reconciledAt: new Date().toISOString() },
    ['returnToken'],
  );
  const r = roll.bankReturn;
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.reconciled#${roll.rollId}`,
    actor: r?.uploadedBy ?? SYSTEM,
    action: 'payroll.reconciled',
    summary: `银行回盘对账完成：成功${r?.paid ?? 0}笔${yuanText(r?.paidAmount ?? 0)}，失败${r?.failed ?? 0}笔${yuanText(r?.failedAmount ?? 0)}（失败的将在以后月份的名册补发）`,
    refs: { rollId: roll.rollId },
  });
  return { rollId: roll.rollId, status: 'reconciled' };
}

/**
 * 按月编制: on and after the county's `payrollDay`, a county that has prepared a roll before gets this
 * month's roll computed (once: a month with any roll, returned or failed included, is left to its
 * officers). It waits as `computed` for an officer to check and submit it.
 */
export async function startDuePayrolls(): Promise<{ started: string[] }> {
  const today = chinaDate();
  const month = today.slice(0, 7);
  const started: string[] = [];
  for (const regionCode of await payroll.payrollCounties()) {
    const { payrollDay } = await parametersFor(regionCode, 'urban', today);
    if (Number(today.slice(8, 10)) < payrollDay) continue;
    if ((await payroll.rollsOf(regionCode)).some((r) => r.month === month)) continue;
    const out = await startRoll(regionCode, month, SYSTEM);
    if (out.outcome === 'started') started.push(out.roll.rollId);
  }
  return { started };
}
