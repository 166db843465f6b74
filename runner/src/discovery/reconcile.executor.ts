import { missingSinceTag, sourceTag, type ObjectProblem, type ObjectRef } from './discovery.types.ts';
import { PharosApiError, type PharosClient } from './pharos.client.ts';
import type { Current, CurrentEdge, CurrentMonitor, CurrentService, Plan } from './reconcile.planner.ts';

// The I/O around the planner: read what Pharos holds, then make the plan's writes in dependency
// order (services, monitors, edges, emptied services). A failed write is a problem of its object,
// never the end of the sync: the others go ahead.

export interface ExecutionResult {
  actions: { created: number; updated: number; deleted: number; unchanged: number };
  problems: ObjectProblem[];
  /** Writes sent (including failed ones). */
  writes: number;
  monitorsCreated: number;
  monitorsDeleted: number;
}

/** Reads teams, services, this source's monitors, and the edges of the discovery-managed services this source created or its objects name. */
export async function readCurrent(client: PharosClient, source: string, wantedServices: ReadonlySet<string>): Promise<Current> {
  const [teams, services, monitors] = await Promise.all([
    client.listAll<{ id: string; name: string }>('/v1/teams'),
    client.listAll<CurrentService>('/v1/services'),
    client.listAll<CurrentMonitor>('/v1/monitors', { tag: `${sourceTag}:${source}` }),
  ]);
  const managed = services.filter((s) => s.managed_by === 'discovery' && (s.tags?.[sourceTag] === source || wantedServices.has(s.name)));
  const edgeLists = await Promise.all(managed.map((s) => client.listAll<CurrentEdge>(`/v1/services/${s.id}/dependencies`)));
  return { teams, services, monitors, edges: new Map(managed.map((s, i) => [s.id, edgeLists[i]!])) };
}

/** `<kind>/<ns>/<name>` of a key back to an object reference (for problems of objects that are gone). */
function refOfKey(key: string): ObjectRef {
  const [kind, namespace = '', name = ''] = key.split('/');
  return { kind: kind === 'ingress' ? 'Ingress' : 'Service', namespace, name };
}

const problemOf = (object: ObjectRef, err: unknown, doing: string): ObjectProblem => {
  const code = err instanceof PharosApiError ? err.code : 'internal';
  return {
    object,
    code: code === 'managed_elsewhere' ? 'managed_elsewhere' : 'api_error',
    message: `${doing}: ${err instanceof Error ? err.message : String(err)}`,
  };
};

/** Makes the plan's writes. */
export async function executePlan(client: PharosClient, plan: Plan, current: Current): Promise<ExecutionResult> {
  const result: ExecutionResult = { actions: { created: 0, updated: 0, deleted: 0, unchanged: plan.unchanged }, problems: [], writes: 0, monitorsCreated: 0, monitorsDeleted: 0 };
  const serviceIds = new Map(current.services.map((s) => [s.name, s.id]));
  const failedServices = new Map<string, unknown>();
  const write = async <T>(fn: () => Promise<T>): Promise<T> => {
    result.writes += 1;
    return fn();
  };

  await Promise.all(
    plan.createServices.map(async (s) => {
      try {
        const created = await write(() => client.call<{ id: string }>('POST', '/v1/services', { name: s.name, team_id: s.team_id, description: s.description, tags: s.tags }));
        serviceIds.set(s.name, created.id);
        result.actions.created += 1;
      } catch (err) {
        failedServices.set(s.name, err);
      }
    }),
  );

  const body = (b: Plan['createMonitors'][number]['body'], serviceId: string) => {
    const { service: _service, ...doc } = b;
    return { ...doc, service_id: serviceId };
  };
  const serviceFor = (name: string, object: ObjectRef): string | undefined => {
    const id = serviceIds.get(name);
    if (!id) result.problems.push(problemOf(object, failedServices.get(name) ?? new Error('service not created'), `creating service "${name}"`));
    return id;
  };
  await Promise.all([
    ...plan.createMonitors.map(async (m) => {
      const serviceId = serviceFor(m.body.service, m.object);
      if (!serviceId) return;
      try {
        await write(() => client.call('POST', '/v1/monitors', body(m.body, serviceId)));
        result.actions.created += 1;
        result.monitorsCreated += 1;
      } catch (err) {
        result.problems.push(problemOf(m.object, err, `creating monitor "${m.body.name}"`));
      }
    }),
    ...plan.updateMonitors.map(async (m) => {
      const serviceId = serviceFor(m.body.service, m.object);
      if (!serviceId) return;
      try {
        await write(() => client.call('PUT', `/v1/monitors/${m.id}`, body(m.body, serviceId)));
        result.actions.updated += 1;
      } catch (err) {
        result.problems.push(problemOf(m.object, err, `updating monitor "${m.body.name}" (${m.id})`));
      }
    }),
    ...plan.markMissing.map(async (m) => {
      try {
        await write(() => client.call('PATCH', `/v1/monitors/${m.id}`, { tags: m.tags }));
        result.actions.updated += 1;
      } catch (err) {
        result.problems.push(problemOf(refOfKey(m.key), err, `tagging monitor ${m.id} ${missingSinceTag}`));
      }
    }),
    ...plan.deleteMonitors.map(async (m) => {
      try {
        await write(() => client.call('DELETE', `/v1/monitors/${m.id}`));
        result.actions.deleted += 1;
        result.monitorsDeleted += 1;
      } catch (err) {
        if (err instanceof PharosApiError && err.code === 'not_found') return; // already gone
        result.problems.push(problemOf(refOfKey(m.key), err, `deleting monitor "${m.name}" (${m.id})`));
      }
    }),
  ]);

  const serviceRef = (name: string): ObjectRef => ({ kind: 'PharosService', namespace: '', name });
  await Promise.all([
    ...plan.createEdges.map(async (e) => {
      const from = serviceIds.get(e.service);
      const to = serviceIds.get(e.dependsOn);
      if (!from || !to) return;
      try {
        await write(() => client.call('POST', `/v1/services/${from}/dependencies`, { depends_on_service_id: to }));
        result.actions.created += 1;
      } catch (err) {
        result.problems.push(problemOf(serviceRef(e.service), err, `adding dependency "${e.service}" → "${e.dependsOn}"`));
      }
    }),
    ...plan.deleteEdges.map(async (e) => {
      try {
        await write(() => client.call('DELETE', `/v1/services/${e.serviceId}/dependencies/${e.id}`));
        result.actions.deleted += 1;
      } catch (err) {
        if (err instanceof PharosApiError && err.code === 'not_found') return;
        result.problems.push(problemOf(serviceRef(e.serviceId), err, `removing dependency ${e.id}`));
      }
    }),
  ]);

  await Promise.all(
    plan.deleteServices.map(async (s) => {
      try {
        // Another source (or a person) may have hung monitors on it: then it stays, without a failed write every sync.
        const others = await client.call<{ items: unknown[] }>('GET', `/v1/monitors?service_id=${encodeURIComponent(s.id)}&limit=1`);
        if (others.items.length > 0) return;
        await write(() => client.call('DELETE', `/v1/services/${s.id}`));
        result.actions.deleted += 1;
      } catch (err) {
        if (err instanceof PharosApiError && err.code === 'not_found') return;
        result.problems.push(problemOf(serviceRef(s.name), err, `deleting service "${s.name}" (nothing discovered uses it any more)`));
      }
    }),
  );
  return result;
}
