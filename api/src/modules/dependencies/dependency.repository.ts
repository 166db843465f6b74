import type { Db } from '../../db/database.ts';
import type { DependencyRow } from '../../db/tables.ts';

/** A dependency edge of a service, with the service at its other end and that service's team. */
export interface EdgeOfService {
  row: DependencyRow;
  /** `out`: the service depends on the other one; `in`: the other one depends on the service. */
  direction: 'in' | 'out';
  other: { id: string; name: string; team_id: string; team_name: string };
}

/** SQL for dependency edges. Every query is scoped by organization. */
export class DependencyRepository {
  /** Every edge from or to the service (outgoing first, each in id order). */
  async edgesOfService(db: Db, orgId: string, serviceId: string): Promise<EdgeOfService[]> {
    const side = async (direction: 'in' | 'out') => {
      const [own, other] = direction === 'out' ? (['d.service_id', 'd.depends_on_service_id'] as const) : (['d.depends_on_service_id', 'd.service_id'] as const);
      const rows = await db
        .selectFrom('dependencies as d')
        .innerJoin('services as s', 's.id', other)
        .innerJoin('teams as t', 't.id', 's.team_id')
        .selectAll('d')
        .select(['s.id as other_id', 's.name as other_name', 's.team_id as other_team_id', 't.name as other_team_name'])
        .where('d.org_id', '=', orgId)
        .where(own, '=', serviceId)
        .orderBy('d.id')
        .execute();
      return rows.map(({ other_id, other_name, other_team_id, other_team_name, ...row }): EdgeOfService => ({
        row,
        direction,
        other: { id: other_id, name: other_name, team_id: other_team_id, team_name: other_team_name },
      }));
    };
    return [...(await side('out')), ...(await side('in'))];
  }

  /** An edge of the organization by id with the names of its two services. */
  async named(db: Db, orgId: string, id: string): Promise<(DependencyRow & { service_name: string; depends_on_name: string }) | undefined> {
    return db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', 's.id', 'd.service_id')
      .innerJoin('services as t', 't.id', 'd.depends_on_service_id')
      .selectAll('d')
      .select(['s.name as service_name', 't.name as depends_on_name'])
      .where('d.org_id', '=', orgId)
      .where('d.id', '=', id)
      .executeTakeFirst();
  }

  /** The edge from one service to another, if there is one. */
  async find(db: Db, orgId: string, serviceId: string, dependsOnServiceId: string): Promise<{ id: string } | undefined> {
    return db.selectFrom('dependencies').select('id').where('org_id', '=', orgId).where('service_id', '=', serviceId).where('depends_on_service_id', '=', dependsOnServiceId).executeTakeFirst();
  }

  /** The edge `id` of a service, optionally locked for update. */
  async get(db: Db, orgId: string, serviceId: string, id: string, forUpdate = false): Promise<DependencyRow | undefined> {
    let query = db.selectFrom('dependencies').selectAll().where('org_id', '=', orgId).where('service_id', '=', serviceId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** One page of a service's outgoing edges in id order, after `afterId`; `limit` rows at most. */
  async page(db: Db, orgId: string, serviceId: string, q: { afterId?: string | undefined; limit: number }): Promise<DependencyRow[]> {
    let query = db.selectFrom('dependencies').selectAll().where('org_id', '=', orgId).where('service_id', '=', serviceId);
    if (q.afterId) query = query.where('id', '>', q.afterId);
    return query.orderBy('id').limit(q.limit).execute();
  }

  async insert(db: Db, row: { id: string; org_id: string; team_id: string; service_id: string; depends_on_service_id: string; description: string | null; created_at: Date; updated_at: Date; managed_by: string }): Promise<DependencyRow> {
    return db.insertInto('dependencies').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Rewrites an edge's target and description and bumps its version. */
  async update(db: Db, orgId: string, id: string, next: { depends_on_service_id: string; description: string | null; managed_by: string }): Promise<DependencyRow> {
    return db
      .updateTable('dependencies')
      .set((eb) => ({ depends_on_service_id: next.depends_on_service_id, description: next.description, managed_by: next.managed_by, updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Every edge of the organization but `exceptId`, as from → to pairs (the cycle check). */
  async graph(db: Db, orgId: string, exceptId: string): Promise<Array<{ from: string; to: string }>> {
    return db.selectFrom('dependencies').select(['service_id as from', 'depends_on_service_id as to']).where('org_id', '=', orgId).where('id', '!=', exceptId).execute();
  }

  /** The services these edges point at. */
  async targetsOf(db: Db, orgId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('dependencies').select('depends_on_service_id').distinct().where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return rows.map((r) => r.depends_on_service_id);
  }

  /** The services these services depend on. */
  async targetsOfServices(db: Db, orgId: string, serviceIds: readonly string[]): Promise<string[]> {
    if (serviceIds.length === 0) return [];
    const rows = await db.selectFrom('dependencies').select('depends_on_service_id').distinct().where('org_id', '=', orgId).where('service_id', 'in', [...serviceIds]).execute();
    return rows.map((r) => r.depends_on_service_id);
  }

  /** Edges follow their dependent service's team. */
  async moveServiceTeam(db: Db, orgId: string, serviceId: string, teamId: string): Promise<void> {
    await db.updateTable('dependencies').set({ team_id: teamId }).where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
  }

  async deleteMany(db: Db, orgId: string, ids: readonly string[]): Promise<void> {
    if (ids.length) await db.deleteFrom('dependencies').where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
  }
}
