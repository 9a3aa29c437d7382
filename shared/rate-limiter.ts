/**
 * Enforces `shared/rate-limits.ts` per caller. Lambda instances share no memory, so the count lives
 * in DynamoDB (`RateLimits`, `shared/resources.ts`): one conditional update per request adds one to
 * the caller's window unless it is full. A refused request writes nothing, here or anywhere else.
 * Time is `Date.now()`, which the local runtime's virtual clock drives: a test moves the clock past
 * a window instead of waiting for it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from './auth.ts';
import { dynamo } from './clients.ts';
import { requiredEnv } from './config.ts';
import { TooManyRequestsError } from './errors.ts';
import { type RateClass, rateLimitScale, rateLimits, retryAfterSeconds, windowAt } from './rate-limits.ts';
import { rateLimitsTable } from './resources.ts';

/** A window's item outlives it by this much, so a clock a little behind never recreates it. */
const KEEP_AFTER_WINDOW_SECONDS = 3600;

/**
 * Who is counted: the signed-in subject, or, before anyone is signed in, the client's address as
 * API Gateway (or the local server) saw it.
 */
export function callerOf(event: APIGatewayProxyEventV2, principal: Principal | undefined): string {
  return principal ? `sub:${principal.subject}` : `ip:${event.requestContext?.http?.sourceIp ?? 'unknown'}`;
}

/** Counts one request of `caller` in `rateClass`; throws `TooManyRequestsError` when its window is full. */
export async function takeRequest(rateClass: RateClass, caller: string): Promise<void> {
  const now = Date.now();
  const window = windowAt(rateLimits[rateClass], now, rateLimitScale());
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: requiredEnv(rateLimitsTable.env),
        Key: { id: `${rateClass}#${caller}#${window.start}` },
        UpdateExpression: 'ADD #requests :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ConditionExpression: 'attribute_not_exists(#requests) OR #requests < :allowed',
        ExpressionAttributeNames: {
          '#requests': 'requests',
          '#expiresAt': rateLimitsTable.timeToLiveAttribute!,
        },
        ExpressionAttributeValues: {
          ':one': 1,
          ':allowed': window.allowed,
          ':expiresAt': Math.ceil(window.end / 1000) + KEEP_AFTER_WINDOW_SECONDS,
        },
      }),
    );
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error).name === 'ConditionalCheckFailedException'
    )
      throw new TooManyRequestsError(retryAfterSeconds(window, now));
    throw error;
  }
}
