/**
 * 申请人：进度与告知. Shows an application's status, the means test's conclusion and reasons, the
 * determination and the written notice with its reasons in plain Chinese and the date by which it
 * is served; polls until the case is decided. When the means test found another tier the household
 * qualifies for, the consent step is shown; its button works once the API has the consent route.
 * The applicant signs in first (`lib/signin.ts`) and reads only their own applications.
 */
import type { z } from 'zod';
import type { ApplicationView } from '../../shared/openapi.ts';
import type { caseLifecycleResponses } from '../../shared/schemas/cases.ts';
import {
  householdContactBody,
  type householdContactChanged,
  type householdContactShown,
} from '../../shared/schemas/household.ts';
import { api, hasOperation } from './lib/api.ts';
import { $, h, show } from './lib/dom.ts';
import { beijingTime, daysUntil, yuan } from './lib/format.ts';
import { noticeKindLabels, relationLabels, requestedTierLabels, tierLabels } from './lib/labels.ts';
import { myApplications } from './lib/mine.ts';
import { type Session, startSignIn } from './lib/signin.ts';

const root = $('#status');
const CONSENT_PATH = '/applications/{applicationId}/consent';
const POLL_MS = 2_000;
const label = (tier: string | null | undefined) => (tier ? (tierLabels[tier] ?? tier) : '—');
/** Decided, and for an approval what follows it on the case (its special assistance) recorded too. */
const decided = (app: ApplicationView) =>
  app.notice !== null && (app.status !== 'approved' || app.specialAssistance !== null);
let consentAvailable: Promise<boolean> | undefined;
let shown: string | undefined;
let subject = '';
let polling: ReturnType<typeof setTimeout> | undefined;

function lookupForm(current = '') {
  const mine = myApplications(subject);
  return h(
    'form',
    {
      class: 'card',
      id: 'lookup',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const id = ($<HTMLInputElement>('#lookup-id').value || '').trim();
        if (id) location.assign(`/status/?id=${encodeURIComponent(id)}`);
      },
    },
    h(
      'label',
      { class: 'field' },
      h('span', {}, '申请编号'),
      h('input', {
        id: 'lookup-id',
        type: 'text',
        value: current,
        placeholder: '如 app-…',
        autocomplete: 'off',
      }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查询')),
    mine.length
      ? h(
          'div',
          {},
          h('h3', {}, '本机提交过的申请'),
          h(
            'ul',
            {},
            mine.map((m) =>
              h(
                'li',
                {},
                h('a', { href: `/status/?id=${encodeURIComponent(m.applicationId)}` }, m.applicationId),
                ` · ${beijingTime(m.submittedAt)}`,
              ),
            ),
          ),
        )
      : null,
  );
}

function steps(app: ApplicationView) {
  const stages: Array<[string, boolean]> = [
    ['已受理', true],
    ['家庭经济状况核查', app.meansTest !== null],
    ['乡镇（街道）审核', decided(app)],
    [app.status === 'refused' ? '不予确认' : app.status === 'withdrawn' ? '已终止' : '确认', decided(app)],
  ];
  const current = stages.findIndex(([, done]) => !done);
  return h(
    'ol',
    { class: 'steps', 'aria-label': '办理进度' },
    stages.map(([name, done], i) =>
      h('li', { class: done ? 'done' : i === current ? 'current' : '' }, done ? `✓ ${name}` : name),
    ),
  );
}

/** 行政复议、行政诉讼的结果 recorded on the household's decisions (社会救助法第七十六条). */
function appealsCard(app: ApplicationView) {
  if (!app.appeals.length) return null;
  return h(
    'section',
    { class: 'card', id: 'appeals' },
    h('h2', {}, '复议、诉讼结果'),
    h(
      'ul',
      {},
      app.appeals.map((a) =>
        h(
          'li',
          {},
          `${a.noticeTitle}：经${a.channelLabel}（${a.authority}，${a.documentNumber}，${a.decidedOn}），${a.outcomeLabel}`,
          a.outcome === 'revoked' ? '。原决定已撤销，正在重新办理。' : '。',
        ),
      ),
    ),
  );
}

/** 专项救助: what the tier entitles each member to beyond the money, and which department to ask. */
function specialCard(app: ApplicationView) {
  const special = app.specialAssistance;
  if (!special) return null;
  return h(
    'section',
    { class: 'card', id: 'special-assistance' },
    h('h2', {}, '可享受的专项救助'),
    special.items.length
      ? h(
          'ul',
          {},
          special.items.map((i) =>
            h(
              'li',
              { 'data-item': i.item },
              h('strong', {}, i.itemLabel),
              `（${i.member ?? '全户'}）：${i.benefit}。由${i.departmentLabel}办理。`,
            ),
          ),
        )
      : h('p', {}, special.tier ? '按现行规定，本户暂无专项救助项目。' : '救助已停止，专项救助随之停止。'),
    h(
      'p',
      { class: 'hint' },
      '确认结果在各部门共享互认，办理专项救助时可以不再重复审核家庭经济状况（社会救助法第四十二条）。',
    ),
  );
}

function noticeCard(app: ApplicationView) {
  const notice = app.notice;
  if (!notice) {
    return h(
      'section',
      { class: 'card', id: 'notice' },
      h('h2', {}, '告知书'),
      h('p', { class: 'muted' }, '审核确认后，这里会显示告知书和理由。本页会自动刷新。'),
    );
  }
  const left = daysUntil(notice.serveBy);
  return h(
    'section',
    { class: 'card notice', id: 'notice' },
    h('h2', {}, notice.title),
    h('p', {}, notice.body),
    notice.reasons.length
      ? h(
          'div',
          {},
          h('h3', {}, '理由'),
          h(
            'ol',
            { class: 'reasons' },
            notice.reasons.map((r) => h('li', {}, r)),
          ),
        )
      : null,
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '告知类别'),
      h('dd', {}, noticeKindLabels[notice.kind] ?? notice.kind),
      h('dt', {}, '决定时间'),
      h('dd', {}, beijingTime(notice.decidedAt)),
      h('dt', {}, '书面告知送达期限'),
      h('dd', {}, notice.serveBy, left >= 0 ? `（还有 ${left} 天）` : ''),
      h('dt', {}, '告知书编号'),
      h('dd', {}, notice.noticeId),
    ),
    notice.specialAnswers?.length
      ? h(
          'div',
          { id: 'special-answers' },
          h('h3', {}, '申请的专项救助'),
          h(
            'ul',
            {},
            notice.specialAnswers.map((a) =>
              h('li', { 'data-item': a.item }, h('strong', {}, a.itemLabel), `：${a.text}`),
            ),
          ),
        )
      : null,
    // The remedy is the notice's own (社会救助法第七十六条), as served: the page adds nothing of its own.
    notice.remedy ? h('p', { class: 'hint' }, notice.remedy) : null,
  );
}

async function consentCard(app: ApplicationView) {
  const alternative = app.meansTest?.alternative;
  if (!alternative) return null;
  consentAvailable ??= hasOperation('POST', CONSENT_PATH);
  const available = await consentAvailable;
  const note = h('p', { class: 'hint', id: 'consent-note' });
  const button = h(
    'button',
    { type: 'button', id: 'consent-button', disabled: !available },
    '同意按该类别认定',
  );
  if (!available) note.textContent = '在线同意功能尚未开通，请联系所在乡镇（街道）社会救助经办机构办理。';
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    const res = await api('POST', `/applications/${encodeURIComponent(app.applicationId)}/consent`, {
      body: { consent: true, tier: alternative.tier },
    });
    if (res.ok) {
      note.textContent = '已收到您的同意，将在3个工作日内完成认定。';
      return;
    }
    if (res.status === 404 || res.status === 405) {
      note.textContent = '在线同意功能尚未开通，请联系所在乡镇（街道）社会救助经办机构办理。';
      return;
    }
    button.removeAttribute('disabled');
    note.textContent = `未能提交：${res.error.message}`;
  });
  return h(
    'section',
    { class: 'card', id: 'consent' },
    h('h2', {}, '其他救助类别'),
    h(
      'p',
      {},
      `经核查，您的家庭可能符合“${label(alternative.tier)}”条件`,
      alternative.monthlyAmount === null ? '' : `（每月 ${yuan(alternative.monthlyAmount)}）`,
      '。经您同意，可在3个工作日内按该类别认定。',
    ),
    h('div', { class: 'actions' }, button),
    note,
  );
}

const OPINION_TEXT = { agree: '无异议', object: '有异议', none: '未陈述意见' } as const;

/**
 * 听取意见 (社会救助法第四十八条): a proposed reduction or end, its reasons and the date to answer by;
 * while open, the household answers here — no objection, or an objection with its reasons.
 */
function hearingCard(app: ApplicationView) {
  const hearing = app.hearing;
  if (!hearing) return null;
  const note = h('p', { class: 'hint', id: 'hearing-note' });
  const statement = h('textarea', {
    id: 'hearing-statement',
    rows: 3,
    maxlength: 1000,
  }) as HTMLTextAreaElement;
  const answer = async (opinion: 'agree' | 'object', buttons: HTMLButtonElement[]) => {
    if (opinion === 'object' && statement.value.trim().length < 2) {
      note.textContent = '有异议的，请写明异议及理由';
      statement.focus();
      return;
    }
    for (const b of buttons) b.setAttribute('disabled', '');
    const res = await api('POST', `/cases/${encodeURIComponent(app.caseId)}/hearing`, {
      body: { opinion, statement: statement.value.trim() },
    });
    if (res.ok) {
      note.textContent =
        opinion === 'agree'
          ? '已记录：您对拟作的决定无异议，将依程序作出决定并书面告知。'
          : '已记录您的异议，经办人将复核后作出决定并书面告知。';
      return;
    }
    for (const b of buttons) b.removeAttribute('disabled');
    note.textContent = `未能提交：${res.error.message}`;
  };
  const open = hearing.status === 'open';
  const agree = h('button', { type: 'button', id: 'hearing-agree' }, '无异议');
  const object = h('button', { type: 'button', id: 'hearing-object', class: 'secondary' }, '提出异议');
  agree.addEventListener('click', () => void answer('agree', [agree, object]));
  object.addEventListener('click', () => void answer('object', [agree, object]));
  return h(
    'section',
    { class: 'card', id: 'hearing' },
    h('h2', {}, '听取意见'),
    h('p', {}, `${hearing.proposal}。作出决定前，请您陈述意见（《中华人民共和国社会救助法》第四十八条）。`),
    h(
      'ol',
      { class: 'reasons' },
      hearing.reasons.map((r) => h('li', {}, r)),
    ),
    open
      ? [
          h('p', {}, `请于 ${hearing.answerBy} 前陈述意见；逾期未陈述的，记录为未陈述意见。`),
          h('label', { for: 'hearing-statement' }, '意见和理由（有异议时必填）'),
          statement,
          h('div', { class: 'actions' }, agree, object),
          note,
        ]
      : h(
          'p',
          { id: 'hearing-answer' },
          hearing.answer
            ? `已于 ${beijingTime(hearing.answer.answeredAt)} 记录：${OPINION_TEXT[hearing.answer.opinion]}${hearing.answer.statement ? `——${hearing.answer.statement}` : ''}${hearing.answer.channel === 'visit' ? '（经办人入户听取并记录）' : ''}`
            : `陈述期限（${hearing.answerBy}）已过。`,
        ),
  );
}

type Payments = z.infer<typeof caseLifecycleResponses.payments>;

/** 发放记录: what was paid into which account and when, and any money ordered returned. */
async function paymentsCard(app: ApplicationView) {
  if (app.status !== 'approved') return null;
  const res = await api<Payments>('GET', `/cases/${encodeURIComponent(app.caseId)}/payments`);
  if (!res.ok) return null;
  const { payments, payeeAccount, recoveries, total } = res.data;
  return h(
    'section',
    { class: 'card', id: 'payments' },
    h('h2', {}, '救助金发放'),
    h(
      'p',
      {},
      payeeAccount
        ? `收款账户：${payeeAccount.bankName}，账号 ${payeeAccount.accountNumberMasked}，户名 ${payeeAccount.accountNameMasked}。`
        : '尚未登记收款账户：请联系乡镇（街道）经办人登记，未登记前的救助金在登记后补发。',
    ),
    payments.length
      ? h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, '月份'),
              h('th', {}, '金额'),
              h('th', {}, '依据'),
              h('th', {}, '记录时间'),
            ),
          ),
          h(
            'tbody',
            {},
            payments.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, p.month),
                h('td', {}, yuan(p.amount)),
                h('td', {}, p.basis),
                h('td', {}, beijingTime(p.recordedAt)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '暂无发放记录：救助金从确认决定的下月起按月发放。'),
    payments.length ? h('p', {}, `合计 ${yuan(total)}`) : null,
    ...recoveries.map((r) =>
      h(
        'p',
        { class: 'warn' },
        `追回决定（${r.documentNumber}）：${r.groundLabel}，追回 ${yuan(r.amount)}，尚欠 ${yuan(r.outstanding)}${r.method === 'deduct' ? '，从以后的救助金中分期扣回' : ''}。`,
      ),
    ),
  );
}

async function render(app: ApplicationView) {
  const meansTest = app.meansTest;
  show(
    root,
    h(
      'section',
      { class: 'card', id: 'summary' },
      h('h2', {}, '办理状态：', h('span', { id: 'status-label' }, app.statusLabel)),
      steps(app),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '申请编号'),
        h('dd', {}, app.applicationId),
        h('dt', {}, '提交时间'),
        h('dd', {}, beijingTime(app.submittedAt)),
        h('dt', {}, '申请类别'),
        h('dd', {}, requestedTierLabels[app.requestedTier] ?? app.requestedTier),
        h('dt', {}, '认定类别'),
        h('dd', { id: 'tier' }, label(app.tier)),
        h('dt', {}, '每月救助金'),
        h('dd', { id: 'amount' }, yuan(app.monthlyAmount)),
        h('dt', {}, '家庭成员'),
        h(
          'dd',
          {},
          app.members
            .map((m) => `${m.name}（${relationLabels[m.relation] ?? m.relation}，${m.idNumber}）`)
            .join('；'),
        ),
      ),
    ),
    noticeCard(app),
    specialCard(app),
    appealsCard(app),
    await paymentsCard(app),
    hearingCard(app),
    await consentCard(app),
    meansTest
      ? h(
          'section',
          { class: 'card', id: 'means-test' },
          h('h2', {}, '家庭经济状况核查'),
          h(
            'p',
            {},
            `核查结论：${label(meansTest.tier)}，家庭人均月收入 ${yuan(meansTest.perCapitaMonthlyIncome)}。`,
          ),
          h(
            'ol',
            { class: 'reasons' },
            meansTest.reasons.map((r) => h('li', {}, r.message, h('span', { class: 'clause' }, r.clause))),
          ),
        )
      : h('section', { class: 'card' }, h('p', { class: 'muted' }, '正在核查家庭经济状况…')),
    h('p', { class: 'muted' }, h('a', { href: '/status/' }, '查询其他申请')),
  );
}

/**
 * 短信通知: the household changes the phone its SMS go to, or turns them off; the written notices
 * stand either way. Outside the polled summary, so that a status change does not wipe what is typed.
 */
function contactCard(caseId: string) {
  const phone = h('input', {
    id: 'contact-phone',
    type: 'tel',
    inputmode: 'numeric',
    autocomplete: 'tel',
    maxlength: '11',
    'aria-describedby': 'contact-error',
  }) as HTMLInputElement;
  const notify = h(
    'select',
    { id: 'contact-notify' },
    h('option', { value: 'sms' }, '接收短信通知'),
    h('option', { value: 'none' }, '不接收短信'),
  ) as HTMLSelectElement;
  const error = h('small', { class: 'error', id: 'contact-error' });
  const result = h('div', { id: 'contact-result', role: 'status' });
  const current = h('p', { id: 'contact-current' });
  type Shown = z.infer<typeof householdContactShown>;
  const showCurrent = ({ contact }: Shown) => {
    if (contact) notify.value = contact.notify;
    current.textContent = !contact
      ? '未登记手机号。'
      : contact.notify === 'sms'
        ? `短信通知发送至 ${contact.phoneMasked}。`
        : `已选择不接收短信（号码 ${contact.phoneMasked}）。`;
  };
  void api<Shown>('GET', `/cases/${encodeURIComponent(caseId)}/contact`).then((res) => {
    if (res.ok) showCurrent(res.data);
  });
  return h(
    'form',
    {
      class: 'card',
      id: 'contact',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const parsed = householdContactBody.safeParse({ phone: phone.value.trim(), notify: notify.value });
        error.textContent = parsed.success ? '' : parsed.error.issues.map((i) => i.message).join('；');
        if (!parsed.success) return;
        const res = await api<z.infer<typeof householdContactChanged>>(
          'PUT',
          `/cases/${encodeURIComponent(caseId)}/contact`,
          {
            body: parsed.data,
          },
        );
        if (res.ok) {
          showCurrent(res.data);
          show(result, h('p', { class: 'ok' }, res.data.message));
        } else {
          error.textContent = (res.error.fields ?? []).map((f) => f.message).join('；');
          show(result, h('p', { class: 'error' }, `保存失败：${res.error.message}`));
        }
      },
    },
    h('h2', {}, '短信通知'),
    current,
    h(
      'p',
      { class: 'hint' },
      '受理、公示、书面告知、救助金发放等消息以短信发到申请时填写的手机号。号码变更或不想接收短信时在此更改；书面告知不受影响。',
    ),
    h('label', { class: 'field' }, h('span', {}, '手机号'), phone, error),
    h('label', { class: 'field' }, h('span', {}, '通知方式'), notify),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'contact-button' }, '保存')),
    result,
  );
}
let contactShown = false;

async function load(id: string) {
  const res = await api<ApplicationView>('GET', `/applications/${encodeURIComponent(id)}`);
  if (!res.ok) {
    show(
      root,
      h('p', { class: 'card error', role: 'alert' }, `查询失败：${res.error.message}`),
      lookupForm(id),
    );
    return;
  }
  // Re-rendered only when something changed, so a reader's place and a pending consent stay put.
  const json = JSON.stringify(res.data);
  if (json !== shown) {
    shown = json;
    await render(res.data);
  }
  if (!contactShown) {
    contactShown = true;
    root.after(contactCard(res.data.caseId));
  }
  if (!decided(res.data)) polling = setTimeout(() => void load(id), POLL_MS);
}

const id = new URLSearchParams(location.search).get('id');

/** Starts once the applicant has signed in; a sign-in after a lapsed one looks again. */
function start(session: Session, first: boolean) {
  subject = session.subject;
  clearTimeout(polling);
  if (id) {
    if (first && new URLSearchParams(location.search).has('new'))
      root.before(
        h('p', { class: 'banner', id: 'submitted' }, '申请已提交，系统已受理。请保存申请编号以便查询。'),
      );
    if (first) show(root, h('p', { class: 'muted' }, '正在查询…'));
    shown = undefined;
    void load(id);
  } else {
    show(root, lookupForm());
  }
}

startSignIn({ profile: 'applicant', accepts: ['applicant'], onSignedIn: start });
