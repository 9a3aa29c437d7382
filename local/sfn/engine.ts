/**
 * The local Step Functions service: aws-local-stepfunctions interprets the ASL; this engine adds
 * what it lacks — executions with ARNs and AWS-shaped histories, `$$.Task.Token` and
 * `.waitForTaskToken`, the service integrations the workflows use, and a record of every
 * execution in DynamoDB Local.
 *
 * Crash safety, as Temporal does it: every task's outcome is recorded before the interpreter sees
 * it, keyed by (state, n-th invocation of that state). On restart each RUNNING execution runs
 * again from its input; recorded tasks return their recorded outcome instead of doing the work
 * again, history events already stored are not written twice, task tokens — derived from the same
 * key — are the ones handed out before, and timers end at their original deadlines.
 *
 * This file is the service API; the rest is one concept a file: an execution's run and close
 * (execution.ts), task states, token tasks and integrations (tasks.ts), the history's events (history.ts),
 * Distributed Map runs (distributed-map.ts, items.ts), ASL rewriting and substitution (asl.ts), the
 * records in DynamoDB Local (store.ts) and the wire protocol (api.ts).
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AslDocument } from '../../workflows/types.ts';
import { ACCOUNT, REGION } from '../lambda.ts';
import { checkDistributedMap, forInterpreter, isDistributedMap, statesOfType } from './asl.ts';
import { DistributedMaps } from './distributed-map.ts';
import { SfnApiError } from './errors.ts';
import { ExecutionRunner, type RegisteredMachine } from './execution.ts';
import { ROLE_ARN } from './history.ts';
import type { ExecutionStore, StoredExecution } from './store.ts';
import { TaskRunner } from './tasks.ts';
import {
  AbandonedTask,
  type DistributedMap,
  type Execution,
  type HistoryEvent,
  type Integrations,
  type MapRun,
  type PendingTask,
  type States,
} from './types.ts';

export type { ExecutionStatus, HistoryEvent, Integrations } from './types.ts';

export class LocalStepFunctions {
  readonly #machines = new Map<string, RegisteredMachine>();
  readonly #executions = new Map<string, Execution>();
  readonly #mapRuns = new Map<string, MapRun>();
  readonly #tokens = new Map<string, PendingTask>();
  readonly #running = new Set<Promise<unknown>>();
  readonly #starting = new Map<string, Promise<{ executionArn: string; startDate: number }>>();
  #closing = false;
  readonly #maps: DistributedMaps;
  readonly #tasks: TaskRunner;
  readonly #runner: ExecutionRunner;

  constructor(
    integrations: Integrations,
    private readonly store: ExecutionStore,
    /** Told of every execution that closes, as EventBridge is told on AWS. */
    onClosed: (execution: StoredExecution) => Promise<void> = async () => undefined,
  ) {
    this.#runner = new ExecutionRunner({
      machine: (arn) => this.#machines.get(arn),
      tokens: this.#tokens,
      store,
      running: this.#running,
      closing: () => this.#closing,
      onClosed,
      runTask: (execution, name, state, input) => this.#tasks.run(execution, name, state, input),
      runMap: (execution, name, parameters) => this.#maps.run(execution, name, parameters),
    });
    const append = this.#runner.append.bind(this.#runner);
    this.#maps = new DistributedMaps({
      append,
      interpret: this.#runner.interpret.bind(this.#runner),
      machine: (arn) => this.#machines.get(arn),
      mapRuns: this.#mapRuns,
      tokens: this.#tokens,
      store,
      integrations,
      closing: () => this.#closing,
    });
    this.#tasks = new TaskRunner({
      append,
      execution: async (arn) => this.#executions.get(arn) ?? (await this.#load(arn)),
      startExecution: (arn, name, input) => this.startExecution(arn, name, input),
      tokens: this.#tokens,
      store,
      integrations,
      closing: () => this.#closing,
    });
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
  }

  createStateMachine(name: string, definition: AslDocument): string {
    const arn = this.stateMachineArn(name);
    // The ARN checks of the validator reject nothing we use; JSONPath checks stay on.
    const machine = new StateMachine(forInterpreter(definition) as never, {
      validationOptions: { checkArn: false },
    });
    const distributed = new Map<string, DistributedMap>();
    for (const [stateName, state] of statesOfType(definition, 'Map').filter(([, s]) => isDistributedMap(s))) {
      checkDistributedMap(stateName, state, definition);
      const processor = (state.ItemProcessor ?? state.Iterator) as States & { StartAt: string };
      const processorDefinition = { StartAt: processor.StartAt, States: processor.States };
      distributed.set(stateName, {
        state,
        definition: processorDefinition,
        processor: new StateMachine(forInterpreter(processorDefinition) as never, {
          validationOptions: { checkArn: false },
        }),
      });
    }
    this.#machines.set(arn, { name, definition, machine, createdAt: Date.now(), distributed });
    return arn;
  }

  listStateMachines() {
    return [...this.#machines.entries()].map(([arn, m]) => ({
      stateMachineArn: arn,
      name: m.name,
      type: 'STANDARD',
      creationDate: m.createdAt / 1000,
    }));
  }

  describeStateMachine(arn: string) {
    const m = this.#machines.get(arn);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return {
      stateMachineArn: arn,
      name: m.name,
      status: 'ACTIVE',
      definition: JSON.stringify(m.definition),
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      creationDate: m.createdAt / 1000,
    };
  }

  async startExecution(stateMachineArn: string, name: string | undefined, input: string | undefined) {
    const machine = this.#machines.get(stateMachineArn);
    if (!machine)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionName = name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(executionName))
      throw new SfnApiError('InvalidName', `Invalid Name: '${executionName}'`);
    const inputText = input ?? '{}';
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(inputText);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid execution input: not valid JSON');
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    // Two starts of one name at once (two sweeps racing) are taken one after the other, so the
    // second finds the first's execution instead of starting a twin of it.
    const before = this.#starting.get(executionArn);
    const attempt = (before ?? Promise.resolve())
      .catch(() => undefined)
      .then(() =>
        this.#startNamed(
          machine.machine,
          stateMachineArn,
          executionName,
          executionArn,
          inputText,
          parsedInput,
        ),
      );
    this.#starting.set(executionArn, attempt);
    // In flight until recorded (and run), so that `close` waits for its record to be written.
    this.#runner.track(attempt);
    try {
      return await attempt;
    } finally {
      if (this.#starting.get(executionArn) === attempt) this.#starting.delete(executionArn);
    }
  }

  async #startNamed(
    machine: StateMachine,
    stateMachineArn: string,
    executionName: string,
    executionArn: string,
    inputText: string,
    parsedInput: unknown,
  ) {
    const existing = this.#executions.get(executionArn) ?? (await this.#load(executionArn));
    if (existing) {
      // As in AWS: the same name and input while running is the same execution; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === inputText)
        return { executionArn, startDate: existing.startDate / 1000 };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      input: inputText,
      startDate: Date.now(),
      events: [],
      invocations: new Map(),
      records: new Map(),
      replayed: 0,
      generated: 0,
      keyPrefix: '',
      lifetime: new AbortController(),
    };
    this.#executions.set(executionArn, execution);
    await this.store.putExecution(execution);
    this.#runner.run(execution, machine, parsedInput);
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  async describeExecution(executionArn: string) {
    const e = await this.#get(executionArn);
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate / 1000,
      ...(e.stopDate ? { stopDate: e.stopDate / 1000 } : {}),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error ? { error: e.error, cause: e.cause } : {}),
    };
  }

  async listExecutions(stateMachineArn: string, statusFilter?: string) {
    if (!this.#machines.has(stateMachineArn))
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const stored = await this.store.listExecutions(stateMachineArn);
    const merged = new Map(stored.map((e) => [e.executionArn, e as StoredExecution]));
    for (const e of this.#executions.values())
      if (e.stateMachineArn === stateMachineArn) merged.set(e.executionArn, e);
    return [...merged.values()]
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate - a.startDate)
      .map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: e.startDate / 1000,
        ...(e.stopDate ? { stopDate: e.stopDate / 1000 } : {}),
      }));
  }

  async getExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
    const live = this.#executions.get(executionArn);
    if (live) return live.events;
    const stored = await this.#load(executionArn);
    if (!stored)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return this.store.listEvents(executionArn);
  }

  /** A Distributed Map's run, as DescribeMapRun answers (its ARN is in the MapRunStarted event). */
  describeMapRun(mapRunArn: string) {
    const run = this.#mapRuns.get(mapRunArn);
    if (!run) throw new SfnApiError('ResourceNotFound', `Map Run Does Not Exist: '${mapRunArn}'`);
    const { stateMachineArn: _s, startDate, stopDate, itemCounts, executionCounts, ...rest } = run;
    return {
      ...rest,
      startDate: startDate / 1000,
      ...(stopDate ? { stopDate: stopDate / 1000 } : {}),
      itemCounts: { ...itemCounts },
      executionCounts: { ...executionCounts },
    };
  }

  /** The Map Runs of an execution (that this process ran), as ListMapRuns answers. */
  listMapRuns(executionArn: string) {
    return [...this.#mapRuns.values()]
      .filter((run) => run.executionArn === executionArn)
      .map((run) => ({
        executionArn,
        mapRunArn: run.mapRunArn,
        stateMachineArn: run.stateMachineArn,
        startDate: run.startDate / 1000,
        ...(run.stopDate ? { stopDate: run.stopDate / 1000 } : {}),
      }));
  }

  sendTaskSuccess(token: string, output: string): Promise<void> {
    return this.#tasks.sendTaskSuccess(token, output);
  }

  sendTaskFailure(token: string, error = '', cause = ''): Promise<void> {
    return this.#tasks.sendTaskFailure(token, error, cause);
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.#tasks.sendTaskHeartbeat(token);
  }

  /**
   * Resumes every execution a previous run of the runtime left RUNNING, and notifies again the
   * closing of every execution whose notification did not succeed; returns how many resumed.
   */
  async resume(): Promise<number> {
    for (const closed of await this.store.listUnnotified()) this.#runner.notifyClosed(closed);
    let resumed = 0;
    for (const stored of await this.store.listRunning()) {
      const machine = this.#machines.get(stored.stateMachineArn);
      if (!machine || this.#executions.has(stored.executionArn)) continue;
      const [events, records] = await Promise.all([
        this.store.listEvents(stored.executionArn),
        this.store.listTaskRecords(stored.executionArn),
      ]);
      const execution: Execution = {
        ...stored,
        events,
        invocations: new Map(),
        records,
        replayed: events.length,
        generated: 0,
        keyPrefix: '',
        lifetime: new AbortController(),
      };
      this.#executions.set(execution.executionArn, execution);
      this.#runner.run(execution, machine.machine, JSON.parse(execution.input));
      resumed++;
    }
    return resumed;
  }

  async stopExecution(executionArn: string, error?: string, cause?: string) {
    const e = await this.#get(executionArn);
    const live = this.#executions.get(executionArn);
    if (live?.status === 'RUNNING') {
      live.error = error;
      live.cause = cause;
      live.abort?.();
    }
    return { stopDate: (e.stopDate ?? Date.now()) / 1000 };
  }

  /** Waits for every running execution to settle (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  /** Aborts everything still running, as a process stop does; records stay RUNNING for a later resume. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const e of this.#executions.values()) if (e.status === 'RUNNING') e.abort?.();
    // Settling work can queue more writes (and the writes more settling): until neither moves, so
    // that nothing is written after the tables are gone. No task starts once closing has begun
    // (TaskRunner.run), and tasks in flight are waited for: after this, nothing is left to run.
    for (;;) {
      // Tasks waiting on a token end too, so that their deadline timers go and the process can exit;
      // nothing is recorded for them (TaskRunner.run), and the tokens stay valid for the next start.
      for (const task of this.#tokens.values()) task.reject(new AbandonedTask());
      await Promise.allSettled([...this.#running]);
      const writes = this.store.flush();
      await writes;
      if (!this.#running.size && writes === this.store.flush()) return;
    }
  }

  /** Work in flight (task invocations, map runs, starts): what `idle` and `close` wait for. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Set once `close` has begun: the API then refuses calls, as a service that is going away. */
  get closing(): boolean {
    return this.#closing;
  }

  async #get(executionArn: string): Promise<StoredExecution> {
    const e = this.#executions.get(executionArn) ?? (await this.#load(executionArn));
    if (!e) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return e;
  }

  #load(executionArn: string): Promise<StoredExecution | undefined> {
    return this.store.getExecution(executionArn);
  }
}
