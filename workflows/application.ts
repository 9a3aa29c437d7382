/**
 * 申请审核确认 — the application workflow. It only orchestrates: every piece of work is a Lambda
 * function (see `functions/steps/`). Human review is a `.waitForTaskToken` task whose token the
 * opening function records with the task; the caseworker's decision completes it.
 *
 * `${…}` placeholders are filled by CDK (definitionSubstitutions) and by the local runtime from the
 * same `substitutions` map, so both run this exact document.
 */
import type { WorkflowDefinition } from './types.ts';

const lambdaRetry = [
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
];

const invoke = (fn: string, payload: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${${fn}}`, Payload: payload },
  ResultSelector: { 'result.$': '$.Payload' },
  Retry: lambdaRetry,
});

export const application: WorkflowDefinition = {
  id: 'Application',
  env: 'APPLICATION_STATE_MACHINE_ARN',
  substitutions: {
    MeansTestFunction: 'meansTestStep',
    OpenTaskFunction: 'openTaskStep',
    RecordDeterminationFunction: 'recordDeterminationStep',
  },
  definition: {
    Comment: '社会救助申请：家庭经济状况核查 → 乡镇审核 → 确认 → 书面告知',
    StartAt: 'MeansTest',
    States: {
      MeansTest: {
        Comment: '家庭经济状况核查',
        ...invoke('MeansTestFunction', { 'applicationId.$': '$.applicationId' }),
        ResultPath: '$.meansTest',
        Next: 'TownshipReview',
      },
      TownshipReview: {
        Comment: '乡镇（街道）审核：入户调查、信息核对后提出意见',
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${OpenTaskFunction}',
          Payload: {
            'taskToken.$': '$$.Task.Token',
            'executionArn.$': '$$.Execution.Id',
            kind: 'townshipReview',
            'applicationId.$': '$.applicationId',
            'caseId.$': '$.caseId',
            'regionCode.$': '$.regionCode',
            'meansTest.$': '$.meansTest.result',
          },
        },
        // A Standard execution's task may wait up to the execution's own limit; the working-day
        // deadline is enforced by the escalation timer, not by this timeout.
        TimeoutSeconds: 31_536_000,
        ResultPath: '$.townshipReview',
        Retry: lambdaRetry,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordWithdrawal' }],
        Next: 'Determine',
      },
      Determine: {
        Comment: '确认并书面告知申请人',
        ...invoke('RecordDeterminationFunction', {
          'applicationId.$': '$.applicationId',
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
          'meansTest.$': '$.meansTest.result',
          'review.$': '$.townshipReview',
        }),
        ResultPath: '$.determination',
        End: true,
      },
      RecordWithdrawal: {
        Comment: '审核未完成（任务失败或撤回），记录并告知',
        ...invoke('RecordDeterminationFunction', {
          'applicationId.$': '$.applicationId',
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
          'meansTest.$': '$.meansTest.result',
          'failure.$': '$.failure',
        }),
        ResultPath: '$.determination',
        End: true,
      },
    },
  },
};
