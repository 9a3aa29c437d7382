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
 * Distributed Map states run here too (#runMap): each child execution runs its ItemProcessor on
 * the interpreter with this engine's tasks, keyed apart from its siblings', and the Map's outcome
 * is recorded as a task's is.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';
import type { AslDocument } from '../../workflows/types.ts';
import { ACCOUNT, LambdaFunctionError, REGION } from '../lambda.ts';
import {
  checkDistributedMap,
  describeResource,
  evaluate,
  forInterpreter,
  isDistributedMap,
  replaceDeep,
  statesOfType,
  TIMEOUT_KEY,
  taskToken,
  uuidFrom,
} from './asl.ts';
import { SfnApiError } from './errors.ts';
import {
  bodyText,
  COUNTED,
  counts,
  LIST_OBJECTS,
  MAX_CHILDREN,
  move,
  PAYLOAD_LIMIT,
  parseItems,
  toBatches,
} from './items.ts';
import { type ExecutionStore, type StoredExecution, TaskAlreadyClosed, type TaskRecord } from './store.ts';
import {
  AbandonedTask,
  type ChildOutcome,
  type DistributedMap,
  type EventLog,
  type Execution,
  type ExecutionStatus,
  type HistoryEvent,
  type Integrations,
  type MapRun,
  type PendingTask,
  type States,
  TaskError,
  TOKEN_PLACEHOLDER,
} from './types.ts';

export type { ExecutionStatus, HistoryEvent, Integrations } from './types.ts';

export class LocalStepFunctions {
  readonly #machines = new Map<
    string,
    {
      name: string;
      definition: AslDocument;
      machine: StateMachine;
      createdAt: number;
      /** Distributed Map states, nested ones included, by name. */
      distributed: Map<string, DistributedMap>;
    }
  >();
  readonly #executions = new Map<string, Execution>();
  readonly #mapRuns = new Map<string, MapRun>();
  readonly #tokens = new Map<string, PendingTask>();
  readonly #running = new Set<Promise<unknown>>();
  readonly #starting = new Map<string, Promise<{ executionArn: string; startDate: number }>>();
  #closing = false;

  constructor(
    private readonly integrations: Integrations,
    private readonly store: ExecutionStore,
    /** Told of every execution that closes, as EventBridge is told on AWS. */
    private readonly onClosed: (execution: StoredExecution) => Promise<void> = async () => undefined,
  ) {}

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
      roleArn: `arn:aws:iam::${ACCOUNT}:role/doudi-local`,
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
    this.#run(execution, machine, parsedInput);
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

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid output: not valid JSON');
    }
    await this.#closeTask(token, { status: 'succeeded', output: parsed });
  }

  async sendTaskFailure(token: string, error = '', cause = ''): Promise<void> {
    await this.#closeTask(token, { status: 'failed', error, cause });
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    const { execution, key } = await this.#openTask(token);
    if (
      !this.#tokens.has(token) &&
      (await this.store.getTaskRecord(execution.executionArn, key))?.status !== 'submitted'
    ) {
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    }
  }

  /** The running execution a token belongs to, and its task key; a malformed token is InvalidToken. */
  async #openTask(token: string): Promise<{ execution: StoredExecution; key: string }> {
    let decoded: unknown;
    try {
      decoded =
        token.length <= 1024 && /^[A-Za-z0-9_-]+$/.test(token)
          ? JSON.parse(Buffer.from(token, 'base64url').toString())
          : undefined;
    } catch {
      decoded = undefined;
    }
    if (!Array.isArray(decoded) || decoded.length !== 3)
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    const [arn, state, n] = decoded as [string, string, number];
    const execution = this.#executions.get(arn) ?? (await this.#load(arn));
    if (!execution) throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    if (execution.status !== 'RUNNING') throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    return { execution, key: `${state}#${n}` };
  }

  /**
   * Records the outcome first — exactly once, even across a restart or two racing callers — then
   * wakes the task if it is waiting in this process. A task still being replayed finds the record
   * when it gets there.
   */
  async #closeTask(
    token: string,
    record: Extract<TaskRecord, { status: 'succeeded' | 'failed' }>,
  ): Promise<void> {
    const { execution, key } = await this.#openTask(token);
    const pending = this.#tokens.get(token);
    if (!pending && (await this.store.getTaskRecord(execution.executionArn, key))?.status !== 'submitted') {
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    }
    try {
      await this.store.closeTask(execution.executionArn, key, record);
    } catch (error) {
      if (error instanceof TaskAlreadyClosed)
        throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
      throw error;
    }
    // The task may have come to wait while the record was written (a replay reaching it): it
    // either found the record already or is registered now.
    const waiting = this.#tokens.get(token) ?? pending;
    this.#tokens.delete(token);
    if (record.status === 'succeeded') waiting?.resolve(record.output);
    else waiting?.reject(new TaskError(record.error, record.cause));
  }

  /**
   * Resumes every execution a previous run of the runtime left RUNNING, and notifies again the
   * closing of every execution whose notification did not succeed; returns how many resumed.
   */
  async resume(): Promise<number> {
    for (const closed of await this.store.listUnnotified()) this.#notifyClosed(closed);
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
      this.#run(execution, machine.machine, JSON.parse(execution.input));
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
    // Tasks waiting on a token end too, so that their deadline timers go and the process can exit;
    // nothing is recorded for them (#runTask), and the tokens stay valid for the next start.
    for (const task of this.#tokens.values()) task.reject(new AbandonedTask());
    // Settling work can queue more writes (and the writes more settling): until neither moves, so
    // that nothing is written after the tables are gone.
    for (;;) {
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

  #append(execution: Execution, type: string, details: Record<string, unknown> = {}): void {
    if (execution.isChild || execution.generated++ < execution.replayed) return;
    const id = execution.events.length + 1;
    const event: HistoryEvent = {
      id,
      previousEventId: id - 1,
      timestamp: Date.now() / 1000,
      type,
      ...details,
    };
    execution.events.push(event);
    this.store.appendEvent(execution.executionArn, event);
  }

  #run(execution: Execution, machine: StateMachine, input: unknown): void {
    const { name, definition } = this.#machines.get(execution.stateMachineArn)!;
    const run = this.#interpret(execution, machine, definition, input, {
      Execution: {
        Id: execution.executionArn,
        Name: execution.name,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/doudi-local`,
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
    const tracked = settle.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  /**
   * Starts the interpreter on `definition` for `execution` (an execution, or a child of a
   * Distributed Map): its Task, Distributed Map and Wait states go through this engine.
   */
  #interpret(
    execution: Execution,
    machine: StateMachine,
    definition: States,
    input: unknown,
    context: Record<string, unknown>,
  ): ReturnType<StateMachine['run']> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of statesOfType(definition, 'Task', false))
      handlers[name] = (taskInput) => this.#runTask(execution, name, state, taskInput);
    for (const [name, state] of statesOfType(definition, 'Map', false))
      if (isDistributedMap(state)) handlers[name] = (taskInput) => this.#runMap(execution, name, taskInput);
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

  #finish(
    execution: Execution,
    status: ExecutionStatus,
    result: { output?: string; error?: string | undefined; cause?: string | undefined },
  ): void {
    // A runtime that is stopping leaves its executions RUNNING on record, to be resumed.
    if (execution.status !== 'RUNNING' || this.#closing) return;
    execution.status = status;
    execution.stopDate = Date.now();
    execution.output = result.output;
    execution.error = result.error;
    execution.cause = result.cause;
    for (const [token, task] of this.#tokens)
      if (task.executionArn === execution.executionArn) {
        this.#tokens.delete(token);
        task.reject(new AbandonedTask());
      }
    execution.records.clear();
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      TIMED_OUT: 'ExecutionTimedOut',
      ABORTED: 'ExecutionAborted',
      RUNNING: '',
    }[status];
    const details =
      status === 'SUCCEEDED'
        ? { executionSucceededEventDetails: { output: result.output, outputDetails: { truncated: false } } }
        : {
            [`${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`]: {
              error: result.error,
              cause: result.cause,
            },
          };
    this.#append(execution, type, details);
    this.#notifyClosed(execution, this.store.putExecution(execution));
  }

  /**
   * Tells `onClosed` (the archiver) once the closed execution is on record, and then takes it out
   * of the store's restart index. A crash or a failed notification leaves it there, and `resume`
   * notifies again: at least once, as EventBridge delivers on AWS; the archiver is idempotent.
   */
  #notifyClosed(execution: StoredExecution, recorded: Promise<void> = Promise.resolve()): void {
    const notified = recorded
      .then(() => this.onClosed(execution))
      .then(() => this.store.markNotified(execution.executionArn));
    const tracked = notified
      .catch((error) => console.error('[sfn] close notification failed', execution.executionArn, error))
      .finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  /** Interpreter events, renamed as the Step Functions history names them. */
  #record(execution: Execution, event: EventLog): void {
    switch (event.type) {
      case 'ExecutionStarted':
        this.#append(execution, 'ExecutionStarted', {
          executionStartedEventDetails: {
            input: execution.input,
            inputDetails: { truncated: false },
            roleArn: `arn:aws:iam::${ACCOUNT}:role/doudi-local`,
          },
        });
        return;
      case 'StateEntered':
        this.#append(execution, `${this.#stateType(execution, event.state)}StateEntered`, {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      case 'StateExited':
        this.#append(execution, `${this.#stateType(execution, event.state)}StateExited`, {
          stateExitedEventDetails: {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case 'StateRetried':
      case 'StateCaught':
      case 'StateFailed':
        // Task failures are recorded by the task itself (TaskFailed); the history of Step Functions has no separate event for these.
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.#append(execution, event.type, {
          [`${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`]: {
            name: event.parentState.name,
            index: event.index,
          },
        });
        return;
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return;
      default:
        return;
    }
  }

  /** A Distributed Map is a Task in the interpreter's copy; its history names it a Map, as AWS does. */
  #stateType(execution: Execution, state: { name: string; type: string }): string {
    return this.#machines.get(execution.stateMachineArn)?.distributed.has(state.name) ? 'Map' : state.type;
  }

  async #runTask(
    execution: Execution,
    stateName: string,
    state: Record<string, unknown>,
    rawInput: unknown,
  ): Promise<unknown> {
    // Let the history consumer catch up, so that this task's events follow its StateEntered.
    await nextMacrotask();
    const n = (execution.invocations.get(stateName) ?? 0) + 1;
    execution.invocations.set(stateName, n);
    const key = `${execution.keyPrefix}${stateName}#${n}`;
    const recorded = execution.records.get(key) as TaskRecord | undefined;
    const resource = String(state.Resource);
    const waitForToken = resource.endsWith('.waitForTaskToken');
    const token = taskToken(execution.executionArn, `${execution.keyPrefix}${stateName}`, n);
    let input = replaceDeep(rawInput, TOKEN_PLACEHOLDER, token);
    let timeoutFromPath: unknown;
    if (typeof state.TimeoutSecondsPath === 'string' && input && typeof input === 'object') {
      const { [TIMEOUT_KEY]: value, ...rest } = input as Record<string, unknown>;
      timeoutFromPath = value;
      input = rest;
    }
    const timeoutSeconds =
      typeof state.TimeoutSeconds === 'number'
        ? state.TimeoutSeconds
        : typeof timeoutFromPath === 'number'
          ? timeoutFromPath
          : undefined;
    const { resourceType, action } = describeResource(resource);
    const detail = { resourceType, resource: action };
    this.#append(execution, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...detail,
        region: REGION,
        parameters: JSON.stringify(input),
        ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
      },
    });
    this.#append(execution, 'TaskStarted', { taskStartedEventDetails: detail });
    // As on AWS, a task's timeout runs from its start, not from when its resource answered: a clock
    // that moves while the resource runs moves towards the deadline.
    const startedAt = Date.now();

    const succeed = (output: unknown) => {
      this.#append(execution, 'TaskSucceeded', {
        taskSucceededEventDetails: { ...detail, output: JSON.stringify(output ?? null) },
      });
      return output;
    };
    const fail = (error: string, cause: string): never => {
      const timedOut = error === 'States.Timeout';
      this.#append(execution, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...detail, error, cause },
      });
      throw new TaskError(error, cause);
    };
    if (recorded?.status === 'succeeded') return succeed(recorded.output);
    if (recorded?.status === 'failed') return fail(recorded.error, recorded.cause);
    if (
      typeof state.TimeoutSecondsPath === 'string' &&
      !(Number.isSafeInteger(timeoutFromPath) && (timeoutFromPath as number) >= 1)
    ) {
      // As in AWS: the path must select a positive integer.
      return fail(
        'States.Runtime',
        `TimeoutSecondsPath ${state.TimeoutSecondsPath} is not a positive integer`,
      );
    }

    let callback: Promise<unknown> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (waitForToken) {
      const { promise, resolve, reject } = Promise.withResolvers<unknown>();
      this.#tokens.set(token, { executionArn: execution.executionArn, key, resolve, reject });
      // The outcome may arrive before this task awaits it; it is awaited below, so never unhandled.
      promise.catch(() => undefined);
      callback = promise;
    }
    try {
      let response: unknown;
      if (recorded?.status === 'submitted') {
        response = recorded.response;
      } else {
        try {
          response = await this.#dispatch(resource, input);
        } catch (error) {
          const e = error as Error;
          const cause =
            e instanceof LambdaFunctionError
              ? JSON.stringify({ errorMessage: e.message, errorType: e.errorType, trace: e.trace })
              : e.message;
          await this.store.putTaskRecord(execution.executionArn, key, {
            status: 'failed',
            error: e.name,
            cause,
          });
          return fail(e.name, cause);
        }
      }
      if (!callback) {
        await this.store.putTaskRecord(execution.executionArn, key, {
          status: 'succeeded',
          output: response,
        });
        return succeed(response);
      }
      // The task's deadline is fixed when its token goes out, so that a restart does not extend it.
      const deadlineAt =
        recorded?.status === 'submitted'
          ? recorded.deadlineAt
          : timeoutSeconds && startedAt + timeoutSeconds * 1000;
      if (recorded?.status !== 'submitted') {
        await this.store.putTaskRecord(execution.executionArn, key, {
          status: 'submitted',
          response,
          deadlineAt,
        });
      }
      this.#append(execution, 'TaskSubmitted', {
        taskSubmittedEventDetails: { ...detail, output: JSON.stringify(response ?? null) },
      });
      // A callback that arrived while this execution was being replayed is already on record.
      const closed = await this.store.getTaskRecord(execution.executionArn, key);
      if (closed?.status === 'succeeded') return succeed(closed.output);
      if (closed?.status === 'failed') return fail(closed.error, closed.cause);
      if (deadlineAt) {
        timer = setTimeout(
          () => {
            const pending = this.#tokens.get(token);
            this.#tokens.delete(token);
            const cause = 'The task did not complete before its deadline';
            void this.store
              .closeTask(execution.executionArn, key, { status: 'failed', error: 'States.Timeout', cause })
              .then(() => pending?.reject(new TaskError('States.Timeout', cause)))
              .catch(() => undefined);
          },
          Math.max(0, deadlineAt - Date.now()),
        );
      }
      try {
        return succeed(await callback);
      } catch (error) {
        if (error instanceof AbandonedTask) throw error;
        return fail((error as Error).name, (error as Error).message);
      }
    } finally {
      if (timer) clearTimeout(timer);
      this.#tokens.delete(token);
    }
  }

  /**
   * A Distributed Map state, run as AWS runs one: its items come from the ItemReader (or ItemsPath),
   * each through ItemSelector, grouped by the ItemBatcher; each group is the input of a child
   * execution of the ItemProcessor, at most MaxConcurrency at a time, until every child has ended
   * or more have failed than tolerated. The children's outputs come back in item order, or go to
   * S3 through the ResultWriter.
   *
   * The Map's outcome is recorded as a task's is, under `<state>#<n>`: a replay returns it without
   * running the Map again. A Map cut short by a restart runs again; its children's tasks are
   * recorded under `<state>#<n>/<child>/…`, so a child's finished tasks return their recorded
   * outcomes and a token it handed out before is the one it waits for again.
   */
  async #runMap(execution: Execution, stateName: string, parameters: unknown): Promise<unknown> {
    // Let the history consumer catch up, so that this Map's events follow its MapStateEntered.
    await nextMacrotask();
    const n = (execution.invocations.get(stateName) ?? 0) + 1;
    execution.invocations.set(stateName, n);
    const key = `${execution.keyPrefix}${stateName}#${n}`;
    const recorded = execution.records.get(key) as TaskRecord | undefined;
    const machine = this.#machines.get(execution.stateMachineArn)!;
    const map = machine.distributed.get(stateName)!;
    const { input, context } = parameters as { input: unknown; context: Record<string, unknown> };
    const label = typeof map.state.Label === 'string' ? map.state.Label : stateName;
    // Derived from the execution and the key, so that a Map run again after a restart is the same run.
    const runId = uuidFrom(`${execution.executionArn}\n${key}`);
    const mapRunArn = `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${machine.name}/${label}:${runId}`;

    // The same events whichever way the Map ends, so that a replay regenerates as many as were stored.
    let started = false;
    const start = (length: number) => {
      if (started) return;
      started = true;
      this.#append(execution, 'MapStateStarted', { mapStateStartedEventDetails: { length } });
      this.#append(execution, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
    };
    const succeed = (output: unknown) => {
      start(0);
      this.#append(execution, 'MapRunSucceeded');
      this.#append(execution, 'MapStateSucceeded');
      return output;
    };
    const fail = (error: string, cause: string): never => {
      start(0);
      this.#append(execution, 'MapRunFailed', { mapRunFailedEventDetails: { error, cause } });
      throw new TaskError(error, cause);
    };
    if (recorded?.status === 'succeeded') return succeed(recorded.output);
    if (recorded?.status === 'failed') return fail(recorded.error, recorded.cause);

    let output: unknown;
    try {
      output = await this.#mapRun(execution, key, map, { input, context, label, runId, mapRunArn, start });
    } catch (error) {
      // A stopped execution or a stopping runtime decides nothing: a resume runs the Map again.
      if (execution.lifetime.signal.aborted || this.#closing) throw error;
      const e = error as Error;
      await this.store.putTaskRecord(execution.executionArn, key, {
        status: 'failed',
        error: e.name,
        cause: e.message,
      });
      return fail(e.name, e.message);
    }
    await this.store.putTaskRecord(execution.executionArn, key, { status: 'succeeded', output });
    return succeed(output);
  }

  async #mapRun(
    execution: Execution,
    key: string,
    map: DistributedMap,
    run: {
      input: unknown;
      context: Record<string, unknown>;
      label: string;
      runId: string;
      mapRunArn: string;
      start: (length: number) => void;
    },
  ): Promise<unknown> {
    const { state } = map;
    const reader = state.ItemReader as Record<string, unknown> | undefined;
    const readerConfig = (reader?.ReaderConfig ?? {}) as Record<string, unknown>;
    const batcher = state.ItemBatcher as Record<string, unknown> | undefined;
    const writer = state.ResultWriter as Record<string, unknown> | undefined;

    // Every field given by a path or a template, resolved against the Map's input and context at once.
    const template: Record<string, unknown> = {};
    const path = (name: string, value: unknown) => {
      if (typeof value === 'string') template[`${name}.$`] = value;
    };
    if (reader) template.reader = reader.Parameters ?? {};
    else path('items', state.ItemsPath ?? '$');
    path('maxItems', readerConfig.MaxItemsPath);
    path('maxConcurrency', state.MaxConcurrencyPath);
    path('toleratedFailurePercentage', state.ToleratedFailurePercentagePath);
    path('toleratedFailureCount', state.ToleratedFailureCountPath);
    path('maxItemsPerBatch', batcher?.MaxItemsPerBatchPath);
    path('maxInputBytesPerBatch', batcher?.MaxInputBytesPerBatchPath);
    if (batcher?.BatchInput !== undefined) template.batchInput = batcher.BatchInput;
    if (writer?.Parameters !== undefined) template.writer = writer.Parameters;
    const resolved = (await evaluate(template, run.input, run.context)) as Record<string, unknown>;

    const setting = (
      name: string,
      value: unknown,
      { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {},
    ) => {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || (integer && !Number.isInteger(value)) || value < min || value > max)
        throw new TaskError(
          'States.Runtime',
          `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value)}`,
        );
      return value;
    };
    const maxConcurrency = setting('MaxConcurrency', resolved.maxConcurrency ?? state.MaxConcurrency) ?? 0;
    const toleratedPercentage = setting(
      'ToleratedFailurePercentage',
      resolved.toleratedFailurePercentage ?? state.ToleratedFailurePercentage,
      { max: 100, integer: false },
    );
    const toleratedCount = setting(
      'ToleratedFailureCount',
      resolved.toleratedFailureCount ?? state.ToleratedFailureCount,
    );
    const maxItems = setting('MaxItems', resolved.maxItems ?? readerConfig.MaxItems);
    const perBatch = resolved.maxItemsPerBatch ?? batcher?.MaxItemsPerBatch;
    const maxItemsPerBatch = setting('MaxItemsPerBatch', perBatch, { min: 1 });
    const maxInputBytesPerBatch =
      setting('MaxInputBytesPerBatch', resolved.maxInputBytesPerBatch ?? batcher?.MaxInputBytesPerBatch, {
        min: 1,
        max: PAYLOAD_LIMIT,
      }) ?? PAYLOAD_LIMIT;

    const mapRun: MapRun = {
      mapRunArn: run.mapRunArn,
      executionArn: execution.executionArn,
      stateMachineArn: `${execution.stateMachineArn}/${run.label}`,
      status: 'RUNNING',
      startDate: Date.now(),
      maxConcurrency,
      toleratedFailurePercentage: toleratedPercentage ?? 0,
      toleratedFailureCount: toleratedCount ?? 0,
      itemCounts: counts(),
      executionCounts: counts(),
    };
    this.#mapRuns.set(run.mapRunArn, mapRun);
    const end = (status: MapRun['status']) => {
      mapRun.status = status;
      mapRun.stopDate = Date.now();
    };

    let items: unknown[];
    if (reader) {
      run.start(0);
      try {
        items = await this.#readItems(reader, resolved.reader, readerConfig);
      } catch (error) {
        end('FAILED');
        throw error;
      }
    } else {
      if (!Array.isArray(resolved.items)) {
        end('FAILED');
        throw new TaskError('States.Runtime', `ItemsPath ${String(state.ItemsPath ?? '$')} is not an array`);
      }
      items = resolved.items;
      run.start(items.length);
    }
    if (maxItems) items = items.slice(0, maxItems);

    const selector = state.ItemSelector ?? state.Parameters;
    const selected: unknown[] = [];
    try {
      for (const [index, value] of items.entries())
        selected.push(
          selector === undefined
            ? value
            : await evaluate(selector, run.input, {
                ...run.context,
                Map: { Item: { Index: index, Value: value } },
              }),
        );
    } catch (error) {
      end('FAILED');
      throw error;
    }
    const batches = toBatches(
      selected,
      batcher,
      resolved.batchInput,
      maxItemsPerBatch,
      maxInputBytesPerBatch,
    );
    mapRun.itemCounts.total = mapRun.itemCounts.pending = selected.length;
    mapRun.executionCounts.total = mapRun.executionCounts.pending = batches.length;

    const tolerated = (failed: number) =>
      toleratedPercentage === undefined && toleratedCount === undefined
        ? failed === 0
        : !(
            (toleratedCount !== undefined && failed > toleratedCount) ||
            (toleratedPercentage !== undefined && (failed / selected.length) * 100 > toleratedPercentage)
          );
    const outcomes: ChildOutcome[] = [];
    const aborts = new Map<number, () => void>();
    let next = 0;
    let failedItems = 0;
    let exceeded: string | undefined;
    const worker = async () => {
      while (exceeded === undefined && !execution.lifetime.signal.aborted && next < batches.length) {
        const index = next++;
        const batch = batches[index]!;
        move(mapRun, 'pending', 'running', batch.items);
        const outcome = await this.#runChild(execution, key, map, run, index, batch.input, aborts);
        outcomes[index] = outcome;
        move(mapRun, 'running', COUNTED[outcome.status], batch.items);
        if (outcome.status !== 'FAILED' && outcome.status !== 'TIMED_OUT') continue;
        failedItems += batch.items;
        if (exceeded === undefined && !tolerated(failedItems)) {
          const limits =
            [
              toleratedCount !== undefined ? `${toleratedCount} failed items` : '',
              toleratedPercentage !== undefined ? `${toleratedPercentage}% failed items` : '',
            ]
              .filter(Boolean)
              .join(' or ') || 'no failed item';
          const items =
            batch.items > 1 ? `items ${batch.first}-${batch.first + batch.items - 1}` : `item ${batch.first}`;
          exceeded =
            `${failedItems} of ${selected.length} items failed; the Map tolerates ${limits}. ` +
            `The child execution for ${items} failed with ${outcome.error}: ${outcome.cause}`;
          // As on AWS, the Map fails without waiting for the children still running.
          for (const abort of aborts.values()) abort();
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(maxConcurrency || MAX_CHILDREN, batches.length) }, worker),
    );
    if (execution.lifetime.signal.aborted) {
      end('ABORTED');
      throw new Error(`Map Run ${run.mapRunArn} aborted with its execution`);
    }

    const transformation = String(
      (writer?.WriterConfig as Record<string, unknown> | undefined)?.Transformation ??
        (writer?.Resource ? 'NONE' : 'COMPACT'),
    );
    const succeeded = outcomes.filter((o) => o?.status === 'SUCCEEDED');
    const transformed = (o: ChildOutcome) =>
      transformation === 'NONE'
        ? [o.description]
        : transformation === 'FLATTEN' && Array.isArray(o.output)
          ? o.output
          : [o.output];
    const failed = outcomes.filter((o) => o && o.status !== 'SUCCEEDED' && o.status !== 'ABORTED');
    const files = {
      SUCCEEDED: succeeded.flatMap(transformed),
      FAILED: failed.map((o) => o.description),
    };
    if (exceeded !== undefined) {
      end('FAILED');
      // What did run is exported all the same, for the record of the failed run.
      if (writer?.Resource) await this.#writeResults(resolved.writer, run, files).catch(() => undefined);
      throw new TaskError('States.ExceedToleratedFailureThreshold', exceeded);
    }
    try {
      let output: unknown;
      if (writer?.Resource) {
        const details = await this.#writeResults(resolved.writer, run, files);
        output = { MapRunArn: run.mapRunArn, ResultWriterDetails: details };
      } else {
        // In item order; a failed child the Map tolerated is there as its description.
        output = outcomes.flatMap((o) => (o.status === 'SUCCEEDED' ? transformed(o) : [o.description]));
        const size = Buffer.byteLength(JSON.stringify(output));
        if (size > PAYLOAD_LIMIT)
          throw new TaskError(
            'States.DataLimitExceeded',
            `The Map's output is ${size} bytes, more than the ${PAYLOAD_LIMIT} bytes a state may pass on; ` +
              `a ResultWriter exports results of any size to S3`,
          );
      }
      mapRun.itemCounts.resultsWritten = mapRun.itemCounts.total;
      mapRun.executionCounts.resultsWritten = mapRun.executionCounts.total;
      end('SUCCEEDED');
      return output;
    } catch (error) {
      end('FAILED');
      throw error;
    }
  }

  /** One child execution of a Distributed Map, run to its end; never throws. */
  async #runChild(
    execution: Execution,
    key: string,
    map: DistributedMap,
    run: { label: string; mapRunArn: string },
    index: number,
    input: unknown,
    aborts: Map<number, () => void>,
  ): Promise<ChildOutcome> {
    const machineName = this.#machines.get(execution.stateMachineArn)!.name;
    const name = uuidFrom(`${run.mapRunArn}\n${index}`);
    const childArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machineName}/${run.label}:${name}`;
    const childMachineArn = `${execution.stateMachineArn}/${run.label}`;
    const child: Execution = {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: 'RUNNING',
      input: JSON.stringify(input),
      startDate: Date.now(),
      events: [],
      invocations: new Map(),
      records: execution.records,
      replayed: 0,
      generated: 0,
      keyPrefix: `${key}/${index}/`,
      isChild: true,
      lifetime: new AbortController(),
    };
    const interpreted = this.#interpret(child, map.processor, map.definition, input, {
      Execution: { Id: childArn, Name: name, RoleArn: `arn:aws:iam::${ACCOUNT}:role/doudi-local` },
      StateMachine: { Id: childMachineArn, Name: `${machineName}/${run.label}` },
    });
    const abort = () => child.lifetime.abort();
    child.lifetime.signal.addEventListener('abort', () => {
      interpreted.abort();
      // Its tokens die with it, as an aborted child's do on AWS.
      for (const [token, task] of this.#tokens) {
        if (task.executionArn !== execution.executionArn || !task.key.startsWith(child.keyPrefix)) continue;
        this.#tokens.delete(token);
        task.reject(new TaskError('States.Runtime', 'The child execution was aborted'));
      }
    });
    execution.lifetime.signal.addEventListener('abort', abort);
    aborts.set(index, abort);
    const description: Record<string, unknown> = {
      ExecutionArn: childArn,
      Input: child.input,
      InputDetails: { Included: true },
      Name: name,
      StartDate: new Date(child.startDate).toISOString(),
      StateMachineArn: childMachineArn,
    };
    try {
      const output = await interpreted.result;
      return {
        status: 'SUCCEEDED',
        output,
        description: {
          ...description,
          Output: JSON.stringify(output ?? null),
          OutputDetails: { Included: true },
          Status: 'SUCCEEDED',
          StopDate: new Date().toISOString(),
        },
      };
    } catch (err) {
      const e = err as Error & { cause?: Error };
      const stopDate = new Date().toISOString();
      if (child.lifetime.signal.aborted || e.name === 'ExecutionAbortedError')
        return { status: 'ABORTED', description: { ...description, Status: 'ABORTED', StopDate: stopDate } };
      const timedOut = e.name === 'ExecutionTimeoutError';
      const status = timedOut ? 'TIMED_OUT' : 'FAILED';
      const error = timedOut ? 'States.Timeout' : (e.cause?.name ?? e.name);
      const cause = timedOut ? 'The child execution timed out' : (e.cause?.message ?? e.message);
      return {
        status,
        error,
        cause,
        description: { ...description, Status: status, StopDate: stopDate, Error: error, Cause: cause },
      };
    } finally {
      execution.lifetime.signal.removeEventListener('abort', abort);
      aborts.delete(index);
    }
  }

  /** The Map's items from S3, as its ItemReader describes them; any failure is States.ItemReaderFailed. */
  async #readItems(
    reader: Record<string, unknown>,
    parameters: unknown,
    config: Record<string, unknown>,
  ): Promise<unknown[]> {
    const params = (parameters ?? {}) as Record<string, unknown>;
    let text: string;
    try {
      if (reader.Resource === LIST_OBJECTS) {
        const items: unknown[] = [];
        let token: string | undefined;
        do {
          const page = (await this.integrations.call('s3', 'listObjectsV2', {
            ...params,
            ...(token ? { ContinuationToken: token } : {}),
          })) as {
            Contents?: Array<Record<string, unknown>>;
            IsTruncated?: boolean;
            NextContinuationToken?: string;
          };
          for (const o of page.Contents ?? [])
            items.push({
              Etag: o.ETag,
              Key: o.Key,
              LastModified: Math.floor(new Date(o.LastModified as string).getTime() / 1000),
              Size: o.Size,
              StorageClass: o.StorageClass,
            });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return items;
      }
      const object = (await this.integrations.call('s3', 'getObject', params)) as { Body?: unknown };
      text = await bodyText(object.Body);
    } catch (error) {
      const e = error as Error;
      throw new TaskError('States.ItemReaderFailed', `${e.name}: ${e.message}`);
    }
    return parseItems(text, config);
  }

  /**
   * The ResultWriter's export, laid out as AWS lays it out: `<Prefix>/<run id>/SUCCEEDED_0.json`
   * and `FAILED_0.json` (each written only if it has entries) and a `manifest.json` listing them.
   */
  async #writeResults(
    parameters: unknown,
    run: { runId: string; mapRunArn: string },
    files: Record<'SUCCEEDED' | 'FAILED', unknown[]>,
  ): Promise<{ Bucket: string; Key: string }> {
    const { Bucket, Prefix = '' } = (parameters ?? {}) as { Bucket?: unknown; Prefix?: unknown };
    if (typeof Bucket !== 'string' || typeof Prefix !== 'string')
      throw new TaskError(
        'States.ResultWriterFailed',
        'The ResultWriter needs a Bucket and a Prefix that are strings',
      );
    const base = `${Prefix && !Prefix.endsWith('/') ? `${Prefix}/` : Prefix}${run.runId}/`;
    const resultFiles: Record<string, Array<{ Key: string; Size: number }>> = {
      FAILED: [],
      PENDING: [],
      SUCCEEDED: [],
    };
    const put = (Key: string, Body: string) =>
      this.integrations.call('s3', 'putObject', { Bucket, Key, Body, ContentType: 'application/json' });
    try {
      for (const [status, entries] of Object.entries(files)) {
        if (!entries.length) continue;
        const Key = `${base}${status}_0.json`;
        const Body = JSON.stringify(entries);
        await put(Key, Body);
        resultFiles[status]!.push({ Key, Size: Buffer.byteLength(Body) });
      }
      const Key = `${base}manifest.json`;
      await put(
        Key,
        JSON.stringify({ DestinationBucket: Bucket, MapRunArn: run.mapRunArn, ResultFiles: resultFiles }),
      );
      return { Bucket, Key };
    } catch (error) {
      const e = error as Error;
      throw new TaskError('States.ResultWriterFailed', `${e.name}: ${e.message}`);
    }
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
    if (!recorded) this.store.putWaitDeadline(execution.executionArn, key, dueAt);
    return Math.max(0, dueAt - Date.now());
  }

  async #dispatch(resource: string, input: unknown): Promise<unknown> {
    const lambdaArn = /^arn:aws:lambda:[^:]+:\d+:function:[^:]+$/;
    if (lambdaArn.test(resource)) return this.integrations.invokeFunction(resource, input);
    const match = /^arn:aws:states:::([a-z0-9-]+):([A-Za-z.]+?)(\.waitForTaskToken|\.sync(?::2)?)?$/.exec(
      resource,
    );
    if (!match) throw new TaskError('States.Runtime', `Unsupported resource: ${resource}`);
    const [, service, action, pattern] = match as unknown as [string, string, string, string | undefined];
    if (pattern?.startsWith('.sync'))
      throw new TaskError('States.Runtime', `.sync integrations are not supported locally: ${resource}`);
    const params = (input ?? {}) as Record<string, unknown>;
    if (service === 'lambda' && action === 'invoke') {
      const payload = await this.integrations.invokeFunction(String(params.FunctionName), params.Payload);
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (service === 'states' && action === 'startExecution') {
      const started = await this.startExecution(
        String(params.StateMachineArn),
        params.Name as string | undefined,
        typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input ?? {}),
      );
      return {
        ExecutionArn: started.executionArn,
        StartDate: new Date(started.startDate * 1000).toISOString(),
      };
    }
    return this.integrations.call(service, action, params);
  }
}
