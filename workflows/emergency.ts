/**
 * 临时救助/急难救助 — the emergency workflow, started by `POST /emergency` where the hardship happened
 * (input `{ emergencyId, caseId, regionCode, residence }`).
 *
 *   核算与额度 → 经办人决定是否先行救助及金额 → 先行救助（发放、告知）→ 经办人补办手续 → 确认办结
 *                                  ↘ 不予先行救助（书面告知）                              → 不予确认
 *                                                                                          → 转为常规申请
 *
 * Nothing is paid before a caseworker decides (《社会救助法》第五十条: 先行救助 is for a case urgent, small
 * and needing action at once — a person's judgement), and never more than the place's small-amount
 * limit or what is left of the household's limit over its period. Work happens in
 * `functions/steps/emergency.ts`; both human steps are caseworker tasks that escalate when their
 * working-day due dates pass.
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

export const emergency: WorkflowDefinition = {
  id: 'Emergency',
  env: 'EMERGENCY_STATE_MACHINE_ARN',
  substitutions: {
    AssessEmergencyFunction: 'assessEmergencyStep',
    GrantEmergencyFunction: 'grantEmergencyStep',
    CloseEmergencyFunction: 'closeEmergencyStep',
    ...taskSubstitutions,
  },
  definition: {
    Comment:
      '临时救助：核算额度 → 经办人决定先行救助（或不予先行救助）→ 发放 → 事后补办手续（工作日期限，逾期督办）→ 办结、不予确认或转为常规申请',
    StartAt: 'Assess',
    States: {
      Assess: {
        Comment: '家庭经济状况核算；当地先行救助上限与家庭期限内累计额度',
        ...invoke('AssessEmergencyFunction', { 'emergencyId.$': '$.emergencyId' }),
        ResultPath: '$.assessment',
        Next: 'PlanGrantReview',
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
          { Variable: '$.paperwork.decision', StringEquals: 'approve', Next: 'Complete' },
        ],
        Default: 'Reject',
      },
      Complete: close('completed', '手续齐全，确认先行救助，办结', '$.paperwork'),
      Reject: close('rejected', '补办手续后不符合临时救助条件，书面告知理由', '$.paperwork'),
      ConvertToApplication: close('converted', '转为常规社会救助申请：同一案件启动申请流程', '$.paperwork'),
    },
  },
};
