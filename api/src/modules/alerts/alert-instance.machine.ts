import { createHash } from 'node:crypto';
import { parseDuration } from '../../shared/duration.ts';
import type { Outcome } from './evaluate.logic.ts';
import type { noDataPolicies } from '../../contract/alerting.schema.ts';

// Pure alert instance state machine: no I/O, table-tested in api/test/alert-instance-machine.test.ts.
// One instance is one rule × one subject (its identity labels). Times are epoch milliseconds.
//
//   inactive / resolved ──true──▶ pending (for > 0) or firing (for = 0)
//   pending ──true, for elapsed──▶ firing        pending ──false──▶ inactive
//   firing ──false, keep_firing_for elapsed (or 0)──▶ resolved
//
// Semantics follow Prometheus alerting rules: an instance is pending from the first true evaluation
// (`active_at`) and fires on the first true evaluation at or after active_at + for; a pending instance
// whose condition turns false goes back to inactive without ever having fired (nothing to resolve);
// a firing instance whose condition turns false resolves at once, or, with keep_firing_for, keeps
// firing until the condition has been false (continuously, since `false_since`) for that long. Firing
// is only ever left for resolved, and resolved only for pending or firing, so every firing instance
// is followed by its resolved transition before it can fire again.
//
// No data (the condition could not be decided because its inputs are missing) follows the rule's
// policy, after Grafana's NoData options:
// - keep_last (default): the instance keeps its state; a pending instance does not fire on no data
//   (it fires on the next true evaluation if `for` has elapsed by then), a firing one does not
//   resolve, and keep_firing_for's clock keeps running but is only checked on false evaluations.
//   Only when the condition has been no_data continuously for `no_data_timeout` (default 15 m) does a
//   pending instance go back to inactive and a firing one resolve, with reason no_data_timeout, so a
//   subject that stopped reporting never holds a page open forever.
// - ok: no data counts as false.   - alerting: no data counts as true (a dead man's switch).
// An error outcome (the engine could not evaluate: a query failed) changes nothing, ever: neither a
// page nor its resolution may come from the engine's own failure. The rule's status shows the error.
// A `now` earlier than a stored time (clock skew between replicas) counts as no time elapsed.

export const instanceStates = ['inactive', 'pending', 'firing', 'resolved'] as const;
export type InstanceStateName = (typeof instanceStates)[number];

export { noDataPolicies } from '../../contract/alerting.schema.ts';
export type NoDataPolicy = (typeof noDataPolicies)[number];

/** Default for how long a keep_last instance holds its state through no data. */
export const defaultNoDataTimeoutMs = 15 * 60_000;

export interface InstanceSpec {
  /** How long the condition must hold before firing; 0 fires on the first true evaluation. */
  for_ms: number;
  /** How long a firing instance keeps firing after its condition turned false; 0 resolves at once. */
  keep_firing_for_ms: number;
  no_data: NoDataPolicy;
  /** keep_last only: continuous no data after which pending → inactive and firing → resolved. */
  no_data_timeout_ms: number;
}

export const defaultInstanceSpec: InstanceSpec = { for_ms: 0, keep_firing_for_ms: 0, no_data: 'keep_last', no_data_timeout_ms: defaultNoDataTimeoutMs };

/** The evaluation settings of a rule as stored: durations in the rule's syntax ("0s", "5m", "1h30m"). */
export interface RuleTiming {
  for_duration?: string | null;
  keep_firing_for?: string | null;
  no_data?: NoDataPolicy | null;
  no_data_timeout?: string | null;
}

const durationOf = (field: string, text: string | null | undefined, fallback: number): number => {
  if (text === undefined || text === null) return fallback;
  const ms = parseDuration(text);
  // The rule contract validates the syntax before a rule is stored; a stored value that does not
  // parse is corrupt data, and guessing a duration would fire or hold pages at the wrong time.
  if (ms === undefined) throw new Error(`stored alert rule ${field} "${text}" is not a duration`);
  return ms;
};

/** The machine's settings from a stored rule, with the defaults applied in this one place. */
export function instanceSpecOf(rule: RuleTiming): InstanceSpec {
  return {
    for_ms: durationOf('for_duration', rule.for_duration, defaultInstanceSpec.for_ms),
    keep_firing_for_ms: durationOf('keep_firing_for', rule.keep_firing_for, defaultInstanceSpec.keep_firing_for_ms),
    no_data: rule.no_data ?? defaultInstanceSpec.no_data,
    no_data_timeout_ms: durationOf('no_data_timeout', rule.no_data_timeout, defaultInstanceSpec.no_data_timeout_ms),
  };
}

export interface InstanceState {
  state: InstanceStateName;
  /** When the instance entered its current state. */
  since: number;
  /** pending / firing: when the condition became true (Prometheus' activeAt). */
  active_at: number | null;
  /** firing: when it started firing. */
  fired_at: number | null;
  /** firing with keep_firing_for: since when the condition has been false. */
  false_since: number | null;
  /** Since when every evaluation has been no_data (null after a decided one). */
  no_data_since: number | null;
}

export const transitionReasons = ['condition_met', 'for_elapsed', 'condition_cleared', 'keep_firing_elapsed', 'no_data_timeout'] as const;
export type TransitionReason = (typeof transitionReasons)[number];

/** One change of state, to be written to the event log and the alert history. */
export interface InstanceTransition {
  from: InstanceStateName;
  to: InstanceStateName;
  at: number;
  reason: TransitionReason;
  /** The evaluation outcome that caused it (no_data under the ok / alerting policies shows as such). */
  outcome: Outcome;
}

export interface InstanceStep {
  next: InstanceState;
  /** At most one: each evaluation moves an instance at most once (for = 0 goes straight to firing). */
  transitions: InstanceTransition[];
}

/** An instance that has never been evaluated. */
export const initialInstance = (at: number): InstanceState => ({ state: 'inactive', since: at, active_at: null, fired_at: null, false_since: null, no_data_since: null });

const elapsed = (now: number, since: number) => Math.max(0, now - since);

/** Applies one evaluation outcome at `now` to an instance. */
export function stepInstance(prev: InstanceState, outcome: Outcome, now: number, spec: InstanceSpec): InstanceStep {
  if (outcome === 'error') return { next: prev, transitions: [] };
  if (outcome === 'no_data') {
    if (spec.no_data === 'ok') return decided(prev, false, now, spec, outcome);
    if (spec.no_data === 'alerting') return decided(prev, true, now, spec, outcome);
    return keepLast(prev, now, spec);
  }
  return decided(prev, outcome === 'true', now, spec, outcome);
}

function move(prev: InstanceState, to: InstanceStateName, now: number, reason: TransitionReason, outcome: Outcome, fields: Partial<InstanceState>): InstanceStep {
  const next: InstanceState = { ...prev, ...fields, state: to, since: now };
  return { next, transitions: [{ from: prev.state, to, at: now, reason, outcome }] };
}

function decided(prev: InstanceState, holds: boolean, now: number, spec: InstanceSpec, outcome: Outcome): InstanceStep {
  const base: InstanceState = { ...prev, no_data_since: null };
  const stay = (fields: Partial<InstanceState> = {}): InstanceStep => ({ next: { ...base, ...fields }, transitions: [] });
  switch (prev.state) {
    case 'inactive':
    case 'resolved':
      if (!holds) return stay();
      if (spec.for_ms <= 0) return move(base, 'firing', now, 'condition_met', outcome, { active_at: now, fired_at: now, false_since: null });
      return move(base, 'pending', now, 'condition_met', outcome, { active_at: now, fired_at: null, false_since: null });
    case 'pending': {
      if (!holds) return move(base, 'inactive', now, 'condition_cleared', outcome, { active_at: null });
      const activeAt = prev.active_at ?? prev.since;
      if (elapsed(now, activeAt) >= spec.for_ms) return move(base, 'firing', now, 'for_elapsed', outcome, { active_at: activeAt, fired_at: now });
      return stay();
    }
    case 'firing': {
      if (holds) return stay({ false_since: null });
      if (spec.keep_firing_for_ms <= 0) return move(base, 'resolved', now, 'condition_cleared', outcome, { active_at: null, false_since: null });
      const falseSince = prev.false_since ?? now;
      if (elapsed(now, falseSince) >= spec.keep_firing_for_ms) return move(base, 'resolved', now, 'keep_firing_elapsed', outcome, { active_at: null, false_since: null });
      return stay({ false_since: falseSince });
    }
  }
}

function keepLast(prev: InstanceState, now: number, spec: InstanceSpec): InstanceStep {
  const noDataSince = prev.no_data_since ?? now;
  const timedOut = elapsed(now, noDataSince) >= spec.no_data_timeout_ms;
  const base: InstanceState = { ...prev, no_data_since: noDataSince };
  if (timedOut && prev.state === 'pending') return move(base, 'inactive', now, 'no_data_timeout', 'no_data', { active_at: null });
  if (timedOut && prev.state === 'firing') return move(base, 'resolved', now, 'no_data_timeout', 'no_data', { active_at: null, false_since: null });
  return { next: base, transitions: [] };
}

/**
 * The earliest time at which re-evaluating an instance with an unchanged outcome could change it, for
 * the periodic tick; null when only a new outcome can. Pending: active_at + for. Firing with the
 * condition false: false_since + keep_firing_for. Pending or firing under keep_last no data:
 * no_data_since + no_data_timeout (the sooner of the applicable times).
 */
export function dueAt(s: InstanceState, spec: InstanceSpec): number | null {
  const times: number[] = [];
  if (s.state === 'pending' && s.active_at !== null && s.no_data_since === null) times.push(s.active_at + spec.for_ms);
  if (s.state === 'firing' && s.false_since !== null && s.no_data_since === null) times.push(s.false_since + spec.keep_firing_for_ms);
  if ((s.state === 'pending' || s.state === 'firing') && s.no_data_since !== null && spec.no_data === 'keep_last') times.push(s.no_data_since + spec.no_data_timeout_ms);
  return times.length ? Math.min(...times) : null;
}

/**
 * A stable fingerprint of an instance's identity: the rule id and the subject's identity labels,
 * sorted by name (so the order labels were built in never matters), hashed with SHA-256 and cut to
 * 32 hex digits (128 bits). Like Alertmanager's fingerprint, equal label sets give equal keys across
 * processes and releases; unlike a separator-joined string, the encoding is unambiguous (JSON), so
 * {a:"b,c"} and {a:"b", c:""} never collide. A rule without a selector has one instance: no labels.
 */
export function instanceKey(ruleId: string, subjectLabels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(subjectLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([ruleId, pairs])).digest('hex').slice(0, 32);
}
