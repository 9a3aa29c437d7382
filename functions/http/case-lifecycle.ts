import { appendAudit } from '../../shared/audit.ts';
import {
  actor,
  isOwner,
  type Principal,
  type Role,
  requireJurisdiction,
  requireOwnerOrStaff,
} from '../../shared/auth.ts';
import { newId } from '../../shared/domain/ids.ts';
import { shownRecovery } from '../../shared/domain/recoveries.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { answerHearing } from '../../shared/hearing.ts';
import { httpRoute } from '../../shared/http.ts';
import { changeHouseholdContact, contactView, householdContact } from '../../shared/notify/contact.ts';
import { registerPayeeAccount } from '../../shared/payroll.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { listPayments, listRecoveries, maskedPayeeAccount } from '../../shared/repositories/payments.ts';
import { caseIdPath, declarationBody, hearingAnswerBody, objectionBody } from '../../shared/schemas/cases.ts';
import { householdContactBody } from '../../shared/schemas/household.ts';
import { payeeAccountBody } from '../../shared/schemas/payroll.ts';

/** The case a request names, if it exists and the caller is its applicant or staff of `staff` over its region. */
export async function authorizedCase(
  principal: Principal,
  caseId: string,
  staff: readonly Role[],
): Promise<lifecycle.CaseItem> {
  return requireOwnerOrStaff(principal, await lifecycle.getCaseItem(caseId), staff, `案件 ${caseId} 不存在`);
}

export const declare = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'submitDeclaration',
    path: caseIdPath,
    body: declarationBody,
  },
  async ({ path, body, principal }) => {
    const item = await authorizedCase(principal, path.caseId, ['townshipCaseworker']);
    const { pledge: _p, verificationConsent: _v, regionCode: named, ...rest } = body;
    if (named !== undefined && named !== item.regionCode)
      throw new ValidationError([
        {
          field: 'regionCode',
          message: `行政区划代码须为本案件所在地（${item.regionCode}）；迁往其他地区须由工作人员办理转移，不能在申报中变更`,
        },
      ]);
    const now = new Date();
    const declaration = { ...rest, regionCode: item.regionCode };
    const record = {
      declarationId: newId('decl', now),
      caseId: path.caseId,
      declaredAt: now.toISOString(),
      declaration,
      declaredBy: actor(principal),
    };
    await lifecycle.putDeclaration(record);
    await appendAudit(path.caseId, {
      key: `declaration.submitted#${record.declarationId}`,
      actor: actor(principal),
      action: 'declaration.submitted',
      summary: '申报家庭情况变化（供定期核查）',
      refs: { declarationId: record.declarationId },
    });
    return {
      statusCode: 201,
      body: {
        caseId: record.caseId,
        declarationId: record.declarationId,
        declaredAt: record.declaredAt,
        message: '已记录家庭情况变化，将在下次定期核查时核查',
      },
    };
  },
);

/**
 * 陈述意见 before a reduction or an end (社会救助法第四十八条): the household answers online; a
 * township caseworker records what they heard on a visit. Once; the same answer again is no error.
 */
export const hear = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'answerHearing',
    path: caseIdPath,
    body: hearingAnswerBody,
  },
  async ({ path, body, principal }) => {
    await authorizedCase(principal, path.caseId, ['townshipCaseworker']);
    const channel = principal.role === 'applicant' ? 'online' : 'visit';
    const result = await answerHearing(path.caseId, { ...body, channel }, actor(principal));
    if (result.outcome === 'conflict') throw new ConflictError(result.message);
    const answer = result.hearing.answer!;
    return {
      // The same answer again (a retry) answers the same.
      statusCode: 200,
      body: {
        caseId: path.caseId,
        hearingId: result.hearing.hearingId,
        opinion: answer.opinion as 'agree' | 'object',
        channel: answer.channel!,
        answeredAt: answer.answeredAt,
        message:
          answer.opinion === 'agree'
            ? '已记录：对拟作决定无异议，将依程序作出决定并书面告知'
            : '已记录您的异议，经办人将复核后作出决定并书面告知',
      },
    };
  },
);

/**
 * 对拟终止特困人员救助供养公示的异议 (民发〔2021〕43号 第二十六条): taken while the 7-day notice is open,
 * from anyone signed in (the notice is public) or recorded in person by the township; once per
 * person per notice. The county investigates what came in before it decides.
 */
export const objectToEnd = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'raiseEndObjection',
    path: caseIdPath,
    body: objectionBody,
  },
  async ({ path, body, principal }) => {
    const missing = `案件 ${path.caseId} 不存在`;
    const item = await lifecycle.getCaseItem(path.caseId);
    if (!item) throw new NotFoundError(missing);
    if (principal.role !== 'applicant') requireJurisdiction(principal, item.regionCode);
    const now = new Date();
    const notice = (await lifecycle.listEndNotices(path.caseId)).find(
      (n) => n.status === 'open' && now.getTime() < Date.parse(n.endsAt),
    );
    if (!notice) {
      // Not under notice: to an applicant not its own, as if the case did not exist.
      if (principal.role === 'applicant' && !isOwner(principal, item)) throw new NotFoundError(missing);
      throw new ConflictError(`案件 ${path.caseId} 当前没有拟终止救助供养的公示，不能提出异议`);
    }
    const objectionId = newId('obj', now);
    const objector =
      principal.role === 'applicant'
        ? `subject:${principal.subject}`
        : body.raisedBy
          ? `name:${body.raisedBy}`
          : `anonymous:${objectionId}`;
    const added = await lifecycle.addEndObjection(
      path.caseId,
      notice.endNoticeId,
      { objectionId, reason: body.reason, raisedAt: now.toISOString(), recordedBy: actor(principal) },
      objector,
    );
    if (added === 'duplicate') throw new ConflictError('同一人对同一公示只能提出一次异议');
    if (added === 'closed') throw new ConflictError('公示已结束，不能提出异议');
    // The objector stays with the office; the log says that an objection came, and when.
    await appendAudit(path.caseId, {
      key: `endNotice.objection#${objectionId}`,
      actor: actor(principal),
      action: 'endNotice.objection',
      summary: `拟终止救助供养公示期间（${notice.startsOn}至${notice.endsOn}）收到异议`,
      refs: { endNoticeId: notice.endNoticeId, objectionId },
    });
    return {
      statusCode: 201,
      body: {
        caseId: path.caseId,
        objectionId,
        endsOn: notice.endsOn,
        message: '已收到您的异议，县级民政部门将调查核实后作出决定',
      },
    };
  },
);

export const payments = httpRoute(
  { roles: ['applicant', 'townshipCaseworker', 'countyOfficer', 'auditor'], path: caseIdPath },
  async ({ path, principal }) => {
    await authorizedCase(principal, path.caseId, ['townshipCaseworker', 'countyOfficer', 'auditor']);
    const [list, account, recoveries] = await Promise.all([
      listPayments(path.caseId),
      maskedPayeeAccount(path.caseId),
      listRecoveries(path.caseId),
    ]);
    const total = list.reduce((sum, p) => sum + Math.round(p.amount * 100), 0) / 100;
    return {
      statusCode: 200,
      body: {
        caseId: path.caseId,
        total,
        payeeAccount: account
          ? { ...account, changedBy: { name: account.changedBy.name, role: account.changedBy.role } }
          : null,
        recoveries: recoveries.map(shownRecovery),
        payments: list.map(({ month, kind, amount, tier, basis, recordedAt }) => ({
          month,
          kind,
          amount,
          tier,
          basis,
          recordedAt,
        })),
      },
    };
  },
);

/**
 * 收款账户: the household (online, its own case) or the township registers the account assistance is
 * paid to. Each registration is kept (who, when, why); the number and name are sealed, and every
 * answer and log shows them masked.
 */
/** Where the household's SMS go now (masked), and whether it receives them. */
export const contactOf = httpRoute(
  { roles: ['applicant', 'townshipCaseworker'], path: caseIdPath },
  async ({ path, principal }) => {
    await authorizedCase(principal, path.caseId, ['townshipCaseworker']);
    const current = await householdContact(path.caseId);
    return { statusCode: 200, body: { caseId: path.caseId, contact: current ? contactView(current) : null } };
  },
);

/**
 * A new phone number for the household's SMS, or SMS turned on or off: by the household, or by its
 * township (a number the gateway refused, mended after reaching the household in person).
 */
export const contact = httpRoute(
  { roles: ['applicant', 'townshipCaseworker'], path: caseIdPath, body: householdContactBody },
  async ({ path, body, principal }) => {
    await authorizedCase(principal, path.caseId, ['townshipCaseworker']);
    const changed = await changeHouseholdContact(path.caseId, body, actor(principal));
    return {
      statusCode: 200,
      body: {
        caseId: path.caseId,
        ...changed,
        message:
          changed.contact.notify === 'sms'
            ? `此后的短信通知发送至 ${changed.contact.phoneMasked}`
            : '此后不再发送短信通知；书面告知照常送达',
      },
    };
  },
);

export const payee = httpRoute(
  {
    roles: ['applicant', 'townshipCaseworker'],
    idempotent: 'registerPayee',
    path: caseIdPath,
    body: payeeAccountBody,
  },
  async ({ path, body, principal }) => {
    const item = await authorizedCase(principal, path.caseId, ['townshipCaseworker']);
    if (item.kind === 'emergency')
      throw new ValidationError([{ field: 'caseId', message: '临时救助案件不按月发放，无需登记收款账户' }]);
    const { masked, changedAt, fixed } = await registerPayeeAccount(path.caseId, body, actor(principal));
    return {
      statusCode: 200,
      body: {
        caseId: path.caseId,
        ...(fixed ? { accountFixesClosed: fixed } : {}),
        payeeAccount: {
          ...masked,
          changedAt,
          changedBy: { name: principal.name, role: principal.role },
        },
        message: '收款账户已登记，此后的救助金发放到该账户',
      },
    };
  },
);
