import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Per-minute rollups of health-endpoint metrics (numbers an http monitor reads from its response
// body): one row per monitor × region × metric × minute with min, max, sum and count (avg =
// sum / count) and the latest value with its time. Raw values stay in check_results.detail with
// the result they came with, and expire with its partition.

/** Adds metric_rollups. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE metric_rollups (
    org_id text NOT NULL,
    monitor_id text NOT NULL,
    region text NOT NULL,
    metric text NOT NULL,
    bucket_start timestamptz NOT NULL,
    min double precision NOT NULL,
    max double precision NOT NULL,
    sum double precision NOT NULL,
    count integer NOT NULL,
    last_value double precision NOT NULL,
    last_at timestamptz NOT NULL,
    PRIMARY KEY (monitor_id, metric, bucket_start, region)
  )`.execute(db);
  // Retention deletes by time across every monitor.
  await sql`CREATE INDEX metric_rollups_bucket_idx ON metric_rollups (bucket_start)`.execute(db);
}

/** Drops metric_rollups. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS metric_rollups`.execute(db);
}
