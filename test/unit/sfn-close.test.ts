/**
 * The local engine's `close` (the runtime's stop) leaves nothing behind: no token task handed out
 * after it abandoned the others, no deadline timer holding the process, no execution run after it.
 * Once a bench printed its figures, stopped its runtime and never exited: a token task entered as
 * the engine closed waited for ever, on a deadline timer that kept the process alive. In memory,
 * without DynamoDB Local: the races are set up exactly, at the instant each one needs.
 */
import { expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { type Integrations, LocalStepFunctions } from '../../local/sfn/engine.ts';
import type { ExecutionStore, StoredExecution, TaskRecord } from '../../local/sfn/store.ts';
import type { HistoryEvent } from '../../local/sfn/types.ts';

/** The store's contract in memory; its writes in order, each after `delay` ms. */
class MemoryStore implements ExecutionStore {
  readonly executions = new Map<string, StoredExecution>();
  readonly records = new Map<string, TaskRecord>();
  delay = 0;
  onEvent: (event: HistoryEvent) => void = () => undefined;
  #chain = Promise.resolve();

  #enqueue(write: () => void): Promise<void> {
    const delay = this.delay;
    this.#chain = this.#chain.then(() => new Promise<void>((r) => setTimeout(() => r(write()), delay)));
    return this.#chain;
  }
  putExecution(e: StoredExecution) {
    return this.#enqueue(() => this.executions.set(e.executionArn, { ...e }));
  }
  async listRunning() {
    return [];
  }
  async listUnnotified() {
    return [];
  }
  async markNotified() {}
  putTaskRecord(arn: string, key: string, record: TaskRecord) {
    return this.#enqueue(() => this.records.set(`${arn}|${key}`, record));
  }
  async closeTask(arn: string, key: string, record: TaskRecord) {
    this.records.set(`${arn}|${key}`, record);
  }
  async getTaskRecord(arn: string, key: string) {
    return this.records.get(`${arn}|${key}`);
  }
  async listTaskRecords() {
    return new Map<string, TaskRecord>();
  }
  putWaitDeadline() {}
  async getExecution(arn: string) {
    return this.executions.get(arn);
  }
  async listExecutions() {
    return [...this.executions.values()];
  }
  appendEvent(_arn: string, event: HistoryEvent) {
    this.onEvent(event);
  }
  async listEvents() {
    return [];
  }
  flush() {
    return this.#chain;
  }
}

/** A plan step, then a human task on a token with a day's deadline: the application workflow's shape. */
const definition = {
  StartAt: 'Plan',
  States: {
    Plan: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:plan', Next: 'Review' },
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'open-task', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 86_400,
      End: true,
    },
  },
};

function engine(store: MemoryStore) {
  const invoked: string[] = [];
  const integrations: Integrations = {
    call: async () => ({}),
    invokeFunction: async (name) => {
      invoked.push(String(name).replace(/^.*:/, ''));
      return {};
    },
  };
  const sfn = new LocalStepFunctions(integrations, store);
  const machine = sfn.createStateMachine('close-test', definition as never);
  return { sfn, machine, invoked };
}

/** Settles within `ms`, or says it did not. */
const within = (work: Promise<unknown>, ms: number) =>
  Promise.race([work.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), ms))]);

it('a token task entered while the engine closes hands out no token and leaves no timer', async () => {
  const store = new MemoryStore();
  const { sfn, machine, invoked } = engine(store);
  const timers = clock.pendingTimers;
  let closed: Promise<void> | undefined;
  // The stop begins the instant the interpreter enters the human task, before the task's first step.
  store.onEvent = (event) => {
    const entered = (event as { stateEnteredEventDetails?: { name?: string } }).stateEnteredEventDetails;
    if (event.type === 'TaskStateEntered' && entered?.name === 'Review') closed = sfn.close();
  };
  await sfn.startExecution(machine, 'entered-while-closing', '{}');
  await expect.poll(() => closed !== undefined).toBe(true);
  expect(await within(closed!, 2000)).toBe('settled');
  expect(invoked).toEqual(['plan']);
  // Neither the task's deadline nor the interpreter's own timer for the task is left.
  expect(clock.pendingTimers).toBe(timers);
  expect(sfn.runningCount).toBe(0);
});

it('a start still being recorded as the engine closes is left on record, not run', async () => {
  const store = new MemoryStore();
  const { sfn, machine, invoked } = engine(store);
  const timers = clock.pendingTimers;
  store.delay = 50;
  const started = sfn.startExecution(machine, 'started-while-closing', '{}');
  await new Promise((r) => setTimeout(r, 10));
  const closed = sfn.close();
  expect(await within(closed, 2000)).toBe('settled');
  await started;
  // RUNNING on record, for the next start to resume; nothing of it ran in the closing engine.
  expect([...store.executions.values()].map((e) => e.status)).toEqual(['RUNNING']);
  expect(invoked).toEqual([]);
  expect(clock.pendingTimers).toBe(timers);
});

it('a token task waiting when the engine closes ends, its tokens still valid on record', async () => {
  const store = new MemoryStore();
  const { sfn, machine, invoked } = engine(store);
  const timers = clock.pendingTimers;
  await sfn.startExecution(machine, 'waiting-at-close', '{}');
  await expect.poll(() => [...store.records.values()].map((r) => r.status)).toContain('submitted');
  expect(clock.pendingTimers).toBeGreaterThan(timers);
  expect(await within(sfn.close(), 2000)).toBe('settled');
  expect(invoked).toEqual(['plan', 'open-task']);
  expect(clock.pendingTimers).toBe(timers);
  expect([...store.executions.values()].map((e) => e.status)).toEqual(['RUNNING']);
});
