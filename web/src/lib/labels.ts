/**
 * Chinese names for what the pages show: the declaration's fields (so that every error names its
 * field), the enums' values, the workflows' states and the history's event types.
 */

import { taskKindLabels as kindLabels } from '../../../shared/domain/tasks.ts';
import type { ApplicationStatus } from '../../../shared/openapi.ts';
import type { dailyActivities, IncomeKind, obligorInabilities } from '../../../shared/schemas/household.ts';

export { tierLabels } from '../../../shared/domain/determination.ts';

export const residenceLabels: Record<string, string> = { urban: '城市', rural: '农村' };

export const requestedTierLabels: Record<string, string> = {
  dibao: '最低生活保障（低保）',
  tekun: '特困人员救助供养',
  marginal: '低保边缘家庭',
  rigidExpense: '刚性支出困难家庭',
  emergency: '临时救助',
};

export const relationLabels: Record<string, string> = {
  self: '本人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女/外孙子女',
  grandparent: '祖父母/外祖父母',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const labourLabels: Record<string, string> = {
  full: '完全劳动能力',
  partial: '部分劳动能力',
  none: '无劳动能力',
};

/** Every kind of `incomeKinds` (民发〔2021〕57号 第十三条; 43号 第六条), in the declaration's words. */
export const incomeKindLabels: Record<string, string> = {
  wage: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  agriculture: '农业生产收入',
  pension: '离退休金',
  basicPension: '城乡居民基础养老金',
  supportPayment: '赡养费/抚养费/扶养费（家庭外义务人给付）',
  transfer: '其他转移性收入（失业保险金、遗属补助金、赔偿、捐赠等）',
  specialCare: '优待抚恤金',
  familyPlanning: '计划生育奖励与扶助金',
  scholarship: '奖学金/助学金',
  heroicReward: '见义勇为奖励',
  assistance: '政府发放的社会救助款物',
  allowance: '高龄津贴等津贴补贴',
  other: '其他收入',
} satisfies Record<IncomeKind, string>;

export const disabilityLabels: Record<string, string> = {
  '': '无',
  1: '一级',
  2: '二级',
  3: '三级',
  4: '四级',
};

/** 残疾类别 as the 残疾人证 names them (GB/T 26341): the schema's one list. */
export { disabilityCategoryLabels } from '../../../shared/schemas/household.ts';

/** The six items of the 特困 self-care assessment (民发〔2021〕43号 第二十一条). */
export const dailyActivityLabels: Record<string, string> = {
  eating: '自主吃饭',
  dressing: '自主穿衣',
  transferring: '自主上下床',
  toileting: '自主如厕',
  walkingIndoors: '室内自主行走',
  bathing: '自主洗澡',
} satisfies Record<(typeof dailyActivities)[number], string>;

/** 法定义务人无履行义务能力的情形: the six grounds of 《特困人员认定办法》第八条. */
export const obligorInabilityLabels: Record<string, string> = {
  tekun: '（一）特困人员',
  dibaoElderly: '（二）60周岁以上的最低生活保障对象',
  elderlyLowIncome: '（三）70周岁以上，本人收入低于当地上年人均可支配收入，且财产符合规定',
  disabledLowIncome:
    '（四）重度残疾人或三级智力、精神残疾人，本人收入低于当地上年人均可支配收入，且财产符合规定',
  incapacitated: '（五）无民事行为能力、被宣告失踪或在监狱服刑，且财产符合规定',
  provincial: '（六）省级人民政府规定的其他情形（请在说明中注明依据）',
} satisfies Record<(typeof obligorInabilities)[number], string>;

const fieldNames: Record<string, string> = {
  caseId: '案件编号',
  applicationId: '申请编号',
  noticeId: '告知书编号',
  channel: '救济途径',
  outcome: '结果',
  decidedOn: '复议决定或裁判日期',
  authority: '复议机关或人民法院',
  documentNumber: '文号',
  'findings.homeVisit': '入户调查',
  'findings.homeVisit.visitedOn': '入户日期',
  'findings.homeVisit.visitors': '调查人员',
  regionCode: '申请地区（行政区划代码）',
  residence: '户籍类别',
  requestedTier: '申请类别',
  applicant: '申请人',
  'applicant.name': '申请人姓名',
  'applicant.phone': '联系电话',
  housingDifficulty: '住房困难',
  specialRequests: '同时申请的专项救助',
  payeeAccount: '收款账户',
  'payeeAccount.kind': '收款账户 · 账户类型',
  'payeeAccount.bankName': '收款账户 · 开户行',
  'payeeAccount.accountNumber': '收款账户 · 账号',
  'payeeAccount.accountName': '收款账户 · 户名',
  members: '家庭成员',
  name: '姓名',
  idNumber: '身份证号码',
  relation: '与申请人关系',
  age: '年龄',
  disabilityCategory: '残疾类别',
  disabilityGrade: '残疾等级',
  'members.schooling': '就学情况',
  'members.schooling.stage': '就学阶段',
  'members.schooling.fullTime': '是否全日制',
  'members.livesWithHousehold': '是否共同生活',
  'members.notCounted': '不计入共同生活家庭成员的情形',
  'members.selfCareUnable': '生活自理能力（不能自主完成的项目）',
  severeIllness: '是否患重病',
  labourCapacity: '劳动能力',
  employed: '是否就业',
  incomes: '收入',
  kind: '收入类型',
  monthlyAmount: '月收入（元）',
  assets: '家庭财产',
  'assets.deposits': '存款等金融资产（元）',
  'assets.vehicles': '机动车辆',
  value: '车辆价值（元）',
  exempt: '营运或残疾人代步车辆',
  'assets.housingUnits': '住房套数',
  spendingLast12Months: '近12个月支出',
  'spendingLast12Months.medical': '近12个月医疗支出（元）',
  'spendingLast12Months.education': '近12个月教育支出（元）',
  'spendingLast12Months.rehabilitation': '近12个月残疾康复支出（元）',
  'spendingLast12Months.other': '近12个月其他必需支出（元）',
  obligors: '家庭以外的法定义务人',
  'obligors.ableToSupport': '是否有履行义务能力',
  'obligors.inability': '无履行义务能力的情形',
  'obligors.note': '说明',
  hasAbleSupporter: '有具备履行能力的法定义务人',
  irregularIncome: '收入来源不固定',
  pledge: '如实申报承诺',
  verificationConsent: '核对授权',
  asOf: '核算日期',
  decision: '审核意见',
  reasons: '理由',
  decidedBy: '经办人',
  body: '请求内容',
};

/** Rows of a repeated group, named by their 1-based position. */
const rowNames: Record<string, (n: number) => string> = {
  members: (n) => `家庭成员${n}`,
  incomes: (n) => `第${n}项收入`,
  vehicles: (n) => `车辆${n}`,
  obligors: (n) => `法定义务人${n}`,
  reasons: (n) => `理由${n}`,
};

const isIndex = (part: string) => /^\d+$/.test(part);

/**
 * `members.1.incomes.0.monthlyAmount` → `家庭成员2 · 第1项收入 · 月收入（元）`: the Chinese name of a
 * field from the path zod and the API use. A field is named by its path without the row numbers
 * (`members.schooling.stage`) where the map has that, else by its own key.
 */
export function fieldLabel(path: ReadonlyArray<PropertyKey> | string): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter(
    (p) => p !== '' && p !== 'body',
  );
  const joined = parts.join('.');
  if (fieldNames[joined]) return fieldNames[joined];
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    const index = next !== undefined && isIndex(next) ? Number(next) + 1 : undefined;
    const row = rowNames[part];
    if (row && index) out.push(row(index));
    else if (isIndex(part)) continue;
    else {
      const unnumbered = parts
        .slice(0, i + 1)
        .filter((p) => !isIndex(p))
        .join('.');
      out.push(fieldNames[unnumbered] ?? fieldNames[part] ?? part);
    }
    if (index) i++;
  }
  return out.join(' · ') || '申请内容';
}

export const stateLabels: Record<string, string> = {
  Start: '开始办理',
  Reopen: '原决定被撤销：取回原核查结论和审核意见',
  Reopened: '重新审核',
  ReopenedAt: '回到原作出决定的层级',
  Accept: '受理',
  MeansTest: '家庭经济状况核查',
  PlanTownshipReview: '安排乡镇审核及期限',
  TownshipReview: '乡镇（街道）审核',
  EscalateTownshipReview: '乡镇审核逾期督办',
  TownshipOutcome: '审核意见',
  OpenPublicNotice: '公示拟审核结果',
  PublicNotice: '公示期',
  ClosePublicNotice: '公示期满',
  NoticeOutcome: '有无异议',
  Reinvestigate: '异议：重新调查',
  PlanCountyDetermination: '安排县级确认及期限',
  CountyDetermination: '县级民政部门确认',
  EscalateCountyDetermination: '县级确认逾期督办',
  Determine: '县级确认并书面告知',
  DetermineRefusal: '乡镇（街道）不予确认并书面告知',
  CountyOutcome: '县级是否同意乡镇意见',
  ReturnToTownship: '县级退回乡镇重新审核',
  NextRound: '下一轮乡镇审核',
  DetermineByTownship: '乡镇（街道）确认并书面告知',
  AlternativeOffered: '是否符合其他类别',
  AwaitConsent: '等待申请人同意',
  ConsentOutcome: '申请人答复',
  DetermineAlternative: '按其他类别认定并告知',
  ConsentLapsed: '逾期未答复',
  RecordWithdrawal: '终止并告知',
  Closed: '流程结束',
  // 定期核查/年度复核 (Recheck)
  Assess: '核查家庭经济状况、核算额度',
  Assessed: '核查结果',
  PlanConfirmChange: '安排核查确认及期限',
  ConfirmChange: '经办人确认核查发现的变化',
  EscalateConfirmChange: '核查确认逾期督办',
  Confirmed: '是否确认（调减、停止的先听取意见）',
  OpenHearing: '告知拟调减、停止的理由，听取意见',
  AwaitHearing: '等待救助对象陈述意见',
  HearingLapsed: '陈述期限届满，未陈述意见',
  Heard: '是否提出异议',
  PrepareReview: '整理异议供复核',
  PlanReviewObjection: '安排异议复核及期限',
  ReviewObjection: '经办人复核救助对象的异议',
  EscalateReviewObjection: '异议复核逾期督办',
  OpenEndNotice: '拟终止特困供养：公示',
  EndNoticePeriod: '终止公示期',
  CloseEndNotice: '终止公示期满',
  EndNoticeObjected: '终止公示有无异议',
  PrepareEndNoticeReview: '整理公示异议供核实',
  PlanReviewEndNotice: '安排公示异议核实及期限',
  ReviewEndNotice: '调查核实终止公示的异议',
  EscalateReviewEndNotice: '公示异议核实逾期督办',
  EndNoticeReviewed: '是否终止救助供养',
  Decide: '是否按核查结果办理',
  Continue: '继续救助并书面告知',
  Adjust: '调整救助并书面告知',
  StartGradualExit: '进入渐退期',
  Terminate: '停止救助并书面告知',
  MonitoringAlert: '动态监测：提示重新申请',
  MonitoringEnded: '动态监测期满',
  Lapse: '认定有效期届满，告知可重新申请',
  Skipped: '案件不在核查范围，跳过',
  // 渐退 (GradualExit)
  PayMonth: '发放渐退期本月救助金',
  LastMonth: '是否最后一个月',
  ScheduleNextMonth: '排定渐退期下一个月',
  WaitForMonthEnd: '等到次月1日',
  Exit: '渐退期满，办结并书面告知',
  // 临时救助 (Emergency)
  EmergencyType: '急难型或支出型',
  PlanReview: '安排乡镇审核（支出型）及期限',
  Review: '乡镇（街道）审核支出型临时救助',
  EscalateReview: '乡镇审核逾期督办',
  ToAssessment: '乡镇审核意见报县级审批',
  PlanGrantReview: '安排先行救助决定及期限',
  GrantReview: '经办人决定是否先行救助及金额',
  EscalateGrantReview: '先行救助决定逾期督办',
  GrantOutcome: '是否先行救助',
  Decline: '不予先行救助并书面告知',
  Grant: '先行救助：发放并书面告知',
  PlanPaperwork: '安排补办手续及期限',
  Paperwork: '经办人补办手续',
  EscalatePaperwork: '补办手续逾期督办',
  PaperworkOutcome: '补办手续结果',
  Complete: '确认先行救助，办结',
  ConfirmForAssessment: '确认先行救助，超出部分转县级审核',
  PlanAssessment: '安排超出先行救助部分的审核及期限',
  Assessment: '县级民政部门审核（超出先行救助的部分或支出型临时救助）',
  EscalateAssessment: '超出部分审核逾期督办',
  AssessmentOutcome: '超出部分审核结果',
  PayAssessed: '发放审核同意的金额并书面告知，办结',
  RefuseAssessed: '超出部分不予救助并书面告知，办结',
  Reject: '不予确认并书面告知',
  ConvertToApplication: '转为常规救助申请',
  // 动态监测比对 (Monitoring)
  Prepare: '校验并切分部门数据',
  Prepared: '是否为部门数据',
  CompareChunks: '分块比对',
  CompareBatch: '比对一批数据块',
  ReportFailure: '比对未完成，记录原因',
  Failed: '比对失败',
  Summarize: '汇总比对报告',
  NotAFeed: '不是部门数据，已说明原因',
  // 发放名册 (Payroll)
  ListCases: '列出本县有确认决定的案件',
  HasCases: '本县是否有案件',
  ComputeLines: '分批计算应发与补发',
  LineBatch: '计算一批案件的应发月份与金额',
  SealRoll: '汇总、哈希并与上月名册比较',
  AwaitRollApproval: '等待另一名县级工作人员审批',
  EscalateRollApproval: '名册审批逾期督办',
  ConcludeRoll: '记录审批结果',
  RollApproved: '是否审批通过',
  RollReturned: '名册已退回，可重新编制',
  ExportBankFile: '生成银行文件',
  AwaitBankReturn: '等待银行回盘',
  Reconcile: '逐批对账',
  ReconcileBatch: '一批回盘结果记入发放记录',
  CloseRoll: '对账完成，名册办结',
  MarkRollFailed: '名册未能编制完成，标记失败',
  RollFailed: '名册未能完成（未送银行）',
};

export const workflowLabels: Record<string, string> = {
  Application: '申请审核确认',
  Recheck: '定期核查',
  GradualExit: '渐退',
  Emergency: '临时救助',
  Monitoring: '动态监测比对',
  Payroll: '发放名册',
};

export const eventLabels: Record<string, string> = {
  ExecutionStarted: '流程开始',
  ExecutionSucceeded: '流程结束',
  ExecutionFailed: '流程失败',
  ExecutionAborted: '流程中止',
  ExecutionTimedOut: '流程超时',
  TaskStateEntered: '进入步骤',
  TaskStateExited: '完成步骤',
  TaskScheduled: '调度任务',
  TaskStarted: '任务开始',
  TaskSubmitted: '任务已提交，等待处理',
  TaskSucceeded: '任务完成',
  TaskFailed: '任务失败',
  TaskTimedOut: '任务超时',
  PassStateEntered: '进入步骤',
  PassStateExited: '完成步骤',
  ChoiceStateEntered: '进入判断',
  ChoiceStateExited: '完成判断',
  WaitStateEntered: '开始等待',
  WaitStateExited: '等待结束',
  SucceedStateEntered: '进入结束步骤',
  SucceedStateExited: '完成结束步骤',
  FailStateEntered: '进入失败步骤',
};

export const executionStatusLabels: Record<string, string> = {
  RUNNING: '进行中',
  SUCCEEDED: '已完成',
  FAILED: '失败',
  TIMED_OUT: '超时',
  ABORTED: '已中止',
};

export const noticeKindLabels: Record<string, string> = {
  approval: '确认通知',
  refusal: '不予确认告知',
  withdrawal: '终止告知',
};

/** The statuses of an application, as `GET /applications/{id}` labels them (`statusLabel`). */
export const applicationStatusLabels: Record<ApplicationStatus, string> = {
  submitted: '已受理',
  underReview: '审核中',
  publicNotice: '公示中',
  approved: '已确认救助',
  refused: '不予确认',
  withdrawn: '已终止',
};

export const taskKindLabels: Record<string, string> = kindLabels;
