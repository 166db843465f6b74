import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code. Every table carries org_id and
// every query the application makes is scoped by it.

/** Runs statements one by one: the embedded database accepts one statement per query. */
async function exec(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Creates the configuration domain: tenancy, access, catalog, monitors, alerting configuration, audit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(db, [
    `CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE teams (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      description text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (org_id, name)
    )`,
    `CREATE TABLE users (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      subject text NOT NULL,
      email text,
      display_name text,
      org_admin boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz,
      UNIQUE (subject)
    )`,
    `CREATE TABLE memberships (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('team_admin', 'team_editor', 'viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (team_id, user_id)
    )`,
    `CREATE TABLE api_tokens (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text REFERENCES teams(id) ON DELETE CASCADE,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('org_admin', 'team_admin', 'team_editor', 'viewer')),
      token_hash text NOT NULL UNIQUE,
      token_hint text NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      CHECK ((role = 'org_admin') = (team_id IS NULL))
    )`,
    `CREATE TABLE runner_tokens (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      region text NOT NULL,
      labels jsonb NOT NULL DEFAULT '{}',
      token_hash text NOT NULL UNIQUE,
      token_hint text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`,
  ]);

  // Team-owned configuration resources share one shape: indexed columns for ownership, naming and
  // filtering, and the validated client document in spec. Secrets (channels) live apart in secrets
  // so that no read path can return them by accident.
  for (const table of ['services', 'monitors', 'alert_rules', 'routing_policies', 'channels', 'maintenance_windows']) {
    await sql`
      CREATE TABLE ${sql.table(table)} (
        id text PRIMARY KEY,
        org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        team_id text NOT NULL REFERENCES teams(id),
        name text NOT NULL,
        type text,
        service_id text,
        spec jsonb NOT NULL,
        secrets jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )
    `.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_org_team_idx`)} ON ${sql.table(table)} (org_id, team_id, id)`.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_org_id_idx`)} ON ${sql.table(table)} (org_id, id)`.execute(db);
  }
  await exec(db, [
    `CREATE UNIQUE INDEX services_org_name_key ON services (org_id, name)`,
    `ALTER TABLE monitors ADD CONSTRAINT monitors_service_fk FOREIGN KEY (service_id) REFERENCES services(id)`,
    `CREATE UNIQUE INDEX monitors_service_name_key ON monitors (service_id, name)`,
    `CREATE INDEX monitors_org_service_idx ON monitors (org_id, service_id, id)`,
    `CREATE UNIQUE INDEX alert_rules_team_name_key ON alert_rules (team_id, name)`,
    `CREATE UNIQUE INDEX routing_policies_team_name_key ON routing_policies (team_id, name)`,
    `CREATE UNIQUE INDEX channels_team_name_key ON channels (team_id, name)`,
    `CREATE UNIQUE INDEX maintenance_windows_team_name_key ON maintenance_windows (team_id, name)`,
    `CREATE TABLE dependencies (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text NOT NULL REFERENCES teams(id),
      service_id text NOT NULL REFERENCES services(id) ON DELETE CASCADE,
      depends_on_service_id text NOT NULL REFERENCES services(id) ON DELETE CASCADE,
      description text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CHECK (service_id <> depends_on_service_id),
      UNIQUE (service_id, depends_on_service_id)
    )`,
    `CREATE INDEX dependencies_org_idx ON dependencies (org_id, id)`,
    `CREATE TABLE audit_entries (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      actor_type text NOT NULL,
      actor_id text NOT NULL,
      actor_name text NOT NULL,
      action text NOT NULL,
      resource_type text NOT NULL,
      resource_id text NOT NULL,
      team_id text,
      request_id text,
      before jsonb,
      after jsonb
    )`,
    `CREATE INDEX audit_entries_org_idx ON audit_entries (org_id, id)`,
    `CREATE TABLE idempotency_keys (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      principal_id text NOT NULL,
      key text NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      request_hash text NOT NULL,
      status integer,
      response jsonb,
      headers jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, principal_id, key)
    )`,
  ]);
}

/** Drops everything the migration created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS idempotency_keys, audit_entries, dependencies, maintenance_windows, channels,
      routing_policies, alert_rules, monitors, services, runner_tokens, api_tokens, memberships, users,
      teams, organizations CASCADE
  `.execute(db);
}
