import { edgeKey, idOfKey, kindOfKey, serviceKey, type NodeHealth, type NodeKey } from '../../api/src/modules/dependencies/failure-graph.ts';
import type { State } from '../../api/src/contract/state.schema.ts';
import { worstState } from '../../api/src/modules/state/state.machine.ts';
import { FLEET_T0, type SyntheticFleet } from './incident-graph.fixture.ts';

const DAY = 86_400_000;

// The synthetic fleet of bench:incidents as database rows of one organization (the pipeline half of
// the bench inserts them in bulk): a team per fixture team, a service per service (kind external or
// internal), a dependency per edge, one monitor per monitored service ("<name> health") and one per
// monitored edge (its dependency_id set, on the dependent service), each with a slot in both
// regions; slot, monitor, service and edge states as the fixture's health says. Every fixture time
// is moved by shiftMs (the fixture's clock starts at FLEET_T0, the bench's at its own now). And the
// burst: the fixture's alerts in firing order, with the flapping alert's resolution between its two
// firings, each an alert.state_changed change with the rule, team, labels and subject the evaluator
// would give it (a service's alert is about the service or its health monitor, an edge's about the
// edge).

export const FLEET_REGIONS = ['eu-west', 'us-east'] as const;

export interface FleetRows {
  teams: Array<{ id: string; name: string }>;
  services: Array<{ id: string; name: string; team_id: string; kind: 'internal' | 'external' }>;
  dependencies: Array<{ id: string; team_id: string; service_id: string; depends_on_service_id: string }>;
  monitors: Array<{ id: string; name: string; team_id: string; service_id: string; dependency_id: string | null; node: NodeKey }>;
  slotStates: Array<{ monitor_id: string; region: string; state: State; since: Date; last_error: string | null }>;
  monitorStates: Array<{ monitor_id: string; state: State; since: Date; regions_down: number; regions_total: number }>;
  serviceStates: Array<{ service_id: string; state: State; since: Date }>;
  edgeStates: Array<{ dependency_id: string; state: State; since: Date }>;
  rules: Array<{ id: string; name: string; team_id: string; expression: string }>;
}

export interface BurstChange {
  alertId: string;
  node: NodeKey;
  to: 'firing' | 'resolved';
  ruleId: string;
  teamId: string;
  labels: Record<string, string>;
  subject: { kind: 'monitor' | 'service' | 'edge'; id: string };
  /** The fixture's time of the change (before the shift): the order of the burst. */
  fixtureAt: number;
}

export const serviceMonitorId = (serviceId: string) => `mon-${serviceId}`;
export const edgeMonitorId = (dependencyId: string) => `mon-${dependencyId}`;
const ruleId = (teamId: string, kind: 'down' | 'edge' | 'errors') => `rule-${teamId}-${kind}`;

/** A slot's state in one region from its node's health (a failure in some regions only is up elsewhere). */
export function slotState(h: NodeHealth, region: string): State {
  if (h.state === 'down') return h.downRegions.includes(region) ? 'down' : 'up';
  return h.state;
}

/** The up health the fixture gives every node before the failures. */
const upHealth = (): NodeHealth => ({ state: 'up', since: FLEET_T0 - DAY, downRegions: [], upRegions: [...FLEET_REGIONS], evidence: [] });

/**
 * An edge's health as the product can hold it: a service is as bad as its monitors, its edge
 * monitors included, so an edge failing under a service the fixture keeps up (the dependent did not
 * join the failure: it fires no alert) is checked up here — else that service would fail too and
 * join failures the fixture keeps apart.
 */
export function representable(edge: NodeHealth, from: NodeHealth | undefined): NodeHealth {
  const failing = (h: NodeHealth | undefined) => h !== undefined && (h.state === 'down' || h.state === 'degraded');
  return failing(edge) && !failing(from) ? upHealth() : edge;
}

export function fleetRows(fleet: SyntheticFleet, shiftMs: number): FleetRows {
  const { graph } = fleet;
  const at = (t: number) => new Date(t + shiftMs);
  const teamIds = [...new Set([...graph.services.values()].map((s) => s.teamId))].sort();
  const rows: FleetRows = {
    teams: teamIds.map((id) => ({ id, name: id })),
    services: [...graph.services.values()].map((s) => ({ id: s.id, name: s.name, team_id: s.teamId, kind: s.kind })),
    dependencies: graph.edges.map((e) => ({ id: e.id, team_id: e.teamId, service_id: e.from, depends_on_service_id: e.to })),
    monitors: [], slotStates: [], monitorStates: [], serviceStates: [], edgeStates: [],
    rules: teamIds.flatMap((t) => [
      { id: ruleId(t, 'down'), name: `${t}-service-down`, team_id: t, expression: `down(services(team="${t}"))` },
      { id: ruleId(t, 'edge'), name: `${t}-path-blocked`, team_id: t, expression: `down(edges(team="${t}"))` },
      { id: ruleId(t, 'errors'), name: `${t}-error-rate`, team_id: t, expression: `error_rate(monitors(team="${t}"), "5m") > 20%` },
    ]),
  };
  const addMonitor = (id: string, name: string, teamId: string, serviceId: string, dependencyId: string | null, node: NodeKey, h: NodeHealth) => {
    rows.monitors.push({ id, name, team_id: teamId, service_id: serviceId, dependency_id: dependencyId, node });
    for (const region of FLEET_REGIONS) {
      const state = slotState(h, region);
      const error = h.evidence.find((e) => e.region === region)?.error ?? null;
      rows.slotStates.push({ monitor_id: id, region, state, since: at(state === h.state ? h.since : FLEET_T0 - DAY), last_error: state === 'up' ? null : error });
    }
    rows.monitorStates.push({ monitor_id: id, state: h.state, since: at(h.since), regions_down: FLEET_REGIONS.filter((r) => slotState(h, r) === 'down').length, regions_total: FLEET_REGIONS.length });
  };
  for (const s of graph.services.values()) {
    const h = graph.health.get(serviceKey(s.id));
    if (h) addMonitor(serviceMonitorId(s.id), `${s.name} health`, s.teamId, s.id, null, serviceKey(s.id), h);
  }
  for (const e of graph.edges) {
    const fixture = graph.health.get(edgeKey(e.id));
    if (!e.monitored || !fixture) continue;
    const h = representable(fixture, graph.health.get(serviceKey(e.from)));
    addMonitor(edgeMonitorId(e.id), `${graph.services.get(e.from)!.name} → ${graph.services.get(e.to)!.name}`, e.teamId, e.from, e.id, edgeKey(e.id), h);
    rows.edgeStates.push({ dependency_id: e.id, state: h.state, since: at(h.since) });
  }
  // A service's state is all its monitors' (its edge monitors included), as the state pipeline has it.
  const stateOf = new Map(rows.monitorStates.map((m) => [m.monitor_id, m]));
  const monitorsOf = new Map<string, string[]>();
  for (const m of rows.monitors) monitorsOf.set(m.service_id, [...(monitorsOf.get(m.service_id) ?? []), m.id]);
  for (const [serviceId, ids] of monitorsOf) {
    const states = ids.map((id) => stateOf.get(id)!);
    const state = worstState(states.map((s) => s.state));
    const since = Math.min(...states.filter((s) => s.state === state).map((s) => s.since.getTime()));
    rows.serviceStates.push({ service_id: serviceId, state, since: new Date(since) });
  }
  return rows;
}

/** The burst in firing order: every fixture alert fires, the flapping one resolves in between. */
export function burstChanges(fleet: SyntheticFleet): BurstChange[] {
  const { graph } = fleet;
  const changes: BurstChange[] = [];
  const seen = new Set<string>();
  for (const a of fleet.alerts) {
    if (a.node === null) continue;
    const base = { alertId: a.alertId, node: a.node };
    const edge = kindOfKey(a.node) === 'edge' ? graph.edges.find((e) => e.id === idOfKey(a.node!))! : undefined;
    const service = graph.services.get(edge ? edge.from : idOfKey(a.node))!;
    const teamId = edge ? edge.teamId : service.teamId;
    const second = a.alertId.endsWith('-errors');
    const kind = edge ? 'edge' : second ? 'errors' : 'down';
    const rule = ruleId(teamId, kind);
    const labels: Record<string, string> = {
      alertname: `${teamId}-${edge ? 'path-blocked' : second ? 'error-rate' : 'service-down'}`, service: service.name, team: teamId, severity: 'critical',
      ...(edge ? { depends_on: graph.services.get(edge.to)!.name } : {}),
      ...(second ? { monitor: `${service.name} health` } : {}),
    };
    // A rule over services (down(services(…))) gives its instance the service as subject, one over
    // monitors (down(monitors(…)), error_rate) the health monitor: half the services have each.
    const byMonitor = second || Number(service.id.slice(service.id.lastIndexOf('-') + 1)) % 2 === 1;
    const subject = edge ? { kind: 'edge' as const, id: edge.id } : byMonitor ? { kind: 'monitor' as const, id: serviceMonitorId(service.id) } : { kind: 'service' as const, id: service.id };
    const refire = seen.has(a.alertId);
    seen.add(a.alertId);
    changes.push({ ...base, to: 'firing', ruleId: rule, teamId, labels, subject, fixtureAt: a.firingSince });
    if (a.resolvedAt !== null && !refire) changes.push({ ...base, to: 'resolved', ruleId: rule, teamId, labels, subject, fixtureAt: a.resolvedAt });
  }
  return changes.sort((x, y) => x.fixtureAt - y.fixtureAt);
}
