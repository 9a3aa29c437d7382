/** 追回: the county orders money returned, and records what the household repays itself. */
import { appendAudit } from '../../shared/audit.ts';
import { actor } from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { newId, stableId } from '../../shared/domain/ids.ts';
import { yuanText } from '../../shared/domain/money.ts';
import {
  type RecoveryOrder,
  recoveryGroundLabels,
  recoveryNotice,
  shownRecovery,
} from '../../shared/domain/recoveries.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { putNotice } from '../../shared/repositories/lifecycle.ts';
import {
  listPayments,
  listRecoveries,
  putRecovery,
  reduceRecovery,
} from '../../shared/repositories/payments.ts';
import { caseIdPath } from '../../shared/schemas/cases.ts';
import { recoveryBody, recoveryIdPath, repaymentBody } from '../../shared/schemas/payroll.ts';
import { authorizedCase } from './case-lifecycle.ts';

const notAfterToday = (field: string, date: string) => {
  if (date > chinaDate()) throw new ValidationError([{ field, message: '日期不能晚于今天' }]);
};

/**
 * A recovery order with its written notice (the remedy stated): never more than the case was paid,
 * deducted from later rolls or repaid by the household.
 */
export const order = httpRoute(
  { roles: ['countyOfficer'], idempotent: 'orderRecovery', path: caseIdPath, body: recoveryBody },
  async ({ path, body, principal }) => {
    await authorizedCase(principal, path.caseId, ['countyOfficer']);
    notAfterToday('decidedOn', body.decidedOn);
    const [payments, orders] = await Promise.all([listPayments(path.caseId), listRecoveries(path.caseId)]);
    const paidFen = payments.reduce((fen, p) => fen + Math.round(p.amount * 100), 0);
    const orderedFen = orders.reduce((fen, o) => fen + Math.round(o.amount * 100), 0);
    if (Math.round(body.amount * 100) + orderedFen > paidFen)
      throw new ValidationError([
        {
          field: 'amount',
          message: `追回金额不能超过该案件已发放的金额（已发放${yuanText(paidFen / 100)}${orderedFen ? `，已决定追回${yuanText(orderedFen / 100)}` : ''}）`,
        },
      ]);
    const recordedAt = new Date().toISOString();
    const recoveryId = newId('recovery');
    const base: Omit<RecoveryOrder, 'noticeId'> = {
      recoveryId,
      caseId: path.caseId,
      ground: body.ground,
      amount: body.amount,
      outstanding: body.amount,
      method: body.method,
      reason: body.reason,
      documentNumber: body.documentNumber,
      decidedOn: body.decidedOn,
      recordedBy: actor(principal),
      recordedAt,
      deductions: {},
      repayments: [],
    };
    const notice = recoveryNotice(base, stableId('notice', recoveryId));
    const recovery: RecoveryOrder = { ...base, noticeId: notice.noticeId };
    await putRecovery(recovery);
    await appendAudit(path.caseId, {
      key: `recovery.ordered#${recoveryId}`,
      actor: actor(principal),
      action: 'recovery.ordered',
      summary: `决定追回救助金${yuanText(body.amount)}（${recoveryGroundLabels[body.ground]}，${body.documentNumber}）`,
      refs: { recoveryId, noticeId: notice.noticeId },
    });
    await putNotice(path.caseId, notice, { recoveryId });
    return { statusCode: 201, body: { ...shownRecovery(recovery), notice } };
  },
);

/** A repayment by the household, with its receipt: never more than the order still owes. */
export const repay = httpRoute(
  { roles: ['countyOfficer'], idempotent: 'recordRepayment', path: recoveryIdPath, body: repaymentBody },
  async ({ path, body, principal }) => {
    await authorizedCase(principal, path.caseId, ['countyOfficer']);
    notAfterToday('paidOn', body.paidOn);
    const order = (await listRecoveries(path.caseId)).find((o) => o.recoveryId === path.recoveryId);
    if (!order) throw new NotFoundError(`追回决定 ${path.recoveryId} 不存在`);
    if (order.outstanding <= 0) throw new ConflictError('该追回决定已全部追回');
    const repayment = {
      repaymentId: newId('repay'),
      amount: body.amount,
      paidOn: body.paidOn,
      receipt: body.receipt,
      recordedAt: new Date().toISOString(),
    };
    const applied = await reduceRecovery(path.caseId, path.recoveryId, { kind: 'repayment', repayment });
    if (applied === 'exceeds')
      throw new ValidationError([
        { field: 'amount', message: `退回金额超过尚欠金额（尚欠${yuanText(order.outstanding)}）` },
      ]);
    await appendAudit(path.caseId, {
      key: `recovery.repaid#${repayment.repaymentId}`,
      actor: actor(principal),
      action: 'recovery.repaid',
      summary: `退回救助金${yuanText(body.amount)}（追回决定 ${path.recoveryId}，凭证 ${body.receipt}）`,
      refs: { recoveryId: path.recoveryId, repaymentId: repayment.repaymentId },
    });
    const now = (await listRecoveries(path.caseId)).find((o) => o.recoveryId === path.recoveryId)!;
    return { statusCode: 201, body: shownRecovery(now) };
  },
);
