import type { ResultStatus } from '../../contract/result.schema.ts';
import type { State } from '../../contract/state.schema.ts';

// Pure state logic: no I/O, table-tested. A slot is one monitor in one region.

export interface SlotCounters {
  state: State;
  since: Date;
  /** Consecutive down results. */
  failures: number;
  /** Consecutive degraded results. */
  degraded: number;
  /** Consecutive up results. */
  successes: number;
}

export interface Thresholds {
  failure_threshold: number;
  recovery_threshold: number;
}

export interface SlotStep {
  next: SlotCounters;
  changed: boolean;
  /** The slot is failing but not yet down: an immediate confirmation check shortens detection. */
  wantsConfirmation: boolean;
}

/** A slot that has never reported. */
export const initialSlot = (at: Date): SlotCounters => ({ state: 'unknown', since: at, failures: 0, degraded: 0, successes: 0 });

/**
 * Applies one result to a slot. Down needs `failure_threshold` consecutive down results; degraded
 * needs as many consecutive degraded results (or, coming from down, `recovery_threshold` of them);
 * up needs `recovery_threshold` consecutive up results.
 */
export function evaluateSlot(prev: SlotCounters, status: ResultStatus, at: Date, t: Thresholds): SlotStep {
  const c = { ...prev };
  let target: State = prev.state;
  if (status === 'down') {
    c.failures += 1;
    c.degraded = 0;
    c.successes = 0;
    if (c.failures >= t.failure_threshold) target = 'down';
  } else if (status === 'degraded') {
    c.degraded += 1;
    c.failures = 0;
    c.successes = 0;
    const needed = prev.state === 'down' ? t.recovery_threshold : t.failure_threshold;
    if (prev.state !== 'degraded' && c.degraded >= needed) target = 'degraded';
  } else {
    c.successes += 1;
    c.failures = 0;
    c.degraded = 0;
    if (c.successes >= t.recovery_threshold) target = 'up';
  }
  const changed = target !== prev.state;
  const next = { ...c, state: target, since: changed ? at : prev.since };
  return { next, changed, wantsConfirmation: status === 'down' && target !== 'down' };
}

/**
 * A monitor's state from its regions: down when at least `minFailed` regions are down. Regions with
 * no data (unknown, e.g. no live runner) do not count, so a quorum can still be reached by the
 * regions that report.
 */
export function monitorState(regions: readonly State[], minFailed: number, enabled: boolean): State {
  if (!enabled) return 'unknown';
  const known = regions.filter((s) => s !== 'unknown').length;
  const down = regions.filter((s) => s === 'down').length;
  if (down > 0 && down >= Math.min(minFailed, known)) return 'down';
  if (regions.some((s) => s === 'down' || s === 'degraded')) return 'degraded';
  if (regions.some((s) => s === 'up')) return 'up';
  return 'unknown';
}

const severity: Record<State, number> = { unknown: 0, up: 1, degraded: 2, down: 3 };

/** The worst of several states (a service is as bad as its worst monitor); unknown only if all are. */
export function worstState(states: readonly State[]): State {
  return states.reduce<State>((worst, s) => (severity[s] > severity[worst] ? s : worst), 'unknown');
}

/**
 * Seconds without a result after which a slot is unknown with cause no_data:
 * max(2 × interval, interval + timeout + lease). Two intervals absorb one lost or late result; the
 * second term covers a check that ran its full timeout just before its runner's lease lapsed
 * (the slot then moves to another runner, which checks it at once).
 */
export function noDataAfterSeconds(monitor: { intervalSeconds: number; timeoutSeconds: number }, leaseSeconds: number): number {
  return Math.max(2 * monitor.intervalSeconds, monitor.intervalSeconds + monitor.timeoutSeconds + leaseSeconds);
}
