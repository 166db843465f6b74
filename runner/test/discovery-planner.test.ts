import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { buildDesired, type BuildOptions, type DesiredSet } from '../src/discovery/desired.builder.ts';
import { planReconcile, planWrites, type Current, type CurrentMonitor, type CurrentService } from '../src/discovery/reconcile.planner.ts';

const build: BuildOptions = { source: 'prod', namespaces: [], excludeNamespaces: [], selectedNamespaces: undefined, defaultTeam: undefined, defaultPath: '/healthz', defaultIntervalSeconds: 60, clusterDomain: '' };
const svc = (name: string, annotations: Record<string, string> = {}): V1Service => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, annotations: { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments', ...annotations } },
  spec: { ports: [{ name: 'http', port: 8080 }] },
});
const desired = (...services: V1Service[]): DesiredSet => buildDesired(services, [], build);
const teams = [{ id: 'team_1', name: 'payments' }, { id: 'team_2', name: 'web' }];
const service = (id: string, name: string, managed_by: CurrentService['managed_by'] = 'discovery', team_id = 'team_1'): CurrentService => ({ id, name, team_id, managed_by, tags: managed_by === 'discovery' ? { 'pharos.dev/source': 'prod' } : {} });
const now = new Date('2026-12-02T01:00:00Z');
const opts = { source: 'prod', graceSeconds: 300, now };

/** The monitor the API would hold after the plan's create of `d`'s monitor `name`. */
function stored(set: DesiredSet, objectName: string, id: string, serviceId: string, extra: Partial<CurrentMonitor> = {}): CurrentMonitor {
  const m = set.monitors.find((x) => x.object.name === objectName)!;
  return { id, ...m.doc, service_id: serviceId, managed_by: 'discovery', enabled: true, dependency_id: null, ...extra, tags: { ...m.doc.tags, ...(extra.tags ?? {}) } };
}
const current = (monitors: CurrentMonitor[], services: CurrentService[] = [service('svc_1', 'checkout')], edges: Current['edges'] = new Map()): Current => ({ teams, services, monitors, edges });

describe('reconcile planner', () => {
  it('creates the service and the monitor of a new annotated Service', () => {
    const plan = planReconcile(desired(svc('checkout')), current([], []), opts);
    assert.deepEqual(plan.createServices.map((s) => [s.name, s.team_id, s.tags]), [['checkout', 'team_1', { 'pharos.dev/source': 'prod' }]]);
    assert.equal(plan.createMonitors.length, 1);
    assert.equal(plan.createMonitors[0]!.body.service, 'checkout');
    assert.equal(planWrites(plan), 2);
  });

  it('writes nothing when Pharos already holds what the cluster asks for', () => {
    const d = desired(svc('checkout'));
    const plan = planReconcile(d, current([stored(d, 'checkout', 'mon_1', 'svc_1')]), opts);
    assert.equal(planWrites(plan), 0);
    assert.equal(plan.unchanged, 1);
    assert.deepEqual(plan.problems, []);
  });

  it('updates in place (same id) when an annotation changed', () => {
    const before = desired(svc('checkout'));
    const after = desired(svc('checkout', { 'pharos.dev/interval': '30s', 'pharos.dev/path': '/ready' }));
    const plan = planReconcile(after, current([stored(before, 'checkout', 'mon_1', 'svc_1')]), opts);
    assert.deepEqual(plan.updateMonitors.map((u) => [u.id, u.body.interval_seconds, u.body.http.url]), [['mon_1', 30, 'http://checkout.shop.svc:8080/ready']]);
    assert.equal(planWrites(plan), 1);
  });

  it('a gone object: tagged missing first, kept through the grace, deleted after it; the emptied service goes too', () => {
    const d = desired(svc('checkout'));
    const first = planReconcile(desired(), current([stored(d, 'checkout', 'mon_1', 'svc_1')]), opts);
    assert.deepEqual(first.markMissing.map((m) => [m.id, m.tags['pharos.dev/missing-since']]), [['mon_1', now.toISOString()]]);
    assert.equal(first.deleteMonitors.length + first.deleteServices.length, 0);
    assert.equal(first.nextDeadline?.toISOString(), '2026-12-02T01:05:00.000Z');

    const tagged = stored(d, 'checkout', 'mon_1', 'svc_1', { tags: { 'pharos.dev/missing-since': now.toISOString() } });
    const during = planReconcile(desired(), current([tagged]), { ...opts, now: new Date(now.getTime() + 299_000) });
    assert.equal(planWrites(during), 0, 'nothing is written while the grace runs (a restart finds the tag)');
    const afterGrace = planReconcile(desired(), current([tagged]), { ...opts, now: new Date(now.getTime() + 300_000) });
    assert.deepEqual(afterGrace.deleteMonitors.map((m) => m.id), ['mon_1']);
    assert.deepEqual(afterGrace.deleteServices.map((s) => s.id), ['svc_1']);
  });

  it('an object that comes back during the grace clears the tag in place', () => {
    const d = desired(svc('checkout'));
    const tagged = stored(d, 'checkout', 'mon_1', 'svc_1', { tags: { 'pharos.dev/missing-since': now.toISOString() } });
    const plan = planReconcile(d, current([tagged]), opts);
    assert.deepEqual(plan.updateMonitors.map((u) => [u.id, u.body.tags['pharos.dev/missing-since']]), [['mon_1', undefined]]);
  });

  it('never touches a monitor managed by terraform or api, and reports its object', () => {
    const d = desired(svc('checkout'));
    const adopted = stored(d, 'checkout', 'mon_tf', 'svc_1', { managed_by: 'terraform', interval_seconds: 15 });
    const plan = planReconcile(d, current([adopted], [service('svc_1', 'checkout', 'terraform')]), opts);
    assert.equal(planWrites(plan), 0);
    assert.deepEqual(plan.problems.map((p) => [p.object.name, p.code]), [['checkout', 'managed_elsewhere']]);
    const gone = planReconcile(desired(), current([adopted], [service('svc_1', 'checkout', 'terraform')]), opts);
    assert.equal(planWrites(gone), 0, 'nor deletes it when the object goes');
  });

  it('an unknown team holds that object only (its existing monitor is kept as is); others proceed', () => {
    const before = desired(svc('checkout'));
    const d = desired(svc('checkout', { 'pharos.dev/team': 'nobody' }), svc('cart'));
    const plan = planReconcile(d, current([stored(before, 'checkout', 'mon_1', 'svc_1')]), opts);
    assert.deepEqual(plan.problems.map((p) => [p.object.name, p.code]), [['checkout', 'unknown_team']]);
    assert.match(plan.problems[0]!.message, /no Pharos team is named "nobody"/);
    assert.deepEqual(plan.createMonitors.map((m) => m.object.name), ['cart']);
    assert.equal(plan.updateMonitors.length + plan.markMissing.length + plan.deleteMonitors.length, 0);
  });

  it('refuses a service of another team', () => {
    const d = desired(svc('checkout', { 'pharos.dev/service': 'storefront' }));
    const plan = planReconcile(d, current([], [service('svc_9', 'storefront', 'terraform', 'team_2')]), opts);
    assert.deepEqual(plan.problems.map((p) => p.code), ['team_mismatch']);
    assert.equal(planWrites(plan), 0);
  });

  it('dependency edges: creates the missing ones, removes those no longer annotated, refuses unknown names', () => {
    const services = [service('svc_1', 'checkout'), service('svc_2', 'inventory', 'terraform'), service('svc_3', 'tax', 'api')];
    const d = desired(svc('checkout', { 'pharos.dev/depends-on': 'inventory' }));
    const edges = new Map([['svc_1', [{ id: 'dep_tax', depends_on_service_id: 'svc_3', managed_by: 'discovery' as const }]]]);
    const plan = planReconcile(d, current([stored(d, 'checkout', 'mon_1', 'svc_1')], services, edges), opts);
    assert.deepEqual(plan.createEdges, [{ service: 'checkout', dependsOn: 'inventory' }]);
    assert.deepEqual(plan.deleteEdges, [{ serviceId: 'svc_1', id: 'dep_tax' }]);

    const unknown = planReconcile(desired(svc('checkout', { 'pharos.dev/depends-on': 'ghost' })), current([], services), opts);
    assert.deepEqual(unknown.problems.map((p) => p.code), ['unknown_dependency']);
    assert.equal(unknown.createMonitors.length, 0);
  });

  it('depends-on naming a service another annotated object creates is fine', () => {
    const plan = planReconcile(desired(svc('checkout', { 'pharos.dev/depends-on': 'cart' }), svc('cart')), current([], []), opts);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.createServices.map((s) => s.name).sort(), ['cart', 'checkout']);
    assert.deepEqual(plan.createEdges, [{ service: 'checkout', dependsOn: 'cart' }]);
  });

  it('grace 0 deletes at once; duplicates of one object are reduced to the oldest', () => {
    const d = desired(svc('checkout'));
    const gone = planReconcile(desired(), current([stored(d, 'checkout', 'mon_1', 'svc_1')]), { ...opts, graceSeconds: 0 });
    assert.deepEqual(gone.deleteMonitors.map((m) => m.id), ['mon_1']);
    const dup = planReconcile(d, current([stored(d, 'checkout', 'mon_1', 'svc_1', { created_at: '2026-01-01T00:00:00Z' }), stored(d, 'checkout', 'mon_2', 'svc_1', { created_at: '2026-01-02T00:00:00Z' })]), opts);
    assert.deepEqual(dup.deleteMonitors.map((m) => m.id), ['mon_2']);
    assert.equal(dup.unchanged, 1);
  });

  it('ignores monitors of other sources', () => {
    const d = desired(svc('checkout'));
    const other = stored(d, 'checkout', 'mon_x', 'svc_1', { tags: { 'pharos.dev/source': 'staging' } });
    const plan = planReconcile(d, current([other]), opts);
    assert.equal(plan.createMonitors.length, 1);
    assert.equal(plan.deleteMonitors.length + plan.markMissing.length, 0);
  });

  it('a held object keeps its own service and edges but does not block the clean-up of others', () => {
    const d = desired(svc('checkout'), svc('cart'));
    const services = [service('svc_1', 'checkout'), service('svc_2', 'cart')];
    const edges = new Map([['svc_1', [{ id: 'dep_1', depends_on_service_id: 'svc_2', managed_by: 'discovery' as const }]]]);
    const cartGone = stored(d, 'cart', 'mon_2', 'svc_2', { tags: { 'pharos.dev/missing-since': '2026-12-01T00:00:00Z' } });
    const plan = planReconcile(desired(svc('checkout', { 'pharos.dev/interval': 'bad' })), current([stored(d, 'checkout', 'mon_1', 'svc_1'), cartGone], services, edges), opts);
    assert.deepEqual(plan.problems.map((p) => [p.object.name, p.code]), [['checkout', 'invalid_annotation']]);
    assert.deepEqual(plan.deleteMonitors.map((m) => m.id), ['mon_2']);
    assert.deepEqual(plan.deleteServices.map((s) => s.id), ['svc_2']);
    assert.deepEqual(plan.deleteEdges, [], 'the held checkout keeps its edges');
    assert.equal(plan.updateMonitors.length, 0);
  });
});
