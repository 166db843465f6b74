import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { dayMs, oldestWholeDay, rollupPlan, wholeDays } from '../src/modules/sla/rollup-days.plan.ts';
import { rollupDaysJob } from '../src/modules/sla/rollup-days.job.ts';
import { RollupDaysRepository, rollupDaysLockName } from '../src/modules/sla/rollup-days.repository.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// SLA windows over hour rollups read whole UTC days from day rollups (derived by the
// result-rollup-days job) and hour rows at the edges. The figures must be exactly those of the hour
// rows: the same reports are compared before any day is derived and after, over rolling windows,
// from/to with offsets, partial days, maintenance excluded from SLA and a monitor created mid-window;
// a late write to a derived day shows at once, and the job derives it again.

const H = 3_600_000;

describe('day plan', () => {
  const day0 = Date.UTC(2026, 10, 1);
  test('whole days of a window: none inside a day, the aligned ones otherwise', () => {
    assert.equal(wholeDays(day0 + H, day0 + 20 * H), undefined);
    assert.deepEqual(wholeDays(day0 + H, day0 + 3 * dayMs + H), { start: day0 + dayMs, end: day0 + 3 * dayMs });
    assert.deepEqual(wholeDays(day0, day0 + dayMs), { start: day0, end: day0 + dayMs });
  });

  test('edges read hours, whole days are candidates unless maintenance touches them or retention may have trimmed them', () => {
    const plan = rollupPlan(['a', 'b'], day0 + 90 * 60_000, day0 + 4 * dayMs + 30 * 60_000, new Map([['b', [{ start: day0 + 2 * dayMs + 23 * H, end: day0 + 3 * dayMs + H }]]]), day0 + 2 * dayMs);
    assert.deepEqual(plan.hours, [
      { monitorId: 'a', start: day0 + 90 * 60_000, end: day0 + 2 * dayMs },
      { monitorId: 'a', start: day0 + 4 * dayMs, end: day0 + 4 * dayMs + 30 * 60_000 },
      { monitorId: 'b', start: day0 + 90 * 60_000, end: day0 + 4 * dayMs + 30 * 60_000 },
    ]);
    assert.deepEqual(plan.candidates, [{ monitorId: 'a', day: day0 + 2 * dayMs }, { monitorId: 'a', day: day0 + 3 * dayMs }]);
  });

  test('the oldest whole day is inside the 400 days of hour retention', () => {
    const now = day0 + 5 * H;
    assert.equal(oldestWholeDay(now), day0 - 399 * dayMs);
  });
});

describe('SLA from day and hour rollups', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const repo = new RollupDaysRepository();
  const job = () => rollupDaysJob(api.database.db, { options: { settleMs: 0, budgetMs: 30_000, batch: 1_000 }, repo })();
  const today = Math.floor(Date.now() / dayMs) * dayMs;
  const ids = { team: '', service: '', m1: '', m2: '', m3: '' };
  const paths: string[] = [];

  const report = async (path: string) => {
    const res = await api.call('GET', path);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const reports = async () => Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await report(p)] as const)));
  /**
   * What two reports must share: everything for a fixed from/to; for a rolling window (whose ends
   * move with the clock between two calls) the figures of rollups (checks and latency, everywhere in
   * the report), when both calls fell in the same hour (the same hour buckets start inside it).
   */
  const comparable = (a: any, b: any): [unknown, unknown] | undefined => {
    if (!a.window.label) return [a, b];
    if (Math.floor(Date.parse(a.window.from) / H) !== Math.floor(Date.parse(b.window.from) / H)) return undefined;
    const pick = (r: any): unknown => (Array.isArray(r) ? r.map(pick) : r && typeof r === 'object' ? Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (k === 'checks' || k === 'latency_ms' ? [[k, v]] : v && typeof v === 'object' ? [[k, pick(v)]] : []))) : r);
    return [pick(a), pick(b)];
  };
  const assertSame = (after: Record<string, any>, before: Record<string, any>) => {
    for (const path of paths) {
      const pair = comparable(after[path], before[path]);
      if (pair) assert.deepEqual(pair[0], pair[1], path);
    }
  };
  const derive = async () => {
    for (let i = 0; i < 20 && ((await job()).days > 0 || (await repo.dirtyCount(api.database.db)) > 0); i++);
    assert.equal(await repo.dirtyCount(api.database.db), 0);
  };
  /** Holds the job's lock (so no derivation commits) while `work` runs. */
  async function withJobHeld<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = api.database.db.connection().execute(async (c) => {
      await sql`SELECT pg_advisory_lock(hashtext(${rollupDaysLockName}))`.execute(c);
      locked();
      await released;
      await sql`SELECT pg_advisory_unlock(hashtext(${rollupDaysLockName}))`.execute(c);
    });
    await isLocked;
    try {
      return await work();
    } finally {
      release();
      await holder;
    }
  }

  before(async () => {
    api = await startTestApi({ backend: 'postgres' });
    const admin = api.adminToken;
    const db = api.database.db;
    ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('days') })).id;
    ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
    ids.m1 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['eu', 'us'] })).id;
    ids.m2 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['eu'] })).id;
    ids.m3 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['us'] })).id;
    const longAgo = new Date(today - 100 * dayMs);
    await db.updateTable('services').set({ created_at: longAgo }).where('id', '=', ids.service).execute();
    await db.updateTable('monitors').set({ created_at: longAgo }).where('id', 'in', [ids.m1, ids.m3]).execute();
    // m2 is created 20 days ago at 13:00 (its earlier hour rows exist but fall outside its existence for time figures only).
    await db.updateTable('monitors').set({ created_at: new Date(today - 20 * dayMs + 13 * H) }).where('id', '=', ids.m2).execute();
    let seq = 0;
    const transition = (type: 'slot' | 'monitor' | 'service', id: string, region: string | null, from: string, to: string, at: number) =>
      db.insertInto('state_transitions').values({ id: `dt_${String(++seq).padStart(5, '0')}`, org_id: api.orgId, subject_type: type, subject_id: id, region, from_state: from, to_state: to, at: new Date(at), cause: null }).execute();
    for (const [type, id, region] of [['service', ids.service, null], ['monitor', ids.m1, null], ['slot', ids.m1, 'eu'], ['slot', ids.m1, 'us'], ['monitor', ids.m3, null], ['slot', ids.m3, 'us']] as const) await transition(type, id, region, 'unknown', 'up', today - 95 * dayMs);
    await transition('monitor', ids.m2, null, 'unknown', 'up', today - 20 * dayMs + 13 * H);
    await transition('slot', ids.m2, 'eu', 'unknown', 'up', today - 20 * dayMs + 13 * H);
    for (const [type, id, region] of [['service', ids.service, null], ['monitor', ids.m1, null], ['slot', ids.m1, 'eu']] as const) {
      await transition(type, id, region, 'up', 'down', today - 12 * dayMs + 3 * H);
      await transition(type, id, region, 'down', 'up', today - 12 * dayMs + 3 * H + 47 * 60_000);
    }
    // Hour rollups for every slot from 95 days ago to the current hour: varied counts, fractional
    // latency sums, histograms that move with the hour.
    const hours = Math.floor((Date.now() - (today - 95 * dayMs)) / H) + 1;
    await sql`
      INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
      SELECT ${api.orgId}, s.monitor_id, s.region, 'hour', ${new Date(today - 95 * dayMs).toISOString()}::timestamptz + make_interval(hours => h),
             60, 60 - (h * 7 + s.k) % 5 - CASE WHEN (h + s.k) % 11 = 0 THEN 3 ELSE 0 END, (h * 7 + s.k) % 5, CASE WHEN (h + s.k) % 11 = 0 THEN 3 ELSE 0 END,
             60 * 14.125 + (h % 13) * 0.37 + s.k * 1.1, 30 + ((h * 3 + s.k) % 17) * 1.5,
             ARRAY(SELECT CASE WHEN i = 4 THEN 40 - (h % 5) WHEN i = 5 THEN 15 + (h % 5) WHEN i = 6 + (h + s.k) % 3 THEN 5 ELSE 0 END FROM generate_series(1, ${latencyBucketCount}) AS i)
      FROM generate_series(0, ${hours - 1}::int) AS h,
           (VALUES (${ids.m1}, 'eu', 1), (${ids.m1}, 'us', 2), (${ids.m2}, 'eu', 3), (${ids.m3}, 'us', 4)) AS s(monitor_id, region, k)
      WHERE ${new Date(today - 95 * dayMs).toISOString()}::timestamptz + make_interval(hours => h) <= now()`.execute(db);
    // Maintenance excluded from SLA: one crossing midnight for m1, a weekly one for m3.
    await expectOk(api, 'POST', '/v1/maintenance-windows', admin, { name: unique('mw'), team_id: ids.team, starts_at: new Date(today - 9 * dayMs - 3 * H).toISOString(), ends_at: new Date(today - 9 * dayMs + 2 * H).toISOString(), monitor_ids: [ids.m1] });
    await expectOk(api, 'POST', '/v1/maintenance-windows', admin, { name: unique('weekly'), team_id: ids.team, starts_at: new Date(today - 60 * dayMs).toISOString(), ends_at: new Date(today + 30 * dayMs).toISOString(), monitor_ids: [ids.m3], recurrence: { cron: '0 5 * * 1', duration: '1h' } });

    const q = (from: number | string, to: number | string) => `from=${encodeURIComponent(typeof from === 'string' ? from : new Date(from).toISOString())}&to=${encodeURIComponent(typeof to === 'string' ? to : new Date(to).toISOString())}`;
    const offset = (ms: number, hh: number) => new Date(ms + hh * H).toISOString().replace('Z', '').replace(/\.\d+$/, '') + (hh >= 0 ? `+${String(hh).padStart(2, '0')}:00` : `-${String(-hh).padStart(2, '0')}:00`);
    for (const subject of [`services/${ids.service}`, `monitors/${ids.m1}`, `monitors/${ids.m2}`, `monitors/${ids.m3}`, `teams/${ids.team}`]) {
      paths.push(`/v1/sla/${subject}`, `/v1/sla/${subject}?window=90d`);
    }
    paths.push(
      // Offsets: 10:30 at +05:30 is 05:00 UTC, 22:15 at -03:00 is 01:15 UTC the next day.
      `/v1/sla/services/${ids.service}?${q(new Date(today - 25 * dayMs + 5 * H).toISOString().slice(0, 10) + 'T10:30:00+05:30', new Date(today - 4 * dayMs).toISOString().slice(0, 10) + 'T22:15:00-03:00')}`,
      `/v1/sla/monitors/${ids.m1}?${q(offset(today - 17 * dayMs + 7 * H + 1_234, 2), today - 2 * dayMs - 1)}`,
      `/v1/sla/monitors/${ids.m1}?${q(today - 30 * dayMs, today - 10 * dayMs)}`,
      `/v1/sla/services/${ids.service}?${q(today - 3 * dayMs - 7 * H, today - H / 2)}`,
    );
  });

  after(async () => {
    await api?.close();
  });

  test('the same reports from hour rows alone and from day rows with hour rows at the edges', async () => {
    const fromHours = await withJobHeld(async () => {
      await sql`DELETE FROM result_rollup_days`.execute(api.database.db);
      await sql`DELETE FROM result_rollup_days_derived`.execute(api.database.db);
      return reports();
    });
    await derive();
    const days = await sql<{ n: string }>`SELECT count(*) AS n FROM result_rollup_days WHERE monitor_id = ANY(${[ids.m1, ids.m2, ids.m3]}::text[])`.execute(api.database.db);
    assert.equal(Number(days.rows[0]!.n), 95 * 4, 'a day row per slot and closed day');
    const fromDays = await reports();
    assertSame(fromDays, fromHours);
    assert.ok(fromDays[`/v1/sla/services/${ids.service}`].checks.total > 0);
  });

  test('the day rows answer: a changed day row shows in the figures (and a re-derivation puts it right)', async () => {
    const path = `/v1/sla/monitors/${ids.m3}`;
    const before = await report(path);
    const day = new Date(today - 6 * dayMs).toISOString();
    await sql`UPDATE result_rollup_days SET checks = checks + 1000, up = up + 1000 WHERE monitor_id = ${ids.m3} AND day = ${day}::timestamptz`.execute(api.database.db);
    assert.equal((await report(path)).checks.total, before.checks.total + 1000);
    await sql`DELETE FROM result_rollup_days_derived WHERE day = ${day}::timestamptz`.execute(api.database.db);
    await derive();
    const again = comparable(await report(path), before);
    if (again) assert.deepEqual(again[0], again[1]);
  });

  test('a late write to a derived day counts at once (its day is read from hours) and the job derives it again', async () => {
    const before = await reports();
    const bucket = new Date(today - 8 * dayMs + 14 * H).toISOString();
    // What ingest does with a result that arrives days late: add into the hour rollup.
    await sql`UPDATE result_rollups SET checks = checks + 6, down = down + 6 WHERE monitor_id = ${ids.m1} AND region = 'us' AND resolution = 'hour' AND bucket_start = ${bucket}::timestamptz`.execute(api.database.db);
    assert.equal(await repo.dirtyCount(api.database.db), 1, 'the write marked its monitor-day');
    const path = `/v1/sla/monitors/${ids.m1}`;
    const late = await report(path);
    assert.deepEqual(late.checks, { ...before[path].checks, total: before[path].checks.total + 6, down: before[path].checks.down + 6 });
    const fromHours = await withJobHeld(async () => {
      await sql`DELETE FROM result_rollup_days_derived`.execute(api.database.db);
      return reports();
    });
    await derive();
    const fromDays = await reports();
    assertSame(fromDays, fromHours);
    const settled = comparable(fromDays[path], late);
    if (settled) assert.deepEqual(settled[0], settled[1]);
  });

  test('the job derives each closed day once and leaves today to hour rows', async () => {
    const run = await job();
    assert.deepEqual([run.days, run.rederived], [0, 0]);
    const derived = await sql<{ last: Date | string }>`SELECT max(day) AS last FROM result_rollup_days_derived`.execute(api.database.db);
    assert.equal(new Date(derived.rows[0]!.last).getTime(), today - dayMs);
  });
});
