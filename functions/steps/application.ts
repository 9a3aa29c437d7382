/**
 * Activities of the application workflow. Each is idempotent: the workflow may run a step again
 * (a Lambda retry, a replay after a crash) and the second run finds the first one's record.
 */
import { createHash } from 'node:crypto';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { appendAudit, auditNotice, auditTaskEscalated, auditTaskOpened, SYSTEM } from '../../shared/audit.ts';
import { sendTyped, sfn } from '../../shared/clients.ts';
import { deliverOnOpen } from '../../shared/decision-delivery.ts';
import type { Notice } from '../../shared/domain/cases.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import {
  type CountyHomeCheck,
  drawValue,
  reviewDeadline,
  TEKUN_DRAW_METHOD,
} from '../../shared/domain/deadlines.ts';
import {
  decideAlternative,
  decideOutcome,
  endOfChinaDay,
  nextRecheckDue,
  publicNoticeEnd,
  SUPERVISION_WORKING_DAYS,
  secondsUntil,
} from '../../shared/domain/determination.ts';
import { firstMonth } from '../../shared/domain/entitlements.ts';
import { applicationTaskId, stableId } from '../../shared/domain/ids.ts';
import { publicationOf } from '../../shared/domain/publication.ts';
import {
  answerSpecialRequests,
  type SpecialRule,
  specialAssistanceFor,
} from '../../shared/domain/special-assistance.ts';
import { opinionOf } from '../../shared/domain/tasks.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import type { ParameterSet } from '../../shared/parameters/index.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { recordBenefitPeriod } from '../../shared/repositories/payments.ts';
import { publishApproval } from '../../shared/repositories/publication.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { memberIndexes, relatedTo } from '../../shared/repositories/relatives.ts';
import { caseworkerQueue, supervisorQueue } from '../../shared/resources.ts';
import { meansTest as runMeansTest, type Tier, tierLabels } from '../../shared/rules/index.ts';
import { recordSpecialAssistance } from '../../shared/special-assistance.ts';
import { scheduleFirstRecheck } from './recheck.ts';

export class ApplicationNotFound extends Error {
  override name = 'ApplicationNotFound';
}

export class TaskNotFound extends Error {
  override name = 'TaskNotFound';
}

async function load(applicationId: string): Promise<cases.ApplicationRecord> {
  const app = await cases.getApplication(applicationId);
  if (!app) throw new ApplicationNotFound(`application ${applicationId} does not exist`);
  return app;
}

/** The parameters in force today for the application's region and residence. */
async function parametersToday(app: cases.ApplicationRecord, day = chinaDate()): Promise<ParameterSet> {
  return parametersFor(app.regionCode, app.declaration.residence, day);
}

const notify = sendTyped;

/**
 * 家庭经济状况核查 with the parameters in force on the day of the application, and who will decide
 * (社会救助法第四十四条): the workflow routes the township's result by it.
 */
export async function meansTest(event: {
  applicationId: string;
}): Promise<{ meansTest: cases.MeansTestSummary; decisionLevel: cases.DecisionLevel }> {
  const app = await load(event.applicationId);
  if (app.meansTest) return { meansTest: app.meansTest, decisionLevel: app.decisionLevel ?? 'county' };
  const asOf = chinaDate(new Date(app.submittedAt));
  const { declaration } = app;
  const parameters = await parametersFor(declaration.regionCode, declaration.residence, asOf);
  const result = runMeansTest(declaration, {
    asOf,
    requestedTier: declaration.requestedTier,
    parameters,
  });
  const summary = cases.meansTestSummary(result);
  // The recheck interval of the alternative tier: the alternative is always the household's own
  // classification, which is what the means test decides when no tier is requested.
  const recheckMonths: Record<string, number | null> = { [result.tier]: result.recheckIntervalMonths };
  if (result.alternative) {
    const unrequested = runMeansTest(declaration, { asOf, parameters });
    if (unrequested.tier === result.alternative.tier)
      recheckMonths[result.alternative.tier] = unrequested.recheckIntervalMonths;
  }
  // 审核确认时限 from acceptance (57号 第二十二条), tracked with the application; where the province
  // has the township decide, its own shorter total.
  const authority = parameters.decisionAuthority;
  const days =
    authority.level === 'township' ? authority.reviewWorkingDays : parameters.timeLimits.reviewWorkingDays;
  const cal = await calendar();
  const due = cal.provisionalDeadline(asOf, days);
  // 启动调查 within 3 working days of acceptance (57号 第十五条).
  const startBy = cal.provisionalDeadline(asOf, parameters.timeLimits.investigationStartWorkingDays);
  for (const d of [due, startBy]) if (d.provisional) recordCalendarFallback(d.assumedYears);
  await cases.recordMeansTest(
    app.applicationId,
    summary,
    recheckMonths,
    reviewDeadline(asOf, days, due, startBy),
    authority.level,
  );
  await registerIfRelated(app, await memberIndexes(declaration.members));
  return { meansTest: summary, decisionLevel: authority.level };
}

/**
 * 单独登记备案 (民发〔2021〕57号 第十一条): once a member of an accepted application is found to be a
 * declared close relative of a caseworker or of a village/community committee member — at acceptance,
 * or when a task opens after a later declaration — the application is registered separately, once,
 * and the case's chain says so. Answers what was found.
 */
async function registerIfRelated(app: cases.ApplicationRecord, indexes: string[]) {
  const related = await relatedTo(indexes);
  const { staff, committee } = related;
  if (staff.length + committee.length === 0) return related;
  const register = app.relativesRegister ?? {
    registeredAt: new Date().toISOString(),
    staff: staff.length,
    committee: committee.length,
  };
  if (!app.relativesRegister) await cases.registerRelatives(app.applicationId, register);
  const who = [
    ...(register.staff ? ['最低生活保障经办人员'] : []),
    ...(register.committee ? ['村（居）民委员会成员'] : []),
  ].join('、');
  // Keyed by the application: a repeat, or a later task finding the same, appends nothing.
  await appendAudit(app.caseId, {
    key: `application.relativesRegistered#${app.applicationId}`,
    actor: SYSTEM,
    action: 'application.relativesRegistered',
    summary: `共同生活家庭成员与${who}有近亲属关系，单独登记备案（民发〔2021〕57号第十一条）`,
    refs: { applicationId: app.applicationId },
  });
  return related;
}

/**
 * A review reopened after its refusal was revoked (社会救助法第七十六条): it resumes on the means
 * test the review found and, for the county, on the township's last opinion before the refusal.
 */
export async function reopenDetermination(event: { applicationId: string }) {
  const app = await load(event.applicationId);
  const revoked = app.revokedDeterminations?.at(-1);
  if (!revoked || !app.meansTest || app.determination)
    throw new Error(`application ${app.applicationId} has no revoked determination to reopen`);
  const decisionLevel = app.decisionLevel ?? 'county';
  // The county decides on the township's opinion (第四十四条): a county-level refusal always had one.
  if (decisionLevel === 'county' && !revoked.townshipReview)
    throw new Error(`application ${app.applicationId}: no township opinion to decide on again`);
  return { meansTest: { result: app.meansTest, decisionLevel }, townshipReview: revoked.townshipReview };
}

/** The review this execution reopened, for its tasks: the appeal and its outcome. */
function reopenedBy(app: cases.ApplicationRecord, executionArn: string) {
  const revoked = app.revokedDeterminations?.at(-1);
  // Any execution but the one that made the revoked determination (which has ended) is the reopening.
  if (!revoked || revoked.executionArn === executionArn) return undefined;
  return { revoked, reopened: { appealId: revoked.appealId, summary: revoked.appealSummary } };
}

/**
 * What the other level said before this task (社会救助法第四十四条): a county determination shows the
 * township's opinion of the same round; a township review after a county return shows why the
 * county did not accept the proposed refusal.
 */
async function opinionsFor(
  event: OpenTaskEvent,
  app: cases.ApplicationRecord,
): Promise<Pick<cases.TaskRecord, 'proposal' | 'returned'>> {
  if (event.kind === 'countyDetermination') {
    const township = await cases.getApplicationTask(
      applicationTaskId(event.executionArn, 'townshipReview', event.round),
    );
    // A reopened review comes to the county without a township task of its own: the last opinion.
    const opinion =
      opinionOf(township) ?? reopenedBy(app, event.executionArn)?.revoked.townshipReview ?? undefined;
    const proposesRefusal =
      opinion &&
      (opinion.decision === 'reject' || (opinion.decision === 'approve' && !event.meansTest.eligible));
    return proposesRefusal ? { proposal: opinion } : {};
  }
  if (event.round === 1) return {};
  const county = await cases.getApplicationTask(
    applicationTaskId(event.executionArn, 'countyDetermination', event.round - 1),
  );
  const opinion = opinionOf(county);
  return opinion?.decision === 'approve' ? { returned: opinion } : {};
}

/** When a human task is due, in the forms the workflow and the task record need. */
export interface TaskDue {
  taskId: string;
  dueDate: string;
  dueDateProvisional: boolean;
  /** The instant the due date ends; the workflow's token task times out then. */
  dueAt: string;
  /** Seconds from now to `dueAt`: the token task's `TimeoutSecondsPath`. */
  timeoutSeconds: number;
  escalations: number;
}

/** 特困 has its own stages (43号 第十三条、第十六条: 15 working days each); the other tiers the 低保 ones. */
const workingDaysFor = (kind: cases.TaskKind, p: ParameterSet, requestedTier: string) => {
  const tekun = requestedTier === 'tekun';
  if (kind === 'townshipReview')
    return tekun ? p.timeLimits.tekunTownshipWorkingDays : p.timeLimits.townshipReviewWorkingDays;
  return tekun ? p.timeLimits.tekunCountyWorkingDays : p.timeLimits.determinationWorkingDays;
};

/**
 * Whether the county checks the household itself before deciding (`CountyHomeCheck`): a 特困
 * application drawn in the random check, or a household a member of which staff declared a relative.
 */
async function countyHomeCheck(
  app: cases.ApplicationRecord,
  related: Awaited<ReturnType<typeof relatedTo>>,
  share: number,
): Promise<CountyHomeCheck> {
  const reasons: CountyHomeCheck['reasons'] = [];
  let draw: CountyHomeCheck['draw'];
  if (app.requestedTier === 'tekun') {
    const value = drawValue(
      createHash('sha256').update(`${app.regionCode}|${app.applicationId}`).digest('hex'),
    );
    draw = { value: Math.floor(value * 10_000) / 10_000, share, method: TEKUN_DRAW_METHOD };
    if (value < share) reasons.push('tekunDraw');
  }
  if (related.staff.length > 0) reasons.push('relative');
  if (related.committee.length > 0) reasons.push('committeeRelative');
  return { required: reasons.length > 0, reasons, ...(draw ? { draw } : {}) };
}

function dueOf(taskId: string, dueDate: string, provisional: boolean, escalations: number): TaskDue {
  const dueAt = endOfChinaDay(dueDate);
  return {
    taskId,
    dueDate,
    dueDateProvisional: provisional,
    dueAt,
    timeoutSeconds: secondsUntil(dueAt, new Date()),
    escalations,
  };
}

/**
 * Plans a human task before the workflow waits on it: its id (one per application, kind and
 * review round, so a retry or an escalation finds the same task) and its working-day deadline.
 */
export async function planTask(event: {
  applicationId: string;
  executionArn: string;
  kind: cases.TaskKind;
  round: number;
}): Promise<TaskDue> {
  const taskId = applicationTaskId(event.executionArn, event.kind, event.round);
  const existing = await cases.getApplicationTask(taskId);
  if (existing) {
    return dueOf(
      taskId,
      existing.dueDate,
      existing.dueDateProvisional === true,
      existing.escalations?.length ?? 0,
    );
  }
  const app = await load(event.applicationId);
  const today = chinaDate();
  const parameters = await parametersToday(app, today);
  const due = (await calendar()).provisionalDeadline(
    today,
    workingDaysFor(event.kind, parameters, app.requestedTier),
  );
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  return dueOf(taskId, due.deadline, due.provisional, 0);
}

export interface OpenTaskEvent {
  taskToken: string;
  executionArn: string;
  kind: cases.TaskKind;
  round: number;
  task: TaskDue;
  applicationId: string;
  caseId: string;
  regionCode: string;
  meansTest: cases.MeansTestSummary;
}

/**
 * Records a human task with its current token and, when it is new, notifies the caseworkers'
 * queue (ids and the due date only — caseworkers read the case itself through the API). Waiting
 * again on a task after an escalation hands it the new token; if the caseworker decided while the
 * old token was lapsing, that decision is delivered now with the new one.
 */
export async function openTask(event: OpenTaskEvent): Promise<{ taskId: string }> {
  const app = await load(event.applicationId);
  const objections =
    event.kind === 'townshipReview' && event.round > 1
      ? (app.objections ?? [])
          .filter((o) => o.round === event.round - 1)
          .map(({ reason, raisedAt }) => ({ reason, raisedAt }))
      : [];
  const indexes = await memberIndexes(app.declaration.members);
  // A relative declared after acceptance is registered when the next task opens; the county's task
  // reads the relations anyway (its home check), a township's only while nothing is registered.
  const county = event.kind === 'countyDetermination';
  const related = county || !app.relativesRegister ? await registerIfRelated(app, indexes) : undefined;
  const homeCheck =
    county && related
      ? await countyHomeCheck(
          app,
          related,
          (await parametersToday(app, chinaDate(new Date(app.submittedAt)))).timeLimits.tekunHomeCheckShare,
        )
      : undefined;
  const opinions = await opinionsFor(event, app);
  const reopened = reopenedBy(app, event.executionArn)?.reopened;
  const { created, task } = await cases.openTask({
    taskId: event.task.taskId,
    kind: event.kind,
    status: 'open',
    round: event.round,
    applicationId: event.applicationId,
    caseId: event.caseId,
    township: event.regionCode,
    taskToken: event.taskToken,
    executionArn: event.executionArn,
    createdAt: new Date().toISOString(),
    dueDate: event.task.dueDate,
    ...(event.task.dueDateProvisional ? { dueDateProvisional: true } : {}),
    meansTest: event.meansTest,
    ...(objections.length ? { objections } : {}),
    ...(homeCheck ? { homeCheck } : {}),
    ...opinions,
    ...(reopened ? { reopened } : {}),
    memberIndexes: indexes,
  });
  await auditTaskOpened(task);
  if (task.status === 'decided' && task.decision) {
    await deliverOnOpen(task.taskId, event.taskToken, task.decision);
    return { taskId: task.taskId };
  }
  // At least once: a retry after a failed send sends again, and consumers tell repeats by taskId.
  if (created || task.taskToken === event.taskToken) {
    if (created || !task.escalations?.length) {
      await notify(caseworkerQueue.env, 'taskOpened', {
        taskId: task.taskId,
        kind: task.kind,
        township: task.township,
        caseId: task.caseId,
        dueDate: task.dueDate,
      });
    }
  }
  return { taskId: task.taskId };
}

/**
 * 督办: a human task passed its due date. Marks it escalated with the supervisor's new due date,
 * tells the supervisors' queue, and gives the workflow the new deadline to wait on.
 */
export async function escalateTask(event: { applicationId: string; task: TaskDue }): Promise<TaskDue> {
  const current = await cases.getApplicationTask(event.task.taskId);
  if (!current) throw new TaskNotFound(`task ${event.task.taskId} does not exist`);
  const escalatedAt = new Date().toISOString();
  const due = (await calendar()).provisionalDeadline(chinaDate(), SUPERVISION_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const task =
    (await cases.escalateTask(
      current.taskId,
      { escalatedAt, overdueSince: event.task.dueDate, newDueDate: due.deadline },
      { dueDate: due.deadline, dueDateProvisional: due.provisional },
    )) ?? current;
  const escalation = task.escalations?.find((e) => e.overdueSince === event.task.dueDate);
  if (escalation) {
    await auditTaskEscalated(task, escalation);
    await notify(supervisorQueue.env, 'taskEscalated', {
      taskId: task.taskId,
      kind: task.kind,
      township: task.township,
      caseId: task.caseId,
      overdueSince: escalation.overdueSince,
      newDueDate: escalation.newDueDate,
      escalation: task.escalations!.indexOf(escalation) + 1,
    });
  }
  return dueOf(task.taskId, task.dueDate, task.dueDateProvisional === true, task.escalations?.length ?? 0);
}

/**
 * 公示: publishes the proposed result of a review round until the end of the last day of the
 * notice period (calendar days, moved off a rest day), and tells the workflow when to look again.
 */
export async function openPublicNotice(event: {
  applicationId: string;
  round: number;
}): Promise<cases.PublicNoticeRecord> {
  const app = await load(event.applicationId);
  if (app.publicNotice?.round === event.round) return app.publicNotice;
  const today = chinaDate();
  const parameters = await parametersToday(app, today);
  const end = publicNoticeEnd(await calendar(), today, parameters.timeLimits.publicNoticeDays);
  if (end.provisional) recordCalendarFallback(end.assumedYears);
  const notice: cases.PublicNoticeRecord = {
    round: event.round,
    startsOn: today,
    endsOn: end.deadline,
    ...(end.provisional ? { endsOnProvisional: true } : {}),
    endsAt: endOfChinaDay(end.deadline),
    status: 'open',
  };
  const stored = await cases.openPublicNotice(app.applicationId, notice);
  const published = stored.publicNotice ?? notice;
  await appendAudit(app.caseId, {
    key: `publicNotice.opened#${app.applicationId}#${event.round}`,
    actor: SYSTEM,
    action: 'publicNotice.opened',
    summary: `第${event.round}轮公示：${published.startsOn}至${published.endsOn}`,
    refs: { applicationId: app.applicationId, endsOn: published.endsOn },
  });
  return published;
}

/**
 * The notice period is over: closes the notice (later objections are refused) and says whether
 * any objection came in. An objection sends the case back to investigation for another round.
 */
export async function closePublicNotice(event: {
  applicationId: string;
  round: number;
}): Promise<{ objected: boolean; objections: number; nextRound: number }> {
  const app = await cases.closePublicNotice(event.applicationId, event.round, new Date().toISOString());
  const objections = (app.objections ?? []).filter((o) => o.round === event.round).length;
  await cases.markNoticeObjected(event.applicationId, event.round, objections > 0);
  await appendAudit(app.caseId, {
    key: `publicNotice.closed#${app.applicationId}#${event.round}`,
    actor: SYSTEM,
    action: 'publicNotice.closed',
    summary: objections
      ? `第${event.round}轮公示期满，收到异议${objections}件，退回乡镇（街道）重新调查`
      : `第${event.round}轮公示期满，无异议`,
    refs: { applicationId: app.applicationId },
  });
  return { objected: objections > 0, objections, nextRound: event.round + 1 };
}

export interface DeterminationEvent {
  applicationId: string;
  caseId: string;
  executionArn: string;
  meansTest: cases.MeansTestSummary;
  review?: cases.TaskDecision;
  /** With the county's determination: the township's opinion it decided on. */
  proposal?: cases.TaskDecision;
  stage?: 'township' | 'county';
  failure?: { Error: string; Cause: string };
}

/** 确认 and the written notice (书面告知), recorded together and once. */
export async function recordDetermination(event: DeterminationEvent) {
  const app = await load(event.applicationId);
  if (app.determination) {
    // A replay after a crash between recording and the steps after it still does them, once.
    if (app.notice) await auditNotice(app.caseId, app.notice, { applicationId: app.applicationId });
    await followDetermination(app, app.determination);
    return {
      outcome: app.determination.outcome,
      noticeId: app.notice?.noticeId,
      alternativeOffered: app.consent !== undefined,
    };
  }
  const decidedAt = event.review?.decidedAt ?? new Date().toISOString();
  const parameters = await parametersToday(app, chinaDate(new Date(decidedAt)));
  const decided = decideOutcome({
    noticeId: stableId('notice', event.executionArn, 'determination'),
    meansTest: event.meansTest,
    review: event.review,
    proposal: event.proposal,
    stage: event.stage,
    failure: event.failure,
    decidedAt,
    calendar: await calendar(),
    parameters,
  });
  const { determination, alternativeOffered } = decided;
  const notice = withSpecialAnswers(decided.notice, app, determination, parameters);
  if (notice.serveByProvisional) recordCalendarFallback([Number(notice.serveBy.slice(0, 4))]);
  const due =
    determination.outcome === 'approved' && determination.tier
      ? nextRecheckDue(decidedAt, app.recheckMonths?.[determination.tier])
      : undefined;
  const alternative = event.meansTest.alternative;
  const recorded = due ? { ...determination, nextRecheckDue: due } : determination;
  await cases.recordDetermination(
    app.applicationId,
    app.caseId,
    recorded,
    notice,
    alternativeOffered && alternative
      ? {
          offeredTier: alternative.tier,
          offeredMonthlyAmount: alternative.monthlyAmount,
          offeredAt: decidedAt,
          status: 'offered',
        }
      : undefined,
  );
  await auditNotice(app.caseId, notice, { applicationId: app.applicationId });
  await followDetermination(app, recorded);
  return { outcome: determination.outcome, noticeId: notice.noticeId, alternativeOffered };
}

/**
 * 一次申请、分类审核认定: the notice answers each special-assistance item the household asked for,
 * from what the determined tier entitles its members to under the region's table.
 */
function withSpecialAnswers<N extends Notice<string>>(
  notice: N,
  app: cases.ApplicationRecord,
  determination: { outcome: string; tier?: string | null },
  parameters: { specialAssistance: readonly SpecialRule[] },
): N {
  const requests = app.declaration.specialRequests ?? [];
  if (!requests.length) return notice;
  const approved = determination.outcome === 'approved' && !!determination.tier;
  const grants = approved
    ? specialAssistanceFor(app.declaration, determination.tier!, parameters.specialAssistance)
    : [];
  const specialAnswers = answerSpecialRequests(
    requests,
    { approved, tierLabel: determination.tier ? tierLabels[determination.tier as Tier] : undefined },
    grants,
    app.declaration.members.map((m) => m.name),
  );
  return { ...notice, specialAnswers };
}

/**
 * What follows a determination, each once however often it runs: an approval is published where
 * the household lives (社会救助法第四十五条) and its first 定期核查 goes into the due-date index, on
 * the date the determination names; every determination updates the low-income register.
 */
async function followDetermination(
  app: cases.ApplicationRecord,
  determination: {
    outcome: string;
    tier?: string | null;
    monthlyAmount?: number | null;
    nextRecheckDue?: string;
    decidedAt?: string;
  },
) {
  if (determination.outcome === 'approved' && determination.tier) {
    const decidedAt = determination.decidedAt ?? new Date().toISOString();
    const decidedOn = chinaDate(new Date(decidedAt));
    const parameters = await parametersToday(app, decidedOn);
    await publishApproval(
      publicationOf({
        caseId: app.caseId,
        regionCode: app.regionCode,
        declaration: app.declaration,
        tier: determination.tier,
        tierLabel: tierLabels[determination.tier as Tier] ?? determination.tier,
        monthlyAmount: determination.monthlyAmount ?? null,
        decidedOn,
        days: parameters.timeLimits.publicationDays,
      }),
    );
    // From the month the province pays from (the next, by 57号第二十一条), at the amount decided.
    await recordBenefitPeriod({
      caseId: app.caseId,
      cause: 'determination',
      from: firstMonth('determination', decidedAt, parameters.paymentStart),
      status: 'active',
      tier: determination.tier,
      monthlyAmount: determination.monthlyAmount ?? null,
      decidedAt,
      ref: app.applicationId,
      regionCode: app.regionCode,
      residence: app.declaration.residence,
      ...(app.meansTest ? { parameterVersion: app.meansTest.parameterVersion } : {}),
    });
    // What the tier entitles the members to beyond the money (社会救助法第二十四至二十七条).
    await recordSpecialAssistance({
      caseId: app.caseId,
      cause: 'determination',
      decidedAt,
      tier: determination.tier,
      household: app.declaration,
    });
    if (determination.nextRecheckDue)
      await scheduleFirstRecheck({
        caseId: app.caseId,
        tier: determination.tier,
        determinedAt: decidedAt,
        regionCode: app.regionCode,
        residence: app.declaration.residence,
        due: determination.nextRecheckDue,
      });
  }
  await registerCase(app.caseId, 'determination', app.applicationId); // 低收入人口名单 (monitoring)
}

/**
 * The workflow waits for the applicant's answer to the offer of another tier: the token goes on the
 * application, where `POST /applications/{id}/consent` finds it. An answer given before the token
 * arrived is delivered now.
 */
export async function openConsent(event: { taskToken: string; applicationId: string }) {
  const app = await cases.attachConsentToken(event.applicationId, event.taskToken);
  const consent = app.consent!;
  if (consent.status === 'given' || consent.status === 'declined') {
    await sfn().send(
      new SendTaskSuccessCommand({
        taskToken: event.taskToken,
        output: JSON.stringify({ consent: consent.status === 'given', answeredAt: consent.answeredAt }),
      }),
    );
  }
  return { applicationId: app.applicationId, status: consent.status };
}

/**
 * The wait ended without a delivered answer: the offer lapses and the refusal stands — unless an
 * answer was recorded and its delivery cut short, which then decides as if it had arrived.
 */
export async function lapseConsent(event: { applicationId: string }) {
  const consent = await cases.lapseConsent(event.applicationId, new Date().toISOString());
  return {
    applicationId: event.applicationId,
    status: consent.status,
    consent: consent.status === 'given',
    answeredAt: consent.answeredAt,
  };
}

/** 经申请人同意，按其他类别认定: recorded once, with the new notice and the first recheck date. */
export async function determineAlternative(event: {
  applicationId: string;
  caseId: string;
  executionArn: string;
}) {
  const app = await load(event.applicationId);
  const alternative = app.meansTest?.alternative;
  if (!alternative || app.consent?.status !== 'given') {
    throw new Error(`application ${event.applicationId} has no consented alternative`);
  }
  if (app.consent.determinedAt) {
    if (app.determination) await followDetermination(app, app.determination);
    return { outcome: 'approved', tier: alternative.tier, noticeId: app.notice?.noticeId };
  }
  const decidedAt = new Date().toISOString();
  const cal = await calendar();
  const parameters = await parametersToday(app, chinaDate(new Date(decidedAt)));
  const { determination, notice } = decideAlternative({
    noticeId: stableId('notice', event.executionArn, 'alternative'),
    alternative,
    requestedTier: app.requestedTier,
    decidedAt,
    calendar: cal,
    parameters,
  });
  if (notice.serveByProvisional) recordCalendarFallback([Number(notice.serveBy.slice(0, 4))]);
  const due = nextRecheckDue(decidedAt, app.recheckMonths?.[alternative.tier]);
  const recorded = due ? { ...determination, nextRecheckDue: due } : determination;
  await cases.recordAlternativeDetermination(app.applicationId, app.caseId, recorded, notice);
  await auditNotice(app.caseId, notice, { applicationId: app.applicationId });
  await followDetermination(app, recorded);
  return { outcome: 'approved', tier: alternative.tier, noticeId: notice.noticeId };
}
