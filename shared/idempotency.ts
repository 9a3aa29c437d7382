/**
 * Powertools idempotency over DynamoDB, for submissions and for every side-effecting workflow step.
 *
 * - A submission with an `Idempotency-Key` header answers a retry with the first answer, whoever's
 *   key it is never answers another caller (the key is the caller's subject and the header), and
 *   the same key with a different body is refused (422) rather than silently answered. The
 *   application submission is the exception: its key's record is written with the application, in
 *   the same transaction and without expiry (`createApplication` in `shared/repositories/cases.ts`),
 *   so that its refusal cannot lapse while the application can still be answered for the key.
 * - A workflow step is keyed by the function, the execution (`$$.Execution.Id`, which every step's
 *   payload carries) and its input: a Lambda retry after a lost answer gets the stored result and
 *   does nothing twice. The steps are written to be idempotent on their own too (conditional
 *   writes, stable ids); this layer also spares the work and keeps the answer stable.
 *
 * Records live in the `Idempotency` table (`shared/resources.ts`) and expire after a day by TTL.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { requiredEnv } from './config.ts';
import { logger } from './logger.ts';
import { idempotencyTable } from './resources.ts';

const EXPIRES_AFTER_SECONDS = 24 * 3600;

const stores = new Map<string, { config: string; layer: DynamoDBPersistenceLayer }>();

/**
 * The persistence layer of one function, made on first use (and again if the table or endpoint
 * changed: a restarted local runtime). One per function: a layer holds its function's key prefix
 * and configuration, and in the local runtime every function shares one process.
 */
export function persistenceStore(name: string): DynamoDBPersistenceLayer {
  const tableName = requiredEnv(idempotencyTable.env);
  const config = `${tableName} ${process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''}`;
  let store = stores.get(name);
  if (store?.config !== config) {
    store = {
      config,
      layer: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: new DynamoDBClient({}) }),
    };
    stores.set(name, store);
  }
  return store.layer;
}

/**
 * The middy middleware of an idempotent submission. No `Idempotency-Key` header, no idempotency:
 * the JMESPath yields null and the request is handled as it comes. Made on first request, when the
 * function's environment is there (modules are also imported for their schemas alone).
 */
export function idempotentSubmission(name: string): MiddlewareObj {
  let made: { layer: DynamoDBPersistenceLayer; middleware: MiddlewareObj } | undefined;
  const middleware = () => {
    const layer = persistenceStore(name);
    if (made?.layer !== layer) {
      const config = new IdempotencyConfig({
        eventKeyJmesPath:
          'headers."idempotency-key" && join(`":"`, [requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"])',
        payloadValidationJmesPath: 'body',
        expiresAfterSeconds: EXPIRES_AFTER_SECONDS,
      });
      made = {
        layer,
        middleware: makeHandlerIdempotent({
          persistenceStore: layer,
          keyPrefix: name,
          config,
        }) as MiddlewareObj,
      };
    }
    return made.middleware;
  };
  return {
    before: (request) => middleware().before?.(request),
    after: (request) => made?.middleware.after?.(request),
    // A failure to clear the record must not hide the request's own error: it expires on its own.
    onError: async (request) => {
      try {
        await made?.middleware.onError?.(request);
      } catch (error) {
        logger.warn('idempotency record not cleared after an error', { error: error as Error, name });
      }
    },
  };
}

type Step<E, R> = (event: E, context: Context) => Promise<R>;

/** A workflow step made idempotent per function, execution and input. */
export function idempotentStep<E, R>(name: string, step: (event: E) => Promise<R>): Step<E, R> {
  let wrapped: Step<E, R> | undefined;
  let madeFor: DynamoDBPersistenceLayer | undefined;
  return async (event, context) => {
    const layer = persistenceStore(name);
    if (!wrapped || madeFor !== layer) {
      const config = new IdempotencyConfig({ expiresAfterSeconds: EXPIRES_AFTER_SECONDS });
      // The result as Lambda returns it (JSON): no `undefined` left for the record's marshalling.
      wrapped = makeIdempotent(
        async (e: E, _c: Context) => JSON.parse(JSON.stringify((await step(e)) ?? null)),
        {
          persistenceStore: layer,
          keyPrefix: name,
          config,
        },
      ) as Step<E, R>;
      madeFor = layer;
    }
    // Called in-process without a Lambda context (tests, scripts): the step runs as it is.
    if (!context?.getRemainingTimeInMillis) return step(event);
    return wrapped(event, context);
  };
}
