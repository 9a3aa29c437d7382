/**
 * 专项救助 on the in-memory runtime: a 低保 determination records what the tier entitles each member
 * to beyond the money — and which department delivers it — on the case and its chain; the household
 * sees it with its application; a recheck that ends the benefit ends every item.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { specialRecords } from '../../shared/special-assistance.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const lc = lifecycleHelpers(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

/** The chain's `special.changed` entries once there are `count`: appended after the record and its demands. */
const specialChanges = (caseId: string, count: number) =>
  eventually(
    async () => {
      const entries = (await readAuditLog(caseId)).entries.filter((e) => e.action === 'special.changed');
      return entries.length >= count ? entries : undefined;
    },
    { what: `${count} special.changed on the chain` },
  );

describe('special assistance', () => {
  it('follows the determination to each member and department, and ends with the benefit', async () => {
    const declaration = application({
      housingDifficulty: true,
      specialRequests: ['medicalAssistance', 'educationAssistance', 'disabilitySubsidy'],
    });
    declaration.members[1] = {
      ...declaration.members[1]!,
      schooling: { stage: 'compulsory', fullTime: true },
    };
    const { applicationId, caseId } = await flow.submit(declaration);
    const county = await flow.reviewToCounty(applicationId);
    expect((await flow.decide(county.taskId, { decision: 'approve', reasons: ['符合条件'] })).status).toBe(
      200,
    );
    // Recorded by the step that follows the determination, a moment after the status.
    const approved = await flow.applicationWhen(
      applicationId,
      (a) => a.status === 'approved' && a.specialAssistance !== null,
    );
    expect(approved.specialAssistance).toMatchObject({ tier: 'dibao' });
    const shown = approved.specialAssistance.items.map(
      (i: Body) => `${i.itemLabel}·${i.member ?? '全户'}·${i.departmentLabel}`,
    );
    expect(shown).toEqual([
      '城乡居民基本医疗保险个人缴费资助·张三·医疗保障部门',
      '城乡居民基本医疗保险个人缴费资助·张小明·医疗保障部门',
      '医疗救助·张三·医疗保障部门',
      '医疗救助·张小明·医疗保障部门',
      '教育救助·张小明·教育部门',
      '住房救助·全户·住房城乡建设部门',
      '就业救助·张三·人力资源社会保障部门',
    ]);
    expect(approved.specialAssistance.items[0].clause).toContain('第二十四条');
    // 一次申请、分类审核认定: the notice answers each item asked for.
    expect(approved.notice.specialAnswers).toEqual([
      {
        item: 'medicalAssistance',
        itemLabel: '医疗救助',
        granted: true,
        text: '给予（张三：政策范围内个人自付费用按70%救助，年度限额30,000元；张小明：政策范围内个人自付费用按70%救助，年度限额30,000元），由医疗保障部门办理',
      },
      {
        item: 'educationAssistance',
        itemLabel: '教育救助',
        granted: true,
        text: '给予（张小明：义务教育阶段发放生活补助），由教育部门办理',
      },
      {
        item: 'disabilitySubsidy',
        itemLabel: '困难残疾人生活补贴',
        granted: false,
        text: '按本地专项救助规定，最低生活保障家庭的成员不符合困难残疾人生活补贴的条件，不予给予',
      },
    ]);
    // On the household's chain: what started, once — appended after the record and its demands.
    const changed = await specialChanges(caseId, 1);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.summary).toContain(
      '专项救助新增：城乡居民基本医疗保险个人缴费资助（张三，医疗保障部门）',
    );
    // Caseworkers read it too; another household's applicant does not.
    expect(
      (await runtime.api(`/applications/${applicationId}`, {}, actors.township)).body.specialAssistance,
    ).toEqual(approved.specialAssistance);
    expect((await runtime.api(`/applications/${applicationId}`, {}, actors.otherApplicant)).status).toBe(404);

    // A pension far above the standard: the recheck ends the benefit, and every item with it.
    await lc.declare(caseId, {
      ...declaration,
      members: [
        { ...declaration.members[0]!, incomes: [{ kind: 'pension', monthlyAmount: 6000 }] },
        declaration.members[1]!,
      ],
    });
    await lc.startDue(caseId, 'Recheck');
    const task = await lc.task(caseId, 'recheckConfirmation');
    expect(task.recheck.outcome).toBe('terminate');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['家庭养老金收入超过认定标准'] });
    await lc.hear(caseId, 'agree');
    const ended = await eventually(async () => {
      const records = await specialRecords(caseId);
      return records.length === 2 ? records : undefined;
    });
    expect(ended[1]).toMatchObject({ cause: 'termination', tier: null, items: [] });
    expect(ended[1]!.ended).toEqual(ended[0]!.items);
    const after = await flow.application(applicationId);
    expect(after.specialAssistance).toMatchObject({ tier: null, items: [] });
    const stopped = await specialChanges(caseId, 2);
    expect(stopped.at(-1)!.summary).toContain('专项救助停止：');
  });
});
