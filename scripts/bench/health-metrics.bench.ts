import { performance } from 'node:perf_hooks';
import { monotonicFactory } from 'ulid';
import { migrateToLatest, openDatabase, type Database } from '../../api/src/db/database.ts';
import type { CheckResult } from '../../api/src/contract/result.schema.ts';
import { MetricRollupRepository } from '../../api/src/modules/metrics/metric-rollup.repository.ts';
import { PartitionManager } from '../../api/src/modules/results/partition.manager.ts';
import { ResultRepository } from '../../api/src/modules/results/result.repository.ts';
import { lazyJson } from '../../runner/src/assertions/json-body.ts';
import { extractMetrics } from '../../runner/src/metrics-extract/metric.extractor.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';

// What health-endpoint metrics cost at ingest: batches of results stored the way ingest stores
// them (insert + latency and metric rollups in one transaction), without metrics and with 4
// metrics per result, interleaved so both see the same database state. Bounded: BATCHES batches
// of 250 results per kind and backend; BENCH_METRICS sets the metrics per result (default 4).
// "extract" times the runner's side: parsing a /health body and reading 4 metrics from it.
//   node --import tsx scripts/bench/health-metrics.bench.ts [extract] [pglite] [postgres]
// postgres starts a throwaway cluster from the machine's binaries (or uses DATABASE_URL).

const BATCHES = Number(process.env.BENCH_BATCHES ?? 40);
const BATCH = 250;
const MONITORS = 500;
/** Metrics per result in the metered batches. */
const METRICS = Number(process.env.BENCH_METRICS ?? 4);
const ulid = monotonicFactory();

async function measure(database: Database): Promise<string> {
  await migrateToLatest(database.db);
  const results = new ResultRepository(new MetricRollupRepository());
  await new PartitionManager(database.db, 14).ensure(Date.now() - 86_400_000, Date.now());
  let k = 0;
  const batch = (withMetrics: boolean): CheckResult[] =>
    Array.from({ length: BATCH }, () => {
      k += 1;
      return {
        id: `res_${ulid()}`, monitor_id: `mon_${String(k % MONITORS).padStart(26, '0')}`, region: 'bench', started_at: new Date(Date.now() - (k % 600) * 1000).toISOString(),
        status: 'up', duration_ms: 12, status_code: 200, timings: { total_ms: 12 },
        ...(withMetrics ? { metrics: Object.fromEntries(Array.from({ length: METRICS }, (_, j) => [`metric_${j}`, (k * (j + 1)) % 100])) } : {}),
      };
    });
  const store = async (rs: CheckResult[]) => {
    const inputs = rs.map((result) => ({ orgId: 'org_bench', runnerId: null, result }));
    const t = performance.now();
    await database.db.transaction().execute(async (trx) => {
      await results.insert(trx, inputs);
      await results.addRollups(trx, inputs);
    });
    return performance.now() - t;
  };
  for (let i = 0; i < 4; i++) await store(batch(i % 2 === 0)); // warm-up
  const plain: number[] = [];
  const metered: number[] = [];
  for (let i = 0; i < BATCHES; i++) {
    plain.push(await store(batch(false)));
    metered.push(await store(batch(true)));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const a = median(plain);
  const b = median(metered);
  return `${database.kind}: batches of ${BATCH} results, median per batch: without metrics ${a.toFixed(1)} ms (${Math.round((BATCH / a) * 1000)} results/s), ` +
    `with ${METRICS} metrics each ${b.toFixed(1)} ms (${Math.round((BATCH / b) * 1000)} results/s); +${(b - a).toFixed(1)} ms per batch (+${(((b - a) / a) * 100).toFixed(0)} %)\n`;
}

function measureExtraction(): string {
  const body = JSON.stringify({ status: 'healthy', pool: { utilization_pct: 42, wait_count: 0, active: 4, idle: 6 }, version: '1.2.3' });
  const metrics = ['utilization_pct', 'wait_count', 'active', 'idle'].map((name) => ({ name, path: `$.pool.${name}` }));
  const N = 50_000;
  for (let i = 0; i < 5_000; i++) extractMetrics(metrics, lazyJson({ body }));
  const t = performance.now();
  for (let i = 0; i < N; i++) extractMetrics(metrics, lazyJson({ body }));
  const perCheck = ((performance.now() - t) / N) * 1000;
  return `runner: parsing a ${body.length}-byte /health body and reading 4 metrics: ${perCheck.toFixed(1)} µs per check\n`;
}

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['extract', 'pglite', 'postgres'];
for (const backend of backends) {
  if (backend === 'extract') {
    process.stdout.write(measureExtraction());
    continue;
  }
  if (backend === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      process.stdout.write(await measure(database));
    } finally {
      await database.close();
    }
    continue;
  }
  const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
  try {
    const url = process.env.DATABASE_URL ?? (await createDatabase(cluster!.url, `pharos_bench_${process.pid}`));
    const database = await openDatabase({ url, dataDir: '' });
    try {
      process.stdout.write(await measure(database));
    } finally {
      await database.close();
    }
  } finally {
    await cluster?.stop();
  }
}
