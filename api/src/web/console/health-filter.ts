import type { State, Status } from '../../contract/state.schema.ts';

// The system health view's pure part: filters read from and written to the URL's query string,
// applied to GET /v1/status, grouped by team and summed up. No I/O, so it is tested with tables.

export type StatusService = Status['services'][number];
export type StatusMonitor = StatusService['monitors'][number];
export type StatusEdge = Status['edges'][number];

const stateList: readonly State[] = ['up', 'degraded', 'down', 'unknown'];
// Worst first: a health page leads with what needs attention.
const severity: Record<State, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

/** What the health view shows: each field narrows the list; absent = no narrowing. */
export interface HealthFilter {
  team?: string;
  state?: State;
  /** A service tag as "key=value". */
  tag?: string;
  region?: string;
}

const keys = ['team', 'state', 'tag', 'region'] as const;

/** The filter a URL's query names; unknown states and empty values are ignored. */
export function filterFromQuery(query: Record<string, string | undefined>): HealthFilter {
  const filter: HealthFilter = {};
  for (const key of keys) {
    const value = query[key]?.trim();
    if (!value) continue;
    if (key === 'state') {
      if ((stateList as readonly string[]).includes(value)) filter.state = value as State;
    } else filter[key] = value;
  }
  return filter;
}

/** The console URL of the health view with `filter` in its query string (a filtered view is a link). */
export function filterUrl(filter: HealthFilter): string {
  const params = new URLSearchParams();
  for (const key of keys) if (filter[key]) params.set(key, filter[key]!);
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

/** "key=value" of every tag of a service. */
export function tagPairs(tags: Record<string, string> | undefined): string[] {
  return Object.entries(tags ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** The choices each filter offers: the teams, tags and regions present in the answer. */
export function filterOptions(status: Status, tagsOf: ReadonlyMap<string, Record<string, string>>): { teams: string[]; tags: string[]; regions: string[] } {
  const teams = new Set<string>();
  const tags = new Set<string>();
  const regions = new Set<string>();
  for (const s of status.services) {
    teams.add(s.team_id);
    for (const t of tagPairs(tagsOf.get(s.id))) tags.add(t);
    for (const m of s.monitors) for (const r of m.regions) regions.add(r.region);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return { teams: [...teams], tags: sorted(tags), regions: sorted(regions) };
}

/** A monitor narrowed to one region (its state there), or undefined when it does not run there. */
function inRegion(monitor: StatusMonitor, region: string | undefined): StatusMonitor | undefined {
  if (!region) return monitor;
  const regions = monitor.regions.filter((r) => r.region === region);
  return regions.length ? { ...monitor, regions } : undefined;
}

/**
 * The services the filter keeps, worst state first then by name. A region filter keeps the services
 * with a monitor in that region and shows only those monitors and that region's state.
 */
export function filterServices(status: Status, tagsOf: ReadonlyMap<string, Record<string, string>>, filter: HealthFilter): StatusService[] {
  const kept: StatusService[] = [];
  for (const s of status.services) {
    if (filter.team && s.team_id !== filter.team) continue;
    if (filter.state && s.state !== filter.state) continue;
    if (filter.tag && !tagPairs(tagsOf.get(s.id)).includes(filter.tag)) continue;
    const monitors = s.monitors.map((m) => inRegion(m, filter.region)).filter((m): m is StatusMonitor => m !== undefined);
    if (filter.region && monitors.length === 0) continue;
    kept.push({ ...s, monitors });
  }
  return kept.sort((a, b) => severity[a.state] - severity[b.state] || a.name.localeCompare(b.name));
}

/** Dependency edges that fail (down or degraded) among those of the team filter, worst first. */
export function failingEdges(status: Status, filter: HealthFilter): StatusEdge[] {
  return status.edges
    .filter((e) => (e.state === 'down' || e.state === 'degraded') && (!filter.team || e.team_id === filter.team))
    .filter((e) => !filter.state || e.state === filter.state)
    .sort((a, b) => severity[a.state] - severity[b.state] || a.service.localeCompare(b.service) || a.depends_on.localeCompare(b.depends_on));
}

export interface TeamGroup {
  teamId: string;
  name: string;
  services: StatusService[];
}

/** Services by team, teams in name order; a team the caller cannot read by name shows its id. */
export function groupByTeam(services: StatusService[], teamNames: ReadonlyMap<string, string>): TeamGroup[] {
  const groups = new Map<string, TeamGroup>();
  for (const s of services) {
    let group = groups.get(s.team_id);
    if (!group) groups.set(s.team_id, (group = { teamId: s.team_id, name: teamNames.get(s.team_id) ?? s.team_id, services: [] }));
    group.services.push(s);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** "12 services: 9 up, 1 degraded, 2 down" (unknown named only when there are some). */
export function summaryText(services: StatusService[]): string {
  const count: Record<State, number> = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const s of services) count[s.state] += 1;
  const n = services.length;
  const parts = [`${count.up} up`, `${count.degraded} degraded`, `${count.down} down`, ...(count.unknown ? [`${count.unknown} unknown`] : [])];
  return `${n} ${n === 1 ? 'service' : 'services'}: ${parts.join(', ')}`;
}

/** The stable error code of a slot's last error ("connection_refused: …" → "connection_refused"). */
export function errorCode(lastError: string | undefined): string | undefined {
  if (!lastError) return undefined;
  const colon = lastError.indexOf(':');
  return (colon > 0 ? lastError.slice(0, colon) : lastError).trim();
}

/** The newest check time of a monitor over its regions, or undefined when none has run. */
export function lastCheck(monitor: StatusMonitor): string | undefined {
  let newest: string | undefined;
  for (const r of monitor.regions) if (r.last_result_at && (!newest || Date.parse(r.last_result_at) > Date.parse(newest))) newest = r.last_result_at;
  return newest;
}
