/**
 * What a household — or a caseworker for it — sends about its case, and what it is answered: the
 * application, objections to its public notice, consent to another tier, later declarations, an
 * emergency and its paperwork. One schema each for the handler, the OpenAPI document and the pages,
 * which validate with it in the browser and show the same Chinese messages. Browser-safe.
 */
import { z } from 'zod';
import { appealChannels, appealOutcomes } from '../domain/appeals.ts';
import { extensionReasons, investigationMethods } from '../domain/deadlines.ts';
import {
  applicantFields,
  applicationRequest,
  householdFields,
  isoDate,
  regionCode,
  supportersAgree,
  yuan,
} from './household.ts';
import { maskedPayeeAccount, payeeAccountBody, recoveryView } from './payroll.ts';

// ── ids in paths, and the retry key ──────────────────────────────────────────────────────────────

export const applicationIdPath = z.object({
  applicationId: z.string().regex(/^app-[a-z0-9]+$/, { error: '申请编号格式不正确' }),
});

export const caseIdPath = z.object({
  caseId: z.string().regex(/^case-[a-z0-9]+$/, { error: '案件编号格式不正确' }),
});

export const emergencyIdPath = z.object({
  emergencyId: z.string().regex(/^emerg-[a-z0-9]+$/, { error: '临时救助编号格式不正确' }),
});

/** A retried submission carries the key of its first attempt and gets the first answer back. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\w.:-]{1,128}$/, { error: 'Idempotency-Key 应为1–128位字母、数字或 . _ : -' })
    .optional()
    .describe('重复提交时带同一个键，返回第一次受理的结果，不会重复受理'),
});

// ── the application ──────────────────────────────────────────────────────────────────────────────

/**
 * The declaration, and — only from a caseworker entering it for a household — why a new application
 * is opened although a member already has an open application or an active case.
 */
export const submissionRequest = applicationRequest.extend({
  newApplicationReason: z
    .string({ error: 'newApplicationReason 应为文字' })
    .trim()
    .min(2, { error: '请填写重新申请的理由' })
    .max(500, { error: '重新申请的理由不超过500字' })
    .optional()
    .describe('已有未办结申请或正在享受救助时重新申请的理由（仅经办人代为录入时填写）'),
  payeeAccount: payeeAccountBody
    .optional()
    .describe(
      '收款账户（开户行、账号、户名）：可在申请时申报，也可以后登记；加密保存，不进入家庭经济状况申报',
    ),
});

export const objectionBody = z.object({
  reason: z
    .string({ error: '请填写异议内容' })
    .trim()
    .min(1, { error: '请填写异议内容' })
    .max(1000, { error: '异议内容不超过1000字' }),
  raisedBy: z.string().trim().min(1).max(64).optional().describe('异议人姓名（可不填；不向申请人公开）'),
});

export const consentBody = z.object({
  consent: z.boolean({ error: 'consent 应为 true（同意）或 false（不同意）' }),
  tier: z.string().trim().min(1).max(32).optional().describe('所同意的类别；填写时须与提供的类别一致'),
});

// ── later declarations ───────────────────────────────────────────────────────────────────────────

/**
 * The same household declaration as an application's, with the same pledge and consent, made
 * where the case is: the recheck means-tests under the case's region, never one the applicant names
 * (a move to another county is a transfer handled by staff). `regionCode` may be left out.
 */
export const declarationBody = householdFields
  .extend({
    regionCode: regionCode.optional().describe('可省略；须为本案件所在地，迁往其他地区须由工作人员办理转移'),
    pledge: z.literal(true, { error: '须承诺所报信息真实（pledge=true）' }),
    verificationConsent: z.literal(true, { error: '须授权核对家庭经济状况（verificationConsent=true）' }),
  })
  .superRefine(supportersAgree);

/**
 * 陈述意见 (社会救助法第四十八条): the household's answer to a proposed reduction or end — online by
 * the household, or recorded by a township caseworker after hearing them in person.
 */
export const hearingAnswerBody = z
  .object({
    opinion: z.enum(['agree', 'object'], { error: '意见应为 agree（无异议）或 object（有异议）' }),
    statement: z
      .string({ error: 'statement 应为文字' })
      .trim()
      .max(1000, { error: '陈述意见不超过1000字' })
      .default('')
      .describe('陈述的意见；有异议时必填，说明理由'),
  })
  .superRefine((b, ctx) => {
    if (b.opinion === 'object' && b.statement.length < 2)
      ctx.addIssue({ code: 'custom', path: ['statement'], message: '有异议的，请写明异议及理由' });
  });

/** 启动家庭经济状况调查: the day it started (not in the future) and how (57号 第十五条). */
export const investigationBody = z.object({
  startedOn: isoDate.describe('启动调查的日期（北京时间，不晚于今天）'),
  method: z.enum(investigationMethods, {
    error:
      '调查方式应为 homeVisit（入户调查）、neighbourVisit（邻里访问）、letter（信函索证）或 dataCheck（提请信息核对）',
  }),
  note: z.string({ error: 'note 应为文字' }).trim().max(500, { error: '情况说明不超过500字' }).optional(),
});

/** 延长审核确认时限: once, before the decision, with one of the reasons the rules name. */
export const extensionBody = z.object({
  reason: z.enum(extensionReasons, {
    error:
      '延长理由应为 objection（公示有异议需重新调查）、householdSeparated（人户分离）、remoteApplication（异地申办）或 investigationDifficulty（调查难度较大）',
  }),
  note: z
    .string({ error: 'note 应为文字' })
    .trim()
    .min(2, { error: '请写明需要延长的具体情况' })
    .max(500, { error: '情况说明不超过500字' }),
});

/**
 * 行政复议、行政诉讼的结果 (社会救助法第七十六条), recorded by the county against the written notice of
 * the decision challenged.
 */
export const appealBody = z.object({
  noticeId: z
    .string({ error: '请填写被申请复议或起诉的决定的告知书编号' })
    .trim()
    .min(1, { error: '请填写被申请复议或起诉的决定的告知书编号' })
    .max(100, { error: '告知书编号不超过100字' })
    .describe('被申请复议或起诉的决定的书面告知书编号（案件告知书中的 noticeId）'),
  channel: z.enum(appealChannels, {
    error: '救济途径应为 reconsideration（行政复议）或 litigation（行政诉讼）',
  }),
  outcome: z.enum(appealOutcomes, {
    error:
      '结果应为 upheld（维持或驳回）、revoked（撤销）、confirmedUnlawful（确认违法不撤销）或 withdrawn（撤回）',
  }),
  decidedOn: isoDate.describe('复议决定或裁判的日期（北京时间，不晚于今天）'),
  authority: z
    .string({ error: '请填写复议机关或人民法院' })
    .trim()
    .min(2, { error: '请填写复议机关或人民法院' })
    .max(100, { error: '复议机关或人民法院名称不超过100字' }),
  documentNumber: z
    .string({ error: '请填写复议决定书或判决书、裁定书的文号' })
    .trim()
    .min(2, { error: '请填写复议决定书或判决书、裁定书的文号' })
    .max(100, { error: '文号不超过100字' }),
  note: z.string({ error: 'note 应为文字' }).trim().max(1000, { error: '情况说明不超过1000字' }).optional(),
});

/** The whole review's deadline as staff, the applicant and auditors see it. */
export const reviewDeadlineView = z
  .object({
    acceptedOn: z.string().describe('受理日期（当日不计入）'),
    workingDays: z
      .number()
      .int()
      .describe('全程时限（工作日）：30，特殊情况延长至45；省级规定由乡镇确认的按其规定（如20）'),
    dueDate: z.string().describe('审核确认应完成的日期（延长后为延长的日期）'),
    originalDueDate: z.string().describe('受理时确定的日期'),
    extended: z.boolean(),
    extensionReason: z.string().optional().describe('延长理由'),
    met: z.boolean().nullable().describe('已作出决定的，是否在时限内；未决定为 null'),
    overdue: z.boolean().describe('未作出决定且已超过时限'),
    investigation: z
      .object({
        startBy: z.string().describe('应启动家庭经济状况调查的最后一日（受理后3个工作日，57号第十五条）'),
        startedOn: z.string().nullable().describe('实际启动调查的日期；未记录为 null'),
        method: z.string().nullable().describe('调查方式'),
        met: z.boolean().nullable().describe('已启动的，是否按时启动'),
        overdue: z.boolean().describe('未启动且已超过期限'),
      })
      .nullable()
      .describe('启动调查的期限及记录；此前受理的申请为 null'),
  })
  .meta({ title: '审核确认时限' });

/** 公布 (社会救助法第四十五条): the approvals published in a region. */
export const publicationQuery = z.object({
  regionCode: regionCode.describe('公布范围：申请家庭所在地的行政区划代码'),
});

export const publicationResponse = z
  .object({
    regionCode: z.string(),
    asOf: z.string().describe('查询日期（北京时间）'),
    basis: z.string().describe('公布依据'),
    entries: z.array(
      z.object({
        applicantName: z.string().describe('申请人姓名（脱敏，如 张*英）'),
        householdSize: z.number().int().describe('共同生活家庭成员人数'),
        tier: z.string(),
        tierLabel: z.string().describe('救助类别'),
        monthlyAmount: z.number().nullable().describe('每月救助金额（元）；不按月发放的类别为 null'),
        decidedOn: z.string().describe('确认日期'),
        publishedUntil: z.string().describe('公布截止日期'),
      }),
    ),
    endNotices: z
      .array(
        z.object({
          applicantName: z.string().describe('特困人员姓名（脱敏）'),
          householdSize: z.number().int(),
          stage: z
            .enum(['proposed', 'decided'])
            .describe(
              'proposed 拟终止救助供养（公示期内可提出异议）；decided 异议调查核实后的决定（重新公示）',
            ),
          statement: z.string().describe('公示内容'),
          startsOn: z.string(),
          endsOn: z.string().describe('proposed：提出异议的截止日期；decided：公示截止日期'),
          objectionPath: z
            .string()
            .nullable()
            .describe('proposed：公示期内提出异议的接口（需登录）；decided 为 null'),
        }),
      )
      .describe('特困人员终止救助供养的公示（民发〔2021〕43号《特困人员认定办法》第二十六条）'),
  })
  .meta({ title: '社会救助确认决定公布' });

/** Response shapes, for the OpenAPI document. */
export const caseLifecycleResponses = {
  appeal: z
    .object({
      appealId: z.string(),
      caseId: z.string(),
      noticeId: z.string(),
      noticeTitle: z.string().describe('被申请复议或起诉的决定'),
      channel: z.enum(appealChannels),
      outcome: z.enum(appealOutcomes),
      decidedOn: z.string(),
      authority: z.string(),
      documentNumber: z.string(),
      recordedAt: z.string(),
      reopened: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('application'), applicationId: z.string(), executionArn: z.string() }),
          z.object({
            kind: z.literal('recheck'),
            recheckId: z.string(),
            restored: z.object({ tier: z.string(), monthlyAmount: z.number().nullable() }),
            dueAt: z.string(),
          }),
          z.object({ kind: z.literal('none'), nextStep: z.string() }),
        ])
        .nullable()
        .describe(
          '撤销后案件回到原决定前的状态：application 申请回到原作出决定的层级重新审核；recheck 恢复原救助并重新核查；none 无可恢复的办理（另行办理）。未撤销为 null',
        ),
      message: z.string(),
    })
    .meta({ title: '已记录的复议、诉讼结果' }),
  heard: z
    .object({
      caseId: z.string(),
      hearingId: z.string(),
      opinion: z.enum(['agree', 'object']),
      channel: z.enum(['online', 'visit']).describe('online：本人网上陈述；visit：经办人入户听取后记录'),
      answeredAt: z.string(),
      message: z.string(),
    })
    .meta({ title: '已记录的陈述意见' }),
  declared: z
    .object({ caseId: z.string(), declarationId: z.string(), declaredAt: z.string(), message: z.string() })
    .meta({ title: '已记录的家庭情况申报' }),
  payments: z
    .object({
      caseId: z.string(),
      total: z.number().describe('合计（元）'),
      payeeAccount: maskedPayeeAccount.nullable().describe('收款账户（脱敏）；未登记为 null'),
      recoveries: z.array(recoveryView).describe('追回决定及扣回、退回情况'),
      payments: z.array(
        z.object({
          month: z.string().describe('发放月份 YYYY-MM'),
          kind: z
            .enum(['regular', 'gradualExit', 'emergencyGrant', 'emergencyAssessed'])
            .describe('按月发放、渐退期发放、临时救助先行发放、临时救助审核后发放（超出先行救助的部分）'),
          amount: z.number(),
          tier: z.string(),
          basis: z.string().describe('发放依据'),
          recordedAt: z.string(),
        }),
      ),
    })
    .meta({ title: '救助金发放记录' }),
};

// ── 临时救助 ─────────────────────────────────────────────────────────────────────────────────────

export const hardshipKinds = ['illness', 'accident', 'disaster', 'fire', 'other'] as const;

/** The household's declaration (as for an application, without a requested tier) and the hardship. */
/** 急难型 (paid first when urgent) and 支出型 (sudden necessary spending; the ordinary procedure). */
export const emergencyTypes = ['urgent', 'expenditure'] as const;
export type EmergencyType = (typeof emergencyTypes)[number];

export const emergencyRequest = householdFields
  .extend({
    ...applicantFields,
    regionCode: regionCode.describe('急难发生地的行政区划代码：向发生地申请，不受户籍限制'),
    hukouRegionCode: regionCode.optional().describe('户籍所在地（可与急难发生地不同，仅作记录）'),
    hardship: z
      .object({
        kind: z.enum(hardshipKinds, {
          error:
            '急难类型应为 illness（突发重病）、accident（意外事故）、disaster（自然灾害）、fire（火灾）或 other（其他）',
        }),
        description: z
          .string({ error: '请说明急难情况' })
          .trim()
          .min(1, { error: '请说明急难情况' })
          .max(1000, { error: '急难情况说明过长' }),
        occurredOn: isoDate.describe('急难发生日期'),
      })
      .describe('急难情况'),
    requestedAmount: yuan.positive({ error: '申请金额必须大于0' }).describe('申请救助金额（元）'),
    type: z
      .enum(emergencyTypes, { error: '临时救助类型应为 urgent（急难型）或 expenditure（支出型）' })
      .default('urgent')
      .describe(
        'urgent 急难型：情况紧急的可先行救助、事后补办手续；expenditure 支出型：突发的医疗、教育等必需支出超出家庭承受能力，在申报的近12个月必需支出中填写，按常规程序由乡镇审核、县级审批，不先行救助',
      ),
  })
  .superRefine(supportersAgree)
  .superRefine((r, ctx) => {
    const s = r.spendingLast12Months;
    if (r.type === 'expenditure' && s.medical + s.education + s.rehabilitation + s.other <= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['spendingLast12Months'],
        message: '支出型临时救助须申报突发的必需支出（医疗、教育、残疾康复或其他必需支出）',
      });
  });
export type EmergencyRequest = z.infer<typeof emergencyRequest>;

export const emergencyStatuses = [
  'submitted',
  'declined',
  'granted',
  'assessing',
  'completed',
  'rejected',
  'converted',
] as const;
export type EmergencyStatus = (typeof emergencyStatuses)[number];

export const conversionTiers = ['dibao', 'tekun', 'marginal', 'rigidExpense'] as const;

export const paperworkBody = z
  .object({
    decision: z.enum(['approve', 'reject'], {
      error: 'decision 应为 approve（手续齐全）或 reject（不予确认）',
    }),
    reasons: z
      .array(z.string().trim().min(1, { error: '理由不能为空' }).max(500))
      .max(20)
      .default([]),
    convertTo: z
      .enum(conversionTiers, { error: 'convertTo 应为 dibao、tekun、marginal 或 rigidExpense' })
      .optional()
      .describe('转为常规救助申请的类别（以临时救助时的申报为申请材料）'),
  })
  .refine((b) => b.decision === 'approve' || b.reasons.length > 0, {
    error: '不予确认时必须填写理由',
    path: ['reasons'],
  })
  .refine((b) => b.decision === 'approve' || b.convertTo === undefined, {
    error: '不予确认时不能转为常规申请',
    path: ['convertTo'],
  });

/** Response shapes, for the OpenAPI document. */
export const emergencyResponses = {
  submitted: z
    .object({ emergencyId: z.string(), caseId: z.string(), status: z.enum(emergencyStatuses) })
    .meta({ title: '已受理的临时救助' }),
  view: z
    .object({
      emergencyId: z.string(),
      caseId: z.string(),
      status: z.enum(emergencyStatuses),
      statusLabel: z.string(),
      regionCode: z.string().describe('急难发生地'),
      hukouRegionCode: z.string().nullable().describe('户籍所在地'),
      type: z.enum(emergencyTypes).describe('urgent 急难型；expenditure 支出型'),
      hardship: z.object({ kind: z.enum(hardshipKinds), description: z.string(), occurredOn: z.string() }),
      requestedAmount: z.number(),
      submittedAt: z.string(),
      grant: z
        .object({ amount: z.number(), limit: z.number(), month: z.string(), grantedAt: z.string() })
        .nullable()
        .describe('先行救助：经办人决定的金额、当地上限、发放月份'),
      allowance: z
        .object({
          requestedAmount: z.number(),
          smallAmountLimit: z.number().describe('当地先行救助上限'),
          householdLimit: z
            .object({
              amount: z.number(),
              months: z.number(),
              since: z.string(),
              granted: z.number().describe('期限内已获临时救助'),
              remaining: z.number(),
            })
            .describe('家庭一定期限内的临时救助累计上限'),
          maxAmount: z.number().describe('本次最多可先行救助的金额'),
        })
        .nullable()
        .describe('核算出的先行救助额度（经办人决定金额的上限）'),
      declined: z
        .object({ decidedAt: z.string(), reasons: z.array(z.string()) })
        .nullable()
        .describe('不予先行救助的决定'),
      expenditure: z
        .object({
          eligible: z.boolean(),
          spending: z.number(),
          income12Months: z.number(),
          perCapitaMonthlyAfterSpending: z.number(),
          line: z.number(),
          assetsWithin: z.boolean(),
          reasons: z.array(z.string()),
        })
        .nullable()
        .describe('支出型：扣除近12个月必需支出后的家庭经济状况（人均月收入与低保边缘标准、财产）'),
      review: z
        .object({
          decision: z.enum(['approve', 'reject']),
          reasons: z.array(z.string()),
          decidedAt: z.string(),
        })
        .nullable()
        .describe('支出型：乡镇（街道）的审核意见'),
      paperwork: z
        .object({
          taskId: z.string(),
          dueDate: z.string().describe('补办手续期限（工作日）'),
          decision: z.enum(['approve', 'reject']).nullable(),
          reasons: z.array(z.string()),
        })
        .nullable(),
      assessment: z
        .object({
          taskId: z.string(),
          requestedAmount: z.number(),
          paidFirst: z.number().describe('已先行救助的金额'),
          outstanding: z.number().describe('申请金额超出先行救助的部分'),
          maxAmount: z.number().describe('本次最多可再给予的金额：家庭期限内累计上限的剩余额度'),
          householdLimit: z.object({
            amount: z.number(),
            months: z.number(),
            since: z.string(),
            granted: z.number().describe('期限内已获临时救助（含本次先行救助）'),
            remaining: z.number(),
          }),
          decision: z.enum(['approve', 'reject']).nullable(),
          amount: z.number().nullable().describe('审核决定再给予的金额'),
          totalGranted: z.number().nullable().describe('本次临时救助共给予的金额'),
          reasons: z.array(z.string()),
          decidedAt: z.string().nullable(),
        })
        .nullable()
        .describe('县级民政部门的审核：超出先行救助的部分，或支出型临时救助'),
      convertedTo: z
        .object({ tier: z.string(), tierLabel: z.string(), applicationId: z.string(), caseId: z.string() })
        .nullable()
        .describe('转为常规救助申请'),
      notices: z.array(
        z.object({
          noticeId: z.string(),
          kind: z.string(),
          title: z.string(),
          body: z.string(),
          reasons: z.array(z.string()),
          decidedAt: z.string(),
          serveBy: z.string(),
        }),
      ),
    })
    .meta({ title: '临时救助办理情况' }),
  paperworkDecided: z
    .object({
      emergencyId: z.string(),
      taskId: z.string(),
      decision: z.enum(['approve', 'reject']),
      reasons: z.array(z.string()),
      decidedAt: z.string(),
      convertTo: z.enum(conversionTiers).nullable(),
    })
    .meta({ title: '补办手续决定' }),
};
