import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LoadTest } from '../../api/src/contract/load-test.schema.ts';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { startLatencyTarget, type LatencyTarget } from '../../runner/test/support/latency.target.ts';
import { callJson, startApiProcess, startRunnerProcess, waitFor, type ApiProc, type Proc } from './support/processes.ts';

// Load tests end to end: the control plane on PostgreSQL and a runner as their own processes, a
// target answering after 20 ms in a third. A test runs and reads back percentiles around 20 ms and
// a verdict; the CLI exits 1 on a criterion the target cannot meet; DELETE stops the load within
// about a second.

const skip = postgresSkip();
const root = join(import.meta.dirname, '..', '..');
const latencyMs = 20;
let api: ApiProc;
let runner: Proc;
let target: LatencyTarget;
let monitorId: string;

/** POST /v1/load-tests, retried while the runner has not registered yet (no_load_test_runner). */
async function create(body: Record<string, unknown>): Promise<LoadTest> {
  return waitFor('a load_test runner', 30_000, async () => {
    const res = await fetch(`${api.url}/v1/load-tests`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as LoadTest & { code?: string };
    if (res.status === 201) return json;
    if (json.code === 'no_load_test_runner') return undefined;
    throw new Error(`POST /v1/load-tests → ${res.status}: ${JSON.stringify(json)}`);
  }, 300);
}

const get = (id: string): Promise<LoadTest> => callJson(api.url, api.token, 'GET', `/v1/load-tests/${id}`);
const settled = (id: string, ms = 40_000): Promise<LoadTest> => waitFor(`load test ${id} to finish`, ms, async () => {
  const t = await get(id);
  return ['passed', 'failed', 'aborted', 'error'].includes(t.state) ? t : undefined;
}, 250);

before(async () => {
  if (skip) return;
  target = await startLatencyTarget(latencyMs);
  api = await startApiProcess(await createTestDatabase());
  const team = await callJson(api.url, api.token, 'POST', '/v1/teams', { name: 'load' });
  const service = await callJson(api.url, api.token, 'POST', '/v1/services', { name: 'search', team_id: team.id });
  const monitor = await callJson(api.url, api.token, 'POST', '/v1/monitors', { name: 'search', service_id: service.id, type: 'http', interval_seconds: 60, regions: ['eu-west-1'], http: { url: `${target.origin}/search` } });
  monitorId = monitor.id;
  const token = (await callJson(api.url, api.token, 'POST', '/v1/runner-tokens', { name: 'eu', region: 'eu-west-1' })).token as string;
  runner = startRunnerProcess(api.url, token);
});

after(async () => {
  await runner?.stop();
  await api?.stop();
  await target?.close();
});

describe('load tests end to end', { skip, timeout: 120_000 }, () => {
  it('runs a test on a runner and reads back percentiles near the target\'s latency and a verdict', async () => {
    const created = await create({ monitor_id: monitorId, regions: ['eu-west-1'], requests: 400, concurrency: 10, criteria: { p95_below_ms: 2_000, error_rate_below: 0.01 } });
    const before = (await target.stats()).requests;
    const done = await settled(created.id);
    assert.equal(done.state, 'passed', JSON.stringify(done.by_region));
    assert.equal(done.verdict, 'pass');
    assert.equal(done.overall.requests, 400);
    assert.equal(done.overall.errors, 0);
    assert.deepEqual(done.overall.status_codes, { '200': 400 });
    const { p50_ms, p95_ms, max_ms } = done.overall.latency;
    assert.ok(p50_ms !== null && p50_ms >= latencyMs && p50_ms < latencyMs + 200, `p50 ${p50_ms} ms for a ${latencyMs} ms target`);
    assert.ok(p95_ms !== null && max_ms !== null && p95_ms >= p50_ms && max_ms >= p95_ms);
    assert.ok((done.overall.requests_per_second ?? 0) > 0);
    assert.equal(done.by_region.length, 1);
    assert.match(done.by_region[0]!.runner_id ?? '', /^run_/);
    assert.ok((await target.stats()).requests - before >= 400, 'the requests reached the target');
  });

  it('fails a criterion the target cannot meet, and the CLI exits 1 saying why', async () => {
    const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/loadtest.ts', '--monitor', monitorId, '--regions', 'eu-west-1', '--requests', '200', '--concurrency', '5', '--p95-below', '5'], {
      cwd: root, env: { PATH: process.env.PATH ?? '', PHAROS_API_URL: api.url, PHAROS_TOKEN: api.token },
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (c) => (stdout += c));
    cli.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    assert.equal(code, 1, `${stdout}\n${stderr}`);
    assert.match(stdout, /failed \(fail\)/);
    assert.match(stdout, /✗ .*p95/);
    assert.match(stdout, /overall +200 /);
  });

  it('DELETE aborts a running test: the load stops within about a second', async () => {
    const created = await create({ monitor_id: monitorId, regions: ['eu-west-1'], duration_seconds: 60, concurrency: 10 });
    await waitFor('the test running with requests', 20_000, async () => (await get(created.id)).overall.requests > 0, 200);
    const aborted = await callJson(api.url, api.token, 'DELETE', `/v1/load-tests/${created.id}`);
    assert.equal(aborted.state, 'aborted');
    await new Promise((r) => setTimeout(r, 1_500));
    const at = (await target.stats()).requests;
    await new Promise((r) => setTimeout(r, 1_500));
    // The monitor's own check (every 60 s) may land in between; the load (hundreds per second) must not.
    assert.ok((await target.stats()).requests - at <= 2, 'requests still reach the target 1.5 s after DELETE');
    const final = await get(created.id);
    assert.equal(final.state, 'aborted');
    assert.equal(final.verdict, null);
  });
});
