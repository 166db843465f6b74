import type { CheckResult, CheckType, Monitor, MonitorInput } from '../../../api/src/contract/index.ts';

/** Check types a runner executes; heartbeats are evaluated by the control plane from calls it receives. */
export type RunnableCheckType = Exclude<CheckType, 'heartbeat'>;

/**
 * A monitor as the runner needs it: the assignment feed may send the full Monitor resource,
 * but only `id`, `type` and the fields of that type's configuration are required.
 */
export type RunnerMonitor = Pick<Monitor, 'id' | 'type'> & Partial<Omit<MonitorInput, 'type'>>;

/** Everything a CheckResult needs except what the caller owns (id, monitor, region, confirmation flag). */
export type CheckOutcome = Omit<CheckResult, 'id' | 'monitor_id' | 'region' | 'confirmation'>;

/** Per-execution context handed to a check by the engine. */
export interface CheckContext {
  /** Aborts when the monitor's whole-check budget (timeout_seconds) is spent. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which `signal` aborts; checks derive per-phase timeouts from it. */
  readonly deadline: number;
  /** Extra PEM trust roots (private CAs) on top of Node's bundled ones. */
  readonly trustedCa?: readonly string[];
}

/** One check type's implementation. */
export interface Check<T extends RunnableCheckType = RunnableCheckType> {
  readonly type: T;
  run(monitor: RunnerMonitor, ctx: CheckContext): Promise<CheckOutcome>;
}

/** One implementation per runnable type; a missing one is a compile error. */
export type CheckRegistry = { readonly [K in RunnableCheckType]: Check<K> };
