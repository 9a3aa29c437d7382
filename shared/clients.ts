/**
 * One SDK client per service per process. Endpoints come from the SDK's standard variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_S3`),
 * so the same code talks to AWS or to the local runtime.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const resets: Array<() => void> = [];

/**
 * Requests sent per service and operation by this process's clients: what a Lambda really costs
 * in DynamoDB, SQS and Step Functions calls, counted rather than estimated (the lifecycle bench).
 */
const counts = new Map<string, number>();
export const requestCounts = (): Record<string, number> => Object.fromEntries(counts);
export const resetRequestCounts = (): void => counts.clear();

interface Counted {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}
function counted<T extends Counted>(service: string, client: T): T {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const key = `${service}.${(context.commandName ?? 'unknown').replace(/Command$/, '')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
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

/** Forgets the clients, so the next use reads the endpoint variables again (a restarted local runtime). */
export function resetClients(): void {
  for (const reset of resets) reset();
}

export const dynamo = once(() =>
  DynamoDBDocumentClient.from(counted('DynamoDB', new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }),
);
// Requests go to the configured endpoint (the regional one, or the local runtime's) whatever host
// the queue URL names: fauxqs's URLs name `sqs.<region>.localhost`, which is not where it listens.
export const sqs = once(() => counted('SQS', new SQSClient({ useQueueUrlAsEndpoint: false })));
export const sfn = once(() => counted('StepFunctions', new SFNClient({})));
export const s3 = once(() => counted('S3', new S3Client({ forcePathStyle: true })));
