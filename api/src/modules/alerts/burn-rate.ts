import { burnRate, errorBudget, type Usage } from '../slos/slo-status.math.ts';
import { and, compare, evalError, noData, num, type EvalValue } from './evaluate.logic.ts';

// Pure: SLO burn rate and budget as alert-expression values, and the multi-window multi-burn-rate
// pairs. The arithmetic is the SLO status code's (burnRate, errorBudget in
// api/src/modules/slos/slo-status.math.ts), so `burn_rate(slo("x"), "1h")` in a rule and the
// burn rate on GET /v1/slos/{id}/status are the same number. Table-tested in api/test/burn-rate.test.ts.

const hour = 3_600_000;

export interface BurnRatePair {
  severity: 'page' | 'ticket';
  long_window: string;
  short_window: string;
  long_ms: number;
  short_ms: number;
  /** Both windows must burn faster than this. */
  factor: number;
  /** Share of a 30-day budget spent when the long window burns at `factor` for its whole length. */
  budget_percent: number;
  source: string;
}

const pair = (severity: BurnRatePair['severity'], longH: number, shortMin: number, factor: number, budget: number, source: string): BurnRatePair => ({
  severity,
  long_window: `${longH}h`,
  short_window: shortMin % 60 === 0 ? `${shortMin / 60}h` : `${shortMin}m`,
  long_ms: longH * hour,
  short_ms: (shortMin * hour) / 60,
  factor,
  budget_percent: budget,
  source,
});

/**
 * Multi-window multi-burn-rate alerting for a 30-day objective. Within a pair both windows are ANDed
 * (the long one proves the burn is significant, the short one, 1/12 of it, that it is still going
 * on, so the alert resolves soon after the burn stops); pairs are ORed. The first, second and
 * fourth rows are Table 5-8 of the Google SRE workbook; the 24h/2h row is not in the workbook but in
 * Sloth's google-30d catalog (10 % of the budget in a day).
 */
export const burnRatePairs: readonly BurnRatePair[] = [
  pair('page', 1, 5, 14.4, 2, 'Google SRE workbook, table 5-8'),
  pair('page', 6, 30, 6, 5, 'Google SRE workbook, table 5-8'),
  pair('ticket', 24, 120, 3, 10, 'Sloth google-30d catalog'),
  pair('ticket', 72, 360, 1, 10, 'Google SRE workbook, table 5-8'),
];

/** The burn rate at which `budgetPercent` of a period's budget is spent in `longWindowMs`: budget × period / window. */
export const burnThreshold = (budgetPercent: number, periodMs: number, longWindowMs: number): number => Math.round(((budgetPercent / 100) * periodMs * 1000) / longWindowMs) / 1000;

/**
 * burn_rate(slo, window) as a value: the bad share of the window over the budget share. No counted
 * time or checks in the window is no_data; a 100 % objective has no budget to burn, which is an
 * error the rule's status shows (write budget_remaining or a threshold on the measure instead).
 */
export function burnRateValue(targetPercent: number, usage: Usage | null): EvalValue {
  if (!usage || usage.total <= 0) return noData();
  const rate = burnRate(targetPercent, usage);
  return rate === null ? evalError(`an objective of ${targetPercent} % has no error budget, so it has no burn rate`) : num(rate);
}

/** budget_remaining(slo) as a value: the percent of the window's budget not yet spent (negative once overspent); no_data without counted units. */
export function budgetRemainingValue(targetPercent: number, usage: Usage | null): EvalValue {
  if (!usage || usage.total <= 0) return noData();
  return num(errorBudget(targetPercent, usage).remaining_percent);
}

/** One pair's condition: burn_rate(long) > factor and burn_rate(short) > factor, in three-valued logic. */
export function pairBurning(factor: number, long: EvalValue, short: EvalValue): EvalValue {
  return and(compare('>', long, num(factor)), compare('>', short, num(factor)));
}
