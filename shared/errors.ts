/** Errors that carry their HTTP meaning; handlers throw them and the error middleware answers. */
export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
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
