/** The caseworker's inbox and decisions on human tasks. */
import type { z } from 'zod';
import { appendAudit } from '../../shared/audit.ts';
import {
  actor,
  covers,
  ForbiddenError,
  type Principal,
  type Role,
  requireJurisdiction,
} from '../../shared/auth.ts';
import { concludeComplaint } from '../../shared/complaints.ts';
import { decideAndDeliver } from '../../shared/decision-delivery.ts';
import { closeDiscovery, getDiscovery, linkApplication } from '../../shared/discoveries.ts';
import { homeCheckReasonLabels } from '../../shared/domain/deadlines.ts';
import { yuanText } from '../../shared/domain/money.ts';
import {
  deciders,
  isComplaintTask,
  isOutreachTask,
  isPaymentTask,
  type OutreachTask,
  type PaymentTask,
  type Task,
} from '../../shared/domain/tasks.ts';
import { ConflictError, GoneError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { decideRoll } from '../../shared/payroll.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import * as payroll from '../../shared/repositories/payroll.ts';
import {
  involvesRelative,
  relativeIndexesOf,
  type StandAside,
  staffRelatedTo,
} from '../../shared/repositories/relatives.ts';
import { decisionBody, taskIdPath, tasksQuery } from '../../shared/schemas/casework.ts';
import { rollStatusLabels } from '../../shared/schemas/payroll.ts';

const publicTask = ({ taskToken: _token, executionArn: _arn, memberIndexes: _members, ...task }: Task) =>
  task;

/**
 * An emergency's grant review, paperwork or assessment task as the caseworker sees it: with the hardship to confirm, read now
 * from the request, where it is sealed. The task's own detail came through the workflow (its
 * history and archive) and so carries none of that text (health facts among it).
 */
async function shownTask(task: Task) {
  const shown = publicTask(task);
  if (
    task.kind !== 'emergencyPaperwork' &&
    task.kind !== 'emergencyGrant' &&
    task.kind !== 'emergencyReview' &&
    task.kind !== 'emergencyAssessment'
  )
    return shown;
  const request = (await lifecycle.getEmergency(task.applicationId))?.request;
  return { ...shown, emergency: { ...task.emergency, hardship: request?.hardship.description ?? null } };
}

/**
 * 近亲属回避: who stood aside for this task (declared a member of the household a close relative);
 * the caller may not decide if they are among them.
 */
export async function standAside(
  principal: Principal,
  task: { memberIndexes?: string[] | undefined },
): Promise<StandAside[]> {
  const related = task.memberIndexes?.length ? await staffRelatedTo(task.memberIndexes) : [];
  if (related.some((s) => s.subject === principal.subject))
    throw new ForbiddenError('您已备案与该户有近亲属关系，须回避，不能办理此任务');
  return related;
}

export function requireDecider(principal: Principal, kind: string): void {
  const allowed: readonly Role[] | undefined = deciders[kind as keyof typeof deciders];
  if (!allowed?.includes(principal.role))
    throw new ForbiddenError(
      `此任务须由${allowed?.includes('countyOfficer') ? '县级民政部门' : '乡镇（街道）'}决定`,
    );
}

/** The open tasks of a region the caseworker or officer serves. */
export const list = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer'], query: tasksQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.township);
    const [tasks, relatives] = await Promise.all([
      cases.listOpenTasks(query.township),
      relativeIndexesOf(principal.subject),
    ]);
    // A task about a declared relative's household is never offered to that person.
    const offered = tasks.filter((t) => !involvesRelative(relatives, t.memberIndexes));
    const shown = await Promise.all(offered.map(shownTask));
    return { statusCode: 200, body: { township: query.township, tasks: shown } };
  },
);

/**
 * The amount of an emergency's first aid: given with an approval of its grant review and with
 * nothing else, and never above the allowance the workflow assessed (the place's small-amount limit,
 * the household's limit over its period, what was asked).
 */
function checkGrantAmount(task: Task, body: z.output<typeof decisionBody>): void {
  if (task.kind === 'emergencyAssessment') {
    checkAssessedAmount(task, body);
    return;
  }
  if (task.kind !== 'emergencyGrant') {
    if (body.amount !== undefined)
      throw new ValidationError([
        { field: 'amount', message: 'amount 仅用于临时救助先行救助任务和县级审核任务' },
      ]);
    return;
  }
  if (body.decision === 'dismiss')
    throw new ValidationError([{ field: 'decision', message: '先行救助任务应决定 approve 或 reject' }]);
  if (body.decision !== 'approve') return;
  const allowance = task.emergency;
  const max = allowance?.maxAmount ?? 0;
  if (body.amount === undefined)
    throw new ValidationError([
      { field: 'amount', message: `同意先行救助时须填写金额（本次最多${yuanText(max)}）` },
    ]);
  if (Math.round(body.amount * 100) > Math.round(max * 100)) {
    const h = allowance?.householdLimit;
    const why = [
      `申请金额${yuanText(allowance?.requestedAmount ?? 0)}`,
      `当地先行救助上限${yuanText(allowance?.smallAmountLimit ?? 0)}`,
      h ? `家庭${h.months}个月内累计上限${yuanText(h.amount)}，已救助${yuanText(h.granted)}` : '',
    ].filter(Boolean);
    throw new ValidationError([
      {
        field: 'amount',
        message: `先行救助金额不能超过${yuanText(max)}（${why.join('，')}）；超出部分待补齐手续后按临时救助程序审核`,
      },
    ]);
  }
}

/**
 * The amount the county grants beyond the aid paid first: given with an approval and with nothing
 * else, above zero, and never above what is left of the household's limit over its period (the
 * small-amount limit binds the aid paid first only).
 */
function checkAssessedAmount(task: Task, body: z.output<typeof decisionBody>): void {
  if (body.decision === 'dismiss')
    throw new ValidationError([{ field: 'decision', message: '临时救助的县级审核应决定 approve 或 reject' }]);
  if (body.decision !== 'approve') return;
  const detail = task.kind === 'emergencyAssessment' ? task.emergency : undefined;
  const max = detail?.maxAmount ?? 0;
  if (body.amount === undefined)
    throw new ValidationError([
      {
        field: 'amount',
        message: `同意${detail?.grantedAmount ? '再' : ''}给予临时救助时须填写金额（本次最多${yuanText(max)}）`,
      },
    ]);
  if (Math.round(body.amount * 100) > Math.round(max * 100)) {
    const h = detail?.householdLimit;
    const why = [
      `申请金额${yuanText(detail?.requestedAmount ?? 0)}`,
      `已先行救助${yuanText(detail?.grantedAmount ?? 0)}`,
      h ? `家庭${h.months}个月内累计上限${yuanText(h.amount)}，已救助${yuanText(h.granted)}` : '',
    ].filter(Boolean);
    throw new ValidationError([
      {
        field: 'amount',
        message:
          max > 0
            ? `再给予的金额不能超过${yuanText(max)}（${why.join('，')}）`
            : `家庭临时救助累计已达上限，不能再给予（${why.join('，')}）；请决定不予救助并写明理由`,
      },
    ]);
  }
}

/** The decision on a task no workflow waits on (payment, outreach, complaint), recorded as it is. */
const directDecision = (
  decision: cases.TaskDecision['decision'],
  reasons: string[],
  principal: Principal,
): cases.TaskDecision => ({
  decision,
  reasons,
  decidedAt: new Date().toISOString(),
  decidedBy: principal.name,
  decidedByActor: actor(principal),
});

export const decide = httpRoute(
  {
    path: taskIdPath,
    body: decisionBody,
    roles: ['townshipCaseworker', 'countyOfficer'],
    idempotent: 'decideTask',
  },
  async ({ path, body, principal }) => {
    const existing = await cases.getTask(path.taskId);
    if (!existing) throw new NotFoundError(`任务 ${path.taskId} 不存在`);
    requireDecider(principal, existing.kind);
    requireJurisdiction(principal, existing.township);
    // Only a review sent back by objections has objections to find groundless.
    if (body.decision === 'dismiss' && !(existing.kind === 'townshipReview' && existing.objections?.length))
      throw new ValidationError([
        { field: 'decision', message: 'dismiss（异议不成立）仅用于因公示异议退回的乡镇审核任务' },
      ]);
    checkGrantAmount(existing, body);
    // 县级入户核查: drawn for a 特困 check, or a relative's household — the county sees it first.
    if (existing.kind === 'countyDetermination' && existing.homeCheck?.required && !body.findings?.homeVisit)
      throw new ValidationError([
        {
          field: 'findings.homeVisit',
          message: `须由县级民政部门入户核查后再作决定（${existing.homeCheck.reasons.map((r) => homeCheckReasonLabels[r]).join('；')}）：请填写入户核查情况`,
        },
      ]);
    if (isPaymentTask(existing)) return decidePaymentTask(existing, body, principal);
    if (isOutreachTask(existing)) return decideOutreachTask(existing, body, principal);
    if (isComplaintTask(existing)) {
      if (body.decision === 'dismiss')
        throw new ValidationError([
          {
            field: 'decision',
            message: '举报投诉应决定 approve（经核实属实）或 reject（经核实不属实），并写明理由',
          },
        ]);
      if (!body.reasons.length)
        throw new ValidationError([{ field: 'reasons', message: '请写明核实的情况和处理结果' }]);
      const decision = directDecision(body.decision, body.reasons, principal);
      if (!(await concludeComplaint(existing, decision, actor(principal))))
        throw new ConflictError(`任务 ${path.taskId} 已处理，不能重复决定`);
      return { statusCode: 200, body: publicTask((await cases.getTask(path.taskId)) ?? existing) };
    }
    const excluded = await standAside(principal, existing);
    const { findings, amount: _amount, ...rest } = body;
    const decision: cases.TaskDecision = {
      ...rest,
      ...(findings ? { findings } : {}),
      ...(body.amount !== undefined && body.decision === 'approve' ? { amount: body.amount } : {}),
      decidedBy: principal.name,
      decidedByActor: actor(principal),
      decidedAt: new Date().toISOString(),
      ...(excluded.length ? { standAside: excluded } : {}),
    };
    const done = await decideAndDeliver(path.taskId, decision, actor(principal));
    if (done.outcome === 'conflict') throw new ConflictError(`任务 ${path.taskId} 已处理，不能重复决定`);
    // A workflow that ended before the decision reached it cannot take it any more.
    if (done.outcome === 'closed') throw new GoneError(`任务 ${path.taskId} 所属流程已结束`);
    return { statusCode: 200, body: publicTask(done.task) };
  },
);

/**
 * 主动发现 closed: `approve` with the application the household made (it must exist and be in the
 * discovery's region), or `reject` with why none was made (not in need, not reachable, declined).
 */
async function decideOutreachTask(
  task: OutreachTask,
  body: z.output<typeof decisionBody>,
  principal: Principal,
) {
  const by = actor(principal);
  let applicationId: string | null = null;
  if (body.decision === 'approve') {
    if (!body.applicationId)
      throw new ValidationError([
        { field: 'applicationId', message: '已协助申请的，请填写申请编号；未申请的，决定 reject 并写明原因' },
      ]);
    const app = await cases.getApplication(body.applicationId);
    if (!app || !covers(task.township, app.regionCode))
      throw new ValidationError([
        {
          field: 'applicationId',
          message: `申请 ${body.applicationId} 不存在，或不在发现地 ${task.township} 的范围内`,
        },
      ]);
    applicationId = app.applicationId;
  } else if (body.decision !== 'reject')
    throw new ValidationError([
      { field: 'decision', message: '主动发现任务应决定 approve（已协助申请）或 reject（未申请）' },
    ]);
  const decision = directDecision(body.decision, body.reasons, principal);
  if (!(await closeDiscovery(task, decision, applicationId, by)))
    throw new ConflictError(`任务 ${task.taskId} 已处理，不能重复决定`);
  if (applicationId) {
    const [app, discovery] = await Promise.all([
      cases.getApplication(applicationId),
      getDiscovery(task.outreach.discoveryId),
    ]);
    if (app && discovery) await linkApplication(app.caseId, discovery, by);
  }
  const now = await cases.getTask(task.taskId);
  return { statusCode: 200, body: publicTask(now ?? task) };
}

/**
 * A payment task decided in the inbox. A roll's approval is the roll's decision (`POST
 * /payrolls/{rollId}/decision` decides the same): approve, or reject to return it. A failed line's
 * account fix is closed by registering an account; deciding it here confirms the account on record
 * (the bank's failure was not the account's), and the next roll pays it again.
 */
async function decidePaymentTask(
  task: PaymentTask,
  body: z.output<typeof decisionBody>,
  principal: Principal,
) {
  const by = actor(principal);
  const reasons = body.reasons;
  if (task.kind === 'payrollApproval') {
    const roll = await payroll.getRoll(task.payment.rollId);
    if (!roll) throw new NotFoundError(`发放名册 ${task.payment.rollId} 不存在`);
    if (roll.status === 'computed' && body.decision === 'approve')
      throw new ConflictError('名册尚未由工作人员核对提交：请在发放名册页核对并提交后，由另一名工作人员审批');
    const done = await decideRoll(
      roll,
      { decision: body.decision === 'approve' ? 'approve' : 'return', reason: reasons.join('；') },
      by,
    );
    if (done.outcome === 'own')
      throw new ForbiddenError('不能审批本人编制的发放名册，须由另一名工作人员审批');
    if (done.outcome === 'conflict')
      throw new ConflictError(
        `发放名册 ${roll.rollId} 已处理或不在待审批状态（${rollStatusLabels[done.roll.status]}）`,
      );
  } else {
    if (body.decision !== 'approve')
      throw new ValidationError([
        {
          field: 'decision',
          message: `账户有误的，请登记新的收款账户（PUT /cases/${task.caseId}/payee-account），任务随之办结；账户无误的，决定 approve 并写明核实情况`,
        },
      ]);
    const decision = directDecision('approve', reasons, principal);
    if (!(await payroll.closePaymentTask(task, decision)))
      throw new ConflictError(`任务 ${task.taskId} 已处理，不能重复决定`);
    await appendAudit(task.caseId, {
      key: `payee.confirmed#${task.taskId}`,
      actor: by,
      action: 'payee.confirmed',
      summary: `核实收款账户无误（${reasons.join('；')}），${task.payment.months?.join('、') ?? ''}救助金在以后月份的名册补发`,
      refs: { rollId: task.payment.rollId },
    });
  }
  const now = await cases.getTask(task.taskId);
  return { statusCode: 200, body: publicTask(now ?? task) };
}
