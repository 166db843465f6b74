import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SilencesTable } from '../../db/tables.ts';
import type { SilenceDoc, SilenceState } from '../routing/muting.ts';

export type SilenceRow = Selectable<SilencesTable>;

export interface SilenceWrite {
  team_id: string | null;
  spec: Record<string, unknown>;
  starts_at: Date;
  ends_at: Date;
  managed_by: string;
}

/** SQL for silences. Every query is scoped by organization. */
export class SilenceRepository {
  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<SilenceRow | undefined> {
    let query = db.selectFrom('silences').selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** A page in id order (limit + 1 rows); `teamIds` undefined means every team; organization silences are always included. */
  async list(db: Db, orgId: string, f: { teamIds: string[] | undefined; teamId?: string | undefined; state?: SilenceState | undefined; at: Date; after?: string | undefined; limit: number }): Promise<SilenceRow[]> {
    let query = db.selectFrom('silences').selectAll().where('org_id', '=', orgId);
    const teamIds = f.teamIds;
    if (teamIds) query = query.where((eb) => (teamIds.length ? eb.or([eb('team_id', 'in', teamIds), eb('team_id', 'is', null)]) : eb('team_id', 'is', null)));
    if (f.teamId) query = query.where('team_id', '=', f.teamId);
    if (f.state === 'pending') query = query.where('starts_at', '>', f.at);
    if (f.state === 'active') query = query.where('starts_at', '<=', f.at).where('ends_at', '>', f.at);
    if (f.state === 'expired') query = query.where('ends_at', '<=', f.at);
    if (f.after) query = query.where('id', '>', f.after);
    return query.orderBy('id').limit(f.limit + 1).execute();
  }

  async insert(db: Db, orgId: string, id: string, w: SilenceWrite, createdBy: { type: string; id: string; name: string }): Promise<SilenceRow> {
    const now = new Date();
    return db
      .insertInto('silences')
      .values({ id, org_id: orgId, team_id: w.team_id, spec: JSON.stringify(w.spec), starts_at: w.starts_at, ends_at: w.ends_at, created_by: JSON.stringify(createdBy), created_at: now, updated_at: now, managed_by: w.managed_by })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Writes a new version; the caller holds the row lock and has checked the expected version. */
  async update(db: Db, orgId: string, id: string, w: SilenceWrite): Promise<SilenceRow> {
    return db
      .updateTable('silences')
      .set((eb) => ({ team_id: w.team_id, spec: JSON.stringify(w.spec), starts_at: w.starts_at, ends_at: w.ends_at, managed_by: w.managed_by, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(db: Db, orgId: string, id: string): Promise<void> {
    await db.deleteFrom('silences').where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  /** The silences of the organization that have not ended at `at` (active or pending), with their team's name, for muting. */
  async unexpiredOfOrg(db: Db, orgId: string, at: Date): Promise<SilenceDoc[]> {
    const rows = await db
      .selectFrom('silences as s')
      .leftJoin('teams as t', (join) => join.onRef('t.id', '=', 's.team_id').onRef('t.org_id', '=', 's.org_id'))
      .select(['s.id', 's.spec', 's.starts_at', 's.ends_at', 't.name as team_name', 's.team_id'])
      .where('s.org_id', '=', orgId)
      .where('s.ends_at', '>', at)
      .orderBy('s.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      team_name: r.team_id === null ? null : (r.team_name ?? r.team_id),
      matchers: ((r.spec as { matchers?: SilenceDoc['matchers'] }).matchers ?? []),
      starts_at: new Date(r.starts_at).toISOString(),
      ends_at: new Date(r.ends_at).toISOString(),
    }));
  }
}
