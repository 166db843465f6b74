import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Status pages: a team-owned spec table like slos, plus the page's slug in its own column. Public
// addresses (/status/{slug}) carry no organization, so the slug is unique across the whole server,
// not per organization. The components (service ids) stay in the spec; a service's delete looks
// them up there.

/** Adds the status_pages table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE status_pages (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text NOT NULL REFERENCES teams(id),
      name text NOT NULL,
      type text,
      service_id text,
      slug text NOT NULL,
      spec jsonb NOT NULL,
      secrets jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db);
  await sql`CREATE INDEX status_pages_org_team_idx ON status_pages (org_id, team_id, id)`.execute(db);
  await sql`CREATE INDEX status_pages_org_id_idx ON status_pages (org_id, id)`.execute(db);
  await sql`CREATE UNIQUE INDEX status_pages_team_name_key ON status_pages (team_id, name)`.execute(db);
  await sql`CREATE UNIQUE INDEX status_pages_slug_key ON status_pages (slug)`.execute(db);
}

/** Drops the status_pages table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS status_pages`.execute(db);
}
