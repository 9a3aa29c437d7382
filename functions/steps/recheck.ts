/**
 * Activities of the recheck workflow (定期核查/年度复核, and the 动态监测 follow-up of a household that
 * left assistance). Each is idempotent: the assessment is stored under the execution's recheck id
 * and a repeat returns it; notices and schedules are keyed by stable ids.
 */
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import { addDays, chinaDate } from '../../shared/domain/dates.ts';
import { type BenefitCause, type BenefitPeriod, firstMonth } from '../../shared/domain/entitlements.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  addMonths,
  addMonthsToMonth,
  type Benefit,
  deathRecheckDue,
  deathTriggersRecheck,
  decideMonitoring,
  decideRecheck,
  employmentIncome,
  type FreshAssessment,
  gradualExitPlan,
  type HearingAnswer,
  hearingReason,
  isAdverse,
  LAPSE_CLAUSE,
  LAPSING_TIERS,
  MONITORING_FOLLOW_UP_MONTHS,
  type MonitoringOutcome,
  monthStartsAt,
  noticeLimit,
  type RecheckOutcome,
  recheckMonthsFor,
  recheckNotice,
  startOfChinaDay,
  tierLabel,
} from '../../shared/domain/lifecycle.ts';
import { logger } from '../../shared/logger.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import { type Department, departmentLabels } from '../../shared/monitoring/vocabulary.ts';
import { DEFAULT_DEATH_RECHECK_MONTHS, type Residence } from '../../shared/parameters/index.ts';
import type { MeansTestSummary } from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { recordBenefitPeriod } from '../../shared/repositories/payments.ts';
import { householdOf, registerCase } from '../../shared/repositories/register.ts';
import {
  bringForward,
  type Schedule,
  schedulesOf,
  scheduleWorkflow,
} from '../../shared/repositories/schedule.ts';
import { type MeansTestResult, meansTest } from '../../shared/rules/index.ts';
import type { HouseholdDeclaration } from '../../shared/schemas/household.ts';
import { recordSpecialAssistance } from '../../shared/special-assistance.ts';
import { type EndNoticeOutcome, type EndNoticePlan, endNoticeReason, publishEnd } from './end-notice.ts';
import type { TaskDetail } from './lifecycle-tasks.ts';

export type RecheckMode = 'regular' | 'monitoring';

export interface Assessment {
  recheckId: string;
  caseId: string;
  mode: RecheckMode;
  assessedAt: string;
  asOf: string;
  /**
   * `skipped`: the case is no longer in a state this recheck applies to (e.g. it already ended).
   * `lapse`: a recognition that lapses when its time is up rather than being rechecked.
   */
  outcome: RecheckOutcome | MonitoringOutcome | 'skipped' | 'lapse';
  /** A caseworker confirms before the outcome takes effect. */
  changed: boolean;
  /** 调减 or 终止 (a gradual exit included): the household is heard before it is decided (第四十八条). */
  adverse: boolean;
  /**
   * 特困 support would end (a termination, or another tier instead): the proposal is publicly noticed
   * for 7 days before the decision (民发〔2021〕43号 第二十六条).
   */
  endNoticeRequired: boolean;
  current: Benefit | null;
  proposed: Benefit | null;
  gradualExitMonths: number | null;
  reasons: string[];
  regionCode: string;
  residence: Residence;
  parameterVersion: string | null;
  /** Months to the next recheck if the current benefit continues, and if the proposed one applies. */
  recheckMonths: { current: number | null; proposed: number | null };
  employmentIncome: number;
  declarationId: string | null;
  /** For the confirmation task, when `changed`. */
  task?: TaskDetail;
}

const summary = (r: MeansTestResult): MeansTestSummary => ({
  tier: r.tier,
  eligible: r.eligible,
  monthlyAmount: r.monthlyAmount,
  perCapitaMonthlyIncome: r.perCapitaMonthlyIncome,
  parameterVersion: r.parameterVersion,
  reasons: r.reasons.map(({ code, message, clause }) => ({ code, message, clause })),
});

async function declarationOf(caseItem: lifecycle.CaseItem): Promise<{
  declarationId: string | null;
  declaration: HouseholdDeclaration;
  applicationId: string | null;
}> {
  const app = await lifecycle.determinedApplication(caseItem);
  const latest = await lifecycle.latestDeclaration(caseItem.caseId);
  if (latest) return { ...latest, applicationId: app?.applicationId ?? null };
  if (!app) throw new Error(`case ${caseItem.caseId} has neither a declaration nor an application`);
  return { declarationId: null, declaration: app.declaration, applicationId: app.applicationId };
}

/**
 * Fresh data → means test with today's parameters → the outcome it proposes. Fresh data is the
 * latest declaration on the case (`POST /cases/{caseId}/declaration`), else the application's.
 */
export async function assess(event: {
  caseId: string;
  executionArn: string;
  mode?: RecheckMode;
}): Promise<Assessment> {
  const recheckId = stableId('recheck', event.executionArn);
  const stored = await lifecycle.getRecheck<Assessment>(event.caseId, recheckId);
  if (stored) return stored;

  const mode = event.mode ?? 'regular';
  const caseItem = await lifecycle.getCaseItem(event.caseId);
  if (!caseItem) throw new Error(`case ${event.caseId} does not exist`);
  const current = mode === 'regular' ? await lifecycle.currentBenefit(caseItem) : null;
  const { declarationId, declaration: declared, applicationId } = await declarationOf(caseItem);
  // Means-tested where the case is: a declaration stored before declarations were bound to the
  // case's region may name another county, whose standard is not this household's.
  const declaration = { ...declared, regionCode: caseItem.regionCode };
  const now = new Date();
  const asOf = chinaDate(now);
  const base = {
    recheckId,
    caseId: event.caseId,
    mode,
    assessedAt: now.toISOString(),
    asOf,
    current: current ?? null,
    regionCode: declaration.regionCode,
    residence: declaration.residence,
    declarationId,
    employmentIncome: employmentIncome(declaration),
    endNoticeRequired: false,
  };
  const ended = caseItem.status !== undefined && caseItem.status !== 'active';
  if ((mode === 'regular' && (!current || ended)) || (mode === 'monitoring' && !caseItem.monitoring)) {
    return lifecycle.putRecheck<Assessment>({
      ...base,
      outcome: 'skipped',
      changed: false,
      adverse: false,
      proposed: null,
      gradualExitMonths: null,
      reasons: [],
      parameterVersion: null,
      recheckMonths: { current: null, proposed: null },
    });
  }

  if (mode === 'regular' && LAPSING_TIERS.has(current!.tier)) {
    return lifecycle.putRecheck<Assessment>({
      ...base,
      outcome: 'lapse',
      changed: false,
      adverse: false,
      proposed: null,
      gradualExitMonths: null,
      reasons: [
        `${tierLabel(current!.tier)}认定有效期届满，认定自然失效；需要继续认定的，应当重新申请（${LAPSE_CLAUSE}）`,
      ],
      parameterVersion: null,
      recheckMonths: { current: null, proposed: null },
    });
  }

  const parameters = await parametersFor(declaration.regionCode, declaration.residence, asOf);
  // The household's own classification: a recheck asks which tier fits now, not whether the old one still does.
  const result = meansTest(declaration, { asOf, parameters });
  const fresh: FreshAssessment = {
    tier: result.tier,
    eligible: result.eligible,
    monthlyAmount: result.monthlyAmount,
    reasons: result.reasons.map((r) => r.message),
  };
  const monthsFor = (tier: string | undefined) =>
    tier
      ? recheckMonthsFor(tier, parameters.recheckMonths, {
          tier: result.tier,
          recheckIntervalMonths: result.recheckIntervalMonths,
        })
      : null;

  if (mode === 'monitoring') {
    const { outcome, reasons } = decideMonitoring(fresh);
    return lifecycle.putRecheck<Assessment>({
      ...base,
      outcome,
      changed: false,
      adverse: false,
      proposed: fresh.eligible ? { tier: fresh.tier, monthlyAmount: fresh.monthlyAmount } : null,
      gradualExitMonths: null,
      reasons,
      parameterVersion: result.parameterVersion,
      recheckMonths: { current: null, proposed: null },
    });
  }

  const decision = decideRecheck({
    current: current!,
    fresh,
    gradualExitMonths: parameters.gradualExitMonths,
    employmentIncomeBefore:
      typeof caseItem.employmentIncome === 'number'
        ? caseItem.employmentIncome
        : employmentIncome((await lifecycle.determinedApplication(caseItem))?.declaration ?? declaration),
    employmentIncomeNow: employmentIncome(declaration),
  });
  return lifecycle.putRecheck<Assessment>({
    ...base,
    outcome: decision.outcome,
    changed: decision.changed,
    adverse: decision.changed && isAdverse(decision.outcome, current!, decision.proposed),
    endNoticeRequired: decision.changed && endsTekun(current!, decision.proposed),
    proposed: decision.proposed,
    gradualExitMonths: decision.gradualExitMonths,
    reasons: decision.reasons,
    parameterVersion: result.parameterVersion,
    recheckMonths: { current: monthsFor(current!.tier), proposed: monthsFor(decision.proposed?.tier) },
    ...(decision.changed
      ? {
          task: {
            applicationId: applicationId ?? event.caseId,
            township: caseItem.regionCode,
            meansTest: summary(result),
            recheck: {
              current: decision.current,
              proposed: decision.proposed,
              outcome: decision.outcome,
              reasons: decision.reasons,
            },
          },
        }
      : {}),
  });
}

/** Whether the change ends 特困 support: nothing after it, or another tier. */
const endsTekun = (current: Benefit, proposed: Benefit | null) =>
  current.tier === 'tekun' && proposed?.tier !== 'tekun';

export interface Confirmation {
  decision: 'approve' | 'reject';
  reasons: string[];
  decidedAt: string;
  decidedBy: string;
}

export interface ConcludeEvent {
  /** The outcome the workflow reached: the proposal, or `continue` when unchanged or not confirmed. */
  outcome: RecheckOutcome | MonitoringOutcome | 'lapse';
  executionArn: string;
  state: {
    caseId: string;
    assessment: { result: Assessment };
    confirmation?: Confirmation;
    /** The hearing held before a reduction or an end, and what the household said (or did not). */
    hearing?: { result: { hearingId: string; answerBy: string } };
    hearingAnswer?: { result: HearingAnswer };
    /** The public notice of a proposed end of 特困 support, and whether anyone objected. */
    endNotice?: { result: EndNoticePlan };
    endNoticeOutcome?: { result: EndNoticeOutcome };
  };
}

export interface Conclusion {
  outcome: RecheckOutcome | MonitoringOutcome | 'lapse';
  noticeId: string;
  next: { workflow: string; dueAt: string } | null;
}

/**
 * Puts the outcome into effect, each with its written notice: continue or adjust (and schedule the
 * next recheck), start a gradual exit (its first month is scheduled), terminate (the household stays
 * under monitoring), or conclude a monitoring follow-up.
 */
export async function conclude(event: ConcludeEvent): Promise<Conclusion> {
  const a = event.state.assessment.result;
  const confirmation = event.state.confirmation;
  const heard = event.state.hearingAnswer?.result;
  const { caseId } = a;
  // Fixed by the first run: the caseworker's decision (or, after a hearing without objection, the
  // hearing's end), else the stored assessment's own time. A step replayed on a later day (a retry,
  // a restart) then schedules the same next recheck, not a second one a day later.
  const heardAt = heard && heard.opinion !== 'object' ? heard.answeredAt : undefined;
  const decidedAt = heardAt ?? confirmation?.decidedAt ?? a.assessedAt;
  const day = chinaDate(new Date(decidedAt));
  const notConfirmed =
    a.changed && event.outcome === 'continue' && confirmation ? { reasons: confirmation.reasons } : undefined;

  let next: Conclusion['next'] = null;
  const schedule = async (workflow: string, dueAt: string, input: Record<string, unknown>) => {
    await scheduleWorkflow({ caseId, workflow, dueAt, input });
    next = { workflow, dueAt };
  };
  const recheckIn = async (months: number | null, mode: RecheckMode) => {
    if (!months) return undefined;
    const due = addMonths(day, months);
    await schedule('Recheck', startOfChinaDay(due), { mode });
    return due;
  };

  // The benefit from the month after the decision (the gradual exit: from its first month), as the
  // payroll reads it (shared/domain/entitlements.ts).
  // A gradual exit keeps the household's special assistance until its end; any other decision records
  // what the tier after it entitles to (none once the benefit ends).
  const benefitPeriod = async (
    cause: BenefitCause,
    status: BenefitPeriod['status'],
    benefit: Benefit | null | undefined,
    from = firstMonth(cause, decidedAt),
  ) => {
    if (status !== 'gradualExit')
      await recordSpecialAssistance({
        caseId,
        cause,
        decidedAt,
        tier: status === 'active' ? (benefit?.tier ?? null) : null,
      });
    return recordBenefitPeriod({
      caseId,
      cause,
      from,
      status,
      tier: benefit?.tier ?? null,
      monthlyAmount: benefit?.monthlyAmount ?? null,
      decidedAt,
      ref: event.executionArn,
      regionCode: a.regionCode,
      residence: a.residence,
      ...(a.parameterVersion ? { parameterVersion: a.parameterVersion } : {}),
    });
  };

  let nextRecheckDue: string | undefined;
  let gradualExit: { months: number; firstMonth: string; lastMonth: string } | undefined;
  switch (event.outcome) {
    case 'continue': {
      nextRecheckDue = await recheckIn(a.recheckMonths.current, 'regular');
      await lifecycle.updateCase(caseId, {
        lastRecheckAt: decidedAt,
        ...(nextRecheckDue ? { nextRecheckDue } : {}),
        // A change the caseworker did not confirm is not the household's new baseline.
        ...(notConfirmed ? {} : { employmentIncome: a.employmentIncome }),
      });
      break;
    }
    case 'adjust': {
      const proposed = a.proposed!;
      nextRecheckDue = await recheckIn(a.recheckMonths.proposed, 'regular');
      await lifecycle.updateCase(caseId, {
        tier: proposed.tier,
        monthlyAmount: proposed.monthlyAmount,
        adjustedAt: decidedAt,
        lastRecheckAt: decidedAt,
        employmentIncome: a.employmentIncome,
        ...(nextRecheckDue ? { nextRecheckDue } : {}),
      });
      await benefitPeriod('adjustment', 'active', proposed);
      break;
    }
    case 'gradualExit': {
      const plan = gradualExitPlan(decidedAt, a.gradualExitMonths!, a.current!);
      gradualExit = {
        months: plan.months,
        firstMonth: plan.firstMonth,
        lastMonth: addMonthsToMonth(plan.firstMonth, plan.months - 1),
      };
      await schedule('GradualExit', monthStartsAt(plan.firstMonth), {
        plan,
        index: 1,
        regionCode: a.regionCode,
        residence: a.residence,
      });
      await lifecycle.updateCase(
        caseId,
        {
          status: 'gradualExit',
          gradualExit: plan,
          lastRecheckAt: decidedAt,
          employmentIncome: a.employmentIncome,
        },
        ['nextRecheckDue'],
      );
      await benefitPeriod('gradualExit', 'gradualExit', a.current, plan.firstMonth);
      break;
    }
    case 'terminate': {
      const due = await recheckIn(MONITORING_FOLLOW_UP_MONTHS, 'monitoring');
      await lifecycle.updateCase(
        caseId,
        {
          status: 'terminated',
          endedAt: decidedAt,
          monitoring: true,
          nextMonitoringDue: due,
          lastRecheckAt: decidedAt,
        },
        ['nextRecheckDue'],
      );
      await benefitPeriod('termination', 'ended', a.current);
      break;
    }
    case 'lapse': {
      await lifecycle.updateCase(caseId, { status: 'lapsed', endedAt: decidedAt, lastRecheckAt: decidedAt }, [
        'nextRecheckDue',
      ]);
      await benefitPeriod('lapse', 'ended', a.current);
      break;
    }
    case 'monitoringAlert': {
      // The household looks eligible again: it is told to apply and watched for another period.
      nextRecheckDue = await recheckIn(MONITORING_FOLLOW_UP_MONTHS, 'monitoring');
      await lifecycle.updateCase(caseId, {
        monitoring: true,
        monitoringAlertAt: decidedAt,
        nextMonitoringDue: nextRecheckDue,
      });
      break;
    }
    case 'monitoringEnded': {
      await lifecycle.updateCase(caseId, { monitoring: false, monitoringEndedAt: decidedAt }, [
        'nextMonitoringDue',
      ]);
      break;
    }
  }

  const parameters = await parametersFor(a.regionCode, a.residence, day);
  // The procedure before the decision, as the written notice states it: the hearing, the end notice.
  const { endNotice, endNoticeOutcome } = event.state;
  const procedure = [
    ...(heard ? [hearingReason(heard, event.state.hearing?.result.answerBy ?? '')] : []),
    ...(endNotice && endNoticeOutcome ? [endNoticeReason(endNotice.result, endNoticeOutcome.result)] : []),
  ];
  const notice = recheckNotice({
    noticeId: stableId('notice', event.executionArn, event.outcome),
    outcome: event.outcome,
    decidedAt,
    serveBy: await serveBy(day, parameters.timeLimits[noticeLimit(kindOf(event.outcome))]),
    current: a.current,
    proposed: a.proposed,
    reasons: [...a.reasons, ...procedure],
    notConfirmed:
      notConfirmed && procedure.length ? { reasons: [...notConfirmed.reasons, ...procedure] } : notConfirmed,
    nextRecheckDue,
    gradualExit,
  });
  await lifecycle.putNotice(caseId, notice, { recheckId: a.recheckId, workflow: 'Recheck' });
  // 重新公示 (43号 第二十六条): after an objection, the county's decision on it is published again,
  // from the day of that decision (the review's, which replaced the confirmation).
  if (endNotice && endNoticeOutcome?.result.objected) {
    const reviewed = chinaDate(new Date(confirmation?.decidedAt ?? decidedAt));
    await publishEnd(caseId, a.regionCode, {
      endNoticeId: endNotice.result.endNoticeId,
      stage: 'decided',
      decision: event.outcome === 'terminate' ? 'terminate' : 'continue',
      startsOn: reviewed,
      endsOn: addDays(reviewed, parameters.timeLimits.publicNoticeDays),
    });
  }
  await lifecycle.updateRecheck(caseId, a.recheckId, {
    concluded: {
      outcome: event.outcome,
      decidedAt,
      noticeId: notice.noticeId,
      confirmation: confirmation ?? null,
      ...(heard ? { hearing: { ...heard, hearingId: event.state.hearing?.result.hearingId ?? null } } : {}),
    },
  });
  await registerCase(caseId, 'recheck', event.executionArn); // 低收入人口名单 (monitoring)
  return { outcome: event.outcome, noticeId: notice.noticeId, next };
}

const kindOf = (outcome: RecheckOutcome | MonitoringOutcome | 'lapse') =>
  outcome === 'terminate' ? 'termination' : 'recheckContinue';

async function serveBy(day: string, workingDays: number) {
  const due = (await calendar()).provisionalDeadline(day, workingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  return { deadline: due.deadline, provisional: due.provisional };
}

/**
 * Schedules the first 定期核查 of a newly determined case — for the application workflow to call once
 * it has recorded an approval. `due` is the date the application recorded (`nextRecheckDue`); without
 * it the interval comes from the parameters in force on the determination day. Idempotent: the same
 * case and due date is one schedule. Returns undefined for tiers that are not rechecked.
 */
export async function scheduleFirstRecheck(input: {
  caseId: string;
  tier: string;
  determinedAt: string;
  regionCode: string;
  residence: Residence;
  due?: string | undefined;
}): Promise<{ due: string; dueAt: string } | undefined> {
  const day = chinaDate(new Date(input.determinedAt));
  let due = input.due;
  if (!due) {
    const parameters = await parametersFor(input.regionCode, input.residence, day);
    const months = recheckMonthsFor(input.tier, parameters.recheckMonths);
    if (!months) return undefined;
    due = addMonths(day, months);
  }
  const dueAt = startOfChinaDay(due);
  await scheduleWorkflow({ caseId: input.caseId, workflow: 'Recheck', dueAt, input: { mode: 'regular' } });
  return { due, dueAt };
}

// ── 家庭成员死亡：死亡后3个月内核查 ───────────────────────────────────────────────────────────────

export interface DeathReport {
  caseId: string;
  /** The monitoring warning that reported it: names the move, so a re-delivered warning moves nothing twice. */
  warningId: string;
  /** The date of death the department recorded. */
  eventDate: string;
  /** The department whose feed reported it (卫生健康部门). */
  source: Department;
  recordId?: string | null;
}

export type DeathRecheck =
  /** The pending recheck was due later: it is now due on `due` (it was due on `from`). */
  | { outcome: 'moved'; due: string; from: string }
  /** The case had no pending recheck: one is scheduled for `due`. */
  | { outcome: 'scheduled'; due: string }
  /** The pending recheck is due on or before `due` already (or a recheck falls on that very day). */
  | { outcome: 'unchanged'; due: string }
  /** A recheck is underway: it is the recheck after the death, and schedules the next one itself. */
  | { outcome: 'underway' }
  /** Not a case in assistance whose tier is rechecked (see `deathTriggersRecheck`). */
  | { outcome: 'notApplicable' };

const regular = (s: Schedule) => (s.input.mode ?? 'regular') === 'regular';

/**
 * Whether the case's last recheck has not concluded yet: started by the sweeper, and either not yet
 * assessed or assessed and not yet concluded (awaiting a confirmation or a hearing). Read from the
 * recheck's own record, not from Step Functions: monitoring is deployed apart from casework.
 */
async function recheckUnderway(caseId: string): Promise<boolean> {
  const last = (await schedulesOf(caseId, 'Recheck')).filter((s) => s.status === 'started').at(-1);
  if (!last?.executionArn) return false;
  const record = await lifecycle.getRecheck<{ concluded?: unknown }>(
    caseId,
    stableId('recheck', last.executionArn),
  );
  return !record?.concluded;
}

/**
 * A member of a household in assistance died (a `death` warning of 动态监测): its next 定期核查 is due
 * within the region's `timeLimits.deathRecheckMonths` of the date of death. A pending recheck due later is brought forward
 * (replaced, never doubled); a case without one gets one; either is recorded on the case's chain and as
 * the case's `nextRecheckDue`. Idempotent: the moved schedule names the warning, so a repeat — a retried
 * batch, the same feed again — finds it due already and only completes what a failure may have left
 * unrecorded.
 */
export async function recheckAfterDeath(report: DeathReport): Promise<DeathRecheck> {
  const { caseId, warningId } = report;
  const item = await lifecycle.getCaseItem(caseId);
  if (!item || !deathTriggersRecheck(item)) return { outcome: 'notApplicable' };
  // The household's region and residence resolve the period: the case records the one, its
  // declaration the other.
  const household = await householdOf(item);
  const today = chinaDate();
  const months = household
    ? (await parametersFor(item.regionCode, household.declaration.residence, today)).timeLimits
        .deathRecheckMonths
    : DEFAULT_DEATH_RECHECK_MONTHS;
  const { deadline, due: dueDay } = deathRecheckDue(report.eventDate, today, months);
  let due = dueDay;
  const dueAt = startOfChinaDay(due);

  let result: DeathRecheck;
  const moved = await bringForward(caseId, 'Recheck', dueAt, { match: regular, cause: warningId });
  switch (moved.outcome) {
    case 'moved':
      result = { outcome: 'moved', due, from: chinaDate(new Date(moved.from.dueAt)) };
      break;
    case 'unchanged': {
      const pending = moved.pending;
      due = chinaDate(new Date(pending.dueAt));
      // Not this warning's doing: a recheck is due that soon already.
      if (pending.cause !== warningId) return { outcome: 'unchanged', due };
      // This warning moved or scheduled it already (a repeat): finish recording it.
      result = pending.movedFrom
        ? { outcome: 'moved', due, from: chinaDate(new Date(pending.movedFrom)) }
        : { outcome: 'scheduled', due };
      break;
    }
    case 'taken':
      return { outcome: 'unchanged', due };
    case 'none': {
      if (await recheckUnderway(caseId)) {
        logger.info('death reported while a recheck is underway', { caseId, warningId });
        return { outcome: 'underway' };
      }
      await scheduleWorkflow({
        caseId,
        workflow: 'Recheck',
        dueAt,
        input: { mode: 'regular' },
        cause: warningId,
      });
      result = { outcome: 'scheduled', due };
      break;
    }
  }

  const reported = `家庭成员死亡（${departmentLabels[report.source]}登记于 ${report.eventDate}）`;
  const when =
    due === deadline
      ? `死亡后${months}个月内核查`
      : `死亡后${months}个月内核查，期限 ${deadline} 已过，即日核查`;
  await appendAudit(caseId, {
    key: `recheck.advanced#${warningId}`,
    actor: SYSTEM,
    action: 'recheck.advanced',
    summary:
      result.outcome === 'moved'
        ? `${reported}：定期核查由 ${result.from} 提前至 ${due}（${when}）`
        : `${reported}：安排定期核查于 ${due}（${when}）`,
    refs: {
      warningId,
      ...(report.recordId ? { recordId: report.recordId } : {}),
      due,
      ...(result.outcome === 'moved' ? { from: result.from } : {}),
    },
  });
  if (item.nextRecheckDue !== due) await lifecycle.updateCase(caseId, { nextRecheckDue: due });
  return result;
}
