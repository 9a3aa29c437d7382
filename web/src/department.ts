/**
 * 部门预警处置. A department officer signs in (`lib/signin.ts`, profile `department`) and sees the
 * monitoring warnings pushed to their department (分类推送) in a region they serve, newest first, with the
 * feedback due date in working days, the days left or overdue and the escalations; opening one shows what
 * it says and, until it is answered, the feedback form (处置结果、措施、落实的救助项目、金额). The form
 * validates with the API's own schema (`shared/schemas/warnings.ts`) and shows the same Chinese messages
 * beside each field; a warning answered already (409) says so. Below the list, the special-assistance
 * demands pushed to the department (需求推送): opened, who it reaches and the answer form; the month's
 * change list (增减变动名单) to download; then
 * 认定结果查询 (结果互认): ID numbers of the region looked up for a stated purpose, answered line by line.
 */
import { covers } from '../../shared/auth.ts';
import {
  assistanceTypeLabels,
  assistanceTypes,
  type Department,
  departmentLabels,
} from '../../shared/monitoring/vocabulary.ts';
import type {
  ChangeList,
  DemandList,
  DemandView,
  LookupResult,
  WarningList,
  WarningView,
} from '../../shared/openapi.ts';
import { regionCode } from '../../shared/schemas/household.ts';
import {
  demandFeedbackBody,
  demandResults,
  demandResultsFor,
  feedbackResults,
  lookupBody,
  warningFeedbackBody,
  warningStatuses,
  warningStatusLabels,
} from '../../shared/schemas/warnings.ts';
import { api } from './lib/api.ts';
import { $, h, listTable, show } from './lib/dom.ts';
import { beijingTime, chinaDate, daysUntil, yuan } from './lib/format.ts';
import { type Session, startSignIn } from './lib/signin.ts';

const REGION_KEY = 'doudi.department.region';
const root = $('#department');
let session: Session | undefined;
let region = '';
let status = '';
let warnings: WarningView[] = [];
let selected: string | undefined;

const fieldLabels: Record<string, string> = {
  result: '处置结果',
  measures: '处置措施',
  assistance: '落实的救助项目',
  amount: '救助金额',
  handledOn: '处置日期',
};

function dueBadge(w: WarningView) {
  if (w.status === 'answered') return h('span', { class: 'badge ok' }, '已反馈');
  const left = daysUntil(w.dueDate);
  if (left < 0) return h('span', { class: 'badge bad' }, `逾期 ${-left} 天`);
  if (left === 0) return h('span', { class: 'badge warn' }, '今日到期');
  return h('span', { class: `badge ${left <= 2 ? 'warn' : 'ok'}` }, `剩 ${left} 天`);
}

function filters() {
  const regionInput = h('input', {
    id: 'region',
    type: 'text',
    inputmode: 'numeric',
    maxlength: 6,
    value: region,
    autocomplete: 'off',
    'aria-describedby': 'region-error',
  });
  const statusSelect = h(
    'select',
    { id: 'status' },
    h('option', { value: '' }, '全部'),
    warningStatuses.map((s) =>
      h('option', { value: s, ...(s === status ? { selected: true } : {}) }, warningStatusLabels[s]),
    ),
  );
  return h(
    'form',
    {
      class: 'card',
      id: 'filters',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const parsed = regionCode.safeParse(regionInput.value.trim());
        if (!parsed.success) {
          regionInput.setAttribute('aria-invalid', 'true');
          $('#region-error').textContent = `行政区划代码：${parsed.error.issues[0]?.message}`;
          return;
        }
        regionInput.removeAttribute('aria-invalid');
        $('#region-error').textContent = '';
        region = parsed.data;
        status = statusSelect.value;
        localStorage.setItem(REGION_KEY, region);
        selected = undefined;
        show($('#warning'), h('p', { class: 'muted' }, '请选择一条预警，查看内容并反馈处置情况。'));
        void load();
      },
    },
    h(
      'div',
      { class: 'grid' },
      h(
        'label',
        { class: 'field' },
        h('span', {}, '行政区划代码'),
        regionInput,
        h('small', { class: 'error', id: 'region-error' }),
      ),
      h('label', { class: 'field' }, h('span', {}, '状态'), statusSelect),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查看预警')),
  );
}

async function load() {
  const query = new URLSearchParams({ regionCode: region, ...(status ? { status } : {}) });
  void loadDemands(query);
  const res = await api<WarningList>('GET', `/warnings?${query}`);
  if (!res.ok) {
    show($('#list'), h('p', { class: 'error', role: 'alert' }, `预警载入失败：${res.error.message}`));
    return;
  }
  warnings = res.data.warnings;
  renderList(res.data);
}

function renderList(list: WarningList) {
  show(
    $('#list'),
    h('h2', {}, `${departmentLabels[session!.department as Department] ?? ''}预警（${list.count}）`),
    list.truncated ? h('p', { class: 'muted' }, `仅显示最新的 ${list.warnings.length} 条`) : null,
    warnings.length
      ? h(
          'ul',
          { class: 'tasks', role: 'listbox', 'aria-label': '预警' },
          warnings.map((w) =>
            h(
              'li',
              {
                role: 'option',
                tabindex: 0,
                'data-warning': w.warningId,
                'aria-selected': w.warningId === selected ? 'true' : 'false',
                class: w.status !== 'answered' && daysUntil(w.dueDate) < 0 ? 'overdue' : '',
                onclick: () => open(w.warningId),
                onkeydown: (e: Event) => {
                  if ((e as KeyboardEvent).key === 'Enter') open(w.warningId);
                },
              },
              h(
                'div',
                {},
                h('strong', {}, `${w.riskTypeLabel}预警`),
                ' ',
                h('span', { class: 'badge' }, w.statusLabel),
                w.escalations.length
                  ? h('span', { class: 'badge bad' }, `督办 ${w.escalations.length} 次`)
                  : null,
              ),
              h(
                'div',
                { class: 'muted' },
                `${w.subject ?? '整户'} · ${w.recordId ? `记录 ${w.recordId}` : '名单比对'} · ${w.regionCode}`,
              ),
              h('div', {}, `反馈期限 ${w.dueDate} `, dueBadge(w)),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '暂无预警。'),
  );
}

function feedbackForm(w: WarningView) {
  const result = h('div', { id: 'decision-result', role: 'status' });
  const measures = h('textarea', {
    id: 'measures',
    rows: 4,
    maxlength: 1000,
    'aria-describedby': 'measures-error',
  });
  const amount = h('input', {
    id: 'amount',
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    'aria-describedby': 'amount-error',
  });
  const handledOn = h('input', {
    id: 'handledOn',
    type: 'date',
    value: chinaDate(),
    'aria-describedby': 'handledOn-error',
  });
  const errorSlot = (id: string) => h('small', { class: 'error', id: `${id}-error` });
  const showErrors = (fields: Array<{ field: string; message: string }>) => {
    for (const key of Object.keys(fieldLabels)) {
      $(`#${key}-error`).textContent = '';
      document.getElementById(key)?.removeAttribute('aria-invalid');
    }
    for (const f of fields) {
      const key = f.field.split('.')[0] ?? '';
      if (!(key in fieldLabels)) continue;
      const slot = $(`#${key}-error`);
      slot.textContent = `${slot.textContent ? `${slot.textContent}；` : ''}${fieldLabels[key]}：${f.message}`;
      document.getElementById(key)?.setAttribute('aria-invalid', 'true');
    }
  };
  const form = h(
    'form',
    {
      class: 'card',
      id: 'feedback-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const chosen = (form.querySelector('input[name="result"]:checked') as HTMLInputElement | null)?.value;
        const assistance = [
          ...form.querySelectorAll<HTMLInputElement>('input[name="assistance"]:checked'),
        ].map((c) => c.value);
        const body = {
          result: chosen,
          measures: measures.value,
          assistance,
          ...(amount.value.trim() === '' ? {} : { amount: Number(amount.value.trim()) }),
          ...(handledOn.value ? { handledOn: handledOn.value } : {}),
        };
        // The API checks the same (`warningFeedbackBody`); checked here so an incomplete answer never leaves the page.
        const parsed = warningFeedbackBody.safeParse(body);
        if (!parsed.success) {
          showErrors(
            parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'result', message: i.message })),
          );
          return;
        }
        showErrors([]);
        const button = $<HTMLButtonElement>('#feedback-button');
        button.disabled = true;
        const res = await api<WarningView>('POST', `/warnings/${encodeURIComponent(w.warningId)}/feedback`, {
          body,
        });
        if (res.ok) {
          warnings = warnings.map((x) => (x.warningId === w.warningId ? res.data : x));
          show(result, h('p', { class: 'ok' }, `已反馈：${res.data.feedback?.resultLabel ?? ''}。`));
          void load();
          return;
        }
        button.disabled = false;
        showErrors(res.error.fields ?? []);
        show(
          result,
          h(
            'p',
            { class: 'error', role: 'alert' },
            res.status === 409 ? '该预警已反馈，不能重复反馈。' : `反馈未成功：${res.error.message}`,
          ),
        );
      },
    },
    h('h3', {}, '反馈处置情况'),
    h(
      'fieldset',
      { class: 'field', 'aria-describedby': 'result-error' },
      h('legend', {}, '处置结果 *'),
      Object.entries(feedbackResults).map(([value, label]) =>
        h(
          'label',
          { class: 'field check' },
          h('input', { type: 'radio', name: 'result', value }),
          h('span', {}, label),
        ),
      ),
      errorSlot('result'),
    ),
    h('label', { class: 'field' }, h('span', {}, '处置措施 *'), measures, errorSlot('measures')),
    h(
      'fieldset',
      { class: 'field', 'aria-describedby': 'assistance-error' },
      h('legend', {}, '落实的救助项目（已落实救助帮扶的必填）'),
      assistanceTypes.map((t) =>
        h(
          'label',
          { class: 'field check' },
          h('input', { type: 'checkbox', name: 'assistance', value: t }),
          h('span', {}, assistanceTypeLabels[t]),
        ),
      ),
      errorSlot('assistance'),
    ),
    h(
      'div',
      { class: 'grid' },
      h('label', { class: 'field' }, h('span', {}, '救助金额（元，选填）'), amount, errorSlot('amount')),
      h('label', { class: 'field' }, h('span', {}, '处置日期'), handledOn, errorSlot('handledOn')),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'feedback-button' }, '提交反馈')),
    result,
  );
  return form;
}

function open(warningId: string) {
  const w = warnings.find((x) => x.warningId === warningId);
  if (!w) return;
  selected = warningId;
  for (const li of document.querySelectorAll('#list li'))
    li.setAttribute('aria-selected', li.getAttribute('data-warning') === warningId ? 'true' : 'false');
  const panel = $('#warning');
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'warning-view' },
      h('h2', {}, `${w.riskTypeLabel}预警`),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '预警编号'),
        h('dd', {}, w.warningId),
        h('dt', {}, '涉及人员'),
        h('dd', {}, w.subject ?? '整户'),
        h('dt', {}, '来源'),
        h(
          'dd',
          {},
          w.recordId
            ? `${departmentLabels[w.source as Department] ?? w.source}记录 ${w.recordId}（${w.eventDate}）`
            : '低收入人口名单比对',
        ),
        h('dt', {}, '家庭'),
        h('dd', {}, w.householdId ?? '不在低收入人口名单内'),
        h('dt', {}, '推送时间'),
        h('dd', {}, beijingTime(w.pushedAt ?? w.raisedAt)),
        h('dt', {}, '反馈期限'),
        h('dd', {}, `${w.dueDate}（${w.feedbackWorkingDays}个工作日） `, dueBadge(w)),
        ...(w.escalations.length
          ? [
              h('dt', {}, '督办'),
              h(
                'dd',
                {},
                w.escalations.map((e) => `原期限${e.overdueSince}逾期，新期限${e.newDueDate}`).join('；'),
              ),
            ]
          : []),
        ...(w.homeCheck
          ? [
              h('dt', {}, '入户核查'),
              h(
                'dd',
                {},
                w.verification?.decision
                  ? w.verification.decision.decision === 'approve'
                    ? '核查属实'
                    : '核查不属实'
                  : '乡镇（街道）核查中',
              ),
            ]
          : []),
      ),
      h('h3', {}, '预警内容'),
      h('p', { class: 'warning-message' }, w.message),
      h('p', { class: 'muted' }, `反馈时限依据：${w.feedbackClause}`),
    ),
    w.feedback
      ? h(
          'section',
          { class: 'card', id: 'feedback-view' },
          h('h3', {}, '已反馈'),
          h(
            'dl',
            { class: 'kv' },
            h('dt', {}, '处置结果'),
            h(
              'dd',
              {},
              w.feedback.resultLabel,
              w.feedback.late ? h('span', { class: 'badge bad' }, '逾期反馈') : null,
            ),
            h('dt', {}, '处置措施'),
            h('dd', {}, w.feedback.measures),
            h('dt', {}, '落实的救助项目'),
            h(
              'dd',
              {},
              w.feedback.assistance
                .map((a) => assistanceTypeLabels[a as keyof typeof assistanceTypeLabels] ?? a)
                .join('、') || '—',
            ),
            h('dt', {}, '救助金额'),
            h('dd', {}, yuan(w.feedback.amount)),
            h('dt', {}, '反馈人'),
            h('dd', {}, `${w.feedback.answeredBy.name}（${beijingTime(w.feedback.answeredAt)}）`),
          ),
        )
      : feedbackForm(w),
  );
  if (panel.getBoundingClientRect().top > innerHeight / 2) panel.scrollIntoView({ block: 'start' });
}

// ── 需求推送: the special-assistance demands pushed to this department ──────────────────────────────

let demands: DemandView[] = [];

async function loadDemands(query: URLSearchParams) {
  const res = await api<DemandList>('GET', `/demands?${query}`);
  if (!res.ok) {
    show($('#demands'), h('p', { class: 'error', role: 'alert' }, `需求载入失败：${res.error.message}`));
    return;
  }
  demands = res.data.demands;
  const due = (d: DemandView) => {
    if (d.status === 'answered') return h('span', { class: 'badge ok' }, '已反馈');
    if (!d.dueDate) return h('span', { class: 'badge' }, '待推送');
    const left = daysUntil(d.dueDate);
    if (left < 0) return h('span', { class: 'badge bad' }, `逾期 ${-left} 天`);
    return h('span', { class: `badge ${left <= 2 ? 'warn' : 'ok'}` }, `${d.dueDate}（剩 ${left} 天）`);
  };
  show(
    $('#demands'),
    h('h2', {}, `专项救助需求（${res.data.count}）`),
    h(
      'p',
      { class: 'hint' },
      '认定、调整或终止救助时，本部门办理的专项救助项目新增或停止，推送到这里；请办理后反馈结果。',
    ),
    demands.length
      ? listTable(
          ['项目', '新增/停止', '涉及人员', '内容', '反馈期限', ''],
          demands.map((d) =>
            h(
              'tr',
              { 'data-demand': d.demandId, class: d.escalations.length ? 'overdue' : '' },
              h('td', {}, d.itemLabel),
              h('td', {}, d.kindLabel),
              h('td', {}, d.subject),
              h('td', {}, d.kind === 'start' ? d.benefit : `救助${d.tier ? '类别变更' : '终止'}`),
              h(
                'td',
                {},
                due(d),
                d.escalations.length
                  ? h('span', { class: 'badge bad' }, `督办 ${d.escalations.length} 次`)
                  : null,
              ),
              h(
                'td',
                {},
                h(
                  'button',
                  { type: 'button', class: 'secondary', onclick: () => void openDemand(d.demandId) },
                  d.status === 'answered' ? '查看' : '办理',
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '暂无需求。'),
  );
}

/** One demand: who it reaches (reading it is recorded on the household's chain) and the answer. */
async function openDemand(demandId: string) {
  const res = await api<DemandView>('GET', `/demands/${encodeURIComponent(demandId)}`);
  const panel = $('#warning');
  if (!res.ok) {
    show(panel, h('p', { class: 'error', role: 'alert' }, `需求载入失败：${res.error.message}`));
    return;
  }
  const d = res.data;
  const result = h('div', { id: 'demand-result', role: 'status' });
  const measures = h('textarea', { id: 'demand-measures', rows: 3, maxlength: 1000 });
  const handledOn = h('input', { id: 'demand-handledOn', type: 'date', value: chinaDate() });
  const error = h('small', { class: 'error', id: 'demand-error' });
  const form = h(
    'form',
    {
      class: 'card',
      id: 'demand-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const chosen = (form.querySelector('input[name="demand-result"]:checked') as HTMLInputElement | null)
          ?.value;
        const body = { result: chosen, measures: measures.value, handledOn: handledOn.value || undefined };
        const parsed = demandFeedbackBody.safeParse(body);
        if (!parsed.success) {
          error.textContent = parsed.error.issues
            .map((i) => `${i.path[0] === 'measures' ? '办理情况' : '办理结果'}：${i.message}`)
            .join('；');
          return;
        }
        error.textContent = '';
        const answer = await api<DemandView>('POST', `/demands/${encodeURIComponent(d.demandId)}/feedback`, {
          body: parsed.data,
        });
        if (answer.ok) {
          show(result, h('p', { class: 'ok' }, `已反馈：${answer.data.feedback?.resultLabel ?? ''}。`));
          void load();
          return;
        }
        error.textContent = (answer.error.fields ?? []).map((f) => f.message).join('；');
        show(
          result,
          h(
            'p',
            { class: 'error', role: 'alert' },
            answer.status === 409 ? '该需求已反馈，不能重复反馈。' : `反馈未成功：${answer.error.message}`,
          ),
        );
      },
    },
    h('h3', {}, '反馈办理结果'),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', {}, '办理结果 *'),
      demandResultsFor[d.kind].map((value) =>
        h(
          'label',
          { class: 'field check' },
          h('input', { type: 'radio', name: 'demand-result', value }),
          h('span', {}, demandResults[value]),
        ),
      ),
    ),
    h('label', { class: 'field' }, h('span', {}, '办理情况 *'), measures),
    h('label', { class: 'field' }, h('span', {}, '办理日期'), handledOn),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'demand-button' }, '提交反馈')),
    result,
  );
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'demand-view' },
      h('h2', {}, `${d.kindLabel}${d.itemLabel}`),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '需求编号'),
        h('dd', {}, d.demandId),
        h('dt', {}, '姓名'),
        h('dd', { id: 'demand-name' }, d.person?.name ?? '—'),
        h('dt', {}, '身份证号码'),
        h('dd', { id: 'demand-id-number' }, d.person?.idNumber ?? d.subject),
        h('dt', {}, '救助类别'),
        h('dd', {}, d.tierLabel ?? '救助已终止'),
        h('dt', {}, '内容'),
        h('dd', {}, `${d.benefit}（${d.clause}）`),
        h('dt', {}, '决定日期'),
        h('dd', {}, beijingTime(d.decidedAt)),
        h('dt', {}, '反馈期限'),
        h('dd', {}, d.dueDate ?? '待推送'),
      ),
      h('p', { class: 'muted' }, '为办理需要显示姓名和身份证号码；本次查看已记入该户的救助链。'),
    ),
    d.feedback
      ? h(
          'section',
          { class: 'card', id: 'demand-feedback' },
          h('h3', {}, '已反馈'),
          h(
            'p',
            {},
            `${d.feedback.resultLabel}：${d.feedback.measures}（${d.feedback.answeredBy.name}，${beijingTime(d.feedback.answeredAt)}）`,
            d.feedback.late ? h('span', { class: 'badge bad' }, '逾期反馈') : null,
          ),
        )
      : form,
  );
}

/** 增减变动名单: the month's people who entered, changed or left, counted, masked, and the file to download. */
function changesCard() {
  const monthInput = h('input', { id: 'changes-month', type: 'month', value: chinaDate().slice(0, 7) });
  const result = h('div', { id: 'changes-result', 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'card',
      id: 'changes',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const query = new URLSearchParams({ regionCode: region, month: monthInput.value });
        const res = await api<ChangeList>('GET', `/register/changes?${query}`);
        if (!res.ok) {
          show(result, h('p', { class: 'error', role: 'alert' }, `名单生成未成功：${res.error.message}`));
          return;
        }
        const c = res.data;
        show(
          result,
          h(
            'p',
            {},
            `${c.regionCode} ${c.month}${c.final ? '' : '（本月尚未结束，为截至目前的名单）'}：新增 ${c.counts.entered} 人，变更 ${c.counts.changed} 人，减少 ${c.counts.left} 人。`,
            ' ',
            h('a', { href: c.url, id: 'changes-download' }, '下载名单（CSV，5分钟内有效）'),
          ),
          listTable(
            ['变动', '身份证号码', '救助类别', '新增项目', '停止项目', '决定日期'],
            c.rows.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, r.changeLabel),
                h('td', {}, r.subject),
                h('td', {}, r.tierLabel),
                h('td', {}, r.started.join('、') || '—'),
                h('td', {}, r.ended.join('、') || '—'),
                h('td', {}, r.decidedOn),
              ),
            ),
          ),
        );
      },
    },
    h('h2', {}, '增减变动名单'),
    h(
      'p',
      { class: 'hint' },
      '按月列出本部门专项救助新增、变更、减少的人员（如据以资助城乡居民医保个人缴费）。文件含完整身份证号码，每次下载都会记录。',
    ),
    h('label', { class: 'field' }, h('span', {}, '月份'), monthInput),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'changes-button' }, '生成名单')),
    result,
  );
}

/**
 * 结果互认: the officer looks people of the region up by ID number (one a line) for a stated purpose,
 * instead of testing their means again; the answers come back line by line, numbers masked.
 */
function lookupCard() {
  const purpose = h('input', {
    id: 'lookup-purpose',
    type: 'text',
    maxlength: 200,
    autocomplete: 'off',
    'aria-describedby': 'lookup-purpose-error',
  });
  const ids = h('textarea', {
    id: 'lookup-ids',
    rows: 4,
    autocomplete: 'off',
    'aria-describedby': 'lookup-ids-error',
  });
  const result = h('div', { id: 'lookup-result', 'aria-live': 'polite' });
  const showErrors = (issues: Array<{ field: string; message: string }>) => {
    const at = (field: string) => issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`));
    const lines = at('idNumbers').map((i) => {
      const n = /^idNumbers\.(\d+)$/.exec(i.field);
      return n ? `第${Number(n[1]) + 1}行：${i.message}` : `身份证号码：${i.message}`;
    });
    $('#lookup-purpose-error').textContent = at('purpose').map((i) => `查询用途：${i.message}`)[0] ?? '';
    $('#lookup-ids-error').textContent = [...new Set(lines)].join('；');
    purpose.toggleAttribute('aria-invalid', at('purpose').length > 0);
    ids.toggleAttribute('aria-invalid', lines.length > 0);
  };
  return h(
    'form',
    {
      class: 'card',
      id: 'lookup',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = {
          regionCode: region,
          purpose: purpose.value,
          idNumbers: ids.value
            .split(/\s+/)
            .map((x) => x.trim().toUpperCase())
            .filter(Boolean),
        };
        const parsed = lookupBody.safeParse(body);
        if (!parsed.success) {
          showErrors(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
          return;
        }
        showErrors([]);
        const res = await api<LookupResult>('POST', '/register/lookup', { body: parsed.data });
        if (!res.ok) {
          showErrors(res.error.fields ?? []);
          show(result, h('p', { class: 'error', role: 'alert' }, `查询未成功：${res.error.message}`));
          return;
        }
        const r = res.data;
        show(
          result,
          h(
            'p',
            {},
            `查询 ${r.count} 人，其中 ${r.found} 人属于低收入人口（查询记录 ${r.lookupId}，供审计）。`,
          ),
          listTable(
            ['行', '身份证号码', '低收入人口', '类别', '认定日期', '有效期至', '本部门的专项救助'],
            r.results.map((x) =>
              h(
                'tr',
                { 'data-position': String(x.position) },
                h('td', {}, String(x.position + 1)),
                h('td', {}, x.idNumber),
                h('td', {}, x.inLowIncomePopulation ? '是' : '否'),
                h('td', {}, x.tierLabel ? `${x.tierLabel}（${x.statusLabel}）` : '—'),
                h('td', {}, x.since?.slice(0, 10) ?? '—'),
                h('td', {}, x.until ?? '—'),
                h(
                  'td',
                  {},
                  x.items?.length ? x.items.map((i) => `${i.itemLabel}：${i.benefit}`).join('；') : '—',
                ),
              ),
            ),
          ),
        );
      },
    },
    h('h2', {}, '认定结果查询（结果互认）'),
    h(
      'p',
      { class: 'hint' },
      '已认定的特困、低保、低保边缘、刚性支出困难家庭，各部门可以不再重复审核家庭经济状况（社会救助法第四十二条）。每次查询都会记录查询人、时间和用途。',
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '查询用途 *'),
      purpose,
      h('small', { class: 'error', id: 'lookup-purpose-error' }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '身份证号码（每行一个，最多1000个） *'),
      ids,
      h('small', { class: 'error', id: 'lookup-ids-error' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'lookup-button' }, '查询')),
    result,
  );
}

function start(signedIn: Session, first: boolean) {
  session = signedIn;
  if (!first) {
    void load();
    return;
  }
  const stored = localStorage.getItem(REGION_KEY) ?? '';
  region = signedIn.regionCodes.some((served) => covers(served, stored))
    ? stored
    : (signedIn.regionCodes[0] ?? '');
  show(
    root,
    h(
      'div',
      { class: 'split' },
      h(
        'div',
        {},
        filters(),
        h('section', { id: 'list' }),
        h('section', { id: 'demands' }),
        changesCard(),
        lookupCard(),
      ),
      h('div', { id: 'warning' }, h('p', { class: 'muted' }, '请选择一条预警，查看内容并反馈处置情况。')),
    ),
  );
  void load();
}

startSignIn({ profile: 'department', accepts: ['departmentOfficer'], onSignedIn: start });
