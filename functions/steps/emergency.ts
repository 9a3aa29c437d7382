/**
 * Activities of the emergency workflow (临时救助/急难救助): a small amount at once (小金额先行救助),
 * the paperwork afterwards (事后补办手续), and — when the caseworker finds the household needs regular
 * assistance — its conversion into an application on the same case (一户一条救助链).
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  chinaMonth,
  type EmergencyNoticeOutcome,
  emergencyGrantAmount,
  emergencyNotice,
  noticeLimit,
} from '../../shared/domain/lifecycle.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { recordPayment } from '../../shared/repositories/payments.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { meansTest } from '../../shared/rules/index.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';
import { workflows } from '../../workflows/index.ts';
import type { TaskDetail, TaskDue } from './lifecycle-tasks.ts';

async function load(emergencyId: string): Promise<lifecycle.EmergencyRecord> {
  const e = await lifecycle.getEmergency(emergencyId);
  if (!e) throw new Error(`emergency ${emergencyId} does not exist`);
  return e;
}

/** The household as the rules read it: the declaration without the emergency's own fields. */
function declarationOf(e: lifecycle.EmergencyRecord): Omit<ApplicationRequest, 'requestedTier'> {
  const { hardship: _h, requestedAmount: _a, hukouRegionCode: _k, ...declaration } = e.request;
  return declaration;
}

async function serveBy(day: string, workingDays: number) {
  const due = (await calendar()).provisionalDeadline(day, workingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  return { deadline: due.deadline, provisional: due.provisional };
}

/**
 * 小金额先行救助: pays what was asked up to the place's limit (`emergencySmallAmount`) at once — one
 * payment record for the month — and tells the household when the paperwork is due.
 */
export async function grant(event: {
  emergencyId: string;
  caseId: string;
  executionArn: string;
  paperwork: TaskDue;
}): Promise<{ amount: number; limit: number; month: string; task: TaskDetail }> {
  const e = await load(event.emergencyId);
  const declaration = declarationOf(e);
  const assess = async (at: string) => {
    const day = chinaDate(new Date(at));
    const parameters = await parametersFor(e.regionCode, declaration.residence, day);
    const result = meansTest(declaration, { asOf: day, requestedTier: 'emergency', parameters });
    const limit = result.emergency?.smallAmountLimit ?? parameters.emergencySmallAmount;
    return { day, parameters, result, limit, amount: emergencyGrantAmount(e.request.requestedAmount, limit) };
  };
  const now = new Date();
  let assessed = await assess(e.grant?.grantedAt ?? now.toISOString());
  // The grant — amount, month, time — is fixed before anything is paid: a step replayed later (in
  // the next month, say) finds it and pays the month it names, once, not the month it runs in.
  const fixed =
    e.grant ??
    (await lifecycle.recordGrant(e.emergencyId, {
      amount: assessed.amount,
      limit: assessed.limit,
      month: chinaMonth(now),
      grantedAt: now.toISOString(),
      parameterVersion: assessed.parameters.version,
    }));
  // Another run fixed it first, on another day: its day's parameters describe the grant.
  if (chinaDate(new Date(fixed.grantedAt)) !== assessed.day) assessed = await assess(fixed.grantedAt);
  const { day, parameters, result } = assessed;
  const { amount, limit, month, grantedAt } = fixed;
  await recordPayment({
    caseId: e.caseId,
    month,
    kind: 'emergencyGrant',
    amount,
    tier: 'emergency',
    basis: `小金额先行救助：申请${e.request.requestedAmount}元，当地先行救助上限${limit}元`,
    executionArn: event.executionArn,
    recordedAt: grantedAt,
  });
  const notice = emergencyNotice({
    noticeId: stableId('notice', event.executionArn, 'grant'),
    outcome: 'granted',
    decidedAt: grantedAt,
    serveBy: await serveBy(day, parameters.timeLimits[noticeLimit('emergencyGrant')]),
    amount,
    requestedAmount: e.request.requestedAmount,
    paperworkDue: event.paperwork.dueDate,
  });
  await lifecycle.putNotice(e.caseId, notice, { emergencyId: e.emergencyId, workflow: 'Emergency' });
  // Last: whoever sees the request granted finds its payment and notice already there.
  if (e.status === 'submitted') {
    await lifecycle.updateEmergency(e.emergencyId, {
      status: 'granted',
      paperwork: { taskId: event.paperwork.taskId, dueDate: event.paperwork.dueDate },
    });
  }
  await registerCase(e.caseId, 'emergency', event.executionArn); // 低收入人口名单 (monitoring)
  return {
    amount,
    limit,
    month,
    task: {
      applicationId: e.emergencyId,
      township: e.regionCode,
      meansTest: {
        tier: result.tier,
        eligible: result.eligible,
        monthlyAmount: result.monthlyAmount,
        perCapitaMonthlyIncome: result.perCapitaMonthlyIncome,
        parameterVersion: result.parameterVersion,
        reasons: result.reasons.map(({ code, message, clause }) => ({ code, message, clause })),
      },
      // No hardship text: this detail travels through the execution's history and archive, and the
      // description tells of illness and injury. The inbox reads it from the sealed request.
      emergency: { requestedAmount: e.request.requestedAmount, grantedAmount: amount },
    },
  };
}

export interface PaperworkDecision {
  decision: 'approve' | 'reject';
  reasons: string[];
  decidedAt: string;
  decidedBy: string;
  convertTo?: 'dibao' | 'tekun' | 'marginal' | 'rigidExpense';
}

const applicationMachine = () => {
  const w = workflows.find((x) => x.id === 'Application');
  if (!w) throw new Error('no Application workflow');
  return requiredEnv(w.env);
};

/**
 * 转为常规申请: the emergency's declaration becomes an application for `tier` on the same case, and
 * the application workflow starts for it (named after the application, so a repeat starts nothing).
 */
async function convert(e: lifecycle.EmergencyRecord, tier: NonNullable<PaperworkDecision['convertTo']>) {
  const applicationId = stableId('app', e.emergencyId, 'conversion');
  await lifecycle.createConvertedApplication(
    {
      applicationId,
      caseId: e.caseId,
      status: 'submitted',
      regionCode: e.regionCode,
      requestedTier: tier,
      declaration: { ...declarationOf(e), requestedTier: tier },
      submittedAt: new Date().toISOString(),
      ...(e.ownerSubject ? { ownerSubject: e.ownerSubject } : {}),
      ...(e.enteredBy ? { enteredBy: e.enteredBy } : {}),
    },
    e.emergencyId,
  );
  const app = (await cases.getApplication(applicationId))!;
  const stateMachineArn = applicationMachine();
  let executionArn: string;
  try {
    executionArn = (
      await sfn().send(
        new StartExecutionCommand({
          stateMachineArn,
          name: applicationId,
          input: JSON.stringify({ applicationId, caseId: e.caseId, regionCode: e.regionCode }),
        }),
      )
    ).executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`;
  }
  // Linked at the application's own submission time: a repeat writes the same link, not a second one.
  await cases.linkExecution(
    { caseId: e.caseId, executionArn, workflow: 'Application', startedAt: app.submittedAt },
    applicationId,
  );
  return { applicationId, tier };
}

/** The paperwork is decided: confirm the aid, record that it was not justified, or convert it. */
export async function close(event: {
  emergencyId: string;
  executionArn: string;
  outcome: Exclude<EmergencyNoticeOutcome, 'granted'>;
  paperwork: PaperworkDecision;
}): Promise<{ outcome: string; noticeId: string; applicationId: string | null }> {
  const e = await load(event.emergencyId);
  const decision = event.paperwork;
  const converted =
    event.outcome === 'converted' && decision.convertTo ? await convert(e, decision.convertTo) : undefined;
  const day = chinaDate(new Date(decision.decidedAt));
  const parameters = await parametersFor(e.regionCode, e.request.residence, day);
  const notice = emergencyNotice({
    noticeId: stableId('notice', event.executionArn, event.outcome),
    outcome: event.outcome,
    decidedAt: decision.decidedAt,
    serveBy: await serveBy(
      day,
      parameters.timeLimits[
        noticeLimit(event.outcome === 'rejected' ? 'emergencyRejected' : 'emergencyCompleted')
      ],
    ),
    amount: e.grant?.amount ?? 0,
    requestedAmount: e.request.requestedAmount,
    reasons: decision.reasons,
    convertedTo: converted,
  });
  await lifecycle.putNotice(e.caseId, notice, { emergencyId: e.emergencyId, workflow: 'Emergency' });
  // Last: whoever sees the final status finds the notice already there.
  await lifecycle.updateEmergency(e.emergencyId, {
    status: event.outcome,
    paperwork: { ...e.paperwork!, decision },
  });
  return {
    outcome: event.outcome,
    noticeId: notice.noticeId,
    applicationId: converted?.applicationId ?? null,
  };
}
