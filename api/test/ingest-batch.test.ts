import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { monotonicFactory } from 'ulid';
import type { CheckResult } from '../src/contract/result.schema.ts';
import { rollupsOf } from '../src/modules/results/result.repository.ts';
import type { State } from '../src/contract/state.schema.ts';
import { evaluateSlot } from '../src/modules/state/state.machine.ts';
import { histogramSums } from '../src/modules/sla/rollup-sums.sql.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner } from './support/simulated-runner.ts';

// One pushed batch is stored with one statement for the results and their rollups: these tests
// mix in one batch what a runner really sends (several results of one monitor across a state
// change and a minute boundary, out of order, repeats, results stored before, rejected items) and
// compare what was stored with what the results say.

const ulid = monotonicFactory();
const MINUTE = 60_000;

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`batched ingest on ${backend}`, { skip }, () => {
    let api: TestApi;
    let service: string;
    before(async () => {
      api = await startTestApi({ backend, app: { runner: { leaseSeconds: 3, recheckMs: 100 } } });
      const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    });
    after(async () => api?.close());

    const result = (monitorId: string, region: string, status: 'up' | 'down', at: number, durationMs: number): CheckResult => ({
      id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: new Date(at).toISOString(), status, duration_ms: durationMs, status_code: status === 'up' ? 200 : 500,
      timings: { connect_ms: 1, first_byte_ms: 2, total_ms: durationMs }, ...(status === 'down' ? { error: { code: 'http_error', message: 'HTTP 500' } } : {}),
    }) as CheckResult;
    /** Minute rows, and hour figures as readers see them (result_rollup_hours: hour rows before the watermark, minute rows after, summed per hour). */
    const rollupRows = async (monitorId: string) =>
      (await sql<{ resolution: string; bucket_start: Date | string; checks: number; up: number; degraded: number; down: number; sum_ms: number; max_ms: number; histogram: Array<number | string> }>`
        SELECT * FROM (
          SELECT resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram FROM result_rollups WHERE monitor_id = ${monitorId} AND resolution = 'minute'
          UNION ALL
          SELECT 'hour', r.bucket_start, sum(r.checks), sum(r.up), sum(r.degraded), sum(r.down), sum(r.sum_ms), max(r.max_ms), ARRAY[${histogramSums('r')}]::integer[]
          FROM result_rollup_hours r WHERE r.monitor_id = ${monitorId} GROUP BY r.bucket_start
        ) x ORDER BY resolution, bucket_start`.execute(api.database.db)).rows.map((r) => ({
        resolution: r.resolution, bucket_start: new Date(r.bucket_start).toISOString(), checks: Number(r.checks), up: Number(r.up), degraded: Number(r.degraded), down: Number(r.down),
        sum_ms: Number(r.sum_ms), max_ms: Number(r.max_ms), histogram: r.histogram.map(Number),
      }));
    const expectedRollups = (orgId: string, results: CheckResult[]) =>
      rollupsOf(results.map((result) => ({ orgId, runnerId: null, result })))
        .map(({ resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram }) => ({ resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram }))
        .sort((a, b) => a.resolution.localeCompare(b.resolution) || a.bucket_start.localeCompare(b.bucket_start));

    type SlotView = { state: string; since: string; failures: number; degraded: number; successes: number; last_result_id: string | null; last_result_at: string | null; last_error: string | null; cause: string | null };
    const NEW_SLOT: SlotView = { state: 'unknown', since: '', failures: 0, degraded: 0, successes: 0, last_result_id: null, last_result_at: null, last_error: null, cause: null };
    const slotOf = async (monitorId: string): Promise<SlotView> => {
      const r = await api.database.db.selectFrom('slot_states').selectAll().where('monitor_id', '=', monitorId).executeTakeFirstOrThrow();
      return { state: r.state, since: new Date(r.since).toISOString(), failures: Number(r.failures), degraded: Number(r.degraded), successes: Number(r.successes), last_result_id: r.last_result_id, last_result_at: r.last_result_at && new Date(r.last_result_at).toISOString(), last_error: r.last_error, cause: r.cause };
    };
    /** The reference: StateService's rule, result by result in time order, skipping any not newer than the slot's last. */
    const foldSlot = (from: SlotView, batch: readonly CheckResult[], thresholds: { failure_threshold: number; recovery_threshold: number }): SlotView => {
      let slot = from;
      for (const r of [...batch].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at))) {
        if (slot.last_result_at && Date.parse(r.started_at) <= Date.parse(slot.last_result_at)) continue;
        const step = evaluateSlot({ ...slot, state: slot.state as State, since: new Date(slot.since || r.started_at) }, r.status, new Date(r.started_at), thresholds);
        slot = { ...slot, ...step.next, since: step.next.since.toISOString(), last_result_id: r.id, last_result_at: new Date(r.started_at).toISOString(), last_error: r.status === 'up' ? null : `${r.error!.code}: ${r.error!.message}`, cause: null };
      }
      return slot;
    };

    type Outcome = { accepted: string[]; duplicates: number; rejected: Array<{ index: number; id?: string; code: string }> };
    /** A runner in a new region owning a new monitor with these thresholds; its pushes answer 200 or fail the test. */
    const runnerOwning = async (thresholds: { failure_threshold: number; recovery_threshold: number }) => {
      const region = unique('r');
      const m = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region], ...thresholds })).id as string;
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
      const runner = await registerRunner(api, token);
      await pollRunner(api, runner, 0);
      const push = async (results: unknown[]): Promise<Outcome> => {
        const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body as Outcome;
      };
      const owner = await api.database.db.selectFrom('assignment_history').select(['from_at']).where('monitor_id', '=', m).where('runner_id', '=', runner.id).executeTakeFirstOrThrow();
      return { region, m, runner, push, ownedFrom: new Date(owner.from_at).getTime() };
    };

    test('a mixed batch: each result stored once, rollups per minute and hour of the stored ones, transitions in time order with their events', async () => {
      const { region, m, push } = await runnerOwning({ failure_threshold: 2, recovery_threshold: 1 });
      const other = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [unique('elsewhere')] })).id as string;

      // Four checks in one minute (up stored before, up, down, down: down at the second failure), a recovery in the next.
      const minute = Math.ceil((Date.now() + 1000) / MINUTE) * MINUTE;
      const storedBefore = result(m, region, 'up', minute + 500, 40);
      assert.deepEqual((await push([storedBefore])).duplicates, 0);
      const up = result(m, region, 'up', minute + 1_000, 0.5);
      const firstFailure = result(m, region, 'down', minute + 11_000, 120);
      const secondFailure = result(m, region, 'down', minute + 21_000, 70_000);
      const recovery = result(m, region, 'up', minute + MINUTE + 1_000, 5);
      const elsewhere = result(other, region, 'up', minute + 2_000, 9);
      const batch = [recovery, up, { ...up }, storedBefore, { id: 'res_broken', monitor_id: m }, secondFailure, elsewhere, firstFailure, { ...firstFailure }];
      const out = await push(batch);

      assert.deepEqual(out.accepted, [recovery.id, up.id, storedBefore.id, secondFailure.id, firstFailure.id], 'every valid id once, in batch order');
      assert.equal(out.duplicates, 3, 'two repeats in the batch and one stored before');
      assert.deepEqual(out.rejected.map(({ index, id, code }) => ({ index, id, code })), [
        { index: 4, id: 'res_broken', code: 'invalid_result' },
        { index: 6, id: elsewhere.id, code: 'not_assigned' },
      ]);

      const stored = await api.database.db.selectFrom('check_results').select(['id', 'duration_ms']).where('monitor_id', '=', m).orderBy('started_at').execute();
      assert.deepEqual(stored.map((r) => r.id), [storedBefore.id, up.id, firstFailure.id, secondFailure.id, recovery.id]);
      assert.equal(await api.database.db.selectFrom('check_results').select('id').where('monitor_id', '=', other).execute().then((r) => r.length), 0, 'nothing of the rejected result');

      const orgId = (await api.database.db.selectFrom('monitors').select('org_id').where('id', '=', m).executeTakeFirstOrThrow()).org_id;
      const all = [storedBefore, up, firstFailure, secondFailure, recovery];
      const rollups = await rollupRows(m);
      assert.deepEqual(rollups, expectedRollups(orgId, all), 'minute and hour rollups of the five stored results, repeats not counted');
      const minuteRow = rollups.find((r) => r.resolution === 'minute' && r.bucket_start === new Date(minute).toISOString())!;
      assert.deepEqual({ checks: minuteRow.checks, up: minuteRow.up, down: minuteRow.down, max_ms: minuteRow.max_ms }, { checks: 4, up: 2, down: 2, max_ms: 70_000 });
      assert.equal(minuteRow.histogram.at(-1), 1, 'the 70 s check is counted in the last (+Inf) bucket');

      const slotTransitions = await api.database.db.selectFrom('state_transitions').select(['from_state', 'to_state', 'cause']).where('subject_type', '=', 'slot').where('subject_id', '=', m).orderBy('at').execute();
      const changes = slotTransitions.map((t) => `${t.from_state}→${t.to_state}`);
      assert.deepEqual(changes.slice(-2), ['up→down', 'down→up'], 'down at the second failure, up at the recovery, whatever the order in the batch');
      const causeOf = (t: (typeof slotTransitions)[number]) => (typeof t.cause === 'string' ? JSON.parse(t.cause) : t.cause).result_id;
      assert.deepEqual(slotTransitions.slice(-2).map(causeOf), [secondFailure.id, recovery.id]);
      const state = await api.database.db.selectFrom('slot_states').selectAll().where('monitor_id', '=', m).executeTakeFirstOrThrow();
      assert.equal(state.state, 'up');
      assert.equal(state.last_result_id, recovery.id);
      const events = await api.database.db.selectFrom('events').select(['kind', 'payload']).where('org_id', '=', orgId).where('kind', '=', 'state.transition').orderBy('seq').execute();
      const slotEvents = events.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as { subject_type: string; subject_id: string; from: string; to: string }).filter((p) => p.subject_type === 'slot' && p.subject_id === m);
      assert.deepEqual(slotEvents.slice(-2).map((p) => `${p.from}→${p.to}`), ['up→down', 'down→up'], 'each transition is in the event log');

      // The same batch again stores nothing and changes no rollup.
      const again = await push(batch);
      assert.equal(again.duplicates, 7);
      assert.deepEqual(again.accepted, out.accepted);
      assert.deepEqual(await rollupRows(m), rollups);
      assert.equal((await api.database.db.selectFrom('state_transitions').select('id').where('subject_type', '=', 'slot').where('subject_id', '=', m).execute()).length, slotTransitions.length);
    });

    test('many monitors in one batch: one rollup row per monitor, minute and hour, summed with what was there', async () => {
      const region = unique('r');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region] })).id as string);
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
      const runner = await registerRunner(api, token);
      await pollRunner(api, runner, 0);
      const at = Math.ceil((Date.now() + 1000) / MINUTE) * MINUTE + 5_000;
      const first = ids.map((m, i) => result(m, region, 'up', at, 10 * (i + 1)));
      const second = ids.flatMap((m, i) => [result(m, region, i % 2 ? 'down' : 'up', at + 10_000, 3), result(m, region, 'up', at + 20_000, 1_000 + i)]);
      for (const results of [first, second]) {
        const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.rejected.length, 0, JSON.stringify(res.body.rejected));
      }
      const orgId = (await api.database.db.selectFrom('monitors').select('org_id').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).org_id;
      for (const m of ids) {
        const mine = [...first, ...second].filter((r) => r.monitor_id === m);
        assert.deepEqual(await rollupRows(m), expectedRollups(orgId, mine), `rollups of ${m}`);
      }
    });

    test('slots that stay up are moved by the store statement exactly as the state machine moves them; the others are evaluated as before', async () => {
      const { region, m, push, ownedFrom } = await runnerOwning({ failure_threshold: 2, recovery_threshold: 1 });
      const slot = () => slotOf(m);
      let expected = NEW_SLOT;
      const fold = (batch: CheckResult[]) => { expected = foldSlot(expected, batch, { failure_threshold: 2, recovery_threshold: 1 }); };
      const slotTransitions = async () => Number((await api.database.db.selectFrom('state_transitions').select((eb) => eb.fn.countAll().as('n')).where('subject_id', '=', m).executeTakeFirstOrThrow()).n);

      const t = ownedFrom + 100;
      const batches: CheckResult[][] = [
        [result(m, region, 'up', t, 5)], // a new slot: evaluated in the control plane (unknown → up)
        [result(m, region, 'up', t + 2_000, 6), result(m, region, 'up', t + 1_000, 7)], // stays up, out of order in the batch
        [result(m, region, 'down', t + 3_000, 8)], // one failure below the threshold: still up, counters and error move
        [result(m, region, 'up', t + 5_000, 9), result(m, region, 'up', t + 4_000, 9)], // up again: failures and the error cleared
        [result(m, region, 'up', t + 4_500, 9)], // late: stored, the slot left alone
        [result(m, region, 'up', t + 6_000, 9), result(m, region, 'up', t + 6_000, 9)], // two at one instant: the first counts
        [result(m, region, 'up', t + 6_000, 9)], // at the instant of the slot's last result: not newer, left alone
      ];
      for (const [i, batch] of batches.entries()) {
        const before = await slotTransitions();
        assert.equal((await push(batch)).accepted.length, batch.length, `batch ${i} stored`);
        fold(batch);
        assert.deepEqual(await slot(), expected, `the slot after batch ${i}`);
        if (i > 0) assert.equal(await slotTransitions(), before, `batch ${i} changes no state`);
      }
      assert.equal(expected.successes, 3);
      assert.equal(expected.state, 'up');
    });

    test('two pushes of one slot at once (a retried push racing its first attempt): the slot ends as the state machine leaves it after one batch and then the other', async () => {
      const thresholds = { failure_threshold: 3, recovery_threshold: 1 };
      const { region, m, runner, push: pushOutcome, ownedFrom } = await runnerOwning(thresholds);
      const push = async (results: CheckResult[]) => assert.equal((await pushOutcome(results)).accepted.length, results.length);
      const start = ownedFrom + 100;
      const first = [result(m, region, 'up', start, 5)];
      await push(first);
      let expected = foldSlot(NEW_SLOT, first, thresholds);
      assert.deepEqual(await slotOf(m), expected);
      // A fixed pseudo-random sequence: mostly up (the store statement moves those), now and then a
      // failure (the control plane evaluates those), times overlapping between the two batches.
      let seed = 12345;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const batch = (base: number) => Array.from({ length: 1 + Math.floor(next() * 4) }, () => result(m, region, next() < 0.85 ? 'up' : 'down', base + Math.floor(next() * 9_000), 5));
      for (let round = 0; round < 24; round += 1) {
        const base = start + 1_000 + round * 10_000;
        const a = batch(base);
        const b = batch(base);
        await Promise.all([push(a), push(b)]);
        const actual = await slotOf(m);
        const ab = foldSlot(foldSlot(expected, a, thresholds), b, thresholds);
        const ba = foldSlot(foldSlot(expected, b, thresholds), a, thresholds);
        assert.ok(isDeepStrictEqual(actual, ab) || isDeepStrictEqual(actual, ba), `round ${round}: the slot is ${JSON.stringify(actual)}, neither ${JSON.stringify(ab)} (first batch first) nor ${JSON.stringify(ba)}`);
        expected = actual;
        if (round % 8 === 7) await pollRunner(api, runner, 0); // the lease (3 s here) holds
      }
      assert.ok(expected.successes > 0 || expected.failures > 0);
    });

    test('batch after batch: ownership from the runner\'s assignment (with clock slack), each slot read back as the previous batch left it, late results stored without rewriting state', async () => {
      const { region, m, runner, push, ownedFrom: from } = await runnerOwning({ failure_threshold: 2, recovery_threshold: 2 });

      // Before the runner owned the monitor: refused; a little before (a runner clock running behind): accepted.
      const tooEarly = result(m, region, 'up', from - 60_000, 5);
      const slightlyEarly = result(m, region, 'up', from - 2_000, 5);
      const missing = result(`mon_${ulid()}`, region, 'up', from + 50, 5);
      const first = await push([tooEarly, slightlyEarly, missing]);
      assert.deepEqual(first.rejected.map(({ index, code }) => ({ index, code })), [{ index: 0, code: 'not_assigned' }, { index: 2, code: 'unknown_monitor' }]);
      assert.deepEqual(first.accepted, [slightlyEarly.id]);

      // One result per batch, more batches than PostgreSQL executes a prepared statement before it
      // keeps a generic plan: each batch must see the counters the previous one stored.
      const statuses = ['down', 'down', 'up', 'up', 'down', 'up', 'up', 'down', 'down'] as const;
      const sent: CheckResult[] = [slightlyEarly];
      for (const [i, status] of statuses.entries()) {
        const r = result(m, region, status, from + 100 * (i + 1), 10 + i);
        sent.push(r);
        assert.deepEqual((await push([r])).accepted, [r.id]);
        await pollRunner(api, runner, 0); // the lease (3 s here) holds
      }
      const changes = (await api.database.db.selectFrom('state_transitions').select(['from_state', 'to_state']).where('subject_type', '=', 'slot').where('subject_id', '=', m).orderBy('at').execute()).map((t) => `${t.from_state}→${t.to_state}`);
      // Thresholds of 2: one success leaves the new slot unknown; down at the 2nd failure in a row, up at the 2nd success, down again.
      assert.deepEqual(changes, ['unknown→down', 'down→up', 'up→down']);

      // A late result (older than the slot's last one) is stored and counted, and changes no state.
      const before = await api.database.db.selectFrom('slot_states').selectAll().where('monitor_id', '=', m).executeTakeFirstOrThrow();
      const late = result(m, region, 'up', from + 50, 7);
      sent.push(late);
      assert.deepEqual((await push([late])).accepted, [late.id]);
      const after = await api.database.db.selectFrom('slot_states').selectAll().where('monitor_id', '=', m).executeTakeFirstOrThrow();
      assert.deepEqual(after, before, 'the slot is as the newest result left it');
      assert.equal(after.state, 'down');
      assert.equal(after.last_result_id, sent.at(-2)!.id);
      assert.equal(Number(after.failures), 2);

      const orgId = (await api.database.db.selectFrom('monitors').select('org_id').where('id', '=', m).executeTakeFirstOrThrow()).org_id;
      assert.deepEqual(await rollupRows(m), expectedRollups(orgId, sent), 'every stored result in the rollups once');
    });
  });
}
