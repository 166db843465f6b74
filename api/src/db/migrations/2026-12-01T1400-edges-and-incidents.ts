import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Dependency edges become monitored things, and incidents join alerts (docs/incidents.md):
// - monitors.dependency_id: the edge a monitor checks ("can A reach B, from A's zone"); an edge
//   with monitors that name it is not deleted under them (the API answers 409 naming them);
// - edge_states: an edge's current state from its monitors (as service_states is a service's);
//   state_transitions and its event accept subject_type 'edge';
// - alert_instances.subject_kind / subject_id: the one subject an instance is about (a selector's
//   binding, or the one subject a rule names), so the correlator places it in the graph by id;
// - incidents: correlated alerts with a probable root cause; service_ids / team_ids (arrays with
//   GIN indexes) list every service and team involved, for list filters and team scoping;
// - incident_alerts: the alerts of an incident, self-contained, with what was done with their
//   notifications (sent, held back while the root cause pages, released);
// - incident_timeline: every change of an incident, in order (alerts, root cause, state,
//   acknowledgements, notes, notifications sent and held);
// - change_events: deploys, config changes and feature-flag flips reported by CI/CD;
// - incident_settings: the organization's correlation window and auto-resolution.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE monitors ADD COLUMN dependency_id text REFERENCES dependencies(id)`.execute(db);
  await sql`CREATE INDEX monitors_dependency_idx ON monitors (dependency_id) WHERE dependency_id IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE edge_states (
      dependency_id text PRIMARY KEY REFERENCES dependencies(id) ON DELETE CASCADE,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      state text NOT NULL,
      since timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`ALTER TABLE state_transitions DROP CONSTRAINT IF EXISTS state_transitions_subject_type_check`.execute(db);
  await sql`ALTER TABLE state_transitions ADD CONSTRAINT state_transitions_subject_type_check CHECK (subject_type IN ('slot', 'monitor', 'service', 'edge'))`.execute(db);

  await sql`ALTER TABLE alert_instances ADD COLUMN subject_kind text, ADD COLUMN subject_id text`.execute(db);

  await sql`
    CREATE TABLE incident_settings (
      org_id text PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      spec jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db);
  await sql`
    CREATE TABLE incidents (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      number integer NOT NULL,
      title text NOT NULL,
      state text NOT NULL CHECK (state IN ('investigating', 'identified', 'monitoring', 'resolved')),
      severity text NOT NULL,
      team_id text REFERENCES teams(id) ON DELETE SET NULL,
      root_cause jsonb,
      candidates jsonb NOT NULL DEFAULT '[]',
      impacted jsonb NOT NULL DEFAULT '[]',
      evidence jsonb NOT NULL DEFAULT '[]',
      service_ids text[] NOT NULL DEFAULT '{}',
      team_ids text[] NOT NULL DEFAULT '{}',
      opened_at timestamptz NOT NULL,
      first_failure_at timestamptz NOT NULL,
      last_alert_at timestamptz NOT NULL,
      identified_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by jsonb,
      monitoring_since timestamptz,
      resolved_at timestamptz,
      resolved_by jsonb,
      auto_resolve boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (org_id, number)
    )
  `.execute(db);
  await sql`CREATE INDEX incidents_org_opened_idx ON incidents (org_id, opened_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX incidents_open_idx ON incidents (org_id, state) WHERE state <> 'resolved'`.execute(db);
  await sql`CREATE INDEX incidents_services_idx ON incidents USING gin (service_ids)`.execute(db);
  await sql`CREATE INDEX incidents_teams_idx ON incidents USING gin (team_ids)`.execute(db);
  await sql`
    CREATE TABLE incident_alerts (
      incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
      alert_id text NOT NULL,
      org_id text NOT NULL,
      rule_id text NOT NULL,
      rule_name text NOT NULL,
      team_id text NOT NULL,
      severity text NOT NULL,
      subject_kind text,
      subject_id text,
      labels jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('firing', 'resolved')),
      firing_since timestamptz NOT NULL,
      resolved_at timestamptz,
      notification text NOT NULL CHECK (notification IN ('sent', 'held', 'released')),
      hold_reason text,
      hold_until timestamptz,
      released_at timestamptz,
      PRIMARY KEY (incident_id, alert_id)
    )
  `.execute(db);
  await sql`CREATE INDEX incident_alerts_alert_idx ON incident_alerts (org_id, alert_id)`.execute(db);
  await sql`CREATE INDEX incident_alerts_hold_idx ON incident_alerts (hold_until) WHERE notification = 'held' AND hold_until IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE incident_timeline (
      id text PRIMARY KEY,
      incident_id text NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
      org_id text NOT NULL,
      at timestamptz NOT NULL,
      kind text NOT NULL,
      actor jsonb,
      payload jsonb NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, at, id)`.execute(db);
  await sql`
    CREATE TABLE change_events (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text NOT NULL REFERENCES teams(id),
      service_id text NOT NULL REFERENCES services(id) ON DELETE CASCADE,
      kind text NOT NULL,
      version text,
      actor text,
      link text,
      description text,
      at timestamptz NOT NULL,
      created_by jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX change_events_service_idx ON change_events (org_id, service_id, at DESC)`.execute(db);
  await sql`CREATE INDEX change_events_org_idx ON change_events (org_id, at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS change_events, incident_timeline, incident_alerts, incidents, incident_settings, edge_states`.execute(db);
  await sql`ALTER TABLE alert_instances DROP COLUMN IF EXISTS subject_kind, DROP COLUMN IF EXISTS subject_id`.execute(db);
  await sql`DELETE FROM state_transitions WHERE subject_type = 'edge'`.execute(db);
  await sql`ALTER TABLE state_transitions DROP CONSTRAINT IF EXISTS state_transitions_subject_type_check`.execute(db);
  await sql`ALTER TABLE state_transitions ADD CONSTRAINT state_transitions_subject_type_check CHECK (subject_type IN ('slot', 'monitor', 'service'))`.execute(db);
  await sql`DROP INDEX IF EXISTS monitors_dependency_idx`.execute(db);
  await sql`ALTER TABLE monitors DROP COLUMN IF EXISTS dependency_id`.execute(db);
}
