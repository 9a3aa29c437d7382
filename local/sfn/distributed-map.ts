import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { ACCOUNT, REGION } from '../lambda.ts';
import { evaluate, uuidFrom } from './asl.ts';
import type { ExecutionRunner } from './execution.ts';
import { ROLE_ARN } from './history.ts';
import {
  COUNTED,
  counts,
  MAX_CHILDREN,
  move,
  PAYLOAD_LIMIT,
  readItems,
  toBatches,
  writeResults,
} from './items.ts';
import type { ExecutionStore, TaskRecord } from './store.ts';
import {
  type ChildOutcome,
  type DistributedMap,
  type Execution,
  type Integrations,
  type MapRun,
  type PendingTask,
  TaskError,
} from './types.ts';

/** What a Distributed Map needs of the engine that runs its execution. */
/**
 * What a Distributed Map needs of the engine that runs its execution: to append to its history and
 * to start the interpreter on the ItemProcessor (`ExecutionRunner`'s), and the engine's records.
 */
export interface MapHost extends Pick<ExecutionRunner, 'append' | 'interpret'> {
  machine(stateMachineArn: string): { name: string; distributed: Map<string, DistributedMap> } | undefined;
  /** DescribeMapRun's runs, by ARN. */
  readonly mapRuns: Map<string, MapRun>;
  /** Token tasks waiting, by token: a child's end abandons its own. */
  readonly tokens: Map<string, PendingTask>;
  readonly store: ExecutionStore;
  readonly integrations: Integrations;
  /** The runtime is stopping: nothing is recorded as failed, a resume runs the Map again. */
  closing(): boolean;
}

export class DistributedMaps {
  constructor(private readonly host: MapHost) {}

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
  async run(execution: Execution, stateName: string, parameters: unknown): Promise<unknown> {
    // Let the history consumer catch up, so that this Map's events follow its MapStateEntered.
    await nextMacrotask();
    const n = (execution.invocations.get(stateName) ?? 0) + 1;
    execution.invocations.set(stateName, n);
    const key = `${execution.keyPrefix}${stateName}#${n}`;
    const recorded = execution.records.get(key) as TaskRecord | undefined;
    const machine = this.host.machine(execution.stateMachineArn)!;
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
      this.host.append(execution, 'MapStateStarted', { mapStateStartedEventDetails: { length } });
      this.host.append(execution, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
    };
    const succeed = (output: unknown) => {
      start(0);
      this.host.append(execution, 'MapRunSucceeded');
      this.host.append(execution, 'MapStateSucceeded');
      return output;
    };
    const fail = (error: string, cause: string): never => {
      start(0);
      this.host.append(execution, 'MapRunFailed', { mapRunFailedEventDetails: { error, cause } });
      throw new TaskError(error, cause);
    };
    if (recorded?.status === 'succeeded') return succeed(recorded.output);
    if (recorded?.status === 'failed') return fail(recorded.error, recorded.cause);

    let output: unknown;
    try {
      output = await this.mapRun(execution, key, map, { input, context, label, runId, mapRunArn, start });
    } catch (error) {
      // A stopped execution or a stopping runtime decides nothing: a resume runs the Map again.
      if (execution.lifetime.signal.aborted || this.host.closing()) throw error;
      const e = error as Error;
      await this.host.store.putTaskRecord(execution.executionArn, key, {
        status: 'failed',
        error: e.name,
        cause: e.message,
      });
      return fail(e.name, e.message);
    }
    await this.host.store.putTaskRecord(execution.executionArn, key, { status: 'succeeded', output });
    return succeed(output);
  }

  private async mapRun(
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
    this.host.mapRuns.set(run.mapRunArn, mapRun);
    const end = (status: MapRun['status']) => {
      mapRun.status = status;
      mapRun.stopDate = Date.now();
    };

    let items: unknown[];
    if (reader) {
      run.start(0);
      try {
        items = await readItems(this.host.integrations, reader, resolved.reader, readerConfig);
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
        const outcome = await this.runChild(execution, key, map, run, index, batch.input, aborts);
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
      if (writer?.Resource)
        await writeResults(this.host.integrations, resolved.writer, run, files).catch(() => undefined);
      throw new TaskError('States.ExceedToleratedFailureThreshold', exceeded);
    }
    try {
      let output: unknown;
      if (writer?.Resource) {
        const details = await writeResults(this.host.integrations, resolved.writer, run, files);
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
  private async runChild(
    execution: Execution,
    key: string,
    map: DistributedMap,
    run: { label: string; mapRunArn: string },
    index: number,
    input: unknown,
    aborts: Map<number, () => void>,
  ): Promise<ChildOutcome> {
    const machineName = this.host.machine(execution.stateMachineArn)!.name;
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
    const interpreted = this.host.interpret(child, map.processor, map.definition, input, {
      Execution: { Id: childArn, Name: name, RoleArn: ROLE_ARN },
      StateMachine: { Id: childMachineArn, Name: `${machineName}/${run.label}` },
    });
    const abort = () => child.lifetime.abort();
    child.lifetime.signal.addEventListener('abort', () => {
      interpreted.abort();
      // Its tokens die with it, as an aborted child's do on AWS.
      for (const [token, task] of this.host.tokens) {
        if (task.executionArn !== execution.executionArn || !task.key.startsWith(child.keyPrefix)) continue;
        this.host.tokens.delete(token);
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
}
