/**
 * 审计. Search a region's cases by status, the caseworker who decided, and submission dates
 * (`GET /cases`), with each task's deadline compliance — due date, decision date, 按时/逾期/督办,
 * counts and the share decided on time; a case's whole chain as one timeline made from the
 * histories of every workflow execution it went through (`GET /cases/{caseId}/history`), with the
 * application's determination and notice beside it. Search results, the compliance table and the
 * timeline export as CSV (UTF-8 with a BOM, for spreadsheet programs) and JSON, made in the browser.
 * Personal data is masked again here before anything is shown or exported, whatever the API sends.
 * Read-only: no button changes a case. Auditors sign in first (`lib/signin.ts`).
 */
import { csvDocument } from '../../shared/csv.ts';
import type { ApplicationView, AuditSearchResult, AuditTask, CaseHistory } from '../../shared/openapi.ts';
import { auditSearchQuery } from '../../shared/schemas/audit.ts';
import { api } from './lib/api.ts';
import { $, download, h, listTable, show } from './lib/dom.ts';
import { beijingTime, chinaDate, maskDeep } from './lib/format.ts';
import {
  applicationStatusLabels,
  eventLabels,
  executionStatusLabels,
  requestedTierLabels,
  stateLabels,
  taskKindLabels,
  tierLabels,
  workflowLabels,
} from './lib/labels.ts';
import { type Session, startSignIn } from './lib/signin.ts';

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
  return csvDocument(
    header.map(([key, title]) => [title, (r: Row) => r[key]]),
    rows,
  );
}

function lookupForm(current = '') {
  const input = h('input', {
    id: 'case-id',
    name: 'case-id',
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
      h('span', {}, '按编号查看：案件编号或申请编号'),
      input,
      h('small', { class: 'error', id: 'case-id-error' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看')),
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
      listTable(
        ['流程', '状态', '开始', '结束', '经过的步骤'],
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

// ── search and deadline compliance ─────────────────────────────────────────────────────────────

type SearchQuery = {
  regionCode: string;
  status?: string;
  caseworker?: string;
  relatives?: string;
  from?: string;
  to?: string;
};
type Listed = AuditSearchResult['applications'][number];
interface ComplianceRow {
  applicationId: string;
  caseId: string;
  task: AuditTask;
}

const searchFields: Record<keyof SearchQuery | 'limit', string> = {
  regionCode: '行政区划代码',
  status: '申请状态',
  caseworker: '经办人',
  relatives: '近亲属备案',
  from: '提交日期起',
  to: '提交日期止',
  limit: '最多条数',
};

let lastSearch: { query: SearchQuery; result: AuditSearchResult } | undefined;

const tierName = (tier: string | null) => (tier ? (tierLabels[tier] ?? tier) : '—');
const decisionLabels: Record<string, string> = { approve: '同意', reject: '不同意', dismiss: '异议不成立' };
const kindName = (t: AuditTask) =>
  `${taskKindLabels[t.kind] ?? t.kind}${t.round > 1 ? `（第${t.round}轮）` : ''}`;
const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const deciders = (a: Listed) => a.decidedBy.map((d) => d.name).join('、') || '—';

/** 按时, 逾期, 督办 — and, for a task not decided yet, 办理中 or 已超期. */
function marks(t: AuditTask): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (t.onTime === true) out.push(['按时', 'ok']);
  if (t.onTime === false) out.push(['逾期', 'bad']);
  if (t.escalated) out.push(['督办', 'warn']);
  if (t.onTime === null) out.push(t.overdue ? ['已超期未决定', 'bad'] : ['办理中', '']);
  return out;
}

function fieldSlot(key: keyof SearchQuery) {
  return h('small', { class: 'error', id: `search-${key}-error`, 'aria-live': 'polite' });
}

function searchForm(session: Session) {
  // Applications are registered under a county's code: a province or city code the auditor serves
  // is not a useful default.
  const county = session.regionCodes.find((c) => !c.endsWith('00')) ?? '';
  const input = (key: keyof SearchQuery, attrs: Record<string, string | number>) =>
    h('input', {
      id: `search-${key}`,
      name: key,
      autocomplete: 'off',
      'aria-describedby': `search-${key}-error`,
      ...attrs,
    });
  const field = (key: keyof SearchQuery, control: HTMLElement, hint?: string) =>
    h(
      'label',
      { class: 'field' },
      h('span', {}, searchFields[key], key === 'regionCode' ? ' *' : ''),
      control,
      hint ? h('small', { class: 'hint' }, hint) : null,
      fieldSlot(key),
    );
  const status = h(
    'select',
    { id: 'search-status', name: 'status', 'aria-describedby': 'search-status-error' },
    h('option', { value: '' }, '全部'),
    Object.entries(applicationStatusLabels).map(([value, label]) => h('option', { value }, label)),
  );
  return h(
    'form',
    { class: 'card', id: 'search-form', novalidate: true, onsubmit: (e: Event) => void search(e) },
    h('h2', {}, '检索案件'),
    h(
      'div',
      { class: 'grid three' },
      field(
        'regionCode',
        input('regionCode', {
          type: 'text',
          inputmode: 'numeric',
          maxlength: 6,
          value: county,
          placeholder: '如 430121',
        }),
        '申请登记的区县代码，须在您的管辖范围内',
      ),
      field('status', status),
      field(
        'caseworker',
        input('caseworker', { type: 'text', maxlength: 64, placeholder: '姓名或用户编号' }),
      ),
      field(
        'relatives',
        h(
          'select',
          { id: 'search-relatives', name: 'relatives', 'aria-describedby': 'search-relatives-error' },
          h('option', { value: '' }, '全部'),
          h('option', { value: 'true' }, '仅单独登记备案的'),
          h('option', { value: 'false' }, '不含单独登记备案的'),
        ),
        '家庭成员与经办人员或村（居）委会成员有近亲属关系的申请（57号第十一条）',
      ),
      field('from', input('from', { type: 'date' })),
      field('to', input('to', { type: 'date' })),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'search-button' }, '检索')),
    h('div', { id: 'search-status-line', role: 'status' }),
  );
}

function showSearchErrors(fields: Array<{ field: string; message: string }>) {
  for (const key of Object.keys(searchFields) as Array<keyof SearchQuery>) {
    const slot = document.getElementById(`search-${key}-error`);
    if (slot) slot.textContent = '';
    document.getElementById(`search-${key}`)?.removeAttribute('aria-invalid');
  }
  for (const f of fields) {
    const key = f.field.replace(/^query\./, '').split('.')[0] as keyof SearchQuery;
    const slot = document.getElementById(`search-${key}-error`);
    const text = `${searchFields[key] ?? key}：${f.message}`;
    if (slot) slot.textContent = text;
    else show($('#search-status-line'), h('p', { class: 'error' }, text));
    document.getElementById(`search-${key}`)?.setAttribute('aria-invalid', 'true');
  }
}

async function search(event: Event) {
  event.preventDefault();
  const value = (key: keyof SearchQuery) =>
    ($<HTMLInputElement | HTMLSelectElement>(`#search-${key}`).value ?? '').trim();
  const query: SearchQuery = { regionCode: value('regionCode') };
  for (const key of ['status', 'caseworker', 'relatives', 'from', 'to'] as const)
    if (value(key)) query[key] = value(key);
  show($('#search-status-line'));
  // The API's own schema, so the page says what the API would.
  const parsed = auditSearchQuery.safeParse(query);
  if (!parsed.success) {
    showSearchErrors(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
    return;
  }
  showSearchErrors([]);
  const button = $<HTMLButtonElement>('#search-button');
  button.disabled = true;
  show($('#search-status-line'), h('p', { class: 'muted' }, '正在检索…'));
  const res = await api<AuditSearchResult>('GET', `/cases?${new URLSearchParams(query)}`);
  button.disabled = false;
  if (!res.ok) {
    showSearchErrors(res.error.fields ?? []);
    show(
      $('#search-status-line'),
      h('p', { class: 'card error', role: 'alert' }, `检索失败：${res.error.message}`),
    );
    return;
  }
  show($('#search-status-line'));
  lastSearch = { query, result: maskDeep(res.data) as AuditSearchResult };
  renderSearch(lastSearch.query, lastSearch.result);
}

function exportButtons(prefix: string, onCsv: () => void, onJson: () => void) {
  return h(
    'div',
    { class: 'actions' },
    h('button', { type: 'button', id: `${prefix}-csv`, onclick: onCsv }, '导出 CSV'),
    h('button', { type: 'button', class: 'secondary', id: `${prefix}-json`, onclick: onJson }, '导出 JSON'),
  );
}

const casesColumns: Array<[string, (a: Listed) => string | number]> = [
  ['申请编号', (a) => a.applicationId],
  ['案件编号', (a) => a.caseId],
  ['行政区划代码', (a) => a.regionCode],
  ['状态', (a) => a.statusLabel],
  ['单独登记备案', (a) => (a.relativesRegistered ? '是' : '')],
  ['申请类别', (a) => requestedTierLabels[a.requestedTier] ?? a.requestedTier],
  ['认定类别', (a) => tierName(a.tier)],
  ['提交时间(北京时间)', (a) => beijingTime(a.submittedAt)],
  ['确认时间(北京时间)', (a) => (a.determinedAt ? beijingTime(a.determinedAt) : '')],
  ['决定人', (a) => a.decidedBy.map((d) => d.name).join('、')],
  ['任务数', (a) => a.tasks.length],
  ['按时', (a) => a.tasks.filter((t) => t.onTime === true).length],
  ['逾期', (a) => a.tasks.filter((t) => t.onTime === false).length],
  ['督办', (a) => a.tasks.filter((t) => t.escalated).length],
];

const complianceColumns: Array<[string, (r: ComplianceRow) => string | number]> = [
  ['申请编号', (r) => r.applicationId],
  ['案件编号', (r) => r.caseId],
  ['任务编号', (r) => r.task.taskId],
  ['任务', (r) => kindName(r.task)],
  ['期限', (r) => r.task.dueDate],
  ['现行期限', (r) => r.task.currentDueDate],
  ['督办次数', (r) => r.task.escalations.length],
  ['决定时间(北京时间)', (r) => (r.task.decidedAt ? beijingTime(r.task.decidedAt) : '')],
  ['决定日', (r) => (r.task.decidedAt ? chinaDate(new Date(r.task.decidedAt)) : '')],
  ['决定', (r) => (r.task.decision ? (decisionLabels[r.task.decision] ?? r.task.decision) : '')],
  ['决定人', (r) => r.task.decidedBy?.name ?? ''],
  [
    '标记',
    (r) =>
      marks(r.task)
        .map(([m]) => m)
        .join('、'),
  ],
];

function renderSearch(query: SearchQuery, result: AuditSearchResult) {
  const name = `${query.regionCode}-${chinaDate()}`;
  const rows: ComplianceRow[] = result.applications.flatMap((a) =>
    a.tasks.map((task) => ({ applicationId: a.applicationId, caseId: a.caseId, task })),
  );
  const totals = result.compliance;
  const exportedAt = () => new Date().toISOString();
  show(
    $('#search-results'),
    h(
      'section',
      { class: 'card', id: 'cases' },
      h('h2', {}, `检索结果（${result.count} 件）`),
      result.truncated
        ? h('p', { class: 'hint' }, `符合条件的申请较多，仅列出最新的 ${result.count} 件；请缩小日期范围。`)
        : null,
      result.count
        ? [
            exportButtons(
              'export-cases',
              () =>
                download(
                  `doudi-cases-${name}.csv`,
                  'text/csv;charset=utf-8',
                  csvDocument(casesColumns, result.applications),
                ),
              () =>
                download(
                  `doudi-cases-${name}.json`,
                  'application/json',
                  JSON.stringify({ exportedAt: exportedAt(), query, ...result }, null, 2),
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
                    [
                      '申请编号',
                      '案件',
                      '状态',
                      '申请类别',
                      '认定类别',
                      '提交时间',
                      '确认时间',
                      '决定人',
                    ].map((t) => h('th', {}, t)),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  result.applications.map((a) =>
                    h(
                      'tr',
                      { 'data-application': a.applicationId },
                      h('td', {}, a.applicationId),
                      h(
                        'td',
                        {},
                        h(
                          'a',
                          {
                            class: 'open-case',
                            href: `/audit/?case=${encodeURIComponent(a.caseId)}`,
                            onclick: (e: Event) => {
                              e.preventDefault();
                              openCase(a.caseId);
                            },
                          },
                          a.caseId,
                        ),
                      ),
                      h(
                        'td',
                        {},
                        a.statusLabel,
                        a.relativesRegistered ? h('span', { class: 'badge warn' }, '近亲属备案') : null,
                      ),
                      h('td', {}, requestedTierLabels[a.requestedTier] ?? a.requestedTier),
                      h('td', {}, tierName(a.tier)),
                      h('td', {}, beijingTime(a.submittedAt)),
                      h('td', {}, a.determinedAt ? beijingTime(a.determinedAt) : '—'),
                      h('td', {}, deciders(a)),
                    ),
                  ),
                ),
              ),
            ),
          ]
        : h('p', { class: 'muted' }, '没有符合条件的案件。'),
    ),
    h(
      'section',
      { class: 'card', id: 'compliance' },
      h('h2', {}, '办理时限合规'),
      h(
        'p',
        { class: 'hint' },
        '按时：决定日（北京时间）不晚于任务开启时的办理期限；逾期：晚于该期限；督办：逾期后已报督办，现行期限为督办期限。',
      ),
      h(
        'div',
        { class: 'figures', id: 'compliance-figures' },
        (
          [
            ['任务', totals.tasks, 'tasks'],
            ['已决定', totals.decided, 'decided'],
            ['按时', totals.onTime, 'onTime'],
            ['逾期', totals.late, 'late'],
            ['督办', totals.escalated, 'escalated'],
            ['未决定', totals.open, 'open'],
            ['已超期未决定', totals.overdue, 'overdue'],
            ['按时办结率', percent(totals.onTimeShare), 'share'],
          ] as Array<[string, string | number, string]>
        ).map(([label, value, key]) => h('div', { 'data-figure': key }, h('strong', {}, value), label)),
      ),
      rows.length
        ? [
            exportButtons(
              'export-compliance',
              () =>
                download(
                  `doudi-compliance-${name}.csv`,
                  'text/csv;charset=utf-8',
                  csvDocument(complianceColumns, rows),
                ),
              () =>
                download(
                  `doudi-compliance-${name}.json`,
                  'application/json',
                  JSON.stringify(
                    {
                      exportedAt: exportedAt(),
                      query,
                      totals,
                      tasks: rows.map((r) => ({
                        applicationId: r.applicationId,
                        caseId: r.caseId,
                        ...r.task,
                        marks: marks(r.task).map(([m]) => m),
                      })),
                    },
                    null,
                    2,
                  ),
                ),
            ),
            h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'list', id: 'compliance-table' },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ['申请编号', '任务', '期限', '现行期限', '决定时间', '决定人', '标记'].map((t) =>
                      h('th', {}, t),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  rows.map((r) =>
                    h(
                      'tr',
                      { 'data-task': r.task.taskId, 'data-kind': r.task.kind },
                      h('td', {}, r.applicationId),
                      h('td', {}, kindName(r.task)),
                      h(
                        'td',
                        {},
                        r.task.dueDate,
                        r.task.dueDateProvisional ? '（暂按周末和法定节假日计算）' : '',
                      ),
                      h('td', {}, r.task.currentDueDate),
                      h('td', {}, r.task.decidedAt ? beijingTime(r.task.decidedAt) : '未决定'),
                      h('td', {}, r.task.decidedBy?.name ?? '—'),
                      h(
                        'td',
                        {},
                        h(
                          'span',
                          { class: 'marks' },
                          marks(r.task).map(([m, tone]) => h('span', { class: `badge ${tone}`.trim() }, m)),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ]
        : h('p', { class: 'muted' }, '所列案件尚无审核任务。'),
    ),
  );
}

function openCase(caseId: string) {
  history.replaceState(null, '', `/audit/?case=${encodeURIComponent(caseId)}`);
  $<HTMLInputElement>('#case-id').value = caseId;
  void load(caseId).then(() => $('#result').scrollIntoView({ block: 'start' }));
}

// ── start ──────────────────────────────────────────────────────────────────────────────────────

const initial = new URLSearchParams(location.search).get('case') ?? '';

function start(session: Session, first: boolean) {
  if (!first) return;
  show(
    root,
    searchForm(session),
    h('div', { id: 'search-results' }),
    lookupForm(initial),
    h('div', { id: 'result' }),
  );
  if (initial) void load(initial);
}

// Auditors search; county officers too; caseworkers may read the timelines of their region's cases.
startSignIn({
  profile: 'audit',
  accepts: ['auditor', 'countyOfficer', 'townshipCaseworker'],
  onSignedIn: start,
});
