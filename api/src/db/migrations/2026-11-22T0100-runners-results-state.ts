import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Runners and their slot assignments, check results (partitioned by day), per-minute and per-hour
// rollups with a latency histogram, monitor×region / monitor / service state with transitions,
// confirmation requests, and heartbeat tokens.

async function exec(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Adds the runner, result and state tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(db, [
    `CREATE TABLE runners (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      runner_token_id text NOT NULL REFERENCES runner_tokens(id) ON DELETE CASCADE,
      region text NOT NULL,
      labels jsonb NOT NULL DEFAULT '{}',
      version text NOT NULL,
      hostname text,
      capabilities jsonb NOT NULL DEFAULT '[]',
      registered_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      lease_expires_at timestamptz NOT NULL,
      revision bigint NOT NULL DEFAULT 1,
      acked_revision bigint NOT NULL DEFAULT 0,
      stopped_at timestamptz
    )`,
    `CREATE INDEX runners_live_idx ON runners (org_id, region, lease_expires_at)`,

    `CREATE TABLE slot_assignments (
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      monitor_id text NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
      region text NOT NULL,
      runner_id text NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (monitor_id, region)
    )`,
    `CREATE INDEX slot_assignments_runner_idx ON slot_assignments (runner_id)`,
    `CREATE INDEX slot_assignments_org_region_idx ON slot_assignments (org_id, region)`,

    // Who owned a slot when: ingest accepts a result from the runner that owned the slot at the
    // time the check started, even if the slot moved while the result waited in the runner's buffer.
    `CREATE TABLE assignment_history (
      org_id text NOT NULL,
      monitor_id text NOT NULL,
      region text NOT NULL,
      runner_id text NOT NULL,
      from_at timestamptz NOT NULL,
      to_at timestamptz
    )`,
    `CREATE INDEX assignment_history_slot_idx ON assignment_history (monitor_id, region, runner_id, from_at)`,

    // Per-runner change log behind incremental polls.
    `CREATE TABLE runner_changes (
      runner_id text NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
      revision bigint NOT NULL,
      monitor_id text NOT NULL,
      change text NOT NULL CHECK (change IN ('upsert', 'remove')),
      PRIMARY KEY (runner_id, revision, monitor_id)
    )`,

    `CREATE TABLE check_results (
      id text NOT NULL,
      org_id text NOT NULL,
      monitor_id text NOT NULL,
      region text NOT NULL,
      runner_id text,
      started_at timestamptz NOT NULL,
      status text NOT NULL,
      duration_ms real NOT NULL,
      status_code integer,
      error_code text,
      trace_id text,
      confirmation boolean NOT NULL DEFAULT false,
      detail jsonb,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (started_at, id)
    ) PARTITION BY RANGE (started_at)`,
    `CREATE INDEX check_results_slot_idx ON check_results (monitor_id, region, started_at DESC)`,

    `CREATE TABLE result_rollups (
      org_id text NOT NULL,
      monitor_id text NOT NULL,
      region text NOT NULL,
      resolution text NOT NULL CHECK (resolution IN ('minute', 'hour')),
      bucket_start timestamptz NOT NULL,
      checks integer NOT NULL,
      up integer NOT NULL,
      degraded integer NOT NULL,
      down integer NOT NULL,
      sum_ms double precision NOT NULL,
      max_ms real NOT NULL,
      histogram integer[] NOT NULL,
      PRIMARY KEY (monitor_id, region, resolution, bucket_start)
    )`,
    // Element-wise sum of two histograms, used by the rollup upsert.
    `CREATE FUNCTION pharos_add_histograms(a integer[], b integer[]) RETURNS integer[]
      LANGUAGE sql IMMUTABLE AS $$
        SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
      $$`,

    `CREATE TABLE slot_states (
      org_id text NOT NULL,
      monitor_id text NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
      region text NOT NULL,
      state text NOT NULL,
      since timestamptz NOT NULL,
      failures integer NOT NULL DEFAULT 0,
      degraded integer NOT NULL DEFAULT 0,
      successes integer NOT NULL DEFAULT 0,
      last_result_id text,
      last_result_at timestamptz,
      last_error text,
      PRIMARY KEY (monitor_id, region)
    )`,
    `CREATE TABLE monitor_states (
      monitor_id text PRIMARY KEY REFERENCES monitors(id) ON DELETE CASCADE,
      org_id text NOT NULL,
      state text NOT NULL,
      since timestamptz NOT NULL,
      regions_down integer NOT NULL DEFAULT 0,
      regions_total integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE service_states (
      service_id text PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,
      org_id text NOT NULL,
      state text NOT NULL,
      since timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE state_transitions (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      subject_type text NOT NULL CHECK (subject_type IN ('slot', 'monitor', 'service')),
      subject_id text NOT NULL,
      region text,
      from_state text NOT NULL,
      to_state text NOT NULL,
      at timestamptz NOT NULL,
      cause jsonb
    )`,
    `CREATE INDEX state_transitions_subject_idx ON state_transitions (subject_type, subject_id, at)`,
    `CREATE INDEX state_transitions_org_idx ON state_transitions (org_id, at)`,

    `CREATE TABLE confirmation_requests (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      monitor_id text NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
      runner_id text NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
      region text NOT NULL,
      for_region text NOT NULL,
      reason text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`,
    `CREATE INDEX confirmation_requests_runner_idx ON confirmation_requests (runner_id, delivered_at)`,

    `ALTER TABLE monitors ADD COLUMN heartbeat_token text`,
    `CREATE UNIQUE INDEX monitors_heartbeat_token_key ON monitors (heartbeat_token)`,
  ]);
}

/** Drops what up() created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, [
    `ALTER TABLE monitors DROP COLUMN heartbeat_token`,
    `DROP TABLE IF EXISTS confirmation_requests, state_transitions, service_states, monitor_states, slot_states, result_rollups, check_results, runner_changes, assignment_history, slot_assignments, runners CASCADE`,
    `DROP FUNCTION IF EXISTS pharos_add_histograms(integer[], integer[])`,
  ]);
}
