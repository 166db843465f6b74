import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadTestShare } from '../../api/src/contract/load-test.schema.ts';
import { planOf } from '../src/load-test/load.plan.ts';
import { RateLimiter } from '../src/load-test/rate.limiter.ts';

const share = (fields: Partial<LoadTestShare> = {}): LoadTestShare => ({
  load_test_id: 'ldt_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  request: { method: 'POST', url: 'https://api.example.com/search?q=1', headers: { 'Content-Type': 'application/json', Authorization: 'plain' }, secret_headers: { authorization: 'Bearer s3cret' }, body: '{}' },
  requests: 1000, duration_seconds: null, concurrency: 50, rate_per_second: null, timeout_ms: 2000,
  deadline: '2030-01-01T00:00:00.000Z',
  ...fields,
});

describe('load-test plan', () => {
  it('merges secret headers over the headers (names case-insensitively), keeps the request and caps concurrency', () => {
    const plan = planOf(share(), 20);
    assert.deepEqual(plan.headers, { 'content-type': 'application/json', authorization: 'Bearer s3cret', 'user-agent': 'Pharos-Runner/0.1 (load test)' });
    assert.equal(plan.method, 'POST');
    assert.equal(plan.body, '{}');
    assert.equal(plan.url, 'https://api.example.com/search?q=1');
    assert.equal(plan.concurrency, 20);
    assert.equal(plan.verifyTls, true);
    assert.equal(plan.deadlineAt, Date.parse('2030-01-01T00:00:00.000Z'));
    assert.equal(planOf(share({ duration_seconds: 30, requests: null }), 100).durationMs, 30_000);
  });

  it('refuses what cannot run, saying why', () => {
    assert.throws(() => planOf(share({ request: { url: 'ftp://x/' } }), 10), /unsupported URL scheme ftp:/);
    assert.throws(() => planOf(share({ request: { url: 'not a url' } }), 10), /not valid/);
    assert.throws(() => planOf(share({ requests: null, duration_seconds: null }), 10), /neither requests nor duration_seconds/);
    assert.throws(() => planOf(share({ deadline: 'soon' }), 10), /deadline/);
  });
});

describe('rate limiter', () => {
  it('spaces slots at the rate across callers, with a small burst after idling', () => {
    const limiter = new RateLimiter(100, 20); // one every 10 ms, 20 ms of burst
    const waits = Array.from({ length: 6 }, () => limiter.reserve(1_000));
    assert.deepEqual(waits, [0, 0, 10, 20, 30, 40]);
    // Idle for a second: the burst allowance again, no credit for the whole idle time.
    assert.deepEqual([limiter.reserve(2_000), limiter.reserve(2_000), limiter.reserve(2_000)], [0, 0, 10]);
  });

  it('holds the rate over many reservations', () => {
    const limiter = new RateLimiter(250);
    let now = 0;
    let sent = 0;
    while (now < 10_000) {
      const wait = limiter.reserve(now);
      now += wait;
      if (now < 10_000) sent += 1;
    }
    assert.ok(sent >= 2_500 && sent <= 2_506, `${sent} sends in 10 s at 250/s`);
  });
});
