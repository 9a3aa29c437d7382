/**
 * The one SQS consumer shape (`functions/consumers/sqs.ts`): each record parsed and handled on its
 * own, only the failed ones reported — also when two batches are handled at once in one process, as
 * the local runtime does for a function that consumes two queues.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqsConsumer } from '../../functions/consumers/sqs.ts';

const event = (bodies: string[], prefix: string): SQSEvent => ({
  Records: bodies.map((body, n) => ({
    messageId: `${prefix}-${n}`,
    receiptHandle: `${prefix}-${n}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:cn-north-1:000000000000:test',
    awsRegion: 'cn-north-1',
  })),
});
const context = {} as Context;

describe('sqsConsumer', () => {
  it('reports the records that failed, poison and errors alike, and only those', async () => {
    const handled: number[] = [];
    const handler = sqsConsumer(
      z.object({ n: z.number() }),
      async ({ n }) => {
        if (n === 2) throw new Error('transient');
        handled.push(n);
      },
      'test messages not handled',
    );
    const response = await handler(
      event(
        [JSON.stringify({ n: 1 }), JSON.stringify({ n: 2 }), 'not json', JSON.stringify({ n: 'x' })],
        'a',
      ),
      context,
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['a-1', 'a-2', 'a-3']);
    expect(handled).toEqual([1]);
  });

  it('keeps two batches handled at once apart', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const handled: string[] = [];
    const handler = sqsConsumer(
      z.object({ id: z.string(), fail: z.boolean() }),
      async ({ id, fail }) => {
        // The first batch waits until the second has been registered and handled.
        if (id.startsWith('slow')) await gate;
        if (fail) throw new Error('transient');
        handled.push(id);
      },
      'test messages not handled',
    );
    const slow = handler(
      event(
        [JSON.stringify({ id: 'slow-0', fail: false }), JSON.stringify({ id: 'slow-1', fail: true })],
        'slow',
      ),
      context,
    );
    const fast = await handler(
      event(
        [JSON.stringify({ id: 'fast-0', fail: true }), JSON.stringify({ id: 'fast-1', fail: false })],
        'fast',
      ),
      context,
    );
    release();
    expect(fast.batchItemFailures).toEqual([{ itemIdentifier: 'fast-0' }]);
    expect((await slow).batchItemFailures).toEqual([{ itemIdentifier: 'slow-1' }]);
    expect(handled.sort()).toEqual(['fast-1', 'slow-0']);
  });
});
