/**
 * The local engine tells `onClosed` (the archiver, as EventBridge does on AWS) of every execution
 * that closes, at least once: a notification that fails — or a crash between saving the closed
 * execution and notifying — leaves the execution in the store's restart index, and the next start
 * (`resume`) notifies it again; one that succeeded is never repeated. Engines made for the test over
 * the runtime's DynamoDB Local, on a state machine of their own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Integrations, LocalStepFunctions } from '../../local/sfn/engine.ts';
import { DynamoExecutionStore, type StoredExecution } from '../../local/sfn/store.ts';
import { useRuntime } from '../support/runtime.ts';

useRuntime();

const integrations: Integrations = {
  call: async () => {
    throw new Error('no service integrations here');
  },
  invokeFunction: async () => {
    throw new Error('no functions here');
  },
};
const definition = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } } as const;

let client: DynamoDBClient;
let store: DynamoExecutionStore;
beforeAll(() => {
  client = new DynamoDBClient({});
  store = new DynamoExecutionStore(client);
});
afterAll(() => client.destroy());

/** An engine whose `onClosed` records what it is told of (ours only) and fails while `failing`. */
function engine(failing = false) {
  const told: StoredExecution[] = [];
  const sfn = new LocalStepFunctions(integrations, store, async (execution) => {
    if (!execution.name.startsWith('close-notification-')) return;
    if (failing) throw new Error('the archiver is down');
    told.push(execution);
  });
  const machine = sfn.createStateMachine('close-notification-test', definition);
  return { sfn, machine, told };
}

const unnotified = async (arn: string) => (await store.listUnnotified()).some((e) => e.executionArn === arn);

it('notifies a closing again after a restart until the notification succeeds, then never again', async () => {
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const first = engine(true);
  const { executionArn } = await first.sfn.startExecution(
    first.machine,
    `close-notification-${Date.now()}`,
    '{}',
  );
  await first.sfn.idle();
  await first.sfn.close();
  quiet.mockRestore();
  // Closed and saved, but nobody heard of it: still in the restart index.
  expect((await store.getExecution(executionArn))?.status).toBe('SUCCEEDED');
  expect(first.told).toEqual([]);
  expect(await unnotified(executionArn)).toBe(true);
  expect((await store.listRunning()).some((e) => e.executionArn === executionArn)).toBe(false);

  const second = engine();
  expect(await second.sfn.resume()).toBe(0);
  await second.sfn.idle();
  expect(second.told.map((e) => [e.executionArn, e.status])).toEqual([[executionArn, 'SUCCEEDED']]);
  expect(await unnotified(executionArn)).toBe(false);
  await second.sfn.close();

  const third = engine();
  await third.sfn.resume();
  await third.sfn.idle();
  expect(third.told).toEqual([]);
  await third.sfn.close();
});

it('an execution whose notification succeeded leaves the restart index at once', async () => {
  const live = engine();
  const { executionArn } = await live.sfn.startExecution(
    live.machine,
    `close-notification-ok-${Date.now()}`,
    '{}',
  );
  await live.sfn.idle();
  expect(live.told.map((e) => e.executionArn)).toEqual([executionArn]);
  expect(await unnotified(executionArn)).toBe(false);
  await live.sfn.close();
});
