import { bool, evalError, noData, num, type EvalValue } from './evaluate.logic.ts';

// Pure latency anomaly baseline per monitor × region: no I/O, table-tested in
// api/test/latency-baseline.test.ts. Times are epoch milliseconds, latencies milliseconds.
//
// Method (robust statistics, after Datadog's "basic" algorithm, a lagging rolling quantile):
// - history: the per-minute (or per-5-minute) p95 latencies of the slot over the lookback window
//   (default 7 days) that ends where the evaluated window begins (default 5 minutes before now), so
//   an ongoing slowdown is never part of its own baseline;
// - baseline = the median of those p95s; spread = 1.4826 × MAD (median absolute deviation; the
//   factor makes it estimate one standard deviation for normal data), but never less than 5 % of the
//   median or 5 ms, so a perfectly flat history (MAD = 0) does not make every tiny change anomalous;
// - anomalous(current) = current > median + k × spread (k = 3) AND current / median ≥ 1.5: far outside
//   the usual spread and also materially slower, so a very steady service is not paged for +20 %;
// - latency_ratio(current) = current p95 / baseline median (a median under 1 ms counts as 1 ms).
// The median and MAD ignore up to half the history being wild: one outlier minute moves the median at
// most to a neighbouring value of the sorted history, never towards the outlier's size.
// Warm-up: fewer than `min_points` usable points (default 180: three hours of per-minute p95s) is
// `warming_up`, not a number, so no anomaly rule fires and the API can say how far along it is.
// Gaps: minutes without results are absent, not zero; they only delay the warm-up. Non-finite or
// negative values are ignored.
// Seasonality (optional, `hour_of_day` or `hour_of_week`, UTC): the median and MAD are taken over the
// history points of the same hour of the day / week as now, when the history reaches back three
// seasons (3 days / 3 weeks; so hour_of_week needs a lookback of at least 21 days) and that hour holds
// at least `min_seasonal_points`; otherwise the whole history is used and `method` says so.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const week = 7 * day;

export const seasonalities = ['none', 'hour_of_day', 'hour_of_week'] as const;
export type Seasonality = (typeof seasonalities)[number];

export interface BaselineOptions {
  lookback_ms: number;
  /** The most recent span left out of the history (the window being evaluated). */
  exclude_recent_ms: number;
  min_points: number;
  seasonality: Seasonality;
  min_seasonal_points: number;
  /** How many spreads above the median is anomalous. */
  k: number;
  /** current / median must also reach this. */
  min_ratio: number;
  /** The spread is at least this share of the median… */
  relative_floor: number;
  /** …and at least this many milliseconds. */
  absolute_floor_ms: number;
}

export const defaultBaselineOptions: BaselineOptions = {
  lookback_ms: 7 * day,
  exclude_recent_ms: 5 * minute,
  min_points: 180,
  seasonality: 'none',
  min_seasonal_points: 30,
  k: 3,
  min_ratio: 1.5,
  relative_floor: 0.05,
  absolute_floor_ms: 5,
};

/** 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normally distributed data. */
export const madScale = 1.4826;

export interface LatencyPoint {
  at: number;
  p95_ms: number;
}

export type Baseline =
  | {
      status: 'ready';
      method: Seasonality;
      median_ms: number;
      mad_ms: number;
      /** max(1.4826 × MAD, relative_floor × median, absolute_floor_ms). */
      spread_ms: number;
      /** Above this (and at min_ratio × median) a p95 is anomalous. */
      threshold_ms: number;
      points: number;
    }
  | { status: 'warming_up'; points: number; needed_points: number };

/** The median of a list (the mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  // A typed array sorts numerically and several times faster than Array#sort with a comparator.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median absolute deviation from `center` (by default the median). */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

const seasonLength: Record<Exclude<Seasonality, 'none'>, number> = { hour_of_day: day, hour_of_week: week };

/** Which hour of its season (UTC) a time falls in: 0–23 for hour_of_day, 0–167 for hour_of_week (Monday 00:00 is 0). */
export function seasonSlot(at: number, seasonality: Exclude<Seasonality, 'none'>): number {
  const hours = Math.floor(at / hour);
  // 1970-01-01 was a Thursday: shift by 3 days so that weeks start on Monday.
  return seasonality === 'hour_of_day' ? ((hours % 24) + 24) % 24 : (((hours + 72) % 168) + 168) % 168;
}

/** Learns the baseline of one monitor × region at `now` from its p95 history. */
export function learnBaseline(history: readonly LatencyPoint[], now: number, options: Partial<BaselineOptions> = {}): Baseline {
  const o = { ...defaultBaselineOptions, ...options };
  const from = now - o.exclude_recent_ms - o.lookback_ms;
  const to = now - o.exclude_recent_ms;
  const usable = history.filter((p) => p.at >= from && p.at < to && Number.isFinite(p.p95_ms) && p.p95_ms >= 0);
  if (usable.length < o.min_points) return { status: 'warming_up', points: usable.length, needed_points: o.min_points };
  let method: Seasonality = 'none';
  let sample = usable;
  if (o.seasonality !== 'none') {
    const oldest = usable.reduce((min, p) => Math.min(min, p.at), Infinity);
    const slot = seasonSlot(now, o.seasonality);
    const same = usable.filter((p) => seasonSlot(p.at, o.seasonality as Exclude<Seasonality, 'none'>) === slot);
    if (oldest <= now - 3 * seasonLength[o.seasonality] && same.length >= o.min_seasonal_points) {
      method = o.seasonality;
      sample = same;
    }
  }
  const values = sample.map((p) => p.p95_ms);
  const m = median(values);
  const mad = medianAbsoluteDeviation(values, m);
  const spread = Math.max(madScale * mad, o.relative_floor * m, o.absolute_floor_ms);
  return { status: 'ready', method, median_ms: m, mad_ms: mad, spread_ms: spread, threshold_ms: m + o.k * spread, points: sample.length };
}

export type AnomalyVerdict =
  | { status: 'ready'; ratio: number; anomalous: boolean; current_ms: number; baseline: Extract<Baseline, { status: 'ready' }> }
  | { status: 'warming_up'; points: number; needed_points: number }
  | { status: 'no_data' };

/**
 * How a current p95 (null: no results in the evaluated window) compares with a baseline: the ratio
 * to the median (at least 1 ms, so a sub-millisecond baseline gives no huge ratios) and whether it is
 * anomalous.
 */
export function judgeLatency(currentP95: number | null, baseline: Baseline, options: Partial<BaselineOptions> = {}): AnomalyVerdict {
  if (baseline.status === 'warming_up') return baseline;
  if (currentP95 === null || !Number.isFinite(currentP95) || currentP95 < 0) return { status: 'no_data' };
  const o = { ...defaultBaselineOptions, ...options };
  const ratio = currentP95 / Math.max(baseline.median_ms, 1);
  return { status: 'ready', ratio, anomalous: currentP95 > baseline.threshold_ms && ratio >= o.min_ratio, current_ms: currentP95, baseline };
}

/** latency_ratio(x, window) as an expression value: a number, or no_data (reason warming_up while the baseline learns). */
export function latencyRatioValue(verdict: AnomalyVerdict): EvalValue {
  if (verdict.status === 'warming_up') return noData('warming_up');
  if (verdict.status === 'no_data') return noData();
  return Number.isFinite(verdict.ratio) ? num(Math.round(verdict.ratio * 1000) / 1000) : evalError('the latency ratio is not a finite number');
}

/** anomalous(x) as an expression value: a boolean, or no_data (reason warming_up while the baseline learns). */
export function anomalousValue(verdict: AnomalyVerdict): EvalValue {
  if (verdict.status === 'warming_up') return noData('warming_up');
  if (verdict.status === 'no_data') return noData();
  return bool(verdict.anomalous);
}
