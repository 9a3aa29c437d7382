/**
 * 审计检索: the applications of a region, by submission date, status and who decided their tasks,
 * each with its tasks' deadline compliance (decided by the due date they were opened with, or
 * escalated to the supervisors, or still open). Nothing personal: no member's name, no ID number.
 */
import { requireJurisdiction } from '../../shared/auth.ts';
import { httpRoute } from '../../shared/http.ts';
import { type AuditApplication, searchApplications } from '../../shared/repositories/audit-search.ts';
import { auditSearchQuery } from '../../shared/schemas/audit.ts';
import { statusLabels } from './applications.ts';

/** Counts over every task of the listed applications. */
function complianceTotals(applications: AuditApplication[]) {
  const tasks = applications.flatMap((a) => a.tasks);
  const reviews = applications.flatMap((a) => (a.reviewDeadline ? [a.reviewDeadline] : []));
  const decided = tasks.filter((t) => t.onTime !== null);
  const onTime = decided.filter((t) => t.onTime === true).length;
  return {
    tasks: tasks.length,
    decided: decided.length,
    onTime,
    late: decided.length - onTime,
    escalated: tasks.filter((t) => t.escalated).length,
    open: tasks.length - decided.length,
    overdue: tasks.filter((t) => t.overdue).length,
    onTimeShare: decided.length ? Math.round((onTime / decided.length) * 10_000) / 10_000 : null,
    reviews: {
      determined: reviews.filter((r) => r.met !== null).length,
      withinDeadline: reviews.filter((r) => r.met === true).length,
      late: reviews.filter((r) => r.met === false).length,
      overdue: reviews.filter((r) => r.overdue).length,
      extended: reviews.filter((r) => r.extended).length,
    },
  };
}

export const search = httpRoute(
  { roles: ['auditor', 'countyOfficer'], query: auditSearchQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const { applications, truncated } = await searchApplications(query);
    return {
      statusCode: 200,
      body: {
        regionCode: query.regionCode,
        filters: {
          ...(query.status ? { status: query.status } : {}),
          ...(query.caseworker ? { caseworker: query.caseworker } : {}),
          ...(query.relatives !== undefined ? { relatives: query.relatives } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
        },
        count: applications.length,
        truncated,
        compliance: complianceTotals(applications),
        applications: applications.map((a) => ({ ...a, statusLabel: statusLabels[a.status] })),
      },
    };
  },
);
