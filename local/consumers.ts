/**
 * The local runtime's SQS event source mapping: for each queue a catalog function consumes, long
 * polls the queue, invokes the function with the SQS event Lambda would deliver, deletes the
 * records it did not report as failed, and leaves the failed ones to come back — so that after the
 * queue's `maxReceiveCount` receives SQS (fauxqs) moves a poisoned message to its dead-letter queue.
 *
 * One difference from AWS, for speed: a failed record becomes visible again after a second rather
 * than after the queue's visibility timeout.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CONSUMER_BATCH_SIZE, type FunctionName } from '../functions/catalog.ts';
import { ACCOUNT, invoke, REGION } from './lambda.ts';

const RETRY_AFTER_SECONDS = 1;

function toEvent(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? ACCOUNT,
        ApproximateFirstReceiveTimestamp:
          m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          {
            dataType: v.DataType ?? 'String',
            stringValue: v.StringValue,
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: REGION,
    })),
  };
}

export interface Consumer {
  stop(): Promise<void>;
}

export function startConsumer(options: {
  functionName: FunctionName;
  queueName: string;
  queueUrl: string;
  endpoint: string;
}): Consumer {
  const client = new SQSClient({ endpoint: options.endpoint, useQueueUrlAsEndpoint: false });
  const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${options.queueName}`;
  let stopped = false;

  const loop = (async () => {
    while (!stopped) {
      let messages: Message[] = [];
      try {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: CONSUMER_BATCH_SIZE,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (stopped) return;
        console.error(`[consumer] ${options.functionName}: receive failed`, error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!messages.length) continue;
      let failed: Set<string>;
      try {
        const response = (await invoke(
          options.functionName,
          toEvent(messages, queueArn),
        )) as SQSBatchResponse | null;
        failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        // A function error fails the whole batch, as on AWS.
        console.error(`[consumer] ${options.functionName} failed a batch`, error);
        failed = new Set(messages.map((m) => m.MessageId!));
      }
      const done = messages.filter((m) => !failed.has(m.MessageId!));
      const retry = messages.filter((m) => failed.has(m.MessageId!));
      // An acknowledgement that fails must not end the loop (the queue would never be read again):
      // what was not deleted comes back after its visibility timeout, and handlers are idempotent.
      try {
        if (done.length)
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        if (retry.length)
          await client.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: retry.map((m, i) => ({
                Id: String(i),
                ReceiptHandle: m.ReceiptHandle!,
                VisibilityTimeout: RETRY_AFTER_SECONDS,
              })),
            }),
          );
      } catch (error) {
        if (stopped) return;
        console.error(`[consumer] ${options.functionName}: acknowledging a batch failed`, error);
      }
    }
  })();

  return {
    async stop() {
      // The receive in flight is not aborted: the queue may already have handed it messages, which
      // an aborted answer would leave invisible for the whole visibility timeout (60 s) after a
      // restart. It returns within its 1-second wait, and what it brought is handled first.
      stopped = true;
      await loop.catch(() => undefined);
      client.destroy();
    },
  };
}
