import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { monotonicFactory } from 'ulid';
import type { CheckResult } from '../src/contract/result.schema.ts';
import { RollupHoursRepository } from '../src/modules/results/rollup-hours.repository.ts';
import { ResultRepository } from '../src/modules/results/result.repository.ts';
import { RollupDaysRepository } from '../src/modules/sla/rollup-days.repository.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// Hour rollups are built from minute rollups by the rollup job behind a watermark, not written per
// result batch. Readers of hour figures (SLA over more than 48 h, latency steps of an hour or more)
// must answer the same figures before and after the job built an hour; a result older than the
// watermark adds into its hour row; the job never builds an hour while a write into it is in flight,
// and pushes do not wait while it sums the hour; a build cut short is built again; days are derived
// only from built hours.

const ulid = monotonicFactory();
const H = 3_600_000;
const MINUTE = 60_000;

describe('hour rollups built from minute rollups', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let runner: SimulatedRunner;
  let monitor: string;
  let region: string;
  let whileSumming: (() => Promise<void>) | undefined;
  const hours = new RollupHoursRepository({ concurrent: true, whileSumming: async () => whileSumming?.() });
  const thisHour = Math.floor(Date.now() / H) * H;
  const watermark = thisHour - 3 * H;
  const sent: CheckResult[] = [];

  const result = (at: number, status: 'up' | 'down', durationMs: number): CheckResult => ({
    id: `res_${ulid()}`, monitor_id: monitor, region, started_at: new Date(at).toISOString(), status, duration_ms: durationMs, status_code: status === 'up' ? 200 : 500,
    timings: { connect_ms: 1, first_byte_ms: 2, total_ms: durationMs },
  }) as CheckResult;
  const push = async (results: CheckResult[]) => {
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.rejected, []);
    sent.push(...results);
  };
  const hourRows = async () => (await sql<{ bucket_start: Date; checks: number; up: number; down: number; sum_ms: number }>`
    SELECT bucket_start, checks, up, down, sum_ms FROM result_rollups WHERE monitor_id = ${monitor} AND resolution = 'hour' ORDER BY bucket_start`.execute(api.database.db)).rows
    .map((r) => ({ hour: new Date(r.bucket_start).toISOString(), checks: Number(r.checks), up: Number(r.up), down: Number(r.down), sum_ms: Number(r.sum_ms) }));
  /** What the results say per hour. */
  const expectedHours = (upTo: number) => {
    const map = new Map<string, { hour: string; checks: number; up: number; down: number; sum_ms: number }>();
    for (const r of sent) {
      const hour = Math.floor(Date.parse(r.started_at) / H) * H;
      if (hour >= upTo) continue;
      const key = new Date(hour).toISOString();
      const row = map.get(key) ?? { hour: key, checks: 0, up: 0, down: 0, sum_ms: 0 };
      row.checks += 1;
      if (r.status === 'up') row.up += 1;
      else row.down += 1;
      row.sum_ms += r.duration_ms;
      map.set(key, row);
    }
    return [...map.values()].sort((a, b) => a.hour.localeCompare(b.hour));
  };
  /** The readers' and the writers' watermarks (equal unless a build was cut short). */
  const setWatermarks = async (builtThrough: number, writersThrough = builtThrough) =>
    sql`UPDATE result_rollup_hours_built SET built_through = ${new Date(builtThrough).toISOString()}::timestamptz, writers_through = ${new Date(writersThrough).toISOString()}::timestamptz`.execute(api.database.db);
  const slaFrom = new Date(thisHour - 3 * 24 * H).toISOString();
  const slaTo = new Date(Date.now() + 1000).toISOString();
  const figures = async () => {
    const sla = await api.call('GET', `/v1/sla/monitors/${monitor}?from=${encodeURIComponent(slaFrom)}&to=${encodeURIComponent(slaTo)}`);
    assert.equal(sla.status, 200, JSON.stringify(sla.body));
    const latency = await api.call('GET', `/v1/monitors/${monitor}/latency?window=7d`);
    assert.equal(latency.status, 200, JSON.stringify(latency.body));
    return { checks: sla.body.checks, latency_ms: sla.body.latency_ms, series: latency.body.series };
  };

  before(async () => {
    api = await startTestApi({ backend: 'postgres' });
    // The test runs the job's steps itself, in order.
    await api.app.background.stop();
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    region = unique('r');
    monitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region] })).id as string;
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string);
    await pollRunner(api, runner, 0);
    // The runner owned the monitor for the last hours (results of them are on time, not rejected).
    await api.database.db.updateTable('assignment_history').set({ from_at: new Date(thisHour - 6 * H) }).where('monitor_id', '=', monitor).execute();
    await api.database.db.updateTable('monitors').set({ created_at: new Date(thisHour - 6 * H) }).where('id', '=', monitor).execute();
    // The job is three hours behind (a control plane that was stopped): those hours have minute rows only.
    await setWatermarks(watermark);
  });
  after(async () => api?.close());

  test('results after the watermark go to minute rows only; the figures count them, and are the same once the job built their hours', async () => {
    const batch: CheckResult[] = [];
    for (let h = 0; h < 3; h++) for (let k = 0; k < 4; k++) batch.push(result(watermark + h * H + k * 7 * MINUTE + 1000, k === 3 ? 'down' : 'up', 10 + h * 5 + k));
    batch.push(result(Date.now() - 1000, 'up', 42));
    await push(batch);
    assert.deepEqual(await hourRows(), [], 'no hour row is written by ingest for an hour the job has not built');
    const beforeJob = await figures();
    assert.deepEqual(beforeJob.checks, { total: 13, up: 10, degraded: 0, down: 3 });

    const built: string[] = [];
    for (let next = await hours.buildNext(api.database.db, 0); next; next = await hours.buildNext(api.database.db, 0)) built.push(next.hour.toISOString());
    assert.ok((await hours.builtThrough(api.database.db)).getTime() >= thisHour, 'caught up to the current hour');
    assert.deepEqual(await hourRows(), expectedHours(thisHour), 'one hour row per built hour, the sums of its minute rows');
    assert.deepEqual(await figures(), beforeJob, 'the same figures from hour rows as from minute rows');
    assert.equal(await hours.buildNext(api.database.db, 0), undefined, 'the current hour is not built before it ends');
  });

  test('the embedded database path (the sum under the lock) builds the same hour rows', async () => {
    const db = api.database.db;
    await sql`DELETE FROM result_rollups WHERE monitor_id = ${monitor} AND resolution = 'hour'`.execute(db);
    await setWatermarks(watermark);
    const underLock = new RollupHoursRepository();
    let builds = 0;
    while (await underLock.buildNext(db, 0)) builds += 1;
    assert.equal(builds, 3);
    assert.deepEqual(await hourRows(), expectedHours(thisHour));
    assert.equal((await hours.builtThrough(db)).getTime(), thisHour);
  });

  test('a result older than the watermark adds into its hour row too (a late or spooled one)', async () => {
    const late = result(watermark + H + 30 * MINUTE, 'down', 99);
    await push([late]);
    assert.deepEqual(await hourRows(), expectedHours(thisHour));
    const f = await figures();
    assert.equal(f.checks.total, 14);
    assert.equal(f.checks.down, 4);
  });

  test('the job waits for a rollup write in flight into the hour it builds, and counts it', async () => {
    const db = api.database.db;
    await setWatermarks(thisHour - H);
    const orgId = (await db.selectFrom('monitors').select('org_id').where('id', '=', monitor).executeTakeFirstOrThrow()).org_id;
    const inFlight = result(thisHour - 20 * MINUTE, 'up', 7);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const isWritten = new Promise<void>((r) => (written = r));
    const writer = db.transaction().execute(async (trx) => {
      // The hour is at the watermark: this write goes to the minute row only (its transaction holds result_rollups).
      await new ResultRepository().addRollups(trx, [{ orgId, runnerId: null, result: inFlight }]);
      written();
      await released;
    });
    await isWritten;
    let jobDone = false;
    let job: Promise<unknown> = Promise.resolve();
    try {
      job = hours.buildNext(db, 0).then((r) => { jobDone = true; return r; });
      // Ordering, not timing: however long we wait here, the job must still be waiting for the writer.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(jobDone, false, 'the job waits while a write into its hour is uncommitted');
    } finally {
      release();
      await writer;
    }
    sent.push(inFlight);
    assert.equal(((await job) as { hour: Date } | undefined)?.hour.toISOString(), new Date(thisHour - H).toISOString());
    assert.deepEqual(await hourRows(), expectedHours(thisHour), 'the hour row counts the write the job waited for');
  });

  test('pushes go on while the job sums an hour; a late result into that hour is counted once, and read before the hour is whole', async () => {
    const db = api.database.db;
    const hour = thisHour - H;
    await setWatermarks(hour);
    const late = result(hour + 40 * MINUTE, 'down', 55);
    let during: Awaited<ReturnType<typeof figures>> | undefined;
    let second: unknown = 'not run';
    whileSumming = async () => {
      // A push held up by the job would hold up the job too: fail clearly instead of hanging.
      const inTime = <T>(work: Promise<T>, what: string) => Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} waited for the job`)), 10_000))]);
      await inTime(push([result(Math.min(Date.now() - 500, thisHour + 1000), 'up', 12)]), 'an on-time push');
      await inTime(push([late]), 'a late push into the hour being summed');
      during = await figures();
      // Another builder (another replica whose job lease lapsed meanwhile) leaves the hour alone.
      second = await hours.buildNext(db, 0);
    };
    let built: Awaited<ReturnType<typeof hours.buildNext>>;
    try {
      built = await hours.buildNext(db, 0);
    } finally {
      whileSumming = undefined;
    }
    assert.equal(built?.hour.toISOString(), new Date(hour).toISOString());
    assert.equal(second, undefined, 'a second builder during the build builds nothing');
    assert.equal(during!.checks.total, sent.length, 'while the hour is summed, its figures read the minute rows, the late result included');
    assert.deepEqual(await hourRows(), expectedHours(thisHour), 'the late result is in its hour row once: added by its write, not again by the job');
    assert.deepEqual(await figures(), during, 'the same figures once the hour is whole');
    assert.equal((await hours.builtThrough(db)).getTime(), thisHour);
  });

  test('an hour whose build was cut short is built again, whole, on the next run', async () => {
    const db = api.database.db;
    const hour = thisHour - H;
    // As if the process died after moving the writers' watermark: the readers' still points at the hour.
    await setWatermarks(hour, thisHour);
    await sql`UPDATE result_rollups SET checks = checks + 100 WHERE monitor_id = ${monitor} AND resolution = 'hour' AND bucket_start = ${new Date(hour).toISOString()}::timestamptz`.execute(db);
    const built = await hours.buildNext(db, 24 * H);
    assert.equal(built?.hour.toISOString(), new Date(hour).toISOString(), 'built again though not due by the settle time: it was due when it began');
    assert.deepEqual(await hourRows(), expectedHours(thisHour), 'the hour rows are the sums of the minute rows again');
    assert.equal((await hours.builtThrough(db)).getTime(), thisHour);
    assert.equal(await hours.buildNext(db, 0), undefined);
  });

  test('a day is derived only once all its hours are built', async () => {
    const db = api.database.db;
    const days = new RollupDaysRepository();
    const today = Math.floor(Date.now() / (24 * H)) * 24 * H;
    // As if the last two days were not derived yet (the job's first run at start-up derived them).
    await sql`DELETE FROM result_rollup_days_derived WHERE day >= ${new Date(today - 2 * 24 * H).toISOString()}::timestamptz`.execute(db);
    await setWatermarks(today - 2 * H);
    const pending = (await days.pendingDays(db, 0, 1_000)).map((d) => d.getTime());
    assert.ok(!pending.includes(today - 24 * H), 'yesterday waits for its last hours');
    assert.ok(pending.includes(today - 2 * 24 * H));
    await setWatermarks(today);
    assert.ok((await days.pendingDays(db, 0, 1_000)).some((d) => d.getTime() === today - 24 * H));
    await setWatermarks(thisHour);
  });
});
