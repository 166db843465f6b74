import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// A runner's renewals are counted. A long poll cut before its answer shortens the runner's lease
// unless the runner polled again since that poll's renewal; the renewal was told apart by
// last_seen_at, which on the embedded database has millisecond resolution, so two renewals in the
// same millisecond looked like one and a reconnect racing the drop could lose its lease. The count
// tells every renewal apart on any database.

/** Adds runners.renewals. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE runners ADD COLUMN renewals bigint NOT NULL DEFAULT 0`.execute(db);
}

/** Drops it (the older code tells renewals apart by last_seen_at again). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE runners DROP COLUMN IF EXISTS renewals`.execute(db);
}
