import type { DependencyGraph, GraphEdge, GraphNode } from '../../contract/dependency-graph.schema.ts';
import type { State } from '../../contract/state.schema.ts';
import { requireTeamAccess, visibleTeamIds, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { PharosError } from '../../contract/errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { iso } from '../resources/versioning.ts';
import { DependencyGraphRepository, type OpenIncidentRow } from './dependency-graph.repository.ts';

/**
 * The services in scope and their direct neighbours: the ends of every edge that touches a service
 * in scope. Pure. `inScope` undefined: every service is in scope.
 */
export function graphScope(edges: ReadonlyArray<{ service_id: string; depends_on_service_id: string }>, inScope: ReadonlySet<string> | undefined): { neighbours: Set<string>; edges: number[] } {
  const neighbours = new Set<string>();
  const kept: number[] = [];
  edges.forEach((e, i) => {
    const from = !inScope || inScope.has(e.service_id);
    const to = !inScope || inScope.has(e.depends_on_service_id);
    if (!from && !to) return;
    kept.push(i);
    if (!from) neighbours.add(e.service_id);
    if (!to) neighbours.add(e.depends_on_service_id);
  });
  return { neighbours, edges: kept };
}

/** The (name, id) a graph page continues after; ids hold no "|", names may. */
function pageKey(cursor: string | undefined): { name: string; id: string } | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const at = key.lastIndexOf('|');
  if (at < 0) throw new PharosError('bad_request', 'The cursor is not valid; pass the next_cursor value of a previous page unchanged.');
  return { name: key.slice(0, at), id: key.slice(at + 1) };
}

const incidentOf = (rows: OpenIncidentRow[]) => new Map(rows.map((r) => [r.subject_id, { id: r.id, number: Number(r.number), state: r.state as 'investigating' | 'identified' | 'monitoring' }]));

/**
 * GET /v1/dependency-graph: every service and edge with its state, team and open incident, for the
 * dependency map. Org admins see the whole organization; anyone else their teams' services. A team
 * filter narrows to one team's services; the other end of each of their edges is shown as a
 * neighbour (in_scope false).
 */
export class DependencyGraphService {
  constructor(
    private readonly db: Db,
    private readonly repo: DependencyGraphRepository = new DependencyGraphRepository(),
  ) {}

  /**
   * With `page.limit`: one page of nodes by name after the cursor, with the edges whose dependent
   * service (service_id) is on the page, so each edge is on exactly one page; next_cursor while more follow.
   */
  async graph(p: Principal, team: string | undefined, page: { limit?: number | undefined; cursor?: string | undefined } = {}): Promise<DependencyGraph> {
    if (team !== undefined) requireTeamAccess(p, team, 'read', 'Team');
    const teams = team !== undefined ? [team] : visibleTeamIds(p);
    const edgeRows = await this.repo.edges(this.db, p.orgId, teams);
    // Services in scope first (their teams'), then the neighbours the kept edges reach.
    const scoped = teams ? await this.repo.services(this.db, p.orgId, { teams, ids: [] }) : undefined;
    const inScope = scoped ? new Set(scoped.map((s) => s.id)) : undefined;
    const scope = graphScope(edgeRows, inScope);
    const allServices = scoped ? [...scoped, ...(await this.repo.services(this.db, p.orgId, { teams: [], ids: [...scope.neighbours] }))].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) : await this.repo.services(this.db, p.orgId, { teams: undefined, ids: [] });
    const after = pageKey(page.cursor);
    // Continue after the cursor's node; if it was deleted since, after the first node named later.
    const at = after ? allServices.findIndex((s) => s.id === after.id) : -1;
    const from = !after ? 0 : at >= 0 ? at + 1 : allServices.findIndex((s) => s.name > after.name);
    const start = from === -1 ? allServices.length : from;
    const end = page.limit === undefined ? allServices.length : Math.min(allServices.length, start + page.limit);
    const serviceRows = allServices.slice(start, end);
    const onPage = start === 0 && end === allServices.length ? undefined : new Set(serviceRows.map((s) => s.id));
    const kept = scope.edges.map((i) => edgeRows[i]!).filter((e) => !onPage || onPage.has(e.service_id));
    const [monitors, serviceIncidents, edgeIncidents] = await Promise.all([
      this.repo.monitorsOfEdges(this.db, p.orgId, kept.map((e) => e.id)),
      this.repo.openIncidentsOfServices(this.db, p.orgId, serviceRows.map((s) => s.id)).then(incidentOf),
      this.repo.openIncidentsOfEdges(this.db, p.orgId, kept.map((e) => e.id)).then(incidentOf),
    ]);
    const nodes = serviceRows.map((s): GraphNode => {
      const incident = serviceIncidents.get(s.id);
      return {
        id: s.id, name: s.name, kind: s.type === 'external' ? 'external' : 'internal', team_id: s.team_id, team: s.team,
        state: (s.state ?? 'unknown') as State, ...(s.since ? { since: iso(s.since) } : {}),
        ...(incident ? { open_incident: incident } : {}),
        in_scope: !inScope || inScope.has(s.id),
      };
    });
    const edges = kept.map((e): GraphEdge => {
      const incident = edgeIncidents.get(e.id);
      return {
        id: e.id, service_id: e.service_id, depends_on_service_id: e.depends_on_service_id, team_id: e.team_id,
        state: (e.state ?? 'unknown') as State, ...(e.since ? { since: iso(e.since) } : {}),
        monitored: e.state !== null, monitor_ids: monitors.get(e.id) ?? [],
        ...(incident ? { open_incident: incident } : {}),
      };
    });
    const last = serviceRows.at(-1);
    return { generated_at: new Date().toISOString(), nodes, edges, ...(end < allServices.length && last ? { next_cursor: encodeCursor(`${last.name}|${last.id}`) } : {}) };
  }
}
