import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Hour rollups are built from minute rollups by a background job instead of being upserted by every
// result batch (which wrote an hour row per monitor and region of the batch: as many row writes as
// the minute rollups). result_rollup_hours_built holds one row, the watermark: every hour before
// built_through has its hour rows; from built_through on, the minute rows are the only aggregates.
// A write of a result older than the watermark (a late or spooled one) adds into its hour row too;
// the job locks result_rollups in EXCLUSIVE mode before reading minute rows, so it never builds an
// hour while a write into it is in flight. The view result_rollup_hours is
// what readers of hour figures read: hour rows before the watermark, minute rows from it on, each
// minute row placed in its hour, so a figure is the same whether or not the job has run.
// The watermark starts at the current hour: ingest wrote every earlier hour row itself.

/** Adds the hour-rollup watermark and the result_rollup_hours view. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE result_rollup_hours_built (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      built_through timestamptz NOT NULL
    )`.execute(db);
  await sql`INSERT INTO result_rollup_hours_built (built_through) VALUES (date_bin('1 hour', now(), timestamptz '1970-01-01 00:00:00+00'))`.execute(db);
  await sql`
    CREATE VIEW result_rollup_hours AS
      SELECT r.org_id, r.monitor_id, r.region, r.bucket_start, r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
      FROM result_rollups r
      WHERE r.resolution = 'hour' AND r.bucket_start < (SELECT w.built_through FROM result_rollup_hours_built w)
      UNION ALL
      SELECT r.org_id, r.monitor_id, r.region, date_bin('1 hour', r.bucket_start, timestamptz '1970-01-01 00:00:00+00'), r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
      FROM result_rollups r
      WHERE r.resolution = 'minute' AND r.bucket_start >= (SELECT w.built_through FROM result_rollup_hours_built w)`.execute(db);
}

/** Drops the view and the watermark (ingest must then write hour rows per batch again). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP VIEW IF EXISTS result_rollup_hours`.execute(db);
  await sql`DROP TABLE IF EXISTS result_rollup_hours_built`.execute(db);
}
