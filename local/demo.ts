/**
 * `npm run demo`: three households through their lifecycles on the in-process local runtime, in
 * well under a minute of real time, each step printed in Chinese and English with the virtual date.
 *
 *   户1 张三 (长沙县) — 低保 application → township review → 公示 → county determination → paid; at its
 *       recheck the household has recovered through employment → 渐退 month by month, each month a
 *       payment record → case closed, household under 动态监测.
 *   户2 李四 (中牟县) — the township's home visit finds undeclared income → refused; the written notice
 *       with its reasons is due within 3 working days.
 *   户3 王芳 (芙蓉区) — a fire: 临时救助, a small amount at once, the paperwork task, then converted into
 *       a regular 低保 application on the same case and determined.
 *
 * Everything is driven through the HTTP API as people would (`call`, the one function every request
 * goes through, with the acting role), moving the virtual clock (`POST /admin/clock/advance`) rather
 * than waiting. What the API does not show yet (a case's status after its determination, lifecycle
 * notices) is read from the register in-process by `register`, for the end-state checks only.
 *
 * `runDemo(options)` returns a structured summary; run directly, the script exits 0 only if all
 * three households reached their expected end states.
 */

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role } from '../shared/auth.ts';
import { chinaDate } from '../shared/domain/dates.ts';
import { idCheckCharacter } from '../shared/domain/id-number.ts';
import { addMonthsToMonth, endOfChinaDay, startOfChinaDay, tierLabel } from '../shared/domain/lifecycle.ts';
import { yuanText } from '../shared/domain/money.ts';
import { devToken } from './auth.ts';
import type { Runtime } from './runtime.ts';

// ── options and summary ──────────────────────────────────────────────────────────────────────────

export interface DemoOptions {
  /** No step lines and no table (the summary is still returned). */
  quiet?: boolean;
  /** Where lines go (default: stdout). */
  log?: (line: string) => void;
  /** Longest real-time wait for any one thing to happen, in ms (default 20 s). */
  waitMs?: number;
}

export interface Check {
  what: string;
  ok: boolean;
  detail?: string;
}

export interface HouseholdSummary {
  label: string;
  name: string;
  region: string;
  caseId: string | null;
  expected: string;
  outcome: string;
  ok: boolean;
  checks: Check[];
}

export interface PaymentView {
  month: string;
  kind: string;
  amount: number;
  tier: string;
  basis: string;
}

export interface DemoSummary {
  ok: boolean;
  realMs: number;
  virtualStart: string;
  virtualEnd: string;
  households: HouseholdSummary[];
  /** 户1: approved, rechecked, gradual exit, closed under monitoring. */
  approved: {
    applicationId: string | null;
    caseId: string | null;
    tier: string | null;
    monthlyAmount: number | null;
    determinedOn: string | null;
    nextRecheckDue: string | null;
    recheck: { outcome: string | null; reasons: string[]; confirmedOn: string | null };
    gradualExit: { months: number | null; payments: PaymentView[]; total: number };
    caseStatus: string | null;
    monitoring: boolean | null;
    notices: string[];
    workflows: string[];
  };
  /** 户2: refused with reasons. */
  refused: {
    applicationId: string | null;
    caseId: string | null;
    status: string | null;
    decidedOn: string | null;
    serveBy: string | null;
    noticeTitle: string | null;
    reasons: string[];
    workflows: string[];
  };
  /** 户3: emergency aid granted at once, paperwork, converted into a regular application. */
  emergency: {
    emergencyId: string | null;
    caseId: string | null;
    status: string | null;
    requestedAmount: number;
    grantedAmount: number | null;
    grantLimit: number | null;
    paperworkDue: string | null;
    notices: string[];
    payments: PaymentView[];
    convertedTo: {
      applicationId: string;
      tier: string;
      status: string | null;
      monthlyAmount: number | null;
    } | null;
    workflows: string[];
  };
  /** Errors that stopped a household's story. */
  failures: string[];
}

// ── households ───────────────────────────────────────────────────────────────────────────────────

/** An 18-digit ID number with a correct GB 11643 check character. */
function idNumber(region: string, birth: string, serial: number): string {
  const first17 = `${region}${birth}${String(serial).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

type Income = { kind: string; monthlyAmount: number };

function member(
  name: string,
  id: string,
  relation: string,
  age: number,
  labourCapacity: 'full' | 'partial' | 'none',
  incomes: Income[] = [],
) {
  return {
    name,
    idNumber: id,
    relation,
    age,
    disabilityGrade: null,
    severeIllness: false,
    labourCapacity,
    employed: incomes.some((i) => i.kind === 'wage'),
    incomes,
  };
}

const CHANGSHA_COUNTY = '430121';
const ZHONGMOU = '410122';
const FURONG = '430102';

/** 户1: 长沙县, urban; 张三 (able to work part-time, small transfer income) and his son. */
function zhangSan(incomes: Income[]) {
  return {
    regionCode: CHANGSHA_COUNTY,
    residence: 'urban',
    applicant: { name: '张三', phone: '13800000001' },
    requestedTier: 'dibao',
    members: [
      member('张三', idNumber(CHANGSHA_COUNTY, '19800101', 101), 'self', 46, 'partial', incomes),
      member('张小明', idNumber(CHANGSHA_COUNTY, '20150601', 102), 'child', 11, 'none'),
    ],
    assets: { deposits: 2000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 1200, education: 800 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
  };
}

/** 户2: 中牟县 (Henan), urban; 李四 and his daughter, declaring only a small transfer income. */
function liSi() {
  return {
    regionCode: ZHONGMOU,
    residence: 'urban',
    applicant: { name: '李四', phone: '13800000002' },
    requestedTier: 'dibao',
    members: [
      member('李四', idNumber(ZHONGMOU, '19700505', 201), 'self', 56, 'partial', [
        { kind: 'transfer', monthlyAmount: 300 },
      ]),
      member('李小红', idNumber(ZHONGMOU, '20120909', 202), 'child', 14, 'none'),
    ],
    assets: { deposits: 3000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 600, education: 1500 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
  };
}

/** 户3: 长沙市芙蓉区; 王芳 and her son, their home burnt out. */
function wangFang(occurredOn: string) {
  return {
    regionCode: FURONG,
    hukouRegionCode: FURONG,
    residence: 'urban',
    applicant: { name: '王芳', phone: '13800000003' },
    members: [
      member('王芳', idNumber(FURONG, '19880312', 301), 'self', 38, 'partial', [
        { kind: 'transfer', monthlyAmount: 300 },
      ]),
      member('刘小宇', idNumber(FURONG, '20180720', 302), 'child', 8, 'none'),
    ],
    assets: { deposits: 800, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 500, education: 600 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
    hardship: {
      kind: 'fire',
      description: '家中失火，衣物被褥和家具烧毁，急需基本生活救助',
      occurredOn,
    },
    requestedAmount: 5000,
  };
}

// ── the one HTTP function ────────────────────────────────────────────────────────────────────────

/** Who acts: a role and, for staff, the region whose work they do (as `POST /auth/dev-login` takes it). */
export interface Actor {
  role: Role;
  regionCodes?: string[];
  subject?: string;
  name?: string;
}

/** The households' applicants sign in as one demo person, who reads only what they submitted. */
const applicant: Actor = { role: 'applicant', subject: 'demo-applicant', name: '申请人（演示）' };
const admin: Actor = { role: 'admin', regionCodes: ['000000'], subject: 'demo-admin', name: '管理员' };
const auditor: Actor = { role: 'auditor', regionCodes: ['000000'], subject: 'demo-auditor', name: '审计' };
const township = (regionCode: string): Actor => ({
  role: 'townshipCaseworker',
  regionCodes: [regionCode],
  subject: `demo-township-${regionCode}`,
  name: '乡镇经办人',
});
const county = (regionCode: string): Actor => ({
  role: 'countyOfficer',
  regionCodes: [regionCode],
  subject: `demo-county-${regionCode}`,
  name: '县民政局',
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the checks read them.
type Json = any;

class HttpError extends Error {}

/** Every request of the demo goes through here, made by `actor`, signed in. */
async function call(
  apiUrl: string,
  actor: Actor,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await devToken(apiUrl, actor)}`,
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

// ── small helpers ────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const yuan = (n: number | null | undefined) => yuanText(n ?? 0);
const rmb = (n: number | null | undefined) => `¥${(n ?? 0).toFixed(2)}`;

const tierEnglish: Record<string, string> = {
  dibao: 'minimum living allowance (dibao)',
  singlePersonDibao: 'single-person dibao',
  tekun: 'extreme-poverty support (tekun)',
  marginal: 'marginal household',
  rigidExpense: 'rigid-expense hardship household',
  emergency: 'temporary assistance',
};
const tierEn = (tier: string | null | undefined) => (tier ? (tierEnglish[tier] ?? tier) : 'none');

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

const workflowsOf = (history: Json): string[] =>
  (history?.executions ?? []).map((e: Json) => e.workflow as string);

// ── the demo ─────────────────────────────────────────────────────────────────────────────────────

interface Household {
  label: string;
  name: string;
  region: string;
}

const H1: Household = { label: '户1', name: '张三', region: '长沙县' };
const H2: Household = { label: '户2', name: '李四', region: '中牟县' };
const H3: Household = { label: '户3', name: '王芳', region: '芙蓉区' };

class Demo {
  readonly summary: DemoSummary;
  readonly #print: (line: string) => void;
  readonly #waitMs: number;

  constructor(
    readonly rt: Runtime,
    options: DemoOptions,
  ) {
    const log = options.log ?? ((line: string) => console.log(line));
    this.#print = options.quiet ? () => undefined : log;
    this.#waitMs = options.waitMs ?? 20_000;
    this.summary = {
      ok: false,
      realMs: 0,
      virtualStart: new Date().toISOString(),
      virtualEnd: '',
      households: [],
      approved: {
        applicationId: null,
        caseId: null,
        tier: null,
        monthlyAmount: null,
        determinedOn: null,
        nextRecheckDue: null,
        recheck: { outcome: null, reasons: [], confirmedOn: null },
        gradualExit: { months: null, payments: [], total: 0 },
        caseStatus: null,
        monitoring: null,
        notices: [],
        workflows: [],
      },
      refused: {
        applicationId: null,
        caseId: null,
        status: null,
        decidedOn: null,
        serveBy: null,
        noticeTitle: null,
        reasons: [],
        workflows: [],
      },
      emergency: {
        emergencyId: null,
        caseId: null,
        status: null,
        requestedAmount: 0,
        grantedAmount: null,
        grantLimit: null,
        paperworkDue: null,
        notices: [],
        payments: [],
        convertedTo: null,
        workflows: [],
      },
      failures: [],
    };
  }

  line(text: string) {
    this.#print(text);
  }

  /** One step: `[户1 张三] 2027-01-05 乡镇审核通过 — township review approved`. */
  step(h: Household, zh: string, en: string) {
    this.#print(`[${h.label} ${h.name}] ${chinaDate(new Date())} ${zh} — ${en}`);
  }

  /** A request that must answer `expect`; anything else stops the household's story. */
  async api(actor: Actor, method: 'GET' | 'POST', path: string, body?: unknown, expect = [200]) {
    const res = await call(this.rt.apiUrl, actor, method, path, body);
    if (!expect.includes(res.status)) {
      throw new HttpError(
        `${method} ${path} as ${actor.role} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body as Json;
  }

  /** Polls `check` on real time until it returns a value; `nudge` runs when nothing moves for a while. */
  async until<T>(what: string, check: () => Promise<T | undefined>, nudge?: () => Promise<void>): Promise<T> {
    const started = performance.now();
    let nudged = started;
    while (performance.now() - started < this.#waitMs) {
      const value = await check();
      if (value !== undefined) return value;
      if (nudge && performance.now() - nudged > 400) {
        await nudge();
        nudged = performance.now();
      }
      await sleep(40);
    }
    throw new Error(`timed out after ${this.#waitMs} ms of real time waiting for ${what}`);
  }

  // ── the clock (admin) ──

  async advance(minutes: number) {
    if (minutes <= 0) return;
    await this.api(admin, 'POST', '/admin/clock/advance', { minutes: Math.ceil(minutes) });
  }

  /** Moves the virtual clock just past `instant` (never back). */
  async advanceTo(instant: string | number, marginMinutes = 1) {
    const { now } = await this.api(admin, 'GET', '/admin/clock');
    const target = typeof instant === 'number' ? instant : Date.parse(instant);
    const minutes = (target - Date.parse(now)) / 60_000;
    if (minutes > -marginMinutes) await this.advance(Math.ceil(minutes) + marginMinutes);
  }

  /**
   * The runtime's sweeper runs every 5 virtual minutes, re-armed when a run ends: a jump made while
   * a sweep is running lands before the next tick, so a wait for a scheduled start nudges the clock.
   */
  readonly nudgeSweeper = () => this.advance(5);

  // ── reads ──

  application = (id: string) => this.api(applicant, 'GET', `/applications/${id}`);
  emergencyView = (id: string) => this.api(applicant, 'GET', `/emergency/${id}`);
  payments = (caseId: string) => this.api(applicant, 'GET', `/cases/${caseId}/payments`);
  history = (caseId: string) => this.api(auditor, 'GET', `/cases/${caseId}/history`);

  applicationWhen(id: string, what: string, check: (app: Json) => boolean) {
    return this.until(what, async () => {
      const app = await this.application(id);
      return check(app) ? app : undefined;
    });
  }

  task(region: string, what: string, match: (t: Json) => boolean) {
    return this.until(what, async () => {
      const { tasks } = await this.api(township(region), 'GET', `/tasks?township=${region}`);
      return (tasks as Json[]).find(match);
    });
  }

  /** The case's history once its `n`-th execution of `workflow` satisfies `check`. */
  execution(
    caseId: string,
    workflow: string,
    n: number,
    what: string,
    check: (e: Json) => boolean,
    nudge = false,
  ) {
    return this.until(
      what,
      async () => {
        const h = await this.history(caseId);
        const run = (h.executions as Json[]).filter((e) => e.workflow === workflow)[n - 1];
        return run && check(run) ? { history: h, run } : undefined;
      },
      nudge ? this.nudgeSweeper : undefined,
    );
  }

  // ── one application through review, 公示 and determination ──

  async review(h: Household, applicationId: string, region: string) {
    const task = await this.task(
      region,
      'the township review task',
      (t) => t.applicationId === applicationId && t.kind === 'townshipReview',
    );
    const mt = task.meansTest;
    this.step(
      h,
      `家庭经济状况核查：人均月收入${yuan(mt.perCapitaMonthlyIncome)}，拟认定${tierLabel(mt.tier)}，每月${yuan(mt.monthlyAmount)}`,
      `means test: per-capita income ${rmb(mt.perCapitaMonthlyIncome)}/month, proposed ${tierEn(mt.tier)} at ${rmb(mt.monthlyAmount)}/month`,
    );
    this.step(
      h,
      `乡镇审核任务进入经办人待办，${task.dueDate}前办结（按工作日计）`,
      `township review task in the caseworker's inbox, due ${task.dueDate} (working days)`,
    );
    const today = chinaDate(new Date());
    await this.api(township(region), 'POST', `/tasks/${task.taskId}/decision`, {
      decision: 'approve',
      reasons: ['入户调查与申报一致，信息核对无异常'],
      decidedBy: '乡镇经办人 赵六',
      findings: {
        homeVisit: { visitedOn: today, visitors: ['赵六', '孙七'], matchesDeclaration: true },
        verifications: [
          { source: '人社', result: 'consistent' },
          { source: '不动产登记', result: 'consistent' },
          { source: '银行存款', result: 'consistent' },
        ],
      },
    });
    this.step(
      h,
      '乡镇审核通过（2人入户调查，人社、不动产、银行存款核对一致）',
      'township review approved (home visit by two staff; employment, property and bank records consistent)',
    );

    const noticed = await this.applicationWhen(
      applicationId,
      'the public notice',
      (a) => a.status === 'publicNotice' && a.publicNotice?.status === 'open',
    );
    const { startsOn, endsOn } = noticed.publicNotice;
    this.step(
      h,
      `公示：${startsOn}至${endsOn}，在村（居）公开拟审核结果`,
      `public notice of the proposed result in the community, ${startsOn} to ${endsOn}`,
    );
    await this.advanceTo(endOfChinaDay(endsOn));
    const countyTask = await this.task(
      region,
      'the county determination task',
      (t) => t.applicationId === applicationId && t.kind === 'countyDetermination',
    );
    this.step(
      h,
      `公示期满无异议，报县级民政部门确认，${countyTask.dueDate}前办结`,
      `public notice closed without objection; county determination due ${countyTask.dueDate}`,
    );
    await this.api(county(region), 'POST', `/tasks/${countyTask.taskId}/decision`, {
      decision: 'approve',
      reasons: ['审核材料齐全，同意确认'],
      decidedBy: '县民政局 钱八',
    });
    const app = await this.applicationWhen(
      applicationId,
      'the determination',
      (a) => a.determination !== null,
    );
    if (app.status !== 'approved') throw new Error(`application ${applicationId} ended ${app.status}`);
    this.step(
      h,
      `县级民政部门确认：${tierLabel(app.tier)}，每月${yuan(app.monthlyAmount)}`,
      `county determination: ${tierEn(app.tier)} approved at ${rmb(app.monthlyAmount)}/month`,
    );
    this.step(
      h,
      `书面告知《${app.notice.title}》（${app.notice.serveBy}前送达）：${app.notice.body}`,
      `written notice of the determination, to be served by ${app.notice.serveBy}`,
    );
    return app;
  }

  // ── 户1 ──

  async household1() {
    const s = this.summary.approved;
    const submitted = await this.api(
      applicant,
      'POST',
      '/applications',
      zhangSan([{ kind: 'transfer', monthlyAmount: 200 }]),
      [202],
    );
    s.applicationId = submitted.applicationId;
    s.caseId = submitted.caseId;
    this.step(
      H1,
      '提交低保申请（自主申报，签署如实申报承诺、授权核对家庭经济状况）',
      'applied for dibao online (self-declaration, truthfulness pledge, consent to verification)',
    );
    const app = await this.review(H1, submitted.applicationId, CHANGSHA_COUNTY);
    s.tier = app.tier;
    s.monthlyAmount = app.monthlyAmount;
    s.determinedOn = chinaDate(new Date(app.determination.decidedAt));
    s.nextRecheckDue = app.determination.nextRecheckDue ?? null;
    if (!s.nextRecheckDue) throw new Error('the approval carries no first recheck date');
    await this.expectFirstRecheck(submitted.caseId);
    this.step(
      H1,
      `首次定期核查排定于${s.nextRecheckDue}`,
      `first periodic recheck scheduled for ${s.nextRecheckDue}`,
    );
  }

  /** The approval put the first recheck into the due-date index; the sweeper will start it. */
  async expectFirstRecheck(caseId: string) {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { dynamo } = await import('../shared/clients.ts');
    // The approval's last step records the determination, then schedules the recheck.
    await this.until(`case ${caseId}: the first recheck the approval schedules`, async () => {
      const { Items } = await dynamo().send(
        new QueryCommand({
          TableName: this.rt.env.CASES_TABLE!,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':s': 'SCHEDULE#Recheck#' },
          ConsistentRead: true,
        }),
      );
      return Items?.length ? true : undefined;
    });
  }

  async household1Later() {
    const s = this.summary.approved;
    const caseId = s.caseId!;
    const due = s.nextRecheckDue!;

    // A few weeks before the recheck, 张三 has found work and declares it.
    await this.advanceTo(Date.parse(startOfChinaDay(due)) - 40 * DAY_MS);
    const {
      applicant: _a,
      requestedTier: _r,
      ...declaration
    } = zhangSan([{ kind: 'wage', monthlyAmount: 3000 }]);
    await this.api(applicant, 'POST', `/cases/${caseId}/declaration`, declaration, [201]);
    this.step(
      H1,
      '张三在本地物流公司就业（月工资3000.00元），申报家庭情况变化',
      'Zhang San found a job at a local logistics firm (wage ¥3000.00/month) and declared the change',
    );

    // The recheck falls due: the sweeper starts it.
    await this.advanceTo(startOfChinaDay(due));
    await this.execution(caseId, 'Recheck', 1, 'the recheck to start', () => true, true);
    this.step(
      H1,
      '定期核查启动（最新申报，当日有效的救助参数）',
      'periodic recheck started (latest declaration, parameters in force today)',
    );
    const task = await this.task(
      CHANGSHA_COUNTY,
      'the recheck confirmation task',
      (t) => t.caseId === caseId && t.kind === 'recheckConfirmation',
    );
    s.recheck.outcome = task.recheck.outcome;
    s.recheck.reasons = task.recheck.reasons;
    this.step(
      H1,
      `核查发现变化：${task.recheck.reasons[0]}`,
      'recheck found a change: with the new job the household is above the dibao line',
    );
    if (task.recheck.outcome !== 'gradualExit') {
      throw new Error(`the recheck proposed ${task.recheck.outcome}, not a gradual exit`);
    }
    this.step(
      H1,
      `拟按就业渐退办理，确认任务进入经办人待办，${task.dueDate}前办结`,
      `proposed: gradual exit (recovered through employment); confirmation task due ${task.dueDate}`,
    );
    await this.api(township(CHANGSHA_COUNTY), 'POST', `/tasks/${task.taskId}/decision`, {
      decision: 'approve',
      reasons: ['入户核实：已稳定就业，劳动合同一年'],
      decidedBy: '乡镇经办人 赵六',
    });
    s.recheck.confirmedOn = chinaDate(new Date());
    await this.execution(
      caseId,
      'Recheck',
      1,
      'the recheck to close',
      (e) => e.status !== 'RUNNING' && e.archived,
    );
    const notices = await register.notices(caseId);
    const ge = notices.find((n) => n.kind === 'gradualExit');
    this.step(
      H1,
      `经办人确认，进入渐退期，书面告知：《${ge?.title ?? '渐退告知书'}》`,
      'caseworker confirmed: the gradual exit begins next month, with a written notice',
    );

    // 渐退: one execution per month, started by the sweeper on the 1st, each paying its month once.
    let paid = 0;
    for (let i = 1; ; i++) {
      if (i > 36) throw new Error('the gradual exit did not end within 36 months');
      await this.advanceTo(this.nextMonthStart());
      const { run } = await this.execution(
        caseId,
        'GradualExit',
        i,
        `gradual exit month ${i}`,
        (e) => (e.status !== 'RUNNING' && e.archived) || e.states.includes('WaitForMonthEnd'),
        true,
      );
      const { payments } = await this.payments(caseId);
      for (const p of (payments as PaymentView[]).slice(paid)) {
        const m = /共(\d+)个月/.exec(p.basis);
        if (m) s.gradualExit.months = Number(m[1]);
        this.step(
          H1,
          `渐退期第${paid + 1}个月（${p.month}）发放${yuan(p.amount)}：${p.basis}`,
          `gradual exit month ${paid + 1} (${p.month}): ${rmb(p.amount)} paid and recorded`,
        );
        paid++;
      }
      if (run.states.includes('WaitForMonthEnd')) break;
    }
    await this.advanceTo(this.nextMonthStart());
    await this.execution(
      caseId,
      'GradualExit',
      paid,
      'the gradual exit to end',
      (e) => e.status !== 'RUNNING' && e.archived && e.states.includes('Exit'),
    );
    const item = await register.caseItem(caseId);
    const exit = (await register.notices(caseId)).find((n) => n.kind === 'exit');
    this.step(
      H1,
      `渐退期满，停发并办结，纳入低收入人口动态监测（${String(item?.nextMonitoringDue ?? '一年后')}前后复查）`,
      `gradual exit over: payments stop, case closed, household stays under monitoring (follow-up around ${String(item?.nextMonitoringDue ?? 'a year on')})`,
    );
    if (exit) this.step(H1, `书面告知：《${exit.title}》`, `written notice "${exit.title}"`);
  }

  /** The next first-of-month in China time after now. */
  nextMonthStart(): string {
    const month = chinaDate(new Date()).slice(0, 7);
    return startOfChinaDay(`${addMonthsToMonth(month, 1)}-01`);
  }

  // ── 户2 ──

  async household2() {
    const s = this.summary.refused;
    const submitted = await this.api(applicant, 'POST', '/applications', liSi(), [202]);
    s.applicationId = submitted.applicationId;
    s.caseId = submitted.caseId;
    this.step(H2, '提交低保申请（自主申报）', 'applied for dibao online (self-declaration)');
    const task = await this.task(
      ZHONGMOU,
      'the township review task',
      (t) => t.applicationId === submitted.applicationId && t.kind === 'townshipReview',
    );
    this.step(
      H2,
      `家庭经济状况核查（按申报）：人均月收入${yuan(task.meansTest.perCapitaMonthlyIncome)}；乡镇审核${task.dueDate}前办结`,
      `means test on the declaration: per-capita income ${rmb(task.meansTest.perCapitaMonthlyIncome)}/month; township review due ${task.dueDate}`,
    );
    const today = chinaDate(new Date());
    await this.api(township(ZHONGMOU), 'POST', `/tasks/${task.taskId}/decision`, {
      decision: 'reject',
      reasons: ['家庭成员隐瞒经营收入，实际人均收入高于当地低保标准'],
      decidedBy: '乡镇经办人 周九',
      findings: {
        homeVisit: {
          visitedOn: today,
          visitors: ['周九', '吴十'],
          matchesDeclaration: false,
          notes: '家中经营小卖部，月营业收入约6000元',
        },
        verifications: [{ source: '市场监管', result: 'inconsistent', notes: '申请人名下有个体工商户' }],
      },
    });
    this.step(
      H2,
      '入户调查发现隐瞒经营收入，乡镇审核不同意',
      'home visit found undeclared business income; township review refused',
    );
    const app = await this.applicationWhen(
      submitted.applicationId,
      'the refusal',
      (a) => a.determination !== null,
    );
    s.status = app.status;
    s.decidedOn = chinaDate(new Date(app.determination.decidedAt));
    s.serveBy = app.notice?.serveBy ?? null;
    s.noticeTitle = app.notice?.title ?? null;
    s.reasons = app.notice?.reasons ?? [];
    this.step(
      H2,
      `不予确认，书面告知《${s.noticeTitle}》须于${s.serveBy}前送达（决定后3个工作日内）`,
      `refused; the written notice with reasons must be served by ${s.serveBy} (3 working days after the decision)`,
    );
    s.reasons.forEach((reason, i) => {
      this.step(H2, `理由${i + 1}：${reason}`, `reason ${i + 1} as written in the notice`);
    });
  }

  // ── 户3 ──

  async household3() {
    const s = this.summary.emergency;
    const request = wangFang(chinaDate(new Date()));
    s.requestedAmount = request.requestedAmount;
    const submitted = await this.api(applicant, 'POST', '/emergency', request, [202]);
    s.emergencyId = submitted.emergencyId;
    s.caseId = submitted.caseId;
    this.step(
      H3,
      `家中失火，向急难发生地芙蓉区申请临时救助${yuan(request.requestedAmount)}`,
      `home destroyed by fire; applied for temporary assistance of ${rmb(request.requestedAmount)} where it happened`,
    );
    // Nothing is paid before a caseworker decides: the street office decides the same day.
    const review = await this.task(
      FURONG,
      'the grant review',
      (t) => t.caseId === submitted.caseId && t.kind === 'emergencyGrant',
    );
    await this.api(township(FURONG), 'POST', `/tasks/${review.taskId}/decision`, {
      decision: 'approve',
      reasons: ['家中失火，基本生活无着，情况紧急'],
      amount: review.emergency.maxAmount,
    });
    const view = await this.until('the emergency grant', async () => {
      const v = await this.emergencyView(submitted.emergencyId);
      return v.status === 'granted' ? v : undefined;
    });
    s.grantedAmount = view.grant.amount;
    s.grantLimit = view.grant.limit;
    s.paperworkDue = view.paperwork.dueDate;
    this.step(
      H3,
      `经办人当日决定先行救助：发放${yuan(view.grant.amount)}（当地先行救助上限${yuan(view.grant.limit)}）`,
      `the caseworker decided the same day to pay first: ${rmb(view.grant.amount)} (local limit ${rmb(view.grant.limit)})`,
    );
    const task = await this.task(
      FURONG,
      'the paperwork task',
      (t) => t.caseId === submitted.caseId && t.kind === 'emergencyPaperwork',
    );
    this.step(
      H3,
      `补办手续任务进入经办人待办，${task.dueDate}前办结`,
      `paperwork task in the caseworker's inbox, due ${task.dueDate}`,
    );

    // Two days later the caseworker has the papers: the household needs regular assistance.
    await this.advance(2 * 24 * 60);
    await this.api(township(FURONG), 'POST', `/emergency/${submitted.emergencyId}/paperwork`, {
      decision: 'approve',
      reasons: ['手续齐全，经核实家中失火属实', '家庭长期困难，转为低保申请'],
      convertTo: 'dibao',
      decidedBy: '街道经办人 郑一',
    });
    const converted = await this.until('the conversion', async () => {
      const v = await this.emergencyView(submitted.emergencyId);
      return v.status === 'converted' ? v : undefined;
    });
    const { applicationId, tier } = converted.convertedTo;
    s.convertedTo = { applicationId, tier, status: null, monthlyAmount: null };
    this.step(
      H3,
      `补办手续齐全，先行救助予以确认；转为${tierLabel(tier)}申请（同一案件）`,
      `paperwork complete, the aid confirmed; converted into a regular ${tierEn(tier)} application on the same case`,
    );
    const app = await this.review(H3, applicationId, FURONG);
    s.convertedTo = { applicationId, tier, status: app.status, monthlyAmount: app.monthlyAmount };
  }

  // ── end states, checked ──

  /**
   * Runs one household's checks; an error while checking is a failed check, so the table always
   * has its three rows.
   */
  async #verifyOne(
    h: Household,
    caseId: () => string | null,
    expected: string,
    body: (check: (what: string, ok: boolean, detail?: string) => void) => Promise<string>,
  ): Promise<HouseholdSummary> {
    const checks: Check[] = [];
    const check = (what: string, ok: boolean, detail?: string) =>
      checks.push({ what, ok, ...(detail !== undefined ? { detail } : {}) });
    let outcome = '未完成 — incomplete';
    try {
      outcome = await body(check);
    } catch (error) {
      check('verification ran', false, (error as Error).message);
    }
    return {
      ...h,
      caseId: caseId(),
      expected,
      outcome,
      ok: checks.length > 0 && checks.every((c) => c.ok),
      checks,
    };
  }

  async verify() {
    const sum = this.summary;
    const a = sum.approved;
    const r = sum.refused;
    const e = sum.emergency;
    sum.households = [
      await this.#verifyOne(
        H1,
        () => a.caseId,
        '确认低保 → 就业渐退 → 办结、动态监测',
        async (check) => {
          if (!a.caseId || !a.applicationId) throw new Error('the application was not submitted');
          const app = await this.application(a.applicationId);
          check(
            'application approved as dibao',
            app.status === 'approved' && app.tier === 'dibao',
            app.status,
          );
          check(
            'recheck proposed a gradual exit',
            a.recheck.outcome === 'gradualExit',
            String(a.recheck.outcome),
          );
          const { payments, total } = await this.payments(a.caseId);
          a.gradualExit.payments = payments;
          a.gradualExit.total = total;
          const months = a.gradualExit.months ?? 0;
          const first = a.recheck.confirmedOn ? addMonthsToMonth(a.recheck.confirmedOn.slice(0, 7), 1) : '';
          const expected = Array.from({ length: months }, (_, i) => addMonthsToMonth(first, i));
          check('a gradual exit of at least one month', months > 0, String(months));
          check(
            'one gradual-exit payment per month from the month after the recheck, at the determined amount',
            payments.length === months &&
              (payments as PaymentView[]).every(
                (p, i) => p.kind === 'gradualExit' && p.month === expected[i] && p.amount === a.monthlyAmount,
              ),
            (payments as PaymentView[]).map((p) => `${p.month}:${p.kind}:${p.amount}`).join(' '),
          );
          const history = await this.history(a.caseId);
          a.workflows = workflowsOf(history);
          const runs = history.executions as Json[];
          check(
            'chain Application → Recheck → GradualExit × n, every execution succeeded and archived',
            JSON.stringify(a.workflows) ===
              JSON.stringify(['Application', 'Recheck', ...Array(months).fill('GradualExit')]) &&
              runs.every((x) => x.status === 'SUCCEEDED' && x.archived),
            a.workflows.join(' → '),
          );
          check('the last month closed the case', runs.at(-1)?.states.at(-1) === 'Exit');
          const item = await register.caseItem(a.caseId);
          a.caseStatus = (item?.status as string | undefined) ?? null;
          a.monitoring = (item?.monitoring as boolean | undefined) ?? null;
          check(
            'case closed (exited) and under monitoring',
            a.caseStatus === 'exited' && a.monitoring === true,
            `${a.caseStatus} monitoring=${a.monitoring}`,
          );
          a.notices = (await register.notices(a.caseId)).map((n) => n.kind).sort();
          check(
            'notices: approval, gradual exit, exit',
            ['approval', 'gradualExit', 'exit'].every((k) => a.notices.includes(k)),
            a.notices.join(', '),
          );
          return a.caseStatus === 'exited'
            ? `渐退${months}个月（合计${yuan(total)}）后办结，监测中 — exited, monitored`
            : `未完成 — ${a.caseStatus ?? 'incomplete'}`;
        },
      ),

      await this.#verifyOne(
        H2,
        () => r.caseId,
        '不予确认，3个工作日内书面告知理由',
        async (check) => {
          if (!r.caseId || !r.applicationId) throw new Error('the application was not submitted');
          const app = await this.application(r.applicationId);
          check('application refused', app.status === 'refused', app.status);
          check('refusal notice', app.notice?.kind === 'refusal', String(app.notice?.kind));
          check(
            'the township’s reasons and findings are in the notice',
            r.reasons.some((x) => x.includes('隐瞒经营收入')) &&
              r.reasons.some((x) => x.includes('入户调查')) &&
              r.reasons.some((x) => x.includes('市场监管')),
            r.reasons.join(' | '),
          );
          if (!r.decidedOn) throw new Error('no decision recorded');
          const { calendar, parametersFor } = await import('../shared/repositories/parameters.ts');
          const limit = (await parametersFor(ZHONGMOU, 'urban', r.decidedOn)).timeLimits
            .refusalNoticeWorkingDays;
          const serveBy = (await calendar()).provisionalDeadline(r.decidedOn, limit).deadline;
          check(
            `notice due within ${limit} working days of the decision`,
            limit === 3 && r.serveBy === serveBy,
            `${r.decidedOn} → ${r.serveBy}`,
          );
          const { payments } = await this.payments(r.caseId);
          check('nothing paid', payments.length === 0);
          const history = await this.history(r.caseId);
          r.workflows = workflowsOf(history);
          check(
            'one application execution, ended in a refusal',
            r.workflows.length === 1 &&
              history.executions[0].status === 'SUCCEEDED' &&
              history.executions[0].states.includes('DetermineRefusal'),
            r.workflows.join(' → '),
          );
          return app.status === 'refused'
            ? `不予确认，${r.reasons.length}条理由，${r.serveBy}前告知 — refused`
            : `未完成 — ${app.status}`;
        },
      ),

      await this.#verifyOne(
        H3,
        () => e.caseId,
        '先行救助 → 补办手续 → 转为低保申请并确认',
        async (check) => {
          if (!e.caseId || !e.emergencyId) throw new Error('the emergency was not submitted');
          const view = await this.emergencyView(e.emergencyId);
          e.status = view.status;
          e.notices = (view.notices as Json[]).map((n) => n.kind as string).sort();
          check('emergency converted into a regular application', view.status === 'converted', view.status);
          check(
            'paid first by a caseworker: the amount asked, up to the local limit',
            e.grantedAmount !== null &&
              e.grantLimit !== null &&
              e.grantedAmount === Math.min(e.requestedAmount, e.grantLimit) &&
              e.grantedAmount > 0,
            `${e.grantedAmount} of ${e.requestedAmount} (limit ${e.grantLimit})`,
          );
          check(
            'notices: grant and conversion',
            e.notices.includes('emergencyGrant') && e.notices.includes('emergencyConverted'),
            e.notices.join(', '),
          );
          const { payments } = await this.payments(e.caseId);
          e.payments = payments;
          check(
            'one emergency payment, the amount granted',
            payments.length === 1 &&
              payments[0].kind === 'emergencyGrant' &&
              payments[0].amount === e.grantedAmount,
            (payments as PaymentView[]).map((p) => `${p.month}:${p.kind}:${p.amount}`).join(' '),
          );
          if (!e.convertedTo) throw new Error('not converted');
          const app = await this.application(e.convertedTo.applicationId);
          e.convertedTo.status = app.status;
          check(
            'the converted application approved, on the same case',
            app.status === 'approved' && app.caseId === e.caseId && app.tier === e.convertedTo.tier,
            `${app.status} ${app.tier}`,
          );
          const history = await this.history(e.caseId);
          e.workflows = workflowsOf(history);
          check(
            'chain Emergency → Application, both succeeded',
            JSON.stringify(e.workflows.slice(0, 2)) === JSON.stringify(['Emergency', 'Application']) &&
              (history.executions as Json[]).slice(0, 2).every((x) => x.status === 'SUCCEEDED'),
            e.workflows.join(' → '),
          );
          return view.status === 'converted'
            ? `先行救助${yuan(e.grantedAmount)} → 转为${tierLabel(e.convertedTo.tier)}，${app.status === 'approved' ? `每月${yuan(app.monthlyAmount)}` : '未确认'} — converted`
            : `未完成 — ${view.status}`;
        },
      ),
    ];
  }

  table() {
    const sum = this.summary;
    const rows = [
      ['户 household', '户主 head', '地区 region', '预期 expected', '结果 outcome', '核对 check'],
      ...sum.households.map((h) => [
        h.label,
        h.name,
        h.region,
        h.expected,
        h.outcome,
        h.ok ? '✓ 通过 ok' : '✗ 未通过 FAILED',
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i]!))));
    this.line('');
    this.line('汇总 Summary');
    for (const [i, r] of rows.entries()) {
      this.line(
        r
          .map((c, j) => pad(c, widths[j]!))
          .join('  ')
          .trimEnd(),
      );
      if (i === 0) this.line(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    for (const h of sum.households)
      for (const c of h.checks.filter((x) => !x.ok))
        this.line(`  ✗ ${h.label} ${c.what}${c.detail ? `: ${c.detail}` : ''}`);
    for (const f of sum.failures) this.line(`  ✗ ${f}`);
    this.line(
      `虚拟时间 virtual time ${chinaDate(new Date(sum.virtualStart))} → ${chinaDate(new Date(sum.virtualEnd))}；` +
        `实际用时 real time ${(sum.realMs / 1000).toFixed(1)} s；` +
        (sum.ok
          ? '三户均达到预期 all three households reached their expected end states'
          : '未全部达到预期 NOT all end states reached'),
    );
  }
}

/** What the HTTP API does not show yet: the case item and its lifecycle notices, read in-process. */
const register = {
  async caseItem(caseId: string): Promise<Record<string, unknown> | undefined> {
    const { getCaseItem } = await import('../shared/repositories/lifecycle.ts');
    return getCaseItem(caseId);
  },
  async notices(caseId: string): Promise<Array<{ kind: string; title: string; body: string }>> {
    const { listNotices } = await import('../shared/repositories/cases.ts');
    return (await listNotices(caseId)) as unknown as Array<{ kind: string; title: string; body: string }>;
  },
};

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  // Handler logs and EMF metrics would interleave with the story; set before the handlers load.
  process.env.LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // The SDK warns on every SendMessage that the queue URL's host (`sqs.<region>.localhost`) is not the
  // endpoint's (127.0.0.1); both are loopback, and the warning says nothing about the story.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('differs from SQSClient resolved endpoint')) return;
    warn(...args);
  };
  const started = performance.now();
  const { startRuntime } = await import('./runtime.ts');
  const { clockStartFromEnv } = await import('./clock.ts');
  const rt = await startRuntime({ dataDir: null, port: 0, startAt: clockStartFromEnv() }).catch((error) => {
    console.warn = warn;
    throw error;
  });
  const demo = new Demo(rt, options);
  const sum = demo.summary;
  sum.virtualStart = new Date().toISOString();
  demo.line(
    `兜底 doudi 演示：三户家庭的救助全过程 — three households through their lifecycles (${rt.apiUrl})`,
  );
  const phase = async (h: Household, fn: () => Promise<void>) => {
    try {
      await fn();
      return true;
    } catch (error) {
      const message = `${h.label} ${h.name}: ${(error as Error).message}`;
      sum.failures.push(message);
      demo.line(`[${h.label} ${h.name}] ✗ ${(error as Error).message}`);
      return false;
    }
  };
  try {
    const h1 = await phase(H1, () => demo.household1());
    await phase(H2, () => demo.household2());
    await phase(H3, () => demo.household3());
    if (h1) await phase(H1, () => demo.household1Later());
    await demo.verify();
    sum.virtualEnd = new Date().toISOString();
    sum.realMs = performance.now() - started;
    sum.ok = sum.failures.length === 0 && sum.households.length === 3 && sum.households.every((h) => h.ok);
    demo.table();
  } finally {
    await rt.stop();
    console.warn = warn;
  }
  sum.realMs = performance.now() - started;
  return sum;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  runDemo()
    .then((summary) => process.exit(summary.ok ? 0 : 1))
    .catch((error) => {
      console.error('演示失败 demo failed:', error);
      process.exit(1);
    });
}
