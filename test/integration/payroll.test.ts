/**
 * 发放名册 on the in-memory runtime: a county officer prepares the month's roll, the payroll workflow
 * computes each household's line (the month, and months owed before it), seals it with totals and a
 * hash, and a second officer approves it; the next month's roll does not owe again what is on an
 * approved roll, pays back what a late decision owed, and applies a standard raised from its month.
 */
import { describe, expect, it } from 'vitest';
import { fail as failRoll } from '../../functions/steps/payroll.ts';
import { clock } from '../../local/clock.ts';
import { readAuditLog, verifyAuditLog } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, chinaMonth, endOfChinaDay, monthStartsAt } from '../../shared/domain/lifecycle.ts';
import { rollIdOf } from '../../shared/domain/payroll.ts';
import { sampleParameterVersions } from '../../shared/parameters/index.ts';
import { parametersFor } from '../../shared/repositories/parameters.ts';
import * as payrollRepo from '../../shared/repositories/payroll.ts';
import { meansTest } from '../../shared/rules/index.ts';
import { type Actor, actors } from '../support/actors.ts';
import { application } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { payrollHelpers, returnFile, validCard } from '../support/payroll.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const lc = lifecycleHelpers(runtime);
const { determinedCase, registerAccount } = payrollHelpers(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const start = (month: string, as: Actor = actors.county) =>
  runtime.api('/payrolls', { method: 'POST', body: JSON.stringify({ regionCode: '430121', month }) }, as);
const decide = (rollId: string, body: Body, as: Actor = actors.countyApprover) =>
  runtime.api(`/payrolls/${rollId}/decision`, { method: 'POST', body: JSON.stringify(body) }, as);
const roll = async (rollId: string, status: string): Promise<Body> =>
  eventually(async () => {
    const got = await runtime.api(`/payrolls/${rollId}`);
    return got.body.status === status ? got.body : undefined;
  });

const lineOf = (body: Body, caseId: string) => body.lines.find((l: Body) => l.caseId === caseId);

const inboxTasks = async (township: string, as: Actor): Promise<Body[]> => {
  const res = await runtime.api(`/tasks?township=${township}`, {}, as);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.tasks;
};
const inboxTask = (township: string, kind: string, as: Actor): Promise<Body> =>
  eventually(async () =>
    (await inboxTasks(township, as)).find((t) => t.kind === kind && t.status === 'open'),
  );
const decideTask = (taskId: string, body: Body, as?: Actor) =>
  runtime.api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify(body) }, as);

/** The approved roll's bank file, downloaded once by its approver through the link. */
async function downloadBankFile(rollId: string): Promise<string[]> {
  await roll(rollId, 'approved').then(() =>
    eventually(async () => ((await runtime.api(`/payrolls/${rollId}`)).body.bankFile ? true : undefined)),
  );
  const link = await runtime.api(`/payrolls/${rollId}/bank-file`, { method: 'POST' }, actors.countyApprover);
  expect(link.status, JSON.stringify(link.body)).toBe(200);
  const res = await fetch(link.body.url);
  expect(res.status).toBe(200);
  return (await res.text()).trim().split('\n');
}

const upload = (rollId: string, content: string) =>
  runtime.api(`/payrolls/${rollId}/bank-return`, { method: 'POST', body: JSON.stringify({ content }) });

describe('the monthly payroll', () => {
  it('pays each month once, back pay included, approved by a second officer and raised with the standard', async () => {
    const month = chinaMonth(new Date());
    const next = addMonthsToMonth(month, 1);
    const lastMonth = new Date(Date.parse(monthStartsAt(month)) - 5 * 86_400_000).toISOString();
    // Owed from this month: determined last month. Determined today: owed from next month.
    const early = await determinedCase(lastMonth);
    const today = await lc.seedApprovedCase();

    const started = await start(month);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const rollId = started.body.rollId;
    expect(rollId).toBe(`430121-${month}-1`);
    expect(started.body).toMatchObject({ status: 'computing', preparedBy: { subject: 'test-county' } });
    // One roll of a county at a time.
    const second = await start(month, actors.countyApprover);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(rollId);

    const prepared = await roll(rollId, 'prepared');
    expect(prepared.totals).toEqual({
      lines: 1,
      amount: early.monthlyAmount,
      backPay: 0,
      months: 1,
      deducted: 0,
    });
    expect(prepared.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(prepared.previous).toBeNull();
    expect(prepared.approvalDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prepared.taskToken).toBeUndefined();
    expect(lineOf(prepared, early.caseId).months).toEqual([
      expect.objectContaining({ month, amount: early.monthlyAmount, backPay: false, tier: 'dibao' }),
    ]);
    expect(lineOf(prepared, today.caseId)).toBeUndefined();

    await registerAccount(early.caseId, 1);
    // The approval is a task in the county's inbox, due in working days, like any other.
    const approval = await inboxTask('430121', 'payrollApproval', actors.countyApprover);
    expect(approval).toMatchObject({
      taskId: expect.stringMatching(/^task-[0-9a-f]{24}$/),
      status: 'open',
      dueDate: prepared.approvalDueDate,
      payment: { rollId, month, lines: 1, amount: early.monthlyAmount, preparedBy: actors.county.name },
    });
    const ownTask = await decideTask(
      approval.taskId,
      { decision: 'approve', reasons: ['核对无误'] },
      actors.county,
    );
    expect(ownTask.status, JSON.stringify(ownTask.body)).toBe(403);
    // Two people: the preparer cannot approve; a return must say why.
    const own = await decide(rollId, { decision: 'approve' }, actors.county);
    expect(own.status).toBe(403);
    const noReason = await decide(rollId, { decision: 'return' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual([expect.objectContaining({ field: 'reason' })]);
    const approved = await decide(rollId, { decision: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(202);
    expect((await decide(rollId, { decision: 'approve' })).status).toBe(200);
    const fixed = await roll(rollId, 'approved');
    // Decided on the payroll page: out of the inbox, with the roll's decision.
    expect(await inboxTasks('430121', actors.countyApprover)).toEqual([]);
    expect(await decideTask(approval.taskId, { decision: 'reject', reasons: ['改主意'] })).toMatchObject({
      status: 409,
    });
    expect(fixed.approval).toMatchObject({ decision: 'approve', by: { subject: 'test-county-2' } });
    expect(fixed.hash).toBe(prepared.hash);
    expect((await decide(rollId, { decision: 'return', reason: '改主意' }, actors.admin)).status).toBe(403);
    expect((await start(month)).status).toBe(409);

    // The bank file: for the approving officer only, once, through a short-lived link.
    await eventually(async () =>
      (await runtime.api(`/payrolls/${rollId}`)).body.bankFile ? true : undefined,
    );
    expect((await runtime.api(`/payrolls/${rollId}/bank-file`, { method: 'POST' })).status).toBe(403);
    const bankLines = await downloadBankFile(rollId);
    expect(bankLines[0]).toBe(`#ROLL,${rollId},430121,${month}`);
    expect(bankLines[1]).toBe('序号,户名,账号,开户行,金额,用途,案件编号');
    expect(bankLines[2]).toMatch(
      new RegExp(
        `^1,张三,62284800\\d{11},中国农业银行长沙县支行,${early.monthlyAmount!.toFixed(2)},低保金${month},${early.caseId}$`,
      ),
    );
    expect(bankLines[3]).toBe(`#TOTAL,1,${early.monthlyAmount!.toFixed(2)}`);
    expect(
      (await runtime.api(`/payrolls/${rollId}/bank-file`, { method: 'POST' }, actors.countyApprover)).status,
    ).toBe(409);

    // A return that differs from the file is refused whole, naming its lines; nothing is recorded.
    const good = returnFile(bankLines);
    const altered = good.replace(`,${early.monthlyAmount!.toFixed(2)},成功`, ',1.00,成功');
    const refused = await upload(rollId, altered);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f: Body) => f.field)).toEqual(['lines.3', 'lines.4']);
    expect((await runtime.api(`/cases/${early.caseId}/payments`, {}, actors.county)).body.payments).toEqual(
      [],
    );
    const accepted = await upload(rollId, good);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ paid: 1, failed: 0, paidAmount: early.monthlyAmount });
    expect((await upload(rollId, good)).status).toBe(409);
    const reconciled = await roll(rollId, 'reconciled');
    expect(lineOf(reconciled, early.caseId).result).toEqual({ status: 'paid' });
    const paidM = await runtime.api(`/cases/${early.caseId}/payments`, {}, actors.county);
    expect(paidM.body.payments).toEqual([
      expect.objectContaining({ month, kind: 'regular', amount: early.monthlyAmount }),
    ]);
    expect((await verifyAuditLog(early.caseId)).valid).toBe(true);

    const log = await readAuditLog(`roll-${rollId}`);
    expect(log.entries.map((e) => [e.action, e.actor.subject])).toEqual([
      ['payroll.prepared', 'test-county'],
      ['payroll.approved', 'test-county-2'],
      ['payroll.exported', 'system'],
      ['payroll.downloaded', 'test-county-2'],
      ['payroll.reconciled', 'test-county'],
    ]);

    // Decided late for this month (its period from this month), and the standard raised from next month.
    const late = await determinedCase(lastMonth);
    const hunan = sampleParameterVersions.find((v) => v.regionCode === '430121' && v.residence === 'urban')!;
    const standard = hunan.values.dibaoStandard!.value + 100;
    const raised = await runtime.api(
      '/admin/parameters/430121',
      {
        method: 'PUT',
        body: JSON.stringify({
          residence: 'urban',
          effectiveFrom: `${next}-01`,
          basis: '测试：长沙县提高城市低保标准',
          values: { ...hunan.values, dibaoStandard: { value: standard, clause: '测试' } },
        }),
      },
      actors.admin,
    );
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const atNext = meansTest(early.declaration, {
      asOf: `${next}-01`,
      parameters: await parametersFor('430121', 'urban', `${next}-01`),
      requestedTier: 'dibao',
    });
    expect(atNext.monthlyAmount!).toBeGreaterThan(early.monthlyAmount!);

    clock.advance(Math.max(0, Date.parse(monthStartsAt(next)) - clock.now()) + 3_600_000);
    const nextRoll = await start(next);
    expect(nextRoll.status, JSON.stringify(nextRoll.body)).toBe(202);
    const returned = await roll(nextRoll.body.rollId, 'prepared');
    expect(returned.previous).toMatchObject({ rollId, month });
    // Returned from the inbox: the task's decision is the roll's.
    const toReturn = await inboxTask('430121', 'payrollApproval', actors.countyApprover);
    expect(toReturn.payment.rollId).toBe(returned.rollId);
    const sentBack = await decideTask(toReturn.taskId, {
      decision: 'reject',
      reasons: ['核对账户后重新编制'],
    });
    expect(sentBack.status, JSON.stringify(sentBack.body)).toBe(200);
    expect(sentBack.body).toMatchObject({ status: 'decided', decision: { decision: 'reject' } });
    const wasReturned = await roll(returned.rollId, 'returned');
    expect(wasReturned.approval).toMatchObject({ decision: 'return', reason: '核对账户后重新编制' });

    // Prepared again after the return: the month's second roll.
    const again = await start(next);
    expect(again.body.rollId).toBe(`430121-${next}-2`);
    const computed = await roll(again.body.rollId, 'prepared');
    // This month is on the approved roll: owed no more. Next month at the raised standard.
    expect(lineOf(computed, early.caseId).months).toEqual([
      expect.objectContaining({ month: next, amount: atNext.monthlyAmount, backPay: false }),
    ]);
    expect(lineOf(computed, early.caseId).months[0].basis).toContain('按当月施行的标准重新计算');
    expect(lineOf(computed, today.caseId).months).toEqual([
      expect.objectContaining({ month: next, backPay: false }),
    ]);
    // 补发: the month the late decision owed, and this one.
    expect(lineOf(computed, late.caseId).months.map((m: Body) => [m.month, m.backPay])).toEqual([
      [month, true],
      [next, false],
    ]);
    expect(computed.totals.lines).toBe(3);
    expect(computed.totals.backPay).toBe(lineOf(computed, late.caseId).months[0].amount);

    // Paid through the bank: one line fails (the bank's reason), one household has no account.
    await registerAccount(late.caseId, 2);
    expect((await decide(computed.rollId, { decision: 'approve' })).status).toBe(202);
    const nextLines = await downloadBankFile(computed.rollId);
    expect(nextLines).toHaveLength(5);
    expect((await runtime.api(`/payrolls/${computed.rollId}`)).body.bankFile.excluded).toEqual([
      { caseId: today.caseId, amount: lineOf(computed, today.caseId).amount, reason: '未登记收款账户' },
    ]);
    expect(
      (await upload(computed.rollId, returnFile(nextLines, { [late.caseId]: '账户已冻结' }))).status,
    ).toBe(202);
    const closed = await roll(computed.rollId, 'reconciled');
    expect(lineOf(closed, early.caseId).result).toEqual({ status: 'paid' });
    expect(lineOf(closed, late.caseId).result).toEqual({ status: 'failed', reason: '账户已冻结' });
    expect(lineOf(closed, today.caseId).result).toEqual({ status: 'failed', reason: '未登记收款账户' });
    // Each becomes a task for the township: put the account right before the next roll.
    const fixes = (await inboxTasks('430121', actors.township)).filter((t) => t.kind === 'payeeAccountFix');
    const fixOf = (caseId: string) => fixes.find((t) => t.caseId === caseId)!;
    expect(fixes).toHaveLength(2);
    expect(fixOf(late.caseId).payment).toMatchObject({
      rollId: computed.rollId,
      reason: '银行退回：账户已冻结',
      amount: lineOf(closed, late.caseId).amount,
      months: [month, next],
    });
    expect(fixOf(today.caseId).payment).toMatchObject({ reason: '未登记收款账户', months: [next] });
    // Registering the account closes its task; an account the township finds right is confirmed.
    const notThisWay = await decideTask(fixOf(late.caseId).taskId, {
      decision: 'reject',
      reasons: ['账户有误'],
    });
    expect(notThisWay.status).toBe(400);
    expect(notThisWay.body.error.fields).toEqual([expect.objectContaining({ field: 'decision' })]);
    const confirmed = await decideTask(fixOf(late.caseId).taskId, {
      decision: 'approve',
      reasons: ['经核实账户已解冻'],
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(await registerAccount(today.caseId, 3)).toMatchObject({ accountFixesClosed: 1 });
    expect((await inboxTasks('430121', actors.township)).filter((t) => t.kind === 'payeeAccountFix')).toEqual(
      [],
    );

    // The month after: what failed, and what had no account, is paid back.
    const after = addMonthsToMonth(next, 1);
    clock.advance(Math.max(0, Date.parse(monthStartsAt(after)) - clock.now()) + 3_600_000);
    // 追回: a change reported late was overpaid; the county orders it deducted from later payments.
    const recovery = {
      ground: 'overpayment',
      amount: 100,
      method: 'deduct',
      reason: '家庭成员务工收入增加未及时告知，多发救助金',
      documentNumber: '长县民追〔2026〕3号',
      decidedOn: chinaDate(new Date()),
    };
    const tooMuch = await runtime.api(`/cases/${early.caseId}/recoveries`, {
      method: 'POST',
      body: JSON.stringify({ ...recovery, amount: 100_000 }),
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.fields).toEqual([expect.objectContaining({ field: 'amount' })]);
    const ordered = await runtime.api(`/cases/${early.caseId}/recoveries`, {
      method: 'POST',
      body: JSON.stringify(recovery),
    });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    expect(ordered.body.notice).toMatchObject({ kind: 'recovery', title: '追回救助金决定书' });
    expect(ordered.body.notice.body).toContain('第七十六条');
    const recoveryId = ordered.body.recoveryId;

    const third = await start(after);
    expect(third.status, JSON.stringify(third.body)).toBe(202);
    const owed = await roll(third.body.rollId, 'prepared');
    const months = (caseId: string) => lineOf(owed, caseId).months.map((m: Body) => [m.month, m.backPay]);
    expect(months(early.caseId)).toEqual([[after, false]]);
    // At most the county's share (30% unless set) of the line; here the whole 100.
    const earlyLine = lineOf(owed, early.caseId);
    expect(earlyLine.deductions).toEqual([{ recoveryId, amount: 100 }]);
    expect(earlyLine.amount).toBe((Math.round(earlyLine.months[0].amount * 100) - 10_000) / 100);
    expect(owed.totals.deducted).toBe(100);
    expect(months(late.caseId)).toEqual([
      [month, true],
      [next, true],
      [after, false],
    ]);
    expect(months(today.caseId)).toEqual([
      [next, true],
      [after, false],
    ]);
    expect((await verifyAuditLog(late.caseId)).valid).toBe(true);

    // From now on the county's roll is computed on its payroll day (the 5th unless set), checked and
    // submitted by one officer, approved by another.
    expect((await decide(owed.rollId, { decision: 'return', reason: '等待按月自动编制' })).status).toBe(202);
    await roll(owed.rollId, 'returned');
    // The household repays part itself: what is deducted later is what it still owes.
    const repaid = await runtime.api(`/cases/${early.caseId}/recoveries/${recoveryId}/repayments`, {
      method: 'POST',
      body: JSON.stringify({ amount: 30, paidOn: chinaDate(new Date()), receipt: '长县财收 0001' }),
    });
    expect(repaid.status, JSON.stringify(repaid.body)).toBe(201);
    expect(repaid.body).toMatchObject({
      outstanding: 70,
      repayments: [expect.objectContaining({ amount: 30 })],
    });
    const overRepaid = await runtime.api(`/cases/${early.caseId}/recoveries/${recoveryId}/repayments`, {
      method: 'POST',
      body: JSON.stringify({ amount: 80, paidOn: chinaDate(new Date()), receipt: '长县财收 0002' }),
    });
    expect(overRepaid.status).toBe(400);
    const scheduled = addMonthsToMonth(after, 1);
    clock.advance(Math.max(0, Date.parse(`${scheduled}-05T00:00:00+08:00`) - clock.now()) + 3_600_000);
    const auto = await eventually(async () => {
      const list = (await runtime.api('/payrolls?regionCode=430121')).body.rolls as Body[];
      return list.find((r) => r.month === scheduled && r.status === 'computed');
    });
    expect(auto).toMatchObject({ rollId: `430121-${scheduled}-1`, preparedBy: { role: 'system' } });
    const early2 = await decide(auto.rollId, { decision: 'approve' });
    expect(early2.status).toBe(409);
    expect(early2.body.error.message).toContain('须先由一名县级工作人员核对提交');
    expect((await decide(auto.rollId, { decision: 'submit' }, actors.county)).status).toBe(202);
    expect((await decide(auto.rollId, { decision: 'approve' }, actors.county)).status).toBe(403);
    expect((await decide(auto.rollId, { decision: 'approve' })).status).toBe(202);
    const autoApproved = await roll(auto.rollId, 'approved');
    expect(autoApproved.preparedBy).toMatchObject({ subject: 'test-county' });
    expect(lineOf(autoApproved, early.caseId).months.map((m: Body) => m.month)).toEqual([after, scheduled]);
    expect(lineOf(autoApproved, early.caseId).deductions).toEqual([{ recoveryId, amount: 70 }]);

    // Paid: the deduction goes on the ledger and the order is settled.
    const autoLines = await downloadBankFile(auto.rollId);
    expect((await upload(auto.rollId, returnFile(autoLines))).status).toBe(202);
    await roll(auto.rollId, 'reconciled');
    const settled = await runtime.api(`/cases/${early.caseId}/payments`, {}, actors.applicant);
    expect(settled.body.recoveries).toEqual([
      expect.objectContaining({ recoveryId, outstanding: 0, deductions: { [auto.rollId]: 70 } }),
    ]);
    expect(settled.body.payments.map((p: Body) => p.month)).toEqual([month, next, after, scheduled]);
    const ledger = await verifyAuditLog(early.caseId);
    expect(ledger.valid).toBe(true);
    expect(ledger.log.map((e) => e.action)).toEqual(
      expect.arrayContaining(['recovery.ordered', 'recovery.repaid', 'recovery.deducted', 'payee.changed']),
    );
  });

  it('takes the account declared with the application, sealed on the case and apart from the declaration', async () => {
    const account = {
      kind: 'socialSecurityCard',
      bankName: '长沙银行星沙支行',
      accountNumber: validCard(7),
      accountName: '李四',
    };
    const wrong = await runtime.api('/applications', {
      method: 'POST',
      body: JSON.stringify({
        ...application(),
        payeeAccount: {
          ...account,
          accountNumber: `${account.accountNumber.slice(0, -1)}${(Number(account.accountNumber.at(-1)) + 1) % 10}`,
        },
      }),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual([
      expect.objectContaining({ field: 'payeeAccount.accountNumber' }),
    ]);
    const submitted = await runtime.api('/applications', {
      method: 'POST',
      body: JSON.stringify({ ...application(), payeeAccount: account }),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const { caseId, applicationId } = submitted.body;
    const seen = await runtime.api(`/cases/${caseId}/payments`, {}, actors.township);
    expect(seen.body.payeeAccount).toMatchObject({
      kind: 'socialSecurityCard',
      bankName: '长沙银行星沙支行',
      accountNumberMasked: `${account.accountNumber.slice(0, 4)}${'*'.repeat(11)}${account.accountNumber.slice(-4)}`,
      changedBy: { role: 'applicant' },
    });
    const view = await runtime.api(`/applications/${applicationId}`);
    expect(JSON.stringify(view.body)).not.toContain(account.accountNumber);
    expect((await readAuditLog(caseId)).entries.map((e) => e.action)).toContain('payee.changed');
  });

  it('voids an approved roll whose bank file could not be made, and keeps one the bank may have paid', async () => {
    const month = chinaMonth(new Date());
    const approvedRoll = async (seq: number) => {
      const rollId = rollIdOf('430102', month, seq);
      expect(
        await payrollRepo.createRoll({
          rollId,
          regionCode: '430102',
          month,
          seq,
          since: month,
          status: 'computing',
          preparedBy: { subject: 'test-county', name: '县民政局经办人', role: 'countyOfficer' },
          preparedAt: new Date().toISOString(),
          executionArn: `arn:aws:states:us-east-1:000000000000:execution:Payroll:${rollId}`,
        }),
      ).toEqual({ created: true });
      expect(await payrollRepo.updateRoll(rollId, ['computing'], { status: 'approved' })).toBe(true);
      await payrollRepo.releaseLock('430102', rollId);
      return rollId;
    };
    const failure = { Error: 'S3.ServiceUnavailable', Cause: '导出失败' };
    // Nothing reached the bank: void, so its months are owed again (not "in transit" forever).
    const unexported = await approvedRoll(1);
    expect(await failRoll({ rollId: unexported, failure })).toMatchObject({ status: 'failed' });
    expect(await payrollRepo.getRoll(unexported)).toMatchObject({
      status: 'failed',
      failure: 'S3.ServiceUnavailable: 导出失败',
    });
    expect((await readAuditLog(`roll-${unexported}`)).entries.map((e) => e.action)).toEqual([
      'payroll.failed',
    ]);
    // The file was made: the bank may have paid it, so the roll stands and the failure is noted.
    const exported = await approvedRoll(2);
    await payrollRepo.updateRoll(exported, ['approved'], {
      bankFile: {
        key: 'k',
        indexKey: 'i',
        fileName: 'f.csv',
        lines: 0,
        total: 0,
        excluded: [],
        exportedAt: new Date().toISOString(),
      },
    });
    expect(await failRoll({ rollId: exported, failure })).toMatchObject({ status: 'approved' });
    expect(await payrollRepo.getRoll(exported)).toMatchObject({
      status: 'approved',
      failure: 'S3.ServiceUnavailable: 导出失败',
    });
  });

  it('refuses a malformed or far month naming the field, and writes nothing', async () => {
    const bad = await start('2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ field: 'month' })]);
    const far = await start(addMonthsToMonth(chinaMonth(new Date()), 3));
    expect(far.status).toBe(400);
    expect(far.body.error.fields).toEqual([expect.objectContaining({ field: 'month' })]);
    expect((await runtime.api('/payrolls/430121-2026-12-9')).status).toBe(404);
  });

  it('escalates an approval past its working-day due date, in the inbox as on the roll', async () => {
    const month = chinaMonth(new Date());
    const started = await runtime.api(
      '/payrolls',
      { method: 'POST', body: JSON.stringify({ regionCode: '430103', month }) },
      actors.county,
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const prepared = await roll(started.body.rollId, 'prepared');
    const task = await inboxTask('430103', 'payrollApproval', actors.countyApprover);
    expect(task.dueDate).toBe(prepared.approvalDueDate);

    clock.advance(Math.max(0, Date.parse(endOfChinaDay(prepared.approvalDueDate)) - clock.now()) + 60_000);
    const escalated = await eventually(async () => {
      const got = (await runtime.api(`/payrolls/${prepared.rollId}`)).body;
      return got.escalations?.length === 1 ? got : undefined;
    });
    expect(escalated.approvalDueDate > prepared.approvalDueDate).toBe(true);
    const inInbox = await eventually(async () =>
      (await inboxTasks('430103', actors.countyApprover)).find((t) => t.status === 'escalated'),
    );
    expect(inInbox).toMatchObject({
      taskId: task.taskId,
      dueDate: escalated.approvalDueDate,
      escalations: [
        {
          escalatedAt: expect.any(String),
          overdueSince: prepared.approvalDueDate,
          newDueDate: escalated.approvalDueDate,
        },
      ],
    });
    // Still decidable, from the inbox: approved, and out of it.
    const decided = await decideTask(task.taskId, { decision: 'approve', reasons: ['逾期审批，已核对'] });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await roll(prepared.rollId, 'approved');
    expect(await inboxTasks('430103', actors.countyApprover)).toEqual([]);
  });
});
