import { sql } from 'kysely';
import type { PharosError } from '../../contract/errors.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
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

/** A spec row as the repository returns it: secrets decrypted, or null with the reason when no configured key opens them. */
export type SpecRecord = SpecRow & { secrets_error?: PharosError };

/**
 * SQL for spec tables. Every query is scoped by organization. With a SecretBox the secrets column is
 * encrypted on every write and decrypted on every read, so callers see plain documents; without one
 * (kinds that have no secrets) a write with secrets is refused rather than stored in clear.
 */
export class SpecRepository {
  constructor(
    private readonly table: SpecTableName,
    private readonly box?: SecretBox,
  ) {}

  /** One row, optionally locked for update. */
  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<SpecRecord | undefined> {
    let query = db.selectFrom(this.table).selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && this.opened(row);
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
    return (await query.orderBy('id').limit(f.limit + 1).execute()).map((row) => this.opened(row));
  }

  async insert(db: Db, orgId: string, id: string, w: SpecWrite): Promise<SpecRecord> {
    const now = new Date();
    const row = await db
      .insertInto(this.table)
      .values({ id, org_id: orgId, ...w, spec: JSON.stringify(w.spec), secrets: this.sealed(id, w.secrets), created_at: now, updated_at: now } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, secrets: w.secrets };
  }

  /** Writes a new version; the caller holds the row lock and has checked the expected version. */
  async update(db: Db, orgId: string, id: string, w: SpecWrite): Promise<SpecRecord> {
    const row = await db
      .updateTable(this.table)
      .set((eb) => ({
        ...w,
        spec: JSON.stringify(w.spec),
        secrets: this.sealed(id, w.secrets),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }) as never)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...row, secrets: w.secrets };
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

  /** The stored (encrypted) form of a row's secrets. */
  private sealed(id: string, secrets: Record<string, unknown> | null): string | null {
    if (!secrets) return null;
    if (!this.box) throw new Error(`SpecRepository(${this.table}) was given secrets to write without a SecretBox: secrets are never stored in clear.`);
    return JSON.stringify(this.box.seal({ table: this.table, id }, secrets));
  }

  private opened(row: SpecRow): SpecRecord {
    if (row.secrets === null || !this.box) return row;
    try {
      return { ...row, secrets: this.box.open({ table: this.table, id: row.id }, row.secrets) };
    } catch (error) {
      if ((error as PharosError).code !== 'secret_undecryptable') throw error;
      return { ...row, secrets: null, secrets_error: error as PharosError };
    }
  }
}
