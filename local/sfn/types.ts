/**
 * The local Step Functions engine's records of executions, tasks and Distributed Map runs
 * (`engine.ts`), and the errors its tasks end with.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import type { StoredExecution, TaskRecord } from './store.ts';

export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer T> ? T : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** The context token the interpreter substitutes for `$$.Task.Token`; replaced per invocation. */
export const TOKEN_PLACEHOLDER = '__doudi_task_token__';

export interface Integrations {
  /** `arn:aws:states:::<service>:<action>` → the service's response. */
  call(service: string, action: string, parameters: Record<string, unknown>): Promise<unknown>;
  /** Lambda by name or ARN. */
  invokeFunction(nameOrArn: string, payload: unknown): Promise<unknown>;
}

export interface PendingTask {
  executionArn: string;
  key: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export interface Execution extends StoredExecution {
  events: HistoryEvent[];
  invocations: Map<string, number>;
  /** Outcomes recorded before a restart, by `<state>#<n>` (tasks) and `WAIT#<state>#<n>` (waits). */
  records: Map<string, TaskRecord | { dueAt: number }>;
  /** History events already stored: a replay regenerates them and must not store them again. */
  replayed: number;
  generated: number;
  abort?: () => void;
  /**
   * What this execution's task keys and tokens start with: `''` for an execution; for a child of a
   * Distributed Map, `<map key>/<child index>/`, so that a child's tasks are recorded (and replayed
   * after a restart) apart from its siblings'. A child shares its execution's ARN and records.
   */
  keyPrefix: string;
  /** A Distributed Map's child: its events belong to no stored history (AWS keeps them apart too). */
  isChild?: boolean;
  /** Aborted with the execution, and with it every Distributed Map child running inside it. */
  lifetime: AbortController;
}

/** A Distributed Map state, with the interpreter's machine for its ItemProcessor. */
export interface DistributedMap {
  state: Record<string, unknown>;
  processor: StateMachine;
  definition: States;
}

export type Counts = Record<
  'pending' | 'running' | 'succeeded' | 'failed' | 'timedOut' | 'aborted' | 'total' | 'resultsWritten',
  number
>;

/** A Distributed Map's run, as DescribeMapRun tells it. */
export interface MapRun {
  mapRunArn: string;
  executionArn: string;
  /** The ItemProcessor's, as AWS names it: `<state machine ARN>/<label>`. */
  stateMachineArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: Counts;
  executionCounts: Counts;
}

/** How one child execution of a Distributed Map ended. */
export interface ChildOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** The child as the Map's `NONE` transformation and the ResultWriter's files describe it. */
  description: Record<string, unknown>;
}

/**
 * The wait of a token task whose execution ended (or whose runtime is stopping): the task ends
 * without an event, its deadline timer with it. A stopping runtime's tokens stay valid on record.
 */
export class AbandonedTask extends Error {
  override name = 'AbandonedTask';
}

export type States = { States: Record<string, Record<string, unknown>> };
