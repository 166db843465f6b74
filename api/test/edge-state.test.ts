import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { NoDataService } from '../src/modules/state/no-data.service.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// Dependency edges as monitored things: a monitor names the edge it checks (dependency_id, an edge
// of its own service), the edge's state is the worst of the enabled monitors naming it, with
// transitions and state.transition events of subject_type 'edge'; an edge that monitors check is
// not deleted under them. Runners are simulated over the runner protocol.

const ulid = monotonicFactory();

describe('dependency edges as monitored things', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let team: string;
  const svc = {} as Record<'routing' | 'shipping' | 'billing', { id: string; name: string }>;
  const dep = {} as Record<'routingToShipping' | 'billingToShipping', string>;
  const region = unique('r');
  let runner: SimulatedRunner;
  let edgeMonitor: { id: string; name: string };

  const patch = (path: string, body: unknown) => api.call('PATCH', path, { body, headers: { 'content-type': 'application/merge-patch+json' } });
  const edgeRow = (id: string) => api.database.db.selectFrom('edge_states').selectAll().where('dependency_id', '=', id).executeTakeFirst();
  const edgeTransitions = (id: string) =>
    api.database.db.selectFrom('state_transitions').select(['from_state', 'to_state', 'cause']).where('subject_type', '=', 'edge').where('subject_id', '=', id).orderBy('id').execute();
  const edgeEvents = async (id: string) =>
    (await api.database.db.selectFrom('events').select(['payload']).where('kind', '=', 'state.transition').orderBy('seq').execute())
      .map((e) => e.payload as { subject_type: string; subject_id: string; from: string; to: string; cause: Record<string, unknown> })
      .filter((p) => p.subject_type === 'edge' && p.subject_id === id);
  const push = async (monitorId: string, status: 'up' | 'down') => {
    const body = { runner_id: runner.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: new Date().toISOString(), status, duration_ms: 5, ...(status === 'down' ? { error: { code: 'connect_refused', message: 'connection refused' } } : {}) }] };
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted.length, 1, JSON.stringify(res.body));
  };
  const edgeMonitorBody = (extra: Record<string, unknown> = {}) => ({
    ...bodies.monitor(svc.routing.id), name: unique('reach-shipping'), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region], ...extra,
  });
  const monitorCount = async () => (await api.database.db.selectFrom('monitors').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

  before(async () => {
    // A long runner lease and interval: the simulated runner polls once, and its slots must neither lapse nor go quiet (no_data) while the test runs.
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('fulfillment') })).id;
    for (const key of ['routing', 'shipping', 'billing'] as const) svc[key] = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique(key), team_id: team });
    dep.routingToShipping = (await expectOk(api, 'POST', `/v1/services/${svc.routing.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.shipping.id })).id;
    dep.billingToShipping = (await expectOk(api, 'POST', `/v1/services/${svc.billing.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.shipping.id })).id;
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
  });
  after(async () => api?.close());

  test('a monitor naming an edge that is not one of its service\'s is refused with what to fix, and nothing is stored', async () => {
    const before = await monitorCount();
    const other = await api.call('POST', '/v1/monitors', { body: edgeMonitorBody({ dependency_id: dep.billingToShipping }) });
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal(other.body.code, 'validation_failed');
    assert.equal(other.body.errors[0].pointer, '/dependency_id');
    assert.match(other.body.errors[0].message, new RegExp(`an edge of service "${svc.billing.name}".*not of this monitor's service "${svc.routing.name}"`));
    assert.match(other.body.errors[0].message, new RegExp(`GET /v1/services/${svc.routing.id}/dependencies`));
    const missing = await api.call('POST', '/v1/monitors', { body: edgeMonitorBody({ dependency_id: 'dep_01JD8Z3Q4M5N6P7R8S9T0VWXYZ' }) });
    assert.equal(missing.status, 422, JSON.stringify(missing.body));
    assert.equal(missing.body.errors[0].pointer, '/dependency_id');
    assert.match(missing.body.errors[0].message, /does not exist or you have no access to it/);
    const malformed = await api.call('POST', '/v1/monitors', { body: edgeMonitorBody({ dependency_id: 'shipping' }) });
    assert.equal(malformed.status, 422, JSON.stringify(malformed.body));
    assert.ok(malformed.body.errors.some((e: { pointer: string }) => e.pointer === '/dependency_id'), JSON.stringify(malformed.body));
    assert.equal(await monitorCount(), before, 'no monitor was created');
  });

  test('an edge monitor\'s results move the edge to down and back, with transitions and events of subject_type edge; the service follows as before', async () => {
    edgeMonitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, edgeMonitorBody({ dependency_id: dep.routingToShipping }));
    assert.equal((await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body.dependency_id, dep.routingToShipping, 'reads present the edge');
    assert.equal((await edgeRow(dep.routingToShipping))?.state, 'unknown', 'a newly monitored edge is unknown');
    assert.deepEqual(await edgeTransitions(dep.routingToShipping), [], 'becoming monitored is no transition');
    await pollRunner(api, runner);
    await api.app.settle();

    await push(edgeMonitor.id, 'down');
    assert.equal((await edgeRow(dep.routingToShipping))?.state, 'down');
    assert.equal((await api.call('GET', `/v1/monitors/${edgeMonitor.id}/state`)).body.state, 'down');
    const status = (await api.call('GET', '/v1/status')).body;
    assert.equal(status.services.find((s: { id: string }) => s.id === svc.routing.id).state, 'down', 'the edge monitor still counts toward its own service');
    assert.equal(status.services.find((s: { id: string }) => s.id === svc.shipping.id).state, 'unknown', 'the target service is not touched');

    await push(edgeMonitor.id, 'up');
    assert.equal((await edgeRow(dep.routingToShipping))?.state, 'up');
    const cause = { from_service_id: svc.routing.id, to_service_id: svc.shipping.id };
    assert.deepEqual(await edgeTransitions(dep.routingToShipping), [
      { from_state: 'unknown', to_state: 'down', cause },
      { from_state: 'down', to_state: 'up', cause },
    ]);
    assert.deepEqual((await edgeEvents(dep.routingToShipping)).map((e) => [e.from, e.to, e.cause]), [['unknown', 'down', cause], ['down', 'up', cause]]);
    assert.equal((await edgeRow(dep.billingToShipping)), undefined, 'an edge no monitor names has no state');
  });

  test('clearing dependency_id, disabling and deleting the monitor leave the edge unmonitored (unknown); naming it again and enabling bring its state back', async () => {
    const id = dep.routingToShipping;
    let res = await patch(`/v1/monitors/${edgeMonitor.id}`, { dependency_id: null });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.dependency_id, undefined);
    assert.equal((await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body.dependency_id, undefined, 'cleared');
    assert.equal(await edgeRow(id), undefined, 'no monitor left: the edge reads as unmonitored');
    assert.deepEqual((await edgeTransitions(id)).at(-1), { from_state: 'up', to_state: 'unknown', cause: { from_service_id: svc.routing.id, to_service_id: svc.shipping.id } });

    res = await patch(`/v1/monitors/${edgeMonitor.id}`, { dependency_id: id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await edgeRow(id))?.state, 'up', 'the monitor is up, so is the edge again');
    assert.deepEqual((await edgeTransitions(id)).at(-1)?.to_state, 'up');

    res = await patch(`/v1/monitors/${edgeMonitor.id}`, { enabled: false });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await edgeRow(id), undefined, 'a disabled monitor does not count');
    res = await patch(`/v1/monitors/${edgeMonitor.id}`, { enabled: true });
    assert.equal((await edgeRow(id))?.state, 'up');

    // A PUT without the field (or with null) clears it like PATCH null.
    const current = (await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body;
    const { id: _id, team_id: _t, created_at: _c, updated_at: _u, version: _v, configured_secrets: _s, managed_by: _m, ...doc } = current;
    res = await api.call('PUT', `/v1/monitors/${edgeMonitor.id}`, { body: { ...doc, dependency_id: null } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.dependency_id, undefined);
    assert.equal(await edgeRow(id), undefined);
    res = await api.call('PUT', `/v1/monitors/${edgeMonitor.id}`, { body: { ...doc, dependency_id: id } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await edgeRow(id))?.state, 'up');

    // The audit log records the field before and after.
    const audits = await api.database.db.selectFrom('audit_entries').select(['before', 'after']).where('resource_id', '=', edgeMonitor.id).where('action', '=', 'update').orderBy('at').orderBy('id').execute();
    const cleared = audits.find((a) => (a.before as Record<string, unknown>).dependency_id === id && (a.after as Record<string, unknown>).dependency_id === undefined);
    assert.ok(cleared, 'an update that cleared the edge is audited with it before and without it after');
    assert.equal((audits.at(-1)!.after as Record<string, unknown>).dependency_id, id);
  });

  test('moving an edge monitor to another service while it names an edge of the old one is refused, and nothing changes', async () => {
    const res = await patch(`/v1/monitors/${edgeMonitor.id}`, { service_id: svc.billing.id });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.errors[0].pointer, '/dependency_id');
    assert.match(res.body.errors[0].message, /move the monitor to service .* or set dependency_id to null/);
    const current = (await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body;
    assert.equal(current.service_id, svc.routing.id);
    assert.equal(current.dependency_id, dep.routingToShipping);
    // Moving it with the other service's edge is accepted, and both edges follow.
    const moved = await patch(`/v1/monitors/${edgeMonitor.id}`, { service_id: svc.billing.id, dependency_id: dep.billingToShipping });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(await edgeRow(dep.routingToShipping), undefined);
    assert.equal((await edgeRow(dep.billingToShipping))?.state, 'up');
    const back = await patch(`/v1/monitors/${edgeMonitor.id}`, { service_id: svc.routing.id, dependency_id: dep.routingToShipping });
    assert.equal(back.status, 200, JSON.stringify(back.body));
  });

  test('an edge that monitors check is not deleted: 409 naming the monitors and what to do; nor with its target service (cascade)', async () => {
    const res = await api.call('DELETE', `/v1/services/${svc.routing.id}/dependencies/${dep.routingToShipping}`);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'conflict');
    assert.match(res.body.detail, new RegExp(`dependency ${dep.routingToShipping} \\("${svc.routing.name}" depends on "${svc.shipping.name}"\\) is checked by 1 monitor\\(s\\): ${edgeMonitor.id} \\("${edgeMonitor.name}"\\)`, 'i'));
    assert.match(res.body.detail, /Clear their dependency_id first .*or delete those monitors/);
    assert.deepEqual(res.body.conflicts.map((c: Record<string, string>) => [c.type, c.id, c.name, c.team_id]), [['monitor', edgeMonitor.id, edgeMonitor.name, team]]);
    assert.equal((await api.call('GET', `/v1/services/${svc.routing.id}/dependencies/${dep.routingToShipping}`)).status, 200, 'the edge is still there');

    const cascade = await api.call('DELETE', `/v1/services/${svc.shipping.id}?cascade=true`);
    assert.equal(cascade.status, 409, JSON.stringify(cascade.body));
    assert.ok(cascade.body.conflicts.some((c: Record<string, string>) => c.id === edgeMonitor.id), JSON.stringify(cascade.body));
    assert.equal((await api.call('GET', `/v1/services/${svc.shipping.id}`)).status, 200, 'the service is still there');
    assert.equal((await api.call('GET', `/v1/services/${svc.billing.id}/dependencies/${dep.billingToShipping}`)).status, 200, 'and so are its edges');
  });

  test('a monitored edge whose monitor goes quiet is unknown with a transition, keeps its row, and recovers with the next result', async () => {
    const quiet = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...edgeMonitorBody({ dependency_id: dep.billingToShipping }), service_id: svc.billing.id });
    await pollRunner(api, runner);
    await api.app.settle();
    await push(quiet.id, 'up');
    assert.equal((await edgeRow(dep.billingToShipping))?.state, 'up');
    // The no-data sweep, driven with a clock an hour ahead (interval 300 s, lease 600 s: threshold 910 s).
    const repo = new StateRepository();
    const marked = await new NoDataService(api.database.db, repo, new StateService(repo), 600).sweep(new Date(Date.now() + 3_600_000));
    assert.ok(marked >= 1, `marked ${marked}`);
    assert.equal((await edgeRow(dep.billingToShipping))?.state, 'unknown', 'monitored, but nothing is known: the row stays');
    assert.deepEqual((await edgeTransitions(dep.billingToShipping)).at(-1), { from_state: 'up', to_state: 'unknown', cause: { from_service_id: svc.billing.id, to_service_id: svc.shipping.id } });
    await push(quiet.id, 'up');
    assert.equal((await edgeRow(dep.billingToShipping))?.state, 'up');
    assert.equal((await api.call('DELETE', `/v1/monitors/${quiet.id}`)).status, 204);
  });

  test('deleting the edge monitor leaves the edge unmonitored; the edge can be deleted then', async () => {
    assert.equal((await api.call('DELETE', `/v1/monitors/${edgeMonitor.id}`)).status, 204);
    assert.equal(await edgeRow(dep.routingToShipping), undefined);
    assert.deepEqual((await edgeTransitions(dep.routingToShipping)).at(-1)?.to_state, 'unknown');
    assert.equal((await api.call('DELETE', `/v1/services/${svc.routing.id}/dependencies/${dep.routingToShipping}`)).status, 204);
  });
});
