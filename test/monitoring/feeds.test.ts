import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeFeed,
  feedDefinitions,
  feedNames,
  lineBatches,
  readFeed,
  renderFeedSchemas,
  splitCsvLine,
  validateCsvCells,
  validateFeedRecord,
  validateFeedWithZod,
} from '../../shared/monitoring/feeds/index.ts';
import { validId } from '../support/households.ts';

const A = validId('430121', '19800101', 1);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('CSV feeds', () => {
  it('reads valid rows and rejects bad ones with their line number and a Chinese reason naming the field', async () => {
    const csv = [
      'recordId,idNumber,regionCode,eventDate,totalCost,reimbursed,outOfPocket',
      `YB1,${A},430121,2026-05-01,1000.00,800,200`,
      `YB2,${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'},430121,2026-05-01,1000,800,200`,
      `YB3,${A},430121,2026-02-30,1000,800,200`,
      '',
      `YB4,${A},430121,2026-05-01,1000,-1,200`,
      `YB5,${A},430121,2026-05-01,1000,800`,
      `YB6,${A},430121,2026-05-01,1000,800,1000.01`,
      `YB7,${A},430121,2026-05-01,abc,800,200`,
      `YB8,${A},430121,2026-05-01,1000,800,0.001`,
      `YB9,${A},430121,2026-05-02,2000,1500,500`,
    ].join('\n');
    const items = await collect(readFeed('medicalInsurance', [csv], 'csv'));
    const rejected = items
      .filter((i) => !i.ok)
      .map((i) => ({ line: i.line, reason: (i as { reason: string }).reason }));
    expect(rejected).toEqual([
      { line: 3, reason: '字段 idNumber（身份证号码）：身份证号码校验位不正确（GB 11643）' },
      { line: 4, reason: '字段 eventDate（事件日期）：日期格式应为 YYYY-MM-DD' },
      { line: 6, reason: '字段 reimbursed（已报销金额）：金额不能为负数' },
      { line: 7, reason: '本行有 6 列，表头有 7 列' },
      { line: 8, reason: '字段 outOfPocket（个人自付）：个人自付不应超过医疗总费用' },
      { line: 9, reason: '字段 totalCost（医疗总费用）：金额必须是数字（元）' },
      { line: 10, reason: '字段 outOfPocket（个人自付）：金额最多保留两位小数' },
    ]);
    const valid = items.filter((i) => i.ok);
    expect(valid.map((i) => i.line)).toEqual([2, 11]);
    expect(valid[0]).toMatchObject({
      row: {
        recordId: 'YB1',
        idNumber: A,
        regionCode: '430121',
        eventDate: '2026-05-01',
        totalCost: 1000,
        reimbursed: 800,
        outOfPocket: 200,
      },
    });
  });

  it('takes columns in any order, ignores unknown columns, handles quotes, CRLF and a BOM', async () => {
    const csv =
      '\uFEFFidNumber,extra,recordId,regionCode,eventDate,eventType,stage\r\n' +
      `${A},"x, ""quoted""",JY1,430121,2026-05-01,hardshipStudent,primary\r\n` +
      `"${A}",,JY2,430121,2026-05-01,enrolment,higher\r\n`;
    const items = await collect(readFeed('education', [csv], 'csv'));
    expect(items).toEqual([
      {
        ok: true,
        line: 2,
        row: {
          recordId: 'JY1',
          idNumber: A,
          regionCode: '430121',
          eventDate: '2026-05-01',
          eventType: 'hardshipStudent',
          stage: 'primary',
        },
      },
      {
        ok: true,
        line: 3,
        row: {
          recordId: 'JY2',
          idNumber: A,
          regionCode: '430121',
          eventDate: '2026-05-01',
          eventType: 'enrolment',
          stage: 'higher',
        },
      },
    ]);
  });

  it('rejects the header and then every row when a required column is missing, naming the column', async () => {
    const csv = [
      'recordId,regionCode,eventDate,eventType,stage',
      'JY1,430121,2026-05-01,enrolment,primary',
      'JY2,430121,2026-05-01,enrolment,primary',
    ].join('\n');
    const items = await collect(readFeed('education', [csv], 'csv'));
    expect(items).toHaveLength(3);
    expect(items.every((i) => !i.ok)).toBe(true);
    expect(items.map((i) => i.line)).toEqual([1, 2, 3]);
    expect((items[0] as { reason: string }).reason).toBe('表头缺少必填列：idNumber（身份证号码）');
    expect((items[2] as { reason: string }).reason).toBe(
      '表头无效（第1行）：表头缺少必填列：idNumber（身份证号码）',
    );
  });

  it('applies the rules between fields of each feed', async () => {
    const h = 'recordId,idNumber,regionCode,eventDate';
    const cases: Array<[(typeof feedNames)[number], string, string, string | undefined]> = [
      [
        'health',
        `${h},eventType,totalCost,majorDisease`,
        'hospitalisation,,',
        '字段 totalCost（住院总费用）：住院记录须填写住院总费用',
      ],
      [
        'health',
        `${h},eventType,totalCost,majorDisease`,
        'death,100,',
        '字段 totalCost（住院总费用）：死亡记录不应填写住院总费用',
      ],
      ['health', `${h},eventType,totalCost,majorDisease`, 'death,,是', undefined],
      [
        'health',
        `${h},eventType,totalCost,majorDisease`,
        'death,,maybe',
        '字段 majorDisease（大病专项救治病种）：大病专项救治病种应为 true 或 false',
      ],
      [
        'humanResources',
        `${h},eventType,monthlyAmount`,
        'unemploymentRegistration,100',
        '字段 monthlyAmount（月收入金额）：失业登记不应填写月收入金额',
      ],
      [
        'humanResources',
        `${h},eventType,monthlyAmount`,
        'employment,',
        '字段 monthlyAmount（月收入金额）：就业登记、养老金记录须填写月收入金额',
      ],
      [
        'disability',
        `${h},action,category,grade`,
        'issued,physical,',
        '字段 grade（残疾等级）：发证、等级变更须填写残疾等级',
      ],
      ['disability', `${h},action,category,grade`, 'revoked,physical,', undefined],
      [
        'disability',
        `${h},action,category,grade`,
        'issued,physical,5',
        '字段 grade（残疾等级）：残疾等级应为1–4',
      ],
      [
        'disability',
        `${h},action,category,grade`,
        'issued,physical,1.5',
        '字段 grade（残疾等级）：残疾等级必须是整数',
      ],
      [
        'emergencyManagement',
        `${h},eventType,disasterType,damageLevel,directLoss`,
        'homeDamaged,flood,,',
        '字段 damageLevel（房屋损毁程度）：住房损毁记录须填写房屋损毁程度',
      ],
      [
        'ruralAffairs',
        `${h},status,riskCause`,
        'identified,bad',
        '字段 riskCause（主要风险）：主要风险应为 illness/disability/schooling/unemployment/disaster/accident/other 之一',
      ],
    ];
    for (const [feed, header, rest, reason] of cases) {
      const [item] = await collect(readFeed(feed, [`${header}\nR1,${A},430121,2026-05-01,${rest}\n`], 'csv'));
      if (reason === undefined) expect(item, `${feed} ${rest}`).toMatchObject({ ok: true });
      else expect(item, `${feed} ${rest}`).toEqual({ ok: false, line: 2, reason });
    }
  });

  it('validates named text cells (a Distributed Map item) as it validates a CSV line', async () => {
    const cells = {
      recordId: 'RS1',
      idNumber: A,
      regionCode: '430121',
      eventDate: '2026-05-01',
      eventType: 'employment',
      monthlyAmount: '2500.5',
    };
    const [line] = await collect(
      readFeed(
        'humanResources',
        [`${Object.keys(cells).join(',')}\n${Object.values(cells).join(',')}`],
        'csv',
      ),
    );
    expect(validateCsvCells('humanResources', cells)).toEqual({
      ok: true,
      row: (line as { row: unknown }).row,
    });
    expect(validateCsvCells('humanResources', { ...cells, monthlyAmount: '' })).toEqual({
      ok: false,
      reason: '字段 monthlyAmount（月收入金额）：就业登记、养老金记录须填写月收入金额',
    });
  });

  it('splits quoted cells and refuses a quote left open', () => {
    expect(splitCsvLine('a,"b,c",""""')).toEqual(['a', 'b,c', '"']);
    expect(splitCsvLine('a,,')).toEqual(['a', '', '']);
    expect(splitCsvLine('a,"b')).toEqual({ error: '引号未闭合（带引号的单元格不能跨行）' });
    expect(splitCsvLine('a,b"c')).toEqual({ error: '未加引号的单元格中不能有引号' });
  });
});

describe('JSON Lines feeds', () => {
  it('numbers lines from 1, rejects lines that are not JSON objects, skips blank lines', async () => {
    const lines = [
      JSON.stringify({
        recordId: 'NY1',
        idNumber: A,
        regionCode: '430121',
        eventDate: '2026-05-01',
        status: 'identified',
        extra: 1,
      }),
      '{"recordId":"NY2",',
      '',
      '[1,2]',
      JSON.stringify({
        recordId: 'NY3',
        idNumber: A,
        regionCode: 430121,
        eventDate: '2026-05-01',
        status: 'identified',
      }),
      JSON.stringify({
        recordId: 'NY4',
        idNumber: A,
        regionCode: '430121',
        eventDate: '2026-05-01',
        status: 'riskEliminated',
        riskCause: 'illness',
      }),
    ];
    const items = await collect(readFeed('ruralAffairs', [lines.join('\n')], 'jsonl'));
    expect(items).toEqual([
      {
        ok: true,
        line: 1,
        row: {
          recordId: 'NY1',
          idNumber: A,
          regionCode: '430121',
          eventDate: '2026-05-01',
          status: 'identified',
        },
      },
      { ok: false, line: 2, reason: '不是有效的 JSON 行' },
      { ok: false, line: 4, reason: '每行应为一个 JSON 对象' },
      { ok: false, line: 5, reason: '字段 regionCode（行政区划代码）：行政区划代码必须是字符串' },
      {
        ok: true,
        line: 6,
        row: {
          recordId: 'NY4',
          idNumber: A,
          regionCode: '430121',
          eventDate: '2026-05-01',
          status: 'riskEliminated',
          riskCause: 'illness',
        },
      },
    ]);
  });
});

describe('line reading', () => {
  it('gives the same lines however the bytes are chunked, multi-byte characters included', async () => {
    const text = '第一行,甲\r\n第二行,乙\n\n最后一行没有换行';
    const expected = ['第一行,甲', '第二行,乙', '', '最后一行没有换行'];
    const bytes = Buffer.from(text, 'utf8');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 8 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let from = 0;
          for (const p of [...points, bytes.length]) {
            if (p > from) chunks.push(bytes.subarray(from, p));
            from = p;
          }
          const lines = (await collect(lineBatches(chunks))).flat();
          expect(lines).toEqual(expected);
        },
      ),
    );
  });
});

describe('the fast validator and the zod schemas', () => {
  const cell = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(A),
    fc.constant(`${A.slice(0, 17)}Y`),
    fc.constant('430121'),
    fc.constant('4301'),
    fc.constantFrom('2026-05-01', '2024-02-29', '2023-02-29', '2026-13-01', '2026/05/01'),
    fc.constantFrom(
      'hospitalisation',
      'death',
      'enrolment',
      'hardshipStudent',
      'primary',
      'issued',
      'revoked',
      'physical',
    ),
    fc.constantFrom(
      'unemploymentRegistration',
      'employment',
      'homeDamaged',
      'disasterVictim',
      'flood',
      'collapsed',
      'identified',
    ),
    fc.constantFrom('R-1', 'bad id', ''),
    fc.boolean(),
    fc.integer({ min: -5, max: 10 }),
    fc.integer({ min: -1_000_000, max: 200_000_000 }).map((n) => n / 100),
    fc.double({ min: -10, max: 1e9, noNaN: true }),
    fc.constantFrom(0.07, 0.1 + 0.2, 1.005, 1e-7, 2.5, 1e20, Number.POSITIVE_INFINITY),
    fc.string({ maxLength: 4 }),
  );

  it('accept the same records and give the same first reason', () => {
    for (const feed of feedNames) {
      const names = feedDefinitions[feed].fields.map((f) => f.name);
      fc.assert(
        fc.property(fc.tuple(...names.map(() => cell)), (values) => {
          const record: Record<string, unknown> = {};
          names.forEach((n, i) => {
            if (values[i] !== undefined) record[n] = values[i];
          });
          expect(validateFeedRecord(feed, record)).toEqual(validateFeedWithZod(feed, record));
        }),
        { numRuns: 400 },
      );
    }
  });

  it('agree on records that are mostly valid, so that the rules between fields are reached', () => {
    const base = { recordId: 'R1', idNumber: A, regionCode: '430121', eventDate: '2026-05-01' };
    const amount = fc.option(
      fc.integer({ min: -100, max: 1_000_000 }).map((n) => n / 100),
      { nil: undefined },
    );
    const arb = fc.record({
      eventType: fc.constantFrom(
        'hospitalisation',
        'death',
        'unemploymentRegistration',
        'employment',
        'homeDamaged',
        'disasterVictim',
      ),
      totalCost: amount,
      reimbursed: amount,
      outOfPocket: amount,
      monthlyAmount: amount,
      action: fc.constantFrom('issued', 'gradeChanged', 'revoked'),
      category: fc.constant('physical'),
      grade: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      disasterType: fc.constant('flood'),
      damageLevel: fc.option(fc.constantFrom('collapsed', 'minor'), { nil: undefined }),
      directLoss: amount,
    });
    fc.assert(
      fc.property(arb, fc.constantFrom(...feedNames), (extra, feed) => {
        const record = {
          ...base,
          ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
        };
        expect(validateFeedRecord(feed, record)).toEqual(validateFeedWithZod(feed, record));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('schema documentation', () => {
  it('documents every field of every feed with its type and a Chinese description', () => {
    const text = renderFeedSchemas();
    for (const feed of feedNames) {
      expect(text).toContain(`【${feed}】`);
      for (const f of feedDefinitions[feed].fields) expect(text).toContain(f.name);
      const doc = describeFeed(feed);
      expect(doc.map((d) => d.field)).toEqual(feedDefinitions[feed].fields.map((f) => f.name));
      for (const d of doc) expect(d.description).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(text).not.toMatch(/^#|\|\s*---/m);
  });
});
