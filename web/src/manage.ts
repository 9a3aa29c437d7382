/**
 * 工作人员授权. An administrator signs in (`lib/signin.ts`, profile `manage`) and manages who may do
 * what within their own regions: the staff serving a region (in post and revoked), a form that grants
 * or changes a person's role, regions and department by their sign-in's user id (sub), a revocation
 * with its reason, and each person's record of changes. The form validates with the API's own schema
 * (`shared/schemas/staff.ts`) and shows the same Chinese messages beside each field; what the API
 * refuses (a region outside one's own, one's own record) is shown as it says it.
 */

import type { z } from 'zod';
import { departments, roleLabels } from '../../shared/auth.ts';
import { departmentLabels } from '../../shared/monitoring/vocabulary.ts';
import { regionCode } from '../../shared/schemas/household.ts';
import {
  type staffDetail,
  staffGrantBody,
  staffRevocationBody,
  staffRoles,
  type staffView,
} from '../../shared/schemas/staff.ts';
import { api } from './lib/api.ts';
import { $, h, listTable, show } from './lib/dom.ts';
import { beijingTime, regionCodesTyped } from './lib/format.ts';
import { type Session, startSignIn } from './lib/signin.ts';

type Staff = z.output<typeof staffView>;
type StaffDetail = z.output<typeof staffDetail>;

const root = $('#manage');
let session: Session | undefined;
let region = '';

const fieldLabels: Record<string, string> = {
  subject: '用户编号',
  name: '姓名',
  role: '角色',
  regionCodes: '所服务的行政区划代码',
  department: '所属部门',
};

function showErrors(fields: Array<{ field: string; message: string }>) {
  for (const key of Object.keys(fieldLabels)) {
    $(`#grant-${key}-error`).textContent = '';
    document.getElementById(`grant-${key}`)?.removeAttribute('aria-invalid');
  }
  for (const f of fields) {
    const key = f.field.replace(/^path\./, '').split('.')[0] ?? '';
    if (!(key in fieldLabels)) continue;
    const slot = $(`#grant-${key}-error`);
    slot.textContent = `${slot.textContent ? `${slot.textContent}；` : ''}${fieldLabels[key]}：${f.message}`;
    document.getElementById(`grant-${key}`)?.setAttribute('aria-invalid', 'true');
  }
}

const errorSlot = (id: string) => h('small', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' });

function grantForm() {
  const input = (id: string, attrs: Record<string, string | number> = {}) =>
    h('input', { id, type: 'text', autocomplete: 'off', 'aria-describedby': `${id}-error`, ...attrs });
  const subject = input('grant-subject', { placeholder: '统一身份认证中的用户编号（sub）' });
  const name = input('grant-name', { maxlength: 50 });
  const role = h(
    'select',
    { id: 'grant-role', 'aria-describedby': 'grant-role-error' },
    h('option', { value: '' }, '请选择'),
    staffRoles.map((r) => h('option', { value: r }, roleLabels[r])),
  );
  const regions = input('grant-regionCodes', {
    inputmode: 'numeric',
    placeholder: '如 430121；多个用逗号分隔',
  });
  const department = h(
    'select',
    { id: 'grant-department', 'aria-describedby': 'grant-department-error' },
    h('option', { value: '' }, '（部门工作人员选择）'),
    departments.map((d) => h('option', { value: d }, departmentLabels[d])),
  );
  const status = h('div', { id: 'grant-status', role: 'status' });
  const form = h(
    'form',
    {
      class: 'card',
      id: 'grant-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        show(status);
        const body = {
          name: name.value,
          role: role.value || undefined,
          regionCodes: [...new Set(regionCodesTyped(regions.value))],
          ...(department.value ? { department: department.value } : {}),
        };
        const problems = [
          ...(subject.value.trim() ? [] : [{ field: 'subject', message: '请填写用户编号' }]),
          ...(staffGrantBody.safeParse(body).error?.issues.map((i) => ({
            field: i.path.join('.') || 'role',
            message: i.message,
          })) ?? []),
        ];
        showErrors(problems);
        if (problems.length) return;
        const res = await api<{ outcome: string; staff: Staff }>(
          'PUT',
          `/admin/staff/${encodeURIComponent(subject.value.trim())}`,
          { body },
        );
        if (!res.ok) {
          showErrors(res.error.fields ?? []);
          show(status, h('p', { class: 'error', role: 'alert' }, `未能授权：${res.error.message}`));
          return;
        }
        const said = { granted: '已授予', changed: '已变更', same: '与现有授权相同，未作变更' }[
          res.data.outcome
        ];
        show(
          status,
          h('p', { class: 'ok' }, `${said}：${res.data.staff.name}（${roleLabels[res.data.staff.role]}）`),
        );
        void load();
      },
    },
    h('h2', {}, '授予或变更授权'),
    h(
      'p',
      { class: 'hint' },
      '只能在您管辖的地区内授权；不能变更本人的授权。每次变更记入该工作人员的变更记录。',
    ),
    h('label', { class: 'field' }, h('span', {}, '用户编号 *'), subject, errorSlot('grant-subject')),
    h('label', { class: 'field' }, h('span', {}, '姓名 *'), name, errorSlot('grant-name')),
    h('label', { class: 'field' }, h('span', {}, '角色 *'), role, errorSlot('grant-role')),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '所服务的行政区划代码 *'),
      regions,
      errorSlot('grant-regionCodes'),
    ),
    h('label', { class: 'field' }, h('span', {}, '所属部门'), department, errorSlot('grant-department')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'grant-button' }, '保存授权')),
    status,
  );
  return form;
}

async function showDetail(subject: string) {
  const slot = $('#detail');
  const res = await api<StaffDetail>('GET', `/admin/staff/${encodeURIComponent(subject)}`);
  if (!res.ok) {
    show(slot, h('p', { class: 'error', role: 'alert' }, `变更记录载入失败：${res.error.message}`));
    return;
  }
  const s = res.data;
  const reason = h('input', {
    id: 'revoke-reason',
    type: 'text',
    maxlength: 500,
    'aria-describedby': 'revoke-reason-error',
  });
  const revoke =
    s.status === 'active' && session?.role === 'admin'
      ? h(
          'form',
          {
            id: 'revoke-form',
            novalidate: true,
            onsubmit: async (e: Event) => {
              e.preventDefault();
              const body = { reason: reason.value };
              const parsed = staffRevocationBody.safeParse(body);
              $('#revoke-reason-error').textContent = parsed.success
                ? ''
                : (parsed.error.issues[0]?.message ?? '');
              if (!parsed.success) return;
              const done = await api('POST', `/admin/staff/${encodeURIComponent(subject)}/revocation`, {
                body,
              });
              if (!done.ok) {
                $('#revoke-reason-error').textContent = `未能撤销：${done.error.message}`;
                return;
              }
              void load();
              void showDetail(subject);
            },
          },
          h('label', { class: 'field' }, h('span', {}, '撤销理由 *'), reason, errorSlot('revoke-reason')),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit', class: 'secondary', id: 'revoke-button' }, '撤销授权'),
          ),
        )
      : null;
  show(
    slot,
    h(
      'section',
      { class: 'card', id: 'staff-detail' },
      h('h2', {}, `${s.name}（${s.subject}）`),
      h(
        'p',
        {},
        `${roleLabels[s.role]} · 管辖 ${s.regionCodes.join('、')}`,
        s.department ? ` · ${departmentLabels[s.department]}` : '',
        s.status === 'revoked' ? ` · 已撤销：${s.revokedReason ?? ''}` : ' · 在职',
      ),
      h('h3', {}, '变更记录'),
      h(
        'ol',
        { id: 'staff-history' },
        s.history.map((e) =>
          h('li', {}, `${beijingTime(e.at)} ${e.actionLabel}：${e.summary}（${e.actor.name}）`),
        ),
      ),
      revoke,
    ),
  );
}

async function load() {
  const list = $('#staff-list');
  const res = await api<{ staff: Staff[] }>('GET', `/admin/staff${region ? `?regionCode=${region}` : ''}`);
  if (!res.ok) {
    show(list, h('p', { class: 'error', role: 'alert' }, `载入失败：${res.error.message}`));
    return;
  }
  if (!res.data.staff.length) {
    show(list, h('p', { class: 'muted' }, '该地区尚无授权的工作人员。'));
    return;
  }
  show(
    list,
    listTable(
      ['姓名', '用户编号', '角色', '管辖', '状态', '最近变更', ''],
      res.data.staff.map((s) =>
        h(
          'tr',
          { 'data-subject': s.subject },
          h('td', {}, s.name),
          h('td', {}, s.subject),
          h('td', {}, roleLabels[s.role], s.department ? `（${departmentLabels[s.department]}）` : ''),
          h('td', {}, s.regionCodes.join('、')),
          h('td', {}, s.status === 'active' ? '在职' : '已撤销'),
          h('td', {}, `${beijingTime(s.updatedAt)}（${s.updatedBy.name}）`),
          h(
            'td',
            {},
            h(
              'button',
              { type: 'button', class: 'secondary small', onclick: () => void showDetail(s.subject) },
              '查看',
            ),
          ),
        ),
      ),
      { id: 'staff-table' },
    ),
  );
}

function render() {
  const regionInput = h('input', {
    id: 'region',
    type: 'text',
    inputmode: 'numeric',
    maxlength: 6,
    value: region,
    autocomplete: 'off',
    'aria-describedby': 'region-error',
  });
  show(
    root,
    h(
      'form',
      {
        class: 'card filters',
        id: 'filters',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          const typed = regionInput.value.trim();
          const parsed = typed ? regionCode.safeParse(typed) : undefined;
          $('#region-error').textContent =
            parsed && !parsed.success ? (parsed.error.issues[0]?.message ?? '') : '';
          if (parsed && !parsed.success) return;
          region = typed;
          void load();
        },
      },
      h(
        'label',
        { class: 'field' },
        h('span', {}, '行政区划代码（不填则为全部管辖地区）'),
        regionInput,
        errorSlot('region'),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'region-button' }, '查询')),
    ),
    h('section', { id: 'staff-list', 'aria-live': 'polite' }),
    h('div', { id: 'detail' }),
    session?.role === 'admin' ? grantForm() : null,
  );
  void load();
}

startSignIn({
  profile: 'manage',
  accepts: ['admin', 'auditor'],
  onSignedIn(signedIn, first) {
    session = signedIn;
    if (first) render();
    else void load();
  },
});
