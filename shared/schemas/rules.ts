/**
 * Requests of the rules' routes: a means-test preview (试算), a deadline in working days, and the
 * paths under which administrators load parameters and holiday arrangements. Browser-safe.
 */
import { z } from 'zod';
import { householdDeclaration, isoDate, regionCode, requestedTiers } from './household.ts';

export const meansTestRequest = householdDeclaration.extend({
  asOf: isoDate.optional(),
  requestedTier: z.enum(requestedTiers, { error: '申请类别不正确' }).optional(),
  relapseWatch: z.boolean().default(false),
});

export const deadlineQuery = z.object({
  from: isoDate.describe('起算日（当日不计入）'),
  workingDays: z.coerce
    .number({ error: 'workingDays 必须是数字' })
    .int({ error: 'workingDays 必须是整数' })
    .min(0)
    .max(366)
    .describe('工作日数'),
});

export const parametersPath = z.object({ regionCode });

export const calendarYearPath = z.object({
  year: z.coerce.number({ error: '年份必须是数字' }).int().min(1949).max(2199),
});
