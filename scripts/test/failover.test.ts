import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc, listenLoopback } from './support/processes.ts';

// System tests with real processes on a real PostgreSQL: a runner killed with SIGKILL, and the
// control plane killed with SIGKILL mid-write and kept down for 30 seconds while runners keep checking.

const skip = postgresSkip();
let dbUrl: string;
let target: Server;
let targetUrl: string;
const hits = new Map<string, number>();

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  target = createServer((req, res) => {
    hits.set(req.url ?? '/', (hits.get(req.url ?? '/') ?? 0) + 1);
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"healthy"}');
  });
  targetUrl = await listenLoopback(target);
});
after(() => target?.close());

async function fleet(api: ApiProc, monitors: number, region: string) {
  const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: `team-${region}` });
  const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: `svc-${region}`, team_id: team.id });
  const ids: string[] = [];
  for (let i = 0; i < monitors; i++) {
    ids.push((await callJson(api.url, api.token, 'POST', '/v1/monitors', {
      name: `m${i}`, service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: [region], http: { url: `${targetUrl}/${region}/${i}` },
    })).id);
  }
  const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: `pool-${region}`, region })).token as string;
  return { ids, token };
}

const db = async <T>(fn: (c: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

test('a killed runner\'s monitors are checked by another runner of the region within the lease time', { skip, timeout: 120_000 }, async () => {
  const api = await startApiProcess(dbUrl, { PHAROS_RUNNER_LEASE_SECONDS: '10' });
  const runners: Proc[] = [];
  try {
    const { ids, token } = await fleet(api, 8, 'kill-test');
    // Info logs carry the runner id of each process (its registration line), so we know whom we kill.
    runners.push(startRunnerProcess(api.url, token, { LOG_LEVEL: 'info' }), startRunnerProcess(api.url, token, { LOG_LEVEL: 'info' }));
    const owners = await waitFor('both runners to own monitors', 30_000, async () => {
      const { rows } = await db((c) => c.query('SELECT monitor_id, runner_id FROM slot_assignments WHERE region = $1', ['kill-test']));
      const byRunner = new Set(rows.map((r) => r.runner_id));
      return rows.length === ids.length && byRunner.size === 2 ? rows : undefined;
    });
    // Wait until both have pushed results, so we know which runner process is which.
    await waitFor('results from both runners', 30_000, async () => {
      const { rows } = await db((c) => c.query("SELECT count(DISTINCT runner_id)::int AS n FROM check_results WHERE region = 'kill-test'"));
      return rows[0].n === 2;
    });
    const victim = owners[0]!.runner_id as string;
    const victimMonitors = owners.filter((o) => o.runner_id === victim).map((o) => o.monitor_id as string);
    const victimProc = runners.find((r) => r.output().includes(victim));
    assert.ok(victimProc, 'the runner process that owns the first slot is known by its logged id');
    const killedAt = Date.now();
    await victimProc.kill();
    const killedId = victim;
    const taken = await waitFor('every monitor of the killed runner to be checked by the survivor', 30_000, async () => {
      const { rows } = await db((c) =>
        c.query("SELECT monitor_id, min(received_at) AS first FROM check_results WHERE region = 'kill-test' AND runner_id <> $1 AND received_at > to_timestamp($2 / 1000.0) GROUP BY monitor_id", [killedId, killedAt]),
      );
      const covered = new Map(rows.map((r) => [r.monitor_id as string, new Date(r.first).getTime()]));
      return victimMonitors.every((m) => covered.has(m)) ? covered : undefined;
    });
    const worst = Math.max(...victimMonitors.map((m) => taken.get(m)! - killedAt));
    process.stdout.write(`# failover: slowest monitor re-checked ${worst} ms after SIGKILL (lease 10 s)\n`);
    assert.ok(worst <= 10_000 + 2_000, `re-checked within the lease (+2 s for the reaper and the check itself): ${worst} ms`);
  } finally {
    for (const r of runners) await r.stop();
    await api.stop();
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
    const checksDuringOutage = [...hits.entries()].filter(([path]) => path.startsWith('/outage-test/')).reduce((n, [, c]) => n + c, 0);
    api = await startApiProcess(dbUrl, {}, port, api.token);
    // Stop the runners gracefully: they flush what they hold; then every check has its result stored.
    await new Promise((r) => setTimeout(r, 3_000));
    for (const r of runners) assert.equal(await r.stop(), 0, r.output().slice(-2000));
    const checks = [...hits.entries()].filter(([path]) => path.startsWith('/outage-test/')).reduce((n, [, c]) => n + c, 0);
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
