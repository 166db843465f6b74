import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import type { CheckResult } from '../../api/src/contract/index.ts';
import { createResultIdFactory } from '../../runner/src/results/result-id.factory.ts';
import { testSecretKeys } from '../../api/test/support/harness.ts';
import { createDatabase, startPostgresCluster, withClient } from '../postgres-cluster.ts';
import { callJson, freePort, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc } from '../test/support/processes.ts';
import { percentile } from './load.ts';
import { keepServerLog, logStatements } from './pg-log.ts';
import { cpuMs, ms, onInterrupt, out, postgresPids, processCpuMs, root, sleep, track, type Figure, type Target } from './runner.support.ts';

// Figures 4 and 5 need the real control plane: api/src/main.ts on a throwaway PostgreSQL
// (startPostgresCluster), default runner settings (10 s lease, max_batch from registration).
//
// 4. Detection: a real runner process checks TRIALS monitors (interval 30 s, timeout 10 s,
//    failure_threshold 2 — the defaults, spelled out) whose target paths answer 200; each path is
//    switched to 500 at its own random moment within one interval, and GET /v1/monitors/{id}/state
//    is polled every 100 ms until it says down. The trials run side by side (one monitor each), so
//    five trials cost one interval, not five. Reference: the interval itself, the best a
//    scheduled-only design (no confirmation check) could do for threshold 1; the control plane has
//    no switch to turn confirmation checks off.
// 5. Ingest: RUNNERS runners registered over HTTP own INGEST_MONITORS monitors created through the
//    API (each runner polled, and keeps polling so its lease holds); one pusher per runner sends
//    batches of max_batch results (copies of a real result of figure 1) back to back to
//    POST /v1/runner/results, bounded by count and time; the rate is the rows counted in
//    check_results at the end over the pushing time. Baseline: plain multi-row INSERTs of the same
//    number of rows, same batch size, same concurrency, with pg into a table shaped like
//    check_results (same columns, daily partitions, primary key and slot index). Target: a ratio of
//    at least 0.5 to that baseline. BENCH_PG_STATEMENTS=1: where PostgreSQL's time goes while
//    pushing, per statement (pg_stat_statements: calls, execution time per 1,000 results).

const TRIALS = Number(process.env.BENCH_DETECT_TRIALS ?? 5);
const INTERVAL_S = 30;
const TIMEOUT_S = 10;
const RUNNERS = Number(process.env.BENCH_INGEST_RUNNERS ?? 4);
const INGEST_MONITORS = Number(process.env.BENCH_INGEST_MONITORS ?? 1000);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 12);
const INGEST_MAX_RESULTS = 200_000;

export async function benchControlPlane(target: Target, sample: CheckResult, which = { detect: true, ingest: true }): Promise<Figure[]> {
  out(`\n## 4 and 5 need the control plane: starting PostgreSQL and api/src/main.ts`);
  const t0 = Date.now();
  const statements = process.env.BENCH_PG_STATEMENTS === '1';
  const cluster = await startPostgresCluster(statements ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' } : {});
  const forget = onInterrupt(() => cluster.stop());
  let api: ApiProc | undefined;
  let runner: Proc | undefined;
  try {
    const dbUrl = await createDatabase(cluster.url, 'pharos_bench');
    if (statements) await withClient(dbUrl, (c) => c.query('CREATE EXTENSION pg_stat_statements'));
    // BENCH_PG_LOG=<file>: every statement's duration is logged, with the plan (EXPLAIN ANALYZE) of
    // those over 20 ms, and the server log copied there at the end.
    if (process.env.BENCH_PG_LOG) await logStatements(cluster.url, 'pharos_bench', 0, 20);
    // BENCH_API_PROFILE=<dir>: the control plane writes a CPU profile there when it stops.
    api = process.env.BENCH_API_PROFILE ? await profiledApi(dbUrl, process.env.BENCH_API_PROFILE) : await startApiProcess(dbUrl);
    track(api.child);
    const call = (method: string, path: string, body?: unknown) => callJson(api!.url, api!.token, method, path, body);
    const team = (await call('POST', '/v1/teams', { name: 'bench-runner' })).id as string;
    const service = (await call('POST', '/v1/services', { name: 'bench-target', team_id: team })).id as string;
    out(`control plane up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Figure 4's runner starts now, so its monitors get their first (healthy) check during figure 5.
    const detectToken = (await call('POST', '/v1/runner-tokens', { name: 'bench-detect', region: 'detect' })).token as string;
    const detectIds: string[] = [];
    for (let i = 0; i < (which.detect ? TRIALS : 0); i++) {
      const monitor = await call('POST', '/v1/monitors', {
        name: `detect-${i}`, service_id: service, type: 'http', interval_seconds: INTERVAL_S, timeout_seconds: TIMEOUT_S, failure_threshold: 2, regions: ['detect'],
        http: { method: 'GET', url: `${target.origin}/d/${i}` },
        assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      });
      detectIds.push(monitor.id as string);
    }
    if (which.detect) runner = startRunnerProcess(api.url, detectToken, { PHAROS_REGION: 'detect' });
    if (runner) track(runner.child);

    const figures: Figure[] = [];
    if (which.ingest) figures.push(await benchIngest(api, call, dbUrl, cluster.port, service, sample, statements));
    if (which.detect) figures.unshift(await benchDetection(call, target, detectIds));
    return figures;
  } finally {
    await runner?.stop();
    await api?.stop();
    if (process.env.BENCH_PG_LOG) keepServerLog(cluster.port, process.env.BENCH_PG_LOG);
    await cluster.stop();
    forget();
  }
}

/** api/src/main.ts under --cpu-prof (which NODE_OPTIONS does not allow), otherwise like startApiProcess. */
async function profiledApi(dbUrl: string, dir: string): Promise<ApiProc> {
  const port = await freePort();
  const token = `phs_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', join(root, 'api/src/main.ts')], {
    cwd: root, env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', PHAROS_ADMIN_TOKEN: token, PHAROS_SECRET_KEYS: testSecretKeys, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the profiled control plane', 60_000, () => fetch(`${url}/healthz`).then((r) => r.ok, () => false), 100);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, url, token, output: () => '', stop, kill: async () => void (await stop()) };
}

type Call = (method: string, path: string, body?: unknown) => Promise<any>;

async function benchDetection(call: Call, target: Target, ids: string[]): Promise<Figure> {
  const limit = INTERVAL_S + TIMEOUT_S + 2;
  out(`\n## 4. Detection time: target switches to HTTP 500 → monitor state down (interval ${INTERVAL_S} s, timeout ${TIMEOUT_S} s, failure_threshold 2; ${ids.length} trials side by side, each at a random moment)`);
  const state = async (id: string) => (await call('GET', `/v1/monitors/${id}/state`)).state as string;
  await waitFor('every detection monitor up', (INTERVAL_S + 30) * 1000, async () => (await Promise.all(ids.map(state))).every((s) => s === 'up'), 500);
  const trials = await Promise.all(
    ids.map(async (id, i) => {
      const offset = Math.random() * INTERVAL_S * 1000;
      await sleep(offset);
      const switchedAt = await target.fail(`/d/${i}`);
      let seconds = NaN;
      const giveUp = switchedAt + (limit + 20) * 1000;
      while (Date.now() < giveUp) {
        if ((await state(id)) === 'down') {
          seconds = (Date.now() - switchedAt) / 1000;
          break;
        }
        await sleep(100);
      }
      // Where the time went: the first failing check and the confirmation that made it down.
      const items = ((await call('GET', `/v1/monitors/${id}/results?limit=10`)).items ?? []) as Array<{ started_at: string; status: string; confirmation?: boolean }>;
      const failing = items.filter((r) => r.status === 'down' && Date.parse(r.started_at) >= switchedAt - 1000).sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
      const at = (r?: { started_at: string }) => (r ? `${((Date.parse(r.started_at) - switchedAt) / 1000).toFixed(1)} s` : '-');
      const confirmation = failing.find((r) => r.confirmation);
      out(`trial ${i + 1}: switched ${(offset / 1000).toFixed(1)} s into the window → down after ${seconds.toFixed(2)} s (first failing check at +${at(failing[0])}, confirmation check at +${at(confirmation)})`);
      return seconds;
    }),
  );
  const max = Math.max(...trials);
  const met = trials.every((s) => Number.isFinite(s) && s <= limit);
  out(`max ${max.toFixed(2)} s, mean ${(trials.reduce((a, b) => a + b, 0) / trials.length).toFixed(2)} s; reference: the interval, ${INTERVAL_S} s (worst case of a scheduled-only design, threshold 1)`);
  out(`target: every trial ≤ interval + timeout + 2 s = ${limit} s → max ${max.toFixed(2)} s ${met ? 'MET' : 'NOT MET'}`);
  return {
    name: '4. detection time (max)',
    target: `≤ ${limit} s`,
    measured: `max ${max.toFixed(1)} s of ${trials.map((s) => s.toFixed(1)).join(', ')}`,
    baseline: `interval ${INTERVAL_S} s`,
    met,
  };
}

interface IngestRunner {
  id: string;
  token: string;
  monitors: string[];
  maxBatch: number;
  revision: number;
}

async function benchIngest(api: ApiProc, call: Call, dbUrl: string, pgPort: number, service: string, sample: CheckResult, statements: boolean): Promise<Figure> {
  out(`\n## 5. Ingest into PostgreSQL: ${RUNNERS} runners over HTTP owning ${INGEST_MONITORS} monitors, one pusher per runner, ≤ ${INGEST_SECONDS} s`);
  const seedStart = Date.now();
  const monitorIds: string[] = [];
  for (let i = 0; i < INGEST_MONITORS; i += 20) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(20, INGEST_MONITORS - i) }, (_, k) =>
        call('POST', '/v1/monitors', {
          name: `ingest-${i + k}`, service_id: service, type: 'http', interval_seconds: INTERVAL_S, regions: ['ingest'],
          http: { method: 'GET', url: `http://127.0.0.1:9/ingest/${i + k}` },
          assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
        }),
      ),
    );
    monitorIds.push(...chunk.map((m) => m.id as string));
  }
  out(`created ${monitorIds.length} monitors through the API in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  const pool = new Pool(api.url, { connections: RUNNERS * 2 });
  const request = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await pool.request({ method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const runners: IngestRunner[] = [];
  // Leases need polls: each runner long-polls from the moment it registers (as a real one does)
  // until pushing ends, passing its revision back so polls wait instead of spinning. A runner that
  // registered and then waited for the others' registrations (each a replan of every monitor) could
  // outlive its lease before its first poll and have its share moved away.
  let polling = true;
  let changesWhilePushing = 0;
  let pushing = false;
  const pollOnce = async (r: IngestRunner, wait: number) => {
    const answer = await request(r.token, 'GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`);
    const ids = (answer.monitors as Array<{ id: string }>).map((m) => m.id);
    if (answer.full) r.monitors = ids;
    else if (ids.length || answer.removed.length) {
      const dropped = new Set([...(answer.removed as string[]), ...ids]);
      r.monitors = [...r.monitors.filter((id) => !dropped.has(id)), ...ids];
    }
    if (pushing && answer.revision !== r.revision && r.revision !== 0) changesWhilePushing++;
    r.revision = answer.revision;
  };
  const pollers: Promise<void>[] = [];
  for (let r = 0; r < RUNNERS; r++) {
    const token = (await call('POST', '/v1/runner-tokens', { name: `bench-ingest-${r}`, region: 'ingest' })).token as string;
    const reg = await request(token, 'POST', '/v1/runner/register', { protocol_version: 1, version: 'bench', capabilities: ['http'] });
    const runner: IngestRunner = { id: reg.runner_id, token, monitors: [], maxBatch: reg.max_batch, revision: 0 };
    runners.push(runner);
    pollers.push((async () => {
      while (polling) await pollOnce(runner, 2).catch(() => sleep(200));
    })());
  }
  // Push only once every monitor is owned exactly once and the split has held for two seconds.
  const settleStart = Date.now();
  let settledSince = 0;
  let lastSplit = '';
  while (Date.now() - settleStart < 60_000) {
    const split = runners.map((r) => `${r.monitors.length}@${r.revision}`).join(' ');
    const distinct = new Set(runners.flatMap((r) => r.monitors)).size;
    const total = runners.reduce((n, r) => n + r.monitors.length, 0);
    if (split !== lastSplit || distinct !== INGEST_MONITORS || total !== INGEST_MONITORS) settledSince = Date.now();
    lastSplit = split;
    if (Date.now() - settledSince >= 2000) break;
    await sleep(100);
  }
  pushing = true;
  const owned = runners.reduce((n, r) => n + r.monitors.length, 0);
  const maxBatch = runners[0]!.maxBatch;
  out(`registered ${RUNNERS} runners (max_batch ${maxBatch}); they own ${owned} of ${INGEST_MONITORS} monitors (${runners.map((r) => r.monitors.length).join(' / ')}), settled ${((Date.now() - settleStart) / 1000).toFixed(1)} s after the last registration`);
  if (owned < INGEST_MONITORS) throw new Error('not every ingest monitor is assigned');

  const newId = createResultIdFactory();
  const template: CheckResult = { ...sample, region: 'ingest' };
  delete template.confirmation;
  const latencies: number[] = [];
  let sent = 0;
  let rejected = 0;
  let firstRejection = '';
  let errors = 0;
  if (statements) await withClient(dbUrl, (c) => c.query('SELECT pg_stat_statements_reset()'));
  // Where the CPU goes while pushing: the control plane, PostgreSQL (postmaster and backends), this process.
  const cpuAt = () => ({ api: processCpuMs(api.child.pid!), pg: pgCpu(pgPort), bench: process.cpuUsage() });
  const cpu0 = cpuAt();
  const start = performance.now();
  const deadline = start + INGEST_SECONDS * 1000;
  await Promise.all(
    runners.map(async (r) => {
      let next = 0;
      while (performance.now() < deadline && sent < INGEST_MAX_RESULTS) {
        const startedAt = new Date().toISOString();
        const results = Array.from({ length: maxBatch }, () => ({ ...template, id: newId(), monitor_id: r.monitors[next++ % r.monitors.length]!, started_at: startedAt }));
        sent += results.length;
        const t = performance.now();
        try {
          const outcome = await request(r.token, 'POST', '/v1/runner/results', { runner_id: r.id, results });
          latencies.push(performance.now() - t);
          rejected += outcome.rejected.length;
          if (outcome.rejected.length && !firstRejection) firstRejection = JSON.stringify(outcome.rejected[0]);
        } catch (err) {
          errors++;
          if (!firstRejection) firstRejection = String(err).slice(0, 300);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu1 = cpuAt();
  const pgMs = pgCpuSince(pgPort, cpu0.pg);
  polling = false;
  await Promise.all(pollers);
  if (changesWhilePushing) out(`the runners' assignments changed ${changesWhilePushing} times while pushing (results for moved slots are refused not_assigned)`);
  await pool.close();

  const db = new pg.Pool({ connectionString: dbUrl, max: RUNNERS });
  try {
    const stored = Number((await db.query(`SELECT count(*) AS n FROM check_results WHERE region = 'ingest'`)).rows[0].n);
    if (statements) await printStatements(db, stored);
    const rate = stored / seconds;
    latencies.sort((a, b) => a - b);

    // Baseline: the same rows, same batch size, same concurrency, plain multi-row INSERTs into a table
    // shaped like check_results: the same columns, partitioned by day on started_at, the same primary
    // key (started_at, id) and slot index, ON CONFLICT DO NOTHING as ingest's insert does.
    await db.query(`CREATE TABLE bench_raw_results (id text NOT NULL, org_id text NOT NULL, monitor_id text NOT NULL, region text NOT NULL, runner_id text, started_at timestamptz NOT NULL,
      status text NOT NULL, duration_ms real NOT NULL, status_code integer, error_code text, trace_id text, confirmation boolean NOT NULL DEFAULT false, detail jsonb,
      received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (started_at, id)) PARTITION BY RANGE (started_at)`);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    for (const day of [today - 86_400_000, today, today + 86_400_000]) {
      await db.query(`CREATE TABLE bench_raw_results_${day} PARTITION OF bench_raw_results FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + 86_400_000).toISOString()}')`);
    }
    await db.query('CREATE INDEX bench_raw_results_slot_idx ON bench_raw_results (monitor_id, region, started_at DESC)');
    const orgId = String((await db.query('SELECT org_id FROM monitors WHERE id = $1', [monitorIds[0]])).rows[0].org_id);
    const detail = JSON.stringify({ timings: template.timings, assertions: template.assertions, details: template.details });
    let inserted = 0;
    // Every connection open before the clock starts, so each backend's CPU is counted from here.
    await Promise.all(Array.from({ length: RUNNERS }, () => db.query('SELECT pg_sleep(0.05)')));
    const rawCpu0 = { pg: pgCpu(pgPort), bench: process.cpuUsage() };
    const rawStart = performance.now();
    const rawDeadline = rawStart + INGEST_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: RUNNERS }, async (_, w) => {
        while (inserted < stored && performance.now() < rawDeadline) {
          const n = Math.min(maxBatch, stored - inserted);
          inserted += n;
          const values: unknown[] = [];
          const rows: string[] = [];
          const startedAt = new Date().toISOString();
          for (let k = 0; k < n; k++) {
            const b = values.length;
            rows.push(`(${Array.from({ length: 14 }, (_, c) => `$${b + c + 1}`).join(',')})`);
            values.push(newId(), orgId, monitorIdsAt(monitorIds, k + w), 'ingest', runners[w]!.id, startedAt, template.status, template.duration_ms, template.status_code ?? null, null, template.trace_id ?? null, false, detail, startedAt);
          }
          await db.query(`INSERT INTO bench_raw_results (id, org_id, monitor_id, region, runner_id, started_at, status, duration_ms, status_code, error_code, trace_id, confirmation, detail, received_at)
                          VALUES ${rows.join(',')} ON CONFLICT (started_at, id) DO NOTHING`, values);
        }
      }),
    );
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const rawCpu = { pg: pgCpuSince(pgPort, rawCpu0.pg), bench: cpuMs(rawCpu0.bench) };
    const rawCount = Number((await db.query('SELECT count(*) AS n FROM bench_raw_results')).rows[0].n);
    const rawRate = rawCount / rawSeconds;

    const per1000 = (cpu: number, rows: number) => ((cpu * 1000) / Math.max(1, rows)).toFixed(0);
    const ratio = rate / rawRate;
    out(`${'baseline: pg INSERT, table shaped like check_results'.padEnd(44)} ${rawRate.toFixed(0).padStart(7)} rows/s  (${rawCount} rows in ${rawSeconds.toFixed(1)} s, batches of ${maxBatch}, ${RUNNERS} connections; CPU per 1,000 rows: PostgreSQL ${per1000(rawCpu.pg, rawCount)}, client ${per1000(rawCpu.bench, rawCount)})`);
    out(`${'POST /v1/runner/results (validate, own, store, rollups, state, events)'.padEnd(44)} ${rate.toFixed(0).padStart(7)} results/s  (${stored} rows stored of ${sent} sent in ${seconds.toFixed(1)} s; ${latencies.length} batches, p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}; ${rejected} rejected, ${errors} failed batches)`);
    if (firstRejection) out(`first rejection or error: ${firstRejection}`);
    out(`CPU while pushing (ms per 1,000 results): control plane ${per1000(cpu1.api - cpu0.api, stored)}, PostgreSQL ${per1000(pgMs, stored)}, pushers ${per1000(cpuMs(cpu0.bench), stored)}; ${seconds.toFixed(1)} s wall on ${cpus().length} cores`);
    const met = ratio >= 0.5 && rejected === 0 && errors === 0;
    out(`target: ingest ≥ 0.5 × plain INSERTs of the same rows → ratio ${ratio.toFixed(2)} (${rate.toFixed(0)}/s against ${rawRate.toFixed(0)}/s) ${met ? 'MET' : 'NOT MET'}`);
    return {
      name: '5. ingest into PostgreSQL',
      target: '≥ 0.5 × plain INSERTs',
      measured: `${rate.toFixed(0)}/s, ratio ${ratio.toFixed(2)} (batch p50 ${ms(percentile(latencies, 50), 0)})`,
      baseline: `plain INSERT ${rawRate.toFixed(0)}/s`,
      met,
    };
  } finally {
    await db.end();
  }
}

/** The statements PostgreSQL spent most time on while pushing, per 1,000 stored results. */
async function printStatements(db: pg.Pool, stored: number): Promise<void> {
  const { rows } = await db.query(`SELECT calls, total_exec_time AS exec_ms, total_plan_time AS plan_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS text
                                   FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`);
  out(`PostgreSQL time per statement while pushing (pg_stat_statements; ms per 1,000 results, wall time in the server):`);
  for (const r of rows) out(`  exec ${((r.exec_ms * 1000) / stored).toFixed(1).padStart(6)}  plan ${((r.plan_ms * 1000) / stored).toFixed(1).padStart(5)}  ${String(r.calls).padStart(6)} calls  ${r.text}`);
}

const monitorIdsAt = (ids: string[], k: number): string => ids[k % ids.length]!;

/** CPU so far of each process of the PostgreSQL server on `port` (postmaster, backends, workers). */
const pgCpu = (port: number): Map<number, number> => new Map(postgresPids(port).map((pid) => [pid, processCpuMs(pid)]));

/** CPU the server's processes used since `before`; a backend forked since counts from zero. */
const pgCpuSince = (port: number, before: ReadonlyMap<number, number>): number =>
  postgresPids(port).reduce((n, pid) => n + processCpuMs(pid) - (before.get(pid) ?? 0), 0);
