/**
 * 发放名册 — a county's monthly payroll, one execution per roll (started by `POST /payrolls`, input
 * `{ rollId }`; the officer who starts it prepares the roll):
 *
 *   列出本县案件（清单）→ 逐批计算应发（Distributed Map：本月及补发月份）→ 汇总、哈希、与上月比较
 *     → 等待另一名县级工作人员审批（逾期督办）→ 退回：可重新编制
 *     → 通过：名册锁定 → 生成银行文件 → 等待银行回盘 → 逐批对账（Distributed Map）→ 办结
 *   计算或审批前失败：名册标记失败，可重新编制
 *
 * The Map reads the case list Prepare wrote with its ItemReader and hands each child a batch of case
 * ids; every child writes its lines itself (`ResultPath: null`), so no payload grows with the county.
 * Work happens in `functions/steps/payroll.ts`, money rules in `shared/domain/entitlements.ts`.
 */
import { invoke, lambdaRetry } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

/** Cases per child: each computes its cases eight at a time. */
export const CASES_PER_BATCH = 200;
/** Children at once: bounds the load on the case table. */
export const MAX_CONCURRENCY = 8;

const prepared = '$.prepared.result';
const fail = {
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkRollFailed' }],
};

export const payroll: WorkflowDefinition = {
  id: 'Payroll',
  env: 'PAYROLL_STATE_MACHINE_ARN',
  substitutions: {
    PreparePayrollFunction: 'preparePayrollStep',
    PayrollLinesFunction: 'payrollLinesStep',
    SealPayrollFunction: 'sealPayrollStep',
    OpenPayrollApprovalFunction: 'openPayrollApprovalStep',
    EscalatePayrollApprovalFunction: 'escalatePayrollApprovalStep',
    ConcludePayrollFunction: 'concludePayrollStep',
    FailPayrollFunction: 'failPayrollStep',
    ExportBankFileFunction: 'exportBankFileStep',
    OpenBankReturnFunction: 'openBankReturnStep',
    ReconcileLinesFunction: 'reconcilePayrollStep',
    CloseRollFunction: 'closeRollStep',
  },
  grants: [
    { bucket: 'PayrollFiles', access: 'read', prefix: 'rolls/' },
    { bucket: 'PayrollFiles', access: 'read', prefix: 'bank/' },
  ],
  definition: {
    Comment: '发放名册：列出本县案件 → 分批计算应发与补发（分布式 Map）→ 汇总与哈希 → 另一名工作人员审批',
    StartAt: 'ListCases',
    States: {
      ListCases: {
        Comment: '列出本县有确认决定的案件，写出清单',
        ...invoke('PreparePayrollFunction', { 'rollId.$': '$.rollId' }),
        ResultPath: '$.prepared',
        ...fail,
        Next: 'HasCases',
      },
      HasCases: {
        Type: 'Choice',
        Choices: [{ Variable: `${prepared}.cases`, NumericEquals: 0, Next: 'SealRoll' }],
        Default: 'ComputeLines',
      },
      ComputeLines: {
        Comment: '逐批计算每户本月应发与未发月份的补发，写入名册',
        Type: 'Map',
        Label: 'PayrollLines',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': `${prepared}.manifest.bucket`, 'Key.$': `${prepared}.manifest.key` },
        },
        ItemBatcher: {
          MaxItemsPerBatch: CASES_PER_BATCH,
          BatchInput: {
            'rollId.$': '$.rollId',
            'regionCode.$': `${prepared}.regionCode`,
            'month.$': `${prepared}.month`,
            'since.$': `${prepared}.since`,
            'inTransit.$': `${prepared}.inTransit`,
          },
        },
        MaxConcurrency: MAX_CONCURRENCY,
        ToleratedFailurePercentage: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'LineBatch',
          States: {
            LineBatch: {
              Comment: '一批案件：计算应发月份与金额，写入名册行',
              ...invoke('PayrollLinesFunction', { 'Items.$': '$.Items', 'BatchInput.$': '$.BatchInput' }),
              End: true,
            },
          },
        },
        ResultPath: null,
        ...fail,
        Next: 'SealRoll',
      },
      SealRoll: {
        Comment: '汇总户数、金额与补发，计算名册哈希，与上月名册比较；名册此后不再变动',
        ...invoke('SealPayrollFunction', { 'rollId.$': '$.rollId' }),
        ResultPath: '$.sealed',
        ...fail,
        Next: 'AwaitRollApproval',
      },
      AwaitRollApproval: {
        Comment: '等待另一名县级工作人员审批（编制人不能审批本人编制的名册）',
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${OpenPayrollApprovalFunction}',
          Payload: {
            'taskToken.$': '$$.Task.Token',
            'executionArn.$': '$$.Execution.Id',
            'rollId.$': '$.rollId',
          },
        },
        TimeoutSecondsPath: '$.sealed.result.timeoutSeconds',
        ResultPath: '$.approval',
        Retry: lambdaRetry,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'EscalateRollApproval' }],
        Next: 'ConcludeRoll',
      },
      EscalateRollApproval: {
        Comment: '审批逾期：报督办，重新计算期限',
        ...invoke('EscalatePayrollApprovalFunction', { 'rollId.$': '$.rollId' }),
        ResultPath: '$.sealed',
        Next: 'AwaitRollApproval',
      },
      ConcludeRoll: {
        Comment: '记录审批结果：通过则名册锁定，退回则可重新编制',
        ...invoke('ConcludePayrollFunction', { 'rollId.$': '$.rollId', 'decision.$': '$.approval.decision' }),
        ResultPath: '$.concluded',
        Next: 'RollApproved',
      },
      RollApproved: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.concluded.result.status', StringEquals: 'approved', Next: 'ExportBankFile' },
        ],
        Default: 'RollReturned',
      },
      RollReturned: { Comment: '名册已退回，本县可重新编制', Type: 'Succeed' },
      ExportBankFile: {
        Comment: '按本县的银行文件格式生成代发文件（未登记收款账户的户不列入）',
        ...invoke('ExportBankFileFunction', { 'rollId.$': '$.rollId' }),
        // Idempotent (the same file, written again): an approved roll must reach the bank.
        Retry: [
          ...lambdaRetry,
          { ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 },
        ],
        ResultPath: '$.exported',
        Next: 'AwaitBankReturn',
      },
      AwaitBankReturn: {
        Comment: '等待上传银行回盘文件（整份核对无误后才接受）',
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${OpenBankReturnFunction}',
          Payload: {
            'taskToken.$': '$$.Task.Token',
            'executionArn.$': '$$.Execution.Id',
            'rollId.$': '$.rollId',
          },
        },
        ResultPath: '$.bankReturn',
        Retry: lambdaRetry,
        Next: 'Reconcile',
      },
      Reconcile: {
        Comment: '逐批对账：发放成功的记入各户发放记录（台账），失败的记录原因，在以后月份补发',
        Type: 'Map',
        Label: 'PayrollReconcile',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bankReturn.bucket', 'Key.$': '$.bankReturn.key' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: CASES_PER_BATCH,
          BatchInput: {
            'rollId.$': '$.rollId',
            'uploadedAt.$': '$.bankReturn.uploadedAt',
            'runExecutionArn.$': '$$.Execution.Id',
          },
        },
        MaxConcurrency: MAX_CONCURRENCY,
        ToleratedFailurePercentage: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'ReconcileBatch',
          States: {
            ReconcileBatch: {
              Comment: '一批回盘结果：记入发放记录或记录失败原因',
              ...invoke('ReconcileLinesFunction', { 'Items.$': '$.Items', 'BatchInput.$': '$.BatchInput' }),
              End: true,
            },
          },
        },
        ResultPath: null,
        Next: 'CloseRoll',
      },
      CloseRoll: {
        Comment: '对账完成：名册办结',
        ...invoke('CloseRollFunction', { 'rollId.$': '$.rollId' }),
        ResultPath: '$.closed',
        End: true,
      },
      MarkRollFailed: {
        Comment: '名册未能编制完成：标记失败，本县可重新编制',
        ...invoke('FailPayrollFunction', { 'rollId.$': '$.rollId', 'failure.$': '$.failure' }),
        ResultPath: '$.failed',
        Next: 'RollFailed',
      },
      RollFailed: {
        Type: 'Fail',
        Error: 'Payroll.Failed',
        Cause: '发放名册未能编制完成（见名册的 failure）',
      },
    },
  },
};
