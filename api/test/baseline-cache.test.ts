import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BaselineCache } from '../src/modules/alerts/baseline.cache.ts';
import type { Baseline } from '../src/modules/alerts/latency.baseline.ts';

const ready = (median_ms: number): Baseline => ({ status: 'ready', method: 'none', median_ms, mad_ms: 1, spread_ms: 5, threshold_ms: median_ms + 15, points: 500 });

test('a learnt baseline is reused within its time to live and learnt again after it', async () => {
  const cache = new BaselineCache(60_000, 10);
  let loads = 0;
  const load = async () => ready(100 + loads++);
  assert.equal(((await cache.get('m1', 0, load)) as { median_ms: number }).median_ms, 100);
  assert.equal(((await cache.get('m1', 59_999, load)) as { median_ms: number }).median_ms, 100);
  assert.equal(loads, 1, 'one load within the time to live');
  assert.equal(((await cache.get('m1', 60_000, load)) as { median_ms: number }).median_ms, 101);
  assert.equal(loads, 2, 'learnt again once it expired');
  // A clock that went backwards does not keep an entry from the future.
  assert.equal(((await cache.get('m1', 1_000, load)) as { median_ms: number }).median_ms, 102);
});

test('concurrent misses share one load; a failed load is not kept', async () => {
  const cache = new BaselineCache(60_000, 10);
  let loads = 0;
  const slow = () => new Promise<Baseline>((resolve) => setTimeout(() => resolve(ready(100 + loads++)), 10));
  const [a, b] = await Promise.all([cache.get('k', 0, slow), cache.get('k', 0, slow)]);
  assert.deepEqual(a, b);
  assert.equal(loads, 1);
  await assert.rejects(cache.get('broken', 0, () => Promise.reject(new Error('connection refused'))));
  await new Promise((r) => setImmediate(r));
  assert.equal(((await cache.get('broken', 1, async () => ready(7))) as { median_ms: number }).median_ms, 7, 'the next evaluation loads again');
});

test('the cache is bounded: the least recently used entry goes first', async () => {
  const cache = new BaselineCache(60_000, 2);
  let loads = 0;
  const load = async () => ready(loads++);
  await cache.get('a', 0, load);
  await cache.get('b', 0, load);
  await cache.get('a', 1, load); // a is now the most recently used
  await cache.get('c', 2, load); // evicts b
  assert.equal(cache.size, 2);
  assert.equal(loads, 3);
  await cache.get('a', 3, load);
  assert.equal(loads, 3, 'a was kept');
  await cache.get('b', 4, load);
  assert.equal(loads, 4, 'b was evicted and is learnt again');
});
