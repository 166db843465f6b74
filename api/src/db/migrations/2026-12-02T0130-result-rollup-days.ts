import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Day rollups: one row per monitor, region and UTC day, the sum of that day's hour rollups, so an
// SLA over 30 days reads 30 rows per slot instead of 720 (hour rows are written by time, one
// monitor's hours one per page, and reading them grew with the table). A background job derives a
// day once it has closed (result_rollup_days_derived lists the days it derived). An hour rollup of a
// day before today that is written or changed afterwards (a result that arrives late, from a runner
// that spooled through an outage) marks its monitor's day in result_rollup_days_dirty, in the same
// transaction, through a trigger whose WHEN leaves on-time writes alone; the SLA reads hour rows for
// a dirty day until the job derives it again, so the figures never depend on the job being current.
// The BRIN index lets the job read one day's hour rows without a scan of the whole table (rows are
// written in time order; a BRIN entry per 128 pages costs nothing on insert and allows in-place updates).

/** Adds result_rollup_days, its bookkeeping tables, the late-write trigger and a BRIN index on result_rollups.bucket_start. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE result_rollup_days (
      org_id text NOT NULL,
      monitor_id text NOT NULL,
      region text NOT NULL,
      day timestamptz NOT NULL,
      checks integer NOT NULL,
      up integer NOT NULL,
      degraded integer NOT NULL,
      down integer NOT NULL,
      sum_ms double precision NOT NULL,
      max_ms real NOT NULL,
      histogram integer[] NOT NULL,
      PRIMARY KEY (monitor_id, region, day)
    )`.execute(db);
  await sql`CREATE TABLE result_rollup_days_derived (day timestamptz PRIMARY KEY, derived_at timestamptz NOT NULL)`.execute(db);
  await sql`CREATE TABLE result_rollup_days_dirty (monitor_id text NOT NULL, day timestamptz NOT NULL, marked_at timestamptz NOT NULL, PRIMARY KEY (monitor_id, day))`.execute(db);
  // DO UPDATE (not DO NOTHING) so the writer holds the row lock to its commit: the job's delete of the
  // mark waits for it, and the job's next statement then sees the write.
  await sql`
    CREATE FUNCTION pharos_mark_rollup_day_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO result_rollup_days_dirty (monitor_id, day, marked_at)
      VALUES (NEW.monitor_id, date_bin('1 day', NEW.bucket_start, timestamptz '1970-01-01 00:00:00+00'), now())
      ON CONFLICT (monitor_id, day) DO UPDATE SET marked_at = excluded.marked_at;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER result_rollups_late_hour AFTER INSERT OR UPDATE ON result_rollups
    FOR EACH ROW WHEN (NEW.resolution = 'hour' AND NEW.bucket_start < date_bin('1 day', now(), timestamptz '1970-01-01 00:00:00+00'))
    EXECUTE FUNCTION pharos_mark_rollup_day_dirty()`.execute(db);
  await sql`CREATE INDEX result_rollups_bucket_brin ON result_rollups USING brin (bucket_start)`.execute(db);
}

/** Drops the day rollups, their bookkeeping, the trigger and the BRIN index. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS result_rollups_late_hour ON result_rollups`.execute(db);
  await sql`DROP FUNCTION IF EXISTS pharos_mark_rollup_day_dirty()`.execute(db);
  await sql`DROP INDEX IF EXISTS result_rollups_bucket_brin`.execute(db);
  await sql`DROP TABLE IF EXISTS result_rollup_days, result_rollup_days_derived, result_rollup_days_dirty`.execute(db);
}
