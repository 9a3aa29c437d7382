/**
 * The API described as OpenAPI 3.1, generated from the zod schemas: request shapes are the ones the
 * handlers validate with, response shapes come from `shared/openapi.ts`. `GET /openapi.json` serves
 * the document and `GET /docs` a readable page made from it (plain HTML, nothing from a CDN).
 *
 * Every route of `functions/catalog.ts` must have an operation here; building the document throws
 * otherwise, and a unit test builds it.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ZodType, z } from 'zod';
import { annualArrangementSchema } from '../../shared/calendar/index.ts';
import { httpRoute, json } from '../../shared/http.ts';
import { logger } from '../../shared/logger.ts';
import * as responses from '../../shared/openapi.ts';
import { parameterSetSchema } from '../../shared/parameters/index.ts';
import { routeRateClasses } from '../../shared/rate-limits.ts';
import { auditSearchQuery } from '../../shared/schemas/audit.ts';
import {
  appealBody,
  applicationIdPath,
  caseIdPath,
  caseLifecycleResponses,
  consentBody,
  declarationBody,
  emergencyIdPath,
  emergencyRequest,
  emergencyResponses,
  extensionBody,
  hearingAnswerBody,
  idempotencyHeaders,
  investigationBody,
  objectionBody,
  paperworkBody,
  publicationQuery,
  publicationResponse,
  reviewDeadlineView,
  submissionRequest,
} from '../../shared/schemas/cases.ts';
import {
  committeeRelativesBody,
  committeeRelativesResponse,
  complaintBody,
  complaintIdPath,
  complaintStatsQuery,
  complaintStatusQuery,
  decisionBody,
  discoveriesQuery,
  discoveryBody,
  discoveryIdPath,
  notificationsQuery,
  notificationsResponse,
  recordedComplaintBody,
  relativesBody,
  relativesResponse,
  taskIdPath,
  tasksQuery,
} from '../../shared/schemas/casework.ts';
import {
  applicationRequest,
  householdContactBody,
  householdContactChanged,
  householdContactShown,
} from '../../shared/schemas/household.ts';
import {
  bankFileBody,
  bankReturnBody,
  maskedPayeeAccount,
  payeeAccountBody,
  payrollDecisionBody,
  payrollQuery,
  payrollResponses,
  payrollsQuery,
  recoveryBody,
  recoveryIdPath,
  recoveryView,
  repaymentBody,
  rollIdPath,
  startPayrollBody,
} from '../../shared/schemas/payroll.ts';
import {
  calendarYearPath,
  deadlineQuery,
  meansTestRequest,
  parametersPath,
} from '../../shared/schemas/rules.ts';
import * as staffSchemas from '../../shared/schemas/staff.ts';
import {
  changesQuery,
  demandFeedbackBody,
  demandIdPath,
  demandsQuery,
  happinessQuery,
  lookupBody,
  lookupsQuery,
  registerLoadBody,
  registerLoadQuery,
  runIdPath,
  warningFeedbackBody,
  warningIdPath,
  warningsQuery,
} from '../../shared/schemas/warnings.ts';
import { type FunctionName, functions, type Route, routes } from '../catalog.ts';
import { renderDocs } from './openapi-page.ts';

type JsonSchema = Record<string, unknown>;

/** The one path schema not shared with a handler: the asset route reads its file name itself. */
const assetPath = z.object({
  file: z
    .string()
    .regex(/^[a-z][a-z-]*\.js$/)
    .describe('web/src 下页面脚本的打包结果，如 apply.js'),
});

/** Named request and response shapes: `#/components/schemas/<name>`. */
const requestComponents = {
  ApplicationRequest: applicationRequest,
  MeansTestRequest: meansTestRequest,
  DecisionRequest: decisionBody,
  ObjectionRequest: objectionBody,
  ConsentRequest: consentBody,
  ParameterSet: parameterSetSchema,
  WarningFeedbackRequest: warningFeedbackBody,
  DemandFeedbackRequest: demandFeedbackBody,
  AnnualArrangement: annualArrangementSchema,
  StaffGrantRequest: staffSchemas.staffGrantBody,
} satisfies Record<string, ZodType>;

const responseComponents = {
  Error: responses.errorResponse,
  MeansTestSummary: responses.meansTestSummary,
  Notice: responses.notice,
  Determination: responses.determination,
  SubmittedApplication: responses.submitResponse,
  Application: responses.applicationView,
  PublicNotice: responses.publicNotice,
  Consent: responses.consent,
  ObjectionCreated: responses.objectionCreated,
  ConsentAnswered: responses.consentAnswered,
  Task: responses.task,
  TaskList: responses.taskList,
  CaseHistory: responses.caseHistory,
  AuditLog: responses.auditLog,
  AuditSearchResult: responses.auditSearchResult,
  AuditTask: responses.auditTask,
  MeansTestResult: responses.meansTestResult,
  Health: responses.healthResponse,
  Deadline: responses.deadlineResponse,
  ParameterVersionCreated: responses.parameterVersionCreated,
  ParameterVersionPending: responses.parameterVersionPending,
  CalendarCreated: responses.calendarCreated,
  CalendarPending: responses.calendarPending,
  Warning: responses.warningView,
  WarningList: responses.warningList,
  Demand: responses.demandView,
  DemandList: responses.demandList,
  ChangeList: responses.changeListView,
  Discovery: responses.discoveryView,
  DiscoveryList: responses.discoveryList,
  ComplaintReceipt: responses.complaintReceipt,
  ComplaintFile: responses.complaintFile,
  ComplaintStats: responses.complaintStatsView,
  MonitoringRun: responses.monitoringRunView,
  FeedSchemas: responses.feedSchemasView,
  HappinessList: responses.happinessListView,
  RegisterLoaded: responses.registerLoaded,
  LookupResult: responses.lookupResult,
  Principal: staffSchemas.principalView,
  SignInOptions: staffSchemas.signInOptionsView,
  Staff: staffSchemas.staffView,
  StaffDetail: staffSchemas.staffDetail,
  StaffList: staffSchemas.staffList,
  StaffChanged: staffSchemas.staffChanged,
  LookupList: responses.lookupList,
} satisfies Record<string, ZodType>;

type ErrorStatus = 400 | 404 | 409 | 410 | 413 | 422;

const errorDescriptions: Record<ErrorStatus | 401 | 403 | 429 | 500, string> = {
  400: '请求内容有误：fields 逐项列出出错字段及中文说明',
  401: '未登录：缺少或无效的身份令牌',
  403: '无权限：角色不符，或不在管辖范围内',
  404: '不存在；申请人查询或办理他人的记录时同样如此',
  409: '冲突：已处理或版本已存在',
  410: '所属流程已结束或已超时',
  413: '请求体过大',
  422: '无法办理：缺少所需的救助参数或该年度的节假日安排，或 Idempotency-Key 已用于内容不同的请求',
  429: '请求过于频繁：超过了本人此类请求的限额，未作任何处理；Retry-After 为需等待的秒数',
  500: '系统内部错误',
};

interface Operation {
  tag: string;
  description?: string;
  path?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: ZodType;
  /** The success status and its body schema (a response component, or raw content for non-JSON routes). */
  success: {
    status: number;
    description: string;
    schema?: ZodType;
    content?: { type: string; schema: JsonSchema };
    headers?: Record<string, string>;
  };
  /** Another success an operation may answer (a load held for a second administrator's confirmation). */
  alsoSuccess?: { status: number; description: string; schema: ZodType };
  errors: ErrorStatus[];
}

/** One operation per catalog function that has a route. */
export const operations: Partial<Record<FunctionName, Operation>> = {
  health: {
    tag: '系统',
    success: { status: 200, description: '服务正常', schema: responses.healthResponse },
    errors: [],
  },
  submitApplication: {
    tag: '申请人',
    description:
      '家庭自主申报：家庭成员、收入、财产、近12个月医疗教育支出、申请类别、如实申报承诺与核对授权。受理后启动审核流程。',
    headers: idempotencyHeaders,
    body: submissionRequest,
    success: {
      status: 202,
      description: '已受理，审核流程已启动',
      schema: responses.submitResponse,
      headers: { Location: '申请的地址 /applications/{applicationId}' },
    },
    errors: [400, 409, 413, 422],
  },
  getApplication: {
    tag: '申请人',
    description: '申请的状态、核查结论、确认结果与书面告知（含中文理由和送达期限）；家庭成员身份证号已脱敏。',
    path: applicationIdPath,
    success: { status: 200, description: '申请状态与告知', schema: responses.applicationView },
    errors: [400, 404],
  },
  raiseObjection: {
    tag: '申请人',
    description:
      '公示期间对拟审核结果提出异议（任何登录用户均可，经办人可代为记录当面提出的异议）。记录异议人；同一人对同一轮公示只能提出一次，再次提出答复 409 并注明已有的异议编号。公示期满后，有异议的申请退回乡镇（街道）：重新调查后重新公示，或写明理由认定异议不成立后报县级确认。不在公示期时答复 409。',
    path: applicationIdPath,
    body: objectionBody,
    success: { status: 201, description: '已受理的异议', schema: responses.objectionCreated },
    errors: [400, 404, 409, 413],
  },
  giveConsent: {
    tag: '申请人',
    description:
      '申请人对按其他类别认定的答复：同意的，在规定的工作日内按该类别认定并告知；不同意的，维持不予确认。同一答复重复提交时按已记录的答复再次送达（202）；未提供其他类别、更改已作出的答复或已逾期时答复 409。',
    path: applicationIdPath,
    body: consentBody,
    success: { status: 202, description: '已记录答复', schema: responses.consentAnswered },
    errors: [400, 404, 409, 413],
  },
  listTasks: {
    tag: '经办人',
    description: '某地的待办任务（乡镇审核、县级确认），含办理期限、督办记录和核查摘要。',
    query: tasksQuery,
    success: { status: 200, description: '待办任务', schema: responses.taskList },
    errors: [400],
  },
  declareRelatives: {
    tag: '经办人',
    description:
      '近亲属备案：工作人员登记本人的近亲属（姓名、身份证号、关系）。此后涉及这些人员的家庭的任务不再分派给本人，他人作出的决定记载回避人员。备案只能增加，不能撤回。',
    body: relativesBody,
    success: { status: 201, description: '本人的全部近亲属备案（身份证号脱敏）', schema: relativesResponse },
    errors: [400, 413],
  },
  declareCommitteeRelatives: {
    tag: '经办人',
    description:
      '村（居）民委员会成员近亲属备案（最低生活保障审核确认办法第十一条）：乡镇（街道）经办人代本辖区村（居）民委员会成员登记其近亲属。申请家庭成员中有其近亲属的，单独登记备案，县级民政部门入户核查后方可作出决定（第二十条）。备案只能增加，不能撤回。',
    body: committeeRelativesBody,
    success: {
      status: 201,
      description: '该乡镇（街道）的全部委员会成员近亲属备案（身份证号脱敏）',
      schema: committeeRelativesResponse,
    },
    errors: [400, 413],
  },
  listRelatives: {
    tag: '经办人',
    description: '本人的近亲属备案（身份证号脱敏）。',
    success: { status: 200, description: '本人的全部近亲属备案', schema: relativesResponse },
    errors: [],
  },
  workChannel: {
    tag: '经办人',
    description:
      '本人的工作消息提醒方式。新任务、任务明日到期由本单位的群机器人发到工作群，并 @ 选择了该平台的承办人员；逾期督办发到督办群，@ 县级民政部门工作人员。未设置时为 inbox（不 @ 本人，只在系统收件箱查看）。',
    success: { status: 200, description: '提醒方式', schema: staffSchemas.workChannelView },
    errors: [],
  },
  setWorkChannel: {
    tag: '经办人',
    description:
      '设置本人的工作消息提醒方式：政务钉钉或企业微信（填写本人在该平台的用户编号，群消息中 @ 本人），或仅在系统收件箱查看。群消息本身由单位配置的群机器人发出，不因个人选择而停发。每次变更记入本人的审计链（staff-<用户编号>）。',
    body: staffSchemas.workChannelBody,
    success: { status: 200, description: '设置后的提醒方式', schema: staffSchemas.workChannelView },
    errors: [400, 409, 413],
  },
  listNotifications: {
    tag: '经办人',
    description:
      '某地收件箱的任务通知（新任务、逾期督办），由队列的消费者送达；since 只取此后送达的，供工作台轮询。只有编号和日期，任务内容经任务本身查看。',
    query: notificationsQuery,
    success: { status: 200, description: '任务通知', schema: notificationsResponse },
    errors: [400],
  },
  decideTask: {
    tag: '经办人',
    description:
      '经办人对任务作出决定，可附入户调查和信息核对情况；不同意时必须填写理由。因公示异议退回的乡镇审核可认定异议不成立（dismiss，必须填写理由），报县级确认而不再重新公示。同一任务只能决定一次；逾期督办的任务仍可决定。',
    path: taskIdPath,
    body: decisionBody,
    success: { status: 200, description: '已决定的任务', schema: responses.task },
    errors: [400, 404, 409, 410, 413],
  },
  caseHistory: {
    tag: '审计',
    description: '案件的全部流程执行及其事件（状态、事件类型、时间），按执行顺序排列。',
    path: caseIdPath,
    success: { status: 200, description: '案件执行历史', schema: responses.caseHistory },
    errors: [400, 404],
  },
  caseAuditLog: {
    tag: '审计',
    description:
      '案件的审计日志：每项操作（申报、决定、异议、告知、发放……）一条，注明操作人、时间与内容；各条以哈希链相连，verification 给出校验结果，被改动、删除或重排的记录从哪一条起不再相符。',
    path: caseIdPath,
    success: { status: 200, description: '审计日志及校验结果', schema: responses.auditLog },
    errors: [400, 404],
  },
  searchCases: {
    tag: '审计',
    description:
      '按行政区划、提交日期、申请状态和作出决定的经办人检索申请，逐件列出各审核任务的期限、决定时间与决定人、是否督办、是否按时，并汇总按时办结的比例。只列案件信息，不含家庭成员姓名和身份证号。',
    query: auditSearchQuery,
    success: { status: 200, description: '检索结果', schema: responses.auditSearchResult },
    errors: [400],
  },
  meansTestPreview: {
    tag: '规则',
    description: '按当地、当日有效的救助参数试算家庭经济状况，逐条说明理由、条款和数值；不创建案件。',
    body: meansTestRequest,
    success: { status: 200, description: '试算结果', schema: responses.meansTestResult },
    errors: [400, 413, 422],
  },
  calendarDeadline: {
    tag: '规则',
    description: '按工作日计算期限：起算日不计入，周末和法定节假日不计，调休上班日计入。',
    query: deadlineQuery,
    success: { status: 200, description: '期限届满日', schema: responses.deadlineResponse },
    errors: [400, 422],
  },
  putParameters: {
    tag: '管理',
    description:
      '载入一个地区自某日起施行的救助参数版本（每项附依据条款）；已有版本不会被覆盖。新版本整级替换本级参数：载入后本地区或其下行政区划自生效日起有参数无生效值的，答 400 并列出行政区划与缺少的参数，不载入。先行救助封顶（emergencySmallAmountCeiling）只由省级设定；使先行救助上限高于省级封顶的版本，须另一名省级或全国管理员以相同内容再次载入确认（202），确认后生效。',
    path: parametersPath,
    body: parameterSetSchema,
    success: { status: 201, description: '已载入的参数版本', schema: responses.parameterVersionCreated },
    alsoSuccess: {
      status: 202,
      description: '先行救助上限将高于省级封顶：待另一名省级或全国管理员以相同内容再次载入确认',
      schema: responses.parameterVersionPending,
    },
    errors: [400, 409, 413],
  },
  putCalendar: {
    tag: '管理',
    description:
      '全国（000000）管理员载入国务院办公厅公布的年度节假日安排（放假时段与调休上班日）。取消现行调休上班日或半数以上放假日的，须另一名全国管理员以相同内容再次载入确认（202），确认后生效。',
    path: calendarYearPath,
    body: annualArrangementSchema,
    success: { status: 201, description: '已载入的年度安排', schema: responses.calendarCreated },
    alsoSuccess: {
      status: 202,
      description: '将取消现行的调休上班日或半数以上放假日：待另一名全国管理员以相同内容再次载入确认',
      schema: responses.calendarPending,
    },
    errors: [400, 409, 413],
  },
  me: {
    tag: '系统',
    description:
      '当前登录人：身份令牌只说明是谁（sub）；工作人员的角色、管辖范围和所属部门取自本系统的授权记录（/admin/staff），没有授权记录的登录人是申请人。页面据此显示身份。',
    success: { status: 200, description: '登录人', schema: staffSchemas.principalView },
    errors: [],
  },
  signInOptions: {
    tag: '系统',
    description:
      '页面的登录方式，登录前读取：部署所用的统一身份认证（OIDC 签发者、客户端编号），页面据此以授权码流程（PKCE）登录；本地运行环境另有开发登录。同一份页面服务于每个部署。',
    success: { status: 200, description: '登录方式', schema: staffSchemas.signInOptionsView },
    errors: [],
  },
  listStaff: {
    tag: '管理',
    description: '所服务的行政区划与本人管辖范围相交的工作人员授权（在职和已撤销）。管理员、审计人员可查。',
    query: staffSchemas.staffListQuery,
    success: { status: 200, description: '工作人员授权', schema: staffSchemas.staffList },
    errors: [400],
  },
  getStaff: {
    tag: '管理',
    description: '一名工作人员的授权及其全部授予、变更、撤销记录（谁、何时、由什么变为什么）。',
    path: staffSchemas.staffPath,
    success: { status: 200, description: '授权及变更记录', schema: staffSchemas.staffDetail },
    errors: [400, 404],
  },
  putStaff: {
    tag: '管理',
    description:
      '管理员授予或变更工作人员的角色、所服务的行政区划和所属部门：只能在本人管辖范围内授予（省级管理员不能授予外省的行政区划），不能变更本人的授权，也不能变更同时服务于本人管辖范围以外地区的人员。每次变更记入审计链；与现有授权相同时不写入（same）。',
    path: staffSchemas.staffPath,
    body: staffSchemas.staffGrantBody,
    success: { status: 201, description: '新授予', schema: staffSchemas.staffChanged },
    alsoSuccess: { status: 200, description: '已变更，或与现有授权相同', schema: staffSchemas.staffChanged },
    errors: [400, 409, 413],
  },
  revokeStaff: {
    tag: '管理',
    description:
      '管理员撤销工作人员的授权（写明理由）：自下一个请求起，此人只能以申请人身份办理本人事项。记入审计链；已撤销的再次撤销答复 same。',
    path: staffSchemas.staffPath,
    body: staffSchemas.staffRevocationBody,
    success: { status: 200, description: '已撤销', schema: staffSchemas.staffChanged },
    errors: [400, 404, 409, 413],
  },
  openApiDocument: {
    tag: '系统',
    description: '本文档（OpenAPI 3.1），由请求和响应的 zod 模式生成。',
    success: {
      status: 200,
      description: 'OpenAPI 3.1 文档',
      content: { type: 'application/json', schema: { type: 'object', description: 'OpenAPI 3.1 文档' } },
    },
    errors: [],
  },
  apiDocs: {
    tag: '系统',
    description: '本文档的网页版。',
    success: {
      status: 200,
      description: 'HTML 页面',
      content: { type: 'text/html', schema: { type: 'string' } },
    },
    errors: [],
  },
  webAsset: {
    tag: '系统',
    description:
      '网页脚本：web/src/<名称>.ts 连同所用的 zod 模式打包成浏览器可用的 ES 模块（本地运行时首次请求时打包）。',
    path: assetPath,
    success: {
      status: 200,
      description: 'JavaScript 模块',
      content: { type: 'text/javascript', schema: { type: 'string' } },
    },
    errors: [400, 404],
  },
  submitEmergency: {
    tag: '申请人',
    description:
      '临时救助/急难救助：向急难发生地申请，不受户籍限制。情况紧急的，当即按当地上限先行发放小金额救助，再在规定工作日内补办手续；同一 Idempotency-Key 重复提交返回同一申请。',
    headers: idempotencyHeaders,
    body: emergencyRequest,
    success: {
      status: 202,
      description: '已受理，临时救助流程已启动',
      schema: emergencyResponses.submitted,
      headers: { Location: '临时救助的地址 /emergency/{emergencyId}' },
    },
    errors: [400, 413],
  },
  getEmergency: {
    tag: '申请人',
    description: '临时救助的办理情况：先行救助金额、补办手续期限与结果、是否转为常规申请，以及书面告知。',
    path: emergencyIdPath,
    success: { status: 200, description: '临时救助办理情况', schema: emergencyResponses.view },
    errors: [400, 404],
  },
  decideEmergencyPaperwork: {
    tag: '经办人',
    description:
      '经办人对临时救助补办手续作出决定；不予确认时必须填写理由。手续齐全且家庭需要常规救助的，可用 convertTo 以原申报转为低保等常规申请（同一案件）。只能决定一次。',
    path: emergencyIdPath,
    body: paperworkBody,
    success: { status: 200, description: '已决定', schema: emergencyResponses.paperworkDecided },
    errors: [400, 404, 409, 410, 413],
  },
  submitDeclaration: {
    tag: '申请人',
    description: '已认定的家庭申报收入、人口、财产等变化；下次定期核查按最新申报和当日参数核查。',
    path: caseIdPath,
    body: declarationBody,
    success: { status: 201, description: '已记录', schema: caseLifecycleResponses.declared },
    errors: [400, 404, 413],
  },
  extendReviewDeadline: {
    tag: '经办人',
    description:
      '延长审核确认时限（最低生活保障审核确认办法第二十二条：30个工作日，特殊情况可延长至45个工作日；河南等地以参数为准）：乡镇（街道）经办人或县级民政部门在作出决定前注明理由延长一次，理由限于公示有异议需重新调查、人户分离、异地申办、调查难度较大。原时限与延长后的时限都保留在申请上，审计可见。',
    path: applicationIdPath,
    body: extensionBody,
    success: {
      status: 200,
      description: '已延长',
      schema: z
        .object({ applicationId: z.string(), reviewDeadline: reviewDeadlineView })
        .meta({ title: '延长后的审核确认时限' }),
    },
    errors: [400, 404, 409, 413],
  },
  startInvestigation: {
    tag: '经办人',
    description:
      '记录启动家庭经济状况调查（最低生活保障审核确认办法第十五条：自受理之日起3个工作日内启动，可入户调查、邻里访问、信函索证或提请信息核对）：乡镇（街道）经办人记录一次启动日期和方式；是否按时启动在申请和审计的时限合规中可见。',
    path: applicationIdPath,
    body: investigationBody,
    success: {
      status: 200,
      description: '已记录',
      schema: z
        .object({ applicationId: z.string(), reviewDeadline: reviewDeadlineView })
        .meta({ title: '启动调查后的审核时限' }),
    },
    errors: [400, 404, 409, 413],
  },
  answerHearing: {
    tag: '申请人',
    description:
      '拟调减或停止救助时（定期核查、渐退），在书面告知的陈述期限内陈述意见（社会救助法第四十八条）：本人网上陈述，或乡镇（街道）经办人入户听取后记录。有异议的由经办人复核后决定；逾期未陈述的记录为未陈述意见。只能陈述一次。',
    path: caseIdPath,
    body: hearingAnswerBody,
    success: {
      status: 200,
      description: '已记录（同一意见重复提交，答复相同）',
      schema: caseLifecycleResponses.heard,
    },
    errors: [400, 404, 409, 413],
  },
  raiseEndObjection: {
    tag: '申请人',
    description:
      '对拟终止特困人员救助供养的公示提出异议（特困人员认定办法第二十六条：在所在村（社区）公示7天）：公示期内任何登录的居民可提出，乡镇（街道）经办人可代为记录当面提出的异议；同一人对同一公示只能提出一次。公示期满有异议的，由县级民政部门调查核实后决定是否终止。',
    path: caseIdPath,
    body: objectionBody,
    success: {
      status: 201,
      description: '已收到异议',
      schema: z
        .object({
          caseId: z.string(),
          objectionId: z.string(),
          endsOn: z.string().describe('公示截止日期'),
          message: z.string(),
        })
        .meta({ title: '终止公示异议' }),
    },
    errors: [400, 404, 409, 413],
  },
  recordAppeal: {
    tag: '经办人',
    description:
      '县级民政部门记录对其决定的行政复议、行政诉讼结果（社会救助法第七十六条），对应被申请复议或起诉的决定的书面告知书（须是载明复议、诉讼途径的决定）。维持、确认违法不撤销、撤回的只作记录；撤销的，案件回到原决定前的状态重新办理：不予确认的申请回到原作出决定的层级（县级依乡镇最后的审核意见；省级规定由乡镇确认的由乡镇）重新审核确认；定期核查后调减、渐退、停止救助的恢复原救助，并于次日重新核查。同一文号重复提交答复相同；同一决定只能撤销一次。',
    path: caseIdPath,
    body: appealBody,
    success: { status: 201, description: '已记录', schema: caseLifecycleResponses.appeal },
    alsoSuccess: {
      status: 200,
      description: '已记录（同一文号重复提交，答复相同）',
      schema: caseLifecycleResponses.appeal,
    },
    errors: [400, 404, 409, 413],
  },
  publicApprovals: {
    tag: '公开',
    description:
      '某地公布的社会救助确认决定（社会救助法第四十五条）：申请人姓名（脱敏）、家庭人数、救助类别和金额、确认日期，在公布期内显示。无需登录；不含身份证号码、住址、收入和健康信息。',
    query: publicationQuery,
    success: { status: 200, description: '公布中的确认决定，最新的在前', schema: publicationResponse },
    errors: [400],
  },
  listWarnings: {
    tag: '动态监测',
    description:
      '某地（省、市包括其下各县）的动态监测预警，最新的在前：风险类型、推送部门、脱敏的涉及人员、预警内容与依据、反馈期限、督办与反馈情况。部门工作人员只能查看本部门的预警。',
    query: warningsQuery,
    success: { status: 200, description: '预警列表', schema: responses.warningList },
    errors: [400],
  },
  getWarning: {
    tag: '动态监测',
    description: '一条预警及其推送、督办、入户核查和反馈情况。',
    path: warningIdPath,
    success: { status: 200, description: '预警', schema: responses.warningView },
    errors: [400, 404],
  },
  answerWarning: {
    tag: '动态监测',
    description:
      '预警所推送部门的工作人员反馈处置情况（处置结果、措施、落实的救助项目和金额），只能反馈一次，再次反馈答复 409；其他部门答复 403。反馈记入该户的救助链，计入幸福清单。',
    path: warningIdPath,
    headers: z.object({
      'Idempotency-Key': z
        .string()
        .regex(/^[\w.:-]{1,128}$/)
        .optional()
        .describe('重复提交时带同一个键，返回第一次的结果，不会被当作第二次反馈'),
    }),
    body: warningFeedbackBody,
    success: { status: 200, description: '已反馈的预警', schema: responses.warningView },
    errors: [400, 404, 409, 413, 422],
  },
  submitComplaint: {
    tag: '公开',
    description:
      '网上举报投诉（社会救助法第六十三、六十八条），无需登录：不符合条件却享受救助、应保未保、工作人员违法违规等。举报人可匿名；留下的姓名和电话加密保存、依法保密。受理后进入县级民政部门的待办，15个工作日内核实处理，逾期报督办。答复举报投诉编号和查询码（只给一次），凭此查询处理结果。',
    body: complaintBody,
    success: { status: 201, description: '已受理', schema: responses.complaintReceipt },
    errors: [400],
  },
  recordComplaint: {
    tag: '经办人',
    description:
      '服务热线（社会救助法第六十条）或来信来访受理的举报投诉，由接听、接待的工作人员登记；其余同网上举报投诉。请将编号和查询码告知举报人。',
    body: recordedComplaintBody,
    success: { status: 201, description: '已受理', schema: responses.complaintReceipt },
    errors: [400],
  },
  complaintStatus: {
    tag: '公开',
    description: '举报人凭举报投诉编号和查询码查询受理情况和处理结果；编号或查询码不对的，一律答复不存在。',
    path: complaintIdPath,
    query: complaintStatusQuery,
    success: { status: 200, description: '受理情况和处理结果', schema: responses.complaintReceipt },
    errors: [400, 404],
  },
  complaintFile: {
    tag: '经办人',
    description:
      '县级民政部门查阅本县受理的举报投诉：内容和举报人信息（如有）；每次查阅记入该举报投诉的审计链。',
    path: complaintIdPath,
    success: { status: 200, description: '举报投诉', schema: responses.complaintFile },
    errors: [400, 404],
  },
  complaintStats: {
    tag: '审计',
    description:
      '某地（省、市包括其下各县）某时段受理的举报投诉：按类别、渠道的数量，结果（属实、不属实、办理中），时效（按期办结、逾期办结、逾期未办结），按县分列；不含举报人和内容。',
    query: complaintStatsQuery,
    success: { status: 200, description: '举报投诉统计', schema: responses.complaintStatsView },
    errors: [400],
  },
  recordDiscovery: {
    tag: '经办人',
    description:
      '主动发现（社会救助法第三十九条）：乡镇（街道）经办人或县级民政部门记录村（居）民委员会报告、走访发现的可能需要救助的家庭——住址、发现的情况、紧急程度和联系人（加密保存），生成乡镇（街道）联系该户、告知政策并协助申请的任务（紧急的1个工作日内，一般的5个工作日内）。',
    body: discoveryBody,
    success: { status: 201, description: '已记录，任务已生成', schema: responses.discoveryView },
    errors: [400],
  },
  listDiscoveries: {
    tag: '经办人',
    description:
      '某地（省、市包括其下各县）主动发现的记录，最新的在前：发现方式、紧急程度、联系期限和结果（协助提出的申请，或未申请的原因）；不含住址、情况和联系人。',
    query: discoveriesQuery,
    success: { status: 200, description: '主动发现记录', schema: responses.discoveryList },
    errors: [400],
  },
  getDiscovery: {
    tag: '经办人',
    description:
      '一条主动发现的记录；乡镇（街道）经办人和县级民政部门可看到住址、发现的情况和联系人，审计人员看不到。',
    path: discoveryIdPath,
    success: { status: 200, description: '主动发现', schema: responses.discoveryView },
    errors: [400, 404],
  },
  listDemands: {
    tag: '动态监测',
    description:
      '需求推送：某地（省、市包括其下各县）专项救助的需求，最新的在前——认定、调整、终止救助时新增或停止的医疗、教育、住房、就业等专项救助项目，推送给办理的部门，附反馈期限（推送之日起10个工作日）、督办和反馈情况。身份证号已脱敏。部门工作人员只能查看本部门的需求。',
    query: demandsQuery,
    success: { status: 200, description: '需求列表', schema: responses.demandList },
    errors: [400],
  },
  getDemand: {
    tag: '动态监测',
    description:
      '一条需求。办理部门的工作人员查看时给出涉及人员的姓名和身份证号（办理所需），每次查看记入该户的救助链；县级民政部门和审计人员看到脱敏的身份证号。',
    path: demandIdPath,
    success: { status: 200, description: '需求', schema: responses.demandView },
    errors: [400, 404],
  },
  answerDemand: {
    tag: '动态监测',
    description:
      '办理部门的工作人员反馈办理结果：新增的需求 granted（已落实）或 declined（未落实，写明原因），停止的需求 stopped（已停止）或 continued（继续给予，写明依据）；只能反馈一次，再次反馈答复 409；其他部门答复 403。反馈记入该户的救助链，计入幸福清单。',
    path: demandIdPath,
    headers: z.object({
      'Idempotency-Key': z
        .string()
        .regex(/^[\w.:-]{1,128}$/)
        .optional()
        .describe('重复提交时带同一个键，返回第一次的结果，不会被当作第二次反馈'),
    }),
    body: demandFeedbackBody,
    success: { status: 200, description: '已反馈的需求', schema: responses.demandView },
    errors: [400, 404, 409, 413, 422],
  },
  changeList: {
    tag: '动态监测',
    description:
      '增减变动名单：本部门某地（省、市包括其下各县）某月因认定、调整、终止救助而新增、变更、减少专项救助的人员（如医保据以资助个人缴费）。返回各类人数、脱敏的名单和5分钟内有效的文件下载链接（CSV，含完整身份证号码）；每次下载记录备查。该月结束后，每月的文件也自动生成。',
    query: changesQuery,
    success: { status: 200, description: '增减变动名单', schema: responses.changeListView },
    errors: [400],
  },
  lookupRegister: {
    tag: '动态监测',
    description:
      '结果互认（社会救助法第四十二条第二款）：部门工作人员写明用途，按身份证号码（一次最多1000人）查询所查地区的人是否属于低收入人口、认定类别、认定日期和有效期，以及本部门办理的专项救助项目；不返回收入、健康等其他信息。不在所查地区或不在名单中的，一律答复为不属于，不作区分。无效的身份证号码按位置指出（idNumbers.<位置>）。每次查询都记录（查询人、时间、用途、所查人员的盲索引），供审计。',
    body: lookupBody,
    success: { status: 200, description: '按位置一一对应的查询结果', schema: responses.lookupResult },
    errors: [400],
  },
  listLookups: {
    tag: '动态监测',
    description: '某地（省、市包括其下各县）各部门查询认定结果的记录，最新的在前：查询人、时间、用途、人数。',
    query: lookupsQuery,
    success: { status: 200, description: '查询记录', schema: responses.lookupList },
    errors: [400],
  },
  monitoringRun: {
    tag: '动态监测',
    description:
      '一次比对（部门数据放入接收桶后自动启动）：读取、比对、不合格的行数，各类预警数，以及不合格的行的行号与原因。',
    path: runIdPath,
    success: { status: 200, description: '比对情况与报告', schema: responses.monitoringRunView },
    errors: [400, 404],
  },
  feedSchemas: {
    tag: '动态监测',
    description: '各部门数据的接口说明：放入接收桶的路径、CSV 表头、各字段的类型、是否必填与含义。',
    success: { status: 200, description: '接口说明', schema: responses.feedSchemasView },
    errors: [],
  },
  happinessList: {
    tag: '动态监测',
    description:
      '幸福清单：某地某时段已落实的救助，取自各户救助链——按类别汇总的发放笔数与金额、按类别的认定、各部门对预警的处置结果与落实的救助项目，并按县分列。',
    query: happinessQuery,
    success: { status: 200, description: '幸福清单', schema: responses.happinessListView },
    errors: [400],
  },
  loadRegister: {
    tag: '管理',
    description:
      '载入全国低收入人口名单导出中的家庭（仅在名单中、不在本系统办理的家庭，如防止返贫监测对象），供动态监测比对。逐户校验，不合格或不在 regionCode 范围内的户、已登记在 regionCode 范围外或由本系统案件登记的户、caseId 与已登记不一致（新户不得指定 caseId：案件关联由系统登记）的户列出序号与原因，其余载入（替换该户原有登记）。整份导出可用 npm run register:load 分批载入。',
    query: registerLoadQuery,
    body: registerLoadBody,
    success: { status: 200, description: '载入结果', schema: responses.registerLoaded },
    errors: [400, 413],
  },
  registerPayee: {
    tag: '申请人',
    description:
      '登记（变更）收款账户：救助对象本人（本人的案件）或乡镇（街道）经办人登记救助金发放的银行卡、银行账户或社会保障卡金融账户（民发〔2021〕57号第二十五条：按月支付到家庭的账户）。卡号须16–19位并通过校验位检查，账户8–32位；账号和户名加密保存，任何答复和日志只显示脱敏后的账号和户名。每次登记都保留登记人、时间和说明，此后的发放名册使用新账户。',
    headers: idempotencyHeaders,
    path: caseIdPath,
    body: payeeAccountBody,
    success: {
      status: 200,
      description: '已登记',
      schema: z
        .object({
          caseId: z.string(),
          payeeAccount: maskedPayeeAccount,
          accountFixesClosed: z
            .number()
            .int()
            .optional()
            .describe('随之办结的“发放失败、核实收款账户”任务数'),
          message: z.string(),
        })
        .meta({ title: '已登记的收款账户' }),
    },
    errors: [400, 404, 413],
  },
  householdContact: {
    tag: '申请人',
    description:
      '短信通知发往的号码（脱敏）和方式：申请时所填，或此后变更的。申请家庭本人（本人的案件）或乡镇（街道）经办人查看；未留号码时 contact 为 null。',
    path: caseIdPath,
    success: {
      status: 200,
      description: '短信通知方式',
      schema: householdContactShown,
    },
    errors: [400, 404],
  },
  changeContact: {
    tag: '申请人',
    description:
      '变更短信通知号码或方式：申请家庭本人（本人的案件）或乡镇（街道）经办人（如短信未送达、当面联系后登记新号码）登记接收短信的手机号，或选择不接收短信（书面告知照常送达）。此后的短信通知按新登记的号码和方式发送；号码加密保存，答复只显示脱敏号码。每次变更记入案件的审计链；与现用的相同时不写入（same）。',
    path: caseIdPath,
    body: householdContactBody,
    success: {
      status: 200,
      description: '已变更，或与现用的相同',
      schema: householdContactChanged,
    },
    errors: [400, 404, 413],
  },
  orderRecovery: {
    tag: '发放',
    description:
      '县级民政部门决定追回救助金：家庭状况变化未及时告知而多发（民发〔2021〕57号第三十条），或以虚报、隐瞒、伪造等手段骗取（社会救助法第七十三条）。写明事实和理由、决定文号和日期，出具追回决定书（载明复议、诉讼途径）。追回方式：从以后的救助金中扣回（每月不超过当月应发金额的 recoveryDeductionShare），或由家庭退回。追回总额不能超过该案件已发放的金额。',
    headers: idempotencyHeaders,
    path: caseIdPath,
    body: recoveryBody,
    success: {
      status: 201,
      description: '已决定并出具决定书',
      schema: recoveryView
        .extend({
          notice: responses.notice.extend({ kind: z.literal('recovery') }).meta({ title: '追回决定书' }),
        })
        .meta({ title: '追回决定及决定书' }),
    },
    errors: [400, 404, 413],
  },
  recordRepayment: {
    tag: '发放',
    description:
      '登记家庭按追回决定退回的救助金（金额、日期、收款凭证号），不超过尚欠金额；已全部追回答复 409。',
    headers: idempotencyHeaders,
    path: recoveryIdPath,
    body: repaymentBody,
    success: { status: 201, description: '已登记', schema: recoveryView },
    errors: [400, 404, 409, 413],
  },
  startPayroll: {
    tag: '发放',
    description:
      '县级民政部门工作人员编制本县某月的发放名册（本月或下月）：对本县每个有确认决定的案件计算该月应发金额（低保金、特困供养金；调整、终止自决定的下月起；标准调整的自施行之月起按新标准计算），以及以前月份应发未发的补发。编制人即发起人，计算完成后须由另一名县级工作人员审批。本县另一份名册正在计算或待审批时答复 409；已审批名册中的月份不再计入应发；该月名册已审批的不能再编制。',
    headers: idempotencyHeaders,
    body: startPayrollBody,
    success: { status: 202, description: '已开始编制', schema: payrollResponses.started },
    errors: [400, 409, 413],
  },
  listPayrolls: {
    tag: '发放',
    description: '本县的发放名册，按月份和编制次序：状态、合计、编制人和审批人。',
    query: payrollsQuery,
    success: { status: 200, description: '名册列表', schema: payrollResponses.list },
    errors: [400],
  },
  getPayroll: {
    tag: '发放',
    description: `一份发放名册：合计、哈希、与上一份已审批名册的比较、审批情况，以及逐户明细（每户本月与补发月份、金额及依据），每页500户（按存储分片、分片内按案件编号排列）。`,
    path: rollIdPath,
    query: payrollQuery,
    success: { status: 200, description: '名册', schema: payrollResponses.detail },
    errors: [400, 404],
  },
  approvePayroll: {
    tag: '发放',
    description:
      '审批发放名册：通过（approve）后名册锁定，此后不可更改，更正列入以后月份的名册；退回（return，须说明理由）后本县可重新编制该月名册。编制人本人审批答复 403；名册不在待审批状态答复 409。',
    headers: idempotencyHeaders,
    path: rollIdPath,
    body: payrollDecisionBody,
    success: { status: 202, description: '已记录审批结果', schema: payrollResponses.decided },
    alsoSuccess: { status: 200, description: '同一审批人重复提交相同决定', schema: payrollResponses.decided },
    errors: [400, 404, 409, 413],
  },
  downloadBankFile: {
    tag: '发放',
    description:
      '审批通过该名册的县级工作人员下载银行文件（UTF-8 CSV：#ROLL 行、列名行、每户一行、#TOTAL 笔数与合计；列按本县 bankFileLayout 参数），得到一个短时有效（5分钟）的下载链接，只能下载一次。未登记收款账户的户不列入银行文件，列在 bankFile.excluded 中，在以后月份的名册补发。其他人答复 403；尚未生成或已下载答复 409。',
    path: rollIdPath,
    body: bankFileBody,
    success: { status: 200, description: '下载链接', schema: payrollResponses.bankFileLink },
    errors: [400, 404, 409],
  },
  uploadBankReturn: {
    tag: '发放',
    description:
      '上传银行回盘文件（UTF-8 CSV 全文）：#ROLL,<名册编号>；每笔一行：序号,案件编号,金额,结果（成功/失败）,原因；#TOTAL,<笔数>,<合计>。整份核对：不是本名册的文件、不在银行文件中的序号、重复或缺少的序号、金额或合计不符、失败未注明原因的，逐行列出（fields 的 field 为 lines.<行号>），答复 400，不作任何记录。接受后逐户记入：成功的记入发放记录（台账），失败的记录原因，在以后月份的名册补发。',
    headers: idempotencyHeaders,
    path: rollIdPath,
    body: bankReturnBody,
    success: { status: 202, description: '已接受，正在对账', schema: payrollResponses.returnAccepted },
    errors: [400, 404, 409, 413],
  },
  casePayments: {
    tag: '审计',
    description: '案件逐月发放记录（按月发放、渐退期、临时救助先行发放），每户每月至多一条。',
    path: caseIdPath,
    success: { status: 200, description: '发放记录', schema: caseLifecycleResponses.payments },
    errors: [400, 404],
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Component schemas from one registry: refs between them point into `#/components/schemas`. */
function componentSchemas(
  named: Record<string, ZodType>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  );
}

function inlineSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined) {
  if (!schema) return [];
  const object = inlineSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, { description, ...propertySchema }]) => ({
    // Handlers see header names lower-cased (as API Gateway passes them); people read them as written.
    name: where === 'header' ? name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()) : name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(description ? { description } : {}),
    schema: propertySchema,
  }));
}

const openApiPath = (path: string) => path; // API Gateway's {name} is OpenAPI's syntax too.

export function buildDocument(catalogRoutes: readonly Route[] = routes) {
  const requestNames = new Map<ZodType, string>(
    Object.entries(requestComponents).map(([name, s]) => [s as ZodType, name]),
  );
  const responseNames = new Map<ZodType, string>(
    Object.entries(responseComponents).map(([name, s]) => [s as ZodType, name]),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  const missing: string[] = [];
  for (const route of catalogRoutes) {
    const op = operations[route.function];
    if (!op) {
      missing.push(`${route.method} ${route.path} (${route.function})`);
      continue;
    }
    const body = op.body
      ? {
          required: true,
          content: {
            'application/json': {
              schema: requestNames.has(op.body)
                ? ref(requestNames.get(op.body)!)
                : inlineSchema(op.body, 'input'),
            },
          },
        }
      : undefined;
    const success = op.success;
    const successContent = success.schema
      ? {
          'application/json': {
            schema: responseNames.has(success.schema)
              ? ref(responseNames.get(success.schema)!)
              : inlineSchema(success.schema, 'output'),
          },
        }
      : success.content
        ? { [success.content.type]: { schema: success.content.schema } }
        : undefined;
    // Every route but the public ones needs a signed-in person, and answers 401/403 like any other.
    const signedIn = !route.public;
    // Write routes hold each caller to the limit of their class (shared/rate-limits.ts).
    const limited = routeRateClasses[`${route.method} ${route.path}`] !== undefined;
    const errorResponses = Object.fromEntries(
      [
        ...(signedIn ? ([401, 403] as const) : []),
        ...op.errors,
        ...(limited ? ([429] as const) : []),
        500 as const,
      ].map((status) => [
        String(status),
        {
          description: errorDescriptions[status],
          ...(status === 429
            ? {
                headers: {
                  'Retry-After': {
                    description: '再次请求前需等待的秒数',
                    schema: { type: 'integer', minimum: 1 },
                  },
                },
              }
            : {}),
          content: { 'application/json': { schema: ref('Error') } },
        },
      ]),
    );
    const params = [
      ...parameters('path', op.path),
      ...parameters('query', op.query),
      ...parameters('header', op.headers),
    ];
    paths[openApiPath(route.path)] ??= {};
    paths[openApiPath(route.path)]![route.method.toLowerCase()] = {
      operationId: route.function,
      summary: functions[route.function].description,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: signedIn ? [{ bearer: [] }] : [],
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: {
        [String(success.status)]: {
          description: success.description,
          ...(success.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(success.headers).map(([name, description]) => [
                    name,
                    { description, schema: { type: 'string' } },
                  ]),
                ),
              }
            : {}),
          ...(successContent ? { content: successContent } : {}),
        },
        ...(op.alsoSuccess
          ? {
              [String(op.alsoSuccess.status)]: {
                description: op.alsoSuccess.description,
                content: {
                  'application/json': {
                    schema: responseNames.has(op.alsoSuccess.schema)
                      ? ref(responseNames.get(op.alsoSuccess.schema)!)
                      : inlineSchema(op.alsoSuccess.schema, 'output'),
                  },
                },
              },
            }
          : {}),
        ...errorResponses,
      },
    };
  }
  if (missing.length) throw new Error(`OpenAPI: no operation for ${missing.join(', ')}`);

  return {
    openapi: '3.1.0',
    info: {
      title: '兜底 doudi API',
      version: '0.1.0',
      summary: '分层分类社会救助：自主申报、家庭经济状况核查、审核确认、审计',
      description:
        '所有错误都以 `{ error: { code, message, fields? } }` 回答，message 与 fields[].message 为中文；' +
        'fields[].field 是出错字段的路径（如 `members.0.idNumber`）。金额单位为元，最多两位小数。',
    },
    servers: [{ url: '/' }],
    tags: ['申请人', '经办人', '发放', '动态监测', '审计', '规则', '管理', '公开', '系统'].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            '登录后取得的身份令牌（AWS 上为 Cognito 用户池的 ID 令牌；本地运行环境用 POST /auth/dev-login 取得）。' +
            '令牌带有角色（custom:role）和所服务的行政区划（custom:regionCodes），各接口据此核对角色与管辖范围。',
        },
      },
      schemas: {
        ...componentSchemas(requestComponents, 'input'),
        ...componentSchemas(responseComponents, 'output'),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;
const current = () => {
  cached ??= buildDocument();
  return cached;
};

export const document = httpRoute({ roles: 'public' }, async () => ({ statusCode: 200, body: current() }));

let page: string | undefined;

/** The readable page: HTML, so not through `httpRoute`'s JSON answers. */
export const docs = async (): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    page ??= renderDocs(current());
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
  } catch (error) {
    logger.error('rendering the API page failed', { error: error as Error });
    return json(500, { error: { code: 'InternalError', message: '系统内部错误，请稍后重试' } });
  }
};
