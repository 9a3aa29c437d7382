/**
 * The local engine's history, without an interpreter or a table: interpreter events become the
 * events `GetExecutionHistory` answers on AWS, numbered in order, and each way an execution ends
 * has its own closing event.
 */
import { describe, expect, it } from 'vitest';
import { closedEntry, historyEntryOf, nextEvent, ROLE_ARN } from '../../local/sfn/history.ts';
import type { EventLog, HistoryEvent } from '../../local/sfn/types.ts';

const at = Date.UTC(2027, 0, 4, 1, 0, 0);
const asTask = () => 'Task';
const event = (e: Record<string, unknown>) => ({ timestamp: at, ...e }) as unknown as EventLog;

describe('the history of a local execution', () => {
  it('names states as AWS does and records their input and output as JSON text', () => {
    const state = { name: 'ScanPeople', type: 'Task', input: { a: 1 }, output: { b: 2 } };
    const map = (s: { name: string; type: string }) => (s.name === 'ScanPeople' ? 'Map' : s.type);
    expect(historyEntryOf(event({ type: 'StateEntered', state }), '{}', map)).toEqual({
      type: 'MapStateEntered',
      details: {
        stateEnteredEventDetails: {
          name: 'ScanPeople',
          input: '{"a":1}',
          inputDetails: { truncated: false },
        },
      },
    });
    expect(
      historyEntryOf(event({ type: 'StateExited', state: { ...state, output: undefined } }), '{}', asTask),
    ).toEqual({
      type: 'TaskStateExited',
      details: {
        stateExitedEventDetails: { name: 'ScanPeople', output: 'null', outputDetails: { truncated: false } },
      },
    });
    expect(
      historyEntryOf(event({ type: 'ExecutionStarted', input: {} }), '{"caseId":"case-1"}', asTask),
    ).toEqual({
      type: 'ExecutionStarted',
      details: {
        executionStartedEventDetails: {
          input: '{"caseId":"case-1"}',
          inputDetails: { truncated: false },
          roleArn: ROLE_ARN,
        },
      },
    });
    expect(
      historyEntryOf(
        event({ type: 'MapIterationFailed', parentState: { name: 'EachMember' }, index: 3 }),
        '{}',
        asTask,
      ),
    ).toEqual({
      type: 'MapIterationFailed',
      details: { mapIterationFailedEventDetails: { name: 'EachMember', index: 3 } },
    });
  });

  it('leaves out what Step Functions has no event for: retries, catches, state failures, branches', () => {
    for (const type of ['StateRetried', 'StateCaught', 'StateFailed', 'ParallelBranchStarted'])
      expect(
        historyEntryOf(event({ type, state: { name: 'X', type: 'Task' } }), '{}', asTask),
      ).toBeUndefined();
  });

  it('closes each way an execution can end with its own event', () => {
    expect(closedEntry('SUCCEEDED', { output: '{"ok":true}' })).toEqual({
      type: 'ExecutionSucceeded',
      details: {
        executionSucceededEventDetails: { output: '{"ok":true}', outputDetails: { truncated: false } },
      },
    });
    expect(closedEntry('TIMED_OUT', { error: 'States.Timeout', cause: 'too long' })).toEqual({
      type: 'ExecutionTimedOut',
      details: { executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'too long' } },
    });
    expect(closedEntry('FAILED', { error: 'E', cause: 'c' }).type).toBe('ExecutionFailed');
    expect(Object.keys(closedEntry('ABORTED', {}).details)).toEqual(['executionAbortedEventDetails']);
  });

  it('numbers events one after another, each pointing at the one before, stamped in seconds', () => {
    const events: HistoryEvent[] = [];
    for (const type of ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled'])
      events.push(nextEvent(events, { type, details: {} }, at + events.length * 1500));
    expect(events.map((e) => [e.id, e.previousEventId, e.type, e.timestamp])).toEqual([
      [1, 0, 'ExecutionStarted', at / 1000],
      [2, 1, 'TaskStateEntered', at / 1000 + 1.5],
      [3, 2, 'TaskScheduled', at / 1000 + 3],
    ]);
  });
});
