import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of the runner's conversation with the control plane (poll/push errors live in RunnerMetrics). */
export interface ProtocolMetrics {
  recordPushed(accepted: number, rejected: number): void;
  recordRegistration(): void;
}

/** Registers the protocol metrics on the runner's registry; `lastPollAt` is read at scrape time. */
export function createProtocolMetrics(
  registry: Registry,
  sources: { lastPollAt: () => number | undefined; bufferCapacity: number },
  prefix = 'pharos_runner_',
): ProtocolMetrics {
  const registers = [registry];
  new Gauge({
    name: `${prefix}last_successful_poll_timestamp_seconds`,
    help: 'Unix time of the last successful poll for assignments (0 before the first).',
    registers,
    collect() {
      this.set((sources.lastPollAt() ?? 0) / 1000);
    },
  });
  new Gauge({ name: `${prefix}result_buffer_capacity`, help: 'Results the buffer holds before it evicts the oldest.', registers }).set(sources.bufferCapacity);
  const results = new Counter({
    name: `${prefix}results_pushed_total`,
    help: 'Results the control plane answered for: accepted (stored now or before) or rejected (dropped).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const registrations = new Counter({ name: `${prefix}registrations_total`, help: 'Successful registrations (more than one: the API forgot the runner).', registers });
  return {
    recordPushed(accepted, rejected) {
      if (accepted) results.inc({ outcome: 'accepted' }, accepted);
      if (rejected) results.inc({ outcome: 'rejected' }, rejected);
    },
    recordRegistration: () => registrations.inc(),
  };
}
