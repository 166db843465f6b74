import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  managed_by: Generated<string>;
}

export interface UsersTable {
  id: string;
  org_id: string;
  subject: string;
  email: string | null;
  display_name: string | null;
  org_admin: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp | null;
}

export interface MembershipsTable {
  id: string;
  org_id: string;
  team_id: string;
  user_id: string;
  role: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  managed_by: Generated<string>;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  team_id: string | null;
  name: string;
  role: string;
  token_hash: string;
  token_hint: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RunnerTokensTable {
  id: string;
  org_id: string;
  name: string;
  region: string;
  labels: Json<Record<string, string>>;
  token_hash: string;
  token_hint: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  serves_general_pool: Generated<boolean>;
  managed_by: Generated<string>;
}

/** Shape shared by every team-owned configuration resource (services, monitors, rules, …). */
export interface SpecTable {
  id: string;
  org_id: string;
  /** The owning team. Null only for organization routing policies: read it through ownerOf (modules/resources/owner.ts). */
  team_id: string;
  name: string;
  type: string | null;
  service_id: string | null;
  spec: Json<Record<string, unknown>>;
  secrets: Json<Record<string, unknown> | null> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  /** Who manages the row: terraform, discovery or api (modules/resources/managed-by.ts). */
  managed_by: Generated<string>;
}

/** A status page: a spec row whose slug (unique on the server: public addresses carry no organization) has its own column. */
export interface StatusPagesTable extends SpecTable {
  slug: string;
}

/** A silence: matchers and a span that mute notifications; team_id null for an organization silence. */
export interface SilencesTable {
  id: string;
  org_id: string;
  team_id: string | null;
  spec: Json<Record<string, unknown>>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_by: Json<{ type: string; id: string; name: string }>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  managed_by: Generated<string>;
}

export interface DependenciesTable {
  id: string;
  org_id: string;
  team_id: string;
  service_id: string;
  depends_on_service_id: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  managed_by: Generated<string>;
}

export interface AuditEntriesTable {
  id: string;
  org_id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  action: string;
  resource_type: string;
  resource_id: string;
  team_id: string | null;
  request_id: string | null;
  before: Json | null;
  after: Json | null;
}

export interface IdempotencyKeysTable {
  org_id: string;
  principal_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response: Json | null;
  headers: Json<Record<string, string>> | null;
  created_at: Timestamp;
  /** Response fields that held a secret shown once; not stored, so a replay cannot repeat them. */
  omitted_fields: Json<string[]> | null;
}

export interface MonitorsTable extends SpecTable {
  heartbeat_token: string | null;
  /** The dependency edge the monitor checks ("can A reach B"); null for a monitor of its service alone. */
  dependency_id: Generated<string | null>;
}

export interface RunnersTable {
  id: string;
  org_id: string;
  runner_token_id: string;
  region: string;
  labels: Json<Record<string, string>>;
  version: string;
  hostname: string | null;
  capabilities: Json<string[]>;
  registered_at: Timestamp;
  last_seen_at: Timestamp;
  lease_expires_at: Timestamp;
  /** Renewals of the lease so far: a renewal's mark (presumeGone compares it). */
  renewals: ColumnType<string, number | string | undefined, number | string>;
  revision: ColumnType<string, number | string | undefined, number | string>;
  acked_revision: ColumnType<string, number | string | undefined, number | string>;
  stopped_at: Timestamp | null;
}

export interface SlotAssignmentsTable {
  org_id: string;
  monitor_id: string;
  region: string;
  runner_id: string;
  assigned_at: Timestamp;
}

export interface AssignmentHistoryTable {
  org_id: string;
  monitor_id: string;
  region: string;
  runner_id: string;
  from_at: Timestamp;
  to_at: Timestamp | null;
}

export interface RunnerChangesTable {
  runner_id: string;
  revision: ColumnType<string, number | string, number | string>;
  monitor_id: string;
  change: 'upsert' | 'remove';
}

export interface CheckResultsTable {
  id: string;
  org_id: string;
  monitor_id: string;
  region: string;
  runner_id: string | null;
  started_at: Timestamp;
  status: string;
  duration_ms: number;
  status_code: number | null;
  error_code: string | null;
  trace_id: string | null;
  confirmation: Generated<boolean>;
  detail: Json<Record<string, unknown>> | null;
  received_at: Timestamp;
}

export interface ResultRollupsTable {
  org_id: string;
  monitor_id: string;
  region: string;
  resolution: 'minute' | 'hour';
  bucket_start: Timestamp;
  checks: number;
  up: number;
  degraded: number;
  down: number;
  sum_ms: number;
  max_ms: number;
  histogram: number[];
}

/** Per-minute aggregates of one health-endpoint metric of one monitor in one region. */
export interface MetricRollupsTable {
  org_id: string;
  monitor_id: string;
  region: string;
  metric: string;
  bucket_start: Timestamp;
  min: number;
  max: number;
  sum: number;
  count: number;
  last_value: number;
  last_at: Timestamp;
}

export interface SlotStatesTable {
  org_id: string;
  monitor_id: string;
  region: string;
  state: string;
  since: Timestamp;
  failures: Generated<number>;
  degraded: Generated<number>;
  successes: Generated<number>;
  last_result_id: string | null;
  last_result_at: Timestamp | null;
  last_error: string | null;
  /** Why the slot is unknown when no result explains it, e.g. "no_runner". */
  cause: Generated<string | null>;
}

export interface MonitorStatesTable {
  monitor_id: string;
  org_id: string;
  state: string;
  since: Timestamp;
  regions_down: Generated<number>;
  regions_total: Generated<number>;
  updated_at: Timestamp;
}

export interface ServiceStatesTable {
  service_id: string;
  org_id: string;
  state: string;
  since: Timestamp;
  updated_at: Timestamp;
}

/** A dependency edge's current state, from the monitors that name it. */
export interface EdgeStatesTable {
  dependency_id: string;
  org_id: string;
  state: string;
  since: Timestamp;
  updated_at: Timestamp;
}

export interface StateTransitionsTable {
  id: string;
  org_id: string;
  subject_type: 'slot' | 'monitor' | 'service' | 'edge';
  subject_id: string;
  region: string | null;
  from_state: string;
  to_state: string;
  at: Timestamp;
  cause: Json<Record<string, unknown>> | null;
}

export interface ConfirmationRequestsTable {
  id: string;
  org_id: string;
  monitor_id: string;
  runner_id: string;
  region: string;
  for_region: string;
  reason: string;
  requested_at: Timestamp;
  delivered_at: Timestamp | null;
}

/** A monitor, service, SLO or edge (its dependency's id) an alert rule's expression names (resolved when the rule was written). */
export interface AlertRuleReferencesTable {
  org_id: string;
  rule_id: string;
  subject_type: 'monitor' | 'service' | 'slo' | 'edge';
  subject_id: string;
}

/** What the evaluator knows of a rule without parsing it: its selector's subject kind, and whether time alone moves it. */
export interface AlertRuleTraitsTable {
  org_id: string;
  rule_id: string;
  selector_kind: 'monitor' | 'service' | 'slo' | 'edge' | null;
  time_based: boolean;
}

/** A notification group: one route × group labels, with the route's timings when it formed. */
export interface NotificationGroupsTable {
  id: string;
  org_id: string;
  route_key: string;
  team_id: string | null;
  team_name: string;
  scope: 'team' | 'organization';
  policy_ids: Json<string[]>;
  channel_ids: Json<string[]>;
  group_labels: Json<Record<string, string>>;
  group_wait_ms: number;
  group_interval_ms: number;
  repeat_interval_ms: number;
  mute_time_window_ids: Json<string[]>;
  created_at: Generated<Date>;
  next_flush_at: Date | null;
  last_flush_at: Date | null;
  last_firing_sent_at: Date | null;
}

/** An alert of a notification group, self-contained (its instance may be gone with its rule). */
export interface NotificationGroupAlertsTable {
  group_id: string;
  instance_id: string;
  org_id: string;
  rule_id: string;
  rule_name: string;
  severity: string;
  state: 'firing' | 'resolved';
  labels: Json<Record<string, string>>;
  annotations: Json<Record<string, string>>;
  value: number | null;
  starts_at: Date;
  ends_at: Date | null;
  changed_at: Date;
  notified_firing_at: Date | null;
  notified_resolved_at: Date | null;
  suppressed_at: Date | null;
}

/** The outbox: one row per group flush × channel. */
export interface NotificationsTable {
  id: string;
  seq: Generated<string>;
  org_id: string;
  team_id: string | null;
  group_id: string;
  channel_id: string;
  channel_type: string;
  kind: 'firing' | 'resolved';
  state: 'pending' | 'sending' | 'delivered' | 'dead' | 'suppressed';
  dedup_key: string;
  alert_ids: Json<string[]>;
  message: Json<Record<string, unknown>>;
  muted_by: Json<unknown> | null;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_until: Date | null;
  claim_token: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

/** One delivery attempt of a notification. */
export interface NotificationAttemptsTable {
  id: string;
  notification_id: string;
  org_id: string;
  at: Date;
  duration_ms: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  detail: string | null;
}

/** One alert rule × subject: the instance state machine's fields and what the last evaluation saw. */
export interface AlertInstancesTable {
  id: string;
  org_id: string;
  rule_id: string;
  team_id: string;
  instance_key: string;
  severity: string;
  labels: Json<Record<string, string>>;
  state: 'inactive' | 'pending' | 'firing' | 'resolved';
  since: Timestamp;
  active_since: Timestamp | null;
  pending_since: Timestamp | null;
  firing_since: Timestamp | null;
  resolved_at: Timestamp | null;
  false_since: Timestamp | null;
  no_data_since: Timestamp | null;
  last_eval_at: Timestamp;
  last_outcome: string;
  last_value: Json | null;
  annotations: Json<Record<string, string>>;
  created_at: Generated<Date>;
  /** The one subject the instance is about ('monitor', 'service', 'edge', 'slo'), when it has one. */
  subject_kind: Generated<string | null>;
  subject_id: Generated<string | null>;
}

/** One change of state of an alert instance. */
export interface AlertHistoryTable {
  id: string;
  org_id: string;
  instance_id: string;
  rule_id: string;
  from_state: string;
  to_state: string;
  at: Timestamp;
  reason: string;
  value: Json | null;
}

/** The last evaluation of an alert rule. */
export interface AlertRuleStatusTable {
  rule_id: string;
  org_id: string;
  last_eval_at: Timestamp;
  duration_ms: number;
  error: string | null;
  instances: number;
  /** Why the last evaluation had no data (no_data, unknown_input, warming_up); null when it had data. */
  no_data_reason: string | null;
}

/** The organization's incident settings (correlation window, auto-resolution); absent: the defaults. */
export interface IncidentSettingsTable {
  org_id: string;
  spec: Json<Record<string, unknown>>;
  updated_at: Timestamp;
  version: Generated<number>;
  managed_by: Generated<string>;
}

export type IncidentState = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/** Correlated alerts with a probable root cause. */
export interface IncidentsTable {
  id: string;
  org_id: string;
  /** 1, 2, 3… within the organization. */
  number: number;
  title: string;
  state: IncidentState;
  /** The highest severity of its alerts. */
  severity: string;
  /** The owner: the root cause's team (until one is named: the first alert's team). */
  team_id: string | null;
  root_cause: Json<Record<string, unknown> | null> | null;
  candidates: Json<unknown[]>;
  impacted: Json<unknown[]>;
  evidence: Json<unknown[]>;
  service_ids: ColumnType<string[], string[] | undefined, string[]>;
  team_ids: ColumnType<string[], string[] | undefined, string[]>;
  opened_at: Timestamp;
  first_failure_at: Timestamp;
  last_alert_at: Timestamp;
  identified_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: Json<Record<string, unknown> | null> | null;
  monitoring_since: Timestamp | null;
  resolved_at: Timestamp | null;
  /** Who resolved it; null when it resolved itself. */
  resolved_by: Json<Record<string, unknown> | null> | null;
  auto_resolve: Generated<boolean>;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** An alert of an incident and what was done with its notifications. */
export interface IncidentAlertsTable {
  incident_id: string;
  alert_id: string;
  org_id: string;
  rule_id: string;
  rule_name: string;
  team_id: string;
  severity: string;
  subject_kind: string | null;
  subject_id: string | null;
  labels: Json<Record<string, string>>;
  state: 'firing' | 'resolved';
  firing_since: Timestamp;
  resolved_at: Timestamp | null;
  /** sent: routed as usual; held: recorded, not sent, while the root cause pages; released: sent after the hold ended. */
  notification: 'sent' | 'held' | 'released';
  hold_reason: string | null;
  /** A hold waiting for the root cause's own alert ends at this time (then the alert is released). */
  hold_until: Timestamp | null;
  released_at: Timestamp | null;
}

/** One entry of an incident's timeline. */
export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  org_id: string;
  at: Timestamp;
  kind: string;
  actor: Json<Record<string, unknown> | null> | null;
  payload: Json<Record<string, unknown>>;
}

/** A deploy, config change or feature-flag flip of a service, reported by CI/CD. */
export interface ChangeEventsTable {
  id: string;
  org_id: string;
  team_id: string;
  service_id: string;
  kind: string;
  version: string | null;
  actor: string | null;
  link: string | null;
  description: string | null;
  at: Timestamp;
  created_by: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export const specTables = ['services', 'monitors', 'alert_rules', 'routing_policies', 'channels', 'maintenance_windows', 'slos', 'status_pages'] as const;
export type SpecTableName = (typeof specTables)[number];

/** What a discovery agent last reported (one row per organization and source name). */
export interface DiscoverySourcesTable {
  org_id: string;
  name: string;
  cluster: string | null;
  agent_version: string;
  last_sync_at: Timestamp;
  synced: boolean;
  objects_seen: number;
  monitors_managed: number;
  actions: Json<{ created: number; updated: number; deleted: number; unchanged: number }>;
  errors: Json<Array<{ kind: string; namespace: string; name: string; code: string; message: string }>>;
  reported_by: Json<{ type: string; id: string; name: string }>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** An on-demand load test; spec holds the request (no secret headers) and the plan. */
export interface LoadTestsTable {
  id: string;
  org_id: string;
  team_id: string;
  service_id: string;
  monitor_id: string | null;
  target_key: string;
  state: string;
  spec: Json<Record<string, unknown>>;
  secrets: Json<Record<string, string>> | null;
  verdict: string | null;
  verdict_reasons: ColumnType<string[], string | undefined, string>;
  created_by: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  deadline: Timestamp;
}

/** One region's share of a load test, with its runner's latest cumulative report. */
export interface LoadTestSharesTable {
  load_test_id: string;
  region: string;
  org_id: string;
  runner_id: string;
  state: string;
  requests: number | null;
  seq: Generated<number>;
  report: Json<Record<string, unknown>> | null;
  message: string | null;
  delivered_at: Timestamp | null;
  abort_delivered_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface LoadTestSettingsTable {
  org_id: string;
  spec: Json<Record<string, unknown>>;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface Tables {
  organizations: OrganizationsTable;
  teams: TeamsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  runner_tokens: RunnerTokensTable;
  services: SpecTable;
  monitors: MonitorsTable;
  alert_rules: SpecTable;
  routing_policies: SpecTable;
  channels: SpecTable;
  maintenance_windows: SpecTable;
  slos: SpecTable;
  status_pages: StatusPagesTable;
  silences: SilencesTable;
  alert_rule_references: AlertRuleReferencesTable;
  alert_rule_traits: AlertRuleTraitsTable;
  notification_groups: NotificationGroupsTable;
  notification_group_alerts: NotificationGroupAlertsTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  alert_instances: AlertInstancesTable;
  alert_history: AlertHistoryTable;
  alert_rule_status: AlertRuleStatusTable;
  dependencies: DependenciesTable;
  audit_entries: AuditEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
  runners: RunnersTable;
  slot_assignments: SlotAssignmentsTable;
  assignment_history: AssignmentHistoryTable;
  runner_changes: RunnerChangesTable;
  check_results: CheckResultsTable;
  result_rollups: ResultRollupsTable;
  metric_rollups: MetricRollupsTable;
  slot_states: SlotStatesTable;
  monitor_states: MonitorStatesTable;
  service_states: ServiceStatesTable;
  edge_states: EdgeStatesTable;
  incident_settings: IncidentSettingsTable;
  incidents: IncidentsTable;
  incident_alerts: IncidentAlertsTable;
  incident_timeline: IncidentTimelineTable;
  change_events: ChangeEventsTable;
  state_transitions: StateTransitionsTable;
  confirmation_requests: ConfirmationRequestsTable;
  events: EventsTable;
  event_cursors: EventCursorsTable;
  job_leases: JobLeasesTable;
  load_tests: LoadTestsTable;
  load_test_shares: LoadTestSharesTable;
  load_test_settings: LoadTestSettingsTable;
  discovery_sources: DiscoverySourcesTable;
}

/** A row of any spec table; monitors add their heartbeat token. */
export type SpecRow = Selectable<SpecTable> & { heartbeat_token?: string | null };
export type NewSpecRow = Insertable<SpecTable>;
export type TeamRow = Selectable<TeamsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type RunnerTokenRow = Selectable<RunnerTokensTable>;
export type DependencyRow = Selectable<DependenciesTable>;

/** The ordered event log; seq is bigint (pg returns it as a string). */
export interface EventsTable {
  seq: Generated<string>;
  org_id: string;
  kind: string;
  at: Timestamp;
  payload: Json;
  created_at: Timestamp;
}

/** How far a consumer got in one organization's events. */
export interface EventCursorsTable {
  consumer: string;
  org_id: string;
  position: ColumnType<string, string | number, string | number>;
  updated_at: Timestamp;
}

/** Which process runs a background job until lease_until. */
export interface JobLeasesTable {
  name: string;
  holder: string;
  lease_until: Timestamp;
  acquired_at: Timestamp;
}
