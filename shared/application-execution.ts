/**
 * Starting an application's execution once. It is named after the application — and after the
 * appeal for a review reopened when a refusal was revoked — so a retry (a submission sent again
 * after a failure between the write and the start, a conversion step replayed, an appeal recorded
 * again) starts nothing twice, and is linked to the case under its own start date, so a retry writes
 * the same link. A submission writes its link with the application instead (`submissionLink`): the
 * name, and so the ARN, is known before the start.
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { application as applicationWorkflow } from '../workflows/application.ts';
import { sfn } from './clients.ts';
import { requiredEnv } from './config.ts';
import type { ApplicationRecord } from './domain/cases.ts';
import type { ConditionalPut } from './dynamo.ts';
import { executionLinkItem, linkExecution } from './repositories/cases.ts';
import { casesTable } from './resources.ts';

type Reopened = { appealId: string };

const executionName = (applicationId: string, reopened?: Reopened) =>
  reopened ? `${applicationId}-${reopened.appealId}`.slice(0, 80) : applicationId;

/** The ARN the application's execution has (or will have once started): names are unique per state machine. */
export const applicationExecutionArn = (applicationId: string, reopened?: Reopened) =>
  `${requiredEnv(applicationWorkflow.env).replace(':stateMachine:', ':execution:')}:${executionName(applicationId, reopened)}`;

/**
 * The case's link to a submitted application's execution and the application's pointer to it, as
 * written in the submission's transaction — before the start, dated with the submission, so that the
 * request makes one write; the start follows it at once, and a retry of the request starts it again.
 */
export function submissionLink(app: Pick<ApplicationRecord, 'applicationId' | 'caseId' | 'submittedAt'>): {
  executionArn: string;
  put: ConditionalPut;
} {
  const executionArn = applicationExecutionArn(app.applicationId);
  const item = executionLinkItem({
    caseId: app.caseId,
    executionArn,
    workflow: applicationWorkflow.id,
    startedAt: app.submittedAt,
  });
  return {
    executionArn,
    put: {
      Put: {
        TableName: requiredEnv(casesTable.env),
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}

export async function startApplicationExecution(
  app: Pick<ApplicationRecord, 'applicationId' | 'caseId' | 'regionCode'>,
  reopened?: Reopened,
  /** Linked already, with the application (`submissionLink`): only the start is left. */
  linked = false,
): Promise<string> {
  const executionArn = applicationExecutionArn(app.applicationId, reopened);
  let startedAt: string;
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv(applicationWorkflow.env),
        name: executionName(app.applicationId, reopened),
        // Only ids travel through the workflow: the household's personal data stays in the table.
        input: JSON.stringify({
          applicationId: app.applicationId,
          caseId: app.caseId,
          regionCode: app.regionCode,
          ...(reopened ? { reopened } : {}),
        }),
      }),
    );
    if (linked) return executionArn;
    startedAt = out.startDate!.toISOString();
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    if (linked) return executionArn;
    startedAt = (await sfn().send(new DescribeExecutionCommand({ executionArn }))).startDate!.toISOString();
  }
  await linkExecution(
    { caseId: app.caseId, executionArn, workflow: applicationWorkflow.id, startedAt },
    app.applicationId,
  );
  return executionArn;
}
