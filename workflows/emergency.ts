/**
 * 临时救助/急难救助 — the emergency workflow, started by `POST /emergency` where the hardship happened
 * (input `{ emergencyId, caseId, regionCode, residence }`).
 *
 *   核算与额度 → 经办人决定是否先行救助及金额 → 先行救助（发放、告知）→ 经办人补办手续 → 确认办结
 *                                  ↘ 不予先行救助（书面告知）                              → 不予确认
 *                                                                                          → 转为常规申请
 *                                        申请金额超出先行救助的 → 确认先行救助 → 县级审核超出部分
 *                                                                      → 再发放，书面告知共给予的金额
 *                                                                      → 不予救助，书面告知理由与救济途径
 *   支出型：核算（扣除必需支出后的收入、财产）→ 乡镇审核 → 县级审批 → 发放并告知 / 不予救助并告知
 *
 * Nothing is paid before a caseworker decides (《社会救助法》第五十条: 先行救助 is for a case urgent, small
 * and needing action at once — a person's judgement), and never more than the place's small-amount
 * limit or what is left of the household's limit over its period. What was asked beyond the aid paid
 * first is not dropped: once the paperwork confirms the aid, the county assesses the rest by the
 * ordinary procedure, up to what is left of the household's limit, and pays it or refuses it in
 * writing. A 支出型 request (sudden necessary spending, `type: 'expenditure'`) is never paid first: the
township reviews it and the county decides it and its amount, as that same assessment. Work happens
in `functions/steps/emergency.ts`; the human steps are caseworker tasks that
 * escalate when their working-day due dates pass.
 */
import { caseworkerTask, invoke, taskSubstitutions } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

const close = (outcome: string, comment: string, decisionPath: string) => ({
  Comment: comment,
  ...invoke('CloseEmergencyFunction', {
    'emergencyId.$': '$.emergencyId',
    'executionArn.$': '$$.Execution.Id',
    outcome,
    'decision.$': decisionPath,
  }),
  ResultPath: '$.closed',
  End: true,
});

const settle = (comment: string) => ({
  Comment: comment,
  ...invoke('SettleEmergencyAssessmentFunction', {
    'emergencyId.$': '$.emergencyId',
    'executionArn.$': '$$.Execution.Id',
    'decision.$': '$.assessmentReview',
  }),
  ResultPath: '$.settled',
  End: true,
});

export const emergency: WorkflowDefinition = {
  id: 'Emergency',
  env: 'EMERGENCY_STATE_MACHINE_ARN',
  substitutions: {
    AssessEmergencyFunction: 'assessEmergencyStep',
    GrantEmergencyFunction: 'grantEmergencyStep',
    CloseEmergencyFunction: 'closeEmergencyStep',
    PrepareEmergencyAssessmentFunction: 'prepareEmergencyAssessmentStep',
    SettleEmergencyAssessmentFunction: 'settleEmergencyAssessmentStep',
    ...taskSubstitutions,
  },
  definition: {
    Comment:
      '临时救助：核算额度 → 经办人决定先行救助（或不予先行救助）→ 发放 → 事后补办手续（工作日期限，逾期督办）→ 办结、不予确认或转为常规申请；申请金额超出先行救助的，县级审核超出部分后发放或书面告知不予救助',
    StartAt: 'Assess',
    States: {
      Assess: {
        Comment: '家庭经济状况核算；当地先行救助上限与家庭期限内累计额度',
        ...invoke('AssessEmergencyFunction', { 'emergencyId.$': '$.emergencyId' }),
        ResultPath: '$.assessment',
        Next: 'EmergencyType',
      },
      EmergencyType: {
        Comment: '支出型（突发的必需支出）按常规程序审核审批，不先行救助',
        Type: 'Choice',
        Choices: [
          { Variable: '$.assessment.result.emergency.expenditure', IsPresent: true, Next: 'PlanReview' },
        ],
        Default: 'PlanGrantReview',
      },
      ...caseworkerTask({
        kind: 'emergencyReview',
        name: 'Review',
        comment: '乡镇（街道）审核支出型临时救助：入户调查、核对家庭经济状况和必需支出，提出意见',
        detailPath: '$.assessment.result',
        regionCodePath: '$.regionCode',
        residencePath: '$.residence',
        resultPath: '$.review',
        next: 'ToAssessment',
      }),
      ToAssessment: {
        Comment: '乡镇审核意见（同意或不同意）报县级民政部门审批（社会救助法第四十四条）',
        ...invoke('PrepareEmergencyAssessmentFunction', {
          'emergencyId.$': '$.emergencyId',
          'executionArn.$': '$$.Execution.Id',
          'decision.$': '$.review',
        }),
        ResultPath: '$.remainder',
        Next: 'PlanAssessment',
      },
      ...caseworkerTask({
        kind: 'emergencyGrant',
        name: 'GrantReview',
        comment: '经办人决定是否先行救助及金额',
        detailPath: '$.assessment.result',
        regionCodePath: '$.regionCode',
        residencePath: '$.residence',
        resultPath: '$.grantReview',
        next: 'GrantOutcome',
      }),
      GrantOutcome: {
        Type: 'Choice',
        Choices: [{ Variable: '$.grantReview.decision', StringEquals: 'approve', Next: 'PlanPaperwork' }],
        Default: 'Decline',
      },
      Decline: close('declined', '不予先行救助，书面告知理由', '$.grantReview'),
      // The paperwork is planned before the grant so that the grant's notice can name its due date.
      ...caseworkerTask({
        kind: 'emergencyPaperwork',
        name: 'Paperwork',
        comment: '经办人补办临时救助手续',
        detailPath: '$.grant.result.task',
        regionCodePath: '$.regionCode',
        residencePath: '$.residence',
        resultPath: '$.paperwork',
        next: 'PaperworkOutcome',
        afterPlan: 'Grant',
      }),
      Grant: {
        Comment: '按经办人决定的金额先行救助：发放并书面告知',
        ...invoke('GrantEmergencyFunction', {
          'emergencyId.$': '$.emergencyId',
          'executionArn.$': '$$.Execution.Id',
          'decision.$': '$.grantReview',
          'paperwork.$': '$.task.result',
        }),
        ResultPath: '$.grant',
        Next: 'Paperwork',
      },
      PaperworkOutcome: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.paperwork.decision', StringEquals: 'approve' },
              { Variable: '$.paperwork.convertTo', IsPresent: true },
            ],
            Next: 'ConvertToApplication',
          },
          {
            // The grant step says what was asked beyond the aid paid first (absent: an execution
            // granted before it did, which ends as it always did).
            And: [
              { Variable: '$.paperwork.decision', StringEquals: 'approve' },
              { Variable: '$.grant.result.outstanding', IsPresent: true },
              { Variable: '$.grant.result.outstanding', NumericGreaterThan: 0 },
            ],
            Next: 'ConfirmForAssessment',
          },
          { Variable: '$.paperwork.decision', StringEquals: 'approve', Next: 'Complete' },
        ],
        Default: 'Reject',
      },
      Complete: close('completed', '手续齐全，确认先行救助，办结', '$.paperwork'),
      ConfirmForAssessment: {
        Comment: '手续齐全，确认先行救助；申请金额超出部分转县级审核：核算家庭期限内累计额度的剩余',
        ...invoke('PrepareEmergencyAssessmentFunction', {
          'emergencyId.$': '$.emergencyId',
          'executionArn.$': '$$.Execution.Id',
          'decision.$': '$.paperwork',
        }),
        ResultPath: '$.remainder',
        Next: 'PlanAssessment',
      },
      ...caseworkerTask({
        kind: 'emergencyAssessment',
        name: 'Assessment',
        comment: '县级民政部门审核超出先行救助的部分',
        detailPath: '$.remainder.result',
        regionCodePath: '$.regionCode',
        residencePath: '$.residence',
        resultPath: '$.assessmentReview',
        next: 'AssessmentOutcome',
      }),
      AssessmentOutcome: {
        Type: 'Choice',
        Choices: [{ Variable: '$.assessmentReview.decision', StringEquals: 'approve', Next: 'PayAssessed' }],
        Default: 'RefuseAssessed',
      },
      PayAssessed: settle('审核同意：发放超出先行救助部分的救助金，书面告知共给予的金额，办结'),
      RefuseAssessed: settle('审核不同意：超出先行救助的部分不予救助，书面告知理由与救济途径，办结'),
      Reject: close('rejected', '补办手续后不符合临时救助条件，书面告知理由', '$.paperwork'),
      ConvertToApplication: close('converted', '转为常规社会救助申请：同一案件启动申请流程', '$.paperwork'),
    },
  },
};
