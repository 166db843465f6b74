import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChangeEventsTable, IncidentAlertsTable, IncidentState, IncidentsTable, IncidentTimelineTable } from '../../db/tables.ts';

export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentAlertRow = Selectable<IncidentAlertsTable>;
export type IncidentTimelineRow = Selectable<IncidentTimelineTable>;
export type ChangeEventRow = Selectable<ChangeEventsTable>;

/** The human-writable fields of an incident (the correlator writes the rest). */
export interface IncidentUpdate {
  state?: IncidentState;
  title?: string;
  auto_resolve?: boolean;
  acknowledged_at?: Date;
  acknowledged_by?: Record<string, unknown>;
  resolved_at?: Date;
  resolved_by?: Record<string, unknown>;
  identified_at?: Date;
  monitoring_since?: Date | null;
}

export interface IncidentListFilter {
  /** Teams whose incidents the caller may see; undefined: every team (org admins). */
  teamIds: string[] | undefined;
  /** Any of these states; undefined: every state. */
  states?: readonly IncidentState[] | undefined;
  teamId?: string | undefined;
  serviceId?: string | undefined;
  /** opened_at ≥ from. */
  from?: Date | undefined;
  /** opened_at < to. */
  to?: Date | undefined;
  /** The id of the last incident of the previous page. */
  after?: string | undefined;
  limit: number;
}

/** Firing and total alerts of an incident, and their severities. */
export interface IncidentAlertCounts {
  firing: number;
  total: number;
  severities: string[];
}

/** What the SLA figures need of an incident. */
export type IncidentTimes = Pick<IncidentRow, 'opened_at' | 'first_failure_at' | 'acknowledged_at' | 'resolved_at'>;

const textArray = (values: readonly string[]) => sql<string[]>`ARRAY[${sql.join(values)}]::text[]`;

/**
 * SQL of the incidents API: reads of incidents, their alerts, timeline and the change events around
 * them, and the writes people make (acknowledge, resolve, notes, state). Every query is scoped by
 * organization. The correlator that opens incidents and adds alerts has its own repository.
 */
export class IncidentRepository {
  async get(db: Db, orgId: string, id: string, forUpdate = false): Promise<IncidentRow | undefined> {
    let query = db.selectFrom('incidents').selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async getByNumber(db: Db, orgId: string, number: number, forUpdate = false): Promise<IncidentRow | undefined> {
    let query = db.selectFrom('incidents').selectAll().where('org_id', '=', orgId).where('number', '=', number);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** A page, newest first (opened_at, then id, descending; limit + 1 rows). */
  async list(db: Db, orgId: string, f: IncidentListFilter): Promise<IncidentRow[]> {
    if (f.teamIds && f.teamIds.length === 0) return [];
    let query = db.selectFrom('incidents as i').selectAll('i').where('i.org_id', '=', orgId);
    const teamIds = f.teamIds;
    if (teamIds) query = query.where((eb) => eb.or([sql<boolean>`i.team_ids && ${textArray(teamIds)}`, eb('i.team_id', 'in', teamIds)]));
    if (f.states) query = query.where('i.state', 'in', [...f.states]);
    if (f.teamId) query = query.where(sql<boolean>`i.team_ids @> ${textArray([f.teamId])}`);
    if (f.serviceId) query = query.where(sql<boolean>`i.service_ids @> ${textArray([f.serviceId])}`);
    if (f.from) query = query.where('i.opened_at', '>=', f.from);
    if (f.to) query = query.where('i.opened_at', '<', f.to);
    // Keyset on (opened_at, id) read from the cursor's row: exact whatever the timestamp precision.
    if (f.after) query = query.where(sql<boolean>`(i.opened_at, i.id) < (SELECT c.opened_at, c.id FROM incidents c WHERE c.org_id = ${orgId} AND c.id = ${f.after})`);
    return query.orderBy('i.opened_at', 'desc').orderBy('i.id', 'desc').limit(f.limit + 1).execute();
  }

  /** Open incidents of the organization (any state but resolved), newest first. */
  async open(db: Db, orgId: string): Promise<IncidentRow[]> {
    return db.selectFrom('incidents').selectAll().where('org_id', '=', orgId).where('state', '<>', 'resolved').orderBy('opened_at', 'desc').orderBy('id', 'desc').execute();
  }

  /** Alert counts and severities per incident, for a page of them. */
  async alertCounts(db: Db, orgId: string, incidentIds: readonly string[]): Promise<Map<string, IncidentAlertCounts>> {
    if (incidentIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('incident_alerts')
      .select((eb) => [
        'incident_id',
        eb.fn.countAll<string>().as('total'),
        sql<string>`count(*) FILTER (WHERE state = 'firing')`.as('firing'),
        sql<string[]>`array_agg(DISTINCT severity)`.as('severities'),
      ])
      .where('org_id', '=', orgId)
      .where('incident_id', 'in', [...incidentIds])
      .groupBy('incident_id')
      .execute();
    return new Map(rows.map((r) => [r.incident_id, { firing: Number(r.firing), total: Number(r.total), severities: r.severities }]));
  }

  /** The incident's alerts in the order they fired. */
  async alerts(db: Db, orgId: string, incidentId: string): Promise<IncidentAlertRow[]> {
    return db.selectFrom('incident_alerts').selectAll().where('org_id', '=', orgId).where('incident_id', '=', incidentId).orderBy('firing_since').orderBy('alert_id').execute();
  }

  /** The first `limit` timeline entries, oldest first (fetch limit + 1 to know whether there are more). */
  async timeline(db: Db, orgId: string, incidentId: string, limit: number): Promise<IncidentTimelineRow[]> {
    return db.selectFrom('incident_timeline').selectAll().where('org_id', '=', orgId).where('incident_id', '=', incidentId).orderBy('at').orderBy('id').limit(limit).execute();
  }

  /** Change events of these services within [from, to], oldest first. */
  /** Notifications (outbox rows) that carried any of these alert ids, oldest first. */
  async notificationsOf(db: Db, orgId: string, alertIds: readonly string[], since: Date, limit: number) {
    if (alertIds.length === 0) return [];
    return db
      .selectFrom('notifications')
      .select(['id', 'channel_id', 'channel_type', 'team_id', 'kind', 'state', 'alert_ids', 'created_at', 'delivered_at'])
      .where('org_id', '=', orgId)
      .where('created_at', '>=', since)
      // One containment test per alert: each is answered by the GIN index on alert_ids.
      .where((eb) => eb.or(alertIds.map((id) => sql<boolean>`alert_ids @> ${JSON.stringify([id])}::jsonb`)))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async changes(db: Db, orgId: string, serviceIds: readonly string[], from: Date, to: Date, limit: number): Promise<ChangeEventRow[]> {
    if (serviceIds.length === 0) return [];
    return db
      .selectFrom('change_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('service_id', 'in', [...serviceIds])
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Writes a person's change and bumps version and updated_at; the caller holds the row lock. */
  async update(db: Db, orgId: string, id: string, set: IncidentUpdate, at: Date): Promise<IncidentRow> {
    return db
      .updateTable('incidents')
      .set((eb) => {
        const { acknowledged_by, resolved_by, ...plain } = set;
        return {
          ...plain,
          ...(acknowledged_by !== undefined ? { acknowledged_by: JSON.stringify(acknowledged_by) } : {}),
          ...(resolved_by !== undefined ? { resolved_by: JSON.stringify(resolved_by) } : {}),
          updated_at: at,
          version: eb('version', '+', 1),
        };
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async appendTimeline(db: Db, entry: Omit<IncidentTimelineRow, 'actor' | 'payload'> & { actor: Record<string, unknown> | null; payload: Record<string, unknown> }): Promise<IncidentTimelineRow> {
    return db
      .insertInto('incident_timeline')
      .values({ ...entry, actor: entry.actor === null ? null : JSON.stringify(entry.actor), payload: JSON.stringify(entry.payload) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Times of the incidents opened in [from, to) that involve a service (service_ids) or a team (team_ids). */
  async timesOf(db: Db, orgId: string, subject: { serviceId: string } | { teamId: string }, from: Date, to: Date): Promise<IncidentTimes[]> {
    const involves = 'serviceId' in subject ? sql<boolean>`service_ids @> ${textArray([subject.serviceId])}` : sql<boolean>`team_ids @> ${textArray([subject.teamId])}`;
    return db
      .selectFrom('incidents')
      .select(['opened_at', 'first_failure_at', 'acknowledged_at', 'resolved_at'])
      .where('org_id', '=', orgId)
      .where(involves)
      .where('opened_at', '>=', from)
      .where('opened_at', '<', to)
      .execute();
  }
}
