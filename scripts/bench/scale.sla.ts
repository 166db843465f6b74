import pg from 'pg';
import { latencyBucketCount } from '../../api/src/contract/latency-buckets.ts';
import { rollupDaysLockName } from '../../api/src/modules/sla/rollup-days.repository.ts';
import { percentile } from './load.ts';
import type { ScaleContext, ScaleFigure, ScaleMeasurement } from './scale.context.ts';
import { scaleHttp } from './scale.http.ts';

// SLA over 30 days from rollups, at fleet scale. A 30-day window is answered from the hour rollups
// (sla.window.ts: windows over 48 h read resolution 'hour'), so the seed writes 30 days of hour
// rollups for every slot (monitor × region) of SERVICES measured services and of as many other
// monitors as the row budget allows, hour by hour with the slots shuffled within each hour, which
// is how ingest lays them out on disk (one monitor's 720 hours in 720 different pages). The seeded
// monitors and services are back-dated 31 days, and each measured monitor gets an outage in one
// region (transitions and down counts), so the report has real figures to compute. Then
// GET /v1/sla/services/{id}?window=30d for each measured service: a first pass (rows not read since
// they were written) and a second (cached), p50/p95 of each, from hour rows alone (the baseline);
// then the closed days are derived into day rollups by the control plane's result-rollup-days job,
// as each day is once it has closed (the seed writes history, so it bypasses the late-write trigger
// that marks days written after they closed), and the same two passes read day rows with hour rows
// at the window's edges. The target is p95 < 200 ms from day rollups.

const SERVICES = 20;
const HOURS = 30 * 24;
/** Hour-rollup rows seeded at most (the measured services' are always seeded in full). */
const ROW_BUDGET = Number(process.env.BENCH_SCALE_SLA_ROWS ?? 6_000_000);
const HOURS_PER_STATEMENT = 24;
const TARGET_MS = 200;
/** Longest wait for the job to derive the seeded days. */
const DERIVE_WAIT_MS = 10 * 60_000;

/** A fixed latency histogram of 60 checks: most in (10, 20] ms, a few in the buckets around it. */
const histogram = (() => {
  const h = new Array<number>(latencyBucketCount).fill(0);
  h[2] = 2;
  h[3] = 14;
  h[4] = 38;
  h[5] = 5;
  h[6] = 1;
  return h;
})();

/** Deterministic shuffle (the same fleet seeds the same layout). */
function shuffled<T>(items: T[]): T[] {
  const a = [...items];
  let seed = 0x9e3779b9;
  for (let i = a.length - 1; i > 0; i--) {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const regionsOf = (ctx: ScaleContext) => ctx.regions.map((r) => r.name);

/** Seeds hour rollups, back-dated creation and outages; returns how many rollup rows were written. */
async function seed(db: pg.Client, ctx: ScaleContext, measured: ScaleContext['services']): Promise<{ rows: number; monitors: number; seconds: number; start: number }> {
  const t = performance.now();
  const regions = regionsOf(ctx);
  const measuredIds = measured.flatMap((s) => s.monitorIds);
  const measuredSet = new Set(measuredIds);
  const othersWanted = Math.max(0, Math.floor(ROW_BUDGET / (HOURS * regions.length)) - measuredIds.length);
  const others = ctx.services.flatMap((s) => s.monitorIds).filter((id) => !measuredSet.has(id)).slice(0, othersWanted);
  const monitors = shuffled([...measuredIds, ...others]);
  const seededSet = new Set(monitors);
  const serviceIds = ctx.services.filter((s) => s.monitorIds.some((id) => seededSet.has(id))).map((s) => s.id);

  // The window ends at the current hour; that hour's rows (written by live pushes) are left alone.
  const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const start = end - HOURS * 3_600_000;
  await db.query(`UPDATE monitors SET created_at = to_timestamp($2 / 1000.0) - interval '1 day' WHERE id = ANY($1::text[])`, [monitors, start]);
  await db.query(`UPDATE services SET created_at = to_timestamp($2 / 1000.0) - interval '1 day' WHERE id = ANY($1::text[])`, [serviceIds, start]);
  // One outage hour per measured monitor, in the first region: 12 of its 60 checks down.
  const outageHour = new Map(measuredIds.map((id, i) => [id, (i * 37) % HOURS] as const));
  // The job waits (its lock) until the baseline has been measured from hour rows alone.
  await db.query('SELECT pg_advisory_lock(hashtext($1))', [rollupDaysLockName]);
  // History written on time: no late-write marks (session_replication_role skips triggers; superuser URL).
  await db.query(`SET session_replication_role = replica`);
  for (let h0 = 0; h0 < HOURS; h0 += HOURS_PER_STATEMENT) {
    await db.query(
      `INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
       SELECT $1, m.id, r.region, 'hour', to_timestamp($3 / 1000.0) + make_interval(hours => h),
              60, 60 - CASE WHEN m.outage = h AND r.k = 1 THEN 12 ELSE 0 END, 0, CASE WHEN m.outage = h AND r.k = 1 THEN 12 ELSE 0 END,
              60 * 15.5 + (h % 7), 40 + (h % 11), $8::integer[]
       FROM generate_series($4::int, $5::int) AS h,
            LATERAL unnest($2::text[], $6::int[]) WITH ORDINALITY AS m(id, outage, ord),
            LATERAL unnest($7::text[]) WITH ORDINALITY AS r(region, k)
       ON CONFLICT DO NOTHING`,
      [ctx.orgId, monitors, start, h0, Math.min(HOURS, h0 + HOURS_PER_STATEMENT) - 1, monitors.map((id) => outageHour.get(id) ?? -1), regions, histogram],
    );
  }
  await db.query(`SET session_replication_role = DEFAULT`);
  // The job derived these days (empty) when the control plane started; as history they are derived again.
  await db.query(`DELETE FROM result_rollup_days_derived WHERE day >= date_bin('1 day', to_timestamp($1 / 1000.0), timestamptz '1970-01-01 00:00:00+00')`, [start]);

  // Transitions of the measured monitors: up since creation, down for 12 minutes in the outage hour
  // in the first region (and so the monitor and its service), up again.
  const rows: unknown[][] = [];
  const add = (type: string, id: string, region: string | null, from: string, to: string, at: number) =>
    rows.push([`stt_seed_${rows.length}_${id}`, ctx.orgId, type, id, region, from, to, new Date(at).toISOString()]);
  for (const s of measured) {
    add('service', s.id, null, 'unknown', 'up', start - 3_000_000);
    for (const id of s.monitorIds) {
      const down = start + outageHour.get(id)! * 3_600_000 + 600_000;
      add('monitor', id, null, 'unknown', 'up', start - 3_000_000);
      for (const region of regions) add('slot', id, region, 'unknown', 'up', start - 3_000_000);
      add('slot', id, regions[0]!, 'up', 'down', down);
      add('monitor', id, null, 'up', 'down', down);
      add('service', s.id, null, 'up', 'down', down);
      add('slot', id, regions[0]!, 'down', 'up', down + 720_000);
      add('monitor', id, null, 'down', 'up', down + 720_000);
      add('service', s.id, null, 'down', 'up', down + 720_000);
    }
  }
  const column = (i: number) => rows.map((r) => r[i]);
  await db.query(
    `INSERT INTO state_transitions (id, org_id, subject_type, subject_id, region, from_state, to_state, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])`,
    [0, 1, 2, 3, 4, 5, 6, 7].map(column),
  );
  await db.query('ANALYZE result_rollups');
  await db.query('ANALYZE state_transitions');
  return { rows: monitors.length * regions.length * HOURS, monitors: monitors.length, seconds: (performance.now() - t) / 1000, start };
}

export const slaFromRollups: ScaleMeasurement = async (ctx) => {
  const step = Math.max(1, Math.floor(ctx.services.length / SERVICES));
  const measured = ctx.services.filter((s, i) => i % step === 0 && s.monitorIds.length > 0).slice(0, SERVICES);
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const http = scaleHttp(ctx.api.url, 4);
  try {
    const seeded = await seed(db, ctx, measured);
    const size = await db.query(`SELECT count(*) AS n, pg_total_relation_size('result_rollups') AS total, pg_relation_size('result_rollups') AS heap FROM result_rollups`);
    const n = Number(size.rows[0].n);
    const bytesPerRow = Number(size.rows[0].total) / n;
    const fullRows = ctx.size * ctx.regions.length * HOURS;
    ctx.out(
      `SLA: seeded ${seeded.rows.toLocaleString('en-US')} hour rollups (30 days × ${ctx.regions.length} regions × ${seeded.monitors.toLocaleString('en-US')} monitors, ${measured.length} services in full) in ${seeded.seconds.toFixed(0)} s; ` +
        `result_rollups now ${n.toLocaleString('en-US')} rows, ${(Number(size.rows[0].total) / 2 ** 30).toFixed(2)} GiB with indexes (${bytesPerRow.toFixed(0)} B/row); ` +
        `30 days of hour rollups for the whole fleet would be ${fullRows.toLocaleString('en-US')} rows ≈ ${((fullRows * bytesPerRow) / 2 ** 30).toFixed(1)} GiB`,
    );
    const call = async (s: ScaleContext['services'][number]) => {
      const answer = await http.call(ctx.api.adminToken, 'GET', `/v1/sla/services/${s.id}?window=30d`);
      return { ms: answer.ms, body: answer.body as unknown };
    };
    /** A first pass and a second over the measured services: sorted latencies and the first answer. */
    const passes = async () => {
      const cold: number[] = [];
      const warm: number[] = [];
      let sample: unknown;
      for (const s of measured) {
        const first = await call(s);
        cold.push(first.ms);
        sample ??= first.body;
      }
      for (const s of measured) warm.push((await call(s)).ms);
      return { cold: cold.sort((a, b) => a - b), warm: warm.sort((a, b) => a - b), sample };
    };
    const monitorsPer = measured[0]!.monitorIds.length;
    const rowsEach = (monitorsPer * ctx.regions.length * HOURS).toLocaleString('en-US');
    const line = (what: string, p: { cold: number[]; warm: number[] }) =>
      `SLA 30d of a service from ${what}: first call p50 ${percentile(p.cold, 50).toFixed(0)} ms, p95 ${percentile(p.cold, 95).toFixed(0)} ms; second p50 ${percentile(p.warm, 50).toFixed(0)} ms, p95 ${percentile(p.warm, 95).toFixed(0)} ms`;
    const hours = await passes();
    ctx.out(`${line(`hour rollups alone (baseline; ${monitorsPer} monitors × ${ctx.regions.length} regions × 720 hours = ${rowsEach} rows each)`, hours)}`);
    // Let the job derive the seeded days, and wait for it (bounded).
    await db.query('SELECT pg_advisory_unlock(hashtext($1))', [rollupDaysLockName]);
    const deriving = performance.now();
    const closedDays = `day >= date_bin('1 day', to_timestamp($1 / 1000.0), timestamptz '1970-01-01 00:00:00+00') AND day < date_bin('1 day', now() - interval '10 minutes', timestamptz '1970-01-01 00:00:00+00')`;
    const wanted = Number((await db.query(`SELECT count(*) AS n FROM generate_series(date_bin('1 day', to_timestamp($1 / 1000.0), timestamptz '1970-01-01 00:00:00+00'), now(), interval '1 day') AS g(day) WHERE ${closedDays}`, [seeded.start])).rows[0].n);
    let derived = 0;
    while (performance.now() - deriving < DERIVE_WAIT_MS) {
      derived = Number((await db.query(`SELECT count(*) AS n FROM result_rollup_days_derived WHERE ${closedDays}`, [seeded.start])).rows[0].n);
      if (derived >= wanted) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const deriveSeconds = (performance.now() - deriving) / 1000;
    const dayRows = Number((await db.query(`SELECT count(*) AS n FROM result_rollup_days`)).rows[0].n);
    ctx.out(`SLA: the result-rollup-days job derived ${derived} of ${wanted} closed days (${dayRows.toLocaleString('en-US')} day rows) within ${deriveSeconds.toFixed(0)} s of the seed (it runs every 60 s)`);
    const days = await passes();
    ctx.out(`${line('day rollups with hour rows at the edges', days)}; ratio to the baseline (p95 first call) ${(percentile(days.cold, 95) / percentile(hours.cold, 95)).toFixed(2)}`);
    ctx.out(`SLA answer (first service): ${JSON.stringify(days.sample).slice(0, 300)}…`);
    const same = JSON.stringify((days.sample as { checks?: unknown }).checks) === JSON.stringify((hours.sample as { checks?: unknown }).checks);
    if (!same) ctx.out(`SLA: checks differ between hour rows (${JSON.stringify((hours.sample as { checks?: unknown }).checks)}) and day rows (${JSON.stringify((days.sample as { checks?: unknown }).checks)})`);
    const note = `${measured.length} services, ${seeded.rows.toLocaleString('en-US')} hour rollups seeded (${((seeded.rows / fullRows) * 100).toFixed(0)} % of the fleet's 30 days)`;
    const figures: ScaleFigure[] = [
      { name: 'SLA 30d of a service: p95 first call', size: ctx.size, value: percentile(days.cold, 95), unit: 'ms', max: TARGET_MS, note: `p50 ${percentile(days.cold, 50).toFixed(0)} ms; from day rollups; ${note}` },
      { name: 'SLA 30d of a service: p95 second call', size: ctx.size, value: percentile(days.warm, 95), unit: 'ms', max: TARGET_MS, note: `p50 ${percentile(days.warm, 50).toFixed(0)} ms` },
      { name: 'SLA 30d from hour rollups alone: p95 first call', size: ctx.size, value: percentile(hours.cold, 95), unit: 'ms', note: `baseline; p50 ${percentile(hours.cold, 50).toFixed(0)} ms, second call p95 ${percentile(hours.warm, 95).toFixed(0)} ms` },
      { name: 'result_rollups bytes per row (with indexes)', size: ctx.size, value: bytesPerRow, unit: 'B', note: `${n.toLocaleString('en-US')} rows` },
    ];
    return figures;
  } finally {
    await http.close().catch(() => undefined);
    await db.end();
  }
};
