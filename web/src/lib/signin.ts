/**
 * 登录, shared by the three apps. Each page starts here: with a token of a role it serves (kept for
 * the tab in sessionStorage, where `lib/api.ts` reads it) it shows who is signed in and a 退出登录
 * button; otherwise a sign-in card — and the page's content waits until someone has signed in. A
 * 401 from the API at any time brings the card back, the page's content (a half-filled form) kept.
 *
 * The card offers what `GET /public/sign-in` says the deployment has: the unified identity's
 * sign-in (统一身份认证, `lib/oidc.ts`: Authorization Code with PKCE, tokens in memory) and, in the
 * local runtime, `POST /auth/dev-login` (本地开发登录: no password, any role and region). Either way
 * the token only says who someone is: the role and regions shown are the API's (`GET /me`, or the
 * dev sign-in's answer), from the system's staff records.
 */
import { z } from 'zod';
import { type Department, departments, type Role, roleLabels } from '../../../shared/auth.ts';
import { departmentLabels } from '../../../shared/monitoring/vocabulary.ts';
import { regionCode } from '../../../shared/schemas/household.ts';
import { principalView, signInOptionsView } from '../../../shared/schemas/staff.ts';
import { api, TOKEN_KEY, useMemoryToken, whenUnauthorized } from './api.ts';
import { $, h, show } from './dom.ts';
import { regionCodesTyped } from './format.ts';
import { finishOidcSignIn, type OidcOptions, oidcSignOut, startOidcSignIn } from './oidc.ts';

export interface Session {
  token: string;
  subject: string;
  name: string;
  role: Role;
  /** The regions served (staff); empty for applicants. */
  regionCodes: string[];
  /** A department officer's department (分类推送). */
  department?: Department;
  /** Seconds since the epoch. */
  expires: number;
}

/**
 * Who signs in on the page: the applicant's pages, the caseworker's workbench, the auditor's console,
 * the departments' warnings, the county's payroll (发放名册: county officers, and auditors reading),
 * the administrators' staff management (工作人员授权).
 */
export type Profile = 'applicant' | 'workbench' | 'audit' | 'department' | 'payroll' | 'manage';

export interface SignInOptions {
  profile: Profile;
  /** The roles whose sign-in the page serves; a token of another role asks for a new sign-in. */
  accepts: readonly Role[];
  /**
   * Called once someone is signed in: `first` when the page starts with them, not after a sign-in
   * that a 401 asked for (the page then only refreshes what it shows).
   */
  onSignedIn(session: Session, first: boolean): void;
}

const APPLICANT_SUBJECT = 'doudi.applicant.subject';
const PRINCIPAL_KEY = 'doudi.principal';
const STAFF_SUBJECTS = 'doudi.staff.subjects';
const WORKBENCH_ROLES = ['townshipCaseworker', 'countyOfficer'] as const satisfies readonly Role[];
const PAYROLL_ROLES = ['countyOfficer', 'auditor'] as const satisfies readonly Role[];
/** The profiles whose card asks which role: the roles offered. */
const ROLE_CHOICES: Partial<Record<Profile, readonly Role[]>> = {
  workbench: WORKBENCH_ROLES,
  payroll: PAYROLL_ROLES,
};

const fieldNames: Record<string, string> = {
  role: '身份',
  name: '姓名',
  regionCodes: '所服务的行政区划代码',
  subject: '用户编号',
  department: '所属部门',
};

const nameSchema = z
  .string()
  .trim()
  .min(1, { error: '请填写姓名（将记录在您办理的事项上）' })
  .max(50, { error: '姓名最多50个字' });

/** The subject and expiry of a token (a JWT's payload, UTF-8 JSON in base64url); undefined when unreadable. */
function decode(token: string): { subject: string; expires: number } | undefined {
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (typeof claims.sub !== 'string') return undefined;
    return { subject: claims.sub, expires: typeof claims.exp === 'number' ? claims.exp : 0 };
  } catch {
    return undefined;
  }
}

/**
 * The session of a token and of who the API takes its holder to be (`GET /me`, or the dev sign-in's
 * answer): a token says only who someone is, their role and regions are the system's staff records.
 */
function sessionOf(token: string, principal: unknown): Session | undefined {
  const claims = decode(token);
  const parsed = principalView.safeParse(principal);
  if (!claims || !parsed.success || parsed.data.subject !== claims.subject) return undefined;
  const { department, ...rest } = parsed.data;
  return { token, expires: claims.expires, ...rest, ...(department ? { department } : {}) };
}

/** A session of the unified identity's sign-in: in this page's memory only. */
let memorySession: Session | undefined;

/** The token of this tab, if it is still valid for a minute or more. */
export function currentSession(): Session | undefined {
  if (memorySession) return memorySession;
  const token = sessionStorage.getItem(TOKEN_KEY);
  let principal: unknown;
  try {
    principal = JSON.parse(sessionStorage.getItem(PRINCIPAL_KEY) ?? 'null');
  } catch {
    principal = undefined;
  }
  const current = token ? sessionOf(token, principal) : undefined;
  return current && current.expires * 1000 > Date.now() + 60_000 ? current : undefined;
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PRINCIPAL_KEY);
  memorySession = undefined;
  useMemoryToken(undefined);
}

type SignInMethods = z.output<typeof signInOptionsView>;

/** How this deployment signs people in (`GET /public/sign-in`); the dev sign-in where that cannot be read. */
async function signInMethods(): Promise<SignInMethods> {
  const res = await api<unknown>('GET', '/public/sign-in');
  const parsed = res.ok ? signInOptionsView.safeParse(res.data) : undefined;
  return parsed?.success ? parsed.data : { dev: true, oidc: null };
}

let oidcOptions: OidcOptions | null = null;

function signOut() {
  const oidcToken = memorySession?.token;
  forget();
  if (oidcOptions && oidcToken) void oidcSignOut(oidcOptions, oidcToken);
  else location.reload();
}

/** An applicant on this browser is the same applicant next time: their applications stay theirs. */
function applicantSubject(): string {
  let subject = localStorage.getItem(APPLICANT_SUBJECT);
  if (!subject || !/^[\w.:@-]{1,128}$/.test(subject)) {
    subject = `applicant-${crypto.randomUUID()}`;
    localStorage.setItem(APPLICANT_SUBJECT, subject);
  }
  return subject;
}

/** One stable user id per role and name on this browser, so a person's decisions stay attributable to one id. */
function staffSubject(role: Role, name: string): string {
  let known: Record<string, string> = {};
  try {
    known = JSON.parse(localStorage.getItem(STAFF_SUBJECTS) ?? '{}') as Record<string, string>;
  } catch {
    known = {};
  }
  const key = `${role}:${name}`;
  let subject = known[key];
  if (!subject || !/^[\w.:@-]{1,128}$/.test(subject)) {
    subject = `dev-${role}-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(STAFF_SUBJECTS, JSON.stringify({ ...known, [key]: subject }));
  }
  return subject;
}

function errorSlot(id: string) {
  return h('small', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' });
}

/** Staff sign their decisions: their name is asked for (an applicant's and an auditor's is optional). */
const nameRequired = (profile: Profile) => profile !== 'applicant' && profile !== 'audit';

const regionsHint = (profile: Profile) =>
  profile === 'audit'
    ? '审计范围：省级代码（如 430000）含所辖市县；多个代码用逗号分隔。'
    : '如 430121（长沙县）；省、市级代码含所辖区县；多个代码用逗号分隔。';

export function startSignIn(options: SignInOptions): void {
  const main = $('main');
  const heading = main.querySelector('h1');
  const slot = h('section', { id: 'signin', 'aria-label': '登录' });
  if (heading) heading.after(slot);
  else main.prepend(slot);
  const content = () =>
    [...main.children].filter(
      (el): el is HTMLElement => el !== heading && el !== slot && el.tagName !== 'NOSCRIPT',
    );
  let started = false;

  const signedIn = (session: Session) => {
    for (const el of content()) el.hidden = false;
    show(
      slot,
      h(
        'div',
        { class: 'identity', id: 'identity' },
        h(
          'span',
          {},
          '已登录：',
          h('strong', { id: 'identity-name' }, session.name),
          h(
            'span',
            { class: 'muted', id: 'identity-role' },
            `（${roleLabels[session.role]}`,
            session.regionCodes.length ? ` · 服务 ${session.regionCodes.join('、')}` : '',
            '）',
          ),
        ),
        h(
          'button',
          { type: 'button', class: 'secondary small', id: 'signout', onclick: signOut },
          '退出登录',
        ),
      ),
    );
    const first = !started;
    started = true;
    options.onSignedIn(session, first);
  };

  let methods: SignInMethods = { dev: true, oidc: null };

  const card = (notice?: string) => {
    // Before anyone has signed in the page shows nothing else; after a 401 its content stays.
    if (!started) for (const el of content()) el.hidden = true;
    const profile = options.profile;
    const oidc = methods.oidc;
    const unified = oidc
      ? h(
          'div',
          { class: 'actions', id: 'signin-unified' },
          h(
            'button',
            {
              type: 'button',
              id: 'signin-oidc',
              onclick: () =>
                void startOidcSignIn(oidc).catch(() =>
                  show(
                    $('#signin-status'),
                    h('p', { class: 'error', role: 'alert' }, '统一身份认证服务暂时无法访问，请稍后再试'),
                  ),
                ),
            },
            '通过统一身份认证登录',
          ),
        )
      : null;
    if (!methods.dev) {
      const form = h(
        'div',
        { class: 'card', id: 'signin-form' },
        h('h2', {}, '登录'),
        notice ? h('p', { class: 'banner', id: 'signin-notice' }, notice) : null,
        unified
          ? h(
              'p',
              { class: 'hint' },
              '使用统一身份认证账号登录：申请人以实名认证的账号，工作人员以本人账号（角色和管辖范围由系统管理员授予）。',
            )
          : h(
              'p',
              { class: 'card error', role: 'alert', id: 'signin-unavailable' },
              '本部署尚未配置统一身份认证登录，请联系系统管理员。',
            ),
        unified,
        h('div', { id: 'signin-status', role: 'status' }),
      );
      show(slot, form);
      if (started) slot.scrollIntoView({ block: 'start' });
      return;
    }
    const nameInput = h('input', {
      id: 'signin-name',
      type: 'text',
      maxlength: 50,
      autocomplete: 'name',
      'aria-describedby': 'signin-name-error',
      placeholder: profile === 'applicant' ? '如 王芳' : '如 李四',
    });
    const regionsInput = h('input', {
      id: 'signin-regions',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: profile === 'audit' ? '如 430000' : '如 430121',
      'aria-describedby': 'signin-regions-error signin-regions-hint',
    });
    const status = h('div', { id: 'signin-status', role: 'status' });
    const button = h('button', { type: 'submit', id: 'signin-button' }, '登录');

    const departmentChoice =
      profile === 'department'
        ? h(
            'label',
            { class: 'field' },
            h('span', {}, '所属部门 *'),
            h(
              'select',
              { id: 'signin-department', 'aria-describedby': 'signin-department-error' },
              h('option', { value: '' }, '请选择'),
              departments.map((d) => h('option', { value: d }, departmentLabels[d])),
            ),
            errorSlot('signin-department'),
          )
        : null;
    const choices = ROLE_CHOICES[profile];
    const roleChoice = choices
      ? h(
          'fieldset',
          { class: 'field', 'aria-describedby': 'signin-role-error' },
          h('legend', {}, '身份 *'),
          choices.map((role) =>
            h(
              'label',
              { class: 'field check' },
              h('input', { type: 'radio', name: 'signin-role', value: role }),
              h('span', {}, roleLabels[role]),
            ),
          ),
          errorSlot('signin-role'),
        )
      : null;

    const clearErrors = () => {
      for (const id of ['signin-role', 'signin-name', 'signin-regions', 'signin-department']) {
        const slotEl = document.getElementById(`${id}-error`);
        if (slotEl) slotEl.textContent = '';
        document.getElementById(id)?.removeAttribute('aria-invalid');
      }
    };
    const fail = (field: 'role' | 'name' | 'regionCodes' | 'department', message: string) => {
      const id =
        field === 'role'
          ? 'signin-role'
          : field === 'name'
            ? 'signin-name'
            : field === 'department'
              ? 'signin-department'
              : 'signin-regions';
      const slotEl = document.getElementById(`${id}-error`);
      if (slotEl) slotEl.textContent = `${fieldNames[field]}：${message}`;
      document.getElementById(id)?.setAttribute('aria-invalid', 'true');
    };

    const submit = async (event: Event) => {
      event.preventDefault();
      clearErrors();
      show(status);
      let ok = true;
      const role: Role =
        profile === 'applicant'
          ? 'applicant'
          : profile === 'audit'
            ? 'auditor'
            : profile === 'manage'
              ? 'admin'
              : profile === 'department'
                ? 'departmentOfficer'
                : (((form.querySelector('input[name="signin-role"]:checked') as HTMLInputElement | null)
                    ?.value ?? '') as Role);
      if (choices && !choices.includes(role)) {
        fail('role', `请选择${choices.map((r) => roleLabels[r]).join('或')}`);
        ok = false;
      }
      const department = (document.getElementById('signin-department') as HTMLSelectElement | null)?.value;
      if (profile === 'department' && !departments.includes(department as Department)) {
        fail('department', '请选择所属部门');
        ok = false;
      }
      const typedName = nameInput.value.trim();
      let name: string | undefined;
      if (nameRequired(profile) || typedName) {
        const parsed = nameSchema.safeParse(typedName);
        if (parsed.success) name = parsed.data;
        else {
          fail('name', parsed.error.issues[0]?.message ?? '姓名有误');
          ok = false;
        }
      }
      let regionCodes: string[] = [];
      if (profile !== 'applicant') {
        regionCodes = [...new Set(regionCodesTyped(regionsInput.value))];
        if (!regionCodes.length) {
          fail('regionCodes', '请至少填写一个行政区划代码');
          ok = false;
        } else if (regionCodes.length > 50) {
          fail('regionCodes', '行政区划代码最多50个');
          ok = false;
        } else {
          const bad = regionCodes.findIndex((c) => !regionCode.safeParse(c).success);
          if (bad >= 0) {
            const message = regionCode.safeParse(regionCodes[bad]).error?.issues[0]?.message;
            fail('regionCodes', `第${bad + 1}个“${regionCodes[bad]}”${message}`);
            ok = false;
          }
        }
      }
      if (!ok) return;
      button.disabled = true;
      const subject =
        role === 'applicant' ? applicantSubject() : staffSubject(role, name ?? roleLabels[role]);
      const res = await api<{ token: string; principal: unknown }>('POST', '/auth/dev-login', {
        body: {
          role,
          subject,
          ...(name ? { name } : {}),
          ...(regionCodes.length ? { regionCodes } : {}),
          ...(profile === 'department' ? { department } : {}),
        },
      });
      button.disabled = false;
      if (res.ok) {
        const signed = sessionOf(res.data.token, res.data.principal);
        if (!signed) {
          show(status, h('p', { class: 'error' }, '登录未成功：身份令牌无法识别'));
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, res.data.token);
        sessionStorage.setItem(PRINCIPAL_KEY, JSON.stringify(res.data.principal));
        signedIn(signed);
        return;
      }
      // 404/405, or an answer that is not the API's (a CDN refusing the method): no dev sign-in here.
      if (res.status === 404 || res.status === 405 || res.error.code === 'HttpError') {
        button.disabled = true;
        show(
          status,
          h(
            'p',
            { class: 'card error', role: 'alert', id: 'signin-unavailable' },
            '本部署没有本地开发登录，请通过统一身份认证登录；如未配置，请联系系统管理员。',
          ),
        );
        return;
      }
      for (const f of res.error.fields ?? []) {
        const key = f.field.split('.')[0] ?? '';
        if (key === 'role' || key === 'name' || key === 'regionCodes' || key === 'department')
          fail(key, f.message);
      }
      show(status, h('p', { class: 'error', role: 'alert' }, `登录未成功：${res.error.message}`));
    };

    const who: Record<Profile, string> = {
      applicant: '以申请人身份登录。本浏览器会记住您的申请人身份，下次登录仍可查看本人提交的申请。',
      workbench: '请选择身份并填写所服务的地区：待办任务按地区显示，审核决定记录您的姓名。',
      audit: '以审计人员（只读）身份登录，可检索所服务地区的案件、查看时间线和办理时限。',
      department: '以部门工作人员身份登录：查看推送给本部门的动态监测预警，并反馈处置情况。',
      payroll:
        '县级民政部门工作人员编制、审批本县的发放名册（编制人与审批人须为不同的人，名册记录您的姓名）；审计人员只读查看。',
      manage: '以系统管理员身份登录：在所管辖的地区内授予、变更、撤销工作人员的角色和管辖范围。',
    };
    const form = h(
      'form',
      { class: 'card', id: 'signin-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
      h('h2', {}, '登录'),
      notice ? h('p', { class: 'banner', id: 'signin-notice' }, notice) : null,
      unified,
      h(
        'p',
        { class: 'hint', id: 'signin-local' },
        unified
          ? '或使用本地开发登录：本地运行环境无需密码，按所选身份签发令牌。'
          : '本地开发登录：本地运行环境无需密码，按所选身份签发令牌；正式环境通过统一身份认证登录。',
      ),
      h('p', { class: 'hint' }, who[profile]),
      roleChoice,
      departmentChoice,
      h(
        'label',
        { class: 'field' },
        h('span', {}, nameRequired(profile) ? '姓名 *' : '姓名（选填）'),
        nameInput,
        errorSlot('signin-name'),
      ),
      profile === 'applicant'
        ? null
        : h(
            'label',
            { class: 'field' },
            h('span', {}, '所服务的行政区划代码 *'),
            regionsInput,
            h('small', { class: 'hint', id: 'signin-regions-hint' }, regionsHint(profile)),
            errorSlot('signin-regions'),
          ),
      h('div', { class: 'actions' }, button),
      status,
    );
    show(slot, form);
    if (started) slot.scrollIntoView({ block: 'start' });
  };

  whenUnauthorized(() => {
    forget();
    if (!document.getElementById('signin-form')) card('登录已失效，请重新登录后再试。');
  });

  const wrongRole = (session: Session) =>
    `当前登录身份为“${roleLabels[session.role]}”，本页需要以${options.accepts.map((r) => `“${roleLabels[r]}”`).join('或')}身份登录。`;

  // Nothing of the page shows until it is known who is signed in.
  for (const el of content()) el.hidden = true;
  void (async () => {
    methods = await signInMethods();
    oidcOptions = methods.oidc;
    if (methods.oidc) {
      let token: string | undefined;
      try {
        token = await finishOidcSignIn(methods.oidc);
      } catch {
        card('统一身份认证登录未完成，请重新登录。');
        return;
      }
      if (token) {
        // Who the API takes this person to be: their staff record, or an applicant.
        useMemoryToken(token);
        const me = await api<unknown>('GET', '/me');
        const session = me.ok ? sessionOf(token, me.data) : undefined;
        if (!session) {
          forget();
          card('统一身份认证登录未完成，请重新登录。');
          return;
        }
        memorySession = session;
        if (options.accepts.includes(session.role)) signedIn(session);
        else card(wrongRole(session));
        return;
      }
    }
    const session = currentSession();
    if (session && options.accepts.includes(session.role)) signedIn(session);
    else card(session ? wrongRole(session) : undefined);
  })();
}
