import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// The hour-rollup job no longer holds result_rollups in EXCLUSIVE mode while it sums an hour (41-50 s
// at 100,000 monitors, with every result push waiting). It holds the lock only to wait out the writes
// in flight and take a snapshot, moves the writers' watermark (writers_through) past the hour, and
// sums the hour's minute rows in that snapshot with the lock released; late writes into the hour that
// come after add into its hour rows themselves, and the job adds its sums to theirs. Readers go on
// reading built_through: it moves past the hour only once the hour's rows are whole. The two are
// equal except while an hour is being built, or after a build was cut short (the job then builds
// that hour again).

/** Adds the writers' watermark. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE result_rollup_hours_built ADD COLUMN writers_through timestamptz`.execute(db);
  await sql`UPDATE result_rollup_hours_built SET writers_through = built_through`.execute(db);
  await sql`ALTER TABLE result_rollup_hours_built ALTER COLUMN writers_through SET NOT NULL`.execute(db);
}

/** Drops it (an hour being built when this runs is rebuilt by the older job under its lock). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE result_rollup_hours_built DROP COLUMN IF EXISTS writers_through`.execute(db);
}
