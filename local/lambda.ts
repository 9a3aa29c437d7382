/**
 * Local Lambda: the functions in `functions/catalog.ts`, imported in-process and called with the
 * event and a Lambda-shaped context, under the same names CDK gives them.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { type FunctionDefinition, type FunctionName, functions, timeoutOf } from '../functions/catalog.ts';
import { countedAs } from '../shared/clients.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
const ROOT = join(import.meta.dirname, '..');

export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:doudi-${name}`;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export class LambdaFunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = errorType;
  }
}

const cache = new Map<string, Promise<Handler>>();

/** Invocations and their total duration per function, for the cost figures of the lifecycle bench. */
const invocations = new Map<string, { count: number; ms: number }>();
export const invocationCounts = (): Record<string, { count: number; ms: number }> =>
  Object.fromEntries(invocations);
export const resetInvocationCounts = (): void => invocations.clear();

function timed(name: string, handler: Handler): Handler {
  return async (event, context) => {
    const started = performance.now();
    try {
      return await countedAs(name, () => handler(event, context));
    } finally {
      const entry = invocations.get(name) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - started;
      invocations.set(name, entry);
    }
  };
}

export function loadHandler(name: FunctionName): Promise<Handler> {
  let handler = cache.get(name);
  if (!handler) {
    const def = functions[name];
    handler = import(join(ROOT, def.entry)).then((mod: Record<string, unknown>) => {
      const fn = mod[def.handler];
      if (typeof fn !== 'function') throw new Error(`${def.entry} does not export ${def.handler}`);
      return timed(name, fn as Handler);
    });
    cache.set(name, handler);
  }
  return handler;
}

/**
 * How much longer than on AWS a local invocation may run: `DOUDI_TIMEOUT_SCALE`, 1 unless set. On
 * AWS each invocation has a machine's share of its own; locally every function shares this one's
 * cores with DynamoDB Local and the rest, and a test that floods the API runs forty at once on two
 * cores. The suite sets it (vitest.config.ts) so that a correct handler is never failed for want of
 * CPU — a test must not depend on the machine's load (issue 16) — while `npm start` keeps AWS's.
 */
export const localTimeoutScale = (): number => timeoutScale(process.env.DOUDI_TIMEOUT_SCALE);

/** `DOUDI_TIMEOUT_SCALE` read: 1 when unset or empty; a number of at least 1; anything else refused. */
export function timeoutScale(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const scale = Number(value);
  if (!(Number.isFinite(scale) && scale >= 1))
    throw new RangeError(`DOUDI_TIMEOUT_SCALE 应为不小于 1 的数（如 6） (got ${value})`);
  return scale;
}

/**
 * The context a handler gets, with the timeout its definition gives it on AWS (`timeoutOf`),
 * stretched by `localTimeoutScale`.
 */
export function lambdaContext(name: FunctionName): Context {
  const deadline = Date.now() + timeoutOf(functions[name] as FunctionDefinition) * localTimeoutScale() * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `doudi-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(name),
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/doudi-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invokes by name or ARN; a thrown error becomes a Lambda function error named by its type. */
export async function invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
  const name = nameOrArn.replace(/^arn:aws:lambda:[^:]+:\d+:function:/, '').replace(/^doudi-/, '');
  if (!(name in functions))
    throw new LambdaFunctionError('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`);
  const handler = await loadHandler(name as FunctionName);
  try {
    // A round trip through JSON, as the Lambda service does: no shared references leak between caller and callee.
    const result = await handler(
      JSON.parse(JSON.stringify(payload ?? {})),
      lambdaContext(name as FunctionName),
    );
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } catch (error) {
    if (error instanceof LambdaFunctionError) throw error;
    const e = error as Error;
    throw new LambdaFunctionError(e.name || 'Error', e.message, (e.stack ?? '').split('\n'));
  }
}
