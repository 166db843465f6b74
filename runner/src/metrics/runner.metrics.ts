import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckResult } from '../../../api/src/contract/index.ts';
import type { SkipReason } from '../schedule/check.scheduler.ts';

/** Live values read at scrape time, wired by whoever owns them. */
export interface GaugeSources {
  bufferDepth: () => number;
  inFlight: () => number;
  scheduled: () => number;
  /** Load-test shares running now. */
  loadTestsRunning: () => number;
  /** Requests in flight the running load-test shares may have. */
  loadTestConcurrency: () => number;
}

/** The runner's Prometheus metrics, in their own Registry (no global default registry). */
export interface RunnerMetrics {
  readonly registry: Registry;
  /** Counts one finished check by type and status, and its failure code when down. */
  recordResult(type: string, result: Pick<CheckResult, 'status' | 'duration_ms' | 'error'>): void;
  /** Scheduling lateness of one run, in ms. */
  recordLateness(ms: number): void;
  recordSkip(reason: SkipReason, count: number): void;
  /** One result evicted from the full buffer. */
  recordDropped(): void;
  /** For the protocol client: a failed poll for assignments. */
  recordPollError(): void;
  /** For the protocol client: a failed result push. */
  recordPushError(): void;
  setGaugeSources(sources: Partial<GaugeSources>): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Creates the runner's metrics; call once per process in the composition root. */
export function createRunnerMetrics(options: { prefix?: string; defaultLabels?: Record<string, string> } = {}): RunnerMetrics {
  const prefix = options.prefix ?? 'pharos_runner_';
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  const registers = [registry];
  const sources: Partial<GaugeSources> = {};

  const checks = new Counter({ name: `${prefix}checks_total`, help: 'Checks run, by check type and result status.', labelNames: ['type', 'status'] as const, registers });
  const failures = new Counter({
    name: `${prefix}check_failures_total`,
    help: 'Checks that were down, by check type and failure code (degraded ones show in checks_total).',
    labelNames: ['type', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}check_duration_seconds`,
    help: 'Check duration, by check type.',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const lateness = new Histogram({
    name: `${prefix}schedule_lateness_seconds`,
    help: 'Delay between when a check was due and when it started (timer and concurrency waits).',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const skips = new Counter({
    name: `${prefix}schedule_skips_total`,
    help: 'Due runs skipped: still_running (previous run of the monitor in flight) or fell_behind (process stalled).',
    labelNames: ['reason'] as const,
    registers,
  });
  const dropped = new Counter({ name: `${prefix}results_dropped_total`, help: 'Results evicted unsent because the result buffer was full.', registers });
  const pollErrors = new Counter({ name: `${prefix}poll_errors_total`, help: 'Failed polls of the control plane for assignments.', registers });
  const pushErrors = new Counter({ name: `${prefix}push_errors_total`, help: 'Failed pushes of results to the control plane.', registers });
  // Gauges read at scrape time from their source (0 until one is wired).
  const sourced: Array<[name: string, help: string, source: keyof GaugeSources]> = [
    ['result_buffer_depth', 'Results waiting to be pushed.', 'bufferDepth'],
    ['checks_in_flight', 'Checks running now.', 'inFlight'],
    ['monitors_scheduled', 'Monitors this runner schedules.', 'scheduled'],
    ['load_tests_running', 'Load-test shares this runner runs now.', 'loadTestsRunning'],
    ['load_test_concurrency', 'Requests in flight the running load-test shares may have (capped by PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY).', 'loadTestConcurrency'],
  ];
  for (const [name, help, source] of sourced) {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        this.set(sources[source]?.() ?? 0);
      },
    });
  }

  // Children per label set, looked up once: prom-client hashes the label object on every
  // inc/observe otherwise (once per check, at hundreds of checks per second).
  const checkChildren = new Map<string, ReturnType<typeof checks.labels>>();
  const durationChildren = new Map<string, ReturnType<typeof duration.labels>>();
  const failureChildren = new Map<string, ReturnType<typeof failures.labels>>();

  return {
    registry,
    contentType: registry.contentType,
    recordResult(type, result) {
      child(checkChildren, `${type}\0${result.status}`, () => checks.labels({ type, status: result.status })).inc();
      child(durationChildren, type, () => duration.labels({ type })).observe(result.duration_ms / 1000);
      if (result.status === 'down') {
        const code = result.error?.code ?? 'unknown';
        child(failureChildren, `${type}\0${code}`, () => failures.labels({ type, code })).inc();
      }
    },
    recordLateness: (ms) => lateness.observe(ms / 1000),
    recordSkip: (reason, count) => skips.inc({ reason }, count),
    recordDropped: () => dropped.inc(),
    recordPollError: () => pollErrors.inc(),
    recordPushError: () => pushErrors.inc(),
    setGaugeSources: (next) => Object.assign(sources, next),
    render: () => registry.metrics(),
  };
}

/** The cached child metric for one label set, made on first use. */
function child<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let found = cache.get(key);
  if (found === undefined) {
    found = make();
    cache.set(key, found);
  }
  return found;
}
