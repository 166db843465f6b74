import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface GraphServiceRow {
  id: string;
  name: string;
  type: string | null;
  team_id: string;
  team: string;
  state: string | null;
  since: Date | string | null;
}

export interface GraphEdgeRow {
  id: string;
  service_id: string;
  depends_on_service_id: string;
  team_id: string;
  state: string | null;
  since: Date | string | null;
}

export interface OpenIncidentRow {
  subject_id: string;
  id: string;
  number: number;
  state: string;
}

/** SQL for the dependency graph: services, edges, their states, the monitors of edges and open incidents. */
export class DependencyGraphRepository {
  /** Edges of the organization with their states; with `teams`: only those with an end among the services of these teams. */
  async edges(db: Db, orgId: string, teams: readonly string[] | undefined): Promise<GraphEdgeRow[]> {
    let query = db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', 's.id', 'd.service_id')
      .innerJoin('services as t', 't.id', 'd.depends_on_service_id')
      .leftJoin('edge_states as es', 'es.dependency_id', 'd.id')
      .select(['d.id', 'd.service_id', 'd.depends_on_service_id', 'd.team_id', 'es.state', 'es.since'])
      .where('d.org_id', '=', orgId);
    if (teams) {
      if (teams.length === 0) return [];
      query = query.where((eb) => eb.or([eb('s.team_id', 'in', [...teams]), eb('t.team_id', 'in', [...teams])]));
    }
    return query.orderBy('d.id').execute();
  }

  /** Services of the organization with their team's name and state: of these teams, or with these ids (either), by name. */
  async services(db: Db, orgId: string, q: { teams: readonly string[] | undefined; ids: readonly string[] }): Promise<GraphServiceRow[]> {
    const { teams, ids } = q;
    let query = db
      .selectFrom('services as s')
      .innerJoin('teams as tm', 'tm.id', 's.team_id')
      .leftJoin('service_states as st', 'st.service_id', 's.id')
      .select(['s.id', 's.name', 's.type', 's.team_id', 'tm.name as team', 'st.state', 'st.since'])
      .where('s.org_id', '=', orgId);
    if (teams) {
      if (teams.length === 0 && ids.length === 0) return [];
      query = query.where((eb) => eb.or([...(teams.length ? [eb('s.team_id', 'in', [...teams])] : []), ...(ids.length ? [eb('s.id', 'in', [...ids])] : [])]));
    }
    return query.orderBy('s.name').orderBy('s.id').execute();
  }

  /** The monitors naming each of these edges (dependency_id), in id order. */
  async monitorsOfEdges(db: Db, orgId: string, edgeIds: readonly string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (edgeIds.length === 0) return map;
    const rows = await db.selectFrom('monitors').select(['id', 'dependency_id']).where('org_id', '=', orgId).where('dependency_id', 'in', [...edgeIds]).orderBy('id').execute();
    for (const r of rows) map.set(r.dependency_id!, [...(map.get(r.dependency_id!) ?? []), r.id]);
    return map;
  }

  /** Per service: the latest opened incident that is not resolved and lists it among its services. */
  async openIncidentsOfServices(db: Db, orgId: string, serviceIds: readonly string[]): Promise<OpenIncidentRow[]> {
    if (serviceIds.length === 0) return [];
    const { rows } = await sql<OpenIncidentRow>`
      SELECT DISTINCT ON (sid) sid AS subject_id, i.id, i.number, i.state
      FROM incidents i CROSS JOIN LATERAL unnest(i.service_ids) AS sid
      WHERE i.org_id = ${orgId} AND i.state <> 'resolved' AND i.service_ids && ${[...serviceIds]}::text[] AND sid = ANY(${[...serviceIds]}::text[])
      ORDER BY sid, i.opened_at DESC, i.id DESC`.execute(db);
    return rows;
  }

  /**
   * Per edge: the latest opened incident that is not resolved and either has an alert about the
   * edge or names it as its root cause.
   */
  async openIncidentsOfEdges(db: Db, orgId: string, edgeIds: readonly string[]): Promise<OpenIncidentRow[]> {
    if (edgeIds.length === 0) return [];
    const ids = [...edgeIds];
    const { rows } = await sql<OpenIncidentRow>`
      SELECT DISTINCT ON (x.subject_id) x.subject_id, i.id, i.number, i.state
      FROM (
        SELECT a.incident_id, a.subject_id FROM incident_alerts a
        WHERE a.org_id = ${orgId} AND a.subject_kind = 'edge' AND a.subject_id = ANY(${ids}::text[])
        UNION
        SELECT r.id AS incident_id, r.root_cause ->> 'id' AS subject_id FROM incidents r
        WHERE r.org_id = ${orgId} AND r.state <> 'resolved' AND r.root_cause ->> 'kind' = 'edge' AND r.root_cause ->> 'id' = ANY(${ids}::text[])
      ) x JOIN incidents i ON i.id = x.incident_id
      WHERE i.org_id = ${orgId} AND i.state <> 'resolved'
      ORDER BY x.subject_id, i.opened_at DESC, i.id DESC`.execute(db);
    return rows;
  }
}
