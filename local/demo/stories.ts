/**
 * The three households' stories (see `index.ts` for what each lives through), each driven through
 * the HTTP API as its people would act, the virtual clock moved rather than waited on.
 */

import type { Department } from '../../shared/auth.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import {
  addMonthsToMonth,
  endOfChinaDay,
  startOfChinaDay,
  tierLabel,
} from '../../shared/domain/lifecycle.ts';
import { simulatedReturn } from '../../shared/payroll-files.ts';
import {
  applicant,
  CHANGSHA_COUNTY,
  county,
  countyApprover,
  departmentOfficer,
  FURONG,
  H1,
  H2,
  H3,
  type Household,
  liSi,
  township,
  wangFang,
  ZHONGMOU,
  zhangSan,
} from './households.ts';
import { DAY_MS, type DemoSession, type Json, rmb, tierEn, yuan } from './session.ts';
import type { PaymentView } from './summary.ts';

/** One application through the township review, 公示 and the county determination. */
export async function reviewApplication(d: DemoSession, h: Household, applicationId: string, region: string) {
  const task = await d.task(
    region,
    'the township review task',
    (t) => t.applicationId === applicationId && t.kind === 'townshipReview',
  );
  const mt = task.meansTest;
  d.step(
    h,
    `家庭经济状况核查：人均月收入${yuan(mt.perCapitaMonthlyIncome)}，拟认定${tierLabel(mt.tier)}，每月${yuan(mt.monthlyAmount)}`,
    `means test: per-capita income ${rmb(mt.perCapitaMonthlyIncome)}/month, proposed ${tierEn(mt.tier)} at ${rmb(mt.monthlyAmount)}/month`,
  );
  d.step(
    h,
    `乡镇审核任务进入经办人待办，${task.dueDate}前办结（按工作日计）`,
    `township review task in the caseworker's inbox, due ${task.dueDate} (working days)`,
  );
  const today = chinaDate(new Date());
  await d.api(township(region), 'POST', `/tasks/${task.taskId}/decision`, {
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
  d.step(
    h,
    '乡镇审核通过（2人入户调查，人社、不动产、银行存款核对一致）',
    'township review approved (home visit by two staff; employment, property and bank records consistent)',
  );

  const noticed = await d.applicationWhen(
    applicationId,
    'the public notice',
    (a) => a.status === 'publicNotice' && a.publicNotice?.status === 'open',
  );
  const { startsOn, endsOn } = noticed.publicNotice;
  d.step(
    h,
    `公示：${startsOn}至${endsOn}，在村（居）公开拟审核结果`,
    `public notice of the proposed result in the community, ${startsOn} to ${endsOn}`,
  );
  await d.advanceTo(endOfChinaDay(endsOn));
  const countyTask = await d.task(
    region,
    'the county determination task',
    (t) => t.applicationId === applicationId && t.kind === 'countyDetermination',
  );
  d.step(
    h,
    `公示期满无异议，报县级民政部门确认，${countyTask.dueDate}前办结`,
    `public notice closed without objection; county determination due ${countyTask.dueDate}`,
  );
  await d.api(county(region), 'POST', `/tasks/${countyTask.taskId}/decision`, {
    decision: 'approve',
    reasons: ['审核材料齐全，同意确认'],
    decidedBy: '县民政局 钱八',
  });
  const app = await d.applicationWhen(applicationId, 'the determination', (a) => a.determination !== null);
  if (app.status !== 'approved') throw new Error(`application ${applicationId} ended ${app.status}`);
  d.step(
    h,
    `县级民政部门确认：${tierLabel(app.tier)}，每月${yuan(app.monthlyAmount)}`,
    `county determination: ${tierEn(app.tier)} approved at ${rmb(app.monthlyAmount)}/month`,
  );
  d.step(
    h,
    `书面告知《${app.notice.title}》（${app.notice.serveBy}前送达）：${app.notice.body}`,
    `written notice of the determination, to be served by ${app.notice.serveBy}`,
  );
  return app;
}

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

export async function household2(d: DemoSession) {
  const s = d.summary.refused;
  const submitted = await d.api(applicant, 'POST', '/applications', liSi(), [202]);
  s.applicationId = submitted.applicationId;
  s.caseId = submitted.caseId;
  d.step(H2, '提交低保申请（自主申报）', 'applied for dibao online (self-declaration)');
  const task = await d.task(
    ZHONGMOU,
    'the township review task',
    (t) => t.applicationId === submitted.applicationId && t.kind === 'townshipReview',
  );
  d.step(
    H2,
    `家庭经济状况核查（按申报）：人均月收入${yuan(task.meansTest.perCapitaMonthlyIncome)}；乡镇审核${task.dueDate}前办结`,
    `means test on the declaration: per-capita income ${rmb(task.meansTest.perCapitaMonthlyIncome)}/month; township review due ${task.dueDate}`,
  );
  const today = chinaDate(new Date());
  await d.api(township(ZHONGMOU), 'POST', `/tasks/${task.taskId}/decision`, {
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
  d.step(
    H2,
    '入户调查发现隐瞒经营收入，乡镇审核不同意，报县级民政部门确认（社会救助法第四十四条）',
    'home visit found undeclared business income; the township proposes a refusal to the county, which decides',
  );
  const countyTask = await d.task(
    ZHONGMOU,
    'the county determination of the proposed refusal',
    (t) => t.applicationId === submitted.applicationId && t.kind === 'countyDetermination',
  );
  await d.api(county(ZHONGMOU), 'POST', `/tasks/${countyTask.taskId}/decision`, {
    decision: 'reject',
    reasons: ['经复核市场监管登记信息，同意乡镇（街道）意见'],
    decidedBy: '县民政局 钱八',
  });
  d.step(
    H2,
    '县级民政部门复核后同意乡镇意见，决定不予确认',
    'the county reviewed the proposal and decided to refuse',
  );
  const app = await d.applicationWhen(
    submitted.applicationId,
    'the refusal',
    (a) => a.determination !== null,
  );
  s.status = app.status;
  s.decidedOn = chinaDate(new Date(app.determination.decidedAt));
  s.serveBy = app.notice?.serveBy ?? null;
  s.noticeTitle = app.notice?.title ?? null;
  s.reasons = app.notice?.reasons ?? [];
  d.step(
    H2,
    `不予确认，书面告知《${s.noticeTitle}》须于${s.serveBy}前送达（决定后3个工作日内）`,
    `refused; the written notice with reasons must be served by ${s.serveBy} (3 working days after the decision)`,
  );
  s.reasons.forEach((reason, i) => {
    d.step(H2, `理由${i + 1}：${reason}`, `reason ${i + 1} as written in the notice`);
  });
}

export async function household3(d: DemoSession) {
  const s = d.summary.emergency;
  const request = wangFang(chinaDate(new Date()));
  s.requestedAmount = request.requestedAmount;
  const submitted = await d.api(applicant, 'POST', '/emergency', request, [202]);
  s.emergencyId = submitted.emergencyId;
  s.caseId = submitted.caseId;
  d.step(
    H3,
    `家中失火，向急难发生地芙蓉区申请临时救助${yuan(request.requestedAmount)}`,
    `home destroyed by fire; applied for temporary assistance of ${rmb(request.requestedAmount)} where it happened`,
  );
  // Nothing is paid before a caseworker decides: the street office decides the same day.
  const review = await d.task(
    FURONG,
    'the grant review',
    (t) => t.caseId === submitted.caseId && t.kind === 'emergencyGrant',
  );
  await d.api(township(FURONG), 'POST', `/tasks/${review.taskId}/decision`, {
    decision: 'approve',
    reasons: ['家中失火，基本生活无着，情况紧急'],
    amount: review.emergency.maxAmount,
  });
  const view = await d.until('the emergency grant', async () => {
    const v = await d.emergencyView(submitted.emergencyId);
    return v.status === 'granted' ? v : undefined;
  });
  s.grantedAmount = view.grant.amount;
  s.grantLimit = view.grant.limit;
  s.paperworkDue = view.paperwork.dueDate;
  d.step(
    H3,
    `经办人当日决定先行救助：发放${yuan(view.grant.amount)}（当地先行救助上限${yuan(view.grant.limit)}）`,
    `the caseworker decided the same day to pay first: ${rmb(view.grant.amount)} (local limit ${rmb(view.grant.limit)})`,
  );
  const task = await d.task(
    FURONG,
    'the paperwork task',
    (t) => t.caseId === submitted.caseId && t.kind === 'emergencyPaperwork',
  );
  d.step(
    H3,
    `补办手续任务进入经办人待办，${task.dueDate}前办结`,
    `paperwork task in the caseworker's inbox, due ${task.dueDate}`,
  );

  // Two days later the caseworker has the papers: the household needs regular assistance.
  await d.advance(2 * 24 * 60);
  await d.api(township(FURONG), 'POST', `/emergency/${submitted.emergencyId}/paperwork`, {
    decision: 'approve',
    reasons: ['手续齐全，经核实家中失火属实', '家庭长期困难，转为低保申请'],
    convertTo: 'dibao',
    decidedBy: '街道经办人 郑一',
  });
  const converted = await d.until('the conversion', async () => {
    const v = await d.emergencyView(submitted.emergencyId);
    return v.status === 'converted' ? v : undefined;
  });
  const { applicationId, tier } = converted.convertedTo;
  s.convertedTo = { applicationId, tier, status: null, monthlyAmount: null };
  d.step(
    H3,
    `补办手续齐全，先行救助予以确认；转为${tierLabel(tier)}申请（同一案件）`,
    `paperwork complete, the aid confirmed; converted into a regular ${tierEn(tier)} application on the same case`,
  );
  const app = await reviewApplication(d, H3, applicationId, FURONG);
  s.convertedTo = { applicationId, tier, status: app.status, monthlyAmount: app.monthlyAmount };
}
