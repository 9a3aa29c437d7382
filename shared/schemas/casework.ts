/**
 * What caseworkers and officers send about their work: a decision on a task with its findings, the
 * inbox's notifications, and the close relatives they declare (近亲属备案). One schema each for the
 * handler, the OpenAPI document and the workbench page. Browser-safe.
 */
import { z } from 'zod';
import { idNumber, isoDate, regionCode, yuan } from './household.ts';

export const taskIdPath = z.object({
  taskId: z.string().regex(/^task-[a-f0-9]{24}$/, { error: '任务编号格式不正确' }),
});

export const tasksQuery = z.object({ township: regionCode.describe('乡镇（街道）所在的行政区划代码') });

const note = z.string().trim().min(1).max(1000);

/** 入户调查 and 信息核对 recorded with the decision (民发〔2021〕57号 第四章). */
export const findingsSchema = z
  .object({
    homeVisit: z
      .object({
        visitedOn: isoDate.describe('入户调查日期'),
        visitors: z
          .array(z.string().trim().min(1).max(32))
          .min(2, { error: '入户调查应由2名以上工作人员进行' })
          .max(6)
          .describe('调查人员姓名'),
        matchesDeclaration: z.boolean({ error: '请说明家庭实际情况是否与申报一致' }),
        notes: note.optional().describe('居住、就业、财产等情况'),
      })
      .optional()
      .describe('入户调查'),
    verifications: z
      .array(
        z.object({
          source: z
            .string()
            .trim()
            .min(1)
            .max(64)
            .describe('核对的部门或信息系统，如 人社、公安、不动产登记、银行存款'),
          result: z.enum(['consistent', 'inconsistent'], {
            error: 'result 应为 consistent（一致）或 inconsistent（不一致）',
          }),
          notes: note.optional(),
        }),
      )
      .max(30)
      .optional()
      .describe('信息核对结果'),
  })
  .describe('调查核实情况');

export const decisionBody = z
  .object({
    decision: z
      .enum(['approve', 'reject', 'dismiss'], {
        error: 'decision 应为 approve（同意）、reject（不同意）或 dismiss（异议不成立）',
      })
      .describe('dismiss 仅用于因公示异议退回的乡镇审核：异议不成立的，写明理由后报县级确认，不再重新公示'),
    reasons: z
      .array(z.string().trim().min(1, { error: '理由不能为空' }).max(500))
      .max(20)
      .default([]),
    findings: findingsSchema.optional(),
    applicationId: z
      .string()
      .regex(/^app-[\w-]{1,64}$/, { error: '申请编号格式不正确' })
      .optional()
      .describe('主动发现任务（outreach）：同意即已协助提出申请，填写该申请的编号'),
    amount: yuan
      .positive({ error: '金额必须大于0' })
      .optional()
      .describe(
        '金额（元）：临时救助先行救助任务（emergencyGrant）为先行救助金额，超出先行救助部分的审核任务（emergencyAssessment）为再给予的金额；同意时必填',
      ),
  })
  .refine((b) => b.decision === 'approve' || b.reasons.length > 0, {
    error: '不同意或认定异议不成立时必须填写理由',
    path: ['reasons'],
  })
  .refine((b) => b.decision === 'approve' || b.amount === undefined, {
    error: '不同意时不能填写金额',
    path: ['amount'],
  });

export const notificationsQuery = z.object({
  township: regionCode,
  since: z.iso.datetime({ error: 'since 应为 ISO 时间，如 2026-11-30T08:00:00.000Z' }).optional(),
});

export const notificationsResponse = z
  .object({
    township: z.string(),
    notifications: z.array(
      z.object({
        type: z
          .enum(['taskOpened', 'taskEscalated', 'warningEscalated', 'demandEscalated', 'householdUnreached'])
          .describe(
            '新任务 / 任务逾期督办 / 动态监测预警逾期未反馈督办 / 专项救助需求逾期未反馈督办 / 短信未能送达申请家庭，须当面或电话联系',
          ),
        taskId: z
          .string()
          .describe(
            '任务编号；warningEscalated 为预警编号，demandEscalated 为需求编号，householdUnreached 为未送达的通知编号',
          ),
        kind: z.string(),
        township: z.string(),
        caseId: z.string(),
        dueDate: z.string().optional(),
        overdueSince: z.string().optional(),
        newDueDate: z.string().optional(),
        escalation: z.number().optional(),
        /** householdUnreached: what was not delivered and why. */
        label: z.string().optional(),
        reason: z.string().optional(),
        at: z.string(),
        deliveredAt: z.string(),
      }),
    ),
  })
  .meta({ title: '任务通知' });

// ── 近亲属备案 ───────────────────────────────────────────────────────────────────────────────────

export const relations = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'inLaw',
  'other',
] as const;
export type Relation = (typeof relations)[number];

export const relativesBody = z.object({
  relatives: z
    .array(
      z.object({
        name: z.string({ error: '请填写近亲属姓名' }).trim().min(1, { error: '请填写近亲属姓名' }).max(50),
        idNumber,
        relation: z.enum(relations, { error: `关系应为 ${relations.join('、')} 之一` }),
      }),
    )
    .min(1, { error: '请至少填写一名近亲属' })
    .max(50, { error: '一次最多备案50名近亲属' }),
});

/**
 * 村（居）民委员会成员的近亲属备案 (57号 第十一条), as the township records it: which committee, which
 * member, and their close relatives.
 */
export const committeeRelativesBody = relativesBody.extend({
  regionCode: regionCode.describe('村（居）民委员会所属乡镇（街道）的行政区划代码'),
  committee: z
    .string({ error: '请填写村（居）民委员会名称' })
    .trim()
    .min(2, { error: '请填写村（居）民委员会名称' })
    .max(100),
  member: z
    .string({ error: '请填写委员会成员姓名' })
    .trim()
    .min(1, { error: '请填写委员会成员姓名' })
    .max(50),
  position: z.string().trim().max(50).optional().describe('职务，如主任、委员'),
});

export const committeeRelativesResponse = z
  .object({
    regionCode: z.string(),
    declarations: z.array(
      z.object({
        committee: z.string(),
        member: z.string(),
        position: z.string().optional(),
        relatives: z.array(
          z.object({
            name: z.string(),
            idNumberMasked: z.string().describe('身份证号（脱敏）'),
            relation: z.enum(relations),
            declaredAt: z.string(),
          }),
        ),
      }),
    ),
  })
  .meta({ title: '村（居）民委员会成员近亲属备案' });

export const relativesResponse = z
  .object({
    relatives: z.array(
      z.object({
        name: z.string(),
        idNumberMasked: z.string().describe('身份证号（脱敏）'),
        relation: z.enum(relations),
        declaredAt: z.string(),
      }),
    ),
  })
  .meta({ title: '近亲属备案' });

// ── 主动发现 (社会救助法第三十九条) ──────────────────────────────────────────────────────────────

export const discoverySources = {
  visit: '走访发现',
  committee: '村（居）民委员会报告',
  other: '其他基层单位报告',
  warning: '动态监测疑似漏保',
} as const;
export type DiscoverySource = keyof typeof discoverySources;
export const discoveryUrgencies = { urgent: '紧急', normal: '一般' } as const;
export type DiscoveryUrgency = keyof typeof discoveryUrgencies;

/** Someone to reach (a household's contact, a reporter): both fields optional, a phone a mobile or a landline. */
const contactPerson = (nameLabel: string) =>
  z.object({
    name: z.string().trim().min(1).max(50).optional().describe(nameLabel),
    phone: z
      .string()
      .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, { error: '联系电话应为11位手机号或带区号的固定电话' })
      .optional()
      .describe('联系电话'),
  });

export const discoveryBody = z.object({
  regionCode: regionCode.describe('发现地的乡镇（街道）或县级行政区划代码；须在本人管辖范围内'),
  source: z
    .enum(['visit', 'committee', 'other'], {
      error: 'source 应为 visit（走访发现）、committee（村（居）民委员会报告）或 other（其他基层单位报告）',
    })
    .describe('发现方式'),
  reportedBy: z
    .string()
    .trim()
    .min(2, { error: '报告人（单位）至少写2个字' })
    .max(100)
    .describe('报告的单位和人员（如：黄兴镇长桥村委会 李某）'),
  address: z
    .string({ error: '须填写住址或所在位置' })
    .trim()
    .min(4, { error: '住址或所在位置至少写4个字' })
    .max(200, { error: '住址最多200字' })
    .describe('住址或所在位置'),
  observed: z
    .string({ error: '须写明发现的情况' })
    .trim()
    .min(4, { error: '发现的情况至少写4个字' })
    .max(1000, { error: '发现的情况最多1000字' })
    .describe('发现的情况（生活困难的表现、家庭成员、已知的收入和支出）'),
  urgency: z
    .enum(['urgent', 'normal'], { error: 'urgency 应为 urgent（紧急）或 normal（一般）' })
    .describe('紧急程度：urgent 1个工作日内联系，normal 5个工作日内联系'),
  contact: contactPerson('联系人姓名').optional().describe('联系人（如已知）'),
});
export type DiscoveryInput = z.input<typeof discoveryBody>;

export const discoveryIdPath = z.object({
  discoveryId: z.string().regex(/^dsc-[a-f0-9]{24}$/, { error: '发现记录编号格式不正确' }),
});

export const discoveriesQuery = z.object({
  regionCode: regionCode.describe('行政区划代码：省、市的代码包括其下各县；须在本人管辖范围内'),
  status: z
    .enum(['open', 'applied', 'closed'], { error: '状态应为 open、applied、closed 之一' })
    .optional()
    .describe('open 待联系、applied 已协助申请、closed 未申请（已记录原因）'),
});

// ── 举报投诉 (社会救助法第六十、六十三、六十八条) ─────────────────────────────────────────────────

export const complaintKinds = {
  ineligiblePaid: '不符合条件却享受救助',
  missedHousehold: '符合条件却未获救助（应保未保）',
  staffMisconduct: '工作人员违法违规（滥用职权、玩忽职守、徇私舞弊等）',
  other: '其他',
} as const;
export type ComplaintKind = keyof typeof complaintKinds;
export const complaintChannels = {
  online: '网上提交',
  hotline: '服务热线',
  letter: '来信',
  visit: '来访',
} as const;
export type ComplaintChannel = keyof typeof complaintChannels;

const complaintFields = {
  regionCode: regionCode.describe('所涉事项发生地的县级行政区划代码'),
  kind: z
    .enum(Object.keys(complaintKinds) as [ComplaintKind, ...ComplaintKind[]], {
      error: `举报投诉类别应为 ${Object.entries(complaintKinds)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')} 之一`,
    })
    .describe('举报投诉类别'),
  content: z
    .string({ error: '须写明举报投诉的事项' })
    .trim()
    .min(10, { error: '举报投诉的事项至少写10个字' })
    .max(2000, { error: '举报投诉的事项最多2000字' })
    .describe('举报投诉的事项：涉及的家庭或人员、事实和依据'),
  reporter: contactPerson('姓名')
    .optional()
    .describe('举报人（可匿名；填写的加密保存，不向被举报人和经办人以外的人员披露）'),
};

/** Anyone, online: no sign-in needed. */
export const complaintBody = z.object(complaintFields);
/** A hotline operator (or the office receiving a letter or a visit) recording one. */
export const recordedComplaintBody = z.object({
  ...complaintFields,
  channel: z
    .enum(['hotline', 'letter', 'visit'], {
      error: 'channel 应为 hotline（服务热线）、letter（来信）或 visit（来访）',
    })
    .describe('受理渠道'),
});
export type ComplaintInput = z.output<typeof complaintBody> & { channel: ComplaintChannel };

export const complaintIdPath = z.object({
  complaintId: z.string().regex(/^cmp-[a-f0-9]{24}$/, { error: '举报投诉编号格式不正确' }),
});
export const complaintStatusQuery = z.object({
  code: z
    .string()
    .regex(/^[A-Z0-9]{8}$/, { error: '查询码应为8位字母或数字' })
    .describe('受理时给出的查询码'),
});
export const complaintStatsQuery = z
  .object({
    regionCode: regionCode.describe('行政区划代码：省、市的代码包括其下各县；须在本人管辖范围内'),
    from: isoDate.describe('受理日期起（北京时间，含当日）'),
    to: isoDate.describe('受理日期止（北京时间，含当日）'),
  })
  .refine((q) => q.from <= q.to, { error: '截止日期不能早于起始日期', path: ['to'] });
