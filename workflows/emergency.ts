/**
 * 临时救助/急难救助 — the emergency workflow, started by `POST /emergency` where the hardship happened
 * (input `{ emergencyId, caseId, regionCode, residence }`).
 *
 *   补办手续期限 → 小金额先行救助（当即发放、告知）→ 经办人补办手续 → 确认办结
 *                                                             → 不予确认
 *                                                             → 转为常规申请（同一案件启动申请流程）
 *
 * Work happens in `functions/steps/emergency.ts`; the paperwork is a caseworker task that escalates
 * when its working-day due date passes.
 */
import { caseworkerTask, invoke, taskSubstitutions } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

const close = (outcome: string, comment: string) => ({
  Comment: comment,
  ...invoke('CloseEmergencyFunction', {
    'emergencyId.$': '$.emergencyId',
    'executionArn.$': '$$.Execution.Id',
    outcome,
    'paperwork.$': '$.paperwork',
  }),
  ResultPath: '$.closed',
  End: true,
});

export const emergency: WorkflowDefinition = {
  id: 'Emergency',
  env: 'EMERGENCY_STATE_MACHINE_ARN',
  substitutions: {
    GrantEmergencyFunction: 'grantEmergencyStep',
    CloseEmergencyFunction: 'closeEmergencyStep',
    ...taskSubstitutions,
  },
  definition: {
    Comment: '临时救助：小金额先行救助 → 事后补办手续（工作日期限，逾期督办）→ 办结、不予确认或转为常规申请',
    StartAt: 'PlanPaperwork',
    States: {
      // The plan comes first so that the grant's notice can name the paperwork's due date; the
      // grant itself is paid before anyone reviews anything.
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
        Comment: '小金额先行救助：当即发放并书面告知',
        ...invoke('GrantEmergencyFunction', {
          'emergencyId.$': '$.emergencyId',
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
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
      Complete: close('completed', '手续齐全，确认先行救助，办结'),
      Reject: close('rejected', '补办手续后不符合临时救助条件，书面告知理由'),
      ConvertToApplication: close('converted', '转为常规社会救助申请：同一案件启动申请流程'),
    },
  },
};
