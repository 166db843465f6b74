import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import { AssignmentService } from '../src/modules/runner/assignment.service.ts';
import { createLogger } from '../src/observability/logger.ts';

// The debounced rebalance queue, without a database: what each rebalance sees of its caller, and
// whether settle() waits for all of them.

class Recording extends AssignmentService {
  readonly calls: Array<{ orgId: string; touched: readonly string[]; onlyTouched: boolean; context: unknown }> = [];
  constructor(private readonly storage: AsyncLocalStorage<string>, private readonly costMs: number) {
    const quiet = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    super(undefined as never, undefined as never, undefined as never, undefined as never, quiet, 5);
  }
  override async rebalance(orgId: string, touched: readonly string[] = [], onlyTouched = false): Promise<void> {
    this.calls.push({ orgId, touched: [...touched], onlyTouched, context: this.storage.getStore() });
    await new Promise((r) => setTimeout(r, this.costMs));
    this.done.push(...touched);
  }
  readonly done: string[] = [];
}

test("a scheduled rebalance does not run in the async context of the request that asked for it (e.g. its ambient transaction)", async () => {
  const storage = new AsyncLocalStorage<string>();
  const service = storage.run('outside', () => new Recording(storage, 1));
  storage.run('request-transaction', () => service.schedule('org', ['m1']));
  await service.settle();
  assert.deepEqual(service.calls.map((c) => c.context), ['outside']);
});

test('settle() waits for rebalances queued behind a running one', async () => {
  const service = new Recording(new AsyncLocalStorage<string>(), 40);
  service.schedule('org', ['m1']);
  await new Promise((r) => setTimeout(r, 15)); // the first runs now (40 ms)
  service.schedule('org', ['m2']);
  await new Promise((r) => setTimeout(r, 15)); // the second is queued behind it
  service.schedule('org', ['m3']);
  await new Promise((r) => setTimeout(r, 30)); // the first has finished, two are still queued
  await service.settle();
  assert.deepEqual(service.done.sort(), ['m1', 'm2', 'm3'], 'settle() returned with rebalances still to run');
  assert.ok(service.calls.every((c) => c.onlyTouched));
});
