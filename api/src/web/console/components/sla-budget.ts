import type { SlaDay } from '../../../contract/sla.schema.ts';
import type { Slo } from '../../../contract/slo.schema.ts';

// Pure: the burn of an uptime objective's error budget day by day, from daily uptime, computed as
// GET /v1/slos/{id}/status computes it for the whole window (allowed = budget share × observed time,
// consumed = down time).

/** Days of an objective's window ending today (UTC); calendar windows start on the 1st of the month or quarter. */
export function sloWindowDays(window: Slo['window'], now = Date.now()): number {
  const d = new Date(now);
  switch (window ?? 'rolling_30d') {
    case 'rolling_7d': return 7;
    case 'rolling_28d': return 28;
    case 'calendar_month': return d.getUTCDate();
    case 'calendar_quarter': return Math.floor((now - Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1)) / 86_400_000) + 1;
    default: return 30;
  }
}

export interface BudgetPoint {
  date: string;
  /** Share of the budget so far left after this day (negative once overspent); null before anything was observed. */
  remaining: number | null;
  /** Uptime percent from the window's start to the end of this day. */
  attained: number | null;
}

/** Budget remaining and attained uptime after each day, cumulative from the window's first day. */
export function budgetSeries(days: readonly SlaDay[], targetPercent: number): BudgetPoint[] {
  const share = (100 - targetPercent) / 100;
  let observed = 0;
  let down = 0;
  return days.map((d) => {
    observed += d.observed_seconds;
    down += Math.min(d.downtime_seconds, d.observed_seconds);
    const allowed = share * observed;
    const remaining = observed === 0 ? null : allowed > 0 ? (100 * (allowed - down)) / allowed : down > 0 ? -100 : 100;
    return { date: d.date, remaining: remaining === null ? null : Math.round(remaining * 100) / 100, attained: observed === 0 ? null : Math.round((10000 * (observed - down)) / observed) / 100 };
  });
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of the answers. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
