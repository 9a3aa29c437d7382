/** Errors that carry their HTTP meaning; handlers throw them and the error middleware answers. */
export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
  /** Response headers the answer carries besides its JSON body (`Retry-After`). */
  headers: Record<string, string> = {};

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = code;
  }
}

export class ValidationError extends HttpError {
  constructor(fields: FieldError[], message = '请求内容有误') {
    super(400, 'ValidationError', message, fields);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'NotFound', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

export class GoneError extends HttpError {
  constructor(message: string) {
    super(410, 'Gone', message);
  }
}

/** The request is well formed but the system lacks what it needs to answer it (e.g. parameters or a calendar year). */
export class UnprocessableError extends HttpError {
  constructor(code: string, message: string) {
    super(422, code, message);
  }
}

/**
 * An `Idempotency-Key` already used for a request with other content: answered every time, for as
 * long as the key's first request can be answered, so a second request is never silently dropped.
 */
export class IdempotencyKeyReusedError extends HttpError {
  constructor() {
    super(
      422,
      'IdempotencyKeyReused',
      '该 Idempotency-Key 已用于另一内容不同的请求，本次请求未受理；新的请求请使用新的 Idempotency-Key',
      [{ field: 'headers.idempotency-key', message: 'Idempotency-Key 已用于另一内容不同的请求' }],
    );
  }
}

/**
 * A caller over a rate limit (`shared/rate-limits.ts`): nothing was done, and `Retry-After` says in
 * how many seconds the next window opens.
 */
export class TooManyRequestsError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'TooManyRequests', `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}
