import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../src/protocol/backoff.policy.ts';

describe('backoff', () => {
  it('grows exponentially within [ceiling/2, ceiling), caps, and resets', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 2000, random: () => 0 });
    assert.deepEqual(Array.from({ length: 7 }, () => low.next()), [50, 100, 200, 400, 800, 1000, 1000]);
    const high = new Backoff({ initialMs: 100, maxMs: 2000, random: () => 0.5 });
    assert.deepEqual(Array.from({ length: 7 }, () => high.next()), [75, 150, 300, 600, 1200, 1500, 1500]);
    assert.equal(high.attempts, 7);
    high.reset();
    assert.equal(high.next(), 75);
  });
});
