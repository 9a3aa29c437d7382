import { describe, expect, it } from 'vitest';
import type { RollLine } from '../../shared/domain/entitlements.ts';
import type { PayeeAccount } from '../../shared/domain/payee.ts';
import { bankFile, purposeOf, readReturnFile } from '../../shared/payroll-files.ts';

const roll = { rollId: '430121-2026-12-1', regionCode: '430121', month: '2026-12' };
const line = (caseId: string, months: Array<[string, number, boolean]>, tier = 'dibao'): RollLine => ({
  caseId,
  months: months.map(([month, amount, backPay]) => ({ month, amount, backPay, tier, basis: '' })),
  amount: months.reduce((fen, [, a]) => fen + Math.round(a * 100), 0) / 100,
});
const account = (name: string): PayeeAccount => ({
  kind: 'bankCard',
  bankName: '中国农业银行长沙县支行',
  accountNumber: '6228480012345678903',
  accountName: name,
});
const lines = [
  line('case-a', [['2026-12', 520, false]]),
  line('case-b', [
    ['2026-11', 300.5, true],
    ['2026-12', 300.5, false],
  ]),
  line('case-c', [['2026-12', 1200, false]], 'tekun'),
];
const accounts = new Map([
  ['case-a', account('张三')],
  ['case-b', account('=HYPERLINK("x")')],
]);
const columns = [
  'lineNo',
  'accountName',
  'accountNumber',
  'bankName',
  'amount',
  'purpose',
  'caseId',
] as const;

describe('the bank file', () => {
  const file = bankFile(roll, lines, accounts, columns);

  it('names the roll, the columns in the county’s layout, a line per household with an account, and a trailer', () => {
    expect(file.content.split('\n')).toEqual([
      '#ROLL,430121-2026-12-1,430121,2026-12',
      '序号,户名,账号,开户行,金额,用途,案件编号',
      '1,张三,6228480012345678903,中国农业银行长沙县支行,520.00,低保金2026-12,case-a',
      // A name that reads as a formula is written as text.
      `2,"'=HYPERLINK(""x"")",6228480012345678903,中国农业银行长沙县支行,601.00,低保金2026-12；补发低保金2026-11,case-b`,
      '#TOTAL,2,1121.00',
      '',
    ]);
    expect(file.total).toBe(1121);
    expect(file.excluded).toEqual([{ caseId: 'case-c', amount: 1200, reason: '未登记收款账户' }]);
  });

  it('says what the money is for', () => {
    expect(purposeOf(lines[2]!)).toBe('特困供养金2026-12');
  });

  const ret = (body: string[], trailer = '#TOTAL,2,1121.00', rollId = roll.rollId) =>
    readReturnFile([`#ROLL,${rollId}`, '序号,案件编号,金额,结果,原因', ...body, trailer].join('\r\n'), {
      rollId: roll.rollId,
      lines: file.lines,
      total: file.total,
    });

  it('reads the bank’s return: paid and failed lines with the bank’s reason', () => {
    const read = ret(['1,case-a,520.00,成功,', '2,case-b,601.00,失败,"账户已销户,请更换"']);
    expect(read).toEqual({
      ok: true,
      results: [
        expect.objectContaining({ lineNo: 1, caseId: 'case-a', status: 'paid' }),
        expect.objectContaining({
          lineNo: 2,
          caseId: 'case-b',
          status: 'failed',
          reason: '账户已销户,请更换',
        }),
      ],
    });
  });

  it('refuses another roll’s return, lines not in the file, wrong amounts and totals, naming each line', () => {
    expect(ret([], '#TOTAL,0,0', '430121-2026-11-1')).toEqual({
      ok: false,
      problems: [{ field: 'lines.1', message: expect.stringContaining('不是本名册') }],
    });
    const bad = ret(
      ['1,case-a,520.00,成功,', '7,case-x,10.00,成功,', '2,case-b,600.00,失败,'],
      '#TOTAL,3,1130.00',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      { field: 'lines.4', message: '序号 7 不在本名册的银行文件中' },
      { field: 'lines.5', message: '序号 2 的金额应为 601.00元，回盘为 600.00' },
      { field: 'lines.5', message: '序号 2 发放失败，须有银行注明的原因' },
      { field: 'lines.6', message: '合计笔数应为 2，回盘为 3，相差 1' },
      { field: 'lines.6', message: '合计金额应为 1,121.00元，回盘为 1130.00，相差 9.00元' },
    ]);
    const missing = ret(['1,case-a,520.00,成功,'], '#TOTAL,2,1121.00');
    expect(missing.ok ? [] : missing.problems).toEqual([
      { field: 'content', message: '回盘文件缺少序号 2' },
      { field: 'lines.4', message: '各行金额之和为 520.00元，与合计 1,121.00元 相差 -601.00元' },
    ]);
  });
});
