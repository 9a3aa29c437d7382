/**
 * 结果互认 (社会救助法第四十二条第二款) on the in-memory runtime: a department looks people up by ID
 * number and learns whether they are in the low-income population of the region it asked about, their
 * tier and its dates, and only its own special-assistance items — nothing of income, nothing of other
 * departments, nothing about people outside the region (not even that they exist). Every look-up is
 * kept for the auditors; a bad request records nothing.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const education = { ...actors.department, department: 'education' as const, subject: 'test-education' };
const lookUp = (body: Body, as: Actor = actors.department) =>
  runtime.api('/register/lookup', { method: 'POST', body: JSON.stringify(body) }, as);
const recorded = async () =>
  (await runtime.api('/register/lookups?regionCode=430000', {}, actors.auditor)).body.lookups as Body[];

describe('look-ups by departments', () => {
  it('answer each department its own items for the region asked about, and are kept for the auditors', async () => {
    const declaration = application();
    declaration.members[1] = {
      ...declaration.members[1]!,
      schooling: { stage: 'compulsory', fullTime: true },
    };
    const [adult, pupil] = declaration.members.map((m) => m.idNumber);
    const { applicationId, caseId } = await flow.submit(declaration);
    const county = await flow.reviewToCounty(applicationId);
    expect((await flow.decide(county.taskId, { decision: 'approve', reasons: ['符合条件'] })).status).toBe(
      200,
    );
    await flow.applicationWhen(applicationId, (a) => a.status === 'approved' && a.specialAssistance !== null);
    // On the register once the determination's last step has put it there.
    await eventually(async () =>
      (await readAuditLog(caseId)).entries.some((e) => e.action === 'register.updated') ? true : undefined,
    );
    const stranger = validId('430121', '19700101', 901);
    const purpose = '资助2027年度城乡居民医保个人缴费';

    const medical = await lookUp({ regionCode: '430121', purpose, idNumbers: [adult, stranger, pupil] });
    expect(medical.status, JSON.stringify(medical.body)).toBe(200);
    expect(medical.body).toMatchObject({ department: 'medicalInsurance', count: 3, found: 2 });
    const [first, second, third] = medical.body.results as [Body, Body, Body];
    expect(first).toMatchObject({
      position: 0,
      inLowIncomePopulation: true,
      tier: 'dibao',
      tierLabel: '最低生活保障',
      status: 'active',
      since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}/),
      until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(first.idNumber).toBe(`${adult!.slice(0, 6)}********${adult!.slice(14)}`);
    // 医保's own items only: the premium and medical assistance, not the pupil's schooling.
    expect(first.items.map((i: Body) => i.item)).toEqual(['medicalPremium', 'medicalAssistance']);
    expect(second).toEqual({ position: 1, idNumber: expect.any(String), inLowIncomePopulation: false });
    expect(third.items.map((i: Body) => i.item)).toEqual(['medicalPremium', 'medicalAssistance']);
    // Nothing but what the department needs: no income, no names, no full numbers.
    const said = JSON.stringify(medical.body);
    for (const word of ['perCapita', 'income', declaration.members[0]!.name, adult!])
      expect(said).not.toContain(word);

    // 教育 learns of the pupil's education assistance, and nothing for the adult.
    const school = await lookUp(
      { regionCode: '430121', purpose: '义务教育阶段生活补助', idNumbers: [pupil, adult] },
      education,
    );
    expect(school.body.results.map((r: Body) => r.items.map((i: Body) => i.item))).toEqual([
      ['educationAssistance'],
      [],
    ]);

    // Asked about another region in the officer's remit: the household is not there, and that is all.
    const henan = await lookUp({ regionCode: '410000', purpose, idNumbers: [adult] });
    expect(henan.body.results).toEqual([
      { position: 0, idNumber: expect.any(String), inLowIncomePopulation: false },
    ]);
    // Outside the officer's regions: refused.
    expect((await lookUp({ regionCode: '110101', purpose, idNumbers: [adult] })).status).toBe(403);

    // Bad requests name the field, and record nothing.
    const before = (await recorded()).length;
    const tooMany = await lookUp({
      regionCode: '430121',
      purpose,
      idNumbers: Array.from({ length: 1001 }, () => adult),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toEqual([expect.objectContaining({ field: 'idNumbers' })]);
    const noPurpose = await lookUp({ regionCode: '430121', idNumbers: [adult] });
    expect(noPurpose.body.error.fields).toEqual([expect.objectContaining({ field: 'purpose' })]);
    const invalid = await lookUp({ regionCode: '430121', purpose, idNumbers: [adult, '430121198001010000'] });
    expect(invalid.body.error.fields).toEqual([expect.objectContaining({ field: 'idNumbers.1' })]);
    expect(await recorded()).toHaveLength(before);

    // The auditors see who looked up how many people, when and why — not whom.
    const log = await recorded();
    // National auditors (000000) see every province's look-ups.
    const national = {
      role: 'auditor' as const,
      regionCodes: ['000000'],
      subject: 'test-auditor-cn',
      name: '审计',
    };
    const everywhere = await runtime.api('/register/lookups?regionCode=000000', {}, national);
    expect(everywhere.status, JSON.stringify(everywhere.body)).toBe(200);
    const all = everywhere.body.lookups as Body[];
    expect(all.map((l) => l.lookupId)).toEqual(expect.arrayContaining(log.map((l) => l.lookupId)));
    expect(all.some((l) => !l.regionCode.startsWith('43'))).toBe(true);
    expect(log.find((l) => l.lookupId === medical.body.lookupId)).toMatchObject({
      department: 'medicalInsurance',
      departmentLabel: '医疗保障部门',
      regionCode: '430121',
      purpose,
      count: 3,
      found: 2,
      people: 3,
      by: { role: 'departmentOfficer' },
    });
    expect(JSON.stringify(log)).not.toContain(adult!);
    // Other roles do not read it.
    expect((await runtime.api('/register/lookups?regionCode=430000', {}, actors.county)).status).toBe(403);
  });
});
