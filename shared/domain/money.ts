/**
 * Money. Amounts are stored and sent as yuan (at most two decimals, as the schemas enforce); sums and
 * comparisons are made in integer fen, so that a household one fen below a line is never rounded onto
 * it; and people read one format, `12,345.67元`, in notices, reasons, warnings, audit summaries, error
 * messages and pages alike.
 */

/** Yuan to fen. */
export const toFen = (yuan: number): number => Math.round(yuan * 100);
export const toYuan = (fen: number): number => fen / 100;

/** Equal to the fen; `null` equals only `null`. */
export const sameAmount = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : toFen(a) === toFen(b);

/** `12,345.67元` from fen — by hand: Intl formatting costs microseconds a call, and warnings are made by the million. */
export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = String(Math.floor(abs / 100));
  const cents = abs % 100;
  let grouped = '';
  for (let i = whole.length; i > 0; i -= 3)
    grouped = whole.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  return `${sign}${grouped}.${cents < 10 ? '0' : ''}${cents}元`;
}

/** `12,345.67元` from yuan. */
export const yuanText = (yuan: number): string => fenText(toFen(yuan));
