/**
 * The households' stories (see `index.ts` for what each lives through), each driven through the HTTP
 * API as its people would act, the virtual clock moved rather than waited on: 户2 and 户3 here, 户1
 * in `household1.ts`, and the review every application goes through.
 */

import { chinaDate } from '../../shared/domain/dates.ts';
import { endOfChinaDay, tierLabel } from '../../shared/domain/lifecycle.ts';
import {
  applicant,
  county,
  FURONG,
  H2,
  H3,
  type Household,
  liSi,
  township,
  wangFang,
  ZHONGMOU,
} from './households.ts';
import { type DemoSession, rmb, tierEn, yuan } from './session.ts';

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
