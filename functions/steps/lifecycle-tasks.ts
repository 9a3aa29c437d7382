/**
 * Human tasks of the recheck and emergency workflows (复核确认, 临时救助补办手续), shaped like the
 * application's: a plan step fixes the task id and its working-day due date, the open step records
 * the task with the workflow's token and tells the caseworkers' queue, and when the due date passes
 * the escalation step reports it to the supervisors with a new due date and the workflow waits
 * again. Caseworkers decide through `POST /tasks/{taskId}/decision` like any other task.
 */

import { auditTaskEscalated, auditTaskOpened } from '../../shared/audit.ts';
import { sendTyped } from '../../shared/clients.ts';
import { deliverOnOpen } from '../../shared/decision-delivery.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  EMERGENCY_GRANT_WORKING_DAYS,
  endOfChinaDay,
  SUPERVISION_WORKING_DAYS,
  secondsUntil,
} from '../../shared/domain/lifecycle.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import type { Residence } from '../../shared/parameters/index.ts';
import type { MeansTestSummary } from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { memberIndexes } from '../../shared/repositories/relatives.ts';
import { caseworkerQueue, supervisorQueue } from '../../shared/resources.ts';

export interface TaskDue {
  taskId: string;
  dueDate: string;
  dueDateProvisional: boolean;
  /** The instant the due date ends; the token task times out then. */
  dueAt: string;
  /** Seconds from now to `dueAt`: the token task's `TimeoutSecondsPath`. */
  timeoutSeconds: number;
  escalations: number;
  /** 1, or 2 for the review of what a hearing brought (a task of its own, with an id of its own). */
  round?: number;
}

const dueOf = (
  taskId: string,
  dueDate: string,
  provisional: boolean,
  escalations: number,
  round?: number,
): TaskDue => {
  const dueAt = endOfChinaDay(dueDate);
  return {
    taskId,
    dueDate,
    dueDateProvisional: provisional,
    dueAt,
    timeoutSeconds: secondsUntil(dueAt, new Date()),
    escalations,
    ...(round !== undefined && round > 1 ? { round } : {}),
  };
};

const notify = sendTyped;

/**
 * The task's id (one per execution and kind) and due date. A recheck confirmation is the township's
 * review of changed circumstances: the township review limit. An emergency's grant is decided within
 * a working day (先行救助 is for what cannot wait). Emergency paperwork completes the determination of
 * an aid already paid, and the county's assessment of what was asked beyond it is a determination:
 * both the determination limit (no parameter names either).
 */
export async function planTask(event: {
  executionArn: string;
  kind: lifecycle.LifecycleTaskKind;
  regionCode: string;
  residence: Residence;
  round?: number;
}): Promise<TaskDue> {
  const round = event.round ?? 1;
  const taskId =
    round === 1
      ? stableId('task', event.executionArn, event.kind)
      : stableId('task', event.executionArn, event.kind, String(round));
  const existing = await lifecycle.getLifecycleTask(taskId);
  if (existing)
    return dueOf(
      taskId,
      existing.dueDate,
      existing.dueDateProvisional === true,
      existing.escalations?.length ?? 0,
      round,
    );
  const today = chinaDate();
  const { timeLimits } = await parametersFor(event.regionCode, event.residence, today);
  const days = {
    recheckConfirmation: timeLimits.townshipReviewWorkingDays,
    // 43号 第二十六条: the county decides on objections to an end notice within 15 working days.
    endNoticeReview: timeLimits.tekunCountyWorkingDays,
    emergencyGrant: EMERGENCY_GRANT_WORKING_DAYS,
    emergencyPaperwork: timeLimits.determinationWorkingDays,
    // 支出型 by the ordinary procedure: the township's review has the township's time.
    emergencyReview: timeLimits.townshipReviewWorkingDays,
    emergencyAssessment: timeLimits.determinationWorkingDays,
  }[event.kind];
  const due = (await calendar()).provisionalDeadline(today, days);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  return dueOf(taskId, due.deadline, due.provisional, 0, round);
}

/** What the workflow's earlier step prepared for the caseworker. */
export interface TaskDetail {
  applicationId: string;
  township: string;
  meansTest: MeansTestSummary;
  recheck?: lifecycle.LifecycleTask['recheck'];
  emergency?: lifecycle.LifecycleTask['emergency'];
  hearing?: lifecycle.LifecycleTask['hearing'];
  objections?: lifecycle.LifecycleTask['objections'];
}

/** The household's members as last declared: an emergency's request, else the case's latest declaration or application. */
async function membersOfCase(caseId: string): Promise<Array<{ idNumber: string }>> {
  const item = await lifecycle.getCaseItem(caseId);
  if (!item) return [];
  if (item.kind === 'emergency' && item.emergencyId)
    return (await lifecycle.getEmergency(item.emergencyId))?.request.members ?? [];
  const declared = await lifecycle.latestDeclaration(caseId);
  if (declared) return declared.declaration.members;
  return (await lifecycle.determinedApplication(item))?.declaration.members ?? [];
}

/**
 * Records the task with the workflow's current token. New: the caseworkers' queue hears of it. Decided
 * while an earlier token was lapsing: the decision is delivered now with the current token.
 */
export async function openTask(event: {
  taskToken: string;
  executionArn: string;
  kind: lifecycle.LifecycleTaskKind;
  caseId: string;
  task: TaskDue;
  detail: TaskDetail;
}): Promise<{ taskId: string }> {
  const { detail } = event;
  const { created, task } = await lifecycle.openLifecycleTask({
    taskId: event.task.taskId,
    kind: event.kind,
    status: 'open',
    round: event.task.round ?? 1,
    applicationId: detail.applicationId,
    caseId: event.caseId,
    township: detail.township,
    taskToken: event.taskToken,
    executionArn: event.executionArn,
    createdAt: new Date().toISOString(),
    dueDate: event.task.dueDate,
    ...(event.task.dueDateProvisional ? { dueDateProvisional: true } : {}),
    meansTest: detail.meansTest,
    ...(detail.recheck ? { recheck: detail.recheck } : {}),
    ...(detail.emergency ? { emergency: detail.emergency } : {}),
    ...(detail.hearing ? { hearing: detail.hearing } : {}),
    ...(detail.objections?.length ? { objections: detail.objections } : {}),
    memberIndexes: await memberIndexes(await membersOfCase(event.caseId)),
  });
  await auditTaskOpened(task);
  if (task.status === 'decided' && task.decision) {
    await deliverOnOpen(task.taskId, event.taskToken, task.decision);
    return { taskId: task.taskId };
  }
  // At least once: a retry after a failed send sends again; consumers tell repeats by taskId.
  if (created) {
    await notify(caseworkerQueue.env, 'taskOpened', {
      taskId: task.taskId,
      kind: task.kind,
      township: task.township,
      caseId: task.caseId,
      dueDate: task.dueDate,
    });
  }
  return { taskId: task.taskId };
}

/** 督办: the task passed its due date; the supervisors hear of it and the task gets a new due date. */
export async function escalateTask(event: { task: TaskDue }): Promise<TaskDue> {
  const current = await lifecycle.getLifecycleTask(event.task.taskId);
  if (!current) throw new Error(`task ${event.task.taskId} does not exist`);
  const due = (await calendar()).provisionalDeadline(chinaDate(), SUPERVISION_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const task =
    (await lifecycle.escalateLifecycleTask(
      current.taskId,
      { escalatedAt: new Date().toISOString(), overdueSince: event.task.dueDate, newDueDate: due.deadline },
      due.provisional,
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
  return dueOf(
    task.taskId,
    task.dueDate,
    task.dueDateProvisional === true,
    task.escalations?.length ?? 0,
    event.task.round ?? 1,
  );
}

/** 举报投诉 past its due date: escalated to the supervisors (`shared/complaints.ts`). */
export { escalateComplaints } from '../../shared/complaints.ts';
