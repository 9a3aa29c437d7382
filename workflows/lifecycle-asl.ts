/**
 * ASL building blocks shared by the lifecycle workflows (recheck, gradual exit, emergency): a Lambda
 * step with the service-error retries every step gets, and a caseworker task that escalates when its
 * working-day due date passes — the same shape as the application workflow's human tasks.
 */

import type { LifecycleTaskKind } from '../shared/domain/tasks.ts';

/** Transient errors only: a step's own errors are not retried blindly. */
export const lambdaRetry = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
  },
  {
    // Transient by nature: another run of the same step still holds its idempotency record, or
    // the case changed between reading and writing it (optimistic concurrency) — try again later.
    ErrorEquals: ['IdempotencyAlreadyInProgressError', 'StaleCaseError'],
    IntervalSeconds: 2,
    MaxAttempts: 5,
    BackoffRate: 2,
  },
];

/**
 * A Lambda step; its answer lands at `<ResultPath>.result`. Every step's payload names its execution:
 * the step's idempotency is keyed by function, execution and input (`shared/idempotency.ts`).
 */
export const invoke = (fn: string, payload: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${${fn}}`, Payload: { 'executionArn.$': '$$.Execution.Id', ...payload } },
  ResultSelector: { 'result.$': '$.Payload' },
  Retry: lambdaRetry,
});

/** The placeholders of the lifecycle task steps, and the catalog functions behind them. */
export const taskSubstitutions = {
  PlanLifecycleTaskFunction: 'planLifecycleTaskStep',
  OpenLifecycleTaskFunction: 'openLifecycleTaskStep',
  EscalateLifecycleTaskFunction: 'escalateLifecycleTaskStep',
};

/**
 * Plan → wait on the task's token until its due date ends → (overdue) escalate and wait again.
 * `$.task.result` holds the plan; `detailPath` points at what the caseworker is asked to confirm; the
 * decision lands at `resultPath`.
 */
export function caseworkerTask(opts: {
  kind: LifecycleTaskKind;
  name: string;
  comment: string;
  detailPath: string;
  /** Where the household's region and residence are (the due date counts their parameters). */
  regionCodePath: string;
  residencePath: string;
  resultPath: string;
  next: string;
  /** What runs between planning the task and waiting on it (default: nothing). */
  afterPlan?: string;
  /** A later task of the same kind in the same execution (a review after a hearing): its own id. */
  round?: number;
}): Record<string, Record<string, unknown>> {
  const { name } = opts;
  return {
    [`Plan${name}`]: {
      Comment: `${opts.comment}：任务编号与工作日期限`,
      ...invoke('PlanLifecycleTaskFunction', {
        'executionArn.$': '$$.Execution.Id',
        kind: opts.kind,
        'regionCode.$': opts.regionCodePath,
        'residence.$': opts.residencePath,
        ...(opts.round ? { round: opts.round } : {}),
      }),
      ResultPath: '$.task',
      Next: opts.afterPlan ?? name,
    },
    [name]: {
      Comment: opts.comment,
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${OpenLifecycleTaskFunction}',
        Payload: {
          'taskToken.$': '$$.Task.Token',
          'executionArn.$': '$$.Execution.Id',
          kind: opts.kind,
          'caseId.$': '$.caseId',
          'task.$': '$.task.result',
          'detail.$': opts.detailPath,
        },
      },
      TimeoutSecondsPath: '$.task.result.timeoutSeconds',
      ResultPath: opts.resultPath,
      Retry: lambdaRetry,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: `Escalate${name}` }],
      Next: opts.next,
    },
    [`Escalate${name}`]: {
      Comment: `${opts.comment}逾期：报督办，重新计算期限`,
      ...invoke('EscalateLifecycleTaskFunction', { 'task.$': '$.task.result' }),
      ResultPath: '$.task',
      Next: name,
    },
  };
}
