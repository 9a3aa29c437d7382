/**
 * Who decides (社会救助法第四十四条), over HTTP on the local runtime. The township proposes and the
 * county decides — a proposed refusal included, which the county may send back for a new round
 * that must be noticed again before an approval. Where the province lets townships decide (第二款,
 * `decisionAuthority`), the township's result is the determination, within its own total time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleParameterVersions } from '../../shared/parameters/index.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

describe('a proposed refusal the county does not accept', () => {
  it('goes back to the township with the county’s reasons; a new round is noticed, then the county approves', async () => {
    const { applicationId, caseId } = await flow.submit(application());
    const county = await flow.proposeRefusal(applicationId, '430121', {
      decision: 'reject',
      reasons: ['邻里反映有务工收入'],
    });
    expect(county.proposal).toMatchObject({ decision: 'reject', reasons: ['邻里反映有务工收入'] });
    const sentBack = await flow.decide(county.taskId, {
      decision: 'approve',
      reasons: ['经信息核对无务工收入，退回重新审核'],
    });
    expect(sentBack.status, JSON.stringify(sentBack.body)).toBe(200);

    // Round 2 at the township, showing why the county sent it back; nothing is decided yet.
    const review = await flow.task(applicationId, 'townshipReview', 2);
    expect(review.returned).toMatchObject({
      decision: 'approve',
      reasons: ['经信息核对无务工收入，退回重新审核'],
    });
    const underReview = await flow.application(applicationId);
    expect(underReview.status).toBe('underReview');
    expect(underReview.determination).toBeNull();
    expect(underReview.decisionLevel).toBe('county');

    // An approval is never made without its public notice.
    const approved = await flow.decide(review.taskId, { decision: 'approve', reasons: ['复查属实'] });
    expect(approved.status).toBe(200);
    await flow.passPublicNotice(applicationId, 2);
    const final = await flow.task(applicationId, 'countyDetermination', 2);
    expect(final.proposal).toBeUndefined();
    expect((await flow.decide(final.taskId, { decision: 'approve' })).status).toBe(200);

    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.determination.tier).toBe('dibao');
    const history = await flow.history(caseId);
    expect(history.states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'ReturnToTownship',
      'NextRound',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'OpenPublicNotice',
      'PublicNotice',
      'ClosePublicNotice',
      'NoticeOutcome',
      'PlanCountyDetermination',
      'CountyDetermination',
      'CountyOutcome',
      'Determine',
      'AlternativeOffered',
      'Closed',
    ]);
  });
});

describe('where the province has townships decide (第四十四条第二款)', () => {
  const hubei = '420000';
  const region = '420102';
  let serial = 0;
  const household = () => {
    serial += 2;
    const base = application({ regionCode: region });
    return {
      ...base,
      members: base.members.map((m, i) => ({ ...m, idNumber: validId(region, '19850303', serial + i) })),
    };
  };

  beforeAll(async () => {
    const hunan = sampleParameterVersions.find((v) => v.regionCode === '430000' && v.residence === 'urban')!;
    const delegated = await api(`/admin/parameters/${hubei}`, {
      method: 'PUT',
      body: JSON.stringify({
        residence: 'urban',
        effectiveFrom: '2026-01-01',
        basis: '测试：某省人民政府规定由乡镇（街道）作出低保确认决定',
        values: {
          ...hunan.values,
          decisionAuthority: {
            value: { level: 'township' },
            clause: '《社会救助法》第四十四条第二款；测试省规定',
          },
        },
      }),
    });
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(201);
  });

  it('determines at the township once the notice passes, with no county stage and a 20-working-day total', async () => {
    const { applicationId, caseId } = await flow.submit(household());
    const review = await flow.task(applicationId, 'townshipReview', 1, region);
    const accepted = await flow.application(applicationId);
    expect(accepted.decisionLevel).toBe('township');
    expect(accepted.reviewDeadline.workingDays).toBe(20);
    expect(
      (await flow.decide(review.taskId, { decision: 'approve', reasons: ['入户调查属实'] })).status,
    ).toBe(200);
    await flow.passPublicNotice(applicationId);

    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'approved');
    expect(app.notice.kind).toBe('approval');
    const history = await flow.history(caseId);
    expect(history.states.slice(-4)).toEqual([
      'NoticeOutcome',
      'DetermineByTownship',
      'AlternativeOffered',
      'Closed',
    ]);
    expect(history.states).not.toContain('CountyDetermination');
  });

  it('refuses at the township, in writing with the remedy', async () => {
    const { applicationId, caseId } = await flow.submit(household());
    const review = await flow.task(applicationId, 'townshipReview', 1, region);
    const rejected = await flow.decide(review.taskId, { decision: 'reject', reasons: ['名下有出租房屋'] });
    expect(rejected.status).toBe(200);

    const app = await flow.applicationWhen(applicationId, (a) => a.status === 'refused');
    expect(app.notice.reasons).toEqual(['乡镇（街道）审核意见：名下有出租房屋']);
    expect(app.notice.remedy).toContain('行政复议');
    const history = await flow.history(caseId);
    expect(history.states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'DetermineRefusal',
      'AlternativeOffered',
      'Closed',
    ]);
  });
});
