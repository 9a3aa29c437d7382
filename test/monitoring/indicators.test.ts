import { describe, expect, it } from 'vitest';
import {
  IndicatorBook,
  IndicatorsNotFoundError,
  indicatorLineage,
  indicatorNames,
  indicatorVersionSchema,
  indicatorVersionsFrom,
  resolveIndicators,
  sampleIndicatorVersions,
} from '../../shared/monitoring/indicators.ts';

describe('indicator parameters', () => {
  it('sample data passes the schema, is marked as sample data, and cites a clause beside every value', () => {
    for (const v of sampleIndicatorVersions) {
      expect(indicatorVersionSchema.parse(v)).toEqual(v);
      expect(v.sampleData).toBe(true);
      expect(v.basis).toContain('示例数据');
      for (const entry of Object.values(v.values)) expect(entry?.clause.length).toBeGreaterThan(5);
    }
    expect(indicatorVersionsFrom(sampleIndicatorVersions)).toHaveLength(sampleIndicatorVersions.length);
  });

  it('walks county → prefecture → province → nation', () => {
    expect(indicatorLineage('430121')).toEqual(['430121', '430100', '430000', '000000']);
    expect(indicatorLineage('410000')).toEqual(['410000', '000000']);
  });

  it('inherits value by value, the lowest level winning, and changes on the effective date', () => {
    // 长沙县 before its own version: Hunan's out-of-pocket line, national share.
    const before = resolveIndicators(sampleIndicatorVersions, '430121', '2025-12-31');
    expect(before.illnessOutOfPocket.minOutOfPocket).toBe(15_000);
    expect(before.illnessOutOfPocket.incomeShare).toBe(0.5);
    expect(before.sources.illnessOutOfPocket).toBe('430000:2025-01-01');
    expect(before.sources.disability).toBe('000000:2024-01-01');
    expect(before.version).toBe('430000:2025-01-01+000000:2024-01-01');
    expect(before.clauses.illnessOutOfPocket).toContain('湘政办发〔2024〕30号');

    const after = resolveIndicators(sampleIndicatorVersions, '430121', '2026-01-01');
    expect(after.illnessOutOfPocket.minOutOfPocket).toBe(12_000);
    expect(after.illnessOutOfPocket.incomeShare).toBe(0.4);
    expect(after.sources.illnessOutOfPocket).toBe('430121:2026-01-01');
    expect(after.version).toBe('430121:2026-01-01+430000:2025-01-01+000000:2024-01-01');
    expect(after.sampleData).toBe(true);

    // Before Hunan's own version only the nation's applies.
    expect(
      resolveIndicators(sampleIndicatorVersions, '430121', '2024-06-01').illnessOutOfPocket.minOutOfPocket,
    ).toBe(20_000);

    // 中牟县: Henan's disaster line, its own unemployment routing from 2025-07-01.
    const zhongmou = resolveIndicators(sampleIndicatorVersions, '410122', '2025-07-01');
    expect(zhongmou.disaster.minDirectLoss).toBe(5_000);
    expect(zhongmou.unemployment.outside).toBe('omission');
    expect(resolveIndicators(sampleIndicatorVersions, '410122', '2025-06-30').unemployment.outside).toBe(
      'ignore',
    );
    // Another Henan county keeps the national routing.
    expect(resolveIndicators(sampleIndicatorVersions, '410181', '2026-06-30').unemployment.outside).toBe(
      'ignore',
    );
  });

  it('a later version of a level replaces the earlier one whole', () => {
    const national = sampleIndicatorVersions[0]!;
    const county = (effectiveFrom: string, values: typeof national.values) => ({
      regionCode: '430121',
      effectiveFrom,
      basis: '测试',
      sampleData: false,
      values,
    });
    const versions = [
      national,
      county('2025-01-01', { lookbackDays: { value: 90, clause: '测试甲' } }),
      county('2025-06-01', {
        incomeChange: {
          value: { ...national.values.incomeChange!.value, minMonthlyIncome: 1 },
          clause: '测试乙',
        },
      }),
    ];
    const s = resolveIndicators(versions, '430121', '2025-07-01');
    expect(s.lookbackDays).toBe(365);
    expect(s.incomeChange.minMonthlyIncome).toBe(1);
    expect(resolveIndicators(versions, '430121', '2025-05-31').lookbackDays).toBe(90);
  });

  it('refuses a region and date with no indicators, naming what is missing; the book remembers', () => {
    expect(() => resolveIndicators(sampleIndicatorVersions, '430121', '2023-12-31')).toThrow(
      IndicatorsNotFoundError,
    );
    try {
      resolveIndicators(sampleIndicatorVersions, '430121', '2023-12-31');
    } catch (error) {
      expect((error as IndicatorsNotFoundError).missing).toEqual(indicatorNames);
      expect((error as Error).message).toContain('没有生效的监测预警指标');
    }
    const book = new IndicatorBook(sampleIndicatorVersions);
    expect(book.resolve('430121', '2026-06-30')).toBe(book.resolve('430121', '2026-06-30'));
    expect(() => book.resolve('430121', '2023-01-01')).toThrow(IndicatorsNotFoundError);
  });

  it('refuses two versions for the same region and date, and invalid values', () => {
    expect(() => indicatorVersionsFrom([sampleIndicatorVersions[0], sampleIndicatorVersions[0]])).toThrow(
      /重复/,
    );
    const bad = structuredClone(sampleIndicatorVersions[1]!);
    (bad.values.illnessOutOfPocket!.value as { department: string }).department = 'police';
    expect(indicatorVersionSchema.safeParse(bad).success).toBe(false);
    const noClause = structuredClone(sampleIndicatorVersions[1]!);
    noClause.values.illnessOutOfPocket!.clause = ' ';
    expect(indicatorVersionSchema.safeParse(noClause).error?.issues[0]?.message).toBe('须注明依据条款');
  });
});
