import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Status } from '../src/contract/state.schema.ts';
import { coalescedReload, type ReloadTimers } from '../src/web/console/coalesced-reload.ts';
import { errorCode, failingEdges, filterFromQuery, filterServices, filterUrl, groupByTeam, lastCheck, summaryText } from '../src/web/console/health-filter.ts';

// The health view's pure part (filters in the URL, narrowing, grouping, the summary line) and the
// coalescing of live reloads, with a hand-driven clock.

const region = (r: string, state: string, extra: Record<string, unknown> = {}) => ({ region: r, state, since: '2026-01-01T00:00:00Z', consecutive_failures: 0, consecutive_successes: 0, ...extra });
const monitor = (id: string, regions: ReturnType<typeof region>[], state = 'up') => ({ id, name: id, type: 'http', enabled: true, state, regions });
const status = {
  generated_at: '2026-01-01T00:00:00Z',
  summary: { up: 2, degraded: 0, down: 1, unknown: 1 },
  services: [
    { id: 's1', name: 'checkout', team_id: 't-pay', kind: 'internal', state: 'up', monitors: [monitor('m1', [region('eu', 'up', { last_result_at: '2026-01-01T00:00:10Z' }), region('us', 'up', { last_result_at: '2026-01-01T00:00:20Z' })])] },
    { id: 's2', name: 'ledger', team_id: 't-pay', kind: 'internal', state: 'down', monitors: [monitor('m2', [region('us', 'down', { last_error: 'connection_refused: connect ECONNREFUSED' })], 'down')] },
    { id: 's3', name: 'shipping', team_id: 't-ful', kind: 'internal', state: 'up', monitors: [monitor('m3', [region('eu', 'up')])] },
    { id: 's4', name: 'carrier', team_id: 't-ful', kind: 'external', state: 'unknown', monitors: [] },
  ],
  edge_summary: { up: 1, degraded: 0, down: 1, unknown: 0 },
  edges: [
    { id: 'e1', service_id: 's1', service: 'checkout', depends_on_service_id: 's2', depends_on: 'ledger', team_id: 't-pay', state: 'down', monitors: [] },
    { id: 'e2', service_id: 's3', service: 'shipping', depends_on_service_id: 's4', depends_on: 'carrier', team_id: 't-ful', state: 'up', monitors: [] },
  ],
} as unknown as Status;
const tags = new Map<string, Record<string, string>>([['s1', { tier: '1' }], ['s2', { tier: '1', 'k8s:ns': 'pay' }], ['s3', { tier: '2' }]]);
const names = (list: Array<{ name: string }>) => list.map((s) => s.name);

test('filters round-trip through the query string; bad values are ignored', () => {
  const cases: Array<[Record<string, string>, object, string]> = [
    [{}, {}, '/'],
    [{ team: 't-pay', state: 'down' }, { team: 't-pay', state: 'down' }, '/?team=t-pay&state=down'],
    [{ state: 'broken', region: ' ' }, {}, '/'],
    [{ tag: 'k8s:ns=pay', region: 'us' }, { tag: 'k8s:ns=pay', region: 'us' }, '/?tag=k8s%3Ans%3Dpay&region=us'],
  ];
  for (const [query, filter, url] of cases) {
    assert.deepEqual(filterFromQuery(query), filter);
    assert.equal(filterUrl(filterFromQuery(query)), url);
    assert.deepEqual(filterFromQuery(Object.fromEntries(new URLSearchParams(url.slice(2)))), filter, 'the URL reads back as the same filter');
  }
});

test('each filter narrows the services, worst state first', () => {
  const cases: Array<[object, string[]]> = [
    [{}, ['ledger', 'carrier', 'checkout', 'shipping']],
    [{ team: 't-pay' }, ['ledger', 'checkout']],
    [{ state: 'up' }, ['checkout', 'shipping']],
    [{ tag: 'tier=1' }, ['ledger', 'checkout']],
    [{ tag: 'k8s:ns=pay' }, ['ledger']],
    [{ region: 'eu' }, ['checkout', 'shipping']],
    [{ team: 't-ful', state: 'down' }, []],
  ];
  for (const [filter, expected] of cases) assert.deepEqual(names(filterServices(status, tags, filter)), expected, JSON.stringify(filter));
  const eu = filterServices(status, tags, { region: 'eu' });
  assert.deepEqual(eu[0]!.monitors[0]!.regions.map((r) => r.region), ['eu'], 'a region filter shows that region\'s state only');
});

test('services group by team in name order; the summary line counts states', () => {
  const groups = groupByTeam(filterServices(status, tags, {}), new Map([['t-pay', 'payments'], ['t-ful', 'fulfillment']]));
  assert.deepEqual(groups.map((g) => [g.name, names(g.services)]), [['fulfillment', ['carrier', 'shipping']], ['payments', ['ledger', 'checkout']]]);
  assert.equal(groupByTeam(status.services.slice(0, 1), new Map())[0]!.name, 't-pay', 'an unreadable team name falls back to its id');
  assert.equal(summaryText(status.services), '4 services: 2 up, 0 degraded, 1 down, 1 unknown');
  assert.equal(summaryText(status.services.slice(0, 1)), '1 service: 1 up, 0 degraded, 0 down');
});

test('failing edges, error codes and the last check time', () => {
  assert.deepEqual(failingEdges(status, {}).map((e) => e.id), ['e1']);
  assert.deepEqual(failingEdges(status, { team: 't-ful' }), []);
  assert.equal(errorCode('connection_refused: connect ECONNREFUSED'), 'connection_refused');
  assert.equal(errorCode('timeout'), 'timeout');
  assert.equal(errorCode(undefined), undefined);
  assert.equal(lastCheck(status.services[0]!.monitors[0]!), '2026-01-01T00:00:20Z');
  assert.equal(lastCheck(status.services[2]!.monitors[0]!), undefined);
});

/** A clock and timer queue the test moves by hand. */
function manualTimers() {
  let now = 0;
  let queue: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const timers: ReloadTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      queue.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => void (queue = queue.filter((t) => t.id !== id)),
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const t of queue.filter((t) => t.at <= now)) {
      queue = queue.filter((q) => q !== t);
      t.fn();
    }
    await new Promise((r) => setImmediate(r));
  };
  return { timers, advance, pending: () => queue.length };
}

test('live reloads coalesce: one at a time, at most one a second, requests meanwhile cause one more run', async () => {
  const { timers, advance } = manualTimers();
  const starts: number[] = [];
  let finish: (() => void) | undefined;
  const reload = coalescedReload(() => {
    starts.push(timers.now());
    return new Promise<void>((r) => (finish = r));
  }, 1000, timers);
  reload.request();
  assert.deepEqual(starts, [0], 'the first request runs at once');
  for (let i = 0; i < 50; i++) reload.request();
  await advance(2000);
  assert.deepEqual(starts, [0], 'nothing starts while one runs');
  finish!();
  await advance(0);
  assert.deepEqual(starts, [0, 2000], '50 requests during the run cause one more run');
  finish!();
  await advance(100);
  reload.request();
  reload.request();
  assert.deepEqual(starts, [0, 2000], 'the next run waits for the 1 s gap');
  await advance(900);
  assert.deepEqual(starts, [0, 2000, 3000]);
  finish!();
  await advance(5000);
  assert.deepEqual(starts, [0, 2000, 3000], 'no request, no run');
  reload.request();
  finish!();
  await advance(0);
  reload.request();
  reload.dispose();
  await advance(5000);
  assert.deepEqual(starts, [0, 2000, 3000, 8000], 'a disposed reloader runs no more');
});

test('a failed reload does not stop later ones', async () => {
  const { timers, advance } = manualTimers();
  let runs = 0;
  const reload = coalescedReload(async () => {
    runs++;
    throw new Error('offline');
  }, 1000, timers);
  reload.request();
  await advance(0);
  reload.request();
  await advance(1000);
  assert.equal(runs, 2);
});
