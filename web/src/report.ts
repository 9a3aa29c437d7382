/**
 * 举报投诉: anyone reports a wrong in social assistance, without signing in (社会救助法第六十三、六十八条),
 * and later reads how it was concluded with the complaint's id and the code given on receipt. The form
 * validates with the API's own schema (`shared/schemas/casework.ts`) and names each field in Chinese.
 */
import type { ComplaintReceipt } from '../../shared/openapi.ts';
import { complaintBody, complaintKinds } from '../../shared/schemas/casework.ts';
import { api } from './lib/api.ts';
import { $, h, show } from './lib/dom.ts';

const labels: Record<string, string> = {
  regionCode: '发生地行政区划代码',
  kind: '举报投诉类别',
  content: '举报投诉的事项',
  reporter: '联系电话',
};

function receiptView(r: ComplaintReceipt) {
  return h(
    'dl',
    { class: 'kv' },
    h('dt', {}, '编号'),
    h('dd', { id: 'receipt-id' }, r.complaintId),
    ...(r.code ? [h('dt', {}, '查询码'), h('dd', { id: 'receipt-code' }, r.code)] : []),
    h('dt', {}, '类别'),
    h('dd', {}, r.kindLabel),
    h('dt', {}, '状态'),
    h('dd', { id: 'receipt-status' }, r.statusLabel),
    h('dt', {}, '办结期限'),
    h('dd', {}, r.dueDate),
    ...(r.conclusion
      ? [h('dt', {}, '处理结果'), h('dd', { id: 'receipt-conclusion' }, r.conclusion.reasons.join('；'))]
      : []),
  );
}

function reportForm() {
  const region = h('input', { id: 'regionCode', inputmode: 'numeric', maxlength: 6, autocomplete: 'off' });
  const content = h('textarea', { id: 'content', rows: 5, maxlength: 2000 });
  const name = h('input', { id: 'reporter-name', autocomplete: 'name' });
  const phone = h('input', { id: 'reporter-phone', inputmode: 'tel', autocomplete: 'tel' });
  const errors = h('div', { id: 'report-errors', class: 'error', role: 'alert' });
  const result = h('div', { id: 'report-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card',
      id: 'report-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const kind = (form.querySelector('input[name="kind"]:checked') as HTMLInputElement | null)?.value;
        const reporter = {
          ...(name.value.trim() ? { name: name.value.trim() } : {}),
          ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
        };
        const body = {
          regionCode: region.value.trim(),
          kind,
          content: content.value,
          ...(Object.keys(reporter).length ? { reporter } : {}),
        };
        const parsed = complaintBody.safeParse(body);
        if (!parsed.success) {
          show(
            errors,
            h(
              'ul',
              {},
              parsed.error.issues.map((i) => h('li', {}, `${labels[String(i.path[0])] ?? ''}：${i.message}`)),
            ),
          );
          return;
        }
        show(errors);
        const res = await api<ComplaintReceipt>('POST', '/complaints', { body: parsed.data });
        if (!res.ok) {
          show(errors, h('p', {}, `提交未成功：${res.error.message}`));
          return;
        }
        show(result, h('p', { class: 'ok' }, res.data.message), receiptView(res.data));
        form.querySelector('button')?.setAttribute('disabled', 'true');
      },
    },
    h('h2', {}, '我要举报投诉'),
    h('label', { class: 'field' }, h('span', {}, '发生地的县级行政区划代码（6位） *'), region),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', {}, '类别 *'),
      Object.entries(complaintKinds).map(([value, label]) =>
        h(
          'label',
          { class: 'field check' },
          h('input', { type: 'radio', name: 'kind', value }),
          h('span', {}, label),
        ),
      ),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '举报投诉的事项（涉及的家庭或人员、事实和依据） *'),
      content,
    ),
    h(
      'div',
      { class: 'grid' },
      h('label', { class: 'field' }, h('span', {}, '您的姓名（可不填）'), name),
      h('label', { class: 'field' }, h('span', {}, '联系电话（可不填）'), phone),
    ),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'report-button' }, '提交')),
    result,
  );
  return form;
}

function lookupForm() {
  const id = h('input', { id: 'lookup-id', autocomplete: 'off' });
  const code = h('input', { id: 'lookup-code', autocomplete: 'off', maxlength: 8 });
  const out = h('div', { id: 'lookup-result', 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'card',
      id: 'lookup-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const res = await api<ComplaintReceipt>(
          'GET',
          `/complaints/${encodeURIComponent(id.value.trim())}/status?code=${encodeURIComponent(code.value.trim().toUpperCase())}`,
        );
        show(
          out,
          res.ok ? receiptView(res.data) : h('p', { class: 'error', role: 'alert' }, res.error.message),
        );
      },
    },
    h('h2', {}, '查询处理结果'),
    h('label', { class: 'field' }, h('span', {}, '编号'), id),
    h('label', { class: 'field' }, h('span', {}, '查询码'), code),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'lookup-button' }, '查询')),
    out,
  );
}

show($('#report'), reportForm());
show($('#lookup'), lookupForm());
