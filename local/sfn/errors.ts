/** An error of the Step Functions API, answered as AWS does (awsJson1_0: `__type` and HTTP 400). */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}
