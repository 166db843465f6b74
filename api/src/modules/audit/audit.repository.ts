import type { Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';

export interface AuditRecord {
  action: 'create' | 'update' | 'delete';
  resourceType: string;
  resourceId: string;
  teamId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  teamIds: string[] | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Audit log rows. Callers pass presented documents, which never contain secrets. */
export class AuditRepository {
  /** Appends an entry inside the caller's transaction, so the change and its record commit together. */
  async record(trx: Db, principal: Principal, requestId: string, entry: AuditRecord): Promise<void> {
    await trx
      .insertInto('audit_entries')
      .values({
        id: newId('audit_entry'),
        org_id: principal.orgId,
        at: new Date(),
        actor_type: principal.kind,
        actor_id: principal.id,
        actor_name: principal.name,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId,
        team_id: entry.teamId,
        request_id: requestId,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .execute();
  }

  /** Newest first. */
  async list(db: Db, orgId: string, filter: AuditFilter) {
    let query = db.selectFrom('audit_entries').selectAll().where('org_id', '=', orgId);
    if (filter.teamIds && filter.teamIds.length === 0) return [];
    if (filter.teamIds) query = query.where('team_id', 'in', filter.teamIds);
    if (filter.resourceType) query = query.where('resource_type', '=', filter.resourceType);
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
    if (filter.after) query = query.where('id', '<', filter.after);
    return query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  }
}
