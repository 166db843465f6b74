import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueAfterChange, planFlush, type GroupAlertState, type GroupTiming } from '../src/modules/notifications/notification-group.logic.ts';

const s = 1000;
const m = 60 * s;
const timing = (over: Partial<GroupTiming> = {}): GroupTiming => ({ createdAt: 0, lastFlushAt: null, lastFiringSentAt: null, groupWaitMs: 30 * s, groupIntervalMs: 5 * m, repeatIntervalMs: 4 * 60 * m, ...over });
const alert = (instanceId: string, over: Partial<GroupAlertState> = {}): GroupAlertState => ({ instanceId, state: 'firing', notifiedFiringAt: null, notifiedResolvedAt: null, suppressedAt: null, ...over });
const none = () => false;

test('a new group is due after group_wait; a flushed one no sooner than group_interval after its last flush', () => {
  assert.equal(dueAfterChange(timing(), 5 * s), 30 * s);
  assert.equal(dueAfterChange(timing({ lastFlushAt: 60 * s }), 90 * s), 60 * s + 5 * m);
  assert.equal(dueAfterChange(timing({ lastFlushAt: 60 * s }), 60 * s + 10 * m), 60 * s + 10 * m, 'an interval long past: due now');
});

test('the first flush sends every firing alert of the group at once, then repeats after repeat_interval', () => {
  const plan = planFlush(timing(), [alert('a'), alert('b')], none, 30 * s);
  assert.deepEqual(plan.send, { kind: 'firing', firing: ['a', 'b'], resolved: [] });
  assert.deepEqual(plan.notifiedFiring, ['a', 'b']);
  assert.equal(plan.nextFlushAt, 30 * s + 4 * 60 * m);
});

test('nothing changed and the repeat is not due: no notification', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const plan = planFlush(g, [alert('a', { notifiedFiringAt: 30 * s })], none, 10 * m);
  assert.equal(plan.send, null);
  assert.equal(plan.nextFlushAt, 30 * s + 4 * 60 * m);
});

test('the repeat sends the still-firing alerts again', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const plan = planFlush(g, [alert('a', { notifiedFiringAt: 30 * s })], none, 30 * s + 4 * 60 * m);
  assert.deepEqual(plan.send, { kind: 'firing', firing: ['a'], resolved: [] });
  assert.deepEqual(plan.notifiedFiring, []);
});

test('a new alert joins a notified group: all firing alerts go out again, with it', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const plan = planFlush(g, [alert('a', { notifiedFiringAt: 30 * s }), alert('b')], none, 6 * m);
  assert.deepEqual(plan.send, { kind: 'firing', firing: ['a', 'b'], resolved: [] });
  assert.deepEqual(plan.notifiedFiring, ['b']);
});

test('one of two resolves: a firing notification listing the resolution; the last one resolves the group, which goes away', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const one = planFlush(g, [alert('a', { notifiedFiringAt: 30 * s }), alert('b', { state: 'resolved', notifiedFiringAt: 30 * s })], none, 6 * m);
  assert.deepEqual(one.send, { kind: 'firing', firing: ['a'], resolved: ['b'] });
  assert.deepEqual(one.remove, ['b']);
  const last = planFlush(g, [alert('a', { state: 'resolved', notifiedFiringAt: 30 * s })], none, 12 * m);
  assert.deepEqual(last.send, { kind: 'resolved', firing: [], resolved: ['a'] });
  assert.deepEqual(last.remove, ['a']);
  assert.equal(last.nextFlushAt, null, 'empty: the group goes');
});

test('an alert that resolves before its group was ever flushed is dropped, never sent', () => {
  const plan = planFlush(timing(), [alert('a', { state: 'resolved' })], none, 30 * s);
  assert.equal(plan.send, null);
  assert.deepEqual(plan.remove, ['a']);
  assert.equal(plan.nextFlushAt, null);
});

test('a muted alert is suppressed once and not sent; notified when the muting ends', () => {
  const muted = (id: string) => id === 'a';
  const first = planFlush(timing(), [alert('a')], muted, 30 * s);
  assert.equal(first.send, null);
  assert.deepEqual(first.suppress, ['a']);
  assert.equal(first.nextFlushAt, 30 * s + 5 * m, 'looked at again after group_interval');
  const again = planFlush(timing({ lastFlushAt: 30 * s }), [alert('a', { suppressedAt: 30 * s })], muted, 30 * s + 5 * m);
  assert.deepEqual(again.suppress, [], 'suppressed once');
  const unmuted = planFlush(timing({ lastFlushAt: 30 * s + 5 * m }), [alert('a', { suppressedAt: 30 * s })], none, 30 * s + 10 * m);
  assert.deepEqual(unmuted.send, { kind: 'firing', firing: ['a'], resolved: [] });
});

test('muting never holds back a resolution: an alert notified firing, then silenced, then resolved, gets its resolution', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const plan = planFlush(g, [alert('a', { state: 'resolved', notifiedFiringAt: 30 * s })], () => true, 20 * m);
  assert.deepEqual(plan.send, { kind: 'resolved', firing: [], resolved: ['a'] });
});

test('the group resolves while another notified alert is muted and still firing: that one is withdrawn, to be notified again once unmuted', () => {
  const g = timing({ lastFlushAt: 30 * s, lastFiringSentAt: 30 * s });
  const plan = planFlush(g, [alert('a', { notifiedFiringAt: 30 * s }), alert('b', { state: 'resolved', notifiedFiringAt: 30 * s })], (id) => id === 'a', 6 * m);
  assert.deepEqual(plan.send, { kind: 'resolved', firing: [], resolved: ['b'] });
  assert.deepEqual(plan.unnotified, ['a']);
  assert.equal(plan.nextFlushAt, 6 * m + 5 * m);
});
