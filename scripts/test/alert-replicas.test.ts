import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { callJson, listenLoopback, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc } from './support/processes.ts';
import { queryDatabase } from './support/pg-query.ts';

// Two control-plane processes on one PostgreSQL behind a round-robin balancer on 127.0.0.1, a real
// runner process and a real target that flips between 200 and 500. Both replicas ingest results and
// both run the alert-evaluator consumer and the leased evaluation tick, yet every state transition
// is evaluated once: each monitor that went down N times has exactly N firing and N resolved history
// rows per alert. Midway one replica is killed with SIGKILL; the other one carries on and the
// history stays complete.

const skip = postgresSkip();
const MONITORS = 2;
const FLIPS_BEFORE_KILL = 2;
const FLIPS_AFTER_KILL = 2;
let dbUrl: string;
let target: Server;
let targetUrl: string;
const failing = new Set<number>();

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  target = createServer((req, res) => {
    const i = Number(/\/m(\d+)/.exec(req.url ?? '')?.[1]);
    res.writeHead(failing.has(i) ? 500 : 200).end();
  });
  targetUrl = await listenLoopback(target);
});
after(() => target?.close());

/** A load balancer: each request goes to the next live upstream (a refused connection tries the next one). */
async function balancer(upstreams: () => string[]): Promise<{ url: string; served: Map<string, number>; close(): Promise<void> }> {
  let next = 0;
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = upstreams();
      const attempt = (tries: number) => {
        const base = new URL(list[next++ % list.length]!);
        const out = request({ host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          served.set(base.origin, (served.get(base.origin) ?? 0) + 1);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.on('error', () => (tries > 1 && !res.headersSent ? attempt(tries - 1) : res.headersSent ? res.destroy() : res.writeHead(502).end()));
        out.end(body);
      };
      attempt(list.length);
    });
  });
  const url = await listenLoopback(server);
  return { url, served, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const query = (sql: string, params: unknown[] = []) => queryDatabase(dbUrl, sql, params);

test('two replicas evaluate every transition once, and a replica killed mid-stream loses none', { skip, timeout: 90_000 }, async () => {
  const env = { PHAROS_ALERT_TICK_MS: '1000' };
  const first = await startApiProcess(dbUrl, env);
  const second = await startApiProcess(dbUrl, env, undefined, first.token);
  const live: ApiProc[] = [first, second];
  const lb = await balancer(() => live.map((a) => a.url));
  let runner: Proc | undefined;
  try {
    const call = (method: string, path: string, body?: unknown) => callJson(lb.url, first.token, method, path, body);
    const team = await call('POST', '/v1/teams', { name: 'replicas' });
    const service = await call('POST', '/v1/services', { name: 'replicated', team_id: team.id });
    const monitors: Array<{ id: string; name: string }> = [];
    for (let i = 0; i < MONITORS; i++) {
      monitors.push(await call('POST', '/v1/monitors', {
        name: `m${i}`, service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, failure_threshold: 1, recovery_threshold: 1,
        regions: ['replicas'], tags: { tier: '1' }, http: { url: `${targetUrl}/m${i}` }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      }));
    }
    const named: string[] = [];
    for (const m of monitors) named.push((await call('POST', '/v1/alert-rules', { name: `down-${m.name}`, team_id: team.id, expression: `down(monitor("${m.name}"))`, severity: 'critical' })).id);
    const selector = (await call('POST', '/v1/alert-rules', { name: 'tier1-down', team_id: team.id, expression: 'down(monitors(tag="tier:1"))', severity: 'error' })).id as string;
    const token = (await call('POST', '/v1/runner-tokens', { name: 'replicas', region: 'replicas' })).token as string;
    runner = startRunnerProcess(lb.url, token, { PHAROS_REGION: 'replicas' });

    const firingCount = async (ruleId: string) => Number((await query(`SELECT count(*) AS n FROM alert_history WHERE rule_id = $1 AND to_state = 'firing'`, [ruleId]))[0].n);
    const resolvedCount = async (ruleId: string) => Number((await query(`SELECT count(*) AS n FROM alert_history WHERE rule_id = $1 AND to_state = 'resolved'`, [ruleId]))[0].n);
    await waitFor('every monitor up', 30_000, async () => {
      const rows = await query(`SELECT count(*) AS n FROM monitor_states WHERE monitor_id = ANY($1) AND state = 'up'`, [monitors.map((m) => m.id)]);
      return Number(rows[0].n) === MONITORS;
    });
    // One flip: every target fails until every alert fired, then recovers until every alert resolved.
    const flip = async (n: number, midway?: () => Promise<void>) => {
      for (let i = 0; i < MONITORS; i++) failing.add(i);
      await midway?.();
      await waitFor(`flip ${n}: every alert firing`, 20_000, async () => (await Promise.all([...named, selector].map(firingCount))).every((c, k) => c === (k < named.length ? n : n * MONITORS)));
      failing.clear();
      await waitFor(`flip ${n}: every alert resolved`, 20_000, async () => (await Promise.all([...named, selector].map(resolvedCount))).every((c, k) => c === (k < named.length ? n : n * MONITORS)));
    };
    for (let n = 1; n <= FLIPS_BEFORE_KILL; n++) await flip(n);

    // Both replicas took part: the balancer alternates, so each received runner requests.
    assert.equal([...lb.served.values()].filter((n) => n > 0).length, 2, JSON.stringify([...lb.served]));

    // One replica is killed as soon as the first failing result of a flip is stored: the
    // transitions of that flip are in flight, possibly in its consumer's open transaction.
    await flip(FLIPS_BEFORE_KILL + 1, async () => {
      await waitFor('a failing result stored', 10_000, async () => Number((await query(`SELECT count(*) AS n FROM monitor_states WHERE monitor_id = ANY($1) AND state = 'down'`, [monitors.map((m) => m.id)]))[0].n) > 0, 20);
      await first.kill();
      live.splice(live.indexOf(first), 1);
    });
    for (let n = FLIPS_BEFORE_KILL + 2; n <= FLIPS_BEFORE_KILL + FLIPS_AFTER_KILL; n++) await flip(n);

    const total = FLIPS_BEFORE_KILL + FLIPS_AFTER_KILL;
    // Per alert instance: the history alternates firing/resolved exactly `total` times, no duplicates.
    const history = await query(`SELECT h.instance_id, h.rule_id, h.from_state, h.to_state FROM alert_history h WHERE h.rule_id = ANY($1) ORDER BY h.instance_id, h.at, h.id`, [[...named, selector]]);
    const byInstance = new Map<string, string[]>();
    for (const h of history) byInstance.set(h.instance_id, [...(byInstance.get(h.instance_id) ?? []), `${h.from_state}→${h.to_state}`]);
    assert.equal(byInstance.size, MONITORS * 2, 'one alert per monitor for its named rule and one per monitor for the selector');
    const expected = Array.from({ length: total }, (_, k) => [k === 0 ? 'inactive→firing' : 'resolved→firing', 'firing→resolved']).flat();
    for (const [instance, steps] of byInstance) assert.deepEqual(steps, expected, `history of ${instance}`);
    // Each monitor went down exactly `total` times, and each alert fired once per time.
    for (const m of monitors) {
      const downs = await query(`SELECT count(*) AS n FROM state_transitions WHERE subject_type = 'monitor' AND subject_id = $1 AND to_state = 'down'`, [m.id]);
      assert.equal(Number(downs[0].n), total, `${m.name} went down ${total} times`);
    }
    // And each change of state is one alert.state_changed event, not one per replica.
    const events = await query(`SELECT count(*) AS n FROM events WHERE kind = 'alert.state_changed'`);
    assert.equal(Number(events[0].n), MONITORS * 2 * total * 2);
  } finally {
    await runner?.stop();
    await lb.close();
    for (const api of live) await api.stop();
    await first.kill();
  }
});
