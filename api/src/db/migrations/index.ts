import type { Migration } from 'kysely';
import * as initial from './2026-11-22T0000-initial.ts';
import * as runners from './2026-11-22T0100-runners-results-state.ts';
import * as slos from './2026-11-22T0400-slos.ts';
import * as generalPool from './2026-12-01T0830-general-pool-and-slot-cause.ts';
import * as idempotencyOmittedFields from './2026-12-01T0840-idempotency-omitted-fields.ts';
import * as monitorCredentials from './2026-12-01T0900-monitor-credentials-to-secrets.ts';
import * as eventLog from './2026-12-01T1000-event-log-and-job-leases.ts';
import * as healthMetrics from './2026-12-01T1030-health-metrics.ts';
import * as alertRuleReferences from './2026-12-01T1040-alert-rule-references.ts';
import * as alertInstances from './2026-12-01T1100-alert-instances.ts';
import * as alertRuleStatusNoData from './2026-12-01T1110-alert-rule-status-no-data.ts';
import * as alertRuleTraits from './2026-12-01T1200-alert-rule-traits.ts';
import * as organizationPoliciesAndSilences from './2026-12-01T1230-organization-policies-and-silences.ts';
import * as notifications from './2026-12-01T1300-notifications.ts';
import * as edgesAndIncidents from './2026-12-01T1400-edges-and-incidents.ts';
import * as alertRuleEdgeSubjects from './2026-12-01T1410-alert-rule-edge-subjects.ts';
import * as statusPages from './2026-12-01T1500-status-pages.ts';
import * as ingestFillfactor from './2026-12-01T2200-ingest-fillfactor.ts';
import * as managedBy from './2026-12-02T0110-managed-by.ts';
import * as loadTests from './2026-12-02T0120-load-tests.ts';
import * as resultRollupDays from './2026-12-02T0130-result-rollup-days.ts';
import * as resultRollupHoursBuilt from './2026-12-02T0200-result-rollup-hours-built.ts';
import * as resultRollupHoursWriters from './2026-12-02T0300-result-rollup-hours-writers.ts';
import * as runnerRenewals from './2026-12-02T0400-runner-renewals.ts';

/** Every migration, by sortable name. Add new files here; never edit an applied one. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0000-initial': initial,
  '2026-11-22T0100-runners-results-state': runners,
  '2026-11-22T0400-slos': slos,
  '2026-12-01T0830-general-pool-and-slot-cause': generalPool,
  '2026-12-01T0840-idempotency-omitted-fields': idempotencyOmittedFields,
  '2026-12-01T0900-monitor-credentials-to-secrets': monitorCredentials,
  '2026-12-01T1000-event-log-and-job-leases': eventLog,
  '2026-12-01T1030-health-metrics': healthMetrics,
  '2026-12-01T1040-alert-rule-references': alertRuleReferences,
  '2026-12-01T1100-alert-instances': alertInstances,
  '2026-12-01T1110-alert-rule-status-no-data': alertRuleStatusNoData,
  '2026-12-01T1200-alert-rule-traits': alertRuleTraits,
  '2026-12-01T1230-organization-policies-and-silences': organizationPoliciesAndSilences,
  '2026-12-01T1300-notifications': notifications,
  '2026-12-01T1400-edges-and-incidents': edgesAndIncidents,
  '2026-12-01T1410-alert-rule-edge-subjects': alertRuleEdgeSubjects,
  '2026-12-01T1500-status-pages': statusPages,
  '2026-12-01T2200-ingest-fillfactor': ingestFillfactor,
  '2026-12-02T0110-managed-by': managedBy,
  '2026-12-02T0120-load-tests': loadTests,
  '2026-12-02T0130-result-rollup-days': resultRollupDays,
  '2026-12-02T0200-result-rollup-hours-built': resultRollupHoursBuilt,
  '2026-12-02T0300-result-rollup-hours-writers': resultRollupHoursWriters,
  '2026-12-02T0400-runner-renewals': runnerRenewals,
};
