import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupAlerts } from '../../api/src/modules/dependencies/correlation.ts';
import { analyzeRootCause } from '../../api/src/modules/dependencies/root-cause.ts';
import { defaultIncidentSettings } from '../../api/src/modules/incidents/incident-settings.ts';
import { syntheticFleet } from '../bench/incident-graph.fixture.ts';

// The bench's synthetic fleet is what bench:incidents says it is: one alert per 5 services from a
// handful of root failures of every kind, whose failures never touch, so correlation must find one
// incident per root with that root as its root cause. Deterministic per seed.

const windowMs = defaultIncidentSettings.correlation_window_seconds * 1000;

for (const [services, seed] of [[1000, 42], [600, 7]] as const) {
  test(`syntheticFleet(${services}, ${seed}): one incident per root failure, each named as its root cause`, () => {
    const fleet = syntheticFleet(services, seed);
    assert.equal(fleet.alerts.length, services / 5);
    assert.equal(fleet.roots.length, Math.max(2, Math.round(services / 200)));
    const byId = new Map<string, (typeof fleet.alerts)[number][]>();
    for (const a of fleet.alerts) byId.set(a.alertId, [...(byId.get(a.alertId) ?? []), a]);
    const groups = groupAlerts(fleet.graph, fleet.alerts, windowMs);
    assert.equal(groups.length, fleet.roots.length);
    const named = groups.map((ids) => analyzeRootCause(fleet.graph, [...new Set(ids.flatMap((id) => byId.get(id)!.map((a) => a.node!)))]).rootCause);
    assert.deepEqual(named.map((c) => c?.node).sort(), [...fleet.roots].sort());
    const reasons = new Map(named.map((c) => [c!.node, c!]));
    assert.equal(reasons.get(fleet.roots[1]!)?.reason, 'edge_target_healthy', 'the second root is an edge cut with a healthy target');
    assert.equal(fleet.graph.services.get(fleet.roots[0]!.slice('service:'.length))?.kind, 'external', 'the first root is an external API');
    assert.ok(reasons.get(fleet.roots[2]!)!.why.some((w) => w.startsWith('down in eu-west only')), 'the third root fails in one region only');
    assert.ok(fleet.alerts.some((a) => a.resolvedAt !== null), 'one alert flaps');
  });
}

test('syntheticFleet is deterministic for a seed', () => {
  const a = syntheticFleet(300, 3);
  const b = syntheticFleet(300, 3);
  assert.deepEqual(a.alerts, b.alerts);
  assert.deepEqual(a.graph.edges, b.graph.edges);
  assert.notDeepEqual(syntheticFleet(300, 4).graph.edges, a.graph.edges);
});
