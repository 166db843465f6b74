import type { DependencyGraph, GraphEdge, GraphNode } from '../../../contract/dependency-graph.schema.ts';
import type { IncidentSummary } from '../../../contract/incident.schema.ts';

// The dependency map's model: what the API says (GET /v1/dependency-graph and the open incidents)
// turned into Cytoscape element definitions, their classes, the accessible summary and the list of
// failing elements. Pure: the view draws what this returns and patches it in place on live changes.

type State = GraphNode['state'];

/** An open incident as the map uses it: its root cause and, when its detail was read, what it impacts. */
export interface MapIncident {
  id: string;
  number: number;
  title: string;
  root_cause: IncidentSummary['root_cause'];
  impacted?: Array<{ kind?: string; id?: string; node?: string }>;
}

export type ElementKind = 'team' | 'service' | 'edge';

/** The data of a map element (Cytoscape's `data`); `ref` is the API id of the service, edge or team. */
export interface MapElementData {
  id: string;
  ref: string;
  kind: ElementKind;
  label: string;
  /** Node width in pixels, from its label (the layout needs sizes before anything is drawn). */
  w?: number;
  h?: number;
  parent?: string;
  source?: string;
  target?: string;
  state?: State;
  team_id?: string;
  team?: string;
  /** The incident this element is the root cause of, or is involved in. */
  incident_id?: string;
  incident_number?: number;
  root_cause_of?: number;
}

export interface MapElement {
  group: 'nodes' | 'edges';
  data: MapElementData;
  classes: string[];
}

/** An element in the accessible list: a failing service or edge (or any, when listing all). */
export interface MapListItem {
  id: string;
  kind: 'service' | 'edge';
  label: string;
  team: string;
  state: State;
  /** "root cause of incident #3", "impacted by incident #3", or empty. */
  note: string;
  incident_id?: string;
}

export interface MapModel {
  elements: MapElement[];
  /** The container's aria-label: counts and what fails. */
  summary: string;
  /** Failing services and edges, root causes first, then down, then degraded. */
  failing: MapListItem[];
  /** Every service and edge, by name. */
  all: MapListItem[];
  teams: Array<{ id: string; name: string }>;
}

export const serviceElementId = (id: string) => `s:${id}`;
export const edgeElementId = (id: string) => `e:${id}`;
export const teamElementId = (id: string) => `t:${id}`;

const failingStates: ReadonlySet<State> = new Set<State>(['down', 'degraded']);
const rank = (i: MapListItem) => (i.note.startsWith('root cause') ? 0 : i.state === 'down' ? 1 : 2);

/**
 * Width of a service node, from its longest label line (13 px system font ≈ 7.4 px a character),
 * at least what "degraded" needs, so a live state change does not widen the node into its neighbours.
 */
export function nodeWidth(label: string): number {
  const longest = Math.max('degraded'.length, ...label.split('\n').map((l) => l.length));
  return Math.round(longest * 7.4 + 24);
}

/** Height of a service node: 16 px a label line plus padding. */
export function nodeHeight(label: string): number {
  return label.split('\n').length * 16 + 14;
}

/** Which element an incident's root cause names (service:<id> or edge:<dependency id>), if any. */
export function rootCauseElement(root: MapIncident['root_cause']): string | undefined {
  if (!root) return undefined;
  const [kindFromNode, idFromNode] = root.node ? root.node.split(':', 2) : [];
  const kind = root.kind ?? kindFromNode;
  const id = root.id ?? idFromNode;
  if (!id) return undefined;
  if (kind === 'service') return serviceElementId(id);
  if (kind === 'edge') return edgeElementId(id);
  return undefined;
}

function impactedElement(i: { kind?: string; id?: string; node?: string }): string | undefined {
  return rootCauseElement({ ...(i.kind ? { kind: i.kind } : {}), ...(i.id ? { id: i.id } : {}), ...(i.node ? { node: i.node } : {}) });
}

/** Classes of a service node or an edge: its kind, its state, failing, root cause, impacted, unmonitored. */
export function classesOf(kind: 'service' | 'edge', state: State, flags: { rootCause: boolean; impacted: boolean; external?: boolean; monitored?: boolean; outOfScope?: boolean }): string[] {
  const classes: string[] = [kind, `state-${state}`];
  if (failingStates.has(state)) classes.push('failing');
  if (flags.rootCause) classes.push('root-cause');
  else if (flags.impacted) classes.push('impacted');
  if (kind === 'service' && flags.external) classes.push('external');
  if (kind === 'service' && flags.outOfScope) classes.push('neighbour');
  if (kind === 'edge' && flags.monitored === false) classes.push('unmonitored');
  return classes;
}

/** A service node's label: its name, and below it what is wrong (so state never rests on colour alone). */
export function serviceLabel(name: string, state: State, rootCause: boolean): string {
  if (rootCause) return `${name}\n${state} · root cause`;
  return state === 'up' ? name : `${name}\n${state}`;
}

/** An edge's label, shown on hover and selection (always for a root cause). */
export function edgeLabel(state: State, rootCause: boolean, monitored: boolean): string {
  if (rootCause) return 'root cause';
  return monitored ? state : 'not monitored';
}

/**
 * The map of a dependency graph and its open incidents. Edges whose ends are not in the graph are
 * left out (Cytoscape refuses them); cycles are kept as they are (the layout breaks them).
 */
export function buildMapModel(graph: DependencyGraph, incidents: readonly MapIncident[]): MapModel {
  const roots = new Map<string, MapIncident>();
  const impacted = new Map<string, MapIncident>();
  for (const incident of incidents) {
    const root = rootCauseElement(incident.root_cause);
    if (root && !roots.has(root)) roots.set(root, incident);
    for (const i of incident.impacted ?? []) {
      const el = impactedElement(i);
      if (el && !impacted.has(el)) impacted.set(el, incident);
    }
  }
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const teamOf = new Map(graph.nodes.map((n) => [n.id, n.team]));

  const teams = new Map<string, string>();
  for (const n of graph.nodes) if (!teams.has(n.team_id)) teams.set(n.team_id, n.team);
  const teamList = [...teams].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));

  const elements: MapElement[] = teamList.map((t) => ({ group: 'nodes', data: { id: teamElementId(t.id), ref: t.id, kind: 'team', label: t.name }, classes: ['team'] }));
  const all: MapListItem[] = [];

  // Impact comes from an incident's detail (its impacted list); for an incident whose detail was not
  // read, every element it involves (open_incident) counts as impacted. An element an incident
  // involves without impact (e.g. the healthy target of a cut edge) links to it, unmarked.
  const involvement = (elementId: string, own: GraphNode['open_incident']) => {
    const root = roots.get(elementId);
    const ownIncident = own ? byId.get(own.id) ?? { id: own.id, number: own.number, title: '', root_cause: null } : undefined;
    const impactedBy = root ? undefined : impacted.get(elementId) ?? (ownIncident && !ownIncident.impacted ? ownIncident : undefined);
    return { root, hit: root ?? impactedBy ?? ownIncident, impactedBy };
  };

  for (const n of graph.nodes) {
    const id = serviceElementId(n.id);
    const { root, hit, impactedBy } = involvement(id, n.open_incident);
    const label = serviceLabel(n.name, n.state, Boolean(root));
    elements.push({
      group: 'nodes',
      data: {
        id, ref: n.id, kind: 'service', label, w: nodeWidth(label), h: nodeHeight(label), parent: teamElementId(n.team_id), state: n.state, team_id: n.team_id, team: n.team,
        ...(hit ? { incident_id: hit.id, incident_number: hit.number } : {}), ...(root ? { root_cause_of: root.number } : {}),
      },
      classes: classesOf('service', n.state, { rootCause: Boolean(root), impacted: impactedBy !== undefined, external: n.kind === 'external', outOfScope: !n.in_scope }),
    });
    all.push(listItem(id, 'service', n.name, n.team, n.state, root, impactedBy));
  }

  let edgeCount = 0;
  for (const e of graph.edges) {
    if (!nodeIds.has(e.service_id) || !nodeIds.has(e.depends_on_service_id)) continue;
    edgeCount++;
    const id = edgeElementId(e.id);
    const { root, hit, impactedBy } = involvement(id, e.open_incident);
    elements.push({
      group: 'edges',
      data: {
        id, ref: e.id, kind: 'edge', label: edgeLabel(e.state, Boolean(root), e.monitored), source: serviceElementId(e.service_id), target: serviceElementId(e.depends_on_service_id),
        state: e.state, team_id: e.team_id, ...(hit ? { incident_id: hit.id, incident_number: hit.number } : {}), ...(root ? { root_cause_of: root.number } : {}),
      },
      classes: classesOf('edge', e.state, { rootCause: Boolean(root), impacted: impactedBy !== undefined, monitored: e.monitored }),
    });
    all.push(listItem(id, 'edge', edgeName(e, names), teamOf.get(e.service_id) ?? '', e.state, root, impactedBy));
  }

  all.sort((a, b) => (a.kind === b.kind ? a.label.localeCompare(b.label) : a.kind === 'service' ? -1 : 1));
  const failing = all.filter((i) => failingStates.has(i.state) || i.note.startsWith('root cause')).sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  return { elements, summary: summaryOf(graph.nodes.length, teamList.length, edgeCount, failing), failing, all, teams: teamList };
}

/** "from → to" with service names. */
export function edgeName(e: Pick<GraphEdge, 'service_id' | 'depends_on_service_id'>, names: ReadonlyMap<string, string>): string {
  return `${names.get(e.service_id) ?? e.service_id} → ${names.get(e.depends_on_service_id) ?? e.depends_on_service_id}`;
}

function listItem(id: string, kind: 'service' | 'edge', label: string, team: string, state: State, root: MapIncident | undefined, impactedBy: MapIncident | undefined): MapListItem {
  const incident = root ?? impactedBy;
  const note = root ? `root cause of incident #${root.number}` : impactedBy ? `impacted by incident #${impactedBy.number}` : '';
  return { id, kind, label, team, state, note, ...(incident ? { incident_id: incident.id } : {}) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The accessible summary: counts, then the failing elements (the first five, then how many more). */
export function summaryOf(services: number, teams: number, edges: number, failing: readonly MapListItem[]): string {
  const head = `Dependency map: ${plural(services, 'service', 'services')} in ${plural(teams, 'team', 'teams')}, ${plural(edges, 'dependency', 'dependencies')}`;
  if (failing.length === 0) return `${head}; nothing failing.`;
  const shown = failing.slice(0, 5).map((i) => `${i.label} (${i.note ? `${i.state}, ${i.note}` : i.state})`);
  const more = failing.length > 5 ? `, and ${failing.length - 5} more` : '';
  return `${head}; failing: ${shown.join(', ')}${more}.`;
}

/**
 * The elements a team filter shows: the team, its services, every edge touching them and the
 * services at the other end of those edges (for context). Undefined team: everything.
 */
export function teamScope(model: Pick<MapModel, 'elements'>, teamId: string | undefined): Set<string> | undefined {
  if (!teamId) return undefined;
  const visible = new Set<string>();
  const services = new Set(model.elements.filter((e) => e.data.kind === 'service' && e.data.team_id === teamId).map((e) => e.data.id));
  for (const e of model.elements) {
    if (e.data.kind !== 'edge') continue;
    if (services.has(e.data.source!) || services.has(e.data.target!)) {
      visible.add(e.data.id);
      visible.add(e.data.source!);
      visible.add(e.data.target!);
    }
  }
  for (const id of services) visible.add(id);
  for (const e of model.elements) if (e.data.kind === 'service' && visible.has(e.data.id) && e.data.parent) visible.add(e.data.parent);
  return visible;
}

/** The service whose name matches a search best: exact, then prefix, then substring (case-insensitive). */
export function findService(model: Pick<MapModel, 'all'>, query: string): MapListItem | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  const services = model.all.filter((i) => i.kind === 'service');
  return services.find((s) => s.label.toLowerCase() === q) ?? services.find((s) => s.label.toLowerCase().startsWith(q)) ?? services.find((s) => s.label.toLowerCase().includes(q));
}

/** Applies live state changes to a graph (services and edges by id); answers whether anything changed. */
export function applyStates(graph: DependencyGraph, changes: ReadonlyArray<{ subject_type: string; subject_id: string; region: string | null; to: string; at: string }>): boolean {
  let changed = false;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map(graph.edges.map((e) => [e.id, e]));
  for (const c of changes) {
    if (c.region !== null || !isState(c.to)) continue;
    const target = c.subject_type === 'service' ? nodes.get(c.subject_id) : c.subject_type === 'edge' ? edges.get(c.subject_id) : undefined;
    if (!target || target.state === c.to) continue;
    target.state = c.to;
    target.since = c.at;
    changed = true;
  }
  return changed;
}

const isState = (s: string): s is State => s === 'up' || s === 'down' || s === 'degraded' || s === 'unknown';
