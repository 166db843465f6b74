import { sql } from 'kysely';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import { edgeKey, serviceKey, type Evidence, type FailureGraph, type GraphEdge, type GraphService, type NodeHealth, type NodeKey } from '../dependencies/failure-graph.ts';
import { worstState } from '../state/state.machine.ts';

/** A monitor as the correlator places it: the node its alerts belong to. */
export interface GraphMonitor {
  id: string;
  name: string;
  serviceId: string;
  dependencyId: string | null;
  node: NodeKey;
}

/** The organization's graph and what its monitors say, read in one transaction. */
export interface LoadedGraph {
  graph: FailureGraph;
  monitors: ReadonlyMap<string, GraphMonitor>;
  /** Service name → id (alerts without a subject name their service in the `service` label). */
  serviceIds: ReadonlyMap<string, string>;
  /** SLO id → its service id. */
  sloServices: ReadonlyMap<string, string>;
  /** Team id → name. */
  teamNames: ReadonlyMap<string, string>;
}

/** Most failing slots whose last failing result is read for evidence (error code, status, trace id). */
const EVIDENCE_SLOTS = 200;

/**
 * A state's since as epoch milliseconds: the graph holds numbers, and every batch reads all the
 * organization's slot and monitor states (turning thousands of timestamps into Date objects is most
 * of the read's CPU on a large fleet).
 */
const sinceMs = sql<number>`(extract(epoch from since) * 1000)::float8`.as('since');

/**
 * Reads the dependency graph of an organization with the current health of every service and edge
 * (from slot and monitor states): the input of correlation and root-cause analysis. A service's
 * health is all its monitors' (as its state is); an edge's is the monitors that check it.
 */
export class IncidentGraphRepository {
  async load(db: Db, orgId: string, now = new Date()): Promise<LoadedGraph> {
    const [services, dependencies, monitors, slots, monitorStates, slos, teams] = await Promise.all([
      db.selectFrom('services').select(['id', 'name', 'team_id', 'type']).where('org_id', '=', orgId).execute(),
      db.selectFrom('dependencies').select(['id', 'service_id', 'depends_on_service_id', 'team_id']).where('org_id', '=', orgId).execute(),
      db
        .selectFrom('monitors')
        .select(['id', 'name', 'service_id', 'dependency_id', sql<boolean>`coalesce((spec ->> 'enabled')::boolean, true)`.as('enabled')])
        .where('org_id', '=', orgId)
        .execute(),
      db.selectFrom('slot_states').select(['monitor_id', 'region', 'state', sinceMs, 'last_error']).where('org_id', '=', orgId).execute(),
      db.selectFrom('monitor_states').select(['monitor_id', 'state', sinceMs]).where('org_id', '=', orgId).execute(),
      db.selectFrom('slos').select(['id', 'service_id']).where('org_id', '=', orgId).execute(),
      db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', orgId).execute(),
    ]);

    const graphServices = new Map<string, GraphService>(services.map((s) => [s.id, { id: s.id, name: s.name, teamId: s.team_id, kind: s.type === 'external' ? 'external' : 'internal' }]));
    const placed = new Map<string, GraphMonitor>();
    const monitored = new Set<string>();
    for (const m of monitors) {
      if (!m.service_id) continue;
      const dependencyId = m.dependency_id ?? null;
      placed.set(m.id, { id: m.id, name: m.name, serviceId: m.service_id, dependencyId, node: dependencyId ? edgeKey(dependencyId) : serviceKey(m.service_id) });
      if (dependencyId && m.enabled) monitored.add(dependencyId);
    }
    const edges: GraphEdge[] = dependencies.map((d) => ({ id: d.id, from: d.service_id, to: d.depends_on_service_id, teamId: d.team_id, monitored: monitored.has(d.id) }));

    const enabled = new Set(monitors.filter((m) => m.enabled).map((m) => m.id));
    const monitorState = new Map(monitorStates.map((m) => [m.monitor_id, { state: m.state as State, since: new Date(m.since).getTime() }]));
    const byNode = new Map<NodeKey, { monitors: string[]; slots: typeof slots }>();
    // A service is as bad as all its monitors (as its state is), edge monitors included: a service
    // that cannot reach its dependency is failing. The edge's own health is its monitors'.
    const nodesOf = (m: GraphMonitor): NodeKey[] => (m.dependencyId ? [serviceKey(m.serviceId), m.node] : [m.node]);
    for (const m of placed.values()) {
      if (!enabled.has(m.id)) continue;
      for (const key of nodesOf(m)) {
        const entry = byNode.get(key) ?? { monitors: [], slots: [] };
        entry.monitors.push(m.id);
        byNode.set(key, entry);
      }
    }
    for (const s of slots) {
      const m = placed.get(s.monitor_id);
      if (m && enabled.has(m.id)) for (const key of nodesOf(m)) byNode.get(key)?.slots.push(s);
    }

    const failing = slots.filter((s) => (s.state === 'down' || s.state === 'degraded') && enabled.has(s.monitor_id)).slice(0, EVIDENCE_SLOTS);
    const lastFailure = await this.lastFailures(db, orgId, failing, now);

    const health = new Map<NodeKey, NodeHealth>();
    for (const [node, entry] of byNode) {
      const states = entry.monitors.map((id) => monitorState.get(id));
      const state = worstState(states.map((s) => s?.state ?? 'unknown'));
      const down = entry.slots.filter((s) => s.state === 'down');
      const regions = new Map<string, State[]>();
      for (const s of entry.slots) regions.set(s.region, [...(regions.get(s.region) ?? []), s.state as State]);
      const downRegions = [...new Set(down.map((s) => s.region))].sort();
      const upRegions = [...regions].filter(([, list]) => list.every((x) => x === 'up')).map(([r]) => r).sort();
      const failingSince = entry.slots.filter((s) => s.state === state).map((s) => new Date(s.since).getTime());
      const since = failingSince.length && state !== 'up' && state !== 'unknown' ? Math.min(...failingSince) : Math.max(0, ...states.map((s) => s?.since ?? 0));
      const evidence: Evidence[] = entry.slots
        .filter((s) => s.state === 'down' || s.state === 'degraded')
        .map((s) => {
          const m = placed.get(s.monitor_id)!;
          const last = lastFailure.get(`${s.monitor_id}@${s.region}`);
          return {
            monitorId: m.id, monitorName: m.name, region: s.region, state: s.state as State, since: new Date(s.since).getTime(),
            ...(last?.error ?? s.last_error ? { error: (last?.error ?? s.last_error)! } : {}),
            ...(last?.statusCode !== undefined ? { statusCode: last.statusCode } : {}),
            ...(last?.traceId ? { traceId: last.traceId } : {}),
          };
        })
        .sort((a, b) => a.since - b.since || a.monitorName.localeCompare(b.monitorName) || a.region.localeCompare(b.region));
      health.set(node, { state, since, downRegions, upRegions, evidence });
    }

    return {
      graph: { services: graphServices, edges, health },
      monitors: placed,
      serviceIds: new Map(services.map((s) => [s.name, s.id])),
      sloServices: new Map(slos.flatMap((s) => (s.service_id ? [[s.id, s.service_id] as const] : []))),
      teamNames: new Map(teams.map((t) => [t.id, t.name])),
    };
  }

  /** The last failing result of each slot (its error code or message, status code and trace id), from the last day. */
  private async lastFailures(db: Db, orgId: string, slots: ReadonlyArray<{ monitor_id: string; region: string }>, now: Date) {
    const out = new Map<string, { error?: string; statusCode?: number; traceId?: string }>();
    if (slots.length === 0) return out;
    const pairs = JSON.stringify(slots.map((s) => ({ monitor_id: s.monitor_id, region: s.region })));
    const { rows } = await sql<{ monitor_id: string; region: string; error_code: string | null; status_code: number | null; trace_id: string | null; detail: Record<string, unknown> | null }>`
      SELECT x.monitor_id, x.region, r.error_code, r.status_code, r.trace_id, r.detail
      FROM jsonb_to_recordset(${pairs}::jsonb) AS x(monitor_id text, region text)
      CROSS JOIN LATERAL (
        SELECT c.error_code, c.status_code, c.trace_id, c.detail FROM check_results c
        WHERE c.org_id = ${orgId} AND c.monitor_id = x.monitor_id AND c.region = x.region AND c.status <> 'up'
          AND c.started_at >= ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz
        ORDER BY c.started_at DESC LIMIT 1
      ) r`.execute(db);
    for (const r of rows) {
      const message = typeof r.detail?.error === 'string' ? (r.detail.error as string) : undefined;
      out.set(`${r.monitor_id}@${r.region}`, {
        ...(r.error_code ?? message ? { error: r.error_code ?? message! } : {}),
        ...(r.status_code !== null ? { statusCode: r.status_code } : {}),
        ...(r.trace_id ? { traceId: r.trace_id } : {}),
      });
    }
    return out;
  }
}
