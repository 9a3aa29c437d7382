import { describe, expect, it } from 'vitest';
import {
  addParameterVersion,
  ParametersNotFoundError,
  type ParameterVersion,
  ParameterVersionConflictError,
  parameterNames,
  parameterSetSchema,
  parameterValuesSchema,
  parameterVersionFromRequest,
  parameterVersionSchema,
  regionLineage,
  resolveParameters,
  sampleParameterVersions,
} from '../../shared/parameters/index.ts';
import { baseValues } from '../rules/fixtures.ts';

const resolve = (
  region: string,
  residence: 'urban' | 'rural',
  asOf: string,
  versions = sampleParameterVersions,
) => resolveParameters(versions, region, residence, asOf);

describe('sample parameter data', () => {
  it('is valid, labelled as sample data, and cites a clause for every value', () => {
    for (const v of sampleParameterVersions) {
      expect(parameterVersionSchema.parse(v)).toEqual(v);
      expect(v.sampleData).toBe(true);
      expect(v.basis).toContain('示例数据');
      for (const entry of Object.values(v.values)) expect(entry?.clause.length).toBeGreaterThan(5);
    }
  });

  it('covers a Hunan and a Henan county, urban and rural, with every parameter resolvable', () => {
    for (const region of ['430121', '410122']) {
      for (const residence of ['urban', 'rural'] as const) {
        const p = resolve(region, residence, '2026-06-01');
        expect(parameterValuesSchema.parse(p)).toBeTruthy();
        expect(p.sampleData).toBe(true);
        for (const name of parameterNames) expect(p.clauses[name]).toBeTruthy();
      }
    }
  });
});

describe('resolveParameters', () => {
  it('uses the province alone before the county publishes its own values', () => {
    // 长沙县's first version is effective 2025-07-01.
    const p = resolve('430121', 'urban', '2025-03-01');
    expect(p.version).toBe('430000:urban:2025-01-01');
    expect(p.dibaoStandard).toBe(680);
    expect(p.sources.dibaoStandard).toBe('430000:urban:2025-01-01');
  });

  it('lets the county override the values it sets and inherits the rest', () => {
    const p = resolve('430121', 'urban', '2025-08-15');
    expect(p.version).toBe('430121:urban:2025-07-01+430000:urban:2025-01-01');
    expect(p.dibaoStandard).toBe(900);
    expect(p.sources.dibaoStandard).toBe('430121:urban:2025-07-01');
    expect(p.marginalMultiple).toBe(1.5);
    expect(p.sources.marginalMultiple).toBe('430000:urban:2025-01-01');
    expect(p.clauses.dibaoStandard).toContain('长沙县');
  });

  it('picks the version in force on the decision date, the effective date included', () => {
    expect(resolve('430121', 'rural', '2025-12-31').dibaoStandard).toBe(850);
    expect(resolve('430121', 'rural', '2026-01-01').dibaoStandard).toBe(900);
    expect(resolve('430121', 'rural', '2026-01-01').version).toBe(
      '430121:rural:2026-01-01+430000:rural:2026-01-01',
    );
    expect(resolve('430000', 'rural', '2026-01-01').dibaoStandard).toBe(560);
  });

  it('merges county, prefecture and province', () => {
    // 中牟县 sets the deduction and the gradual exit; 郑州市 the standards; 河南省 the rest.
    const p = resolve('410122', 'rural', '2025-09-01');
    expect(p.version).toBe('410122:rural:2025-07-01+410100:rural:2025-01-01+410000:rural:2025-01-01');
    expect(p).toMatchObject({
      employmentCostDeduction: 300,
      gradualExitMonths: 12,
      dibaoStandard: 830,
      rigidExpenseRatio: 0.6,
    });
    expect(p.timeLimits.reviewWorkingDays).toBe(25);
    // Another county of the province without data of its own gets the province's values.
    expect(resolve('411002', 'rural', '2025-09-01')).toMatchObject({
      dibaoStandard: 460,
      gradualExitMonths: 6,
    });
  });

  it('throws a typed error naming region, residence and date when nothing applies', () => {
    const before = () => resolve('430121', 'urban', '2024-12-31');
    expect(before).toThrow(ParametersNotFoundError);
    expect(before).toThrow(/430121.*城市.*2024-12-31/);
    try {
      resolve('110101', 'rural', '2026-01-01');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParametersNotFoundError);
      expect((e as ParametersNotFoundError).regionCode).toBe('110101');
      // Every value but what the law itself sets (社会救助法第四十四条: the county decides; 57号
      // 第二十一条: paid from the next month) and the payroll's defaults of practice (its day, the bank file).
      expect((e as ParametersNotFoundError).missing).toEqual(
        parameterNames.filter(
          (n) =>
            ![
              'decisionAuthority',
              'paymentStart',
              'recoveryDeductionShare',
              'payrollDay',
              'bankFileLayout',
              'suspendDuringHearing',
              'specialAssistance',
            ].includes(n),
        ),
      );
    }
  });

  it('reports the values still missing when only a county sets some', () => {
    const countyOnly: ParameterVersion = {
      regionCode: '320115',
      residence: 'urban',
      effectiveFrom: '2026-01-01',
      basis: '测试',
      sampleData: false,
      values: { dibaoStandard: { value: 1000, clause: '测试条款' } },
    };
    expect(() => resolve('320115', 'urban', '2026-02-01', [countyOnly])).toThrow(
      /缺少 tekunBasicLivingStandard/,
    );
  });

  it('is not sample data once a real version supplies every value', () => {
    const hunan2026 = sampleParameterVersions.find(
      (v) => v.regionCode === '430000' && v.residence === 'urban' && v.effectiveFrom === '2026-01-01',
    )!;
    const real = addParameterVersion(sampleParameterVersions, {
      ...hunan2026,
      regionCode: '430121',
      effectiveFrom: '2026-07-01',
      basis: '长沙县人民政府文件（测试）',
      sampleData: false,
    });
    expect(resolve('430121', 'urban', '2026-07-01', real).sampleData).toBe(false);
    expect(resolve('430121', 'urban', '2026-06-30', real).sampleData).toBe(true);
  });
});

describe('addParameterVersion', () => {
  it('never overwrites a version, and a new one changes only decisions from its date', () => {
    const next = parameterVersionFromRequest('430121', {
      residence: 'urban',
      effectiveFrom: '2026-09-01',
      basis: '长沙县调整低保标准（测试）',
      values: { dibaoStandard: { value: 1000, clause: '《社会救助暂行办法》第十条' } },
    });
    expect(next.regionCode).toBe('430121');
    expect(next.sampleData).toBe(false);
    const history = addParameterVersion(sampleParameterVersions, next);
    expect(history).toHaveLength(sampleParameterVersions.length + 1);
    expect(resolve('430121', 'urban', '2026-08-31', history).dibaoStandard).toBe(950);
    const after = resolve('430121', 'urban', '2026-09-01', history);
    expect(after.dibaoStandard).toBe(1000);
    // A later version replaces the level's earlier one whole: the county's tekun standard is now the province's.
    expect(after.sources.tekunBasicLivingStandard).toBe('430000:urban:2026-01-01');
    expect(() => addParameterVersion(history, next)).toThrow(ParameterVersionConflictError);
    expect(() => addParameterVersion(history, next)).toThrow(/430121:urban:2026-09-01/);
  });
});

describe('parameterSetSchema (PUT /admin/parameters/{regionCode})', () => {
  const body = {
    residence: 'rural',
    effectiveFrom: '2026-01-01',
    basis: '测试文件',
    values: {
      dibaoStandard: { value: 700, clause: '条款' },
      marginalMultiple: { value: 1.5, clause: '条款' },
    },
  };
  const issues = (b: unknown) => {
    const r = parameterSetSchema.safeParse(b);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a partial set of cited values', () => {
    expect(issues(body)).toEqual([]);
  });

  it('names the field of each error, in Chinese', () => {
    expect(issues({ ...body, values: { dibaoStandard: { value: -1, clause: '条款' } } })[0]).toMatch(
      /^values\.dibaoStandard\.value: /,
    );
    expect(issues({ ...body, values: { dibaoStandard: { value: 700 } } })[0]).toMatch(
      /values\.dibaoStandard\.clause: 须注明依据条款/,
    );
    expect(issues({ ...body, values: { marginalMultiple: { value: 0.9, clause: '条款' } } })[0]).toMatch(
      /低保边缘倍数不应小于1/,
    );
    expect(
      issues({ ...body, values: { rigidExpenseRatio: { value: 0.123456, clause: '条款' } } })[0],
    ).toMatch(/最多保留4位小数/);
    expect(issues({ ...body, values: {} })[0]).toMatch(/至少设置一项参数/);
    expect(issues({ ...body, effectiveFrom: '2026-13-01' })[0]).toMatch(/^effectiveFrom: /);
    expect(issues({ ...body, basis: '' })[0]).toMatch(/^basis: 须注明发文依据/);
    expect(
      issues({
        ...body,
        values: { amountRounding: { value: { unit: 'li', mode: 'up' }, clause: '条款' } },
      })[0],
    ).toMatch(/^values\.amountRounding\.value\.unit: /);
  });

  it('refuses a 公示 shorter than the statutory 7 days, citing the clause; a longer one is a local choice', () => {
    const withNotice = (publicNoticeDays: number) => ({
      ...body,
      values: { timeLimits: { value: { ...baseValues.timeLimits, publicNoticeDays }, clause: '条款' } },
    });
    expect(issues(withNotice(5))).toEqual([
      'values.timeLimits.value.publicNoticeDays: 公示期不得少于7天（《最低生活保障审核确认办法》第十九条、《特困人员认定办法》第十五条：公示期为7天）',
    ]);
    expect(issues(withNotice(7))).toEqual([]);
    expect(issues(withNotice(10))).toEqual([]);
  });

  it('lets only a province have townships decide (社会救助法第四十四条第二款), with a 20-working-day total by default', () => {
    const delegate = {
      ...body,
      values: { decisionAuthority: { value: { level: 'township' }, clause: '省政府令' } },
    };
    const province = parameterVersionFromRequest('430000', delegate);
    expect(province.values.decisionAuthority?.value).toEqual({ level: 'township', reviewWorkingDays: 20 });
    expect(() => parameterVersionFromRequest('430121', delegate)).toThrow(
      /decisionAuthority 由省级民政部门设定，430121 不能设置/,
    );
    expect(
      issues({ ...body, values: { decisionAuthority: { value: { level: 'village' }, clause: '条款' } } })[0],
    ).toMatch(/确认决定层级应为 county（县级）或 township（乡镇、街道）/);
  });

  it('resolves the county as the decision-maker where no version says otherwise, citing the article', () => {
    const withoutAuthority = sampleParameterVersions.map((v) => {
      const { decisionAuthority: _, ...values } = v.values;
      return { ...v, values };
    });
    const p = resolve('430121', 'urban', '2026-07-01', withoutAuthority);
    expect(p.decisionAuthority).toEqual({ level: 'county' });
    expect(p.sources.decisionAuthority).toBe('statute');
    expect(p.clauses.decisionAuthority).toMatch(/社会救助法》第四十四条第一款/);
  });

  it('rejects a bad region code from the path', () => {
    expect(() => parameterVersionFromRequest('43012', body)).toThrow(/行政区划代码应为6位数字/);
  });
});

describe('regionLineage', () => {
  it('goes county → prefecture → province without repeats', () => {
    expect(regionLineage('430121')).toEqual(['430121', '430100', '430000']);
    expect(regionLineage('410100')).toEqual(['410100', '410000']);
    expect(regionLineage('430000')).toEqual(['430000']);
  });
});
