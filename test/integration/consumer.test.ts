/**
 * Queue consumers under bad input (issue 7.5): a batch with poisoned messages is delivered except
 * for them (partial batch response); each poisoned one is retried alone and, after the queue's
 * `maxReceiveCount` receives, lands in the dead-letter queue; `npm run redrive` moves messages of a
 * dead-letter queue back, and they are delivered.
 */
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { caseworkerQueue } from '../../shared/resources.ts';
import { eventually, useRuntime } from '../support/runtime.ts';
import { runScript } from '../support/scripts.ts';

const runtime = useRuntime();
const { api } = runtime;
const sqs = () => new SQSClient({ useQueueUrlAsEndpoint: false });
const queueUrl = () => runtime.rt.env.CASEWORKER_QUEUE_URL!;
const dlqUrl = () => runtime.rt.env.CASEWORKER_QUEUE_DLQ_URL!;

const opened = (taskId: string) =>
  JSON.stringify({
    type: 'taskOpened',
    taskId,
    kind: 'townshipReview',
    township: '410122',
    caseId: `case-${taskId}`,
    dueDate: '2026-12-21',
  });

async function delivered(taskIds: string[]) {
  return eventually(async () => {
    const { body } = await api('/notifications?township=410122');
    const ids = body.notifications.map((n: { taskId: string }) => n.taskId);
    return taskIds.every((id) => ids.includes(id)) ? ids : undefined;
  });
}

describe('the notification consumer', () => {
  it('delivers the good messages of a batch and sends the poisoned ones to the DLQ after 5 receives', async () => {
    const client = sqs();
    const good = ['task-good1', 'task-good2', 'task-good3'];
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(),
        Entries: [
          { Id: 'g1', MessageBody: opened(good[0]!) },
          { Id: 'p1', MessageBody: '{not json' },
          { Id: 'g2', MessageBody: opened(good[1]!) },
          {
            Id: 'p2',
            MessageBody: JSON.stringify({ type: 'taskOpened', taskId: 'task-bad', township: 'x' }),
          },
          { Id: 'g3', MessageBody: opened(good[2]!) },
        ],
      }),
    );
    await delivered(good);

    const inDlq = await eventually(async () => {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: dlqUrl(),
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages) === 2 ? true : undefined;
    });
    expect(inDlq).toBe(true);
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl(),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(Messages.map((m) => m.Body).sort()).toEqual(
      ['{not json', JSON.stringify({ type: 'taskOpened', taskId: 'task-bad', township: 'x' })].sort(),
    );
    // Each was received as many times as the queue allows before it was moved.
    for (const m of Messages)
      expect(Number(m.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(
        caseworkerQueue.maxReceiveCount,
      );
    // Nothing is left behind on the queue itself.
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl(),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Number(Attributes?.ApproximateNumberOfMessages)).toBe(0);
  });

  it('npm run redrive moves a dead-letter queue’s messages back, where they are delivered', async () => {
    const client = sqs();
    // A message that failed for a cause since fixed (it is valid now).
    await client.send(new SendMessageCommand({ QueueUrl: dlqUrl(), MessageBody: opened('task-redriven') }));
    // In a process of its own, awaited: fauxqs runs in this very process and must go on answering it.
    const run = await runScript('scripts/redrive.ts', ['CaseworkerTasks'], {
      AWS_ENDPOINT_URL_SQS: runtime.rt.endpoints.sqs,
    });
    expect(run.status, run.stderr).toBe(0);
    // The two poisoned messages of the first test go back too, and fail again.
    expect(run.stdout).toMatch(/已将 3 条消息/);
    await delivered(['task-redriven']);
  });
});
