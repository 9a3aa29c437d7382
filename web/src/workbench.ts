/**
 * 经办人工作台. The open tasks of one township (polled, so new tasks appear without a reload and are
 * announced), each with its due date, the calendar days left and an overdue mark; a case view with
 * the means test's conclusion and reasons, the application and the case's workflow history; and the
 * decision with reasons (a refusal needs at least one). The caseworker signs in first
 * (`lib/signin.ts`) as a township caseworker or a county officer serving some regions: the inbox
 * opens on the first of them, and only the tasks of the signed-in role can be decided here.
 */

import type { z } from 'zod';
import { covers, type Role } from '../../shared/auth.ts';
import { appealChannelLabels, appealOutcomeLabels } from '../../shared/domain/appeals.ts';
import { homeCheckReasonLabels } from '../../shared/domain/deadlines.ts';
import { deciders } from '../../shared/domain/tasks.ts';
import { type Department, departmentLabels, riskTypeLabels } from '../../shared/monitoring/vocabulary.ts';
import type {
  ApplicationView,
  CaseHistory,
  ComplaintFile,
  Discovery,
  Task,
  TaskList,
} from '../../shared/openapi.ts';
import { appealBody, caseIdPath } from '../../shared/schemas/cases.ts';
import type { notificationsResponse } from '../../shared/schemas/casework.ts';
import { householdContactBody, regionCode } from '../../shared/schemas/household.ts';
import {
  workChannelBody,
  workChannelLabels,
  workChannels,
  type workChannelView,
} from '../../shared/schemas/staff.ts';
import { type ApiError, api } from './lib/api.ts';
import { $, h, show } from './lib/dom.ts';
import { beijingTime, daysUntil, yuan } from './lib/format.ts';
import {
  eventLabels,
  fieldLabel,
  relationLabels,
  requestedTierLabels,
  stateLabels,
  taskKindLabels,
  tierLabels,
  workflowLabels,
} from './lib/labels.ts';
import { type Session, startSignIn } from './lib/signin.ts';

const POLL_MS = 3_000;
const TOWNSHIP_KEY = 'doudi.workbench.township';
const root = $('#workbench');
const label = (tier: string | null | undefined) => (tier ? (tierLabels[tier] ?? tier) : '—');
const riskLabel = (riskType: string | undefined) =>
  riskType ? (riskTypeLabels[riskType as keyof typeof riskTypeLabels] ?? riskType) : '';

/** Who decides each kind of task: the table the API checks (`requireDecider`). */
const deciderOf = (kind: string): readonly Role[] =>
  (deciders as Record<string, readonly Role[]>)[kind] ?? [];
const decidable = (task: Task) => session !== undefined && deciderOf(task.kind).includes(session.role);

let session: Session | undefined;
let township = '';
let tasks: Task[] = [];
let known: Set<string> | undefined;
const fresh = new Set<string>();
let selected: string | undefined;
let shownUnreached: string | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function dueBadge(dueDate: string) {
  const left = daysUntil(dueDate);
  if (left < 0) return h('span', { class: 'badge bad' }, `逾期 ${-left} 天`);
  if (left === 0) return h('span', { class: 'badge warn' }, '今日到期');
  return h('span', { class: `badge ${left <= 2 ? 'warn' : 'ok'}` }, `剩 ${left} 天`);
}

function controls() {
  const input = h('input', {
    id: 'township',
    type: 'text',
    value: township,
    inputmode: 'numeric',
    maxlength: 6,
    autocomplete: 'off',
    'aria-describedby': 'township-error',
  });
  return h(
    'form',
    {
      class: 'card',
      id: 'inbox-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const parsed = regionCode.safeParse(input.value.trim());
        const error = $('#township-error');
        if (!parsed.success) {
          input.setAttribute('aria-invalid', 'true');
          error.textContent = `乡镇（街道）行政区划代码：${parsed.error.issues[0]?.message}`;
          return;
        }
        input.removeAttribute('aria-invalid');
        error.textContent = '';
        township = parsed.data;
        localStorage.setItem(TOWNSHIP_KEY, township);
        known = undefined;
        shownUnreached = undefined;
        fresh.clear();
        selected = undefined;
        show($('#case'), h('p', { class: 'muted' }, '请选择一项任务，查看案件并作出审核意见。'));
        void poll();
      },
    },
    h(
      'div',
      {},
      h(
        'label',
        { class: 'field' },
        h('span', {}, '乡镇（街道）行政区划代码'),
        input,
        h('small', { class: 'error', id: 'township-error' }),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看待办')),
  );
}

function renderInbox() {
  const sorted = [...tasks].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.createdAt.localeCompare(b.createdAt),
  );
  show(
    $('#inbox'),
    h('h2', {}, `待办任务（${tasks.length}）`),
    sorted.length
      ? h(
          'ul',
          { class: 'tasks', role: 'listbox', 'aria-label': '待办任务' },
          sorted.map((task) =>
            h(
              'li',
              {
                role: 'option',
                tabindex: 0,
                'data-task': task.taskId,
                'aria-selected': task.taskId === selected ? 'true' : 'false',
                class: daysUntil(task.dueDate) < 0 ? 'overdue' : '',
                onclick: () => void open(task.taskId),
                onkeydown: (e: Event) => {
                  if ((e as KeyboardEvent).key === 'Enter') void open(task.taskId);
                },
              },
              h(
                'div',
                {},
                fresh.has(task.taskId) ? h('span', { class: 'badge new' }, '新') : null,
                ' ',
                ...(task.payment
                  ? [
                      h('strong', {}, taskKindLabels[task.kind] ?? task.kind),
                      ' ',
                      h('span', { class: 'badge' }, `${task.payment.month} 名册`),
                    ]
                  : task.meansTest
                    ? [
                        h('strong', {}, label(task.meansTest.tier)),
                        ' ',
                        h(
                          'span',
                          { class: `badge ${task.meansTest.eligible ? 'ok' : 'bad'}` },
                          task.meansTest.eligible ? '符合申请类别' : '不符合申请类别',
                        ),
                      ]
                    : [
                        h('strong', {}, '入户核查'),
                        ' ',
                        h('span', { class: 'badge warn' }, `${riskLabel(task.warning?.riskType)}预警`),
                      ]),
              ),
              h(
                'div',
                { class: 'muted' },
                `${taskKindLabels[task.kind] ?? task.kind} · ${task.payment ? '名册' : task.warning ? '预警' : task.outreach ? '发现记录' : task.complaint ? '举报投诉' : '申请'} ${task.applicationId}`,
                decidable(task) ? null : ' ',
                decidable(task) ? null : h('span', { class: 'badge' }, '由其他角色办理'),
              ),
              h('div', {}, `期限 ${task.dueDate} `, dueBadge(task.dueDate)),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '暂无待办任务。新任务会自动出现。'),
  );
}

type Notifications = z.infer<typeof notificationsResponse>;

/**
 * Households the system could not reach by SMS (a refused number, an unsubscribed phone): someone
 * must reach them in person or by telephone. Newest first; hidden when there are none.
 */
async function renderUnreached() {
  const res = await api<Notifications>('GET', `/notifications?township=${encodeURIComponent(township)}`);
  if (!res.ok) return;
  const unreached = res.data.notifications.filter((n) => n.type === 'householdUnreached').reverse();
  // Re-drawn only when the list changed: a number being typed in is not wiped by the next poll.
  const listed = JSON.stringify(unreached.map((n) => n.taskId));
  if (listed === shownUnreached) return;
  shownUnreached = listed;
  if (!unreached.length) {
    show($('#unreached'));
    return;
  }
  show(
    $('#unreached'),
    h('h2', {}, `短信未送达，请当面或电话联系（${unreached.length}）`),
    h(
      'ul',
      { class: 'unreached' },
      unreached.map((n) =>
        h(
          'li',
          { 'data-case': n.caseId },
          h('strong', {}, n.label ?? '通知'),
          `：${n.reason ?? '未能送达'} · 案件 ${n.caseId} · ${beijingTime(n.deliveredAt)}`,
          newNumberForm(n.caseId),
        ),
      ),
    ),
  );
}

/** The household's new number, learnt in person or by telephone: its SMS go there from now on. */
function newNumberForm(caseId: string) {
  const phone = h('input', {
    type: 'tel',
    inputmode: 'numeric',
    maxlength: '11',
    placeholder: '新手机号',
    'aria-label': `案件 ${caseId} 的新手机号`,
  }) as HTMLInputElement;
  const said = h('small', { role: 'status' });
  return h(
    'form',
    {
      class: 'inline',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const parsed = householdContactBody.safeParse({ phone: phone.value.trim(), notify: 'sms' });
        if (!parsed.success) {
          said.className = 'error';
          said.textContent = parsed.error.issues.map((i) => i.message).join('；');
          return;
        }
        const res = await api<{ message: string }>('PUT', `/cases/${encodeURIComponent(caseId)}/contact`, {
          body: parsed.data,
        });
        said.className = res.ok ? 'ok' : 'error';
        said.textContent = res.ok ? res.data.message : `登记失败：${res.error.message}`;
      },
    },
    phone,
    h('button', { type: 'submit' }, '登记新号码'),
    said,
  );
}

async function poll() {
  void renderUnreached();
  const res = await api<TaskList>('GET', `/tasks?township=${encodeURIComponent(township)}`);
  if (!res.ok) {
    show($('#banner'), `待办任务刷新失败：${res.error.message}`);
    return;
  }
  const ids = new Set(res.data.tasks.map((t) => t.taskId));
  if (known) {
    const arrived = [...ids].filter((id) => !known!.has(id));
    for (const id of arrived) fresh.add(id);
    if (arrived.length) show($('#banner'), `收到 ${arrived.length} 件新任务`);
  }
  known = ids;
  tasks = res.data.tasks;
  document.title = `${fresh.size ? `(${fresh.size}) ` : ''}经办人工作台 · 兜底`;
  renderInbox();
}

function historyList(history: CaseHistory) {
  return history.executions.map((execution) =>
    h(
      'div',
      {},
      h(
        'p',
        {},
        h('strong', {}, workflowLabels[execution.workflow] ?? execution.workflow),
        ` · ${beijingTime(execution.startDate)} 开始 · 已经过：`,
        execution.states.map((s) => stateLabels[s] ?? s).join(' → '),
      ),
      h(
        'ol',
        { class: 'timeline' },
        execution.events.map((event) =>
          h(
            'li',
            {},
            h('time', {}, beijingTime(event.timestamp)),
            ' ',
            eventLabels[event.type] ?? event.type,
            event.state ? `：${stateLabels[event.state] ?? event.state}` : '',
          ),
        ),
      ),
    ),
  );
}

const opinionTitle = (task: Task) =>
  task.complaint
    ? '核实处理结果'
    : task.outreach
      ? '联系结果'
      : task.warning || task.kind === 'payeeAccountFix'
        ? '核查结论'
        : task.kind === 'payrollApproval'
          ? '审批意见'
          : '审核意见';

function decisionForm(task: Task) {
  const reasons = h('textarea', {
    id: 'reasons',
    name: 'reasons',
    rows: 4,
    'aria-describedby': 'reasons-error',
  });
  // 先行救助: the caseworker decides the amount, up to what the workflow assessed.
  // 超出先行救助部分的审核: the county decides the amount beyond it, up to what the household's limit leaves.
  const assessing = task.kind === 'emergencyAssessment';
  const maxAmount =
    task.kind === 'emergencyGrant' || assessing ? (task.emergency?.maxAmount ?? 0) : undefined;
  const amount = h('input', {
    id: 'amount',
    name: 'amount',
    type: 'number',
    min: '0.01',
    step: '0.01',
    ...(maxAmount !== undefined ? { max: String(maxAmount), value: String(maxAmount) } : {}),
    'aria-describedby': 'amount-error',
  }) as HTMLInputElement;
  const result = h('div', { id: 'decision-result', role: 'status' });
  // 主动发现: the application the household made with the township's help.
  const applicationId = h('input', {
    id: 'outreach-application',
    type: 'text',
    placeholder: '如 app-…',
    autocomplete: 'off',
    'aria-describedby': 'applicationId-error',
  }) as HTMLInputElement;
  // 入户调查 (57号 第十六条: at least 2 people): recorded with an application task's decision, and
  // required where the county must check the household itself (`homeCheck`).
  const offersVisit = task.kind === 'townshipReview' || task.kind === 'countyDetermination';
  const visitedOn = h('input', {
    id: 'visit-date',
    type: 'date',
    'aria-describedby': 'findings-error',
  }) as HTMLInputElement;
  const visitors = h('input', {
    id: 'visit-visitors',
    type: 'text',
    placeholder: '至少2人，用“、”分隔',
    'aria-describedby': 'findings-error',
  }) as HTMLInputElement;
  const matches = h('input', { id: 'visit-matches', type: 'checkbox', checked: true }) as HTMLInputElement;
  const visitNotes = h('input', { id: 'visit-notes', type: 'text' }) as HTMLInputElement;
  const homeVisit = () =>
    visitedOn.value
      ? {
          visitedOn: visitedOn.value,
          visitors: visitors.value
            .split(/[、,，\s]+/)
            .map((v) => v.trim())
            .filter(Boolean),
          matchesDeclaration: matches.checked,
          ...(visitNotes.value.trim() ? { notes: visitNotes.value.trim() } : {}),
        }
      : undefined;
  const slotOf = (field: string) => {
    const top = field.split('.')[0]!;
    return top === 'reasons' || top === 'amount' || top === 'findings' || top === 'applicationId'
      ? top
      : 'decision';
  };
  const showFieldErrors = (fields: Array<{ field: string; message: string }>) => {
    for (const slot of ['decision', 'reasons', 'amount', 'findings', 'applicationId']) {
      const el = document.querySelector(`#${slot}-error`);
      if (el) el.textContent = '';
    }
    reasons.removeAttribute('aria-invalid');
    for (const f of fields) {
      const key = slotOf(f.field);
      $(`#${key}-error`).textContent = `${fieldLabel(f.field)}：${f.message}`;
      if (key === 'reasons') reasons.setAttribute('aria-invalid', 'true');
    }
  };
  const form = h(
    'form',
    {
      class: 'card',
      id: 'decision-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const decision = (form.querySelector('input[name="decision"]:checked') as HTMLInputElement | null)
          ?.value;
        const list = reasons.value
          .split('\n')
          .map((r) => r.trim())
          .filter(Boolean);
        // The API checks the same (shared/schemas/casework.ts `decisionBody`); checked here too so that
        // an incomplete decision never leaves the page.
        const granted = maxAmount !== undefined && decision === 'approve' ? Number(amount.value) : undefined;
        const problems = [
          ...(decision ? [] : [{ field: 'decision', message: '请选择同意或不同意' }]),
          ...(decision === 'reject' && !list.length
            ? [{ field: 'reasons', message: '不同意时必须填写理由' }]
            : []),
          ...(task.complaint && decision === 'approve' && !list.length
            ? [{ field: 'reasons', message: '请写明核实的情况和处理结果' }]
            : []),
          ...(task.outreach && decision === 'approve' && !applicationId.value.trim()
            ? [
                {
                  field: 'applicationId',
                  message: '已协助申请的，请填写申请编号；未申请的，选择“未提出申请”并写明原因',
                },
              ]
            : []),
          ...(decision === 'dismiss' && !list.length
            ? [{ field: 'reasons', message: '认定异议不成立时必须写明理由' }]
            : []),
          ...(granted !== undefined && !(granted > 0 && granted <= maxAmount!)
            ? [{ field: 'amount', message: `金额应大于0且不超过${yuan(maxAmount!)}` }]
            : []),
        ];
        showFieldErrors(problems);
        if (problems.length) return;
        const button = $<HTMLButtonElement>('#decide-button');
        button.disabled = true;
        const visit = offersVisit ? homeVisit() : undefined;
        const res = await api<Task>('POST', `/tasks/${encodeURIComponent(task.taskId)}/decision`, {
          body: {
            decision,
            reasons: list,
            ...(granted !== undefined ? { amount: granted } : {}),
            ...(visit ? { findings: { homeVisit: visit } } : {}),
            ...(task.outreach && decision === 'approve' && applicationId.value.trim()
              ? { applicationId: applicationId.value.trim() }
              : {}),
          },
        });
        if (res.ok) {
          const said =
            { approve: '同意', reject: '不同意', dismiss: '异议不成立' }[decision as string] ?? decision;
          show(result, h('p', { class: 'ok' }, `已提交：${said}。`));
          tasks = tasks.filter((t) => t.taskId !== task.taskId);
          renderInbox();
          return;
        }
        button.disabled = false;
        showFieldErrors((res.error as ApiError).fields ?? []);
        show(
          result,
          h(
            'p',
            { class: 'error' },
            res.status === 409 ? '该任务已处理，不能重复决定。' : `提交失败：${res.error.message}`,
          ),
        );
      },
    },
    h('h3', {}, opinionTitle(task)),
    h(
      'fieldset',
      { class: 'field', 'aria-describedby': 'decision-error' },
      h('legend', {}, `${opinionTitle(task)} *`),
      h(
        'label',
        { class: 'field check' },
        h('input', { type: 'radio', name: 'decision', value: 'approve' }),
        h(
          'span',
          {},
          task.complaint
            ? '经核实属实（写明处理结果）'
            : task.outreach
              ? '已联系并协助提出申请（填写申请编号）'
              : task.warning
                ? '核查属实（情况与预警一致）'
                : task.kind === 'payrollApproval'
                  ? '审批通过（名册此后不可更改）'
                  : task.kind === 'payeeAccountFix'
                    ? '账户核实无误（以后月份的名册补发）'
                    : assessing
                      ? '同意救助（审核确定金额）'
                      : maxAmount !== undefined
                        ? '先行救助（情况紧急、金额较小、需立即救助）'
                        : '同意（符合条件）',
        ),
      ),
      h(
        'label',
        { class: 'field check' },
        h('input', { type: 'radio', name: 'decision', value: 'reject' }),
        h(
          'span',
          {},
          task.complaint
            ? '经核实不属实（写明理由）'
            : task.outreach
              ? '未提出申请（写明原因：经了解生活无困难、联系不上、本人不愿申请等）'
              : task.warning
                ? '核查不属实'
                : task.kind === 'payrollApproval'
                  ? '退回（写明理由，本县可重新编制）'
                  : assessing
                    ? '不予救助（写明理由）'
                    : maxAmount !== undefined
                      ? '不予先行救助'
                      : '不同意',
        ),
      ),
      // Only a review sent back by objections to its public notice may find them groundless.
      ...(task.objections?.length
        ? [
            h(
              'label',
              { class: 'field check' },
              h('input', { type: 'radio', name: 'decision', value: 'dismiss' }),
              h('span', {}, '异议不成立（写明理由，原审核结果报县级确认，不再重新公示）'),
            ),
          ]
        : []),
      h('small', { class: 'error', id: 'decision-error' }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '理由（每行一条；不同意时必填）'),
      reasons,
      h('small', { class: 'error', id: 'reasons-error' }),
    ),
    ...(offersVisit
      ? [
          h(
            'fieldset',
            { class: 'field', id: 'home-visit' },
            h(
              'legend',
              {},
              task.homeCheck?.required ? '入户核查情况 *（须县级入户核查）' : '入户调查情况（已入户的填写）',
            ),
            h('label', { class: 'field' }, h('span', {}, '入户日期'), visitedOn),
            h('label', { class: 'field' }, h('span', {}, '调查人员'), visitors),
            h('label', { class: 'field check' }, matches, h('span', {}, '家庭实际情况与申报相符')),
            h('label', { class: 'field' }, h('span', {}, '情况说明'), visitNotes),
            h('small', { class: 'error', id: 'findings-error' }),
          ),
        ]
      : []),
    ...(task.outreach
      ? [
          h(
            'label',
            { class: 'field' },
            h('span', {}, '协助提出的申请编号（已申请的必填）'),
            applicationId,
            h('small', { class: 'error', id: 'applicationId-error' }),
          ),
        ]
      : []),
    ...(maxAmount !== undefined
      ? [
          h(
            'label',
            { class: 'field' },
            h(
              'span',
              {},
              `${assessing ? '审核救助金额' : '先行救助金额'}（元，同意时必填；本次最多${yuan(maxAmount)}）`,
            ),
            amount,
            h('small', { class: 'error', id: 'amount-error' }),
          ),
        ]
      : []),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'decide-button' }, '提交决定')),
    result,
  );
  return form;
}

/**
 * 主动发现: where the household is, what was seen and whom to call (read on the discovery), and the
 * result of the contact — the application made with the township's help, or why none was.
 */
async function openOutreach(task: Task, panel: HTMLElement) {
  show(panel, h('p', { class: 'muted' }, '正在载入发现记录…'));
  const o = task.outreach!;
  const res = await api<Discovery>('GET', `/discoveries/${encodeURIComponent(o.discoveryId)}`);
  if (selected !== task.taskId) return;
  const d = res.ok ? res.data.detail : undefined;
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'outreach-view' },
      h('h2', {}, `主动发现（${o.sourceLabel}）`),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '紧急程度'),
        h('dd', {}, o.urgency === 'urgent' ? '紧急（1个工作日内联系）' : '一般（5个工作日内联系）'),
        h('dt', {}, '联系期限'),
        h('dd', {}, `${task.dueDate} `, dueBadge(task.dueDate)),
        h('dt', {}, '报告人'),
        h('dd', {}, res.ok ? res.data.reportedBy : '—'),
        h('dt', {}, '住址'),
        h('dd', { id: 'outreach-address' }, d?.address ?? '—'),
        h('dt', {}, '发现的情况'),
        h('dd', { id: 'outreach-observed' }, d?.observed ?? o.summary),
        h('dt', {}, '联系人'),
        h('dd', {}, d?.contact ? [d.contact.name, d.contact.phone].filter(Boolean).join(' ') : '—'),
      ),
      h(
        'p',
        { class: 'hint' },
        '请及时联系该户，告知相关社会救助政策，依法协助申请（社会救助法第三十九条）。协助提出申请后，在下面填写申请编号。',
      ),
    ),
    decidable(task) ? decisionForm(task) : h('p', { class: 'muted' }, '此任务由乡镇（街道）经办人办理。'),
  );
}

/** 举报投诉: what was reported (and by whom, if they said), for the county to verify and conclude. */
async function openComplaint(task: Task, panel: HTMLElement) {
  show(panel, h('p', { class: 'muted' }, '正在载入举报投诉…'));
  const c = task.complaint!;
  const res = await api<ComplaintFile>('GET', `/complaints/${encodeURIComponent(c.complaintId)}`);
  if (selected !== task.taskId) return;
  const f = res.ok ? res.data : undefined;
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'complaint-view' },
      h('h2', {}, `举报投诉（${c.kindLabel}）`),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '受理渠道'),
        h('dd', {}, c.channelLabel),
        h('dt', {}, '办结期限'),
        h('dd', {}, `${task.dueDate} `, dueBadge(task.dueDate)),
        h('dt', {}, '事项'),
        h('dd', { id: 'complaint-content' }, f?.content ?? (res.ok ? '' : res.error.message)),
        h('dt', {}, '举报人'),
        h(
          'dd',
          {},
          f?.reporter ? [f.reporter.name, f.reporter.phone].filter(Boolean).join(' ') || '未留姓名' : '匿名',
        ),
      ),
      h('p', { class: 'hint' }, '举报人信息依法保密（社会救助法第六十八条）；本次查阅已记入审计链。'),
    ),
    decidable(task) ? decisionForm(task) : h('p', { class: 'muted' }, '此任务由县级民政部门办理。'),
  );
}

/**
 * A payment task: the roll to approve (decided here or on the payroll page, which shows its lines), or
 * a household whose payment failed — register a correct account on its case, which closes the task,
 * or confirm the account on record here.
 */
function openPaymentTask(task: Task, panel: HTMLElement) {
  const p = task.payment!;
  const approval = task.kind === 'payrollApproval';
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'case-view' },
      h('h2', {}, taskKindLabels[task.kind] ?? task.kind),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '任务'),
        h('dd', {}, task.taskId),
        h('dt', {}, '发放名册'),
        h(
          'dd',
          {},
          h('a', { href: `/payroll/?roll=${encodeURIComponent(p.rollId)}` }, `${p.month} ${p.rollId}`),
        ),
        ...(approval
          ? [
              h('dt', {}, '户数与合计'),
              h('dd', {}, `${p.lines ?? 0}户，${yuan(p.amount ?? 0)}`),
              h('dt', {}, '编制人'),
              h('dd', {}, p.preparedBy ?? '按月自动计算，待核对提交'),
            ]
          : [
              h('dt', {}, '案件编号'),
              h('dd', {}, h('a', { href: `/audit/?case=${encodeURIComponent(task.caseId)}` }, task.caseId)),
              h('dt', {}, '未发放'),
              h('dd', {}, `${(p.months ?? []).join('、')}，${yuan(p.amount ?? 0)}`),
              h('dt', {}, '原因'),
              h('dd', {}, p.reason ?? '—'),
            ]),
        h('dt', {}, '办理期限'),
        h('dd', {}, `${task.dueDate} `, dueBadge(task.dueDate)),
      ),
      h(
        'p',
        { class: 'hint' },
        approval
          ? '名册须由编制人以外的县级工作人员审批；审批通过后不可更改，更正列入下月名册。可在发放名册页查看每户明细。'
          : '账户有误的，请为该户登记正确的收款账户（登记后任务自动办结）；账户无误的，选择“同意”并写明核实情况。未发放的月份列入以后月份的名册补发。',
      ),
    ),
    decisionForm(task),
  );
}

/** A home check (入户核查) of a monitoring warning: what the warning says, and the verdict. */
function openHomeCheck(task: Task, panel: HTMLElement) {
  const w = task.warning!;
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'case-view' },
      h('h2', {}, '动态监测预警入户核查'),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '任务'),
        h('dd', {}, task.taskId),
        h('dt', {}, '预警编号'),
        h('dd', {}, w.warningId),
        h('dt', {}, '风险类型'),
        h(
          'dd',
          {},
          `${riskLabel(w.riskType)}（推送${departmentLabels[w.department as Department] ?? w.department}）`,
        ),
        h('dt', {}, '涉及人员'),
        h('dd', {}, w.subject ?? '—'),
        h('dt', {}, '家庭'),
        h('dd', {}, w.householdId ?? '不在低收入人口名单内'),
        h('dt', {}, '核查期限'),
        h('dd', {}, `${task.dueDate} `, dueBadge(task.dueDate)),
      ),
      h('h3', {}, '预警内容'),
      h('p', { class: 'warning-message' }, w.message),
    ),
    decisionForm(task),
  );
}

async function open(taskId: string) {
  const task = tasks.find((t) => t.taskId === taskId);
  if (!task) return;
  selected = taskId;
  fresh.delete(taskId);
  renderInbox();
  const panel = $('#case');
  if (task.payment) {
    openPaymentTask(task, panel);
    return;
  }
  if (task.outreach) {
    void openOutreach(task, panel);
    return;
  }
  if (task.complaint) {
    void openComplaint(task, panel);
    return;
  }
  if (task.warning || !task.meansTest) {
    openHomeCheck(task, panel);
    return;
  }
  show(panel, h('p', { class: 'muted' }, '正在载入案件…'));
  // An emergency's tasks name the request, not an application: there is no application to load.
  const emergency = task.emergency;
  const [app, history] = await Promise.all([
    emergency
      ? Promise.resolve({ ok: false as const })
      : api<ApplicationView>('GET', `/applications/${encodeURIComponent(task.applicationId)}`),
    api<CaseHistory>('GET', `/cases/${encodeURIComponent(task.caseId)}/history`),
  ]);
  if (selected !== taskId) return;
  const mt = task.meansTest!;
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'case-view' },
      h('h2', {}, '案件'),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '任务'),
        h('dd', {}, task.taskId),
        h('dt', {}, emergency ? '临时救助编号' : '申请编号'),
        h('dd', {}, task.applicationId),
        h('dt', {}, '案件编号'),
        h('dd', {}, h('a', { href: `/audit/?case=${encodeURIComponent(task.caseId)}` }, task.caseId)),
        h('dt', {}, '办理期限'),
        h('dd', {}, `${task.dueDate} `, dueBadge(task.dueDate)),
        h('dt', {}, '任务创建'),
        h('dd', {}, beijingTime(task.createdAt)),
        ...(app.ok
          ? [
              h('dt', {}, '申请类别'),
              h('dd', {}, requestedTierLabels[app.data.requestedTier] ?? app.data.requestedTier),
              h('dt', {}, '家庭成员'),
              h(
                'dd',
                {},
                app.data.members
                  .map((m) => `${m.name}（${relationLabels[m.relation] ?? m.relation}，${m.idNumber}）`)
                  .join('；'),
              ),
            ]
          : []),
      ),
    ),
    ...(emergency ? [emergencyCard(emergency, task.kind === 'emergencyAssessment')] : []),
    ...(task.objections?.length ? [objectionsCard(task.objections)] : []),
    ...(task.homeCheck?.required ? [homeCheckCard(task.homeCheck)] : []),
    ...(task.proposal ? [opinionCard('proposal', '乡镇（街道）拟不予确认的审核意见', task.proposal)] : []),
    ...(task.returned ? [opinionCard('returned', '县级退回重新审核的意见', task.returned)] : []),
    ...(task.reopened
      ? [
          h(
            'section',
            { class: 'card warn', id: 'reopened' },
            h('h2', {}, '原决定已被撤销，重新审核'),
            h('p', {}, task.reopened.summary),
            h('p', { class: 'hint' }, '请依复议决定或判决重新作出决定（社会救助法第七十六条）。'),
          ),
        ]
      : []),
    h(
      'section',
      { class: 'card', id: 'means-test' },
      h('h2', {}, '家庭经济状况核查'),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '核查结论'),
        h('dd', {}, label(mt.tier), mt.eligible ? '（符合申请类别）' : '（不符合申请类别）'),
        h('dt', {}, '每月救助金'),
        h('dd', {}, yuan(mt.monthlyAmount)),
        h('dt', {}, '人均月收入'),
        h('dd', {}, yuan(mt.perCapitaMonthlyIncome)),
        h('dt', {}, '参数版本'),
        h('dd', {}, mt.parameterVersion),
        ...(mt.alternative
          ? [
              h('dt', {}, '可转类别'),
              h(
                'dd',
                {},
                label(mt.alternative.tier),
                mt.alternative.monthlyAmount === null ? '' : `（每月 ${yuan(mt.alternative.monthlyAmount)}）`,
                '，须经申请人同意',
              ),
            ]
          : []),
      ),
      h('h3', {}, '核查明细与依据'),
      h(
        'ol',
        { class: 'reasons' },
        mt.reasons.map((r) => h('li', {}, r.message, h('span', { class: 'clause' }, r.clause))),
      ),
    ),
    decidable(task)
      ? decisionForm(task)
      : h(
          'section',
          { class: 'card', id: 'decision-form' },
          h('h3', {}, '审核意见'),
          h(
            'p',
            { class: 'muted' },
            `此任务（${taskKindLabels[task.kind] ?? task.kind}）须由${deciderOf(task.kind).includes('countyOfficer') ? '县级民政部门工作人员' : '乡镇（街道）经办人'}决定。`,
          ),
        ),
    h(
      'section',
      { class: 'card', id: 'history' },
      h('h2', {}, '流程记录'),
      history.ok
        ? historyList(history.data)
        : h('p', { class: 'error' }, `流程记录载入失败：${history.error.message}`),
    ),
  );
  // On a phone the case is below the inbox: bring it into view.
  if (panel.getBoundingClientRect().top > innerHeight / 2) panel.scrollIntoView({ block: 'start' });
}

/** The objections to the previous public notice that sent this review back for investigation. */
function objectionsCard(objections: NonNullable<Task['objections']>) {
  return h(
    'section',
    { class: 'card', id: 'objections' },
    h('h2', {}, `公示期间收到的异议（${objections.length}）`),
    h(
      'ol',
      {},
      objections.map((o) =>
        h('li', {}, o.reason, ' ', h('time', { class: 'muted' }, beijingTime(o.raisedAt))),
      ),
    ),
    h('p', { class: 'muted' }, '请重新调查核实后决定：同意、不同意，或认定异议不成立。'),
  );
}

/** Why the county must visit the household itself before deciding (57号 第十一条、第二十条; 43号 第十六条). */
function homeCheckCard(check: NonNullable<Task['homeCheck']>) {
  return h(
    'section',
    { class: 'card', id: 'home-check' },
    h('h2', {}, '须县级入户核查后决定'),
    h(
      'ul',
      {},
      check.reasons.map((r) => h('li', {}, homeCheckReasonLabels[r])),
    ),
    h('p', { class: 'muted' }, '作出决定时请填写入户核查情况（入户日期、核查人员至少2人）。'),
  );
}

/**
 * The other level's opinion (社会救助法第四十四条): the township's proposed refusal the county decides
 * on, or the county's reasons for sending a proposed refusal back to the township.
 */
function opinionCard(id: string, title: string, o: NonNullable<Task['proposal']>) {
  const proposal = id === 'proposal';
  return h(
    'section',
    { class: 'card', id },
    h('h2', {}, title),
    h(
      'p',
      {},
      `${o.decidedBy}，${beijingTime(o.decidedAt)}：`,
      o.decision === 'reject' ? '不同意' : proposal ? '同意，但家庭经济状况核查不符合所申请类别' : '同意',
    ),
    o.reasons.length
      ? h(
          'ol',
          {},
          o.reasons.map((r) => h('li', {}, r)),
        )
      : '',
    h(
      'p',
      { class: 'muted' },
      proposal
        ? '县级作出确认决定：不同意（不予确认，书面告知理由）；同意且家庭经济状况符合条件的，退回乡镇（街道）重新审核并公示。'
        : id === 'review'
          ? '县级审批：同意的确定救助金额，不同意的书面告知理由。'
          : '请按县级意见重新调查核实：同意的予以公示，仍不同意的再报县级确认。',
    ),
  );
}

/** What the caseworker decides an emergency on: the hardship, what was asked, and the limits. */
function emergencyCard(e: NonNullable<Task['emergency']>, assessing = false) {
  const limit = e.householdLimit;
  return h(
    'section',
    { class: 'card', id: 'emergency' },
    h('h2', {}, '临时救助'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '急难情况'),
      h('dd', {}, e.hardship ?? '—'),
      h('dt', {}, '申请金额'),
      h('dd', {}, yuan(e.requestedAmount)),
      ...(e.grantedAmount === undefined
        ? []
        : [h('dt', {}, '已先行救助'), h('dd', {}, yuan(e.grantedAmount))]),
      ...(e.smallAmountLimit === undefined
        ? []
        : [h('dt', {}, '当地先行救助上限'), h('dd', {}, yuan(e.smallAmountLimit))]),
      ...(limit
        ? [
            h('dt', {}, `家庭${limit.months}个月内累计上限`),
            h(
              'dd',
              {},
              `${yuan(limit.amount)}，已救助 ${yuan(limit.granted)}，尚余 ${yuan(limit.remaining)}`,
            ),
          ]
        : []),
      ...(e.maxAmount === undefined
        ? []
        : [
            h('dt', {}, assessing ? '本次最多可审核救助' : '本次最多先行救助'),
            h('dd', {}, yuan(e.maxAmount)),
          ]),
    ),
    ...(e.expenditure ? [expenditureCard(e.expenditure)] : []),
    ...(e.review ? [opinionCard('review', '乡镇（街道）审核意见', e.review)] : []),
  );
}

/** 支出型临时救助: what the household's necessary spending left it (社会救助法第二十九条). */
function expenditureCard(x: NonNullable<NonNullable<Task['emergency']>['expenditure']>) {
  return h(
    'div',
    { id: 'expenditure' },
    h('h3', {}, `支出型临时救助核算：${x.eligible ? '符合条件' : '不符合条件'}`),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '近12个月家庭收入'),
      h('dd', {}, yuan(x.income12Months)),
      h('dt', {}, '近12个月必需支出'),
      h('dd', {}, yuan(x.spending)),
      h('dt', {}, '扣除支出后人均月收入'),
      h('dd', {}, `${yuan(x.perCapitaMonthlyAfterSpending)}（低保边缘标准 ${yuan(x.line)}）`),
    ),
    h(
      'ol',
      { class: 'reasons' },
      x.reasons.map((r) => h('li', {}, r)),
    ),
  );
}

/**
 * 复议、诉讼结果登记 (社会救助法第七十六条): the county records what the reviewing body or the court
 * decided on one of its decisions, by the case and the notice's number; a revocation reopens the case.
 */
function appealForm() {
  const field = (name: string, text: string, control: HTMLElement) =>
    h(
      'label',
      { class: 'field' },
      h('span', {}, text),
      control,
      h('small', { class: 'error', id: `appeal-${name}-error` }),
    );
  const input = (name: string, attrs: Record<string, string> = {}) =>
    h('input', {
      id: `appeal-${name}`,
      name,
      'aria-describedby': `appeal-${name}-error`,
      ...attrs,
    }) as HTMLInputElement;
  const select = (name: string, options: Record<string, string>) =>
    h(
      'select',
      { id: `appeal-${name}`, name, 'aria-describedby': `appeal-${name}-error` },
      ...Object.entries(options).map(([value, text]) => h('option', { value }, text)),
    ) as HTMLSelectElement;
  const caseId = input('caseId', { autocomplete: 'off', placeholder: 'case-…' });
  const noticeId = input('noticeId', { autocomplete: 'off', placeholder: '告知书中的 noticeId' });
  const channel = select('channel', appealChannelLabels);
  const outcome = select('outcome', appealOutcomeLabels);
  const decidedOn = input('decidedOn', { type: 'date' });
  const authority = input('authority', { placeholder: '如 长沙县人民政府、长沙县人民法院' });
  const documentNumber = input('documentNumber', { placeholder: '复议决定书或判决书、裁定书文号' });
  const note = h('textarea', { id: 'appeal-note', name: 'note', rows: 2 }) as HTMLTextAreaElement;
  const result = h('div', { id: 'appeal-result', role: 'status' });
  const showErrors = (fields: Array<{ field: string; message: string }>) => {
    for (const el of document.querySelectorAll<HTMLElement>('#appeal-form small.error')) el.textContent = '';
    for (const f of fields) {
      const slot = document.querySelector(`#appeal-${f.field.split('.')[0]}-error`);
      if (slot) slot.textContent = `${fieldLabel(f.field)}：${f.message}`;
    }
  };
  return h(
    'form',
    {
      class: 'card',
      id: 'appeal-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = {
          noticeId: noticeId.value,
          channel: channel.value,
          outcome: outcome.value,
          decidedOn: decidedOn.value,
          authority: authority.value,
          documentNumber: documentNumber.value,
          ...(note.value.trim() ? { note: note.value } : {}),
        };
        // The API checks the same schema; checked here too so that an incomplete record never leaves the page.
        const parsed = appealBody.safeParse(body);
        const idProblem = caseIdPath.safeParse({ caseId: caseId.value.trim() });
        const problems = [
          ...(idProblem.success
            ? []
            : [{ field: 'caseId', message: idProblem.error.issues[0]?.message ?? '' }]),
          ...(parsed.success
            ? []
            : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }))),
        ];
        showErrors(problems);
        if (problems.length || !parsed.success) return;
        const res = await api<{ message: string }>(
          'POST',
          `/cases/${encodeURIComponent(caseId.value.trim())}/appeals`,
          { body: parsed.data },
        );
        if (res.ok) {
          show(result, h('p', { class: 'ok' }, res.data.message));
          return;
        }
        showErrors(res.error.fields ?? []);
        show(result, h('p', { class: 'error' }, `登记失败：${res.error.message}`));
      },
    },
    h('h2', {}, '复议、诉讼结果登记'),
    h(
      'p',
      { class: 'hint' },
      '对本级作出的不予确认、调减、停止救助等决定，登记行政复议或行政诉讼的结果。撤销的，案件回到原决定前的状态重新办理。',
    ),
    field('caseId', '案件编号 *', caseId),
    field('noticeId', '告知书编号 *', noticeId),
    field('channel', '救济途径 *', channel),
    field('outcome', '结果 *', outcome),
    field('decidedOn', '复议决定或裁判日期 *', decidedOn),
    field('authority', '复议机关或人民法院 *', authority),
    field('documentNumber', '文号 *', documentNumber),
    field('note', '情况说明', note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'appeal-button' }, '登记')),
    result,
  );
}

type WorkChannelView = z.infer<typeof workChannelView>;

/**
 * 工作消息提醒方式: the office's group robots post every new task to the work group; here a person
 * chooses whether those messages @ them on 政务钉钉 or 企业微信 (by their account id there), or
 * leave them to this inbox.
 */
function workChannelForm() {
  const choice = h(
    'select',
    { id: 'work-channel', name: 'channel', 'aria-describedby': 'work-channel-error' },
    ...workChannels.map((c) => h('option', { value: c }, workChannelLabels[c])),
  ) as HTMLSelectElement;
  const account = h('input', {
    id: 'work-account',
    name: 'account',
    autocomplete: 'off',
    placeholder: '钉钉 userId 或企业微信 userid',
    'aria-describedby': 'work-account-error',
  }) as HTMLInputElement;
  const accountField = h(
    'label',
    { class: 'field' },
    h('span', {}, '本人在该平台的用户编号 *'),
    account,
    h('small', { class: 'error', id: 'work-account-error' }),
  );
  const result = h('div', { id: 'work-channel-result', role: 'status' });
  const sync = () => {
    accountField.hidden = choice.value === 'inbox';
  };
  choice.addEventListener('change', sync);
  const showChoice = (view: WorkChannelView) => {
    choice.value = view.channel;
    account.value = view.account ?? '';
    sync();
    show(
      result,
      h(
        'p',
        { class: 'muted' },
        view.updatedAt
          ? `当前：${view.channelLabel}（${beijingTime(view.updatedAt)} 设置）`
          : '尚未设置：不 @ 本人',
      ),
    );
  };
  void api<WorkChannelView>('GET', '/staff/me/work-channel').then((res) => {
    if (res.ok) showChoice(res.data);
  });
  sync();
  return h(
    'form',
    {
      class: 'card',
      id: 'work-channel-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = {
          channel: choice.value,
          ...(choice.value === 'inbox' ? {} : { account: account.value }),
        };
        const parsed = workChannelBody.safeParse(body);
        const problems = parsed.success
          ? []
          : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
        const slot = $('#work-account-error');
        slot.textContent = problems.map((p) => p.message).join('；');
        if (!parsed.success) return;
        const res = await api<WorkChannelView>('PUT', '/staff/me/work-channel', { body: parsed.data });
        if (res.ok) {
          showChoice(res.data);
          return;
        }
        slot.textContent = (res.error.fields ?? []).map((f) => f.message).join('；');
        show(result, h('p', { class: 'error' }, `保存失败：${res.error.message}`));
      },
    },
    h('h2', {}, '工作消息提醒方式'),
    h(
      'p',
      { class: 'hint' },
      '新任务、任务明日到期由本单位的群机器人发到工作群。选择平台并填写本人在该平台的用户编号后，本人承办的任务消息会在群里 @ 本人；选“仅在系统收件箱查看”则不 @ 本人。',
    ),
    h('label', { class: 'field' }, h('span', {}, '提醒方式'), choice),
    accountField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'work-channel-button' }, '保存')),
    result,
  );
}

function start(signedIn: Session, first: boolean) {
  session = signedIn;
  if (!first) {
    // Signed in again after a lapsed sign-in: the inbox goes on where it was.
    void poll();
    return;
  }
  // The inbox last looked at, if it is still served; else the first county served (a province's
  // or city's own code holds no tasks: the caseworker names the county in the form).
  const stored = localStorage.getItem(TOWNSHIP_KEY) ?? '';
  township = signedIn.regionCodes.some((served) => covers(served, stored))
    ? stored
    : (signedIn.regionCodes.find((c) => !c.endsWith('00')) ?? signedIn.regionCodes[0] ?? '');
  show(
    root,
    h(
      'div',
      { class: 'split' },
      h(
        'div',
        {},
        controls(),
        h('div', { class: 'banner', id: 'banner', role: 'status', 'aria-live': 'polite' }),
        h('section', { id: 'inbox' }),
        h('section', { id: 'unreached', 'aria-live': 'polite' }),
        ...(signedIn.role === 'countyOfficer' ? [appealForm()] : []),
        workChannelForm(),
      ),
      h('div', { id: 'case' }, h('p', { class: 'muted' }, '请选择一项任务，查看案件并作出审核意见。')),
    ),
  );
  void poll();
  timer = setInterval(() => {
    if (!document.hidden) void poll();
  }, POLL_MS);
  addEventListener('pagehide', () => clearInterval(timer));
}

startSignIn({ profile: 'workbench', accepts: ['townshipCaseworker', 'countyOfficer'], onSignedIn: start });
