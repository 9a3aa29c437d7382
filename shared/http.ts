/**
 * HTTP handlers are middy handlers over API Gateway v2 events. `httpRoute` composes the per-caller
 * rate limit of write routes, JSON body parsing, zod validation of body/query/path/headers, and an
 * error handler that turns typed errors into JSON responses — so a handler only does its one job.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ZodType, z } from 'zod';
import { type Principal, type Role, requireRole, UnauthorizedError } from './auth.ts';
import { type FieldError, HttpError, IdempotencyKeyReusedError, ValidationError } from './errors.ts';
import { idempotentSubmission } from './idempotency.ts';
import { logger } from './logger.ts';
import { callerOf, takeRequest } from './rate-limiter.ts';
import { routeRateClasses } from './rate-limits.ts';
import { principalOf } from './staff.ts';

export const MAX_BODY_BYTES = 256 * 1024;
/** Lambda's limit on a synchronous request's payload: no route's body can be larger. */
export const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Schemas {
  /**
   * Who may call the route: the roles allowed (the handler then checks jurisdiction and ownership
   * on the record itself), or `public` for what is public about the service, never a household.
   */
  roles: readonly Role[] | 'public';
  /**
   * A submission whose retries with the same `Idempotency-Key` get the first answer (Powertools
   * idempotency, `shared/idempotency.ts`); the value names its records.
   */
  idempotent?: string;
  /** A larger body than `MAX_BODY_BYTES` (a bank's return file): at most the Lambda payload limit. */
  maxBodyBytes?: number;
  body?: ZodType;
  query?: ZodType;
  path?: ZodType;
  headers?: ZodType;
}

type Out<S, K extends keyof Schemas> = S extends { [P in K]: infer T extends ZodType }
  ? z.output<T>
  : undefined;

export interface Request<S extends Schemas> {
  body: Out<S, 'body'>;
  query: Out<S, 'query'>;
  path: Out<S, 'path'>;
  headers: Out<S, 'headers'>;
  principal: S['roles'] extends 'public' ? undefined : Principal;
  event: APIGatewayProxyEventV2;
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** `members.0.idNumber` — the path people and forms use to name a field. */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    // A whole-body error (an array where an object belongs) is named `body`, never an empty field.
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || 'body',
    message: issue.message,
  }));
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

function parseBody(event: APIGatewayProxyEventV2, limit = MAX_BODY_BYTES): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > limit) {
    throw new HttpError(
      413,
      'PayloadTooLarge',
      `请求体超过 ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit / 1024} KiB`}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: '请求体不是合法的 JSON' }]);
  }
}

/** Lower-case header names, as API Gateway v2 delivers them. */
function lowerKeys(record: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {})
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([k, v]) => [k.toLowerCase(), v]),
  );
}

/**
 * The per-caller limit of the route's class (`shared/rate-limits.ts`), counted before anything else
 * is done — before an `Idempotency-Key` record is written and before the body is read — so that a
 * refused request does nothing. A request the route will refuse as unauthenticated or of the wrong
 * role is left to that refusal, which costs nothing and is not anybody's to count.
 */
function rateLimited(allowed: Schemas['roles']): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async ({ event }) => {
      const rateClass = routeRateClasses[event.routeKey];
      if (!rateClass) return;
      const principal = await principalOf(event);
      if (allowed !== 'public' && (!principal || !allowed.includes(principal.role))) return;
      await takeRequest(rateClass, callerOf(event, principal));
    },
  };
}

export function httpRoute<S extends Schemas>(
  schemas: S,
  handle: (request: Request<S>, context: Context) => Promise<HttpResult>,
): HttpHandler {
  const core = async (event: APIGatewayProxyEventV2, context: Context) => {
    // Who before what: an unknown caller learns nothing about the request's shape.
    let principal: Principal | undefined;
    if (schemas.roles !== 'public') {
      principal = await principalOf(event);
      if (!principal) throw new UnauthorizedError();
      requireRole(principal, schemas.roles);
    }
    const issues: FieldError[] = [];
    const check = (schema: ZodType | undefined, value: unknown, prefix: string) => {
      if (!schema) return undefined;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      issues.push(...fieldErrors(parsed.error, prefix));
      return undefined;
    };
    const request = {
      path: check(schemas.path, event.pathParameters ?? {}, 'path'),
      query: check(schemas.query, event.queryStringParameters ?? {}, 'query'),
      headers: check(schemas.headers, lowerKeys(event.headers), 'headers'),
      body: check(schemas.body, parseBody(event, schemas.maxBodyBytes), ''),
      principal,
      event,
    } as Request<S>;
    if (issues.length) throw new ValidationError(issues);
    const result = await handle(request, context);
    return result.body === undefined
      ? { statusCode: result.statusCode, headers: result.headers ?? {} }
      : json(result.statusCode, result.body, result.headers);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(core);
  handler.use(rateLimited(schemas.roles));
  if (schemas.idempotent) handler.use(idempotentSubmission(schemas.idempotent) as never);
  return handler.use({
    onError: async (request) => {
      const error = request.error;
      // Powertools idempotency: the key reused for another request, or the first still in flight.
      if (error instanceof IdempotencyValidationError) {
        const reused = new IdempotencyKeyReusedError();
        request.response = json(422, {
          error: { code: reused.code, message: reused.message, fields: reused.fields },
        });
        return;
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        request.response = json(409, {
          error: { code: 'InProgress', message: '相同 Idempotency-Key 的请求正在处理中，请稍后重试' },
        });
        return;
      }
      if (error instanceof HttpError) {
        request.response = json(
          error.statusCode,
          {
            error: {
              code: error.code,
              message: error.message,
              ...(error.fields.length ? { fields: error.fields } : {}),
            },
          },
          error.headers,
        );
        return;
      }
      logger.error('unhandled error', { error: error as Error, path: request.event.rawPath });
      request.response = json(500, { error: { code: 'InternalError', message: '系统内部错误，请稍后重试' } });
    },
  }) as unknown as HttpHandler;
}

/** Text made safe inside HTML (an element's content or a quoted attribute). */
export const escapeHtml = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
