/**
 * The auditor's search query (`GET /cases`): one schema for the API and for the audit console's
 * form, which validates with it in the browser and shows the same Chinese messages. Browser-safe.
 */
import { z } from 'zod';
import { applicationStatuses } from '../openapi.ts';
import { isoDate, regionCode } from './household.ts';

export const auditSearchQuery = z
  .object({
    regionCode: regionCode.describe('申请所在的行政区划代码（按申请登记的代码精确检索），须在本人管辖范围内'),
    status: z
      .enum(applicationStatuses, { error: `status 应为 ${applicationStatuses.join('、')} 之一` })
      .optional()
      .describe('申请状态'),
    caseworker: z
      .string()
      .trim()
      .min(1, { error: '经办人不能为空' })
      .max(64, { error: '经办人最多64个字' })
      .optional()
      .describe('作出决定的经办人：姓名（可只填一部分）或用户编号'),
    relatives: z
      .stringbool({ error: 'relatives 应为 true 或 false' })
      .optional()
      .describe(
        'true：只看单独登记备案的申请（家庭成员与经办人员或村（居）委会成员有近亲属关系，57号第十一条）',
      ),
    from: isoDate.optional().describe('提交日期起（北京时间，含当日）'),
    to: isoDate.optional().describe('提交日期止（北京时间，含当日）'),
    limit: z.coerce
      .number({ error: 'limit 应为数字' })
      .int({ error: 'limit 应为整数' })
      .min(1, { error: 'limit 至少为1' })
      .max(1000, { error: 'limit 最多为1000' })
      .default(200)
      .describe('最多返回的申请数（默认200）'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    error: '提交日期止不能早于提交日期起',
    path: ['to'],
  });

export type AuditSearchQuery = z.input<typeof auditSearchQuery>;
