import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import type { CheckContext, CheckOutcome, CheckRegistry } from '../src/checks/check.types.ts';

/** The real registry with its tcp check swapped for one that behaves as the test needs. */
function registryWithTcp(run: (ctx: CheckContext) => Promise<CheckOutcome>): CheckRegistry {
  return { ...createCheckRegistry(), tcp: { type: 'tcp', run: (_monitor, ctx) => run(ctx) } };
}

describe('check budget', () => {
  it('aborts the check signal when timeout_seconds is spent', async () => {
    let abortedAfterMs: number | undefined;
    const started = Date.now();
    const registry = registryWithTcp(
      (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            abortedAfterMs = Date.now() - started;
            resolve({ started_at: new Date().toISOString(), status: 'down', duration_ms: 1, error: { code: 'timeout', message: 'aborted' } });
          });
        }),
    );
    const result = await executeCheck({ id: 'mon_1', type: 'tcp', timeout_seconds: 0.2 }, registry, { region: 'eu' });
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'timeout');
    assert.ok(abortedAfterMs !== undefined && abortedAfterMs >= 150, `aborted after ${abortedAfterMs} ms`);
  });

  it('cuts off a check that ignores its signal shortly after the budget, as a timeout', async () => {
    const started = Date.now();
    const registry = registryWithTcp(() => new Promise(() => {}));
    const result = await executeCheck({ id: 'mon_2', type: 'tcp', timeout_seconds: 0.2 }, registry, { region: 'eu' });
    const tookMs = Date.now() - started;
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'timeout');
    assert.match(result.error?.message ?? '', /exceeded 200 ms/);
    // Budget (200 ms) plus the grace (1 s): never before the budget, and it does come.
    assert.ok(tookMs >= 1100, `cut off after ${tookMs} ms`);
  });

  it('returns the check outcome and leaves no timer behind when the check finishes in time', async () => {
    const registry = registryWithTcp(async () => ({ started_at: new Date().toISOString(), status: 'up', duration_ms: 1 }));
    const result = await executeCheck({ id: 'mon_3', type: 'tcp', timeout_seconds: 5 }, registry, { region: 'eu' });
    assert.equal(result.status, 'up');
    assert.equal(result.monitor_id, 'mon_3');
    // A leftover 5 s timer would keep the event loop alive: the active handles hold only what was there.
    const timers = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === 'Timeout');
    assert.equal(timers.length, 0);
  });
});
