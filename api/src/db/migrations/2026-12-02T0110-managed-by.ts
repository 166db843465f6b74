import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Every configuration object records who manages it: "terraform" (the provider names itself on every
// write), "discovery" (the Kubernetes discovery agent) or "api" (anyone else, and every object written
// before this migration). The discovery agent changes only objects it manages, so a Terraform-managed
// object is never fought over. discovery_sources holds what each discovery agent last reported.

const managedTables = [
  'teams',
  'memberships',
  'services',
  'dependencies',
  'monitors',
  'alert_rules',
  'routing_policies',
  'channels',
  'silences',
  'maintenance_windows',
  'slos',
  'status_pages',
  'incident_settings',
  'runner_tokens',
] as const;

/** Adds managed_by to every configuration table, the list indexes of its filter, and discovery_sources. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of managedTables) {
    await sql`
      ALTER TABLE ${sql.table(table)}
        ADD COLUMN managed_by text NOT NULL DEFAULT 'api'
        CONSTRAINT ${sql.ref(`${table}_managed_by_check`)} CHECK (managed_by IN ('terraform', 'discovery', 'api'))
    `.execute(db);
  }
  // GET /v1/monitors?managed_by= and /v1/services?managed_by= page in id order within an organization.
  await sql`CREATE INDEX monitors_org_managed_by_idx ON monitors (org_id, managed_by, id)`.execute(db);
  await sql`CREATE INDEX services_org_managed_by_idx ON services (org_id, managed_by, id)`.execute(db);
  await sql`
    CREATE TABLE discovery_sources (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      cluster text,
      agent_version text NOT NULL,
      last_sync_at timestamptz NOT NULL,
      synced boolean NOT NULL,
      objects_seen integer NOT NULL,
      monitors_managed integer NOT NULL,
      actions jsonb NOT NULL,
      errors jsonb NOT NULL,
      reported_by jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (org_id, name)
    )
  `.execute(db);
}

/** Drops discovery_sources and the managed_by columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS discovery_sources`.execute(db);
  await sql`DROP INDEX IF EXISTS monitors_org_managed_by_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS services_org_managed_by_idx`.execute(db);
  for (const table of managedTables) await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN IF EXISTS managed_by`.execute(db);
}
