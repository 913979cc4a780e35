/**
 * CloudWatch Embedded Metric Format, written by hand because Powertools metrics is not a
 * dependency: one JSON log line that CloudWatch Logs turns into metrics, no API call, no extra
 * permission. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** The namespace of every Postroom metric. */
export const METRICS_NAMESPACE = 'Postroom';

/**
 * One EMF line with `metrics` (all Count) under {@link METRICS_NAMESPACE}, with the `Service`
 * dimension set to `service` and, when given, the `dimensions` beside it (e.g. `{ Domain: name }`).
 * @param at the metrics' time; @default now
 * @param dimensions more dimensions of these metrics; @default none
 */
export function emfLine(
  service: string,
  metrics: Readonly<Record<string, number>>,
  at: Date = new Date(),
  dimensions: Readonly<Record<string, string>> = {},
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Service', ...Object.keys(dimensions)]],
          Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    Service: service,
    ...dimensions,
    ...metrics,
  });
}
