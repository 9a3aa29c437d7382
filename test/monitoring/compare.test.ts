import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collectingSink,
  compareFeed,
  evaluate,
  type RegisterEntry,
  RegisterIndex,
  type RegisterRecord,
  registerDefinition,
  registerDuplicateWarnings,
  runMonitoring,
  type Warning,
  WarningChecksum,
  warningId,
} from '../../shared/monitoring/compare/index.ts';
import {
  type FeedName,
  type FeedRows,
  feedDefinitions,
  RecordDecoder,
} from '../../shared/monitoring/feeds/index.ts';
import { IndicatorBook, sampleIndicatorVersions } from '../../shared/monitoring/indicators.ts';
import { validId } from '../support/households.ts';

const AS_OF = '2026-06-30';
const DAY = '2026-05-01';
const book = new IndicatorBook(sampleIndicatorVersions);

const id = (serial: number, region = '430121') => validId(region, '19800101', serial);
const A1 = id(1);
const A2 = id(2);
const A3 = id(3);
const B1 = id(11);
const C1 = id(21, '410122');
const D1 = id(31);
const E1 = id(41);
const F1 = id(51);
const X1 = id(901); // not on the register
const X2 = id(902, '410122');

const registerRecords: RegisterRecord[] = [
  // 低保, 3 people, 500 yuan each a month: 18,000 yuan a year.
  {
    householdId: 'H1',
    caseId: 'C1',
    regionCode: '430121',
    tier: 'dibao',
    status: 'active',
    perCapitaMonthlyIncome: 500,
    members: [A1, A2, A3],
    assistance: ['dibaoAllowance'],
  },
  // 低保边缘, one person, 1,000 a month: 12,000 a year; already gets education aid and the disability allowance.
  {
    householdId: 'H2',
    caseId: 'C2',
    regionCode: '430121',
    tier: 'marginal',
    status: 'active',
    perCapitaMonthlyIncome: 1000,
    members: [B1],
    assistance: ['educationAid', 'disabilityAllowance'],
  },
  // Left assistance, watched (中牟县).
  {
    householdId: 'H3',
    caseId: 'C3',
    regionCode: '410122',
    tier: 'none',
    status: 'monitoring',
    perCapitaMonthlyIncome: 2000,
    members: [C1],
  },
  // 特困 also drawing 低保金: mutually exclusive.
  {
    householdId: 'H4',
    caseId: 'C4',
    regionCode: '430121',
    tier: 'tekun',
    status: 'active',
    perCapitaMonthlyIncome: 100,
    members: [D1],
    assistance: ['tekunSupport', 'dibaoAllowance'],
  },
  // A3 is also listed here: one person in two covered households.
  {
    householdId: 'H5',
    caseId: 'C5',
    regionCode: '430121',
    tier: 'dibao',
    status: 'gradualExit',
    perCapitaMonthlyIncome: 600,
    members: [E1, A3],
    assistance: ['dibaoAllowance'],
  },
  {
    householdId: 'H6',
    caseId: 'C6',
    regionCode: '430121',
    tier: 'relapseWatch',
    status: 'active',
    perCapitaMonthlyIncome: 900,
    members: [F1],
  },
];
const index = await RegisterIndex.from(registerRecords);
const entry = (idNumber: string) => index.lookup(idNumber);

const common = (idNumber: string, recordId = 'R1', regionCode = '430121', eventDate = DAY) => ({
  recordId,
  idNumber,
  regionCode,
  eventDate,
});
const mi = (idNumber: string, outOfPocket: number, extra: Partial<FeedRows['medicalInsurance']> = {}) => ({
  ...common(idNumber),
  totalCost: 100_000,
  reimbursed: 0,
  outOfPocket,
  ...extra,
});

/** The warnings a row raises, minus register findings (duplicates), as [ruleId, department, homeCheck]. */
function raised<F extends FeedName>(
  feed: F,
  row: FeedRows[F],
  asOf = AS_OF,
): Array<[string, string, boolean]> {
  return evaluate(feed, row, entry(row.idNumber), book, asOf)
    .filter((w) => w.source !== 'register')
    .map((w) => [w.ruleId, w.department, w.homeCheck]);
}
function one<F extends FeedName>(feed: F, row: FeedRows[F], asOf = AS_OF): Warning {
  const ws = evaluate(feed, row, entry(row.idNumber), book, asOf).filter((w) => w.source !== 'register');
  expect(ws).toHaveLength(1);
  return ws[0]!;
}

describe('illness (因病): out-of-pocket medical spending', () => {
  it('warns at the absolute line (长沙县 2026: 12,000 yuan) and pushes to 医保', () => {
    const w = one('medicalInsurance', mi(A1, 12_000));
    expect(w).toMatchObject({
      riskType: 'illness',
      ruleId: 'illnessOutOfPocket',
      department: 'medicalInsurance',
      homeCheck: false,
      scope: 'inside',
      householdId: 'H1',
      caseId: 'C1',
      regionCode: '430121',
      source: 'medicalInsurance',
      recordId: 'R1',
      subject: `${A1.slice(0, 6)}********${A1.slice(14)}`,
      sampleData: true,
      indicatorVersion: '430121:2026-01-01+430000:2025-01-01+000000:2024-01-01',
    });
    expect(w.message).toContain('个人自付12,000.00元');
    expect(w.message).toContain('达到监测线12,000.00元');
    expect(w.message).toContain('国办发〔2021〕42号');
    expect(w.message).toContain('示例数据');
    expect(JSON.stringify(w)).not.toContain(A1);
  });

  it('warns over the share of annual household income (40%), from the floor (3,000) up, strictly over', () => {
    // H2: 1 person × 1,000 × 12 = 12,000 a year; 40% = 4,800.
    expect(raised('medicalInsurance', mi(B1, 4_800))).toEqual([]);
    const w = one('medicalInsurance', mi(B1, 4_800.01));
    expect(w.message).toContain('超过家庭年收入12,000.00元的40%');
    // H1: 18,000 a year; 40% = 7,200, but under the 3,000 floor nothing is raised.
    expect(raised('medicalInsurance', mi(A1, 2_999.99))).toEqual([]);
    expect(raised('medicalInsurance', mi(A1, 7_200.01))).toEqual([
      ['illnessOutOfPocket', 'medicalInsurance', false],
    ]);
    expect(raised('medicalInsurance', mi(A1, 7_200))).toEqual([]);
  });

  it('uses the indicators in force on the comparison date (date-versioned)', () => {
    // Someone not on the register: only the absolute line applies. 长沙县 2026: 12,000; Hunan 2025: 15,000.
    expect(raised('medicalInsurance', mi(X1, 12_000))).toEqual([
      ['omission.illnessOutOfPocket', 'civilAffairs', true],
    ]);
    expect(raised('medicalInsurance', { ...mi(X1, 12_000), eventDate: '2025-11-01' }, '2025-12-31')).toEqual(
      [],
    );
    expect(
      raised('medicalInsurance', { ...mi(X1, 15_000), eventDate: '2025-11-01' }, '2025-12-31'),
    ).toHaveLength(1);
    // 中牟县 has the national 20,000.
    expect(raised('medicalInsurance', { ...mi(X2, 19_999.99), regionCode: '410122' })).toEqual([]);
  });

  it('flags a large hospital bill (卫健: 50,000) or a major disease to the health department', () => {
    const row = (totalCost: number, majorDisease = false) => ({
      ...common(B1),
      eventType: 'hospitalisation' as const,
      totalCost,
      majorDisease,
    });
    expect(raised('health', row(50_000))).toEqual([['illnessLargeBill', 'health', false]]);
    expect(raised('health', row(49_999.99))).toEqual([]);
    expect(raised('health', row(1_000, true))).toEqual([['illnessLargeBill', 'health', false]]);
  });
});

describe('the other risk types', () => {
  it('death (死亡): benefit to be recalculated by civil affairs; nothing for someone outside', () => {
    const w = one('health', { ...common(A2), eventType: 'death', majorDisease: false });
    expect(w).toMatchObject({
      riskType: 'death',
      department: 'civilAffairs',
      homeCheck: false,
      householdId: 'H1',
    });
    expect(w.message).toContain('重新核算');
    // The only member of a household: assistance ends.
    expect(one('health', { ...common(B1), eventType: 'death', majorDisease: false }).message).toContain(
      '户内唯一成员已死亡，请终止救助',
    );
    expect(raised('health', { ...common(X1), eventType: 'death', majorDisease: false })).toEqual([]);
  });

  it('schooling (因学): hardship students and enrolled members without education aid, to education', () => {
    const edu = (
      idNumber: string,
      eventType: 'hardshipStudent' | 'enrolment',
      stage: FeedRows['education']['stage'],
    ) => ({
      ...common(idNumber),
      eventType,
      stage,
    });
    expect(raised('education', edu(A2, 'hardshipStudent', 'primary'))).toEqual([
      ['schoolingHardship', 'education', false],
    ]);
    expect(one('education', edu(A2, 'hardshipStudent', 'primary')).message).toContain('尚未享受教育救助');
    // H2 already receives education aid: the help is there, no warning.
    expect(raised('education', edu(B1, 'hardshipStudent', 'primary'))).toEqual([]);
    // Outside assistance: an omission candidate for civil affairs, with a home check.
    const o = one('education', edu(X1, 'hardshipStudent', 'seniorSecondary'));
    expect(o).toMatchObject({
      riskType: 'omission',
      cause: 'schooling',
      department: 'civilAffairs',
      homeCheck: true,
      scope: 'outside',
      householdId: null,
    });
    expect(raised('education', edu(A2, 'enrolment', 'seniorSecondary'))).toEqual([
      ['schoolingEnrolment', 'education', false],
    ]);
    expect(raised('education', edu(A2, 'enrolment', 'preschool'))).toEqual([]);
    // Only for the tiers listed (not 防止返贫监测对象), and never outside.
    expect(raised('education', edu(F1, 'enrolment', 'primary'))).toEqual([]);
    expect(raised('education', edu(X1, 'enrolment', 'primary'))).toEqual([]);
  });

  it('disability (因残): grade 1–2 to the disabled persons’ federation unless the allowance is paid', () => {
    const dis = (idNumber: string, action: FeedRows['disability']['action'], grade?: number) => ({
      ...common(idNumber),
      action,
      category: 'physical' as const,
      ...(grade === undefined ? {} : { grade }),
    });
    expect(raised('disability', dis(A1, 'issued', 2))).toEqual([['disability', 'disability', false]]);
    expect(raised('disability', dis(A1, 'gradeChanged', 1))).toEqual([['disability', 'disability', false]]);
    expect(raised('disability', dis(A1, 'issued', 3))).toEqual([]);
    expect(raised('disability', dis(A1, 'revoked', 1))).toEqual([]);
    expect(raised('disability', dis(B1, 'issued', 1))).toEqual([]);
    expect(one('disability', dis(X1, 'issued', 1))).toMatchObject({
      riskType: 'omission',
      cause: 'disability',
    });
  });

  it('unemployment (因失业): to human resources; outside only where the region says so (中牟县)', () => {
    const u = (idNumber: string, regionCode = '430121') => ({
      ...common(idNumber, 'RS1', regionCode),
      eventType: 'unemploymentRegistration' as const,
    });
    expect(raised('humanResources', u(A1))).toEqual([['unemployment', 'humanResources', false]]);
    expect(raised('humanResources', u(X1))).toEqual([]);
    expect(raised('humanResources', u(X2, '410122'))).toEqual([
      ['omission.unemployment', 'civilAffairs', true],
    ]);
    // A known household outside assistance (H3, 中牟县) is an omission candidate too.
    expect(one('humanResources', u(C1, '410122'))).toMatchObject({
      scope: 'outside',
      householdId: 'H3',
      caseId: 'C3',
    });
  });

  it('income change (收入变化): new employment or pension from 500 yuan a month, recheck with a home visit', () => {
    const job = (
      idNumber: string,
      monthlyAmount: number,
      eventType: 'employment' | 'pensionStart' = 'employment',
    ) => ({
      ...common(idNumber),
      eventType,
      monthlyAmount,
    });
    expect(raised('humanResources', job(A1, 500))).toEqual([['incomeChange', 'civilAffairs', true]]);
    expect(raised('humanResources', job(A1, 499.99))).toEqual([]);
    expect(raised('humanResources', job(A1, 800, 'pensionStart'))).toEqual([
      ['incomeChange', 'civilAffairs', true],
    ]);
    expect(one('humanResources', job(A1, 2_000)).message).toContain('登记的家庭人均月收入500.00元，3人');
    expect(raised('humanResources', job(X1, 5_000))).toEqual([]);
    expect(raised('humanResources', job(C1, 5_000))).toEqual([]);
  });

  it('disaster (因灾): a collapsed or severely damaged home, or a loss over the line, to emergency management', () => {
    const em = (
      idNumber: string,
      extra: Partial<FeedRows['emergencyManagement']>,
      regionCode = '430121',
    ) => ({
      ...common(idNumber, 'YJ1', regionCode),
      eventType: 'homeDamaged' as const,
      disasterType: 'flood' as const,
      ...extra,
    });
    expect(raised('emergencyManagement', em(A1, { damageLevel: 'collapsed' }))).toEqual([
      ['disaster', 'emergencyManagement', true],
    ]);
    expect(
      raised('emergencyManagement', em(A1, { damageLevel: 'moderate', directLoss: 10_000 })),
    ).toHaveLength(1);
    expect(raised('emergencyManagement', em(A1, { damageLevel: 'moderate', directLoss: 9_999.99 }))).toEqual(
      [],
    );
    // Henan's line is 5,000.
    expect(
      raised('emergencyManagement', em(X2, { eventType: 'disasterVictim', directLoss: 5_000 }, '410122')),
    ).toEqual([['omission.disaster', 'civilAffairs', true]]);
  });

  it('relapse watch (防止返贫): identified outside the register is an omission; risk eliminated changes a relapse-watch household', () => {
    const ra = (idNumber: string, status: 'identified' | 'riskEliminated', riskCause?: 'illness') => ({
      ...common(idNumber),
      status,
      ...(riskCause ? { riskCause } : {}),
    });
    expect(one('ruralAffairs', ra(X1, 'identified', 'illness'))).toMatchObject({
      riskType: 'omission',
      cause: 'illness',
      ruleId: 'omission.relapseWatchIdentified',
    });
    expect(raised('ruralAffairs', ra(A1, 'identified'))).toEqual([]);
    expect(one('ruralAffairs', ra(F1, 'riskEliminated'))).toMatchObject({
      riskType: 'incomeChange',
      department: 'civilAffairs',
    });
    expect(raised('ruralAffairs', ra(A1, 'riskEliminated'))).toEqual([]);
  });

  it('looks back 365 days from the comparison date and no further; a row after it raises nothing', () => {
    const u = (eventDate: string) => ({
      ...common(A1, 'RS1', '430121', eventDate),
      eventType: 'unemploymentRegistration' as const,
    });
    expect(raised('humanResources', u('2025-06-30'))).toHaveLength(1);
    expect(raised('humanResources', u('2025-06-29'))).toEqual([]);
    expect(raised('humanResources', u('2026-07-01'))).toEqual([]);
  });
});

describe('duplicate assistance and omissions', () => {
  it('finds a person in two covered households and a household with two exclusive kinds of help', () => {
    const { warnings } = registerDuplicateWarnings(index, book, AS_OF);
    expect(warnings.map((w) => [w.ruleId, w.householdId])).toEqual([
      ['duplicateAssistance.membership', 'H1'],
      ['duplicateAssistance.exclusive', 'H4'],
    ]);
    expect(warnings[0]!.message).toContain('户 H1');
    expect(warnings[0]!.message).toContain('户 H5');
    expect(warnings[0]!.subject).toBe(`${A3.slice(0, 6)}********${A3.slice(14)}`);
    expect(warnings[1]!.message).toContain('低保金与特困人员救助供养金');
    for (const w of warnings)
      expect(w).toMatchObject({
        riskType: 'duplicateAssistance',
        department: 'civilAffairs',
        homeCheck: true,
      });
  });

  it('raises the same duplicate warning (same id) from any row of the person or household', () => {
    const sweep = registerDuplicateWarnings(index, book, AS_OF).warnings.map((w) => w.warningId);
    const fromA3 = evaluate(
      'humanResources',
      { ...common(A3), eventType: 'unemploymentRegistration' },
      entry(A3),
      book,
      AS_OF,
    );
    const fromD1 = evaluate(
      'health',
      { ...common(D1), eventType: 'death', majorDisease: false },
      entry(D1),
      book,
      AS_OF,
    );
    expect(fromA3.filter((w) => w.source === 'register').map((w) => w.warningId)).toEqual([sweep[0]]);
    expect(fromD1.filter((w) => w.source === 'register').map((w) => w.warningId)).toEqual([sweep[1]]);
  });

  it('a person in a covered and an uncovered household is no duplicate, and is found under the covered one', async () => {
    const idx = await RegisterIndex.from([
      {
        householdId: 'H9',
        regionCode: '430121',
        tier: 'none',
        status: 'monitoring',
        perCapitaMonthlyIncome: 0,
        members: [A1],
      },
      {
        householdId: 'H8',
        regionCode: '430121',
        tier: 'dibao',
        status: 'active',
        perCapitaMonthlyIncome: 0,
        members: [A1],
      },
      {
        householdId: 'H7',
        regionCode: '430121',
        tier: 'dibao',
        status: 'exited',
        perCapitaMonthlyIncome: 0,
        members: [A1],
      },
    ]);
    expect(idx.lookup(A1)).toMatchObject({
      householdId: 'H8',
      alsoIn: [{ householdId: 'H9' }, { householdId: 'H7' }],
    });
    expect(registerDuplicateWarnings(idx, book, AS_OF).warnings).toEqual([]);
  });

  it('chooses the same primary household whatever the order of the register', async () => {
    const records: RegisterRecord[] = [
      {
        householdId: 'HB',
        regionCode: '430121',
        tier: 'dibao',
        status: 'active',
        perCapitaMonthlyIncome: 0,
        members: [A1, A2],
      },
      {
        householdId: 'HA',
        regionCode: '430121',
        tier: 'marginal',
        status: 'active',
        perCapitaMonthlyIncome: 0,
        members: [A2],
      },
      {
        householdId: 'HC',
        regionCode: '430121',
        tier: 'none',
        status: 'monitoring',
        perCapitaMonthlyIncome: 0,
        members: [A2, A3],
      },
    ];
    for (const order of [records, [...records].reverse(), [records[1]!, records[2]!, records[0]!]]) {
      const idx = await RegisterIndex.from(order);
      expect(idx.lookup(A2)?.householdId).toBe('HA');
      expect(idx.lookup(A3)?.householdId).toBe('HC');
      expect(registerDuplicateWarnings(idx, book, AS_OF).warnings.map((w) => w.warningId)).toEqual([
        warningId('register', 'HA+HB', 'duplicateAssistance.membership', 'HA'),
      ]);
    }
  });

  it('a person not on the register with a qualifying event is an omission candidate (疑似漏保) for a home check', () => {
    const w = one('disability', { ...common(X1), action: 'issued', category: 'mental', grade: 1 });
    expect(w).toMatchObject({
      riskType: 'omission',
      cause: 'disability',
      department: 'civilAffairs',
      homeCheck: true,
      householdId: null,
    });
    expect(w.message).toContain('不在低收入人口名单内');
    expect(w.message).toContain('入户核查');
  });
});

describe('warning ids', () => {
  it('are deterministic: same feed, record, rule and household → same id; any change → another', () => {
    const row = mi(A1, 20_000);
    const a = evaluate('medicalInsurance', row, entry(A1), book, AS_OF)[0]!;
    const b = evaluate(
      'medicalInsurance',
      { ...row },
      entry(A1),
      new IndicatorBook(sampleIndicatorVersions),
      AS_OF,
    )[0]!;
    expect(a.warningId).toBe(b.warningId);
    expect(a.warningId).toBe(warningId('medicalInsurance', 'R1', 'illnessOutOfPocket', 'H1'));
    expect(a.warningId).toMatch(/^wrn-[0-9a-f]{24}$/);
    expect(warningId('medicalInsurance', 'R2', 'illnessOutOfPocket', 'H1')).not.toBe(a.warningId);
    expect(warningId('medicalInsurance', 'R1', 'illnessOutOfPocket', 'H2')).not.toBe(a.warningId);
    expect(warningId('health', 'R1', 'illnessOutOfPocket', 'H1')).not.toBe(a.warningId);
    expect(warningId('medicalInsurance', 'R1', 'illnessOutOfPocket', null)).not.toBe(a.warningId);
  });

  it('checksum does not depend on order', () => {
    const ids = Array.from({ length: 50 }, (_, i) => warningId('health', `R${i}`, 'death', null));
    const a = new WarningChecksum();
    const b = new WarningChecksum();
    for (const x of ids) a.add(x);
    for (const x of [...ids].reverse()) b.add(x);
    expect(a.value).toBe(b.value);
    expect(a.count).toBe(50);
    expect(a.value).toBe(ids.reduce((s, x) => s + BigInt(`0x${x.slice(-13)}`), 0n).toString());
  });
});

// ── the driver ──────────────────────────────────────────────────────────────────────────────────

function csvOf(feed: FeedName, rows: Array<Record<string, unknown>>): string {
  const cols = feedDefinitions[feed].fields.map((f) => f.name);
  return [
    cols.join(','),
    ...rows.map((r) => cols.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(',')),
  ].join('\n');
}
const jsonlOf = (rows: Array<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).join('\n');
const registerCsv = [
  'householdId,caseId,regionCode,tier,status,perCapitaMonthlyIncome,members,assistance',
  ...registerRecords.map((r) =>
    [
      r.householdId,
      r.caseId ?? '',
      r.regionCode,
      r.tier,
      r.status,
      r.perCapitaMonthlyIncome,
      r.members.join(';'),
      (r.assistance ?? []).join(';'),
    ].join(','),
  ),
].join('\n');

const miRows = [
  mi(A1, 12_000, { recordId: 'YB1' }),
  mi(X1, 30_000, { recordId: 'YB2' }),
  mi(B1, 100, { recordId: 'YB3' }),
  mi(A3, 50, { recordId: 'YB4' }),
  mi(X1, 13_000, { recordId: 'YB5', regionCode: '110101' }),
];

describe('the streaming driver', () => {
  it('reports malformed rows with line numbers and reasons and compares every other row', async () => {
    const csv = [
      csvOf('medicalInsurance', miRows.slice(0, 2)),
      `YB9,${A1},430121,${DAY},100,0,abc`,
      `YB10,${A1},430121,2026-07-01,100,0,10`,
      '',
      csvOf('medicalInsurance', miRows.slice(2)).split('\n').slice(1).join('\n'),
    ].join('\n');
    const sink = collectingSink();
    const report = await runMonitoring({
      register: { source: [registerCsv], format: 'csv' },
      feeds: [{ feed: 'medicalInsurance', format: 'csv', source: [csv] }],
      rules: sampleIndicatorVersions,
      asOf: AS_OF,
      sink,
    });
    expect(sink.rejections).toEqual([
      { source: 'medicalInsurance', line: 4, reason: '字段 outOfPocket（个人自付）：金额必须是数字（元）' },
      {
        source: 'medicalInsurance',
        line: 5,
        reason: '字段 eventDate（事件日期）：事件日期 2026-07-01 晚于比对日期 2026-06-30',
      },
    ]);
    expect(report.feeds.medicalInsurance).toEqual({
      lines: 9,
      blank: 1,
      rows: 5,
      rejected: 2,
      matched: 3,
      inside: 3,
      stale: 0,
      // YB1 and YB2; YB4 (A3) would repeat the membership finding, already sent by the register sweep.
      warnings: 2,
    });
    expect(report.register).toEqual({ lines: 7, households: 6, persons: 8, rejected: 0 });
    // Register findings first, then YB1 (inside, 长沙县 line 12,000) and YB2 (not on the register: omission);
    // YB5 was recorded in 北京 (110101), where only the national line (20,000) applies.
    expect(sink.warnings.map((w) => [w.ruleId, w.recordId])).toEqual([
      ['duplicateAssistance.membership', null],
      ['duplicateAssistance.exclusive', null],
      ['illnessOutOfPocket', 'YB1'],
      ['omission.illnessOutOfPocket', 'YB2'],
    ]);
    expect(report.warnings).toBe(4);
    expect(report.registerWarnings).toBe(2);
    expect(report.byRiskType.duplicateAssistance).toBe(2);
    expect(report.byDepartment.civilAffairs).toBe(3);
  });

  it('gives the same warnings from CSV and from JSON Lines', async () => {
    const run = async (format: 'csv' | 'jsonl') => {
      const sink = collectingSink();
      const rows = [
        ...miRows,
        { ...common(A2, 'WJ1'), eventType: 'death' },
        { ...common(X1, 'WJ2'), eventType: 'hospitalisation', totalCost: 60_000, majorDisease: true },
      ];
      const report = await runMonitoring({
        register: index,
        feeds: [
          {
            feed: 'medicalInsurance',
            format,
            source: [format === 'csv' ? csvOf('medicalInsurance', miRows) : jsonlOf(miRows)],
          },
          {
            feed: 'health',
            format,
            source: [format === 'csv' ? csvOf('health', rows.slice(-2)) : jsonlOf(rows.slice(-2))],
          },
        ],
        rules: book,
        asOf: AS_OF,
        sink,
      });
      return { warnings: sink.warnings, checksum: report.checksum, rejections: sink.rejections };
    };
    const csv = await run('csv');
    const jsonl = await run('jsonl');
    expect(jsonl.warnings).toEqual(csv.warnings);
    expect(jsonl.checksum).toBe(csv.checksum);
    expect(csv.rejections).toEqual([]);
    expect(csv.warnings.length).toBe(6);
  });

  it('works the same with an asynchronous lookup (as DynamoDB would back it), duplicates sent once', async () => {
    const viaIndex = collectingSink();
    const viaLookup = collectingSink();
    const feed = { feed: 'medicalInsurance' as const, format: 'csv' as const };
    const rows = [
      ...miRows,
      mi(A3, 60, { recordId: 'YB6' }),
      mi(D1, 70, { recordId: 'YB7' }),
      mi(D1, 80, { recordId: 'YB8' }),
    ];
    await compareFeed({ ...feed, source: [csvOf('medicalInsurance', rows)] }, index, book, AS_OF, viaIndex);
    const lookup = async (idNumber: string): Promise<RegisterEntry | undefined> => index.lookup(idNumber);
    const counts = await compareFeed(
      { ...feed, source: [csvOf('medicalInsurance', rows)] },
      lookup,
      book,
      AS_OF,
      viaLookup,
    );
    expect(viaLookup.warnings).toEqual(viaIndex.warnings);
    expect(viaLookup.warnings.filter((w) => w.source === 'register').map((w) => w.ruleId)).toEqual([
      'duplicateAssistance.membership',
      'duplicateAssistance.exclusive',
    ]);
    expect(counts.warnings).toBe(viaLookup.warnings.length);
  });

  it('rejects a row whose region has no indicators, and carries on', async () => {
    const onlyHunan = new IndicatorBook(
      sampleIndicatorVersions.filter((v) => v.regionCode !== '000000').map((v) => v),
    );
    const sink = collectingSink();
    const counts = await compareFeed(
      {
        feed: 'medicalInsurance',
        format: 'jsonl',
        source: [jsonlOf([mi(X1, 1), mi(X1, 2, { regionCode: '410122' })])],
      },
      index,
      onlyHunan,
      AS_OF,
      sink,
    );
    expect(counts.rejected).toBe(2);
    expect(sink.rejections[0]!.reason).toContain('没有生效的监测预警指标');
  });

  it('rejects a repeated household line in the register', async () => {
    const sink = collectingSink();
    const report = await runMonitoring({
      register: { source: [`${registerCsv}\n${registerCsv.split('\n')[1]}`], format: 'csv' },
      feeds: [],
      rules: book,
      asOf: AS_OF,
      sink,
    });
    expect(sink.rejections).toEqual([
      { source: 'register', line: 8, reason: '字段 householdId（户编号）：户编号 H1 重复' },
    ]);
    expect(report.register?.households).toBe(6);
  });

  it('never drops a line: valid + rejected + blank + header = lines, whatever the content and chunking', async () => {
    const good = fc.record({
      recordId: fc.stringMatching(/^[A-Z]{2}[0-9]{1,6}$/),
      idNumber: fc.constantFrom(A1, A2, B1, C1, X1, X2, D1),
      regionCode: fc.constantFrom('430121', '410122', '110101'),
      eventDate: fc.constantFrom('2025-01-01', '2026-05-01', '2026-06-30', '2026-07-01', '2024-02-29'),
      totalCost: fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100),
      reimbursed: fc.constant(0),
      outOfPocket: fc.integer({ min: 0, max: 100 }).map((n) => n * 500),
    });
    const line = fc.oneof(
      good.map((r) => ({ kind: 'row' as const, r })),
      fc
        .string({ maxLength: 30 })
        .map((s) => ({ kind: 'junk' as const, s: s.replaceAll('\n', ' ').replaceAll('\r', ' ') })),
      fc.constantFrom({ kind: 'blank' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        async (items, chunk) => {
          const cols = feedDefinitions.medicalInsurance.fields.map((f) => f.name);
          const text = [
            cols.join(','),
            ...items.map((i) =>
              i.kind === 'row'
                ? cols.map((c) => String(i.r[c as keyof typeof i.r])).join(',')
                : i.kind === 'junk'
                  ? i.s
                  : '',
            ),
          ].join('\n');
          const chunks: string[] = [];
          for (let k = 0; k < text.length; k += chunk) chunks.push(text.slice(k, k + chunk));
          const sink = collectingSink();
          const c = await compareFeed(
            { feed: 'medicalInsurance', format: 'csv', source: chunks },
            index,
            book,
            AS_OF,
            sink,
          );
          // A newline ends a line: text ending in one has no further, empty line.
          const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
          expect(c.lines).toBe(lines);
          expect(c.rows + c.rejected + c.blank + 1).toBe(lines);
          expect(sink.rejections).toHaveLength(c.rejected);
          const rejectedLines = sink.rejections.map((r) => r.line);
          expect(new Set(rejectedLines).size).toBe(rejectedLines.length);
          for (const l of rejectedLines) expect(l).toBeGreaterThanOrEqual(2);
          for (const l of rejectedLines) expect(l).toBeLessThanOrEqual(lines);
          expect(c.warnings).toBe(sink.warnings.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the CSV fast path decodes exactly as the general path', () => {
    const tricky = fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        `${A1} `,
        `${A1.slice(0, 17)}Y`,
        '43O121',
        '2023-02-29',
        '2026-02-31',
        '2026-13-01',
      ),
      fc.constantFrom(
        '12.345',
        '-1',
        '100000000.01',
        '1e3',
        '.5',
        '5.',
        '5',
        'x',
        '是',
        'R 1',
        `${A1};${A1}`,
        `${A1}; ${A2}`,
      ),
      fc.constantFrom('dibaoAllowance;', 'unknownValue', '1234567890.5'),
    );
    const validFor = (spec: (typeof registerDefinition)['fields'][number]): fc.Arbitrary<string> => {
      const t = spec.type;
      switch (t.kind) {
        case 'recordId':
          return fc.constantFrom('R1', 'AB-9.x:1');
        case 'idNumber':
          return fc.constantFrom(A1, X1, `${A1.slice(0, 17)}X`);
        case 'regionCode':
          return fc.constantFrom('430121', '410122');
        case 'date':
          return fc.constantFrom('2026-05-01', '2024-02-29', '2026-01-31', '2026-04-30');
        case 'yuan':
          return fc.constantFrom('0', '12.5', '1234.56', '100000000', '0.07', '007.10');
        case 'grade':
          return fc.constantFrom('1', '2', '4');
        case 'boolean':
          return fc.constantFrom('true', '否', '0', '');
        case 'enum':
          return fc.constantFrom(...Object.keys(t.values));
        case 'idNumberList':
          return fc.constantFrom(`${A1};${A2}`, A1);
        case 'enumList':
          return fc.constantFrom('', 'dibaoAllowance;medicalAssistance', 'tekunSupport');
      }
    };
    const defs = [...Object.values(feedDefinitions), registerDefinition] as Array<typeof registerDefinition>;
    let accepted = 0;
    for (const def of defs) {
      const header = def.fields.map((f) => f.name).join(',');
      const row = fc.tuple(
        ...def.fields.map((f) =>
          fc.oneof({ arbitrary: validFor(f), weight: 6 }, { arbitrary: tricky, weight: 1 }),
        ),
      );
      fc.assert(
        fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
          const fast = new RecordDecoder(def, 'csv', true);
          const slow = new RecordDecoder(def, 'csv', false);
          fast.push(header);
          slow.push(header);
          for (const r of rows) {
            const got = fast.push(r.join(','));
            expect(got).toEqual(slow.push(r.join(',')));
            if (got?.ok) accepted++;
          }
        }),
        { numRuns: 300 },
      );
    }
    expect(accepted).toBeGreaterThan(500);
  });
});
