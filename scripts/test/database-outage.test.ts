import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { createDatabase, findPostgresBin, startPostgresCluster, type PostgresCluster } from '../postgres-cluster.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc, listenLoopback } from './support/processes.ts';

// System test of a control plane whose PostgreSQL restarts, stops for 30 s, and freezes, with a real
// runner checking a real target throughout. It restarts and stops its database, so it runs on its
// own throwaway cluster, never on the suite's shared one.

const skip = findPostgresBin() ? false : process.env.PHAROS_TEST_REQUIRE_PG === '1' ? false : 'no PostgreSQL server binaries (initdb, pg_ctl)';
const region = 'db-outage';
let cluster: PostgresCluster;
let dbUrl: string;
let target: Server;
let targetUrl: string;
let api: ApiProc;
let runner: Proc;
let checks = 0;

before(async () => {
  if (skip) return;
  cluster = await startPostgresCluster();
  dbUrl = await createDatabase(cluster.url, 'pharos_outage');
  target = createServer((req, res) => {
    if (req.url?.startsWith(`/${region}/`)) checks++;
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"healthy"}');
  });
  targetUrl = await listenLoopback(target);
  // Short database timeouts keep the frozen-database case quick; the defaults are 5 s and 30 s.
  api = await startApiProcess(dbUrl, { LOG_LEVEL: 'warn', PHAROS_DB_CONNECT_TIMEOUT_MS: '2000', PHAROS_DB_QUERY_TIMEOUT_MS: '3000' });
  const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: 'outage' });
  const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: 'svc-outage', team_id: team.id });
  for (let i = 0; i < 5; i++) {
    await callJson(api.url, api.token, 'POST', '/v1/monitors', {
      name: `m${i}`, service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: [region], http: { url: `${targetUrl}/${region}/${i}` },
    });
  }
  const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: 'pool-outage', region })).token as string;
  runner = startRunnerProcess(api.url, token);
  await waitFor('results flowing', 30_000, async () => (await stored()).n >= 5);
});

after(async () => {
  if (skip) return;
  for (const pid of cluster?.serverPids() ?? []) signal(pid, 'SIGCONT');
  await runner?.stop();
  await api?.stop();
  target?.close();
  await cluster?.stop();
});

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

async function stored(): Promise<{ n: number; distinct: number }> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM check_results WHERE region = $1', [region]);
    return { n: rows[0].n, distinct: rows[0].d };
  } finally {
    await client.end();
  }
}

/** A timed request; never throws on an HTTP status. */
async function timed(path: string, init: RequestInit = {}) {
  const started = performance.now();
  const res = await fetch(api.url + path, { ...init, headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json', ...(init.headers ?? {}) }, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
}

const alive = () => api.child.exitCode === null && api.child.signalCode === null;

test('pg_ctl restart: the control plane stays up and answers again without a restart', { skip, timeout: 60_000 }, async () => {
  // A pooled idle connection is what used to crash the process (57P01 from the terminated backend).
  assert.equal((await timed('/v1/teams')).status, 200);
  const restarted = performance.now();
  await cluster.restart();
  const recovered = await waitFor('requests to succeed again', 20_000, async () => {
    const r = await timed('/v1/teams');
    assert.ok(r.status === 200 || (r.status === 503 && r.body.code === 'database_unavailable'), `200 or 503 database_unavailable, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.status === 200 ? performance.now() : undefined;
  });
  assert.ok(alive(), `the control plane is still running:\n${api.output().slice(-3000)}`);
  assert.equal((await timed('/healthz')).status, 200);
  process.stdout.write(`# database restart: requests answered 200 again ${Math.round(recovered - restarted)} ms after pg_ctl restart began\n`);
  assert.doesNotMatch(api.output(), /Unhandled 'error' event/);
});

test('a frozen database (SIGSTOP): /healthz answers not-ready within its timeout, requests end with 503; service resumes on SIGCONT', { skip, timeout: 90_000 }, async () => {
  const pids = cluster.serverPids();
  assert.ok(pids.length > 1, 'the postmaster and its backends are known');
  for (const pid of pids) signal(pid, 'SIGSTOP');
  try {
    for (let i = 0; i < 3; i++) {
      const health = await timed('/healthz');
      assert.equal(health.status, 503, JSON.stringify(health.body));
      assert.equal(health.body.database.ok, false);
      assert.ok(health.ms < 3_000, `/healthz answered in ${Math.round(health.ms)} ms`);
      process.stdout.write(`# frozen database: /healthz answered 503 in ${Math.round(health.ms)} ms\n`);
    }
    // A request that needs the database does not hang either: it ends with the connect or query timeout.
    const list = await timed('/v1/services');
    assert.equal(list.status, 503, JSON.stringify(list.body));
    assert.equal(list.body.code, 'database_unavailable');
    assert.ok(Number(list.headers.get('retry-after')) > 0);
    assert.ok(list.ms < 8_000, `answered within the database timeouts: ${Math.round(list.ms)} ms`);
    process.stdout.write(`# frozen database: GET /v1/services answered 503 database_unavailable in ${Math.round(list.ms)} ms (connect timeout 2 s, query timeout 3 s + 2 s)\n`);
    assert.ok(alive());
  } finally {
    for (const pid of pids) signal(pid, 'SIGCONT');
  }
  await waitFor('/healthz to be ready again', 40_000, async () => (await timed('/healthz')).status === 200);
  await waitFor('requests to succeed again', 40_000, async () => (await timed('/v1/teams')).status === 200);
  assert.ok(alive());
});

test('PostgreSQL stopped for 30 s: 503 database_unavailable with Retry-After, runner buffers, every result stored once', { skip, timeout: 150_000 }, async () => {
  const checksBefore = checks;
  await cluster.stopServer();
  const stoppedAt = Date.now();
  const teamBody = JSON.stringify({ name: 'created-after-outage' });
  let probes = 0;
  while (Date.now() - stoppedAt < 30_000) {
    const list = await timed('/v1/services');
    assert.equal(list.status, 503, JSON.stringify(list.body));
    assert.equal(list.body.code, 'database_unavailable');
    assert.match(list.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.ok(Number(list.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    assert.ok(list.ms < 2_000, `answered quickly: ${Math.round(list.ms)} ms`);
    const write = await timed('/v1/teams', { method: 'POST', body: teamBody, headers: { 'idempotency-key': 'after-outage' } });
    assert.equal(write.status, 503);
    assert.equal(write.body.code, 'database_unavailable');
    const health = await timed('/healthz');
    assert.equal(health.status, 503);
    assert.ok(health.ms < 3_000, `/healthz answered in ${Math.round(health.ms)} ms`);
    assert.ok(alive(), `the control plane is still running:\n${api.output().slice(-3000)}`);
    probes++;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const checksDuringOutage = checks - checksBefore;
  assert.ok(checksDuringOutage >= 5 * 4, `the runner kept checking while the database was down (${checksDuringOutage} checks)`);

  await cluster.startServer();
  await waitFor('/healthz to be ready again', 20_000, async () => (await timed('/healthz')).status === 200);
  // The write that failed with 503 can be retried with the same key: nothing was claimed meanwhile.
  const retried = await timed('/v1/teams', { method: 'POST', body: teamBody, headers: { 'idempotency-key': 'after-outage' } });
  assert.equal(retried.status, 201, JSON.stringify(retried.body));
  assert.ok(alive());

  // The runner backs off (Retry-After) and then flushes its buffer; a graceful stop flushes the rest.
  await waitFor('the runner to deliver its buffer', 40_000, async () => (await stored()).n >= checks - 5);
  assert.equal(await runner.stop(), 0, runner.output().slice(-2000));
  const { n, distinct } = await stored();
  process.stdout.write(`# database stopped 30 s: ${probes} probe rounds all 503, ${checksDuringOutage} checks during the outage, ${checks} checks in all, ${n} results stored (${distinct} distinct)\n`);
  assert.equal(n, distinct, 'no result is stored twice');
  assert.equal(n, checks, 'every check the target saw has exactly one stored result');
});
