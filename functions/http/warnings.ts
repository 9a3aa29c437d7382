import { appendAudit } from '../../shared/audit.ts';
import {
  actor,
  covers,
  departmentsListed,
  ForbiddenError,
  ownDepartment,
  type Principal,
  requireJurisdiction,
} from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import { type RegisterRecord, registerDefinition } from '../../shared/monitoring/compare/index.ts';
import {
  describeFeed,
  feedDefinitions,
  feedDescriptions,
  feedNames,
  renderFeedSchemas,
  validateRecord,
} from '../../shared/monitoring/feeds/index.ts';
import { happinessList as sumHappiness } from '../../shared/monitoring/happiness.ts';
import {
  assistanceTypeLabels,
  departmentLabels,
  riskTypeLabels,
} from '../../shared/monitoring/vocabulary.ts';
import { listLookups, lookUp } from '../../shared/register-lookup.ts';
import * as monitoring from '../../shared/repositories/monitoring.ts';
import { importHouseholds } from '../../shared/repositories/register.ts';
import {
  feedbackResults,
  happinessQuery,
  lookupBody,
  lookupsQuery,
  registerLoadBody,
  registerLoadQuery,
  runIdPath,
  warningFeedbackBody,
  warningIdPath,
  warningStatusLabels,
  warningsQuery,
} from '../../shared/schemas/warnings.ts';

/** What a caller sees of a warning: everything but the household's member indexes. */
export function warningView(w: monitoring.WarningRecord) {
  const { memberIndexes: _m, feedback, verification, ...rest } = w;
  return {
    ...rest,
    riskTypeLabel: riskTypeLabels[w.riskType],
    departmentLabel: departmentLabels[w.department],
    statusLabel: warningStatusLabels[w.status],
    ...(feedback
      ? {
          feedback: {
            result: feedback.result,
            resultLabel: feedbackResults[feedback.result],
            measures: feedback.measures,
            assistance: feedback.assistance,
            ...(feedback.amount === undefined ? {} : { amount: feedback.amount }),
            handledOn: feedback.handledOn!,
            answeredAt: feedback.answeredAt,
            answeredBy: { name: feedback.answeredBy.name, role: feedback.answeredBy.role },
            late: feedback.late,
          },
        }
      : {}),
    ...(verification
      ? {
          verification: {
            taskId: verification.taskId,
            dueDate: verification.dueDate,
            status: verification.status,
            ...(verification.decision
              ? {
                  decision: {
                    decision: verification.decision.decision,
                    reasons: verification.decision.reasons,
                    decidedAt: verification.decision.decidedAt,
                    decidedBy: verification.decision.decidedBy,
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** The warning a request names, if the caller may see it: its department's officers, or civil affairs staff over its region. */
async function visibleWarning(principal: Principal, warningId: string): Promise<monitoring.WarningRecord> {
  const warning = await monitoring.getWarning(warningId);
  if (!warning) throw new NotFoundError(`预警 ${warningId} 不存在`);
  if (principal.role === 'departmentOfficer' && warning.department !== ownDepartment(principal, '预警'))
    throw new ForbiddenError(`此预警推送给${departmentLabels[warning.department]}，本部门无权查看或反馈`);
  requireJurisdiction(principal, warning.regionCode);
  return warning;
}

export const list = httpRoute(
  { roles: ['departmentOfficer', 'countyOfficer', 'auditor'], query: warningsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const wanted = departmentsListed(principal, query.department, '预警');
    const all = (
      await Promise.all(
        wanted.map((department) =>
          monitoring.listWarnings({ department, regionCode: query.regionCode, status: query.status }),
        ),
      )
    )
      .flat()
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || a.warningId.localeCompare(b.warningId));
    return {
      statusCode: 200,
      body: {
        regionCode: query.regionCode,
        department: wanted.length === 1 ? wanted[0] : null,
        status: query.status ?? null,
        count: all.length,
        truncated: all.length > query.limit,
        warnings: all.slice(0, query.limit).map(warningView),
      },
    };
  },
);

export const get = httpRoute(
  { roles: ['departmentOfficer', 'countyOfficer', 'auditor'], path: warningIdPath },
  async ({ path, principal }) => ({
    statusCode: 200,
    body: warningView(await visibleWarning(principal, path.warningId)),
  }),
);

/**
 * 反馈: the department the warning was pushed to says what it did, once; a second answer is refused
 * (409) — unless it is a retry with the same `Idempotency-Key`, which gets the first answer. The answer
 * joins the household's chain and counts in the happiness list.
 */
export const feedback = httpRoute(
  {
    roles: ['departmentOfficer'],
    idempotent: 'answerWarning',
    path: warningIdPath,
    body: warningFeedbackBody,
  },
  async ({ path, body, principal }) => {
    const warning = await visibleWarning(principal, path.warningId);
    if (warning.feedback) throw new ConflictError(`预警 ${path.warningId} 已反馈，不能重复反馈`);
    const answeredAt = new Date().toISOString();
    const today = chinaDate(new Date(answeredAt));
    const answered = await monitoring.answerWarning(path.warningId, {
      ...body,
      handledOn: body.handledOn ?? today,
      answeredAt,
      answeredBy: actor(principal),
      // Past the department's own due date: escalated already, or past the one in force.
      late: warning.escalations.length > 0 || today > warning.dueDate,
    });
    if (!answered) throw new ConflictError(`预警 ${path.warningId} 已反馈，不能重复反馈`);
    const what = [
      feedbackResults[body.result],
      ...(body.assistance.length
        ? [`落实${body.assistance.map((a) => assistanceTypeLabels[a]).join('、')}`]
        : []),
      ...(body.amount === undefined ? [] : [`金额${yuanText(body.amount)}`]),
    ].join('，');
    await appendAudit(answered.chainId, {
      key: `warning.answered#${answered.warningId}`,
      actor: actor(principal),
      action: 'warning.answered',
      summary: `${departmentLabels[answered.department]}反馈${riskTypeLabels[answered.riskType]}预警：${what}（${body.measures}）${
        answered.feedback?.late ? '；逾期反馈' : ''
      }`,
      refs: { warningId: answered.warningId },
      ledger: {
        regionCode: answered.regionCode,
        kind: 'warningAnswered',
        riskType: answered.riskType,
        department: answered.department,
        result: body.result,
        assistance: body.assistance,
        amount: body.amount,
      },
    });
    return { statusCode: 200, body: warningView(answered) };
  },
);

/** The whole country: the jurisdiction that covers every region, named or not. */
const NATIONAL = '000000';

/**
 * A monitoring run: its counts and rejected lines, for staff whose jurisdiction covers every region it
 * concerns. A run that names no region — still running, not a feed, or rows without a readable region
 * code — concerns a region nobody can be checked against, so it is for national staff (000000) alone:
 * an empty list must not read as "everyone's".
 */
export const run = httpRoute(
  { roles: ['countyOfficer', 'auditor', 'admin'], path: runIdPath },
  async ({ path, principal }) => {
    const record = await monitoring.getRun(path.runId);
    if (!record) throw new NotFoundError(`比对 ${path.runId} 不存在`);
    const regions = record.regionCodes?.length ? record.regionCodes : [NATIONAL];
    const outside = regions.filter((code) => !principal.regionCodes.some((s) => covers(s, code)));
    if (outside.length)
      throw new ForbiddenError(
        regions === record.regionCodes
          ? `比对涉及的行政区划 ${outside.join('、')} 不在您的管辖范围内`
          : `比对 ${path.runId} 未载明涉及的行政区划（尚未完成，或文件各行均无可识别的行政区划代码），仅全国（${NATIONAL}）管辖范围的人员可查看`,
      );
    const {
      bucket: _b,
      etag: _e,
      executionArn: _x,
      manifestKey: _m,
      header: _h,
      bytes: _y,
      ...view
    } = record;
    return { statusCode: 200, body: view };
  },
);

export const feedSchemas = httpRoute({ roles: 'public' }, async () => ({
  statusCode: 200,
  body: {
    formats: ['csv', 'jsonl'],
    feeds: feedNames.map((feed) => ({
      feed,
      department: departmentLabels[feed],
      description: feedDescriptions[feed],
      objectKey: `${feed}/<文件名>.csv 或 ${feed}/<文件名>.jsonl`,
      csvHeader: feedDefinitions[feed].fields.map((f) => f.name).join(','),
      fields: describeFeed(feed),
    })),
    text: renderFeedSchemas(),
  },
}));

export const happinessList = httpRoute(
  { roles: ['countyOfficer', 'auditor', 'admin'], query: happinessQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const entries = await monitoring.ledgerEntries(query.regionCode, query.from, query.to);
    return { statusCode: 200, body: sumHappiness(entries, query) };
  },
);

/**
 * Loads households of the national register's export (`registerDefinition` in
 * `shared/monitoring/compare/register.ts`: householdId, caseId?, regionCode, tier, status, perCapitaMonthlyIncome,
 * members, assistance?) — households known only there, outside assistance or on relapse watch, so that
 * monitoring can match them. Each row is validated as a line of the export would be; a row outside
 * `regionCode` or invalid, a household stored outside `regionCode` or kept by the system for its own
 * case, and a row naming another case than the one stored (none, for a new household) are refused with
 * their index and reason; the others are loaded (each replacing its household's earlier entry). `npm run register:load -- <file>` sends a whole export in batches.
 */

export const loadRegister = httpRoute(
  { roles: ['admin'], query: registerLoadQuery, body: registerLoadBody },
  async ({ query, body, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const rejected: Array<{ index: number; householdId: string | null; reason: string }> = [];
    const valid: Array<{ index: number; householdId: string | null; row: RegisterRecord }> = [];
    for (const [index, row] of body.households.entries()) {
      const householdId =
        typeof (row as { householdId?: unknown } | null)?.householdId === 'string'
          ? (row as { householdId: string }).householdId
          : null;
      const checked = validateRecord(registerDefinition, row);
      if (!checked.ok) rejected.push({ index, householdId, reason: checked.reason });
      else if (!covers(query.regionCode, checked.row.regionCode))
        rejected.push({
          index,
          householdId,
          reason: `字段 regionCode（行政区划代码）：${checked.row.regionCode} 不在所载入的 ${query.regionCode} 范围内`,
        });
      else valid.push({ index, householdId, row: checked.row });
    }
    const outcomes = await importHouseholds(
      valid.map((v) => v.row),
      query.regionCode,
    );
    let loaded = 0;
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok) loaded++;
      else
        rejected.push({ index: valid[i]!.index, householdId: valid[i]!.householdId, reason: outcome.reason });
    }
    rejected.sort((a, b) => a.index - b.index);
    return {
      statusCode: 200,
      body: { regionCode: query.regionCode, received: body.households.length, loaded, rejected },
    };
  },
);

/**
 * 结果互认: a department officer looks up, for a stated purpose, whether people of a region are in the
 * low-income population, their tier and its dates, and the special assistance their department delivers
 * (`shared/register-lookup.ts`). Recorded for the auditors.
 */
export const lookup = httpRoute(
  { roles: ['departmentOfficer'], body: lookupBody },
  async ({ body, principal }) => {
    const department = ownDepartment(principal, '预警');
    requireJurisdiction(principal, body.regionCode);
    const { lookup: record, results } = await lookUp(body, { ...actor(principal), department });
    return {
      statusCode: 200,
      body: {
        lookupId: record.lookupId,
        regionCode: record.regionCode,
        department,
        departmentLabel: departmentLabels[department],
        purpose: record.purpose,
        count: record.count,
        found: record.found,
        results,
      },
    };
  },
);

/** The look-ups of a region, for the auditors: who asked, when, why, how many people, how many found. */
export const lookups = httpRoute(
  { roles: ['auditor'], query: lookupsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const records = await listLookups(query.regionCode);
    return {
      statusCode: 200,
      body: {
        regionCode: query.regionCode,
        lookups: records.map(({ people, ...r }) => ({
          ...r,
          departmentLabel: departmentLabels[r.department],
          by: { name: r.by.name, role: r.by.role },
          people: people.length,
        })),
      },
    };
  },
);
