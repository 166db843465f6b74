import { performance } from 'node:perf_hooks';
import type { HealthMetric, Timings } from '../../../api/src/contract/index.ts';
import { decideVerdict, hasStatusAssertion } from '../assertions/status.decider.ts';
import { evaluateAssertions, type ResponseView } from '../assertions/assertion.evaluator.ts';
import { lazyJson } from '../assertions/json-body.ts';
import { extractMetrics } from '../metrics-extract/metric.extractor.ts';
import { toCheckError, toCheckFailure } from './check.errors.ts';
import type { CheckContext, CheckOutcome, RunnerMonitor } from './check.types.ts';

/** Wall-clock start and monotonic start of one check, so duration never goes negative on clock steps. */
export interface CheckClock {
  startedAt: string;
  startMs: number;
}

/** Marks the start of a check. */
export function startClock(): CheckClock {
  return { startedAt: new Date().toISOString(), startMs: performance.now() };
}

/** Milliseconds since the clock started, rounded to 0.01 ms. */
export function elapsed(clock: CheckClock): number {
  return Math.round((performance.now() - clock.startMs) * 100) / 100;
}

/** A down outcome for a check that could not complete (network error, timeout, bad config). */
export function failedOutcome(clock: CheckClock, err: unknown, ctx: CheckContext, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  const duration = elapsed(clock);
  return {
    started_at: clock.startedAt,
    duration_ms: duration,
    timings: { total_ms: duration },
    ...extra,
    status: 'down',
    error: toCheckError(toCheckFailure(err, ctx.signal)),
  };
}

/**
 * Judges a completed check: the monitor's assertions against what was observed, the implicit
 * 2xx/3xx rule for HTTP, and degraded_threshold_ms. Health metrics (`extra.metrics`) are read from
 * the same parsed body as the json_body assertions and never change the status; a metric without
 * a numeric value is listed in details.metric_errors.
 */
export function judgedOutcome(
  clock: CheckClock,
  monitor: RunnerMonitor,
  view: ResponseView,
  extra: { timings?: Timings; details?: CheckOutcome['details']; trace_id?: string; defaultStatusRule?: boolean; metrics?: readonly HealthMetric[] | undefined },
): CheckOutcome {
  const assertions = monitor.assertions ?? [];
  const json = lazyJson(view);
  const outcomes = evaluateAssertions(assertions, view, json);
  const metrics = extractMetrics(extra.metrics ?? [], json);
  const verdict = decideVerdict({
    outcomes,
    statusCode: view.statusCode,
    defaultStatusRule: (extra.defaultStatusRule ?? false) && !hasStatusAssertion(assertions),
    responseTimeMs: view.responseTimeMs,
    degradedThresholdMs: monitor.degraded_threshold_ms,
  });
  const outcome: CheckOutcome = {
    started_at: clock.startedAt,
    status: verdict.status,
    duration_ms: elapsed(clock),
  };
  if (view.statusCode !== undefined) outcome.status_code = view.statusCode;
  if (extra.timings) outcome.timings = extra.timings;
  if (verdict.error) outcome.error = verdict.error;
  if (outcomes.length > 0) outcome.assertions = outcomes;
  if (extra.trace_id) outcome.trace_id = extra.trace_id;
  if (Object.keys(metrics.values).length > 0) outcome.metrics = metrics.values;
  const details = metrics.errors.length > 0 ? { ...extra.details, metric_errors: metrics.errors } : extra.details;
  if (details) outcome.details = details;
  return outcome;
}
