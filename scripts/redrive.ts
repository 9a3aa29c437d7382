/**
 * `npm run redrive -- <queueId>`: moves every message of a queue's dead-letter queue back to the
 * queue, for its consumer to take again once the cause is fixed (a poisoned message that can never
 * be delivered should be read and removed, not redriven).
 *
 * Against `npm start` it finds the queues by their local names (`CaseworkerTasks` →
 * `doudi-caseworker-tasks` and its `-dlq`) on 127.0.0.1:$SQS_PORT (4566). On AWS use the service's
 * own redrive, which keeps each message's attributes:
 *   aws sqs start-message-move-task --source-arn <dead-letter queue ARN>
 * (the stack's DLQs are named in its outputs and in the alarms on their depth).
 */
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { deadLetterName, localName, queues } from '../shared/resources.ts';

const queueId = process.argv[2];
const queue = queues.find((q) => q.id === queueId);
if (!queue) {
  console.error(`用法 usage: npm run redrive -- <${queues.map((q) => q.id).join('|')}>`);
  process.exit(2);
}
const sqs = new SQSClient({
  endpoint: process.env.AWS_ENDPOINT_URL_SQS ?? `http://127.0.0.1:${process.env.SQS_PORT ?? 4566}`,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  },
  useQueueUrlAsEndpoint: false,
});
const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
const source = await url(deadLetterName(queue.id));
const target = await url(localName(queue.id));

let moved = 0;
for (;;) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: source,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
    }),
  );
  if (!Messages.length) break;
  // Sent before deleted: a crash in between leaves a copy in both, never in neither.
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: target,
      Entries: Messages.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body!,
        ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
      })),
    }),
  );
  const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
  const done = Messages.filter((_, i) => ok.has(i));
  if (done.length)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: source,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  moved += done.length;
  if (sent.Failed?.length) {
    console.error(`${sent.Failed.length} 条未能移回 could not be moved back:`, sent.Failed);
    process.exit(1);
  }
}
console.log(
  `已将 ${moved} 条消息从 ${deadLetterName(queue.id)} 移回 ${localName(queue.id)} — moved ${moved} message(s) back`,
);
