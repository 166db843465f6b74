import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DiscoverySourcesTable } from '../../db/tables.ts';
import type { DiscoverySourceInput } from '../../contract/discovery.schema.ts';

export type DiscoverySourceRow = Selectable<DiscoverySourcesTable>;

/** SQL for discovery_sources. Every query is scoped by organization. */
export class DiscoverySourceRepository {
  /** One source, optionally locked for update. */
  async get(db: Db, orgId: string, name: string, forUpdate = false): Promise<DiscoverySourceRow | undefined> {
    let query = db.selectFrom('discovery_sources').selectAll().where('org_id', '=', orgId).where('name', '=', name);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** A page in name order; fetches limit + 1 rows so the caller knows whether more exist. */
  async list(db: Db, orgId: string, after: string | undefined, limit: number): Promise<DiscoverySourceRow[]> {
    let query = db.selectFrom('discovery_sources').selectAll().where('org_id', '=', orgId);
    if (after !== undefined) query = query.where('name', '>', after);
    return query.orderBy('name').limit(limit + 1).execute();
  }

  /**
   * Writes a report: inserts the source, or replaces it and increments its version. Concurrent first
   * reports of one name cannot both insert (the primary key): the second one updates.
   */
  async upsert(db: Db, orgId: string, name: string, report: DiscoverySourceInput, reportedBy: { type: string; id: string; name: string }, now: Date): Promise<DiscoverySourceRow> {
    const values = {
      cluster: report.cluster ?? null,
      agent_version: report.agent_version,
      last_sync_at: new Date(report.last_sync_at),
      synced: report.synced,
      objects_seen: report.objects_seen,
      monitors_managed: report.monitors_managed,
      actions: JSON.stringify(report.actions),
      errors: JSON.stringify(report.errors),
      reported_by: JSON.stringify(reportedBy),
      updated_at: now,
    };
    return db
      .insertInto('discovery_sources')
      .values({ org_id: orgId, name, ...values, created_at: now })
      .onConflict((oc) => oc.columns(['org_id', 'name']).doUpdateSet((eb) => ({ ...values, version: eb('discovery_sources.version', '+', 1) })))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(db: Db, orgId: string, name: string): Promise<void> {
    await db.deleteFrom('discovery_sources').where('org_id', '=', orgId).where('name', '=', name).execute();
  }
}
