/**
 * 渐退 — the gradual-exit workflow: one short execution per month of the gradual exit, started by
 * the sweeper on the first of the month (input `{ caseId, plan, index, regionCode, residence }`).
 *
 *   发放本月 → 非最后一月：排定下月 → 结束
 *           → 最后一月：等到月末（次月1日）→ 办结，纳入动态监测
 *
 * A 12- or 24-month gradual exit is thus 12 or 24 executions of seconds each (the last waits one
 * month), far from Step Functions' one-year limit. Work happens in `functions/steps/gradual-exit.ts`.
 */
import { invoke } from './lifecycle-asl.ts';
import type { WorkflowDefinition } from './types.ts';

const month = {
  'caseId.$': '$.caseId',
  'executionArn.$': '$$.Execution.Id',
  'plan.$': '$.plan',
  'index.$': '$.index',
  'regionCode.$': '$.regionCode',
  'residence.$': '$.residence',
};

export const gradualExit: WorkflowDefinition = {
  id: 'GradualExit',
  env: 'GRADUAL_EXIT_STATE_MACHINE_ARN',
  substitutions: {
    PayGradualExitMonthFunction: 'payGradualExitMonthStep',
    ScheduleGradualExitMonthFunction: 'scheduleGradualExitMonthStep',
    EndGradualExitFunction: 'endGradualExitStep',
  },
  definition: {
    Comment: '渐退：逐月发放（每月一次执行），期满办结并纳入动态监测',
    StartAt: 'PayMonth',
    States: {
      PayMonth: {
        Comment: '发放渐退期本月救助金（每户每月一次）',
        ...invoke('PayGradualExitMonthFunction', month),
        ResultPath: '$.payment',
        Next: 'LastMonth',
      },
      LastMonth: {
        Type: 'Choice',
        Choices: [{ Variable: '$.payment.result.last', BooleanEquals: true, Next: 'WaitForMonthEnd' }],
        Default: 'ScheduleNextMonth',
      },
      ScheduleNextMonth: {
        Comment: '排定渐退期下一个月（次月1日启动）',
        ...invoke('ScheduleGradualExitMonthFunction', month),
        ResultPath: '$.next',
        End: true,
      },
      WaitForMonthEnd: {
        Comment: '渐退期最后一个月：等到次月1日',
        Type: 'Wait',
        TimestampPath: '$.payment.result.endsAt',
        Next: 'Exit',
      },
      Exit: {
        Comment: '渐退期满：停发、办结、书面告知，纳入动态监测',
        ...invoke('EndGradualExitFunction', {
          'caseId.$': '$.caseId',
          'executionArn.$': '$$.Execution.Id',
          'plan.$': '$.plan',
          'regionCode.$': '$.regionCode',
          'residence.$': '$.residence',
        }),
        ResultPath: '$.exit',
        End: true,
      },
    },
  },
};
