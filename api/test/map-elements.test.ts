import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DependencyGraph, GraphEdge, GraphNode } from '../src/contract/dependency-graph.schema.ts';
import { applyStates, buildMapModel, findService, rootCauseElement, summaryOf, teamScope, type MapIncident, type MapModel } from '../src/web/console/components/map-elements.ts';

// The dependency map's model, from the API's graph and open incidents to Cytoscape elements,
// classes, the accessible summary and the failing list. Pure; the browser test draws it.

type State = GraphNode['state'];
const node = (id: string, team: string, state: State = 'up', extra: Partial<GraphNode> = {}): GraphNode => ({ id, name: id, kind: 'internal', team_id: `team_${team}`, team, state, in_scope: true, ...extra });
const edge = (id: string, from: string, to: string, state: State = 'up', extra: Partial<GraphEdge> = {}): GraphEdge => ({ id, service_id: from, depends_on_service_id: to, team_id: 'team_x', state, monitored: state !== 'unknown', monitor_ids: state !== 'unknown' ? [`mon_${id}`] : [], ...extra });
const graph = (nodes: GraphNode[], edges: GraphEdge[]): DependencyGraph => ({ generated_at: '2026-01-01T00:00:00.000Z', nodes, edges });
const el = (m: MapModel, id: string) => {
  const found = m.elements.find((e) => e.data.id === id);
  assert.ok(found, `element ${id}`);
  return found;
};

// The reference outage in small: storefront → fulfillment-api → shipping → carrier (external).
const fleet = () =>
  graph(
    [node('web', 'storefront'), node('fulfillment-api', 'fulfillment'), node('shipping', 'fulfillment', 'down'), node('carrier', 'fulfillment', 'up', { kind: 'external' }), node('pay', 'payments')],
    [edge('e1', 'web', 'fulfillment-api'), edge('e2', 'fulfillment-api', 'shipping'), edge('e3', 'shipping', 'carrier', 'down'), edge('e4', 'pay', 'carrier', 'unknown')],
  );
const incident: MapIncident = { id: 'inc_1', number: 3, title: 'shipping → carrier', root_cause: { node: 'edge:e3', kind: 'edge', id: 'e3', name: 'shipping → carrier' }, impacted: [{ kind: 'service', id: 'shipping' }, { kind: 'service', id: 'fulfillment-api' }] };

test('teams become compound parents, one per team, and every service sits in its team', () => {
  const m = buildMapModel(fleet(), []);
  const teams = m.elements.filter((e) => e.data.kind === 'team');
  assert.deepEqual(teams.map((t) => t.data.label), ['fulfillment', 'payments', 'storefront']);
  assert.deepEqual(m.teams.map((t) => t.name), ['fulfillment', 'payments', 'storefront']);
  for (const s of m.elements.filter((e) => e.data.kind === 'service')) assert.equal(s.data.parent, `t:team_${s.data.team}`);
  assert.equal(m.elements.filter((e) => e.group === 'edges').length, 4);
  assert.equal(el(m, 'e:e3').data.source, 's:shipping');
  assert.equal(el(m, 'e:e3').data.target, 's:carrier');
});

test('states become classes and labels: failing ones are marked in words as well as in colour', () => {
  const cases: Array<[State, string[], string]> = [
    ['up', ['service', 'state-up'], 'svc'],
    ['degraded', ['service', 'state-degraded', 'failing'], 'svc\ndegraded'],
    ['down', ['service', 'state-down', 'failing'], 'svc\ndown'],
    ['unknown', ['service', 'state-unknown'], 'svc\nunknown'],
  ];
  for (const [state, classes, label] of cases) {
    const m = buildMapModel(graph([node('svc', 't', state)], []), []);
    assert.deepEqual(el(m, 's:svc').classes, classes, state);
    assert.equal(el(m, 's:svc').data.label, label, state);
    assert.ok(el(m, 's:svc').data.w! >= 60 && el(m, 's:svc').data.h! >= 30);
  }
  const m = buildMapModel(fleet(), []);
  assert.ok(el(m, 's:carrier').classes.includes('external'));
  assert.deepEqual(el(m, 'e:e3').classes, ['edge', 'state-down', 'failing']);
  assert.equal(el(m, 'e:e3').data.label, 'down');
});

test('an edge no monitor checks is unknown, drawn as unmonitored, and not listed as failing', () => {
  const m = buildMapModel(fleet(), []);
  assert.deepEqual(el(m, 'e:e4').classes, ['edge', 'state-unknown', 'unmonitored']);
  assert.equal(el(m, 'e:e4').data.label, 'not monitored');
  assert.ok(!m.failing.some((i) => i.id === 'e:e4'));
  assert.ok(m.all.some((i) => i.id === 'e:e4' && i.label === 'pay → carrier'));
});

test('the root cause of an open incident gets its own class and label; what it impacts is marked', () => {
  const g = fleet();
  // carrier is involved in incident #3 (the cut edge's target) but not impacted by it; web is
  // involved in #4, whose detail was not read: counted as impacted.
  g.nodes.find((n) => n.id === 'carrier')!.open_incident = { id: 'inc_1', number: 3, state: 'identified' };
  g.nodes.find((n) => n.id === 'web')!.open_incident = { id: 'inc_4', number: 4, state: 'investigating' };
  const m = buildMapModel(g, [incident, { id: 'inc_4', number: 4, title: '', root_cause: null }]);
  const root = el(m, 'e:e3');
  assert.ok(root.classes.includes('root-cause'));
  assert.ok(!root.classes.includes('impacted'));
  assert.equal(root.data.label, 'root cause');
  assert.equal(root.data.root_cause_of, 3);
  assert.equal(root.data.incident_id, 'inc_1');
  assert.ok(el(m, 's:shipping').classes.includes('impacted'));
  assert.ok(el(m, 's:fulfillment-api').classes.includes('impacted'), 'impacted though up');
  assert.ok(el(m, 's:web').classes.includes('impacted'), 'a service the incident involves (open_incident) is impacted');
  assert.ok(!el(m, 's:carrier').classes.includes('impacted'), 'involved, not impacted');
  assert.equal(el(m, 's:carrier').data.incident_id, 'inc_1', 'still linked to its incident');
  assert.equal(el(m, 's:web').data.incident_number, 4);
  assert.ok(!el(m, 's:pay').classes.includes('impacted'));
  assert.deepEqual(m.failing.map((i) => [i.label, i.note]), [['shipping → carrier', 'root cause of incident #3'], ['shipping', 'impacted by incident #3']]);
  assert.equal(m.summary, 'Dependency map: 5 services in 3 teams, 4 dependencies; failing: shipping → carrier (down, root cause of incident #3), shipping (down, impacted by incident #3).');
});

test('a service root cause (named by node only) is found; a root cause outside the graph changes nothing', () => {
  assert.equal(rootCauseElement({ node: 'service:svc_1' }), 's:svc_1');
  assert.equal(rootCauseElement({ kind: 'edge', id: 'dep_1' }), 'e:dep_1');
  assert.equal(rootCauseElement(null), undefined);
  assert.equal(rootCauseElement({ kind: 'monitor', id: 'x' }), undefined);
  const m = buildMapModel(fleet(), [{ id: 'inc_2', number: 4, title: '', root_cause: { node: 'service:carrier' } }, { id: 'inc_3', number: 5, title: '', root_cause: { kind: 'service', id: 'gone' } }]);
  assert.ok(el(m, 's:carrier').classes.includes('root-cause'));
  assert.equal(el(m, 's:carrier').data.label, 'carrier\nup · root cause');
  assert.equal(m.failing[0]!.label, 'carrier', 'a root cause is listed even while it reads up');
  assert.equal(m.elements.filter((e) => e.classes.includes('root-cause')).length, 1);
});

test('cycles are kept as they are; edges to services outside the graph are left out', () => {
  const m = buildMapModel(graph([node('a', 't'), node('b', 't'), node('c', 't')], [edge('ab', 'a', 'b'), edge('ba', 'b', 'a'), edge('bc', 'b', 'c'), edge('ca', 'c', 'a'), edge('ax', 'a', 'missing')]), []);
  assert.deepEqual(m.elements.filter((e) => e.group === 'edges').map((e) => e.data.id), ['e:ab', 'e:ba', 'e:bc', 'e:ca']);
  assert.match(m.summary, /3 services in 1 team, 4 dependencies; nothing failing\./);
});

test('the summary names at most five failing elements, then how many more', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ id: `s:${i}`, kind: 'service' as const, label: `svc-${i}`, team: 't', state: 'down' as const, note: '' }));
  assert.equal(summaryOf(300, 12, 450, items), 'Dependency map: 300 services in 12 teams, 450 dependencies; failing: svc-0 (down), svc-1 (down), svc-2 (down), svc-3 (down), svc-4 (down), and 2 more.');
  assert.equal(summaryOf(1, 1, 1, []), 'Dependency map: 1 service in 1 team, 1 dependency; nothing failing.');
});

test('a team filter shows the team, its services, their edges and the services at the other end', () => {
  const m = buildMapModel(fleet(), []);
  assert.equal(teamScope(m, undefined), undefined);
  const storefront = teamScope(m, 'team_storefront')!;
  assert.deepEqual([...storefront].sort(), ['e:e1', 's:fulfillment-api', 's:web', 't:team_fulfillment', 't:team_storefront']);
  const payments = teamScope(m, 'team_payments')!;
  assert.ok(payments.has('s:carrier') && payments.has('e:e4') && !payments.has('s:shipping'));
});

test('search finds a service by exact name, then prefix, then part of its name', () => {
  const m = buildMapModel(graph([node('shipping', 't'), node('shipping-integration', 't'), node('carrier-api', 't')], []), []);
  assert.equal(findService(m, 'shipping')?.id, 's:shipping');
  assert.equal(findService(m, 'SHIPPING-i')?.id, 's:shipping-integration');
  assert.equal(findService(m, 'api')?.id, 's:carrier-api');
  assert.equal(findService(m, '  '), undefined);
  assert.equal(findService(m, 'nothing'), undefined);
});

test('live state changes patch services and edges; region and monitor changes do not', () => {
  const g = fleet();
  const at = '2026-01-01T00:01:00.000Z';
  assert.equal(applyStates(g, [{ subject_type: 'edge', subject_id: 'e3', region: null, to: 'up', at }, { subject_type: 'service', subject_id: 'shipping', region: null, to: 'up', at }]), true);
  assert.equal(g.edges.find((e) => e.id === 'e3')!.state, 'up');
  assert.equal(g.nodes.find((n) => n.id === 'shipping')!.since, at);
  assert.equal(applyStates(g, [{ subject_type: 'monitor', subject_id: 'e3', region: null, to: 'down', at }, { subject_type: 'service', subject_id: 'web', region: 'eu', to: 'down', at }, { subject_type: 'service', subject_id: 'web', region: null, to: 'up', at }, { subject_type: 'service', subject_id: 'nope', region: null, to: 'down', at }]), false);
  const m = buildMapModel(g, []);
  assert.deepEqual(m.failing, []);
});
