import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared-statements.ts';
import type { NewEvent, StoredEvent } from './event.types.ts';
import { groupBy } from '../../shared/group-by.ts';

// The two-key advisory lock space is apart from the one-key space other locks use
// (pg_advisory_xact_lock(bigint)); this class id names "event appends" in it.
const APPEND_LOCK_CLASS = 1_701_146_707;

/** Where a new consumer starts in an organization's events: the oldest retained, or after the newest. */
export type CursorStart = 'oldest' | 'latest';

/** SQL of the event log, its consumers' cursors and its retention. */
export class EventLogRepository {
  /**
   * Appends events inside the caller's transaction. Each organization's appends take a
   * transaction-scoped advisory lock before their seq is allocated, held until commit: within an
   * organization seq order is then commit order, so a reader that sees seq n committed has every
   * earlier seq of that organization committed too (an identity alone is allocated at insert time,
   * and seq 5 could commit before seq 4 and be read first). Call it as the transaction's last write.
   */
  async append(trx: Db, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Grouped in one pass: a plan that leaves 66,000 slots without a runner appends as many events,
    // and copying each organization's list per event made that append quadratic (41 s).
    const byOrg = groupBy(events, (e) => e.orgId);
    // A stable order of locks when one transaction writes for several organizations: no deadlocks.
    for (const orgId of [...byOrg.keys()].sort()) {
      await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK_CLASS}, hashtext(${orgId}))`.execute(trx);
      // n keeps the caller's order in the seq order.
      const rows = byOrg.get(orgId)!.map((e, n) => ({ n, org_id: e.orgId, kind: e.kind, at: e.at.toISOString(), payload: e.payload }));
      await sql`INSERT INTO events (org_id, kind, at, payload)
                SELECT x.org_id, x.kind, x.at, x.payload
                FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(n integer, org_id text, kind text, at timestamptz, payload jsonb)
                ORDER BY x.n`.execute(trx);
    }
  }

  /** Gives the consumer a cursor in every organization that has none yet. */
  async ensureCursors(db: Db, consumer: string, start: CursorStart): Promise<void> {
    const position = start === 'latest' ? sql`coalesce((SELECT max(e.seq) FROM events e WHERE e.org_id = o.id), 0)` : sql`0`;
    await sql`INSERT INTO event_cursors (consumer, org_id, position)
              SELECT ${consumer}, o.id, ${position} FROM organizations o
              WHERE NOT EXISTS (SELECT 1 FROM event_cursors c WHERE c.consumer = ${consumer} AND c.org_id = o.id)
              ON CONFLICT (consumer, org_id) DO NOTHING`.execute(db);
  }

  /**
   * Locks the cursor of one organization with events past it, skipping cursors another process
   * holds (and those in skipOrgs): two replicas never work on the same organization's events at once.
   */
  async claimCursor(trx: Db, consumer: string, skipOrgs: readonly string[] = []): Promise<{ orgId: string; position: number } | undefined> {
    // Run at every consumer's poll (twice a second each) and nudge: parsed and planned once per connection.
    const { rows } = await sql<{ org_id: string; position: string }>`${prepared}
      SELECT c.org_id, c.position FROM event_cursors c
      WHERE c.consumer = ${consumer} AND c.org_id NOT IN (SELECT jsonb_array_elements_text(${JSON.stringify(skipOrgs)}::jsonb)) AND EXISTS (SELECT 1 FROM events e WHERE e.org_id = c.org_id AND e.seq > c.position)
      ORDER BY c.updated_at
      LIMIT 1 FOR UPDATE OF c SKIP LOCKED`.execute(trx);
    const row = rows[0];
    return row ? { orgId: row.org_id, position: Number(row.position) } : undefined;
  }

  /** The organization's events after `position`, in seq order. */
  async readAfter(trx: Db, orgId: string, position: number, limit: number): Promise<StoredEvent[]> {
    const rows = await trx.selectFrom('events').select(['seq', 'org_id', 'kind', 'at', 'payload']).where('org_id', '=', orgId).where('seq', '>', String(position)).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), orgId: r.org_id, kind: r.kind, at: new Date(r.at), payload: r.payload }) as StoredEvent);
  }

  /** Moves the cursor; call it in the transaction of the consumer's effect. */
  async advance(trx: Db, consumer: string, orgId: string, position: number): Promise<void> {
    await trx.updateTable('event_cursors').set({ position: String(position), updated_at: new Date() }).where('consumer', '=', consumer).where('org_id', '=', orgId).execute();
  }

  /** Current position of a consumer in each organization. */
  async positions(db: Db, consumer: string): Promise<Map<string, number>> {
    const rows = await db.selectFrom('event_cursors').select(['org_id', 'position']).where('consumer', '=', consumer).execute();
    return new Map(rows.map((r) => [r.org_id, Number(r.position)]));
  }

  /** Deletes events created before `before`, in bounded chunks; returns how many. */
  async prune(db: Db, before: Date, chunk = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const { numAffectedRows } = await sql`DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE created_at < ${before.toISOString()} ORDER BY seq LIMIT ${chunk})`.execute(db);
      const n = Number(numAffectedRows ?? 0);
      total += n;
      if (n < chunk) return total;
    }
  }
}
