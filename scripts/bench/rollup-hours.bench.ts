import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { latencyBucketCount } from '../../api/src/contract/latency-buckets.ts';
import { migrateToLatest, openDatabase } from '../../api/src/db/database.ts';
import { RollupHoursRepository } from '../../api/src/modules/results/rollup-hours.repository.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { percentile } from './load.ts';

// How long result pushes wait while the rollup job builds an hour from its minute rows, at fleet size.
// A throwaway PostgreSQL holds one hour of minute rows of SLOTS slots (monitor × region: 20,000 are
// 10,000 monitors in two regions, the reference fleet at 100×; BENCH_HOURS_SLOTS=200000 is 100,000
// monitors); a writer, as ingest does, upserts a minute row of the current hour every 20 ms in its
// own transaction, and each write's wait is timed while the job builds the hour.
//   under the lock: the hour summed holding result_rollups in EXCLUSIVE mode (the embedded
//                   database's path, and PostgreSQL's before: the baseline)
//   snapshot:       the lock held only to wait out the writes in flight and take a snapshot; the
//                   hour summed in it with the lock released (PostgreSQL's path)
// Target: no write waits longer than 1 s at 100,000 monitors. ROUNDS rounds, interleaved.
//   npm run bench rollup-hours

const SLOTS = Number(process.env.BENCH_HOURS_SLOTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_HOURS_ROUNDS ?? 2);
const WRITE_EVERY_MS = 20;
const TARGET_MS = 1_000;
const H = 3_600_000;
const out = (line: string) => process.stdout.write(`${line}\n`);

const cluster = await startPostgresCluster();
try {
  const url = await createDatabase(cluster.url, 'bench_rollup_hours');
  // The baseline's one statement outlasts the default statement timeout at 100,000 monitors (41 s): it gets 10 minutes.
  const database = await openDatabase({ url, dataDir: '', queryTimeoutMs: 600_000 });
  const db = database.db;
  // The snapshot path runs with the control plane's defaults (PHAROS_DB_QUERY_TIMEOUT_MS 30 s).
  const production = await openDatabase({ url, dataDir: '' });
  await migrateToLatest(db);
  const hour = new Date(Math.floor(Date.now() / H) * H - 2 * H).toISOString();
  const histogram = `{${Array.from({ length: latencyBucketCount }, (_, i) => (i === 5 ? 6 : 0)).join(',')}}`;
  const t0 = performance.now();
  // In time order, as ingest writes them: a minute's rows share pages (what the BRIN index on bucket_start reads).
  await sql`
    INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
    SELECT 'org_bench', 'mon_' || lpad((s / 2)::text, 7, '0'), 'region-' || (s % 2), 'minute', ${hour}::timestamptz + m * interval '1 minute', 6, 6, 0, 0, 600, 120, ${histogram}::integer[]
    FROM generate_series(0, 59) AS m CROSS JOIN generate_series(0, ${SLOTS - 1}) AS s ORDER BY m, s`.execute(db);
  await sql`VACUUM ANALYZE result_rollups`.execute(db);
  out(`rollup hours: ${SLOTS.toLocaleString('en')} slots × 60 minute rows seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${ROUNDS} rounds, a write every ${WRITE_EVERY_MS} ms`);

  /** Builds the hour with `repo` while a writer upserts minute rows of the current hour; the writes' waits. */
  const measure = async (repo: RollupHoursRepository, builder: typeof db) => {
    await sql`DELETE FROM result_rollups WHERE resolution = 'hour' AND bucket_start = ${hour}::timestamptz`.execute(db);
    await sql`UPDATE result_rollup_hours_built SET built_through = ${hour}::timestamptz, writers_through = ${hour}::timestamptz`.execute(db);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    const waits: number[] = [];
    let building = true;
    const writes = (async () => {
      for (let i = 0; building; i++) {
        const t = performance.now();
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
          VALUES ('org_bench', $1, 'region-0', 'minute', date_bin('1 minute', now(), timestamptz '1970-01-01 00:00:00+00'), 1, 1, 0, 0, 100, 100, $2)
          ON CONFLICT (monitor_id, region, resolution, bucket_start) DO UPDATE SET checks = result_rollups.checks + 1`, [`mon_${String(i % SLOTS).padStart(7, '0')}`, histogram]);
        await writer.query('COMMIT');
        waits.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, WRITE_EVERY_MS));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const t = performance.now();
    const built = await repo.buildNext(builder, 0);
    const buildMs = performance.now() - t;
    building = false;
    await writes;
    await writer.end();
    if (built?.rows !== SLOTS) throw new Error(`the job built ${built?.rows ?? 0} hour rows, not ${SLOTS}`);
    const sorted = [...waits].sort((a, b) => a - b);
    return { buildMs, longest: sorted.at(-1)!, p99: percentile(sorted, 99), writes: waits.length };
  };

  const paths = [
    { name: 'under the lock', repo: new RollupHoursRepository({ concurrent: false }), db },
    { name: 'snapshot', repo: new RollupHoursRepository({ concurrent: true }), db: production.db },
  ];
  const longest = new Map<string, number[]>(paths.map((p) => [p.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const path of paths) {
      const m = await measure(path.repo, path.db);
      longest.get(path.name)!.push(m.longest);
      out(`  round ${round}, ${path.name.padEnd(14)} build ${(m.buildMs / 1000).toFixed(2)} s; writes during it ${m.writes}, longest wait ${m.longest.toFixed(0)} ms, p99 ${m.p99.toFixed(0)} ms`);
    }
  }
  const worst = (name: string) => Math.max(...longest.get(name)!);
  const [baseline, snapshot] = [worst('under the lock'), worst('snapshot')];
  out(`longest write wait while an hour is built: snapshot ${snapshot.toFixed(0)} ms against ${baseline.toFixed(0)} ms under the lock (ratio ${(snapshot / baseline).toFixed(3)}); target ≤ ${TARGET_MS} ms`);
  out(snapshot <= TARGET_MS ? 'MET' : 'NOT MET');
  if (snapshot > TARGET_MS) process.exitCode = 1;
  await database.close();
  await production.close();
} finally {
  await cluster.stop();
}
