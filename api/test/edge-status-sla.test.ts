import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// Edges in /v1/status (with their monitors and an edge_summary) and the SLA figures of an edge
// (GET /v1/sla/dependencies/{id}): over the monitors that check it, per region and per monitor,
// readable by the edge's team only.

const ulid = monotonicFactory();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('edges in the status board and their SLA figures', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const team = {} as Record<'fulfillment' | 'shipping', string>;
  const svc = {} as Record<'routing' | 'shipping' | 'label', { id: string; name: string }>;
  const edge = {} as Record<'routingShipping' | 'routingLabel' | 'shippingLabel', string>;
  const regions = [unique('use1'), unique('usw2')];
  const runners: SimulatedRunner[] = [];
  const monitor = {} as Record<'east' | 'west', { id: string; name: string }>;
  const token = {} as Record<'fulfillment' | 'shipping', string>;

  const push = async (m: string, region: string, status: 'up' | 'down', at: Date) => {
    const r = runners[regions.indexOf(region)]!;
    const res = await api.call('POST', '/v1/runner/results', {
      token: r.token,
      body: { runner_id: r.id, results: [{ id: `res_${ulid()}`, monitor_id: m, region, started_at: at.toISOString(), status, duration_ms: status === 'up' ? 20 : 3, ...(status === 'down' ? { error: { code: 'connect_refused', message: 'refused' } } : {}) }] },
    });
    assert.equal(res.body.accepted?.length, 1, JSON.stringify(res.body));
  };

  before(async () => {
    // A long runner lease and interval: the simulated runner polls once, and its slots must neither lapse nor go quiet (no_data) while the test runs.
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    for (const key of ['fulfillment', 'shipping'] as const) {
      team[key] = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(key) })).id;
      token[key] = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: team[key] })).token;
    }
    svc.routing = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('routing'), team_id: team.fulfillment });
    svc.shipping = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('shipping'), team_id: team.shipping });
    svc.label = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('label'), team_id: team.shipping });
    edge.routingShipping = (await expectOk(api, 'POST', `/v1/services/${svc.routing.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.shipping.id })).id;
    edge.routingLabel = (await expectOk(api, 'POST', `/v1/services/${svc.routing.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.label.id })).id;
    edge.shippingLabel = (await expectOk(api, 'POST', `/v1/services/${svc.shipping.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.label.id })).id;
    // One edge monitor per region (as zone runners in two regions would check "can routing reach shipping").
    for (const [key, region] of [['east', regions[0]!], ['west', regions[1]!]] as const) {
      monitor[key] = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        ...bodies.monitor(svc.routing.id), name: unique(`reach-shipping-${key}`), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region], dependency_id: edge.routingShipping,
      });
      const r = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
      await pollRunner(api, r);
      runners.push(r);
    }
    await api.app.settle();
    // East is up, west goes down for a while and comes back.
    const t0 = Date.now();
    await push(monitor.east.id, regions[0]!, 'up', new Date(t0));
    await push(monitor.west.id, regions[1]!, 'up', new Date(t0));
    await sleep(50);
    await push(monitor.west.id, regions[1]!, 'down', new Date(t0 + 50));
  });
  after(async () => api?.close());

  test('/v1/status lists edges with their names, team, state and monitors (with regions), and counts them in edge_summary', async () => {
    const status = (await api.call('GET', '/v1/status')).body;
    assert.deepEqual(status.summary, { up: 0, degraded: 0, down: 1, unknown: 2 }, 'the service summary is unchanged in shape');
    assert.deepEqual(status.edge_summary, { up: 0, degraded: 0, down: 1, unknown: 2 });
    const e = status.edges.find((x: { id: string }) => x.id === edge.routingShipping);
    assert.equal(e.service_id, svc.routing.id);
    assert.equal(e.service, svc.routing.name);
    assert.equal(e.depends_on_service_id, svc.shipping.id);
    assert.equal(e.depends_on, svc.shipping.name);
    assert.equal(e.team_id, team.fulfillment);
    assert.equal(e.state, 'down', 'the worst of its monitors: west is down');
    assert.ok(e.since);
    assert.deepEqual(e.monitors.map((m: { id: string; state: string }) => [m.id, m.state]).sort(), [[monitor.east.id, 'up'], [monitor.west.id, 'down']].sort());
    const west = e.monitors.find((m: { id: string }) => m.id === monitor.west.id);
    assert.deepEqual(west.regions.map((r: { region: string; state: string }) => [r.region, r.state]), [[regions[1], 'down']]);
    const plain = status.edges.find((x: { id: string }) => x.id === edge.routingLabel);
    assert.equal(plain.state, 'unknown');
    assert.deepEqual(plain.monitors, []);
    assert.equal(plain.since, undefined);
  });

  test('/v1/status shows a team the edges of its own services only, and team_id filters them', async () => {
    const shipping = (await api.call('GET', '/v1/status', { token: token.shipping })).body;
    assert.deepEqual(shipping.edges.map((e: { id: string }) => e.id), [edge.shippingLabel]);
    assert.deepEqual(shipping.edge_summary, { up: 0, degraded: 0, down: 0, unknown: 1 });
    const filtered = (await api.call('GET', `/v1/status?team_id=${team.fulfillment}`)).body;
    assert.deepEqual(filtered.edges.map((e: { id: string }) => e.id).sort(), [edge.routingShipping, edge.routingLabel].sort());
  });

  test('GET /v1/sla/dependencies/{id}: the edge\'s figures from its own state line, per region and per monitor', async () => {
    await sleep(300);
    await push(monitor.west.id, regions[1]!, 'up', new Date());
    const res = await api.call('GET', `/v1/sla/dependencies/${edge.routingShipping}?window=24h`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body;
    assert.deepEqual(r.subject, { type: 'edge', id: edge.routingShipping, name: `${svc.routing.name} → ${svc.shipping.name}` });
    assert.equal(r.window.label, '24h');
    assert.equal(r.outages, 1);
    assert.ok(r.downtime_seconds >= 0.25 && r.downtime_seconds < 30, `downtime ${r.downtime_seconds} s`);
    assert.ok(r.uptime_percent < 100 && r.uptime_percent > 0, `uptime ${r.uptime_percent}`);
    assert.equal(r.checks.total, 4);
    assert.equal(r.checks.down, 1);
    assert.deepEqual(r.regions.map((x: { region: string; outages: number }) => [x.region, x.outages]), [[regions[0], 0], [regions[1], 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    assert.deepEqual(r.parts.map((p: { type: string; id: string; outages: number }) => [p.type, p.id, p.outages]).sort(), [['monitor', monitor.east.id, 0], ['monitor', monitor.west.id, 1]].sort());

    const unmonitored = (await api.call('GET', `/v1/sla/dependencies/${edge.routingLabel}?window=24h`)).body;
    assert.equal(unmonitored.uptime_percent, null, 'never observed');
    assert.deepEqual(unmonitored.parts, []);
  });

  test('edge SLA: the edge\'s team may read it, another team gets 404; a bad window says what to fix', async () => {
    assert.equal((await api.call('GET', `/v1/sla/dependencies/${edge.routingShipping}`, { token: token.fulfillment })).status, 200);
    const other = await api.call('GET', `/v1/sla/dependencies/${edge.routingShipping}`, { token: token.shipping });
    assert.equal(other.status, 404, JSON.stringify(other.body));
    assert.equal(other.body.code, 'not_found');
    const missing = await api.call('GET', '/v1/sla/dependencies/dep_01JD8Z3Q4M5N6P7R8S9T0VWXYZ');
    assert.equal(missing.status, 404);
    const bad = await api.call('GET', `/v1/sla/dependencies/${edge.routingShipping}?window=1y`);
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.errors[0].pointer, '/window');
  });
});
