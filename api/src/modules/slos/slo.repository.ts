import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL for SLO projections other modules need (the documents themselves go through the spec repository). */
export class SloRepository {
  /** Names of the SLOs whose subject is this monitor. */
  async namesOfMonitor(db: Db, orgId: string, monitorId: string): Promise<string[]> {
    const rows = await db.selectFrom('slos').select('name').where('org_id', '=', orgId).where(sql<boolean>`spec ->> 'monitor_id' = ${monitorId}`).execute();
    return rows.map((r) => r.name);
  }

  /** Names of the SLOs whose subject is this service. */
  async namesOfService(db: Db, orgId: string, serviceId: string): Promise<string[]> {
    const rows = await db.selectFrom('slos').select('name').where('org_id', '=', orgId).where('service_id', '=', serviceId).execute();
    return rows.map((r) => r.name);
  }
}
