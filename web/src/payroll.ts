/**
 * 发放名册. A county officer prepares the month's payment roll of a county (`POST /payrolls`), follows
 * it while the payroll workflow computes it (polled), reads it — totals, hash, the comparison with the
 * county's previous approved roll and each household's months with their basis — and a second
 * officer approves or returns it (the preparer cannot: the API answers 403 and the page says why).
 * Once approved: the bank file (下载银行文件, one download, by the approving officer) and the bank's
 * return file (银行回盘), read here and sent as text; the roll is polled until reconciled and each
 * line then shows whether it was paid. Auditors sign in too and only read. Sign-in: `lib/signin.ts`.
 */
import type { z } from 'zod';
import { covers } from '../../shared/auth.ts';
import {
  BANK_RETURN_MAX_BYTES,
  payrollDecisionBody,
  type payrollResponses,
  type rollStatuses,
  rollStatusLabels,
  startPayrollBody,
} from '../../shared/schemas/payroll.ts';
import { api } from './lib/api.ts';
import { $, h, show } from './lib/dom.ts';
import { beijingTime, chinaDate, daysUntil, yuan } from './lib/format.ts';
import { tierLabels } from './lib/labels.ts';
import { type Session, startSignIn } from './lib/signin.ts';

const POLL_MS = 2_000;
/** Polls after a bank return before the page stops waiting for 已对账 (about five minutes). */
const RECONCILE_POLLS = 150;
/** Polls for the bank file an approved roll is given next, before the page stops asking (3 minutes). */
const BANK_FILE_POLLS = 90;
const REGION_KEY = 'doudi.payroll.region';
const root = $('#payroll');

// ── the API's answers (`shared/schemas/payroll.ts`; the bank's fields as the page reads them) ──

type RollStatus = (typeof rollStatuses)[number];
type Totals = NonNullable<z.infer<typeof payrollResponses.detail>['totals']>;
type ActorView = { subject: string; name: string; role: string };
interface BankFile {
  fileName: string;
  lines: number;
  total: number;
  excluded?: Array<{ caseId: string; amount: number; reason: string }>;
  exportedAt?: string;
  downloadedBy?: ActorView;
  downloadedAt?: string;
}
interface BankReturn {
  uploadedBy: ActorView;
  uploadedAt: string;
  paid: number;
  failed: number;
  paidAmount: number;
  failedAmount: number;
}
type LineResult = { status: 'paid' | 'failed'; reason?: string };
type Roll = Omit<
  z.infer<typeof payrollResponses.list>['rolls'][number],
  'status' | 'bankFile' | 'bankReturn' | 'reconciledAt'
> & {
  status: RollStatus;
  bankFile?: BankFile;
  bankReturn?: BankReturn;
  reconciledAt?: string;
};
type Line = z.infer<typeof payrollResponses.detail>['lines'][number] & { result?: LineResult };
type RollDetail = Roll & { page: number; pages: number; lines: Line[] };
interface RollList {
  regionCode: string;
  rolls: Roll[];
}
interface BankFileLink {
  rollId: string;
  url: string;
  expiresAt: string;
  fileName: string;
  lines: number;
  total: number;
}
interface BankReturnResult {
  rollId: string;
  paid: number;
  failed: number;
  paidAmount: number;
  failedAmount: number;
  message: string;
}
type FieldError = { field: string; message: string };

const statusLabels = rollStatusLabels;
const statusTone: Record<RollStatus, string> = {
  computing: '',
  computed: 'warn',
  prepared: 'warn',
  approved: 'ok',
  returned: 'bad',
  failed: 'bad',
  reconciling: '',
  reconciled: 'ok',
};
/** Statuses the workflow moves on from by itself: the page asks again every 2 s. */
const MOVING = new Set<RollStatus>(['computing', 'reconciling']);
/** A status the workflow moves on from, or an approval decision recorded and not yet acted on. */
const moving = (roll: Roll) => MOVING.has(roll.status) || (roll.status === 'prepared' && !!roll.approval);
const BANK_FILE_SHOWN = new Set<RollStatus>(['approved', 'reconciling', 'reconciled']);
/**
 * The few layout rules this page needs beyond `styles.css`: short cells that do not break (a narrow
 * screen scrolls the table inside its `.table-wrap` instead), the basis column wide enough to read,
 * and totals boxes wide enough for a county's sum.
 */
const NOWRAP = 'white-space: nowrap';
const fieldNames: Record<string, string> = {
  regionCode: '县级行政区划代码',
  month: '月份',
  reason: '退回理由',
};

const statusBadge = (status: RollStatus, id?: string) =>
  h('span', { class: `badge ${statusTone[status] ?? ''}`.trim(), id }, statusLabels[status] ?? status);

/** `+1` / `−1` / `0`, and money likewise (`+500.00元`): the change from the previous roll. */
const signedCount = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
const signedYuan = (fen: number) =>
  fen > 0 ? `+${yuan(fen / 100)}` : fen < 0 ? `−${yuan(-fen / 100)}` : yuan(0);
const fen = (amount: number) => Math.round(amount * 100);

/** `lines.3` is the return file's third data line; anything else is named as the form names it. */
function fieldName(field: string): string {
  const line = /^lines\.(\d+)(?:\.|$)/.exec(field);
  if (line) return `第${line[1]}行`;
  if (field === 'content' || field === 'body') return '回盘文件';
  return fieldNames[field.split('.')[0] ?? ''] ?? field;
}

// ── state ──────────────────────────────────────────────────────────────────────────────────────

let session: Session | undefined;
let region = '';
let rolls: Roll[] = [];
let listError = '';
let selected: { rollId: string; page: number } | undefined;
let detail: RollDetail | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
/** The roll whose bank return was taken: polled until 已对账. */
let awaiting: { rollId: string; polls: number } | undefined;
/** Polls so far for the bank file of the open roll, approved and not yet given one. */
let bankFileWaits = 0;
/** What the last action on a roll said, shown above it until the page shows another roll. */
const messages = new Map<string, { text: string; tone: 'ok' | 'error' }>();
let refreshing = 0;

const isCounty = () => session?.role === 'countyOfficer';

// ── the start form ─────────────────────────────────────────────────────────────────────────────

function setFieldErrors(form: HTMLElement, fields: FieldError[]) {
  for (const el of form.querySelectorAll<HTMLElement>('small.error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const f of fields) {
    const key = f.field.split('.')[0] === 'regionCode' ? 'region-code' : f.field.split('.')[0];
    const slot = form.querySelector(`#${key}-error`);
    if (!slot) continue;
    slot.textContent = `${fieldName(f.field)}：${f.message}`;
    form.querySelector(`#${key}`)?.setAttribute('aria-invalid', 'true');
  }
}

function startForm() {
  const county = isCounty();
  const regionInput = h('input', {
    id: 'region-code',
    name: 'regionCode',
    type: 'text',
    value: region,
    inputmode: 'numeric',
    maxlength: 6,
    autocomplete: 'off',
    placeholder: '如 430121',
    'aria-describedby': 'region-code-error',
  }) as HTMLInputElement;
  const monthInput = h('input', {
    id: 'month',
    name: 'month',
    type: 'text',
    value: chinaDate().slice(0, 7),
    inputmode: 'numeric',
    maxlength: 7,
    autocomplete: 'off',
    placeholder: 'YYYY-MM',
    'aria-describedby': 'month-error',
  }) as HTMLInputElement;
  const result = h('div', { id: 'start-result', role: 'status', 'aria-live': 'polite' });
  const startButton = h('button', { type: 'submit', id: 'start-button' }, '编制名册');

  /** The county to list: checked with the API's own schema for the field. */
  const listRegion = () => {
    const parsed = startPayrollBody.shape.regionCode.safeParse(regionInput.value.trim());
    if (!parsed.success) {
      setFieldErrors(form, [{ field: 'regionCode', message: parsed.error.issues[0]?.message ?? '' }]);
      return;
    }
    setFieldErrors(form, []);
    chooseRegion(parsed.data);
  };

  const form = h(
    'form',
    {
      class: 'card',
      id: 'start-form',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!county) return listRegion();
        show(result);
        // The API checks the same schema; checked here too so that a malformed request never leaves the page.
        const parsed = startPayrollBody.safeParse({
          regionCode: regionInput.value.trim(),
          month: monthInput.value.trim(),
        });
        if (!parsed.success) {
          setFieldErrors(
            form,
            parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
          );
          return;
        }
        setFieldErrors(form, []);
        startButton.disabled = true;
        const res = await api<Roll & { message?: string }>('POST', '/payrolls', { body: parsed.data });
        startButton.disabled = false;
        if (res.ok) {
          show(result, h('p', { class: 'ok' }, res.data.message || '已开始编制…'));
          chooseRegion(parsed.data.regionCode, false);
          void open(res.data.rollId);
          return;
        }
        setFieldErrors(form, res.error.fields ?? []);
        show(result, h('p', { class: 'error', role: 'alert' }, res.error.message));
      },
    },
    h('h2', {}, county ? '编制名册' : '查看名册'),
    h(
      'p',
      { class: 'hint' },
      county
        ? '编制本县某月的发放名册：系统按各户的救助期间计算当月及应补发的月份。编制完成后须由另一名县级工作人员审批。'
        : '填写县级行政区划代码，查看本县的发放名册（只读）。',
    ),
    h(
      'div',
      { class: county ? 'grid' : '' },
      h(
        'label',
        { class: 'field' },
        h('span', {}, '县级行政区划代码 *'),
        regionInput,
        h('small', { class: 'error', id: 'region-code-error' }),
      ),
      county
        ? h(
            'label',
            { class: 'field' },
            h('span', {}, '月份 *（YYYY-MM）'),
            monthInput,
            h('small', { class: 'error', id: 'month-error' }),
          )
        : null,
    ),
    h(
      'div',
      { class: 'actions' },
      county ? startButton : null,
      h(
        'button',
        {
          type: county ? 'button' : 'submit',
          class: county ? 'secondary' : '',
          id: 'list-button',
          onclick: county ? listRegion : null,
        },
        '查看本县名册',
      ),
    ),
    result,
  );
  return form;
}

/** Lists a county's rolls (remembered for next time); a roll of another county is closed. */
function chooseRegion(code: string, closeOther = true) {
  if (code !== region) {
    region = code;
    rolls = [];
    listError = '';
    if (closeOther && selected && !selected.rollId.startsWith(`${code}-`)) {
      selected = undefined;
      detail = undefined;
      renderDetail();
    }
  }
  localStorage.setItem(REGION_KEY, code);
  void refresh();
}

// ── the list ───────────────────────────────────────────────────────────────────────────────────

function renderList() {
  const section = $('#rolls');
  if (!region) {
    show(
      section,
      h('h2', {}, '本县名册'),
      h('p', { class: 'muted' }, '请填写县级行政区划代码后查看本县名册。'),
    );
    return;
  }
  const sorted = [...rolls].sort((a, b) => b.month.localeCompare(a.month) || b.seq - a.seq);
  show(
    section,
    h('h2', {}, `本县名册（${region}）`),
    listError ? h('p', { class: 'error', role: 'alert', id: 'rolls-error' }, listError) : null,
    sorted.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'list', id: 'rolls-table', style: NOWRAP },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['月份', '编制次序', '状态', '户数', '合计', '编制人', '审批人'].map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              sorted.map((roll) => {
                const current = selected?.rollId === roll.rollId;
                return h(
                  'tr',
                  {
                    'data-roll': roll.rollId,
                    'aria-current': current ? 'true' : null,
                    style: 'cursor: pointer',
                    onclick: () => void open(roll.rollId),
                  },
                  h(
                    'td',
                    {},
                    h(
                      'a',
                      {
                        class: 'open-roll',
                        href: `/payroll/?roll=${encodeURIComponent(roll.rollId)}`,
                        title: `查看 ${roll.rollId}`,
                        onclick: (e: Event) => {
                          e.preventDefault();
                          e.stopPropagation();
                          void open(roll.rollId);
                        },
                      },
                      current ? h('strong', {}, roll.month) : roll.month,
                    ),
                  ),
                  h('td', {}, `第${roll.seq}次`),
                  h('td', {}, statusBadge(roll.status)),
                  h('td', {}, roll.totals ? String(roll.totals.lines) : '—'),
                  h('td', {}, roll.totals ? yuan(roll.totals.amount) : '—'),
                  h('td', {}, roll.preparedBy.name),
                  h(
                    'td',
                    {},
                    roll.approval
                      ? `${roll.approval.by.name}${roll.approval.decision === 'return' ? '（退回）' : ''}`
                      : '—',
                  ),
                );
              }),
            ),
          ),
        )
      : listError
        ? null
        : h('p', { class: 'muted' }, '本县尚无发放名册。'),
  );
}

/**
 * The list, and the open roll when it may have changed (a status the workflow moves on from, a
 * bank return awaited, or the list showing another status than the roll does). A newer refresh
 * supersedes an older one still waiting for its answers.
 */
async function refresh() {
  clearTimeout(timer);
  timer = undefined;
  const mine = ++refreshing;
  if (region) {
    const asked = region;
    const res = await api<RollList>('GET', `/payrolls?regionCode=${encodeURIComponent(asked)}`);
    if (mine !== refreshing) return;
    if (asked === region) {
      if (res.ok) {
        rolls = res.data.rolls;
        listError = '';
      } else listError = `本县名册载入失败：${res.error.message}`;
      renderList();
    }
  } else renderList();
  if (selected) {
    const listed = rolls.find((r) => r.rollId === selected!.rollId);
    const stale =
      !detail ||
      detail.rollId !== selected.rollId ||
      detail.page !== selected.page ||
      moving(detail) ||
      awaiting?.rollId === selected.rollId ||
      (detail.status === 'approved' && !detail.bankFile) ||
      (listed !== undefined && (listed.status !== detail.status || !listed.approval !== !detail.approval));
    if (stale) {
      await loadDetail();
      if (mine !== refreshing) return;
    }
  }
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (awaiting && ++awaiting.polls > RECONCILE_POLLS) awaiting = undefined;
  // Approved: the workflow writes the bank file next (a roll approved before there were bank files never gets one).
  const fileDue = detail?.status === 'approved' && !detail.bankFile;
  bankFileWaits = fileDue ? bankFileWaits + 1 : 0;
  const busy =
    rolls.some(moving) ||
    (detail !== undefined && moving(detail)) ||
    !!awaiting ||
    (fileDue && bankFileWaits <= BANK_FILE_POLLS);
  if (!busy) return;
  timer = setTimeout(() => {
    // A page in a background tab asks again when it is looked at.
    if (document.hidden) addEventListener('visibilitychange', () => void refresh(), { once: true });
    else void refresh();
  }, POLL_MS);
}

// ── one roll ───────────────────────────────────────────────────────────────────────────────────

async function open(rollId: string, page = 1) {
  for (const id of [...messages.keys()]) if (id !== rollId) messages.delete(id);
  selected = { rollId, page };
  history.replaceState(null, '', `/payroll/?roll=${encodeURIComponent(rollId)}`);
  renderList();
  if (detail?.rollId !== rollId) show($('#roll'), h('p', { class: 'card muted' }, '正在载入名册…'));
  await refresh();
  const panel = $('#roll');
  // On a phone the roll is below the list: bring it into view.
  if (panel.getBoundingClientRect().top > innerHeight / 2) panel.scrollIntoView({ block: 'start' });
}

async function loadDetail() {
  const want = selected;
  if (!want) return;
  const res = await api<RollDetail>(
    'GET',
    `/payrolls/${encodeURIComponent(want.rollId)}?page=${encodeURIComponent(want.page)}`,
  );
  if (selected !== want) return;
  if (!res.ok) {
    detail = undefined;
    show(
      $('#roll'),
      h('p', { class: 'card error', role: 'alert', id: 'roll-error' }, `名册载入失败：${res.error.message}`),
    );
    return;
  }
  detail = res.data;
  if (awaiting?.rollId === detail.rollId && detail.status === 'reconciled') awaiting = undefined;
  // The list shows the roll as read just now (it may have moved on since the list was read).
  const { page: _page, pages: _pages, lines: _lines, ...read } = detail;
  if (rolls.some((r) => r.rollId === read.rollId)) {
    rolls = rolls.map((r) => (r.rollId === read.rollId ? read : r));
    renderList();
  }
  renderDetail();
}

function totalsFigures(totals: Totals, id: string) {
  return h(
    'div',
    { class: 'figures', id, style: 'grid-template-columns: repeat(auto-fill, minmax(150px, 1fr))' },
    (
      [
        ['户数', String(totals.lines), 'lines'],
        ['合计', yuan(totals.amount), 'amount'],
        ['其中补发', yuan(totals.backPay), 'backPay'],
        ['户·月', String(totals.months), 'months'],
      ] as const
    ).map(([label, value, key]) => h('div', { 'data-figure': key }, h('strong', {}, value), label)),
  );
}

function previousCard(roll: RollDetail) {
  if (roll.previous === undefined || !roll.totals) return null;
  if (roll.previous === null)
    return h(
      'section',
      { id: 'previous' },
      h('h3', {}, '与上月名册比较'),
      h('p', { class: 'muted' }, '本县此前没有已审批的发放名册，无可比较。'),
    );
  const prev = roll.previous;
  const lineDiff = roll.totals.lines - prev.totals.lines;
  const amountDiff = fen(roll.totals.amount) - fen(prev.totals.amount);
  return h(
    'section',
    { id: 'previous' },
    h('h3', {}, '与上月名册比较'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '上月名册'),
      h('dd', {}, `${prev.month}（${prev.rollId}）`),
      h('dt', {}, '上月合计'),
      h(
        'dd',
        {},
        `${prev.totals.lines} 户，${yuan(prev.totals.amount)}（其中补发 ${yuan(prev.totals.backPay)}，${prev.totals.months} 户·月）`,
      ),
      h('dt', {}, '户数变化'),
      h('dd', { id: 'diff-lines', class: lineDiff ? 'warn' : '' }, `${signedCount(lineDiff)} 户`),
      h('dt', {}, '金额变化'),
      h('dd', { id: 'diff-amount', class: amountDiff ? 'warn' : '' }, signedYuan(amountDiff)),
    ),
  );
}

/** Households owed but held while they are heard (where the province suspends payment): not on the roll. */
function heldCard(roll: RollDetail) {
  if (!roll.held?.length) return null;
  return h(
    'div',
    { id: 'held' },
    h('h3', {}, `听取意见期间暂停发放：${roll.held.length} 户（不列入本名册，结论作出后补发）`),
    h(
      'ul',
      {},
      roll.held.map((x) => h('li', {}, `${x.caseId}：${x.months.join('、')}，${yuan(x.amount)}`)),
    ),
  );
}

function linesTable(roll: RollDetail) {
  if (roll.status === 'computing')
    return h('p', { class: 'muted', id: 'roll-lines' }, '正在计算各户金额，完成后自动显示…');
  if (!roll.lines.length)
    return h(
      'p',
      { class: 'muted', id: 'roll-lines' },
      roll.status === 'failed' ? '名册未能编制完成。' : '名册没有发放对象。',
    );
  const withResult = roll.lines.some((l) => l.result);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'list', id: 'roll-lines' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['案件编号', '月份', '金额', '依据', ...(withResult ? ['结果'] : [])].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        roll.lines.map((line) =>
          h(
            'tr',
            { 'data-case': line.caseId },
            h(
              'td',
              { style: NOWRAP },
              h('a', { href: `/audit/?case=${encodeURIComponent(line.caseId)}` }, line.caseId),
            ),
            h(
              'td',
              { style: NOWRAP },
              line.months.map((m) =>
                h(
                  'div',
                  { 'data-month': m.month },
                  m.month,
                  ' ',
                  m.backPay ? h('span', { class: 'badge warn' }, '补发') : null,
                  m.backPay ? ' ' : null,
                  h('span', { class: 'muted' }, `${tierLabels[m.tier] ?? m.tier} ${yuan(m.amount)}`),
                ),
              ),
            ),
            h('td', { style: NOWRAP }, yuan(line.amount)),
            h(
              'td',
              { style: 'min-width: 14em' },
              line.months.map((m) =>
                h('div', {}, line.months.length > 1 ? `${m.month}：${m.basis}` : m.basis),
              ),
            ),
            withResult ? h('td', { class: 'result' }, resultText(line.result)) : null,
          ),
        ),
      ),
    ),
  );
}

function resultText(result: LineResult | undefined) {
  if (!result) return '—';
  if (result.status === 'paid') return h('span', { class: 'badge ok' }, '已发放');
  return h('span', { class: 'bad' }, result.reason ? `发放失败：${result.reason}` : '发放失败');
}

function pager(roll: RollDetail) {
  if (roll.pages <= 1) return null;
  const go = (page: number) => () => {
    selected = { rollId: roll.rollId, page };
    void refresh();
  };
  return h(
    'div',
    { class: 'actions', id: 'pager' },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        id: 'prev-page',
        disabled: roll.page <= 1,
        onclick: go(roll.page - 1),
      },
      '上一页',
    ),
    h('span', { class: 'muted' }, `第 ${roll.page} / ${roll.pages} 页`),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        id: 'next-page',
        disabled: roll.page >= roll.pages,
        onclick: go(roll.page + 1),
      },
      '下一页',
    ),
  );
}

function dueBadge(dueDate: string) {
  const left = daysUntil(dueDate);
  if (left < 0) return h('span', { class: 'badge bad' }, `逾期 ${-left} 天`);
  if (left === 0) return h('span', { class: 'badge warn' }, '今日到期');
  return h('span', { class: `badge ${left <= 2 ? 'warn' : 'ok'}` }, `剩 ${left} 天`);
}

function renderDetail() {
  const panel = $('#roll');
  const roll = detail;
  if (!roll) {
    show(panel, h('p', { class: 'muted' }, '请在本县名册中选择一份名册查看明细。'));
    return;
  }
  const message = messages.get(roll.rollId);
  show(
    panel,
    h(
      'section',
      { class: 'card', id: 'roll-view', 'data-roll': roll.rollId, 'data-status': roll.status },
      h('h2', {}, `发放名册 ${roll.rollId} `, statusBadge(roll.status, 'roll-status')),
      message ? h('p', { class: message.tone, id: 'roll-message', role: 'status' }, message.text) : null,
      moving(roll)
        ? h(
            'p',
            { class: 'banner', id: 'roll-moving' },
            MOVING.has(roll.status)
              ? `${statusLabels[roll.status]}，完成后自动刷新…`
              : '审批决定已记录，正在办理，完成后自动刷新…',
          )
        : null,
      h(
        'dl',
        { class: 'kv', id: 'roll-summary' },
        h('dt', {}, '县级行政区划代码'),
        h('dd', {}, roll.regionCode),
        h('dt', {}, '发放月份'),
        h('dd', {}, roll.month),
        h('dt', {}, '编制次序'),
        h('dd', {}, `第${roll.seq}次`),
        ...(roll.since && roll.since < roll.month
          ? [h('dt', {}, '补发所及'), h('dd', {}, `${roll.since} 起`)]
          : []),
        h('dt', {}, '编制人'),
        h('dd', {}, `${roll.preparedBy.name}，${beijingTime(roll.preparedAt)}`),
        ...(roll.hash
          ? [
              h('dt', {}, '名册哈希'),
              h('dd', {}, h('code', { id: 'roll-hash', title: roll.hash }, `${roll.hash.slice(0, 12)}…`)),
            ]
          : []),
        ...(roll.sealedAt ? [h('dt', {}, '编制完成'), h('dd', {}, beijingTime(roll.sealedAt))] : []),
        ...(roll.approvalDueDate
          ? [
              h('dt', {}, '审批期限'),
              h(
                'dd',
                { id: 'approval-due' },
                roll.approvalDueDate,
                roll.approvalDueDateProvisional
                  ? '（该年度节假日安排尚未载入，暂按周末和法定节假日计算）'
                  : '',
                roll.status === 'prepared' ? ' ' : null,
                roll.status === 'prepared' ? dueBadge(roll.approvalDueDate) : null,
              ),
            ]
          : []),
        ...(roll.escalations?.length
          ? [
              h('dt', {}, '督办'),
              h(
                'dd',
                { id: 'escalations' },
                h(
                  'ul',
                  { class: 'reasons' },
                  roll.escalations.map((e) =>
                    h('li', {}, `${beijingTime(e.at)} 逾期未审批，已报督办，督办期限 ${e.dueDate}`),
                  ),
                ),
              ),
            ]
          : []),
        ...(roll.approval
          ? [
              h('dt', {}, roll.approval.decision === 'approve' ? '审批人' : '退回人'),
              h(
                'dd',
                { id: 'roll-approval' },
                `${roll.approval.by.name}，${beijingTime(roll.approval.at)}${roll.approval.decision === 'approve' ? ' 审批通过' : ' 退回'}`,
                roll.approval.reason ? `：${roll.approval.reason}` : '',
              ),
            ]
          : []),
        ...(roll.failure
          ? [h('dt', {}, '失败原因'), h('dd', { class: 'bad', id: 'roll-failure' }, roll.failure)]
          : []),
      ),
      roll.totals ? h('h3', {}, '名册合计') : null,
      roll.totals ? totalsFigures(roll.totals, 'roll-totals') : null,
      previousCard(roll),
      heldCard(roll),
    ),
    ...((roll.status === 'prepared' || roll.status === 'computed') && !roll.approval && isCounty()
      ? [approvalForm(roll)]
      : []),
    ...(roll.bankFile && BANK_FILE_SHOWN.has(roll.status) ? [bankFileCard(roll, roll.bankFile)] : []),
    ...(roll.status === 'approved' && !roll.bankFile
      ? [
          h(
            'section',
            { class: 'card', id: 'bank-file' },
            h('h2', {}, '银行文件'),
            h('p', { class: 'muted' }, '银行文件尚未生成（名册审批通过后自动生成），生成后在此显示。'),
          ),
        ]
      : []),
    ...(roll.bankReturn ? [bankReturnCard(roll, roll.bankReturn)] : []),
    ...(roll.bankFile && !roll.bankReturn && roll.status === 'approved' && isCounty()
      ? [bankReturnForm(roll)]
      : []),
    h(
      'section',
      { class: 'card', id: 'roll-detail' },
      h('h2', {}, roll.totals ? `逐户明细（${roll.totals.lines} 户）` : '逐户明细'),
      linesTable(roll),
      pager(roll),
    ),
  );
}

// ── 审批 ───────────────────────────────────────────────────────────────────────────────────────

function approvalForm(roll: RollDetail) {
  const reason = h('textarea', {
    id: 'reason',
    name: 'reason',
    rows: 3,
    maxlength: 500,
    'aria-describedby': 'reason-error',
  }) as HTMLTextAreaElement;
  const result = h('div', { id: 'approval-result', role: 'status', 'aria-live': 'polite' });
  // A roll the monthly schedule computed is first checked and submitted by an officer (who thereby
  // prepares it); only then can another approve it.
  const computed = roll.status === 'computed';
  const approveButton = h(
    'button',
    { type: 'button', id: 'approve-button' },
    computed ? '核对无误，提交审批' : '审批通过',
  );
  const returnButton = h('button', { type: 'button', class: 'secondary', id: 'return-button' }, '退回');
  const own = session?.subject === roll.preparedBy.subject;

  const decide = async (decision: 'approve' | 'return' | 'submit') => {
    show(result);
    // The API checks the same schema: a return without its reason never leaves the page.
    const parsed = payrollDecisionBody.safeParse(
      decision === 'return' ? { decision, reason: reason.value } : { decision },
    );
    const fields = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'reason', message: i.message }));
    setFieldErrors(form, fields);
    if (!parsed.success) return;
    approveButton.disabled = true;
    returnButton.disabled = true;
    const res = await api<{ rollId: string; decision: string; message: string }>(
      'POST',
      `/payrolls/${encodeURIComponent(roll.rollId)}/decision`,
      { body: parsed.data },
    );
    if (res.ok) {
      messages.set(roll.rollId, { text: res.data.message, tone: 'ok' });
      await refresh();
      return;
    }
    approveButton.disabled = false;
    returnButton.disabled = false;
    setFieldErrors(form, res.error.fields ?? []);
    show(result, h('p', { class: 'error', role: 'alert' }, res.error.message));
  };
  approveButton.addEventListener('click', () => void decide(computed ? 'submit' : 'approve'));
  returnButton.addEventListener('click', () => void decide('return'));

  const form = h(
    'section',
    { class: 'card', id: 'approval' },
    h('h2', {}, computed ? '核对提交' : '审批'),
    h(
      'p',
      { class: 'hint' },
      computed
        ? '本名册由系统按月自动计算。核对合计、名册哈希及与上月名册的差异后提交，您即为编制人，须由另一名县级工作人员审批。'
        : '核对合计、名册哈希及与上月名册的差异后审批。编制人不能审批本人编制的名册；审批通过后名册不可更改，退回的可重新编制。',
    ),
    own && !computed
      ? h('p', { class: 'warn', id: 'own-roll' }, '您是本名册的编制人，须由另一名县级工作人员审批。')
      : null,
    h(
      'label',
      { class: 'field' },
      h('span', {}, '退回理由（退回时必填）'),
      reason,
      h('small', { class: 'error', id: 'reason-error' }),
    ),
    h('div', { class: 'actions' }, approveButton, returnButton),
    result,
  );
  return form;
}

// ── 银行文件 ───────────────────────────────────────────────────────────────────────────────────

function bankFileCard(roll: RollDetail, file: BankFile) {
  const approver = !roll.approval || roll.approval.by.subject === session?.subject;
  const result = h('div', { id: 'download-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'download-button' }, '下载银行文件');
  button.addEventListener('click', async () => {
    button.disabled = true;
    show(result);
    const res = await api<BankFileLink>('POST', `/payrolls/${encodeURIComponent(roll.rollId)}/bank-file`);
    button.disabled = false;
    if (!res.ok) {
      show(result, h('p', { class: 'error', role: 'alert' }, res.error.message));
      return;
    }
    const link = res.data;
    // The link's answer is an attachment: the browser saves it and this page stays.
    const anchor = h('a', { href: link.url, download: link.fileName, id: 'download-link' }, link.fileName);
    show(
      result,
      h(
        'p',
        { class: 'ok' },
        `已生成银行文件 ${link.fileName}（${link.lines} 笔，合计 ${yuan(link.total)}）的下载链接，有效期至 ${beijingTime(link.expiresAt)}，只能下载一次。`,
      ),
      h('p', {}, '正在下载：', anchor),
    );
    anchor.click();
  });
  return h(
    'section',
    { class: 'card', id: 'bank-file' },
    h('h2', {}, '银行文件'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '文件名'),
      h('dd', { id: 'bank-file-name' }, file.fileName),
      h('dt', {}, '笔数'),
      h('dd', { id: 'bank-file-lines' }, `${file.lines} 笔`),
      h('dt', {}, '合计'),
      h('dd', { id: 'bank-file-total' }, yuan(file.total)),
    ),
    file.downloadedAt
      ? h(
          'p',
          { class: 'muted', id: 'bank-file-downloaded' },
          `已由${file.downloadedBy?.name ?? '审批人'}于 ${beijingTime(file.downloadedAt)} 下载（只能下载一次）。`,
        )
      : null,
    isCounty() && !file.downloadedAt
      ? approver
        ? [
            h('p', { class: 'hint' }, '下载链接限时有效，只能下载一次；请将文件妥善交送代发银行。'),
            h('div', { class: 'actions' }, button),
            result,
          ]
        : h(
            'p',
            { class: 'hint' },
            `银行文件只能由审批通过该名册的工作人员（${roll.approval?.by.name ?? '审批人'}）下载。`,
          )
      : null,
    file.excluded?.length
      ? [
          h('h3', {}, `未列入银行文件（将在下月补发）：${file.excluded.length} 户`),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'list', id: 'excluded' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['案件编号', '金额', '原因'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                file.excluded.map((x) =>
                  h(
                    'tr',
                    { 'data-case': x.caseId },
                    h('td', { style: NOWRAP }, x.caseId),
                    h('td', { style: NOWRAP }, yuan(x.amount)),
                    h('td', { style: 'min-width: 8em' }, x.reason),
                  ),
                ),
              ),
            ),
          ),
        ]
      : null,
  );
}

// ── 银行回盘 ───────────────────────────────────────────────────────────────────────────────────

/** The bank's answer, as taken: who uploaded it, what was paid and what failed. */
function bankReturnCard(roll: RollDetail, r: BankReturn) {
  return h(
    'section',
    { class: 'card', id: 'bank-return-summary' },
    h('h2', {}, '银行回盘'),
    h(
      'dl',
      { class: 'kv' },
      h('dt', {}, '上传人'),
      h('dd', {}, `${r.uploadedBy.name}，${beijingTime(r.uploadedAt)}`),
      h('dt', {}, '发放成功'),
      h('dd', { id: 'return-paid' }, `${r.paid} 笔，${yuan(r.paidAmount)}`),
      h('dt', {}, '发放失败'),
      h(
        'dd',
        { id: 'return-failed', class: r.failed ? 'bad' : '' },
        `${r.failed} 笔，${yuan(r.failedAmount)}`,
        r.failed ? '（将在以后月份的名册补发）' : '',
      ),
      ...(roll.reconciledAt ? [h('dt', {}, '对账完成'), h('dd', {}, beijingTime(roll.reconciledAt))] : []),
    ),
  );
}

/** The file's text: UTF-8 (a BOM dropped), else GB 18030, in which banks' systems often write. */
async function readText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function bankReturnForm(roll: RollDetail) {
  const input = h('input', {
    id: 'return-file',
    name: 'return-file',
    type: 'file',
    accept: '.csv,.txt,text/csv,text/plain',
    'aria-describedby': 'return-file-error',
  }) as HTMLInputElement;
  const result = h('div', { id: 'upload-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'upload-button' }, '上传回盘');
  const error = h('small', { class: 'error', id: 'return-file-error' });
  return h(
    'form',
    {
      class: 'card',
      id: 'bank-return',
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        show(result);
        error.textContent = '';
        input.removeAttribute('aria-invalid');
        const file = input.files?.[0];
        if (!file) {
          error.textContent = '回盘文件：请选择银行返回的回盘文件（.csv 或 .txt）';
          input.setAttribute('aria-invalid', 'true');
          return;
        }
        const content = await readText(file);
        // The API's own limit on the request: a larger file never leaves the page.
        if (new Blob([JSON.stringify({ content })]).size > BANK_RETURN_MAX_BYTES) {
          error.textContent = `回盘文件：文件过大，不能超过 ${BANK_RETURN_MAX_BYTES / 1024 / 1024} MB`;
          input.setAttribute('aria-invalid', 'true');
          return;
        }
        button.disabled = true;
        const res = await api<BankReturnResult>(
          'POST',
          `/payrolls/${encodeURIComponent(roll.rollId)}/bank-return`,
          { body: { content } },
        );
        button.disabled = false;
        if (res.ok) {
          const r = res.data;
          messages.set(roll.rollId, {
            text: `${r.message}（成功 ${yuan(r.paidAmount)}，失败 ${yuan(r.failedAmount)}）`,
            tone: 'ok',
          });
          awaiting = { rollId: roll.rollId, polls: 0 };
          await refresh();
          return;
        }
        const fields = res.error.fields ?? [];
        show(
          result,
          h('p', { class: 'error', role: 'alert' }, res.error.message),
          fields.length
            ? h(
                'ul',
                { class: 'reasons error', id: 'upload-errors' },
                fields.map((f) => h('li', {}, `${fieldName(f.field)}：${f.message}`)),
              )
            : null,
        );
      },
    },
    h('h2', {}, '银行回盘'),
    h(
      'p',
      { class: 'hint' },
      '上传银行返回的回盘文件（.csv 或 .txt），系统逐笔核对发放结果；发放失败的列入以后月份的名册补发。',
    ),
    h('label', { class: 'field' }, h('span', {}, '回盘文件 *'), input, error),
    h('div', { class: 'actions' }, button),
    result,
  );
}

// ── start ──────────────────────────────────────────────────────────────────────────────────────

const initialRoll = new URLSearchParams(location.search).get('roll') ?? '';

function start(signedIn: Session, first: boolean) {
  session = signedIn;
  if (!first) {
    // Signed in again after a lapsed sign-in: the page goes on where it was.
    detail = undefined;
    void refresh();
    return;
  }
  // The county of a roll asked for, else the county last looked at if still served, else the first
  // county served (a province's or city's own code has no roll: the officer names the county).
  const stored = localStorage.getItem(REGION_KEY) ?? '';
  const fromRoll = /^(\d{6})-/.exec(initialRoll)?.[1] ?? '';
  region = fromRoll
    ? fromRoll
    : stored && signedIn.regionCodes.some((served) => covers(served, stored))
      ? stored
      : (signedIn.regionCodes.find((c) => !c.endsWith('00')) ?? '');
  show(root, startForm(), h('section', { class: 'card', id: 'rolls' }), h('div', { id: 'roll' }));
  renderList();
  renderDetail();
  if (initialRoll) void open(initialRoll);
  else void refresh();
  addEventListener('pagehide', () => clearTimeout(timer));
}

startSignIn({ profile: 'payroll', accepts: ['countyOfficer', 'auditor'], onSignedIn: start });
