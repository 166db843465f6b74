import type { CorrelatedAlert } from '../../src/modules/dependencies/correlation.ts';
import { edgeKey, serviceKey, type Evidence, type FailureGraph, type GraphEdge, type GraphService, type NodeHealth, type NodeKey } from '../../src/modules/dependencies/failure-graph.ts';

// A FailureGraph written as a small table for the correlation and root-cause tests.
//   services: 'a b c' (a service's id is its name), external: 'stripe'
//   deps: 'a>b' (a depends on b, nobody checks the connection), 'a=>b' (a monitored edge, id 'a-b')
//   health: by service name or edge ('a>b'): 'down', 'down@eu-west' (down there only, up in the other
//   region), 'degraded', 'up', each optionally '+N' (since T0 + N seconds; T0 otherwise). A node not
//   listed has no health (no monitors).

export const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
export const REGIONS = ['eu-west', 'us-east'];

export interface FleetTable {
  services: string;
  external?: string;
  deps?: string[];
  health?: Record<string, string>;
}

/** The node a table reference names: 'a' is service a, 'a>b' the edge from a to b. */
export function node(ref: string): NodeKey {
  const [from, to] = ref.split('>');
  return to === undefined ? serviceKey(ref) : edgeKey(`${from}-${to}`);
}

export function failureGraph(t: FleetTable): FailureGraph {
  const services = new Map<string, GraphService>();
  const add = (name: string, kind: GraphService['kind']) => services.set(name, { id: name, name, teamId: `team-${name}`, kind });
  for (const name of t.services.split(/\s+/).filter(Boolean)) add(name, 'internal');
  for (const name of (t.external ?? '').split(/\s+/).filter(Boolean)) add(name, 'external');
  const edges: GraphEdge[] = (t.deps ?? []).map((d) => {
    const monitored = d.includes('=>');
    const [from, to] = d.split(monitored ? '=>' : '>') as [string, string];
    if (!services.has(from) || !services.has(to)) throw new Error(`unknown service in ${d}`);
    return { id: `${from}-${to}`, from, to, teamId: `team-${from}`, monitored };
  });
  const health = new Map<NodeKey, NodeHealth>();
  for (const [ref, spec] of Object.entries(t.health ?? {})) health.set(node(ref), healthOf(ref, spec));
  return { services, edges, health };
}

function healthOf(ref: string, spec: string): NodeHealth {
  const [what, offset] = spec.split('+') as [string, string | undefined];
  const since = T0 + Number(offset ?? 0) * 1000;
  const [state, only] = what.split('@') as [string, string | undefined];
  const check = (region: string, s: Evidence['state']): Evidence => ({
    monitorId: `m-${ref}-${region}`,
    monitorName: `${ref} health`,
    region,
    state: s,
    since,
    ...(s === 'down' ? { statusCode: 503, error: 'upstream unavailable', traceId: `trace-${ref}` } : {}),
  });
  switch (state) {
    case 'down': {
      const down = only ? [only] : REGIONS;
      return { state: 'down', since, downRegions: down, upRegions: REGIONS.filter((r) => !down.includes(r)), evidence: down.map((r) => check(r, 'down')) };
    }
    case 'degraded':
      return { state: 'degraded', since, downRegions: [], upRegions: [], evidence: REGIONS.map((r) => check(r, 'degraded')) };
    case 'up':
      return { state: 'up', since, downRegions: [], upRegions: REGIONS, evidence: [] };
    default:
      throw new Error(`unknown health ${spec}`);
  }
}

/** An alert on a table reference (null: on no node), firing `at` seconds after T0, resolved `resolved` seconds after T0. */
export function alert(alertId: string, ref: string | null, at: number, resolved?: number): CorrelatedAlert {
  return { alertId, node: ref === null ? null : node(ref), firingSince: T0 + at * 1000, resolvedAt: resolved === undefined ? null : T0 + resolved * 1000 };
}

/** `n` service names with a prefix: names('web', 3) = 'web1 web2 web3'. */
export const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
