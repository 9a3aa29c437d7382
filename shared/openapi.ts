/**
 * The API's response shapes, as zod schemas: the single source for the OpenAPI document
 * (`functions/http/openapi.ts`), for the types the web pages read responses with (`web/src/`),
 * and for the integration test that checks real responses against the document. Request shapes
 * are not here: they are the handlers' own schemas (`shared/schemas/`, `functions/http/*.ts`).
 *
 * Browser-safe: imports zod and nothing that touches Node or AWS. Objects are closed
 * (`additionalProperties: false` in the document), so a field a handler adds without documenting
 * it here fails the response test, which names it.
 */
import { z } from 'zod';
import { appealChannels, appealOutcomes } from './domain/appeals.ts';
import { specialItems } from './domain/special-assistance.ts';
import { reviewDeadlineView } from './schemas/cases.ts';

const money = z.number().describe('元');
const nullableMoney = money.nullable();
const instant = z.string().describe('ISO 8601 时间（UTC）');
const day = z.string().describe('日期 YYYY-MM-DD（北京时间）');

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('机器可读的错误代码，如 ValidationError、NotFound、Conflict'),
      message: z.string().describe('中文说明'),
      fields: z
        .array(
          z.object({
            field: z.string().describe('出错字段的路径，如 members.0.idNumber'),
            message: z.string().describe('中文说明'),
          }),
        )
        .optional()
        .describe('请求内容有误时，逐项列出出错字段'),
    }),
  })
  .meta({ title: '错误' });

/** The statuses of an application; `functions/http/applications.ts` labels each (a test keeps both in step). */
export const applicationStatuses = [
  'submitted',
  'underReview',
  'publicNotice',
  'approved',
  'refused',
  'withdrawn',
] as const;

export const reasonSummary = z.object({
  code: z.string(),
  message: z.string().describe('中文理由，可直接用于告知书'),
  clause: z.string().describe('所依据的条款'),
});

export const meansTestSummary = z
  .object({
    tier: z.string().describe('核查结论：dibao、tekun、marginal、rigidExpense、notEligible 等'),
    eligible: z.boolean().describe('是否符合所申请的类别'),
    monthlyAmount: nullableMoney.describe('每月救助金（元）；不定期发放的类别为 null'),
    perCapitaMonthlyIncome: money,
    parameterVersion: z.string().describe('所用救助参数的版本'),
    reasons: z.array(reasonSummary),
    alternative: z
      .object({ tier: z.string(), monthlyAmount: nullableMoney })
      .optional()
      .describe('经申请人同意可予认定的其他类别'),
  })
  .meta({ title: '家庭经济状况核查摘要' });

export const notice = z
  .object({
    noticeId: z.string(),
    kind: z.enum(['approval', 'refusal', 'withdrawal']),
    title: z.string(),
    body: z.string(),
    reasons: z.array(z.string()).describe('中文理由'),
    decidedAt: instant,
    serveBy: day.describe('书面告知的送达期限（不予确认：决定后3个工作日内）'),
    serveByProvisional: z
      .boolean()
      .optional()
      .describe('送达期限所在年度的节假日安排尚未载入，暂按周末和法定节假日计算（不含调休）'),
    remedy: z
      .string()
      .optional()
      .describe('救济途径（不予确认、调减、终止等不利决定必载：行政复议或行政诉讼，社会救助法第七十六条）'),
    specialAnswers: z
      .array(
        z.object({
          item: z.enum(specialItems),
          itemLabel: z.string(),
          granted: z.boolean(),
          text: z.string().describe('给予的对象、内容和办理部门，或不予给予的理由'),
        }),
      )
      .optional()
      .describe('对申请时一并提出的专项救助逐项答复（一次申请、分类审核认定）'),
  })
  .meta({ title: '告知书' });

export const determination = z
  .object({
    outcome: z.enum(['approved', 'refused', 'withdrawn']),
    tier: z.string().nullable(),
    monthlyAmount: nullableMoney,
    decidedAt: instant,
    nextRecheckDue: day.optional().describe('确认救助后首次定期核查/年度复核的日期'),
  })
  .meta({ title: '确认结果' });

export const publicNotice = z
  .object({
    round: z.number().int().describe('审核轮次：公示有异议的，重新调查后再次公示'),
    startsOn: day,
    endsOn: day.describe('公示期最后一日（自然日计算，遇休息日顺延）'),
    status: z.enum(['open', 'closed']),
    objections: z.array(
      z
        .object({ objectionId: z.string(), reason: z.string(), raisedAt: instant })
        .describe('异议（不公开异议人）'),
    ),
  })
  .meta({ title: '公示' });

export const consent = z
  .object({
    offeredTier: z.string().describe('可按其认定的其他类别'),
    offeredMonthlyAmount: nullableMoney,
    offeredAt: instant,
    status: z.enum(['offered', 'given', 'declined', 'lapsed']).describe('待答复、已同意、不同意、逾期未答复'),
    answeredAt: instant.optional(),
    determineBy: day.optional().describe('同意后的认定期限（工作日计算）'),
    determinedAt: instant.optional(),
  })
  .meta({ title: '按其他类别认定的同意' });

export const objectionCreated = z
  .object({
    applicationId: z.string(),
    objectionId: z.string(),
    round: z.number().int(),
    raisedAt: instant,
    publicNoticeEndsOn: day,
  })
  .meta({ title: '已受理的异议' });

export const consentAnswered = z
  .object({ applicationId: z.string(), consent })
  .meta({ title: '已记录的答复' });

export const submitResponse = z
  .object({
    applicationId: z.string(),
    caseId: z.string(),
    status: z.enum(applicationStatuses),
  })
  .meta({ title: '已受理的申请' });

export const applicationView = z
  .object({
    applicationId: z.string(),
    caseId: z.string(),
    status: z.enum(applicationStatuses),
    statusLabel: z.string().describe('状态的中文名称'),
    requestedTier: z.string(),
    submittedAt: instant,
    tier: z.string().nullable(),
    monthlyAmount: nullableMoney,
    meansTest: meansTestSummary.nullable(),
    determination: determination.nullable(),
    notice: notice.nullable(),
    publicNotice: publicNotice.nullable(),
    reviewDeadline: reviewDeadlineView.nullable().describe('审核确认时限（受理后核查完成时确定）'),
    decisionLevel: z
      .enum(['county', 'township'])
      .nullable()
      .describe(
        '作出确认决定的层级（社会救助法第四十四条）：county 县级民政部门；township 经省级规定由乡镇（街道）确认。核查前为 null',
      ),
    hearing: z
      .object({
        hearingId: z.string(),
        status: z.enum(['open', 'answered', 'lapsed']).describe('待陈述、已陈述、逾期未陈述'),
        proposal: z.string().describe('拟作的决定，如 拟停止最低生活保障'),
        reasons: z.array(z.string()),
        answerBy: day.describe('陈述意见的截止日期'),
        answer: z
          .object({
            opinion: z.enum(['agree', 'object', 'none']),
            statement: z.string(),
            channel: z.enum(['online', 'visit']).nullable(),
            answeredAt: instant,
          })
          .nullable(),
      })
      .nullable()
      .describe('最近一次拟调减、停止救助前的听取意见（社会救助法第四十八条）；没有的为 null'),
    consent: consent.nullable(),
    specialAssistance: z
      .object({
        decidedAt: instant.describe('所依据的决定时间'),
        tier: z.string().nullable().describe('救助类别；救助终止后为 null'),
        items: z.array(
          z.object({
            item: z.enum(specialItems),
            itemLabel: z.string(),
            department: z.string().describe('主管部门'),
            departmentLabel: z.string(),
            member: z.string().nullable().describe('所及家庭成员；住房救助等按户给予的为 null'),
            benefit: z.string().describe('救助内容'),
            clause: z.string().describe('依据'),
          }),
        ),
      })
      .nullable()
      .describe(
        '专项救助：救助类别对应的医疗、教育、住房、就业等救助项目及主管部门（社会救助法第二十四条至第二十七条）；未确认救助的为 null',
      ),
    appeals: z
      .array(
        z.object({
          appealId: z.string(),
          noticeTitle: z.string().describe('被申请复议或起诉的决定'),
          channel: z.enum(appealChannels),
          channelLabel: z.string().describe('行政复议 或 行政诉讼'),
          outcome: z.enum(appealOutcomes),
          outcomeLabel: z.string(),
          decidedOn: day,
          authority: z.string().describe('复议机关或人民法院'),
          documentNumber: z.string(),
        }),
      )
      .describe('本案件决定的行政复议、行政诉讼结果（社会救助法第七十六条），先记录的在前'),
    members: z.array(
      z.object({
        name: z.string(),
        relation: z.string(),
        idNumber: z.string().describe('已脱敏，如 430121********0117'),
      }),
    ),
  })
  .meta({ title: '申请状态与告知' });

/** 入户调查、信息核对情况 as recorded with a decision. */
const findingsView = z.object({
  homeVisit: z
    .object({
      visitedOn: day,
      visitors: z.array(z.string()),
      matchesDeclaration: z.boolean(),
      notes: z.string().optional(),
    })
    .optional(),
  verifications: z
    .array(
      z.object({
        source: z.string(),
        result: z.enum(['consistent', 'inconsistent']),
        notes: z.string().optional(),
      }),
    )
    .optional(),
});

/** One level's opinion as the other level's task shows it. */
const taskOpinion = z.object({
  decision: z.enum(['approve', 'reject', 'dismiss']),
  reasons: z.array(z.string()),
  decidedAt: instant,
  decidedBy: z.string().describe('决定人（显示名）'),
  findings: findingsView.optional(),
});

export const task = z
  .object({
    taskId: z.string(),
    kind: z
      .enum([
        'townshipReview',
        'countyDetermination',
        'recheckConfirmation',
        'endNoticeReview',
        'emergencyGrant',
        'emergencyPaperwork',
        'emergencyReview',
        'emergencyAssessment',
        'monitoringVerification',
        'payrollApproval',
        'payeeAccountFix',
        'outreach',
        'complaintReview',
      ])
      .describe(
        '乡镇（街道）审核、县级确认、定期核查确认、终止特困供养公示异议的县级核实、临时救助先行救助、临时救助补办手续、支出型临时救助的乡镇审核、临时救助的县级审核（超出先行救助的部分或支出型）、动态监测预警的入户核查、发放名册审批、发放失败的收款账户核实、主动发现的家庭（联系并协助申请），或举报投诉的核实处理（县级）',
      ),
    status: z.enum(['open', 'escalated', 'decided']).describe('待办、逾期已督办（仍可决定）、已决定'),
    round: z.number().int().describe('审核轮次'),
    applicationId: z
      .string()
      .describe('所办理的申请；入户核查任务为所核查的预警编号；资金发放任务为发放名册编号'),
    caseId: z.string().describe('案件编号；入户核查任务为该户的救助链编号；名册审批任务为名册的审计链编号'),
    township: z.string(),
    createdAt: instant,
    dueDate: day.describe('办理期限（按工作日计算；督办后为督办期限）'),
    dueDateProvisional: z
      .boolean()
      .optional()
      .describe('期限所在年度的节假日安排尚未载入，暂按周末和法定节假日计算（不含调休）'),
    meansTest: meansTestSummary.optional().describe('家庭经济状况核查摘要（入户核查任务没有）'),
    warning: z
      .object({
        warningId: z.string(),
        riskType: z.string(),
        department: z.string(),
        subject: z.string().nullable().describe('涉及人员（身份证号已脱敏）'),
        message: z.string(),
        householdId: z.string().nullable(),
      })
      .optional()
      .describe('入户核查任务：所核查的动态监测预警'),
    emergency: z
      .object({
        requestedAmount: z.number(),
        grantedAmount: z.number().optional().describe('补办手续任务、超出部分审核任务：已先行救助的金额'),
        smallAmountLimit: z.number().optional().describe('当地先行救助上限'),
        householdLimit: z
          .object({
            amount: z.number(),
            months: z.number(),
            since: instant,
            granted: z.number(),
            remaining: z.number(),
          })
          .optional()
          .describe('家庭一定期限内的临时救助累计上限及已救助金额'),
        maxAmount: z
          .number()
          .optional()
          .describe(
            '先行救助任务：本次最多可先行救助的金额；超出部分审核任务：最多可再给予的金额（家庭期限内累计上限的剩余额度，不受先行救助上限限制）',
          ),
        expenditure: z
          .object({
            eligible: z.boolean(),
            spending: z.number().describe('近12个月医疗、教育、残疾康复等必需支出'),
            income12Months: z.number().describe('近12个月家庭收入'),
            perCapitaMonthlyAfterSpending: z.number().describe('扣除必需支出后的家庭人均月收入'),
            line: z.number().describe('当地低保边缘家庭认定标准（人均月收入）'),
            assetsWithin: z.boolean().describe('家庭财产是否符合低保边缘家庭的规定'),
            reasons: z.array(z.string()),
          })
          .optional()
          .describe('支出型临时救助：扣除突发的必需支出后的家庭经济状况'),
        review: taskOpinion.optional().describe('支出型临时救助的县级审核：乡镇（街道）的审核意见'),
        hardship: z.string().nullable().optional().describe('急难情况说明（只向办理的经办人显示）'),
      })
      .optional()
      .describe('临时救助任务：申请金额与额度'),
    payment: z
      .object({
        rollId: z.string().describe('发放名册编号'),
        month: z.string().describe('名册月份（YYYY-MM）'),
        regionCode: z.string().describe('名册所属县级行政区划'),
        lines: z.number().int().optional().describe('名册审批：户数'),
        amount: z.number().optional().describe('名册审批：合计金额；账户核实：未发放的金额（元）'),
        preparedBy: z.string().optional().describe('名册审批：编制人（按月自动计算、尚未核对提交的没有）'),
        months: z.array(z.string()).optional().describe('账户核实：未发放的月份'),
        reason: z.string().optional().describe('账户核实：银行退回原因，或未登记收款账户'),
      })
      .optional()
      .describe('资金发放任务：名册审批（另一名县级工作人员），或发放失败、须登记正确收款账户的家庭（乡镇）'),
    complaint: z
      .object({
        complaintId: z.string().describe('举报投诉编号（GET /complaints/{complaintId} 查阅内容）'),
        kind: z.string(),
        kindLabel: z.string(),
        channel: z.string(),
        channelLabel: z.string(),
      })
      .optional()
      .describe('举报投诉任务：核实处理，同意为经核实属实（写明处理），不同意为经核实不属实（写明理由）'),
    outreach: z
      .object({
        discoveryId: z
          .string()
          .describe('发现记录编号（GET /discoveries/{discoveryId} 查看住址、情况和联系人）'),
        source: z.string(),
        sourceLabel: z.string().describe('发现方式'),
        urgency: z
          .enum(['urgent', 'normal'])
          .describe('urgent 紧急（1个工作日内联系）、normal 一般（5个工作日内）'),
        summary: z.string().describe('发现的情况摘要（不含姓名和号码）'),
        warningId: z.string().optional().describe('由动态监测疑似漏保预警而来的，其预警编号'),
      })
      .optional()
      .describe('主动发现任务：联系该户，告知政策并协助申请；同意时填写申请编号，未申请的写明原因'),
    homeCheck: z
      .object({
        required: z.boolean(),
        reasons: z.array(z.enum(['tekunDraw', 'relative', 'committeeRelative'])),
        draw: z
          .object({ value: z.number(), share: z.number(), method: z.string() })
          .optional()
          .describe('特困人员认定的随机抽查：抽签值、抽查比例与可复算的方法'),
      })
      .optional()
      .describe('县级确认任务：须县级入户核查后决定的（特困随机抽中、经办人员或村（居）委会成员近亲属备案）'),
    objections: z
      .array(z.object({ reason: z.string(), raisedAt: instant }))
      .optional()
      .describe('上一轮公示收到的异议：重新调查后同意或不同意，或认定异议不成立（dismiss，须写明理由）'),
    proposal: taskOpinion
      .optional()
      .describe(
        '县级确认任务：乡镇（街道）拟不予确认的审核意见（社会救助法第四十四条）；县级同意申请的，家庭经济状况符合条件时退回乡镇重新审核并公示',
      ),
    returned: taskOpinion
      .optional()
      .describe('乡镇审核任务：县级不同意乡镇拟不予确认意见、退回重新审核的意见'),
    reopened: z
      .object({ appealId: z.string(), summary: z.string().describe('复议、诉讼结果') })
      .optional()
      .describe('原不予确认决定经行政复议或行政诉讼撤销、重新审核的（社会救助法第七十六条）'),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .optional()
      .describe('逾期督办记录'),
    decision: z
      .object({
        decision: z.enum(['approve', 'reject', 'dismiss']),
        reasons: z.array(z.string()),
        amount: z
          .number()
          .optional()
          .describe('先行救助任务：决定先行救助的金额；超出部分审核任务：决定再给予的金额'),
        decidedAt: instant,
        decidedBy: z.string().describe('决定人（显示名）'),
        decidedByActor: z
          .object({ subject: z.string(), name: z.string(), role: z.string() })
          .optional()
          .describe('决定人的登录身份：用户编号、姓名、角色'),
        standAside: z
          .array(z.object({ subject: z.string(), name: z.string(), relation: z.string() }))
          .optional()
          .describe('因近亲属关系回避的工作人员（近亲属备案）'),
        findings: findingsView.optional(),
      })
      .optional(),
  })
  .meta({ title: '经办任务' });

export const taskList = z.object({ township: z.string(), tasks: z.array(task) }).meta({ title: '待办任务' });

export const historyEvent = z.object({
  id: z.number().int(),
  type: z.string().describe('Step Functions 事件类型，如 TaskStateEntered'),
  timestamp: instant,
  state: z.string().optional(),
});

export const auditLog = z
  .object({
    caseId: z.string(),
    verification: z
      .union([
        z.object({ chainValid: z.literal(true), entries: z.number().int(), headHash: z.string() }),
        z.object({
          chainValid: z.literal(false),
          entries: z.number().int(),
          brokenAt: z.number().int().describe('自第几条起不再相符'),
          reason: z.string().describe('不相符的原因（中文）'),
        }),
      ])
      .and(
        z.object({
          valid: z.boolean().describe('哈希链完整、与链外锚定一致且发放记录相符'),
          anchor: z
            .object({
              status: z.enum(['holds', 'none', 'rewritten', 'truncated']),
              anchors: z.number().int(),
              latest: z.object({ seq: z.number().int(), hash: z.string() }).optional(),
              reason: z.string().optional(),
            })
            .describe('与归档桶中锚定的链头比对：none 为尚未锚定，rewritten 为被改写，truncated 为被截断'),
          ledger: z
            .object({
              holds: z.boolean(),
              payments: z.number().int(),
              preCoverage: z.number().int().describe('账目字段纳入哈希之前的记录条数'),
              mismatches: z.array(z.string()),
            })
            .describe('发放记录与审计日志记录的金额、摘要是否相符'),
        }),
      ),
    entries: z.array(
      z.object({
        seq: z.number().int(),
        at: instant,
        actor: z.object({ name: z.string(), role: z.string() }).describe('操作人（系统步骤为“系统”）'),
        action: z.string(),
        actionLabel: z.string(),
        summary: z.string(),
        refs: z.record(z.string(), z.string()),
        prevHash: z.string(),
        hash: z.string(),
      }),
    ),
  })
  .meta({ title: '审计日志' });

export const caseHistory = z
  .object({
    caseId: z.string(),
    executions: z.array(
      z.object({
        workflow: z.string(),
        executionArn: z.string(),
        status: z.string().describe('RUNNING、SUCCEEDED、FAILED…'),
        startDate: instant,
        stopDate: instant.nullable(),
        archived: z.boolean().describe('已归档：历史取自长期归档（S3），不依赖 Step Functions 的90天保留'),
        states: z.array(z.string()),
        events: z.array(historyEvent),
      }),
    ),
  })
  .meta({ title: '案件执行历史' });

const taskKinds = z.enum(['townshipReview', 'countyDetermination']).describe('乡镇（街道）审核或县级确认');
const decider = z
  .object({
    subject: z.string().optional().describe('用户编号'),
    name: z.string().describe('姓名'),
    role: z.string().optional().describe('角色'),
  })
  .describe('作出决定的人');

export const auditTask = z
  .object({
    taskId: z.string(),
    kind: taskKinds,
    round: z.number().int().describe('审核轮次'),
    createdAt: instant,
    dueDate: day.describe('任务开启时的办理期限（按工作日计算）'),
    dueDateProvisional: z
      .boolean()
      .optional()
      .describe('期限所在年度的节假日安排尚未载入，暂按周末和法定节假日计算（不含调休）'),
    currentDueDate: day.describe('现行期限：督办后为督办期限，否则同 dueDate'),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .describe('逾期督办记录'),
    escalated: z.boolean().describe('是否曾逾期督办'),
    decidedAt: instant.optional().describe('决定时间；未决定的没有此项'),
    decision: z.enum(['approve', 'reject', 'dismiss']).optional(),
    decidedBy: decider.optional(),
    onTime: z.boolean().nullable().describe('是否按时：决定日（北京时间）不晚于 dueDate；尚未决定的为 null'),
    overdue: z.boolean().describe('尚未决定且已过现行期限'),
  })
  .meta({ title: '任务办理时限' });

export const auditSearchResult = z
  .object({
    regionCode: z.string(),
    filters: z.object({
      status: z.enum(applicationStatuses).optional(),
      caseworker: z.string().optional(),
      relatives: z.boolean().optional(),
      from: day.optional(),
      to: day.optional(),
    }),
    count: z.number().int(),
    truncated: z.boolean().describe('符合条件的申请多于 limit，仅返回最新的 limit 件'),
    compliance: z
      .object({
        tasks: z.number().int(),
        decided: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int().describe('决定晚于原定期限的'),
        escalated: z.number().int(),
        open: z.number().int(),
        overdue: z.number().int(),
        onTimeShare: z.number().nullable().describe('按时决定的比例（0–1）；尚无决定的为 null'),
        reviews: z
          .object({
            determined: z.number().int(),
            withinDeadline: z.number().int(),
            late: z.number().int(),
            overdue: z.number().int().describe('尚未决定且已超过审核确认时限'),
            extended: z.number().int(),
          })
          .describe('审核确认全程时限（受理至决定，按工作日）的统计'),
      })
      .describe('所列申请全部任务的办理时限统计'),
    applications: z.array(
      z
        .object({
          applicationId: z.string(),
          caseId: z.string(),
          regionCode: z.string(),
          status: z.enum(applicationStatuses),
          statusLabel: z.string(),
          requestedTier: z.string(),
          tier: z.string().nullable().describe('认定类别；尚未认定的为 null'),
          submittedAt: instant,
          determinedAt: instant.nullable().describe('确认（认定）时间'),
          decidedBy: z.array(decider).describe('对本申请任务作出决定的人'),
          reviewDeadline: reviewDeadlineView.nullable().describe('审核确认全程时限；受理核查前为 null'),
          relativesRegistered: z
            .boolean()
            .describe('单独登记备案：家庭成员与经办人员或村（居）委会成员有近亲属关系（57号第十一条）'),
          tasks: z.array(auditTask),
        })
        .describe('申请（不含家庭成员姓名和身份证号）'),
    ),
  })
  .meta({ title: '案件检索结果' });

const reason = z.object({
  code: z.string(),
  message: z.string(),
  clause: z.string(),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});

const tierOutcome = z.object({
  tier: z.string(),
  monthlyAmount: nullableMoney,
  reasons: z.array(reason),
  coveredMembers: z.array(z.string()).optional(),
});

const assetCheck = z.object({
  within: z.boolean(),
  deposits: z.object({ value: money, limit: money, within: z.boolean() }),
  vehicles: z.object({
    count: z.number().int(),
    value: money,
    maxCount: z.number().int(),
    maxValue: nullableMoney,
    within: z.boolean(),
  }),
  housing: z.object({ units: z.number().int(), max: z.number().int(), within: z.boolean() }),
});

export const meansTestResult = z
  .object({
    tier: z.string(),
    eligible: z.boolean(),
    monthlyAmount: nullableMoney,
    perCapitaMonthlyIncome: money,
    reasons: z.array(reason),
    parameterVersion: z.string(),
    alternative: tierOutcome.optional(),
    coveredMembers: z.array(z.string()).optional(),
    classification: z.string().describe('仅按核查结果的分层，与申请类别无关'),
    requestedTier: z.string().nullable(),
    relapseWatch: z.boolean(),
    asOf: day,
    regionCode: z.string(),
    residence: z.enum(['urban', 'rural']),
    sampleParameters: z.boolean().describe('为 true 时使用的是示例参数，结果仅供演示'),
    income: z.object({
      householdSize: z.number().int(),
      grossMonthlyIncome: money,
      excludedMonthlyIncome: money,
      employmentCostDeduction: money,
      illnessDisabilityDeduction: money.describe('因残疾、患重病增加的刚性支出扣减（地方允许时）'),
      countedMonthlyIncome: money,
      perCapitaMonthlyIncome: money,
      tekunCountedMonthlyIncome: money.describe('按特困人员收入认定口径（43号第六条）计入的家庭月收入'),
      byKind: z.record(z.string(), money),
    }),
    lines: z.object({
      dibaoStandard: money,
      tekunBasicLivingStandard: money,
      marginalMultiple: z.number(),
      marginalLine: money,
      priorYearDisposableIncome: money,
      disposableIncomeMonthlyLine: money,
    }),
    assets: z.record(z.string(), assetCheck),
    rigidExpense: z.object({
      medical: money,
      education: money,
      rehabilitation: money,
      other: money,
      living: money.describe('按县级规定计入的生活支出'),
      spending: money,
      income12Months: money,
      ratio: z.number().nullable(),
      thresholdRatio: z.number(),
      overRatio: z.boolean(),
    }),
    recheckIntervalMonths: z.number().int().nullable(),
    gradualExitMonths: z.number().int().nullable(),
    emergency: z.object({ smallAmountLimit: money, clause: z.string() }).optional(),
    parameterClauses: z.record(z.string(), z.string()),
  })
  .meta({ title: '家庭经济状况试算结果' });

export const healthResponse = z.object({ status: z.literal('ok'), service: z.literal('doudi') });

export const deadlineResponse = z.object({
  from: day,
  workingDays: z.number().int(),
  deadline: day.describe('期限届满日：起算日不计入，遇休息日顺延'),
});

export const parameterVersionCreated = z.object({
  versionId: z.string(),
  regionCode: z.string(),
  residence: z.enum(['urban', 'rural']),
  effectiveFrom: day,
});

/** A parameter version above a province's ceiling that waits for a second, provincial administrator. */
export const parameterVersionPending = z.object({
  versionId: z.string(),
  status: z.literal('pendingConfirmation'),
  message: z.string().describe('须复核的原因及确认方式'),
  proposedBy: z.string().describe('提出的管理员'),
  aboveCeiling: z
    .array(
      z.object({
        regionCode: z.string(),
        residence: z.enum(['urban', 'rural']),
        asOf: day,
        emergencySmallAmount: z.number().describe('先行救助上限'),
        emergencySmallAmountCeiling: z.number().describe('省级封顶'),
      }),
    )
    .describe('先行救助上限将高于省级封顶的行政区划'),
});

export const calendarCreated = z.object({
  year: z.number().int(),
  holidays: z.number().int().describe('放假时段数'),
  adjustedWorkdays: z.number().int().describe('调休上班日数'),
});

/** A load of the holiday calendar that waits for a second national administrator. */
export const calendarPending = z.object({
  year: z.number().int(),
  status: z.literal('pendingConfirmation'),
  message: z.string().describe('须复核的原因及确认方式'),
  proposedBy: z.string().describe('提出的管理员'),
  removes: z
    .object({
      adjustedWorkdays: z.array(z.string()).describe('将被取消的调休上班日'),
      holidays: z.array(z.string()).describe('将被取消的放假日'),
      holidaysInForce: z.number().int().describe('现行安排的放假日数'),
    })
    .describe('此次载入将取消的内容'),
});

export type ErrorResponse = z.infer<typeof errorResponse>;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export type MeansTestSummary = z.infer<typeof meansTestSummary>;
export type Notice = z.infer<typeof notice>;
export type PublicNotice = z.infer<typeof publicNotice>;
export type Consent = z.infer<typeof consent>;
export type SubmitResponse = z.infer<typeof submitResponse>;
export type ApplicationView = z.infer<typeof applicationView>;
export type Task = z.infer<typeof task>;
export type TaskList = z.infer<typeof taskList>;
export type CaseHistory = z.infer<typeof caseHistory>;
export type AuditSearchResult = z.infer<typeof auditSearchResult>;
export type AuditTask = z.infer<typeof auditTask>;
export type HistoryEvent = z.infer<typeof historyEvent>;
export type MeansTestResult = z.infer<typeof meansTestResult>;
export type DeadlineResponse = z.infer<typeof deadlineResponse>;

// ── 动态监测 ─────────────────────────────────────────────────────────────────────────────────────

const warningStatusValues = ['pushed', 'escalated', 'answered'] as const;

export const warningView = z
  .object({
    warningId: z.string().describe('预警编号：同一记录、规则和家庭在任何一次比对中都相同'),
    riskType: z
      .string()
      .describe(
        '风险类型：illness、schooling、disability、unemployment、disaster、death、incomeChange、duplicateAssistance、omission',
      ),
    riskTypeLabel: z.string().describe('风险类型（中文）'),
    cause: z.string().nullable().describe('疑似漏保的致困原因（如因病）；其他为 null'),
    ruleId: z.string().describe('触发的指标'),
    department: z.string().describe('推送的部门'),
    departmentLabel: z.string(),
    homeCheck: z.boolean().describe('需乡镇（街道）入户核查'),
    scope: z.enum(['inside', 'outside']).describe('inside 在保家庭；outside 不在保或不在名单'),
    householdId: z.string().nullable(),
    caseId: z.string().nullable(),
    chainId: z.string().describe('该户的救助链（案件编号，或名单户、人员的链编号）'),
    regionCode: z.string().describe('适用指标的县级行政区划'),
    source: z.string().describe('来源部门数据（或 register：名单比对）'),
    recordId: z.string().nullable().describe('来源部门的记录编号'),
    eventDate: day.nullable(),
    subject: z.string().nullable().describe('涉及人员（身份证号已脱敏）'),
    message: z.string().describe('预警内容（中文，含比对数值、阈值与依据）'),
    clause: z.string().describe('依据条款'),
    indicatorVersion: z.string(),
    sampleData: z.boolean().describe('为 true 时指标为示例数据，不得用于实际决定'),
    asOf: day.describe('比对日期'),
    runId: z.string().describe('产生该预警的比对'),
    raisedAt: instant,
    status: z.enum(warningStatusValues).describe('pushed 待反馈、escalated 逾期已督办、answered 已反馈'),
    statusLabel: z.string(),
    dueDate: day.describe('反馈期限（工作日计算；督办后为督办期限）'),
    dueDateProvisional: z.boolean().optional(),
    feedbackWorkingDays: z.number().int().describe('反馈时限（工作日）'),
    feedbackClause: z.string().describe('反馈时限的依据'),
    pushedAt: instant.optional().describe('推送到部门队列的时间'),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .describe('逾期督办记录'),
    feedback: z
      .object({
        result: z.string(),
        resultLabel: z.string(),
        measures: z.string(),
        assistance: z.array(z.string()),
        amount: money.optional(),
        handledOn: day,
        answeredAt: instant,
        answeredBy: z.object({ name: z.string(), role: z.string() }),
        late: z.boolean().describe('逾期反馈：晚于反馈期限（已督办的均为逾期）'),
      })
      .optional()
      .describe('部门反馈的处置情况'),
    verification: z
      .object({
        taskId: z.string(),
        dueDate: day,
        status: z.enum(['open', 'decided']),
        decision: z
          .object({
            decision: z.enum(['approve', 'reject']).describe('approve 核查属实；reject 核查不属实'),
            reasons: z.array(z.string()),
            decidedAt: instant,
            decidedBy: z.string(),
          })
          .optional(),
      })
      .optional()
      .describe('乡镇（街道）入户核查'),
  })
  .meta({ title: '动态监测预警' });

export const warningList = z
  .object({
    regionCode: z.string(),
    department: z.string().nullable().describe('所查部门；未指定时为全部部门'),
    status: z.enum(warningStatusValues).nullable(),
    count: z.number().int().describe('符合条件的预警数'),
    truncated: z.boolean().describe('多于 limit，仅返回最新的 limit 条'),
    warnings: z.array(warningView),
  })
  .meta({ title: '动态监测预警列表' });

const demandStatusValues = ['pending', 'pushed', 'escalated', 'answered'] as const;

export const demandView = z
  .object({
    demandId: z.string().describe('需求编号：同一决定、项目和成员始终相同'),
    kind: z.enum(['start', 'end']).describe('start 新增；end 停止'),
    kindLabel: z.string(),
    caseId: z.string().describe('案件编号（该户的救助链）'),
    regionCode: z.string(),
    department: z.string().describe('办理的部门'),
    departmentLabel: z.string(),
    item: z.enum(specialItems),
    itemLabel: z.string(),
    member: z.number().int().nullable().describe('涉及的家庭成员在申报中的序号（从0起）；全户的为 null'),
    subject: z.string().describe('涉及人员（身份证号已脱敏）；全户的为申请人'),
    person: z
      .object({ name: z.string(), idNumber: z.string() })
      .optional()
      .describe('涉及人员的姓名和身份证号：仅在本部门工作人员查看单条需求时给出，并记入救助链'),
    benefit: z.string().describe('给予的内容'),
    clause: z.string().describe('依据'),
    tier: z.string().nullable().describe('决定后的救助类别；救助终止的为 null'),
    tierLabel: z.string().nullable(),
    cause: z.string().describe('引起变化的决定（认定、调整、终止等）'),
    decidedAt: instant,
    createdAt: instant,
    status: z
      .enum(demandStatusValues)
      .describe('pending 待推送、pushed 待反馈、escalated 逾期已督办、answered 已反馈'),
    statusLabel: z.string(),
    pushedAt: instant.optional(),
    dueDate: day.optional().describe('反馈期限（推送之日起的工作日；督办后为督办期限）'),
    dueDateProvisional: z.boolean().optional(),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .describe('逾期督办记录'),
    feedback: z
      .object({
        result: z.string(),
        resultLabel: z.string(),
        measures: z.string(),
        handledOn: day,
        answeredAt: instant,
        answeredBy: z.object({ name: z.string(), role: z.string() }),
        late: z.boolean(),
      })
      .optional()
      .describe('部门反馈的办理结果'),
  })
  .meta({ title: '专项救助需求（需求推送）' });

export const demandList = z
  .object({
    regionCode: z.string(),
    department: z.string().nullable().describe('所查部门；未指定时为全部部门'),
    status: z.enum(demandStatusValues).nullable(),
    count: z.number().int(),
    truncated: z.boolean().describe('多于 limit，仅返回最新的 limit 条'),
    demands: z.array(demandView),
  })
  .meta({ title: '专项救助需求列表' });

export const changeListView = z
  .object({
    department: z.string(),
    departmentLabel: z.string(),
    regionCode: z.string(),
    month: z.string(),
    final: z.boolean().describe('该月已结束：名单不会再变'),
    counts: z.object({ entered: z.number().int(), changed: z.number().int(), left: z.number().int() }),
    rows: z.array(
      z.object({
        change: z.enum(['entered', 'changed', 'left']).describe('entered 新增、changed 变更、left 减少'),
        changeLabel: z.string(),
        subject: z.string().describe('身份证号（已脱敏；完整号码在文件中）'),
        regionCode: z.string(),
        tier: z.string().nullable(),
        tierLabel: z.string(),
        started: z.array(z.string()).describe('新增的专项救助项目'),
        ended: z.array(z.string()).describe('停止的专项救助项目'),
        decidedOn: day,
      }),
    ),
    url: z.string().describe('下载文件的链接（5分钟内有效）'),
    expiresAt: instant,
  })
  .meta({ title: '增减变动名单' });

const discoveryFields = {
  discoveryId: z.string(),
  chainId: z.string().describe('发现记录的审计链'),
  regionCode: z.string(),
  source: z.enum(['visit', 'committee', 'other', 'warning']),
  sourceLabel: z.string(),
  reportedBy: z.string(),
  urgency: z.enum(['urgent', 'normal']),
  urgencyLabel: z.string(),
  recordedAt: instant,
  recordedBy: z.object({ name: z.string(), role: z.string() }),
  warningId: z.string().optional(),
  taskId: z.string().describe('乡镇（街道）联系并协助申请的任务'),
  dueDate: day.describe('联系期限（工作日）'),
  status: z.enum(['open', 'applied', 'closed']),
  statusLabel: z.string(),
  outcome: z
    .object({
      applicationId: z.string().nullable().describe('协助提出的申请；未申请的为 null'),
      reasons: z.array(z.string()),
      closedAt: instant,
      closedBy: z.object({ name: z.string(), role: z.string() }),
    })
    .optional(),
};

export const discoveryView = z
  .object({
    ...discoveryFields,
    detail: z
      .object({
        address: z.string(),
        observed: z.string(),
        contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).nullable(),
      })
      .optional()
      .describe('住址、发现的情况和联系人（加密保存，仅向经办人员显示）'),
  })
  .meta({ title: '主动发现' });

export const discoveryList = z
  .object({
    regionCode: z.string(),
    count: z.number().int(),
    discoveries: z.array(z.object(discoveryFields)),
  })
  .meta({ title: '主动发现记录' });

const complaintConclusion = z.object({
  substantiated: z.boolean().describe('经核实属实'),
  reasons: z.array(z.string()).describe('核实的情况和处理结果'),
  concludedAt: instant,
});

export const complaintReceipt = z
  .object({
    complaintId: z.string(),
    code: z.string().optional().describe('查询码：仅在受理时给出一次，凭编号和查询码查询处理结果'),
    kind: z.string(),
    kindLabel: z.string(),
    channel: z.string(),
    channelLabel: z.string(),
    receivedAt: instant,
    dueDate: day.describe('办结期限（工作日；督办后为督办期限）'),
    status: z.enum(['open', 'escalated', 'substantiated', 'unsubstantiated']),
    statusLabel: z.string(),
    conclusion: complaintConclusion.optional(),
    message: z.string(),
  })
  .meta({ title: '举报投诉受理回执' });

export const complaintFile = complaintReceipt
  .extend({
    taskId: z.string(),
    escalations: z.array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day })),
    content: z.string().describe('举报投诉的事项'),
    reporter: z
      .object({ name: z.string().optional(), phone: z.string().optional() })
      .nullable()
      .describe('举报人（匿名的为 null）；依法保密'),
  })
  .meta({ title: '举报投诉（县级核实处理用）' });

export const complaintStatsView = z
  .object({
    regionCode: z.string(),
    from: day,
    to: day,
    total: z.number().int(),
    byKind: z.array(z.object({ kind: z.string(), kindLabel: z.string(), count: z.number().int() })),
    byChannel: z.array(z.object({ channel: z.string(), channelLabel: z.string(), count: z.number().int() })),
    outcomes: z.object({
      open: z.number().int(),
      substantiated: z.number().int(),
      unsubstantiated: z.number().int(),
    }),
    timeliness: z
      .object({
        concludedOnTime: z.number().int(),
        concludedLate: z.number().int(),
        openOverdue: z.number().int(),
      })
      .describe('按期办结、逾期办结、逾期未办结'),
    byRegion: z.array(
      z.object({
        regionCode: z.string(),
        total: z.number().int(),
        open: z.number().int(),
        substantiated: z.number().int(),
        late: z.number().int(),
      }),
    ),
  })
  .meta({ title: '举报投诉统计' });

export const lookupResult = z
  .object({
    lookupId: z.string().describe('查询记录编号'),
    regionCode: z.string(),
    department: z.string(),
    departmentLabel: z.string(),
    purpose: z.string(),
    count: z.number().int().describe('查询人数'),
    found: z.number().int().describe('其中属于低收入人口的人数'),
    results: z.array(
      z.object({
        position: z.number().int().describe('在 idNumbers 中的位置（从0起）'),
        idNumber: z.string().describe('身份证号码（脱敏）'),
        inLowIncomePopulation: z
          .boolean()
          .describe('是否属于所查地区的低收入人口（不在所查地区或不在名单中的，一律为 false，不作区分）'),
        tier: z.string().optional().describe('认定类别'),
        tierLabel: z.string().optional(),
        status: z.string().optional().describe('救助状态：active 在保、gradualExit 渐退期、monitoring 监测'),
        statusLabel: z.string().optional(),
        since: day.nullable().optional().describe('认定日期（本系统办理的）'),
        until: day.nullable().optional().describe('下次定期核查日期：认定结果在此之前有效'),
        items: z
          .array(z.object({ item: z.string(), itemLabel: z.string(), benefit: z.string() }))
          .optional()
          .describe('本部门办理的专项救助项目（只含本部门的）'),
      }),
    ),
  })
  .meta({ title: '认定结果查询（结果互认）' });

export const lookupList = z
  .object({
    regionCode: z.string(),
    lookups: z.array(
      z.object({
        lookupId: z.string(),
        at: instant,
        by: z.object({ name: z.string(), role: z.string() }).describe('查询人'),
        department: z.string(),
        departmentLabel: z.string(),
        regionCode: z.string(),
        purpose: z.string(),
        count: z.number().int(),
        found: z.number().int(),
        people: z.number().int().describe('所查的不同人数（按身份证号码的盲索引记录，不保存号码）'),
      }),
    ),
  })
  .meta({ title: '认定结果查询记录' });

export const monitoringRunView = z
  .object({
    runId: z.string(),
    key: z.string().describe('接收桶中的对象：<部门数据>/<文件名>.csv|.jsonl'),
    feed: z.string().nullable(),
    format: z.string().nullable(),
    status: z
      .enum(['comparing', 'rejected', 'completed', 'failed'])
      .describe('比对中、对象不是部门数据、已完成、未完成（有数据块比对失败）'),
    failure: z
      .object({ error: z.string(), cause: z.string() })
      .optional()
      .describe('未完成的原因；报告只含已比对的块'),
    reason: z.string().optional().describe('未比对的原因'),
    asOf: day.describe('比对日期：适用当日有效的监测指标'),
    startedAt: instant,
    completedAt: instant.optional(),
    lines: z.number().int().optional(),
    chunks: z.number().int().optional(),
    regionCodes: z.array(z.string()).optional().describe('涉及的县级行政区划'),
    report: z
      .object({
        counts: z.object({
          lines: z.number().int().describe('读取的行数（含表头、空行）'),
          blank: z.number().int(),
          rows: z.number().int().describe('比对的合格行'),
          rejected: z.number().int().describe('不合格的行（含表头错误、日期晚于比对日期）'),
          matched: z.number().int().describe('在名单内的人员'),
          inside: z.number().int().describe('其中在保家庭的人员'),
          stale: z.number().int().describe('早于预警时效的记录'),
          warnings: z.number().int(),
        }),
        warnings: z.number().int(),
        newWarnings: z.number().int().describe('本次首次产生的预警（重复比对同一文件为0）'),
        byRiskType: z.record(z.string(), z.number().int()),
        byDepartment: z.record(z.string(), z.number().int()),
        rejections: z
          .array(z.object({ line: z.number().int().describe('行号（CSV 表头为第1行）'), reason: z.string() }))
          .describe('不合格的行及原因（前100条；全部见比对报告对象）'),
        rejectionsTruncated: z.boolean(),
        reportKey: z.string().describe('接收桶中的完整比对报告'),
      })
      .optional(),
  })
  .meta({ title: '动态监测比对' });

export const feedSchemasView = z
  .object({
    formats: z.array(z.string()),
    feeds: z.array(
      z.object({
        feed: z.string(),
        department: z.string(),
        description: z.string(),
        objectKey: z.string().describe('放入接收桶的路径'),
        csvHeader: z.string(),
        fields: z.array(
          z.object({ field: z.string(), type: z.string(), required: z.string(), description: z.string() }),
        ),
      }),
    ),
    text: z.string().describe('全部接口说明（纯文本，供发布给各部门）'),
  })
  .meta({ title: '部门数据接口说明' });

export const happinessListView = z
  .object({
    regionCode: z.string(),
    from: day,
    to: day,
    totals: z.object({
      households: z.number().int().describe('涉及的户（救助链）数'),
      payments: z.number().int(),
      paid: money.describe('发放总额'),
      determinations: z.number().int(),
      warningsAnswered: z.number().int(),
      demandsAnswered: z.number().int(),
    }),
    payments: z.array(
      z.object({
        paymentKind: z.string(),
        paymentKindLabel: z.string(),
        tier: z.string(),
        tierLabel: z.string(),
        count: z.number().int(),
        households: z.number().int(),
        amount: money,
      }),
    ),
    determinations: z.array(z.object({ tier: z.string(), tierLabel: z.string(), count: z.number().int() })),
    warningsAnswered: z.array(
      z.object({
        riskType: z.string(),
        riskTypeLabel: z.string(),
        department: z.string(),
        departmentLabel: z.string(),
        result: z.string(),
        resultLabel: z.string(),
        count: z.number().int(),
        amount: money,
        assistance: z.array(z.object({ type: z.string(), label: z.string(), count: z.number().int() })),
      }),
    ),
    demandsAnswered: z
      .array(
        z.object({
          department: z.string(),
          departmentLabel: z.string(),
          item: z.string(),
          itemLabel: z.string(),
          result: z.string(),
          resultLabel: z.string(),
          count: z.number().int(),
        }),
      )
      .describe('部门反馈的专项救助需求办理结果'),
    byRegion: z.array(
      z.object({
        regionCode: z.string(),
        households: z.number().int(),
        payments: z.number().int(),
        paid: money,
        determinations: z.number().int(),
        warningsAnswered: z.number().int(),
        demandsAnswered: z.number().int(),
      }),
    ),
  })
  .meta({ title: '幸福清单' });

export const registerLoaded = z
  .object({
    regionCode: z.string(),
    received: z.number().int(),
    loaded: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int().describe('households 中的序号（从0起）'),
        householdId: z.string().nullable(),
        reason: z.string(),
      }),
    ),
  })
  .meta({ title: '已载入的名单' });

export type WarningView = z.infer<typeof warningView>;
export type WarningList = z.infer<typeof warningList>;
export type DemandView = z.infer<typeof demandView>;
export type DemandList = z.infer<typeof demandList>;
export type ChangeList = z.infer<typeof changeListView>;
export type Discovery = z.infer<typeof discoveryView>;
export type ComplaintFile = z.infer<typeof complaintFile>;
export type ComplaintReceipt = z.infer<typeof complaintReceipt>;
export type LookupResult = z.infer<typeof lookupResult>;
export type HappinessListView = z.infer<typeof happinessListView>;
export type MonitoringRunView = z.infer<typeof monitoringRunView>;
