/** 自主申报: submit a household's declaration; read its status, tier and notice. */

import type { z } from 'zod';
import { startApplicationExecution, submissionLink } from '../../shared/application-execution.ts';
import { type AuditInput, appendAudit, openingAuditWrites } from '../../shared/audit.ts';
import { actor, callerKey, isOwner, requireJurisdiction, requireOwnerOrStaff } from '../../shared/auth.ts';
import { answerConsent } from '../../shared/consent.ts';
import { requestDigests } from '../../shared/crypto.ts';
import { appealChannelLabels, appealOutcomeLabels } from '../../shared/domain/appeals.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import {
  currentDueDate,
  extensionReasonLabels,
  investigationMethodLabels,
  reviewCompliance,
} from '../../shared/domain/deadlines.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { newId } from '../../shared/domain/ids.ts';
import { proposalText, tierLabel } from '../../shared/domain/lifecycle.ts';
import { isConditionFailure } from '../../shared/dynamo.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { registerPayeeAccount } from '../../shared/payroll.ts';
import { listAppeals } from '../../shared/repositories/appeals.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { maskedPayeeAccount } from '../../shared/repositories/payments.ts';
import { householdOf } from '../../shared/repositories/register.ts';
import {
  applicationIdPath,
  consentBody,
  extensionBody,
  idempotencyHeaders,
  investigationBody,
  objectionBody,
  submissionRequest,
} from '../../shared/schemas/cases.ts';
import { specialAssistanceView } from '../../shared/special-assistance.ts';

/** What the case's audit log opens with: the submission, and why it was taken although another is open. */
function submissionAudit(application: cases.ApplicationRecord, role: string, by: cases.Actor): AuditInput[] {
  const refs = { applicationId: application.applicationId };
  const reopened = application.newApplication;
  return [
    {
      key: `application.submitted#${application.applicationId}`,
      actor: by,
      action: 'application.submitted',
      summary: `${role === 'applicant' ? '申请人在线提交' : '经办人入户后代为录入'}救助申请（申请类别：${tierLabel(application.requestedTier)}）`,
      refs,
    },
    ...(reopened
      ? [
          {
            key: `application.reopened#${application.applicationId}`,
            actor: by,
            action: 'application.reopened' as const,
            summary: `家庭成员已有未办结的申请或正在享受救助${reopened.openApplicationIds.length ? `（${reopened.openApplicationIds.join('、')}）` : ''}，经办人注明理由后重新受理：${reopened.reason}`,
            refs,
          },
        ]
      : []),
  ];
}

export const submit = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    // Not Powertools: the key's record is written with the application and outlives any expiry, so
    // a reused key is refused for as long as its first application can be returned (one mechanism).
    body: submissionRequest,
    headers: idempotencyHeaders,
  },
  async ({ body: { newApplicationReason, payeeAccount, ...body }, headers, principal }) => {
    if (principal.role !== 'applicant') requireJurisdiction(principal, body.regionCode);
    else if (newApplicationReason !== undefined)
      throw new ValidationError([
        { field: 'newApplicationReason', message: '重新申请的理由仅由乡镇（街道）经办人代为录入时填写' },
      ]);
    const now = new Date();
    const ids = {
      applicationId: newId('app', now),
      caseId: newId('case', now),
      submittedAt: now.toISOString(),
    };
    const link = submissionLink(ids);
    const record: cases.ApplicationRecord = {
      ...ids,
      executionArn: link.executionArn,
      status: 'submitted',
      regionCode: body.regionCode,
      requestedTier: body.requestedTier,
      declaration: body,
      ...(principal.role === 'applicant' ? { ownerSubject: principal.subject } : {}),
      enteredBy: actor(principal),
    };
    const key = callerKey(principal, headers['idempotency-key']);
    const by = actor(principal);
    // The idempotency record, the application, its case, the members' claims, the case's first audit
    // entries and its link to the execution in one transaction; the execution starts after it.
    const { created, application } = await cases.createApplication(
      record,
      key
        ? {
            key,
            digests: await requestDigests('submitApplication', {
              ...body,
              newApplicationReason,
              payeeAccount,
            }),
          }
        : undefined,
      newApplicationReason,
      (app) => [
        ...openingAuditWrites(app.caseId, submissionAudit(app, principal.role, by), app.submittedAt),
        link.put,
      ],
    );
    // Declared with the application: the case's account from the start (a retry after a cut-short
    // first try registers it then).
    if (payeeAccount && (created || !(await maskedPayeeAccount(application.caseId))))
      await registerDeclaredAccount(application, payeeAccount, by);
    // A retry of an application still only submitted starts it again — the first try may have stopped
    // before the start — which starts nothing twice. (One written before its link was written with it
    // has no pointer yet: it is linked when started.)
    if (created || application.status === 'submitted')
      await startApplicationExecution(application, undefined, application.executionArn !== undefined);
    return {
      statusCode: 202,
      headers: { location: `/applications/${application.applicationId}` },
      // A retry gets the first answer, whatever the application's status has become since.
      body: {
        applicationId: application.applicationId,
        caseId: application.caseId,
        status: created ? application.status : 'submitted',
      },
    };
  },
);

/** The account declared in the application, registered on its case as the payee route does. */
async function registerDeclaredAccount(
  application: cases.ApplicationRecord,
  account: NonNullable<z.output<typeof submissionRequest>['payeeAccount']>,
  by: cases.Actor,
): Promise<void> {
  try {
    await registerPayeeAccount(
      application.caseId,
      { ...account, reason: account.reason ?? '申请时申报' },
      by,
      application.submittedAt,
    );
  } catch (error) {
    // Registered by the first try at the same instant: nothing more to do.
    if (!isConditionFailure(error)) throw error;
  }
}

export const statusLabels: Record<cases.ApplicationStatus, string> = {
  submitted: '已受理',
  underReview: '审核中',
  publicNotice: '公示中',
  approved: '已确认救助',
  refused: '不予确认',
  withdrawn: '已终止',
};

const missingApplication = (applicationId: string) => `申请 ${applicationId} 不存在`;

async function existing(applicationId: string): Promise<cases.ApplicationRecord> {
  const app = await cases.getApplication(applicationId);
  if (!app) throw new NotFoundError(missingApplication(applicationId));
  return app;
}

/** The notice as the applicant and the public see it: objectors' names stay with the office. */
const publicNoticeView = (app: cases.ApplicationRecord) =>
  app.publicNotice
    ? {
        round: app.publicNotice.round,
        startsOn: app.publicNotice.startsOn,
        endsOn: app.publicNotice.endsOn,
        status: app.publicNotice.status,
        objections: (app.objections ?? [])
          .filter((o) => o.round === app.publicNotice!.round)
          .map(({ objectionId, reason, raisedAt }) => ({ objectionId, reason, raisedAt })),
      }
    : null;

const consentView = ({ taskToken: _token, ...consent }: cases.ConsentRecord) => consent;

/** The case's latest hearing, as the household reads it on its status page (no caseworker's name). */
const hearingView = (h: lifecycle.HearingRecord | undefined) =>
  h
    ? {
        hearingId: h.hearingId,
        status: h.status,
        proposal: `拟${proposalText(h.outcome, h.current, h.proposed)}`,
        reasons: h.reasons,
        answerBy: h.answerBy,
        answer: h.answer
          ? {
              opinion: h.answer.opinion,
              statement: h.answer.statement,
              channel: h.answer.channel,
              answeredAt: h.answer.answeredAt,
            }
          : null,
      }
    : null;

/** Staff who may read a household's application in their jurisdiction. */
const readers = ['townshipCaseworker', 'countyOfficer', 'auditor'] as const;

export const get = httpRoute(
  { roles: ['applicant', ...readers], path: applicationIdPath },
  async ({ path, principal }) => {
    const app = requireOwnerOrStaff(
      principal,
      await cases.getApplication(path.applicationId),
      readers,
      missingApplication(path.applicationId),
    );
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
        publicNotice: publicNoticeView(app),
        reviewDeadline: app.reviewDeadline
          ? reviewCompliance(app.reviewDeadline, app.determination?.decidedAt)
          : null,
        decisionLevel: app.meansTest ? (app.decisionLevel ?? 'county') : null,
        hearing: hearingView((await lifecycle.listHearings(app.caseId)).at(-1)),
        consent: app.consent ? consentView(app.consent) : null,
        appeals: (await listAppeals(app.caseId)).map((a) => ({
          appealId: a.appealId,
          noticeTitle: a.noticeTitle,
          channel: a.channel,
          channelLabel: appealChannelLabels[a.channel],
          outcome: a.outcome,
          outcomeLabel: appealOutcomeLabels[a.outcome],
          decidedOn: a.decidedOn,
          authority: a.authority,
          documentNumber: a.documentNumber,
        })),
        specialAssistance:
          app.determination?.outcome === 'approved'
            ? await specialAssistanceView(app.caseId, await householdNow(app))
            : null,
        members: app.declaration.members.map((m) => ({
          name: m.name,
          relation: m.relation,
          idNumber: maskIdNumber(m.idNumber),
        })),
      },
    };
  },
);

/** The household as last declared on the application's case (the application's own until a later one). */
async function householdNow(app: cases.ApplicationRecord) {
  const item = await lifecycle.getCaseItem(app.caseId);
  return (item && (await householdOf(item))?.declaration) || app.declaration;
}

/** The review deadline as the extension and the investigation start answer it. */
const reviewDeadlineAnswer = (app: cases.ApplicationRecord) => ({
  statusCode: 200,
  body: {
    applicationId: app.applicationId,
    reviewDeadline: reviewCompliance(app.reviewDeadline!, app.determination?.decidedAt),
  },
});

/**
 * 延长审核确认时限 (57号 第二十二条: 30 working days, in special cases up to 45): a township
 * caseworker or the county extends it once, before the decision, naming one of the reasons the
 * rules give and what makes it so. The first date stays on record beside the new one.
 */
export const extend = httpRoute(
  {
    roles: ['townshipCaseworker', 'countyOfficer'],
    idempotent: 'extendReviewDeadline',
    path: applicationIdPath,
    body: extensionBody,
  },
  async ({ path, body, principal }) => {
    const app = await existing(path.applicationId);
    requireJurisdiction(principal, app.regionCode);
    const deadline = app.reviewDeadline;
    if (!deadline) throw new ConflictError(`申请 ${app.applicationId} 尚未完成受理核查，暂不能延长审核时限`);
    if (deadline.extension)
      throw new ConflictError(`审核时限已延长至${deadline.extension.dueDate}，不能再次延长`);
    if (app.status !== 'underReview' && app.status !== 'publicNotice')
      throw new ConflictError(`申请 ${app.applicationId} 已办结，不能延长审核时限`);
    const { timeLimits } = await parametersFor(
      app.regionCode,
      app.declaration.residence,
      deadline.acceptedOn,
    );
    const due = (await calendar()).provisionalDeadline(
      deadline.acceptedOn,
      timeLimits.reviewExtendedWorkingDays,
    );
    const by = actor(principal);
    const updated = await cases.extendReviewDeadline(app.applicationId, {
      reason: body.reason,
      note: body.note,
      workingDays: timeLimits.reviewExtendedWorkingDays,
      dueDate: due.deadline,
      ...(due.provisional ? { provisional: true } : {}),
      extendedAt: new Date().toISOString(),
      by,
    });
    if (!updated?.reviewDeadline)
      throw new ConflictError(`申请 ${app.applicationId} 的审核时限已延长或申请已办结`);
    await appendAudit(app.caseId, {
      key: `deadline.extended#${app.applicationId}`,
      actor: by,
      action: 'deadline.extended',
      summary: `审核确认时限由${deadline.dueDate}延长至${currentDueDate(updated.reviewDeadline)}：${extensionReasonLabels[body.reason]}`,
      refs: { applicationId: app.applicationId },
    });
    return reviewDeadlineAnswer(updated);
  },
);

/**
 * 启动家庭经济状况调查 (57号 第十五条: within 3 working days of acceptance): the township records once
 * the day it started and how, so the start is on record against its deadline, for the auditor too.
 */
export const startInvestigation = httpRoute(
  {
    roles: ['townshipCaseworker'],
    idempotent: 'startInvestigation',
    path: applicationIdPath,
    body: investigationBody,
  },
  async ({ path, body, principal }) => {
    const app = await existing(path.applicationId);
    requireJurisdiction(principal, app.regionCode);
    const investigation = app.reviewDeadline?.investigation;
    if (!investigation)
      throw new ConflictError(`申请 ${app.applicationId} 尚未完成受理核查，暂不能记录启动调查`);
    if (investigation.started)
      throw new ConflictError(`已于${investigation.started.on}记录启动调查，不能重复记录`);
    const fields = [
      ...(body.startedOn < app.reviewDeadline!.acceptedOn
        ? [{ field: 'startedOn', message: `启动调查日期不能早于受理日期${app.reviewDeadline!.acceptedOn}` }]
        : []),
      ...(body.startedOn > chinaDate() ? [{ field: 'startedOn', message: '启动调查日期不能晚于今天' }] : []),
    ];
    if (fields.length) throw new ValidationError(fields);
    const by = actor(principal);
    const updated = await cases.recordInvestigationStart(app.applicationId, {
      on: body.startedOn,
      method: body.method,
      ...(body.note ? { note: body.note } : {}),
      recordedAt: new Date().toISOString(),
      by,
    });
    if (!updated?.reviewDeadline) throw new ConflictError(`申请 ${app.applicationId} 已记录启动调查或已办结`);
    const late = body.startedOn > investigation.startBy;
    await appendAudit(app.caseId, {
      key: `investigation.started#${app.applicationId}`,
      actor: by,
      action: 'investigation.started',
      summary: `${body.startedOn}启动家庭经济状况调查（${investigationMethodLabels[body.method]}）${late ? `，晚于应启动日期${investigation.startBy}` : ''}`,
      refs: { applicationId: app.applicationId },
    });
    return reviewDeadlineAnswer(updated);
  },
);

/**
 * 公示期间的异议: taken only while the notice is open. When the notice period ends the workflow
 * finds the objection and sends the case back to the township, whose review either investigates
 * again (and a new notice follows) or dismisses the objection with written reasons.
 *
 * Anyone signed in may object to a notice — it is published so that neighbours can — and a
 * caseworker may record an objection made in person, in their jurisdiction. Each is recorded with
 * who objected, once per person per notice: a signed-in objector by their subject, a person met by
 * a caseworker by the name given (unnamed ones are the caseworker's own record, under their name).
 */
export const objection = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'raiseObjection',
    path: applicationIdPath,
    body: objectionBody,
  },
  async ({ path, body, principal }) => {
    const app = await existing(path.applicationId);
    if (principal.role !== 'applicant') requireJurisdiction(principal, app.regionCode);
    const notice = app.publicNotice;
    const now = new Date();
    const open = notice?.status === 'open' && now.getTime() < Date.parse(notice.endsAt);
    // A notice open for objections is public; any other application is, to an applicant not its
    // own, as if it did not exist (a 409 would say it does).
    if (!open && principal.role === 'applicant' && !isOwner(principal, app))
      throw new NotFoundError(missingApplication(path.applicationId));
    if (!open || !notice) {
      throw new ConflictError(`申请 ${app.applicationId} 当前不在公示期，不能提出异议`);
    }
    const objector =
      principal.role === 'applicant'
        ? { subject: principal.subject, name: principal.name }
        : body.raisedBy
          ? { name: body.raisedBy }
          : undefined;
    const record: cases.Objection = {
      objectionId: newId('obj', now),
      round: notice.round,
      reason: body.reason,
      ...(body.raisedBy ? { raisedBy: body.raisedBy } : {}),
      ...(objector ? { objector } : {}),
      ...(objector
        ? {
            objectorKey: `${notice.round}#${objector.subject ? `subject:${objector.subject}` : `name:${objector.name}`}`,
          }
        : {}),
      raisedAt: now.toISOString(),
      recordedBy: actor(principal),
    };
    const added = await cases.addObjection(app.applicationId, record);
    if ('existing' in added) {
      throw new ConflictError(
        `${principal.role === 'applicant' ? '您' : `${objector!.name}`}已对申请 ${app.applicationId} 的第${notice.round}轮公示提出异议（异议编号 ${added.existing.objectionId}），同一人对同一公示只能提出一次异议`,
      );
    }
    if (!added.added) {
      throw new ConflictError(`申请 ${app.applicationId} 的公示已结束，不能提出异议`);
    }
    // The objector's name stays with the office; the log says that an objection came, and when.
    await appendAudit(app.caseId, {
      key: `objection.raised#${record.objectionId}`,
      actor: actor(principal),
      action: 'objection.raised',
      summary: `第${record.round}轮公示期间收到异议`,
      refs: { applicationId: app.applicationId, objectionId: record.objectionId },
    });
    return {
      statusCode: 201,
      body: {
        applicationId: app.applicationId,
        objectionId: record.objectionId,
        round: record.round,
        raisedAt: record.raisedAt,
        publicNoticeEndsOn: notice.endsOn,
      },
    };
  },
);

/**
 * The applicant's answer to the offer of another tier: recorded once, then handed to the waiting
 * workflow (or, if its wait has not started yet, picked up when it does; if it has just ended, read
 * by the step that ends it). The applicant answers online; a caseworker may record an answer signed
 * on paper. The same answer again is accepted and delivered again; another answer is a conflict.
 */
export const consent = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'giveConsent',
    path: applicationIdPath,
    body: consentBody,
  },
  async ({ path, body, principal }) => {
    const app = requireOwnerOrStaff(
      principal,
      await cases.getApplication(path.applicationId),
      ['townshipCaseworker'],
      missingApplication(path.applicationId),
    );
    const answered = await answerConsent(app, body, actor(principal));
    if (answered.outcome === 'conflict') throw new ConflictError(answered.message);
    return {
      statusCode: 202,
      body: { applicationId: app.applicationId, consent: consentView(answered.consent) },
    };
  },
);
