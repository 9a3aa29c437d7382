/**
 * 动态监测 — the monitoring run of one department feed, started when the feed is dropped into the
 * intake bucket (`functions/steps/monitoring.ts` `startRun`, input `{ runId, bucket, key, etag }`):
 *
 *   准备（校验、按行切分、清单）→ 不是部门数据：结束
 *                             → 分块比对（Distributed Map：按清单读取各块，批量比对、预警、推送）→ 汇总报告
 *                                                                            → 有块失败：汇总已比对的，记录原因，失败
 *
 * The Map reads the manifest Prepare wrote (a JSON array of line-aligned byte ranges) with its
 * ItemReader, groups chunks with its ItemBatcher — each child gets `{ Items, BatchInput }` — and runs at
 * most `MaxConcurrency` children at once; every child invokes `compareChunks`. On AWS the children are
 * child executions of this state machine (hence its grants); locally the runtime's engine runs the same
 * document. The children's outputs are discarded (`ResultPath: null`): each chunk records its own result,
 * which Summarize merges, so no payload grows with the file.
 */
import { invoke } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

/** Chunks per child execution: 4 × 2,000 lines a Lambda invocation. */
export const CHUNKS_PER_BATCH = 4;
/** Children at once: bounds the load on the register (DynamoDB) and on the department queues. */
export const MAX_CONCURRENCY = 10;

const prepared = '$.prepared.result';

export const monitoring: WorkflowDefinition = {
  id: 'Monitoring',
  env: 'MONITORING_STATE_MACHINE_ARN',
  substitutions: {
    PrepareMonitoringFunction: 'prepareMonitoringStep',
    CompareChunksFunction: 'compareChunksStep',
    SummarizeMonitoringFunction: 'summarizeMonitoringStep',
  },
  // The Map's ItemReader reads the manifests Prepare writes under runs/.
  grants: [{ bucket: 'MonitoringIntake', access: 'read', prefix: 'runs/' }],
  definition: {
    Comment: '动态监测：部门数据按行切分 → 分块比对（分布式 Map）→ 预警分类推送 → 汇总比对报告',
    StartAt: 'Prepare',
    States: {
      Prepare: {
        Comment: '校验对象路径与格式，读取一遍按行切分为若干块，写出清单，登记本次比对',
        ...invoke('PrepareMonitoringFunction', {
          'runId.$': '$.runId',
          'bucket.$': '$.bucket',
          'key.$': '$.key',
          'etag.$': '$.etag',
        }),
        ResultPath: '$.prepared',
        Next: 'Prepared',
      },
      Prepared: {
        Type: 'Choice',
        Choices: [
          { Variable: `${prepared}.status`, StringEquals: 'rejected', Next: 'NotAFeed' },
          { Variable: `${prepared}.chunks`, NumericEquals: 0, Next: 'Summarize' },
        ],
        Default: 'CompareChunks',
      },
      CompareChunks: {
        Comment: '分块比对：每块按字节范围读取，从其首行起解析，按身份证号（盲索引）查名单，按指标预警并推送',
        Type: 'Map',
        Label: 'CompareChunks',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': `${prepared}.manifest.bucket`, 'Key.$': `${prepared}.manifest.key` },
        },
        ItemBatcher: {
          MaxItemsPerBatch: CHUNKS_PER_BATCH,
          BatchInput: {
            'runId.$': '$.runId',
            'bucket.$': '$.bucket',
            'key.$': '$.key',
            'etag.$': '$.etag',
            'feed.$': `${prepared}.feed`,
            'format.$': `${prepared}.format`,
            'asOf.$': `${prepared}.asOf`,
            'header.$': `${prepared}.header`,
            'runExecutionArn.$': '$$.Execution.Id',
          },
        },
        MaxConcurrency: MAX_CONCURRENCY,
        ToleratedFailurePercentage: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'CompareBatch',
          States: {
            CompareBatch: {
              Comment: '比对一批块：写入预警、推送部门队列、入户核查任务、救助链记录与本块结果',
              ...invoke('CompareChunksFunction', { 'Items.$': '$.Items', 'BatchInput.$': '$.BatchInput' }),
              End: true,
            },
          },
        },
        ResultPath: null,
        // A chunk that failed after its retries fails the Map: the run is reported with what was compared.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ReportFailure' }],
        Next: 'Summarize',
      },
      ReportFailure: {
        Comment: '比对未完成：汇总已比对的块，记录失败原因',
        ...invoke('SummarizeMonitoringFunction', { 'runId.$': '$.runId', 'failure.$': '$.failure' }),
        ResultPath: '$.summary',
        Next: 'Failed',
      },
      Failed: {
        Type: 'Fail',
        Error: 'Monitoring.ChunkFailed',
        Cause: '有数据块比对失败，比对报告只含已比对的块（见比对记录的 failure）',
      },
      Summarize: {
        Comment: '汇总各块计数与不合格行（行号、原因），写出比对报告',
        ...invoke('SummarizeMonitoringFunction', { 'runId.$': '$.runId' }),
        ResultPath: '$.summary',
        End: true,
      },
      NotAFeed: {
        Comment: '对象不是部门数据（路径或格式不符），已在比对记录中说明原因',
        Type: 'Succeed',
      },
    },
  },
};
