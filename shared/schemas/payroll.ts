/**
 * The county's payroll requests (发放名册): start a roll, list and read rolls, approve or return one.
 * One schema each for the handler, the OpenAPI document and the pages. Browser-safe.
 */
import { z } from 'zod';
import { luhnValid, payeeAccountKinds } from '../domain/payee.ts';
import { recoveryGrounds, recoveryMethods } from '../domain/recoveries.ts';
import { isoDate, regionCode } from './household.ts';

export const month = z
  .string({ error: '月份应为 YYYY-MM' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份应为 YYYY-MM，例如 2026-12' });

export const startPayrollBody = z.object({
  regionCode: regionCode.describe('县级行政区划代码：编制本县的名册'),
  month: month.describe('名册所发放的月份'),
});

export const payrollsQuery = z.object({ regionCode });

export const rollIdPath = z.object({
  rollId: z.string().regex(/^\d{6}-\d{4}-(0[1-9]|1[0-2])-\d{1,3}$/, { error: '名册编号格式不正确' }),
});

export const payrollDecisionBody = z
  .object({
    decision: z.enum(['approve', 'return', 'submit'], {
      error: '决定应为 approve（审批通过）、return（退回）或 submit（核对提交按月自动计算的名册）',
    }),
    reason: z
      .string({ error: '退回理由应为文字' })
      .trim()
      .min(1, { error: '退回须说明理由' })
      .max(500, { error: '理由不超过500字' })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'return' && !b.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '退回须说明理由' });
  });

/** Nothing to send: the download is recorded against the signed-in officer (an empty object, or no body). */
export const bankFileBody = z.object({}).strict().optional();

/** A return file as large as a county's roll: 50,000 lines of about 60 bytes, within Lambda's payload. */
export const BANK_RETURN_MAX_BYTES = 5 * 1024 * 1024;

export const bankReturnBody = z.object({
  content: z
    .string({ error: '回盘文件内容应为文本' })
    .min(1, { error: '回盘文件为空' })
    .describe(
      '银行回盘文件的全文（UTF-8 CSV）：#ROLL 行、每笔一行（序号,案件编号,金额,结果,原因）、#TOTAL 行',
    ),
});

export const payrollQuery = z.object({
  page: z.coerce
    .number({ error: '页码应为数字' })
    .int({ error: '页码应为整数' })
    .min(1, { error: '页码从1开始' })
    .default(1),
});

// ── answers ──────────────────────────────────────────────────────────────────────────────────────

/** A roll's statuses (`shared/domain/payroll.ts` says what each means), as people read them. */
export const rollStatuses = [
  'computing',
  'computed',
  'prepared',
  'approved',
  'returned',
  'failed',
  'reconciling',
  'reconciled',
] as const;
export const rollStatusLabels: Record<(typeof rollStatuses)[number], string> = {
  computing: '正在计算',
  computed: '待核对提交',
  prepared: '待审批',
  approved: '已审批',
  returned: '已退回',
  failed: '失败（未送银行，可重新编制）',
  reconciling: '正在对账',
  reconciled: '已对账',
};

const actorView = z.object({ subject: z.string(), name: z.string(), role: z.string() });
const totals = z
  .object({
    lines: z.number().int().describe('户数'),
    amount: z.number().describe('合计金额（元）'),
    backPay: z.number().describe('其中补发（元）'),
    months: z.number().int().describe('户·月数'),
    deducted: z.number().describe('其中扣回追回款（元），合计金额已扣除'),
  })
  .meta({ title: '名册合计' });

const roll = z
  .object({
    rollId: z.string(),
    regionCode: z.string(),
    month: z.string().describe('发放月份'),
    seq: z.number().int().describe('该月第几次编制（退回或失败后重新编制）'),
    since: z.string().describe('补发所及的最早月份（本县第一份名册的月份）'),
    status: z.enum(rollStatuses).describe(
      Object.entries(rollStatusLabels)
        .map(([k, v]) => `${k} ${v}`)
        .join('；'),
    ),
    preparedBy: actorView.describe('编制人'),
    preparedAt: z.string(),
    executionArn: z.string(),
    totals: totals.optional(),
    hash: z.string().optional().describe('名册哈希（SHA-256，按案件编号排列的各行）'),
    sealedAt: z.string().optional(),
    held: z
      .array(
        z.object({
          caseId: z.string(),
          months: z.array(z.string()),
          amount: z.number(),
          reason: z.string(),
        }),
      )
      .optional()
      .describe('听取意见期间暂停发放的户（省级规定暂停的）：不列入名册，以后月份的名册补发'),
    previous: z
      .object({ rollId: z.string(), month: z.string(), totals })
      .nullable()
      .optional()
      .describe('本县上一份已审批名册，供审批时比较'),
    approvalDueDate: z.string().optional().describe('审批期限（工作日）'),
    approvalDueDateProvisional: z.boolean().optional(),
    escalations: z.array(z.object({ at: z.string(), dueDate: z.string() })).optional(),
    approval: z
      .object({
        decision: z.enum(['approve', 'return']),
        reason: z.string().optional(),
        by: actorView,
        at: z.string(),
      })
      .optional()
      .describe('审批人及其决定'),
    failure: z.string().optional(),
    bankFile: z
      .object({
        fileName: z.string(),
        lines: z.number().int().describe('笔数'),
        total: z.number().describe('合计（元）'),
        excluded: z
          .array(z.object({ caseId: z.string(), amount: z.number(), reason: z.string() }))
          .describe('未列入银行文件的户（如未登记收款账户），在以后月份的名册补发'),
        exportedAt: z.string(),
        downloadedBy: actorView.optional(),
        downloadedAt: z.string().optional(),
      })
      .optional()
      .describe('银行文件'),
    bankReturn: z
      .object({
        uploadedBy: actorView,
        uploadedAt: z.string(),
        paid: z.number().int(),
        failed: z.number().int(),
        paidAmount: z.number(),
        failedAmount: z.number(),
      })
      .optional()
      .describe('银行回盘'),
    reconciledAt: z.string().optional(),
    submittedAt: z.string().optional().describe('按月自动计算的名册由工作人员核对提交的时间'),
  })
  .meta({ title: '发放名册' });

const lineMonth = z.object({
  month: z.string(),
  tier: z.string(),
  amount: z.number(),
  backPay: z.boolean().describe('补发'),
  basis: z.string().describe('金额依据'),
});

export const payrollResponses = {
  started: roll.extend({ message: z.string() }).meta({ title: '已开始编制的名册' }),
  list: z.object({ regionCode: z.string(), rolls: z.array(roll) }).meta({ title: '发放名册列表' }),
  detail: roll
    .extend({
      page: z.number().int(),
      pages: z.number().int(),
      lines: z.array(
        z.object({
          caseId: z.string(),
          months: z.array(lineMonth),
          deductions: z
            .array(z.object({ recoveryId: z.string(), amount: z.number() }))
            .optional()
            .describe('扣回的追回款'),
          amount: z.number().describe('该户实发合计（元），已扣除扣回的追回款'),
          result: z
            .object({ status: z.enum(['paid', 'failed']), reason: z.string().optional() })
            .optional()
            .describe('银行回盘结果（未列入银行文件的为 failed 并注明原因）'),
        }),
      ),
    })
    .meta({ title: '发放名册及逐户明细' }),
  bankFileLink: z
    .object({
      rollId: z.string(),
      url: z.string().describe('银行文件的下载链接，短时有效，只能下载一次'),
      expiresAt: z.string(),
      fileName: z.string(),
      lines: z.number().int(),
      total: z.number(),
    })
    .meta({ title: '银行文件下载链接' }),
  returnAccepted: z
    .object({
      rollId: z.string(),
      paid: z.number().int(),
      failed: z.number().int(),
      paidAmount: z.number(),
      failedAmount: z.number(),
      message: z.string(),
    })
    .meta({ title: '已接受的银行回盘' }),
  decided: z
    .object({ rollId: z.string(), decision: z.enum(['approve', 'return', 'submit']), message: z.string() })
    .meta({ title: '审批结果' }),
};

// ── 收款账户 ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The household's account: card numbers (银行卡、社会保障卡) are 16–19 digits and pass the Luhn check;
 * an account (存折) is 8–32 digits. Spaces a person types between groups are taken out.
 */
export const payeeAccountBody = z
  .object({
    kind: z.enum(payeeAccountKinds, {
      error: '账户类型应为 bankCard（银行卡）、bankAccount（银行账户）或 socialSecurityCard（社会保障卡）',
    }),
    bankName: z
      .string({ error: '开户行应为文字' })
      .trim()
      .min(2, { error: '请填写开户行' })
      .max(60, { error: '开户行不超过60字' }),
    accountNumber: z
      .string({ error: '账号应为数字' })
      .transform((s) => s.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{8,32}$/, { error: '账号应为8–32位数字' })),
    accountName: z
      .string({ error: '户名应为文字' })
      .trim()
      .min(1, { error: '请填写户名' })
      .max(30, { error: '户名不超过30字' }),
    /** Why the account changes (a lost card, another member receives it): kept with the change. */
    reason: z.string().trim().max(200, { error: '说明不超过200字' }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'bankAccount') return;
    if (b.accountNumber.length < 16 || b.accountNumber.length > 19)
      ctx.addIssue({ code: 'custom', path: ['accountNumber'], message: '卡号应为16–19位数字' });
    else if (!luhnValid(b.accountNumber))
      ctx.addIssue({ code: 'custom', path: ['accountNumber'], message: '卡号校验位不正确，请核对卡号' });
  });

export const maskedPayeeAccount = z
  .object({
    kind: z.enum(payeeAccountKinds),
    bankName: z.string().describe('开户行'),
    accountNumberMasked: z.string().describe('账号（脱敏：前四位与后四位）'),
    accountNameMasked: z.string().describe('户名（脱敏）'),
    changedAt: z.string(),
    changedBy: z.object({ name: z.string(), role: z.string() }).describe('登记人'),
  })
  .meta({ title: '收款账户（脱敏）' });

// ── 追回 ─────────────────────────────────────────────────────────────────────────────────────────

const yuanAmount = z
  .number({ error: '金额应为数字（元）' })
  .positive({ error: '金额应大于0' })
  .max(10_000_000, { error: '金额超出合理范围' })
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, { error: '金额最多保留两位小数' });

export const recoveryIdPath = z.object({
  caseId: z.string().regex(/^case-[a-z0-9]+$/, { error: '案件编号格式不正确' }),
  recoveryId: z.string().regex(/^recovery-[a-z0-9]+$/, { error: '追回决定编号格式不正确' }),
});

export const recoveryBody = z.object({
  ground: z.enum(recoveryGrounds, {
    error: '追回事由应为 overpayment（未及时告知变化多发）或 fraud（骗取，社会救助法第七十三条）',
  }),
  amount: yuanAmount.describe('追回金额（元），不超过该案件已发放的金额'),
  method: z.enum(recoveryMethods, {
    error: '追回方式应为 deduct（从以后的救助金中扣回）或 repay（由家庭退回）',
  }),
  reason: z
    .string({ error: '请写明事实和理由' })
    .trim()
    .min(4, { error: '请写明事实和理由' })
    .max(1000, { error: '事实和理由不超过1000字' }),
  documentNumber: z
    .string({ error: '请填写追回决定的文号' })
    .trim()
    .min(2, { error: '请填写追回决定的文号' })
    .max(100, { error: '文号不超过100字' }),
  decidedOn: isoDate.describe('追回决定的日期（北京时间，不晚于今天）'),
});

export const repaymentBody = z.object({
  amount: yuanAmount.describe('本次退回金额（元），不超过尚欠金额'),
  paidOn: isoDate.describe('退回日期'),
  receipt: z
    .string({ error: '请填写收款凭证号' })
    .trim()
    .min(2, { error: '请填写收款凭证号' })
    .max(100, { error: '凭证号不超过100字' }),
});

export const recoveryView = z
  .object({
    recoveryId: z.string(),
    ground: z.enum(recoveryGrounds),
    groundLabel: z.string(),
    amount: z.number().describe('追回金额（元）'),
    outstanding: z.number().describe('尚欠金额（元）'),
    method: z.enum(recoveryMethods),
    reason: z.string(),
    documentNumber: z.string(),
    decidedOn: z.string(),
    noticeId: z.string(),
    recordedAt: z.string(),
    deductions: z.record(z.string(), z.number()).describe('各发放名册扣回的金额（名册编号 → 元）'),
    repayments: z.array(
      z.object({
        repaymentId: z.string(),
        amount: z.number(),
        paidOn: z.string(),
        receipt: z.string(),
        recordedAt: z.string(),
      }),
    ),
  })
  .meta({ title: '追回决定' });
