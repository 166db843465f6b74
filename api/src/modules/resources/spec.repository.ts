import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SpecRow, SpecTableName } from '../../db/tables.ts';
import type { NameHolder, NameScope } from './name-scope.ts';

export interface SpecListFilter {
  teamIds: string[] | undefined;
  teamId?: string | undefined;
  name?: string | undefined;
  serviceId?: string | undefined;
  type?: string | undefined;
  tags?: Record<string, string> | undefined;
  managedBy?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export interface SpecWrite {
  /** Null for organization-owned rows (organization routing policies). */
  team_id: string | null;
  name: string;
  service_id: string | null;
  type: string | null;
  spec: Record<string, unknown>;
  secrets: Record<string, unknown> | null;
  /** Columns only some tables have (see SpecKind.columns). */
  [column: string]: unknown;
}

/** SQL for spec tables. Every query is scoped by organization. */
export class SpecRepository {
  constructor(private readonly table: SpecTableName) {}

  /** One row, optionally locked for update. */
  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<SpecRow | undefined> {
    let query = db.selectFrom(this.table).selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** A page in id order; fetches limit + 1 rows so the caller knows whether more exist. */
  async list(db: Db, orgId: string, f: SpecListFilter): Promise<SpecRow[]> {
    let query = db.selectFrom(this.table).selectAll().where('org_id', '=', orgId);
    // Organization-owned rows (team_id null) are visible to every member of the organization.
    const teamIds = f.teamIds;
    if (teamIds) query = query.where((eb) => (teamIds.length ? eb.or([eb('team_id', 'in', teamIds), eb('team_id', 'is', null)]) : eb('team_id', 'is', null)));
    if (f.teamId) query = query.where('team_id', '=', f.teamId);
    if (f.name) query = query.where('name', '=', f.name);
    if (f.serviceId) query = query.where('service_id', '=', f.serviceId);
    if (f.type) query = query.where('type', '=', f.type);
    if (f.tags && Object.keys(f.tags).length) query = query.where(sql<boolean>`spec -> 'tags' @> ${JSON.stringify(f.tags)}::jsonb`);
    if (f.managedBy) query = query.where('managed_by', '=', f.managedBy);
    if (f.after) query = query.where('id', '>', f.after);
    return query.orderBy('id').limit(f.limit + 1).execute();
  }

  async insert(db: Db, orgId: string, id: string, w: SpecWrite): Promise<SpecRow> {
    const now = new Date();
    return db
      .insertInto(this.table)
      .values({ id, org_id: orgId, ...w, spec: JSON.stringify(w.spec), secrets: w.secrets ? JSON.stringify(w.secrets) : null, created_at: now, updated_at: now } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Writes a new version; the caller holds the row lock and has checked the expected version. */
  async update(db: Db, orgId: string, id: string, w: SpecWrite): Promise<SpecRow> {
    return db
      .updateTable(this.table)
      .set((eb) => ({
        ...w,
        spec: JSON.stringify(w.spec),
        secrets: w.secrets ? JSON.stringify(w.secrets) : null,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }) as never)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The row other than `exceptId` that holds `w.name` in the scope, with its team's and service's names. */
  async nameHolder(db: Db, orgId: string, scope: NameScope, w: Pick<SpecWrite, 'name' | 'team_id' | 'service_id'>, exceptId?: string): Promise<NameHolder | undefined> {
    let query = db.selectFrom(this.table).select(['id', 'name', 'team_id', 'service_id']).where('org_id', '=', orgId).where('name', '=', w.name);
    if (scope === 'team') query = w.team_id === null ? query.where('team_id', 'is', null) : query.where('team_id', '=', w.team_id);
    if (scope === 'service') query = query.where('service_id', '=', w.service_id ?? '');
    if (exceptId) query = query.where('id', '!=', exceptId);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const team = row.team_id === null ? { name: 'organization' } : await db.selectFrom('teams').select('name').where('org_id', '=', orgId).where('id', '=', row.team_id).executeTakeFirst();
    const service = row.service_id ? await db.selectFrom('services').select('name').where('org_id', '=', orgId).where('id', '=', row.service_id).executeTakeFirst() : undefined;
    return { ...row, team_name: team?.name ?? row.team_id, service_name: service?.name ?? null };
  }

  async delete(db: Db, orgId: string, id: string): Promise<void> {
    await db.deleteFrom(this.table).where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
