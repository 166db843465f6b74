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
  async moveServiceTeam(db: Db, orgId: string, serviceId: string, teamId: string): Promise<void> {
    await db.updateTable('monitors').set({ team_id: teamId }).where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
  }
}
