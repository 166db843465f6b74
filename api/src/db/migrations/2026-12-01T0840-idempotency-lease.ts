import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// An Idempotency-Key claim holds a lease instead of living until the key expires: a claim whose
// process died mid-request can be taken over once its lease has passed. omitted_fields names the
// response fields that were secrets shown once and are therefore not stored.

/** Adds lease_until and omitted_fields to idempotency_keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys ADD COLUMN lease_until timestamptz, ADD COLUMN omitted_fields jsonb`.execute(db);
  // Claims left by a process that died before this migration get the lease they would have had.
  await sql`UPDATE idempotency_keys SET lease_until = created_at + interval '60 seconds' WHERE status IS NULL`.execute(db);
}

/** Drops the two columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS lease_until, DROP COLUMN IF EXISTS omitted_fields`.execute(db);
}
