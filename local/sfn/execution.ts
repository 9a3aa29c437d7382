/**
 * An execution's life in the local engine: the interpreter run on its definition with this engine's
 * tasks, Distributed Maps and waits, its history events numbered and stored as they happen, its
 * close recorded and told (`onClosed`, as EventBridge tells on AWS), at least once.
 */
import { ExecutionAbortedError, type StateMachine } from 'aws-local-stepfunctions';
import type { AslDocument } from '../../workflows/types.ts';
import { isDistributedMap, statesOfType } from './asl.ts';
import { closedEntry, historyEntryOf, nextEvent, ROLE_ARN } from './history.ts';
import type { ExecutionStore, StoredExecution } from './store.ts';
import {
  AbandonedTask,
  type DistributedMap,
  type EventLog,
  type Execution,
  type ExecutionStatus,
  type PendingTask,
  type States,
  TOKEN_PLACEHOLDER,
} from './types.ts';

/** A state machine as the engine keeps it: the interpreter's machine, and its Distributed Maps by state name. */
export interface RegisteredMachine {
  name: string;
  definition: AslDocument;
  machine: StateMachine;
  createdAt: number;
  /** Distributed Map states, nested ones included, by name. */
  distributed: Map<string, DistributedMap>;
}

/** What an execution's run needs of the engine. */
export interface RunnerHost {
  machine(stateMachineArn: string): RegisteredMachine | undefined;
  /** Token tasks waiting in this process, by token: an execution's end abandons its own. */
  readonly tokens: Map<string, PendingTask>;
  readonly store: ExecutionStore;
  /** Work in flight, which the engine waits on to be idle or closed. */
  readonly running: Set<Promise<unknown>>;
  /** The runtime is stopping: executions stay RUNNING on record, to be resumed. */
  closing(): boolean;
  onClosed(execution: StoredExecution): Promise<void>;
  /** A Task state's work (tasks.ts). */
  runTask(
    execution: Execution,
    stateName: string,
    state: Record<string, unknown>,
    input: unknown,
  ): Promise<unknown>;
  /** A Distributed Map state's work (distributed-map.ts). */
  runMap(execution: Execution, stateName: string, parameters: unknown): Promise<unknown>;
}

export class ExecutionRunner {
  constructor(private readonly host: RunnerHost) {}

  /** Appends a history event to the execution (none for a child, none again on a replay). */
  append(execution: Execution, type: string, details: Record<string, unknown> = {}): void {
    if (execution.isChild || execution.generated++ < execution.replayed) return;
    const event = nextEvent(execution.events, { type, details }, Date.now());
    execution.events.push(event);
    this.host.store.appendEvent(execution.executionArn, event);
  }

  run(execution: Execution, machine: StateMachine, input: unknown): void {
    // A start that was being recorded when the runtime began to stop (`close` could not abort it):
    // it stays RUNNING on record, for the next start to resume, and runs nothing in this process.
    if (this.host.closing()) return;
    const { name, definition } = this.host.machine(execution.stateMachineArn)!;
    const run = this.interpret(execution, machine, definition, input, {
      Execution: {
        Id: execution.executionArn,
        Name: execution.name,
        RoleArn: ROLE_ARN,
      },
      StateMachine: { Id: execution.stateMachineArn, Name: name },
    });
    execution.abort = () => {
      execution.lifetime.abort();
      run.abort();
    };

    const consume = (async () => {
      for await (const event of run.eventLogs) this.#record(execution, event);
    })();

    const settle = run.result.then(
      async (output) => {
        await consume;
        this.#finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) });
      },
      async (error: Error) => {
        await consume.catch(() => undefined);
        if (error instanceof ExecutionAbortedError || error.name === 'ExecutionAbortedError') {
          this.#finish(execution, 'ABORTED', { error: execution.error, cause: execution.cause });
          return;
        }
        const inner = (error as Error & { cause?: Error }).cause;
        const isTimeout = error.name === 'ExecutionTimeoutError';
        this.#finish(execution, isTimeout ? 'TIMED_OUT' : 'FAILED', {
          error: isTimeout ? 'States.Timeout' : (inner?.name ?? error.name),
          cause: inner?.message ?? error.message,
        });
      },
    );
    const tracked = settle.finally(() => this.host.running.delete(tracked));
    this.host.running.add(tracked);
  }

  /**
   * Starts the interpreter on `definition` for `execution` (an execution, or a child of a
   * Distributed Map): its Task, Distributed Map and Wait states go through this engine.
   */
  interpret(
    execution: Execution,
    machine: StateMachine,
    definition: States,
    input: unknown,
    context: Record<string, unknown>,
  ): ReturnType<StateMachine['run']> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of statesOfType(definition, 'Task', false))
      handlers[name] = (taskInput) => this.track(this.host.runTask(execution, name, state, taskInput));
    for (const [name, state] of statesOfType(definition, 'Map', false))
      if (isDistributedMap(state))
        handlers[name] = (taskInput) => this.track(this.host.runMap(execution, name, taskInput));
    const waits = new Map(statesOfType(definition, 'Wait', false));
    const waitTimeOverrides = new Proxy({} as Record<string, number>, {
      get: (_, name) =>
        typeof name === 'string' && waits.has(name)
          ? this.#waitOverride(execution, name, waits.get(name)!)
          : undefined,
    });
    return machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides },
      noThrowOnAbort: false,
      context: { ...context, Task: { Token: TOKEN_PLACEHOLDER } } as never,
    });
  }

  /**
   * Counts `work` as in flight until it settles. An aborted execution's interpreter does not wait for
   * the task it was in, but the engine must: `close` returns only once no task can still call a
   * function or write a record, which after the runtime's stop would go to stopped emulators.
   */
  track<T>(work: Promise<T>): Promise<T> {
    const settled: Promise<unknown> = work
      .catch(() => undefined)
      .finally(() => this.host.running.delete(settled));
    this.host.running.add(settled);
    return work;
  }

  #finish(
    execution: Execution,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: string; error?: string | undefined; cause?: string | undefined },
  ): void {
    // A runtime that is stopping leaves its executions RUNNING on record, to be resumed.
    if (execution.status !== 'RUNNING' || this.host.closing()) return;
    execution.status = status;
    execution.stopDate = Date.now();
    execution.output = result.output;
    execution.error = result.error;
    execution.cause = result.cause;
    for (const [token, task] of this.host.tokens)
      if (task.executionArn === execution.executionArn) {
        this.host.tokens.delete(token);
        task.reject(new AbandonedTask());
      }
    execution.records.clear();
    const closed = closedEntry(status, result);
    this.append(execution, closed.type, closed.details);
    this.notifyClosed(execution, this.host.store.putExecution(execution));
  }

  /**
   * Tells `onClosed` (the archiver) once the closed execution is on record, and then takes it out
   * of the store's restart index. A crash or a failed notification leaves it there, and `resume`
   * notifies again: at least once, as EventBridge delivers on AWS; the archiver is idempotent.
   */
  notifyClosed(execution: StoredExecution, recorded: Promise<void> = Promise.resolve()): void {
    const notified = recorded
      .then(() => this.host.onClosed(execution))
      .then(() => this.host.store.markNotified(execution.executionArn));
    const tracked = notified
      .catch((error) => console.error('[sfn] close notification failed', execution.executionArn, error))
      .finally(() => this.host.running.delete(tracked));
    this.host.running.add(tracked);
  }

  /** Interpreter events, renamed as the Step Functions history names them. */
  #record(execution: Execution, event: EventLog): void {
    const entry = historyEntryOf(event, execution.input, (state) => this.#stateType(execution, state));
    if (entry) this.append(execution, entry.type, entry.details);
  }

  /** A Distributed Map is a Task in the interpreter's copy; its history names it a Map, as AWS does. */
  #stateType(execution: Execution, state: { name: string; type: string }): string {
    return this.host.machine(execution.stateMachineArn)?.distributed.has(state.name) ? 'Map' : state.type;
  }

  /**
   * Wait states with a fixed `Seconds` end at the deadline first computed for them, also after a
   * restart. Timestamp waits are absolute already; path-based ones are left to the interpreter.
   */
  #waitOverride(execution: Execution, stateName: string, state: Record<string, unknown>): number | undefined {
    if (typeof state.Seconds !== 'number') return undefined;
    const n = (execution.invocations.get(`WAIT#${stateName}`) ?? 0) + 1;
    execution.invocations.set(`WAIT#${stateName}`, n);
    const key = `${execution.keyPrefix}${stateName}#${n}`;
    const recorded = execution.records.get(`WAIT#${key}`) as { dueAt: number } | undefined;
    const dueAt = recorded?.dueAt ?? Date.now() + state.Seconds * 1000;
    if (!recorded) this.host.store.putWaitDeadline(execution.executionArn, key, dueAt);
    return Math.max(0, dueAt - Date.now());
  }
}
