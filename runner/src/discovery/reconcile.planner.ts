import { objectId, type DesiredSet } from './desired.builder.ts';
import { missingSinceTag, objectTag, sourceTag, type DesiredMonitor, type MonitorDoc, type ObjectProblem, type ObjectRef } from './discovery.types.ts';

// The one pure step of a sync: what the cluster asks for, against what Pharos holds, gives the writes
// to make. No I/O and no clock (`now` is a parameter), so every rule below is a table-test case
// (runner/test/discovery-planner.test.ts).
//
// Rules:
// - only objects managed by "discovery" are written; a monitor carrying this source's object tag but
//   managed by terraform or api (adopted with `terraform import`, or edited by a person) is left alone
//   and its object reported as managed_elsewhere;
// - an object with a problem (bad annotation, unknown team…) is held: its existing monitors are
//   neither updated nor deleted;
// - a managed monitor whose object is gone (or opted out) is first tagged pharos.dev/missing-since,
//   then deleted once the grace has passed since that time (kept across restarts in the tag); an
//   object that comes back clears the tag in place (same id);
// - equal documents are not written: a sync of an unchanged cluster writes nothing.

export type Manager = 'terraform' | 'discovery' | 'api';

/** A monitor as the API lists it (the fields the planner compares). */
export interface CurrentMonitor {
  id: string;
  name: string;
  service_id: string;
  managed_by?: Manager;
  type?: string;
  description?: string;
  enabled?: boolean;
  interval_seconds?: number;
  timeout_seconds?: number;
  regions?: string[];
  run_from?: { zone?: string; labels?: Record<string, string> };
  http?: { method?: string; url?: string };
  assertions?: { source: string; operator: string; target?: string; path?: string; severity?: string }[];
  dependency_id?: string | null;
  tags?: Record<string, string>;
  created_at?: string;
}

export interface CurrentService {
  id: string;
  name: string;
  team_id: string;
  managed_by?: Manager;
  tags?: Record<string, string>;
}

export interface CurrentEdge {
  id: string;
  depends_on_service_id: string;
  managed_by?: Manager;
}

export interface Current {
  teams: readonly { id: string; name: string }[];
  services: readonly CurrentService[];
  /** Every monitor tagged with this source, whoever manages it. */
  monitors: readonly CurrentMonitor[];
  /** Outgoing edges of the discovery-managed services, by service id. */
  edges: ReadonlyMap<string, readonly CurrentEdge[]>;
}

export interface PlanOptions {
  source: string;
  graceSeconds: number;
  now: Date;
}

export type MonitorBody = MonitorDoc & { service: string };

export interface Plan {
  createServices: { name: string; team_id: string; tags: Record<string, string>; description: string }[];
  createMonitors: { key: string; object: ObjectRef; body: MonitorBody }[];
  /** Full replacements (PUT): annotation changes, a returning object. */
  updateMonitors: { id: string; key: string; object: ObjectRef; body: MonitorBody }[];
  /** Tag pharos.dev/missing-since on a monitor whose object is gone (PATCH of its tags). */
  markMissing: { id: string; key: string; tags: Record<string, string> }[];
  deleteMonitors: { id: string; key: string; name: string }[];
  createEdges: { service: string; dependsOn: string }[];
  deleteEdges: { serviceId: string; id: string }[];
  /** Discovery-managed services of this source no desired monitor uses any more (deleted once empty). */
  deleteServices: { id: string; name: string }[];
  unchanged: number;
  problems: ObjectProblem[];
  /** Earliest time a pending grace runs out (the agent syncs again then). */
  nextDeadline: Date | undefined;
}

const managerOf = (m: { managed_by?: Manager }): Manager => m.managed_by ?? 'api';

/** A canonical string of the fields discovery writes; equal strings mean nothing to write. */
export function projection(m: Omit<CurrentMonitor, 'id'>): string {
  const sortedTags = Object.entries(m.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    m.name, m.service_id, m.type ?? 'http', m.description ?? '', m.enabled ?? true, m.interval_seconds ?? 60, Number(m.timeout_seconds ?? 10),
    [...(m.regions ?? [])].sort(), m.run_from?.zone ?? null, Object.keys(m.run_from?.labels ?? {}).length, m.http?.method ?? 'GET', m.http?.url ?? null,
    (m.assertions ?? []).map((a) => [a.source, a.operator, a.target ?? null, a.path ?? null, a.severity === 'degraded' ? 'degraded' : 'down']),
    m.dependency_id ?? null, sortedTags,
  ]);
}

/** Plans one sync. */
export function planReconcile(desired: DesiredSet, current: Current, options: PlanOptions): Plan {
  const plan: Plan = {
    createServices: [], createMonitors: [], updateMonitors: [], markMissing: [], deleteMonitors: [], createEdges: [], deleteEdges: [], deleteServices: [],
    unchanged: 0, problems: [...desired.problems], nextDeadline: undefined,
  };
  const held = new Set(desired.held);
  const hold = (m: DesiredMonitor, code: ObjectProblem['code'], message: string) => {
    plan.problems.push({ object: m.object, code, message });
    held.add(objectId(m.object));
  };
  const teams = new Map(current.teams.map((t) => [t.name, t]));
  const teamNames = new Map(current.teams.map((t) => [t.id, t.name]));
  const services = new Map(current.services.map((s) => [s.name, s]));
  const servicesById = new Map(current.services.map((s) => [s.id, s]));

  // Teams and services of each desired monitor.
  const newServices = new Map<string, string>(); // name → team id
  const accepted: DesiredMonitor[] = [];
  for (const m of desired.monitors) {
    const team = teams.get(m.team);
    if (!team) {
      hold(m, 'unknown_team', `pharos.dev/team: no Pharos team is named "${m.team}" (or the agent's token cannot see it). Create the team, fix the name, or give the token's owner a role in it.`);
      continue;
    }
    const existing = services.get(m.service);
    const teamOfService = existing ? existing.team_id : newServices.get(m.service);
    if (teamOfService !== undefined && teamOfService !== team.id) {
      hold(m, 'team_mismatch', `service "${m.service}" belongs to team "${teamNames.get(teamOfService) ?? teamOfService}", not "${m.team}": set pharos.dev/team to its team, or pharos.dev/service to another service.`);
      continue;
    }
    if (!existing) newServices.set(m.service, team.id);
    accepted.push(m);
  }
  // Objects whose other monitors were held are held whole: a half-applied object is harder to reason about.
  const live = accepted.filter((m) => !held.has(objectId(m.object)));
  for (const [name, team_id] of newServices) {
    if (!live.some((m) => m.service === name)) continue;
    plan.createServices.push({ name, team_id, tags: { [sourceTag]: options.source }, description: `Discovered by "${options.source}" from Kubernetes.` });
  }

  // Dependency edges, on the services discovery manages.
  const known = (name: string) => services.has(name) || plan.createServices.some((s) => s.name === name);
  const wantedEdges = new Map<string, Set<string>>();
  const final: DesiredMonitor[] = [];
  for (const m of live) {
    const unknown = m.dependsOn.filter((d) => !known(d));
    if (unknown.length) {
      hold(m, 'unknown_dependency', `pharos.dev/depends-on: no Pharos service is named ${unknown.map((u) => `"${u}"`).join(', ')}; create it (or annotate the Kubernetes object that provides it) or fix the name.`);
      continue;
    }
    const service = services.get(m.service);
    if (m.dependsOn.length && service && managerOf(service) !== 'discovery') {
      plan.problems.push({ object: m.object, code: 'managed_elsewhere', message: `pharos.dev/depends-on: service "${m.service}" is managed by ${managerOf(service)}; its dependencies are declared there, not by annotation. The monitor is managed as usual.` });
    } else {
      const set = wantedEdges.get(m.service) ?? new Set<string>();
      m.dependsOn.filter((d) => d !== m.service).forEach((d) => set.add(d));
      wantedEdges.set(m.service, set);
    }
    final.push(m);
  }
  const finalLive = final.filter((m) => !held.has(objectId(m.object)));

  // Monitors.
  const ours = new Map<string, CurrentMonitor>();
  const foreign = new Map<string, CurrentMonitor>();
  const duplicates: CurrentMonitor[] = [];
  const byAge = [...current.monitors].sort((a, b) => (a.created_at ?? a.id).localeCompare(b.created_at ?? b.id));
  for (const m of byAge) {
    const key = m.tags?.[objectTag];
    if (!key || m.tags?.[sourceTag] !== options.source) continue;
    if (managerOf(m) !== 'discovery') foreign.set(key, m);
    else if (ours.has(key)) duplicates.push(m);
    else ours.set(key, m);
  }
  const wanted = new Set<string>();
  for (const m of finalLive) {
    wanted.add(m.key);
    const other = foreign.get(m.key);
    if (other && !ours.has(m.key)) {
      plan.problems.push({ object: m.object, code: 'managed_elsewhere', message: `monitor "${other.name}" (${other.id}) for this object is managed by ${managerOf(other)}; discovery leaves it alone. Remove the annotations, or the monitor's ${objectTag} tag to hand it back.` });
      continue;
    }
    const body: MonitorBody = { ...m.doc, service: m.service };
    const existing = ours.get(m.key);
    if (!existing) {
      plan.createMonitors.push({ key: m.key, object: m.object, body });
      continue;
    }
    const service = services.get(m.service);
    const same = service && projection(existing) === projection({ ...m.doc, service_id: service.id, dependency_id: existing.dependency_id ?? null });
    if (same) plan.unchanged += 1;
    else plan.updateMonitors.push({ id: existing.id, key: m.key, object: m.object, body });
  }
  for (const d of duplicates) plan.deleteMonitors.push({ id: d.id, key: d.tags![objectTag]!, name: d.name });

  // Monitors whose object is gone: tag, wait out the grace, delete.
  const remaining = new Set<string>(); // service ids still holding a monitor of ours after this plan
  const heldServices = new Set<string>(); // services of held objects' monitors: their edges are kept as they are
  for (const [key, m] of ours) {
    if (wanted.has(key)) {
      remaining.add(m.service_id);
      continue;
    }
    const ownerId = key.split('/').slice(0, 3).join('/');
    if (held.has(ownerId)) {
      plan.unchanged += 1;
      remaining.add(m.service_id);
      heldServices.add(m.service_id);
      continue;
    }
    const since = Date.parse(m.tags?.[missingSinceTag] ?? '');
    if (options.graceSeconds === 0 || (Number.isFinite(since) && since + options.graceSeconds * 1000 <= options.now.getTime())) {
      plan.deleteMonitors.push({ id: m.id, key, name: m.name });
      continue;
    }
    remaining.add(m.service_id);
    if (Number.isFinite(since)) {
      plan.unchanged += 1;
      const deadline = new Date(since + options.graceSeconds * 1000);
      if (!plan.nextDeadline || deadline < plan.nextDeadline) plan.nextDeadline = deadline;
    } else {
      plan.markMissing.push({ id: m.id, key, tags: { ...(m.tags ?? {}), [missingSinceTag]: options.now.toISOString() } });
      const deadline = new Date(options.now.getTime() + options.graceSeconds * 1000);
      if (!plan.nextDeadline || deadline < plan.nextDeadline) plan.nextDeadline = deadline;
    }
  }

  // Edges of discovery-managed services: add what is asked for; on this source's own services, remove what is no longer asked for.
  for (const [serviceName, deps] of wantedEdges) {
    const service = services.get(serviceName);
    const edges = service ? current.edges.get(service.id) ?? [] : [];
    const present = new Set(edges.map((e) => servicesById.get(e.depends_on_service_id)?.name));
    for (const dep of deps) if (!present.has(dep)) plan.createEdges.push({ service: serviceName, dependsOn: dep });
  }
  for (const service of current.services) {
    if (managerOf(service) !== 'discovery' || service.tags?.[sourceTag] !== options.source || heldServices.has(service.id)) continue;
    const deps = wantedEdges.get(service.name) ?? new Set<string>();
    const used = finalLive.some((m) => m.service === service.name);
    for (const e of current.edges.get(service.id) ?? []) {
      const target = servicesById.get(e.depends_on_service_id)?.name;
      if (managerOf(e) === 'discovery' && (!used || !target || !deps.has(target))) plan.deleteEdges.push({ serviceId: service.id, id: e.id });
    }
    if (!used && !remaining.has(service.id)) plan.deleteServices.push({ id: service.id, name: service.name });
  }
  return plan;
}

/** Number of writes a plan makes. */
export const planWrites = (p: Plan): number =>
  p.createServices.length + p.createMonitors.length + p.updateMonitors.length + p.markMissing.length + p.deleteMonitors.length + p.createEdges.length + p.deleteEdges.length + p.deleteServices.length;
