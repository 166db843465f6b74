import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { callJson, listenLoopback, startApiProcess, startRunnerProcess, waitFor } from './support/processes.ts';

// Health-endpoint metrics through the whole path, with real processes on a real PostgreSQL: a
// /health that reports pool metrics (a known sequence of values) → a runner process checks it →
// results pushed over the runner protocol → ingest → per-minute rollups → the read API shows
// min/avg/max/last; a check whose body lacks the metrics stays up and says why.

const skip = postgresSkip();
const region = 'metrics-test';
const utilization = [10, 50, 30, 90];
const waiting = [0, 3, 0, 0];
let dbUrl: string;
let target: Server;
let targetUrl: string;
let answered = 0;

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  target = createServer((_req, res) => {
    const i = answered++;
    res.setHeader('content-type', 'application/json');
    // The first checks see the pool; later ones a body without it (a deploy that dropped the fields).
    res.end(JSON.stringify(i < utilization.length ? { status: 'healthy', pool: { utilization_pct: utilization[i], wait_count: String(waiting[i]) } } : { status: 'healthy' }));
  });
  targetUrl = await listenLoopback(target);
});
after(() => target?.close());

test('a runner process reports /health pool metrics; the API rolls them up and shows min/avg/max/last', { skip, timeout: 120_000 }, async () => {
  const api = await startApiProcess(dbUrl);
  const runner = { current: undefined as ReturnType<typeof startRunnerProcess> | undefined };
  try {
    const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: 'metrics' });
    const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: 'api', team_id: team.id });
    const monitor = await callJson(api.url, api.token, 'POST', '/v1/monitors', {
      name: 'api-health', service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: [region],
      http: { url: `${targetUrl}/health`, metrics: [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }] },
      assertions: [{ source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' }],
    });
    const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: 'metrics-pool', region })).token as string;
    runner.current = startRunnerProcess(api.url, token);

    const read = () => callJson(api.url, api.token, 'GET', `/v1/monitors/${monitor.id}/metrics?window=15m&region=${region}`);
    let latest: unknown;
    const body = await waitFor('four samples of each metric', 90_000, async () => {
      const b = (latest = await read());
      return b.metrics[0].summary.count === utilization.length && b.metrics[1].summary.count === waiting.length ? b : undefined;
    }, 500).catch((err: Error) => {
      throw new Error(`${err.message}; target answered ${answered} checks; last answer ${JSON.stringify(latest)}\nrunner:\n${runner.current?.output().slice(-3000)}\napi:\n${api.output().slice(-3000)}`);
    });
    const [util, wait] = body.metrics;
    assert.equal(util.name, 'utilization_pct');
    assert.deepEqual(util.summary, { count: 4, min: 10, avg: 45, max: 90, last: 90, last_at: util.summary.last_at });
    assert.deepEqual(wait.summary, { count: 4, min: 0, avg: 0.75, max: 3, last: 0, last_at: wait.summary.last_at });
    // Four checks five seconds apart fall in one or two minutes; each point is the aggregate of its minute.
    assert.equal(util.points.reduce((n: number, p: { count: number }) => n + p.count, 0), 4);
    for (const p of util.points) assert.ok(p.min <= p.avg && p.avg <= p.max && p.min <= p.last && p.last <= p.max, JSON.stringify(p));
    assert.equal(util.points.at(-1).last, 90);
    assert.equal(Math.max(...util.points.map((p: { max: number }) => p.max)), 90);

    // The next check's body has no pool: the metrics are absent, the check is still up, and the result says why.
    const missing = await waitFor('a result without the pool', 30_000, async () => {
      const page = await callJson(api.url, api.token, 'GET', `/v1/monitors/${monitor.id}/results?limit=10`);
      return page.items.find((r: { details?: Record<string, unknown> }) => r.details?.['metric_errors']);
    }, 500);
    assert.equal(missing.status, 'up');
    assert.equal(missing.metrics, undefined);
    assert.deepEqual(missing.details.metric_errors, ['utilization_pct: no value at $.pool.utilization_pct', 'wait_count: no value at $.pool.wait_count']);
    const page = await callJson(api.url, api.token, 'GET', `/v1/monitors/${monitor.id}/results?limit=50`);
    const withMetrics = page.items.filter((r: { metrics?: unknown }) => r.metrics).reverse();
    assert.deepEqual(withMetrics.map((r: { metrics: unknown }) => r.metrics), utilization.map((u, i) => ({ utilization_pct: u, wait_count: waiting[i] })), 'each result carries the values its check read');
    const after = await read();
    assert.equal(after.metrics[0].summary.count, 4, 'checks without the metrics add no samples');
  } finally {
    await runner.current?.stop();
    await api.stop();
  }
});
