import type { Interval } from './sla.math.ts';

// Pure: which rollup rows answer a window over hour rollups. A whole UTC day inside the window is a
// candidate for its day rollup (one row per monitor, region and day) unless maintenance excluded from
// SLA touches it for the monitor (exclusions apply to hour buckets) or hour retention may have
// trimmed it; the rest (the window's partial first and last days, today) is read from hour rollups.
// The SQL then reads a candidate from its day rows only if the job derived the day and no late write
// marked it since, and from its hour rows otherwise, in the same statement (one snapshot). Either
// way the rows summed are the same hours. Table-tested in api/test/sla-day-rollups.test.ts.

export const dayMs = 86_400_000;

/** Hour rollups are kept this many days (partition upkeep); day rows are read only for days inside it. */
export const hourRollupRetentionDays = 400;

/** A span of one monitor's rollups to read, [start, end). */
export interface RollupSpan {
  monitorId: string;
  start: number;
  end: number;
}

export interface RollupPlan {
  /** Spans read from hour rows whatever the job did. */
  hours: RollupSpan[];
  /** Whole days (start ms) that day rows may answer, per monitor. */
  candidates: Array<{ monitorId: string; day: number }>;
}

/** The whole UTC days within [from, to), or undefined when there is none. */
export function wholeDays(from: number, to: number): Interval | undefined {
  const start = Math.ceil(from / dayMs) * dayMs;
  const end = Math.floor(to / dayMs) * dayMs;
  return end > start ? { start, end } : undefined;
}

/** The first day whose hour rows are all still kept at `now` (older days may have lost hours to retention). */
export const oldestWholeDay = (now: number): number => (Math.floor((now - hourRollupRetentionDays * dayMs) / dayMs) + 1) * dayMs;

const push = (list: RollupSpan[], monitorId: string, start: number, end: number) => {
  if (end <= start) return;
  const last = list[list.length - 1];
  if (last && last.monitorId === monitorId && last.end === start) last.end = end;
  else list.push({ monitorId, start, end });
};

/**
 * Per monitor, the spans of [from, to) read from hour rows and the whole days that day rows may
 * answer. `excluded`: per monitor, the spans whose hour buckets the SLA leaves out.
 */
export function rollupPlan(monitorIds: readonly string[], from: number, to: number, excluded: ReadonlyMap<string, readonly Interval[]>, oldestDay: number): RollupPlan {
  const plan: RollupPlan = { hours: [], candidates: [] };
  const span = wholeDays(from, to);
  for (const monitorId of monitorIds) {
    if (!span) {
      push(plan.hours, monitorId, from, to);
      continue;
    }
    const spans = excluded.get(monitorId) ?? [];
    push(plan.hours, monitorId, from, span.start);
    for (let day = span.start; day < span.end; day += dayMs) {
      if (day >= oldestDay && !spans.some((s) => s.start < day + dayMs && s.end > day)) plan.candidates.push({ monitorId, day });
      else push(plan.hours, monitorId, day, day + dayMs);
    }
    push(plan.hours, monitorId, span.end, to);
  }
  return plan;
}
