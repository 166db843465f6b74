import type { Db } from '../../db/database.ts';

/** SQL for service projections other modules need (the documents themselves go through the spec repository). */
export class ServiceRepository {
  /** A service's id, name and owning team, if it is in the organization. */
  async summary(db: Db, orgId: string, id: string): Promise<{ id: string; name: string; team_id: string } | undefined> {
    return db.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** Names of these services of the organization, by id. */
  async names(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('services').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((s) => [s.id, s.name]));
  }
}
