/**
 * 定期核查/年度复核 — the recheck workflow, one short execution per recheck, started by the sweeper
 * when the case's recheck falls due (input `{ caseId, mode }`); the next one is scheduled by this
 * one, so a case's years of rechecks are a chain of executions, never one long one.
 *
 *   核查（最新申报 + 当日参数）→ 无变化 ─────────────────────────→ 继续享受（排定下次核查）
 *                           → 有变化 → 经办人确认 → 同意 → 调整 / 渐退 / 停止
 *                                                 → 不同意 → 继续享受（维持原救助）
 *   调减、渐退、停止 are first put to the household (听取意见, 社会救助法第四十八条):
 *     告知理由 → 陈述期限内答复（网上或经办人入户记录）/ 逾期未陈述 → 有异议的经办人复核 → 决定
 *   终止特困人员救助供养 is then publicly noticed (民发〔2021〕43号 第二十六条):
 *     公示7天 → 无异议：终止（下月起）/ 有异议：调查核实 → 终止或维持
 *   动态监测复查（mode=monitoring）→ 可能符合条件：提示申请 / 结束监测
 *   刚性支出困难家庭 → 有效期届满：认定失效，告知可重新申请（不再核查）
 *
 * Every outcome records a written notice on the case. Work happens in `functions/steps/recheck.ts`.
 */
import { caseworkerTask, invoke, lambdaRetry, taskSubstitutions } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

const conclude = (outcome: string, comment: string) => ({
  Comment: comment,
  ...invoke('ConcludeRecheckFunction', { outcome, 'executionArn.$': '$$.Execution.Id', 'state.$': '$' }),
  ResultPath: '$.conclusion',
  End: true,
});

/** What a review task shows of the change the caseworker confirmed (beside what it reviews). */
const confirmedChange = {
  'applicationId.$': '$.assessment.result.task.applicationId',
  'township.$': '$.assessment.result.task.township',
  'meansTest.$': '$.assessment.result.task.meansTest',
  'recheck.$': '$.assessment.result.task.recheck',
};

export const recheck: WorkflowDefinition = {
  id: 'Recheck',
  env: 'RECHECK_STATE_MACHINE_ARN',
  substitutions: {
    AssessRecheckFunction: 'assessRecheckStep',
    ConcludeRecheckFunction: 'concludeRecheckStep',
    HearingFunction: 'hearingStep',
    EndNoticeFunction: 'endNoticeStep',
    ...taskSubstitutions,
  },
  definition: {
    Comment:
      '定期核查：最新申报与当日参数核查 → 有变化的经办人确认 → 调减、渐退、停止前听取意见 → 继续、调整、渐退或停止，均书面告知',
    StartAt: 'Assess',
    States: {
      Assess: {
        Comment: '家庭经济状况核查（最新申报，当日有效的救助参数）',
        ...invoke('AssessRecheckFunction', {
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
          'mode.$': '$.mode',
        }),
        ResultPath: '$.assessment',
        Next: 'Assessed',
      },
      Assessed: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.assessment.result.outcome', StringEquals: 'skipped', Next: 'Skipped' },
          { Variable: '$.assessment.result.outcome', StringEquals: 'lapse', Next: 'Lapse' },
          {
            Variable: '$.assessment.result.outcome',
            StringEquals: 'monitoringAlert',
            Next: 'MonitoringAlert',
          },
          {
            Variable: '$.assessment.result.outcome',
            StringEquals: 'monitoringEnded',
            Next: 'MonitoringEnded',
          },
          { Variable: '$.assessment.result.changed', BooleanEquals: true, Next: 'PlanConfirmChange' },
        ],
        Default: 'Continue',
      },
      ...caseworkerTask({
        kind: 'recheckConfirmation',
        name: 'ConfirmChange',
        comment: '经办人核实并确认核查发现的变化',
        detailPath: '$.assessment.result.task',
        regionCodePath: '$.assessment.result.regionCode',
        residencePath: '$.assessment.result.residence',
        resultPath: '$.confirmation',
        next: 'Confirmed',
      }),
      Confirmed: {
        Comment: '经办人同意调减、渐退或停止的，先听取救助对象意见；其余按核查结果办理',
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.confirmation.decision', StringEquals: 'approve' },
              { Variable: '$.assessment.result.adverse', BooleanEquals: true },
            ],
            Next: 'OpenHearing',
          },
        ],
        Default: 'Decide',
      },
      OpenHearing: {
        Comment: '听取意见：书面告知拟调减、停止的理由和陈述期限（社会救助法第四十八条）',
        ...invoke('HearingFunction', {
          phase: 'open',
          'caseId.$': '$.caseId',
          'assessment.$': '$.assessment.result',
        }),
        ResultPath: '$.hearing',
        Next: 'AwaitHearing',
      },
      AwaitHearing: {
        Comment: '等待救助对象陈述意见（网上答复或经办人入户记录），至陈述期限届满',
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${HearingFunction}',
          Payload: {
            phase: 'await',
            'taskToken.$': '$$.Task.Token',
            'caseId.$': '$.caseId',
            'hearingId.$': '$.hearing.result.hearingId',
          },
        },
        TimeoutSecondsPath: '$.hearing.result.timeoutSeconds',
        ResultPath: '$.hearingAnswer',
        Retry: lambdaRetry,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'HearingLapsed' }],
        Next: 'Heard',
      },
      HearingLapsed: {
        Comment: '陈述期限届满：记录为未陈述意见（期限内已答复的，以答复为准）',
        ...invoke('HearingFunction', {
          phase: 'lapse',
          'caseId.$': '$.caseId',
          'hearingId.$': '$.hearing.result.hearingId',
        }),
        ResultPath: '$.hearingAnswer',
        Next: 'Heard',
      },
      Heard: {
        Comment: '提出异议的，由经办人复核后决定；无异议或未陈述的，依程序作出决定',
        Type: 'Choice',
        Choices: [
          { Variable: '$.hearingAnswer.result.opinion', StringEquals: 'object', Next: 'PrepareReview' },
        ],
        Default: 'Decide',
      },
      PrepareReview: {
        Comment: '复核任务的内容：核查发现的变化与救助对象的异议',
        Type: 'Pass',
        Parameters: {
          ...confirmedChange,
          'hearing.$': '$.hearingAnswer.result',
        },
        ResultPath: '$.reviewDetail',
        Next: 'PlanReviewObjection',
      },
      ...caseworkerTask({
        kind: 'recheckConfirmation',
        name: 'ReviewObjection',
        comment: '经办人复核救助对象的异议',
        detailPath: '$.reviewDetail',
        regionCodePath: '$.assessment.result.regionCode',
        residencePath: '$.assessment.result.residence',
        resultPath: '$.confirmation',
        next: 'Decide',
        round: 2,
      }),
      Decide: {
        Comment:
          '经办人同意的按核查结果办理（复核后仍同意的亦然）；终止特困人员救助供养的先公示7天；不同意的维持原救助',
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.confirmation.decision', StringEquals: 'approve' },
              { Variable: '$.assessment.result.endNoticeRequired', BooleanEquals: true },
              // Not `IsPresent: false`: aws-local-stepfunctions reads that as never matching.
              { Not: { Variable: '$.endNoticeOutcome', IsPresent: true } },
            ],
            Next: 'OpenEndNotice',
          },
          {
            And: [
              { Variable: '$.confirmation.decision', StringEquals: 'approve' },
              { Variable: '$.assessment.result.outcome', StringEquals: 'adjust' },
            ],
            Next: 'Adjust',
          },
          {
            And: [
              { Variable: '$.confirmation.decision', StringEquals: 'approve' },
              { Variable: '$.assessment.result.outcome', StringEquals: 'gradualExit' },
            ],
            Next: 'StartGradualExit',
          },
          {
            And: [
              { Variable: '$.confirmation.decision', StringEquals: 'approve' },
              { Variable: '$.assessment.result.outcome', StringEquals: 'terminate' },
            ],
            Next: 'Terminate',
          },
        ],
        Default: 'Continue',
      },
      OpenEndNotice: {
        Comment: '拟终止特困人员救助供养：在所在村（社区）公示7天（民发〔2021〕43号第二十六条）',
        ...invoke('EndNoticeFunction', {
          phase: 'open',
          'caseId.$': '$.caseId',
          'assessment.$': '$.assessment.result',
        }),
        ResultPath: '$.endNotice',
        Next: 'EndNoticePeriod',
      },
      EndNoticePeriod: {
        Comment: '终止公示期（自然日，期满日遇休息日顺延）',
        Type: 'Wait',
        TimestampPath: '$.endNotice.result.endsAt',
        Next: 'CloseEndNotice',
      },
      CloseEndNotice: {
        Comment: '公示期满：有无异议',
        ...invoke('EndNoticeFunction', {
          phase: 'close',
          'caseId.$': '$.caseId',
          'endNoticeId.$': '$.endNotice.result.endNoticeId',
        }),
        ResultPath: '$.endNoticeOutcome',
        Next: 'EndNoticeObjected',
      },
      EndNoticeObjected: {
        Comment: '无异议的作出终止决定；有异议的由县级调查核实后决定',
        Type: 'Choice',
        Choices: [
          {
            Variable: '$.endNoticeOutcome.result.objected',
            BooleanEquals: true,
            Next: 'PrepareEndNoticeReview',
          },
        ],
        Default: 'Decide',
      },
      PrepareEndNoticeReview: {
        Comment: '核实任务的内容：核查发现的变化与公示期间的异议',
        Type: 'Pass',
        Parameters: {
          ...confirmedChange,
          'objections.$': '$.endNoticeOutcome.result.objections',
        },
        ResultPath: '$.endNoticeReviewDetail',
        Next: 'PlanReviewEndNotice',
      },
      ...caseworkerTask({
        kind: 'endNoticeReview',
        name: 'ReviewEndNotice',
        comment: '县级民政部门调查核实终止公示期间的异议，15个工作日内决定是否终止救助供养',
        detailPath: '$.endNoticeReviewDetail',
        regionCodePath: '$.assessment.result.regionCode',
        residencePath: '$.assessment.result.residence',
        // As the hearing's review: the county's finding replaces the confirmation it reviews.
        resultPath: '$.confirmation',
        next: 'EndNoticeReviewed',
        round: 3,
      }),
      EndNoticeReviewed: {
        Comment: '异议不成立的作出终止决定；异议成立的维持原救助',
        Type: 'Choice',
        Choices: [{ Variable: '$.confirmation.decision', StringEquals: 'approve', Next: 'Decide' }],
        Default: 'Continue',
      },
      Continue: conclude('continue', '继续享受原救助，排定下次核查，书面告知'),
      Adjust: conclude('adjust', '调整救助类别或金额，排定下次核查，书面告知'),
      StartGradualExit: conclude('gradualExit', '进入渐退期：排定渐退第1个月，书面告知'),
      Terminate: conclude('terminate', '停止救助，纳入动态监测，书面告知理由'),
      Lapse: conclude('lapse', '刚性支出困难家庭认定有效期届满：认定失效，告知可重新申请'),
      MonitoringAlert: conclude('monitoringAlert', '动态监测：家庭可能重新符合条件，提示申请'),
      MonitoringEnded: conclude('monitoringEnded', '动态监测期满，结束监测'),
      Skipped: { Comment: '案件已不在本次核查适用的状态（已办结或已停止）', Type: 'Succeed' },
    },
  },
};
