import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overdueTakeovers, takeoverSlackMs } from '../src/modules/runner/takeover.policy.ts';

// Which slots taken over from a runner that is gone are checked at once by their new owner.

const now = 1_000_000;
const cases: Array<{ name: string; intervalS: number; lastAgoMs?: number; due: boolean }> = [
  { name: 'never checked', intervalS: 60, due: true },
  { name: 'checked a full interval ago (its phase passed while the runner was gone)', intervalS: 10, lastAgoMs: 10_000, due: true },
  { name: 'missed one phase during the grace', intervalS: 10, lastAgoMs: 13_500, due: true },
  { name: 'phase comes within the slack (the new owner might apply the move after it)', intervalS: 10, lastAgoMs: 10_000 - takeoverSlackMs, due: true },
  { name: 'phase comes later than the slack: its own phase runs it', intervalS: 10, lastAgoMs: 10_000 - takeoverSlackMs - 1, due: false },
  { name: 'checked just before the runner died', intervalS: 20, lastAgoMs: 500, due: false },
  { name: 'an interval shorter than the slack is always due', intervalS: 1, lastAgoMs: 0, due: true },
];

for (const c of cases) {
  test(`takeover: ${c.name} → ${c.due ? 'checked at once' : 'keeps its phase'}`, () => {
    const slot = { monitor_id: 'mon_1', region: 'eu', runner_id: 'run_2' };
    const lastAt = new Map(c.lastAgoMs === undefined ? [] : [['mon_1@eu', now - c.lastAgoMs]]);
    const due = overdueTakeovers([slot], lastAt, new Map([['mon_1', c.intervalS * 1000]]), now);
    assert.deepEqual(due, c.due ? [slot] : []);
  });
}

test('takeover: the region of the last result counts, not another region of the monitor', () => {
  const slots = [{ monitor_id: 'mon_1', region: 'eu' }, { monitor_id: 'mon_1', region: 'us' }];
  const lastAt = new Map([['mon_1@eu', now - 100], ['mon_1@us', now - 60_000]]);
  assert.deepEqual(overdueTakeovers(slots, lastAt, new Map([['mon_1', 30_000]]), now), [slots[1]]);
});
