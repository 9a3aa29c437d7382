import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * ID numbers, names and phone numbers never reach a log line whole: any key that names them is
 * masked before the entry is written.
 */
const SENSITIVE = /^(idNumber|name|phone|taskToken|household|members|applicant)$/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SENSITIVE.test(k) ? '***' : redact(v, depth + 1),
    ]),
  );
}

export const logger = new Logger({
  serviceName: 'doudi',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as LogLevel,
});
