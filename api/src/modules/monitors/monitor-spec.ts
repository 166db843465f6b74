import { HeartbeatCheck, MonitorInput } from '../../contract/monitor.schema.ts';
import type { MonitorFacts } from '../state/state.service.ts';

/** A stored monitor spec as its consumers read it: every defaulted field present and typed. */
export interface MonitorSpec {
  enabled: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Configured regions; empty means every region with a live runner that can run it. */
  regions: readonly string[];
  runFrom: { zone?: string | undefined; labels: Readonly<Record<string, string>> };
  failureThreshold: number;
  recoveryThreshold: number;
  minFailedRegions: number;
  degradedThresholdMs: number | undefined;
  /** Heartbeat monitors only: how often the job calls in and the extra time allowed. */
  heartbeat: { periodSeconds: number; graceSeconds: number } | undefined;
}

// The defaults are the contract's own (the `default` of each schema property), so a default changed
// there changes here; they are read once, at module load.
const prop = MonitorInput.properties;
const defaultOf = <T>(schema: { default?: unknown }, fallback: T): T => (schema.default as T | undefined) ?? fallback;
export const monitorDefaults = {
  enabled: defaultOf(prop.enabled, true),
  intervalSeconds: defaultOf(prop.interval_seconds, 60),
  timeoutSeconds: defaultOf(prop.timeout_seconds, 10),
  failureThreshold: defaultOf(prop.failure_threshold, 2),
  recoveryThreshold: defaultOf(prop.recovery_threshold, 1),
  minFailedRegions: defaultOf(prop.min_failed_regions, 1),
  heartbeatGraceSeconds: defaultOf(HeartbeatCheck.properties.grace_seconds, 60),
  // period_seconds is required by the contract; this only covers rows written before it was.
  heartbeatPeriodSeconds: 60,
} as const;

type Stored = {
  enabled?: unknown; interval_seconds?: unknown; timeout_seconds?: unknown; regions?: unknown; run_from?: unknown; failure_threshold?: unknown;
  recovery_threshold?: unknown; min_failed_regions?: unknown; degraded_threshold_ms?: unknown; heartbeat?: unknown;
};

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Reads a monitor's stored spec (the jsonb column, or a projection of some of its fields) with the
 * contract defaults applied. The one place that knows how a monitor spec is stored.
 */
export function monitorSpec(spec: unknown): MonitorSpec {
  const s = record(spec) as Stored;
  const runFrom = record(s.run_from);
  const labels = Object.fromEntries(Object.entries(record(runFrom.labels)).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const heartbeat = s.heartbeat === undefined || s.heartbeat === null ? undefined : record(s.heartbeat);
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : monitorDefaults.enabled,
    intervalSeconds: num(s.interval_seconds, monitorDefaults.intervalSeconds),
    timeoutSeconds: num(s.timeout_seconds, monitorDefaults.timeoutSeconds),
    regions: Array.isArray(s.regions) ? s.regions.filter((r): r is string => typeof r === 'string') : [],
    runFrom: { ...(typeof runFrom.zone === 'string' ? { zone: runFrom.zone } : {}), labels },
    failureThreshold: num(s.failure_threshold, monitorDefaults.failureThreshold),
    recoveryThreshold: num(s.recovery_threshold, monitorDefaults.recoveryThreshold),
    minFailedRegions: num(s.min_failed_regions, monitorDefaults.minFailedRegions),
    degradedThresholdMs: typeof s.degraded_threshold_ms === 'number' ? s.degraded_threshold_ms : undefined,
    heartbeat: heartbeat && {
      periodSeconds: num(heartbeat.period_seconds, monitorDefaults.heartbeatPeriodSeconds),
      graceSeconds: num(heartbeat.grace_seconds, monitorDefaults.heartbeatGraceSeconds),
    },
  };
}

/** Seconds a heartbeat monitor may go without a ping before it is down (period + grace). */
export const heartbeatAllowanceSeconds = (spec: MonitorSpec): number =>
  (spec.heartbeat?.periodSeconds ?? monitorDefaults.heartbeatPeriodSeconds) + (spec.heartbeat?.graceSeconds ?? monitorDefaults.heartbeatGraceSeconds);

/** Monitor facts the state evaluator needs, from a stored monitor row. */
export function monitorFacts(row: { id: string; service_id: string | null; dependency_id?: string | null | undefined; spec: unknown }): MonitorFacts {
  const spec = monitorSpec(row.spec);
  return {
    id: row.id,
    serviceId: row.service_id ?? '',
    dependencyId: row.dependency_id ?? null,
    enabled: spec.enabled,
    failureThreshold: spec.failureThreshold,
    recoveryThreshold: spec.recoveryThreshold,
    minFailedRegions: spec.minFailedRegions,
    regions: spec.regions,
  };
}
