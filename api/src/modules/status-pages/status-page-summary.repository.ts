import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { State } from '../../contract/state.schema.ts';
import type { PageWindow } from './status-page.logic.ts';

const textArray = (values: readonly string[]) => sql<string[]>`ARRAY[${sql.join(values)}]::text[]`;

/** An incident as a status page needs it: no title, number, root cause or team. */
export interface PageIncidentRow {
  id: string;
  state: string;
  service_ids: string[];
  first_failure_at: Date;
  resolved_at: Date | null;
}

const asDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/**
 * The queries behind a status page's summary. Every query is scoped by the page's organization and
 * selects only what the page may show or needs to compute it (never names, errors or URLs).
 */
export class StatusPageSummaryRepository {
  /** The page's services that still exist, with their teams and states. */
  async services(db: Db, orgId: string, ids: readonly string[]): Promise<Array<{ id: string; team_id: string; state: State | undefined }>> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('services as s')
      .leftJoin('service_states as st', 'st.service_id', 's.id')
      .select(['s.id', 's.team_id', 'st.state'])
      .where('s.org_id', '=', orgId)
      .where('s.id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({ id: r.id, team_id: r.team_id, state: (r.state ?? undefined) as State | undefined }));
  }

  /** Region states of the enabled monitors of these services that have a state. */
  async regionStates(db: Db, orgId: string, serviceIds: readonly string[]): Promise<Array<{ service_id: string; region: string; state: State }>> {
    if (serviceIds.length === 0) return [];
    const rows = await db
      .selectFrom('monitors as m')
      .innerJoin('slot_states as ss', 'ss.monitor_id', 'm.id')
      .select(['m.service_id', 'ss.region', 'ss.state'])
      .where('m.org_id', '=', orgId)
      .where('m.service_id', 'in', [...serviceIds])
      .where(sql<boolean>`coalesce((m.spec ->> 'enabled')::boolean, true)`)
      .execute();
    return rows.map((r) => ({ service_id: r.service_id!, region: r.region, state: r.state as State }));
  }

  /** Open incidents involving any of these services, oldest first, at most `limit`. */
  async openIncidents(db: Db, orgId: string, serviceIds: readonly string[], limit: number): Promise<PageIncidentRow[]> {
    if (serviceIds.length === 0) return [];
    const rows = await db
      .selectFrom('incidents')
      .select(['id', 'state', 'service_ids', 'first_failure_at', 'resolved_at'])
      .where('org_id', '=', orgId)
      .where('state', '!=', 'resolved')
      .where(sql<boolean>`service_ids && ${textArray(serviceIds)}`)
      .orderBy('first_failure_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(present);
  }

  /** Incidents involving any of these services resolved since `since`, newest first, at most `limit`. */
  async resolvedIncidents(db: Db, orgId: string, serviceIds: readonly string[], since: Date, limit: number): Promise<PageIncidentRow[]> {
    if (serviceIds.length === 0) return [];
    const rows = await db
      .selectFrom('incidents')
      .select(['id', 'state', 'service_ids', 'first_failure_at', 'resolved_at'])
      .where('org_id', '=', orgId)
      .where('state', '=', 'resolved')
      .where('resolved_at', '>=', since)
      .where(sql<boolean>`service_ids && ${textArray(serviceIds)}`)
      .orderBy('resolved_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(present);
  }

  /** The notes marked public of these incidents, newest first, at most `limit` in all. */
  async publicNotes(db: Db, orgId: string, incidentIds: readonly string[], limit: number): Promise<Array<{ incident_id: string; at: Date; text: string }>> {
    if (incidentIds.length === 0) return [];
    const rows = await db
      .selectFrom('incident_timeline')
      .select(['incident_id', 'at', sql<string>`payload ->> 'text'`.as('text')])
      .where('org_id', '=', orgId)
      .where('incident_id', 'in', [...incidentIds])
      .where('kind', '=', 'note')
      .where(sql<boolean>`(payload ->> 'public') = 'true'`)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ incident_id: r.incident_id, at: asDate(r.at), text: r.text ?? '' }));
  }

  /** Maintenance windows of these teams (their spans are expanded by the page's logic). */
  async windows(db: Db, orgId: string, teamIds: readonly string[]): Promise<PageWindow[]> {
    if (teamIds.length === 0) return [];
    const rows = await db.selectFrom('maintenance_windows').select(['team_id', 'spec']).where('org_id', '=', orgId).where('team_id', 'in', [...teamIds]).orderBy('id').execute();
    return rows.map((r) => {
      const spec = r.spec as unknown as Omit<PageWindow, 'team_id'>;
      return { starts_at: spec.starts_at, ends_at: spec.ends_at, recurrence: spec.recurrence, service_ids: spec.service_ids, monitor_ids: spec.monitor_ids, team_id: r.team_id };
    });
  }
}

function present(r: { id: string; state: string; service_ids: string[]; first_failure_at: Date | string; resolved_at: Date | string | null }): PageIncidentRow {
  return { id: r.id, state: r.state, service_ids: r.service_ids, first_failure_at: asDate(r.first_failure_at), resolved_at: r.resolved_at === null ? null : asDate(r.resolved_at) };
}
