import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { monotonicFactory } from 'ulid';
import { newId } from '../src/shared/ids.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner } from './support/simulated-runner.ts';

// GET /v1/dependency-graph: services (nodes) and edges with state, team and open incident. Org
// admins see the whole organization; a team member their teams' services plus the other end of
// each of their edges (in_scope false); `team` narrows to one team the same way. Incidents are
// written by the correlator; here they are inserted as rows.

const ulid = monotonicFactory();

describe('GET /v1/dependency-graph', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const team = {} as Record<'fulfillment' | 'shipping' | 'other', string>;
  const svc = {} as Record<'routing' | 'shipping' | 'carrier' | 'isolated', { id: string; name: string }>;
  const edge = {} as Record<'routingShipping' | 'shippingCarrier', string>;
  const incident = {} as Record<'shippingOld' | 'shippingNew' | 'routingResolved' | 'edgeRoot' | 'edgeAlert', string>;
  let viewer: string;
  let edgeMonitor: string;

  const graph = async (query = '', token?: string) => {
    const res = await api.call('GET', `/v1/dependency-graph${query}`, token ? { token } : {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { generated_at: string; nodes: Array<Record<string, any>>; edges: Array<Record<string, any>> };
  };
  const insertIncident = async (key: keyof typeof incident, n: number, o: { state?: string; serviceIds?: string[]; rootCause?: Record<string, unknown> | null; openedAt: Date }) => {
    incident[key] = newId('incident');
    await sql`INSERT INTO incidents (id, org_id, number, title, state, severity, team_id, root_cause, service_ids, team_ids, opened_at, first_failure_at, last_alert_at, updated_at)
      VALUES (${incident[key]}, ${api.orgId}, ${n}, ${key}, ${o.state ?? 'investigating'}, 'critical', ${team.shipping}, ${o.rootCause ? JSON.stringify(o.rootCause) : null}::jsonb,
              ${o.serviceIds ?? []}::text[], ${[team.shipping]}::text[], ${o.openedAt.toISOString()}, ${o.openedAt.toISOString()}, ${o.openedAt.toISOString()}, now())`.execute(api.database.db);
  };

  before(async () => {
    // A long runner lease and interval: the simulated runner polls once, and its slots must neither lapse nor go quiet (no_data) while the test runs.
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    for (const key of ['fulfillment', 'shipping', 'other'] as const) team[key] = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(key) })).id;
    svc.routing = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('routing'), team_id: team.fulfillment });
    svc.shipping = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('shipping'), team_id: team.shipping });
    svc.carrier = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('carrier'), team_id: team.shipping, kind: 'external' });
    svc.isolated = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('isolated'), team_id: team.other });
    edge.routingShipping = (await expectOk(api, 'POST', `/v1/services/${svc.routing.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.shipping.id })).id;
    edge.shippingCarrier = (await expectOk(api, 'POST', `/v1/services/${svc.shipping.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.carrier.id })).id;
    viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: team.fulfillment })).token;

    // The routing → shipping edge is checked by a monitor of routing, which reports it down.
    const region = unique('r');
    edgeMonitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
      ...bodies.monitor(svc.routing.id), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, regions: [region], dependency_id: edge.routingShipping,
    })).id;
    const runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
    const res = await api.call('POST', '/v1/runner/results', {
      token: runner.token,
      body: { runner_id: runner.id, results: [{ id: `res_${ulid()}`, monitor_id: edgeMonitor, region, started_at: new Date().toISOString(), status: 'down', duration_ms: 3, error: { code: 'connect_refused', message: 'refused' } }] },
    });
    assert.equal(res.body.accepted?.length, 1, JSON.stringify(res.body));

    const t0 = Date.now() - 600_000;
    await insertIncident('shippingOld', 1, { serviceIds: [svc.shipping.id], openedAt: new Date(t0) });
    await insertIncident('shippingNew', 2, { state: 'identified', serviceIds: [svc.shipping.id, svc.routing.id], rootCause: { kind: 'edge', id: edge.routingShipping, node: `edge:${edge.routingShipping}` }, openedAt: new Date(t0 + 60_000) });
    await insertIncident('routingResolved', 3, { state: 'resolved', serviceIds: [svc.routing.id, svc.isolated.id], rootCause: { kind: 'edge', id: edge.shippingCarrier }, openedAt: new Date(t0 + 120_000) });
    await insertIncident('edgeAlert', 4, { state: 'monitoring', serviceIds: [], openedAt: new Date(t0 + 30_000) });
    await sql`INSERT INTO incident_alerts (incident_id, alert_id, org_id, rule_id, rule_name, team_id, severity, subject_kind, subject_id, labels, state, firing_since, notification)
      VALUES (${incident.edgeAlert}, 'alt_1', ${api.orgId}, 'alr_1', 'carrier-unreachable', ${team.shipping}, 'critical', 'edge', ${edge.shippingCarrier}, '{}'::jsonb, 'firing', now(), 'sent')`.execute(api.database.db);
  });
  after(async () => api?.close());

  test('an org admin sees every service and edge, all in scope, with states, teams, monitors and open incidents', async () => {
    const g = await graph();
    assert.ok(!Number.isNaN(Date.parse(g.generated_at)));
    assert.deepEqual(g.nodes.map((n) => n.id).sort(), Object.values(svc).map((s) => s.id).sort());
    assert.ok(g.nodes.every((n) => n.in_scope === true));
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    assert.equal(node(svc.carrier.id).kind, 'external');
    assert.equal(node(svc.routing.id).kind, 'internal');
    assert.equal(node(svc.routing.id).team_id, team.fulfillment);
    assert.equal(node(svc.routing.id).state, 'down', 'its edge monitor counts toward the service');
    assert.ok(node(svc.routing.id).since);
    assert.equal(node(svc.isolated.id).state, 'unknown');
    assert.deepEqual(node(svc.shipping.id).open_incident, { id: incident.shippingNew, number: 2, state: 'identified' }, 'the latest opened open incident');
    assert.deepEqual(node(svc.routing.id).open_incident, { id: incident.shippingNew, number: 2, state: 'identified' }, 'a resolved incident is not open');
    assert.equal(node(svc.isolated.id).open_incident, undefined, 'only a resolved incident lists it');
    assert.equal(node(svc.carrier.id).open_incident, undefined);

    const byId = new Map(g.edges.map((e) => [e.id, e]));
    assert.deepEqual([...byId.keys()].sort(), Object.values(edge).sort());
    const monitored = byId.get(edge.routingShipping)!;
    assert.deepEqual(
      { ...monitored, since: undefined },
      { id: edge.routingShipping, service_id: svc.routing.id, depends_on_service_id: svc.shipping.id, team_id: team.fulfillment, state: 'down', since: undefined, monitored: true, monitor_ids: [edgeMonitor], open_incident: { id: incident.shippingNew, number: 2, state: 'identified' } },
    );
    assert.ok(monitored.since);
    const plain = byId.get(edge.shippingCarrier)!;
    assert.equal(plain.state, 'unknown', 'an edge no monitor checks is unknown');
    assert.equal(plain.monitored, false);
    assert.deepEqual(plain.monitor_ids, []);
    assert.deepEqual(plain.open_incident, { id: incident.edgeAlert, number: 4, state: 'monitoring' }, 'an open incident with an alert about the edge; the resolved one naming it as root cause does not count');
  });

  test('a team member sees their team\'s services and the direct neighbours of their edges, not the rest of the organization', async () => {
    const g = await graph('', viewer);
    assert.deepEqual(g.nodes.map((n) => [n.id, n.in_scope]).sort(), [[svc.routing.id, true], [svc.shipping.id, false]].sort());
    assert.deepEqual(g.edges.map((e) => e.id), [edge.routingShipping], 'the shipping → carrier edge touches no service of the team');
    assert.equal(g.edges[0]!.state, 'down');
    const neighbour = g.nodes.find((n) => n.id === svc.shipping.id)!;
    assert.equal(neighbour.team_id, team.shipping);
    assert.equal(neighbour.team.length > 0, true);
  });

  test('?team= narrows an admin\'s graph to that team plus neighbours; a team the caller cannot see is not found; a bad id says what to fix', async () => {
    const g = await graph(`?team=${team.shipping}`);
    assert.deepEqual(g.nodes.map((n) => [n.id, n.in_scope]).sort(), [[svc.routing.id, false], [svc.shipping.id, true], [svc.carrier.id, true]].sort());
    assert.deepEqual(g.edges.map((e) => e.id).sort(), [edge.routingShipping, edge.shippingCarrier].sort());
    const own = await graph(`?team=${team.fulfillment}`, viewer);
    assert.deepEqual(own.nodes.map((n) => n.id).sort(), [svc.routing.id, svc.shipping.id].sort());
    const hidden = await api.call('GET', `/v1/dependency-graph?team=${team.shipping}`, { token: viewer });
    assert.equal(hidden.status, 404, JSON.stringify(hidden.body));
    assert.equal(hidden.body.code, 'not_found');
    const bad = await api.call('GET', '/v1/dependency-graph?team=shipping');
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.errors[0].pointer, '/team');
    const lonely = await graph(`?team=${team.other}`);
    assert.deepEqual(lonely.nodes.map((n) => [n.id, n.in_scope]), [[svc.isolated.id, true]]);
    assert.deepEqual(lonely.edges, []);
  });
});
