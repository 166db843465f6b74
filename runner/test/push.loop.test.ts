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

async function setup(answer: Parameters<typeof stubClient>[0], maxBatch?: number) {
  const stub = stubClient(answer, maxBatch);
  const { logger, lines } = memoryLogger();
  const session = new RunnerSession({ client: stub.client, registration: { protocol_version: 1, version: 't', capabilities: ['http'] }, expectedRegion: undefined, logger });
  const lifetime = new AbortController();
  await session.register(lifetime.signal);
  const buffer = createMemoryQueue(100);
  const queue = (r: CheckResult) => buffer.push({ runnerId: session.current!.runner_id, result: r });
  let pushErrors = 0;
  const loop = new PushLoop({ client: stub.client, session, buffer, logger, onPushError: () => (pushErrors += 1) });
  const running = loop.run(lifetime.signal);
  const add = (...ns: number[]) => {
    ns.forEach((n) => queue(result(n)));
    loop.notify();
  };
  const stop = async () => {
    lifetime.abort();
    await running;
  };
  return { ...stub, buffer, queue, loop, add, stop, lines, pushErrors: () => pushErrors };
}

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
});
