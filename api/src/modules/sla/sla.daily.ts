import type { SlaDay } from '../../contract/sla.schema.ts';
import type { State } from '../../contract/state.schema.ts';
import { intersect, measure, stateIntervals, subtract, type Interval, type TransitionPoint } from './sla.math.ts';

// Pure: a subject's state line cut into UTC days. No I/O; table-tested in api/test/sla-daily-math.test.ts.

const dayMs = 86_400_000;

/** What the transitions of one subject say about a range, with degraded time kept apart for a day's worst state. */
export interface DayLine {
  down: Interval[];
  degraded: Interval[];
  observed: Interval[];
}

/** The down, degraded and observed intervals of a subject from the state in force at range.start and its transitions. */
export function dayLine(initial: State, transitions: readonly TransitionPoint[], range: Interval): DayLine {
  return {
    down: stateIntervals(initial, transitions, range, (s) => s === 'down'),
    degraded: stateIntervals(initial, transitions, range, (s) => s === 'degraded'),
    observed: stateIntervals(initial, transitions, range, (s) => s !== 'unknown'),
  };
}

/** The last `count` UTC days up to `now`, oldest first; the last one (today) ends at `now`. */
export function utcDays(count: number, now: number): Interval[] {
  const today = Math.floor(now / dayMs) * dayMs;
  return Array.from({ length: count }, (_, i) => {
    const start = today - (count - 1 - i) * dayMs;
    return { start, end: Math.min(start + dayMs, now) };
  });
}

/**
 * The intervals of a sorted, disjoint list that overlap the day (binary search), so each day costs
 * what falls in it rather than the whole range's intervals.
 */
function within(list: readonly Interval[], day: Interval): Interval[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.end <= day.start) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end]!.start < day.end) end++;
  return list.slice(lo, end);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * One SlaDay per day. A day's counted time is the subject's existence in it minus maintenance;
 * downtime and observed time are measured within it, as the SLA reports do over their window.
 * uptime_ratio is null for a day with nothing observed (before the subject existed, no data, all maintenance).
 */
export function dailyFigures(line: DayLine, time: { existence: readonly Interval[]; excluded: readonly Interval[] }, days: readonly Interval[]): SlaDay[] {
  return days.map((day) => {
    const existence = intersect(within(time.existence, day), [day]);
    const excluded = intersect(within(time.excluded, day), existence);
    const counted = subtract(existence, excluded);
    const observedMs = measure(intersect(within(line.observed, day), counted));
    const downMs = measure(intersect(within(line.down, day), counted));
    const degradedMs = measure(intersect(within(line.degraded, day), counted));
    const worst: State = downMs > 0 ? 'down' : degradedMs > 0 ? 'degraded' : observedMs > 0 ? 'up' : 'unknown';
    return {
      date: new Date(day.start).toISOString().slice(0, 10),
      uptime_ratio: observedMs > 0 ? round(Math.max(0, observedMs - downMs) / observedMs, 6) : null,
      downtime_seconds: round(downMs / 1000, 3),
      observed_seconds: round(observedMs / 1000, 3),
      maintenance_seconds: round(measure(excluded) / 1000, 3),
      worst_state: worst,
    };
  });
}
