import type { Db } from '../../db/database.ts';

/** SQL for monitor projections other modules need (the documents themselves go through the spec repository). */
export class MonitorRepository {
  /** How many monitors a service has. */
  async countOfService(db: Db, orgId: string, serviceId: string): Promise<number> {
    const row = await db.selectFrom('monitors').select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', orgId).where('service_id', '=', serviceId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Monitors follow their service's team. */
  async moveServiceTeam(db: Db, orgId: string, serviceId: string, teamId: string): Promise<void> {
    await db.updateTable('monitors').set({ team_id: teamId }).where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
  }
}
