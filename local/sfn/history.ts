/**
 * The execution history as Step Functions writes it: the interpreter's events renamed and detailed
 * as `GetExecutionHistory` answers them, and the event an execution closes with. Pure: the engine
 * numbers, stamps and stores what these answer.
 */
import { ACCOUNT } from '../lambda.ts';
import type { EventLog, ExecutionStatus, HistoryEvent } from './types.ts';

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/doudi-local`;

/** A history event's type and details, before the engine numbers and stamps it. */
export interface HistoryEntry {
  type: string;
  details: Record<string, unknown>;
}

/** `MapIterationStarted` → `mapIterationStartedEventDetails`: how AWS names each event's details. */
const detailsKey = (type: string) => `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;

/**
 * An interpreter event as the history records it, or undefined for those Step Functions has no
 * event for (retries, catches and failures are the task's own TaskFailed; parallel branches).
 * `stateType` names a state's type as AWS does (a Distributed Map runs as a Task in the interpreter).
 */
export function historyEntryOf(
  event: EventLog,
  executionInput: string,
  stateType: (state: { name: string; type: string }) => string,
): HistoryEntry | undefined {
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        details: {
          executionStartedEventDetails: {
            input: executionInput,
            inputDetails: { truncated: false },
            roleArn: ROLE_ARN,
          },
        },
      };
    case 'StateEntered':
      return {
        type: `${stateType(event.state)}StateEntered`,
        details: {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
            inputDetails: { truncated: false },
          },
        },
      };
    case 'StateExited':
      return {
        type: `${stateType(event.state)}StateExited`,
        details: {
          stateExitedEventDetails: {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: { truncated: false },
          },
        },
      };
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return {
        type: event.type,
        details: { [detailsKey(event.type)]: { name: event.parentState.name, index: event.index } },
      };
    default:
      return undefined;
  }
}

const closedTypes = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
} as const satisfies Record<Exclude<ExecutionStatus, 'RUNNING'>, string>;

/** The last event of an execution that ended with `status`. */
export function closedEntry(
  status: Exclude<ExecutionStatus, 'RUNNING'>,
  result: { output?: string | undefined; error?: string | undefined; cause?: string | undefined },
): HistoryEntry {
  const type = closedTypes[status];
  return {
    type,
    details:
      status === 'SUCCEEDED'
        ? { executionSucceededEventDetails: { output: result.output, outputDetails: { truncated: false } } }
        : { [detailsKey(type)]: { error: result.error, cause: result.cause } },
  };
}

/** The next event of a history `events` long, at `now` (ms), as AWS numbers and stamps it. */
export function nextEvent(events: readonly HistoryEvent[], entry: HistoryEntry, now: number): HistoryEvent {
  const id = events.length + 1;
  return { id, previousEventId: id - 1, timestamp: now / 1000, type: entry.type, ...entry.details };
}
