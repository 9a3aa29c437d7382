/** 发放名册: the county prepares a month's roll, reads it, and a second officer approves or returns it. */
import { actor, ForbiddenError, requireJurisdiction } from '../../shared/auth.ts';
import { addMonthsToMonth, chinaMonth } from '../../shared/domain/lifecycle.ts';
import type { RollRecord } from '../../shared/domain/payroll.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { decideRoll, startRoll } from '../../shared/payroll.ts';
import * as payroll from '../../shared/repositories/payroll.ts';
import {
  payrollDecisionBody,
  payrollQuery,
  payrollsQuery,
  rollIdPath,
  startPayrollBody,
} from '../../shared/schemas/payroll.ts';

/** Lines per page of `GET /payrolls/{rollId}`: a county's roll runs to tens of thousands. */
export const LINES_PER_PAGE = 500;

const shown = ({ taskToken: _token, ...roll }: RollRecord) => roll;

const STATUS_TEXT: Record<string, string> = {
  computing: '正在计算',
  prepared: '待审批',
  approved: '已审批',
};

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
          `本县的发放名册 ${started.rollId}（${held ? (STATUS_TEXT[held.status] ?? held.status) : ''}）尚未办结，办结前不能编制新的名册`,
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
    const lines = roll.status === 'computing' ? [] : await payroll.readLines(roll.rollId);
    const from = (query.page - 1) * LINES_PER_PAGE;
    return {
      statusCode: 200,
      body: {
        ...shown(roll),
        page: query.page,
        pages: Math.max(1, Math.ceil(lines.length / LINES_PER_PAGE)),
        lines: lines.slice(from, from + LINES_PER_PAGE),
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
        throw new ForbiddenError('编制人不能审批本人编制的发放名册，须由另一名县级工作人员审批');
      case 'conflict':
        throw new ConflictError(
          decided.roll.approval
            ? `发放名册 ${roll.rollId} 已由${decided.roll.approval.by.name}${decided.roll.approval.decision === 'approve' ? '审批通过' : '退回'}`
            : `发放名册 ${roll.rollId} ${STATUS_TEXT[decided.roll.status] ?? decided.roll.status}，不在待审批状态`,
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
