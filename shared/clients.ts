/**
 * One SDK client per service per process. Endpoints come from the SDK's standard variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_S3`),
 * so the same code talks to AWS or to the local runtime.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from './config.ts';

const resets: Array<() => void> = [];

/**
 * Requests sent per service and operation by this process's clients: what a Lambda really costs
 * in DynamoDB, SQS and Step Functions calls, counted rather than estimated (the benches). Each is
 * also counted under who sent it — the function running (`countedAs`, which the local runtime wraps
 * every invocation in), or the fixed name a client was counted under (`countRequests`) — so that a
 * bench can say where the requests go.
 */
const counts = new Map<string, Map<string, number>>();
const caller = new AsyncLocalStorage<string>();
const OTHER = 'other';

/** Requests by `service.Operation`, all callers together. */
export const requestCounts = (): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const byOperation of counts.values())
    for (const [operation, n] of byOperation) total[operation] = (total[operation] ?? 0) + n;
  return total;
};
/** Requests by caller, then by `service.Operation`. */
export const requestCountsByCaller = (): Record<string, Record<string, number>> =>
  Object.fromEntries([...counts].map(([who, byOperation]) => [who, Object.fromEntries(byOperation)]));
export const resetRequestCounts = (): void => counts.clear();

/** Runs `work` with its requests counted under `name`. */
export const countedAs = <T>(name: string, work: () => T): T => caller.run(name, work);

interface Counted {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}
/** Counts the client's requests: under `as` when given, else under the caller running. */
export function countRequests<T extends Counted>(service: string, client: T, as?: string): T {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const operation = `${service}.${(context.commandName ?? 'unknown').replace(/Command$/, '')}`;
      const who = as ?? caller.getStore() ?? OTHER;
      const byOperation = counts.get(who) ?? new Map<string, number>();
      byOperation.set(operation, (byOperation.get(operation) ?? 0) + 1);
      counts.set(who, byOperation);
      return next(args);
    },
    { step: 'initialize', name: 'doudiRequestCount' },
  );
  return client;
}

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  resets.push(() => {
    value = undefined;
  });
  return () => {
    value ??= make();
    return value;
  };
};

/** What else a process keeps from the tables it reads (caches), forgotten with the clients. */
export const onClientsReset = (forget: () => void): void => {
  resets.push(forget);
};

/** Forgets the clients, so the next use reads the endpoint variables again (a restarted local runtime). */
export function resetClients(): void {
  for (const reset of resets) reset();
}

export const dynamo = once(() =>
  DynamoDBDocumentClient.from(countRequests('DynamoDB', new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }),
);
// Requests go to the configured endpoint (the regional one, or the local runtime's) whatever host
// the queue URL names: fauxqs's URLs name `sqs.<region>.localhost`, which is not where it listens.
export const sqs = once(() => countRequests('SQS', new SQSClient({ useQueueUrlAsEndpoint: false })));
export const sfn = once(() => countRequests('StepFunctions', new SFNClient({})));
export const s3 = once(() => countRequests('S3', new S3Client({ forcePathStyle: true })));

/**
 * A message onto the queue whose URL is in `queueEnv`: `{ type, ...body }`, the type also as a message
 * attribute so that a consumer can filter without parsing.
 */
export async function sendTyped(queueEnv: string, type: string, body: object): Promise<void> {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: requiredEnv(queueEnv),
      MessageBody: JSON.stringify({ type, ...body }),
      MessageAttributes: { type: { DataType: 'String', StringValue: type } },
    }),
  );
}
