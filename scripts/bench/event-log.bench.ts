import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../../api/src/db/database.ts';
import { EventLogRepository } from '../../api/src/modules/events/event-log.repository.ts';
import { EventConsumerRunner } from '../../api/src/modules/events/event.consumer.ts';
import type { NewEvent } from '../../api/src/modules/events/event.types.ts';
import { createLogger } from '../../api/src/observability/logger.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';

// What the per-organization append lock costs. WRITERS concurrent transactions each write a row
// (the rest of an ingest), append 3 events, and hold HOLD_MS before committing (the statements an
// ingest runs after its transitions); bounded: TXNS transactions per writer and case.
//   one org:   every writer appends for the same organization (the appends serialize)
//   per org:   each writer has its own organization (nothing serializes)
//   no lock:   the same organization, events inserted without the lock: unsound, the baseline
// Then a no-op consumer drains the log: events/s handled with the cursor advanced per batch.
//   node --import tsx scripts/bench/event-log.bench.ts   (starts a throwaway cluster, or uses DATABASE_URL)

const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const TXNS = Number(process.env.BENCH_TXNS ?? 150);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 2);
const log = new EventLogRepository();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const event = (orgId: string, i: number): NewEvent => ({ orgId, kind: 'state.transition', at: new Date(), payload: { subject_type: 'slot', subject_id: `m${i}`, region: 'r', from: 'up', to: 'down', cause: {} } });

async function run(database: Database, label: string, orgOf: (writer: number) => string, append: (trx: Database['db'], events: NewEvent[]) => Promise<void>): Promise<string> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 0; i < TXNS; i++) {
      const t = performance.now();
      await database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO bench_work (writer) VALUES (${w})`.execute(trx);
        await append(trx, [event(orgOf(w), i), event(orgOf(w), i), event(orgOf(w), i)]);
        await sleep(HOLD_MS);
      });
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  return `${label.padEnd(9)} ${(latencies.length / seconds).toFixed(0).padStart(6)} txn/s   p50 ${q(0.5).padStart(6)} ms   p99 ${q(0.99).padStart(6)} ms`;
}

const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
try {
  const url = process.env.DATABASE_URL ?? (await createDatabase(cluster!.url, `pharos_bench_events_${process.pid}`));
  const database = await openDatabase({ url, dataDir: '', poolSize: WRITERS + 2 });
  await migrateToLatest(database.db);
  await sql`CREATE TABLE IF NOT EXISTS bench_work (writer integer)`.execute(database.db);
  const orgs = Array.from({ length: WRITERS }, (_, w) => `org_bench_${w}`);
  await database.db.insertInto('organizations').values(orgs.map((id) => ({ id, name: id, created_at: new Date() }))).onConflict((oc) => oc.doNothing()).execute();
  const naive = async (trx: Database['db'], events: NewEvent[]) => {
    await sql`INSERT INTO events (org_id, kind, at, payload) SELECT x.org_id, x.kind, x.at, x.payload FROM jsonb_to_recordset(${JSON.stringify(events.map((e) => ({ org_id: e.orgId, kind: e.kind, at: e.at, payload: e.payload })))}::jsonb) AS x(org_id text, kind text, at timestamptz, payload jsonb)`.execute(trx);
  };
  const lines = [`writers ${WRITERS}, ${TXNS} transactions each, 3 events per transaction, ${HOLD_MS} ms held before commit`];
  for (let round = 0; round < 2; round++) {
    lines.push(await run(database, 'no lock', () => orgs[0]!, naive));
    lines.push(await run(database, 'one org', () => orgs[0]!, (trx, e) => log.append(trx, e)));
    lines.push(await run(database, 'per org', (w) => orgs[w]!, (trx, e) => log.append(trx, e)));
  }
  const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(database.db)).rows[0]!.n);
  const silent = createLogger('silent');
  const consumer = new EventConsumerRunner(database.db, log, { name: 'bench', handle: async () => undefined }, silent, { pollMs: 1_000, batchSize: 500 });
  const t = performance.now();
  const handled = await consumer.drain();
  const seconds = (performance.now() - t) / 1000;
  lines.push(`consumer  ${handled} of ${total} events in ${seconds.toFixed(2)} s: ${(handled / seconds).toFixed(0)} events/s (batches of 500, cursor per batch)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  await database.close();
} finally {
  await cluster?.stop();
}
