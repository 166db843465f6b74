import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { StoredEvent } from '../events/event.types.ts';
import { liveKinds } from './live-event.rules.ts';

/** Subjects whose owning teams the stream looks up. */
export type OwnedKind = 'monitor' | 'service' | 'edge' | 'incident';

/** SQL of the live stream: the events it sends, where a stream may resume, and who owns a subject. */
export class LiveRepository {
  /** The organization's events the stream sends (no slot transitions, no other kinds) after `after`, in seq order. */
  async readAfter(db: Db, orgId: string, after: number, limit: number): Promise<StoredEvent[]> {
    const rows = await db
      .selectFrom('events')
      .select(['seq', 'org_id', 'kind', 'at', 'payload'])
      .where('org_id', '=', orgId)
      .where('seq', '>', String(after))
      .where('kind', 'in', [...liveKinds])
      .where(sql<boolean>`coalesce(payload->>'subject_type', '') <> 'slot'`)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), orgId: r.org_id, kind: r.kind, at: new Date(r.at), payload: r.payload }) as StoredEvent);
  }

  /** The newest seq of the organization's events (0 when it has none): where a new stream starts. */
  async latestSeq(db: Db, orgId: string): Promise<number> {
    const row = await db.selectFrom('events').select(({ fn }) => fn.max('seq').as('seq')).where('org_id', '=', orgId).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /**
   * What resuming after `after` would take: whether the event at `after` is still kept (when it
   * was pruned, so may be what followed it) and how many events to send, counted up to `cap`.
   */
  async resumeFrom(db: Db, orgId: string, after: number, cap: number): Promise<{ kept: boolean; missed: number }> {
    const kept = await db.selectFrom('events').select('seq').where('org_id', '=', orgId).where('seq', '=', String(after)).executeTakeFirst();
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM (
        SELECT 1 FROM events WHERE org_id = ${orgId} AND seq > ${after} AND kind IN (${sql.join([...liveKinds])})
          AND coalesce(payload->>'subject_type', '') <> 'slot'
        LIMIT ${cap}) x`.execute(db);
    return { kept: kept !== undefined, missed: Number(rows[0]?.n ?? 0) };
  }

  /** The teams owning each of the given subjects (monitors: their team; services: their team; edges: the team of the dependent service; incidents: every team involved). */
  async owners(db: Db, orgId: string, kind: OwnedKind, ids: readonly string[]): Promise<Map<string, string[]>> {
    if (ids.length === 0) return new Map();
    const list = [...ids];
    if (kind === 'monitor' || kind === 'service') {
      const rows = await db.selectFrom(kind === 'monitor' ? 'monitors' : 'services').select(['id', 'team_id']).where('org_id', '=', orgId).where('id', 'in', list).execute();
      return new Map(rows.map((r) => [r.id, [r.team_id]]));
    }
    if (kind === 'edge') {
      const rows = await db.selectFrom('dependencies as d').innerJoin('services as s', 's.id', 'd.service_id').select(['d.id', 's.team_id']).where('d.org_id', '=', orgId).where('d.id', 'in', list).execute();
      return new Map(rows.map((r) => [r.id, [r.team_id]]));
    }
    const rows = await db.selectFrom('incidents').select(['id', 'team_id', 'team_ids']).where('org_id', '=', orgId).where('id', 'in', list).execute();
    return new Map(rows.map((r) => [r.id, r.team_id !== null ? [...new Set([...r.team_ids, r.team_id])] : r.team_ids]));
  }
}
