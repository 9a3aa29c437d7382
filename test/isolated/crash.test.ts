/**
 * Crash safety of the local runtime (issue 4): `npm start`'s runtime, holding 101 cases spread over
 * every stage of their lifecycle, is killed with SIGKILL, started again on the same data directory,
 * and every case is driven to its end: one determination per application, one notice per decision,
 * exactly the payments due (a gradual exit one `PAY#<month>` per month of its period, an emergency
 * its small amount paid first and, where more was asked and the county granted it, the amount
 * assessed), the right final status, every execution's history written once.
 *
 * At the crash (virtual time: the runtime's own clock, moved through `POST /admin/clock/advance`):
 *
 *   applications  waiting for the township (21: 4 decisions in flight, 2 decided but not yet told
 *                 to their workflow), in public notice (8), waiting for the county (8), approved (6),
 *                 refused (16)
 *   rechecks      waiting for the caseworker to confirm a change (6: to adjust, to terminate, to be
 *                 turned down); just started by the sweeper (6: the kill lands on the sweep)
 *   gradual exits mid-way (4: 中牟县, 12 months, 6 paid); in their last month (4: 长沙县, 6 months,
 *                 all paid, the execution waiting for the month to end)
 *   emergencies   granted, the paperwork task open (16: to be completed — the county then assesses
 *                 the 2,000 asked beyond the 1,000 paid first and grants 1,500 — or refused);
 *                 paperwork decided with a conversion into a regular application (6: 3 landed, 3 in
 *                 flight)
 *
 * The story runs over two years of virtual time, laid out so that nothing falls due by accident:
 * households whose later rechecks must not come inside the run have stable incomes (yearly
 * rechecks), and no clock jump passes a human task's due date. The test talks to the child process
 * only over HTTP (`call`, with the acting person) and, for what the API does not show (notices,
 * schedules, case items, tasks) and for cheap polling, to its DynamoDB Local endpoint.
 * `CRASH_TEST_TRACE=1` prints each wait with its time.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, expect, it, onTestFailed } from 'vitest';
import { REDELIVERY_GRACE_MS } from '../../functions/steps/redeliver.ts';
import { ApiClient, eventually } from '../../local/client.ts';
import type { Role } from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, endOfChinaDay, monthStartsAt } from '../../shared/domain/lifecycle.ts';
import { undeliveredIndexKeys } from '../../shared/repositories/cases.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';
import { application, validId } from '../support/households.ts';
import { groupGone, jvmsFor, lastNoticeEnd, npmStart, readyUrl, signalGroup } from '../support/npm-start.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies and items are whatever the runtime answered; the assertions check them.
type Body = any;

const TABLE = 'doudi-cases';
const dataDir = mkdtempSync(join(tmpdir(), 'doudi-crash-'));
let child: ChildProcess | undefined;
let output = () => '';

afterAll(async () => {
  if (child?.pid) {
    signalGroup(child.pid, 'SIGTERM');
    // The runtime writes to its data directory until it has stopped.
    for (let i = 0; i < 200 && !groupGone(child.pid); i++) await sleep(100);
  }
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

const t0 = performance.now();
/** Each wait, with when it began: printed as it goes with CRASH_TEST_TRACE=1, and on a failure. */
const trace: string[] = [];
const mark = (what: string) => {
  trace.push(`[crash +${((performance.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  if (process.env.CRASH_TEST_TRACE) console.log(trace.at(-1));
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `what` on real time (this process's clock is not the runtime's), marking it in the trace. */
function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; every?: number } = {},
): Promise<T> {
  mark(what);
  return eventually(check, { what, every: 100, ...options });
}

/** The runtime as `npm start` runs it, in its own process group so that one SIGKILL takes it all. */
async function start(): Promise<{ api: string; dynamo: string }> {
  // A hundred and one households submitted and decided within a minute by one applicant and one
  // caseworker is a load test's pace, not a person's: over the rate limits, which this test is not about.
  const started = npmStart(dataDir, { DOUDI_RATE_LIMIT_SCALE: '100' });
  child = started.child;
  output = started.output;
  const api = await poll('the runtime to be ready', async () => readyUrl(output()), {
    timeoutMs: 60_000,
  });
  const dynamo = /DynamoDB Local\s+(http:\/\/\S+)/.exec(output())![1]!;
  mark('ready');
  return { api, dynamo };
}

// ── who acts, and the one function every request goes through ────────────────────────────────────

const CHANGSHA = '430121'; // 长沙县: 6-month gradual exit
const ZHONGMOU = '410122'; // 中牟县: 12-month gradual exit
const FURONG = '430102'; // 长沙市芙蓉区: where the emergencies happen
const REGIONS = [CHANGSHA, ZHONGMOU, FURONG];

const as = (role: Role, regionCodes: string[] = []) => ({ role, regionCodes, subject: `crash-test-${role}` });
const applicant = as('applicant');
const caseworker = as('townshipCaseworker', REGIONS);
const countyOfficer = as('countyOfficer', REGIONS);
const auditor = as('auditor', REGIONS);
const admin = as('admin', REGIONS);
type Actor = ReturnType<typeof as>;

/** Every request goes to the runtime started last; tokens are signed again after a restart. */
let client = new ApiClient('');
const call = (actor: Actor, method: 'GET' | 'POST', path: string, body?: unknown) =>
  client.call(actor, method, path, body);
const ok = (actor: Actor, method: 'GET' | 'POST', path: string, body?: unknown, status = [200]) =>
  client.expect(actor, method, path, body, status);

// ── households ───────────────────────────────────────────────────────────────────────────────────

type Income = ApplicationRequest['members'][number]['incomes'];
const transfer = (monthlyAmount: number): Income => [{ kind: 'transfer', monthlyAmount }];

/**
 * A 低保 household of `region`: `partial` labour capacity means an unstable income (rechecked every
 * 6 months), `none` a stable one (every 12 months).
 */
function household(region: string, labour: 'partial' | 'none', incomes: Income = transfer(200)) {
  const h = application({ regionCode: region });
  return {
    ...h,
    members: [
      { ...h.members[0]!, labourCapacity: labour, incomes, employed: incomes.some((i) => i.kind === 'wage') },
      ...h.members.slice(1),
    ],
  };
}

/** A 中牟县 household in hardship in 芙蓉区, stable (a conversion is rechecked after a year). */
function emergencyRequest(occurredOn: string) {
  const { requestedTier: _r, ...declaration } = household(FURONG, 'none', transfer(300));
  return {
    ...declaration,
    hukouRegionCode: ZHONGMOU,
    // Other people every time (one open emergency a person), with Henan ID numbers.
    members: declaration.members.map((m) => ({
      ...m,
      idNumber: validId(ZHONGMOU, m.idNumber.slice(6, 14), Number(m.idNumber.slice(14, 17))),
    })),
    hardship: { kind: 'accident', description: '务工途中遭遇交通事故，急需医疗费用', occurredOn },
    requestedAmount: 3000,
  };
}

// ── the cases ────────────────────────────────────────────────────────────────────────────────────

type Group =
  | 'township'
  | 'notice'
  | 'county'
  | 'done'
  | 'refused'
  | 'recheckTask'
  | 'recheckStarted'
  | 'exitMid'
  | 'exitEnd'
  | 'paperwork'
  | 'conversion';

/** Cases per stage at the crash: 101 in all. */
const COUNTS: Record<Group, number> = {
  township: 21,
  notice: 8,
  county: 8,
  done: 6,
  refused: 16,
  recheckTask: 6,
  recheckStarted: 6,
  exitMid: 4,
  exitEnd: 4,
  paperwork: 16,
  conversion: 6,
};

interface Case {
  group: Group;
  /** Within the group: what happens to it (decision in flight, outcome proposed, …). */
  variant: string;
  caseId: string;
  region: string;
  /** The application; for an emergency, the converted application once there is one. */
  applicationId?: string;
  emergencyId?: string;
  /** The amount the county determined. */
  monthlyAmount?: number;
  /** The amount a recheck proposes. */
  proposedAmount?: number;
}

it('finishes every case of every stage exactly once after a SIGKILL', { timeout: 600_000 }, async () => {
  onTestFailed(() => console.log(`where the crash test was:\n${trace.slice(-15).join('\n')}`));
  const startedAt = performance.now();
  let { api, dynamo } = await start();
  client = new ApiClient(api);
  let db = documents(dynamo);

  // ── the clock ──

  const clockNow = async () => Date.parse((await ok(admin, 'GET', '/admin/clock')).now);
  const advance = (minutes: number) =>
    ok(admin, 'POST', '/admin/clock/advance', { minutes: Math.max(1, Math.ceil(minutes)) });
  /** Moves the virtual clock just past `instant` (never back). */
  const advanceTo = async (instant: string, marginMinutes = 1) => {
    const minutes = (Date.parse(instant) - (await clockNow())) / 60_000;
    if (minutes > -marginMinutes) await advance(minutes + marginMinutes);
  };
  /** The sweeper ticks every 5 virtual minutes: a wait for a scheduled start moves the clock on. */

  // ── reads: the API for what it shows, the table for what it does not (and for cheap polling) ──

  const query = async (pk: string, prefix: string): Promise<Body[]> =>
    (
      await db.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': pk, ':s': prefix },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  /** The items under these keys, in their order (undefined where there is none). */
  const items = async (keys: Array<{ pk: string; sk: string }>): Promise<Array<Body | undefined>> => {
    const found = new Map<string, Body>();
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, Body> = {
        [TABLE]: { Keys: keys.slice(i, i + 100), ConsistentRead: true },
      };
      while (Object.keys(request).length) {
        const out = await db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[TABLE] ?? []) found.set(`${item.pk}|${item.sk}`, item);
        request = out.UnprocessedKeys ?? {};
      }
    }
    return keys.map((k) => found.get(`${k.pk}|${k.sk}`));
  };
  /** Polls the items of `key(case)` until `check` holds for every one; returns them. */
  const itemsWhen = (
    what: string,
    cases: Case[],
    key: (c: Case) => { pk: string; sk: string },
    check: (item: Body) => boolean,
  ) =>
    poll(`${what} (${cases.length} cases)`, async () => {
      const found = await items(cases.map(key));
      if (found.every((x) => x !== undefined && check(x))) return found as Body[];
      // What a timeout reports: the cases not there yet, and where they are.
      const lagging = found.flatMap((x, i) =>
        x !== undefined && check(x)
          ? []
          : [`${cases[i]!.group}/${cases[i]!.variant} ${cases[i]!.caseId}: ${x?.status ?? 'no item'}`],
      );
      throw new Error(`${lagging.length} not yet — ${lagging.slice(0, 5).join('; ')}`);
    });
  const appKey = (c: Case) => ({ pk: `APP#${c.applicationId}`, sk: 'APP' });
  const caseKey = (c: Case) => ({ pk: `CASE#${c.caseId}`, sk: 'CASE' });
  const emergencyKey = (c: Case) => ({ pk: `EMERG#${c.emergencyId}`, sk: 'EMERG' });
  const scheduleKey = (workflow: string, dueAt: string) => (c: Case) => ({
    pk: `CASE#${c.caseId}`,
    sk: `SCHEDULE#${workflow}#${dueAt}`,
  });

  const statusIs = (cases: Case[], status: string) =>
    itemsWhen(`applications ${status}`, cases, appKey, (a) => a.status === status);
  /** The schedule of `workflow` due at `dueAt`, once the sweeper has started it (the clock's jump runs it). */
  const startedAll = (cases: Case[], workflow: string, dueAt: string) =>
    itemsWhen(
      `${workflow} started by the sweeper`,
      cases,
      scheduleKey(workflow, dueAt),
      (s) => s.status === 'started',
    );
  const scheduledAll = (cases: Case[], workflow: string, dueAt: string) =>
    itemsWhen(`${workflow} scheduled`, cases, scheduleKey(workflow, dueAt), (s) => s.status === 'pending');
  /** The case's pending schedule of `workflow` (one per case). */
  const pendingOf = (cases: Case[], workflow: string) =>
    poll(`a pending ${workflow} (${cases.length} cases)`, async () => {
      const found = await Promise.all(
        cases.map(async (c) =>
          (await query(`CASE#${c.caseId}`, `SCHEDULE#${workflow}#`)).find((s) => s.status === 'pending'),
        ),
      );
      return found.every(Boolean) ? (found as Body[]) : undefined;
    });
  const history = async (c: Case): Promise<Body[]> =>
    (await ok(auditor, 'GET', `/cases/${c.caseId}/history`)).executions;
  const runsWhen = (what: string, cases: Case[], check: (executions: Body[]) => boolean) =>
    poll(
      `${what} (${cases.length} cases)`,
      async () => {
        const found = await Promise.all(cases.map(history));
        return found.every(check) ? found : undefined;
      },
      { every: 300 },
    );

  const inbox = async (region: string): Promise<Body[]> =>
    (await ok(caseworker, 'GET', `/tasks?township=${region}`)).tasks;
  /** The open task of `kind` of each case (found by its application, or by the case for lifecycle tasks). */
  const tasksOf = (cases: Case[], kind: string, by: 'applicationId' | 'caseId' = 'applicationId') =>
    poll(
      `${kind} tasks (${cases.length} cases)`,
      async () => {
        const regions = [...new Set(cases.map((c) => c.region))];
        const open = (await Promise.all(regions.map(inbox))).flat().filter((t) => t.kind === kind);
        const found = cases.map((c) => open.find((t) => t[by] === c[by]));
        return found.every(Boolean) ? (found as Body[]) : undefined;
      },
      { every: 200 },
    );
  const decide = (task: Body, decision: 'approve' | 'reject', extra: Record<string, unknown> = {}) =>
    ok(
      task.kind === 'countyDetermination' || task.kind === 'emergencyAssessment' ? countyOfficer : caseworker,
      'POST',
      `/tasks/${task.taskId}/decision`,
      { decision, reasons: decision === 'reject' ? ['入户调查发现隐瞒收入'] : ['核实属实'], ...extra },
    );
  const decideAll = (tasks: Body[], decision: 'approve' | 'reject') =>
    Promise.all(tasks.map((t) => decide(t, decision)));
  /**
   * 听取意见: the households answer the hearings their rechecks opened (a reduction, an exit, an end
   * is put to them first), once each hearing's wait has begun.
   */
  const hearAll = async (cases: Case[]) => {
    await poll(
      `hearings open (${cases.length} cases)`,
      async () => {
        const hearings = await Promise.all(cases.map((c) => query(`CASE#${c.caseId}`, 'HEARING#')));
        return hearings.every((h) => h.some((x) => x.status === 'open' && x.taskToken)) ? true : undefined;
      },
      { every: 200 },
    );
    for (const r of await Promise.all(
      cases.map((c) => call(applicant, 'POST', `/cases/${c.caseId}/hearing`, { opinion: 'agree' })),
    ))
      expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  /** Waits for the cases' public notices and moves the clock past the last one's end. */
  const passNotices = async (cases: Case[]) => {
    const noticed = await statusIs(cases, 'publicNotice');
    await advanceTo(endOfChinaDay(lastNoticeEnd(noticed)));
  };
  /** The determined amount of each case's application. */
  const determined = async (cases: Case[]) => {
    for (const [c, app] of zip(cases, await statusIs(cases, 'approved')))
      c.monthlyAmount = app.determination.monthlyAmount;
  };

  async function submit(group: Group, declaration: () => ApplicationRequest) {
    return Promise.all(
      Array.from({ length: COUNTS[group] }, async (): Promise<Case> => {
        const d = declaration();
        const { applicationId, caseId } = await ok(applicant, 'POST', '/applications', d, [202]);
        return { group, variant: '', caseId, applicationId, region: d.regionCode };
      }),
    );
  }
  const declare = (c: Case, incomes: Income, labour: 'partial' | 'none') => {
    const { applicant: _a, requestedTier: _r, ...rest } = household(c.region, labour, incomes);
    return ok(applicant, 'POST', `/cases/${c.caseId}/declaration`, rest, [201]);
  };

  // ── 0. The story starts on the 3rd of a month, so that no month ends where it must not, and every
  // public notice falls in that month of the year: not one whose week-long holiday would stretch a
  // notice or a deadline.
  let month0 = addMonthsToMonth(chinaDate(new Date(await clockNow())).slice(0, 7), 1);
  while (['01', '02', '10'].includes(month0.slice(5))) month0 = addMonthsToMonth(month0, 1);
  await advanceTo(`${month0}-03T01:00:00.000Z`); // 09:00 in China

  // ── 1. The households whose lifecycle goes on are approved in month 0: those that will leave
  // through a gradual exit around the 11th, the stable ones on the 15th and 16th ──
  const exitEnd = await submit('exitEnd', () => household(CHANGSHA, 'partial'));
  const exitMid = await submit('exitMid', () => household(ZHONGMOU, 'partial'));
  const recheckTask = await submit('recheckTask', () => household(CHANGSHA, 'none'));
  const recheckStarted = await submit('recheckStarted', () => household(CHANGSHA, 'none'));
  const exits = [...exitEnd, ...exitMid];
  const lifecycle = [...exits, ...recheckTask, ...recheckStarted];
  await decideAll(await tasksOf(lifecycle, 'townshipReview'), 'approve');
  await passNotices(lifecycle);
  await decideAll(await tasksOf(exits, 'countyDetermination'), 'approve');
  await determined(exits);
  // The stable households' first rechecks, a year on, are to fall due once the applications of step 4
  // have had their public notice (≤ the 11th) and before those applications' first deadlines (≥ the
  // 22nd); the second group's a day after the first's.
  await advanceTo(`${month0}-15T01:00:00.000Z`);
  await decideAll(await tasksOf(recheckTask, 'countyDetermination'), 'approve');
  await determined(recheckTask);
  await advance(24 * 60);
  await decideAll(await tasksOf(recheckStarted, 'countyDetermination'), 'approve');
  await determined(recheckStarted);
  const [recheckDue] = (await pendingOf(recheckTask.slice(0, 1), 'Recheck')).map((s) => s.dueAt as string);
  const [startedDue] = (await pendingOf(recheckStarted.slice(0, 1), 'Recheck')).map((s) => s.dueAt as string);
  expect(Date.parse(startedDue!) - Date.parse(recheckDue!)).toBe(86_400_000);

  // ── 2. Six months on, the gradual-exit households have found work: the recheck proposes an exit ──
  await Promise.all([
    ...exitEnd.map((c) => declare(c, [{ kind: 'wage', monthlyAmount: 3000 }], 'partial')),
    ...exitMid.map((c) => declare(c, [{ kind: 'wage', monthlyAmount: 3500 }], 'partial')),
  ]);
  const exitRecheckDue = (await pendingOf(exits, 'Recheck')).map((s) => s.dueAt as string);
  expect(new Set(exitRecheckDue).size).toBe(1);
  await advanceTo(exitRecheckDue[0]!);
  await startedAll(exits, 'Recheck', exitRecheckDue[0]!);
  const exitTasks = await tasksOf(exits, 'recheckConfirmation', 'caseId');
  expect(exitTasks.map((t) => t.recheck.outcome)).toEqual(exits.map(() => 'gradualExit'));
  await decideAll(exitTasks, 'approve');
  await hearAll(exits);
  const plans = (await itemsWhen('the gradual exit planned', exits, caseKey, (c) => c.gradualExit)).map(
    (c) => c.gradualExit,
  );
  const firstMonth = plans[0].firstMonth as string;
  expect(plans.map((p) => [p.firstMonth, p.months])).toEqual(
    exits.map((c) => [firstMonth, c.region === ZHONGMOU ? 12 : 6]),
  );
  /** Runs month `index` (0-based) of the gradual exits of `cases`: the sweeper starts each, which pays it. */
  const exitMonth = async (cases: Case[], index: number) => {
    const dueAt = monthStartsAt(addMonthsToMonth(firstMonth, index));
    await advanceTo(dueAt);
    await startedAll(cases, 'GradualExit', dueAt);
    // Each month's execution schedules the next before the clock moves on, except the last month's,
    // which waits for the month to end.
    const next = monthStartsAt(addMonthsToMonth(firstMonth, index + 1));
    const going = cases.filter((c) => index < months(c) - 1);
    await scheduledAll(going, 'GradualExit', next);
    const ending = cases.filter((c) => index === months(c) - 1);
    await runsWhen('the last month waiting for its end', ending, (executions) =>
      executions.filter((e) => e.workflow === 'GradualExit')[index]?.states.includes('WaitForMonthEnd'),
    );
  };

  // ── 3. Six months of gradual exit, one execution per case and month, started by the sweeper ──
  for (let i = 0; i < 6; i++) await exitMonth(exits, i);

  // ── 4. Applications at every stage, all within a fortnight of the crash ──
  const stable = () => household(CHANGSHA, 'none');
  const apps = {
    township: await submit('township', stable),
    notice: await submit('notice', stable),
    county: await submit('county', stable),
    done: await submit('done', stable),
    refused: await submit('refused', stable),
  };
  const reviewed = [...apps.county, ...apps.done];
  await decideAll(await tasksOf(reviewed, 'townshipReview'), 'approve');
  await passNotices(reviewed);
  await decideAll(await tasksOf(apps.done, 'countyDetermination'), 'approve');
  await tasksOf(apps.county, 'countyDetermination');
  await decideAll(await tasksOf(apps.notice, 'townshipReview'), 'approve');
  await decideAll(await tasksOf(apps.refused, 'townshipReview'), 'reject');
  // 社会救助法第四十四条: the township proposes the refusal, the county decides it.
  await decideAll(await tasksOf(apps.refused, 'countyDetermination'), 'reject');
  await determined(apps.done);
  await statusIs(apps.notice, 'publicNotice');
  await statusIs(apps.refused, 'refused');

  // The recheck households report their changes: more income (an adjustment), a pension above the
  // line (termination), more income the caseworker will not accept (the benefit continues).
  recheckTask.forEach((c, i) => {
    c.variant = ['adjust', 'terminate', 'notConfirmed'][i % 3]!;
  });
  await Promise.all(
    recheckTask.map((c) =>
      declare(
        c,
        c.variant === 'terminate' ? [{ kind: 'pension', monthlyAmount: 6000 }] : transfer(400),
        'none',
      ),
    ),
  );

  // ── 5. The first rechecks of the stable households fall due: their confirmation tasks open ──
  expect(await clockNow(), 'the applications reviewed before the rechecks fall due').toBeLessThan(
    Date.parse(recheckDue!),
  );
  await advanceTo(recheckDue!);
  await startedAll(recheckTask, 'Recheck', recheckDue!);
  const confirmations = await tasksOf(recheckTask, 'recheckConfirmation', 'caseId');
  expect(confirmations.map((t) => t.recheck.outcome)).toEqual(
    recheckTask.map((c) => (c.variant === 'terminate' ? 'terminate' : 'adjust')),
  );
  zip(recheckTask, confirmations).forEach(([c, t]) => {
    c.proposedAmount = t.recheck.proposed?.monthlyAmount;
  });

  // Emergencies: paid first by the township's decision, the paperwork task open.
  const today = chinaDate(new Date(await clockNow()));
  const emergencies = await Promise.all(
    Array.from({ length: COUNTS.paperwork + COUNTS.conversion }, async (_, i): Promise<Case> => {
      const { emergencyId, caseId } = await ok(
        applicant,
        'POST',
        '/emergency',
        emergencyRequest(today),
        [202],
      );
      const group = i < COUNTS.paperwork ? 'paperwork' : 'conversion';
      const variant =
        group === 'paperwork' ? (i % 2 ? 'rejected' : 'completed') : i % 2 ? 'inFlight' : 'landed';
      return { group, variant, caseId, emergencyId, region: FURONG };
    }),
  );
  const paperwork = emergencies.filter((c) => c.group === 'paperwork');
  const conversion = emergencies.filter((c) => c.group === 'conversion');
  await Promise.all(
    (await tasksOf(emergencies, 'emergencyGrant', 'caseId')).map((t) =>
      decide(t, 'approve', { amount: 1000 }),
    ),
  );
  await tasksOf(emergencies, 'emergencyPaperwork', 'caseId');
  await itemsWhen('the emergency grant', emergencies, emergencyKey, (e) => e.status === 'granted');
  const convert = (c: Case) =>
    call(caseworker, 'POST', `/emergency/${c.emergencyId}/paperwork`, {
      decision: 'approve',
      reasons: ['手续齐全', '家庭长期困难，转为低保申请'],
      convertTo: 'dibao',
    });
  for (const r of await Promise.all(conversion.filter((c) => c.variant === 'landed').map(convert)))
    expect(r.status, JSON.stringify(r.body)).toBe(200);

  // Decided, but not yet told to its workflow: `POST /tasks/{taskId}/decision` records the decision
  // on the task, then sends it to the workflow (SendTaskSuccess). The state a SIGKILL between the
  // two leaves is written here, as the first write leaves the task.
  const undelivered = apps.township.slice(4, 6);
  const decidedAt = new Date(await clockNow()).toISOString();
  for (const [c, t] of zip(undelivered, await tasksOf(undelivered, 'townshipReview'))) {
    c.variant = 'undelivered';
    // Out of the inbox and into the index of decisions not yet delivered, as `cases.decideTask` does.
    const index = undeliveredIndexKeys(t.taskId, decidedAt);
    await db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `TASK#${t.taskId}`, sk: 'TASK' },
        UpdateExpression: 'SET #s = :decided, decision = :d, gsi1pk = :ipk, gsi1sk = :isk',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':decided': 'decided',
          ':open': 'open',
          ':d': { decision: 'approve', reasons: ['核实属实'], decidedBy: '乡镇（街道）经办人', decidedAt },
          ':ipk': index.gsi1pk,
          ':isk': index.gsi1sk,
        },
      }),
    );
  }
  // In flight at the crash: township decisions, conversions, and the sweep that starts the rechecks.
  const townshipInFlight = apps.township.slice(0, 4);
  for (const c of townshipInFlight) c.variant = 'inFlight';
  const inFlight = [
    ...(await tasksOf(townshipInFlight, 'townshipReview')).map((t) => decide(t, 'approve')),
    ...conversion.filter((c) => c.variant === 'inFlight').map(convert),
  ];
  void Promise.allSettled(inFlight);
  await advanceTo(startedDue!);
  await poll(
    'the sweep to start the first of the due rechecks',
    async () =>
      (await items(recheckStarted.map(scheduleKey('Recheck', startedDue!)))).some(
        (s) => s?.status === 'started',
      )
        ? true
        : undefined,
    { every: 5, timeoutMs: 60_000 },
  );

  signalGroup(child!.pid!, 'SIGKILL');
  await poll('the JVM to die with the runtime', async () => (jvmsFor(dataDir) === '' ? true : undefined), {
    timeoutMs: 60_000,
  });
  const crashedAt = performance.now();

  ({ api, dynamo } = await start());
  client = new ApiClient(api);
  db = documents(dynamo);
  const resumed = Number(/resumed (\d+) running execution/.exec(output())?.[1] ?? 0);
  const unswept = (await items(recheckStarted.map(scheduleKey('Recheck', startedDue!)))).filter(
    (s) => s?.status === 'pending',
  ).length;
  console.log(
    `[crash] resumed ${resumed} running executions; ${unswept} of ${recheckStarted.length} due rechecks not yet started at the kill`,
  );

  // ── 6. After the restart: every case is driven to its end ──
  // Township decisions in flight either landed or can be made again; nothing is decided twice.
  const open = (await inbox(CHANGSHA)).filter((t) => t.kind === 'townshipReview');
  await Promise.all(
    apps.township
      .map((c) => open.find((t) => t.applicationId === c.applicationId))
      .filter(Boolean)
      .map((t) => decide(t, 'approve')),
  );
  // The county decides what was waiting for it.
  await decideAll(await tasksOf(apps.county, 'countyDetermination'), 'approve');
  // The confirmations waiting before the crash are still there, and take their decisions.
  const confirmationsAfter = await tasksOf(recheckTask, 'recheckConfirmation', 'caseId');
  expect(confirmationsAfter.map((t) => t.taskId)).toEqual(confirmations.map((t) => t.taskId));
  await Promise.all(
    zip(recheckTask, confirmationsAfter).map(([c, t]) =>
      c.variant === 'notConfirmed'
        ? decide(t, 'reject', { reasons: ['入户核实：新增转移性收入为一次性慰问金'] })
        : decide(t, 'approve'),
    ),
  );
  // A reduction or an end is put to the household before it is decided.
  await hearAll(recheckTask.filter(adverse));
  // The paperwork waiting before the crash is completed or refused.
  const papers = await tasksOf(paperwork, 'emergencyPaperwork', 'caseId');
  await Promise.all(
    zip(paperwork, papers).map(([c, t]) =>
      c.variant === 'completed'
        ? decide(t, 'approve')
        : decide(t, 'reject', { reasons: ['经核实不属于急难情形'] }),
    ),
  );
  // More was asked than was paid first: the county assesses the rest of the completed ones.
  const assessed = paperwork.filter((c) => c.variant === 'completed');
  await Promise.all(
    (await tasksOf(assessed, 'emergencyAssessment', 'caseId')).map((t) =>
      decide(t, 'approve', { amount: 1500 }),
    ),
  );
  const assessedMonth = chinaDate(new Date(await clockNow())).slice(0, 7);
  // Paid before the clock moves on, so that the month read above is the month it is paid in.
  await itemsWhen('the assessed amount paid', assessed, emergencyKey, (e) => e.status === 'completed');
  // A conversion that did not land is made again; one that did is not made twice.
  for (const [c, e] of zip(conversion, await items(conversion.map(emergencyKey)))) {
    if (e.status === 'granted' && !e.paperwork?.decision) {
      const r = await convert(c);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  }
  const converted = await itemsWhen(
    'the conversion',
    conversion,
    emergencyKey,
    (e) => e.status === 'converted',
  );
  zip(conversion, converted).forEach(([c, e]) => {
    c.applicationId = e.convertedTo.applicationId;
  });
  await decideAll(await tasksOf(conversion, 'townshipReview'), 'approve');
  // The rechecks the sweep had started (or not yet) each run once.
  await itemsWhen('the recheck to conclude', recheckStarted, caseKey, (c) => c.lastRecheckAt !== undefined);

  // A decision in flight at the kill may have been recorded and not yet handed to its workflow: the
  // redelivery job takes it once it is older than its grace period, on its next run (every 5
  // minutes, as on AWS) — so the clock moves on past both, as time would.
  await advance(REDELIVERY_GRACE_MS / 60_000 + 6);

  // The decision recorded before the crash reaches its workflow, without waiting for the task's due
  // date and an escalation. Where it does not, the case is left out of what follows, so that the
  // rest still speaks, and the test fails at its end.
  const delivered = await poll(
    'the recorded decision to reach its workflow',
    async () =>
      (await items(undelivered.map(appKey))).every((a) => a?.status === 'publicNotice') ? true : undefined,
    { timeoutMs: 60_000 },
  ).catch(() => false);
  expect
    .soft(
      delivered,
      'a township decision recorded before the SIGKILL, never sent to its workflow, is delivered after the restart',
    )
    .toBe(true);
  const stuck = new Set(delivered ? [] : undelivered);
  const township = apps.township.filter((c) => !stuck.has(c));

  // Public notices run out; the county decides.
  const toNotice = [...township, ...apps.notice, ...conversion];
  await passNotices(toNotice);
  await decideAll(await tasksOf(toNotice, 'countyDetermination'), 'approve');
  await determined([...toNotice, ...apps.county]);

  // 长沙县's last month ends; 中牟县's gradual exit runs its remaining six months, and ends.
  for (let i = 6; i < 12; i++) await exitMonth(exitMid, i);
  await advanceTo(monthStartsAt(addMonthsToMonth(firstMonth, 12)));
  await itemsWhen('the case closed', exits, caseKey, (c) => c.status === 'exited');
  const cases: Case[] = [
    ...township,
    ...apps.notice,
    ...apps.county,
    ...apps.done,
    ...apps.refused,
    ...recheckTask,
    ...recheckStarted,
    ...exits,
    ...emergencies,
  ];
  const chains = await runsWhen('every execution closed and archived', cases, (executions) =>
    executions.every((e) => e.status !== 'RUNNING' && e.archived),
  );
  const drivenAt = performance.now();

  // ── 7. Every case at its one correct end ──
  expect(cases.length + stuck.size).toBeGreaterThanOrEqual(100);
  expect(new Set(cases.map((c) => c.caseId)).size).toBe(cases.length);
  const tasks = await scanAll(db, 'TASK#');
  const [approvedApps, caseItems, emergencyItems] = await Promise.all([
    Promise.all(
      cases.map((c) =>
        c.applicationId ? ok(caseworker, 'GET', `/applications/${c.applicationId}`) : undefined,
      ),
    ),
    items(cases.map(caseKey)),
    Promise.all(
      cases.map((c) => (c.emergencyId ? ok(applicant, 'GET', `/emergency/${c.emergencyId}`) : undefined)),
    ),
  ]);

  const checkCase = async (c: Case, i: number) => {
    const label = `${c.group}${c.variant ? `/${c.variant}` : ''} ${c.caseId}`;
    const app = approvedApps[i];
    const item = caseItems[i];
    const executions = chains[i]!;
    // Exactly one determination per application, the right one.
    if (app) {
      const outcome = c.group === 'refused' ? 'refused' : 'approved';
      expect([app.status, app.determination?.outcome], label).toEqual([outcome, outcome]);
    }
    // One notice per decision.
    const notices = await query(`CASE#${c.caseId}`, 'NOTICE#');
    expect(notices.map((n) => n.kind).sort(), label).toEqual(expectedNotices(c));
    // The payments due, each month once.
    const { payments } = await ok(auditor, 'GET', `/cases/${c.caseId}/payments`);
    const paid = payments.map((p: Body) => [p.month, p.kind, p.amount]);
    if (months(c)) {
      expect(paid, label).toEqual(
        Array.from({ length: months(c) }, (_, m) => [
          addMonthsToMonth(firstMonth, m),
          'gradualExit',
          c.monthlyAmount,
        ]),
      );
    } else if (c.emergencyId) {
      expect(paid, label).toEqual([
        [today.slice(0, 7), 'emergencyGrant', 1000],
        ...(c.variant === 'completed' ? [[assessedMonth, 'emergencyAssessed', 1500]] : []),
      ]);
    } else {
      expect(paid, label).toEqual([]);
    }
    // Where the case stands, and what comes next.
    const pending = (await query(`CASE#${c.caseId}`, 'SCHEDULE#'))
      .filter((s) => s.status === 'pending')
      .map((s) => [s.workflow, s.input.mode]);
    if (c.emergencyId)
      expect(emergencyItems[i].status, label).toBe(c.group === 'conversion' ? 'converted' : c.variant);
    if (c.group === 'exitMid' || c.group === 'exitEnd' || c.variant === 'terminate') {
      expect(item, label).toMatchObject({
        status: c.variant === 'terminate' ? 'terminated' : 'exited',
        monitoring: true,
      });
      expect(pending, label).toEqual([['Recheck', 'monitoring']]);
    } else if (c.group === 'refused' || c.group === 'paperwork') {
      expect(pending, label).toEqual([]);
    } else {
      expect([item.status ?? 'active', item.monthlyAmount], label).toEqual([
        'active',
        c.variant === 'adjust' ? c.proposedAmount : c.monthlyAmount,
      ]);
      expect(pending, label).toEqual([['Recheck', 'regular']]);
    }
    // One task per human step, each decided.
    const own = tasks.filter((t) => t.caseId === c.caseId);
    expect(own.map((t) => t.kind).sort(), label).toEqual(expectedTasks(c));
    expect(
      own.filter((t) => t.status !== 'decided'),
      label,
    ).toEqual([]);
    // Every execution of the chain ran once, to its end, with a whole history, archived.
    expect(
      executions.map((e) => e.workflow),
      label,
    ).toEqual(expectedWorkflows(c));
    for (const e of executions) {
      const what = `${label} ${e.workflow} ${e.executionArn}`;
      expect([e.status, e.archived], what).toEqual(['SUCCEEDED', true]);
      expect(
        e.events.map((ev: Body) => ev.id),
        `${what}: event ids 1..n`,
      ).toEqual(e.events.map((_: unknown, n: number) => n + 1));
      expect(new Set(e.states).size, `${what}: no state entered twice`).toBe(e.states.length);
    }
    const application = executions.find((e) => e.workflow === 'Application');
    if (application)
      expect(
        application.states.filter((s: string) => s.startsWith('Determine')),
        `${label}: one determination`,
      ).toHaveLength(1);
    const recheck = executions.find((e) => e.workflow === 'Recheck');
    if (recheck) {
      const heard = ['OpenHearing', 'AwaitHearing', 'Heard'];
      expect(recheck.states, label).toEqual(
        c.group === 'recheckStarted'
          ? ['Assess', 'Assessed', 'Continue']
          : [
              'Assess',
              'Assessed',
              'PlanConfirmChange',
              'ConfirmChange',
              'Confirmed',
              ...(c.group !== 'recheckTask' || adverse(c) ? heard : []),
              'Decide',
              c.group === 'recheckTask' ? lastRecheckState[c.variant] : 'StartGradualExit',
            ],
      );
      // One recheck record, concluded once.
      const records = await query(`CASE#${c.caseId}`, 'RECHECK#');
      expect(
        records.map((x) => Boolean(x.concluded)),
        label,
      ).toEqual([true]);
    }
    const exitRuns = executions.filter((e) => e.workflow === 'GradualExit');
    exitRuns.forEach((e, m) => {
      expect(e.states, `${label} month ${m + 1}`).toEqual(
        m < exitRuns.length - 1
          ? ['PayMonth', 'LastMonth', 'ScheduleNextMonth']
          : ['PayMonth', 'LastMonth', 'WaitForMonthEnd', 'Exit'],
      );
    });
    if (c.emergencyId) expect(executions[0].states.at(-1), label).toBe(lastEmergencyState[c.variant]);
  };
  for (let i = 0; i < cases.length; i += 10)
    await Promise.all(cases.slice(i, i + 10).map((c, j) => checkCase(c, i + j)));
  for (const region of REGIONS)
    expect(
      (await inbox(region)).filter((t) => ![...stuck].some((c) => c.applicationId === t.applicationId)),
      region,
    ).toEqual([]);

  console.log(
    `[crash] ${cases.length} cases; before the kill ${((crashedAt - startedAt) / 1000).toFixed(1)} s, ` +
      `driven to their ends ${((drivenAt - crashedAt) / 1000).toFixed(1)} s, checked ${((performance.now() - drivenAt) / 1000).toFixed(1)} s`,
  );
  signalGroup(child!.pid!, 'SIGTERM');
  await poll('the runtime to stop', async () => (jvmsFor(dataDir) === '' ? true : undefined), {
    timeoutMs: 60_000,
  });
});

// ── what each case must end with ─────────────────────────────────────────────────────────────────

/** Months of gradual exit: 中牟县 grants 12, 长沙县 6. */
const months = (c: Case) => (c.group === 'exitMid' ? 12 : c.group === 'exitEnd' ? 6 : 0);

function expectedTasks(c: Case): string[] {
  switch (c.group) {
    case 'refused':
      return ['countyDetermination', 'townshipReview'];
    case 'paperwork':
      return [
        ...(c.variant === 'completed' ? ['emergencyAssessment'] : []),
        'emergencyGrant',
        'emergencyPaperwork',
      ];
    case 'conversion':
      return ['countyDetermination', 'emergencyGrant', 'emergencyPaperwork', 'townshipReview'];
    case 'recheckTask':
    case 'exitMid':
    case 'exitEnd':
      return ['countyDetermination', 'recheckConfirmation', 'townshipReview'];
    default:
      return ['countyDetermination', 'townshipReview'];
  }
}

function expectedNotices(c: Case): string[] {
  switch (c.group) {
    case 'refused':
      return ['refusal'];
    case 'recheckTask':
      return ['approval', recheckNotice[c.variant]!, ...(adverse(c) ? ['hearing'] : [])].sort();
    case 'recheckStarted':
      return ['approval', 'recheckContinue'];
    case 'exitMid':
    case 'exitEnd':
      return ['approval', 'exit', 'gradualExit', 'hearing'];
    case 'paperwork':
      return c.variant === 'completed'
        ? ['emergencyAssessed', 'emergencyGrant']
        : ['emergencyGrant', 'emergencyRejected'];
    case 'conversion':
      return ['approval', 'emergencyConverted', 'emergencyGrant'];
    default:
      return ['approval'];
  }
}

function expectedWorkflows(c: Case): string[] {
  switch (c.group) {
    case 'paperwork':
      return ['Emergency'];
    case 'conversion':
      return ['Emergency', 'Application'];
    case 'recheckTask':
    case 'recheckStarted':
      return ['Application', 'Recheck'];
    case 'exitMid':
    case 'exitEnd':
      return ['Application', 'Recheck', ...Array<string>(months(c)).fill('GradualExit')];
    default:
      return ['Application'];
  }
}

/** 调减 or 终止: the recheck hears the household first (社会救助法第四十八条). */
const adverse = (c: Case) =>
  c.variant === 'terminate' || (c.variant === 'adjust' && (c.proposedAmount ?? 0) < (c.monthlyAmount ?? 0));

const recheckNotice: Record<string, string> = {
  adjust: 'recheckAdjust',
  terminate: 'termination',
  notConfirmed: 'recheckContinue',
};
const lastRecheckState: Record<string, string> = {
  adjust: 'Adjust',
  terminate: 'Terminate',
  notConfirmed: 'Continue',
};
const lastEmergencyState: Record<string, string> = {
  completed: 'PayAssessed',
  rejected: 'Reject',
  landed: 'ConvertToApplication',
  inFlight: 'ConvertToApplication',
};

function documents(endpoint: string) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

async function scanAll(db: DynamoDBDocumentClient, prefix: string): Promise<Body[]> {
  const items: Body[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: TABLE,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

function zip<A, B>(a: A[], b: B[]): Array<[A, B]> {
  return a.map((x, i) => [x, b[i]!]);
}
