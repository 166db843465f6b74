import { latencyBucketBounds } from '../../contract/latency-buckets.ts';
import type { sloWindows } from '../../contract/slo.schema.ts';
import { foldHistogram } from '../sla/sla.math.ts';

// Pure SLO arithmetic: windows, error budget, burn rate and status. No I/O; table-tested in
// api/test/slo-status-math.test.ts. Times are epoch milliseconds.

export type SloWindowLabel = (typeof sloWindows)[number];
export type SloStatusValue = 'ok' | 'at_risk' | 'breached' | 'no_data';

const hour = 3_600_000;
const day = 24 * hour;
const rollingDays: Partial<Record<SloWindowLabel, number>> = { rolling_7d: 7, rolling_28d: 28, rolling_30d: 30 };

/** Spans the burn rate is reported over, ending now. */
export const burnSpans = { '1h': hour, '6h': 6 * hour, '24h': day } as const;
export type BurnSpan = keyof typeof burnSpans;

/** Burn rates above which an objective is at risk (Google SRE workbook, multi-window alerting: 2 % of a 30-day budget in 1 h, 5 % in 6 h). */
export const fastBurn = { '1h': 14.4, '6h': 6 } as const;
/** Below this share of the budget left an objective is at risk. */
export const lowBudgetPercent = 10;

/**
 * The window an objective is judged over, ending at `now`: rolling_Nd is the last N days;
 * calendar_month / calendar_quarter start at 00:00 UTC on the first day of the current month /
 * quarter (January, April, July, October).
 */
export function sloWindow(label: SloWindowLabel, now: number): { from: number; to: number } {
  const days = rollingDays[label];
  if (days !== undefined) return { from: now - days * day, to: now };
  const d = new Date(now);
  const month = label === 'calendar_quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth();
  return { from: Date.UTC(d.getUTCFullYear(), month, 1), to: now };
}

/** The error budget as a fraction of the measure: (100 − target) / 100. */
export const budgetFraction = (targetPercent: number) => Math.max(0, 100 - targetPercent) / 100;

/**
 * How many checks of a latency histogram (over latencyBucketBounds) answered within `thresholdMs`:
 * every bucket whose upper bound is at or below the threshold, plus the bucket that holds the
 * threshold interpolated linearly between its bounds. The +Inf bucket ends at `maxMs` (the largest
 * duration observed); with `maxMs` known a threshold at or above it counts every check.
 */
export function checksWithin(histogram: readonly number[], thresholdMs: number, maxMs?: number): { total: number; within: number } {
  const counts = foldHistogram(histogram);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return { total: 0, within: 0 };
  if (maxMs !== undefined && maxMs >= 0 && thresholdMs >= maxMs) return { total, within: total };
  let within = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    const lower = i === 0 ? 0 : latencyBucketBounds[i - 1]!;
    const bound = latencyBucketBounds[i]!;
    if (thresholdMs <= lower) break;
    if (bound <= thresholdMs) {
      within += n;
      continue;
    }
    // The threshold lies inside (lower, bound].
    const upper = Number.isFinite(bound) ? bound : Math.max(lower, maxMs ?? lower);
    within += upper > lower ? (n * Math.min(1, (thresholdMs - lower) / (upper - lower))) : 0;
    break;
  }
  return { total, within };
}

/** What a span of a subject amounted to: `total` counted units (seconds or checks), `bad` of them bad. */
export interface Usage {
  total: number;
  bad: number;
}

export interface ErrorBudget {
  allowed: number;
  consumed: number;
  remaining_percent: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The error budget of the window so far: allowed = budget fraction × counted units (so a calendar
 * window's budget grows with the time elapsed), consumed = bad units, remaining = share of allowed
 * not consumed (negative once overspent). A 100 % target has no budget: remaining is 100 until
 * anything is bad, then −100.
 */
export function errorBudget(targetPercent: number, usage: Usage): ErrorBudget {
  const allowed = budgetFraction(targetPercent) * usage.total;
  const consumed = usage.bad;
  const remaining = allowed > 0 ? (100 * (allowed - consumed)) / allowed : consumed > 0 ? -100 : 100;
  return { allowed: round(allowed, 3), consumed: round(consumed, 3), remaining_percent: round(remaining, 4) };
}

/** Burn rate: the bad fraction of a span over the budget fraction; null without data (or without a budget). */
export function burnRate(targetPercent: number, usage: Usage): number | null {
  const budget = budgetFraction(targetPercent);
  if (usage.total <= 0 || budget <= 0) return null;
  return round(usage.bad / usage.total / budget, 3);
}

/** Attained percent (good share of counted units), 4 decimals; null without data. */
export const attainedPercent = (usage: Usage): number | null => (usage.total > 0 ? round((100 * (usage.total - usage.bad)) / usage.total, 4) : null);

/**
 * Standing of an objective: no_data without counted time or checks; breached once the budget is
 * overspent; at_risk when the 1 h burn rate exceeds 14.4, the 6 h one exceeds 6, or less than 10 %
 * of the budget is left; ok otherwise.
 */
export function sloStatus(usage: Usage, budget: ErrorBudget, burn: Partial<Record<BurnSpan, number | null>>): SloStatusValue {
  if (usage.total <= 0) return 'no_data';
  if (budget.remaining_percent < 0) return 'breached';
  if ((burn['1h'] ?? 0) > fastBurn['1h'] || (burn['6h'] ?? 0) > fastBurn['6h'] || budget.remaining_percent < lowBudgetPercent) return 'at_risk';
  return 'ok';
}
