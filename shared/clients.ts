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
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }),
);
export const sqs = once(() => new SQSClient({}));
export const sfn = once(() => new SFNClient({}));
export const s3 = once(() => new S3Client({ forcePathStyle: true }));
