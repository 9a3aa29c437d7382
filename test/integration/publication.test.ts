/**
 * 公布 (社会救助法第四十五条): an approval is published where the household lives, masked, for the
 * region's period, and read by anyone without signing in; a refusal is not published.
 */
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { addDays } from '../../shared/domain/dates.ts';
import { applicationFlow, today } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const flow = applicationFlow(runtime);
const published = async (regionCode: string) => {
  const res = await runtime.api(`/public/approvals?regionCode=${regionCode}`, {}, 'anonymous');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
};

async function approve(body: ReturnType<typeof application>) {
  const { applicationId } = await flow.submit(body);
  const county = await flow.reviewToCounty(applicationId);
  expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
  return flow.applicationWhen(applicationId, (a) => a.status === 'approved');
}

describe('publication of approvals', () => {
  it('publishes an approval masked, to anyone, for the region’s period — and nothing of a refusal', async () => {
    const body = application();
    body.members[0]!.name = '张小英';
    const app = await approve(body);
    const decidedOn = today();

    // Published by the step after the one that records the approval: shortly after it.
    const res = await eventually(async () => {
      const r = await published('430121');
      return r.body.entries.length > 0 ? r : undefined;
    });
    const entry = res.body.entries.find((e: { decidedOn: string }) => e.decidedOn === decidedOn);
    expect(entry).toEqual({
      applicantName: '张*英',
      householdSize: 2,
      tier: 'dibao',
      tierLabel: '最低生活保障',
      monthlyAmount: app.monthlyAmount,
      decidedOn,
      // 长沙县's sample period: 30 days.
      publishedUntil: addDays(decidedOn, 30),
    });
    expect(res.body.basis).toContain('第四十五条');
    // Nothing that identifies beyond what the law publishes: no ID number, no name in full, no case.
    const text = JSON.stringify(res.body);
    for (const m of body.members) expect(text).not.toContain(m.idNumber);
    expect(text).not.toContain('张小英');
    expect(text).not.toContain(app.caseId);
    // Another region's list does not show it.
    expect((await published('410122')).body.entries).toEqual([]);

    // A refusal is told to the applicant in writing, not published.
    const refused = application({ assets: { deposits: 900_000, vehicles: [], housingUnits: 1 } });
    const { applicationId } = await flow.submit(refused);
    await flow.refuse(applicationId, '430121', { decision: 'reject', reasons: ['存款超过限额'] });
    expect((await published('430121')).body.entries).toHaveLength(1);

    // The period over, the entry comes down.
    clock.advance(Date.parse(`${addDays(decidedOn, 30)}T16:00:00Z`) - Date.now() + 60_000);
    expect((await published('430121')).body.entries).toEqual([]);
  });

  it('names the field of a bad region, in Chinese', async () => {
    const res = await runtime.api('/public/approvals?regionCode=43', {}, 'anonymous');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      { field: 'query.regionCode', message: '行政区划代码应为6位数字' },
    ]);
  });
});
