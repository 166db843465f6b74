import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketIndex, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { PharosError } from '../src/contract/errors.ts';
import { latencyRange, latencySeries, type StepTotals } from '../src/modules/latency/latency.series.ts';

// The span and step of GET /v1/monitors/{id}/latency, and its series from rollup sums: pure.

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const now = Date.UTC(2026, 11, 1, 18, 30);
const iso = (ms: number) => new Date(ms).toISOString();

const rangeCases: Array<[string, Parameters<typeof latencyRange>[0], { span: number; stepMin: number; resolution: 'minute' | 'hour' }]> = [
  ['default is 24h at 5 minutes', {}, { span: D, stepMin: 5, resolution: 'minute' }],
  ['24h', { window: '24h' }, { span: D, stepMin: 5, resolution: 'minute' }],
  ['7d at one hour', { window: '7d' }, { span: 7 * D, stepMin: 60, resolution: 'hour' }],
  ['30d at three hours', { window: '30d' }, { span: 30 * D, stepMin: 180, resolution: 'hour' }],
  ['one hour from/to at one minute', { from: iso(now - 3 * H), to: iso(now - 2 * H) }, { span: H, stepMin: 1, resolution: 'minute' }],
  ['from without to runs to now', { from: iso(now - 6 * H) }, { span: 6 * H, stepMin: 5, resolution: 'minute' }],
  ['a to in the future is cut to now', { from: iso(now - 2 * H), to: iso(now + D) }, { span: 2 * H, stepMin: 1, resolution: 'minute' }],
  ['a short span older than the minute rollups reads hours', { from: iso(now - 10 * D), to: iso(now - 10 * D + 2 * H) }, { span: 2 * H, stepMin: 60, resolution: 'hour' }],
  ['90 days at twelve hours', { from: iso(now - 90 * D) }, { span: 90 * D, stepMin: 720, resolution: 'hour' }],
];
for (const [name, query, want] of rangeCases) {
  test(`latencyRange: ${name}`, () => {
    const r = latencyRange(query, now);
    assert.equal(r.to - r.from, want.span);
    assert.equal(r.stepMs, want.stepMin * M);
    assert.equal(r.resolution, want.resolution);
    assert.ok((r.to - r.from) / r.stepMs <= 300);
  });
}

const badCases: Array<[string, Parameters<typeof latencyRange>[0], string]> = [
  ['to without from', { to: iso(now) }, '/from'],
  ['unparsable from', { from: 'yesterday' }, '/from'],
  ['to before from', { from: iso(now - H), to: iso(now - 2 * H) }, '/to'],
  ['from in the future', { from: iso(now + H) }, '/from'],
  ['longer than 90 days', { from: iso(now - 91 * D) }, '/from'],
];
for (const [name, query, pointer] of badCases) {
  test(`latencyRange refuses ${name}`, () => {
    assert.throws(() => latencyRange(query, now), (e: unknown) => e instanceof PharosError && e.code === 'validation_failed' && e.errors?.[0]?.pointer === pointer);
  });
}

function totals(region: string, stepStart: number, durations: number[]): StepTotals {
  const histogram = new Array<number>(latencyBucketCount).fill(0);
  for (const d of durations) histogram[bucketIndex(d)]! += 1;
  return { region, stepStart, checks: durations.length, up: durations.length, degraded: 0, down: 0, sumMs: durations.reduce((a, b) => a + b, 0), maxMs: Math.max(...durations), histogram };
}

test('latencySeries: per region by name, steps oldest first, window figures over all steps', () => {
  const series = latencySeries([
    totals('us-west-2', now - 5 * M, [100, 100]),
    totals('us-east-1', now - 5 * M, [40, 45, 48, 50]),
    totals('us-east-1', now - 10 * M, [10, 10, 10, 10]),
  ], ['us-east-1', 'eu-west-1']);
  assert.deepEqual(series.map((s) => s.region), ['eu-west-1', 'us-east-1', 'us-west-2']);
  const [eu, east, west] = series;
  assert.deepEqual(eu, { region: 'eu-west-1', p50: null, p95: null, count: 0, points: [] }, 'a configured region without checks has an empty series');
  assert.deepEqual(east!.points.map((p) => [p.t, p.count]), [[iso(now - 10 * M), 4], [iso(now - 5 * M), 4]]);
  // Four checks in (5, 10] ms: the median interpolates to 7.5 ms, p95 to 9.75 ms.
  assert.deepEqual(east!.points[0], { t: iso(now - 10 * M), p50: 7.5, p95: 9.75, count: 4 });
  // 40, 45, 48 and 50 lie in (30, 50]: p50 at rank 2 of 4 = 40 ms, p95 capped by the step's max 50.
  assert.deepEqual(east!.points[1], { t: iso(now - 5 * M), p50: 40, p95: 49, count: 4 });
  assert.equal(east!.count, 8);
  assert.equal(east!.p50, 10, 'the window median is the top of the lower half');
  assert.equal(east!.p95, 48);
  assert.deepEqual(west!.points, [{ t: iso(now - 5 * M), p50: 87.5, p95: 98.75, count: 2 }]);
});
