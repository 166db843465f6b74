import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorSpec } from '../src/modules/monitors/monitor-spec.ts';
import { monitorState, noDataAfterSeconds, worstState } from '../src/modules/state/state.machine.ts';
import type { State } from '../src/contract/state.schema.ts';

// max(2 × interval, interval + timeout + lease), in seconds.
const cases: Array<{ interval: number; timeout: number; lease: number; want: number; why: string }> = [
  { interval: 60, timeout: 10, lease: 10, want: 120, why: 'defaults: two intervals' },
  { interval: 5, timeout: 4, lease: 10, want: 19, why: 'short interval, long lease: interval + timeout + lease' },
  { interval: 30, timeout: 29, lease: 2, want: 61, why: 'a timeout close to the interval' },
  { interval: 30, timeout: 20, lease: 10, want: 60, why: 'both terms equal' },
  { interval: 5, timeout: 0.1, lease: 3, want: 10, why: 'the smallest interval' },
  { interval: 86400, timeout: 300, lease: 10, want: 172800, why: 'a daily check' },
];

for (const c of cases) {
  test(`noDataAfterSeconds(interval ${c.interval}, timeout ${c.timeout}, lease ${c.lease}) = ${c.want}: ${c.why}`, () => {
    assert.equal(noDataAfterSeconds({ intervalSeconds: c.interval, timeoutSeconds: c.timeout }, c.lease), c.want);
  });
}

test('noDataAfterSeconds of a stored spec without interval or timeout uses the contract defaults', () => {
  assert.equal(noDataAfterSeconds(monitorSpec({}), 10), 120);
  assert.equal(noDataAfterSeconds(monitorSpec({ interval_seconds: 10 }), 10), 30);
});

// How unknown regions (no_data, no_runner) count: they do not count, so the quorum shrinks to the
// regions that report; a monitor is unknown only when every region is; a service is as bad as its
// worst monitor and unknown only when every monitor is.
const quorum: Array<{ regions: State[]; min: number; want: State }> = [
  { regions: ['down', 'down', 'unknown'], min: 2, want: 'down' },
  { regions: ['down', 'unknown', 'unknown'], min: 2, want: 'down' },
  { regions: ['down', 'up', 'unknown'], min: 2, want: 'degraded' },
  { regions: ['up', 'unknown'], min: 1, want: 'up' },
  { regions: ['unknown', 'unknown'], min: 1, want: 'unknown' },
  { regions: [], min: 1, want: 'unknown' },
];
for (const c of quorum) {
  test(`monitorState(${c.regions.join(',') || 'none'}, min ${c.min}) = ${c.want}`, () => assert.equal(monitorState(c.regions, c.min, true), c.want));
}
test('a service with an unknown monitor is as bad as its other monitors', () => {
  assert.equal(worstState(['unknown', 'up']), 'up');
  assert.equal(worstState(['unknown', 'down']), 'down');
  assert.equal(worstState(['unknown', 'unknown']), 'unknown');
});
