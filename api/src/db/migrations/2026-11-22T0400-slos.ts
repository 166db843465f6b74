import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Service level objectives: a team-owned spec table like services or channels (the validated
// document in spec, ownership and the covered service in indexed columns).

/** Adds the slos table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE slos (
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
  await sql`CREATE INDEX slos_org_team_idx ON slos (org_id, team_id, id)`.execute(db);
  await sql`CREATE INDEX slos_org_id_idx ON slos (org_id, id)`.execute(db);
  await sql`CREATE UNIQUE INDEX slos_team_name_key ON slos (team_id, name)`.execute(db);
}

/** Drops the slos table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS slos`.execute(db);
}
