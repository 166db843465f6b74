import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { anomalousValue, judgeLatency, latencyRatioValue, learnBaseline, median, medianAbsoluteDeviation, seasonSlot, type Baseline, type BaselineOptions, type LatencyPoint } from '../src/modules/alerts/latency.baseline.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const now = Date.parse('2026-12-01T09:30:00Z');

/** Per-minute p95s ending `endAgo` before now, `count` of them, valued by minute index. */
function history(count: number, value: (i: number, at: number) => number, step = minute, endAgo = 5 * minute): LatencyPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const at = now - endAgo - (i + 1) * step;
    return { at, p95_ms: value(i, at) };
  });
}
/** A steady service: p95 100 ms ± 10 ms (values 90…110, evenly spread, deterministic). */
const steady = (i: number) => 90 + ((i * 37) % 21);
const week = history(7 * 24 * 60, steady);
const ready = (b: Baseline) => {
  assert.equal(b.status, 'ready');
  return b as Extract<Baseline, { status: 'ready' }>;
};

test('median and MAD', () => {
  const cases: Array<[number[], number, number]> = [
    [[5], 5, 0],
    [[1, 2, 3], 2, 1],
    [[3, 1, 2, 4], 2.5, 1],
    [[100, 100, 100, 100], 100, 0],
    [[1, 1, 2, 2, 4, 6, 9], 2, 1],
    [[90, 100, 110, 60_000], 105, 10],
  ];
  for (const [values, med, mad] of cases) {
    assert.equal(median(values), med, `median ${values}`);
    assert.equal(medianAbsoluteDeviation(values), mad, `MAD ${values}`);
  }
  assert.ok(Number.isNaN(median([])));
});

test('a steady week gives median 100 ms, spread 1.4826 × MAD, threshold median + 3 × spread', () => {
  const b = ready(learnBaseline(week, now));
  assert.equal(b.median_ms, 100);
  assert.equal(b.mad_ms, 5);
  assert.ok(Math.abs(b.spread_ms - 7.413) < 1e-9);
  assert.ok(Math.abs(b.threshold_ms - (100 + 3 * 7.413)) < 1e-9);
  assert.equal(b.points, 10_080);
  assert.equal(b.method, 'none');
});

// The verdict table over the steady week (median 100, threshold ≈ 122.2) and other histories.
const flat = history(600, () => 100);
const bimodal = history(600, (i) => (i % 2 ? 50 : 150));
const subMillisecond = history(600, () => 0.4);
type Verdict = [string, LatencyPoint[], number | null, { anomalous: boolean; ratio: number } | 'no_data' | 'warming_up'];
const verdicts: Verdict[] = [
  ['reference: 3× its baseline (300 ms) while far under a 10 s timeout is anomalous', week, 300, { anomalous: true, ratio: 3 }],
  ['2× its baseline is anomalous', week, 200, { anomalous: true, ratio: 2 }],
  ['inside the usual spread is not', week, 110, { anomalous: false, ratio: 1.1 }],
  ['above the spread but only 1.3× is not (the ratio floor)', week, 130, { anomalous: false, ratio: 1.3 }],
  ['1.5× and above the spread is', week, 150, { anomalous: true, ratio: 1.5 }],
  ['faster than usual is never anomalous', week, 20, { anomalous: false, ratio: 0.2 }],
  ['flat history (MAD 0): +10 % is not anomalous', flat, 110, { anomalous: false, ratio: 1.1 }],
  ['flat history (MAD 0): +49 % is not anomalous', flat, 149, { anomalous: false, ratio: 1.49 }],
  ['flat history (MAD 0): 3× is', flat, 300, { anomalous: true, ratio: 3 }],
  ['a noisy (50/150 ms) service at 300 ms is inside its spread', bimodal, 300, { anomalous: false, ratio: 3 }],
  ['a noisy (50/150 ms) service at 400 ms is not', bimodal, 400, { anomalous: true, ratio: 4 }],
  ['a sub-millisecond baseline: 4 ms is inside the 5 ms floor of the spread', subMillisecond, 4, { anomalous: false, ratio: 4 }],
  ['a sub-millisecond baseline: 30 ms is anomalous', subMillisecond, 30, { anomalous: true, ratio: 30 }],
  ['no results in the evaluated window is no_data', week, null, 'no_data'],
  ['a history shorter than the warm-up is warming_up', history(179, steady), 300, 'warming_up'],
];
for (const [name, points, current, expected] of verdicts) {
  test(`anomaly: ${name}`, () => {
    const v = judgeLatency(current, learnBaseline(points, now));
    if (typeof expected === 'string') return assert.equal(v.status, expected);
    assert.equal(v.status, 'ready');
    if (v.status !== 'ready') return;
    assert.equal(v.anomalous, expected.anomalous);
    assert.ok(Math.abs(v.ratio - expected.ratio) < 1e-9, `ratio ${v.ratio}`);
  });
}

test('flat history (MAD 0): the spread is 5 % of the median, so even without the ratio floor +10 % is not anomalous', () => {
  const b = ready(learnBaseline(history(600, () => 1000), now));
  assert.equal(b.mad_ms, 0);
  assert.equal(b.spread_ms, 50);
  assert.equal(b.threshold_ms, 1150);
  const noRatioFloor = { min_ratio: 1 };
  assert.equal((judgeLatency(1100, b, noRatioFloor) as { anomalous: boolean }).anomalous, false);
  assert.equal((judgeLatency(1151, b, noRatioFloor) as { anomalous: boolean }).anomalous, true);
});

test('warm-up: 180 usable points are needed; the status says how many there are', () => {
  assert.deepEqual(learnBaseline(history(179, steady), now), { status: 'warming_up', points: 179, needed_points: 180 });
  assert.equal(learnBaseline(history(180, steady), now).status, 'ready');
  assert.deepEqual(learnBaseline([], now), { status: 'warming_up', points: 0, needed_points: 180 });
  assert.equal(learnBaseline(history(20, steady), now, { min_points: 20 }).status, 'ready');
});

test('warm-up: while warming up latency_ratio and anomalous are no_data with reason warming_up, so no alert fires', () => {
  const v = judgeLatency(10_000, learnBaseline(history(30, steady), now));
  assert.deepEqual(latencyRatioValue(v), { kind: 'no_data', reason: 'warming_up' });
  assert.deepEqual(anomalousValue(v), { kind: 'no_data', reason: 'warming_up' });
  const none = judgeLatency(null, learnBaseline(week, now));
  assert.deepEqual(latencyRatioValue(none), { kind: 'no_data', reason: 'no_data' });
  const hit = judgeLatency(300, learnBaseline(week, now));
  assert.deepEqual(latencyRatioValue(hit), { kind: 'number', value: 3 });
  assert.deepEqual(anomalousValue(hit), { kind: 'bool', value: true });
});

test('gaps: missing minutes are absent, not zero; they only delay the warm-up', () => {
  const everyOther = history(360, steady).filter((_, i) => i % 2 === 0);
  assert.equal(everyOther.length, 180);
  assert.equal(ready(learnBaseline(everyOther, now)).median_ms, 100);
  const withHoles = week.filter((p) => Math.floor(p.at / hour) % 3 !== 0);
  assert.equal(ready(learnBaseline(withHoles, now)).median_ms, 100);
  assert.equal(learnBaseline(everyOther.slice(1), now).status, 'warming_up');
});

test('the window being evaluated and anything older than the lookback are not part of the baseline', () => {
  const slowNow = history(5, () => 5000, minute, 0);
  const old = history(3000, () => 5000, minute, 7 * day + 5 * minute);
  const b = ready(learnBaseline([...week, ...slowNow, ...old], now));
  assert.equal(b.points, 10_080);
  assert.equal(b.median_ms, 100);
  assert.equal(learnBaseline(history(200, steady, minute, 0).filter((p) => p.at >= now - 5 * minute), now).status, 'warming_up');
});

test('non-finite and negative values in the history are ignored', () => {
  const dirty = [...history(180, steady), { at: now - hour, p95_ms: Number.NaN }, { at: now - hour, p95_ms: -1 }, { at: now - hour, p95_ms: Infinity }];
  assert.equal(ready(learnBaseline(dirty, now)).points, 180);
});

test('a single outlier minute (60 s) in a week does not move the baseline', () => {
  const before = ready(learnBaseline(week, now));
  const after = ready(learnBaseline([...week, { at: now - 2 * day, p95_ms: 60_000 }], now));
  assert.equal(after.median_ms, before.median_ms);
  assert.equal(after.mad_ms, before.mad_ms);
  assert.equal(after.threshold_ms, before.threshold_ms);
});

test('a two-hour incident at 2 s in the history does not move the baseline much, and 3× is still detected', () => {
  const incident = week.map((p) => (p.at > now - 3 * day && p.at <= now - 3 * day + 2 * hour ? { ...p, p95_ms: 2000 } : p));
  const b = ready(learnBaseline(incident, now));
  assert.ok(b.median_ms >= 100 && b.median_ms <= 101, `median ${b.median_ms}`);
  const v = judgeLatency(300, b);
  assert.ok(v.status === 'ready' && v.anomalous);
});

test('seasonSlot: hours of the day and of the week (UTC, weeks start Monday 00:00)', () => {
  const cases: Array<[string, number, number]> = [
    ['2026-11-30T00:00:00Z', 0, 0],
    ['2026-12-01T09:30:00Z', 9, 33],
    ['2026-12-06T23:59:59Z', 23, 167],
    ['2026-12-07T00:00:00Z', 0, 0],
    ['1970-01-01T00:00:00Z', 0, 72],
    ['1969-12-31T23:00:00Z', 23, 71],
  ];
  for (const [iso, ofDay, ofWeek] of cases) {
    assert.equal(seasonSlot(Date.parse(iso), 'hour_of_day'), ofDay, iso);
    assert.equal(seasonSlot(Date.parse(iso), 'hour_of_week'), ofWeek, iso);
  }
});

// A service with a daily batch: 300 ms from 09:00 to 10:00 UTC, 100 ms otherwise.
const batch = (_: number, at: number) => (seasonSlot(at, 'hour_of_day') === 9 ? 300 : 100);
test('seasonality hour_of_day: a daily slow hour is its own baseline once three days are known', () => {
  const points = history(7 * 24 * 60, batch);
  const overall = ready(learnBaseline(points, now));
  assert.equal(overall.method, 'none');
  assert.equal(overall.median_ms, 100);
  const daily = ready(learnBaseline(points, now, { seasonality: 'hour_of_day' }));
  assert.equal(daily.method, 'hour_of_day');
  assert.equal(daily.median_ms, 300);
  const v = judgeLatency(320, daily);
  assert.equal(v.status === 'ready' && v.anomalous, false, 'the batch hour is not anomalous with seasonality');
  const w = judgeLatency(320, overall);
  assert.equal(w.status === 'ready' && w.anomalous, true, 'without seasonality it is');
  const afternoon = ready(learnBaseline(points, now + 5 * hour, { seasonality: 'hour_of_day' }));
  assert.equal(afternoon.median_ms, 100);
});

test('seasonality falls back to the whole history (and says so) until three seasons are known', () => {
  const twoDays = history(2 * 24 * 60, batch);
  assert.equal(ready(learnBaseline(twoDays, now, { seasonality: 'hour_of_day' })).method, 'none');
  assert.equal(ready(learnBaseline(week, now, { seasonality: 'hour_of_week' })).method, 'none', 'a 7-day lookback never reaches three weeks');
  const fourWeeks = history((28 * 24 * 60) / 5, steady, 5 * minute);
  const weekly = ready(learnBaseline(fourWeeks, now, { seasonality: 'hour_of_week', lookback_ms: 28 * day }));
  assert.equal(weekly.method, 'hour_of_week');
  assert.equal(weekly.points, 48, '4 weeks × 12 five-minute points in this hour of the week');
});

test('seasonality needs enough points in the hour itself', () => {
  const sparse = history(7 * 24 * 60, steady).filter((p) => seasonSlot(p.at, 'hour_of_day') !== 9 || p.at % (10 * minute) === 0);
  const options: Partial<BaselineOptions> = { seasonality: 'hour_of_day', min_seasonal_points: 60 };
  assert.equal(ready(learnBaseline(sparse, now, options)).method, 'none');
  assert.equal(ready(learnBaseline(sparse, now, { ...options, min_seasonal_points: 30 })).method, 'hour_of_day');
});

const historyArb = fc.array(fc.double({ min: 1, max: 5000, noNaN: true }), { minLength: 180, maxLength: 400 }).map((values) => values.map((p95_ms, i) => ({ at: now - 10 * minute - i * minute, p95_ms })));

test('property: the baseline does not depend on the size of one outlier, and moves at most to a neighbouring value', () => {
  fc.assert(
    fc.property(historyArb, fc.double({ min: 5001, max: 1e9, noNaN: true }), fc.double({ min: 5001, max: 1e9, noNaN: true }), (points, big1, big2) => {
      const at = now - 6 * minute;
      const a = ready(learnBaseline([...points, { at, p95_ms: big1 }], now));
      const b = ready(learnBaseline([...points, { at, p95_ms: big2 }], now));
      assert.deepEqual(a, b);
      const sorted = points.map((p) => p.p95_ms).sort((x, y) => x - y);
      const k = sorted.length >> 1;
      assert.ok(a.median_ms >= sorted[k - 1]! && a.median_ms <= sorted[Math.min(k + 1, sorted.length - 1)]!);
    }),
    { seed: 8, numRuns: 200 },
  );
});

test('property: anomalous is monotonic in the current latency and never fires at or below the median', () => {
  fc.assert(
    fc.property(historyArb, fc.double({ min: 0, max: 20_000, noNaN: true }), fc.double({ min: 0, max: 20_000, noNaN: true }), (points, x, y) => {
      const b = learnBaseline(points, now);
      const [lo, hi] = x < y ? [x, y] : [y, x];
      const vLo = judgeLatency(lo, b);
      const vHi = judgeLatency(hi, b);
      assert.ok(vLo.status === 'ready' && vHi.status === 'ready');
      if (vLo.anomalous) assert.equal(vHi.anomalous, true);
      if (lo <= vLo.baseline.median_ms) assert.equal(vLo.anomalous, false);
    }),
    { seed: 8, numRuns: 200 },
  );
});
