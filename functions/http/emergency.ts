/**
 * 临时救助/急难救助 over HTTP: a household in sudden hardship applies where it happened, whatever its
 * hukou; the township caseworker decides within a working day whether to pay first and how much
 * (`POST /tasks/{taskId}/decision` on the `emergencyGrant` task), and the paperwork follows. The
 * caseworker completes the paperwork here — and may turn the case into a regular application
 * (`convertTo`) — or through `POST /tasks/{taskId}/decision` like any other task.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { appendAudit } from '../../shared/audit.ts';
import { actor, callerKey, requireJurisdiction, requireOwnerOrStaff } from '../../shared/auth.ts';
import { sfn } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { decideAndDeliver } from '../../shared/decision-delivery.ts';
import { newId } from '../../shared/domain/ids.ts';
import { tierLabel } from '../../shared/domain/lifecycle.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { deciders } from '../../shared/domain/tasks.ts';
import { ConflictError, GoneError, NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import {
  emergencyIdPath,
  emergencyRequest,
  idempotencyHeaders,
  paperworkBody,
} from '../../shared/schemas/cases.ts';
import { emergency as emergencyWorkflow } from '../../workflows/emergency.ts';
import { requireDecider, standAside } from './tasks.ts';

/** Starts the emergency's execution, named after it so that a retried request cannot start a second. */
async function startExecution(e: lifecycle.EmergencyRecord): Promise<string> {
  const stateMachineArn = requiredEnv(emergencyWorkflow.env);
  let executionArn: string;
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn,
        name: e.emergencyId,
        // Only ids travel through the workflow: the household's personal data stays in the table.
        input: JSON.stringify({
          emergencyId: e.emergencyId,
          caseId: e.caseId,
          regionCode: e.regionCode,
          residence: e.request.residence,
        }),
      }),
    );
    executionArn = out.executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${e.emergencyId}`;
  }
  // Linked at the request's submission time: a retry writes the same link, not a second one.
  await cases.linkExecution({
    caseId: e.caseId,
    executionArn,
    workflow: emergencyWorkflow.id,
    startedAt: e.submittedAt,
  });
  await lifecycle.updateEmergency(e.emergencyId, { executionArn });
  return executionArn;
}

/** Applied for where the hardship happened: by the person online, or entered by that township's caseworker. */
export const submit = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'submitEmergency',
    body: emergencyRequest,
    headers: idempotencyHeaders,
  },
  async ({ body, headers, principal }) => {
    if (principal.role !== 'applicant') requireJurisdiction(principal, body.regionCode);
    const now = new Date();
    const record: lifecycle.EmergencyRecord = {
      emergencyId: newId('emerg', now),
      caseId: newId('case', now),
      status: 'submitted',
      regionCode: body.regionCode,
      request: body,
      submittedAt: now.toISOString(),
      ...(principal.role === 'applicant' ? { ownerSubject: principal.subject } : {}),
      enteredBy: actor(principal),
    };
    const { emergency } = await lifecycle.createEmergency(
      record,
      callerKey(principal, headers['idempotency-key']),
    );
    await appendAudit(emergency.caseId, {
      key: `emergency.submitted#${emergency.emergencyId}`,
      actor: actor(principal),
      action: 'emergency.submitted',
      summary: `急难发生地受理临时救助申请，申请金额${yuanText(emergency.request.requestedAmount)}`,
      refs: { emergencyId: emergency.emergencyId },
    });
    if (!emergency.executionArn) await startExecution(emergency);
    return {
      statusCode: 202,
      headers: { location: `/emergency/${emergency.emergencyId}` },
      body: { emergencyId: emergency.emergencyId, caseId: emergency.caseId, status: emergency.status },
    };
  },
);

export const statusLabels: Record<lifecycle.EmergencyStatus, string> = {
  submitted: '已受理，待经办人决定是否先行救助',
  declined: '不予先行救助',
  granted: '已先行救助，待补办手续',
  assessing: '手续齐全，申请金额超出先行救助的部分审核中',
  completed: '手续齐全，已办结',
  rejected: '补办手续后不予确认',
  converted: '已转为常规救助申请',
};

/** A 支出型 request goes through the ordinary procedure: its stages read differently. */
const expenditureStatusLabels: Partial<Record<lifecycle.EmergencyStatus, string>> = {
  submitted: '已受理，乡镇（街道）审核中',
  assessing: '乡镇（街道）已审核，县级民政部门审批中',
  completed: '已审批，已办结',
};

const readers = ['townshipCaseworker', 'countyOfficer', 'auditor'] as const;

/** The county's assessment of what was asked beyond the aid paid first, and what it granted in all. */
function assessmentView(e: lifecycle.EmergencyRecord) {
  const a = e.assessment!;
  const decided = e.status === 'completed' ? a.decision : undefined;
  const assessed = decided ? (e.assessedGrant?.amount ?? 0) : null;
  return {
    taskId: a.taskId,
    requestedAmount: a.requestedAmount,
    paidFirst: a.paidFirst,
    outstanding: a.outstanding,
    maxAmount: a.maxAmount,
    householdLimit: a.householdLimit,
    decision: decided?.decision ?? null,
    amount: assessed,
    totalGranted:
      assessed === null ? null : (Math.round(a.paidFirst * 100) + Math.round(assessed * 100)) / 100,
    reasons: decided?.reasons ?? [],
    decidedAt: decided?.decidedAt ?? null,
  };
}

export const get = httpRoute(
  { roles: ['applicant', ...readers], path: emergencyIdPath },
  async ({ path, principal }) => {
    const e = requireOwnerOrStaff(
      principal,
      await lifecycle.getEmergency(path.emergencyId),
      readers,
      `临时救助 ${path.emergencyId} 不存在`,
    );
    const notices = (await cases.listNotices(e.caseId)) as unknown as Array<Record<string, unknown>>;
    return {
      statusCode: 200,
      body: {
        emergencyId: e.emergencyId,
        caseId: e.caseId,
        status: e.status,
        statusLabel:
          (e.request.type === 'expenditure' ? expenditureStatusLabels[e.status] : undefined) ??
          statusLabels[e.status],
        regionCode: e.regionCode,
        hukouRegionCode: e.request.hukouRegionCode ?? null,
        type: e.request.type ?? 'urgent',
        hardship: e.request.hardship,
        requestedAmount: e.request.requestedAmount,
        submittedAt: e.submittedAt,
        // Shown once granted: the grant is fixed just before its payment, and the status set after.
        grant:
          e.grant && e.status !== 'submitted'
            ? {
                amount: e.grant.amount,
                limit: e.grant.limit,
                month: e.grant.month,
                grantedAt: e.grant.grantedAt,
              }
            : null,
        // 支出型 is never paid first: it has no allowance for that.
        allowance: e.request.type === 'expenditure' ? null : (e.allowance ?? null),
        declined: e.grantReview
          ? { decidedAt: e.grantReview.decision.decidedAt, reasons: e.grantReview.decision.reasons }
          : null,
        paperwork: e.paperwork
          ? {
              taskId: e.paperwork.taskId,
              dueDate: e.paperwork.dueDate,
              decision: e.paperwork.decision?.decision ?? null,
              reasons: e.paperwork.decision?.reasons ?? [],
            }
          : null,
        assessment: e.assessment ? assessmentView(e) : null,
        expenditure: e.expenditure ?? null,
        review: e.review
          ? {
              decision: e.review.decision.decision,
              reasons: e.review.decision.reasons,
              decidedAt: e.review.decision.decidedAt,
            }
          : null,
        convertedTo: e.convertedTo ? { ...e.convertedTo, tierLabel: tierLabel(e.convertedTo.tier) } : null,
        notices: notices
          .filter((n) => n.emergencyId === e.emergencyId)
          .map((n) => ({
            noticeId: String(n.noticeId),
            kind: String(n.kind),
            title: String(n.title),
            body: String(n.body),
            reasons: n.reasons as string[],
            decidedAt: String(n.decidedAt),
            serveBy: String(n.serveBy),
          })),
      },
    };
  },
);

export const decidePaperwork = httpRoute(
  {
    roles: deciders.emergencyPaperwork,
    idempotent: 'decideEmergencyPaperwork',
    path: emergencyIdPath,
    body: paperworkBody,
  },
  async ({ path, body, principal }) => {
    const e = await lifecycle.getEmergency(path.emergencyId);
    if (!e) throw new NotFoundError(`临时救助 ${path.emergencyId} 不存在`);
    requireJurisdiction(principal, e.regionCode);
    const taskId = e.paperwork?.taskId;
    const paperwork = taskId ? await lifecycle.getLifecycleTask(taskId) : undefined;
    if (!taskId || !paperwork)
      throw new ConflictError(`临时救助 ${path.emergencyId} 的补办手续任务尚未生成，请稍后再试`);
    if (paperwork.kind !== 'emergencyPaperwork')
      throw new Error(`task ${taskId} is a ${paperwork.kind} task, not the emergency's paperwork`);
    requireDecider(principal, paperwork.kind);
    const excluded = await standAside(principal, paperwork);
    const decision: lifecycle.LifecycleTaskDecision = {
      decision: body.decision,
      reasons: body.reasons,
      decidedBy: principal.name,
      decidedByActor: actor(principal),
      ...(excluded.length ? { standAside: excluded } : {}),
      decidedAt: new Date().toISOString(),
      ...(body.convertTo ? { convertTo: body.convertTo } : {}),
    };
    const done = await decideAndDeliver(taskId, decision, actor(principal));
    if (done.outcome === 'conflict')
      throw new ConflictError(`临时救助 ${path.emergencyId} 的补办手续已处理，不能重复决定`);
    if (done.outcome === 'closed') throw new GoneError(`临时救助 ${path.emergencyId} 的流程已结束`);
    const recorded = done.task.decision!;
    return {
      statusCode: 200,
      body: {
        emergencyId: e.emergencyId,
        taskId,
        decision: recorded.decision,
        reasons: recorded.reasons,
        decidedAt: recorded.decidedAt,
        convertTo: ('convertTo' in recorded ? recorded.convertTo : undefined) ?? null,
      },
    };
  },
);
