/**
 * 户1 张三's story (see `index.ts`): discovered, applied for and approved; its department look-ups,
 * change lists, demands and a complaint; paid month by month, rechecked, eased out and watched after.
 * The longest of the three, so a file of its own beside `stories.ts`.
 */

import type { Department } from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, startOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { simulatedReturn } from '../../shared/payroll-files.ts';
import {
  applicant,
  CHANGSHA_COUNTY,
  county,
  countyApprover,
  departmentOfficer,
  H1,
  township,
  zhangSan,
} from './households.ts';
import { DAY_MS, type DemoSession, type Json, rmb, yuan } from './session.ts';
import { reviewApplication } from './stories.ts';
import type { PaymentView } from './summary.ts';

export async function household1(d: DemoSession) {
  const s = d.summary.approved;
  // 主动发现: the village committee reports the household before it applies (第三十九条).
  const found = await d.api(
    township(CHANGSHA_COUNTY),
    'POST',
    '/discoveries',
    {
      regionCode: CHANGSHA_COUNTY,
      source: 'committee',
      reportedBy: '长桥村委会',
      address: '长桥村三组',
      observed: '父子二人，父亲失业，儿子上小学，仅靠少量转移性收入生活',
      urgency: 'normal',
    },
    [201],
  );
  d.step(
    H1,
    `村委会报告：该户可能需要救助（主动发现），乡镇${found.dueDate}前联系并协助申请`,
    `the village committee reported the household; the township is to contact it by ${found.dueDate}`,
  );
  const submitted = await d.api(
    applicant,
    'POST',
    '/applications',
    zhangSan([{ kind: 'transfer', monthlyAmount: 200 }]),
    [202],
  );
  s.applicationId = submitted.applicationId;
  s.caseId = submitted.caseId;
  d.step(
    H1,
    '提交低保申请（自主申报，签署如实申报承诺、授权核对家庭经济状况）',
    'applied for dibao online (self-declaration, truthfulness pledge, consent to verification)',
  );
  await d.api(township(CHANGSHA_COUNTY), 'POST', `/tasks/${found.taskId}/decision`, {
    decision: 'approve',
    reasons: ['上门告知低保政策，协助在线申请'],
    applicationId: submitted.applicationId,
  });
  s.discoveryId = found.discoveryId as string;
  d.step(
    H1,
    '乡镇上门告知政策、协助申请，主动发现任务办结',
    'the township helped it apply; the outreach task is closed',
  );
  const app = await reviewApplication(d, H1, submitted.applicationId, CHANGSHA_COUNTY);
  s.tier = app.tier;
  s.monthlyAmount = app.monthlyAmount;
  s.determinedOn = chinaDate(new Date(app.determination.decidedAt));
  s.nextRecheckDue = app.determination.nextRecheckDue ?? null;
  if (!s.nextRecheckDue) throw new Error('the approval carries no first recheck date');
  // 公布 (社会救助法第四十五条): the approval is published where the household lives, masked.
  const published = await d.until('the approval to be published', async () => {
    const list = await d.client.expect(
      'anonymous',
      'GET',
      `/public/approvals?regionCode=${CHANGSHA_COUNTY}`,
      undefined,
      [200],
    );
    return (list as { entries: Array<Record<string, unknown>> }).entries.find(
      (e) => e.decidedOn === s.determinedOn,
    );
  });
  d.step(
    H1,
    `确认结果在所在地公布至${String(published.publishedUntil)}：${String(published.applicantName)}，${String(published.householdSize)}人，${String(published.tierLabel)}，每月${yuan(Number(published.monthlyAmount))}（不公布身份证号码）`,
    `the approval is published locally until ${String(published.publishedUntil)}, name masked, no ID numbers`,
  );
  await d.expectFirstRecheck(submitted.caseId);
  d.step(
    H1,
    `首次定期核查排定于${s.nextRecheckDue}`,
    `first periodic recheck scheduled for ${s.nextRecheckDue}`,
  );
  await answerDemands(d, submitted.caseId);
  await lookupAndChanges(d);
  await complaintAbout(d);
}

/**
 * 结果互认 and 增减变动名单: 医保 looks the household's members up by ID number (both in the low-income
 * population, 低保, with the premium subsidy), and the month's change list names both as 新增 — as the
 * register says.
 */
async function lookupAndChanges(d: DemoSession) {
  const officer = departmentOfficer('medicalInsurance', CHANGSHA_COUNTY);
  const members = zhangSan([]).members.map((m) => m.idNumber);
  const looked = await d.api(officer, 'POST', '/register/lookup', {
    regionCode: CHANGSHA_COUNTY,
    purpose: '资助2027年度城乡居民医保个人缴费',
    idNumbers: members,
  });
  const month = chinaDate(new Date()).slice(0, 7);
  const changes = await d.api(
    officer,
    'GET',
    `/register/changes?regionCode=${CHANGSHA_COUNTY}&month=${month}`,
  );
  const found = (looked.results as Json[]).filter((r) => r.inLowIncomePopulation && r.tier === 'dibao');
  const entered = (changes.rows as Json[]).filter((r) => r.change === 'entered');
  d.summary.approved.lookup = { found: found.length, entered: entered.length };
  d.step(
    H1,
    `医保部门查询认定结果（结果互认）：${found.length}人属于低收入人口（最低生活保障）；${month}增减变动名单新增${entered.length}人`,
    `medical insurance looked the members up: ${found.length} in the low-income population; the month's change list has ${entered.length} entered`,
  );
}

/**
 * 举报投诉: someone reports online, without signing in, that the household has undeclared income; the
 * county verifies it, finds it untrue and concludes, and the reporter reads the conclusion by code.
 */
async function complaintAbout(d: DemoSession) {
  const made = (await d.client.expect(
    'anonymous',
    'POST',
    '/complaints',
    {
      regionCode: CHANGSHA_COUNTY,
      kind: 'ineligiblePaid',
      content: '长桥村三组张某家有人在外务工，收入较高，仍在享受低保',
    },
    [201],
  )) as Json;
  d.step(
    H1,
    `有人网上举报该户收入较高（匿名），县级民政部门${made.dueDate}前核实处理；举报人获得查询码`,
    `an anonymous online report about the household; the county is to conclude by ${made.dueDate}`,
  );
  const task = await d.until('the complaint in the county inbox', async () => {
    const { tasks } = await d.api(county(CHANGSHA_COUNTY), 'GET', `/tasks?township=${CHANGSHA_COUNTY}`);
    return (tasks as Json[]).find((t) => (t.complaint as Json | undefined)?.complaintId === made.complaintId);
  });
  await d.api(county(CHANGSHA_COUNTY), 'GET', `/complaints/${made.complaintId}`);
  await d.api(county(CHANGSHA_COUNTY), 'POST', `/tasks/${task.taskId}/decision`, {
    decision: 'reject',
    reasons: ['经入户核查和人社、银行数据核对，该户无外出务工收入，举报不属实'],
  });
  const told = (await d.client.expect(
    'anonymous',
    'GET',
    `/complaints/${made.complaintId}/status?code=${made.code}`,
    undefined,
    [200],
  )) as Json;
  d.summary.approved.complaint = { complaintId: made.complaintId as string, status: told.status as string };
  d.step(
    H1,
    `县级核实：举报不属实（${(told.conclusion as Json).reasons}）；举报人凭查询码看到处理结果`,
    'the county found the report untrue; the reporter read the conclusion with the code',
  );
}

/** What each department did about the demands the determination pushed to it. */
const demandAnswers: Partial<Record<Department, string>> = {
  medicalInsurance: '已资助城乡居民医保个人缴费，纳入医疗救助对象',
  education: '已发放义务教育阶段生活补助',
  humanResources: '已办理失业登记，推荐公益性岗位',
};

/**
 * 需求推送: the determination's special-assistance items reach 医保, 教育 and 人社 (the sweep pushes
 * them within the minute); each department's officer answers its own on the department page.
 */
async function answerDemands(d: DemoSession, caseId: string) {
  await d.advance(2);
  for (const [department, measures] of Object.entries(demandAnswers) as Array<[Department, string]>) {
    const officer = departmentOfficer(department, CHANGSHA_COUNTY);
    const demands = await d.until(`the demands pushed to ${department}`, async () => {
      const list = await d.api(officer, 'GET', `/demands?regionCode=${CHANGSHA_COUNTY}`);
      const mine = (list.demands as Json[]).filter((x) => x.caseId === caseId);
      return mine.length && mine.every((x) => x.status === 'pushed') ? mine : undefined;
    });
    for (const demand of demands)
      await d.api(officer, 'POST', `/demands/${demand.demandId}/feedback`, { result: 'granted', measures });
    d.summary.approved.demands.push(...demands.map((x) => `${department}:${x.item}`));
    d.step(
      H1,
      `需求推送${demands[0]!.departmentLabel}：${[...new Set(demands.map((x) => x.itemLabel))].join('、')}（${demands.length}项，${demands[0]!.dueDate}前反馈）；部门反馈：${measures}`,
      `demands pushed to ${department} (${demands.length}), answered: granted`,
    );
  }
}

/**
 * One month's roll of 长沙县 through the bank: prepared (by the officer, or computed on the county's
 * payroll day and submitted by the officer), approved by a second officer, the bank file downloaded
 * once and the bank's return reconciled. Answers what the household's line paid.
 */
async function payMonth(d: DemoSession, caseId: string, month: string, scheduled: boolean) {
  const preparer = county(CHANGSHA_COUNTY);
  const approver = countyApprover(CHANGSHA_COUNTY);
  const rollOf = async (status: string) =>
    d.until(`the ${month} roll to be ${status}`, async () => {
      const { rolls } = await d.api(preparer, 'GET', `/payrolls?regionCode=${CHANGSHA_COUNTY}`);
      return (rolls as Json[]).find((r) => r.month === month && r.status === status);
    });
  let rollId: string;
  if (scheduled) {
    rollId = (await rollOf('computed')).rollId as string;
    await d.api(preparer, 'POST', `/payrolls/${rollId}/decision`, { decision: 'submit' }, [202]);
  } else {
    const started = await d.api(preparer, 'POST', '/payrolls', { regionCode: CHANGSHA_COUNTY, month }, [202]);
    rollId = started.rollId as string;
    await rollOf('prepared');
  }
  await d.api(approver, 'POST', `/payrolls/${rollId}/decision`, { decision: 'approve' }, [202]);
  await d.until(`the ${month} bank file`, async () => {
    const roll = await d.api(preparer, 'GET', `/payrolls/${rollId}`);
    return roll.bankFile ? roll : undefined;
  });
  const link = await d.api(approver, 'POST', `/payrolls/${rollId}/bank-file`, {});
  const content = await (await fetch(link.url as string)).text();
  await d.api(
    preparer,
    'POST',
    `/payrolls/${rollId}/bank-return`,
    { content: simulatedReturn(content) },
    [202],
  );
  const roll = await d.until(`the ${month} roll to be reconciled`, async () => {
    const r = await d.api(preparer, 'GET', `/payrolls/${rollId}`);
    return r.status === 'reconciled' ? r : undefined;
  });
  const line = (roll.lines as Json[]).find((l) => l.caseId === caseId);
  if (!line) throw new Error(`the ${month} roll has no line for the household`);
  d.step(
    H1,
    `${month}发放名册（${scheduled ? '编制日系统自动计算，经办人核对提交' : '县级工作人员编制'}，另一名工作人员审批）：银行文件代发，回盘对账，本户${month}救助金${yuan(line.amount as number)}已到账`,
    `${month} payment roll (${scheduled ? 'computed on the payroll day, submitted by an officer' : 'prepared by a county officer'}, approved by a second): paid through the bank file, reconciled from the bank's return — ${rmb(line.amount as number)} reached the household`,
  );
}

export async function household1Later(d: DemoSession) {
  const s = d.summary.approved;
  const caseId = s.caseId!;
  const due = s.nextRecheckDue!;

  // 按月发放: the township registers the household's account; the county pays the first months.
  await d.api(township(CHANGSHA_COUNTY), 'PUT', `/cases/${caseId}/payee-account`, {
    kind: 'bankCard',
    bankName: '中国农业银行长沙县支行',
    accountNumber: '6228480012345678903',
    accountName: '张三',
  });
  d.step(
    H1,
    '乡镇经办人登记收款账户（账号加密保存，只显示脱敏号码）',
    'the township registered the household’s bank card (sealed; shown masked)',
  );
  const first = addMonthsToMonth(s.determinedOn!.slice(0, 7), 1);
  await d.advanceTo(`${first}-02T09:00:00+08:00`);
  await payMonth(d, caseId, first, false);
  const second = addMonthsToMonth(first, 1);
  await d.advanceTo(`${second}-05T10:00:00+08:00`);
  await payMonth(d, caseId, second, true);
  s.paidMonths = [first, second];

  // A few weeks before the recheck, 张三 has found work and declares it.
  await d.advanceTo(Date.parse(startOfChinaDay(due)) - 40 * DAY_MS);
  const {
    applicant: _a,
    requestedTier: _r,
    ...declaration
  } = zhangSan([{ kind: 'wage', monthlyAmount: 3000 }]);
  await d.api(applicant, 'POST', `/cases/${caseId}/declaration`, declaration, [201]);
  d.step(
    H1,
    '张三在本地物流公司就业（月工资3000.00元），申报家庭情况变化',
    'Zhang San found a job at a local logistics firm (wage ¥3000.00/month) and declared the change',
  );

  // The recheck falls due: the sweeper starts it.
  await d.advanceTo(startOfChinaDay(due));
  await d.execution(caseId, 'Recheck', 1, 'the recheck to start', () => true);
  d.step(
    H1,
    '定期核查启动（最新申报，当日有效的救助参数）',
    'periodic recheck started (latest declaration, parameters in force today)',
  );
  const task = await d.task(
    CHANGSHA_COUNTY,
    'the recheck confirmation task',
    (t) => t.caseId === caseId && t.kind === 'recheckConfirmation',
  );
  s.recheck.outcome = task.recheck.outcome;
  s.recheck.reasons = task.recheck.reasons;
  d.step(
    H1,
    `核查发现变化：${task.recheck.reasons[0]}`,
    'recheck found a change: with the new job the household is above the dibao line',
  );
  if (task.recheck.outcome !== 'gradualExit') {
    throw new Error(`the recheck proposed ${task.recheck.outcome}, not a gradual exit`);
  }
  d.step(
    H1,
    `拟按就业渐退办理，确认任务进入经办人待办，${task.dueDate}前办结`,
    `proposed: gradual exit (recovered through employment); confirmation task due ${task.dueDate}`,
  );
  await d.api(township(CHANGSHA_COUNTY), 'POST', `/tasks/${task.taskId}/decision`, {
    decision: 'approve',
    reasons: ['入户核实：已稳定就业，劳动合同一年'],
    decidedBy: '乡镇经办人 赵六',
  });
  s.recheck.confirmedOn = chinaDate(new Date());

  // 听取意见 (社会救助法第四十八条): before the exit is decided, 张三 is told why and may answer.
  await d.execution(caseId, 'Recheck', 1, 'the hearing to open', (e) => e.states.includes('AwaitHearing'));
  const told = (await d.notices(caseId)).find((n) => n.kind === 'hearing');
  if (!told) throw new Error('no hearing notice before the gradual exit');
  const answerBy = /请于(\d{4}-\d{2}-\d{2})前/.exec(told.body)?.[1] ?? '';
  d.step(
    H1,
    `作出决定前听取意见：书面告知拟渐退的理由，请于${answerBy}前陈述意见（《${told.title}》）`,
    `before deciding, the household is heard: the reasons are served in writing, answer by ${answerBy}`,
  );
  await d.api(applicant, 'POST', `/cases/${caseId}/hearing`, { opinion: 'agree' }, [200]);
  d.step(
    H1,
    '张三在申请状态页面陈述意见：对渐退无异议',
    'Zhang San answers online: no objection to the gradual exit',
  );
  await d.execution(
    caseId,
    'Recheck',
    1,
    'the recheck to close',
    (e) => e.status !== 'RUNNING' && e.archived,
  );
  const notices = await d.notices(caseId);
  const ge = notices.find((n) => n.kind === 'gradualExit');
  d.step(
    H1,
    `经办人确认，进入渐退期，书面告知：《${ge?.title ?? '渐退告知书'}》`,
    'caseworker confirmed: the gradual exit begins next month, with a written notice',
  );

  // 渐退: one execution per month, started by the sweeper on the 1st, each paying its month once.
  let paid = 0;
  for (let i = 1; ; i++) {
    if (i > 36) throw new Error('the gradual exit did not end within 36 months');
    await d.advanceTo(d.nextMonthStart());
    const { run } = await d.execution(
      caseId,
      'GradualExit',
      i,
      `gradual exit month ${i}`,
      (e) => (e.status !== 'RUNNING' && e.archived) || e.states.includes('WaitForMonthEnd'),
    );
    const { payments } = await d.payments(caseId);
    // The months the county's rolls paid before the recheck are regular payments, not these.
    const exitMonths = (payments as PaymentView[]).filter((p) => p.kind === 'gradualExit');
    for (const p of exitMonths.slice(paid)) {
      const m = /共(\d+)个月/.exec(p.basis);
      if (m) s.gradualExit.months = Number(m[1]);
      d.step(
        H1,
        `渐退期第${paid + 1}个月（${p.month}）发放${yuan(p.amount)}：${p.basis}`,
        `gradual exit month ${paid + 1} (${p.month}): ${rmb(p.amount)} paid and recorded`,
      );
      paid++;
    }
    if (run.states.includes('WaitForMonthEnd')) break;
  }
  await d.advanceTo(d.nextMonthStart());
  await d.execution(
    caseId,
    'GradualExit',
    paid,
    'the gradual exit to end',
    (e) => e.status !== 'RUNNING' && e.archived && e.states.includes('Exit'),
  );
  const item = await d.caseItem(caseId);
  const exit = (await d.notices(caseId)).find((n) => n.kind === 'exit');
  d.step(
    H1,
    `渐退期满，停发并办结，纳入低收入人口动态监测（${String(item?.nextMonitoringDue ?? '一年后')}前后复查）`,
    `gradual exit over: payments stop, case closed, household stays under monitoring (follow-up around ${String(item?.nextMonitoringDue ?? 'a year on')})`,
  );
  if (exit) d.step(H1, `书面告知：《${exit.title}》`, `written notice "${exit.title}"`);
}
