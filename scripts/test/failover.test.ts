import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import pg from 'pg';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { withClient } from '../postgres-cluster.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc, listenLoopback } from './support/processes.ts';

// System tests with real processes on a real PostgreSQL: a runner killed with SIGKILL, runners whose
// connections a proxy cuts, and the control plane killed with SIGKILL mid-write and kept down for
// 30 seconds while runners keep checking.

const skip = postgresSkip();
let dbUrl: string;
let target: Server;
let targetUrl: string;
/** When the target saw each path: the checks as the monitored service sees them. */
const hits = new Map<string, number[]>();
const hitCount = (prefix: string) => [...hits.entries()].filter(([path]) => path.startsWith(prefix)).reduce((n, [, at]) => n + at.length, 0);

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  target = createServer((req, res) => {
    const path = req.url ?? '/';
    const at = hits.get(path) ?? [];
    at.push(Date.now());
    hits.set(path, at);
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"healthy"}');
  });
  targetUrl = await listenLoopback(target);
});
after(() => target?.close());

async function fleet(api: ApiProc, monitors: number, region: string, intervalOf: (i: number) => number = () => 5) {
  const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: `team-${region}` });
  const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: `svc-${region}`, team_id: team.id });
  const ids: string[] = [];
  const paths = new Map<string, { path: string; intervalMs: number }>();
  for (let i = 0; i < monitors; i++) {
    const monitor = await callJson(api.url, api.token, 'POST', '/v1/monitors', {
      name: `m${i}`, service_id: service.id, type: 'http', interval_seconds: intervalOf(i), timeout_seconds: 2, regions: [region], http: { url: `${targetUrl}/${region}/${i}` },
    });
    ids.push(monitor.id);
    paths.set(monitor.id, { path: `/${region}/${i}`, intervalMs: intervalOf(i) * 1000 });
  }
  const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: `pool-${region}`, region })).token as string;
  return { ids, token, paths };
}

const db = <T>(fn: (c: pg.Client) => Promise<T>) => withClient(dbUrl, fn);

const slots = async (region: string) =>
  (await db((c) => c.query('SELECT monitor_id, runner_id FROM slot_assignments WHERE region = $1 ORDER BY monitor_id', [region]))).rows as Array<{ monitor_id: string; runner_id: string }>;

/**
 * The longest time a path went without a check from `from` to `to`, counting from its last check
 * before `from` and up to `to` (a path that stopped being checked shows the whole silence).
 */
function longestSilenceMs(at: readonly number[], from: number, to: number): number {
  const before = at.filter((t) => t <= from);
  const points = [before.length ? before[before.length - 1]! : from, ...at.filter((t) => t > from && t <= to), to];
  let worst = 0;
  for (let i = 1; i < points.length; i++) worst = Math.max(worst, points[i]! - points[i - 1]!);
  return worst;
}

const graceSeconds = 3; // PHAROS_RUNNER_DISCONNECT_GRACE_SECONDS's default
const reaperSeconds = 2; // the lease-reaper job's period

test('a SIGKILLed runner is presumed gone after the disconnect grace: its slots move at once and no monitor goes longer than 1.5x its interval without a check', { skip, timeout: 240_000 }, async () => {
  const api = await startApiProcess(dbUrl, { PHAROS_RUNNER_LEASE_SECONDS: '10' });
  const runners: Proc[] = [];
  try {
    const region = 'kill-test';
    // The fleet: 10 to 20 s intervals, where a skipped check showed as gaps of up to 23.9 s.
    const { ids, token, paths } = await fleet(api, 30, region, (i) => [10, 15, 20][i % 3]!);
    // Info logs carry the runner id of each process (its registration line), so we know whom we kill.
    runners.push(startRunnerProcess(api.url, token, { LOG_LEVEL: 'info' }), startRunnerProcess(api.url, token, { LOG_LEVEL: 'info' }));
    const owners = await waitFor('both runners to own monitors', 30_000, async () => {
      const rows = await slots(region);
      return rows.length === ids.length && new Set(rows.map((r) => r.runner_id)).size === 2 ? rows : undefined;
    });
    // Every monitor checked at least once, on its phase: the cadence the kill must not break.
    await waitFor('a check of every monitor', 60_000, async () => [...paths.values()].every((p) => (hits.get(p.path)?.length ?? 0) >= 1), 500);
    const victim = owners[0]!.runner_id;
    const victimMonitors = owners.filter((o) => o.runner_id === victim).map((o) => o.monitor_id);
    const victimProc = runners.find((r) => r.output().includes(victim));
    assert.ok(victimProc, 'the runner process that owns the first slot is known by its logged id');
    const killedAt = Date.now();
    await victimProc.kill();
    const movedAt = await waitFor('the killed runner\'s slots to move', 30_000, async () => (await slots(region)).every((s) => s.runner_id !== victim) && Date.now(), 100);
    const movedMs = movedAt - killedAt;
    // Two of the longest interval after the kill: every monitor had its next checks, or shows its silence.
    const observeUntil = killedAt + 40_000;
    await new Promise((r) => setTimeout(r, observeUntil - Date.now()));

    const silences = [...paths.entries()].map(([id, p]) => ({ id, intervalMs: p.intervalMs, silenceMs: longestSilenceMs(hits.get(p.path) ?? [], killedAt, observeUntil) }));
    const worst = silences.reduce((w, s) => (s.silenceMs / s.intervalMs > w.silenceMs / w.intervalMs ? s : w));
    const over = silences.filter((s) => s.silenceMs > 1.5 * s.intervalMs);
    const ofVictim = silences.filter((s) => victimMonitors.includes(s.id));
    process.stdout.write(
      `# failover: slots moved ${movedMs} ms after SIGKILL (grace ${graceSeconds} s, reaper ${reaperSeconds} s, lease 10 s); ` +
        `longest silence ${(worst.silenceMs / 1000).toFixed(1)} s at a ${worst.intervalMs / 1000} s interval (${(worst.silenceMs / worst.intervalMs).toFixed(2)}x); ` +
        `killed runner's ${ofVictim.length} monitors: worst ${(Math.max(...ofVictim.map((s) => s.silenceMs / s.intervalMs))).toFixed(2)}x; ${over.length} of ${silences.length} monitors over 1.5x\n`,
    );
    assert.ok(movedMs <= (graceSeconds + reaperSeconds) * 1000 + 500, `slots moved within the grace and a reaper period: ${movedMs} ms`);
    assert.deepEqual(over.map((s) => `${s.id}: ${s.silenceMs} ms at ${s.intervalMs} ms`), [], 'no monitor went longer than 1.5x its interval without a check');
  } finally {
    for (const r of runners) await r.stop();
    await api.stop();
  }
});

/** A TCP proxy in front of the API whose connections can be cut at once (a load balancer dropping them). */
async function cuttableProxy(upstreamPort: number) {
  const open = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const url = await listenLoopback(server as unknown as Server);
  return {
    url,
    /** Cuts every connection; returns how many there were. */
    cut: () => {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('runners whose connections are cut and that reconnect within the grace keep their slots', { skip, timeout: 120_000 }, async () => {
  const api = await startApiProcess(dbUrl, { PHAROS_RUNNER_LEASE_SECONDS: '10', LOG_LEVEL: 'info' });
  const proxy = await cuttableProxy(Number(new URL(api.url).port));
  const runners: Proc[] = [];
  try {
    const region = 'reconnect-test';
    const { ids, token } = await fleet(api, 8, region, () => 10);
    runners.push(startRunnerProcess(proxy.url, token), startRunnerProcess(proxy.url, token));
    const placed = await waitFor('both runners to own monitors', 30_000, async () => {
      const rows = await slots(region);
      return rows.length === ids.length && new Set(rows.map((r) => r.runner_id)).size === 2 ? rows : undefined;
    });
    const history = async () => Number((await db((c) => c.query('SELECT count(*)::int AS n FROM assignment_history WHERE region = $1', [region]))).rows[0].n);
    const historyBefore = await history();
    // Three times, as a load balancer dropping connections or a proxy's redeploy would.
    for (let i = 0; i < 3; i++) {
      assert.ok(proxy.cut() > 0, 'there were connections to cut');
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await new Promise((r) => setTimeout(r, (graceSeconds + reaperSeconds + 1) * 1000));
    const drops = api.output().split('\n').filter((l) => l.includes('runner long poll dropped')).length;
    assert.ok(drops >= 2, `the control plane saw the long polls cut (${drops} drops logged)`);
    assert.deepEqual(await slots(region), placed, 'every slot stayed with its runner');
    assert.equal(await history(), historyBefore, 'no ownership changed hands, not even briefly');
    const { rows } = await db((c) => c.query('SELECT count(*)::int AS n FROM runners r WHERE r.id = ANY($1) AND lease_expires_at > now() + interval \'5 seconds\'', [[...new Set(placed.map((p) => p.runner_id))]]));
    assert.equal(rows[0].n, 2, 'both runners hold a full lease again');
  } finally {
    for (const r of runners) await r.stop();
    await api.stop();
    await proxy.close();
  }
});

test('the control plane SIGKILLed while results are being written, down for 30 s: every result is stored exactly once', { skip, timeout: 180_000 }, async () => {
  let api = await startApiProcess(dbUrl);
  const port = Number(new URL(api.url).port);
  const runners: Proc[] = [];
  try {
    const { ids, token } = await fleet(api, 6, 'outage-test');
    hits.clear();
    runners.push(startRunnerProcess(api.url, token), startRunnerProcess(api.url, token));
    await waitFor('results flowing', 30_000, async () => {
      const { rows } = await db((c) => c.query("SELECT count(*)::int AS n FROM check_results WHERE region = 'outage-test'"));
      return rows[0].n >= ids.length;
    });
    // SIGKILL just after a check, when its result is on its way in: the process gets no chance to
    // finish a batch it is writing or to answer the runner that sent it.
    await new Promise<void>((resolve) => target.once('request', () => setTimeout(resolve, 5)));
    await api.kill();
    const outageStarted = Date.now();
    await new Promise((r) => setTimeout(r, 30_000));
    const checksDuringOutage = hitCount('/outage-test/');
    api = await startApiProcess(dbUrl, {}, port, api.token);
    // Stop the runners gracefully: they flush what they hold; then every check has its result stored.
    await new Promise((r) => setTimeout(r, 3_000));
    for (const r of runners) assert.equal(await r.stop(), 0, r.output().slice(-2000));
    const checks = hitCount('/outage-test/');
    const { rows } = await db((c) => c.query("SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, count(*) FILTER (WHERE started_at BETWEEN to_timestamp($1 / 1000.0) AND to_timestamp($1 / 1000.0) + interval '30 seconds')::int AS during FROM check_results WHERE region = 'outage-test'", [outageStarted]));
    process.stdout.write(`# outage: ${checks} checks in all, ${rows[0].during} during the 30 s outage, ${rows[0].n} results stored\n`);
    assert.ok(checksDuringOutage > ids.length * 4, 'the runners kept checking while the API was down');
    assert.ok(rows[0].during >= ids.length * 4, 'results from the outage were stored');
    assert.equal(rows[0].n, rows[0].d, 'no result is stored twice');
    assert.equal(rows[0].n, checks, 'every check the targets saw has exactly one stored result');
  } finally {
    for (const r of runners) await r.stop();
    await api.stop();
  }
});
