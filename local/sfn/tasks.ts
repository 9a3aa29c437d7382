/**
 * Task states: a task's outcome recorded before the interpreter sees it (and returned again on a
 * replay), `.waitForTaskToken` tasks waiting for `SendTaskSuccess`/`SendTaskFailure` with their
 * deadline fixed when the token goes out, and the service integrations a task calls.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { LambdaFunctionError, REGION } from '../lambda.ts';
import { describeResource, replaceDeep, TIMEOUT_KEY, taskToken } from './asl.ts';
import { SfnApiError } from './errors.ts';
import type { ExecutionRunner } from './execution.ts';
import { type ExecutionStore, type StoredExecution, TaskAlreadyClosed, type TaskRecord } from './store.ts';
import {
  AbandonedTask,
  type Execution,
  type Integrations,
  type PendingTask,
  TaskError,
  TOKEN_PLACEHOLDER,
} from './types.ts';

/** What a task needs of the engine that runs its execution. */
export interface TaskHost extends Pick<ExecutionRunner, 'append'> {
  /** A running or stored execution by ARN. */
  execution(executionArn: string): Promise<StoredExecution | undefined>;
  /** `states:startExecution`, as the service API answers it. */
  startExecution(
    stateMachineArn: string,
    name: string | undefined,
    input: string | undefined,
  ): Promise<{ executionArn: string; startDate: number }>;
  /** Token tasks waiting in this process, by token. */
  readonly tokens: Map<string, PendingTask>;
  readonly store: ExecutionStore;
  readonly integrations: Integrations;
  /** The runtime is stopping: no task starts any more. */
  closing(): boolean;
}

export class TaskRunner {
  constructor(private readonly host: TaskHost) {}

  async run(
    execution: Execution,
    stateName: string,
    state: Record<string, unknown>,
    rawInput: unknown,
  ): Promise<unknown> {
    // Let the history consumer catch up, so that this task's events follow its StateEntered.
    await nextMacrotask();
    // The interpreter enters a state (or retries one: its retry wait ends at once on an abort)
    // without knowing that its execution was stopped, or the runtime began to stop, meanwhile. Such
    // a task does nothing: no function called against emulators about to go, and above all no token
    // handed out after `close` abandoned the others, which nobody would ever answer — its deadline
    // timer, and the interpreter's own for the task, would then keep the process alive for good.
    if (execution.lifetime.signal.aborted || this.host.closing()) throw new AbandonedTask();
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
    this.host.append(execution, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...detail,
        region: REGION,
        parameters: JSON.stringify(input),
        ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
      },
    });
    this.host.append(execution, 'TaskStarted', { taskStartedEventDetails: detail });
    // As on AWS, a task's timeout runs from its start, not from when its resource answered: a clock
    // that moves while the resource runs moves towards the deadline.
    const startedAt = Date.now();

    const succeed = (output: unknown) => {
      this.host.append(execution, 'TaskSucceeded', {
        taskSucceededEventDetails: { ...detail, output: JSON.stringify(output ?? null) },
      });
      return output;
    };
    const fail = (error: string, cause: string): never => {
      const timedOut = error === 'States.Timeout';
      this.host.append(execution, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
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
      this.host.tokens.set(token, { executionArn: execution.executionArn, key, resolve, reject });
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
          // Cut short by the stop (its emulators going): nothing decided, a resume runs it again.
          if (execution.lifetime.signal.aborted || this.host.closing()) throw new AbandonedTask();
          const e = error as Error;
          const cause =
            e instanceof LambdaFunctionError
              ? JSON.stringify({ errorMessage: e.message, errorType: e.errorType, trace: e.trace })
              : e.message;
          await this.host.store.putTaskRecord(execution.executionArn, key, {
            status: 'failed',
            error: e.name,
            cause,
          });
          return fail(e.name, cause);
        }
      }
      if (!callback) {
        await this.host.store.putTaskRecord(execution.executionArn, key, {
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
        await this.host.store.putTaskRecord(execution.executionArn, key, {
          status: 'submitted',
          response,
          deadlineAt,
        });
      }
      this.host.append(execution, 'TaskSubmitted', {
        taskSubmittedEventDetails: { ...detail, output: JSON.stringify(response ?? null) },
      });
      // A callback that arrived while this execution was being replayed is already on record.
      const closed = await this.host.store.getTaskRecord(execution.executionArn, key);
      if (closed?.status === 'succeeded') return succeed(closed.output);
      if (closed?.status === 'failed') return fail(closed.error, closed.cause);
      if (deadlineAt) {
        timer = setTimeout(
          () => {
            const pending = this.host.tokens.get(token);
            this.host.tokens.delete(token);
            const cause = 'The task did not complete before its deadline';
            void this.host.store
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
      this.host.tokens.delete(token);
    }
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid output: not valid JSON');
    }
    await this.#close(token, { status: 'succeeded', output: parsed });
  }

  async sendTaskFailure(token: string, error = '', cause = ''): Promise<void> {
    await this.#close(token, { status: 'failed', error, cause });
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    const { execution, key } = await this.#open(token);
    if (
      !this.host.tokens.has(token) &&
      (await this.host.store.getTaskRecord(execution.executionArn, key))?.status !== 'submitted'
    ) {
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    }
  }

  /** The running execution a token belongs to, and its task key; a malformed token is InvalidToken. */
  async #open(token: string): Promise<{ execution: StoredExecution; key: string }> {
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
    const execution = await this.host.execution(arn);
    if (!execution) throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    if (execution.status !== 'RUNNING') throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    return { execution, key: `${state}#${n}` };
  }

  /**
   * Records the outcome first — exactly once, even across a restart or two racing callers — then
   * wakes the task if it is waiting in this process. A task still being replayed finds the record
   * when it gets there.
   */
  async #close(
    token: string,
    record: Extract<TaskRecord, { status: 'succeeded' | 'failed' }>,
  ): Promise<void> {
    const { execution, key } = await this.#open(token);
    const pending = this.host.tokens.get(token);
    if (
      !pending &&
      (await this.host.store.getTaskRecord(execution.executionArn, key))?.status !== 'submitted'
    ) {
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    }
    try {
      await this.host.store.closeTask(execution.executionArn, key, record);
    } catch (error) {
      if (error instanceof TaskAlreadyClosed)
        throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
      throw error;
    }
    // The task may have come to wait while the record was written (a replay reaching it): it
    // either found the record already or is registered now.
    const waiting = this.host.tokens.get(token) ?? pending;
    this.host.tokens.delete(token);
    if (record.status === 'succeeded') waiting?.resolve(record.output);
    else waiting?.reject(new TaskError(record.error, record.cause));
  }

  async #dispatch(resource: string, input: unknown): Promise<unknown> {
    const lambdaArn = /^arn:aws:lambda:[^:]+:\d+:function:[^:]+$/;
    if (lambdaArn.test(resource)) return this.host.integrations.invokeFunction(resource, input);
    const match = /^arn:aws:states:::([a-z0-9-]+):([A-Za-z.]+?)(\.waitForTaskToken|\.sync(?::2)?)?$/.exec(
      resource,
    );
    if (!match) throw new TaskError('States.Runtime', `Unsupported resource: ${resource}`);
    const [, service, action, pattern] = match as unknown as [string, string, string, string | undefined];
    if (pattern?.startsWith('.sync'))
      throw new TaskError('States.Runtime', `.sync integrations are not supported locally: ${resource}`);
    const params = (input ?? {}) as Record<string, unknown>;
    if (service === 'lambda' && action === 'invoke') {
      const payload = await this.host.integrations.invokeFunction(
        String(params.FunctionName),
        params.Payload,
      );
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (service === 'states' && action === 'startExecution') {
      const started = await this.host.startExecution(
        String(params.StateMachineArn),
        params.Name as string | undefined,
        typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input ?? {}),
      );
      return {
        ExecutionArn: started.executionArn,
        StartDate: new Date(started.startDate * 1000).toISOString(),
      };
    }
    return this.host.integrations.call(service, action, params);
  }
}
