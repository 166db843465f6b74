import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL for monitor projections other modules need (the documents themselves go through the spec repository). */
export class MonitorRepository {
  /** How many monitors a service has. */
  async countOfService(db: Db, orgId: string, serviceId: string): Promise<number> {
    const row = await db.selectFrom('monitors').select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', orgId).where('service_id', '=', serviceId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The ids of a service's monitors. */
  async idsOfService(db: Db, orgId: string, serviceId: string): Promise<string[]> {
    const rows = await db.selectFrom('monitors').select('id').where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
    return rows.map((r) => r.id);
  }

  /**
   * These monitors of the organization with only the spec fields the state evaluator reads (read
   * them with monitorFacts): the whole spec of every monitor of a result batch cost a JSON parse per
   * result for nothing (npm run bench:runner, ingest figure).
   */
  async stateFacts(db: Db, orgId: string, ids: readonly string[]): Promise<Array<{ id: string; service_id: string | null; dependency_id: string | null; spec: unknown }>> {
    if (ids.length === 0) return [];
    return db
      .selectFrom('monitors')
      .select(['id', 'service_id', 'dependency_id', sql<unknown>`jsonb_build_object('enabled', spec->'enabled', 'failure_threshold', spec->'failure_threshold', 'recovery_threshold', spec->'recovery_threshold', 'min_failed_regions', spec->'min_failed_regions', 'regions', spec->'regions')`.as('spec')])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Monitors that name one of these dependency edges (dependency_id), by name. */
  async ofDependencies(db: Db, orgId: string, dependencyIds: readonly string[]): Promise<Array<{ id: string; name: string; team_id: string; dependency_id: string }>> {
    if (dependencyIds.length === 0) return [];
    const rows = await db.selectFrom('monitors').select(['id', 'name', 'team_id', 'dependency_id']).where('org_id', '=', orgId).where('dependency_id', 'in', [...dependencyIds]).orderBy('name').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, team_id: r.team_id as string, dependency_id: r.dependency_id! }));
  }

  /** Monitors follow their service's team. */
  /**
   * Monitors to check at once when these fail (docs/incidents.md, "Probes"): the edge monitors of
   * the services of failing service monitors (can the service still reach its dependencies?), and
   * the service monitors of target services (the dependencies of failing services, the targets of
   * failing edges: are they down themselves, or up from elsewhere?). Enabled monitors only, never
   * the failing ones themselves; at most `limit`.
   */
  async probeTargets(db: Db, orgId: string, q: { servicesOfFailing: readonly string[]; targetsOfFailingEdges: readonly string[]; except: readonly string[]; limit: number }): Promise<string[]> {
    if (q.servicesOfFailing.length === 0 && q.targetsOfFailingEdges.length === 0) return [];
    let query = db
      .selectFrom('monitors as m')
      .select('m.id')
      .where('m.org_id', '=', orgId)
      .where(sql<boolean>`coalesce((m.spec ->> 'enabled')::boolean, true)`)
      .where((eb) =>
        eb.or([
          ...(q.servicesOfFailing.length ? [eb.and([eb('m.service_id', 'in', [...q.servicesOfFailing]), eb('m.dependency_id', 'is not', null)])] : []),
          ...(q.targetsOfFailingEdges.length ? [eb.and([eb('m.service_id', 'in', [...q.targetsOfFailingEdges]), eb('m.dependency_id', 'is', null), eb('m.type', '<>', 'heartbeat')])] : []),
        ]),
      );
    if (q.except.length) query = query.where('m.id', 'not in', [...q.except]);
    return (await query.orderBy('m.id').limit(q.limit).execute()).map((r) => r.id);
  }

  async moveServiceTeam(db: Db, orgId: string, serviceId: string, teamId: string): Promise<void> {
    await db.updateTable('monitors').set({ team_id: teamId }).where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
  }
}
