/**
 * The payroll's exchange with the bank (代发): the bank file an approved roll exports, and the bank's
 * return file (回盘) that reconciles it. Pure: no I/O.
 *
 * The bank file is UTF-8 CSV. Its first line names the roll, the second the columns (in the county's
 * `bankFileLayout`, so a county can match its bank), then one line per household, and a trailer with
 * the count and the total:
 *
 *     #ROLL,430121-2026-12-1,430121,2026-12
 *     序号,户名,账号,开户行,金额,用途,案件编号
 *     1,张三,6228480012345678903,中国农业银行长沙县支行,520.00,低保金2026-12,case-…
 *     #TOTAL,1,520.00
 *
 * The return file names the roll, then a line per bank-file line — `序号,案件编号,金额,结果,原因` with
 * 结果 `成功` (or `paid`) or `失败` (or `failed`) and the bank's reason for a failure — and the same
 * trailer as the file it answers. A return file is taken whole or not at all: another roll's file, a
 * line not in the file, a line twice or missing, an amount or total that differs is refused, each
 * named by its line.
 */
import { csvCell } from './csv.ts';
import type { RollLine } from './domain/entitlements.ts';
import { fenText } from './domain/money.ts';
import type { PayeeAccount } from './domain/payee.ts';
import { splitCsvLine } from './monitoring/feeds/csv.ts';

export const bankFileColumns = [
  'lineNo',
  'accountName',
  'accountNumber',
  'bankName',
  'amount',
  'purpose',
  'caseId',
  'months',
  'regionCode',
] as const;
export type BankFileColumn = (typeof bankFileColumns)[number];

export const bankFileColumnLabels: Record<BankFileColumn, string> = {
  lineNo: '序号',
  accountName: '户名',
  accountNumber: '账号',
  bankName: '开户行',
  amount: '金额',
  purpose: '用途',
  caseId: '案件编号',
  months: '所属月份',
  regionCode: '行政区划代码',
};

/** The columns the bank needs to pay at all: a layout without them is refused. */
export const REQUIRED_BANK_COLUMNS: readonly BankFileColumn[] = [
  'lineNo',
  'accountNumber',
  'accountName',
  'amount',
];

/**
 * One line of the bank file, as its index keeps it for the reconciliation: what the bank is told.
 * What the line pays for (its months, its deductions) stays on the roll's line.
 */
export interface BankLine {
  lineNo: number;
  caseId: string;
  /** Yuan paid: the months less any recovery deducted. */
  amount: number;
}

/** A roll line left out of the bank file (no account registered): owed again in a later roll. */
export interface ExcludedLine {
  caseId: string;
  amount: number;
  reason: string;
}

const money = (yuan: number) => yuan.toFixed(2);
const totalOf = (lines: ReadonlyArray<{ amount: number }>) =>
  lines.reduce((fen, l) => fen + Math.round(l.amount * 100), 0) / 100;

/** 低保金2026-12；补发2026-11: what the household's statement says the money is. */
export function purposeOf(line: Pick<RollLine, 'months'>): string {
  const money = line.months[0]!.tier === 'tekun' ? '特困供养金' : '低保金';
  const own = line.months.filter((m) => !m.backPay).map((m) => `${money}${m.month}`);
  const back = line.months.filter((m) => m.backPay).map((m) => m.month);
  return [...own, ...(back.length ? [`补发${money}${back.join('、')}`] : [])].join('；');
}

/**
 * The bank file of an approved roll: every line with an account, numbered in case order; lines
 * without one are left out and listed.
 */
export function bankFile(
  roll: { rollId: string; regionCode: string; month: string },
  lines: readonly RollLine[],
  accounts: ReadonlyMap<string, PayeeAccount>,
  columns: readonly BankFileColumn[],
): { content: string; lines: BankLine[]; excluded: ExcludedLine[]; total: number } {
  const included: BankLine[] = [];
  const excluded: ExcludedLine[] = [];
  const rows: string[] = [];
  for (const line of lines) {
    const account = accounts.get(line.caseId);
    if (!account) {
      excluded.push({ caseId: line.caseId, amount: line.amount, reason: '未登记收款账户' });
      continue;
    }
    const lineNo = included.length + 1;
    included.push({ lineNo, caseId: line.caseId, amount: line.amount });
    const cell: Record<BankFileColumn, string | number> = {
      lineNo,
      accountName: account.accountName,
      accountNumber: account.accountNumber,
      bankName: account.bankName,
      amount: money(line.amount),
      purpose: purposeOf(line),
      caseId: line.caseId,
      months: line.months.map((m) => m.month).join(';'),
      regionCode: roll.regionCode,
    };
    rows.push(columns.map((c) => csvCell(cell[c])).join(','));
  }
  const total = totalOf(included);
  const content = [
    `#ROLL,${roll.rollId},${roll.regionCode},${roll.month}`,
    columns.map((c) => bankFileColumnLabels[c]).join(','),
    ...rows,
    `#TOTAL,${included.length},${money(total)}`,
  ].join('\n');
  return { content: `${content}\n`, lines: included, excluded, total };
}

export interface ReturnResult {
  lineNo: number;
  caseId: string;
  amount: number;
  status: 'paid' | 'failed';
  reason?: string;
}

export interface ReturnProblem {
  /** `lines.<n>`: the file's n-th line (1-based, counting the roll and header lines), or `content`. */
  field: string;
  message: string;
}

const RESULT: Record<string, 'paid' | 'failed'> = {
  成功: 'paid',
  paid: 'paid',
  失败: 'failed',
  failed: 'failed',
};

/**
 * The bank's return file checked against the bank file it answers: every result, or every problem
 * found (each naming its line), never both.
 */
export function readReturnFile(
  content: string,
  expected: { rollId: string; lines: readonly BankLine[]; total: number },
): { ok: true; results: ReturnResult[] } | { ok: false; problems: ReturnProblem[] } {
  const problems: ReturnProblem[] = [];
  const at = (n: number, message: string) => problems.push({ field: `lines.${n}`, message });
  // RFC 4180 quoting, as department feeds are read: the bank's reasons may hold commas.
  const cells = (n: number, line: string): string[] => {
    const split = splitCsvLine(line);
    if (Array.isArray(split)) return split.map((c) => c.trim());
    at(n, `无法读取：${split.error}`);
    return [];
  };
  const text = content.replace(/^\uFEFF/, '');
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ n: i + 1, text: l }))
    .filter((l) => l.text.trim() !== '');
  const first = lines[0];
  if (!first?.text.startsWith('#ROLL,'))
    return { ok: false, problems: [{ field: 'content', message: '回盘文件第一行应为 #ROLL,<名册编号>' }] };
  const rollId = cells(first!.n, first!.text)[1];
  if (rollId !== expected.rollId)
    return {
      ok: false,
      problems: [
        {
          field: `lines.${first.n}`,
          message: `回盘文件属于名册 ${rollId ?? '（空）'}，不是本名册 ${expected.rollId}`,
        },
      ],
    };
  const last = lines.at(-1)!;
  if (lines.length < 2 || !last.text.startsWith('#TOTAL,'))
    return {
      ok: false,
      problems: [{ field: 'content', message: '回盘文件最后一行应为 #TOTAL,<笔数>,<金额>' }],
    };
  const byNo = new Map(expected.lines.map((l) => [l.lineNo, l]));
  const seen = new Set<number>();
  const results: ReturnResult[] = [];
  let fen = 0;
  // A header line of column names may follow the roll line.
  const body = lines.slice(1, -1).filter((l) => !/^\D/.test(l.text));
  for (const { n, text: raw } of body) {
    const split = cells(n, raw);
    if (!split.length) continue;
    const [no, caseId, amountText, resultText, reason] = split;
    const lineNo = Number(no);
    const bank = byNo.get(lineNo);
    if (!Number.isInteger(lineNo) || !bank) {
      at(n, `序号 ${no} 不在本名册的银行文件中`);
      continue;
    }
    if (seen.has(lineNo)) {
      at(n, `序号 ${lineNo} 重复`);
      continue;
    }
    seen.add(lineNo);
    if (caseId !== bank.caseId)
      at(n, `序号 ${lineNo} 的案件编号应为 ${bank.caseId}，回盘为 ${caseId ?? '（空）'}`);
    const amount = Number(amountText);
    if (!Number.isFinite(amount) || Math.round(amount * 100) !== Math.round(bank.amount * 100))
      at(
        n,
        `序号 ${lineNo} 的金额应为 ${fenText(Math.round(bank.amount * 100))}，回盘为 ${amountText ?? '（空）'}`,
      );
    const status = RESULT[resultText ?? ''];
    if (!status) at(n, `序号 ${lineNo} 的结果应为“成功”或“失败”，回盘为 ${resultText ?? '（空）'}`);
    if (status === 'failed' && !reason) at(n, `序号 ${lineNo} 发放失败，须有银行注明的原因`);
    fen += Number.isFinite(amount) ? Math.round(amount * 100) : 0;
    if (status)
      results.push({
        lineNo,
        caseId: bank.caseId,
        amount: bank.amount,
        status,
        ...(status === 'failed' ? { reason: reason! } : {}),
      });
  }
  const missing = expected.lines.filter((l) => !seen.has(l.lineNo)).map((l) => l.lineNo);
  if (missing.length)
    problems.push({
      field: 'content',
      message: `回盘文件缺少序号 ${missing.slice(0, 20).join('、')}${missing.length > 20 ? ` 等${missing.length}笔` : ''}`,
    });
  const [, countText, totalText] = cells(last.n, last.text);
  const expectedFen = Math.round(expected.total * 100);
  if (Number(countText) !== expected.lines.length)
    at(
      last.n,
      `合计笔数应为 ${expected.lines.length}，回盘为 ${countText ?? '（空）'}，相差 ${Number(countText) - expected.lines.length}`,
    );
  if (Math.round(Number(totalText) * 100) !== expectedFen)
    at(
      last.n,
      `合计金额应为 ${fenText(expectedFen)}，回盘为 ${totalText ?? '（空）'}，相差 ${fenText(Math.round(Number(totalText) * 100) - expectedFen)}`,
    );
  else if (fen !== expectedFen)
    at(
      last.n,
      `各行金额之和为 ${fenText(fen)}，与合计 ${fenText(expectedFen)} 相差 ${fenText(fen - expectedFen)}`,
    );
  return problems.length ? { ok: false, problems } : { ok: true, results };
}

/**
 * The return a bank would send for a bank file: every line paid, unless `failed` names its case with
 * the bank's reason. What the demo, the bench and the tests answer for the bank.
 */
export function simulatedReturn(
  bankFileContent: string,
  failed: Readonly<Record<string, string>> = {},
): string {
  const [rollLine, header, ...rest] = bankFileContent.trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  const at = (name: BankFileColumn) => columns.indexOf(bankFileColumnLabels[name]);
  const data = rest.slice(0, -1).map((line) => {
    const cells = line.split(',');
    const caseId = cells[at('caseId')]!;
    const reason = failed[caseId];
    return `${cells[at('lineNo')]},${caseId},${cells[at('amount')]},${reason ? '失败' : '成功'},${reason ?? ''}`;
  });
  return [rollLine, '序号,案件编号,金额,结果,原因', ...data, rest.at(-1)].join('\n');
}
