import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketIndex, latencyBucketBounds, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import type { State } from '../src/contract/state.schema.ts';
import {
  addTotals, anyOf, clip, downIntervals, emptyTotals, foldHistogram, groupFigures, intersect, measure, observedIntervals, outageFigures, percentile, subjectFigures, subtract, timeline, union, uptimePercent, type Interval,
} from '../src/modules/sla/sla.math.ts';

const iv = (...pairs: Array<[number, number]>): Interval[] => pairs.map(([start, end]) => ({ start, end }));

test('latency buckets: 27 bounds in milliseconds ending with +Inf', () => {
  assert.equal(latencyBucketCount, 27);
  assert.deepEqual(latencyBucketBounds.slice(0, 4), [1, 2, 5, 10]);
  assert.equal(latencyBucketBounds[25], 60000);
  assert.equal(latencyBucketBounds[26], Number.POSITIVE_INFINITY);
  latencyBucketBounds.forEach((bound, i) => assert.equal(bucketIndex(bound), i, `bound ${bound} is in its own bucket`));
});

const bucketCases: Array<[number, number]> = [
  [0, 0], [-3, 0], [0.5, 0], [1, 0], [1.0001, 1], [2, 1], [3, 2], [7.5, 3], [100, 8], [100.5, 9], [59999, 25], [60000, 25], [60000.1, 26], [1e9, 26], [Number.POSITIVE_INFINITY, 26], [Number.NaN, 26],
];
for (const [ms, index] of bucketCases) test(`bucketIndex(${ms}) = ${index}`, () => assert.equal(bucketIndex(ms), index));

const unionCases: Array<[string, Interval[], Interval[]]> = [
  ['empty', [], []],
  ['drops empty and reversed intervals', iv([5, 5], [7, 3]), []],
  ['sorts', iv([10, 20], [0, 5]), iv([0, 5], [10, 20])],
  ['merges overlapping', iv([0, 10], [5, 15], [14, 20]), iv([0, 20])],
  ['merges touching', iv([0, 10], [10, 20]), iv([0, 20])],
  ['swallows contained', iv([0, 100], [10, 20]), iv([0, 100])],
];
for (const [name, input, expected] of unionCases) test(`union: ${name}`, () => assert.deepEqual(union(input), expected));

const intersectCases: Array<[string, Interval[], Interval[], Interval[]]> = [
  ['disjoint', iv([0, 10]), iv([10, 20]), []],
  ['overlap', iv([0, 10]), iv([5, 20]), iv([5, 10])],
  ['one spans several', iv([0, 100]), iv([10, 20], [30, 40]), iv([10, 20], [30, 40])],
  ['several against several', iv([0, 15], [25, 35]), iv([10, 30]), iv([10, 15], [25, 30])],
  ['unsorted input', iv([30, 40], [0, 10]), iv([5, 35]), iv([5, 10], [30, 35])],
];
for (const [name, a, b, expected] of intersectCases) {
  test(`intersect: ${name}`, () => {
    assert.deepEqual(intersect(a, b), expected);
    assert.deepEqual(intersect(b, a), expected, 'symmetric');
  });
}

const subtractCases: Array<[string, Interval[], Interval[], Interval[]]> = [
  ['nothing to cut', iv([0, 10]), [], iv([0, 10])],
  ['hole in the middle', iv([0, 100]), iv([10, 20]), iv([0, 10], [20, 100])],
  ['cut at both ends', iv([10, 90]), iv([0, 20], [80, 100]), iv([20, 80])],
  ['cut entirely', iv([10, 20]), iv([0, 100]), []],
  ['several pieces and holes', iv([0, 10], [20, 30]), iv([5, 25]), iv([0, 5], [25, 30])],
  ['cut outside', iv([10, 20]), iv([0, 5], [25, 30]), iv([10, 20])],
];
for (const [name, a, b, expected] of subtractCases) test(`subtract: ${name}`, () => assert.deepEqual(subtract(a, b), expected));

test('clip and measure', () => {
  assert.deepEqual(clip(iv([-10, 5], [8, 9], [20, 30]), { start: 0, end: 25 }), iv([0, 5], [8, 9], [20, 25]));
  assert.equal(measure(iv([0, 10], [5, 15], [20, 25])), 20);
});

const W = { start: 0, end: 100 };
const t = (at: number, to: State) => ({ at, to });
const downCases: Array<[string, State, ReturnType<typeof t>[], Interval[]]> = [
  ['no data: nothing down', 'unknown', [], []],
  ['down before the window and still down: the whole window', 'down', [], iv([0, 100])],
  ['an outage in the middle', 'up', [t(10, 'down'), t(40, 'up')], iv([10, 40])],
  ['in progress at from: counts from from', 'down', [t(30, 'up')], iv([0, 30])],
  ['still open at to: counts until to', 'up', [t(70, 'down')], iv([70, 100])],
  ['degraded in between splits an outage', 'up', [t(10, 'down'), t(20, 'degraded'), t(30, 'down')], iv([10, 20], [30, 100])],
  ['unknown ends an outage', 'up', [t(10, 'down'), t(20, 'unknown')], iv([10, 20])],
  ['down to down is one outage', 'up', [t(10, 'down'), t(20, 'down'), t(30, 'up')], iv([10, 30])],
  ['transitions before from only set the state in force', 'unknown', [t(-50, 'up'), t(-20, 'down'), t(50, 'up')], iv([0, 50])],
  ['a transition exactly at from is in force at from', 'up', [t(0, 'down'), t(5, 'up')], iv([0, 5])],
  ['transitions after to are ignored', 'up', [t(90, 'down'), t(150, 'up')], iv([90, 100])],
  ['unsorted transitions are ordered', 'up', [t(40, 'up'), t(10, 'down')], iv([10, 40])],
];
for (const [name, initial, transitions, expected] of downCases) test(`downIntervals: ${name}`, () => assert.deepEqual(downIntervals(initial, transitions, W), expected));

const outageCases: Array<[string, Interval[], Interval[], { downtimeMs: number; outages: number; longestMs: number }]> = [
  ['one outage', iv([10, 40]), iv([0, 100]), { downtimeMs: 30, outages: 1, longestMs: 30 }],
  ['two outages', iv([10, 40], [60, 65]), iv([0, 100]), { downtimeMs: 35, outages: 2, longestMs: 30 }],
  ['maintenance inside an outage shortens it but it stays one', iv([10, 40]), iv([0, 20], [30, 100]), { downtimeMs: 20, outages: 1, longestMs: 20 }],
  ['an outage wholly in maintenance does not count', iv([10, 20], [50, 60]), iv([0, 5], [30, 100]), { downtimeMs: 10, outages: 1, longestMs: 10 }],
  ['before the monitor existed nothing counts', iv([0, 30]), iv([20, 100]), { downtimeMs: 10, outages: 1, longestMs: 10 }],
];
for (const [name, down, counted, expected] of outageCases) test(`outageFigures: ${name}`, () => assert.deepEqual(outageFigures(down, counted), expected));

const h = (entries: Record<number, number>) => foldHistogram(Object.entries(entries).reduce<number[]>((a, [i, n]) => ((a[Number(i)] = n), a), []).map((n) => n ?? 0));
const percentileCases: Array<[string, number[], number, number | undefined, number | undefined]> = [
  ['empty histogram', [], 0.5, undefined, undefined],
  ['median inside one bucket interpolates', h({ 3: 100 }), 0.5, undefined, 7.5],
  ['p95 inside one bucket', h({ 3: 100 }), 0.95, undefined, 9.75],
  ['never above the observed maximum', h({ 3: 100 }), 0.95, 9, 9],
  ['p95 in the tail bucket', h({ 4: 90, 8: 10 }), 0.95, undefined, 87.5],
  ['p50 in the body bucket', h({ 4: 90, 8: 10 }), 0.5, undefined, 10 + (10 * 50) / 90],
  ['p100 is the upper bound of the last filled bucket', h({ 4: 90, 8: 10 }), 1, undefined, 100],
  ['first bucket starts at 0', h({ 0: 4 }), 0.5, undefined, 0.5],
  ['+Inf bucket uses the observed maximum', h({ 26: 10 }), 0.5, 90000, 75000],
  ['+Inf bucket without a maximum answers its lower bound', h({ 26: 10 }), 0.5, undefined, 60000],
  ['longer arrays fold into +Inf', [...new Array(27).fill(0), 10], 0.5, undefined, 60000],
];
for (const [name, histogram, q, max, expected] of percentileCases) {
  test(`percentile: ${name}`, () => {
    const value = percentile(histogram, q, max);
    if (expected === undefined) assert.equal(value, undefined);
    else assert.ok(value !== undefined && Math.abs(value - expected) < 1e-9, `expected ${expected}, got ${value}`);
  });
}

test('uptime percent: 30 minutes down in 24 hours is 97.9167 %, nothing observed is null', () => {
  assert.equal(uptimePercent(86_400_000, 1_800_000), 97.9167);
  assert.equal(uptimePercent(86_400_000, 0), 100);
  assert.equal(uptimePercent(3_600_000, 3_600_000), 0);
  assert.equal(uptimePercent(0, 0), null);
});

const observedCases: Array<[string, State, ReturnType<typeof t>[], Interval[]]> = [
  ['no data: never observed', 'unknown', [], []],
  ['up before the window: observed throughout', 'up', [], iv([0, 100])],
  ['first result in the middle', 'unknown', [t(30, 'down')], iv([30, 100])],
  ['unknown in between (disabled, no runner) is a gap', 'up', [t(20, 'unknown'), t(50, 'degraded')], iv([0, 20], [50, 100])],
  ['up, degraded and down are all observed', 'unknown', [t(10, 'up'), t(20, 'degraded'), t(30, 'down')], iv([10, 100])],
];
for (const [name, initial, transitions, expected] of observedCases) test(`observedIntervals: ${name}`, () => assert.deepEqual(observedIntervals(initial, transitions, W), expected));

// Uptime is the share of the observed time not down: time without a known state is neither up nor
// down, so a monitor that has never been up never reads as healthy.
const uptimeCases: Array<[string, State, ReturnType<typeof t>[], Interval[], number | null, number, number]> = [
  // name, initial, transitions, counted, uptime, observed s, unknown s (window 0–100 s)
  ['never observed: null, all unknown', 'unknown', [], iv([0, 100_000]), null, 0, 100],
  ['unknown, then down to the end (nothing listens): 0 %', 'unknown', [t(10_000, 'down')], iv([0, 100_000]), 0, 90, 10],
  ['down the whole window: 0 %', 'down', [], iv([0, 100_000]), 0, 100, 0],
  ['unknown, then up: 100 % of what was observed', 'unknown', [t(40_000, 'up')], iv([0, 100_000]), 100, 60, 40],
  ['unknown, up, down: downtime over observed time only', 'unknown', [t(20_000, 'up'), t(60_000, 'down')], iv([0, 100_000]), 50, 80, 20],
  ['degraded is observed and not down', 'unknown', [t(50_000, 'degraded')], iv([0, 100_000]), 100, 50, 50],
  ['a gap of unknown after being up is not uptime', 'up', [t(50_000, 'unknown'), t(75_000, 'down')], iv([0, 100_000]), 66.6667, 75, 25],
  ['maintenance takes time out of observed time', 'up', [t(50_000, 'down')], iv([0, 50_000], [75_000, 100_000]), 66.6667, 75, 0],
  ['created after the first results: only its lifetime counts', 'unknown', [t(10_000, 'down'), t(30_000, 'up')], iv([20_000, 100_000]), 87.5, 80, 0],
];
for (const [name, initial, transitions, counted, uptime, observedS, unknownS] of uptimeCases) {
  test(`subject uptime: ${name}`, () => {
    const f = subjectFigures(timeline(initial, transitions, { start: 0, end: 100_000 }), counted, emptyTotals());
    assert.equal(f.uptime_percent, uptime);
    assert.equal(f.observed_seconds, observedS);
    assert.equal(f.unknown_seconds, unknownS);
  });
}

test('anyOf: down while any part is down, observed while any part is observed', () => {
  const a = { down: iv([10, 20]), observed: iv([0, 50]) };
  const b = { down: iv([15, 30]), observed: iv([40, 80]) };
  assert.deepEqual(anyOf([a, b]), { down: iv([10, 30]), observed: iv([0, 80]) });
  assert.deepEqual(anyOf([]), { down: [], observed: [] });
});

test('subject figures combine downtime, outages, latency and checks', () => {
  const day = 86_400_000;
  const totals = { ...emptyTotals(), checks: 100, up: 95, degraded: 2, down: 3, sumMs: 1234, maxMs: 95, histogram: h({ 4: 90, 8: 10 }) };
  const f = subjectFigures({ down: iv([3_600_000, 5_400_000]), observed: iv([0, day]) }, iv([0, day]), totals);
  assert.deepEqual(f, {
    uptime_percent: 97.9167,
    observed_seconds: 86400,
    unknown_seconds: 0,
    downtime_seconds: 1800,
    outages: 1,
    longest_outage_seconds: 1800,
    latency_ms: { p50: 15.56, p95: 87.5, p99: 95, mean: 12.34 },
    checks: { total: 100, up: 95, degraded: 2, down: 3 },
  });
  const none = subjectFigures({ down: [], observed: [] }, [], emptyTotals());
  assert.equal(none.uptime_percent, null);
  assert.deepEqual(none.latency_ms, { p50: null, p95: null, p99: null, mean: null });
});

test('group figures: mean uptime, summed downtime and outages, longest of any part', () => {
  const part = (uptime: number | null, down: number, outages: number, longest: number) => ({ ...subjectFigures({ down: [], observed: [] }, [], emptyTotals()), uptime_percent: uptime, downtime_seconds: down, outages, longest_outage_seconds: longest });
  const g = groupFigures([part(100, 0, 0, 0), part(99, 864, 2, 600), part(null, 0, 0, 0)], addTotals([{ ...emptyTotals(), checks: 2, up: 2, sumMs: 10, maxMs: 6, histogram: h({ 2: 2 }) }]), { countedMs: 86_400_000, observedMs: 43_200_000 });
  assert.equal(g.uptime_percent, 99.5);
  assert.equal(g.observed_seconds, 43200);
  assert.equal(g.unknown_seconds, 43200);
  assert.equal(g.downtime_seconds, 864);
  assert.equal(g.outages, 2);
  assert.equal(g.longest_outage_seconds, 600);
  assert.deepEqual(g.checks, { total: 2, up: 2, degraded: 0, down: 0 });
  assert.equal(g.latency_ms.mean, 5);
  assert.equal(groupFigures([], emptyTotals(), { countedMs: 0, observedMs: 0 }).uptime_percent, null);
  // A team whose services were never up: no uptime to average, not 100 %.
  assert.equal(groupFigures([part(null, 0, 0, 0), part(null, 0, 0, 0)], emptyTotals(), { countedMs: 86_400_000, observedMs: 0 }).uptime_percent, null);
});

test('addTotals adds counts and histograms element-wise and keeps the maximum', () => {
  const a = { ...emptyTotals(), checks: 3, up: 2, down: 1, sumMs: 30, maxMs: 20, histogram: h({ 1: 1, 5: 2 }) };
  const b = { ...emptyTotals(), checks: 1, degraded: 1, sumMs: 5, maxMs: 5, histogram: h({ 2: 1 }) };
  const sum = addTotals([a, b]);
  assert.deepEqual({ ...sum, histogram: undefined }, { checks: 4, up: 2, degraded: 1, down: 1, sumMs: 35, maxMs: 20, histogram: undefined });
  assert.deepEqual(sum.histogram, h({ 1: 1, 2: 1, 5: 2 }));
});
