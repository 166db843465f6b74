import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRootCause, describeRootCause, type CandidateReason } from '../src/modules/dependencies/root-cause.ts';
import { failureGraph, names, node, type FleetTable } from './support/failure-graph.table.ts';

// The probable root cause of an incident and what it impacts, as the incident shows them: which
// node, why (the reason and the sentences), which other nodes are impacted and how.

const web = names('web', 20);

interface RootCase {
  name: string;
  fleet: FleetTable;
  /** The nodes of the incident's alerts. */
  incident: string[];
  root: string | null;
  reason?: CandidateReason;
  /** Candidates in rank order (when more than one). */
  candidates?: string[];
  /** Impacted nodes and how, in any order. */
  impacted: Record<string, 'failing' | 'degraded'>;
  /** Substrings the why sentences of the root cause contain. */
  why?: string[];
  /** The one-line description. */
  line?: string;
}

const cases: RootCase[] = [
  {
    name: 'chain: the bottom of a failing chain',
    fleet: { services: 'a b c d', deps: ['a>b', 'b>c', 'c>d'], health: { a: 'down', b: 'down', c: 'down', d: 'up' } },
    incident: ['a', 'b', 'c'],
    root: 'c',
    reason: 'dependencies_healthy',
    impacted: { a: 'failing', b: 'failing' },
    why: ['c is down and none of its dependencies is failing', 'explains 2 failing services: a, b'],
    line: 'c is down; its dependencies are healthy',
  },
  {
    name: 'chain: found from the top alone (the dependency has no alert yet)',
    fleet: { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } },
    incident: ['a'],
    root: 'c',
    impacted: { a: 'failing', b: 'failing' },
  },
  {
    name: 'chain: the failure stops where a dependency is healthy',
    fleet: { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'up' } },
    incident: ['a', 'b'],
    root: 'b',
    impacted: { a: 'failing' },
  },
  {
    name: 'diamond: the shared bottom',
    fleet: { services: 'a b c d', deps: ['a>b', 'a>c', 'b>d', 'c>d'], health: { a: 'down', b: 'down', c: 'down', d: 'down' } },
    incident: ['a', 'b', 'c', 'd'],
    root: 'd',
    impacted: { a: 'failing', b: 'failing', c: 'failing' },
    why: ['explains 3 failing services: a, b, c'],
  },
  {
    name: 'fan-in: twenty services on config, config is the root cause',
    fleet: { services: `config ${web.join(' ')}`, deps: web.map((w) => `${w}>config`), health: Object.fromEntries([['config', 'down+0'], ...web.map((w, i) => [w, `down+${i + 1}`])]) },
    incident: [...web, 'config'],
    root: 'config',
    reason: 'dependencies_healthy',
    impacted: Object.fromEntries(web.map((w) => [w, 'failing'])),
    why: ['explains 20 failing services: ', 'and 12 more', 'has no dependencies of its own', 'failing since 12:00:00Z'],
  },
  {
    name: 'cycle: the members of a failing cycle are peers, ranked by who failed first',
    fleet: { services: 'a b c', deps: ['a>b', 'b>a', 'c>a'], health: { a: 'down+5', b: 'down+2', c: 'down+9' } },
    incident: ['a', 'b', 'c'],
    root: 'b',
    reason: 'cycle',
    candidates: ['b', 'a'],
    impacted: { a: 'failing', c: 'failing' },
    why: ['b is in a dependency cycle with a', 'failed first, at 12:00:02Z'],
    line: 'b is down, in a dependency cycle with a that is failing as a whole',
  },
  {
    name: 'cycle: a failing dependency below the cycle is the root cause, not the cycle',
    fleet: { services: 'a b d', deps: ['a>b', 'b>a', 'b>d'], health: { a: 'down', b: 'down', d: 'down' } },
    incident: ['a', 'b'],
    root: 'd',
    reason: 'dependencies_healthy',
    impacted: { a: 'failing', b: 'failing' },
  },
  {
    name: 'cycle: a healthy cycle below a failing service does not stop it from being the root cause',
    fleet: { services: 'x a b', deps: ['x>a', 'a>b', 'b>a'], health: { x: 'down', a: 'up', b: 'up' } },
    incident: ['x'],
    root: 'x',
    impacted: {},
    why: ['x is down and none of its dependencies is failing'],
  },
  {
    name: 'an external API down: the external service is the root cause',
    fleet: { services: 'checkout billing', external: 'stripe', deps: ['checkout>stripe', 'billing>stripe'], health: { checkout: 'down', billing: 'down', stripe: 'down' } },
    incident: ['checkout', 'billing', 'stripe'],
    root: 'stripe',
    reason: 'dependencies_healthy',
    impacted: { checkout: 'failing', billing: 'failing' },
    why: ['stripe is an external API and it is down'],
    line: 'stripe (external API) is down',
  },
  {
    name: 'a region-only failure: named, with where it is down and where it is up',
    fleet: { services: 'api db', deps: ['api>db'], health: { api: 'down@eu-west', db: 'down@eu-west' } },
    incident: ['api'],
    root: 'db',
    impacted: { api: 'failing' },
    why: ['down in eu-west only; up in us-east'],
    line: 'db is down in eu-west only',
  },
  {
    name: 'an edge cut with a healthy target: "A cannot reach B", the edge named',
    fleet: { services: 'fulfillment shipping web', deps: ['fulfillment=>shipping', 'web>fulfillment'], health: { 'fulfillment>shipping': 'down', fulfillment: 'down', web: 'down', shipping: 'up' } },
    incident: ['web', 'fulfillment'],
    root: 'fulfillment>shipping',
    reason: 'edge_target_healthy',
    impacted: { web: 'failing', fulfillment: 'failing' },
    why: ['fulfillment cannot reach shipping, and shipping is up from eu-west, us-east: look at the network', 'explains 2 failing services: fulfillment, web', 'failing checks: fulfillment>shipping health in eu-west (HTTP 503, upstream unavailable, trace trace-fulfillment>shipping)'],
    line: 'fulfillment cannot reach shipping (shipping is up from eu-west, us-east)',
  },
  {
    name: 'an edge cut while its source stays healthy (its /health answers 200): the edge alone',
    fleet: { services: 'fulfillment shipping', deps: ['fulfillment=>shipping'], health: { 'fulfillment>shipping': 'down', fulfillment: 'up', shipping: 'up' } },
    incident: ['fulfillment>shipping'],
    root: 'fulfillment>shipping',
    reason: 'edge_target_healthy',
    impacted: {},
  },
  {
    name: 'an edge whose target has no monitors: still the edge, and it says so',
    fleet: { services: 'a b', deps: ['a=>b'], health: { 'a>b': 'down', a: 'down' } },
    incident: ['a'],
    root: 'a>b',
    impacted: { a: 'failing' },
    line: 'a cannot reach b (b has no monitors of its own)',
  },
  {
    name: 'an edge failing because its target is down: the target is the root cause',
    fleet: { services: 'a b', deps: ['a=>b'], health: { 'a>b': 'down', a: 'down', b: 'down' } },
    incident: ['a', 'a>b'],
    root: 'b',
    impacted: { a: 'failing', 'a>b': 'failing' },
    why: ['explains 1 failing service: a; 1 failing connection: a → b'],
  },
  {
    name: 'an unmonitored edge: the service depends on its target directly',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    incident: ['a'],
    root: 'b',
    impacted: { a: 'failing' },
  },
  {
    name: 'an unmonitored edge to a healthy target: the service itself',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'up' } },
    incident: ['a'],
    root: 'a',
    reason: 'dependencies_healthy',
    impacted: {},
  },
  {
    name: 'latency only: no root cause, the slow services are impacts',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'degraded', b: 'degraded' } },
    incident: ['a', 'b'],
    root: null,
    impacted: { a: 'degraded', b: 'degraded' },
  },
  {
    name: 'a degraded dependency is never the root cause: the failing service above it is',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'degraded' } },
    incident: ['a', 'b'],
    root: 'a',
    impacted: { b: 'degraded' },
  },
  {
    name: 'degraded services that depend on the root cause are impacts, alert or not',
    fleet: { services: 'web api db slow', deps: ['web>api', 'api>db', 'slow>db'], health: { db: 'down', api: 'degraded', web: 'degraded', slow: 'up' } },
    incident: ['db'],
    root: 'db',
    impacted: { api: 'degraded', web: 'degraded' },
  },
  {
    name: 'a node without health: not failing, not impacted, and it breaks no chain it is not in',
    fleet: { services: 'a m', deps: ['a>m'], health: { a: 'down' } },
    incident: ['a', 'm'],
    root: 'a',
    impacted: {},
  },
  {
    name: 'an incident of nodes without health: nothing to name',
    fleet: { services: 'a b', deps: ['a>b'] },
    incident: ['a', 'b'],
    root: null,
    impacted: {},
  },
  {
    name: 'two independent failures in one scope: the one that explains more ranks first',
    fleet: { services: 'a b c x', deps: ['a>c', 'b>c'], health: { a: 'down', b: 'down', c: 'down+30', x: 'down' } },
    incident: ['a', 'b', 'x'],
    root: 'c',
    candidates: ['c', 'x'],
    impacted: { a: 'failing', b: 'failing', x: 'failing' },
  },
  {
    name: 'ranking: hard down before region-only when both explain as much',
    fleet: { services: 'a b p q', deps: ['a>p', 'b>q'], health: { a: 'down', b: 'down', p: 'down@eu-west', q: 'down+60' } },
    incident: ['a', 'b'],
    root: 'q',
    candidates: ['q', 'p'],
    impacted: { a: 'failing', b: 'failing', p: 'failing' },
    why: ['down in every region it is checked from (eu-west, us-east)'],
  },
  {
    name: 'ranking: then the one that failed first, then the key',
    fleet: { services: 'p q r', health: { p: 'down+20', q: 'down+10', r: 'down+10' } },
    incident: ['p', 'q', 'r'],
    root: 'q',
    candidates: ['q', 'r', 'p'],
    impacted: { p: 'failing', r: 'failing' },
    why: ['failing since 12:00:10Z'],
  },
];

for (const c of cases) {
  test(`analyzeRootCause: ${c.name}`, () => {
    const g = failureGraph(c.fleet);
    const analysis = analyzeRootCause(g, c.incident.map(node));
    assert.equal(analysis.rootCause?.node ?? null, c.root === null ? null : node(c.root));
    assert.deepEqual(Object.fromEntries(analysis.impacted.map((i) => [i.node, i.impact])), Object.fromEntries(Object.entries(c.impacted).map(([k, v]) => [node(k), v])));
    if (c.candidates) assert.deepEqual(analysis.candidates.map((x) => x.node), c.candidates.map(node));
    if (c.root === null) {
      assert.deepEqual(analysis.candidates, []);
      return;
    }
    const root = analysis.rootCause!;
    if (c.reason) assert.equal(root.reason, c.reason);
    const why = root.why.join(' | ');
    for (const part of c.why ?? []) assert.ok(why.includes(part), `why should say "${part}": ${why}`);
    if (c.line) assert.equal(describeRootCause(g, root), c.line);
  });
}

test('scores follow the rank and say how much each candidate explains', () => {
  const g = failureGraph({ services: 'a b c x', deps: ['a>c', 'b>c'], health: { a: 'down', b: 'down', c: 'down', x: 'down@eu-west' } });
  const { candidates } = analyzeRootCause(g, ['a', 'b', 'x'].map(node));
  assert.deepEqual(candidates.map((c) => [c.node, c.explains, c.score]), [
    ['service:c', ['service:a', 'service:b'], 2.5],
    ['service:x', [], 0],
  ]);
});

test('a long failing chain (5,000 services) is analysed without exhausting the stack', () => {
  const ids = names('s', 5000);
  const g = failureGraph({ services: ids.join(' '), deps: ids.slice(1).map((id, i) => `${id}>${ids[i]}`), health: Object.fromEntries(ids.map((id) => [id, 'down'])) });
  const analysis = analyzeRootCause(g, [node('s5000')]);
  assert.equal(analysis.rootCause?.node, node('s1'));
  assert.equal(analysis.rootCause?.explains.length, 4999);
  assert.equal(analysis.impacted.length, 4999);
});
