import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// A runner whose token carries a zone label no longer takes general slots unless its token says it
// also serves the general pool; a slot no runner can take is recorded as unknown with a cause.

/** Adds runner_tokens.serves_general_pool and slot_states.cause. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE runner_tokens ADD COLUMN serves_general_pool boolean NOT NULL DEFAULT false`.execute(db);
  await sql`ALTER TABLE slot_states ADD COLUMN cause text`.execute(db);
  // Every rebalance reads the few slots that carry a cause; the index keeps that off the whole table.
  await sql`CREATE INDEX slot_states_cause_idx ON slot_states (org_id) WHERE cause IS NOT NULL`.execute(db);
}

/** Drops both columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS slot_states_cause_idx`.execute(db);
  await sql`ALTER TABLE slot_states DROP COLUMN IF EXISTS cause`.execute(db);
  await sql`ALTER TABLE runner_tokens DROP COLUMN IF EXISTS serves_general_pool`.execute(db);
}
