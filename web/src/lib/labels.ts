/**
 * Chinese names for what the pages show: the declaration's fields (so that every error names its
 * field), the enums' values, the workflows' states and the history's event types.
 */
import type { ApplicationStatus } from '../../../shared/openapi.ts';

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

export const incomeKindLabels: Record<string, string> = {
  wage: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transfer: '转移净收入',
  pension: '养老金',
  agriculture: '农业生产收入',
  other: '其他收入',
};

export const disabilityLabels: Record<string, string> = {
  '': '无',
  1: '一级',
  2: '二级',
  3: '三级',
  4: '四级',
};

const fieldNames: Record<string, string> = {
  regionCode: '申请地区（行政区划代码）',
  residence: '户籍类别',
  requestedTier: '申请类别',
  applicant: '申请人',
  'applicant.name': '申请人姓名',
  'applicant.phone': '联系电话',
  members: '家庭成员',
  name: '姓名',
  idNumber: '身份证号码',
  relation: '与申请人关系',
  age: '年龄',
  disabilityGrade: '残疾等级',
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
  hasAbleSupporter: '法定赡养（抚养、扶养）义务人',
  pledge: '如实申报承诺',
  verificationConsent: '核对授权',
  asOf: '核算日期',
  decision: '审核意见',
  reasons: '理由',
  decidedBy: '经办人',
  body: '请求内容',
};

/**
 * `members.1.incomes.0.monthlyAmount` → `家庭成员2 · 第1项收入 · 月收入（元）`: the Chinese name of a
 * field from the path zod and the API use.
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
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) + 1 : undefined;
    if (part === 'members' && index) out.push(`家庭成员${index}`);
    else if (part === 'incomes' && index) out.push(`第${index}项收入`);
    else if (part === 'vehicles' && index) out.push(`车辆${index}`);
    else if (part === 'reasons' && index) out.push(`理由${index}`);
    else if (/^\d+$/.test(part)) continue;
    else out.push(fieldNames[`${parts.slice(0, i).join('.')}.${part}`] ?? fieldNames[part] ?? part);
    if (index) i++;
  }
  return out.join(' · ') || '申请内容';
}

export const stateLabels: Record<string, string> = {
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
  Determine: '确认并书面告知',
  DetermineRefusal: '不予确认并书面告知',
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
  Confirmed: '是否确认',
  Continue: '继续救助并书面告知',
  Adjust: '调整救助并书面告知',
  StartGradualExit: '进入渐退期',
  Terminate: '停止救助并书面告知',
  MonitoringAlert: '动态监测：提示重新申请',
  MonitoringEnded: '动态监测期满',
  Skipped: '案件不在核查范围，跳过',
  // 渐退 (GradualExit)
  PayMonth: '发放渐退期本月救助金',
  LastMonth: '是否最后一个月',
  ScheduleNextMonth: '排定渐退期下一个月',
  WaitForMonthEnd: '等到次月1日',
  Exit: '渐退期满，办结并书面告知',
  // 临时救助 (Emergency)
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
};

export const workflowLabels: Record<string, string> = {
  Application: '申请审核确认',
  Recheck: '定期核查',
  GradualExit: '渐退',
  Emergency: '临时救助',
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

export const taskKindLabels: Record<string, string> = {
  townshipReview: '乡镇（街道）审核',
  countyDetermination: '县级民政部门确认',
  recheckConfirmation: '定期核查确认',
  emergencyGrant: '临时救助先行救助',
  emergencyPaperwork: '临时救助补办手续',
  monitoringVerification: '动态监测预警入户核查',
};
