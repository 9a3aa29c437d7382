/** CSV exports: what a spreadsheet program would run as a formula is written as text. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../shared/csv.ts';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('a text cell starting a formula, %j, is written behind an apostrophe', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('leaves ordinary text, quoted where CSV needs it, and numbers, negative ones too', () => {
    expect(csvCell('王五')).toBe('王五');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('入户核实, 属实')).toBe('"入户核实, 属实"');
    expect(csvCell(-120.5)).toBe('-120.5');
  });

  it('guards every cell of a document, titles and rows alike', () => {
    const doc = csvDocument<{ name: string; amount: number }>(
      [
        ['经办人', (r) => r.name],
        ['金额', (r) => r.amount],
      ],
      [{ name: '=cmd|"/c calc"!A1', amount: -3 }],
    );
    expect(doc).toBe(`\uFEFF经办人,金额\r\n"'=cmd|""/c calc""!A1",-3\r\n`);
  });
});
