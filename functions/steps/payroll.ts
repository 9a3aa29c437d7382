/**
 * The payroll workflow's steps (`workflows/payroll.ts`): list the county's cases, compute their lines
 * in batches, seal the roll, wait for a second officer's approval (escalating past its due date), and
 * record the outcome. Each step may run again after a crash and changes nothing the second time: a
 * batch writes the same lines, and every change of the roll's status is conditional on the status it
 * moves from.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import { s3, sqs } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { endOfChinaDay, SUPERVISION_WORKING_DAYS, secondsUntil } from '../../shared/domain/lifecycle.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { type RollRecord, rollHash, rollTotals } from '../../shared/domain/payroll.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import { countyCases, deliverApproval, linesFor, rollChain } from '../../shared/payroll.ts';
import { calendar } from '../../shared/repositories/parameters.ts';
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
  const inTransit = (await payroll.rollsOf(roll.regionCode))
    .filter((r) => r.status === 'approved')
    .map((r) => r.rollId);
  return {
    rollId: roll.rollId,
    cases: caseIds.length,
    month: roll.month,
    since: roll.since,
    inTransit,
    manifest,
  };
}

export interface LinesEvent {
  Items: string[];
  BatchInput: { rollId: string; month: string; since: string; inTransit: string[] };
}

/** One batch of cases: their lines, written while the roll is still computing. */
export async function lines(event: LinesEvent): Promise<{ lines: number }> {
  const { rollId, month, since, inTransit } = event.BatchInput;
  const roll = await loadRoll(rollId);
  if (roll.status !== 'computing') return { lines: 0 };
  const computed = await linesFor(event.Items, { month, since, inTransit });
  await payroll.writeLines(rollId, computed);
  return { lines: computed.length };
}

/**
 * Totals and hash over every line, the comparison with the county's last approved roll, and the
 * approval's due date: the roll is `prepared`, and from now on its lines do not change.
 */
export async function seal(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  if (roll.status !== 'computing') return { rollId: roll.rollId, status: roll.status, timeoutSeconds: 1 };
  const all = await payroll.readLines(roll.rollId);
  const totals = rollTotals(all);
  const hash = rollHash(roll.rollId, all);
  const previous = (await payroll.rollsOf(roll.regionCode))
    .filter((r) => r.status === 'approved' && r.rollId !== roll.rollId && r.totals)
    .at(-1);
  const due = await approvalDue(PAYROLL_APPROVAL_WORKING_DAYS);
  await payroll.updateRoll(roll.rollId, ['computing'], {
    status: 'prepared',
    totals,
    hash,
    sealedAt: new Date().toISOString(),
    previous: previous ? { rollId: previous.rollId, month: previous.month, totals: previous.totals! } : null,
    approvalDueDate: due.dueDate,
    approvalDueDateProvisional: due.provisional,
  });
  await appendAudit(rollChain(roll.rollId), {
    key: `payroll.prepared#${roll.rollId}`,
    actor: roll.preparedBy,
    action: 'payroll.prepared',
    summary: `编制${roll.month}发放名册：${totals.lines}户，合计${yuanText(totals.amount)}（其中补发${yuanText(totals.backPay)}）`,
    refs: { rollId: roll.rollId, hash },
  });
  return { rollId: roll.rollId, status: 'prepared', timeoutSeconds: due.timeoutSeconds };
}

/**
 * The wait for the approval: the token goes on the roll, where `POST /payrolls/{rollId}/decision`
 * finds it. A decision recorded before the token arrived is delivered now.
 */
export async function openApproval(event: { taskToken: string; rollId: string }) {
  await payroll.updateRoll(event.rollId, ['prepared'], { taskToken: event.taskToken });
  const roll = await loadRoll(event.rollId);
  if (roll.approval) await deliverApproval(event.taskToken, roll);
  return { rollId: roll.rollId, status: roll.status };
}

/** 督办: the approval's due date passed; the supervisors hear of it and a new due date runs. */
export async function escalateApproval(event: { rollId: string }) {
  const roll = await loadRoll(event.rollId);
  const due = await approvalDue(SUPERVISION_WORKING_DAYS);
  const escalations = [...(roll.escalations ?? []), { at: new Date().toISOString(), dueDate: due.dueDate }];
  await payroll.updateRoll(roll.rollId, ['prepared'], { escalations, approvalDueDate: due.dueDate });
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: requiredEnv(supervisorQueue.env),
      MessageBody: JSON.stringify({
        type: 'payrollApprovalOverdue',
        rollId: roll.rollId,
        regionCode: roll.regionCode,
        month: roll.month,
        lapsedDueDate: roll.approvalDueDate,
        dueDate: due.dueDate,
      }),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'payrollApprovalOverdue' } },
    }),
  );
  return { rollId: roll.rollId, timeoutSeconds: due.timeoutSeconds };
}

/**
 * The approving officer's decision, as the roll's status: approved (fixed from now on), or returned
 * (the county may prepare the month's roll again).
 */
export async function conclude(event: { rollId: string; decision: 'approve' | 'return' }) {
  const roll = await loadRoll(event.rollId);
  const status = event.decision === 'approve' ? 'approved' : 'returned';
  await payroll.updateRoll(roll.rollId, ['prepared'], { status }, ['taskToken']);
  // Approved, its months are in transit (a later roll does not owe them); returned, they are owed.
  await payroll.releaseLock(roll.regionCode, roll.rollId);
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

/** The run did not complete: the roll is marked failed and the county may prepare it again. */
export async function fail(event: { rollId: string; failure?: { Error?: string; Cause?: string } }) {
  const roll = await loadRoll(event.rollId);
  const failure = [event.failure?.Error, event.failure?.Cause].filter(Boolean).join(': ').slice(0, 1000);
  await payroll.updateRoll(roll.rollId, ['computing', 'prepared'], { status: 'failed', failure }, [
    'taskToken',
  ]);
  await payroll.releaseLock(roll.regionCode, roll.rollId);
  return { rollId: roll.rollId, status: 'failed' };
}
