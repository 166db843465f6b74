import type { Db } from '../../db/database.ts';
import type { TeamRow } from '../../db/tables.ts';

/** SQL for teams and memberships, scoped by organization. */
export class TeamRepository {
  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<TeamRow | undefined> {
    let query = db.selectFrom('teams').selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async getByName(db: Db, orgId: string, name: string): Promise<TeamRow | undefined> {
    return db.selectFrom('teams').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
  }

  async list(db: Db, orgId: string, teamIds: string[] | undefined, after: string | undefined, limit: number, name?: string): Promise<TeamRow[]> {
    if (teamIds && teamIds.length === 0) return [];
    let query = db.selectFrom('teams').selectAll().where('org_id', '=', orgId);
    if (teamIds) query = query.where('id', 'in', teamIds);
    if (name) query = query.where('name', '=', name);
    if (after) query = query.where('id', '>', after);
    return query.orderBy('id').limit(limit + 1).execute();
  }

  async insert(db: Db, row: { id: string; org_id: string; name: string; description: string | null; managed_by: string }): Promise<TeamRow> {
    const now = new Date();
    return db.insertInto('teams').values({ ...row, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
  }

  async update(db: Db, orgId: string, id: string, values: { name: string; description: string | null; managed_by: string }): Promise<TeamRow> {
    return db
      .updateTable('teams')
      .set((eb) => ({ ...values, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Names of the resource kinds a team still owns, with counts; empty when the team can go. */
  async ownedResources(db: Db, orgId: string, id: string): Promise<string[]> {
    const tables = ['services', 'alert_rules', 'routing_policies', 'channels', 'maintenance_windows', 'slos', 'status_pages', 'silences'] as const;
    const owned: string[] = [];
    for (const table of tables) {
      const { n } = await db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', orgId).where('team_id', '=', id).executeTakeFirstOrThrow();
      if (Number(n) > 0) owned.push(`${n} ${table.replaceAll('_', ' ')}`);
    }
    return owned;
  }

  async delete(db: Db, orgId: string, id: string): Promise<void> {
    await db.deleteFrom('teams').where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
