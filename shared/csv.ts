/**
 * CSV for people to open in spreadsheet programs. A text cell starting with = + - @ (or a tab or
 * carriage return, which some programs strip before looking) is taken for a formula — a staff name
 * such as `=HYPERLINK(…)` would run as one — so it is written behind an apostrophe, which makes the
 * program show it as text (OWASP, CSV injection). Numbers are numbers: a negative amount stays one.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document, with a BOM so that spreadsheet programs read the Chinese as UTF-8. */
export function csvDocument<R>(columns: Array<[string, (row: R) => string | number]>, rows: R[]): string {
  const lines = [
    columns.map(([title]) => csvCell(title)),
    ...rows.map((r) => columns.map(([, value]) => csvCell(value(r)))),
  ];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}
