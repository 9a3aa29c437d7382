/**
 * The workflow steps as Lambda handlers: each step of `application.ts`, `recheck.ts`, `hearing.ts`, `end-notice.ts`,
 * `lifecycle-tasks.ts`, `gradual-exit.ts` and `emergency.ts`, made idempotent per function,
 * execution and input (Powertools idempotency, `shared/idempotency.ts`). The catalog points every
 * step function here; the step modules stay plain functions that tests call directly.
 */
import { idempotentStep } from '../../shared/idempotency.ts';
import * as application from './application.ts';
import * as emergency from './emergency.ts';
import * as endNotice from './end-notice.ts';
import * as gradualExit from './gradual-exit.ts';
import * as hearing from './hearing.ts';
import * as lifecycleTasks from './lifecycle-tasks.ts';
import * as recheck from './recheck.ts';

export const meansTestStep = idempotentStep('meansTestStep', application.meansTest);
export const planTaskStep = idempotentStep('planTaskStep', application.planTask);
export const openTaskStep = idempotentStep('openTaskStep', application.openTask);
export const escalateTaskStep = idempotentStep('escalateTaskStep', application.escalateTask);
export const openPublicNoticeStep = idempotentStep('openPublicNoticeStep', application.openPublicNotice);
export const closePublicNoticeStep = idempotentStep('closePublicNoticeStep', application.closePublicNotice);
export const openConsentStep = idempotentStep('openConsentStep', application.openConsent);
export const lapseConsentStep = idempotentStep('lapseConsentStep', application.lapseConsent);
export const reopenDeterminationStep = idempotentStep(
  'reopenDeterminationStep',
  application.reopenDetermination,
);
export const determineAlternativeStep = idempotentStep(
  'determineAlternativeStep',
  application.determineAlternative,
);
export const recordDeterminationStep = idempotentStep(
  'recordDeterminationStep',
  application.recordDetermination,
);
export const assessRecheckStep = idempotentStep('assessRecheckStep', recheck.assess);
export const concludeRecheckStep = idempotentStep('concludeRecheckStep', recheck.conclude);
export const hearingStep = idempotentStep('hearingStep', hearing.hearing);
export const endNoticeStep = idempotentStep('endNoticeStep', endNotice.endNotice);
export const planLifecycleTaskStep = idempotentStep('planLifecycleTaskStep', lifecycleTasks.planTask);
export const openLifecycleTaskStep = idempotentStep('openLifecycleTaskStep', lifecycleTasks.openTask);
export const escalateLifecycleTaskStep = idempotentStep(
  'escalateLifecycleTaskStep',
  lifecycleTasks.escalateTask,
);
export const payGradualExitMonthStep = idempotentStep('payGradualExitMonthStep', gradualExit.pay);
export const scheduleGradualExitMonthStep = idempotentStep(
  'scheduleGradualExitMonthStep',
  gradualExit.scheduleNext,
);
export const endGradualExitStep = idempotentStep('endGradualExitStep', gradualExit.end);
export const assessEmergencyStep = idempotentStep('assessEmergencyStep', emergency.assess);
export const grantEmergencyStep = idempotentStep('grantEmergencyStep', emergency.grant);
export const closeEmergencyStep = idempotentStep('closeEmergencyStep', emergency.close);
export const prepareEmergencyAssessmentStep = idempotentStep(
  'prepareEmergencyAssessmentStep',
  emergency.prepareAssessment,
);
export const settleEmergencyAssessmentStep = idempotentStep(
  'settleEmergencyAssessmentStep',
  emergency.settleAssessment,
);
