import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// omitted_fields names the response fields that were secrets shown once and are therefore not stored.

/** Adds omitted_fields to idempotency_keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys ADD COLUMN omitted_fields jsonb`.execute(db);
}

/** Drops the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS omitted_fields`.execute(db);
}
