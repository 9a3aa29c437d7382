/** Civil dates in China Standard Time (UTC+8, no daylight saving): deadlines count these days. */
export function chinaDate(instant: Date = new Date()): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
