/**
 * The end states, checked through the API (and the register, for what the API does not show yet),
 * and the summary table printed after the stories.
 */
import { type AuditAction, type AuditEntry, readAuditLog } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, tierLabel } from '../../shared/domain/lifecycle.ts';
import { householdDeliveryOf } from '../../shared/notify/deliveries.ts';
import { auditor, CHANGSHA_COUNTY, H1, H2, H3, type Household, ZHONGMOU } from './households.ts';
import { type DemoSession, type Json, yuan } from './session.ts';
import type { Check, HouseholdSummary, PaymentView } from './summary.ts';

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

const workflowsOf = (history: Json): string[] =>
  (history?.executions ?? []).map((e: Json) => e.workflow as string);

/**
 * Runs one household's checks; an error while checking is a failed check, so the table always
 * has its three rows.
 */
async function verifyOne(
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

/** What a chain entry announces (a household event, a new task, an escalation): its template. */
function announced(caseId: string, e: AuditEntry): string | undefined {
  if (e.action === 'task.opened') return 'taskOpened';
  // 督办: a task, a monitoring warning or a department's demand overdue, each to the supervisors.
  if (e.action === 'task.escalated' || e.action === 'warning.escalated' || e.action === 'demand.escalated')
    return 'taskEscalated';
  return householdDeliveryOf(caseId, { ...e, action: e.action as AuditAction, key: `${e.action}#${e.seq}` })
    ?.template;
}

/**
 * 通知: every household event, new task and escalation on the case's chain has exactly one delivery
 * on record (sent, or not reached) — waiting for the outbox relay, and past the quiet hours, with the
 * clock moved on an hour at a time.
 */
async function deliveriesAgree(
  d: DemoSession,
  caseId: string,
  check: (what: string, ok: boolean, detail?: string) => void,
) {
  const tally = async () => {
    const { entries } = await readAuditLog(caseId);
    const count = (templates: Array<string | undefined>) => {
      const by: Record<string, number> = {};
      for (const t of templates) if (t) by[t] = (by[t] ?? 0) + 1;
      return by;
    };
    const events = count(entries.map((e) => announced(caseId, e)));
    const receipts = count(
      entries
        .filter((e) => e.action === 'notification.sent' || e.action === 'notification.failed')
        .map((e) => e.refs.template)
        .filter((t) => t !== 'taskDueTomorrow' && t !== 'recheckDue'),
    );
    const detail = Object.keys({ ...events, ...receipts })
      .sort()
      .map((t) => `${t} ${receipts[t] ?? 0}/${events[t] ?? 0}`)
      .join(', ');
    const same = Object.keys({ ...events, ...receipts }).every((t) => events[t] === receipts[t]);
    return { same, detail, events: Object.keys(events).length };
  };
  let last = await tally();
  try {
    last = await d.until(`case ${caseId}: one delivery for each event`, async () => {
      const now = await tally();
      if (now.same) return now;
      last = now;
      await d.advance(60);
      return undefined;
    });
  } catch {
    // Reported as the check below.
  }
  check(
    '通知: one SMS or work message for each event, its receipt on the chain',
    last.same && last.events > 0,
    last.detail,
  );
}

export async function verify(d: DemoSession) {
  const sum = d.summary;
  const a = sum.approved;
  const r = sum.refused;
  const e = sum.emergency;
  sum.households = [
    await verifyOne(
      H1,
      () => a.caseId,
      '确认低保 → 就业渐退 → 办结、动态监测',
      async (check) => {
        if (!a.caseId || !a.applicationId) throw new Error('the application was not submitted');
        const app = await d.application(a.applicationId);
        check('application approved as dibao', app.status === 'approved' && app.tier === 'dibao', app.status);
        check(
          'recheck proposed a gradual exit',
          a.recheck.outcome === 'gradualExit',
          String(a.recheck.outcome),
        );
        const { payments: all } = await d.payments(a.caseId);
        const regular = (all as PaymentView[]).filter((p) => p.kind === 'regular');
        check(
          'paid monthly through the county’s roll and the bank, at the determined amount',
          regular.map((p) => p.month).join(' ') === a.paidMonths.join(' ') &&
            a.paidMonths.length === 2 &&
            regular.every((p) => p.amount === a.monthlyAmount),
          regular.map((p) => `${p.month}:${p.amount}`).join(' '),
        );
        const answered = await d.api(
          auditor,
          'GET',
          `/demands?regionCode=${CHANGSHA_COUNTY}&status=answered`,
        );
        const mine = (answered.demands as Json[]).filter((x) => x.caseId === a.caseId && x.kind === 'start');
        check(
          '需求推送: 医保, 教育 and 人社 each answered their demands',
          ['medicalInsurance', 'education', 'humanResources'].every((dep) =>
            mine.some((x) => x.department === dep),
          ) && mine.length === a.demands.length,
          a.demands.join(' '),
        );
        const discovery = a.discoveryId
          ? await d.api(auditor, 'GET', `/discoveries/${a.discoveryId}`)
          : undefined;
        check(
          '主动发现: the committee’s report closed with the household’s application',
          discovery?.status === 'applied' &&
            (discovery.outcome as Json | undefined)?.applicationId === a.applicationId,
          String(discovery?.status),
        );
        check(
          '结果互认 and 增减变动名单 agree with the register: both members 低保, both entered',
          a.lookup?.found === 2 && a.lookup.entered === 2,
          JSON.stringify(a.lookup),
        );
        check(
          '举报投诉: concluded, and the reporter told by code',
          a.complaint?.status === 'unsubstantiated',
          String(a.complaint?.status),
        );
        const payments = (all as PaymentView[]).filter((p) => p.kind === 'gradualExit');
        const total = payments.reduce((fen, p) => fen + Math.round(p.amount * 100), 0) / 100;
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
        const history = await d.history(a.caseId);
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
        const item = await d.caseItem(a.caseId);
        a.caseStatus = (item?.status as string | undefined) ?? null;
        a.monitoring = (item?.monitoring as boolean | undefined) ?? null;
        check(
          'case closed (exited) and under monitoring',
          a.caseStatus === 'exited' && a.monitoring === true,
          `${a.caseStatus} monitoring=${a.monitoring}`,
        );
        a.notices = (await d.notices(a.caseId)).map((n) => n.kind).sort();
        check(
          'notices: approval, gradual exit, exit',
          ['approval', 'gradualExit', 'exit'].every((k) => a.notices.includes(k)),
          a.notices.join(', '),
        );
        await deliveriesAgree(d, a.caseId, check);
        return a.caseStatus === 'exited'
          ? `渐退${months}个月（合计${yuan(total)}）后办结，监测中 — exited, monitored`
          : `未完成 — ${a.caseStatus ?? 'incomplete'}`;
      },
    ),

    await verifyOne(
      H2,
      () => r.caseId,
      '不予确认，3个工作日内书面告知理由',
      async (check) => {
        if (!r.caseId || !r.applicationId) throw new Error('the application was not submitted');
        const app = await d.application(r.applicationId);
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
        const { calendar, parametersFor } = await import('../../shared/repositories/parameters.ts');
        const limit = (await parametersFor(ZHONGMOU, 'urban', r.decidedOn)).timeLimits
          .refusalNoticeWorkingDays;
        const serveBy = (await calendar()).provisionalDeadline(r.decidedOn, limit).deadline;
        check(
          `notice due within ${limit} working days of the decision`,
          limit === 3 && r.serveBy === serveBy,
          `${r.decidedOn} → ${r.serveBy}`,
        );
        const { payments } = await d.payments(r.caseId);
        check('nothing paid', payments.length === 0);
        const history = await d.history(r.caseId);
        r.workflows = workflowsOf(history);
        check(
          'one application execution, refused by the county on the township’s proposal',
          r.workflows.length === 1 &&
            history.executions[0].status === 'SUCCEEDED' &&
            history.executions[0].states.includes('CountyDetermination') &&
            history.executions[0].states.includes('Determine'),
          r.workflows.join(' → '),
        );
        await deliveriesAgree(d, r.caseId, check);
        return app.status === 'refused'
          ? `不予确认，${r.reasons.length}条理由，${r.serveBy}前告知 — refused`
          : `未完成 — ${app.status}`;
      },
    ),

    await verifyOne(
      H3,
      () => e.caseId,
      '先行救助 → 补办手续 → 转为低保申请并确认',
      async (check) => {
        if (!e.caseId || !e.emergencyId) throw new Error('the emergency was not submitted');
        const view = await d.emergencyView(e.emergencyId);
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
        const { payments } = await d.payments(e.caseId);
        e.payments = payments;
        check(
          'one emergency payment, the amount granted',
          payments.length === 1 &&
            payments[0].kind === 'emergencyGrant' &&
            payments[0].amount === e.grantedAmount,
          (payments as PaymentView[]).map((p) => `${p.month}:${p.kind}:${p.amount}`).join(' '),
        );
        if (!e.convertedTo) throw new Error('not converted');
        const app = await d.application(e.convertedTo.applicationId);
        e.convertedTo.status = app.status;
        check(
          'the converted application approved, on the same case',
          app.status === 'approved' && app.caseId === e.caseId && app.tier === e.convertedTo.tier,
          `${app.status} ${app.tier}`,
        );
        const history = await d.history(e.caseId);
        e.workflows = workflowsOf(history);
        check(
          'chain Emergency → Application, both succeeded',
          JSON.stringify(e.workflows.slice(0, 2)) === JSON.stringify(['Emergency', 'Application']) &&
            (history.executions as Json[]).slice(0, 2).every((x) => x.status === 'SUCCEEDED'),
          e.workflows.join(' → '),
        );
        await deliveriesAgree(d, e.caseId, check);
        return view.status === 'converted'
          ? `先行救助${yuan(e.grantedAmount)} → 转为${tierLabel(e.convertedTo.tier)}，${app.status === 'approved' ? `每月${yuan(app.monthlyAmount)}` : '未确认'} — converted`
          : `未完成 — ${view.status}`;
      },
    ),
  ];
}

export function table(d: DemoSession) {
  const sum = d.summary;
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
  d.line('');
  d.line('汇总 Summary');
  for (const [i, r] of rows.entries()) {
    d.line(
      r
        .map((c, j) => pad(c, widths[j]!))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) d.line(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const h of sum.households)
    for (const c of h.checks.filter((x) => !x.ok))
      d.line(`  ✗ ${h.label} ${c.what}${c.detail ? `: ${c.detail}` : ''}`);
  for (const f of sum.failures) d.line(`  ✗ ${f}`);
  d.line(
    `虚拟时间 virtual time ${chinaDate(new Date(sum.virtualStart))} → ${chinaDate(new Date(sum.virtualEnd))}；` +
      `实际用时 real time ${(sum.realMs / 1000).toFixed(1)} s；` +
      (sum.ok
        ? '三户均达到预期 all three households reached their expected end states'
        : '未全部达到预期 NOT all end states reached'),
  );
}
