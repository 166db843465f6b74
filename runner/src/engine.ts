import type { CheckResult } from '../../api/src/contract/index.ts';
import { createCheckRegistry } from './checks/check.registry.ts';
import { executeCheck } from './checks/check.executor.ts';
import { createResultIdFactory } from './results/result-id.factory.ts';
import type { CheckRegistry, RunnerMonitor } from './checks/check.types.ts';
import type { RunnerMetrics } from './metrics/runner.metrics.ts';
import { CheckScheduler, defaultCoalesceMs, type SchedulerStats } from './schedule/check.scheduler.ts';
import { createSystemClock, type Clock } from './schedule/clock.port.ts';

export type { RunnerMonitor, CheckOutcome, CheckRegistry, Check, CheckContext } from './checks/check.types.ts';
export type { SchedulerStats } from './schedule/check.scheduler.ts';
export type { Clock } from './schedule/clock.port.ts';
export { createRunnerMetrics, type RunnerMetrics } from './metrics/runner.metrics.ts';
export { BoundedBuffer, createResultBuffer, type BufferStats } from './results/result.buffer.ts';
export { createCheckRegistry } from './checks/check.registry.ts';
export { executeCheck } from './checks/check.executor.ts';

/** Where finished results go, e.g. `(r) => buffer.push(r)`. Must not throw and must not block. */
export type ResultSink = (result: CheckResult) => void;

export interface EngineOptions {
  /** Region this runner reports results for. */
  region: string;
  sink: ResultSink;
  /** Checks running at once; the rest wait (default 256). */
  maxConcurrent?: number;
  coalesceMs?: number;
  metrics?: RunnerMetrics;
  /** Extra PEM trust roots for private CAs. */
  trustedCa?: readonly string[];
  clock?: Clock;
  checks?: CheckRegistry;
  /**
   * Called with the id of every monitor the engine stops running (absent from setMonitors, removed,
   * disabled, turned heartbeat), and again when a check of it was in flight and its result arrived
   * after the removal, so per-monitor memory elsewhere (the push loop's last statuses) can follow.
   */
  onMonitorRemoved?: (id: string) => void;
}

export interface RunNowOptions {
  /** Marks the result as a confirmation of a failure seen elsewhere. */
  confirmation?: boolean;
}

/** The runner's check engine: schedules the monitors it is given and sends every result to the sink. */
export interface Engine {
  /** Replaces the assignment set. Unchanged and updated monitors keep their cadence; absent ones stop. */
  setMonitors(monitors: readonly RunnerMonitor[]): void;
  /** Adds or updates one monitor (disabled and heartbeat monitors are removed instead). */
  upsertMonitor(monitor: RunnerMonitor): void;
  removeMonitor(id: string): void;
  /**
   * Runs a monitor immediately (ahead of scheduled work, within the concurrency limit) without
   * moving its cadence. Pass the monitor itself to run one this runner does not schedule, or its
   * id to run the scheduled configuration. The result also goes to the sink. Calls for a monitor
   * whose immediate run has not started yet share that run (and its confirmation flag).
   */
  runNow(monitor: RunnerMonitor | string, options?: RunNowOptions): Promise<CheckResult>;
  stats(): SchedulerStats;
  /** Stops scheduling, rejects waiting runNow calls and waits for checks in flight. */
  stop(): Promise<void>;
}

interface JobPayload {
  monitor: RunnerMonitor;
  confirmation: boolean;
}

/** Default seconds between checks, from the contract. */
export const defaultIntervalSeconds = 60;
export const defaultMaxConcurrent = 256;
const minIntervalMs = 1000;

/**
 * Creates the engine. Typical wiring in runner/src/main.ts:
 *   const metrics = createRunnerMetrics();
 *   const buffer = createResultBuffer(50_000, () => metrics.recordDropped());
 *   const engine = createEngine({ region, sink: (r) => buffer.push(r), metrics });
 *   metrics.setGaugeSources({ bufferDepth: () => buffer.depth });
 */
export function createEngine(options: EngineOptions): Engine {
  const checks = options.checks ?? createCheckRegistry();
  const { metrics, sink } = options;
  const newResultId = createResultIdFactory();
  let stopped = false;
  const waiters = new Map<string, { resolve: (r: CheckResult) => void; reject: (e: Error) => void }[]>();

  const scheduler = new CheckScheduler<JobPayload>({
    clock: options.clock ?? createSystemClock(),
    maxConcurrent: options.maxConcurrent ?? defaultMaxConcurrent,
    coalesceMs: options.coalesceMs ?? defaultCoalesceMs,
    onLateness: (ms) => metrics?.recordLateness(ms),
    onSkip: (_id, reason, count) => metrics?.recordSkip(reason, count),
    execute: async (job) => {
      const { monitor, confirmation } = job.payload;
      // Callers waiting on runNow get this run; later calls wait for a fresh one.
      const pending = job.immediate ? (waiters.get(job.id) ?? []) : [];
      if (job.immediate) waiters.delete(job.id);
      try {
        const result = await executeCheck(monitor, checks, {
          region: options.region,
          confirmation,
          newResultId,
          ...(options.trustedCa ? { trustedCa: options.trustedCa } : {}),
        });
        metrics?.recordResult(monitor.type, result);
        try {
          sink(result);
          // Removed while this check ran (or run now without being scheduled): forget it again.
          if (scheduler.payloadOf(monitor.id) === undefined) options.onMonitorRemoved?.(monitor.id);
        } catch {
          // A throwing sink or hook loses this one result, never the schedule.
        }
        pending.forEach((w) => w.resolve(result));
      } catch (err) {
        // executeCheck never throws by contract; if it ever does, no runNow caller may hang.
        pending.forEach((w) => w.reject(err instanceof Error ? err : new Error(String(err))));
        throw err;
      }
    },
  });
  metrics?.setGaugeSources({ inFlight: () => scheduler.stats().inFlight, scheduled: () => scheduler.stats().scheduled });

  const remove = (id: string): void => {
    scheduler.remove(id);
    options.onMonitorRemoved?.(id);
  };
  // Disabled and heartbeat monitors are removed; the rest become scheduler entries.
  const entryOf = (monitor: RunnerMonitor) => {
    if (monitor.enabled === false || monitor.type === 'heartbeat') {
      remove(monitor.id);
      return undefined;
    }
    // The contract's floor is 5 s; the clamp only keeps a malformed assignment from throwing here.
    const intervalMs = Math.max(minIntervalMs, Math.round((monitor.interval_seconds ?? defaultIntervalSeconds) * 1000));
    return { id: monitor.id, intervalMs, payload: { monitor, confirmation: false } };
  };
  const upsert = (monitor: RunnerMonitor): void => {
    const entry = entryOf(monitor);
    if (entry) scheduler.upsert(entry.id, entry.intervalMs, entry.payload);
  };

  return {
    setMonitors(monitors) {
      const keep = new Set(monitors.map((m) => m.id));
      for (const id of [...scheduler.ids()]) if (!keep.has(id)) remove(id);
      // One batch, so handing over a large set never makes the runs due meanwhile late.
      scheduler.upsertMany(monitors.map(entryOf).filter((e) => e !== undefined));
    },
    upsertMonitor: upsert,
    removeMonitor: remove,
    runNow(target, runOptions = {}) {
      return new Promise<CheckResult>((resolve, reject) => {
        if (stopped) return reject(new Error('engine is stopped'));
        const id = typeof target === 'string' ? target : target.id;
        const list = waiters.get(id);
        // A run for this monitor is already waiting for a slot (not yet started): share its result.
        if (list) return void list.push({ resolve, reject });
        const monitor = typeof target === 'string' ? scheduler.payloadOf(id)?.monitor : target;
        if (!monitor) return reject(new Error(`monitor ${id} is not scheduled on this runner`));
        waiters.set(id, [{ resolve, reject }]);
        scheduler.runNow(id, { monitor, confirmation: runOptions.confirmation ?? false });
      });
    },
    stats: () => scheduler.stats(),
    async stop() {
      stopped = true;
      await scheduler.stop();
      for (const list of waiters.values()) list.forEach((w) => w.reject(new Error('engine stopped')));
      waiters.clear();
    },
  };
}
