import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollupRange, windowMs, windowResolution } from '../src/modules/alerts/alert-window.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const windows: Array<[string, number | RegExp]> = [
  ['1m', minute],
  ['5m', 5 * minute],
  ['1h', hour],
  ['72h', 72 * hour],
  ['7d', 7 * day],
  ['30d', 30 * day],
  ['30s', /shortest window is "1m"/],
  ['31d', /longer than the longest window, "30d"/],
  ['0m', /is not a window/],
  ['1h30m', /is not a window/],
  ['5 m', /is not a window/],
  ['', /is not a window/],
];
for (const [text, expected] of windows) {
  test(`window "${text}"`, () => {
    const r = windowMs(text);
    if (typeof expected === 'number') assert.deepEqual(r, { ok: true, ms: expected });
    else assert.ok(!r.ok && expected.test(r.message), JSON.stringify(r));
  });
}

test('resolution: minute rollups up to 48 h, hour rollups beyond (as the SLA code)', () => {
  assert.equal(windowResolution(5 * minute), 'minute');
  assert.equal(windowResolution(48 * hour), 'minute');
  assert.equal(windowResolution(48 * hour + minute), 'hour');
  assert.equal(windowResolution(72 * hour), 'hour');
});

const now = Date.parse('2026-12-01T12:03:30Z');
const ranges: Array<[string, number, number, { resolution: string; from: string; lastBucket: string; buckets: number }]> = [
  ['5m mid-minute: five minute buckets, the current one included', 5 * minute, now, { resolution: 'minute', from: '2026-12-01T11:59:00.000Z', lastBucket: '2026-12-01T12:03:00.000Z', buckets: 5 }],
  ['5m exactly on a minute', 5 * minute, Date.parse('2026-12-01T12:00:00Z'), { resolution: 'minute', from: '2026-12-01T11:56:00.000Z', lastBucket: '2026-12-01T12:00:00.000Z', buckets: 5 }],
  ['1m is the current bucket alone', minute, now, { resolution: 'minute', from: '2026-12-01T12:03:00.000Z', lastBucket: '2026-12-01T12:03:00.000Z', buckets: 1 }],
  ['48h still reads minutes', 48 * hour, now, { resolution: 'minute', from: '2026-11-29T12:04:00.000Z', lastBucket: '2026-12-01T12:03:00.000Z', buckets: 2880 }],
  ['72h reads hour buckets', 72 * hour, now, { resolution: 'hour', from: '2026-11-28T13:00:00.000Z', lastBucket: '2026-12-01T12:00:00.000Z', buckets: 72 }],
  ['2881m rounds up to whole hours', 2881 * minute, now, { resolution: 'hour', from: '2026-11-29T12:00:00.000Z', lastBucket: '2026-12-01T12:00:00.000Z', buckets: 49 }],
];
for (const [name, ms, at, expected] of ranges) {
  test(`rollupRange: ${name}`, () => {
    const r = rollupRange(ms, at);
    assert.deepEqual({ resolution: r.resolution, from: new Date(r.from).toISOString(), lastBucket: new Date(r.lastBucket).toISOString(), buckets: r.buckets }, expected);
  });
}

test('rollupRange: the window covers between buckets − 1 and buckets whole buckets of time, and always holds now', () => {
  for (let offset = 0; offset < minute; offset += 7_919) {
    const at = Date.parse('2026-12-01T12:00:00Z') + offset;
    const r = rollupRange(5 * minute, at);
    const covered = at - r.from;
    assert.ok(covered >= 4 * minute && covered < 5 * minute, `${covered}`);
    assert.ok(r.lastBucket <= at && at < r.lastBucket + minute);
  }
});
