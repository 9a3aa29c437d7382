/**
 * 需求推送 for the departments (`shared/demands.ts`): the demands of a region, one demand (who it
 * reaches, for the department that must act — recorded on the household's chain), and the department's
 * answer. County officers and auditors follow them, masked. And the month's change list (增减变动名单).
 */
import {
  actor,
  departmentsListed,
  ForbiddenError,
  ownDepartment,
  type Principal,
  requireJurisdiction,
} from '../../shared/auth.ts';
import { changeListFor } from '../../shared/change-lists.ts';
import {
  answerDemand,
  type DemandRecord,
  demandPerson,
  getDemand,
  listDemands,
  recordDemandRead,
} from '../../shared/demands.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { specialItemLabels } from '../../shared/domain/special-assistance.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { departmentLabels } from '../../shared/monitoring/vocabulary.ts';
import { tierLabels } from '../../shared/rules/classify.ts';
import {
  changesQuery,
  demandFeedbackBody,
  demandIdPath,
  demandKindLabels,
  demandResults,
  demandResultsFor,
  demandStatusLabels,
  demandsQuery,
} from '../../shared/schemas/warnings.ts';

/** What a caller sees of a demand: the person sealed away, unless `person` is given. */
function demandView(d: DemandRecord, person?: { name: string; idNumber: string }) {
  const { person: _sealed, feedback, ...rest } = d;
  return {
    ...rest,
    kindLabel: demandKindLabels[d.kind],
    departmentLabel: departmentLabels[d.department],
    itemLabel: specialItemLabels[d.item],
    tierLabel: d.tier ? (tierLabels[d.tier as keyof typeof tierLabels] ?? d.tier) : null,
    statusLabel: demandStatusLabels[d.status],
    ...(person ? { person } : {}),
    ...(feedback
      ? {
          feedback: {
            result: feedback.result,
            resultLabel: demandResults[feedback.result],
            measures: feedback.measures,
            handledOn: feedback.handledOn,
            answeredAt: feedback.answeredAt,
            answeredBy: { name: feedback.answeredBy.name, role: feedback.answeredBy.role },
            late: feedback.late,
          },
        }
      : {}),
  };
}

/** The demand a request names, if the caller may see it: its department's officers, or staff over its region. */
async function visibleDemand(principal: Principal, demandId: string): Promise<DemandRecord> {
  const demand = await getDemand(demandId);
  if (!demand) throw new NotFoundError(`需求 ${demandId} 不存在`);
  if (principal.role === 'departmentOfficer' && demand.department !== ownDepartment(principal, '需求'))
    throw new ForbiddenError(`此需求推送给${departmentLabels[demand.department]}，本部门无权查看或反馈`);
  requireJurisdiction(principal, demand.regionCode);
  return demand;
}

export const list = httpRoute(
  { roles: ['departmentOfficer', 'countyOfficer', 'auditor'], query: demandsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const wanted = departmentsListed(principal, query.department, '需求');
    const all = (
      await Promise.all(
        wanted.map((department) =>
          listDemands({ department, regionCode: query.regionCode, status: query.status }),
        ),
      )
    )
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.demandId.localeCompare(b.demandId));
    return {
      statusCode: 200,
      body: {
        regionCode: query.regionCode,
        department: wanted.length === 1 ? wanted[0]! : null,
        status: query.status ?? null,
        count: all.length,
        truncated: all.length > query.limit,
        demands: all.slice(0, query.limit).map((d) => demandView(d)),
      },
    };
  },
);

/**
 * One demand. The department that must act on it reads who it reaches (name and ID number), and that
 * reading is recorded on the household's chain; everyone else sees the masked number only.
 */
export const get = httpRoute(
  { roles: ['departmentOfficer', 'countyOfficer', 'auditor'], path: demandIdPath },
  async ({ path, principal }) => {
    const demand = await visibleDemand(principal, path.demandId);
    if (principal.role !== 'departmentOfficer') return { statusCode: 200, body: demandView(demand) };
    await recordDemandRead(demand, actor(principal));
    return { statusCode: 200, body: demandView(demand, await demandPerson(demand)) };
  },
);

/**
 * 反馈: the department says what it did, once (a retry with the same `Idempotency-Key` gets the first
 * answer). A new item is answered granted or declined, an ended one stopped or continued.
 */
export const feedback = httpRoute(
  { roles: ['departmentOfficer'], idempotent: 'answerDemand', path: demandIdPath, body: demandFeedbackBody },
  async ({ path, body, principal }) => {
    const demand = await visibleDemand(principal, path.demandId);
    const allowed = demandResultsFor[demand.kind];
    if (!allowed.includes(body.result))
      throw new ValidationError([
        {
          field: 'result',
          message: `${demandKindLabels[demand.kind]}的需求，办理结果应为 ${allowed
            .map((r) => `${r}（${demandResults[r]}）`)
            .join('、')} 之一`,
        },
      ]);
    if (demand.feedback) throw new ConflictError(`需求 ${path.demandId} 已反馈，不能重复反馈`);
    const answeredAt = new Date().toISOString();
    const today = chinaDate(new Date(answeredAt));
    const answered = await answerDemand(demand, {
      ...body,
      handledOn: body.handledOn ?? today,
      answeredAt,
      answeredBy: actor(principal),
      late: demand.escalations.length > 0 || (!!demand.dueDate && today > demand.dueDate),
    });
    if (!answered) throw new ConflictError(`需求 ${path.demandId} 已反馈，不能重复反馈`);
    return { statusCode: 200, body: demandView(answered) };
  },
);

/**
 * 增减变动名单 (`shared/change-lists.ts`): the month's people whose items from the officer's department
 * started, changed or ended, in a region they serve — counts, the rows masked, and a five-minute link
 * to the file with full ID numbers (the download recorded).
 */
export const changes = httpRoute(
  { roles: ['departmentOfficer'], query: changesQuery },
  async ({ query, principal }) => {
    const department = ownDepartment(principal, '需求');
    requireJurisdiction(principal, query.regionCode);
    return {
      statusCode: 200,
      body: await changeListFor(department, query.regionCode, query.month, actor(principal)),
    };
  },
);
