import type { MetricPoint, MetricSummary } from '../../contract/health-metrics.schema.ts';
import type { MetricStepRow } from './metric-rollup.repository.ts';

const MINUTE = 60_000;

/** Step and bounds of a series: whole minutes, at most `maxPoints` steps per window, aligned to the epoch, covering [now − window, now]. */
export function seriesFrame(now: number, windowMs: number, maxPoints: number): { fromMs: number; toMs: number; stepMs: number } {
  const stepMs = Math.max(1, Math.ceil(windowMs / MINUTE / maxPoints)) * MINUTE;
  return { fromMs: Math.floor((now - windowMs) / stepMs) * stepMs, toMs: Math.floor(now / stepMs) * stepMs + stepMs, stepMs };
}

/** A stored step as an API point (avg = sum / count). */
export function pointOf(row: MetricStepRow): MetricPoint {
  return { at: row.at, min: row.min, avg: row.sum / row.count, max: row.max, last: row.last, count: row.count };
}

/** The aggregate of a series' steps: min of minimums, max of maximums, count-weighted average, latest last. */
export function summaryOf(rows: readonly MetricStepRow[]): MetricSummary {
  if (rows.length === 0) return { count: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let latest = rows[0]!;
  for (const r of rows) {
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
    sum += r.sum;
    count += r.count;
    if (r.last_at > latest.last_at) latest = r;
  }
  return { count, min, avg: sum / count, max, last: latest.last, last_at: latest.last_at };
}
