import type { RunnerMonitor } from '../../src/checks/check.types.ts';

let counter = 0;

/** A monitor id in the contract's shape, unique per call. */
export function monitorId(): string {
  counter += 1;
  return `mon_${String(counter).padStart(26, '0')}`.slice(0, 30);
}

/** A monitor with sensible test defaults (short timeout) and the given overrides. */
export function monitor(fields: Omit<RunnerMonitor, 'id'> & { id?: string }): RunnerMonitor {
  return { id: fields.id ?? monitorId(), timeout_seconds: 3, interval_seconds: 30, ...fields };
}
