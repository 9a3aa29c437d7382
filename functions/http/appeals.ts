/**
 * 行政复议、行政诉讼的结果 (社会救助法第七十六条): the county records what the reviewing body or the
 * court decided on one of its decisions, against the decision's written notice. A revocation puts
 * the case back where it stood before the decision (`shared/domain/appeals.ts`), in the same
 * transaction that records it; what follows outside the table (an execution started, schedules
 * moved) is done after it and again on a retry, each step idempotent.
 */
import { applicationExecutionArn, startApplicationExecution } from '../../shared/application-execution.ts';
import { appendAudit } from '../../shared/audit.ts';
import { actor, requireJurisdiction } from '../../shared/auth.ts';
import {
  type AppealRecord,
  type AppealReopening,
  appealOutcomeLabels,
  appealSummary,
} from '../../shared/domain/appeals.ts';
import type { RevokedDetermination } from '../../shared/domain/cases.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { firstMonth } from '../../shared/domain/entitlements.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { type Benefit, startOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { opinionOf, type TaskOpinion } from '../../shared/domain/tasks.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import * as appeals from '../../shared/repositories/appeals.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { benefitPeriodPut } from '../../shared/repositories/payments.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { bringForward, cancelPending, scheduleWorkflow } from '../../shared/repositories/schedule.ts';
import { appealBody, caseIdPath } from '../../shared/schemas/cases.ts';
import { recordSpecialAssistance } from '../../shared/special-assistance.ts';

const DAY_MS = 86_400_000;

/** The township's last opinion in the execution that refused: the one the county decides on again. */
async function lastTownshipOpinion(executionArn: string): Promise<TaskOpinion | null> {
  let last: TaskOpinion | null = null;
  for (let round = 1; ; round++) {
    const task = await cases.getApplicationTask(
      stableId('task', executionArn, 'townshipReview', String(round)),
    );
    if (!task) return last;
    last = opinionOf(task) ?? last;
  }
}

type Effects = { writes: appeals.AppealWrite[]; reopened: AppealReopening };

/** A refused application goes back under review at the level that refused it. */
async function reopenApplication(
  notice: appeals.NoticeItem,
  base: Pick<AppealRecord, 'appealId'> & { summary: string; at: string },
): Promise<Effects> {
  const app = await cases.getApplication(notice.applicationId!);
  if (app?.status !== 'refused' || app.notice?.noticeId !== notice.noticeId)
    throw new ConflictError(
      `申请 ${notice.applicationId} 当前已不是该不予确认决定的状态（${app?.status ?? '不存在'}），不能据此重新审核`,
    );
  if (app.consent?.status === 'offered')
    throw new ConflictError('申请人尚未答复是否按其他类别认定；请在答复或答复期满后再记录撤销');
  if (!app.executionArn) throw new ConflictError(`申请 ${app.applicationId} 没有审核记录，不能重新审核`);
  let claims: Awaited<ReturnType<typeof cases.claimWrites>>['writes'];
  try {
    ({ writes: claims } = await cases.claimWrites(app, undefined));
  } catch (error) {
    if (!(error instanceof cases.OpenApplicationError)) throw error;
    throw new ConflictError(
      `家庭成员已有未办结的救助申请或正在享受救助（申请 ${error.applicationId}），不能重新审核本申请；请先办结该申请`,
    );
  }
  const revoked: RevokedDetermination = {
    determination: app.determination!,
    noticeId: notice.noticeId,
    appealId: base.appealId,
    appealSummary: base.summary,
    revokedAt: base.at,
    executionArn: app.executionArn,
    townshipReview: await lastTownshipOpinion(app.executionArn),
  };
  return {
    writes: cases.reopenApplicationWrites(app, revoked, claims),
    reopened: {
      kind: 'application',
      applicationId: app.applicationId,
      executionArn: applicationExecutionArn(app.applicationId, { appealId: base.appealId }),
    },
  };
}

/** A recheck's decision undone: the benefit before it, and a new recheck the next day. */
async function restoreCase(
  item: lifecycle.CaseItem,
  notice: appeals.NoticeItem,
  base: Pick<AppealRecord, 'appealId'> & { at: string },
): Promise<Effects> {
  const recheck = await lifecycle.getRecheck<{
    current: Benefit | null;
    concluded?: { outcome: string; decidedAt: string };
  }>(item.caseId, notice.recheckId!);
  if (!recheck?.concluded || !recheck.current)
    throw new ConflictError(`定期核查 ${notice.recheckId} 没有可恢复的原救助`);
  if (item.lastRecheckAt !== recheck.concluded.decidedAt)
    throw new ConflictError(
      '该核查决定之后本案件已有新的核查决定，不能回到该决定前的状态；请对之后的决定依法重新作出决定',
    );
  // The next day: today's recheck (the one revoked, when decided today) already has today's name.
  const due = chinaDate(new Date(Date.parse(base.at) + DAY_MS));
  return {
    writes: [
      lifecycle.restoreCaseWrite(item.caseId, {
        benefit: recheck.current,
        decidedAt: recheck.concluded.decidedAt,
        nextRecheckDue: due,
        appealId: base.appealId,
        at: base.at,
      }),
      // Owed again from the month the revoked decision took effect: the months it withheld are back pay.
      benefitPeriodPut({
        caseId: item.caseId,
        cause: 'restored',
        from: firstMonth('adjustment', recheck.concluded.decidedAt),
        status: 'active',
        tier: recheck.current.tier,
        monthlyAmount: recheck.current.monthlyAmount,
        decidedAt: base.at,
        ref: base.appealId,
        regionCode: item.regionCode,
      }),
    ],
    reopened: {
      kind: 'recheck',
      recheckId: notice.recheckId!,
      restored: recheck.current,
      dueAt: startOfChinaDay(due),
    },
  };
}

/**
 * What follows the recorded outcome outside its transaction — a revocation's execution or schedules,
 * then the entry on the case's chain — done again by a retry (each step idempotent), so a failure
 * between the record and these leaves nothing undone.
 */
async function complete(record: AppealRecord): Promise<void> {
  await completeReopening(record);
  await appendAudit(record.caseId, {
    key: `appeal.recorded#${record.appealId}`,
    actor: record.recordedBy,
    action: 'appeal.recorded',
    summary: `${appealSummary(record)}；${reopeningText(record.reopened)}`,
    refs: { appealId: record.appealId, noticeId: record.noticeId },
  });
}

async function completeReopening(record: AppealRecord): Promise<void> {
  const reopened = record.reopened;
  if (reopened?.kind === 'application') {
    const app = await cases.getApplication(reopened.applicationId);
    if (app) await startApplicationExecution(app, { appealId: record.appealId });
  } else if (reopened?.kind === 'recheck') {
    const { caseId, appealId } = record;
    // What the revoked decision scheduled: the months of a gradual exit, a monitoring follow-up.
    await cancelPending(caseId, 'GradualExit', appealId);
    await cancelPending(caseId, 'Recheck', appealId, (s) => s.input.mode === 'monitoring');
    const regular = (s: { input: Record<string, unknown> }) => (s.input.mode ?? 'regular') === 'regular';
    const moved = await bringForward(caseId, 'Recheck', reopened.dueAt, { match: regular, cause: appealId });
    if (moved.outcome === 'none')
      await scheduleWorkflow({
        caseId,
        workflow: 'Recheck',
        dueAt: reopened.dueAt,
        input: { mode: 'regular' },
        cause: appealId,
      });
    await registerCase(caseId, 'appeal', appealId); // 低收入人口名单: back in assistance
    // The special assistance of the benefit restored, from the record's own time (its benefit period's).
    await recordSpecialAssistance({
      caseId,
      cause: 'restored',
      decidedAt: record.recordedAt,
      tier: reopened.restored.tier,
    });
  }
}

const reopeningText = (r: AppealReopening | undefined): string => {
  switch (r?.kind) {
    case 'application':
      return '申请已回到原作出决定的层级重新审核';
    case 'recheck':
      return `已恢复原救助，重新核查定于${chinaDate(new Date(r.dueAt))}`;
    case 'none':
      return r.nextStep;
    default:
      return '原决定继续有效';
  }
};

const view = (a: AppealRecord, message: string) => ({
  appealId: a.appealId,
  caseId: a.caseId,
  noticeId: a.noticeId,
  noticeTitle: a.noticeTitle,
  channel: a.channel,
  outcome: a.outcome,
  decidedOn: a.decidedOn,
  authority: a.authority,
  documentNumber: a.documentNumber,
  recordedAt: a.recordedAt,
  reopened: a.reopened ?? null,
  message,
});

export const record = httpRoute(
  { roles: ['countyOfficer'], idempotent: 'recordAppeal', path: caseIdPath, body: appealBody },
  async ({ path, body, principal }) => {
    const item = await lifecycle.getCaseItem(path.caseId);
    if (!item) throw new NotFoundError(`案件 ${path.caseId} 不存在`);
    requireJurisdiction(principal, item.regionCode);
    const notice = await appeals.getNotice(path.caseId, body.noticeId);
    if (!notice)
      throw new ValidationError([
        { field: 'noticeId', message: `本案件没有编号为 ${body.noticeId} 的书面告知书` },
      ]);
    if (!notice.remedy)
      throw new ValidationError([
        {
          field: 'noticeId',
          message: `《${notice.title}》不是告知复议、诉讼途径的决定（不予确认、调减、停止救助等），不能记录复议或诉讼结果`,
        },
      ]);
    const decidedOn = chinaDate(new Date(notice.decidedAt));
    if (body.decidedOn > chinaDate() || body.decidedOn < decidedOn)
      throw new ValidationError([
        {
          field: 'decidedOn',
          message: `复议决定或裁判日期应在原决定日期（${decidedOn}）与今天之间`,
        },
      ]);

    const appealId = stableId('appeal', path.caseId, body.noticeId, body.channel, body.documentNumber);
    const existing = await appeals.getAppeal(path.caseId, appealId);
    if (existing) {
      if (existing.outcome !== body.outcome || existing.decidedOn !== body.decidedOn)
        throw new ConflictError(
          `文号 ${body.documentNumber} 已记录为“${appealOutcomeLabels[existing.outcome]}”（${existing.decidedOn}），不能改记`,
        );
      await complete(existing);
      return { statusCode: 200, body: view(existing, `已记录：${reopeningText(existing.reopened)}`) };
    }
    if (notice.revokedBy)
      throw new ConflictError(`该决定已被撤销（${notice.revokedBy}），不能再记录复议或诉讼结果`);

    const at = new Date().toISOString();
    const base = {
      appealId,
      noticeTitle: notice.title,
      channel: body.channel,
      outcome: body.outcome,
      authority: body.authority,
      documentNumber: body.documentNumber,
      decidedOn: body.decidedOn,
    };
    const summary = appealSummary(base);
    let effects: Effects | undefined;
    if (body.outcome === 'revoked') {
      if (notice.applicationId) effects = await reopenApplication(notice, { appealId, summary, at });
      else if (notice.recheckId) effects = await restoreCase(item, notice, { appealId, at });
      else
        effects = {
          writes: [],
          reopened: {
            kind: 'none',
            nextStep: '该决定没有可恢复的办理流程（如临时救助），由县级民政部门依复议决定或判决另行办理',
          },
        };
    }
    const appeal: AppealRecord = {
      ...base,
      caseId: path.caseId,
      noticeId: notice.noticeId,
      noticeKind: notice.kind,
      ...(body.note ? { note: body.note } : {}),
      recordedAt: at,
      recordedBy: actor(principal),
      ...(effects ? { reopened: effects.reopened } : {}),
    };
    const written = await appeals.recordAppeal(appeal, effects?.writes);
    if (written === 'revoked') throw new ConflictError('该决定刚被撤销，不能再记录复议或诉讼结果');
    if (written === 'stale') throw new ConflictError('案件在记录时发生了变化，请刷新后重新提交');
    const stored = written === 'exists' ? (await appeals.getAppeal(path.caseId, appealId))! : appeal;
    await complete(stored);
    return { statusCode: 201, body: view(stored, `已记录：${reopeningText(stored.reopened)}`) };
  },
);
