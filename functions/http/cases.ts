/** The auditor's view of a case: every execution of its chain, in order, with its events. */
import { DescribeExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { type AuditAction, auditActions, verifyAuditLog } from '../../shared/audit.ts';
import { sfn } from '../../shared/clients.ts';
import { httpRoute } from '../../shared/http.ts';
import { getArchive } from '../../shared/repositories/archive.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { caseIdPath } from '../../shared/schemas/cases.ts';
import { fullHistory } from '../steps/archive.ts';
import { authorizedCase } from './case-lifecycle.ts';

const stateName = (e: HistoryEvent) => e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;

/** Staff only: the workflow's inner states are the office's record, not the applicant's notice. */
const historyReaders = ['townshipCaseworker', 'countyOfficer', 'auditor'] as const;

export const history = httpRoute({ roles: historyReaders, path: caseIdPath }, async ({ path, principal }) => {
  await authorizedCase(principal, path.caseId, historyReaders);
  const links = await cases.listExecutions(path.caseId);
  // Closed executions come from the archive (kept for years); running ones from Step Functions.
  const executions = await Promise.all(
    links.map(async (link) => {
      const archived = await getArchive(path.caseId, link.executionArn);
      const { status, startDate, stopDate, events } =
        archived ??
        (await (async () => {
          const [d, live] = await Promise.all([
            sfn().send(new DescribeExecutionCommand({ executionArn: link.executionArn })),
            fullHistory(link.executionArn),
          ]);
          return {
            status: d.status,
            startDate: d.startDate?.toISOString(),
            stopDate: d.stopDate?.toISOString() ?? null,
            events: live,
          };
        })());
      const at = (e: HistoryEvent) =>
        e.timestamp instanceof Date ? e.timestamp.toISOString() : String(e.timestamp);
      return {
        workflow: link.workflow,
        executionArn: link.executionArn,
        status,
        startDate,
        stopDate,
        archived: archived !== undefined,
        states: events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => stateName(e)),
        events: events.map((e) => ({
          id: e.id,
          type: e.type,
          timestamp: at(e),
          ...(stateName(e) ? { state: stateName(e) } : {}),
        })),
      };
    }),
  );
  executions.sort((a, b) => String(a.startDate).localeCompare(String(b.startDate)));
  return { statusCode: 200, body: { caseId: path.caseId, executions } };
});

/**
 * The case's tamper-evident audit log (`shared/audit.ts`) and its verification: each entry with who
 * acted, what and when, whether the hash chain still holds (and if not, from which entry on),
 * whether it agrees with its heads anchored outside the table, and whether the payment items agree
 * with what the chain recorded.
 */
export const auditLog = httpRoute(
  { roles: ['auditor', 'countyOfficer'], path: caseIdPath },
  async ({ path, principal }) => {
    await authorizedCase(principal, path.caseId, ['auditor', 'countyOfficer']);
    const { log, ...verification } = await verifyAuditLog(path.caseId);
    return {
      statusCode: 200,
      body: {
        caseId: path.caseId,
        verification,
        entries: log.map((e) => ({
          seq: e.seq,
          at: e.at,
          actor: { name: e.actor.name, role: e.actor.role },
          action: e.action,
          actionLabel: auditActions[e.action as AuditAction] ?? e.action,
          summary: e.summary,
          refs: e.refs,
          prevHash: e.prevHash,
          hash: e.hash,
        })),
      },
    };
  },
);
