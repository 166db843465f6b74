import type { FieldError } from './errors.ts';
import { jsonPathError } from './json-path.ts';
import type { HealthMetric } from './monitor.schema.ts';

// Health-endpoint metrics name a number in the response body. Pure: the API and the Terraform
// provider (at plan time) report the same errors. Names are what alert rules refer to
// (metric(monitor("api-health"), "utilization_pct")), so one name means one value.

/** Errors of an http monitor's `metrics` list, with pointers under `base` (e.g. "/http/metrics"). */
export function metricErrors(metrics: readonly HealthMetric[], base: string): FieldError[] {
  const errors: FieldError[] = [];
  const first = new Map<string, number>();
  metrics.forEach((metric, i) => {
    const at = `${base}/${i}`;
    const earlier = first.get(metric.name);
    if (earlier !== undefined) errors.push({ pointer: `${at}/name`, message: `Metric name "${metric.name}" is already used by metrics[${earlier}]; metric names must be unique within a monitor.` });
    else first.set(metric.name, i);
    const problem = jsonPathError(metric.path);
    if (problem) errors.push({ pointer: `${at}/path`, message: `"${metric.path}" is not a JSONPath expression the runner can evaluate: ${problem}.` });
  });
  return errors;
}
