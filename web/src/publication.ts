/**
 * 结果公布: a region's published approvals (社会救助法第四十五条), for anyone — no sign-in. The
 * region comes from `?regionCode=`, so a village can link to its own list.
 */
import type { z } from 'zod';
import type { publicationResponse } from '../../shared/schemas/cases.ts';
import { api } from './lib/api.ts';
import { $, h, show } from './lib/dom.ts';
import { yuan } from './lib/format.ts';

type Publication = z.infer<typeof publicationResponse>;

async function load(regionCode: string) {
  const out = $('#publication');
  show(out, h('p', { class: 'hint' }, '正在查询…'));
  const res = await api<Publication>('GET', `/public/approvals?regionCode=${encodeURIComponent(regionCode)}`);
  if (!res.ok) {
    show(out, h('p', { class: 'error', role: 'alert' }, res.error.message));
    return;
  }
  const { entries, endNotices, asOf } = res.data;
  show(
    out,
    entries.length === 0
      ? h('p', { class: 'card' }, `${regionCode} 目前没有公布中的确认决定（查询日期 ${asOf}）。`)
      : approvalsTable(regionCode, entries, asOf),
    endNotices.length ? endNoticesSection(endNotices) : null,
  );
}

function approvalsTable(regionCode: string, entries: Publication['entries'], asOf: string) {
  return h(
    'div',
    {},
    h('p', {}, `${regionCode} 公布中的确认决定 ${entries.length} 项（查询日期 ${asOf}）`),
    h(
      'table',
      { id: 'publication-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['申请人', '家庭人数', '救助类别', '每月救助金', '确认日期', '公布至'].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, e.applicantName),
            h('td', {}, `${e.householdSize}人`),
            h('td', {}, e.tierLabel),
            h('td', {}, e.monthlyAmount === null ? '—' : yuan(e.monthlyAmount)),
            h('td', {}, e.decidedOn),
            h('td', {}, e.publishedUntil),
          ),
        ),
      ),
    ),
  );
}

/** 特困人员终止救助供养的公示 (43号 第二十六条): the proposals open to objection, and decisions after one. */
function endNoticesSection(notices: Publication['endNotices']) {
  return h(
    'section',
    { class: 'card', id: 'end-notices' },
    h('h2', {}, '特困人员终止救助供养公示'),
    h(
      'ul',
      {},
      ...notices.map((n) =>
        h(
          'li',
          {},
          h('p', {}, n.statement),
          h('p', { class: 'hint' }, `公示期：${n.startsOn} 至 ${n.endsOn}`),
        ),
      ),
    ),
  );
}

const input = $<HTMLInputElement>('#regionCode');
const initial = new URLSearchParams(location.search).get('regionCode');
if (initial) {
  input.value = initial;
  void load(initial);
}
$<HTMLFormElement>('#region-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = input.value.trim();
  if (!/^\d{6}$/.test(code)) {
    show($('#publication'), h('p', { class: 'error', role: 'alert' }, '行政区划代码应为6位数字'));
    return;
  }
  history.replaceState(null, '', `?regionCode=${code}`);
  void load(code);
});
