import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateToLatest, openDatabase } from '../../api/src/db/database.ts';
import { bootstrap } from '../../api/src/bootstrap.ts';
import { groupAlerts } from '../../api/src/modules/dependencies/correlation.ts';
import { edgeKey, isFailing, serviceKey } from '../../api/src/modules/dependencies/failure-graph.ts';
import { analyzeRootCause } from '../../api/src/modules/dependencies/root-cause.ts';
import { nodeOfAlert } from '../../api/src/modules/incidents/alert-node.ts';
import { IncidentGraphRepository } from '../../api/src/modules/incidents/incident-graph.repository.ts';
import { defaultIncidentSettings } from '../../api/src/modules/incidents/incident-settings.ts';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { burstChanges, edgeMonitorId, FLEET_REGIONS, fleetRows, serviceMonitorId } from '../bench/incident-fleet.rows.ts';
import { syntheticFleet } from '../bench/incident-graph.fixture.ts';
import { insertFleet } from '../bench/incidents.pipeline.ts';

// The pipeline half of bench:incidents builds the synthetic fleet as database rows and the burst as
// alert.state_changed changes. The rows must say what the fixture says (else the bench measures
// another world): a monitor per monitored service and edge, slots as the health says per region,
// states as the state pipeline would derive them; and read back by the correlator's graph
// repository, the alerts land on their nodes and correlate to one incident per root failure.

const fleet = syntheticFleet(600, 7);
const rows = fleetRows(fleet, 60_000);

test('fleetRows: a health monitor per monitored service, one per monitored edge naming it, a slot per region', () => {
  const monitored = [...fleet.graph.services.values()].filter((s) => fleet.graph.health.has(serviceKey(s.id)));
  const edges = fleet.graph.edges.filter((e) => e.monitored);
  assert.equal(rows.monitors.length, monitored.length + edges.length);
  for (const e of edges) {
    const m = rows.monitors.find((x) => x.id === edgeMonitorId(e.id));
    assert.equal(m?.dependency_id, e.id, 'an edge monitor names its dependency');
    assert.equal(m?.service_id, e.from, 'and belongs to the dependent service, which runs the check');
  }
  assert.equal(rows.slotStates.length, rows.monitors.length * FLEET_REGIONS.length);
  assert.equal(rows.services.filter((s) => s.kind === 'external').length, [...fleet.graph.services.values()].filter((s) => s.kind === 'external').length);
});

test('fleetRows: slots follow the health per region; a failure in one region only leaves the other up', () => {
  const regional = fleet.roots[2]!; // the fixture's third root fails in eu-west only
  const monitorId = serviceMonitorId(regional.slice('service:'.length));
  const slots = rows.slotStates.filter((s) => s.monitor_id === monitorId);
  assert.deepEqual(slots.map((s) => [s.region, s.state]).sort(), [['eu-west', 'down'], ['us-east', 'up']]);
  assert.equal(slots.find((s) => s.region === 'eu-west')?.last_error, 'HTTP 503');
  assert.equal(rows.monitorStates.find((m) => m.monitor_id === monitorId)?.state, 'down');
  const since = fleet.graph.health.get(regional)!.since;
  assert.equal(slots.find((s) => s.state === 'down')!.since.getTime(), since + 60_000, 'fixture times are shifted');
});

test("fleetRows: an edge failing under a dependent the fixture keeps up is checked up (a service is as bad as its edge monitors); a service's state is its monitors' worst", () => {
  let kept = 0;
  for (const e of fleet.graph.edges.filter((x) => x.monitored)) {
    const edge = fleet.graph.health.get(edgeKey(e.id))!;
    const from = fleet.graph.health.get(serviceKey(e.from));
    const state = rows.monitorStates.find((m) => m.monitor_id === edgeMonitorId(e.id))!.state;
    if (isFailing(edge) && !isFailing(from) && from?.state !== 'degraded') assert.equal(state, 'up', e.id);
    else {
      assert.equal(state, edge.state, e.id);
      if (isFailing(edge)) kept++;
    }
  }
  assert.ok(kept > 0, 'edges under failing dependents keep their failure');
  const root = fleet.roots[0]!.slice('service:'.length);
  assert.equal(rows.serviceStates.find((s) => s.service_id === root)?.state, 'down');
  for (const s of rows.serviceStates) {
    const states = rows.monitors.filter((m) => m.service_id === s.service_id).map((m) => rows.monitorStates.find((x) => x.monitor_id === m.id)!.state);
    assert.ok(!states.includes('down') || s.state === 'down', s.service_id);
  }
});

test('burstChanges: every alert fires once in firing order, the flapping one resolves between its two firings; subjects of each kind', () => {
  const changes = burstChanges(fleet);
  assert.equal(changes.filter((c) => c.to === 'firing').length, fleet.alerts.length);
  assert.equal(changes.filter((c) => c.to === 'resolved').length, 1);
  assert.deepEqual(changes.map((c) => c.fixtureAt), [...changes.map((c) => c.fixtureAt)].sort((a, b) => a - b));
  const flap = changes.find((c) => c.to === 'resolved')!;
  const firings = changes.filter((c) => c.alertId === flap.alertId).map((c) => c.to);
  assert.deepEqual(firings, ['firing', 'resolved', 'firing']);
  assert.deepEqual([...new Set(changes.map((c) => c.subject.kind))].sort(), ['edge', 'monitor', 'service']);
  for (const c of changes) assert.ok(c.labels.alertname && c.labels.service && c.labels.team, JSON.stringify(c));
});

test('the rows in PostgreSQL, read by the correlator: every alert on its node, one incident per root failure named as its root cause', { skip: postgresSkip(), timeout: 60_000 }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '' });
  try {
    await migrateToLatest(database.db);
    const { orgId } = await bootstrap(database.db, undefined);
    await insertFleet(database.db, orgId, fleet, 60_000);
    const loaded = await new IncidentGraphRepository().load(database.db, orgId);
    const changes = burstChanges(fleet);
    for (const c of changes) assert.equal(nodeOfAlert(loaded, c.subject, c.labels), c.node, c.alertId);
    for (const c of changes) assert.equal(loaded.graph.health.get(c.node)?.state === 'up', false, `${c.node} fails as the fixture says`);
    const nodes = new Map(fleet.alerts.map((a) => [a.alertId, a.node!]));
    const groups = groupAlerts(loaded.graph, fleet.alerts, defaultIncidentSettings.correlation_window_seconds * 1000);
    const named = groups.map((ids) => analyzeRootCause(loaded.graph, [...new Set(ids.map((id) => nodes.get(id)!))]).rootCause?.node);
    assert.deepEqual(named.sort(), [...fleet.roots].sort());
  } finally {
    await database.close();
  }
});
