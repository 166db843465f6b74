import { CALLER_HEADER, dependencyEdges, HEALTH_PATH, type EndpointModel, type FleetModel, type ServiceModel } from './fleet.model.ts';
import { PharosApiError, PharosClient } from './pharos.client.ts';
import { blocks, DeclareConflictError, DEMO_TAG, isSubset, type Conflict } from './fleet.preflight.ts';
import { declarePagers, pagerConflicts, readPagerObjects, type PagerCounts, type PagerTargets } from './pager.declare.ts';
import { declareStatusPage, type StatusPageReport } from './status-page.declare.ts';

// Declares the fleet in Pharos through the REST API: teams, services, dependency edges, monitors
// (each edge monitor names its edge: dependency_id), the organization's incident settings and the
// public status page "Acme status" (/status/acme).
// Idempotent: existing objects are found by name and left alone (or replaced when they differ
// from what the fleet needs, e.g. new ports, or an edge monitor without its edge), creates carry
// an Idempotency-Key. Objects of the same name that the demo did not declare are found before
// anything is written (preflight).

export { DEMO_TAG, isSubset, DeclareConflictError };

export interface DeclareOptions {
  apiUrl: string;
  token: string;
  model: FleetModel;
  /** Base URL of each running service, by name. */
  urls: ReadonlyMap<string, string>;
  /** Regions to run the monitors from; empty = every region with live runners. */
  regions?: string[];
  intervalSeconds?: number;
  /** The teams' pagers to declare (channel, routing policy, alert rules per team); absent: none are declared. */
  pagers?: PagerTargets;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface DeclareReport {
  teams: Counts;
  services: Counts;
  dependencies: Counts;
  monitors: Counts;
  /** Monitor name → id, for the summary. */
  monitorIds: Map<string, string>;
  /** What was declared for the teams' pagers, when asked. */
  pagers?: PagerCounts;
  /**
   * The organization's incident settings: `written` (they were never set, now the demo's),
   * `unchanged` (already the demo's) or `kept` (someone set others; the demo leaves them).
   */
  incidentSettings: 'written' | 'unchanged' | 'kept';
  /** The public status page of the shop's customer-facing services. */
  statusPage: StatusPageReport;
}

export type MonitorRole = 'health' | 'business' | 'edge';

/** A monitor the fleet needs, before service and dependency ids are known. */
export interface DesiredMonitor {
  service: string;
  role: MonitorRole;
  body: Record<string, unknown>;
  /** Edge monitors: the dependency edge they check (its id becomes dependency_id). */
  edge?: { from: string; to: string };
}

/**
 * The incident settings the demo declares: the defaults, but an incident whose alerts all resolved
 * resolves itself after 20 quiet seconds (default 180), so a healed cut shows a resolved incident
 * within a minute.
 */
export const demoIncidentSettings = { correlation_window_seconds: 300, auto_resolve: true, resolve_after_seconds: 20, root_cause_grace_seconds: 120 } as const;

interface Named {
  id: string;
  name: string;
}
type Team = Named & { description?: string };
type Service = Named & Record<string, unknown>;
type Monitor = Named & { service_id: string } & Record<string, unknown>;
type Dependency = { id: string; depends_on_service_id: string };

const CONCURRENCY = 6;

/** Monitor name of a business endpoint, e.g. "shipping-integration-get-rates". */
export function endpointMonitorName(service: string, e: Pick<EndpointModel, 'method' | 'path'>): string {
  const slug = `${e.method.toLowerCase()}-${e.path.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+/g, '-').replace(/-$/, '');
  return `${service}-${slug}`.slice(0, 100);
}
export const healthMonitorName = (service: string) => `${service}-health`;
export const edgeMonitorName = (from: string, to: string) => `${from}-reaches-${to}`.slice(0, 100);

/** Every monitor the fleet needs: /health of each service, each key endpoint, and each edge checked from the caller's zone. */
export function desiredMonitors(model: FleetModel, urls: ReadonlyMap<string, string>, options: { regions?: string[]; intervalSeconds?: number } = {}): DesiredMonitor[] {
  const interval = options.intervalSeconds ?? 30;
  const common = {
    type: 'http',
    interval_seconds: interval,
    timeout_seconds: Math.min(10, Math.max(1, interval - 1)),
    regions: options.regions ?? [],
    failure_threshold: 2,
    recovery_threshold: 1,
  };
  const urlOf = (name: string) => {
    const url = urls.get(name);
    if (!url) throw new Error(`No URL for service ${name}: is it running?`);
    return url;
  };
  const status200 = { source: 'status_code', operator: 'equals', target: '200' };
  const healthy = { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' };
  const fast = { source: 'response_time', operator: 'less_than', target: '500', severity: 'degraded' };
  // Health-endpoint metrics of a service with a pool (docs/health-metrics.md).
  const poolMetrics = [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }];
  const teamOf = new Map(model.services.map((s) => [s.name, s.team]));
  const monitors: DesiredMonitor[] = [];
  for (const s of model.services) {
    monitors.push({
      service: s.name,
      role: 'health',
      body: {
        ...common,
        name: healthMonitorName(s.name),
        description: `GET ${HEALTH_PATH} of ${s.name}.`,
        http: { method: 'GET', url: `${urlOf(s.name)}${HEALTH_PATH}`, ...(s.pool ? { metrics: poolMetrics } : {}) },
        assertions: [status200, healthy, fast],
        tags: { ...DEMO_TAG, check: 'health' },
      },
    });
    for (const e of s.endpoints) {
      if (!e.key) continue;
      const jsonAssertion = { source: 'json_body', path: e.key.property, operator: e.key.operator, ...(e.key.target !== undefined ? { target: e.key.target } : {}) };
      monitors.push({
        service: s.name,
        role: 'business',
        body: {
          ...common,
          name: endpointMonitorName(s.name, e),
          description: `${e.summary}: ${e.method} ${e.path}${e.calls.length ? `, which calls ${[...new Set(e.calls.map((c) => c.service))].join(', ')}` : ''}.`,
          http: { method: e.method, url: `${urlOf(s.name)}${e.path}`, ...(e.method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) },
          assertions: [status200, jsonAssertion, fast],
          tags: { ...DEMO_TAG, check: 'business' },
        },
      });
    }
  }
  for (const edge of dependencyEdges(model)) {
    const zone = teamOf.get(edge.from)!;
    monitors.push({
      service: edge.from,
      role: 'edge',
      edge: { from: edge.from, to: edge.to },
      body: {
        ...common,
        name: edgeMonitorName(edge.from, edge.to),
        description: `Can ${edge.from} reach ${edge.to}? GET ${HEALTH_PATH} of ${edge.to} from the ${zone} zone (where ${edge.from} runs).`,
        run_from: { zone },
        // In the simulator the caller header stands in for the source address a network policy sees.
        http: { method: 'GET', url: `${urlOf(edge.to)}${HEALTH_PATH}`, headers: { [CALLER_HEADER]: edge.from } },
        assertions: [status200, healthy, fast],
        tags: { ...DEMO_TAG, check: 'edge', downstream: edge.to },
      },
    });
  }
  return monitors;
}

function serviceBody(s: ServiceModel, teamId: string): Record<string, unknown> {
  return { name: s.name, team_id: teamId, kind: s.kind, description: s.description, tags: { ...DEMO_TAG, tier: s.tier, team: s.team } };
}

/** Declares the fleet; safe to run again (nothing is created twice). */
export async function declareFleet(options: DeclareOptions): Promise<DeclareReport> {
  const log = options.log ?? (() => {});
  const client = new PharosClient(options.apiUrl, options.token);
  await client.checkToken();
  const { model } = options;
  const monitors = desiredMonitors(model, options.urls, options);
  const report: DeclareReport = { teams: counts(), services: counts(), dependencies: counts(), monitors: counts(), monitorIds: new Map(), incidentSettings: 'unchanged', statusPage: { state: 'unchanged' } };

  // Preflight: read what exists and refuse before the first write if anything is in the way.
  const teams = await client.list<Team>('/v1/teams');
  const existingTeams = new Map(teams.map((t) => [t.name, t]));
  const existingServices = new Map((await client.list<Service>('/v1/services')).map((s) => [s.name, s]));
  const existingMonitors = new Map((await client.list<Monitor>('/v1/monitors')).map((m) => [`${m.service_id}\u0000${m.name}`, m]));
  const pagerObjects = options.pagers ? await readPagerObjects(client) : undefined;
  const conflicts = findConflicts(model, monitors, { teams, existingTeams, existingServices, existingMonitors });
  if (pagerObjects) {
    const known = new Map(model.teams.flatMap((t) => (existingTeams.has(t.name) ? [[t.name, existingTeams.get(t.name)!.id] as const] : [])));
    conflicts.push(...pagerConflicts(known, pagerObjects));
  }
  if (conflicts.length) throw new DeclareConflictError(conflicts);

  // Teams, found by name.
  const teamIds = new Map<string, string>();
  for (const t of model.teams) {
    const found = existingTeams.get(t.name);
    if (!found) {
      teamIds.set(t.name, (await client.create<Team>('/v1/teams', t)).id);
      report.teams.created++;
    } else {
      teamIds.set(t.name, found.id);
      report.teams.unchanged++;
    }
  }
  log(`teams: ${describe(report.teams)}`);

  // Services, found by name in the organization.
  const serviceIds = new Map<string, string>();
  await mapLimit(model.services, CONCURRENCY, async (s) => {
    const body = serviceBody(s, teamIds.get(s.team)!);
    const found = existingServices.get(s.name);
    if (!found) {
      serviceIds.set(s.name, (await client.create<Service>('/v1/services', body)).id);
      report.services.created++;
    } else {
      serviceIds.set(s.name, found.id);
      if (isSubset(body, found)) report.services.unchanged++;
      else {
        await client.replace(`/v1/services/${found.id}`, body);
        report.services.updated++;
      }
    }
  });
  log(`services: ${describe(report.services)}`);

  // Dependency edges, found by target service; their ids are what the edge monitors name.
  const edgesByFrom = new Map<string, string[]>();
  for (const e of dependencyEdges(model)) edgesByFrom.set(e.from, [...(edgesByFrom.get(e.from) ?? []), e.to]);
  const dependencyIds = new Map<string, string>();
  await mapLimit([...edgesByFrom], CONCURRENCY, async ([from, targets]) => {
    const fromId = serviceIds.get(from)!;
    const existing = new Map((await client.list<Dependency>(`/v1/services/${fromId}/dependencies`)).map((d) => [d.depends_on_service_id, d.id]));
    for (const to of targets) {
      const toId = serviceIds.get(to)!;
      const found = existing.get(toId);
      if (found) {
        dependencyIds.set(edgeKey(from, to), found);
        report.dependencies.unchanged++;
        continue;
      }
      const created = await client.create<Dependency>(`/v1/services/${fromId}/dependencies`, { depends_on_service_id: toId, description: `${from} calls ${to}` });
      dependencyIds.set(edgeKey(from, to), created.id);
      report.dependencies.created++;
    }
  });
  log(`dependencies: ${describe(report.dependencies)}`);

  // Monitors, found by (service, name).
  await mapLimit(monitors, CONCURRENCY, async (m) => {
    const serviceId = serviceIds.get(m.service)!;
    const name = String(m.body.name);
    const body = { ...m.body, service_id: serviceId, ...(m.edge ? { dependency_id: dependencyIds.get(edgeKey(m.edge.from, m.edge.to))! } : {}) };
    const found = existingMonitors.get(`${serviceId}\u0000${name}`);
    if (!found) {
      report.monitorIds.set(name, (await client.create<Monitor>('/v1/monitors', body)).id);
      report.monitors.created++;
      return;
    }
    report.monitorIds.set(name, found.id);
    if (isSubset(body, found)) report.monitors.unchanged++;
    else {
      await client.replace(`/v1/monitors/${found.id}`, body);
      report.monitors.updated++;
    }
  });
  log(`monitors: ${describe(report.monitors)}`);

  report.incidentSettings = await declareIncidentSettings(client);
  log(`incident settings: ${report.incidentSettings === 'kept' ? 'kept as you set them (not the demo\'s)' : report.incidentSettings}`);

  report.statusPage = await declareStatusPage(client, teamIds, serviceIds);
  log(`status page: ${statusPageWords(report.statusPage)}`);

  // The teams' pagers, last: a rule pages only once its team's route exists.
  if (options.pagers && pagerObjects) {
    report.pagers = await declarePagers(client, teamIds, options.pagers, pagerObjects);
    log(`pagers: channels ${describe(report.pagers.channels)}; routing policies ${describe(report.pagers.policies)}; alert rules ${describe(report.pagers.rules)}`);
    if (report.pagers.kept.length) log(`pagers kept as you pointed them (not at the demo): ${report.pagers.kept.join(', ')}`);
  }
  return report;
}

const counts = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * The organization's incident settings are one document, not the demo's own object: the demo
 * writes them only while they were never written (version 0, with If-Match so a concurrent write
 * wins) and leaves settings someone else chose as they are.
 */
async function declareIncidentSettings(client: PharosClient): Promise<DeclareReport['incidentSettings']> {
  const current = await client.get<Record<string, unknown> & { version: number }>('/v1/incident-settings');
  if (isSubset(demoIncidentSettings, current)) return 'unchanged';
  if (current.version !== 0) return 'kept';
  try {
    await client.replace('/v1/incident-settings', demoIncidentSettings, current.version);
    return 'written';
  } catch (error) {
    if (error instanceof PharosApiError && error.status === 412) return 'kept';
    throw error;
  }
}
/** The status page's line of the progress log and the summary. */
export function statusPageWords(page: StatusPageReport): string {
  if (page.state === 'taken') return 'not declared: the slug "acme" is taken on this Pharos server (by another organization)';
  if (page.state === 'kept') return `a page at ${page.url} exists that the demo did not declare; kept as it is`;
  return `${page.state}, ${page.url}`;
}
export const describe = (c: Counts) => `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;

/** Every existing service or monitor the declaration would have to take over although the demo did not declare it. */
function findConflicts(
  model: FleetModel,
  monitors: readonly DesiredMonitor[],
  existing: { teams: Team[]; existingTeams: Map<string, Team>; existingServices: Map<string, Service>; existingMonitors: Map<string, Monitor> },
): Conflict[] {
  const teamName = new Map(existing.teams.map((t) => [t.id, t.name]));
  const teamOf = (o: { team_id?: unknown }) => teamName.get(String(o.team_id)) ?? String(o.team_id);
  const out: Conflict[] = [];
  for (const s of model.services) {
    const found = existing.existingServices.get(s.name);
    // A team the demo has yet to create has no id: any service of that name belongs elsewhere.
    if (blocks(serviceBody(s, existing.existingTeams.get(s.team)?.id ?? ''), found)) out.push({ kind: 'service', name: s.name, id: found.id, team: teamOf(found) });
  }
  for (const m of monitors) {
    const service = existing.existingServices.get(m.service);
    if (!service) continue;
    const found = existing.existingMonitors.get(`${service.id}\u0000${String(m.body.name)}`);
    if (blocks({ ...m.body, service_id: service.id }, found)) out.push({ kind: 'monitor', name: `${m.service}/${String(m.body.name)}`, id: found.id, team: teamOf(found) });
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; the first error rejects after the in-flight calls settle. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
