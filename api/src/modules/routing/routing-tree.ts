import { compileMatchers, type CompiledMatcher } from './matchers.ts';
import { defaultGroupBy, defaultGroupIntervalMs, defaultGroupWaitMs, defaultRepeatIntervalMs, groupByAll } from './routing.defaults.ts';
import { readPolicySpec, type PolicyScope, type StoredPolicy } from './stored-policy.ts';

// Pure: the routing trees of one organization and the walk that routes an alert (docs/alerting.md,
// "Routing"). Alertmanager's semantics: a node whose matchers all match tries its children in order,
// the first matching child wins unless it has `continue`, and a node no child takes is the route.

/** Where one alert goes: a matched policy with its inherited settings. */
export interface Route {
  /** Policy ids from the tree's top policy to the matched one. */
  policyIds: string[];
  channelIds: string[];
  /** Grouping labels, or 'all' (group_by ["..."]: every distinct label set is its own group). */
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeWindowIds: string[];
  scope: PolicyScope;
  /** The team wants one informational notice when its services are impacted by another team's incident (docs/incidents.md). */
  impactNotices: boolean;
}

interface Node {
  id: string;
  name: string;
  priority: number;
  matches: CompiledMatcher;
  continue: boolean;
  /** Settings with the parent's values filled in. */
  route: Route;
  children: Node[];
}

/** One tree: the top-level policies of a team (or of the organization), siblings under an implicit root. */
interface Tree {
  roots: Node[];
}

/** The routing trees of one organization, built once from its policies. */
export interface RoutingTrees {
  /** By team name, the value of an alert's `team` label. */
  teams: ReadonlyMap<string, Tree>;
  organization: Tree;
}

const rootRoute = (scope: PolicyScope): Route => ({
  policyIds: [], channelIds: [], groupBy: [...defaultGroupBy], groupWaitMs: defaultGroupWaitMs, groupIntervalMs: defaultGroupIntervalMs,
  repeatIntervalMs: defaultRepeatIntervalMs, muteTimeWindowIds: [], scope, impactNotices: false,
});

const bySiblingOrder = (a: Node, b: Node) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Builds a tree per team and the organization's fallback tree. A policy whose parent is missing
 * or in another tree is a top-level policy of its own tree (deletes of parents are refused, so
 * this only guards against rows changed outside the API); policies on a parent cycle are unreachable.
 */
export function buildRoutingTrees(policies: readonly StoredPolicy[]): RoutingTrees {
  const treeOf = (p: StoredPolicy) => (readPolicySpec(p.spec).scope === 'organization' || p.team_id === null ? '' : `team:${p.team_name ?? p.team_id}`);
  const byId = new Map(policies.map((p) => [p.id, p]));
  const children = new Map<string, StoredPolicy[]>();
  const roots = new Map<string, StoredPolicy[]>();
  for (const p of policies) {
    const parentId = readPolicySpec(p.spec).parentId;
    const parent = parentId ? byId.get(parentId) : undefined;
    const bucket = parent && treeOf(parent) === treeOf(p) ? children : roots;
    const key = bucket === children ? parent!.id : treeOf(p);
    bucket.set(key, [...(bucket.get(key) ?? []), p]);
  }
  const build = (p: StoredPolicy, parent: Route, depth: number): Node => {
    const s = readPolicySpec(p.spec);
    const groupBy = s.groupBy ? (s.groupBy.includes(groupByAll) ? 'all' : [...s.groupBy]) : parent.groupBy;
    const route: Route = {
      policyIds: [...parent.policyIds, p.id],
      channelIds: s.channelIds ?? parent.channelIds,
      groupBy,
      groupWaitMs: s.groupWaitMs ?? parent.groupWaitMs,
      groupIntervalMs: s.groupIntervalMs ?? parent.groupIntervalMs,
      repeatIntervalMs: s.repeatIntervalMs ?? parent.repeatIntervalMs,
      muteTimeWindowIds: s.muteTimeWindowIds ?? parent.muteTimeWindowIds,
      impactNotices: s.impactNotices ?? parent.impactNotices,
      scope: parent.scope,
    };
    // Depth is bounded on write (32 levels); the guard keeps a corrupted chain from recursing forever.
    const kids = depth < 64 ? (children.get(p.id) ?? []).map((c) => build(c, route, depth + 1)).sort(bySiblingOrder) : [];
    return { id: p.id, name: p.name, priority: s.priority, matches: compileMatchers(s.matchers), continue: s.continue, route, children: kids };
  };
  const tree = (key: string, scope: PolicyScope): Tree => ({ roots: (roots.get(key) ?? []).map((p) => build(p, rootRoute(scope), 0)).sort(bySiblingOrder) });
  const teams = new Map<string, Tree>();
  for (const key of roots.keys()) if (key.startsWith('team:')) teams.set(key.slice('team:'.length), tree(key, 'team'));
  return { teams, organization: tree('', 'organization') };
}

function matchNode(node: Node, labels: Readonly<Record<string, string>>): Route[] {
  if (!node.matches(labels)) return [];
  const routes = matchSiblings(node.children, labels);
  return routes.length ? routes : [node.route];
}

function matchSiblings(nodes: readonly Node[], labels: Readonly<Record<string, string>>): Route[] {
  const routes: Route[] = [];
  for (const child of nodes) {
    const matched = matchNode(child, labels);
    routes.push(...matched);
    if (matched.length && !child.continue) break;
  }
  return routes;
}

/**
 * The routes of an alert: the tree of the team named by its `team` label; when no policy of that
 * tree matches (or the team has none), the organization's fallback tree; [] when neither takes it.
 * A matched policy without channels still takes the alert (it is routed nowhere, on purpose).
 */
export function routeAlert(trees: RoutingTrees, labels: Readonly<Record<string, string>>): Route[] {
  const team = Object.hasOwn(labels, 'team') ? trees.teams.get(labels.team!) : undefined;
  const routes = team ? matchSiblings(team.roots, labels) : [];
  return routes.length ? routes : matchSiblings(trees.organization.roots, labels);
}

/**
 * The notification group of an alert on a route: alerts with the same key are one notification.
 * Group labels are the route's group_by labels the alert has (a missing one is left out, as in
 * Alertmanager); with 'all' they are every label. The key names the route, so the same labels on
 * two routes (continue) are two groups.
 */
export function groupKeyOf(route: Route, labels: Readonly<Record<string, string>>): { key: string; groupLabels: Record<string, string> } {
  const names = route.groupBy === 'all' ? Object.keys(labels) : route.groupBy.filter((name) => Object.hasOwn(labels, name));
  const groupLabels: Record<string, string> = {};
  for (const name of [...names].sort()) groupLabels[name] = labels[name]!;
  return { key: `${route.policyIds.join('/')}:${JSON.stringify(Object.entries(groupLabels))}`, groupLabels };
}
