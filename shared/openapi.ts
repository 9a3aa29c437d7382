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
      .describe('送达期限所在年度的节假日安排尚未载入，暂按周一至周五计算'),
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
    consent: consent.nullable(),
    members: z.array(
      z.object({
        name: z.string(),
        relation: z.string(),
        idNumber: z.string().describe('已脱敏，如 430121********0117'),
      }),
    ),
  })
  .meta({ title: '申请状态与告知' });

export const task = z
  .object({
    taskId: z.string(),
    kind: z.enum(['townshipReview', 'countyDetermination']).describe('乡镇（街道）审核或县级确认'),
    status: z.enum(['open', 'escalated', 'decided']).describe('待办、逾期已督办（仍可决定）、已决定'),
    round: z.number().int().describe('审核轮次'),
    applicationId: z.string(),
    caseId: z.string(),
    township: z.string(),
    createdAt: instant,
    dueDate: day.describe('办理期限（按工作日计算；督办后为督办期限）'),
    dueDateProvisional: z
      .boolean()
      .optional()
      .describe('期限所在年度的节假日安排尚未载入，暂按周一至周五计算'),
    meansTest: meansTestSummary,
    objections: z
      .array(z.object({ reason: z.string(), raisedAt: instant }))
      .optional()
      .describe('上一轮公示收到的异议，需重新调查'),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .optional()
      .describe('逾期督办记录'),
    decision: z
      .object({
        decision: z.enum(['approve', 'reject']),
        reasons: z.array(z.string()),
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
        findings: z
          .object({
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
          })
          .optional(),
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
    verification: z.union([
      z.object({ valid: z.literal(true), entries: z.number().int(), headHash: z.string() }),
      z.object({
        valid: z.literal(false),
        entries: z.number().int(),
        brokenAt: z.number().int().describe('自第几条起不再相符'),
        reason: z.string().describe('不相符的原因（中文）'),
      }),
    ]),
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
      .describe('期限所在年度的节假日安排尚未载入，暂按周一至周五计算'),
    currentDueDate: day.describe('现行期限：督办后为督办期限，否则同 dueDate'),
    escalations: z
      .array(z.object({ escalatedAt: instant, overdueSince: day, newDueDate: day }))
      .describe('逾期督办记录'),
    escalated: z.boolean().describe('是否曾逾期督办'),
    decidedAt: instant.optional().describe('决定时间；未决定的没有此项'),
    decision: z.enum(['approve', 'reject']).optional(),
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
      countedMonthlyIncome: money,
      perCapitaMonthlyIncome: money,
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

export const calendarCreated = z.object({
  year: z.number().int(),
  holidays: z.number().int().describe('放假时段数'),
  adjustedWorkdays: z.number().int().describe('调休上班日数'),
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
