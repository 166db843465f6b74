import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult, ResultBatchOutcome } from '../../api/src/contract/index.ts';
import { createMemoryQueue } from '../src/results/result.queue.ts';
import type { ProtocolClient } from '../src/protocol/protocol.client.ts';
import { ProtocolError } from '../src/protocol/protocol.errors.ts';
import { PushLoop } from '../src/protocol/push.loop.ts';
import { RunnerSession } from '../src/protocol/runner.session.ts';
import { until } from './support/control-plane.fake.ts';
import { memoryLogger } from './support/runner-process.harness.ts';

const result = (n: number): CheckResult => ({
  id: `res_${String(n).padStart(26, '0')}`,
  monitor_id: 'mon_01J00000000000000000000000',
  region: 'eu-west-1',
  started_at: new Date().toISOString(),
  status: 'down',
  duration_ms: 1,
});

/** A client whose push answers come from `answer`; everything else succeeds. */
function stubClient(answer: (batch: readonly CheckResult[], runnerId: string) => ResultBatchOutcome | ProtocolError, maxBatch = 4) {
  const batches: string[][] = [];
  const pushedAs: string[] = [];
  let registrations = 0;
  const client: ProtocolClient = {
    register: async () => {
      registrations += 1;
      return { runner_id: `run_${registrations}`, region: 'eu-west-1', labels: {}, protocol_version: 1, lease_seconds: 10, poll_wait_seconds: 1, max_batch: maxBatch };
    },
    pollAssignments: async () => assert.fail('not polled here'),
    pushResults: async (runnerId, results) => {
      batches.push(results.map((r) => r.id));
      pushedAs.push(runnerId);
      const outcome = answer(results, runnerId);
      if (outcome instanceof ProtocolError) throw outcome;
      return outcome;
    },
    deregister: async () => true,
    close: async () => undefined,
  };
  return { client, batches, pushedAs, registrations: () => registrations };
}

async function setup(answer: Parameters<typeof stubClient>[0], maxBatch?: number, flushIntervalMs?: number) {
  const stub = stubClient(answer, maxBatch);
  const { logger, lines } = memoryLogger();
  const session = new RunnerSession({ client: stub.client, registration: { protocol_version: 1, version: 't', capabilities: ['http'] }, expectedRegion: undefined, logger });
  const lifetime = new AbortController();
  await session.register(lifetime.signal);
  const buffer = createMemoryQueue(100);
  const queue = (r: CheckResult) => buffer.push({ runnerId: session.current!.runner_id, result: r });
  let pushErrors = 0;
  const loop = new PushLoop({ client: stub.client, session, buffer, logger, onPushError: () => (pushErrors += 1), ...(flushIntervalMs === undefined ? {} : { flushIntervalMs }) });
  const running = loop.run(lifetime.signal);
  const add = (...ns: number[]) => {
    ns.forEach((n) => queue(result(n)));
    loop.notify();
  };
  /** Queues results as the engine's sink does: each one announced with notify(result). */
  const check = (...results: CheckResult[]) =>
    results.forEach((r) => {
      queue(r);
      loop.notify(r);
    });
  const stop = async () => {
    lifetime.abort();
    await running;
  };
  return { ...stub, buffer, queue, loop, add, check, stop, lines, pushErrors: () => pushErrors };
}

let seq = 1000;
/** A result of `monitor` with `status`, as the engine would produce it. */
const checked = (monitor: string, status: CheckResult['status'], confirmation = false): CheckResult => ({
  ...result((seq += 1)),
  monitor_id: `mon_01J0000000000000000000000${monitor}`,
  status,
  ...(confirmation ? { confirmation: true } : {}),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const acceptAll = (batch: readonly CheckResult[]): ResultBatchOutcome => ({ accepted: batch.map((r) => r.id), duplicates: 0, rejected: [] });

describe('push loop', () => {
  it('sends at once, never more than max_batch, and forgets what was answered for', async () => {
    const t = await setup(acceptAll, 4);
    t.add(1, 2, 3, 4, 5, 6);
    await until(() => t.buffer.depth === 0, 'an empty buffer');
    assert.ok(t.batches.every((b) => b.length <= 4));
    assert.equal(t.batches.flat().length, 6, 'each result sent once');
    await t.stop();
  });

  it('acknowledges rejected results (by id or by index) and logs them', async () => {
    const t = await setup((batch) => ({
      accepted: [batch[0]!.id],
      duplicates: 0,
      rejected: [
        { id: batch[1]!.id, index: 1, code: 'invalid_result', message: 'bad timings' },
        { index: 2, code: 'unknown_monitor', message: 'gone' },
      ],
    }));
    t.add(1, 2, 3);
    await until(() => t.buffer.depth === 0, 'an empty buffer');
    assert.equal(t.batches.length, 1);
    assert.deepEqual(t.lines.filter((l) => l.msg?.includes('rejected')).map((l) => l.code), ['invalid_result', 'unknown_monitor']);
    await t.stop();
  });

  it('keeps results through failures and sends them when the API is back; a nudge ends the backoff', async () => {
    let down = true;
    const t = await setup((batch) => (down ? new ProtocolError('unavailable', 'down', 503) : acceptAll(batch)));
    t.add(1, 2);
    await until(() => t.pushErrors() >= 3, 'a few failed pushes');
    assert.equal(t.buffer.depth, 2);
    down = false;
    const nudgedAt = Date.now();
    t.loop.nudge();
    await until(() => t.buffer.depth === 0, 'an empty buffer', 1_000);
    assert.ok(Date.now() - nudgedAt < 200, 'sent right after the nudge, not after the backoff');
    await t.stop();
  });

  it('halves the batch on 413 and registers again on 404', async () => {
    let limit = 2;
    let forgotten = true;
    const t = await setup((batch) => {
      if (batch.length > limit) return new ProtocolError('payload_too_large', 'too big', 413);
      if (forgotten) {
        forgotten = false;
        return new ProtocolError('runner_unknown', 'who?', 404);
      }
      return acceptAll(batch);
    }, 8);
    t.add(1, 2, 3, 4, 5, 6, 7, 8);
    await until(() => t.buffer.depth === 0, 'an empty buffer');
    assert.deepEqual(t.batches.map((b) => b.length).slice(0, 3), [8, 4, 2]);
    assert.equal(t.registrations(), 2);
    limit = 100;
    await t.stop();
  });

  it('pushes results kept from an earlier registration under that runner id, and under the current one once the API forgot it', async () => {
    const t = await setup((batch, runnerId) => (runnerId === 'run_gone' ? new ProtocolError('runner_unknown', 'who?', 404) : acceptAll(batch)), 8);
    await t.stop(); // drive the loop by flush() so the order of batches is deterministic
    t.buffer.push({ runnerId: 'run_gone', result: result(1) });
    t.buffer.push({ runnerId: 'run_before_restart', result: result(2) });
    t.buffer.push({ runnerId: 'run_before_restart', result: result(3) });
    t.queue(result(4));
    assert.equal(await t.loop.flush(2_000), 0);
    // run_gone is unknown: its result goes out under the current registration, together with run_1's.
    assert.deepEqual(t.pushedAs, ['run_gone', 'run_1', 'run_before_restart', 'run_1']);
    assert.deepEqual(t.batches, [[result(1).id], [result(1).id], [result(2).id, result(3).id], [result(4).id]]);
    assert.equal(t.registrations(), 1, 'an old registration being unknown does not re-register the current one');
  });

  it('flush sends what is left within its time budget', async () => {
    const t = await setup(acceptAll);
    await t.stop();
    t.queue(result(1));
    t.queue(result(2));
    assert.equal(await t.loop.flush(1_000), 0);
    assert.equal(t.buffer.depth, 0);
  });

  describe('coalescing', () => {
    it('pushes results that repeat their monitor\'s status together, once per flush interval', async () => {
      const t = await setup(acceptAll, 100, 400);
      const first = [checked('A', 'up'), checked('B', 'up'), checked('C', 'up')];
      t.check(...first);
      await until(() => t.buffer.depth === 0, 'the first results of each monitor sent');
      const afterFirst = t.batches.length;
      const repeats = [checked('A', 'up'), checked('B', 'up'), checked('C', 'up'), checked('A', 'up'), checked('B', 'up')];
      const queuedAt = Date.now();
      for (const r of repeats) {
        t.check(r);
        await sleep(20);
      }
      await sleep(150);
      assert.equal(t.batches.length, afterFirst, 'repeats wait for the interval instead of a push each');
      await until(() => t.buffer.depth === 0, 'the repeats sent', 2_000);
      assert.ok(Date.now() - queuedAt >= 390, 'sent when the interval of the oldest repeat ran out');
      assert.deepEqual(t.batches.slice(afterFirst), [repeats.map((r) => r.id)], 'all repeats in one batch, oldest first');
      await t.stop();
    });

    it('sends a status change at once, together with the repeats waiting before it', async () => {
      const t = await setup(acceptAll, 100, 10_000);
      t.check(checked('A', 'up'), checked('B', 'up'));
      await until(() => t.buffer.depth === 0, 'the first results sent');
      const waiting = [checked('A', 'up'), checked('B', 'up')];
      t.check(...waiting);
      await sleep(100);
      assert.equal(t.buffer.depth, 2, 'repeats wait');
      const down = checked('A', 'down');
      const changedAt = Date.now();
      t.check(down);
      await until(() => t.buffer.depth === 0, 'the status change sent', 2_000);
      assert.ok(Date.now() - changedAt < 1_000, 'the change did not wait for the 10 s interval');
      assert.deepEqual(t.batches.at(-1), [...waiting, down].map((r) => r.id));
      // Down again counts towards failure_threshold: it goes at once too, and so does the recovery.
      t.check(checked('A', 'down'));
      await until(() => t.buffer.depth === 0, 'the second failure sent', 1_000);
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the recovery sent', 1_000);
      // Degraded after degraded is a repeat and waits, like up after up.
      t.check(checked('B', 'degraded'));
      await until(() => t.buffer.depth === 0, 'the change to degraded sent', 1_000);
      t.check(checked('B', 'degraded'));
      await sleep(100);
      assert.equal(t.buffer.depth, 1, 'a repeated degraded waits');
      await t.stop();
    });

    it('sends a confirmation run, a full batch and results nobody announced without waiting', async () => {
      const t = await setup(acceptAll, 4, 10_000);
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the first result sent');
      t.check(checked('A', 'up', true));
      await until(() => t.buffer.depth === 0, 'the confirmation sent', 2_000);
      const full = [checked('A', 'up'), checked('A', 'up'), checked('A', 'up'), checked('A', 'up')];
      t.check(...full);
      await until(() => t.buffer.depth === 0, 'the full batch sent', 2_000);
      assert.deepEqual(t.batches.at(-1), full.map((r) => r.id));
      await t.stop();

      // Results already buffered when the loop starts (read back from the spool) go out at once.
      const u = await setup(acceptAll, 4, 10_000);
      await u.stop();
      u.queue(checked('B', 'up'));
      const lifetime = new AbortController();
      const running = u.loop.run(lifetime.signal);
      await until(() => u.buffer.depth === 0, 'the recovered result sent', 2_000);
      lifetime.abort();
      await running;
    });

    it('retries repeats that failed to go out without waiting for another interval', async () => {
      let down = false;
      const t = await setup((batch) => (down ? new ProtocolError('unavailable', 'down', 503) : acceptAll(batch)), 100, 300);
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the first result sent');
      down = true;
      t.check(checked('A', 'up'));
      await until(() => t.pushErrors() >= 1, 'a failed push');
      down = false;
      t.loop.nudge();
      await until(() => t.buffer.depth === 0, 'the repeat sent after the failure', 1_000);
      await t.stop();
    });

    it('with an interval of 0 pushes every result as it comes', async () => {
      const t = await setup(acceptAll, 100, 0);
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the first result sent');
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the repeat sent at once', 200);
      assert.equal(t.batches.length, 2);
      await t.stop();
    });

    it('forgets a removed monitor: memory follows the assignment set, and its next result counts as a first', async () => {
      const t = await setup(acceptAll, 100, 10_000);
      t.check(checked('A', 'up'), checked('B', 'up'), checked('C', 'up'));
      await until(() => t.buffer.depth === 0, 'the first results sent');
      assert.equal(t.loop.remembered, 3);
      t.loop.forget(checked('A', 'up').monitor_id);
      t.loop.forget(checked('B', 'up').monitor_id);
      t.loop.forget('mon_never_seen');
      assert.equal(t.loop.remembered, 1, 'only C is remembered');
      // C repeats and waits for the 10 s interval; A, back again, goes at once as a first result.
      t.check(checked('C', 'up'));
      await sleep(100);
      assert.equal(t.buffer.depth, 1, "C's repeat waits");
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the returning monitor sent at once', 1_000);
      assert.equal(t.loop.remembered, 2);
      await t.stop();
    });

    it('flush at shutdown sends waiting repeats at once', async () => {
      const t = await setup(acceptAll, 100, 10_000);
      t.check(checked('A', 'up'));
      await until(() => t.buffer.depth === 0, 'the first result sent');
      t.check(checked('A', 'up'), checked('A', 'up'));
      await t.stop();
      assert.equal(t.buffer.depth, 2);
      assert.equal(await t.loop.flush(1_000), 0);
    });
  });
});
