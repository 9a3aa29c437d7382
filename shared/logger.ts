import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, LogLevel, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Personal data never reaches a log line: a key that names it is masked, an 18-digit ID number
 * written into any string (an error message, a cause) keeps only its region and last four, and any
 * other run of 12 or more digits (a bank card or account number) only its first and last four.
 */
const SENSITIVE =
  /^(idNumber|name|phone|taskToken|household|members|applicant|declaration|disabilityCategory|disabilityGrade|severeIllness|selfCareUnable|obligors|request|accountNumber|accountName|content)$/i;
const ID_NUMBER = /\b(\d{6})\d{8}(\d{3}[\dXx])\b/g;
const ACCOUNT_NUMBER = /\b(\d{4})\d{4,24}(\d{4})\b/g;

export const maskText = (text: string): string =>
  text.replace(ID_NUMBER, '$1********$2').replace(ACCOUNT_NUMBER, '$1********$2');

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value instanceof Error)
    return { name: value.name, message: maskText(value.message), stack: maskText(value.stack ?? '') };
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SENSITIVE.test(k) ? '***' : redact(v, depth + 1),
    ]),
  );
}

/** Powertools' standard keys, with the message and every added attribute redacted on the way out. */
export class MaskingLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: maskText(attributes.message),
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(redact(additional) as LogAttributes);
  }
}

export const logger = new Logger({
  serviceName: 'doudi',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as LogLevel,
  logFormatter: new MaskingLogFormatter(),
});
