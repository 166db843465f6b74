import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc, listenLoopback } from './support/processes.ts';

// The runner's on-disk spool with real processes on a real PostgreSQL: the API goes down, the
// runner keeps checking, is killed with SIGKILL and started again on the same spool directory,
// the API comes back — and every check the target answered has exactly one stored result.

const skip = postgresSkip();
const region = 'spool-test';
let dbUrl: string;
let target: Server;
let targetUrl: string;
/** Requests the target answered: each is one check that produced a result. */
let answered = 0;
/** While held, requests get no answer (and are not counted); a killed runner's held checks produce nothing. */
let holding = false;
const held: IncomingMessage[] = [];

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  target = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (holding) return void held.push(req);
    answered += 1;
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"healthy"}');
  });
  targetUrl = await listenLoopback(target);
});
after(() => target?.close());

const storedCounts = async () => {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, count(DISTINCT runner_id)::int AS runners FROM check_results WHERE region = $1', [region]);
    return rows[0] as { n: number; d: number; runners: number };
  } finally {
    await client.end();
  }
};

test('API down, runner SIGKILLed and restarted on its spool, API back: every result is stored exactly once', { skip, timeout: 180_000 }, async () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'pharos-spool-'));
  let api: ApiProc = await startApiProcess(dbUrl);
  const port = Number(new URL(api.url).port);
  const runners: Proc[] = [];
  try {
    const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: 'spool' });
    const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: 'spool-svc', team_id: team.id });
    const monitors = 8;
    for (let i = 0; i < monitors; i++) {
      await callJson(api.url, api.token, 'POST', '/v1/monitors', { name: `m${i}`, service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: [region], http: { url: `${targetUrl}/spool/${i}` } });
    }
    const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: 'spool-pool', region })).token as string;
    const env = { PHAROS_RUNNER_SPOOL_DIR: spoolDir, LOG_LEVEL: 'info' };
    runners.push(startRunnerProcess(api.url, token, env));
    await waitFor('results flowing', 60_000, async () => (await storedCounts()).n >= monitors);

    // The API goes away; the runner keeps checking and spools what it cannot send.
    await api.stop();
    const atOutage = answered;
    await waitFor('checks during the outage', 30_000, async () => answered >= atOutage + monitors * 2);
    // Stop answering so no check is half done, give the last answered ones time to reach the spool, then SIGKILL.
    holding = true;
    await new Promise((r) => setTimeout(r, 1_500));
    const producedBeforeKill = answered - atOutage;
    await runners[0]!.kill();
    for (const req of held.splice(0)) req.socket.destroy();
    holding = false;
    assert.ok(readdirSync(spoolDir).some((f) => f.endsWith('.results')), 'the spool holds the unsent results on disk');

    // Same spool directory, API still down: the new process reads back what the killed one left.
    const restarted = startRunnerProcess(api.url, token, env);
    runners.push(restarted);
    const readBack = await waitFor('the spool read back', 30_000, async () => {
      const line = restarted.output().split('\n').find((l) => l.includes('result spool read back'));
      return line ? (JSON.parse(line) as { recovered: number }) : undefined;
    });
    assert.ok(readBack.recovered >= producedBeforeKill, `results of the outage read back from the spool: ${readBack.recovered} of ${producedBeforeKill}`);

    const beforeRestart = answered;
    api = await startApiProcess(dbUrl, {}, port, api.token);
    // The spooled results go in, and the new registration checks (and stores) again.
    await waitFor('the spooled and new results stored', 60_000, async () => answered >= beforeRestart + monitors && (await storedCounts()).n >= beforeRestart + monitors);
    assert.equal(await restarted.stop(), 0, restarted.output().slice(-3000));
    const stored = await storedCounts();
    process.stdout.write(`# spool: ${answered} checks answered (${producedBeforeKill} while the API was down, ${readBack.recovered} read back after SIGKILL), ${stored.n} results stored, ${stored.d} distinct, from ${stored.runners} runner registrations\n`);
    assert.equal(stored.n, stored.d, 'no result is stored twice');
    assert.equal(stored.n, answered, 'every check the target answered has exactly one stored result');
    assert.equal(stored.runners, 2, 'spooled results are stored under the registration that ran them, new ones under the new one');
    assert.deepEqual(readdirSync(spoolDir).filter((f) => f.endsWith('.results')), [], 'a drained spool leaves no segment behind');
  } finally {
    for (const r of runners) await r.stop();
    await api.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  }
});
