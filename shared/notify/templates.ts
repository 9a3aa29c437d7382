/**
 * What the system sends, and to whom: one fixed Chinese template per message type. A template names
 * the few parameters it may carry, each with a schema that admits nothing else — never an ID number,
 * a health fact, a name or an amount the template does not call for — and every rendering is checked
 * once more for anything shaped like personal data (`renderMessage`), so that a mistake in a caller
 * fails loudly rather than reaching a phone. Each message points to the page where the full notice or
 * task is read, by those entitled to it.
 *
 * `urgent` messages go out at any hour; the others wait out the quiet hours (`shared/notify/config.ts`).
 */
import { z } from 'zod';
import { taskKindLabels } from '../domain/tasks.ts';

export type Audience = 'household' | 'caseworkers' | 'supervisors';

const day = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-z]{4,40}$`));
/** 《…》 titles are the system's own notice titles: short Chinese text, no digits runs. */
const title = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[\u4e00-\u9fa5（）、：“”·]+$/);
/** What a work message may call a task: the task kinds, and the departments' overdue answers. */
export const escalatedItemLabels = {
  monitoringWarning: '动态监测预警部门反馈',
  specialDemand: '专项救助需求部门办理',
} as const;
const kindLabel = z.enum([...Object.values(taskKindLabels), ...Object.values(escalatedItemLabels)] as [
  string,
  ...string[],
]);
/** Yuan as the payment notice prints it: `1,234.50元`. */
const yuan = z.string().regex(/^\d{1,3}(,\d{3})*(\.\d{2})?元$/);

interface TemplateSpec<P extends z.ZodType> {
  audience: Audience;
  /** 中文名 of the message type, as the case chain's receipt and the outbox name it. */
  label: string;
  urgent: boolean;
  /** The page the message links to (path under the pages' base URL). */
  page: string;
  params: P;
  text: (p: z.infer<P>) => string;
}

const spec = <P extends z.ZodType>(s: TemplateSpec<P>) => s;

export const templates = {
  applicationReceived: spec({
    audience: 'household',
    label: '申请已受理',
    urgent: false,
    page: '/status/',
    params: z.object({ applicationId: id('app') }).strict(),
    text: (p) => `您的社会救助申请已受理（申请编号 ${p.applicationId}），办理进度可在“申请进度”页面查看。`,
  }),
  emergencyReceived: spec({
    audience: 'household',
    label: '临时救助申请已受理',
    urgent: true,
    page: '/status/',
    params: z.object({ emergencyId: id('emerg') }).strict(),
    text: (p) =>
      `您的临时救助申请已受理（编号 ${p.emergencyId}），急难情形将尽快处理，办理进度可在“申请进度”页面查看。`,
  }),
  publicNotice: spec({
    audience: 'household',
    label: '拟审核结果公示',
    urgent: false,
    page: '/status/',
    params: z.object({ endsOn: day }).strict(),
    text: (p) =>
      `您家的社会救助拟审核结果正在村（居）公示，公示期至 ${p.endsOn}。如对公示有疑问，可向乡镇（街道）咨询。`,
  }),
  noticeIssued: spec({
    audience: 'household',
    label: '书面告知',
    urgent: false,
    page: '/status/',
    params: z.object({ title }).strict(),
    text: (p) => `已为您出具《${p.title}》，请在“申请进度”页面查看，或到乡镇（街道）领取书面告知。`,
  }),
  hearingInvited: spec({
    audience: 'household',
    label: '陈述意见告知',
    urgent: true,
    page: '/status/',
    params: z.object({ answerBy: day }).strict(),
    text: (p) =>
      `民政部门拟调整您家的救助，已出具书面告知说明理由。请于 ${p.answerBy} 前陈述意见（在线提交或到乡镇（街道）办理），逾期视为放弃。`,
  }),
  paymentMade: spec({
    audience: 'household',
    label: '救助金已发放',
    urgent: false,
    page: '/status/',
    params: z.object({ month, amount: yuan }).strict(),
    text: (p) => `${p.month} 救助金 ${p.amount} 已发放至您登记的收款账户。`,
  }),
  paymentFailed: spec({
    audience: 'household',
    label: '救助金发放失败',
    urgent: false,
    page: '/status/',
    params: z.object({ months: z.string().regex(/^\d{4}-\d{2}(、\d{4}-\d{2}){0,11}$/) }).strict(),
    text: (p) =>
      `${p.months} 救助金未能到账（银行退回），将列入以后月份补发。请核对收款账户，或联系乡镇（街道）。`,
  }),
  recheckDue: spec({
    audience: 'household',
    label: '定期核查提醒',
    urgent: false,
    page: '/status/',
    params: z.object({ dueOn: day }).strict(),
    text: (p) =>
      `您家的社会救助定期核查将于 ${p.dueOn} 进行。家庭人口、收入、财产如有变化，请在此前通过“申请进度”页面申报，或到乡镇（街道）办理。`,
  }),
  taskOpened: spec({
    audience: 'caseworkers',
    label: '新任务',
    urgent: false,
    page: '/workbench/',
    params: z.object({ kindLabel, dueDate: day }).strict(),
    text: (p) => `新任务：${p.kindLabel}，办理期限 ${p.dueDate}。请登录工作台办理。`,
  }),
  taskDueTomorrow: spec({
    audience: 'caseworkers',
    label: '任务明日到期',
    urgent: false,
    page: '/workbench/',
    params: z.object({ kindLabel, dueDate: day }).strict(),
    text: (p) => `提醒：${p.kindLabel}任务明天（${p.dueDate}）到期，请及时办理。`,
  }),
  taskEscalated: spec({
    audience: 'supervisors',
    label: '逾期督办',
    urgent: true,
    page: '/workbench/',
    params: z.object({ kindLabel, overdueSince: day, newDueDate: day }).strict(),
    text: (p) =>
      `督办：${p.kindLabel}任务已逾期（原期限 ${p.overdueSince}），新期限 ${p.newDueDate}，请督促办理。`,
  }),
} as const;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as TemplateId[];
export type TemplateParams<T extends TemplateId> = z.infer<(typeof templates)[T]['params']>;

/** A rendering that would carry what no template may: refused, never sent. */
export class UnsafeMessageError extends Error {
  override name = 'UnsafeMessageError';
}

// An ID number (18 or 15 digits), a mobile number, a bank card: digit runs no template prints.
const PERSONAL_SHAPES = [/\d{17}[\dXx]/, /\d{15}/, /1\d{10}/, /\d{12,}/];
// Health facts (社会救助法 protects them as personal data): none belongs in a text message.
const HEALTH_WORDS = ['残疾', '重病', '疾病', '病情', '失能', '诊断'];

/**
 * The message text of a template with its parameters, the link to its page, and the system's sign:
 * parameters are checked against the template's schema, the result against personal-data shapes.
 */
export function renderMessage(templateId: TemplateId, params: unknown, pageBaseUrl: string): string {
  const template = templates[templateId] as TemplateSpec<z.ZodType>;
  const parsed = template.params.safeParse(params);
  if (!parsed.success)
    throw new UnsafeMessageError(
      `${templateId}: parameters refused (${parsed.error.issues.map((i) => `${i.path.join('.') || '(all)'}: ${i.message}`).join('; ')})`,
    );
  const body = template.text(parsed.data);
  for (const shape of PERSONAL_SHAPES)
    if (shape.test(body))
      throw new UnsafeMessageError(`${templateId}: the text carries a number shaped like personal data`);
  for (const word of HEALTH_WORDS)
    if (body.includes(word))
      throw new UnsafeMessageError(`${templateId}: the text names a health fact (${word})`);
  return `【兜底救助】${body} ${pageBaseUrl.replace(/\/$/, '')}${template.page}`;
}
