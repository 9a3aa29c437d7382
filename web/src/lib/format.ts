/** Dates, money and personal data as the pages show them. */
import { chinaDate } from '../../../shared/domain/dates.ts';
import { yuanText } from '../../../shared/domain/money.ts';

export { chinaDate };

/** `1,234.50元`, as every notice and message of the system writes it; `—` for no amount. */
export const yuan = (n: number | null | undefined) => (n === null || n === undefined ? '—' : yuanText(n));

/** An instant in Beijing time, e.g. 2026-06-01 14:03:22. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Calendar days from today (Beijing) to `date`; negative when past. */
export function daysUntil(date: string, today = chinaDate()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** ID numbers and mobile numbers masked wherever they appear in text. */
export function maskText(text: string): string {
  return text
    .replace(/\b(\d{6})\d{8}(\d{3}[\dX])\b/g, '$1********$2')
    .replace(/\b(1\d{2})\d{4}(\d{4})\b/g, '$1****$2');
}

export function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  return value;
}

export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

/** Region codes as people type them: 430121, 430102 … with commas, spaces or 、 between them. */
export const regionCodesTyped = (text: string): string[] =>
  text
    .split(/[\s,，、;；]+/)
    .map((c) => c.trim())
    .filter(Boolean);
