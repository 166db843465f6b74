import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { createDatabase } from '../postgres-cluster.ts';
import { callJson, listenLoopback, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc } from './support/processes.ts';

// System test: the control plane is killed with SIGKILL after a monitor's creation committed and
// before the rebalance it asked for (in memory, debounced) placed it. The monitor is not left
// unassigned: the assignment reconcile runs at start on a restarted process (and once a minute on
// every live one), so it is placed and checked as soon as the control plane is back.

const skip = process.env.PHAROS_TEST_DATABASE_URL ? false : process.env.PHAROS_TEST_REQUIRE_PG === '1' ? false : 'no PostgreSQL server (run through `npm test`)';
const name = `pharos_assign_crash_${randomBytes(4).toString('hex')}`;
let dbUrl: string;
let observer: pg.Client;
let target: Server;
let targetUrl: string;
const procs: Proc[] = [];

before(async () => {
  if (skip) return;
  dbUrl = await createDatabase(process.env.PHAROS_TEST_DATABASE_URL!, name);
  observer = new pg.Client({ connectionString: dbUrl });
  await observer.connect();
  // A backend whose client was killed is ended within 100 ms, as when its host dies.
  await observer.query(`ALTER DATABASE ${name} SET client_connection_check_interval = '100ms'`);
  target = createServer((_req, res) => res.end('ok'));
  targetUrl = await listenLoopback(target);
});

after(async () => {
  if (skip) return;
  for (const p of procs) await p.kill();
  await observer?.end().catch(() => undefined);
  target?.close();
});

const assigned = async (monitorId: string) => Number((await observer.query('SELECT count(*) AS n FROM slot_assignments WHERE monitor_id = $1', [monitorId])).rows[0].n);
const waitingOnAssignLock = async () =>
  Number((await observer.query(`SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`)).rows[0].n);

test('a monitor created just before the control plane is killed is assigned once it restarts', { skip, timeout: 180_000 }, async () => {
  // The periodic reconcile (every 60 s) does not come round within this test: only its run at the
  // start of the restarted process can place the monitor (it does not wait for the dead process's lease).
  const env = { PHAROS_RUNNER_LEASE_SECONDS: '30' };
  const token = `phs_${randomBytes(24).toString('base64url')}`;
  let api: ApiProc = await startApiProcess(dbUrl, env, undefined, token);
  procs.push(api);
  const team = await callJson(api.url, token, 'POST', '/v1/teams', { name: 'crash' });
  const service = await callJson(api.url, token, 'POST', '/v1/services', { name: 'crash-svc', team_id: team.id });
  const runnerToken = (await callJson(api.url, token, 'POST', '/v1/runner-tokens', { name: 'pool', region: 'crash-region' })).token as string;
  const runner = startRunnerProcess(api.url, runnerToken);
  procs.push(runner);
  await waitFor('the runner to register', 30_000, async () => Number((await observer.query('SELECT count(*) AS n FROM runners')).rows[0].n) === 1);
  const orgId = (await observer.query('SELECT id FROM organizations')).rows[0].id as string;

  // Hold the organization's assignment lock: the rebalance that follows the create waits on it,
  // after the monitor's row committed. That is the window in which the process now dies.
  const holder = new pg.Client({ connectionString: dbUrl });
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock(hashtext($1))', [`pharos-assign:${orgId}`]);
  const monitor = await callJson(api.url, token, 'POST', '/v1/monitors', {
    name: 'created-before-crash', service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: ['crash-region'], http: { url: `${targetUrl}/m` },
  });
  await waitFor('the rebalance to wait on the lock', 10_000, async () => (await waitingOnAssignLock()) > 0, 50);
  await api.kill();
  await holder.end();
  // The killed process's rebalance never commits.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await assigned(monitor.id), 0, 'the monitor was left unplaced by the crash');

  const restartedAt = Date.now();
  api = await startApiProcess(dbUrl, env, Number(new URL(api.url).port), token);
  procs.push(api);
  await waitFor('the monitor to be assigned after the restart', 30_000, async () => (await assigned(monitor.id)) === 1, 100);
  const placedAfterMs = Date.now() - restartedAt;
  assert.ok(placedAfterMs < 15_000, `placed ${placedAfterMs} ms after the restart began`);
  await waitFor('a result of the monitor from the runner', 60_000, async () => Number((await observer.query('SELECT count(*) AS n FROM check_results WHERE monitor_id = $1', [monitor.id])).rows[0].n) > 0);
  console.log(`# monitor placed ${placedAfterMs} ms after the control plane restart began (incl. process start)`);
});
