import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { FailureCodeCount, OutagePeriod, RegionDownPeriod, RootCauseCount } from './outage-analysis.math.ts';

// SQL of the outage history. Outages come from state_transitions (a service's period in state
// down: from its transition to down to its next transition); regions from the slot transitions of
// the service's monitors; failure codes from the failing check results during the outages; root
// causes from incidents. Every query is scoped by organization and bounded.

export interface NamedRow {
  id: string;
  name: string;
}

export interface ServiceRow extends NamedRow {
  team_id: string;
}

/** Most outages one analysis reads (the newest): a service flapping every 15 minutes for a year. */
export const OUTAGE_LIMIT = 10_000;
/** Most slot down periods one analysis reads (the newest). */
const REGION_DOWN_LIMIT = 50_000;
/** A slot that went down this long before the window still counts for an outage in the window. */
const REGION_LOOKBACK_MS = 7 * 86_400_000;
/** Failure codes and root causes kept per service and for the total. */
const TOP = 10;

const ms = (v: Date | string) => (v instanceof Date ? v : new Date(v)).getTime();
const idList = (ids: readonly string[]) => sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/** Per service (serviceId set) and for all the services together (serviceId null). */
export interface Ranked<T> {
  serviceId: string | null;
  item: T;
}

export class OutageAnalysisRepository {
  async service(db: Db, orgId: string, id: string): Promise<ServiceRow | undefined> {
    return db.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  async team(db: Db, orgId: string, id: string): Promise<NamedRow | undefined> {
    return db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** The team's services, by name. */
  async servicesOfTeam(db: Db, orgId: string, teamId: string): Promise<ServiceRow[]> {
    return db.selectFrom('services').select(['id', 'name', 'team_id']).where('org_id', '=', orgId).where('team_id', '=', teamId).orderBy('name').orderBy('id').execute();
  }

  /**
   * Down periods of the services that began in [from, to), newest first, at most `limit`; each ends
   * at the service's next transition (null: still down). `to` is now: no transition comes later.
   */
  async outages(db: Db, orgId: string, serviceIds: readonly string[], from: Date, to: Date, limit = OUTAGE_LIMIT): Promise<OutagePeriod[]> {
    if (serviceIds.length === 0) return [];
    // One pass in time order per subject (lead), rather than a lookup of the next transition per
    // outage: the window ends now, so every transition after an outage's start is in the scan.
    const { rows } = await sql<{ subject_id: string; started_at: Date | string; ended_at: Date | string | null }>`
      SELECT subject_id, at AS started_at, next_at AS ended_at FROM (
        SELECT subject_id, id, to_state, at, lead(at) OVER (PARTITION BY subject_id ORDER BY at, id) AS next_at
        FROM state_transitions
        WHERE org_id = ${orgId} AND subject_type = 'service' AND subject_id = ANY(${idList(serviceIds)}) AND at >= ${from.toISOString()}::timestamptz
      ) t
      WHERE to_state = 'down' AND at < ${to.toISOString()}::timestamptz
      ORDER BY at DESC, id DESC LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ serviceId: r.subject_id, start: ms(r.started_at), end: r.ended_at === null ? null : ms(r.ended_at) }));
  }

  /** Down periods of the services' monitors per region (slot transitions) that overlap [from, to). */
  async regionDowns(db: Db, orgId: string, serviceIds: readonly string[], from: Date, to: Date): Promise<RegionDownPeriod[]> {
    if (serviceIds.length === 0) return [];
    const { rows } = await sql<{ service_id: string; region: string; started_at: Date | string; ended_at: Date | string | null }>`
      SELECT service_id, region, at AS started_at, next_at AS ended_at FROM (
        SELECT m.service_id, t.region, t.to_state, t.at, lead(t.at) OVER (PARTITION BY t.subject_id, t.region ORDER BY t.at, t.id) AS next_at
        FROM monitors m
        JOIN state_transitions t ON t.subject_type = 'slot' AND t.subject_id = m.id AND t.org_id = m.org_id
          AND t.at >= ${new Date(from.getTime() - REGION_LOOKBACK_MS).toISOString()}::timestamptz
        WHERE m.org_id = ${orgId} AND m.service_id = ANY(${idList(serviceIds)}) AND t.region IS NOT NULL
      ) t
      WHERE to_state = 'down' AND at < ${to.toISOString()}::timestamptz AND (next_at IS NULL OR next_at > ${from.toISOString()}::timestamptz)
      ORDER BY at DESC LIMIT ${REGION_DOWN_LIMIT}`.execute(db);
    return rows.map((r) => ({ serviceId: r.service_id, region: r.region, start: ms(r.started_at), end: r.ended_at === null ? null : ms(r.ended_at) }));
  }

  /**
   * The most frequent error codes and HTTP statuses of failing check results of the services'
   * monitors during outages that began at or after `since` (an open one up to `now`), the top 10
   * per service and for all of them, counted in SQL: outages in which they appear, and results.
   * Each failing result finds the service's state at its time with one index probe (the latest
   * service transition at or before it), rather than being compared with every outage.
   */
  async failureCodes(db: Db, orgId: string, serviceIds: readonly string[], since: Date, now: Date): Promise<Array<Ranked<FailureCodeCount>>> {
    if (serviceIds.length === 0) return [];
    const { rows } = await sql<{ service_id: string | null; error_code: string | null; status_code: number | null; outages: string | number; checks: string | number }>`
      WITH f AS (
        SELECT m.service_id, r.error_code, r.status_code, s.id AS outage
        FROM monitors m
        JOIN check_results r ON r.org_id = m.org_id AND r.monitor_id = m.id AND r.status = 'down'
          AND r.started_at >= ${since.toISOString()}::timestamptz AND r.started_at <= ${now.toISOString()}::timestamptz
        CROSS JOIN LATERAL (
          SELECT t.id, t.to_state, t.at FROM state_transitions t
          WHERE t.subject_type = 'service' AND t.subject_id = m.service_id AND t.org_id = m.org_id AND t.at <= r.started_at
          -- by at alone, so the probe stops at the first row of the index (an id tie-break would sort
          -- every earlier transition of the service)
          ORDER BY t.at DESC LIMIT 1
        ) s
        WHERE m.org_id = ${orgId} AND m.service_id = ANY(${idList(serviceIds)}) AND s.to_state = 'down' AND s.at >= ${since.toISOString()}::timestamptz
      ), g AS (
        SELECT CASE WHEN grouping(service_id) = 1 THEN NULL ELSE service_id END AS service_id, error_code, status_code,
               count(DISTINCT outage) AS outages, count(*) AS checks
        FROM f GROUP BY GROUPING SETS ((service_id, error_code, status_code), (error_code, status_code))
      )
      SELECT service_id, error_code, status_code, outages, checks FROM (
        SELECT g.*, row_number() OVER (PARTITION BY service_id ORDER BY outages DESC, checks DESC, error_code NULLS LAST, status_code NULLS LAST) AS rank FROM g
      ) ranked WHERE rank <= ${TOP}
      ORDER BY service_id NULLS FIRST, rank`.execute(db);
    return rows.map((r) => ({ serviceId: r.service_id, item: { errorCode: r.error_code, statusCode: r.status_code === null ? null : Number(r.status_code), outages: Number(r.outages), checks: Number(r.checks) } }));
  }

  /**
   * Probable root causes of the incidents involving the services that began in [from, to) and
   * name one, grouped by kind and id (the name as the correlator recorded it, else the service's
   * or edge's current name): the top 10 per service and for all of them, with the number of such
   * incidents (`total`, one root cause each).
   */
  async rootCauses(db: Db, orgId: string, serviceIds: readonly string[], from: Date, to: Date): Promise<Array<Ranked<RootCauseCount> & { total: number }>> {
    if (serviceIds.length === 0) return [];
    const { rows } = await sql<{ service_id: string | null; kind: string | null; id: string | null; name: string | null; incidents: string | number; total: string | number }>`
      WITH i AS (
        SELECT i.id AS incident_id, s.sid, i.root_cause ->> 'kind' AS kind, i.root_cause ->> 'id' AS node_id, i.root_cause ->> 'name' AS recorded_name
        FROM incidents i CROSS JOIN LATERAL unnest(i.service_ids) AS s(sid)
        WHERE i.org_id = ${orgId} AND i.service_ids && ${idList(serviceIds)} AND s.sid = ANY(${idList(serviceIds)})
          AND i.root_cause IS NOT NULL AND jsonb_typeof(i.root_cause) = 'object'
          AND i.first_failure_at >= ${from.toISOString()}::timestamptz AND i.first_failure_at < ${to.toISOString()}::timestamptz
      ), g AS (
        SELECT CASE WHEN grouping(sid) = 1 THEN NULL ELSE sid END AS service_id, kind, node_id, max(recorded_name) AS recorded_name, count(DISTINCT incident_id) AS incidents
        FROM i GROUP BY GROUPING SETS ((sid, kind, node_id), (kind, node_id))
      ), totals AS (
        SELECT sid AS service_id, count(DISTINCT incident_id) AS total FROM i GROUP BY sid
        UNION ALL SELECT NULL, count(DISTINCT incident_id) FROM i
      )
      SELECT r.service_id, r.kind, r.node_id AS id,
             coalesce(r.recorded_name, rs.name, fs.name || ' → ' || ts.name, r.node_id) AS name, r.incidents, t.total
      FROM (SELECT g.*, row_number() OVER (PARTITION BY service_id ORDER BY incidents DESC, kind, node_id) AS rank FROM g) r
      JOIN totals t ON t.service_id IS NOT DISTINCT FROM r.service_id
      LEFT JOIN services rs ON r.kind = 'service' AND rs.org_id = ${orgId} AND rs.id = r.node_id
      LEFT JOIN dependencies d ON r.kind = 'edge' AND d.org_id = ${orgId} AND d.id = r.node_id
      LEFT JOIN services fs ON fs.id = d.service_id
      LEFT JOIN services ts ON ts.id = d.depends_on_service_id
      WHERE r.rank <= ${TOP}
      ORDER BY r.service_id NULLS FIRST, r.rank`.execute(db);
    return rows.map((r) => ({ serviceId: r.service_id, total: Number(r.total), item: { kind: r.kind, id: r.id, name: r.name, incidents: Number(r.incidents) } }));
  }
}
