/**
 * Activities of the application workflow. Each is idempotent: the workflow may run a step again
 * (a Lambda retry, a replay after a crash) and the second run finds the first one's record.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { decideOutcome } from '../../shared/domain/determination.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { caseworkerQueue } from '../../shared/resources.ts';
import { meansTest as runMeansTest } from '../../shared/rules/index.ts';

export class ApplicationNotFound extends Error {
  override name = 'ApplicationNotFound';
}

async function load(applicationId: string): Promise<cases.ApplicationRecord> {
  const app = await cases.getApplication(applicationId);
  if (!app) throw new ApplicationNotFound(`application ${applicationId} does not exist`);
  return app;
}

/** 家庭经济状况核查 with the parameters in force on the day of the application. */
export async function meansTest(event: { applicationId: string }): Promise<cases.MeansTestSummary> {
  const app = await load(event.applicationId);
  if (app.meansTest) return app.meansTest;
  const asOf = chinaDate(new Date(app.submittedAt));
  const { declaration } = app;
  const parameters = await parametersFor(declaration.regionCode, declaration.residence, asOf);
  const result = runMeansTest(declaration, {
    asOf,
    requestedTier: declaration.requestedTier,
    parameters,
  });
  const summary: cases.MeansTestSummary = {
    tier: result.tier,
    eligible: result.eligible,
    monthlyAmount: result.monthlyAmount,
    perCapitaMonthlyIncome: result.perCapitaMonthlyIncome,
    parameterVersion: result.parameterVersion,
    reasons: result.reasons.map(({ code, message, clause }) => ({ code, message, clause })),
    alternative: result.alternative
      ? { tier: result.alternative.tier, monthlyAmount: result.alternative.monthlyAmount }
      : undefined,
  };
  await cases.recordMeansTest(app.applicationId, summary);
  return summary;
}

export interface OpenTaskEvent {
  taskToken: string;
  executionArn: string;
  kind: 'townshipReview';
  applicationId: string;
  caseId: string;
  regionCode: string;
  meansTest: cases.MeansTestSummary;
}

/**
 * Records a human task with its token and notifies the caseworkers' queue. The task id derives
 * from the token, so a retry finds the task it already opened; the notification carries ids and
 * the due date only — caseworkers read the case itself through the API.
 */
export async function openTask(event: OpenTaskEvent): Promise<{ taskId: string }> {
  const taskId = stableId('task', event.taskToken);
  const today = chinaDate();
  const app = await load(event.applicationId);
  const parameters = await parametersFor(event.regionCode, app.declaration.residence, today);
  const due = (await calendar()).provisionalDeadline(today, parameters.timeLimits.townshipReviewWorkingDays);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const dueDate = due.deadline;
  const task: cases.TaskRecord = {
    taskId,
    kind: event.kind,
    status: 'open',
    applicationId: event.applicationId,
    caseId: event.caseId,
    township: event.regionCode,
    taskToken: event.taskToken,
    executionArn: event.executionArn,
    createdAt: new Date().toISOString(),
    dueDate,
    ...(due.provisional ? { dueDateProvisional: true } : {}),
    meansTest: event.meansTest,
  };
  const opened = await cases.openTask(task);
  const existing = opened ? task : ((await cases.getTask(taskId)) ?? task);
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: requiredEnv(caseworkerQueue.env),
      MessageBody: JSON.stringify({
        type: 'taskOpened',
        taskId,
        kind: existing.kind,
        township: existing.township,
        caseId: existing.caseId,
        dueDate: existing.dueDate,
      }),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'taskOpened' } },
    }),
  );
  return { taskId };
}

export interface DeterminationEvent {
  applicationId: string;
  caseId: string;
  executionArn: string;
  meansTest: cases.MeansTestSummary;
  review?: { decision: 'approve' | 'reject'; reasons: string[]; decidedAt: string; decidedBy: string };
  failure?: { Error: string; Cause: string };
}

/** 确认 and the written notice (书面告知), recorded together and once. */
export async function recordDetermination(event: DeterminationEvent) {
  const app = await load(event.applicationId);
  if (app.determination) return { outcome: app.determination.outcome, noticeId: app.notice?.noticeId };
  const decidedAt = event.review?.decidedAt ?? new Date().toISOString();
  const { determination, notice } = decideOutcome({
    noticeId: stableId('notice', event.executionArn, 'determination'),
    meansTest: event.meansTest,
    review: event.review,
    failure: event.failure,
    decidedAt,
    calendar: await calendar(),
    parameters: await parametersFor(
      app.regionCode,
      app.declaration.residence,
      chinaDate(new Date(decidedAt)),
    ),
  });
  if (notice.serveByProvisional) recordCalendarFallback([Number(notice.serveBy.slice(0, 4))]);
  await cases.recordDetermination(app.applicationId, app.caseId, determination, notice);
  return { outcome: determination.outcome, noticeId: notice.noticeId };
}
