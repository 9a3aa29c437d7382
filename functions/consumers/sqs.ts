/**
 * An SQS consumer as Powertools shapes one, for every queue of the system: each record is parsed
 * (JSON, then its zod schema) and handled on its own, and only the records that failed are reported
 * back (partial batch response), so one poisoned message is retried alone and, after the queue's
 * `maxReceiveCount` receives, moved to its dead-letter queue while the rest of the batch goes on.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../../shared/logger.ts';

/** A message that can never be handled: retrying will not help, the DLQ is where it belongs. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

function parsed<S extends z.ZodType>(schema: S, record: SQSRecord): z.infer<S> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`message ${record.messageId} is not JSON`);
  }
  const result = schema.safeParse(body);
  if (!result.success)
    throw new PoisonMessageError(
      `message ${record.messageId}: ${result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

/** The Lambda handler of a queue whose messages `schema` describes, each handled by `work`. */
export function sqsConsumer<S extends z.ZodType>(
  schema: S,
  work: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  /** What failed, for the log line: "notifications not delivered". */
  failure: string,
) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const response = await processPartialResponse(
      event,
      (record: SQSRecord) => work(parsed(schema, record), record),
      // One per invocation: a processor keeps its batch on itself outside Lambda's InvokeStore, so a
      // shared one lets concurrent invocations (the local runtime polls each consumed queue on its own
      // loop: two queues, two batches at once) report each other's records.
      new BatchProcessor(EventType.SQS),
      {
        context,
        // A batch of nothing but poison still answers record by record (each counts its receives).
        throwOnFullBatchFailure: false,
      },
    );
    if (response.batchItemFailures.length)
      logger.warn(`${failure}; SQS will retry them`, {
        failed: response.batchItemFailures.map((f) => f.itemIdentifier),
        of: event.Records.length,
      });
    return response;
  };
}
