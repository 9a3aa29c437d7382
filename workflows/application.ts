/**
 * 申请审核确认 — the application workflow. It only orchestrates: every piece of work is a Lambda
 * function (see `functions/steps/application.ts`).
 *
 *   受理 → 家庭经济状况核查 → 乡镇（街道）审核 → 公示 → 县级确认 → 书面告知
 *                              ↑      有异议 ←─┘          ↑
 *                              └── 异议不成立（写明理由）──┘
 *   乡镇审核不同意或不符合所申请类别 → 报县级确认（拟不予确认）→ 县级不予确认 → 书面告知
 *                                                              → 县级不同意乡镇意见 → 退回乡镇重新审核
 *   不予确认 →（符合其他类别）申请人同意 → 按其他类别认定
 *   不予确认经行政复议或行政诉讼撤销 → 新的执行：回到原作出决定的层级重新审核、确认
 *
 * The county decides (社会救助法第四十四条第一款): the township only proposes, a refusal included.
 * Where the province lets the township decide (第二款; `decisionAuthority`, carried in
 * `$.meansTest.decisionLevel`), the township's result after the notice, or its refusal, is the
 * determination, and there is no county stage.
 *
 * Human work is a `.waitForTaskToken` task whose token the opening function records with the task;
 * the caseworker's decision completes it. Each human task waits until the end of its working-day
 * due date (`TimeoutSecondsPath`, computed by the plan step); when that passes, `States.Timeout` is
 * caught, the escalation step reports the task to the supervisors with a new due date, and the
 * workflow waits again on a new token for the same task. The public notice is a Wait until the
 * instant the notice period ends, computed by a step — an absolute time, so it survives restarts.
 *
 * A refusal revoked on 行政复议 or 行政诉讼 (社会救助法第七十六条) starts a new execution with
 * `reopened` in its input: it skips acceptance and the means test and resumes at the level that
 * made the revoked determination — the county, on the township's last opinion, or the township
 * where the province has it decide.
 *
 * `${…}` placeholders are filled by CDK (definitionSubstitutions) and by the local runtime from the
 * same `substitutions` map, so both run this exact document.
 */
import { invoke, lambdaRetry } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

/** A human task that fails otherwise (its opening function fails after retries) ends as withdrawn. */
const catchFailure = { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordWithdrawal' };

/**
 * A human task: waits on a token until the planned due date ends, then escalates and waits again.
 * `$.task.result` holds the plan (id, due date, seconds left) that the plan and escalation steps return.
 */
function humanTask(
  kind: 'townshipReview' | 'countyDetermination',
  opts: { comment: string; escalate: string; resultPath: string; next: string },
) {
  return {
    Comment: opts.comment,
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: '${OpenTaskFunction}',
      Payload: {
        'taskToken.$': '$$.Task.Token',
        'executionArn.$': '$$.Execution.Id',
        kind,
        'round.$': '$.round',
        'task.$': '$.task.result',
        'applicationId.$': '$.applicationId',
        'caseId.$': '$.caseId',
        'regionCode.$': '$.regionCode',
        'meansTest.$': '$.meansTest.result',
      },
    },
    TimeoutSecondsPath: '$.task.result.timeoutSeconds',
    ResultPath: opts.resultPath,
    Retry: lambdaRetry,
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: opts.escalate }, catchFailure],
    Next: opts.next,
  };
}

const plan = (kind: 'townshipReview' | 'countyDetermination', comment: string, next: string) => ({
  Comment: comment,
  ...invoke('PlanTaskFunction', {
    'applicationId.$': '$.applicationId',
    'executionArn.$': '$$.Execution.Id',
    kind,
    'round.$': '$.round',
  }),
  ResultPath: '$.task',
  Next: next,
});

const escalate = (comment: string, next: string) => ({
  Comment: comment,
  ...invoke('EscalateTaskFunction', { 'applicationId.$': '$.applicationId', 'task.$': '$.task.result' }),
  ResultPath: '$.task',
  Next: next,
});

/** 确认决定 and its written notice, on the decision `review` names; then any offer of another tier. */
const determine = (comment: string, review: Record<string, unknown>) => ({
  Comment: comment,
  ...invoke('RecordDeterminationFunction', {
    'applicationId.$': '$.applicationId',
    'caseId.$': '$.caseId',
    'executionArn.$': '$$.Execution.Id',
    'meansTest.$': '$.meansTest.result',
    ...review,
  }),
  ResultPath: '$.determination',
  Next: 'AlternativeOffered',
});

/** Where the province lets the township decide (社会救助法第四十四条第二款), its review is the decision. */
const townshipDecides = { 'review.$': '$.townshipReview', stage: 'township' };

/** The applicant's answer to the offer of another tier is awaited this long (30 days), then it lapses. */
export const CONSENT_WAIT_SECONDS = 30 * 86_400;

export const application: WorkflowDefinition = {
  id: 'Application',
  env: 'APPLICATION_STATE_MACHINE_ARN',
  substitutions: {
    MeansTestFunction: 'meansTestStep',
    PlanTaskFunction: 'planTaskStep',
    OpenTaskFunction: 'openTaskStep',
    EscalateTaskFunction: 'escalateTaskStep',
    OpenPublicNoticeFunction: 'openPublicNoticeStep',
    ClosePublicNoticeFunction: 'closePublicNoticeStep',
    RecordDeterminationFunction: 'recordDeterminationStep',
    OpenConsentFunction: 'openConsentStep',
    LapseConsentFunction: 'lapseConsentStep',
    DetermineAlternativeFunction: 'determineAlternativeStep',
    ReopenDeterminationFunction: 'reopenDeterminationStep',
  },
  definition: {
    Comment:
      '社会救助申请：受理 → 家庭经济状况核查 → 乡镇审核 → 公示 → 县级确认 → 书面告知；逾期督办；经同意按其他类别认定',
    StartAt: 'Start',
    States: {
      Start: {
        Type: 'Choice',
        Choices: [{ Variable: '$.reopened', IsPresent: true, Next: 'Reopen' }],
        Default: 'Accept',
      },
      Reopen: {
        Comment: '原不予确认决定被撤销：取回原核查结论和乡镇（街道）最后的审核意见',
        ...invoke('ReopenDeterminationFunction', { 'applicationId.$': '$.applicationId' }),
        ResultPath: '$.reopen',
        Next: 'Reopened',
      },
      Reopened: {
        Type: 'Pass',
        Parameters: {
          'applicationId.$': '$.applicationId',
          'caseId.$': '$.caseId',
          'regionCode.$': '$.regionCode',
          'reopened.$': '$.reopened',
          round: 1,
          'meansTest.$': '$.reopen.result.meansTest',
          'townshipReview.$': '$.reopen.result.townshipReview',
        },
        Next: 'ReopenedAt',
      },
      ReopenedAt: {
        Comment: '回到原作出决定的层级重新审核、确认',
        Type: 'Choice',
        Choices: [
          { Variable: '$.meansTest.decisionLevel', StringEquals: 'township', Next: 'PlanTownshipReview' },
        ],
        Default: 'PlanCountyDetermination',
      },
      Accept: {
        Comment: '受理：第1轮审核',
        Type: 'Pass',
        Result: 1,
        ResultPath: '$.round',
        Next: 'MeansTest',
      },
      MeansTest: {
        Comment: '家庭经济状况核查；确认决定的层级',
        ...invoke('MeansTestFunction', { 'applicationId.$': '$.applicationId' }),
        ResultSelector: { 'result.$': '$.Payload.meansTest', 'decisionLevel.$': '$.Payload.decisionLevel' },
        ResultPath: '$.meansTest',
        Next: 'PlanTownshipReview',
      },
      PlanTownshipReview: plan('townshipReview', '乡镇（街道）审核任务及其工作日期限', 'TownshipReview'),
      TownshipReview: humanTask('townshipReview', {
        comment: '乡镇（街道）审核：入户调查、信息核对后提出意见',
        escalate: 'EscalateTownshipReview',
        resultPath: '$.townshipReview',
        next: 'TownshipOutcome',
      }),
      EscalateTownshipReview: escalate('乡镇审核逾期：报督办，重新计算期限', 'TownshipReview'),
      TownshipOutcome: {
        Comment:
          '同意且符合所申请类别的予以公示；异议不成立的报县级确认（乡镇确认的即行确认）；否则报县级确认拟不予确认（乡镇确认的不予确认）',
        Type: 'Choice',
        Choices: [
          // A groundless objection leaves the noticed result standing: on to the decision, not a new
          // round of investigation and notice that any further objection could restart again.
          {
            And: [
              { Variable: '$.townshipReview.decision', StringEquals: 'dismiss' },
              { Variable: '$.meansTest.decisionLevel', StringEquals: 'township' },
            ],
            Next: 'DetermineByTownship',
          },
          { Variable: '$.townshipReview.decision', StringEquals: 'dismiss', Next: 'PlanCountyDetermination' },
          {
            And: [
              { Variable: '$.townshipReview.decision', StringEquals: 'approve' },
              { Variable: '$.meansTest.result.eligible', BooleanEquals: true },
            ],
            Next: 'OpenPublicNotice',
          },
          { Variable: '$.meansTest.decisionLevel', StringEquals: 'township', Next: 'DetermineRefusal' },
        ],
        Default: 'PlanCountyDetermination',
      },
      OpenPublicNotice: {
        Comment: '在申请家庭所在村（居）公示拟审核结果',
        ...invoke('OpenPublicNoticeFunction', { 'applicationId.$': '$.applicationId', 'round.$': '$.round' }),
        ResultPath: '$.publicNotice',
        Next: 'PublicNotice',
      },
      PublicNotice: {
        Comment: '公示期（自然日，期满日遇休息日顺延）',
        Type: 'Wait',
        TimestampPath: '$.publicNotice.result.endsAt',
        Next: 'ClosePublicNotice',
      },
      ClosePublicNotice: {
        Comment: '公示期满：有无异议',
        ...invoke('ClosePublicNoticeFunction', {
          'applicationId.$': '$.applicationId',
          'round.$': '$.round',
        }),
        ResultPath: '$.noticeOutcome',
        Next: 'NoticeOutcome',
      },
      NoticeOutcome: {
        Comment: '有异议的重新调查、重新公示',
        Type: 'Choice',
        Choices: [
          { Variable: '$.noticeOutcome.result.objected', BooleanEquals: true, Next: 'Reinvestigate' },
          { Variable: '$.meansTest.decisionLevel', StringEquals: 'township', Next: 'DetermineByTownship' },
        ],
        Default: 'PlanCountyDetermination',
      },
      Reinvestigate: {
        Comment: '异议：下一轮乡镇审核',
        Type: 'Pass',
        InputPath: '$.noticeOutcome.result.nextRound',
        ResultPath: '$.round',
        Next: 'PlanTownshipReview',
      },
      PlanCountyDetermination: plan(
        'countyDetermination',
        '县级确认任务及其工作日期限',
        'CountyDetermination',
      ),
      CountyDetermination: humanTask('countyDetermination', {
        comment: '县级民政部门确认',
        escalate: 'EscalateCountyDetermination',
        resultPath: '$.countyDetermination',
        next: 'CountyOutcome',
      }),
      CountyOutcome: {
        Comment:
          '县级不同意乡镇拟不予确认的意见、且家庭经济状况符合条件的，退回乡镇重新审核（经公示后方可确认）',
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.countyDetermination.decision', StringEquals: 'approve' },
              { Variable: '$.townshipReview.decision', StringEquals: 'reject' },
              { Variable: '$.meansTest.result.eligible', BooleanEquals: true },
            ],
            Next: 'ReturnToTownship',
          },
        ],
        Default: 'Determine',
      },
      ReturnToTownship: {
        Comment: '退回乡镇（街道）：下一轮审核',
        Type: 'Pass',
        Parameters: { 'round.$': 'States.MathAdd($.round, 1)' },
        ResultPath: '$.returned',
        Next: 'NextRound',
      },
      NextRound: {
        Type: 'Pass',
        InputPath: '$.returned.round',
        ResultPath: '$.round',
        Next: 'PlanTownshipReview',
      },
      EscalateCountyDetermination: escalate('县级确认逾期：报督办，重新计算期限', 'CountyDetermination'),
      Determine: determine('县级作出确认决定并书面告知申请人', {
        'review.$': '$.countyDetermination',
        'proposal.$': '$.townshipReview',
        stage: 'county',
      }),
      DetermineByTownship: determine('乡镇（街道）经省级规定作出确认决定并书面告知', townshipDecides),
      DetermineRefusal: determine(
        '乡镇（街道）经省级规定不予确认，书面告知理由（符合其他类别的一并告知）',
        townshipDecides,
      ),
      AlternativeOffered: {
        Type: 'Choice',
        Choices: [
          {
            Variable: '$.determination.result.alternativeOffered',
            BooleanEquals: true,
            Next: 'AwaitConsent',
          },
        ],
        Default: 'Closed',
      },
      AwaitConsent: {
        Comment: '等待申请人同意按其他类别认定',
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${OpenConsentFunction}',
          Payload: { 'taskToken.$': '$$.Task.Token', 'applicationId.$': '$.applicationId' },
        },
        TimeoutSeconds: CONSENT_WAIT_SECONDS,
        ResultPath: '$.consent',
        Retry: lambdaRetry,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'ConsentLapsed' }],
        Next: 'ConsentOutcome',
      },
      ConsentOutcome: {
        Type: 'Choice',
        Choices: [{ Variable: '$.consent.consent', BooleanEquals: true, Next: 'DetermineAlternative' }],
        Default: 'Closed',
      },
      DetermineAlternative: {
        Comment: '经申请人同意，按其他类别认定并告知',
        ...invoke('DetermineAlternativeFunction', {
          'applicationId.$': '$.applicationId',
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
        }),
        ResultPath: '$.alternativeDetermination',
        End: true,
      },
      ConsentLapsed: {
        Comment: '答复等待期满：未答复的维持不予确认；已记录但未送达的答复照常生效',
        ...invoke('LapseConsentFunction', { 'applicationId.$': '$.applicationId' }),
        // The same shape as a delivered answer, so that one Choice reads both.
        ResultSelector: {
          'consent.$': '$.Payload.consent',
          'status.$': '$.Payload.status',
        },
        ResultPath: '$.consent',
        Next: 'ConsentOutcome',
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
      Closed: { Comment: '流程结束', Type: 'Succeed' },
    },
  },
};
