import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LoadTest } from '../../api/src/contract/load-test.schema.ts';

// `npm run loadtest` against a stand-in for the public API (the control plane's side has its own
// tests; scripts/test/loadtest-e2e.test.ts runs the CLI against the real one): exit statuses,
// messages from problem+json, the summary, and Ctrl-C aborting the test with DELETE.

const root = join(import.meta.dirname, '..', '..');
const figures = (requests: number, p95: number | null, errors = 0): LoadTest['overall'] => ({
  requests, errors, error_rate: requests ? errors / requests : null, requests_per_second: requests ? 100 : null,
  latency: { p50_ms: p95 && p95 / 2, p90_ms: p95, p95_ms: p95, p99_ms: p95, max_ms: p95 },
  status_codes: requests ? { '200': requests - errors, ...(errors ? { '503': errors } : {}) } : {},
  errors_by_code: errors ? { http_503: errors } : {},
});

/** The load test the fake returns for GET number `poll` (0 = the POST answer). */
type Script = (poll: number, body: Record<string, unknown>) => Partial<LoadTest>;
let script: Script = () => ({});
const seen: { method: string; path: string; body: Record<string, unknown> }[] = [];
let problem: { status: number; code: string; detail: string } | undefined;
let server: http.Server;
let apiUrl = '';
let polls = 0;
let created: Record<string, unknown> = {};

function test(fields: Partial<LoadTest>): LoadTest {
  return {
    id: 'ldt_01J00000000000000000000000', team_id: 'tea_01J00000000000000000000000', service_id: 'svc_01J00000000000000000000000', monitor_id: null,
    state: 'queued', request: { method: 'GET', url: 'http://127.0.0.1:9/x' }, regions: ['eu-west-1'], requests: 100, duration_seconds: null,
    concurrency: 5, rate_per_second: null, timeout_ms: 10000, criteria: {}, progress: 0, verdict: null, verdict_reasons: [],
    overall: figures(0, null), by_region: [], created_by: 'tok', created_at: new Date().toISOString(), started_at: null, finished_at: null,
    ...fields,
  };
}

before(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      seen.push({ method: req.method!, path: req.url!, body });
      const send = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== 'Bearer phs_cli_test') return send(401, { code: 'unauthorized', detail: 'The token is unknown.' });
      if (req.method === 'POST' && req.url === '/v1/load-tests') {
        if (problem) return send(problem.status, { type: 'about:blank', title: problem.code, status: problem.status, code: problem.code, detail: problem.detail });
        created = body;
        polls = 0;
        return send(201, test(script(0, body)));
      }
      if (req.method === 'GET' && req.url?.startsWith('/v1/load-tests/')) return send(200, test(script(++polls, created)));
      if (req.method === 'DELETE' && req.url?.startsWith('/v1/load-tests/')) return send(200, test({ state: 'aborted' }));
      send(404, { code: 'not_found', detail: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  apiUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function cli(args: string[], options: { interruptAfter?: (out: string) => boolean; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/loadtest.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PHAROS_API_URL: apiUrl, PHAROS_TOKEN: 'phs_cli_test', PHAROS_LOADTEST_POLL_MS: '50', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => {
    stderr += c;
    if (!signalled && options.interruptAfter?.(stderr)) {
      signalled = true;
      child.kill('SIGINT');
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

const base = ['--service', 'svc_01J00000000000000000000000', '--url', 'http://127.0.0.1:9/x', '--regions', 'eu-west-1,us-east-1', '--requests', '1000', '--concurrency', '10'];

describe('npm run loadtest', { timeout: 60_000 }, () => {
  it('exits 2 with what to fix on bad usage, without calling the API', async () => {
    const before = seen.length;
    const r = await cli(['--service', 'svc_x', '--regions', 'eu-west-1', '--concurrency', '5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--url/);
    const both = await cli([...base, '--duration', '10']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --requests <n> or --duration <seconds>/);
    const noToken = await cli(base, { env: { PHAROS_TOKEN: '' } });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /PHAROS_TOKEN/);
    assert.equal(seen.length, before);
  });

  it('sends the load test as the API takes it and exits 0 with the summary when it passes', async () => {
    script = (poll) => (poll < 3 ? { state: 'running', progress: poll / 3, overall: figures(poll * 300, 12) } : { state: 'passed', verdict: 'pass', progress: 1, overall: figures(1000, 12.5), criteria: { p95_below_ms: 50 }, by_region: [{ region: 'eu-west-1', state: 'done', runner_id: 'run_01J00000000000000000000000', ...figures(1000, 12.5) }] });
    const r = await cli([...base, '--rate', '200', '--p95-below', '50', '--error-rate-below', '0.01', '--timeout-ms', '2000', '--header', 'X-Env: ci']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(created, {
      regions: ['eu-west-1', 'us-east-1'], concurrency: 10, service_id: 'svc_01J00000000000000000000000',
      request: { method: 'GET', url: 'http://127.0.0.1:9/x', headers: { 'X-Env': 'ci' } }, requests: 1000, rate_per_second: 200, timeout_ms: 2000,
      criteria: { p95_below_ms: 50, error_rate_below: 0.01 },
    });
    assert.match(r.stderr, /running +33% · 300 requests/);
    assert.match(r.stdout, /load test ldt_\w+: passed \(pass\)/);
    assert.match(r.stdout, /overall +1,000 +100 +6\.25 +12\.5 +12\.5/);
    assert.match(r.stdout, /criteria: p95 below 50 ms/);
  });

  it('exits 1 with the reasons when a criterion fails, and prints JSON with --json', async () => {
    script = (poll) => (poll < 1 ? { state: 'running' } : { state: 'failed', verdict: 'fail', verdict_reasons: ['p95 412 ms is not below 300 ms'], overall: figures(1000, 412, 10) });
    const r = await cli(base);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✗ p95 412 ms is not below 300 ms/);
    assert.match(r.stdout, /status codes: 200×990 503×10/);
    const j = await cli([...base, '--json']);
    assert.equal(j.code, 1);
    assert.equal((JSON.parse(j.stdout) as LoadTest).verdict, 'fail');
  });

  it('exits 1 on an error or aborted test', async () => {
    script = () => ({ state: 'error', by_region: [{ region: 'eu-west-1', state: 'error', runner_id: null, message: 'no runner of eu-west-1 runs load tests', ...figures(0, null) }] });
    const r = await cli(base);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /eu-west-1: no runner of eu-west-1 runs load tests/);
  });

  it('exits 2 with the problem+json detail when the API refuses the test', async () => {
    problem = { status: 422, code: 'load_test_host_not_allowed', detail: 'Host 10.0.0.1 is not a host of the service\'s monitors nor in the allow-list.' };
    const r = await cli(base);
    problem = undefined;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /load_test_host_not_allowed: Host 10\.0\.0\.1 is not a host/);
  });

  it('aborts the test with DELETE on Ctrl-C and exits 1', async () => {
    script = () => ({ state: 'running', progress: 0.1 });
    const r = await cli(base, { interruptAfter: (err) => err.includes('running') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /aborting load test ldt_/);
    assert.ok(seen.some((s) => s.method === 'DELETE' && s.path === '/v1/load-tests/ldt_01J00000000000000000000000'));
  });
});
