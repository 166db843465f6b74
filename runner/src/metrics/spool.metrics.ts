import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of the on-disk result spool (PHAROS_RUNNER_SPOOL_DIR); evictions count in results_dropped_total. */
export interface SpoolMetrics {
  recordSkipped(count: number): void;
  recordWriteError(): void;
  setBytesSource(bytes: () => number): void;
}

/** Registers the spool metrics on the runner's registry. */
export function createSpoolMetrics(registry: Registry, prefix = 'pharos_runner_'): SpoolMetrics {
  const registers = [registry];
  let bytes: () => number = () => 0;
  new Gauge({
    name: `${prefix}spool_bytes`,
    help: 'Bytes the result spool files take on disk.',
    registers,
    collect() {
      this.set(bytes());
    },
  });
  const skipped = new Counter({ name: `${prefix}spool_skipped_records_total`, help: 'Unreadable records skipped when reading the spool back (a write torn by a crash, a damaged file).', registers });
  const writeErrors = new Counter({ name: `${prefix}spool_write_errors_total`, help: 'Failed writes or deletes in the result spool (results stay queued in memory).', registers });
  return {
    recordSkipped: (count) => skipped.inc(count),
    recordWriteError: () => writeErrors.inc(),
    setBytesSource: (source) => (bytes = source),
  };
}
