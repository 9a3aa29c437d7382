/** 发放名册: the county prepares a month's roll, reads it, and a second officer approves or returns it. */
import { actor, ForbiddenError, requireJurisdiction } from '../../shared/auth.ts';
import { addMonthsToMonth, chinaMonth } from '../../shared/domain/lifecycle.ts';
import type { RollRecord } from '../../shared/domain/payroll.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { acceptReturn, decideRoll, downloadBankFile, startRoll } from '../../shared/payroll.ts';
import * as payroll from '../../shared/repositories/payroll.ts';
import {
  BANK_RETURN_MAX_BYTES,
  bankFileBody,
  bankReturnBody,
  payrollDecisionBody,
  payrollQuery,
  payrollsQuery,
  rollIdPath,
  rollStatusLabels,
  startPayrollBody,
} from '../../shared/schemas/payroll.ts';

/** Lines per page of `GET /payrolls/{rollId}`: a county's roll runs to tens of thousands. */
export const LINES_PER_PAGE = 500;

/** A roll as people see it: no workflow tokens, no storage keys. */
const shown = ({
  taskToken: _token,
  returnToken: _return,
  lineCounts: _counts,
  bankFile,
  bankReturn,
  ...roll
}: RollRecord) => ({
  ...roll,
  ...(bankFile ? { bankFile: (({ key: _k, indexKey: _i, ...f }) => f)(bankFile) } : {}),
  ...(bankReturn ? { bankReturn: (({ key: _k, resultsKey: _r, ...r }) => r)(bankReturn) } : {}),
});

export const start = httpRoute(
  { roles: ['countyOfficer'], idempotent: 'startPayroll', body: startPayrollBody },
  async ({ body, principal }) => {
    requireJurisdiction(principal, body.regionCode);
    const current = chinaMonth(new Date());
    if (body.month > addMonthsToMonth(current, 1))
      throw new ValidationError([
        { field: 'month', message: `只能编制本月或下月的发放名册（本月为${current}）` },
      ]);
    const started = await startRoll(body.regionCode, body.month, actor(principal));
    switch (started.outcome) {
      case 'started':
      case 'same':
        return {
          statusCode: 202,
          body: {
            ...shown(started.roll),
            message: `已开始编制${started.roll.month}发放名册，计算完成后须由另一名县级工作人员审批`,
          },
        };
      case 'approved':
        throw new ConflictError(
          `${body.month}的发放名册已审批（${started.rollId}），不能再编制；更正列入以后月份的名册`,
        );
      case 'later':
        throw new ConflictError(
          `本县已审批更晚月份的发放名册（${started.rollId}），不能再编制${body.month}的名册`,
        );
      case 'inFlight': {
        const held = await payroll.getRoll(started.rollId);
        throw new ConflictError(
          `本县的发放名册 ${started.rollId}（${held ? rollStatusLabels[held.status] : ''}）尚未办结，办结前不能编制新的名册`,
        );
      }
    }
  },
);

export const list = httpRoute(
  { roles: ['countyOfficer', 'auditor'], query: payrollsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const rolls = await payroll.rollsOf(query.regionCode);
    return { statusCode: 200, body: { regionCode: query.regionCode, rolls: rolls.map(shown) } };
  },
);

async function authorizedRoll(rollId: string, principal: Parameters<typeof requireJurisdiction>[0]) {
  const roll = await payroll.getRoll(rollId);
  if (!roll) throw new NotFoundError(`发放名册 ${rollId} 不存在`);
  requireJurisdiction(principal, roll.regionCode);
  return roll;
}

export const get = httpRoute(
  { roles: ['countyOfficer', 'auditor'], path: rollIdPath, query: payrollQuery },
  async ({ path, query, principal }) => {
    const roll = await authorizedRoll(path.rollId, principal);
    const from = (query.page - 1) * LINES_PER_PAGE;
    // Sealed: only the shards the page falls in are read. Still computing: no lines to show yet.
    const counts = roll.lineCounts;
    const total = counts?.reduce((a, b) => a + b, 0) ?? 0;
    const lines = counts ? await payroll.readLinesPage(roll.rollId, counts, from, LINES_PER_PAGE) : [];
    return {
      statusCode: 200,
      body: {
        ...shown(roll),
        page: query.page,
        pages: Math.max(1, Math.ceil(total / LINES_PER_PAGE)),
        lines,
      },
    };
  },
);

export const decide = httpRoute(
  { roles: ['countyOfficer'], idempotent: 'decidePayroll', path: rollIdPath, body: payrollDecisionBody },
  async ({ path, body, principal }) => {
    const roll = await authorizedRoll(path.rollId, principal);
    const decided = await decideRoll(roll, body, actor(principal));
    switch (decided.outcome) {
      case 'own':
        throw new ForbiddenError('编制人不能审批（或退回）本人编制的发放名册，须由另一名县级工作人员审批');
      case 'conflict':
        throw new ConflictError(
          decided.roll.approval
            ? `发放名册 ${roll.rollId} 已由${decided.roll.approval.by.name}${decided.roll.approval.decision === 'approve' ? '审批通过' : '退回'}`
            : body.decision === 'submit'
              ? `发放名册 ${roll.rollId} ${rollStatusLabels[decided.roll.status]}，不是待核对提交的名册`
              : `发放名册 ${roll.rollId} ${rollStatusLabels[decided.roll.status]}，${decided.roll.status === 'computed' ? '须先由一名县级工作人员核对提交' : '不在待审批状态'}`,
        );
      case 'recorded':
      case 'same':
        return {
          statusCode: decided.outcome === 'recorded' ? 202 : 200,
          body: {
            rollId: roll.rollId,
            decision: body.decision,
            message:
              body.decision === 'approve' ? '已审批通过，名册此后不可更改' : '已退回，本县可重新编制该月名册',
          },
        };
    }
  },
);

/** The approving officer's one download of the approved roll's bank file, as a short-lived link. */
export const bankFile = httpRoute(
  { roles: ['countyOfficer'], path: rollIdPath, body: bankFileBody },
  async ({ path, principal }) => {
    const roll = await authorizedRoll(path.rollId, principal);
    const link = await downloadBankFile(roll, actor(principal));
    switch (link.outcome) {
      case 'notApprover':
        throw new ForbiddenError('银行文件只能由审批通过该名册的工作人员下载');
      case 'conflict':
        throw new ConflictError(link.message);
      case 'link': {
        const file = link.roll.bankFile!;
        return {
          statusCode: 200,
          body: {
            rollId: roll.rollId,
            url: link.url,
            expiresAt: link.expiresAt,
            fileName: file.fileName,
            lines: file.lines,
            total: file.total,
          },
        };
      }
    }
  },
);

/**
 * 回盘: the bank's return file, taken whole or refused with every problem named by its line; on
 * acceptance the workflow records each line (paid: on the ledger; failed: owed again).
 */
export const bankReturn = httpRoute(
  {
    roles: ['countyOfficer'],
    idempotent: 'bankReturn',
    maxBodyBytes: BANK_RETURN_MAX_BYTES,
    path: rollIdPath,
    body: bankReturnBody,
  },
  async ({ path, body, principal }) => {
    const roll = await authorizedRoll(path.rollId, principal);
    const accepted = await acceptReturn(roll, body.content, actor(principal));
    switch (accepted.outcome) {
      case 'refused':
        throw new ValidationError(
          accepted.problems,
          `回盘文件与银行文件不符，未作任何记录（共${accepted.problems.length}处）`,
        );
      case 'conflict':
        throw new ConflictError(accepted.message);
      case 'accepted': {
        const r = accepted.roll.bankReturn!;
        return {
          statusCode: 202,
          body: {
            rollId: roll.rollId,
            paid: r.paid,
            failed: r.failed,
            paidAmount: r.paidAmount,
            failedAmount: r.failedAmount,
            message: `回盘已接受：成功${r.paid}笔，失败${r.failed}笔；正在逐户记入发放记录，失败的将在以后月份的名册补发`,
          },
        };
      }
    }
  },
);
