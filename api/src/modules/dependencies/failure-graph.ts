import type { State } from '../../contract/state.schema.ts';

// The dependency graph as root-cause analysis and correlation see it: services and the edges
// between them are both nodes, with what their monitors say now. Pure data, no I/O; built by the
// incident pipeline from the database (or by a test or the bench from a table).
//
// Node keys: `service:<service id>` and `edge:<dependency id>`. A service A that depends on B
// through edge e is read as A → e → B when e has monitors of its own, and A → B as well (A depends
// on B whether or not anyone checks the connection).

export type NodeKind = 'service' | 'edge';
export type NodeKey = `service:${string}` | `edge:${string}`;

export const serviceKey = (id: string): NodeKey => `service:${id}`;
export const edgeKey = (id: string): NodeKey => `edge:${id}`;
export const kindOfKey = (key: NodeKey): NodeKind => (key.startsWith('edge:') ? 'edge' : 'service');
export const idOfKey = (key: NodeKey): string => key.slice(key.indexOf(':') + 1);

export interface GraphService {
  id: string;
  name: string;
  teamId: string;
  /** external: a third-party API the fleet depends on. */
  kind: 'internal' | 'external';
}

/** Edge `id`: service `from` depends on service `to`; owned by `from`'s team. */
export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  teamId: string;
  /** Some enabled monitor checks this edge (dependency_id); an edge without one has no state of its own. */
  monitored: boolean;
}

/** What a node's monitors say now. */
export interface NodeHealth {
  state: State;
  /** Since when the node is in `state` (epoch ms). */
  since: number;
  /** Regions in which at least one of the node's monitors is down. */
  downRegions: string[];
  /** Regions in which every monitor of the node that reports there is up. */
  upRegions: string[];
  /** Evidence of the current failure: monitors that are down or degraded, with region, error and trace id of their last failing result. */
  evidence: Evidence[];
}

export interface Evidence {
  monitorId: string;
  monitorName: string;
  region: string;
  state: State;
  /** When this monitor's slot in this region entered its state (epoch ms). */
  since: number;
  error?: string | undefined;
  statusCode?: number | undefined;
  traceId?: string | undefined;
}

export interface FailureGraph {
  services: ReadonlyMap<string, GraphService>;
  edges: readonly GraphEdge[];
  /** By node key; a node without an entry has no monitors (its state is unknown). */
  health: ReadonlyMap<NodeKey, NodeHealth>;
}

/**
 * Failing: the node is down, or down in at least one region (a region-only failure). A node that is
 * only degraded (slow, or failing in fewer regions than its quorum asks while none is down) is not
 * failing: latency alone is an impact, never a root cause.
 */
export function isFailing(h: NodeHealth | undefined): boolean {
  return h !== undefined && (h.state === 'down' || h.downRegions.length > 0);
}

/** Degraded without failing: an impact (slow or partially failing), never named as the root cause. */
export function isDegradedOnly(h: NodeHealth | undefined): boolean {
  return h !== undefined && !isFailing(h) && h.state === 'degraded';
}
