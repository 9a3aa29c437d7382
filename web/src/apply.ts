/**
 * 申请人：自主申报. The form is validated in the browser by the API's own zod schemas
 * (`applicationRequest`, `householdDeclaration`), so the messages are the API's; each is shown next to
 * its field, prefixed with the field's Chinese name. 试算 asks `POST /means-test`; submission sends an
 * Idempotency-Key kept for this form, so a double click or a retry cannot file twice. The applicant
 * signs in first (`lib/signin.ts`): the application is theirs, and only they read it afterwards.
 */
import { idCheckCharacter } from '../../shared/domain/id-number.ts';
import { payeeAccountKindLabels } from '../../shared/domain/payee.ts';
import { specialItemLabels } from '../../shared/domain/special-assistance.ts';
import type { MeansTestResult, SubmitResponse } from '../../shared/openapi.ts';
import { submissionRequest } from '../../shared/schemas/cases.ts';
import {
  dailyActivities,
  disabilityCategories,
  householdDeclaration,
  incomeKinds,
  notCountedLabels,
  notCountedReasons,
  obligorInabilities,
  relations,
  requestedTiers,
  schoolingLabels,
  schoolingStages,
} from '../../shared/schemas/household.ts';
import { type ApiError, api } from './lib/api.ts';
import { $, $$, h, show } from './lib/dom.ts';
import { newIdempotencyKey, yuan } from './lib/format.ts';
import {
  dailyActivityLabels,
  disabilityCategoryLabels,
  disabilityLabels,
  fieldLabel,
  incomeKindLabels,
  labourLabels,
  obligorInabilityLabels,
  relationLabels,
  requestedTierLabels,
  residenceLabels,
  tierLabels,
} from './lib/labels.ts';
import { rememberApplication } from './lib/mine.ts';
import { currentSession, startSignIn } from './lib/signin.ts';

/**
 * How an input's value enters the body: `nullable-text` is a select whose empty choice is null,
 * `bool-choice` a select of 是/否, and `set` one checkbox of several that together make an array
 * (its `value` is the array's item).
 */
type Kind = 'text' | 'number' | 'nullable-int' | 'nullable-text' | 'bool' | 'bool-choice' | 'set';
interface Issue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

const KEY_STORAGE = 'doudi.apply.idempotencyKey';
const form = $<HTMLFormElement>('#application');
/** The schema of the last attempt (试算 checks the household, 提交 the whole application); none before. */
let attempted: typeof submissionRequest | typeof householdDeclaration | undefined;

// ---------------------------------------------------------------- building the form

const pick = (labels: Record<string, string>, values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v, labels[v] ?? v]));

function errorSlot(rel: string) {
  return h('small', { class: 'error', 'data-rel-error': rel, 'aria-live': 'polite' });
}

/** A labelled input; `rel` is its path relative to its member/row (renumbering fills in the rest). */
function field(
  rel: string,
  label: string,
  kind: Kind,
  options: {
    required?: boolean;
    value?: string;
    inputmode?: string;
    placeholder?: string;
    maxlength?: number;
  } = {},
) {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label, options.required ? ' *' : ''),
    h('input', {
      type: 'text',
      'data-rel': rel,
      'data-kind': kind,
      value: options.value ?? '',
      inputmode: options.inputmode,
      placeholder: options.placeholder,
      maxlength: options.maxlength,
      autocomplete: 'off',
    }),
    errorSlot(rel),
  );
}

function choice(
  rel: string,
  label: string,
  values: Record<string, string>,
  options: { required?: boolean; value?: string; kind?: Kind; placeholder?: string } = {},
) {
  const select = h(
    'select',
    { 'data-rel': rel, 'data-kind': options.kind ?? 'text' },
    options.placeholder === undefined ? null : h('option', { value: '' }, options.placeholder),
    Object.entries(values).map(([value, text]) =>
      h('option', { value, selected: value === options.value }, text),
    ),
  );
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label, options.required ? ' *' : ''),
    select,
    errorSlot(rel),
  );
}

function check(rel: string, label: string, checked = false, hint?: string) {
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { class: 'field check' },
      h('input', { type: 'checkbox', 'data-rel': rel, 'data-kind': 'bool', checked }),
      h('span', {}, label),
    ),
    hint ? h('small', { class: 'hint' }, hint) : null,
    errorSlot(rel),
  );
}

/** Checkboxes that together give an array of the checked values (e.g. `selfCareUnable`). */
function checkSet(rel: string, legend: string, values: Record<string, string>, hint: string) {
  return h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, legend),
    h('small', { class: 'hint' }, hint),
    h(
      'div',
      { class: 'grid' },
      Object.entries(values).map(([value, text]) =>
        h(
          'label',
          { class: 'field check' },
          h('input', { type: 'checkbox', 'data-rel': rel, 'data-kind': 'set', value }),
          h('span', {}, text),
        ),
      ),
    ),
    errorSlot(rel),
  );
}

function incomeRow(kind = '', amount = '') {
  const row = h(
    'div',
    { class: 'row income', 'data-group': 'income' },
    h(
      'div',
      { class: 'grid' },
      choice('kind', '收入类型', pick(incomeKindLabels, incomeKinds), {
        required: true,
        value: kind,
        placeholder: '请选择',
      }),
      field('monthlyAmount', '月收入（元）', 'number', {
        required: true,
        value: amount,
        inputmode: 'decimal',
      }),
    ),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'remove-row' }, '删除此项收入'),
  );
  return row;
}

function memberCard(first: boolean) {
  const card = h(
    'section',
    { class: 'member', 'data-group': 'member' },
    h(
      'header',
      {},
      h('h3', { class: 'member-title' }, '家庭成员'),
      first
        ? null
        : h(
            'button',
            { type: 'button', class: 'secondary small', 'data-action': 'remove-member' },
            '删除此成员',
          ),
    ),
    h(
      'div',
      { class: 'grid' },
      field('name', '姓名', 'text', { required: true, maxlength: 50 }),
      field('idNumber', '身份证号码', 'text', {
        required: true,
        maxlength: 18,
        placeholder: '18位，末位可为X',
      }),
      choice('relation', '与申请人关系', pick(relationLabels, relations), {
        required: true,
        value: first ? 'self' : '',
        placeholder: first ? undefined : '请选择',
      }),
      field('age', '年龄（周岁）', 'number', { required: true, inputmode: 'numeric', maxlength: 3 }),
      choice('labourCapacity', '劳动能力', labourLabels, { required: true, placeholder: '请选择' }),
      choice('schooling.stage', '就学阶段', pick(schoolingLabels, schoolingStages), {
        kind: 'nullable-text',
        placeholder: '不在学',
      }),
      choice(
        'disabilityCategory',
        '残疾类别（以残疾人证为准）',
        pick(disabilityCategoryLabels, disabilityCategories),
        {
          kind: 'nullable-text',
          placeholder: '无',
        },
      ),
      choice('disabilityGrade', '残疾等级（以残疾人证为准）', disabilityLabels, {
        kind: 'nullable-int',
        value: '',
      }),
    ),
    check('schooling.fullTime', '全日制在校就读', true),
    check('livesWithHousehold', '与家庭共同生活', true, '在外全日制就学的学生仍计入共同生活的家庭成员。'),
    first
      ? null
      : h(
          'div',
          { class: 'grid' },
          choice('notCounted', '不计入共同生活家庭成员的情形', pick(notCountedLabels, notCountedReasons), {
            kind: 'nullable-text',
            placeholder: '无（计入）',
          }),
        ),
    check('severeIllness', '患有当地重特大疾病目录内的重病'),
    check('employed', '目前就业'),
    checkSet(
      'selfCareUnable',
      '生活自理能力：不能自主完成的项目',
      pick(dailyActivityLabels, dailyActivities),
      '申请特困供养时填写；能够自理的可不填。',
    ),
    h('h3', {}, '每月收入'),
    h('p', { class: 'hint' }, '没有收入可不填。'),
    h('div', { class: 'incomes' }),
    h('small', { class: 'error', 'data-rel-error': 'incomes' }),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'add-income' }, '添加一项收入'),
    h('small', { class: 'error', 'data-rel-error': '' }),
  );
  return card;
}

function vehicleRow(value = '', exempt = false) {
  return h(
    'div',
    { class: 'row vehicle', 'data-group': 'vehicle' },
    h(
      'div',
      { class: 'grid' },
      field('value', '车辆价值（元）', 'number', { required: true, value, inputmode: 'decimal' }),
      check('exempt', '营运车辆或残疾人功能性代步车辆', exempt),
    ),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'remove-row' }, '删除此车辆'),
  );
}

function obligorRow() {
  return h(
    'div',
    { class: 'row obligor', 'data-group': 'obligor' },
    h(
      'div',
      { class: 'grid' },
      field('name', '义务人姓名', 'text', { required: true, maxlength: 50 }),
      choice(
        'relation',
        '与申请人关系',
        pick(
          relationLabels,
          relations.filter((r) => r !== 'self'),
        ),
        { required: true, placeholder: '请选择' },
      ),
      choice(
        'ableToSupport',
        '是否有履行义务能力',
        { true: '有履行能力', false: '无履行能力' },
        { required: true, kind: 'bool-choice', placeholder: '请选择' },
      ),
      choice('inability', '无履行义务能力的情形', pick(obligorInabilityLabels, obligorInabilities), {
        kind: 'nullable-text',
        placeholder: '（有履行能力的不填）',
      }),
      field('note', '说明', 'text', { maxlength: 200, placeholder: '如所持证件；省级规定的情形须注明依据' }),
    ),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'remove-row' }, '删除此义务人'),
  );
}

/** What the county verifies itself (社会救助法第六十二条): no documents are asked for these. */
const VERIFIED_BY_COUNTY = [
  '户籍',
  '社会保险（含养老金、失业保险金）',
  '不动产（房产）',
  '车辆',
  '存款等金融资产',
  '市场主体登记（工商、经营情况）',
];

function build() {
  const verified = h(
    'section',
    { class: 'card', id: 'verified-note' },
    h('h2', {}, '由县级民政部门核对的信息'),
    h(
      'p',
      {},
      '依照《社会救助法》第六十二条，以下情况由县级民政部门经您授权后通过信息核对查询，无需提交证明材料：',
      VERIFIED_BY_COUNTY.join('、'),
      '。请如实填写数额。',
    ),
    h(
      'p',
      { class: 'hint' },
      '本表只请您填写其余情况（如残疾、重病、就学、生活自理能力、家庭以外的义务人），由乡镇（街道）入户调查时核实。',
    ),
  );
  const household = h(
    'section',
    { class: 'card' },
    h('h2', {}, '申请信息'),
    h(
      'div',
      { class: 'grid three' },
      h(
        'label',
        { class: 'field' },
        h('span', {}, '申请地区（行政区划代码） *'),
        h('input', {
          type: 'text',
          name: 'regionCode',
          'data-kind': 'text',
          inputmode: 'numeric',
          maxlength: 6,
          list: 'regions',
          placeholder: '如 430121',
        }),
        h(
          'datalist',
          { id: 'regions' },
          h('option', { value: '430121' }, '湖南省长沙市长沙县'),
          h('option', { value: '410122' }, '河南省郑州市中牟县'),
        ),
        h('small', { class: 'error', 'data-error-for': 'regionCode' }),
      ),
      named(choice('residence', '户籍类别', residenceLabels, { required: true, placeholder: '请选择' })),
      named(
        choice('requestedTier', '申请类别', pick(requestedTierLabels, requestedTiers), {
          required: true,
          value: 'dibao',
        }),
      ),
    ),
    h('h3', {}, '申请人'),
    h(
      'div',
      { class: 'grid' },
      named(field('applicant.name', '申请人姓名', 'text', { required: true, maxlength: 50 })),
      named(
        field('applicant.phone', '联系电话', 'text', { required: true, inputmode: 'tel', maxlength: 11 }),
      ),
      named(
        choice(
          'applicant.notify',
          '短信通知',
          { sms: '接收短信（受理、公示、告知书、发放等）', none: '不接收短信（书面告知照常送达）' },
          { value: 'sms' },
        ),
      ),
    ),
  );
  const members = h(
    'section',
    { class: 'card' },
    h('h2', {}, '家庭成员'),
    h(
      'p',
      { class: 'hint' },
      '填写共同生活的全部家庭成员（在外全日制就学的学生也填写），第一位为申请人本人。',
    ),
    h('div', { id: 'members' }, memberCard(true)),
    h('small', { class: 'error', 'data-error-for': 'members' }),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'add-member' }, '添加家庭成员'),
    named(check('irregularIncome', '家庭收入来源不固定（如打零工、季节性务工）')),
    named(
      checkSet(
        'specialRequests',
        '同时申请的专项救助（可多选）',
        specialItemLabels,
        '确认救助类别时逐项答复：给予谁、给予什么、由哪个部门办理。',
      ),
    ),
    named(
      check(
        'housingDifficulty',
        '住房困难（无自有住房，或住房面积低于当地标准、属于危房）',
        false,
        '用于住房救助（公租房、租赁补贴或农村危房改造），不影响低保等认定。',
      ),
    ),
  );
  const assets = h(
    'section',
    { class: 'card' },
    h('h2', {}, '家庭财产'),
    h(
      'div',
      { class: 'grid' },
      named(
        field('assets.deposits', '存款等金融资产（元）', 'number', { required: true, inputmode: 'decimal' }),
      ),
      named(field('assets.housingUnits', '住房套数', 'number', { required: true, inputmode: 'numeric' })),
    ),
    h('h3', {}, '机动车辆'),
    h('div', { id: 'vehicles' }),
    h('small', { class: 'error', 'data-error-for': 'assets.vehicles' }),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'add-vehicle' }, '添加车辆'),
  );
  const spending = h(
    'section',
    { class: 'card' },
    h('h2', {}, '近12个月必需支出'),
    h(
      'div',
      { class: 'grid' },
      named(
        field('spendingLast12Months.medical', '医疗支出（元，自付部分）', 'number', {
          required: true,
          inputmode: 'decimal',
        }),
      ),
      named(
        field('spendingLast12Months.education', '教育支出（元）', 'number', {
          required: true,
          inputmode: 'decimal',
        }),
      ),
      named(
        field('spendingLast12Months.rehabilitation', '残疾康复支出（元，自付部分）', 'number', {
          inputmode: 'decimal',
          placeholder: '没有可不填',
        }),
      ),
      named(
        field('spendingLast12Months.other', '其他必需支出（元，经县级认定）', 'number', {
          inputmode: 'decimal',
          placeholder: '没有可不填',
        }),
      ),
    ),
  );
  const hardship = h(
    'section',
    { class: 'card' },
    h('h2', {}, '困难情形'),
    h('p', { class: 'hint' }, '成员的残疾、重病、劳动能力、就学和生活自理情况请在“家庭成员”中填写。'),
    h('h3', {}, '家庭以外的法定义务人'),
    h(
      'p',
      { class: 'hint' },
      '不共同生活、依法负有赡养、抚养或扶养义务的人（如另居的子女、父母、配偶）。申请特困供养时请逐一填写。',
    ),
    h('div', { id: 'obligors' }),
    h('small', { class: 'error', 'data-error-for': 'obligors' }),
    h('button', { type: 'button', class: 'secondary small', 'data-action': 'add-obligor' }, '添加义务人'),
    named(
      check(
        'hasAbleSupporter',
        '有具备赡养、抚养或扶养能力的法定义务人',
        true,
        '未列出义务人时填写；列出义务人后按所列情况判断。',
      ),
    ),
  );
  // The account is declared here or registered later by the township: never part of the declaration.
  const payee = h(
    'section',
    { class: 'card' },
    h('h2', {}, '收款账户（可选）'),
    h(
      'p',
      { class: 'hint' },
      '救助金按月发放到此账户。可以现在填写，也可以确认救助后由乡镇（街道）登记。账号加密保存，页面和通知只显示前四位和后四位。',
    ),
    h(
      'div',
      { class: 'grid' },
      named(choice('payeeAccount.kind', '账户类型', payeeAccountKindLabels, { placeholder: '暂不填写' })),
      named(field('payeeAccount.bankName', '开户行', 'text', { maxlength: 60 })),
      named(field('payeeAccount.accountNumber', '账号', 'text', { inputmode: 'numeric', maxlength: 40 })),
      named(field('payeeAccount.accountName', '户名', 'text', { maxlength: 30 })),
    ),
  );
  const pledge = h(
    'section',
    { class: 'card' },
    h('h2', {}, '承诺与授权'),
    named(
      check('pledge', '本人承诺所报家庭成员、收入、财产等信息真实完整，如有虚报、隐瞒，愿承担相应责任。'),
    ),
    named(
      check(
        'verificationConsent',
        '本人及家庭成员授权民政部门及相关单位核对家庭经济状况（存款、车辆、房产、社保、工商等信息）。',
      ),
    ),
  );
  const actions = h(
    'div',
    { class: 'actions' },
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'preview-button', 'data-action': 'preview' },
      '试算',
    ),
    h('button', { type: 'submit', id: 'submit-button' }, '提交申请'),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'sample' }, '填入示例家庭（演示）'),
  );
  form.replaceChildren(
    h('div', { class: 'summary', id: 'summary', role: 'alert', tabindex: '-1' }),
    verified,
    household,
    members,
    assets,
    spending,
    hardship,
    payee,
    pledge,
    actions,
    h('div', { id: 'submit-error', class: 'error', role: 'alert' }),
    h('section', { id: 'preview', 'aria-live': 'polite' }),
  );
  renumber();
  syncDependents();
}

/** Household-level fields have fixed names: their `rel` is their name. */
function named<T extends HTMLElement>(el: T): T {
  for (const input of $$<HTMLInputElement>('[data-rel]', el)) input.name = input.dataset.rel!;
  for (const slot of $$<HTMLElement>('[data-rel-error]', el)) slot.dataset.errorFor = slot.dataset.relError;
  for (const input of $$('[data-rel]', el)) input.removeAttribute('data-rel');
  for (const slot of $$('[data-rel-error]', el)) slot.removeAttribute('data-rel-error');
  return el;
}

/** Gives every repeated field its path, e.g. `members.1.incomes.0.monthlyAmount`, after any add or remove. */
function renumber() {
  const name = (scope: Element, prefix: string) => {
    for (const input of $$<HTMLInputElement>(':scope [data-rel]', scope)) {
      if (input.closest('[data-group]') !== scope) continue;
      input.name = `${prefix}.${input.dataset.rel}`;
      const item = input.dataset.kind === 'set' ? `-${input.value}` : '';
      input.id = `f-${input.name.replaceAll('.', '-')}${item}`;
    }
    for (const slot of $$<HTMLElement>(':scope [data-rel-error]', scope)) {
      if (slot.closest('[data-group]') !== scope) continue;
      slot.dataset.errorFor = slot.dataset.relError ? `${prefix}.${slot.dataset.relError}` : prefix;
    }
  };
  $$('#members > .member').forEach((card, i) => {
    name(card, `members.${i}`);
    $('.member-title', card).textContent = i === 0 ? '家庭成员1（申请人本人）' : `家庭成员${i + 1}`;
    $$('.incomes > .income', card).forEach((row, j) => {
      name(row, `members.${i}.incomes.${j}`);
    });
  });
  $$('#vehicles > .vehicle').forEach((row, k) => {
    name(row, `assets.vehicles.${k}`);
  });
  $$('#obligors > .obligor').forEach((row, k) => {
    name(row, `obligors.${k}`);
  });
  for (const input of $$<HTMLInputElement>('[name]', form)) {
    const slot = form.querySelector<HTMLElement>(`[data-error-for="${input.name}"]`);
    if (slot) {
      slot.id = `err-${input.name.replaceAll('.', '-')}`;
      input.setAttribute('aria-describedby', slot.id);
    }
  }
}

/** Disables a checkbox showing `shown`, or gives it back the person's own answer once free again. */
function lock(box: HTMLInputElement, locked: boolean, shown: boolean) {
  if (locked) {
    if (!box.disabled) box.dataset.own = String(box.checked);
    box.disabled = true;
    box.checked = shown;
  } else if (box.disabled) {
    box.disabled = false;
    box.checked = box.dataset.own !== 'false';
  }
}

/**
 * Inputs that depend on others: 全日制 only for a member in school, 无能力情形 only for an obligor
 * without the means, and “有具备能力的义务人” follows the obligors once any are listed (the schema
 * derives it from them; the box's own answer comes back when the last obligor is removed).
 */
function syncDependents() {
  for (const card of $$('#members > .member')) {
    const stage = $<HTMLSelectElement>('[data-rel="schooling.stage"]', card);
    lock($<HTMLInputElement>('[data-rel="schooling.fullTime"]', card), stage.value === '', false);
  }
  const rows = $$('#obligors > .obligor');
  const able = (row: HTMLElement) => $<HTMLSelectElement>('[data-rel="ableToSupport"]', row).value === 'true';
  for (const row of rows) {
    const inability = $<HTMLSelectElement>('[data-rel="inability"]', row);
    if (able(row)) inability.value = '';
    inability.disabled = able(row);
  }
  lock($<HTMLInputElement>('[name="hasAbleSupporter"]', form), rows.length > 0, rows.some(able));
}

// ---------------------------------------------------------------- reading and validating

function readValue(el: HTMLInputElement | HTMLSelectElement): unknown {
  const kind = el.dataset.kind as Kind;
  const raw = el.value.trim();
  if (kind === 'bool') return (el as HTMLInputElement).checked;
  if (kind === 'nullable-int') return raw === '' ? null : Number(raw);
  if (kind === 'nullable-text') return raw === '' ? null : el.value;
  if (kind === 'bool-choice') return raw === '' ? undefined : raw === 'true';
  if (kind === 'number') {
    if (raw === '') return undefined;
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return kind === 'text' && el.tagName === 'SELECT' && raw === '' ? undefined : el.value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node: Record<string, unknown> = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      if (value !== undefined) node[key] = value;
      return;
    }
    node[key] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

const getPath = (target: Record<string, unknown>, path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], target);

/** The form as the API's request body, before parsing. */
function collect(): Record<string, unknown> {
  const out: Record<string, unknown> = { members: [], assets: { vehicles: [] } };
  for (const el of $$<HTMLInputElement | HTMLSelectElement>('[name]', form)) {
    const path = el.name.split('.');
    if (el.dataset.kind === 'set') {
      const list = (getPath(out, path) as string[] | undefined) ?? [];
      setPath(out, path, (el as HTMLInputElement).checked ? [...list, el.value] : list);
    } else setPath(out, path, readValue(el));
  }
  for (const member of out.members as Array<Record<string, unknown>>) {
    member.incomes ??= [];
    // 不在学: no schooling at all, whatever the (disabled) 全日制 box says.
    const schooling = member.schooling as { stage?: unknown } | undefined;
    if (schooling && (schooling.stage === null || schooling.stage === undefined)) member.schooling = null;
  }
  // With obligors listed the schema derives “has an able supporter” from them.
  if (Array.isArray(out.obligors) && out.obligors.length) delete out.hasAbleSupporter;
  // An account left blank is not declared; one partly filled is, so its gaps are named.
  const payee = out.payeeAccount as Record<string, unknown> | undefined;
  if (payee && Object.values(payee).every((v) => v === undefined || v === '')) delete out.payeeAccount;
  return out;
}

function clearErrors() {
  for (const slot of $$('[data-error-for]', form)) slot.textContent = '';
  for (const input of $$('[aria-invalid]', form)) input.removeAttribute('aria-invalid');
  show($('#summary'));
}

/** Shows each issue next to its field (or the nearest enclosing group), named in Chinese, and lists them on top. */
function showErrors(issues: Issue[], focus: boolean) {
  clearErrors();
  if (!issues.length) return;
  const lines: HTMLElement[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    const text = `${fieldLabel(path)}：${issue.message}`;
    let slot: HTMLElement | null = null;
    for (let n = path.length; n >= 0 && !slot; n--)
      slot = form.querySelector<HTMLElement>(`[data-error-for="${path.slice(0, n).join('.')}"]`);
    if (slot && !slot.textContent?.includes(text))
      slot.textContent = slot.textContent ? `${slot.textContent}；${text}` : text;
    const input = form.querySelector<HTMLElement>(`[name="${path.join('.')}"]`);
    input?.setAttribute('aria-invalid', 'true');
    lines.push(
      h(
        'li',
        {},
        h(
          'a',
          {
            href: `#${input?.id ?? ''}`,
            onclick: (e: Event) => {
              e.preventDefault();
              input?.focus();
            },
          },
          text,
        ),
      ),
    );
  }
  show($('#summary'), h('strong', {}, `请修改以下 ${issues.length} 处：`), h('ul', {}, lines));
  if (focus) form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

function validate(schema: typeof submissionRequest | typeof householdDeclaration, focus: boolean) {
  const parsed = schema.safeParse(collect());
  showErrors(parsed.success ? [] : parsed.error.issues, focus);
  return parsed;
}

const serverIssues = (error: ApiError): Issue[] =>
  (error.fields ?? []).map((f) => ({ path: f.field.split('.'), message: f.message }));

// ---------------------------------------------------------------- preview and submission

function renderPreview(result: MeansTestResult) {
  const label = (tier: string) => tierLabels[tier] ?? tier;
  const byKind = Object.entries(result.income.byKind).filter(([, v]) => v > 0);
  show(
    $('#preview'),
    h(
      'div',
      { class: 'card', id: 'preview-result' },
      h('h2', {}, '试算结果'),
      result.sampleParameters
        ? h('p', { class: 'badge warn' }, '使用示例参数，结果仅供演示，不作为认定依据')
        : null,
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '核查结论'),
        h(
          'dd',
          { id: 'preview-tier' },
          label(result.tier),
          ' ',
          h(
            'span',
            { class: `badge ${result.eligible ? 'ok' : 'bad'}` },
            result.eligible ? '符合所申请类别' : '不符合所申请类别',
          ),
        ),
        h('dt', {}, '每月救助金'),
        h('dd', {}, yuan(result.monthlyAmount)),
        h('dt', {}, '家庭人均月收入'),
        h('dd', {}, yuan(result.perCapitaMonthlyIncome)),
        h('dt', {}, '当地低保标准'),
        h('dd', {}, `${yuan(result.lines.dibaoStandard)}/人·月`),
        h('dt', {}, '低保边缘线'),
        h('dd', {}, `${yuan(result.lines.marginalLine)}/人·月`),
        byKind.length ? h('dt', {}, '收入构成') : null,
        byKind.length
          ? h('dd', {}, byKind.map(([k, v]) => `${incomeKindLabels[k] ?? k} ${yuan(v)}`).join('；'))
          : null,
        h('dt', {}, '医疗教育支出占收入'),
        h(
          'dd',
          {},
          result.rigidExpense.ratio === null ? '无收入' : `${(result.rigidExpense.ratio * 100).toFixed(1)}%`,
          `（当地标准 ${(result.rigidExpense.thresholdRatio * 100).toFixed(0)}%）`,
        ),
      ),
      result.alternative
        ? h(
            'p',
            { class: 'banner' },
            `您的家庭可能符合“${label(result.alternative.tier)}”条件`,
            result.alternative.monthlyAmount === null
              ? ''
              : `（每月 ${yuan(result.alternative.monthlyAmount)}）`,
            '，提交申请后经您同意可按该类别认定。',
          )
        : null,
      h('h3', {}, '理由'),
      h(
        'ol',
        { class: 'reasons' },
        result.reasons.map((r) => h('li', {}, r.message, h('span', { class: 'clause' }, r.clause))),
      ),
      h('p', { class: 'hint' }, '试算不会提交申请，最终以审核确认结果为准。'),
    ),
  );
  $('#preview').scrollIntoView({ block: 'start' });
}

async function preview() {
  attempted = householdDeclaration;
  const parsed = validate(householdDeclaration, true);
  if (!parsed.success) return;
  const button = $<HTMLButtonElement>('#preview-button');
  button.disabled = true;
  const requestedTier = collect().requestedTier;
  const res = await api<MeansTestResult>('POST', '/means-test', {
    body: { ...parsed.data, ...(typeof requestedTier === 'string' ? { requestedTier } : {}) },
  });
  button.disabled = false;
  if (res.ok) return renderPreview(res.data);
  showErrors(serverIssues(res.error), true);
  show($('#preview'), h('p', { class: 'card error' }, `试算未能完成：${res.error.message}`));
}

function idempotencyKey(): string {
  let key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) {
    key = newIdempotencyKey();
    sessionStorage.setItem(KEY_STORAGE, key);
  }
  return key;
}

let submitting = false;
async function submit(event: Event) {
  event.preventDefault();
  attempted = submissionRequest;
  if (submitting) return;
  const parsed = validate(submissionRequest, true);
  if (!parsed.success) return;
  submitting = true;
  const button = $<HTMLButtonElement>('#submit-button');
  button.disabled = true;
  button.textContent = '提交中…';
  show($('#submit-error'));
  const res = await api<SubmitResponse>('POST', '/applications', {
    body: parsed.data,
    headers: { 'Idempotency-Key': idempotencyKey() },
  });
  if (res.ok) {
    sessionStorage.removeItem(KEY_STORAGE);
    const who = currentSession();
    if (who)
      rememberApplication(who.subject, {
        applicationId: res.data.applicationId,
        caseId: res.data.caseId,
        submittedAt: new Date().toISOString(),
      });
    location.assign(`/status/?id=${encodeURIComponent(res.data.applicationId)}&new=1`);
    return;
  }
  submitting = false;
  button.disabled = false;
  button.textContent = '提交申请';
  showErrors(serverIssues(res.error), true);
  show($('#submit-error'), `提交未成功：${res.error.message}`);
}

// ---------------------------------------------------------------- the demonstration household

function fillSample() {
  const id = (birth: string, serial: string) => {
    const first17 = `430121${birth}${serial}`;
    return first17 + idCheckCharacter(first17);
  };
  const set = (name: string, value: string | boolean) => {
    const el = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
    if (!el) return;
    if (el.type === 'checkbox') el.checked = value === true;
    else el.value = String(value);
  };
  $('#members').replaceChildren(memberCard(true), memberCard(false));
  $('.incomes', $('#members > .member')).append(incomeRow('transfer', '200'));
  $('#vehicles').replaceChildren();
  $('#obligors').replaceChildren();
  renumber();
  syncDependents();
  const values: Record<string, string | boolean> = {
    regionCode: '430121',
    residence: 'urban',
    requestedTier: 'dibao',
    'applicant.name': '张三',
    'applicant.phone': '13800000000',
    'members.0.name': '张三',
    'members.0.idNumber': id('19800101', '011'),
    'members.0.relation': 'self',
    'members.0.age': '45',
    'members.0.labourCapacity': 'partial',
    'members.1.name': '张小明',
    'members.1.idNumber': id('20150601', '012'),
    'members.1.relation': 'child',
    'members.1.age': '11',
    'members.1.labourCapacity': 'none',
    'members.1.schooling.stage': 'compulsory',
    'members.1.schooling.fullTime': true,
    'assets.deposits': '2000',
    'assets.housingUnits': '1',
    'spendingLast12Months.medical': '1200',
    'spendingLast12Months.education': '800',
    hasAbleSupporter: true,
  };
  for (const [name, value] of Object.entries(values)) set(name, value);
  syncDependents();
  if (attempted) validate(attempted, false);
}

// ---------------------------------------------------------------- events

form.addEventListener('click', (event) => {
  const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
  if (!target) return;
  const action = target.dataset.action;
  if (action === 'add-member') $('#members').append(memberCard(false));
  else if (action === 'remove-member') target.closest('.member')?.remove();
  else if (action === 'add-income') $('.incomes', target.closest('.member')!).append(incomeRow());
  else if (action === 'add-vehicle') $('#vehicles').append(vehicleRow());
  else if (action === 'add-obligor') $('#obligors').append(obligorRow());
  else if (action === 'remove-row') target.closest('.row')?.remove();
  else if (action === 'preview') return void preview();
  else if (action === 'sample') return fillSample();
  renumber();
  syncDependents();
  if (attempted) validate(attempted, false);
});

// After the first attempt, errors follow the form as it is corrected.
const revalidate = () => {
  syncDependents();
  if (attempted) validate(attempted, false);
};
form.addEventListener('input', revalidate);
form.addEventListener('change', revalidate);
form.addEventListener('submit', (event) => void submit(event));

build();
// The form waits for the applicant to sign in; after a lapsed sign-in what was typed stays.
startSignIn({ profile: 'applicant', accepts: ['applicant'], onSignedIn: () => {} });
