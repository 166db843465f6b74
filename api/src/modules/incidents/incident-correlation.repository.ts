import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { IncidentAlertsTable, IncidentsTable, IncidentState } from '../../db/tables.ts';
import { newId } from '../../shared/ids.ts';

export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentAlertRow = Selectable<IncidentAlertsTable>;

export interface TimelineEntry {
  incidentId: string;
  orgId: string;
  at: Date;
  kind: string;
  actor?: Record<string, unknown> | null;
  payload: Record<string, unknown>;
}

/** What the correlator changes on an incident row. */
export type IncidentPatch = Partial<{
  title: string;
  state: IncidentState;
  severity: string;
  team_id: string | null;
  root_cause: object | null;
  candidates: unknown[];
  impacted: unknown[];
  evidence: unknown[];
  service_ids: string[];
  team_ids: string[];
  last_alert_at: Date;
  first_failure_at: Date;
  identified_at: Date | null;
  monitoring_since: Date | null;
  resolved_at: Date | null;
}>;

const json = (v: unknown) => JSON.stringify(v);

/** SQL of the incident correlator: open incidents and their alerts, and the writes correlation makes. */
export class IncidentCorrelationRepository {
  /** The organization's incidents that are not resolved, locked (a human action on one waits for the batch). */
  async openIncidents(db: Db, orgId: string): Promise<IncidentRow[]> {
    return db.selectFrom('incidents').selectAll().where('org_id', '=', orgId).where('state', '<>', 'resolved').orderBy('opened_at').orderBy('id').forUpdate().execute();
  }

  async alertsOf(db: Db, incidentIds: readonly string[]): Promise<IncidentAlertRow[]> {
    if (incidentIds.length === 0) return [];
    return db.selectFrom('incident_alerts').selectAll().where('incident_id', 'in', [...incidentIds]).orderBy('firing_since').orderBy('alert_id').execute();
  }

  async incidentState(db: Db, id: string): Promise<IncidentState | undefined> {
    return (await db.selectFrom('incidents').select('state').where('id', '=', id).executeTakeFirst())?.state;
  }

  /** The next incident number of the organization (the per-organization consumer batch is the only writer of new incidents). */
  async nextNumber(db: Db, orgId: string): Promise<number> {
    const row = await db.selectFrom('incidents').select(sql<number>`coalesce(max(number), 0) + 1`.as('next')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    return Number(row.next);
  }

  async insertIncident(db: Db, row: { id: string; org_id: string; number: number; title: string; severity: string; team_id: string | null; opened_at: Date; first_failure_at: Date; last_alert_at: Date; service_ids: string[]; team_ids: string[]; auto_resolve: boolean }): Promise<IncidentRow> {
    return db
      .insertInto('incidents')
      .values({ ...row, state: 'investigating', candidates: '[]', impacted: '[]', evidence: '[]', updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateIncident(db: Db, id: string, patch: IncidentPatch, now: Date): Promise<void> {
    const { root_cause, candidates, impacted, evidence, ...plain } = patch;
    await db
      .updateTable('incidents')
      .set((eb) => ({
        ...plain,
        ...(root_cause !== undefined ? { root_cause: root_cause === null ? null : json(root_cause) } : {}),
        ...(candidates !== undefined ? { candidates: json(candidates) } : {}),
        ...(impacted !== undefined ? { impacted: json(impacted) } : {}),
        ...(evidence !== undefined ? { evidence: json(evidence) } : {}),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
  }

  async insertAlert(db: Db, row: Omit<IncidentAlertRow, 'labels' | 'resolved_at' | 'released_at' | 'hold_reason' | 'hold_until'> & { labels: Record<string, string> }): Promise<void> {
    await db
      .insertInto('incident_alerts')
      .values({ ...row, labels: json(row.labels), resolved_at: null, released_at: null, hold_reason: null, hold_until: null })
      .onConflict((oc) => oc.columns(['incident_id', 'alert_id']).doUpdateSet({ state: 'firing', resolved_at: null, firing_since: row.firing_since }))
      .execute();
  }

  async updateAlert(db: Db, incidentId: string, alertId: string, patch: Partial<Pick<IncidentAlertRow, 'state' | 'resolved_at' | 'notification' | 'hold_reason' | 'hold_until' | 'released_at'>>): Promise<void> {
    await db.updateTable('incident_alerts').set(patch).where('incident_id', '=', incidentId).where('alert_id', '=', alertId).execute();
  }

  /** Moves an incident's alerts into another (an alert already there stays once); returns how many moved. */
  async moveAlerts(db: Db, fromId: string, toId: string): Promise<number> {
    const moved = await db
      .updateTable('incident_alerts')
      .set({ incident_id: toId })
      .where('incident_id', '=', fromId)
      .where('alert_id', 'not in', db.selectFrom('incident_alerts').select('alert_id').where('incident_id', '=', toId))
      .executeTakeFirst();
    await db.deleteFrom('incident_alerts').where('incident_id', '=', fromId).execute();
    return Number(moved.numUpdatedRows);
  }

  async addTimeline(db: Db, entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db
      .insertInto('incident_timeline')
      // Monotonic ids: entries of one moment keep the order they were written in.
      .values(entries.map((e) => ({ id: newId('incident_timeline'), incident_id: e.incidentId, org_id: e.orgId, at: e.at, kind: e.kind, actor: e.actor ? json(e.actor) : null, payload: json(e.payload) })))
      .execute();
  }

  /** Teams of this incident already sent an informational notice. */
  async noticedTeams(db: Db, incidentId: string): Promise<Set<string>> {
    const rows = await db.selectFrom('incident_timeline').select(sql<string>`payload ->> 'team_id'`.as('team_id')).where('incident_id', '=', incidentId).where('kind', '=', 'notice_sent').execute();
    return new Set(rows.map((r) => r.team_id));
  }

  /**
   * Organizations with correlation work due at `now` (a hold whose grace ran out, an incident whose
   * quiet time in monitoring is over), with one incident of each to name in the event.
   */
  async due(db: Db, now: Date, defaults: { resolveAfterSeconds: number }): Promise<Array<{ orgId: string; incidentId: string; number: number; state: IncidentState }>> {
    const { rows } = await sql<{ org_id: string; id: string; number: number; state: IncidentState }>`
      SELECT DISTINCT ON (i.org_id) i.org_id, i.id, i.number, i.state FROM incidents i
      LEFT JOIN incident_settings s ON s.org_id = i.org_id
      WHERE i.state <> 'resolved' AND (
        EXISTS (SELECT 1 FROM incident_alerts a WHERE a.incident_id = i.id AND a.notification = 'held' AND a.state = 'firing' AND a.hold_until <= ${now.toISOString()}::timestamptz)
        OR (i.state = 'monitoring' AND i.auto_resolve AND coalesce((s.spec ->> 'auto_resolve')::boolean, true)
            AND i.monitoring_since + coalesce((s.spec ->> 'resolve_after_seconds')::float8, ${defaults.resolveAfterSeconds}) * interval '1 second' <= ${now.toISOString()}::timestamptz))
      ORDER BY i.org_id, i.opened_at
      LIMIT 500`.execute(db);
    return rows.map((r) => ({ orgId: r.org_id, incidentId: r.id, number: Number(r.number), state: r.state }));
  }
}
