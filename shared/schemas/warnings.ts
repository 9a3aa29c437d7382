/**
 * Requests about monitoring warnings (预警) and the happiness list: one schema each for the API and for
 * the department page's form, which validates with it in the browser and shows the same Chinese messages.
 * Browser-safe.
 */
import { z } from 'zod';
import {
  type AssistanceType,
  assistanceTypeLabels,
  assistanceTypes,
  departmentLabels,
  departments,
} from '../monitoring/vocabulary.ts';
import { idNumber, isoDate, regionCode, yuan } from './household.ts';
import { month } from './payroll.ts';

/** What the department did about a warning (处置结果). */
export const feedbackResults = {
  assisted: '已落实救助帮扶',
  referred: '已转交其他部门办理',
  notNeeded: '经核实无需救助',
  unreachable: '无法联系到本人',
} as const;
export type FeedbackResult = keyof typeof feedbackResults;

export const feedbackResultValues = Object.keys(feedbackResults) as [FeedbackResult, ...FeedbackResult[]];

/** pushed: 已推送待反馈 · escalated: 逾期未反馈已督办 · answered: 已反馈 */
export const warningStatuses = ['pushed', 'escalated', 'answered'] as const;
export type WarningStatus = (typeof warningStatuses)[number];
export const warningStatusLabels: Record<WarningStatus, string> = {
  pushed: '待反馈',
  escalated: '逾期已督办',
  answered: '已反馈',
};

export const warningFeedbackBody = z
  .object({
    result: z
      .enum(feedbackResultValues, {
        error: `处置结果应为 ${Object.entries(feedbackResults)
          .map(([k, v]) => `${k}（${v}）`)
          .join('、')} 之一`,
      })
      .describe('处置结果'),
    measures: z
      .string({ error: '处置措施必须填写' })
      .trim()
      .min(2, { error: '处置措施至少写2个字' })
      .max(1000, { error: '处置措施最多1000字' })
      .describe('采取的措施（如：已纳入医疗救助，报销个人自付部分60%）'),
    assistance: z
      .array(
        z.enum(assistanceTypes as [AssistanceType, ...AssistanceType[]], {
          error: `救助项目应为 ${Object.entries(assistanceTypeLabels)
            .map(([k, v]) => `${k}（${v}）`)
            .join('、')} 之一`,
        }),
        { error: '落实的救助项目应为列表' },
      )
      .max(assistanceTypes.length, { error: '救助项目过多' })
      .refine((a) => new Set(a).size === a.length, { error: '救助项目重复' })
      .default([])
      .describe('落实的救助项目'),
    amount: yuan.optional().describe('落实的救助金额（元）'),
    handledOn: isoDate.optional().describe('处置日期（北京时间）；缺省为反馈当日'),
  })
  .refine((b) => b.result !== 'assisted' || b.assistance.length > 0, {
    error: '已落实救助帮扶的，须写明落实的救助项目',
    path: ['assistance'],
  });
export type WarningFeedbackInput = z.input<typeof warningFeedbackBody>;
export type WarningFeedback = z.output<typeof warningFeedbackBody>;

export const warningsQuery = z.object({
  regionCode: regionCode.describe('行政区划代码：省、市的代码包括其下各县；须在本人管辖范围内'),
  department: z
    .enum(departments, {
      error: `部门应为 ${departments.map((d) => `${d}（${departmentLabels[d]}）`).join('、')} 之一`,
    })
    .optional()
    .describe('推送的部门；部门工作人员只能查看本部门的预警（缺省即本部门）'),
  status: z
    .enum(warningStatuses, { error: `状态应为 ${warningStatuses.join('、')} 之一` })
    .optional()
    .describe('pushed 待反馈、escalated 逾期已督办、answered 已反馈'),
  limit: z.coerce
    .number({ error: 'limit 应为数字' })
    .int({ error: 'limit 应为整数' })
    .min(1, { error: 'limit 至少为1' })
    .max(1000, { error: 'limit 最多为1000' })
    .default(200)
    .describe('最多返回的预警数（默认200，最新的在前）'),
});
export type WarningsQuery = z.input<typeof warningsQuery>;

export const warningIdPath = z.object({
  warningId: z.string().regex(/^wrn-[a-f0-9]{24}$/, { error: '预警编号格式不正确' }),
});

const DAY_MS = 86_400_000;
export const HAPPINESS_MAX_DAYS = 732;

export const happinessQuery = z
  .object({
    regionCode: regionCode.describe('行政区划代码：省、市的代码包括其下各县；须在本人管辖范围内'),
    from: isoDate.describe('起始日期（北京时间，含当日）'),
    to: isoDate.describe('截止日期（北京时间，含当日）'),
  })
  .refine((q) => q.from <= q.to, { error: '截止日期不能早于起始日期', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= HAPPINESS_MAX_DAYS * DAY_MS, {
    error: `一次最多统计${HAPPINESS_MAX_DAYS}天`,
    path: ['to'],
  });
export type HappinessQuery = z.input<typeof happinessQuery>;

export const runIdPath = z.object({
  runId: z.string().regex(/^run-[a-f0-9]{24}$/, { error: '比对编号格式不正确' }),
});

export const MAX_REGISTER_ROWS = 1_000;

export const registerLoadQuery = z.object({
  regionCode: regionCode.describe('所载入名单的行政区划（省、市的代码包括其下各县）；须在本人管辖范围内'),
});
export const registerLoadBody = z.object({
  households: z
    .array(z.unknown(), { error: 'households 应为家庭列表' })
    .min(1, { error: 'households 至少1户' })
    .max(MAX_REGISTER_ROWS, { error: `households 一次最多${MAX_REGISTER_ROWS}户` })
    .describe(
      '名单导出的家庭，每户一个对象（同名单导出的 JSON Lines：householdId、caseId、regionCode、tier、status、perCapitaMonthlyIncome、members、assistance）',
    ),
});

// ── 结果互认: a department's look-up (社会救助法第四十二条第二款) ─────────────────────────────────────

export const MAX_LOOKUP_IDS = 1_000;

export const lookupBody = z.object({
  regionCode: regionCode.describe('查询的地区（省、市的代码包括其下各县）；须在本部门工作人员的管辖范围内'),
  purpose: z
    .string({ error: '须写明查询用途' })
    .trim()
    .min(4, { error: '查询用途至少写4个字' })
    .max(200, { error: '查询用途最多200字' })
    .describe('查询用途（如：资助2027年度城乡居民医保个人缴费），记录备查'),
  idNumbers: z
    .array(idNumber, { error: 'idNumbers 应为身份证号码列表' })
    .min(1, { error: '至少查询1人' })
    .max(MAX_LOOKUP_IDS, { error: `一次最多查询${MAX_LOOKUP_IDS}人` })
    .describe('要查询的身份证号码；结果按位置一一对应'),
});
export type LookupInput = z.input<typeof lookupBody>;

export const lookupsQuery = z.object({
  regionCode: regionCode.describe('行政区划代码：省、市的代码包括其下各县；须在本人管辖范围内'),
});

// ── 需求推送: a department's answer to a special-assistance demand ─────────────────────────────────

/** A demand to start an item (新增) or to stop one (停止). */
export const demandKinds = ['start', 'end'] as const;
export type DemandKind = (typeof demandKinds)[number];
export const demandKindLabels: Record<DemandKind, string> = { start: '新增', end: '停止' };

/** What the department did: for a start, granted or not; for an end, stopped or continued (with why). */
export const demandResults = {
  granted: '已落实',
  declined: '未落实（写明原因）',
  stopped: '已停止',
  continued: '继续给予（写明依据）',
} as const;
export type DemandResult = keyof typeof demandResults;
export const demandResultsFor: Record<DemandKind, readonly DemandResult[]> = {
  start: ['granted', 'declined'],
  end: ['stopped', 'continued'],
};

/** pending: 待推送 · pushed: 已推送待反馈 · escalated: 逾期未反馈已督办 · answered: 已反馈 */
export const demandStatuses = ['pending', 'pushed', 'escalated', 'answered'] as const;
export type DemandStatus = (typeof demandStatuses)[number];
export const demandStatusLabels: Record<DemandStatus, string> = {
  pending: '待推送',
  ...warningStatusLabels,
};

export const demandFeedbackBody = z.object({
  result: z
    .enum(Object.keys(demandResults) as [DemandResult, ...DemandResult[]], {
      error: `办理结果应为 ${Object.entries(demandResults)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')} 之一`,
    })
    .describe('办理结果：新增的需求 granted 或 declined，停止的需求 stopped 或 continued'),
  measures: z
    .string({ error: '办理情况必须填写' })
    .trim()
    .min(2, { error: '办理情况至少写2个字' })
    .max(1000, { error: '办理情况最多1000字' })
    .describe('办理情况（如：已资助2027年度城乡居民医保个人缴费；未落实的写明原因）'),
  handledOn: isoDate.optional().describe('办理日期（北京时间）；缺省为反馈当日'),
});
export type DemandFeedbackInput = z.input<typeof demandFeedbackBody>;
export type DemandFeedback = z.output<typeof demandFeedbackBody>;

export const demandsQuery = warningsQuery.extend({
  department: warningsQuery.shape.department.describe(
    '办理的部门；部门工作人员只能查看本部门的需求（缺省即本部门）',
  ),
  limit: warningsQuery.shape.limit.describe('最多返回的需求数（默认200，最新的在前）'),
  status: z
    .enum(demandStatuses, { error: `状态应为 ${demandStatuses.join('、')} 之一` })
    .optional()
    .describe('pending 待推送、pushed 待反馈、escalated 逾期已督办、answered 已反馈'),
});
export type DemandsQuery = z.input<typeof demandsQuery>;

export const demandIdPath = z.object({
  demandId: z.string().regex(/^dmd-[a-f0-9]{24}$/, { error: '需求编号格式不正确' }),
});

/** 增减变动名单: a department's list for a region and month. */
export const changesQuery = z.object({
  regionCode: regionCode.describe('行政区划代码（省、市的代码包括其下各县）；须在本人管辖范围内'),
  month: month.describe('月份：该月作出的认定、调整、终止决定所引起的变动'),
});
export type ChangesQuery = z.input<typeof changesQuery>;
