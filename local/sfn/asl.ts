/**
 * The ASL as the interpreter (aws-local-stepfunctions) is given it, and what the engine reads from
 * it: token tasks' timeouts moved out of the interpreter's reach, Distributed Maps turned into tasks
 * the engine carries out (and refused when the engine cannot run them as AWS would), payload
 * templates evaluated, task tokens derived.
 */
import { createHash } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AslDocument } from '../../workflows/types.ts';
import { CSV_DELIMITERS, GET_OBJECT, LIST_OBJECTS, PUT_OBJECT } from './items.ts';
import { type States, TaskError } from './types.ts';

/** Where the interpreter's copy of a token task carries its `TimeoutSecondsPath` value to #runTask. */
export const TIMEOUT_KEY = '__doudi_timeout_seconds__';
/** Step Functions' default task timeout, longer than any execution may live. */
export const NEVER_SECONDS = 99_999_999;

/**
 * The interpreter's copy of a definition. A task without a timeout gets AWS's default (none to
 * speak of). A token task's timeout is enforced by the engine, whose
 * deadline is recorded and so survives a restart; the interpreter's own timer would restart with
 * the replay, so it is pushed out of reach. `TimeoutSecondsPath` is read from the state's input as
 * in AWS (the interpreter would read it from the effective Parameters): its value travels through
 * `Parameters` under a reserved key that #runTask takes out again before the task sees its input.
 * A Distributed Map, which the interpreter cannot run, becomes a Task that #runMap carries out.
 */
export function forInterpreter(definition: AslDocument): AslDocument {
  const rewrite = (states: Record<string, Record<string, unknown>>) =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        if (isDistributedMap(state)) return [name, distributedMapTask(state)];
        let out = { ...state };
        for (const key of ['ItemProcessor', 'Iterator'] as const) {
          const sub = out[key] as States | undefined;
          if (sub) out[key] = { ...sub, States: rewrite(sub.States) };
        }
        if (Array.isArray(out.Branches))
          out.Branches = (out.Branches as States[]).map((b) => ({ ...b, States: rewrite(b.States) }));
        const tokenTask = out.Type === 'Task' && String(out.Resource).endsWith('.waitForTaskToken');
        if (tokenTask && (out.TimeoutSeconds !== undefined || out.TimeoutSecondsPath !== undefined)) {
          const { TimeoutSecondsPath: path, ...rest } = out;
          out = { ...rest, TimeoutSeconds: NEVER_SECONDS };
          if (typeof path === 'string')
            out.Parameters = {
              ...((out.Parameters as object | undefined) ?? {}),
              [`${TIMEOUT_KEY}.$`]: path,
            };
        } else if (
          out.Type === 'Task' &&
          out.TimeoutSeconds === undefined &&
          out.TimeoutSecondsPath === undefined
        ) {
          // AWS's default; the interpreter's own (60 s) would time out a Lambda step in flight
          // whenever the virtual clock jumps forward.
          out.TimeoutSeconds = NEVER_SECONDS;
        }
        return [name, out];
      }),
    );
  return { ...definition, States: rewrite(definition.States) };
}

/** Every Task state, including those inside Map and Parallel states. */
export const taskStates = (definition: States) => statesOfType(definition, 'Task');

/**
 * Every state of a type, including those inside Map and Parallel states; with `intoDistributed`
 * false, not those of a Distributed Map's ItemProcessor (its children run on their own machine).
 */
export function statesOfType(
  definition: States,
  type: string,
  intoDistributed = true,
): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === type) out.push([name, state]);
    const processors =
      intoDistributed || !isDistributedMap(state) ? [state.ItemProcessor, state.Iterator] : [];
    const nested = [...processors, ...((state.Branches as unknown[]) ?? [])].filter(Boolean) as States[];
    for (const sub of nested) out.push(...statesOfType(sub, type, intoDistributed));
  }
  return out;
}

/** The interpreter's stand-in for a Distributed Map: a Task that #runMap carries out. */
export const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::doudi:distributedMap';

/** The fields a Map shares with a Task; the rest are the Map's own, and #runMap reads them from the definition. */
const TASK_FIELDS = [
  'Comment',
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ResultSelector',
  'Retry',
  'Catch',
  'Next',
  'End',
];

/** A Map in Distributed mode: it reads its items with an ItemReader, or says so in its ProcessorConfig. */
export function isDistributedMap(state: Record<string, unknown>): boolean {
  if (state.Type !== 'Map') return false;
  const processor = (state.ItemProcessor ?? state.Iterator) as
    | { ProcessorConfig?: { Mode?: unknown } }
    | undefined;
  return state.ItemReader !== undefined || processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/**
 * A Distributed Map in the interpreter's copy: a Task keeping the Map's input and output
 * processing, Retry, Catch and transition, whose handler (#runMap) is given the Map's effective
 * input and the context object its ItemReader, ItemSelector, ItemBatcher and ResultWriter resolve against.
 */
export function distributedMapTask(state: Record<string, unknown>): Record<string, unknown> {
  return {
    ...Object.fromEntries(Object.entries(state).filter(([field]) => TASK_FIELDS.includes(field))),
    Type: 'Task',
    Resource: DISTRIBUTED_MAP_RESOURCE,
    Parameters: { 'input.$': '$', 'context.$': '$$' },
    TimeoutSeconds: NEVER_SECONDS,
  };
}

/** What the local engine cannot do as AWS would is refused when the state machine is created. */
export function checkDistributedMap(name: string, state: Record<string, unknown>, definition: object): void {
  const unsupported = (what: string): never => {
    throw new Error(`Distributed Map ${name}: ${what} is not supported by the local Step Functions engine`);
  };
  if (
    (definition as { QueryLanguage?: unknown }).QueryLanguage === 'JSONata' ||
    state.QueryLanguage === 'JSONata'
  )
    unsupported('JSONata');
  if (!(state.ItemProcessor ?? state.Iterator))
    throw new Error(`Distributed Map ${name} has no ItemProcessor`);
  const reader = state.ItemReader as Record<string, unknown> | undefined;
  if (reader) {
    const config = (reader.ReaderConfig ?? {}) as Record<string, unknown>;
    if (reader.Resource === GET_OBJECT) {
      if (!['JSON', 'JSONL', 'CSV'].includes(String(config.InputType)))
        unsupported(`an ItemReader with InputType ${String(config.InputType)}`);
      if (config.CSVDelimiter !== undefined && !(String(config.CSVDelimiter) in CSV_DELIMITERS))
        unsupported(`CSVDelimiter ${String(config.CSVDelimiter)}`);
      if (
        config.InputType === 'CSV' &&
        config.CSVHeaderLocation === 'GIVEN' &&
        !Array.isArray(config.CSVHeaders)
      )
        throw new Error(`Distributed Map ${name}: CSVHeaderLocation GIVEN needs CSVHeaders`);
    } else if (reader.Resource !== LIST_OBJECTS) {
      unsupported(`the ItemReader resource ${String(reader.Resource)}`);
    }
  }
  const writer = state.ResultWriter as Record<string, unknown> | undefined;
  if (writer) {
    if (writer.Resource !== undefined && writer.Resource !== PUT_OBJECT)
      unsupported(`the ResultWriter resource ${String(writer.Resource)}`);
    const config = (writer.WriterConfig ?? {}) as Record<string, unknown>;
    if (config.OutputType !== undefined && config.OutputType !== 'JSON')
      unsupported(`ResultWriter OutputType ${String(config.OutputType)}`);
    if (
      config.Transformation !== undefined &&
      !['NONE', 'COMPACT', 'FLATTEN'].includes(String(config.Transformation))
    )
      unsupported(`ResultWriter Transformation ${String(config.Transformation)}`);
  }
}

/** Where `$$.Execution` is found while a template is evaluated (the interpreter rewrites that key). */
export const EXECUTION_KEY = '__doudi_execution__';

/**
 * A payload template (`.$` paths, `$$` context paths, intrinsic functions) resolved by the
 * interpreter itself, as a Pass state's Parameters, against `input` and `context`.
 */
export async function evaluate(
  template: unknown,
  input: unknown,
  context: Record<string, unknown>,
): Promise<unknown> {
  const retarget = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(retarget)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              k.endsWith('.$') && typeof v === 'string'
                ? v.replace(/\$\$\.Execution\b/g, () => `$$.${EXECUTION_KEY}`)
                : retarget(v),
            ]),
          )
        : value;
  const machine = new StateMachine(
    {
      StartAt: 'Evaluate',
      States: { Evaluate: { Type: 'Pass', Parameters: retarget(template), End: true } },
    } as never,
    { validationOptions: { noValidate: true } },
  );
  try {
    return await machine.run(input as never, {
      context: { ...context, [EXECUTION_KEY]: context.Execution } as never,
    }).result;
  } catch (error) {
    const inner = (error as Error & { cause?: Error }).cause ?? (error as Error);
    throw new TaskError(inner.name, inner.message);
  }
}

/** A UUID-shaped name derived from `seed`: the same after a restart. */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function taskToken(executionArn: string, stateName: string, n: number): string {
  return Buffer.from(JSON.stringify([executionArn, stateName, n])).toString('base64url');
}

export function describeResource(resource: string): { resourceType: string; action: string } {
  const m = /^arn:aws:states:::([a-z0-9-]+):(.+)$/.exec(resource);
  if (m) return { resourceType: m[1]!, action: m[2]! };
  return { resourceType: 'lambda', action: 'invoke' };
}

export function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}
