import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Organization routing policies (the fallback tree, managed by org admins) have no team: team_id
// becomes nullable for routing_policies only, and their names are unique within the organization
// among organization policies (team policies keep their per-team unique index).
// silences: matchers and a time span that mute notifications, owned by a team or (team_id null) by
// the organization. starts_at/ends_at are columns so lists filter by state; created_by records the
// principal that created the silence.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE routing_policies ALTER COLUMN team_id DROP NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX routing_policies_org_level_name_key ON routing_policies (org_id, name) WHERE team_id IS NULL`.execute(db);
  await sql`
    CREATE TABLE silences (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text REFERENCES teams(id),
      spec jsonb NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      created_by jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CHECK (ends_at > starts_at)
    )
  `.execute(db);
  await sql`CREATE INDEX silences_org_id_idx ON silences (org_id, id)`.execute(db);
  await sql`CREATE INDEX silences_org_ends_idx ON silences (org_id, ends_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS silences`.execute(db);
  await sql`DROP INDEX IF EXISTS routing_policies_org_level_name_key`.execute(db);
  await sql`DELETE FROM routing_policies WHERE team_id IS NULL`.execute(db);
  await sql`ALTER TABLE routing_policies ALTER COLUMN team_id SET NOT NULL`.execute(db);
}
