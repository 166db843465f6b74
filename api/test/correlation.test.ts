import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureReach, groupAlerts, incidentFor, related, type CorrelatedAlert, type IncidentView } from '../src/modules/dependencies/correlation.ts';
import { failureScope } from '../src/modules/dependencies/failure-index.ts';
import { alert, failureGraph, names, node, T0, type FleetTable } from './support/failure-graph.table.ts';

// Which alerts become one incident: the user-visible outcome is the list of incidents, each the
// alerts it holds (in the order they fired). Window: 5 minutes.

const W = 300_000;
const web = names('web', 20);

interface GroupCase {
  name: string;
  fleet: FleetTable;
  alerts: CorrelatedAlert[];
  incidents: string[][];
}

const groupCases: GroupCase[] = [
  {
    name: 'a chain a → b → c failing: one incident',
    fleet: { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } },
    alerts: [alert('c1', 'c', 0), alert('b1', 'b', 10), alert('a1', 'a', 20)],
    incidents: [['c1', 'b1', 'a1']],
  },
  {
    name: 'the top of a chain fires first: still one incident',
    fleet: { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } },
    alerts: [alert('a1', 'a', 0), alert('b1', 'b', 5), alert('c1', 'c', 30)],
    incidents: [['a1', 'b1', 'c1']],
  },
  {
    name: 'a diamond (a on b and c, both on d): one incident',
    fleet: { services: 'a b c d', deps: ['a>b', 'a>c', 'b>d', 'c>d'], health: { a: 'down', b: 'down', c: 'down', d: 'down' } },
    alerts: [alert('b1', 'b', 0), alert('c1', 'c', 1), alert('a1', 'a', 2), alert('d1', 'd', 3)],
    incidents: [['b1', 'c1', 'a1', 'd1']],
  },
  {
    name: 'fan-in: twenty services on a shared config service, all failing: one incident, not twenty',
    fleet: { services: `config ${web.join(' ')}`, deps: web.map((w) => `${w}>config`), health: Object.fromEntries([['config', 'down'], ...web.map((w) => [w, 'down'])]) },
    alerts: [...web.map((w, i) => alert(w, w, i)), alert('config', 'config', 25)],
    incidents: [[...web, 'config']],
  },
  {
    name: 'fan-in without an alert on the shared service: its failure still connects the twenty',
    fleet: { services: `config ${web.join(' ')}`, deps: web.map((w) => `${w}>config`), health: Object.fromEntries([['config', 'down'], ...web.map((w) => [w, 'down'])]) },
    alerts: web.map((w, i) => alert(w, w, i)),
    incidents: [web],
  },
  {
    name: 'a cycle (a ⇄ b) and a dependent of it, all failing: one incident',
    fleet: { services: 'a b c', deps: ['a>b', 'b>a', 'c>a'], health: { a: 'down', b: 'down', c: 'down' } },
    alerts: [alert('a1', 'a', 0), alert('b1', 'b', 1), alert('c1', 'c', 2)],
    incidents: [['a1', 'b1', 'c1']],
  },
  {
    name: 'two independent failures at once: two incidents',
    fleet: { services: 'a b c d', deps: ['a>b', 'c>d'], health: { a: 'down', b: 'down', c: 'down', d: 'down' } },
    alerts: [alert('b1', 'b', 0), alert('d1', 'd', 1), alert('a1', 'a', 2), alert('c1', 'c', 3)],
    incidents: [['b1', 'a1'], ['d1', 'c1']],
  },
  {
    name: 'two failures over a common healthy dependency: two incidents (a healthy node connects nothing)',
    fleet: { services: 'a b db', deps: ['a>db', 'b>db'], health: { a: 'down', b: 'down', db: 'up' } },
    alerts: [alert('a1', 'a', 0), alert('b1', 'b', 1)],
    incidents: [['a1'], ['b1']],
  },
  {
    name: 'an external API down under two services: one incident',
    fleet: { services: 'checkout billing', external: 'stripe', deps: ['checkout>stripe', 'billing>stripe'], health: { checkout: 'down', billing: 'down', stripe: 'down' } },
    alerts: [alert('checkout1', 'checkout', 0), alert('billing1', 'billing', 4), alert('stripe1', 'stripe', 9)],
    incidents: [['checkout1', 'billing1', 'stripe1']],
  },
  {
    name: 'a region-only failure connects like a full one',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down@eu-west', b: 'down@eu-west' } },
    alerts: [alert('b1', 'b', 0), alert('a1', 'a', 3)],
    incidents: [['b1', 'a1']],
  },
  {
    name: 'an edge cut with a healthy target: the edge and its source are one incident',
    fleet: { services: 'fulfillment shipping web', deps: ['fulfillment=>shipping', 'web>fulfillment'], health: { 'fulfillment>shipping': 'down', fulfillment: 'down', web: 'down', shipping: 'up' } },
    alerts: [alert('edge1', 'fulfillment>shipping', 0), alert('web1', 'web', 20), alert('ful1', 'fulfillment', 30)],
    incidents: [['edge1', 'web1', 'ful1']],
  },
  {
    name: 'an unmonitored edge still connects a service to its failing dependency',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('a1', 'a', 0), alert('b1', 'b', 10)],
    incidents: [['a1', 'b1']],
  },
  {
    name: 'an alert on a node without health joins the failure of its dependency',
    fleet: { services: 'reports db', deps: ['reports>db'], health: { db: 'down' } },
    alerts: [alert('db1', 'db', 0), alert('reports1', 'reports', 40)],
    incidents: [['db1', 'reports1']],
  },
  {
    name: 'a node without health between two failures does not connect them (nothing says it fails)',
    fleet: { services: 'a m b', deps: ['a>m', 'm>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('a1', 'a', 0), alert('b1', 'b', 1)],
    incidents: [['a1'], ['b1']],
  },
  {
    name: 'a degraded service on a failing dependency joins its incident',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'degraded', b: 'down' } },
    alerts: [alert('b1', 'b', 0), alert('slow', 'a', 10)],
    incidents: [['b1', 'slow']],
  },
  {
    name: 'latency only: two slow services connect through no failure, so they stay apart',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'degraded', b: 'degraded' } },
    alerts: [alert('slow-a', 'a', 0), alert('slow-b', 'b', 1)],
    incidents: [['slow-a'], ['slow-b']],
  },
  {
    name: 'flapping: an alert that resolves and fires again within the window stays in its incident',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('b1', 'b', 0), alert('a1', 'a', 10, 70), alert('a1', 'a', 200)],
    incidents: [['b1', 'a1']],
  },
  {
    name: 'flapping outside the window opens a new incident',
    fleet: { services: 'a', health: { a: 'down' } },
    alerts: [alert('a1', 'a', 0, 60), alert('a1', 'a', 60 + 301)],
    incidents: [['a1'], ['a1']],
  },
  {
    name: 'an alert about no node flaps back into its incident, and otherwise stands alone',
    fleet: { services: 'a', health: { a: 'down' } },
    alerts: [alert('a1', 'a', 0), alert('x', null, 1, 20), alert('y', null, 2), alert('x', null, 100)],
    incidents: [['a1'], ['x'], ['y']],
  },
  {
    name: 'a later alert on a connected node joins the incident while it still has a firing alert',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('b1', 'b', 0), alert('a1', 'a', 3600)],
    incidents: [['b1', 'a1']],
  },
  {
    name: 'a connected alert after every alert resolved and outside the window opens a new incident',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('b1', 'b', 0, 30), alert('a1', 'a', 400)],
    incidents: [['b1'], ['a1']],
  },
  {
    name: 'a connected alert within the window of the opening joins even when the other alerts resolved',
    fleet: { services: 'a b', deps: ['a>b'], health: { a: 'down', b: 'down' } },
    alerts: [alert('b1', 'b', 0, 30), alert('a1', 'a', 120)],
    incidents: [['b1', 'a1']],
  },
];

for (const c of groupCases) {
  test(`groupAlerts: ${c.name}`, () => assert.deepEqual(groupAlerts(failureGraph(c.fleet), c.alerts, W), c.incidents));
}

test('groupAlerts: alerts are taken in firing order whatever the input order', () => {
  const g = failureGraph({ services: 'a b c d', deps: ['a>b', 'c>d'], health: { a: 'down', b: 'down', c: 'down', d: 'down' } });
  assert.deepEqual(groupAlerts(g, [alert('c1', 'c', 3), alert('a1', 'a', 2), alert('d1', 'd', 1), alert('b1', 'b', 0)], W), [['b1', 'a1'], ['d1', 'c1']]);
});

const view = (id: string, openedAt: number, alerts: CorrelatedAlert[], rootCause: string | null = null): IncidentView => ({ id, openedAt: T0 + openedAt * 1000, alerts, rootCause: rootCause === null ? null : node(rootCause) });

test('incidentFor: an alert connected to two open incidents joins the earliest opened', () => {
  const g = failureGraph({ services: 'a b c', deps: ['a>b', 'a>c'], health: { a: 'down', b: 'down', c: 'down' } });
  const open = [view('i-2', 20, [alert('c1', 'c', 20)]), view('i-1', 10, [alert('b1', 'b', 10)])];
  assert.equal(incidentFor(g, alert('a1', 'a', 30), open, W), 'i-1');
});

test('incidentFor: opened at the same time, the smallest id wins', () => {
  const g = failureGraph({ services: 'a b c', deps: ['a>b', 'a>c'], health: { a: 'down', b: 'down', c: 'down' } });
  const open = [view('i-b', 10, [alert('c1', 'c', 10)]), view('i-a', 10, [alert('b1', 'b', 10)])];
  assert.equal(incidentFor(g, alert('a1', 'a', 30), open, W), 'i-a');
});

test('incidentFor: the root cause counts as a live node of its incident', () => {
  // a's alert resolved long ago, only an alert about no node still fires; the root cause b is still
  // failing, so c (on b) joins; without the root cause nothing live connects c to the incident.
  const g = failureGraph({ services: 'a b c', deps: ['a>b', 'c>b'], health: { b: 'down', c: 'down' } });
  const alerts = [alert('a1', 'a', 0, 10), alert('x', null, 5)];
  assert.equal(incidentFor(g, alert('c1', 'c', 1000), [view('i-1', 0, alerts, 'b')], W), 'i-1');
  assert.equal(incidentFor(g, alert('c1', 'c', 1000), [view('i-1', 0, alerts)], W), undefined);
});

test('incidentFor: an unrelated alert opens a new incident', () => {
  const g = failureGraph({ services: 'a b', health: { a: 'down', b: 'down' } });
  assert.equal(incidentFor(g, alert('b1', 'b', 5), [view('i-1', 0, [alert('a1', 'a', 0)])], W), undefined);
});

test('incidentFor: an alert about no node joins nothing but its own flap', () => {
  const g = failureGraph({ services: 'a', health: { a: 'down' } });
  const open = [view('i-1', 0, [alert('a1', 'a', 0), alert('x', null, 1, 30)])];
  assert.equal(incidentFor(g, alert('z', null, 40), open, W), undefined);
  assert.equal(incidentFor(g, alert('x', null, 40), open, W), 'i-1');
});

test('failureReach: through failing nodes only, and a cycle ends', () => {
  const g = failureGraph({ services: 'a b c d e', deps: ['a>b', 'b>c', 'c>b', 'b>d', 'd>e'], health: { a: 'down', b: 'down', c: 'down', d: 'up', e: 'down' } });
  assert.deepEqual([...failureReach(g, node('a'))].sort(), ['service:a', 'service:b', 'service:c']);
  assert.deepEqual([...failureReach(g, node('d'))].sort(), ['service:d', 'service:e']);
});

test('failureReach: a monitored edge sits between the services; an unmonitored one does not', () => {
  const g = failureGraph({ services: 'a b c', deps: ['a=>b', 'a>c'], health: { a: 'down', 'a>b': 'down', b: 'down', c: 'down' } });
  assert.deepEqual([...failureReach(g, node('a'))].sort(), ['edge:a-b', 'service:a', 'service:b', 'service:c']);
  assert.deepEqual([...failureReach(g, node('a>b'))].sort(), ['edge:a-b', 'service:b']);
});

const relatedCases: Array<[string, FleetTable, string, string, boolean]> = [
  ['one depends on the other through failing nodes', { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } }, 'a', 'c', true],
  ['the other way round', { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } }, 'c', 'a', true],
  ['a healthy node in between', { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'up', c: 'down' } }, 'a', 'c', false],
  ['a degraded node in between', { services: 'a b c', deps: ['a>b', 'b>c'], health: { a: 'down', b: 'degraded', c: 'down' } }, 'a', 'c', false],
  ['a common failing dependency', { services: 'a b c', deps: ['a>c', 'b>c'], health: { a: 'down', b: 'down', c: 'down' } }, 'a', 'b', true],
  ['a common failing dependency two hops down', { services: 'a b x y c', deps: ['a>x', 'x>c', 'b>y', 'y>c'], health: { a: 'down', b: 'down', x: 'down', y: 'down', c: 'down' } }, 'a', 'b', true],
  ['a common failing dependent does not connect two failures', { services: 'a b top', deps: ['top>a', 'top>b'], health: { a: 'down', b: 'down', top: 'down' } }, 'a', 'b', false],
  ['the members of a failing cycle', { services: 'a b', deps: ['a>b', 'b>a'], health: { a: 'down', b: 'down' } }, 'b', 'a', true],
  ['a node and itself, without health', { services: 'a' }, 'a', 'a', true],
  ['two nodes without health on a common one without health', { services: 'a b c', deps: ['a>c', 'b>c'] }, 'a', 'b', false],
  ['an edge and the service that owns it', { services: 'a b', deps: ['a=>b'], health: { a: 'down', 'a>b': 'down', b: 'up' } }, 'a', 'a>b', true],
  ['an edge and its healthy target', { services: 'a b', deps: ['a=>b'], health: { a: 'down', 'a>b': 'down', b: 'up' } }, 'a>b', 'b', false],
];
for (const [name, fleet, a, b, expected] of relatedCases) {
  test(`related: ${name}`, () => assert.equal(related(failureGraph(fleet), node(a), node(b)), expected));
}

test('related equals "their failure reaches intersect", and a scope is the union of reaches, on random graphs with cycles', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 150; round++) {
    const n = 3 + Math.floor(rand() * 9);
    const ids = names('s', n);
    const deps = new Set<string>();
    for (let i = 0; i < n * 1.5; i++) {
      const a = ids[Math.floor(rand() * n)]!;
      const b = ids[Math.floor(rand() * n)]!;
      if (a !== b) deps.add(`${a}${rand() < 0.3 ? '=>' : '>'}${b}`);
    }
    const health: Record<string, string> = {};
    for (const id of ids) if (rand() < 0.85) health[id] = rand() < 0.6 ? 'down' : rand() < 0.5 ? 'degraded' : 'up';
    for (const d of deps) if (d.includes('=>') && rand() < 0.5) health[d.replace('=>', '>')] = rand() < 0.7 ? 'down' : 'up';
    const g = failureGraph({ services: ids.join(' '), deps: [...deps].filter((d, i, all) => !all.includes(d.replace('=>', '>')) || !d.includes('=>')), health });
    const keys = [...ids.map((id) => node(id)), ...g.edges.filter((e) => e.monitored).map((e) => node(`${e.from}>${e.to}`))];
    const some = keys.filter(() => rand() < 0.4);
    const union = new Set(some.flatMap((k) => [...failureReach(g, k)]));
    assert.deepEqual([...failureScope(g, some)].sort(), [...union].sort(), `round ${round}: the scope of ${some.join(' ')} is the union of their reaches`);
    for (const a of keys) {
      for (const b of keys) {
        const reachA = failureReach(g, a);
        const expected = [...failureReach(g, b)].some((x) => reachA.has(x));
        assert.equal(related(g, a, b), expected, `round ${round}: ${a} ~ ${b} in ${[...deps].join(' ')} ${JSON.stringify(health)}`);
      }
    }
  }
});
