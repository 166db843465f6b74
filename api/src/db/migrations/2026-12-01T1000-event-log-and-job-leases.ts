import { sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code.
// events: the ordered log of what happened (state transitions now; alert, incident and notification
// changes later). seq is allocated under a transaction-scoped advisory lock per organization (see
// event-log.repository.ts), so within an organization seq order is commit order and a reader that
// has seen seq n has seen every earlier event of that organization.
// event_cursors: how far each consumer got, per organization; advanced in the consumer's own
// transaction together with its effect.
// job_leases: which process runs a background job now; claimed with a conditional upsert.

/** Creates events, event_cursors and job_leases. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id text NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX events_org_seq_idx ON events (org_id, seq)`.execute(db);
  await sql`CREATE INDEX events_created_idx ON events (created_at)`.execute(db);
  await sql`CREATE TABLE event_cursors (
    consumer text NOT NULL,
    org_id text NOT NULL,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, org_id)
  )`.execute(db);
  await sql`CREATE TABLE job_leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    lease_until timestamptz NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

/** Drops the three tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS job_leases, event_cursors, events`.execute(db);
}
