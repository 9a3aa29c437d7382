/**
 * A payroll run survives a SIGKILL (issue 13): `npm start`'s runtime is killed twice in the middle of
 * a county's roll — once just after the bank's return was accepted, while the reconciliation writes
 * the ledger, and once just after the next month's roll started computing — and started again on the
 * same data directory each time. The runs resume: every household is paid each month exactly once,
 * a line the bank failed is paid back (and only once) in the next roll, each failure is one task in
 * the township's inbox, and the next roll's lines are the months owed, no more.
 *
 * The households are approved through the API as a caseworker and a county officer would (township
 * review, public notice on the virtual clock, county determination), their accounts declared with
 * the application. The test talks to the child process only over HTTP.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { DevLogin } from '../../local/auth.ts';
import { ApiClient, eventually } from '../../local/client.ts';
import type { Role } from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, endOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { simulatedReturn } from '../../shared/payroll-files.ts';
import { application } from '../support/households.ts';
import { groupGone, jvmsFor, lastNoticeEnd, npmStart, readyUrl, signalGroup } from '../support/npm-start.ts';
import { validCard } from '../support/payroll.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the runtime answered; the assertions check them.
type Body = any;

const CHANGSHA = '430121';
/** Households on the roll: more than one reconciliation batch, and a few whose bank line fails. */
const HOUSEHOLDS = 24;
const FAILING = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'doudi-payroll-crash-'));
let child: ChildProcess | undefined;
let output = () => '';
let client = new ApiClient('');

afterAll(async () => {
  if (child?.pid) {
    signalGroup(child.pid, 'SIGTERM');
    for (let i = 0; i < 200 && !groupGone(child.pid); i++) await sleep(100);
  }
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(): Promise<void> {
  // Two dozen households filed and decided in seconds is over a person's rate limits, which this
  // test is not about.
  const started = npmStart(dataDir, { DOUDI_RATE_LIMIT_SCALE: '100' });
  child = started.child;
  output = started.output;
  client = new ApiClient(
    await eventually(async () => readyUrl(output()), { what: 'the runtime to be ready', timeoutMs: 90_000 }),
  );
}

/** SIGKILL to the whole group, as a power cut would; waits for DynamoDB Local's JVM to be gone. */
async function kill(): Promise<void> {
  signalGroup(child!.pid!, 'SIGKILL');
  await eventually(async () => (jvmsFor(dataDir) === '' && groupGone(child!.pid!) ? true : undefined), {
    what: 'the runtime to die',
    timeoutMs: 60_000,
    every: 100,
  });
}

const as = (role: Role, subject: string, name: string) => ({
  role,
  regionCodes: [CHANGSHA],
  subject,
  name,
});
const applicant: DevLogin = { role: 'applicant', regionCodes: [], subject: 'payroll-crash-applicant' };
const caseworker = as('townshipCaseworker', 'payroll-crash-township', '赵经办');
const preparer = as('countyOfficer', 'payroll-crash-preparer', '钱编制');
const approver = as('countyOfficer', 'payroll-crash-approver', '孙审批');
const admin: DevLogin = { role: 'admin', regionCodes: [CHANGSHA], subject: 'payroll-crash-admin' };
type Actor = DevLogin;

const ok = (actor: Actor, method: 'GET' | 'POST', path: string, body?: unknown, status = [200]) =>
  client.expect(actor, method, path, body, status);
const poll = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000) =>
  eventually(check, { what, timeoutMs, every: 200 });

const clockNow = async () => Date.parse((await ok(admin, 'GET', '/admin/clock')).now);
async function advanceTo(instant: string) {
  const minutes = Math.ceil((Date.parse(instant) - (await clockNow())) / 60_000) + 1;
  if (minutes > 0) await ok(admin, 'POST', '/admin/clock/advance', { minutes });
}

const rollIn = (rollId: string, status: string) =>
  poll(`roll ${rollId} ${status}`, async () => {
    const roll = await ok(preparer, 'GET', `/payrolls/${rollId}`);
    return roll.status === status ? roll : undefined;
  });
const paymentsOf = async (caseId: string): Promise<Body[]> =>
  (await ok(caseworker, 'GET', `/cases/${caseId}/payments`)).payments;

it('resumes a roll killed mid-way without paying a line twice', { timeout: 600_000 }, async () => {
  await start();
  // Determined early in a month that is not January, February or October (no week-long holiday
  // stretching the public notice), so the roll of the month after pays each household one month.
  let month0 = addMonthsToMonth(chinaDate(new Date(await clockNow())).slice(0, 7), 1);
  while (['01', '02', '10'].includes(month0.slice(5))) month0 = addMonthsToMonth(month0, 1);
  await advanceTo(`${month0}-03T01:00:00.000Z`);

  // ── two dozen 低保 households approved, their accounts declared with the application ──
  const households = await Promise.all(
    Array.from({ length: HOUSEHOLDS }, async (_, i) => {
      const declaration = application({ regionCode: CHANGSHA });
      const account = {
        kind: 'bankCard',
        bankName: '中国农业银行长沙县支行',
        accountNumber: validCard(100 + i),
        accountName: declaration.applicant.name,
      };
      const { applicationId, caseId } = await ok(
        applicant,
        'POST',
        '/applications',
        { ...declaration, payeeAccount: account },
        [202],
      );
      return { applicationId, caseId, monthlyAmount: 0 };
    }),
  );
  const inbox = async (kind: string): Promise<Body[]> =>
    (await ok(caseworker, 'GET', `/tasks?township=${CHANGSHA}`)).tasks.filter((t: Body) => t.kind === kind);
  const decideAll = async (kind: string, by: Actor) => {
    const tasks = await poll(`${kind} tasks`, async () => {
      const open = await inbox(kind);
      return open.length === HOUSEHOLDS ? open : undefined;
    });
    await Promise.all(
      tasks.map((t) =>
        ok(by, 'POST', `/tasks/${t.taskId}/decision`, { decision: 'approve', reasons: ['入户调查属实'] }),
      ),
    );
  };
  const applications = (status: string) =>
    poll(`applications ${status}`, async () => {
      const apps = await Promise.all(
        households.map((h) => ok(applicant, 'GET', `/applications/${h.applicationId}`)),
      );
      return apps.every((a) => a.status === status) ? apps : undefined;
    });
  await decideAll('townshipReview', caseworker);
  const noticed = await applications('publicNotice');
  await advanceTo(endOfChinaDay(lastNoticeEnd(noticed)));
  await decideAll('countyDetermination', preparer);
  const approved = await applications('approved');
  households.forEach((h, i) => {
    h.monthlyAmount = approved[i].determination.monthlyAmount;
  });
  expect(households.every((h) => h.monthlyAmount > 0)).toBe(true);

  // ── month 1: prepared, approved by another officer, paid; killed as the return is reconciled ──
  const month1 = addMonthsToMonth(month0, 1);
  await advanceTo(`${month1}-03T01:00:00.000Z`);
  const first = await ok(preparer, 'POST', '/payrolls', { regionCode: CHANGSHA, month: month1 }, [202]);
  const prepared = await rollIn(first.rollId, 'prepared');
  expect(prepared.totals.lines).toBe(HOUSEHOLDS);
  await ok(approver, 'POST', `/payrolls/${first.rollId}/decision`, { decision: 'approve' }, [202]);
  await poll('the bank file', async () => (await ok(preparer, 'GET', `/payrolls/${first.rollId}`)).bankFile);
  const link = await ok(approver, 'POST', `/payrolls/${first.rollId}/bank-file`);
  const bankFile = await (await fetch(link.url)).text();
  const failing = households.slice(0, FAILING);
  const failed = Object.fromEntries(failing.map((h) => [h.caseId, '账户已冻结']));
  await ok(
    preparer,
    'POST',
    `/payrolls/${first.rollId}/bank-return`,
    { content: simulatedReturn(bankFile, failed) },
    [202],
  );
  await kill();

  await start();
  const reconciled = await rollIn(first.rollId, 'reconciled');
  expect(reconciled.bankReturn).toMatchObject({ paid: HOUSEHOLDS - FAILING, failed: FAILING });
  for (const h of households) {
    const paid = await paymentsOf(h.caseId);
    expect(
      paid.map((p) => [p.month, p.amount]),
      h.caseId,
    ).toEqual(failing.includes(h) ? [] : [[month1, h.monthlyAmount]]);
  }
  // One task for each failed line, however many times its batch ran.
  const fixes = await poll('account fixes', async () => {
    const open = await inbox('payeeAccountFix');
    return open.length >= FAILING ? open : undefined;
  });
  expect(fixes.map((t) => t.caseId).sort()).toEqual(failing.map((h) => h.caseId).sort());

  // ── month 2: killed while the roll computes; what failed is owed back, once ──
  const month2 = addMonthsToMonth(month1, 1);
  await advanceTo(`${month2}-03T01:00:00.000Z`);
  const second = await ok(preparer, 'POST', '/payrolls', { regionCode: CHANGSHA, month: month2 }, [202]);
  expect(second.status).toBe('computing');
  await kill();

  await start();
  const resumed = await rollIn(second.rollId, 'prepared');
  expect(resumed.totals).toMatchObject({ lines: HOUSEHOLDS, months: HOUSEHOLDS + FAILING });
  const lines: Body[] = [];
  for (let page = 1; ; page++) {
    const got = await ok(preparer, 'GET', `/payrolls/${second.rollId}?page=${page}`);
    lines.push(...got.lines);
    if (lines.length >= got.totals.lines || got.lines.length === 0) break;
  }
  expect(lines).toHaveLength(HOUSEHOLDS);
  for (const h of households) {
    const line = lines.find((l) => l.caseId === h.caseId);
    expect(
      line.months.map((m: Body) => [m.month, m.backPay]),
      h.caseId,
    ).toEqual(
      failing.includes(h)
        ? [
            [month1, true],
            [month2, false],
          ]
        : [[month2, false]],
    );
  }

  signalGroup(child!.pid!, 'SIGTERM');
  await eventually(async () => (jvmsFor(dataDir) === '' ? true : undefined), {
    what: 'the runtime to stop',
    timeoutMs: 60_000,
  });
});
