import { sql } from 'kysely';
import type { StatusPageInput } from '../../contract/status-page.schema.ts';
import type { Db } from '../../db/database.ts';

/** Days of history a page shows when its document does not say. */
export const DEFAULT_HISTORY_DAYS = 90;

/** A stored status page as its readers' code needs it: the validated document with its defaults applied. */
export interface StoredStatusPage {
  id: string;
  org_id: string;
  team_id: string;
  spec: StatusPageInput & { history_days: number };
  updated_at: Date;
}

/** The one typed accessor of a stored status page document: applies the defaults the schema declares. */
export function statusPageSpec(raw: unknown): StatusPageInput & { history_days: number } {
  const spec = raw as StatusPageInput;
  return { ...spec, history_days: spec.history_days ?? DEFAULT_HISTORY_DAYS };
}

type Row = { id: string; org_id: string; team_id: string; spec: unknown; updated_at: Date };
const stored = (row: Row | undefined): StoredStatusPage | undefined =>
  row && { id: row.id, org_id: row.org_id, team_id: row.team_id, spec: statusPageSpec(row.spec), updated_at: row.updated_at };

/** SQL for status pages beyond the generic spec CRUD (the public page, references from services). */
export class StatusPageRepository {
  /** The page at /status/{slug}: slugs are unique on the server, so no organization is needed (or known) here. */
  async findBySlug(db: Db, slug: string): Promise<StoredStatusPage | undefined> {
    return stored(await db.selectFrom('status_pages').select(['id', 'org_id', 'team_id', 'spec', 'updated_at']).where('slug', '=', slug).executeTakeFirst());
  }

  /** One page of the organization. Access checks are the caller's. */
  async get(db: Db, orgId: string, id: string): Promise<StoredStatusPage | undefined> {
    return stored(await db.selectFrom('status_pages').select(['id', 'org_id', 'team_id', 'spec', 'updated_at']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst());
  }

  /** Whether a page other than `exceptId`, in any organization, holds the slug. */
  async slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
    let query = db.selectFrom('status_pages').select('id').where('slug', '=', slug);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  /** The pages of the organization that show the service as a component, with their teams' names. */
  async pagesShowingService(db: Db, orgId: string, serviceId: string): Promise<Array<{ id: string; name: string; slug: string; team_id: string; team_name: string }>> {
    return db
      .selectFrom('status_pages as p')
      .innerJoin('teams as t', 't.id', 'p.team_id')
      .select(['p.id', 'p.name', 'p.slug', 'p.team_id', 't.name as team_name'])
      .where('p.org_id', '=', orgId)
      .where(sql<boolean>`p.spec -> 'components' @> ${JSON.stringify([{ service_id: serviceId }])}::jsonb`)
      .orderBy('p.id')
      .execute();
  }

  /** Owner teams of the services, among the organization's. */
  async serviceTeams(db: Db, orgId: string, serviceIds: readonly string[]): Promise<Map<string, string>> {
    if (!serviceIds.length) return new Map();
    const rows = await db.selectFrom('services').select(['id', 'team_id']).where('org_id', '=', orgId).where('id', 'in', [...serviceIds]).execute();
    return new Map(rows.map((r) => [r.id, r.team_id]));
  }
}
