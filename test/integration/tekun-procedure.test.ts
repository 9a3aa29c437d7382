/**
 * 特困人员认定 as 民发〔2021〕43号 sets it: the county's stage is 15 working days (第十六条), and the
 * county checks at least 30% of applications in the household itself, drawn at random in a way
 * anyone can recompute (第十六条); a household with a staff member's close relative is checked by
 * the county too (民发〔2021〕57号 第十一条). A decision without that check is refused, naming the field.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawValue } from '../../shared/domain/deadlines.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow, calendar, today } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const related = { ...actors.township, subject: 'test-township-kin', name: '孙八（申请人之侄）' };

/** 长沙县 urban: a 72-year-old alone, pension 500 (< 950), no legal supporter — 特困. */
const tekunHousehold = () => {
  const body = application({ requestedTier: 'tekun', obligors: [], hasAbleSupporter: undefined });
  body.members = [{ ...body.members[0]!, age: 72, incomes: [{ kind: 'pension', monthlyAmount: 500 }] }];
  return body;
};

async function toCounty(body: ReturnType<typeof application>) {
  const { applicationId } = await flow.submit(body);
  return { applicationId, county: await flow.reviewToCounty(applicationId) };
}

const homeVisit = () => ({
  homeVisit: { visitedOn: today(), visitors: ['县民政局赵六', '县民政局钱七'], matchesDeclaration: true },
});

describe('特困人员认定', () => {
  it('gives the county 15 working days and draws its home checks reproducibly', async () => {
    const { applicationId, county } = await toCounty(tekunHousehold());
    expect(county.dueDate).toBe(calendar.provisionalDeadline(today(), 15).deadline);
    // Anyone can recompute the draw from the region and the application id.
    const value = drawValue(createHash('sha256').update(`430121|${applicationId}`).digest('hex'));
    expect(county.homeCheck.draw.share).toBe(0.3);
    expect(county.homeCheck.draw.value).toBe(Math.floor(value * 10_000) / 10_000);
    expect(county.homeCheck.required).toBe(value < 0.3);
    expect(county.homeCheck.reasons).toEqual(value < 0.3 ? ['tekunDraw'] : []);
    const decided = await flow.decide(county.taskId, {
      decision: 'approve',
      ...(value < 0.3 ? { findings: homeVisit() } : {}),
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.tier).toBe('tekun');
  });

  it('refuses a county decision without its own home check on a staff member’s relative’s household', async () => {
    const body = application();
    const { applicationId } = await flow.submit(body);
    const declared = await runtime.api(
      '/staff/me/relatives',
      {
        method: 'POST',
        body: JSON.stringify({
          relatives: [
            { name: body.members[0]!.name, idNumber: body.members[0]!.idNumber, relation: 'other' },
          ],
        }),
      },
      related,
    );
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    const county = await flow.reviewToCounty(applicationId);
    expect(county.homeCheck).toEqual({ required: true, reasons: ['relative'] });
    // 单独登记备案 (57号 第十一条): registered separately once the relation is known, and listed so.
    const search = (relatives: boolean) =>
      runtime
        .api(`/cases?regionCode=430121&relatives=${relatives}`, {}, actors.auditor)
        .then((r) => r.body.applications.map((a: { applicationId: string }) => a.applicationId));
    expect(await search(true)).toContain(applicationId);
    expect(await search(false)).not.toContain(applicationId);
    const audit = await runtime.api(`/cases/${county.caseId}/audit`, {}, actors.auditor);
    expect(
      audit.body.entries
        .filter((e: { action: string }) => e.action === 'application.relativesRegistered')
        .map((e: { summary: string }) => e.summary),
    ).toEqual([
      '共同生活家庭成员与最低生活保障经办人员有近亲属关系，单独登记备案（民发〔2021〕57号第十一条）',
    ]);
    // Not a 特困 application: the 低保 county stage, 10 working days.
    expect(county.dueDate).toBe(calendar.provisionalDeadline(today(), 10).deadline);

    const without = await flow.decide(county.taskId, { decision: 'approve' });
    expect(without.status).toBe(400);
    expect(without.body.error.fields).toEqual([
      {
        field: 'findings.homeVisit',
        message:
          '须由县级民政部门入户核查后再作决定（家庭成员与经办人员有近亲属关系（单独登记备案））：请填写入户核查情况',
      },
    ]);
    expect((await flow.application(applicationId)).status).toBe('underReview');
    const decided = await flow.decide(county.taskId, { decision: 'approve', findings: homeVisit() });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  });

  it('has the county check at home a household related to a village committee member, which the township recorded (57号 第十一条)', async () => {
    const body = application();
    const { applicationId } = await flow.submit(body);
    const record = (over: Record<string, unknown>, as: Actor = actors.township) =>
      runtime.api(
        '/staff/committee-relatives',
        {
          method: 'POST',
          body: JSON.stringify({
            regionCode: '430121',
            committee: '星沙街道天华社区居民委员会',
            member: '周某',
            position: '主任',
            relatives: [
              { name: body.members[0]!.name, idNumber: body.members[0]!.idNumber, relation: 'sibling' },
            ],
            ...over,
          }),
        },
        as,
      );
    // Bad input names the field; another township's committee is not this caseworker's to record.
    const bad = await record({ member: '', relatives: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'member',
      'relatives',
    ]);
    expect((await record({}, actors.townshipElsewhere)).status).toBe(403);

    const recorded = await record({});
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const declaration = recorded.body.declarations.find((d: { member: string }) => d.member === '周某');
    expect(declaration).toMatchObject({ committee: '星沙街道天华社区居民委员会', position: '主任' });
    expect(declaration.relatives[0].idNumberMasked).not.toBe(body.members[0]!.idNumber);
    expect(JSON.stringify(recorded.body)).not.toContain(body.members[0]!.idNumber);

    const county = await flow.reviewToCounty(applicationId);
    expect(county.homeCheck).toEqual({ required: true, reasons: ['committeeRelative'] });
    const without = await flow.decide(county.taskId, { decision: 'approve' });
    expect(without.status).toBe(400);
    expect(without.body.error.fields[0].message).toContain('家庭成员与村（居）民委员会成员有近亲属关系');
    const decided = await flow.decide(county.taskId, { decision: 'approve', findings: homeVisit() });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  });
});
