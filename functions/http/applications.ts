/** 自主申报: submit a household's declaration; read its status, tier and notice. */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { sfn } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { newId } from '../../shared/domain/ids.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { applicationRequest } from '../../shared/schemas/household.ts';
import { application as applicationWorkflow } from '../../workflows/application.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\w.:-]{1,128}$/, { error: 'Idempotency-Key 应为1–128位字母、数字或 . _ : -' })
    .optional(),
});

/**
 * Starts the application's execution, named after the application so that a retry (same
 * Idempotency-Key after a failure between the write and the start) cannot start a second one.
 */
async function startExecution(app: cases.ApplicationRecord): Promise<string> {
  const startedAt = new Date().toISOString();
  let executionArn: string;
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv(applicationWorkflow.env),
        name: app.applicationId,
        // Only ids travel through the workflow: the household's personal data stays in the table.
        input: JSON.stringify({
          applicationId: app.applicationId,
          caseId: app.caseId,
          regionCode: app.regionCode,
        }),
      }),
    );
    executionArn = out.executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    executionArn = `${requiredEnv(applicationWorkflow.env).replace(':stateMachine:', ':execution:')}:${app.applicationId}`;
  }
  await cases.linkExecution(
    { caseId: app.caseId, executionArn, workflow: applicationWorkflow.id, startedAt },
    app.applicationId,
  );
  return executionArn;
}

export const submit = httpRoute(
  { body: applicationRequest, headers: idempotencyHeaders },
  async ({ body, headers }) => {
    const now = new Date();
    const record: cases.ApplicationRecord = {
      applicationId: newId('app', now),
      caseId: newId('case', now),
      status: 'submitted',
      regionCode: body.regionCode,
      requestedTier: body.requestedTier,
      declaration: body,
      submittedAt: now.toISOString(),
    };
    const { application } = await cases.createApplication(record, headers['idempotency-key']);
    if (!application.executionArn) await startExecution(application);
    return {
      statusCode: 202,
      headers: { location: `/applications/${application.applicationId}` },
      body: {
        applicationId: application.applicationId,
        caseId: application.caseId,
        status: application.status,
      },
    };
  },
);

export const statusLabels: Record<cases.ApplicationStatus, string> = {
  submitted: '已受理',
  underReview: '审核中',
  approved: '已确认救助',
  refused: '不予确认',
  withdrawn: '已终止',
};

export const get = httpRoute(
  { path: z.object({ applicationId: z.string().regex(/^app-[a-z0-9]+$/, { error: '申请编号格式不正确' }) }) },
  async ({ path }) => {
    const app = await cases.getApplication(path.applicationId);
    if (!app) throw new NotFoundError(`申请 ${path.applicationId} 不存在`);
    return {
      statusCode: 200,
      body: {
        applicationId: app.applicationId,
        caseId: app.caseId,
        status: app.status,
        statusLabel: statusLabels[app.status],
        requestedTier: app.requestedTier,
        submittedAt: app.submittedAt,
        tier: app.determination?.tier ?? null,
        monthlyAmount: app.determination?.monthlyAmount ?? null,
        meansTest: app.meansTest ?? null,
        determination: app.determination ?? null,
        notice: app.notice ?? null,
        members: app.declaration.members.map((m) => ({
          name: m.name,
          relation: m.relation,
          idNumber: maskIdNumber(m.idNumber),
        })),
      },
    };
  },
);
