import { PharosError } from '../../contract/errors.ts';
import { maxLatencyPoints, maxLatencySpanDays, type LatencySeries, type LatencyWindow } from '../../contract/latency.schema.ts';
import { addTotals, percentile, type RollupTotals } from '../sla/sla.math.ts';

// Pure: the span and step of a latency query, and the per-region series from rollup sums per step.
// Table-tested in api/test/monitor-latency-math.test.ts.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const windows: Record<LatencyWindow, number> = { '24h': day, '7d': 7 * day, '30d': 30 * day };
/** Steps the server may pick, shortest first. */
export const latencySteps = [1, 5, 15, 30, 60, 180, 360, 720, 1440].map((m) => m * minute);
/** Minute rollups are kept 8 days; a span starting earlier than this reads hour rollups. */
export const minuteRollupAgeMs = 7 * day;

export interface LatencyRange {
  from: number;
  to: number;
  window?: LatencyWindow;
  stepMs: number;
  resolution: 'minute' | 'hour';
}

const invalid = (pointer: string, message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);

/**
 * The span of a query (from/to, `to` defaulting to now and cut to now, else the rolling window,
 * default 24h) and the shortest step that keeps each series within maxLatencyPoints; steps of an
 * hour or more (and any span older than the minute rollups) read hour rollups.
 */
export function latencyRange(query: { window?: LatencyWindow | undefined; from?: string | undefined; to?: string | undefined }, now: number): LatencyRange {
  let from: number;
  let to = now;
  let window: LatencyWindow | undefined;
  if (query.from === undefined) {
    if (query.to !== undefined) throw invalid('/from', 'from is required when to is given; pass both, or use window=24h|7d|30d.');
    window = query.window ?? '24h';
    from = now - windows[window];
  } else {
    from = Date.parse(query.from);
    if (Number.isNaN(from)) throw invalid('/from', `"${query.from}" is not an RFC 3339 time, e.g. 2026-11-01T00:00:00Z.`);
    if (query.to !== undefined) {
      to = Date.parse(query.to);
      if (Number.isNaN(to)) throw invalid('/to', `"${query.to}" is not an RFC 3339 time, e.g. 2026-11-02T00:00:00Z.`);
      if (to <= from) throw invalid('/to', `to (${query.to}) must be after from (${query.from}).`);
      to = Math.min(to, now);
    }
    if (from >= now) throw invalid('/from', `from (${query.from}) is in the future; there is no latency yet.`);
    if (to - from > maxLatencySpanDays * day) throw invalid('/from', `The span is longer than ${maxLatencySpanDays} days; ask for a shorter one.`);
  }
  const oldEnough = now - from > minuteRollupAgeMs;
  const stepMs = latencySteps.find((s) => (to - from) / s <= maxLatencyPoints && (!oldEnough || s >= hour)) ?? latencySteps[latencySteps.length - 1]!;
  return { from, to, ...(window ? { window } : {}), stepMs, resolution: stepMs >= hour ? 'hour' : 'minute' };
}

/** Rollup sums of one region within one step (the step's start in epoch ms). */
export interface StepTotals extends RollupTotals {
  region: string;
  stepStart: number;
}

const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 100) / 100);
const quantiles = (t: RollupTotals) => ({ p50: round(percentile(t.histogram, 0.5, t.maxMs)), p95: round(percentile(t.histogram, 0.95, t.maxMs)) });

/** Per region (the given ones and any with steps), by name: window p50/p95/count and the steps with checks, oldest first. */
export function latencySeries(steps: readonly StepTotals[], regions: readonly string[]): LatencySeries[] {
  const names = [...new Set([...regions, ...steps.map((s) => s.region)])].sort();
  return names.map((region) => {
    const own = steps.filter((s) => s.region === region && s.checks > 0).sort((a, b) => a.stepStart - b.stepStart);
    const whole = addTotals(own);
    return {
      region,
      ...(whole.checks > 0 ? quantiles(whole) : { p50: null, p95: null }),
      count: whole.checks,
      points: own.map((s) => ({ t: new Date(s.stepStart).toISOString(), ...quantiles(s), count: s.checks })),
    };
  });
}
