import { Counter, type Registry } from 'prom-client';

/** pharos_load_tests_* counters, registered on the control plane's registry. */
export class LoadTestMetrics {
  readonly created: Counter<'regions'>;
  readonly rejected: Counter<'code'>;
  readonly finished: Counter<'state'>;
  readonly reports: Counter<'final'>;

  constructor(registry: Registry) {
    this.created = new Counter({ name: 'pharos_load_tests_created_total', help: 'Load tests accepted (POST /v1/load-tests), by number of regions.', labelNames: ['regions'] as const, registers: [registry] });
    this.rejected = new Counter({ name: 'pharos_load_tests_rejected_total', help: 'Load tests refused by a guard rail, by error code.', labelNames: ['code'] as const, registers: [registry] });
    this.finished = new Counter({ name: 'pharos_load_tests_finished_total', help: 'Load tests that ended, by end state (passed, failed, aborted, error).', labelNames: ['state'] as const, registers: [registry] });
    this.reports = new Counter({ name: 'pharos_load_tests_progress_reports_total', help: 'Progress reports runners sent for load-test shares (final: the last of a share).', labelNames: ['final'] as const, registers: [registry] });
  }
}
