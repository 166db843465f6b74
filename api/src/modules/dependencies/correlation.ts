import type { FailureGraph, NodeKey } from './failure-graph.ts';
import { failingSinks, failureReach } from './failure-index.ts';
import { analyzeRootCause } from './root-cause.ts';

// Pure: which firing alerts belong to one incident (docs/incidents.md, "Correlation"). Alerts on
// nodes whose failures are connected in the dependency graph (one depends on the other through
// failing nodes, or both on a common failing node) and that start within the correlation window
// become one incident; a later alert on a connected node joins an incident that still has a firing
// alert; an alert that flaps (resolves and fires again within the window) returns to its incident.

export { failureReach };

export interface CorrelatedAlert {
  alertId: string;
  node: NodeKey | null;
  firingSince: number;
  resolvedAt: number | null;
}

export interface IncidentView {
  id: string;
  openedAt: number;
  alerts: readonly CorrelatedAlert[];
  rootCause: NodeKey | null;
}

/** Two nodes' failures are connected: their failure reaches intersect (one depends on the other through failing nodes, or both on a common failing node). */
export function related(graph: FailureGraph, a: NodeKey, b: NodeKey): boolean {
  if (a === b) return true;
  return intersects(failingSinks(graph, a), failingSinks(graph, b));
}

function intersects(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a === b) return a.size > 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}

/** The open incident a newly firing alert joins (undefined: it opens a new one). */
export function incidentFor(graph: FailureGraph, alert: CorrelatedAlert, open: readonly IncidentView[], windowMs: number): string | undefined {
  const t = alert.firingSince;
  const firing = (a: CorrelatedAlert) => a.resolvedAt === null || a.resolvedAt > t;
  const resolvedWithin = (a: CorrelatedAlert) => a.resolvedAt !== null && a.resolvedAt <= t && t - a.resolvedAt < windowMs;
  const mine = alert.node === null ? undefined : failingSinks(graph, alert.node);
  const connected = (n: NodeKey | null) => n !== null && mine !== undefined && (n === alert.node || intersects(mine, failingSinks(graph, n)));
  const joins = (incident: IncidentView): boolean => {
    // A flap: the same alert fired here and resolved within the window (or is still firing here).
    if (incident.alerts.some((a) => a.alertId === alert.alertId && (firing(a) || resolvedWithin(a)))) return true;
    if (mine === undefined) return false;
    if (Math.abs(t - incident.openedAt) > windowMs && !incident.alerts.some(firing)) return false;
    return connected(incident.rootCause) || incident.alerts.some((a) => (firing(a) || resolvedWithin(a)) && connected(a.node));
  };
  // Several matches: the earliest opened, then the smallest id.
  let best: IncidentView | undefined;
  for (const incident of open) {
    if (best && (incident.openedAt > best.openedAt || (incident.openedAt === best.openedAt && incident.id > best.id))) continue;
    if (joins(incident)) best = incident;
  }
  return best?.id;
}

/** Batch form (tests, bench): alerts in firing order grouped into incidents, as lists of alert ids. */
export function groupAlerts(graph: FailureGraph, alerts: readonly CorrelatedAlert[], windowMs: number): string[][] {
  const ordered = alerts.map((a, i) => ({ a, i })).sort((x, y) => x.a.firingSince - y.a.firingSince || x.i - y.i);
  const incidents: Array<IncidentView & { alerts: CorrelatedAlert[] }> = [];
  const byId = new Map<string, (typeof incidents)[number]>();
  for (const { a } of ordered) {
    const joined = incidentFor(graph, a, incidents, windowMs);
    let incident = joined === undefined ? undefined : byId.get(joined);
    if (!incident) {
      incident = { id: `incident-${String(incidents.length + 1).padStart(6, '0')}`, openedAt: a.firingSince, alerts: [], rootCause: null };
      incidents.push(incident);
      byId.set(incident.id, incident);
    }
    incident.alerts.push(a);
    incident.rootCause = analyzeRootCause(graph, nodesOf(incident.alerts)).rootCause?.node ?? null;
  }
  return incidents.map((i) => [...new Set(i.alerts.map((a) => a.alertId))]);
}

/** The distinct nodes of an incident's alerts, in the order they joined. */
export function nodesOf(alerts: readonly CorrelatedAlert[]): NodeKey[] {
  const nodes = new Set<NodeKey>();
  for (const a of alerts) if (a.node !== null) nodes.add(a.node);
  return [...nodes];
}
