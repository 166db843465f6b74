import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// Every pushed batch updates a minute and an hour rollup row per monitor and its slot state row, in
// place, columns no index covers. With full pages each update writes the new row version to another
// page and a new entry into the primary key; with room left in the page PostgreSQL keeps the new
// version in the same page (a heap-only tuple) and the index untouched. The setting applies to pages
// written from now on (a VACUUM FULL or pg_repack rewrites existing ones).

/** Leaves room in result_rollups' and slot_states' pages for in-place updates. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE result_rollups SET (fillfactor = 70)`.execute(db);
  await sql`ALTER TABLE slot_states SET (fillfactor = 70)`.execute(db);
}

/** Back to full pages. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE result_rollups RESET (fillfactor)`.execute(db);
  await sql`ALTER TABLE slot_states RESET (fillfactor)`.execute(db);
}
