import { idOfKey, isDegradedOnly, isFailing, kindOfKey, serviceKey, type FailureGraph, type NodeHealth, type NodeKey } from './failure-graph.ts';
import { dependenciesOf, dependentsOf, edgeOf, failingComponent, failureScope, isFailureSink, nodeName } from './failure-index.ts';

// Pure: the probable root cause of an incident (docs/incidents.md, "Root cause"). The rule peers
// converge on: a failing node whose own dependencies are healthy is where the failure starts, the
// failing nodes above it are symptoms. A failing edge A → B whose target B is not failing means
// "A cannot reach B" (network, policy, DNS, credentials) and names the edge. Members of a failing
// dependency cycle are peers. Degraded (slow) nodes are never a root cause, only an impact.

export type CandidateReason = 'dependencies_healthy' | 'edge_target_healthy' | 'cycle';

export interface Candidate {
  node: NodeKey;
  reason: CandidateReason;
  /** failing or degraded nodes of the scope that depend on it */
  explains: NodeKey[];
  since: number;
  /** plain sentences saying why, with service names */
  why: string[];
  score: number;
}

export interface Impact {
  node: NodeKey;
  impact: 'failing' | 'degraded';
}

export interface RootCauseAnalysis {
  rootCause: Candidate | null;
  candidates: Candidate[];
  impacted: Impact[];
}

/** Names listed in a sentence before "and N more". */
const LISTED = 8;

/** Root cause, ranked candidates and impact of the failures reached from an incident's nodes. */
export function analyzeRootCause(graph: FailureGraph, incidentNodes: readonly NodeKey[]): RootCauseAnalysis {
  const scope = failureScope(graph, incidentNodes);
  const health = (n: NodeKey) => graph.health.get(n);
  const affected = (n: NodeKey) => isFailing(health(n)) || isDegradedOnly(health(n));

  const found: Array<Omit<Candidate, 'why' | 'score'> & { hardDown: boolean }> = [];
  for (const node of scope) {
    const h = health(node);
    if (!isFailing(h) || !isFailureSink(graph, node)) continue;
    const peers = failingComponent(graph, node)!;
    const reason: CandidateReason = peers.length > 1 ? 'cycle' : kindOfKey(node) === 'edge' ? 'edge_target_healthy' : 'dependencies_healthy';
    const explains = upstream(graph, node, (p) => scope.has(p) && affected(p)).filter((p) => p !== node);
    found.push({ node, reason, explains: explains.sort(), since: h!.since, hardDown: !regionOnly(h!) });
  }
  found.sort((a, b) => b.explains.length - a.explains.length || Number(b.hardDown) - Number(a.hardDown) || a.since - b.since || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const earliest = found.reduce((m, c) => Math.min(m, c.since), Infinity);
  const firstAlone = found.filter((c) => c.since === earliest).length === 1 && found.length > 1;
  const candidates: Candidate[] = found.map(({ hardDown, ...c }) => ({
    ...c,
    score: c.explains.length + (hardDown ? 0.5 : 0),
    why: reasons(graph, c, firstAlone && c.since === earliest),
  }));
  const rootCause = candidates[0] ?? null;

  const impacted = new Map<NodeKey, Impact['impact']>();
  for (const n of scope) {
    if (n === rootCause?.node) continue;
    if (isFailing(health(n))) impacted.set(n, 'failing');
    else if (isDegradedOnly(health(n))) impacted.set(n, 'degraded');
  }
  if (rootCause) {
    for (const n of upstream(graph, rootCause.node, affected)) if (n !== rootCause.node && !impacted.has(n) && isDegradedOnly(health(n))) impacted.set(n, 'degraded');
  }
  const order = (n: NodeKey) => health(n)?.since ?? 0;
  return {
    rootCause,
    candidates,
    impacted: [...impacted]
      .map(([node, impact]) => ({ node, impact }))
      .sort((a, b) => (a.impact === b.impact ? 0 : a.impact === 'failing' ? -1 : 1) || order(a.node) - order(b.node) || (a.node < b.node ? -1 : 1)),
  };
}

/** One line for a timeline or a notification, e.g. "fulfillment-api cannot reach shipping-integration (shipping-integration is up from eu-west, us-east)". */
export function describeRootCause(graph: FailureGraph, c: Candidate): string {
  const name = nodeName(graph, c.node);
  const h = graph.health.get(c.node);
  if (c.reason === 'edge_target_healthy') {
    const e = edgeOf(graph, c.node);
    if (!e) return `${name} is down`;
    const from = nodeName(graph, serviceKey(e.from));
    const to = nodeName(graph, serviceKey(e.to));
    return `${from} cannot reach ${to} (${targetState(graph, e.to)})`;
  }
  const where = h && regionOnly(h) ? ` in ${list(h.downRegions)} only` : '';
  if (c.reason === 'cycle') {
    const peers = (failingComponent(graph, c.node) ?? []).filter((p) => p !== c.node).map((p) => nodeName(graph, p));
    return `${name} is down${where}, in a dependency cycle with ${list(peers)} that is failing as a whole`;
  }
  if (isExternal(graph, c.node)) return `${name} (external API) is down${where}`;
  return dependenciesOf(graph, c.node).length === 0 ? `${name} is down${where}` : `${name} is down${where}; its dependencies are healthy`;
}

/** Nodes that depend on `from` (itself included) through nodes `through` accepts. */
function upstream(graph: FailureGraph, from: NodeKey, through: (n: NodeKey) => boolean): NodeKey[] {
  const seen = new Set<NodeKey>([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const p of dependentsOf(graph, todo.pop()!)) {
      if (!seen.has(p) && through(p)) {
        seen.add(p);
        todo.push(p);
      }
    }
  }
  return [...seen];
}

/** Down in some of the regions it reports in, not all (downRegions a strict subset of them). */
function regionOnly(h: NodeHealth): boolean {
  if (h.downRegions.length === 0) return false;
  const down = new Set(h.downRegions);
  return h.upRegions.some((r) => !down.has(r)) || h.evidence.some((e) => !down.has(e.region));
}

function isExternal(graph: FailureGraph, node: NodeKey): boolean {
  return kindOfKey(node) === 'service' && graph.services.get(idOfKey(node))?.kind === 'external';
}

function targetState(graph: FailureGraph, serviceId: string): string {
  const to = nodeName(graph, serviceKey(serviceId));
  const h = graph.health.get(serviceKey(serviceId));
  if (!h) return `${to} has no monitors of its own`;
  if (h.state === 'degraded') return `${to} is degraded, not down`;
  if (h.upRegions.length > 0) return `${to} is up from ${list([...h.upRegions].sort())}`;
  return `${to} is ${h.state === 'up' ? 'up' : 'not failing'}`;
}

function reasons(graph: FailureGraph, c: Omit<Candidate, 'why' | 'score'>, first: boolean): string[] {
  const name = nodeName(graph, c.node);
  const h = graph.health.get(c.node)!;
  const why: string[] = [];
  if (c.reason === 'edge_target_healthy') {
    const e = edgeOf(graph, c.node);
    const from = e ? nodeName(graph, serviceKey(e.from)) : name;
    const to = e ? nodeName(graph, serviceKey(e.to)) : 'its target';
    why.push(`${from} cannot reach ${to}, and ${e ? targetState(graph, e.to) : `${to} is not failing`}: look at the network, policies, DNS or credentials between them`);
  } else if (c.reason === 'cycle') {
    const peers = (failingComponent(graph, c.node) ?? []).filter((p) => p !== c.node).map((p) => nodeName(graph, p));
    why.push(`${name} is in a dependency cycle with ${list(peers)} that is failing as a whole; members of a cycle are peers, any of them may be the cause`);
  } else {
    const external = isExternal(graph, c.node) ? `${name} is an external API and it is down` : `${name} is down`;
    const deps = dependenciesOf(graph, c.node);
    why.push(deps.length === 0 ? `${external}; it has no dependencies of its own` : `${external} and none of its dependencies is failing`);
  }
  why.push(explainsSentence(graph, c.explains));
  const at = new Date(c.since).toISOString().slice(11, 19) + 'Z';
  why.push(first ? `failed first, at ${at}` : `failing since ${at}`);
  if (regionOnly(h)) why.push(`down in ${list(h.downRegions)} only${h.upRegions.length > 0 ? `; up in ${list(h.upRegions)}` : ''}`);
  else if (h.downRegions.length > 0) why.push(`down in every region it is checked from (${list(h.downRegions)})`);
  const failingChecks = h.evidence.filter((e) => e.state === 'down');
  if (failingChecks.length > 0) {
    const shown = failingChecks.slice(0, 3).map((e) => {
      const details = [e.statusCode !== undefined ? `HTTP ${e.statusCode}` : undefined, e.error, e.traceId ? `trace ${e.traceId}` : undefined].filter(Boolean);
      return `${e.monitorName} in ${e.region}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
    });
    why.push(`failing checks: ${shown.join('; ')}${failingChecks.length > 3 ? `; and ${failingChecks.length - 3} more` : ''}`);
  }
  return why;
}

function explainsSentence(graph: FailureGraph, explains: readonly NodeKey[]): string {
  if (explains.length === 0) return 'explains no other failing node of the incident';
  const groups: Array<[string, string, NodeKey[]]> = [
    ['failing service', 'failing services', []],
    ['failing connection', 'failing connections', []],
    ['degraded node', 'degraded nodes', []],
  ];
  for (const n of explains) {
    const h = graph.health.get(n);
    groups[isDegradedOnly(h) ? 2 : kindOfKey(n) === 'edge' ? 1 : 0]![2].push(n);
  }
  const parts = groups
    .filter(([, , nodes]) => nodes.length > 0)
    .map(([one, many, nodes]) => `${nodes.length} ${nodes.length === 1 ? one : many}: ${list(nodes.map((n) => nodeName(graph, n)).sort())}`);
  return `explains ${parts.join('; ')}`;
}

function list(names: readonly string[]): string {
  if (names.length <= LISTED) return names.join(', ');
  return `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`;
}
