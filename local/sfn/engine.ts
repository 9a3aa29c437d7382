/**
 * The local Step Functions service: aws-local-stepfunctions interprets the ASL; this engine adds
 * what it lacks — executions with ARNs and AWS-shaped histories, `$$.Task.Token` and
 * `.waitForTaskToken`, the service integrations the workflows use, and a record of every
 * execution in DynamoDB Local.
 *
 * Task tokens are deterministic — (execution, state, n-th invocation of that state) — so that an
 * execution replayed from its record hands out the tokens it handed out before.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';
import type { AslDocument } from '../../workflows/types.ts';
import { ACCOUNT, LambdaFunctionError, REGION } from '../lambda.ts';
import { SfnApiError } from './errors.ts';
import type { ExecutionStore, StoredExecution } from './store.ts';

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer T> ? T : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** The context token the interpreter substitutes for `$$.Task.Token`; replaced per invocation. */
const TOKEN_PLACEHOLDER = '__doudi_task_token__';

export interface Integrations {
  /** `arn:aws:states:::<service>:<action>` → the service's response. */
  call(service: string, action: string, parameters: Record<string, unknown>): Promise<unknown>;
  /** Lambda by name or ARN. */
  invokeFunction(nameOrArn: string, payload: unknown): Promise<unknown>;
}

interface PendingTask {
  token: string;
  executionArn: string;
  stateName: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface Execution extends StoredExecution {
  events: HistoryEvent[];
  invocations: Map<string, number>;
  abort?: () => void;
}

export class LocalStepFunctions {
  readonly #machines = new Map<
    string,
    { name: string; definition: AslDocument; machine: StateMachine; createdAt: number }
  >();
  readonly #executions = new Map<string, Execution>();
  readonly #tokens = new Map<string, PendingTask>();
  readonly #running = new Set<Promise<unknown>>();

  constructor(
    private readonly integrations: Integrations,
    private readonly store: ExecutionStore,
  ) {}

  stateMachineArn(name: string): string {
    return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
  }

  createStateMachine(name: string, definition: AslDocument): string {
    const arn = this.stateMachineArn(name);
    // The ARN checks of the validator reject nothing we use; JSONPath checks stay on.
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    this.#machines.set(arn, { name, definition, machine, createdAt: Date.now() });
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
    };
    this.#executions.set(executionArn, execution);
    await this.store.putExecution(execution);
    this.#run(execution, machine.machine, parsedInput);
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

  sendTaskSuccess(token: string, output: string): void {
    const task = this.#pending(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid output: not valid JSON');
    }
    this.#tokens.delete(token);
    task.resolve(parsed);
  }

  sendTaskFailure(token: string, error = '', cause = ''): void {
    const task = this.#pending(token);
    this.#tokens.delete(token);
    task.reject(new TaskError(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    this.#pending(token);
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
    for (const e of this.#executions.values()) if (e.status === 'RUNNING') e.abort?.();
    await Promise.allSettled([...this.#running]);
    await this.store.flush();
  }

  #pending(token: string): PendingTask {
    const task = this.#tokens.get(token);
    if (task) return task;
    if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length > 1024)
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
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
    const handlers = Object.fromEntries(
      taskStates(this.#machines.get(execution.stateMachineArn)!.definition).map(([name, state]) => [
        name,
        (taskInput: unknown) => this.#runTask(execution, name, state, taskInput),
      ]),
    );
    const run = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      noThrowOnAbort: false,
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/doudi-local`,
        },
        StateMachine: {
          Id: execution.stateMachineArn,
          Name: this.#machines.get(execution.stateMachineArn)!.name,
        },
        Task: { Token: TOKEN_PLACEHOLDER },
      } as never,
    });
    execution.abort = run.abort;

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

  #finish(
    execution: Execution,
    status: ExecutionStatus,
    result: { output?: string; error?: string | undefined; cause?: string | undefined },
  ): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = Date.now();
    execution.output = result.output;
    execution.error = result.error;
    execution.cause = result.cause;
    for (const [token, task] of this.#tokens)
      if (task.executionArn === execution.executionArn) this.#tokens.delete(token);
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
    void this.store.putExecution(execution);
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
        this.#append(execution, `${event.state.type}StateEntered`, {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      case 'StateExited':
        this.#append(execution, `${event.state.type}StateExited`, {
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
    const resource = String(state.Resource);
    const waitForToken = resource.endsWith('.waitForTaskToken');
    const token = taskToken(execution.executionArn, stateName, n);
    const input = replaceDeep(rawInput, TOKEN_PLACEHOLDER, token);
    const { resourceType, action } = describeResource(resource);
    const detail = { resourceType, resource: action };
    this.#append(execution, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...detail,
        region: REGION,
        parameters: JSON.stringify(input),
        ...(state.TimeoutSeconds ? { timeoutInSeconds: state.TimeoutSeconds } : {}),
      },
    });
    this.#append(execution, 'TaskStarted', { taskStartedEventDetails: detail });

    let callback: Promise<unknown> | undefined;
    if (waitForToken) {
      const { promise, resolve, reject } = Promise.withResolvers<unknown>();
      this.#tokens.set(token, { token, executionArn: execution.executionArn, stateName, resolve, reject });
      callback = promise;
    }
    try {
      const response = await this.#dispatch(resource, input);
      if (!callback) {
        this.#append(execution, 'TaskSucceeded', {
          taskSucceededEventDetails: { ...detail, output: JSON.stringify(response ?? null) },
        });
        return response;
      }
      this.#append(execution, 'TaskSubmitted', {
        taskSubmittedEventDetails: { ...detail, output: JSON.stringify(response ?? null) },
      });
      const output = await callback;
      this.#append(execution, 'TaskSucceeded', {
        taskSucceededEventDetails: { ...detail, output: JSON.stringify(output ?? null) },
      });
      return output;
    } catch (error) {
      this.#tokens.delete(token);
      const e = error as Error;
      const cause =
        e instanceof LambdaFunctionError
          ? JSON.stringify({ errorMessage: e.message, errorType: e.errorType, trace: e.trace })
          : e.message;
      this.#append(execution, 'TaskFailed', { taskFailedEventDetails: { ...detail, error: e.name, cause } });
      throw new TaskError(e.name, cause);
    }
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

/** Every Task state, including those inside Map and Parallel states. */
export function taskStates(definition: {
  States: Record<string, Record<string, unknown>>;
}): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') out.push([name, state]);
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])].filter(
      Boolean,
    ) as Array<{ States: Record<string, Record<string, unknown>> }>;
    for (const sub of nested) out.push(...taskStates(sub));
  }
  return out;
}

export function taskToken(executionArn: string, stateName: string, n: number): string {
  return Buffer.from(JSON.stringify([executionArn, stateName, n])).toString('base64url');
}

function describeResource(resource: string): { resourceType: string; action: string } {
  const m = /^arn:aws:states:::([a-z0-9-]+):(.+)$/.exec(resource);
  if (m) return { resourceType: m[1]!, action: m[2]! };
  return { resourceType: 'lambda', action: 'invoke' };
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}
