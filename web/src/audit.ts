/**
 * 审计. A case's whole chain as one timeline made from the histories of every workflow execution it
 * went through (`GET /cases/{caseId}/history`), with the application's determination and notice
 * beside it, and exports as CSV and JSON made in the browser. Personal data is masked again here
 * before anything is shown or exported, whatever the API sends. Read-only: no button changes a case.
 */
import type { ApplicationView, CaseHistory } from '../../shared/openapi.ts';
import { api } from './lib/api.ts';
import { $, download, h, show } from './lib/dom.ts';
import { beijingTime, maskDeep } from './lib/format.ts';
import { eventLabels, executionStatusLabels, stateLabels, tierLabels, workflowLabels } from './lib/labels.ts';

const root = $('#audit');
const CASE_ID = /^case-[a-z0-9]+$/;
const APPLICATION_ID = /^app-[a-z0-9]+$/;

interface Row {
  caseId: string;
  workflow: string;
  execution: string;
  eventId: number;
  timestamp: string;
  beijingTime: string;
  type: string;
  event: string;
  state: string;
  stateLabel: string;
  detail: string;
}

/** Every event of every execution, in time order, with its Chinese names. */
function timeline(history: CaseHistory): Row[] {
  const rows: Row[] = [];
  for (const execution of history.executions) {
    const name = execution.executionArn.split(':').pop() ?? execution.executionArn;
    for (const event of execution.events) {
      const extra = event as Record<string, unknown>;
      const detail = ['input', 'output', 'error', 'cause']
        .filter((k) => extra[k] !== undefined)
        .map((k) => `${k}: ${typeof extra[k] === 'string' ? extra[k] : JSON.stringify(extra[k])}`)
        .join('\n');
      rows.push({
        caseId: history.caseId,
        workflow: workflowLabels[execution.workflow] ?? execution.workflow,
        execution: name,
        eventId: event.id,
        timestamp: event.timestamp,
        beijingTime: beijingTime(event.timestamp),
        type: event.type,
        event: eventLabels[event.type] ?? event.type,
        state: event.state ?? '',
        stateLabel: event.state ? (stateLabels[event.state] ?? event.state) : '',
        detail,
      });
    }
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.eventId - b.eventId);
}

const csvCell = (v: string | number) =>
  /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);

function toCsv(rows: Row[]): string {
  const header: Array<[keyof Row, string]> = [
    ['caseId', '案件编号'],
    ['workflow', '流程'],
    ['execution', '执行'],
    ['eventId', '事件序号'],
    ['timestamp', '时间(UTC)'],
    ['beijingTime', '北京时间'],
    ['type', '事件类型'],
    ['event', '事件'],
    ['state', '步骤'],
    ['stateLabel', '步骤名称'],
    ['detail', '详情'],
  ];
  const lines = [
    header.map(([, title]) => title),
    ...rows.map((r) => header.map(([key]) => csvCell(r[key]))),
  ];
  // A BOM so that spreadsheet programs read the Chinese as UTF-8.
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

function lookupForm(current = '') {
  const input = h('input', {
    id: 'case-id',
    type: 'search',
    value: current,
    placeholder: 'case-… 或 app-…',
    autocomplete: 'off',
    'aria-describedby': 'case-id-error',
  });
  return h(
    'form',
    {
      class: 'card',
      id: 'lookup',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const id = input.value.trim();
        if (!CASE_ID.test(id) && !APPLICATION_ID.test(id)) {
          input.setAttribute('aria-invalid', 'true');
          $('#case-id-error').textContent = '案件编号：应为 case-… 形式的案件编号，或 app-… 形式的申请编号';
          return;
        }
        history.replaceState(null, '', `/audit/?case=${encodeURIComponent(id)}`);
        void load(id);
      },
    },
    h(
      'label',
      { class: 'field' },
      h('span', {}, '案件编号或申请编号'),
      input,
      h('small', { class: 'error', id: 'case-id-error' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看')),
    h(
      'p',
      { class: 'hint' },
      '按地区、状态、经办人或日期检索案件需要案件列表接口，尚未提供；请从经办人工作台或申请编号进入。',
    ),
  );
}

async function load(id: string) {
  const result = $('#result');
  show(result, h('p', { class: 'muted' }, '正在载入…'));
  let caseId = id;
  if (APPLICATION_ID.test(id)) {
    const app = await api<ApplicationView>('GET', `/applications/${encodeURIComponent(id)}`);
    if (!app.ok)
      return show(result, h('p', { class: 'card error', role: 'alert' }, `查询失败：${app.error.message}`));
    caseId = app.data.caseId;
  }
  const res = await api<CaseHistory>('GET', `/cases/${encodeURIComponent(caseId)}/history`);
  if (!res.ok)
    return show(result, h('p', { class: 'card error', role: 'alert' }, `查询失败：${res.error.message}`));
  const data = maskDeep(res.data) as CaseHistory;
  // An execution of the application workflow is named after its application.
  const applicationIds = data.executions
    .map((e) => e.executionArn.split(':').pop() ?? '')
    .filter((name) => APPLICATION_ID.test(name));
  const applications = (
    await Promise.all(
      applicationIds.map((a) => api<ApplicationView>('GET', `/applications/${encodeURIComponent(a)}`)),
    )
  ).flatMap((r) => (r.ok ? [maskDeep(r.data) as ApplicationView] : []));
  render(data, applications);
}

function render(data: CaseHistory, applications: ApplicationView[]) {
  const rows = timeline(data);
  const exportName = `doudi-${data.caseId}-timeline`;
  show(
    $('#result'),
    h(
      'section',
      { class: 'card', id: 'case-summary' },
      h('h2', {}, `案件 ${data.caseId}`),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            id: 'export-csv',
            onclick: () => download(`${exportName}.csv`, 'text/csv;charset=utf-8', toCsv(rows)),
          },
          '导出 CSV',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'export-json',
            onclick: () =>
              download(
                `${exportName}.json`,
                'application/json',
                JSON.stringify(
                  {
                    caseId: data.caseId,
                    exportedAt: new Date().toISOString(),
                    timeline: rows,
                    history: data,
                    applications,
                  },
                  null,
                  2,
                ),
              ),
          },
          '导出 JSON',
        ),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'list' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['流程', '状态', '开始', '结束', '经过的步骤'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            data.executions.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, workflowLabels[e.workflow] ?? e.workflow),
                h('td', {}, executionStatusLabels[e.status] ?? e.status),
                h('td', {}, beijingTime(e.startDate)),
                h('td', {}, beijingTime(e.stopDate)),
                h('td', {}, e.states.map((s) => stateLabels[s] ?? s).join(' → ')),
              ),
            ),
          ),
        ),
      ),
      applications.map((app) =>
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, '申请'),
          h('dd', {}, `${app.applicationId}（${app.statusLabel}）`),
          h('dt', {}, '认定结果'),
          h(
            'dd',
            {},
            app.determination
              ? `${tierLabels[app.determination.tier ?? ''] ?? '—'}，${beijingTime(app.determination.decidedAt)}`
              : '尚未确认',
          ),
          h('dt', {}, '告知书'),
          h('dd', {}, app.notice ? `${app.notice.title}，送达期限 ${app.notice.serveBy}` : '—'),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, `时间线（${rows.length} 个事件）`),
      h(
        'ol',
        { class: 'timeline', id: 'timeline' },
        rows.map((r) =>
          h(
            'li',
            {},
            h('time', { datetime: r.timestamp }, r.beijingTime),
            ' ',
            h('strong', {}, r.event),
            r.stateLabel ? `：${r.stateLabel}` : '',
            h('span', { class: 'muted' }, ` · ${r.workflow} · ${r.type}`),
            r.detail ? h('pre', {}, r.detail) : null,
          ),
        ),
      ),
    ),
  );
}

const initial = new URLSearchParams(location.search).get('case') ?? '';
show(root, lookupForm(initial), h('div', { id: 'result' }));
if (initial) void load(initial);
