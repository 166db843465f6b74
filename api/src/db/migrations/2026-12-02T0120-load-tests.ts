import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// On-demand load tests. A test is one row (its request without secret headers in spec, the secret
// headers apart in secrets, as monitors keep theirs); each region's share is one row naming the
// runner it was handed to and holding that runner's latest cumulative report (highest seq wins).
// One queued/running test per target is a partial unique index, so two replicas cannot both start
// one. Settings: one row per organization, absent until an org admin writes them.

/** Adds load_tests, load_test_shares and load_test_settings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE load_tests (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      team_id text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      service_id text NOT NULL REFERENCES services(id) ON DELETE CASCADE,
      monitor_id text REFERENCES monitors(id) ON DELETE SET NULL,
      target_key text NOT NULL,
      state text NOT NULL,
      spec jsonb NOT NULL,
      secrets jsonb,
      verdict text,
      verdict_reasons jsonb NOT NULL DEFAULT '[]',
      created_by jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      deadline timestamptz NOT NULL
    )
  `.execute(db);
  await sql`CREATE UNIQUE INDEX load_tests_one_running_key ON load_tests (org_id, target_key) WHERE state IN ('queued', 'running')`.execute(db);
  await sql`CREATE INDEX load_tests_org_id_idx ON load_tests (org_id, id)`.execute(db);
  await sql`CREATE INDEX load_tests_active_idx ON load_tests (deadline) WHERE state IN ('queued', 'running')`.execute(db);
  await sql`
    CREATE TABLE load_test_shares (
      load_test_id text NOT NULL REFERENCES load_tests(id) ON DELETE CASCADE,
      region text NOT NULL,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      runner_id text NOT NULL,
      state text NOT NULL,
      requests integer,
      seq integer NOT NULL DEFAULT -1,
      report jsonb,
      message text,
      delivered_at timestamptz,
      abort_delivered_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (load_test_id, region)
    )
  `.execute(db);
  await sql`CREATE INDEX load_test_shares_runner_idx ON load_test_shares (runner_id, state)`.execute(db);
  await sql`
    CREATE TABLE load_test_settings (
      org_id text PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      spec jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db);
}

/** Drops the load-test tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS load_test_shares, load_tests, load_test_settings`.execute(db);
}
