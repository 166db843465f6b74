import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp } from '../../api/src/app.ts';
import { loadKeyring } from '../../api/src/crypto/key-source.ts';
import { SecretBox } from '../../api/src/crypto/secret-box.ts';
import { bootstrap } from '../../api/src/bootstrap.ts';
import { migrateToLatest, openDatabase, type Db } from '../../api/src/db/database.ts';
import { failureReach } from '../../api/src/modules/dependencies/correlation.ts';
import { nodeName } from '../../api/src/modules/dependencies/failure-index.ts';
import type { NodeKey } from '../../api/src/modules/dependencies/failure-graph.ts';
import { EventLogRepository } from '../../api/src/modules/events/event-log.repository.ts';
import type { NewEvent } from '../../api/src/modules/events/event.types.ts';
import { IncidentCorrelationRepository } from '../../api/src/modules/incidents/incident-correlation.repository.ts';
import { IncidentCorrelator } from '../../api/src/modules/incidents/incident-correlator.ts';
import { IncidentGraphRepository } from '../../api/src/modules/incidents/incident-graph.repository.ts';
import { createLogger } from '../../api/src/observability/logger.ts';
import { createDatabase } from '../postgres-cluster.ts';
import { burstChanges, fleetRows, FLEET_REGIONS, type BurstChange } from './incident-fleet.rows.ts';
import { syntheticFleet, type SyntheticFleet } from './incident-graph.fixture.ts';

// The pipeline half of bench:incidents: the same synthetic fleet as one organization's rows in a
// real PostgreSQL, the control plane's notification-router consumer (the incident correlator runs in
// its batch) started in this process from createApp, and the burst appended as the evaluator
// appends it: alert.state_changed events (with their alert_instances rows) in BATCHES transactions
// spread over SPREAD_MS, the router nudged after each commit. No routing policy exists, so no page
// is sent (the correlator still decides which are held). The figure: from the last append's commit
// to the last change of the incident set (incidents, their alerts and timeline, polled every
// POLL_MS) once it is complete — every alert in an incident, every incident with a root cause — and
// has not changed for SETTLE_MS. The periodic jobs are not started: the fleet has no runners, and
// the no-data sweep would turn its states unknown.

const BATCHES = 20;
const SPREAD_MS = 200;
const POLL_MS = 20;
const SETTLE_MS = 1_000;
/** Longest wait for the incident set to settle after the last append. */
const TIMEOUT_MS = 30_000;
const CHUNK = 1_000;

export interface PipelineFigures {
  services: number;
  alerts: number;
  /** Last append's commit → last change of the incident set, per run (ms). */
  stable: number[];
  /** First append → last append's commit, per run (ms). */
  spread: number[];
  /** Router batches that changed incidents, per run. */
  batches: number[];
  /** IncidentGraphRepository.load of the fleet, per call (ms). */
  graphLoad: number[];
  right: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Inserts the fleet as the organization's rows, in one transaction. */
export async function insertFleet(db: Db, orgId: string, fleet: SyntheticFleet, shiftMs: number): Promise<void> {
  const rows = fleetRows(fleet, shiftMs);
  const now = new Date();
  const chunked = async <T>(list: readonly T[], write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < list.length; i += CHUNK) await write(list.slice(i, i + CHUNK));
  };
  const stamp = { org_id: orgId, created_at: now, updated_at: now };
  await db.transaction().execute(async (trx) => {
    await chunked(rows.teams, (c) => trx.insertInto('teams').values(c.map((t) => ({ ...t, ...stamp, description: null }))).execute());
    await chunked(rows.services, (c) => trx.insertInto('services').values(c.map((s) => ({ id: s.id, name: s.name, team_id: s.team_id, type: s.kind, service_id: null, spec: JSON.stringify({ kind: s.kind }), secrets: null, ...stamp }))).execute());
    await chunked(rows.dependencies, (c) => trx.insertInto('dependencies').values(c.map((d) => ({ ...d, description: null, ...stamp }))).execute());
    await chunked(rows.monitors, (c) => trx.insertInto('monitors').values(c.map((m) => ({
      id: m.id, name: m.name, team_id: m.team_id, type: 'http', service_id: m.service_id, dependency_id: m.dependency_id, heartbeat_token: null, secrets: null, ...stamp,
      spec: JSON.stringify({ type: 'http', interval_seconds: 30, regions: FLEET_REGIONS, http: { url: `http://127.0.0.1:9/${m.id}/health` }, ...(m.dependency_id ? { dependency_id: m.dependency_id } : {}) }),
    }))).execute());
    await chunked(rows.slotStates, (c) => trx.insertInto('slot_states').values(c.map((s) => ({ ...s, org_id: orgId, last_result_id: null, last_result_at: s.since }))).execute());
    await chunked(rows.monitorStates, (c) => trx.insertInto('monitor_states').values(c.map((m) => ({ ...m, org_id: orgId, updated_at: now }))).execute());
    await chunked(rows.serviceStates, (c) => trx.insertInto('service_states').values(c.map((s) => ({ ...s, org_id: orgId, updated_at: now }))).execute());
    await chunked(rows.edgeStates, (c) => trx.insertInto('edge_states').values(c.map((s) => ({ ...s, org_id: orgId, updated_at: now }))).execute());
    await chunked(rows.rules, (c) => trx.insertInto('alert_rules').values(c.map((r) => ({ id: r.id, name: r.name, team_id: r.team_id, type: null, service_id: null, spec: JSON.stringify({ expression: r.expression, severity: 'critical', for_duration: '0s' }), secrets: null, ...stamp }))).execute());
  });
}

/** One append transaction of the evaluator: the instances' new state and their events. */
async function append(db: Db, log: EventLogRepository, orgId: string, changes: readonly BurstChange[]): Promise<void> {
  const at = new Date();
  await db.transaction().execute(async (trx) => {
    for (const c of changes) {
      const firing = c.to === 'firing';
      await trx.insertInto('alert_instances').values({
        id: c.alertId, org_id: orgId, rule_id: c.ruleId, team_id: c.teamId, instance_key: c.alertId, severity: 'critical', labels: JSON.stringify(c.labels), state: c.to,
        since: at, active_since: firing ? at : null, pending_since: null, firing_since: firing ? at : null, resolved_at: firing ? null : at, false_since: firing ? null : at, no_data_since: null,
        last_eval_at: at, last_outcome: firing ? 'true' : 'false', last_value: JSON.stringify(firing ? 1 : 0), annotations: '{}', subject_kind: c.subject.kind, subject_id: c.subject.id,
      }).onConflict((oc) => oc.column('id').doUpdateSet({ state: c.to, since: at, firing_since: firing ? at : undefined, resolved_at: firing ? null : at, last_eval_at: at })).execute();
    }
    await log.append(trx, changes.map((c): NewEvent => ({
      orgId, kind: 'alert.state_changed', at,
      payload: { rule_id: c.ruleId, alert_id: c.alertId, team_id: c.teamId, severity: 'critical', labels: c.labels, from: c.to === 'firing' ? 'inactive' : 'firing', to: c.to, reason: c.to === 'firing' ? 'the condition held for 0s' : 'the condition is false', value: c.to === 'firing' ? 1 : 0, subject: c.subject },
    })));
  });
}

interface Snapshot { key: string; complete: boolean }

async function snapshot(pool: pg.Pool, orgId: string, alertIds: ReadonlySet<string>): Promise<Snapshot> {
  const [incidents, alerts, timeline] = await Promise.all([
    pool.query<{ id: string; version: number; root: string | null; state: string }>(`SELECT id, version, root_cause->>'node' AS root, state FROM incidents WHERE org_id = $1 ORDER BY id`, [orgId]),
    pool.query<{ n: string; distinct_alerts: string }>(`SELECT count(*) AS n, count(DISTINCT alert_id) AS distinct_alerts FROM incident_alerts WHERE org_id = $1`, [orgId]),
    pool.query<{ n: string }>(`SELECT count(*) AS n FROM incident_timeline WHERE org_id = $1`, [orgId]),
  ]);
  const key = `${incidents.rows.map((r) => `${r.id}:${r.version}:${r.root}:${r.state}`).join(',')}|${alerts.rows[0]!.n}|${timeline.rows[0]!.n}`;
  const complete = Number(alerts.rows[0]!.distinct_alerts) === alertIds.size && incidents.rows.length > 0 && incidents.rows.every((r) => r.root !== null);
  return { key, complete };
}

/** Is the incident set right: one incident per root failure, named as its root cause, every alert in one whose root its failure reaches. */
async function check(pool: pg.Pool, orgId: string, fleet: SyntheticFleet, changes: readonly BurstChange[]): Promise<{ ok: boolean; lines: string[] }> {
  const incidents = (await pool.query<{ id: string; number: number; root: string | null; reason: string | null; state: string; description: string | null }>(
    `SELECT id, number, root_cause->>'node' AS root, root_cause->>'reason' AS reason, state, root_cause->>'description' AS description FROM incidents WHERE org_id = $1 ORDER BY number`, [orgId])).rows;
  const alerts = (await pool.query<{ incident_id: string; alert_id: string; state: string; notification: string }>(`SELECT incident_id, alert_id, state, notification FROM incident_alerts WHERE org_id = $1`, [orgId])).rows;
  const nodeOf = new Map(changes.map((c) => [c.alertId, c.node]));
  const roots = new Set(fleet.roots);
  const rootOf = new Map(incidents.map((i) => [i.id, i.root as NodeKey | null]));
  const distinct = new Set(incidents.map((i) => i.root).filter((r): r is NodeKey => r !== null && roots.has(r as NodeKey)));
  const misplaced = alerts.filter((a) => {
    const root = rootOf.get(a.incident_id);
    const node = nodeOf.get(a.alert_id);
    return !root || !node || !failureReach(fleet.graph, node).has(root);
  });
  const grouped = new Set(alerts.map((a) => a.alert_id)).size;
  const twice = alerts.length - grouped;
  const ok = incidents.length === roots.size && distinct.size === roots.size && misplaced.length === 0 && grouped === nodeOf.size && twice === 0;
  const lines = [
    `${incidents.length} incidents for ${roots.size} root failures; root cause right in ${distinct.size}/${roots.size}; ${grouped}/${nodeOf.size} alerts in an incident (${twice} in two), ${misplaced.length} in an incident whose root cause their failure does not reach ${ok ? 'RIGHT' : 'WRONG'}`,
    ...incidents.map((i) => {
      const mine = alerts.filter((a) => a.incident_id === i.id);
      const held = mine.filter((a) => a.notification === 'held').length;
      return `  #${i.number} ${i.state}: ${String(mine.length).padStart(3)} alerts (${held} pages held); root cause ${i.root ? `${nodeName(fleet.graph, i.root as NodeKey)} (${i.reason})` : 'none'}${i.root && !roots.has(i.root as NodeKey) ? ' — not a root failure' : ''}`;
    }),
  ];
  return { ok, lines };
}

/** Builds the fleet in a fresh database of the cluster and measures `runs` bursts through the router. */
export async function measurePipeline(clusterUrl: string, services: number, seed: number, runs: number, out: (line?: string) => void): Promise<PipelineFigures> {
  const fleet = syntheticFleet(services, seed);
  const changes = burstChanges(fleet);
  const alertIds = new Set(changes.map((c) => c.alertId));
  const url = await createDatabase(clusterUrl, `pharos_bench_incidents_${services}_${process.pid}`);
  const database = await openDatabase({ url, dataDir: '' });
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const logger = createLogger('error', process.stderr);
  const figures: PipelineFigures = { services, alerts: changes.filter((c) => c.to === 'firing').length, stable: [], spread: [], batches: [], graphLoad: [], right: true };
  let router: { stop(): Promise<void> } | undefined;
  const profile = process.env.BENCH_INCIDENT_PROFILE === '1' ? profileCorrelator() : undefined;
  try {
    await migrateToLatest(database.db);
    const { orgId } = await bootstrap(database.db, undefined);
    // The fixture's failures started up to a minute before its last alert: so they did here.
    const lastAlert = Math.max(...changes.map((c) => c.fixtureAt));
    const t = performance.now();
    await insertFleet(database.db, orgId, fleet, Date.now() - lastAlert);
    await pool.query('ANALYZE');
    out(`pipeline: ${services} services' rows inserted in ${((performance.now() - t) / 1000).toFixed(1)} s; burst of ${figures.alerts} firing alert.state_changed events (and ${changes.length - figures.alerts} resolution) in ${BATCHES} transactions over ${SPREAD_MS} ms, no routing policy`);
    const app = createApp({ database, logger, secrets: new SecretBox(loadKeyring({ keys: undefined, keyFile: undefined, embeddedDataDir: 'memory://' }).keyring), alertEvaluation: false, notifications: { enabled: false } });
    const runner = app.consumers.find((c) => c.name === 'notification-router');
    if (!runner) throw new Error('the app has no notification-router consumer');
    await runner.drain(); // its cursor starts after the newest event
    runner.start();
    router = runner;
    const log = new EventLogRepository();
    // One warm-up burst first (the JIT and the database's caches, as the pure figures have), not counted.
    for (let run = -1; run < runs; run++) {
      await database.db.deleteFrom('incidents').where('org_id', '=', orgId).execute();
      await database.db.deleteFrom('alert_instances').where('org_id', '=', orgId).execute();
      const seqBefore = Number((await pool.query<{ seq: string }>(`SELECT coalesce(max(seq), 0) AS seq FROM events WHERE org_id = $1`, [orgId])).rows[0]!.seq);
      let last = { key: (await snapshot(pool, orgId, alertIds)).key, at: performance.now() };
      let polling = true;
      let lastCommit = Infinity;
      let complete = false;
      const poller = (async () => {
        for (let i = 0; polling && i < (TIMEOUT_MS + 10_000) / POLL_MS; i++) {
          await sleep(POLL_MS);
          const s = await snapshot(pool, orgId, alertIds);
          const at = performance.now();
          if (s.key !== last.key) last = { key: s.key, at };
          complete = s.complete;
          if (complete && at - Math.max(last.at, lastCommit) >= SETTLE_MS) return true;
          if (at - lastCommit > TIMEOUT_MS) return false;
        }
        return false;
      })();
      const start = performance.now();
      const per = Math.ceil(changes.length / BATCHES);
      try {
        for (let b = 0; b * per < changes.length; b++) {
          await sleep(start + (b * SPREAD_MS) / (BATCHES - 1) - performance.now());
          await append(database.db, log, orgId, changes.slice(b * per, (b + 1) * per));
          if ((b + 1) * per >= changes.length) lastCommit = performance.now();
          runner.nudge();
        }
      } catch (error) {
        polling = false; // the poller ends before the pool does
        await poller.catch(() => false);
        throw error;
      }
      const settled = await poller;
      polling = false;
      if (!settled) throw new Error(`${run < 0 ? 'warm-up' : `run ${run + 1}`}: the incident set was not ${complete ? 'stable' : 'complete'} ${TIMEOUT_MS / 1000} s after the last alert`);
      if (run < 0) {
        if (profile) profile.reset();
        continue;
      }
      figures.spread.push(lastCommit - start);
      figures.stable.push(Math.max(0, last.at - lastCommit));
      const batches = await pool.query<{ n: string }>(`SELECT count(DISTINCT at) AS n FROM events WHERE org_id = $1 AND kind = 'incident.changed' AND seq > $2`, [orgId, seqBefore]);
      figures.batches.push(Number(batches.rows[0]!.n));
      if (run === 0) {
        const { ok, lines } = await check(pool, orgId, fleet, changes);
        figures.right = ok;
        for (const line of lines) out(line);
      }
    }
    if (profile) {
      out(`where the router's batches spent their time over ${runs} runs (wall clock, nested calls counted in each):`);
      for (const line of profile.lines()) out(line);
    }
    const graphs = new IncidentGraphRepository();
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await graphs.load(database.db, orgId);
      figures.graphLoad.push(performance.now() - t0);
    }
    return figures;
  } finally {
    await router?.stop();
    await pool.end();
    await database.close();
  }
}

/**
 * BENCH_INCIDENT_PROFILE=1: where the router's batches spend their time — every method of the
 * correlator's repositories and the correlator's handle, timed (wall clock, calls and total).
 */
const totals = new Map<string, { calls: number; ms: number }>();
let patched = false;

export function profileCorrelator(): { lines(): string[]; reset(): void } {
  totals.clear();
  const lines = () => [...totals].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `  ${k.padEnd(52)} ${String(v.calls).padStart(5)} calls ${v.ms.toFixed(0).padStart(7)} ms`);
  const profiler = { lines, reset: () => totals.clear() };
  if (patched) return profiler;
  patched = true;
  const wrap = (proto: object, label: string) => {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = (proto as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof fn !== 'function') continue;
      (proto as Record<string, unknown>)[name] = async function (this: unknown, ...args: unknown[]) {
        const t = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        } finally {
          const key = `${label}.${name}`;
          const entry = totals.get(key) ?? { calls: 0, ms: 0 };
          entry.calls += 1;
          entry.ms += performance.now() - t;
          totals.set(key, entry);
        }
      };
    }
  };
  wrap(IncidentCorrelator.prototype, 'IncidentCorrelator');
  wrap(IncidentCorrelationRepository.prototype, 'IncidentCorrelationRepository');
  wrap(IncidentGraphRepository.prototype, 'IncidentGraphRepository');
  return profiler;
}
