/**
 * The archive of closed executions' histories in S3 (Object Lock on AWS): one object per
 * execution under its case, written once when the execution closes, read by the auditor's view.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DescribeExecutionCommandOutput, HistoryEvent } from '@aws-sdk/client-sfn';
import { s3 } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { archiveBucket } from '../resources.ts';

export interface ArchivedExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: string;
  stopDate: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  events: HistoryEvent[];
  archivedAt: string;
}

const bucket = () => requiredEnv(archiveBucket.env);
export const archiveKey = (caseId: string, executionArn: string) =>
  `cases/${caseId}/${encodeURIComponent(executionArn.split(':').slice(-2).join(':'))}.json`;

export function toArchive(d: DescribeExecutionCommandOutput, events: HistoryEvent[]): ArchivedExecution {
  const parse = (text: string | undefined) => (text === undefined ? null : JSON.parse(text));
  return {
    executionArn: d.executionArn!,
    stateMachineArn: d.stateMachineArn!,
    name: d.name!,
    status: d.status!,
    startDate: d.startDate!.toISOString(),
    stopDate: d.stopDate?.toISOString() ?? null,
    input: parse(d.input),
    output: parse(d.output),
    error: d.error ?? null,
    cause: d.cause ?? null,
    events,
    archivedAt: new Date().toISOString(),
  };
}

/**
 * Writes the closed execution's archive once. The close notification comes at least once (a retry,
 * a restart re-notifying what a crash left unnotified): a second write finds the object there
 * (`If-None-Match: *`, S3's conditional write) and leaves it as it is. A store that ignores the
 * condition (fauxqs) writes the same history again under the same key.
 */
export async function putArchive(caseId: string, archived: ArchivedExecution): Promise<string> {
  const key = archiveKey(caseId, archived.executionArn);
  try {
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: key,
        Body: JSON.stringify(archived),
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    // 412: already archived. 409: a concurrent write of the same archive is under way.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 412 && status !== 409) throw error;
  }
  return key;
}

export async function getArchive(
  caseId: string,
  executionArn: string,
): Promise<ArchivedExecution | undefined> {
  try {
    const out = await s3().send(
      new GetObjectCommand({ Bucket: bucket(), Key: archiveKey(caseId, executionArn) }),
    );
    return JSON.parse(await out.Body!.transformToString()) as ArchivedExecution;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
