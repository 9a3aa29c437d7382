/**
 * Activities of the emergency workflow (临时救助/急难救助): a small amount at once (小金额先行救助),
 * the paperwork afterwards (事后补办手续), and — when the caseworker finds the household needs regular
 * assistance — its conversion into an application on the same case (一户一条救助链).
 */
import { startApplicationExecution } from '../../shared/application-execution.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  chinaMonth,
  type EmergencyNoticeOutcome,
  emergencyAssessmentMax,
  emergencyMaxGrant,
  emergencyNotice,
  emergencyPeriodStart,
  noticeLimit,
} from '../../shared/domain/lifecycle.ts';
import { toFen, yuanText } from '../../shared/domain/money.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { recordPayment } from '../../shared/repositories/payments.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { expenditureTest, meansTest } from '../../shared/rules/index.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';
import type { TaskDetail, TaskDue } from './lifecycle-tasks.ts';

async function load(emergencyId: string): Promise<lifecycle.EmergencyRecord> {
  const e = await lifecycle.getEmergency(emergencyId);
  if (!e) throw new Error(`emergency ${emergencyId} does not exist`);
  return e;
}

/** The household as the rules read it: the declaration without the emergency's own fields. */
function declarationOf(e: lifecycle.EmergencyRecord): Omit<ApplicationRequest, 'requestedTier'> {
  const { hardship: _h, requestedAmount: _a, hukouRegionCode: _k, type: _t, ...declaration } = e.request;
  return declaration;
}

/** 支出型: sudden necessary spending, by the ordinary procedure; nothing is paid first. */
const isExpenditure = (e: lifecycle.EmergencyRecord) => e.request.type === 'expenditure';

async function serveBy(day: string, workingDays: number) {
  const due = (await calendar()).provisionalDeadline(day, workingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  return { deadline: due.deadline, provisional: due.provisional };
}

/**
 * 核算与额度: the household's means test, and the most the caseworker may grant first — the place's
 * small-amount limit and what is left of the household's limit over its period (every grant that named
 * one of its members counts). Kept on the request, and shown on the caseworker's task.
 */
export async function assess(event: { emergencyId: string }): Promise<TaskDetail> {
  const e = await load(event.emergencyId);
  const now = new Date();
  const day = chinaDate(now);
  const declaration = declarationOf(e);
  const parameters = await parametersFor(e.regionCode, declaration.residence, day);
  const result = meansTest(declaration, { asOf: day, requestedTier: 'emergency', parameters });
  const { amount: householdAmount, months } = parameters.emergencyHouseholdLimit;
  const since = emergencyPeriodStart(now, months);
  const granted = (await lifecycle.emergencyGrantsSince(e.memberIndexes ?? [], since))
    .filter((g) => g.emergencyId !== e.emergencyId)
    .reduce((sum, g) => sum + Math.round(g.amount * 100), 0);
  const smallAmountLimit = result.emergency?.smallAmountLimit ?? parameters.emergencySmallAmount;
  const { maxAmount, remaining } = emergencyMaxGrant({
    requestedAmount: e.request.requestedAmount,
    smallAmountLimit,
    householdLimit: householdAmount,
    grantedInPeriod: granted / 100,
  });
  const allowance: lifecycle.EmergencyAllowance = {
    requestedAmount: e.request.requestedAmount,
    smallAmountLimit,
    householdLimit: { amount: householdAmount, months, since, granted: granted / 100, remaining },
    maxAmount,
  };
  const summary = cases.meansTestSummary(result);
  if (isExpenditure(e)) {
    // The township reviews it by the ordinary procedure: shown the test, the request and the
    // household's limit; the county fixes the amount after it.
    const tested = expenditureTest(result);
    const expenditure = { ...tested, reasons: tested.reasons.map((r) => r.message) };
    await lifecycle.updateEmergency(e.emergencyId, { allowance, meansTest: summary, expenditure });
    return {
      applicationId: e.emergencyId,
      township: e.regionCode,
      meansTest: summary,
      emergency: {
        requestedAmount: allowance.requestedAmount,
        householdLimit: allowance.householdLimit,
        expenditure,
      },
    };
  }
  await lifecycle.updateEmergency(e.emergencyId, { allowance, meansTest: summary });
  return {
    applicationId: e.emergencyId,
    township: e.regionCode,
    meansTest: summary,
    // No hardship text: this detail travels through the execution's history and archive, and the
    // description tells of illness and injury. The inbox reads it from the sealed request.
    emergency: allowance,
  };
}

/**
 * 先行救助: pays the amount the caseworker decided — never more than the request's allowance, which
 * the decision route checked and which is checked again here against the ledger as it stands — once,
 * with one payment record for the month, and tells the household when the paperwork is due.
 */
export async function grant(event: {
  emergencyId: string;
  executionArn: string;
  decision: PaperworkDecision;
  paperwork: TaskDue;
}): Promise<{ amount: number; limit: number; month: string; outstanding: number; task: TaskDetail }> {
  const e = await load(event.emergencyId);
  const { allowance, meansTest: assessed } = e;
  if (!allowance || !assessed) throw new Error(`emergency ${e.emergencyId} was not assessed`);
  const now = new Date();
  // The grant — amount, month, time — is fixed before anything is paid: a step replayed later (in
  // the next month, say) finds it and pays the month it names, once, not the month it runs in.
  let fixed = e.grant;
  if (!fixed) {
    const since = allowance.householdLimit.since;
    const others = (await lifecycle.emergencyGrantsSince(e.memberIndexes ?? [], since))
      .filter((g) => g.emergencyId !== e.emergencyId)
      .reduce((sum, g) => sum + g.amount, 0);
    const { maxAmount } = emergencyMaxGrant({
      requestedAmount: allowance.requestedAmount,
      smallAmountLimit: allowance.smallAmountLimit,
      householdLimit: allowance.householdLimit.amount,
      grantedInPeriod: others,
    });
    fixed = await lifecycle.recordGrant(
      e.emergencyId,
      {
        amount: Math.min(event.decision.amount ?? 0, maxAmount),
        limit: allowance.smallAmountLimit,
        month: chinaMonth(now),
        grantedAt: now.toISOString(),
        parameterVersion: (await parametersFor(e.regionCode, e.request.residence, chinaDate(now))).version,
      },
      'grant',
    );
  }
  const { amount, limit, month, grantedAt } = fixed;
  // The ledger first: a grant being paid already counts against the household's limit.
  await lifecycle.recordEmergencyGrantLedger(e, { amount, grantedAt });
  await recordPayment({
    caseId: e.caseId,
    month,
    kind: 'emergencyGrant',
    amount,
    tier: 'emergency',
    basis: `先行救助：申请${yuanText(e.request.requestedAmount)}，经办人${event.decision.decidedBy}决定${yuanText(amount)}（当地先行救助上限${yuanText(limit)}）`,
    executionArn: event.executionArn,
    recordedAt: grantedAt,
  });
  const day = chinaDate(new Date(grantedAt));
  const parameters = await parametersFor(e.regionCode, e.request.residence, day);
  const notice = emergencyNotice({
    noticeId: stableId('notice', event.executionArn, 'grant'),
    outcome: 'granted',
    decidedAt: grantedAt,
    serveBy: await serveBy(day, parameters.timeLimits[noticeLimit('emergencyGrant')]),
    amount,
    requestedAmount: e.request.requestedAmount,
    paperworkDue: event.paperwork.dueDate,
    reasons: event.decision.reasons,
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
    // What was asked beyond the aid paid first: the workflow assesses it once the paperwork confirms the aid.
    outstanding: Math.max(0, toFen(e.request.requestedAmount) - toFen(amount)) / 100,
    task: {
      applicationId: e.emergencyId,
      township: e.regionCode,
      // The paperwork shows the means test the grant was decided on.
      meansTest: assessed,
      emergency: { requestedAmount: e.request.requestedAmount, grantedAmount: amount },
    },
  };
}

/** A caseworker's decision on the grant review or the paperwork, as the workflow receives it. */
export interface PaperworkDecision {
  decision: 'approve' | 'reject';
  reasons: string[];
  decidedAt: string;
  decidedBy: string;
  convertTo?: 'dibao' | 'tekun' | 'marginal' | 'rigidExpense';
  /** The grant review: the amount to pay first; the assessment: the amount to pay beyond it. */
  amount?: number;
}

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
  await startApplicationExecution({ applicationId, caseId: e.caseId, regionCode: e.regionCode });
  return { applicationId, tier };
}

const noticeKinds = {
  declined: 'emergencyDeclined',
  completed: 'emergencyCompleted',
  rejected: 'emergencyRejected',
  converted: 'emergencyConverted',
} as const;

/**
 * The request ends: no aid first (the grant review declined it), or the paperwork confirms the aid,
 * records that it was not justified, or converts it.
 */
export async function close(event: {
  emergencyId: string;
  executionArn: string;
  outcome: Exclude<EmergencyNoticeOutcome, 'granted' | 'assessed' | 'assessmentRefused'>;
  decision: PaperworkDecision;
}): Promise<{ outcome: string; noticeId: string; applicationId: string | null }> {
  const e = await load(event.emergencyId);
  const { decision } = event;
  const converted =
    event.outcome === 'converted' && decision.convertTo ? await convert(e, decision.convertTo) : undefined;
  const day = chinaDate(new Date(decision.decidedAt));
  const parameters = await parametersFor(e.regionCode, e.request.residence, day);
  const notice = emergencyNotice({
    noticeId: stableId('notice', event.executionArn, event.outcome),
    outcome: event.outcome,
    decidedAt: decision.decidedAt,
    serveBy: await serveBy(day, parameters.timeLimits[noticeLimit(noticeKinds[event.outcome])]),
    amount: e.grant?.amount ?? 0,
    requestedAmount: e.request.requestedAmount,
    reasons: decision.reasons,
    convertedTo: converted,
  });
  await lifecycle.putNotice(e.caseId, notice, { emergencyId: e.emergencyId, workflow: 'Emergency' });
  // Last: whoever sees the final status finds the notice already there.
  await lifecycle.updateEmergency(e.emergencyId, {
    status: event.outcome,
    ...(event.outcome === 'declined'
      ? { grantReview: { taskId: stableId('task', event.executionArn, 'emergencyGrant'), decision } }
      : { paperwork: { ...e.paperwork!, decision } }),
  });
  return {
    outcome: event.outcome,
    noticeId: notice.noticeId,
    applicationId: converted?.applicationId ?? null,
  };
}

/** The grants of the household in its period, other than this request's. */
async function othersGranted(e: lifecycle.EmergencyRecord, since: string): Promise<number> {
  const fen = (await lifecycle.emergencyGrantsSince(e.memberIndexes ?? [], since))
    .filter((g) => g.emergencyId !== e.emergencyId)
    .reduce((sum, g) => sum + toFen(g.amount), 0);
  return fen / 100;
}

/**
 * To the county's assessment (临时救助 by the ordinary procedure): after the paperwork confirmed the aid
 * paid first of a request that asked for more, or after the township reviewed a 支出型 request.
 * Records the township's decision and what the assessment is to be shown — the request, any aid paid
 * first, the township's opinion on a 支出型 request, and the most still payable, which is what is left
 * of the household's limit over its period (the small-amount limit binds 先行救助 only).
 */
export async function prepareAssessment(event: {
  emergencyId: string;
  executionArn: string;
  decision: PaperworkDecision;
}): Promise<TaskDetail> {
  const e = await load(event.emergencyId);
  const expenditure = isExpenditure(e);
  if (!e.meansTest || (!expenditure && !e.grant))
    throw new Error(`emergency ${e.emergencyId} was neither granted nor reviewed`);
  const paidFirst = e.grant?.amount ?? 0;
  let assessment = e.assessment;
  if (!assessment) {
    const now = new Date();
    const parameters = await parametersFor(e.regionCode, e.request.residence, chinaDate(now));
    const { amount: limit, months } = parameters.emergencyHouseholdLimit;
    const since = emergencyPeriodStart(now, months);
    // The aid paid first counts however long ago it was paid: it is this request's.
    const granted = (toFen(await othersGranted(e, since)) + toFen(paidFirst)) / 100;
    const { outstanding, maxAmount } = emergencyAssessmentMax({
      requestedAmount: e.request.requestedAmount,
      paidFirst,
      householdLimit: limit,
      grantedInPeriod: granted,
    });
    assessment = {
      taskId: stableId('task', event.executionArn, 'emergencyAssessment'),
      requestedAmount: e.request.requestedAmount,
      paidFirst,
      outstanding,
      householdLimit: { amount: limit, months, since, granted, remaining: maxAmount },
      maxAmount,
      preparedAt: now.toISOString(),
    };
    await lifecycle.updateEmergency(e.emergencyId, {
      status: 'assessing',
      ...(expenditure
        ? {
            review: {
              taskId: stableId('task', event.executionArn, 'emergencyReview'),
              decision: event.decision,
            },
          }
        : { paperwork: { ...e.paperwork!, decision: event.decision } }),
      assessment,
    });
  }
  const review = expenditure ? (e.review?.decision ?? event.decision) : undefined;
  return {
    applicationId: e.emergencyId,
    township: e.regionCode,
    meansTest: e.meansTest,
    emergency: {
      requestedAmount: assessment.requestedAmount,
      ...(expenditure ? {} : { grantedAmount: assessment.paidFirst }),
      householdLimit: assessment.householdLimit,
      maxAmount: assessment.maxAmount,
      ...(e.expenditure ? { expenditure: e.expenditure } : {}),
      ...(review
        ? {
            review: {
              decision: review.decision,
              reasons: review.reasons,
              decidedAt: review.decidedAt,
              decidedBy: review.decidedBy,
            },
          }
        : {}),
    },
  };
}

/**
 * The county's assessment decided: the amount it granted is paid (never more than what is left of
 * the household's limit, checked again against the ledger as it stands) with a written notice of the
 * total; or the rest is refused in writing, with reasons and the remedy. Either way the request ends.
 */
export async function settleAssessment(event: {
  emergencyId: string;
  executionArn: string;
  decision: PaperworkDecision;
}): Promise<{ outcome: 'assessed' | 'assessmentRefused'; amount: number; noticeId: string }> {
  const e = await load(event.emergencyId);
  const { assessment } = e;
  if (!assessment) throw new Error(`emergency ${e.emergencyId} has no assessment`);
  const expenditure = isExpenditure(e);
  // A 支出型 request was paid nothing first.
  const first = { amount: e.grant?.amount ?? 0 };
  const { decision } = event;
  let fixed = e.assessedGrant;
  if (decision.decision === 'approve' && !fixed) {
    const now = new Date();
    const granted = toFen(await othersGranted(e, assessment.householdLimit.since)) + toFen(first.amount);
    const max = Math.max(0, toFen(assessment.householdLimit.amount) - granted);
    const amount = Math.min(toFen(decision.amount ?? 0), max) / 100;
    if (amount > 0)
      fixed = await lifecycle.recordGrant(
        e.emergencyId,
        {
          amount,
          month: chinaMonth(now),
          grantedAt: now.toISOString(),
          parameterVersion: (await parametersFor(e.regionCode, e.request.residence, chinaDate(now))).version,
        },
        'assessedGrant',
      );
  }
  if (fixed) {
    // The ledger first: the amount being paid already counts against the household's limit.
    await lifecycle.recordEmergencyGrantLedger(e, { amount: fixed.amount, grantedAt: fixed.grantedAt });
    await recordPayment({
      caseId: e.caseId,
      month: fixed.month,
      kind: 'emergencyAssessed',
      amount: fixed.amount,
      tier: 'emergency',
      basis: expenditure
        ? `支出型临时救助：申请${yuanText(assessment.requestedAmount)}，${decision.decidedBy}审核决定给予${yuanText(fixed.amount)}（家庭${assessment.householdLimit.months}个月内累计上限${yuanText(assessment.householdLimit.amount)}）`
        : `临时救助审核：申请${yuanText(assessment.requestedAmount)}，先行救助${yuanText(first.amount)}，${decision.decidedBy}审核决定再给予${yuanText(fixed.amount)}（家庭${assessment.householdLimit.months}个月内累计上限${yuanText(assessment.householdLimit.amount)}）`,
      executionArn: event.executionArn,
      recordedAt: fixed.grantedAt,
    });
  }
  const outcome = fixed ? 'assessed' : 'assessmentRefused';
  // An approval the household's limit no longer allowed (another grant came first) is a refusal.
  const reasons =
    decision.decision === 'approve' && !fixed
      ? [`家庭${assessment.householdLimit.months}个月内临时救助累计已达上限`, ...decision.reasons]
      : decision.reasons;
  const day = chinaDate(new Date(decision.decidedAt));
  const parameters = await parametersFor(e.regionCode, e.request.residence, day);
  const notice = emergencyNotice({
    noticeId: stableId('notice', event.executionArn, outcome),
    outcome,
    decidedAt: decision.decidedAt,
    serveBy: await serveBy(
      day,
      parameters.timeLimits[
        noticeLimit(outcome === 'assessed' ? 'emergencyAssessed' : 'emergencyAssessmentRefused')
      ],
    ),
    amount: first.amount,
    requestedAmount: assessment.requestedAmount,
    reasons,
    assessedAmount: fixed?.amount,
    expenditure,
  });
  await lifecycle.putNotice(e.caseId, notice, { emergencyId: e.emergencyId, workflow: 'Emergency' });
  // Last: whoever sees the request completed finds its payment and notice already there.
  await lifecycle.updateEmergency(e.emergencyId, {
    status: 'completed',
    assessment: { ...assessment, decision },
  });
  return { outcome, amount: fixed?.amount ?? 0, noticeId: notice.noticeId };
}
