import { latencyBucketBounds, latencyBucketCount } from '../../contract/latency-buckets.ts';
import type { SlaFigures } from '../../contract/sla.schema.ts';
import type { State } from '../../contract/state.schema.ts';

// Pure SLA arithmetic: no I/O, table-tested in api/test/sla-math.test.ts.
// Times are epoch milliseconds; an interval is half-open [start, end).

export interface Interval {
  start: number;
  end: number;
}

/** Sorted, non-empty, non-overlapping intervals; touching ones are merged. */
export function union(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The parts of the intervals inside the window. */
export function clip(list: readonly Interval[], window: Interval): Interval[] {
  return intersect(list, [window]);
}

/** Time covered by both sets. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = union(a);
  const y = union(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i]!.start, y[j]!.start);
    const end = Math.min(x[i]!.end, y[j]!.end);
    if (end > start) out.push({ start, end });
    if (x[i]!.end < y[j]!.end) i++;
    else j++;
  }
  return out;
}

/** Time covered by `a` but not by `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const cut = union(b);
  const out: Interval[] = [];
  for (const piece of union(a)) {
    let start = piece.start;
    for (const c of cut) {
      if (c.end <= start) continue;
      if (c.start >= piece.end) break;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= piece.end) break;
    }
    if (start < piece.end) out.push({ start, end: piece.end });
  }
  return out;
}

/** Total length in milliseconds of a set of intervals (overlaps counted once). */
export function measure(list: readonly Interval[]): number {
  return union(list).reduce((sum, i) => sum + (i.end - i.start), 0);
}

export interface TransitionPoint {
  at: number;
  to: State;
}

/**
 * Maximal intervals within the window during which the state satisfies `holds`. `initial` is the
 * state in force at window.start (the target of the last transition before it, `unknown` when there
 * is none); transitions are applied in time order, and an interval still open at window.end ends there.
 */
export function stateIntervals(initial: State, transitions: readonly TransitionPoint[], window: Interval, holds: (state: State) => boolean): Interval[] {
  const sorted = [...transitions].sort((a, b) => a.at - b.at);
  let state = initial;
  // Transitions at or before the start only settle the initial state.
  let k = 0;
  while (k < sorted.length && sorted[k]!.at <= window.start) state = sorted[k++]!.to;
  const out: Interval[] = [];
  let since = holds(state) ? window.start : undefined;
  for (; k < sorted.length && sorted[k]!.at < window.end; k++) {
    const { at, to } = sorted[k]!;
    if (holds(to) && since === undefined) since = at;
    else if (!holds(to) && since !== undefined) {
      out.push({ start: since, end: at });
      since = undefined;
    }
  }
  if (since !== undefined) out.push({ start: since, end: window.end });
  return out.filter((i) => i.end > i.start);
}

/** Maximal intervals in state `down` within the window (see stateIntervals). */
export function downIntervals(initial: State, transitions: readonly TransitionPoint[], window: Interval): Interval[] {
  return stateIntervals(initial, transitions, window, (s) => s === 'down');
}

/** Intervals within the window in which the state was observed (anything but `unknown`). */
export function observedIntervals(initial: State, transitions: readonly TransitionPoint[], window: Interval): Interval[] {
  return stateIntervals(initial, transitions, window, (s) => s !== 'unknown');
}

/** What the transitions of one subject say about the window: when it was down, and when its state was known at all. */
export interface Timeline {
  down: Interval[];
  observed: Interval[];
}

/** The timeline of a subject from the state in force at window.start and its transitions. */
export function timeline(initial: State, transitions: readonly TransitionPoint[], window: Interval): Timeline {
  return { down: downIntervals(initial, transitions, window), observed: observedIntervals(initial, transitions, window) };
}

/** The timeline of a subject that is down whenever any of the parts is, and observed whenever any of them is. */
export function anyOf(parts: readonly Timeline[]): Timeline {
  return { down: union(parts.flatMap((p) => p.down)), observed: union(parts.flatMap((p) => p.observed)) };
}

export interface OutageFigures {
  downtimeMs: number;
  outages: number;
  longestMs: number;
}

/**
 * Downtime and outages inside the counted time. An outage is one down interval; cut by maintenance
 * it still counts once, with its counted part as its length; entirely inside excluded time it does
 * not count at all.
 */
export function outageFigures(down: readonly Interval[], counted: readonly Interval[]): OutageFigures {
  let downtimeMs = 0;
  let outages = 0;
  let longestMs = 0;
  for (const d of union(down)) {
    const part = measure(intersect([d], counted));
    if (part <= 0) continue;
    outages++;
    downtimeMs += part;
    longestMs = Math.max(longestMs, part);
  }
  return { downtimeMs, outages, longestMs };
}

/**
 * The q-quantile (0 < q <= 1) of a latency histogram over latencyBucketBounds, interpolated linearly
 * within the bucket that holds the rank. The +Inf bucket, having no upper bound, uses the largest
 * observed duration; with `maxMs` known the result never exceeds it. Undefined for an empty histogram.
 */
export function percentile(histogram: readonly number[], q: number, maxMs?: number): number | undefined {
  const counts = foldHistogram(histogram);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let before = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && before + n >= rank) {
      const lower = i === 0 ? 0 : latencyBucketBounds[i - 1]!;
      const bound = latencyBucketBounds[i]!;
      const upper = Number.isFinite(bound) ? bound : Math.max(lower, maxMs ?? lower);
      const value = lower + ((upper - lower) * Math.max(0, rank - before)) / n;
      return maxMs !== undefined && maxMs >= 0 ? Math.min(value, Math.max(maxMs, lower)) : value;
    }
    before += n;
  }
  return undefined;
}

/** A histogram of exactly latencyBucketCount buckets: missing ones are 0, extra ones fold into +Inf. */
export function foldHistogram(histogram: readonly number[]): number[] {
  const out = new Array<number>(latencyBucketCount).fill(0);
  histogram.forEach((n, i) => {
    out[Math.min(i, latencyBucketCount - 1)]! += Number(n) || 0;
  });
  return out;
}

/** Check counts and latency sums of some rollup rows, added up. */
export interface RollupTotals {
  checks: number;
  up: number;
  degraded: number;
  down: number;
  sumMs: number;
  maxMs: number;
  histogram: number[];
}

export const emptyTotals = (): RollupTotals => ({ checks: 0, up: 0, degraded: 0, down: 0, sumMs: 0, maxMs: 0, histogram: foldHistogram([]) });

/** Sum of rollup totals. */
export function addTotals(list: readonly RollupTotals[]): RollupTotals {
  const out = emptyTotals();
  for (const t of list) {
    out.checks += t.checks;
    out.up += t.up;
    out.degraded += t.degraded;
    out.down += t.down;
    out.sumMs += t.sumMs;
    out.maxMs = Math.max(out.maxMs, t.maxMs);
    foldHistogram(t.histogram).forEach((n, i) => (out.histogram[i]! += n));
  }
  return out;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const seconds = (ms: number) => round(ms / 1000, 3);

/** Latency and check figures of rollup totals (latency null without checks). */
export function rollupFigures(t: RollupTotals): Pick<SlaFigures, 'latency_ms' | 'checks'> {
  const p = (q: number) => {
    const v = percentile(t.histogram, q, t.checks > 0 ? t.maxMs : undefined);
    return v === undefined ? null : round(v, 2);
  };
  return {
    latency_ms: { p50: p(0.5), p95: p(0.95), p99: p(0.99), mean: t.checks > 0 ? round(t.sumMs / t.checks, 2) : null },
    checks: { total: t.checks, up: t.up, degraded: t.degraded, down: t.down },
  };
}

/**
 * Uptime percent of observed time, 4 decimals: the share of the time with a known state that was
 * not down. Null when nothing was observed, so time without data never reads as uptime.
 */
export function uptimePercent(observedMs: number, downtimeMs: number): number | null {
  return observedMs > 0 ? round((100 * Math.max(0, observedMs - downtimeMs)) / observedMs, 4) : null;
}

/**
 * The figures of one subject within the counted time: downtime from its down intervals, uptime over
 * the part of the counted time in which its state was known, latency from its rollups.
 */
export function subjectFigures(line: Timeline, counted: readonly Interval[], totals: RollupTotals): SlaFigures {
  const o = outageFigures(line.down, counted);
  const countedMs = measure(counted);
  const observedMs = measure(intersect(line.observed, counted));
  return {
    uptime_percent: uptimePercent(observedMs, o.downtimeMs),
    observed_seconds: seconds(observedMs),
    unknown_seconds: seconds(Math.max(0, countedMs - observedMs)),
    downtime_seconds: seconds(o.downtimeMs),
    outages: o.outages,
    longest_outage_seconds: seconds(o.longestMs),
    ...rollupFigures(totals),
  };
}

/**
 * Figures of a group (a team of services): uptime is the mean of the parts' uptime (parts never
 * observed left out), downtime and outages add up, the longest outage is the longest of any part;
 * `observed` is the counted time in which any part was observed; latency and checks come from the
 * group's combined rollups.
 */
export function groupFigures(parts: readonly SlaFigures[], totals: RollupTotals, time: { countedMs: number; observedMs: number }): SlaFigures {
  const uptimes = parts.map((p) => p.uptime_percent).filter((u): u is number => u !== null);
  return {
    uptime_percent: uptimes.length ? round(uptimes.reduce((a, b) => a + b, 0) / uptimes.length, 4) : null,
    observed_seconds: seconds(time.observedMs),
    unknown_seconds: seconds(Math.max(0, time.countedMs - time.observedMs)),
    downtime_seconds: round(parts.reduce((a, p) => a + p.downtime_seconds, 0), 3),
    outages: parts.reduce((a, p) => a + p.outages, 0),
    longest_outage_seconds: parts.reduce((a, p) => Math.max(a, p.longest_outage_seconds), 0),
    ...rollupFigures(totals),
  };
}
