import { idOfKey, kindOfKey, type FailureGraph, type NodeKey } from '../dependencies/failure-graph.ts';
import { edgeOf, nodeName } from '../dependencies/failure-index.ts';
import { describeRootCause, type Candidate, type RootCauseAnalysis } from '../dependencies/root-cause.ts';

export { nodeName };
import type { LoadedGraph } from './incident-graph.repository.ts';

// Pure: an analysis as an incident stores and shows it (names, teams, evidence), and the title.

export interface DescribedNode {
  node: NodeKey;
  kind: 'service' | 'edge';
  id: string;
  /** The service's name, or "from → to" for an edge. */
  name: string;
  team_id: string | null;
  team_name?: string;
}

export interface DescribedCandidate extends DescribedNode {
  reason: Candidate['reason'];
  description: string;
  why: string[];
  since: string;
  score: number;
  explains: string[];
}

export interface IncidentDescription {
  title: string;
  rootCause: (DescribedCandidate & { team_name: string }) | null;
  candidates: DescribedCandidate[];
  impacted: Array<DescribedNode & { impact: 'failing' | 'degraded' }>;
  evidence: Array<{ node: NodeKey; subject: string; monitor_id: string; monitor: string; region: string; state: string; since: string; error?: string; status_code?: number; trace_id?: string }>;
  serviceIds: string[];
  teamIds: string[];
}

/** Most evidence rows kept on an incident. */
const EVIDENCE_ROWS = 50;

function teamOf(graph: FailureGraph, key: NodeKey): string | null {
  const id = idOfKey(key);
  if (kindOfKey(key) === 'service') return graph.services.get(id)?.teamId ?? null;
  return edgeOf(graph, key)?.teamId ?? null;
}

/** The services a node involves: itself, or both ends of an edge. */
function servicesOf(graph: FailureGraph, key: NodeKey): string[] {
  const id = idOfKey(key);
  if (kindOfKey(key) === 'service') return graph.services.has(id) ? [id] : [];
  const e = edgeOf(graph, key);
  return e ? [e.from, e.to] : [];
}

export function describeIncident(
  loaded: Pick<LoadedGraph, 'graph'> & { teamNames?: ReadonlyMap<string, string> },
  analysis: RootCauseAnalysis,
  alerts: ReadonlyArray<{ team_id: string; node: NodeKey | null; severity: string; rule_name: string }>,
): IncidentDescription {
  const { graph } = loaded;
  const described = (key: NodeKey): DescribedNode => ({ node: key, kind: kindOfKey(key), id: idOfKey(key), name: nodeName(graph, key), team_id: teamOf(graph, key) });
  const candidate = (c: Candidate): DescribedCandidate => ({
    ...described(c.node), reason: c.reason, description: describeRootCause(graph, c), why: c.why, since: new Date(c.since).toISOString(), score: c.score, explains: c.explains.map((n) => nodeName(graph, n)),
  });
  const top = analysis.rootCause ? candidate(analysis.rootCause) : null;
  const rootCause = top ? { ...top, team_name: (top.team_id && loaded.teamNames?.get(top.team_id)) || top.team_id || '' } : null;
  const impacted = analysis.impacted.map((i) => ({ ...described(i.node), impact: i.impact }));
  // An edge that is the root cause impacts the service at its start, even when that service's own monitors are up.
  if (analysis.rootCause && kindOfKey(analysis.rootCause.node) === 'edge') {
    const e = edgeOf(graph, analysis.rootCause.node);
    if (e && !impacted.some((i) => i.node === `service:${e.from}`)) impacted.unshift({ ...described(`service:${e.from}`), impact: 'failing' });
  }
  const nodes: NodeKey[] = [...(analysis.rootCause ? [analysis.rootCause.node] : []), ...analysis.impacted.map((i) => i.node)];
  const evidence = nodes
    .flatMap((key) =>
      (graph.health.get(key)?.evidence ?? []).map((e) => ({
        node: key, subject: nodeName(graph, key), monitor_id: e.monitorId, monitor: e.monitorName, region: e.region, state: e.state, since: new Date(e.since).toISOString(),
        ...(e.error ? { error: e.error } : {}), ...(e.statusCode !== undefined ? { status_code: e.statusCode } : {}), ...(e.traceId ? { trace_id: e.traceId } : {}),
      })),
    )
    // A service's evidence includes its edges' monitors: each monitor and region once, under the first node that shows it.
    .filter((e, i, all) => all.findIndex((x) => x.monitor_id === e.monitor_id && x.region === e.region) === i)
    .slice(0, EVIDENCE_ROWS);
  const alertNodes = alerts.flatMap((a) => (a.node ? [a.node] : []));
  const serviceIds = [...new Set([...nodes, ...alertNodes].flatMap((k) => servicesOf(graph, k)))].sort();
  const teamIds = [...new Set([...serviceIds.map((id) => graph.services.get(id)?.teamId).filter((t): t is string => !!t), ...alerts.map((a) => a.team_id)])].sort();
  const first = alerts[0];
  const title = top ? top.description : first ? `${first.rule_name}${first.node ? ` on ${nodeName(graph, first.node)}` : ''}` : 'Incident';
  return { title: title.slice(0, 200), rootCause, candidates: analysis.candidates.map(candidate), impacted, evidence, serviceIds, teamIds };
}
