import type { Db } from '../../db/database.ts';
import type { ChangeEventKind } from '../../contract/change-event.schema.ts';

/** A change event with the name of its service. */
export interface ChangeEventRow {
  id: string;
  org_id: string;
  team_id: string;
  service_id: string;
  service_name: string;
  kind: ChangeEventKind;
  version: string | null;
  actor: string | null;
  link: string | null;
  description: string | null;
  at: Date;
  created_by: { type: string; id: string; name: string };
  created_at: Date;
}

export interface ChangeEventWrite {
  id: string;
  teamId: string;
  serviceId: string;
  kind: ChangeEventKind;
  version: string | null;
  actor: string | null;
  link: string | null;
  description: string | null;
  at: Date;
  createdBy: { type: string; id: string; name: string };
}

export interface ChangeEventFilter {
  /** Teams whose events the caller may read; undefined means every team. */
  teamIds: string[] | undefined;
  teamId?: string | undefined;
  serviceId?: string | undefined;
  kind?: ChangeEventKind | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Continue after this event (newest first: at, then id, descending). */
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

/** The service a change event names, by id or by (organization-unique) name. */
export interface ServiceRef {
  id: string;
  name: string;
  team_id: string;
}

// Most change events an incident or an analysis reads at once: a CI that reports every minute for
// 30 days stays under it; more is cut, newest kept.
const NEAR_LIMIT = 10_000;

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** SQL for change events. Every query is scoped by organization. */
export class ChangeEventRepository {
  async insert(db: Db, orgId: string, w: ChangeEventWrite): Promise<void> {
    await db
      .insertInto('change_events')
      .values({ id: w.id, org_id: orgId, team_id: w.teamId, service_id: w.serviceId, kind: w.kind, version: w.version, actor: w.actor, link: w.link, description: w.description, at: w.at, created_by: JSON.stringify(w.createdBy) })
      .execute();
  }

  async get(db: Db, orgId: string, id: string): Promise<ChangeEventRow | undefined> {
    const row = await this.select(db, orgId).where('e.id', '=', id).executeTakeFirst();
    return row && toRow(row);
  }

  /** A page, newest first (limit + 1 rows). */
  async list(db: Db, orgId: string, f: ChangeEventFilter): Promise<ChangeEventRow[]> {
    if (f.teamIds && f.teamIds.length === 0) return [];
    let q = this.select(db, orgId);
    if (f.teamIds) q = q.where('e.team_id', 'in', f.teamIds);
    if (f.teamId) q = q.where('e.team_id', '=', f.teamId);
    if (f.serviceId) q = q.where('e.service_id', '=', f.serviceId);
    if (f.kind) q = q.where('e.kind', '=', f.kind);
    if (f.from) q = q.where('e.at', '>=', f.from);
    if (f.to) q = q.where('e.at', '<', f.to);
    const after = f.after;
    if (after) q = q.where((eb) => eb.or([eb('e.at', '<', after.at), eb.and([eb('e.at', '=', after.at), eb('e.id', '<', after.id)])]));
    const rows = await q.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(f.limit + 1).execute();
    return rows.map(toRow);
  }

  /**
   * Change events of these services with `at` in [from, to], oldest first: what an incident
   * timeline ("deployed 4 minutes before the first failure") and the outage history read.
   * At most 10,000 (the newest).
   */
  async near(db: Db, orgId: string, serviceIds: readonly string[], from: Date, to: Date): Promise<ChangeEventRow[]> {
    if (serviceIds.length === 0) return [];
    const rows = await this.select(db, orgId)
      .where('e.service_id', 'in', [...serviceIds])
      .where('e.at', '>=', from)
      .where('e.at', '<=', to)
      .orderBy('e.at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(NEAR_LIMIT)
      .execute();
    return rows.map(toRow).reverse();
  }

  /** A service of the organization by id, else by name. */
  async service(db: Db, orgId: string, idOrName: string): Promise<ServiceRef | undefined> {
    const byId = await db.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', orgId).where('id', '=', idOrName).executeTakeFirst();
    return byId ?? db.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', orgId).where('name', '=', idOrName).executeTakeFirst();
  }

  private select(db: Db, orgId: string) {
    return db
      .selectFrom('change_events as e')
      .innerJoin('services as s', 's.id', 'e.service_id')
      .select(['e.id', 'e.org_id', 'e.team_id', 'e.service_id', 's.name as service_name', 'e.kind', 'e.version', 'e.actor', 'e.link', 'e.description', 'e.at', 'e.created_by', 'e.created_at'])
      .where('e.org_id', '=', orgId);
  }
}

type Selected = Omit<ChangeEventRow, 'kind' | 'created_by' | 'at' | 'created_at'> & { kind: string; created_by: unknown; at: Date | string; created_at: Date | string };

function toRow(r: Selected): ChangeEventRow {
  return { ...r, kind: r.kind as ChangeEventKind, at: asDate(r.at), created_at: asDate(r.created_at), created_by: r.created_by as ChangeEventRow['created_by'] };
}
