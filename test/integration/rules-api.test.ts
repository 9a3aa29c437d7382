/**
 * The rules over HTTP on the local runtime: the means-test preview (试算), working-day deadlines,
 * and parameters and holiday arrangements loaded by an administrator as data.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CALENDAR_CHAIN, readAuditLog, verifyAuditLog } from '../../shared/audit.ts';
import { sampleParameterVersions } from '../../shared/parameters/index.ts';
import { type Actor, actors } from '../support/actors.ts';
import { household as householdOf } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) });

const household = householdOf();

describe('POST /means-test', () => {
  it('explains the tier, amount, parameter version and clauses, and creates nothing', async () => {
    const { status, body } = await api(
      '/means-test',
      json('POST', { ...household, asOf: '2026-06-01', requestedTier: 'dibao' }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      tier: 'dibao',
      eligible: true,
      asOf: '2026-06-01',
      regionCode: '430121',
      sampleParameters: true,
    });
    expect(body.monthlyAmount).toBeGreaterThan(0);
    expect(body.parameterVersion).toContain('430121:urban:');
    expect(body.reasons[0]).toEqual(
      expect.objectContaining({
        code: expect.any(String),
        message: expect.any(String),
        clause: expect.any(String),
      }),
    );
    const items = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
      new ScanCommand({ TableName: runtime.rt.env.CASES_TABLE }),
    );
    expect(
      items.Items?.filter((i) => String(i.pk).startsWith('APP#') || String(i.pk).startsWith('CASE#')),
    ).toEqual([]);
  });

  it('names the bad field, and answers 422 where no parameters are in force', async () => {
    const bad = await api(
      '/means-test',
      json('POST', { ...household, asOf: '2026-02-30', residence: 'town' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['asOf', 'residence']),
    );
    const unknownRegion = await api('/means-test', json('POST', { ...household, regionCode: '110101' }));
    expect(unknownRegion.status).toBe(422);
    expect(unknownRegion.body.error.code).toBe('ParametersNotFound');
    expect(unknownRegion.body.error.message).toContain('110101');
  });
});

describe('GET /calendar/deadline', () => {
  it('counts working days across National Day 2026', async () => {
    // 2026-10-01..07 are holidays and 2026-10-10 (Saturday) is an adjusted working day.
    const { status, body } = await api('/calendar/deadline?from=2026-09-30&workingDays=3');
    expect(status).toBe(200);
    expect(body.deadline).toBe('2026-10-10');
  });

  it('refuses to guess in a year whose arrangement is unknown, until it is loaded', async () => {
    const before = await api('/calendar/deadline?from=2031-03-02&workingDays=5');
    expect(before.status).toBe(422);
    expect(before.body.error.code).toBe('UnknownCalendarYear');

    const bad = await api(
      '/admin/calendar/2031',
      json('PUT', {
        year: 2031,
        source: '测试',
        holidays: [{ name: '元旦', from: '2031-01-01', to: '2030-12-01' }],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toMatch(/^holidays\.0/);
    const mismatch = await api(
      '/admin/calendar/2031',
      json('PUT', {
        year: 2032,
        source: '测试',
        holidays: [{ name: '元旦', from: '2032-01-01', to: '2032-01-01' }],
      }),
    );
    expect(mismatch.status).toBe(400);

    const loaded = await api(
      '/admin/calendar/2031',
      json('PUT', {
        year: 2031,
        source: '测试用安排（非真实通知）',
        holidays: [{ name: '测试假日', from: '2031-03-03', to: '2031-03-05' }],
        adjustedWorkdays: [],
      }),
    );
    expect(loaded.status).toBe(201);
    // 2031-03-02 is a Sunday; Mon–Wed are the loaded holidays: Thu 6, Fri 7, Mon 10, Tue 11, Wed 12.
    const after = await api('/calendar/deadline?from=2031-03-02&workingDays=5');
    expect(after.body.deadline).toBe('2031-03-12');
  });

  it('names a bad query parameter', async () => {
    const { status, body } = await api('/calendar/deadline?from=2026-13-01&workingDays=two');
    expect(status).toBe(400);
    expect(body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'query.from',
      'query.workingDays',
    ]);
  });
});

describe('PUT /admin/parameters/{regionCode}', () => {
  const hunan = sampleParameterVersions.find((v) => v.regionCode === '430000' && v.residence === 'urban')!;

  it('loads a new region’s version, which the means test then uses; history is never overwritten', async () => {
    const version = {
      residence: 'urban',
      effectiveFrom: '2026-01-01',
      basis: '测试：北京市参数',
      values: hunan.values,
    };
    // A new province: its version carries every value, the province-only ceiling among them.
    const created = await api('/admin/parameters/110000', json('PUT', version));
    expect(created.status).toBe(201);
    expect(created.body.versionId).toBe('110000:urban:2026-01-01');

    const again = await api('/admin/parameters/110000', json('PUT', version));
    expect(again.status).toBe(409);

    const result = await api(
      '/means-test',
      json('POST', { ...household, regionCode: '110101', asOf: '2026-03-01' }),
    );
    expect(result.status).toBe(200);
    expect(result.body.parameterVersion).toBe('110000:urban:2026-01-01');
    expect(result.body.sampleParameters).toBe(false);
  });

  it('refuses a partial version that would leave a region under it without parameters, naming them, and writes nothing', async () => {
    // The attack: a province version with one value replaces Hunan's level whole from its date, and
    // 长沙县, which sets only its standards, would have no asset limits, time limits…
    const partial = {
      residence: 'urban',
      effectiveFrom: '2027-01-01',
      basis: '测试：湖南省仅调整低保标准',
      values: { dibaoStandard: { value: 800, clause: '测试' } },
    };
    const refused = await api('/admin/parameters/430000', json('PUT', partial));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^参数版本不完整/);
    expect(refused.body.error.message).toContain('430000（城市，自 2027-01-01 起）缺少');
    expect(refused.body.error.message).toContain('430121（城市，自 2027-01-01 起）缺少');
    const fields = refused.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['values.assetLimits', 'values.timeLimits']));
    expect(fields).not.toContain('values.dibaoStandard');
    const assetLimits = refused.body.error.fields.find(
      (f: { field: string }) => f.field === 'values.assetLimits',
    );
    expect(assetLimits.message).toContain('430000、430121');

    // Nothing was written: a case of 长沙县 decided after the date still resolves, on the version before.
    const after = await api('/means-test', json('POST', { ...household, asOf: '2027-02-01' }));
    expect(after.status).toBe(200);
    expect(after.body.parameterVersion).toBe('430121:urban:2026-01-01+430000:urban:2026-01-01');

    // Dated before the province's later full version, it is refused from its own date.
    const earlier = await api(
      '/admin/parameters/430000',
      json('PUT', { ...partial, effectiveFrom: '2025-06-01' }),
    );
    expect(earlier.status).toBe(400);
    expect(earlier.body.error.message).toContain('430121（城市，自 2025-06-01 起）缺少');

    // The same change as a whole level loads.
    const whole = await api(
      '/admin/parameters/430000',
      json('PUT', { ...partial, values: { ...hunan.values, dibaoStandard: partial.values.dibaoStandard } }),
    );
    expect(whole.status).toBe(201);
  });

  it('lets no one administrator alone raise the small amount paid first above the province ceiling', async () => {
    const countyAdmin = (subject: string): Actor => ({
      role: 'admin',
      regionCodes: ['430102'],
      subject,
      name: `芙蓉区管理员${subject.slice(-1)}`,
    });
    const provinceAdmin: Actor = {
      role: 'admin',
      regionCodes: ['430000'],
      subject: 'test-admin-hn',
      name: '湖南省管理员',
    };
    const smallAmount = async () =>
      (
        await api(
          '/means-test',
          json('POST', {
            ...household,
            regionCode: '430102',
            requestedTier: 'emergency',
            asOf: '2027-03-01',
          }),
        )
      ).body.emergency.smallAmountLimit as number;
    expect(await smallAmount()).toBe(1000);

    // A county may not set the ceiling itself.
    const ceiling = await api(
      '/admin/parameters/430102',
      json('PUT', {
        residence: 'urban',
        effectiveFrom: '2027-01-01',
        basis: '测试：芙蓉区自定封顶',
        values: { emergencySmallAmountCeiling: { value: 100_000, clause: '测试' } },
      }),
      countyAdmin('test-admin-furong-1'),
    );
    expect(ceiling.status).toBe(400);
    expect(ceiling.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
      'values.emergencySmallAmountCeiling',
    ]);

    // The attack: a county administrator raises the small amount to 50,000.
    const raise = {
      residence: 'urban',
      effectiveFrom: '2027-01-01',
      basis: '测试：芙蓉区提高先行救助上限',
      values: { emergencySmallAmount: { value: 50_000, clause: '测试' } },
    };
    const proposed = await api(
      '/admin/parameters/430102',
      json('PUT', raise),
      countyAdmin('test-admin-furong-1'),
    );
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({
      status: 'pendingConfirmation',
      versionId: '430102:urban:2027-01-01',
      aboveCeiling: [
        { regionCode: '430102', emergencySmallAmount: 50_000, emergencySmallAmountCeiling: 3_000 },
      ],
    });
    expect(proposed.body.message).toContain('高于省级封顶3,000.00元');
    expect(await smallAmount()).toBe(1000);
    // Again by the same person, or confirmed by another county administrator: still not in force.
    expect(
      (await api('/admin/parameters/430102', json('PUT', raise), countyAdmin('test-admin-furong-1'))).status,
    ).toBe(202);
    expect(
      (await api('/admin/parameters/430102', json('PUT', raise), countyAdmin('test-admin-furong-2'))).status,
    ).toBe(403);
    // A provincial administrator loading other content does not confirm it.
    expect(
      (
        await api(
          '/admin/parameters/430102',
          json('PUT', { ...raise, basis: '测试：另一内容' }),
          provinceAdmin,
        )
      ).status,
    ).toBe(202);
    expect(await smallAmount()).toBe(1000);
    // The provincial administrator's own proposal is now the pending one: the county confirms nothing.
    expect(
      (await api('/admin/parameters/430102', json('PUT', raise), countyAdmin('test-admin-furong-1'))).status,
    ).toBe(202);
    // The same content from a second, provincial administrator is loaded.
    const confirmed = await api('/admin/parameters/430102', json('PUT', raise), provinceAdmin);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.versionId).toBe('430102:urban:2027-01-01');
    expect(await smallAmount()).toBe(50_000);

    // Within the ceiling, one administrator loads it at once.
    const within = await api(
      '/admin/parameters/430102',
      json('PUT', {
        ...raise,
        effectiveFrom: '2027-06-01',
        values: { emergencySmallAmount: { value: 2_000, clause: '测试' } },
      }),
      countyAdmin('test-admin-furong-1'),
    );
    expect(within.status).toBe(201);
  });

  it('names invalid values', async () => {
    const { status, body } = await api(
      '/admin/parameters/110101',
      json('PUT', {
        residence: 'urban',
        effectiveFrom: '2027-01-01',
        basis: 'x',
        values: { dibaoStandard: { value: -5, clause: '' } },
      }),
    );
    expect(status).toBe(400);
    expect(body.error.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['values.dibaoStandard.value', 'values.dibaoStandard.clause']),
    );
  });
});

describe('PUT /admin/calendar/{year}: the national holiday calendar', () => {
  // 2025 as `chinese-days` carries it: National Day 10-01..08, adjusted workdays 09-28 and 10-11.
  const deadline2025 = async () =>
    (await api('/calendar/deadline?from=2025-09-30&workingDays=3')).body.deadline as string;
  // The attack: one holiday, no adjusted workdays — every deadline of the year moves.
  const stripped = {
    year: 2025,
    source: '国办发明电〔2024〕12号（删减）',
    holidays: [{ name: '元旦', from: '2025-01-01', to: '2025-01-01' }],
    adjustedWorkdays: [],
  };
  const nationalAdmin = (subject: string, name: string): Actor => ({
    role: 'admin',
    regionCodes: ['000000'],
    subject,
    name,
  });
  const first = nationalAdmin('test-admin-national-1', '国家管理员甲');
  const second = nationalAdmin('test-admin-national-2', '国家管理员乙');
  const calendarLog = async (year = '2025') =>
    (await readAuditLog(CALENDAR_CHAIN)).entries
      .filter((e) => e.refs.year === year)
      .map((e) => [e.action, e.actor.subject]);

  it('is loaded by national administrators only: a county or province administrator is refused', async () => {
    expect(await deadline2025()).toBe('2025-10-11');
    const county: Actor = {
      role: 'admin',
      regionCodes: ['430121'],
      subject: 'test-admin-county',
      name: '县管理员',
    };
    for (const admin of [county, actors.adminElsewhere, { ...county, regionCodes: ['430000'] }]) {
      const refused = await api('/admin/calendar/2025', json('PUT', stripped), admin);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('全国（000000）管理员');
    }
    expect(await deadline2025()).toBe('2025-10-11');
    expect(await calendarLog()).toEqual([]);
  });

  it('a load removing adjusted workdays or most holidays in force waits for a second national administrator', async () => {
    const proposed = await api('/admin/calendar/2025', json('PUT', stripped), first);
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({
      year: 2025,
      status: 'pendingConfirmation',
      proposedBy: '国家管理员甲',
      removes: { adjustedWorkdays: expect.arrayContaining(['2025-09-28', '2025-10-11']) },
    });
    expect(proposed.body.removes.holidays.length * 2).toBeGreaterThan(proposed.body.removes.holidaysInForce);
    expect(proposed.body.message).toMatch(/^此次载入将取消调休上班日/);
    expect(await deadline2025()).toBe('2025-10-11');

    // The proposer cannot confirm their own load, nor can a different arrangement confirm it.
    expect((await api('/admin/calendar/2025', json('PUT', stripped), first)).status).toBe(202);
    const other = { ...stripped, holidays: [{ name: '元旦', from: '2025-01-01', to: '2025-01-02' }] };
    expect((await api('/admin/calendar/2025', json('PUT', other), second)).status).toBe(202);
    expect(await deadline2025()).toBe('2025-10-11');

    // The pending load is now the second administrator's: the first confirms it with the same body.
    const confirmed = await api('/admin/calendar/2025', json('PUT', other), first);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    expect(await deadline2025()).toBe('2025-10-03');

    expect(await calendarLog()).toEqual([
      ['calendar.proposed', first.subject],
      ['calendar.proposed', first.subject],
      ['calendar.proposed', second.subject],
      ['calendar.confirmed', first.subject],
    ]);
    expect((await verifyAuditLog(CALENDAR_CHAIN)).valid).toBe(true);
  });

  it('a correction of a day or two loads at once, and is audited with who loaded it', async () => {
    const arrangement = {
      year: 2032,
      source: '测试用安排（非真实通知）',
      holidays: [{ name: '测试假日', from: '2032-03-01', to: '2032-03-03' }],
      adjustedWorkdays: [{ name: '测试假日', date: '2032-02-28' }],
    };
    expect((await api('/admin/calendar/2032', json('PUT', arrangement), first)).status).toBe(201);
    const corrected = {
      ...arrangement,
      holidays: [{ name: '测试假日', from: '2032-03-01', to: '2032-03-04' }],
    };
    expect((await api('/admin/calendar/2032', json('PUT', corrected), second)).status).toBe(201);
    expect(await calendarLog('2032')).toEqual([
      ['calendar.loaded', first.subject],
      ['calendar.loaded', second.subject],
    ]);
  });
});
