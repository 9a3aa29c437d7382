/**
 * Every Lambda function and every HTTP route, listed once. CDK creates one `NodejsFunction` per
 * entry with exactly the grants listed here; the local runtime imports the same handlers and maps
 * the same routes.
 */
import { feedNames } from '../shared/monitoring/vocabulary.ts';
import { departmentQueues } from '../shared/resources.ts';
import { workflows } from '../workflows/index.ts';

/** 分类推送: the queue of every department that receives warnings. */
const departmentQueueIds = Object.values(departmentQueues).map((q) => q.id);

/** Ids refer to `shared/resources.ts` (tables, queues, buckets) and `workflows/` (state machines); a test checks them. */
export type Grant =
  | { table: string; access: 'read' | 'readWrite' }
  | { queue: string; access: 'send' }
  /** `objects`: only the objects whose keys match this pattern (e.g. `audit-anchors/*`); reads then list nothing. */
  | { bucket: string; access: 'read' | 'write'; objects?: string }
  | { stateMachine: string; access: 'start' | 'read' | 'respond' }
  /** Reads a secret of `shared/resources.ts` (its ARN in the secret's env variable). */
  | { secret: string };

/** A function's timeout unless its definition says otherwise: a request or a step that takes longer is stuck. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const timeoutOf = (def: Pick<FunctionDefinition, 'timeoutSeconds'>): number =>
  def.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;

/**
 * The nested stack a function is deployed in (`infra/doudi-stack.ts`), by lifecycle: the casework of
 * applications, rechecks, gradual exits and emergencies; payments (payee accounts, the monthly roll,
 * bank files, recoveries); the monitoring of department data and what is done around the register —
 * demands, look-ups and change lists for departments, finding households (主动发现), reports and
 * complaints (举报投诉); the edge
 * that serves pages and documents. A workflow lives with its step functions.
 */
export type FunctionStack = 'casework' | 'payments' | 'monitoring' | 'notifications' | 'edge';

export interface FunctionDefinition {
  stack: FunctionStack;
  /** Path from the repository root. */
  entry: string;
  /** Exported handler name in `entry`. */
  handler: string;
  description: string;
  grants: Grant[];
  /** Default `DEFAULT_TIMEOUT_SECONDS`; read through `timeoutOf` by the CDK and the local runtime alike. */
  timeoutSeconds?: number;
  /**
   * Runs on a schedule (an EventBridge Scheduler expression, `rate(5 minutes)`): on AWS a schedule
   * invokes it; the local runtime runs it on the same rate against its clock.
   */
  schedule?: string;
  /** Invoked with each Step Functions execution status change of the project's state machines. */
  onExecutionClosed?: true;
  /**
   * Consumes these queues (ids in `shared/resources.ts`) in batches of up to 10, reporting the
   * records that failed (partial batch response): an SQS event source on AWS, a poller locally.
   */
  consumes?: string[];
  /**
   * Started by each object created in a bucket (an id in `shared/resources.ts`) under one of these
   * key prefixes, with S3's `Object Created` event as EventBridge delivers it: an EventBridge rule on
   * AWS; locally the runtime watches the bucket (ListObjectsV2) and delivers the same event.
   */
  onObjectCreated?: { bucket: string; prefixes: string[] };
}

/** Powertools idempotency records (`shared/idempotency.ts`), for idempotent submissions and steps. */
const idempotency = { table: 'Idempotency', access: 'readWrite' } as const;
/** Per-caller request counts (`shared/rate-limiter.ts`), for the functions of the write routes. */
const rateLimited = { table: 'RateLimits', access: 'readWrite' } as const;

/** Records per invocation of a queue consumer, on AWS and locally alike. */
export const CONSUMER_BATCH_SIZE = 10;

export const functions = {
  health: {
    stack: 'edge',
    entry: 'functions/http/health.ts',
    handler: 'handler',
    description: '健康检查',
    grants: [],
  },
  submitApplication: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'submit',
    description: '提交救助申请（自主申报）',
    grants: [
      rateLimited,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Application', access: 'start' },
      // A retry finds the execution started: it is described for its start date.
      { stateMachine: 'Application', access: 'read' },
    ],
  },
  getApplication: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'get',
    description: '查询申请状态与告知',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  listTasks: {
    stack: 'casework',
    entry: 'functions/http/tasks.ts',
    handler: 'list',
    description: '经办人待办任务',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  decideTask: {
    stack: 'casework',
    entry: 'functions/http/tasks.ts',
    handler: 'decide',
    description: '经办人审核决定',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      // A home check that found an omission real opens the township's outreach task (主动发现).
      { queue: 'CaseworkerTasks', access: 'send' },
      // Application tasks, and the recheck confirmations and emergency paperwork decided here too.
      ...(['Application', 'Recheck', 'Emergency'] as const).flatMap((stateMachine) => [
        { stateMachine, access: 'respond' as const },
        { stateMachine, access: 'read' as const },
      ]),
    ],
  },
  raiseObjection: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'objection',
    description: '公示期间提出异议',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  giveConsent: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'consent',
    description: '申请人同意（或不同意）按其他类别认定',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Application', access: 'respond' },
      // Lifecycle tasks (recheck confirmation, emergency paperwork) are decided here too.
      { stateMachine: 'Recheck', access: 'respond' },
      { stateMachine: 'Recheck', access: 'read' },
      { stateMachine: 'Emergency', access: 'respond' },
      { stateMachine: 'Emergency', access: 'read' },
    ],
  },
  caseHistory: {
    stack: 'casework',
    entry: 'functions/http/cases.ts',
    handler: 'history',
    description: '案件执行历史（审计）',
    grants: [
      { table: 'Cases', access: 'read' },
      { bucket: 'ExecutionArchive', access: 'read' },
      ...workflows.map((w) => ({ stateMachine: w.id, access: 'read' as const })),
    ],
  },
  searchCases: {
    stack: 'casework',
    entry: 'functions/http/audit.ts',
    handler: 'search',
    description: '案件检索与办理时限合规（审计）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  caseAuditLog: {
    stack: 'casework',
    entry: 'functions/http/cases.ts',
    handler: 'auditLog',
    description: '案件审计日志（哈希链）及其校验',
    // The bucket for the chain's anchors (listed under the case), which the verification compares.
    grants: [
      { table: 'Cases', access: 'read' },
      { bucket: 'ExecutionArchive', access: 'read' },
    ],
  },
  deliverNotifications: {
    stack: 'casework',
    entry: 'functions/consumers/notifications.ts',
    handler: 'handler',
    description: '任务通知送达经办人、督办人的收件箱',
    grants: [{ table: 'Cases', access: 'readWrite' }],
    consumes: ['CaseworkerTasks', 'SupervisorEscalations'],
  },
  deliverMessages: {
    stack: 'notifications',
    entry: 'functions/consumers/deliveries.ts',
    handler: 'handler',
    description: '通知送达：短信发给申请家庭，工作消息发给经办、督办群；回执记入救助链',
    grants: [{ table: 'Cases', access: 'readWrite' }, { secret: 'NotifyConfig' }],
    consumes: ['Deliveries'],
    timeoutSeconds: 60,
  },
  relayDeliveries: {
    stack: 'notifications',
    entry: 'functions/consumers/deliveries.ts',
    handler: 'relay',
    description: '待发通知移入送达队列（免打扰时段的通知到点再发）',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { queue: 'Deliveries', access: 'send' },
    ],
    // The morning's reminders come due together: a minute's relay may move thousands.
    timeoutSeconds: 60,
    schedule: 'rate(1 minute)',
  },
  workChannel: {
    stack: 'notifications',
    entry: 'functions/http/staff.ts',
    handler: 'workChannel',
    description: '查看本人的工作消息提醒方式',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  setWorkChannel: {
    stack: 'notifications',
    entry: 'functions/http/staff.ts',
    handler: 'setWorkChannel',
    description: '设置本人的工作消息提醒方式（政务钉钉、企业微信群消息中 @ 本人，或仅在收件箱查看）',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  householdContact: {
    stack: 'notifications',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'contactOf',
    description: '查看申请家庭的短信通知号码（脱敏）和方式',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  changeContact: {
    stack: 'notifications',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'contact',
    description: '变更申请家庭的短信通知号码或方式（家庭本人或乡镇代为登记）',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  listNotifications: {
    stack: 'casework',
    entry: 'functions/http/notifications.ts',
    handler: 'list',
    description: '经办人任务通知（新任务、逾期督办）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  declareRelatives: {
    stack: 'casework',
    entry: 'functions/http/relatives.ts',
    handler: 'declare',
    description: '工作人员近亲属备案',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  declareCommitteeRelatives: {
    stack: 'casework',
    entry: 'functions/http/relatives.ts',
    handler: 'declareCommittee',
    description: '村（居）民委员会成员近亲属备案（乡镇代为登记）',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  listRelatives: {
    stack: 'casework',
    entry: 'functions/http/relatives.ts',
    handler: 'list',
    description: '查看本人的近亲属备案',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  meansTestStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'meansTestStep',
    description: '家庭经济状况核查',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  planTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'planTaskStep',
    description: '经办任务编号与工作日期限',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  openTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'openTaskStep',
    description: '创建经办任务并通知（督办后换用新令牌）',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'CaseworkerTasks', access: 'send' },
      { stateMachine: 'Application', access: 'respond' },
    ],
  },
  escalateTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'escalateTaskStep',
    description: '逾期任务报督办并重新计算期限',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
    ],
  },
  openPublicNoticeStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'openPublicNoticeStep',
    description: '公示拟审核结果',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  closePublicNoticeStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'closePublicNoticeStep',
    description: '公示期满，查看异议',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  openConsentStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'openConsentStep',
    description: '等待申请人同意按其他类别认定',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Application', access: 'respond' },
    ],
  },
  lapseConsentStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'lapseConsentStep',
    description: '申请人逾期未答复',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  reopenDeterminationStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'reopenDeterminationStep',
    description: '不予确认决定被撤销后重新审核：取回原核查结论和乡镇审核意见',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  determineAlternativeStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'determineAlternativeStep',
    description: '经同意按其他类别认定并告知',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  recordDeterminationStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'recordDeterminationStep',
    description: '记录确认结果与告知书',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  meansTestPreview: {
    stack: 'casework',
    entry: 'functions/http/rules.ts',
    handler: 'preview',
    description: '家庭经济状况试算（不创建案件）',
    grants: [rateLimited, { table: 'Cases', access: 'read' }],
  },
  calendarDeadline: {
    stack: 'casework',
    entry: 'functions/http/rules.ts',
    handler: 'deadline',
    description: '工作日期限计算',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  putParameters: {
    stack: 'casework',
    entry: 'functions/http/rules.ts',
    handler: 'putParameters',
    description: '载入救助参数版本',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  me: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'me',
    description: '当前登录人的身份、角色和管辖范围',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  signInOptions: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'signInOptions',
    description: '页面的登录方式（统一身份认证地址、客户端编号）',
    grants: [],
  },
  listStaff: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'list',
    description: '工作人员授权列表',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  getStaff: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'get',
    description: '工作人员授权及其变更记录',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  putStaff: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'put',
    description: '授予、变更工作人员角色和管辖范围',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  revokeStaff: {
    stack: 'edge',
    entry: 'functions/http/staff.ts',
    handler: 'revoke',
    description: '撤销工作人员授权',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  putCalendar: {
    stack: 'casework',
    entry: 'functions/http/rules.ts',
    handler: 'putCalendar',
    description: '载入年度节假日安排',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  openApiDocument: {
    stack: 'edge',
    entry: 'functions/http/openapi.ts',
    handler: 'document',
    description: '接口文档（OpenAPI 3.1）',
    grants: [],
  },
  apiDocs: {
    stack: 'edge',
    entry: 'functions/http/openapi.ts',
    handler: 'docs',
    description: '接口文档网页',
    grants: [],
  },
  webAsset: {
    stack: 'edge',
    entry: 'functions/http/web-assets.ts',
    handler: 'asset',
    description: '网页脚本（连同 zod 模式打包）',
    grants: [],
  },
  sweeper: {
    stack: 'casework',
    entry: 'functions/steps/sweeper.ts',
    handler: 'sweep',
    description: '到期核查等后续流程的定时启动',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      ...workflows.map((w) => ({ stateMachine: w.id, access: 'start' as const })),
      // An execution another sweep started first is described for its start date.
      ...workflows.map((w) => ({ stateMachine: w.id, access: 'read' as const })),
    ],
    schedule: 'rate(5 minutes)',
  },
  redeliverDecisions: {
    stack: 'casework',
    entry: 'functions/steps/redeliver.ts',
    handler: 'redeliver',
    description: '补送已记录但未送达流程的审核决定',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      // The workflows that wait on caseworkers' tasks: their tokens, and whether an execution runs.
      ...(['Application', 'Recheck', 'Emergency'] as const).flatMap((stateMachine) => [
        { stateMachine, access: 'respond' as const },
        { stateMachine, access: 'read' as const },
      ]),
    ],
    schedule: 'rate(5 minutes)',
  },
  archiveExecution: {
    stack: 'casework',
    entry: 'functions/steps/archive.ts',
    handler: 'archiveExecution',
    description: '流程结束后归档执行历史（审计留存）',
    grants: [
      // Histories only: the anchors under audit-anchors/ are written by anchorAuditHeads alone.
      { bucket: 'ExecutionArchive', access: 'write', objects: 'cases/*' },
      ...workflows.map((w) => ({ stateMachine: w.id, access: 'read' as const })),
    ],
    timeoutSeconds: 60,
    onExecutionClosed: true,
  },
  anchorAuditHeads: {
    stack: 'casework',
    entry: 'functions/steps/audit-anchor.ts',
    handler: 'anchor',
    description: '审计日志链头定期锚定到不可改写的归档桶',
    // Reads the table, writes only anchors: not a writer of the table, and no delete anywhere.
    grants: [
      { table: 'Cases', access: 'read' },
      { bucket: 'ExecutionArchive', access: 'write', objects: 'audit-anchors/*' },
      { bucket: 'ExecutionArchive', access: 'read', objects: 'audit-anchors/watermark.json' },
    ],
    timeoutSeconds: 300,
    schedule: 'rate(1 hour)',
  },
  assessRecheckStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'assessRecheckStep',
    description: '定期核查：最新申报与当日参数核查',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  hearingStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'hearingStep',
    description: '定期核查：调减、停止前听取意见（告知、等待陈述、期限届满）',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Recheck', access: 'respond' },
    ],
  },
  endNoticeStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'endNoticeStep',
    description: '定期核查：拟终止特困人员救助供养的公示（开始、期满）',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  concludeRecheckStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'concludeRecheckStep',
    description: '定期核查结果：继续、调整、渐退或停止，书面告知并排定下一步',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  planLifecycleTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'planLifecycleTaskStep',
    description: '复核确认、补办手续任务的编号与工作日期限',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  openLifecycleTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'openLifecycleTaskStep',
    description: '创建复核确认、补办手续任务并通知',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'CaseworkerTasks', access: 'send' },
      { stateMachine: 'Recheck', access: 'respond' },
      { stateMachine: 'Emergency', access: 'respond' },
    ],
  },
  escalateLifecycleTaskStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'escalateLifecycleTaskStep',
    description: '复核确认、补办手续任务逾期督办',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
    ],
  },
  payGradualExitMonthStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'payGradualExitMonthStep',
    description: '渐退期逐月发放记录（每户每月一次）',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  scheduleGradualExitMonthStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'scheduleGradualExitMonthStep',
    description: '排定渐退期下一个月',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  endGradualExitStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'endGradualExitStep',
    description: '渐退期满办结，纳入动态监测',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  assessEmergencyStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'assessEmergencyStep',
    description: '临时救助核算：先行救助上限与家庭期限内累计额度',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  grantEmergencyStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'grantEmergencyStep',
    description: '按经办人决定的金额先行救助',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  closeEmergencyStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'closeEmergencyStep',
    description: '临时救助补办手续办结（或转为常规申请）',
    grants: [
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Application', access: 'start' },
      // A replayed conversion finds the execution started: it is described for its start date.
      { stateMachine: 'Application', access: 'read' },
    ],
  },
  prepareEmergencyAssessmentStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'prepareEmergencyAssessmentStep',
    description: '临时救助确认先行救助，超出部分转县级审核：核算家庭累计额度的剩余',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  settleEmergencyAssessmentStep: {
    stack: 'casework',
    entry: 'functions/steps/handlers.ts',
    handler: 'settleEmergencyAssessmentStep',
    description: '临时救助超出先行救助部分：按审核决定发放并告知，或书面告知不予救助',
    grants: [idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  submitEmergency: {
    stack: 'casework',
    entry: 'functions/http/emergency.ts',
    handler: 'submit',
    description: '申请临时救助（急难发生地受理）',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Emergency', access: 'start' },
    ],
  },
  getEmergency: {
    stack: 'casework',
    entry: 'functions/http/emergency.ts',
    handler: 'get',
    description: '查询临时救助办理情况与告知',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  decideEmergencyPaperwork: {
    stack: 'casework',
    entry: 'functions/http/emergency.ts',
    handler: 'decidePaperwork',
    description: '临时救助补办手续决定（可转为常规申请）',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Emergency', access: 'respond' },
      { stateMachine: 'Emergency', access: 'read' },
    ],
  },
  submitDeclaration: {
    stack: 'casework',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'declare',
    description: '申报家庭情况变化（供定期核查）',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  extendReviewDeadline: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'extend',
    description: '延长审核确认时限（注明理由，仅一次）',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  startInvestigation: {
    stack: 'casework',
    entry: 'functions/http/applications.ts',
    handler: 'startInvestigation',
    description: '记录启动家庭经济状况调查（受理后3个工作日内）',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  recordAppeal: {
    stack: 'casework',
    entry: 'functions/http/appeals.ts',
    handler: 'record',
    description: '记录行政复议、行政诉讼结果；撤销的回到原决定前的状态重新办理',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Application', access: 'start' },
      { stateMachine: 'Application', access: 'read' },
    ],
  },
  raiseEndObjection: {
    stack: 'casework',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'objectToEnd',
    description: '对拟终止特困人员救助供养的公示提出异议',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  answerHearing: {
    stack: 'casework',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'hear',
    description: '拟调减、停止救助前陈述意见（本人网上陈述或经办人入户记录）',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Recheck', access: 'respond' },
    ],
  },
  publicApprovals: {
    stack: 'casework',
    entry: 'functions/http/publication.ts',
    handler: 'approvals',
    description: '社会救助确认决定公布（脱敏，公开查询）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  casePayments: {
    stack: 'casework',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'payments',
    description: '案件救助金发放记录',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  startMonitoringRun: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'startRun',
    description: '部门数据放入接收桶后启动动态监测比对',
    grants: [{ stateMachine: 'Monitoring', access: 'start' }],
    onObjectCreated: { bucket: 'MonitoringIntake', prefixes: feedNames.map((f) => `${f}/`) },
  },
  prepareMonitoringStep: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'prepare',
    description: '动态监测：校验部门数据，按行切分并写出清单',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'MonitoringIntake', access: 'read' },
      { bucket: 'MonitoringIntake', access: 'write' },
    ],
    timeoutSeconds: 300,
  },
  compareChunksStep: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'compareChunks',
    description: '动态监测：分块比对名单与指标，预警分类推送、入户核查任务',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'MonitoringIntake', access: 'read' },
      { bucket: 'MonitoringIntake', access: 'write' },
      // The home checks it opens are announced to the township like every task.
      { queue: 'CaseworkerTasks', access: 'send' },
      ...departmentQueueIds.map((queue) => ({ queue, access: 'send' as const })),
    ],
    timeoutSeconds: 300,
  },
  summarizeMonitoringStep: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'summarize',
    description: '动态监测：汇总比对报告（计数、不合格行的行号与原因）',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'MonitoringIntake', access: 'read' },
      { bucket: 'MonitoringIntake', access: 'write' },
    ],
    timeoutSeconds: 120,
  },
  escalateWarnings: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'escalateWarnings',
    description: '预警逾期未反馈：再次推送并报督办',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
      ...departmentQueueIds.map((queue) => ({ queue, access: 'send' as const })),
    ],
    timeoutSeconds: 120,
    schedule: 'rate(15 minutes)',
  },
  listWarnings: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'list',
    description: '动态监测预警（按地区、部门、状态）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  getWarning: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'get',
    description: '动态监测预警详情与反馈',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  lookupRegister: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'lookup',
    description: '部门查询低收入人口认定结果（结果互认），记录备查',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
    // Up to 1,000 people: their households' cases are read (and their declarations unsealed) in turn.
    timeoutSeconds: 30,
  },
  listLookups: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'lookups',
    description: '部门查询认定结果的记录（审计）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  answerWarning: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'feedback',
    description: '部门反馈预警处置情况',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  sweepDemands: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'sweepDemands',
    description: '专项救助需求推送部门；逾期未反馈的再次推送并报督办',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
      ...departmentQueueIds.map((queue) => ({ queue, access: 'send' as const })),
    ],
    timeoutSeconds: 120,
    schedule: 'rate(1 minute)',
  },
  listDemands: {
    stack: 'monitoring',
    entry: 'functions/http/demands.ts',
    handler: 'list',
    description: '专项救助需求（按地区、部门、状态）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  getDemand: {
    stack: 'monitoring',
    entry: 'functions/http/demands.ts',
    handler: 'get',
    description: '专项救助需求详情（本部门查看对象身份，记入救助链）',
    // The department's reading is recorded on the household's chain.
    grants: [{ table: 'Cases', access: 'readWrite' }],
  },
  answerDemand: {
    stack: 'monitoring',
    entry: 'functions/http/demands.ts',
    handler: 'feedback',
    description: '部门反馈专项救助需求办理结果',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  changeList: {
    stack: 'monitoring',
    entry: 'functions/http/demands.ts',
    handler: 'changes',
    description: '部门的增减变动名单（按月、按地区），下载记录备查',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'DepartmentFiles', access: 'write', objects: 'change-lists/*' },
      { bucket: 'DepartmentFiles', access: 'read', objects: 'change-lists/*' },
    ],
    timeoutSeconds: 30,
  },
  dropChangeLists: {
    stack: 'monitoring',
    entry: 'functions/steps/monitoring.ts',
    handler: 'dropChangeLists',
    description: '月末生成各部门、各县的增减变动名单文件',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'DepartmentFiles', access: 'write', objects: 'change-lists/*' },
    ],
    timeoutSeconds: 300,
    schedule: 'rate(1 hour)',
  },
  recordDiscovery: {
    stack: 'monitoring',
    entry: 'functions/http/discoveries.ts',
    handler: 'create',
    description: '记录主动发现的需要救助的家庭，生成乡镇联系并协助申请的任务',
    grants: [
      rateLimited,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'CaseworkerTasks', access: 'send' },
    ],
  },
  listDiscoveries: {
    stack: 'monitoring',
    entry: 'functions/http/discoveries.ts',
    handler: 'list',
    description: '主动发现的记录及其结果（按地区）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  getDiscovery: {
    stack: 'monitoring',
    entry: 'functions/http/discoveries.ts',
    handler: 'get',
    description: '主动发现的记录详情',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  submitComplaint: {
    stack: 'monitoring',
    entry: 'functions/http/complaints.ts',
    handler: 'submit',
    description: '网上举报投诉（无需登录）',
    grants: [
      rateLimited,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'CaseworkerTasks', access: 'send' },
    ],
  },
  recordComplaint: {
    stack: 'monitoring',
    entry: 'functions/http/complaints.ts',
    handler: 'record',
    description: '服务热线、来信来访受理举报投诉',
    grants: [
      rateLimited,
      { table: 'Cases', access: 'readWrite' },
      { queue: 'CaseworkerTasks', access: 'send' },
    ],
  },
  complaintStatus: {
    stack: 'monitoring',
    entry: 'functions/http/complaints.ts',
    handler: 'status',
    description: '举报人凭查询码查询处理结果',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  complaintFile: {
    stack: 'monitoring',
    entry: 'functions/http/complaints.ts',
    handler: 'file',
    description: '县级民政部门查阅举报投诉（记入审计链）',
    grants: [{ table: 'Cases', access: 'readWrite' }],
  },
  complaintStats: {
    stack: 'monitoring',
    entry: 'functions/http/complaints.ts',
    handler: 'stats',
    description: '举报投诉的数量、办理时效和结果（按地区，审计）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  escalateComplaints: {
    stack: 'monitoring',
    entry: 'functions/steps/lifecycle-tasks.ts',
    handler: 'escalateComplaints',
    description: '举报投诉逾期未办结：报督办',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
    ],
    timeoutSeconds: 120,
    schedule: 'rate(15 minutes)',
  },
  monitoringRun: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'run',
    description: '动态监测比对报告（计数、不合格行）',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  feedSchemas: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'feedSchemas',
    description: '部门数据接口说明（字段、类型、是否必填）',
    grants: [],
  },
  happinessList: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'happinessList',
    description: '幸福清单：按类别、地区汇总已落实的救助',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  loadRegister: {
    stack: 'monitoring',
    entry: 'functions/http/warnings.ts',
    handler: 'loadRegister',
    description: '载入低收入人口名单（全国名单导出）',
    grants: [rateLimited, { table: 'Cases', access: 'readWrite' }],
  },
  registerPayee: {
    stack: 'payments',
    entry: 'functions/http/case-lifecycle.ts',
    handler: 'payee',
    description: '登记（变更）收款账户',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  orderRecovery: {
    stack: 'payments',
    entry: 'functions/http/recoveries.ts',
    handler: 'order',
    description: '决定追回救助金（书面告知，载明复议、诉讼途径）',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  recordRepayment: {
    stack: 'payments',
    entry: 'functions/http/recoveries.ts',
    handler: 'repay',
    description: '登记家庭退回的救助金',
    grants: [rateLimited, idempotency, { table: 'Cases', access: 'readWrite' }],
  },
  startPayroll: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'start',
    description: '编制本县某月发放名册',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Payroll', access: 'start' },
    ],
  },
  listPayrolls: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'list',
    description: '本县发放名册列表',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  getPayroll: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'get',
    description: '发放名册：合计、与上月比较、逐户明细',
    grants: [{ table: 'Cases', access: 'read' }],
  },
  approvePayroll: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'decide',
    description: '审批（或退回）发放名册：须由编制人以外的县级工作人员',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Payroll', access: 'respond' },
    ],
  },
  downloadBankFile: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'bankFile',
    description: '下载银行文件（审批人，一次，短时有效的链接）',
    grants: [
      rateLimited,
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'PayrollFiles', access: 'read' },
    ],
  },
  uploadBankReturn: {
    stack: 'payments',
    entry: 'functions/http/payroll.ts',
    handler: 'bankReturn',
    description: '上传银行回盘文件并对账',
    grants: [
      rateLimited,
      idempotency,
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'PayrollFiles', access: 'read' },
      { bucket: 'PayrollFiles', access: 'write' },
      { stateMachine: 'Payroll', access: 'respond' },
    ],
    timeoutSeconds: 29,
  },
  startDuePayrolls: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'startDuePayrolls',
    description: '按月自动计算各县发放名册（编制日起），待工作人员核对提交',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Payroll', access: 'start' },
    ],
    timeoutSeconds: 120,
    schedule: 'rate(1 hour)',
  },
  preparePayrollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'prepare',
    description: '发放名册：列出本县有确认决定的案件，写出清单',
    grants: [
      { table: 'Cases', access: 'read' },
      { bucket: 'PayrollFiles', access: 'write' },
    ],
    timeoutSeconds: 300,
  },
  payrollLinesStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'lines',
    description: '发放名册：分批计算每户本月应发与补发，写入名册行',
    grants: [{ table: 'Cases', access: 'readWrite' }],
    timeoutSeconds: 300,
  },
  sealPayrollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'seal',
    description: '发放名册：汇总、哈希、与上月比较，待审批',
    grants: [{ table: 'Cases', access: 'readWrite' }],
    timeoutSeconds: 120,
  },
  openPayrollApprovalStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'openApproval',
    description: '发放名册：等待另一名县级工作人员审批',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Payroll', access: 'respond' },
    ],
  },
  escalatePayrollApprovalStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'escalateApproval',
    description: '发放名册审批逾期：报督办',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { queue: 'SupervisorEscalations', access: 'send' },
    ],
  },
  concludePayrollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'conclude',
    description: '发放名册：记录审批结果',
    grants: [{ table: 'Cases', access: 'readWrite' }],
  },
  failPayrollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'fail',
    description: '发放名册：未能编制完成，标记失败',
    grants: [{ table: 'Cases', access: 'readWrite' }],
  },
  exportBankFileStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'exportBankFile',
    description: '发放名册：生成银行文件',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { bucket: 'PayrollFiles', access: 'write' },
    ],
    // A county's whole roll in one file: tens of thousands of accounts read and opened.
    timeoutSeconds: 900,
  },
  openBankReturnStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'openBankReturn',
    description: '发放名册：等待银行回盘',
    grants: [
      { table: 'Cases', access: 'readWrite' },
      { stateMachine: 'Payroll', access: 'respond' },
    ],
  },
  reconcilePayrollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'reconcileLines',
    description: '发放名册：逐批对账，记入发放记录',
    grants: [{ table: 'Cases', access: 'readWrite' }],
    timeoutSeconds: 300,
  },
  closeRollStep: {
    stack: 'payments',
    entry: 'functions/steps/payroll.ts',
    handler: 'closeRoll',
    description: '发放名册：对账完成，办结',
    grants: [{ table: 'Cases', access: 'readWrite' }],
  },
} satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  function: FunctionName;
  /**
   * Why anyone may call it without signing in — what is public about the service itself, never
   * about a household. Every other route needs a verified token (the JWT authorizer on AWS, the
   * local runtime's dev sign-in locally) and its function checks role and jurisdiction.
   */
  public?: string;
}

/**
 * A route's path as API Gateway matches it — a parameter is one segment — with the parameters' names
 * in order: the local server's router and the check that no route hides a page read it alike.
 */
export function routePattern(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
}

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/health',
    function: 'health',
    public: 'a liveness probe answering only that the service is up',
  },
  { method: 'POST', path: '/applications', function: 'submitApplication' },
  { method: 'GET', path: '/applications/{applicationId}', function: 'getApplication' },
  { method: 'POST', path: '/applications/{applicationId}/objection', function: 'raiseObjection' },
  { method: 'POST', path: '/applications/{applicationId}/consent', function: 'giveConsent' },
  { method: 'POST', path: '/applications/{applicationId}/extension', function: 'extendReviewDeadline' },
  {
    method: 'POST',
    path: '/applications/{applicationId}/investigation',
    function: 'startInvestigation',
  },
  { method: 'GET', path: '/tasks', function: 'listTasks' },
  { method: 'GET', path: '/notifications', function: 'listNotifications' },
  { method: 'POST', path: '/staff/me/relatives', function: 'declareRelatives' },
  { method: 'GET', path: '/staff/me/relatives', function: 'listRelatives' },
  { method: 'GET', path: '/staff/me/work-channel', function: 'workChannel' },
  { method: 'PUT', path: '/staff/me/work-channel', function: 'setWorkChannel' },
  { method: 'POST', path: '/staff/committee-relatives', function: 'declareCommitteeRelatives' },
  { method: 'POST', path: '/tasks/{taskId}/decision', function: 'decideTask' },
  // Not under /audit/: on AWS that path is the auditor's page, which CloudFront serves from S3.
  { method: 'GET', path: '/cases', function: 'searchCases' },
  { method: 'GET', path: '/cases/{caseId}/history', function: 'caseHistory' },
  { method: 'GET', path: '/cases/{caseId}/audit', function: 'caseAuditLog' },
  { method: 'POST', path: '/means-test', function: 'meansTestPreview' },
  { method: 'GET', path: '/calendar/deadline', function: 'calendarDeadline' },
  { method: 'PUT', path: '/admin/parameters/{regionCode}', function: 'putParameters' },
  { method: 'PUT', path: '/admin/calendar/{year}', function: 'putCalendar' },
  { method: 'GET', path: '/me', function: 'me' },
  {
    method: 'GET',
    path: '/public/sign-in',
    function: 'signInOptions',
    public:
      'how the pages sign people in — the identity provider’s address and this system’s client id — which a browser needs before anyone has signed in',
  },
  { method: 'GET', path: '/admin/staff', function: 'listStaff' },
  { method: 'GET', path: '/admin/staff/{subject}', function: 'getStaff' },
  { method: 'PUT', path: '/admin/staff/{subject}', function: 'putStaff' },
  { method: 'POST', path: '/admin/staff/{subject}/revocation', function: 'revokeStaff' },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openApiDocument',
    public: 'the API description, which the public API page (/docs) renders',
  },
  { method: 'GET', path: '/docs', function: 'apiDocs', public: 'the API page, documentation only' },
  {
    method: 'GET',
    path: '/assets/{file}',
    function: 'webAsset',
    public: 'the pages’ scripts, which every visitor downloads (served from S3 behind CloudFront)',
  },
  { method: 'PUT', path: '/cases/{caseId}/payee-account', function: 'registerPayee' },
  { method: 'GET', path: '/cases/{caseId}/contact', function: 'householdContact' },
  { method: 'PUT', path: '/cases/{caseId}/contact', function: 'changeContact' },
  { method: 'POST', path: '/cases/{caseId}/recoveries', function: 'orderRecovery' },
  {
    method: 'POST',
    path: '/cases/{caseId}/recoveries/{recoveryId}/repayments',
    function: 'recordRepayment',
  },
  { method: 'POST', path: '/payrolls', function: 'startPayroll' },
  { method: 'GET', path: '/payrolls', function: 'listPayrolls' },
  { method: 'GET', path: '/payrolls/{rollId}', function: 'getPayroll' },
  { method: 'POST', path: '/payrolls/{rollId}/decision', function: 'approvePayroll' },
  { method: 'POST', path: '/payrolls/{rollId}/bank-file', function: 'downloadBankFile' },
  { method: 'POST', path: '/payrolls/{rollId}/bank-return', function: 'uploadBankReturn' },
  { method: 'POST', path: '/emergency', function: 'submitEmergency' },
  { method: 'GET', path: '/emergency/{emergencyId}', function: 'getEmergency' },
  { method: 'POST', path: '/emergency/{emergencyId}/paperwork', function: 'decideEmergencyPaperwork' },
  { method: 'POST', path: '/cases/{caseId}/declaration', function: 'submitDeclaration' },
  { method: 'POST', path: '/cases/{caseId}/hearing', function: 'answerHearing' },
  { method: 'POST', path: '/cases/{caseId}/end-objection', function: 'raiseEndObjection' },
  { method: 'POST', path: '/cases/{caseId}/appeals', function: 'recordAppeal' },
  { method: 'GET', path: '/cases/{caseId}/payments', function: 'casePayments' },
  {
    method: 'GET',
    path: '/public/approvals',
    function: 'publicApprovals',
    public:
      'the approvals the law requires to be published (社会救助法第四十五条), masked: a name with its middle hidden, family size, tier, amount — no ID number, address, income or health fact',
  },
  { method: 'GET', path: '/warnings', function: 'listWarnings' },
  { method: 'GET', path: '/warnings/{warningId}', function: 'getWarning' },
  { method: 'POST', path: '/warnings/{warningId}/feedback', function: 'answerWarning' },
  {
    method: 'POST',
    path: '/complaints',
    function: 'submitComplaint',
    public:
      'anyone may report a wrong without signing in (社会救助法第六十三、六十八条); the reporter is told a code, nothing of anyone else',
  },
  { method: 'POST', path: '/complaints/recorded', function: 'recordComplaint' },
  {
    method: 'GET',
    path: '/complaints/{complaintId}/status',
    function: 'complaintStatus',
    public:
      'the reporter reads the conclusion with the code they were given; a wrong code reads as no complaint',
  },
  { method: 'GET', path: '/complaints/{complaintId}', function: 'complaintFile' },
  { method: 'GET', path: '/reports/complaints', function: 'complaintStats' },
  { method: 'POST', path: '/discoveries', function: 'recordDiscovery' },
  { method: 'GET', path: '/discoveries', function: 'listDiscoveries' },
  { method: 'GET', path: '/discoveries/{discoveryId}', function: 'getDiscovery' },
  { method: 'GET', path: '/demands', function: 'listDemands' },
  { method: 'GET', path: '/demands/{demandId}', function: 'getDemand' },
  { method: 'POST', path: '/demands/{demandId}/feedback', function: 'answerDemand' },
  { method: 'POST', path: '/register/lookup', function: 'lookupRegister' },
  { method: 'GET', path: '/register/changes', function: 'changeList' },
  { method: 'GET', path: '/register/lookups', function: 'listLookups' },
  { method: 'GET', path: '/monitoring/runs/{runId}', function: 'monitoringRun' },
  {
    method: 'GET',
    path: '/monitoring/feeds',
    function: 'feedSchemas',
    public: 'the feed schemas published to the departments that send data, no household data',
  },
  { method: 'GET', path: '/reports/happiness-list', function: 'happinessList' },
  { method: 'PUT', path: '/admin/register', function: 'loadRegister' },
];
