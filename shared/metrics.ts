import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** CloudWatch metrics in Embedded Metric Format; alarms in `infra/` watch these names. */
export const metrics = new Metrics({ namespace: 'doudi', serviceName: 'doudi' });

export const CALENDAR_FALLBACK = 'CalendarFallback';

/**
 * A deadline was counted for a year whose holiday arrangement is not loaded (weekends and statutory holidays only assumed).
 * Published at once: the step that counts it must not lose the signal if it fails afterwards.
 */
export function recordCalendarFallback(years: number[]): void {
  metrics.addMetric(CALENDAR_FALLBACK, MetricUnit.Count, 1);
  metrics.addMetadata('assumedYears', years.join(','));
  metrics.publishStoredMetrics();
}
