/**
 * A feed cut into line-aligned byte ranges (`planChunks`) and each range decoded on its own from its
 * first line (`RecordDecoder.startingAt`, the CSV header carried beside): together the chunks give
 * exactly what reading the whole file gives — every row, every rejection with its line number and
 * reason, every blank line — whatever the chunk size and however the stream arrives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from '../../shared/domain/id-number.ts';
import { feedKey, planChunks } from '../../shared/monitoring/chunks.ts';
import {
  type FeedFormat,
  feedDefinitions,
  lineBatches,
  RecordDecoder,
  type RecordDefinition,
  type RecordItem,
  readFeed,
} from '../../shared/monitoring/feeds/index.ts';

const id = (body17: string) => `${body17}${idCheckCharacter(body17)}`;
const GOOD = id('43012119800101011');
const OTHER = id('43012120150601012');

const csvLines = [
  'recordId,idNumber,regionCode,eventDate,totalCost,reimbursed,outOfPocket',
  `MI-1,${GOOD},430121,2026-05-01,30000,10000,20000`,
  `MI-2,${OTHER},430121,2026-05-02,100,50,50`,
  '',
  `MI-3,43012119800101011X,430121,2026-05-03,1,1,0`,
  `MI-4,${GOOD},430121,2026-13-01,1,1,0`,
  `"MI-5",${OTHER},430121,2026-05-04,"2,000",0,0`,
  `MI-6,${GOOD},430121,2026-05-05,10,20,0`,
  `MI-7,${GOOD},430121,2026-05-06,10,5`,
  `MI-8,${OTHER},430121,2026-05-07,500,100,400`,
];
const jsonlLines = [
  JSON.stringify({
    recordId: 'H-1',
    idNumber: GOOD,
    regionCode: '430121',
    eventDate: '2026-05-01',
    eventType: 'death',
  }),
  '{not json',
  '   ',
  JSON.stringify({ recordId: 'H-2', idNumber: OTHER, regionCode: '430121', eventDate: '2026-05-02' }),
  JSON.stringify({
    recordId: 'H-3',
    idNumber: OTHER,
    regionCode: '430121',
    eventDate: '2026-05-03',
    eventType: 'hospitalisation',
    totalCost: 80000,
    majorDisease: true,
  }),
  JSON.stringify({ recordId: '医院-4', idNumber: GOOD, regionCode: '430121', eventDate: '2026-05-04' }),
];

async function whole<Row>(def: RecordDefinition<Row>, text: Buffer, format: FeedFormat) {
  const out: Array<RecordItem<Row>> = [];
  const decoder = new RecordDecoder(def, format);
  for await (const lines of lineBatches([text]))
    for (const line of lines) {
      const item = decoder.push(line);
      if (item) out.push(item);
    }
  return { items: out, blank: decoder.blank, lines: decoder.lines };
}

/** Every chunk decoded on its own from its byte range, as a map worker does. */
async function chunked<Row>(
  def: RecordDefinition<Row>,
  text: Buffer,
  format: FeedFormat,
  linesPerChunk: number,
  pieceBytes: number,
) {
  const pieces: Buffer[] = [];
  for (let i = 0; i < text.length; i += pieceBytes) pieces.push(text.subarray(i, i + pieceBytes));
  const plan = await planChunks(pieces, { linesPerChunk });
  const items: Array<RecordItem<Row>> = [];
  let blank = 0;
  let lines = 0;
  for (const chunk of plan.chunks) {
    const range = text.subarray(chunk.start, chunk.end + 1);
    const decoder = RecordDecoder.startingAt(def, format, chunk.firstLine, plan.header ?? undefined);
    for await (const batch of lineBatches([range]))
      for (const line of batch) {
        const item = decoder.push(line);
        if (item) items.push(item);
      }
    expect(decoder.lines, `chunk ${chunk.index} lines`).toBe(chunk.lines);
    blank += decoder.blank;
    lines += decoder.lines;
  }
  return { plan, items, blank, lines };
}

describe('a feed cut into chunks at line boundaries', () => {
  it.each([
    ['csv', csvLines, '\n'],
    ['csv', csvLines, '\r\n'],
    ['jsonl', jsonlLines, '\n'],
  ] as const)(
    '%s (%j line endings): the chunks decode to what the whole file decodes to',
    async (format, lines, eol) => {
      const def = (format === 'csv'
        ? feedDefinitions.medicalInsurance
        : feedDefinitions.health) as unknown as RecordDefinition<Record<string, unknown>>;
      for (const trailing of [true, false]) {
        const text = Buffer.from(lines.join(eol) + (trailing ? eol : ''));
        const expected = await whole(def, text, format);
        for (const perChunk of [1, 2, 3, 4, 100])
          for (const pieceBytes of [1, 7, 64, 1 << 16]) {
            const got = await chunked(def, text, format, perChunk, pieceBytes);
            expect(got.items, `${perChunk} lines a chunk, ${pieceBytes}-byte pieces`).toEqual(expected.items);
            expect([got.blank, got.lines, got.plan.lines]).toEqual([
              expected.blank,
              lines.length,
              lines.length,
            ]);
            expect(got.plan.bytes).toBe(text.length);
            expect(got.plan.chunks).toHaveLength(Math.ceil(lines.length / perChunk));
            // Contiguous, covering every byte once.
            got.plan.chunks.forEach((c, i) => {
              expect(c.start).toBe(i === 0 ? 0 : got.plan.chunks[i - 1]!.end + 1);
            });
            expect(got.plan.chunks.at(-1)!.end).toBe(text.length - 1);
          }
      }
    },
  );

  it('names the rejected lines of a chunk by their line in the whole file', async () => {
    const text = Buffer.from(`${csvLines.join('\n')}\n`);
    const got = await chunked(feedDefinitions.medicalInsurance, text, 'csv', 3, 1 << 16);
    expect(got.items.filter((i) => !i.ok).map((i) => [i.line, !i.ok && i.reason])).toEqual([
      [5, '字段 idNumber（身份证号码）：身份证号码校验位不正确（GB 11643）'],
      [6, '字段 eventDate（事件日期）：日期格式应为 YYYY-MM-DD'],
      [7, '字段 totalCost（医疗总费用）：金额必须是数字（元）'],
      [8, '字段 reimbursed（已报销金额）：已报销金额不应超过医疗总费用'],
      [9, '本行有 6 列，表头有 7 列'],
    ]);
    expect(got.items.filter((i) => i.ok).map((i) => i.line)).toEqual([2, 3, 10]);
  });

  it('a bad CSV header rejects the header and every line of every chunk, naming the header', async () => {
    const text = Buffer.from(['recordId,idNumber', `X-1,${GOOD}`, `X-2,${GOOD}`, `X-3,${GOOD}`].join('\n'));
    const expected = await whole(feedDefinitions.medicalInsurance, text, 'csv');
    const got = await chunked(feedDefinitions.medicalInsurance, text, 'csv', 2, 5);
    expect(got.items).toEqual(expected.items);
    expect(got.items.map((i) => i.line)).toEqual([1, 2, 3, 4]);
    expect(got.items.every((i) => !i.ok && i.reason.includes('表头'))).toBe(true);
  });

  it('random files: the same rows and rejections, chunked or not', async () => {
    const line = fc.oneof(
      fc.constantFrom(...csvLines.slice(1)),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        async (body, perChunk, pieceBytes, trailing) => {
          const all = [csvLines[0]!, ...body];
          const text = Buffer.from(all.join('\n') + (trailing ? '\n' : ''));
          const expected = await whole(feedDefinitions.medicalInsurance, text, 'csv');
          const got = await chunked(feedDefinitions.medicalInsurance, text, 'csv', perChunk, pieceBytes);
          expect(got.items).toEqual(expected.items);
          expect(got.blank).toBe(expected.blank);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an empty file has no chunks and no header; a long line makes a chunk of its own under a byte cap', async () => {
    expect(await planChunks([], { linesPerChunk: 10 })).toEqual({
      chunks: [],
      lines: 0,
      bytes: 0,
      header: null,
    });
    const long = 'x'.repeat(100);
    const plan = await planChunks([Buffer.from(`a\n${long}\nb\nc\n`)], {
      linesPerChunk: 10,
      maxChunkBytes: 50,
    });
    expect(plan.chunks.map((c) => [c.firstLine, c.lines])).toEqual([
      [1, 2],
      [3, 2],
    ]);
  });

  it('decodes the same rows as readFeed for a JSON Lines feed', async () => {
    const text = Buffer.from(jsonlLines.join('\n'));
    const all: unknown[] = [];
    for await (const item of readFeed('health', [text], 'jsonl')) all.push(item);
    const got = await chunked(feedDefinitions.health, text, 'jsonl', 2, 3);
    expect(got.items).toEqual(all);
  });
});

describe('feed object keys', () => {
  it('take the feed from the folder and the format from the extension', () => {
    expect(feedKey('health/2026-06 卫健委.csv')).toEqual({ ok: true, feed: 'health', format: 'csv' });
    expect(feedKey('ruralAffairs/a/b.JSONL')).toEqual({ ok: true, feed: 'ruralAffairs', format: 'jsonl' });
    expect(feedKey('runs/x/manifest.json')).toMatchObject({ ok: false });
    expect(feedKey('health/readme.txt')).toEqual({
      ok: false,
      reason: '对象 health/readme.txt 的文件名应以 .csv 或 .jsonl 结尾',
    });
    expect(feedKey('health/.csv')).toMatchObject({ ok: false });
    expect(feedKey('health.csv')).toMatchObject({ ok: false });
  });
});
