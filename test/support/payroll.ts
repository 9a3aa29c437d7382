/** The bank's side of the payroll, as tests play it. */

/** The bank's return for a bank file: each line paid, unless `failed` names its case with a reason. */
export function returnFile(bankLines: string[], failed: Record<string, string> = {}): string {
  const [rollLine, header, ...rest] = bankLines;
  const columns = header!.split(',');
  const data = rest.slice(0, -1).map((line) => {
    const cells = line.split(',');
    const get = (name: string) => cells[columns.indexOf(name)]!;
    const reason = failed[get('案件编号')];
    return `${get('序号')},${get('案件编号')},${get('金额')},${reason ? '失败' : '成功'},${reason ?? ''}`;
  });
  return [rollLine, '序号,案件编号,金额,结果,原因', ...data, rest.at(-1)].join('\n');
}
