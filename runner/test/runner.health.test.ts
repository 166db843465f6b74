import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeHealth } from '../src/health/runner.health.ts';

describe('health verdict', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const cases: [string, Parameters<typeof judgeHealth>[0], number, string][] = [
    ['before the first poll', { now, lastPollAt: undefined, leaseSeconds: 30, pollWaitSeconds: 20, runnerId: 'run_1', stopping: false }, 503, 'starting'],
    ['polled just now', { now, lastPollAt: now - 1_000, leaseSeconds: 30, pollWaitSeconds: 20, runnerId: 'run_1', stopping: false }, 200, 'ok'],
    ['one lease without a poll is still fine', { now, lastPollAt: now - 45_000, leaseSeconds: 30, pollWaitSeconds: 20, runnerId: 'run_1', stopping: false }, 200, 'ok'],
    ['an idle long poll (wait 20 s) on a 10 s lease is not stale', { now, lastPollAt: now - 21_000, leaseSeconds: 10, pollWaitSeconds: 20, runnerId: 'run_1', stopping: false }, 200, 'ok'],
    ['two leases and the poll wait without a poll', { now, lastPollAt: now - 81_000, leaseSeconds: 30, pollWaitSeconds: 20, runnerId: 'run_1', stopping: false }, 503, 'stale'],
    ['shutting down', { now, lastPollAt: now, leaseSeconds: 30, pollWaitSeconds: 20, runnerId: 'run_1', stopping: true }, 503, 'stopping'],
  ];
  for (const [name, facts, status, word] of cases) {
    it(name, () => {
      const verdict = judgeHealth(facts);
      assert.equal(verdict.status, status);
      assert.equal(verdict.body.status, word);
      if (status === 503) assert.ok(verdict.body.reason);
    });
  }
});
