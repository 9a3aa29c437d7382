/**
 * Archives an execution's history when it closes (EventBridge "Step Functions Execution Status
 * Change" on AWS; the local engine sends the same event), so the auditor's timeline never depends
 * on Step Functions keeping a closed history for only 90 days.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { EventBridgeEvent } from 'aws-lambda';
import { sfn } from '../../shared/clients.ts';
import { logger } from '../../shared/logger.ts';
import { putArchive, toArchive } from '../../shared/repositories/archive.ts';

export type ExecutionStatusChange = EventBridgeEvent<
  'Step Functions Execution Status Change',
  { executionArn: string; stateMachineArn: string; status: string }
>;

const CLOSED = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

export async function fullHistory(executionArn: string): Promise<HistoryEvent[]> {
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

export async function archiveExecution(event: ExecutionStatusChange): Promise<{ archived: string | null }> {
  const { executionArn, status } = event.detail;
  if (!CLOSED.has(status)) return { archived: null };
  const [description, events] = await Promise.all([
    sfn().send(new DescribeExecutionCommand({ executionArn })),
    fullHistory(executionArn),
  ]);
  // A case's executions are kept under the case; a chain of its own (a payroll roll's) under its id.
  const input = JSON.parse(description.input ?? '{}') as { caseId?: string; chainId?: string };
  const chain = input.caseId ?? input.chainId;
  if (!chain) {
    logger.warn('closed execution without a caseId or chainId in its input; not archived', { executionArn });
    return { archived: null };
  }
  return { archived: await putArchive(chain, toArchive(description, events)) };
}
