/** The auditor's view of a case: every execution of its chain, in order, with its events. */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { sfn } from '../../shared/clients.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import * as cases from '../../shared/repositories/cases.ts';

async function fullHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn().send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const stateName = (e: HistoryEvent) => e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;

export const history = httpRoute(
  { path: z.object({ caseId: z.string().regex(/^case-[a-z0-9]+$/, { error: '案件编号格式不正确' }) }) },
  async ({ path }) => {
    if (!(await cases.caseExists(path.caseId))) throw new NotFoundError(`案件 ${path.caseId} 不存在`);
    const links = await cases.listExecutions(path.caseId);
    const executions = await Promise.all(
      links.map(async (link) => {
        const [description, events] = await Promise.all([
          sfn().send(new DescribeExecutionCommand({ executionArn: link.executionArn })),
          fullHistory(link.executionArn),
        ]);
        return {
          workflow: link.workflow,
          executionArn: link.executionArn,
          status: description.status,
          startDate: description.startDate?.toISOString(),
          stopDate: description.stopDate?.toISOString() ?? null,
          states: events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => stateName(e)),
          events: events.map((e) => ({
            id: e.id,
            type: e.type,
            timestamp: e.timestamp?.toISOString(),
            ...(stateName(e) ? { state: stateName(e) } : {}),
          })),
        };
      }),
    );
    return { statusCode: 200, body: { caseId: path.caseId, executions } };
  },
);
