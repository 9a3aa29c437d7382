/**
 * The department officers' page (部门预警处置) and the township's home checks in a real browser
 * (Debian's Chromium through playwright-core) against an in-memory local runtime: a 医保 officer signs in
 * through the page's own card (department chosen), sees the warning pushed to their department, meets the
 * feedback form's errors named in Chinese, answers, and sees the answer recorded; a township caseworker
 * finds the home check (入户核查) of another warning in the workbench and records the verdict; the
 * officer opens a special-assistance demand (需求推送), sees who it reaches and answers it. Every page
 * at 375 px and 1280 px: no sideways scrolling, no console error. Screenshots in test-artifacts/e2e/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDemands } from '../../shared/demands.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { stableId } from '../../shared/domain/ids.ts';
import {
  NO_WORKFLOW_TOKEN,
  openVerificationTask,
  putWarning,
  VERIFICATION_KIND,
  type WarningRecord,
} from '../../shared/repositories/monitoring.ts';
import { validId } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';
import { fitsWidth, screenshot, useBrowser, widths } from './browser.ts';

const runtime = useRuntime();
const browser = useBrowser(() => runtime.rt.apiUrl);

const person = validId('430121', '19700101', 21);
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const plusDays = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

function warning(over: Partial<WarningRecord>): WarningRecord {
  const at = new Date().toISOString();
  return {
    warningId: `wrn-${'1'.repeat(24)}`,
    riskType: 'illness',
    cause: null,
    ruleId: 'illnessOutOfPocket',
    department: 'medicalInsurance',
    homeCheck: false,
    scope: 'inside',
    householdId: 'HH-E2E-1',
    caseId: null,
    chainId: 'household-HH-E2E-1',
    regionCode: '430121',
    source: 'medicalInsurance',
    recordId: 'MI-E2E-1',
    eventDate: today(),
    subject: maskIdNumber(person),
    message:
      '因病预警（医疗费用个人自付负担重）：医保结算个人自付25,000.00元（总费用30,000.00元），达到监测线12,000.00元。户 HH-E2E-1（低保边缘家庭，在保）；请核实并落实医疗救助等专项救助（推送医疗保障部门）。',
    clause: '国办发〔2021〕42号',
    indicatorVersion: '430121:2026-01-01+000000:2024-01-01',
    sampleData: true,
    asOf: today(),
    status: 'pushed',
    runId: `run-${'2'.repeat(24)}`,
    raisedAt: at,
    pushedAt: at,
    dueDate: plusDays(14),
    feedbackWorkingDays: 10,
    feedbackClause: '国办发〔2023〕39号（示例）',
    escalations: [],
    ...over,
  };
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();
async function sees(page: Page, selector: string, expected: string, timeout = 15_000) {
  await page.locator(selector, { hasText: expected }).first().waitFor({ timeout });
}

async function signInDepartment(page: Page) {
  await page.locator('#signin-form').waitFor();
  await page.click('#signin-button');
  await sees(page, '#signin-department-error', '所属部门：请选择所属部门');
  await sees(page, '#signin-name-error', '姓名');
  await page.selectOption('#signin-department', 'medicalInsurance');
  await page.fill('#signin-name', '医保局钱七');
  await page.fill('#signin-regions', '430121');
  await page.click('#signin-button');
  await page.locator('#identity').waitFor();
  expect(await text(page, '#identity-name')).toBe('医保局钱七');
}

describe('the departments’ warnings page', () => {
  it('a 医保 officer sees the department’s warning and answers it, errors named in Chinese', async () => {
    const w = warning({});
    await putWarning(w);
    // Pushed to 民政: not on the 医保 officer's page.
    await putWarning(
      warning({ warningId: `wrn-${'3'.repeat(24)}`, department: 'civilAffairs', riskType: 'omission' }),
    );

    const page = await browser.page(widths.mobile);
    await page.goto(`${runtime.rt.apiUrl}/department/`);
    await signInDepartment(page);
    await sees(page, '#list h2', '医疗保障部门预警（1）');
    await page.locator(`[data-warning="${w.warningId}"]`).click();
    await sees(page, '#warning-view', '医保结算个人自付25,000.00元');
    expect(await text(page, '#warning-view')).toContain(maskIdNumber(person));
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'department-01-warning-375');

    await page.click('#feedback-button');
    await sees(page, '#result-error', '处置结果：处置结果应为');
    await sees(page, '#measures-error', '处置措施：处置措施至少写2个字');
    await page.check('input[name="result"][value="assisted"]');
    await page.fill('#measures', '已纳入重特大疾病医疗救助');
    await page.click('#feedback-button');
    await sees(page, '#assistance-error', '落实的救助项目：已落实救助帮扶的，须写明落实的救助项目');
    await screenshot(page, 'department-02-errors-375');
    await page.check('input[name="assistance"][value="medicalAssistance"]');
    await page.fill('#amount', '15000');
    await page.click('#feedback-button');
    await sees(page, '#decision-result', '已反馈：已落实救助帮扶');
    await sees(page, '#list', '已反馈');
    await page.locator(`[data-warning="${w.warningId}"]`).click();
    await sees(page, '#feedback-view', '已纳入重特大疾病医疗救助');
    expect(await text(page, '#feedback-view')).toContain('医疗救助');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'department-03-answered-375');
    expect(page.errors).toEqual([]);

    // 需求推送: a determination's demand to 医保, as the determination writes it.
    const [demand] = await createDemands(
      {
        caseId: 'case-e2e-demand',
        cause: 'determination',
        decidedAt: new Date().toISOString(),
        tier: 'dibao',
      },
      {
        started: [
          {
            item: 'medicalPremium',
            department: 'medicalInsurance',
            member: 0,
            benefit: '个人缴费部分全额资助',
            clause: '社会救助法第二十四条',
          },
        ],
        ended: [],
      },
      { regionCode: '430121', members: [{ name: '李四', idNumber: person }] },
    );

    const wide = await browser.page(widths.desktop);
    await wide.goto(`${runtime.rt.apiUrl}/department/`);
    await signInDepartment(wide);
    await sees(wide, '#list h2', '医疗保障部门预警（1）');
    expect(await fitsWidth(wide)).toBe(true);
    await screenshot(wide, 'department-04-list-1280');

    // The demand: opened (the person named, for the department that acts), answered on the page.
    await sees(wide, '#demands h2', '专项救助需求（1）');
    await wide.locator(`[data-demand="${demand!.demandId}"] button`).click();
    await sees(wide, '#demand-view', '新增城乡居民基本医疗保险个人缴费资助');
    expect(await text(wide, '#demand-name')).toBe('李四');
    expect(await text(wide, '#demand-id-number')).toBe(person);
    await wide.click('#demand-button');
    await sees(wide, '#demand-error', '办理结果：');
    await wide.check('input[name="demand-result"][value="granted"]');
    await wide.fill('#demand-measures', '已资助2027年度个人缴费');
    await wide.click('#demand-button');
    await sees(wide, '#demand-result', '已反馈：已落实');
    await sees(wide, '#demands', '已反馈');
    await screenshot(wide, 'department-04b-demand-1280');

    // 增减变动名单: this month's list names the person the demand reached, masked, with the file to fetch.
    await wide.click('#changes-button');
    await sees(wide, '#changes-result', '新增 1 人，变更 0 人，减少 0 人');
    expect(await text(wide, '#changes-result table')).toContain(maskIdNumber(person));
    const href = await wide.locator('#changes-download').getAttribute('href');
    expect(await (await fetch(href!)).text()).toContain(`新增,李四,${person},430121,`);

    // 结果互认: people looked up by ID number, one a line; a bad line is named before anything is sent.
    const stranger = validId('430121', '19700101', 977);
    await wide.click('#lookup-button');
    await sees(wide, '#lookup-purpose-error', '查询用途：');
    await wide.fill('#lookup-purpose', '资助城乡居民医保个人缴费');
    await wide.fill('#lookup-ids', `${stranger}\n12345`);
    await wide.click('#lookup-button');
    await sees(wide, '#lookup-ids-error', '第2行：');
    await wide.fill('#lookup-ids', stranger);
    await wide.click('#lookup-button');
    await sees(wide, '#lookup-result', '查询 1 人，其中 0 人属于低收入人口');
    expect(await text(wide, '#lookup-result [data-position="0"]')).toContain(maskIdNumber(stranger));
    await screenshot(wide, 'department-05-lookup-1280');
    expect(wide.errors).toEqual([]);
  });

  it('the township finds a home check (入户核查) in the workbench and records the verdict', async () => {
    const w = warning({
      warningId: `wrn-${'4'.repeat(24)}`,
      department: 'civilAffairs',
      riskType: 'omission',
      homeCheck: true,
      message:
        '疑似漏保（因病）：医保结算个人自付25,000.00元……请民政部门会同乡镇（街道）入户核查是否符合救助条件。',
    });
    await putWarning(w);
    const taskId = stableId('task', w.warningId, 'verification');
    await openVerificationTask({
      taskId,
      kind: VERIFICATION_KIND,
      status: 'open',
      round: 1,
      applicationId: w.warningId,
      caseId: w.chainId,
      township: '430121',
      taskToken: NO_WORKFLOW_TOKEN,
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:doudi-monitoring:${w.runId}`,
      createdAt: new Date().toISOString(),
      dueDate: w.dueDate,
      warning: {
        warningId: w.warningId,
        riskType: w.riskType,
        department: w.department,
        subject: w.subject,
        message: w.message,
        householdId: w.householdId,
      },
    });
    for (const viewport of [widths.mobile, widths.desktop]) {
      const page = await browser.page(viewport);
      await page.goto(`${runtime.rt.apiUrl}/workbench/`);
      await page.locator('#signin-form').waitFor();
      await page.check('input[name="signin-role"][value="townshipCaseworker"]');
      await page.fill('#signin-name', '李四');
      await page.fill('#signin-regions', '430121');
      await page.click('#signin-button');
      await page.locator(`[data-task="${taskId}"]`).click();
      await sees(page, '#case-view', '动态监测预警入户核查');
      expect(await text(page, '#case-view')).toContain('疑似漏保');
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, `workbench-home-check-${viewport.width}`);
      if (viewport === widths.desktop) {
        await page.check('input[name="decision"][value="approve"]');
        await page.fill('#reasons', '入户核实：住院费用属实，家庭无力负担');
        await page.click('#decide-button');
        await sees(page, '#decision-result', '已提交');
      }
      expect(page.errors).toEqual([]);
      await page.close();
    }
    const res = await runtime.api(
      `/warnings/${w.warningId}`,
      {},
      { role: 'countyOfficer', regionCodes: ['430000'], subject: 'e2e-county' },
    );
    expect(res.body.verification).toMatchObject({
      status: 'decided',
      decision: { decision: 'approve', decidedBy: '李四' },
    });

    // 疑似漏保 found real: the township is to contact the household and help it apply (主动发现).
    const outreachId = stableId('task', stableId('dsc', w.warningId), 'outreach');
    const page = await browser.page(widths.desktop);
    await page.goto(`${runtime.rt.apiUrl}/workbench/`);
    await page.locator('#signin-form').waitFor();
    await page.check('input[name="signin-role"][value="townshipCaseworker"]');
    await page.fill('#signin-name', '李四');
    await page.fill('#signin-regions', '430121');
    await page.click('#signin-button');
    await page.locator(`[data-task="${outreachId}"]`).click();
    await sees(page, '#outreach-view', '动态监测疑似漏保');
    expect(await text(page, '#outreach-observed')).toBe(w.message);
    await page.check('input[name="decision"][value="approve"]');
    await page.click('#decide-button');
    await sees(page, '#applicationId-error', '已协助申请的，请填写申请编号');
    await page.check('input[name="decision"][value="reject"]');
    await page.fill('#reasons', '已联系，本人已由子女接回赡养，不申请');
    await page.click('#decide-button');
    await sees(page, '#decision-result', '已提交');
    await screenshot(page, 'workbench-outreach-1280');
    expect(page.errors).toEqual([]);
  });
});
