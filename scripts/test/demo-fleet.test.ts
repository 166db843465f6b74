import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { monitorErrors, type MonitorInput } from '../../api/src/contract/index.ts';
import { CALLER_HEADER, createFleetModel, dependencyEdges, desiredMonitors, endpointsOf, modelErrors, startFleet, type RunningFleet } from '../demo/demo.api.ts';

// The simulated fleet of `npm run demo`: its shape, its real downstream calls, fault injection
// (break, slow, cut, heal) through the control object, the control server and the CLI.

const root = join(import.meta.dirname, '..', '..');

async function call(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, body: init.method === 'POST' ? '{}' : undefined, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, ms: Date.now() - started };
  } catch {
    return { status: 0, body: undefined, ms: Date.now() - started };
  }
}

function runCli(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

test('the model: 6 teams, 28 internal services with /health and 2-4 business endpoints each (~100 endpoints), 3 external APIs', () => {
  const model = createFleetModel();
  assert.deepEqual(modelErrors(model), []);
  assert.equal(model.teams.length, 6);
  const internal = model.services.filter((s) => s.kind === 'internal');
  const external = model.services.filter((s) => s.kind === 'external');
  assert.equal(internal.length, 28);
  assert.deepEqual(external.map((s) => s.name).sort(), ['carrier-api', 'cms-provider', 'payment-gateway']);
  for (const s of internal) assert.ok(s.endpoints.length >= 2 && s.endpoints.length <= 4, `${s.name} has ${s.endpoints.length} business endpoints`);
  const endpoints = internal.reduce((n, s) => n + endpointsOf(s).length, 0);
  assert.ok(endpoints >= 95 && endpoints <= 110, `${endpoints} internal endpoints`);
  const edges = new Set(dependencyEdges(model).map((e) => `${e.from}->${e.to}`));
  for (const e of ['storefront-web->catalog-api', 'cart->pricing', 'checkout-api->payments-api', 'payments-api->payment-gateway', 'fulfillment-api->shipping-integration', 'shipping-integration->carrier-api', 'orders->inventory', 'orders->order-events', 'notifications->order-events', 'content-api->cms-provider']) {
    assert.ok(edges.has(e), `edge ${e}`);
  }
  assert.notEqual(createFleetModel(), createFleetModel(), 'a fresh model per call, no shared singleton');
});

test('the monitors the declaration asks for: /health of every service, every key endpoint, every edge from the caller\'s zone', () => {
  const model = createFleetModel();
  const urls = new Map(model.services.map((s, i) => [s.name, `http://127.0.0.1:${20000 + i}`]));
  const monitors = desiredMonitors(model, urls);
  const keys = model.services.reduce((n, s) => n + s.endpoints.filter((e) => e.key).length, 0);
  assert.ok(keys >= 28, `${keys} key endpoints`);
  assert.equal(monitors.length, model.services.length + keys + dependencyEdges(model).length);
  const names = new Set(monitors.map((m) => `${m.service}/${String(m.body.name)}`));
  assert.equal(names.size, monitors.length, 'names are unique per service');
  for (const m of monitors) {
    assert.match(String(m.body.name), /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);
    assert.deepEqual(monitorErrors({ ...m.body, service_id: 'svc_01JD0000000000000000000000' } as unknown as MonitorInput), [], String(m.body.name));
    assert.equal(m.body.interval_seconds, 30);
    assert.deepEqual(m.body.regions, []);
  }
  const pooled = monitors.filter((m) => (m.body.http as { metrics?: unknown }).metrics);
  assert.deepEqual(pooled.map((m) => m.body.name), ['orders-health'], 'the health monitor of the service with a pool reads its metrics');
  assert.deepEqual((pooled[0]!.body.http as { metrics?: unknown }).metrics, [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }]);
  const edge = monitors.find((m) => m.body.name === 'shipping-integration-reaches-carrier-api')!;
  assert.equal(edge.service, 'shipping-integration');
  assert.deepEqual(edge.body.run_from, { zone: 'fulfillment' });
  assert.deepEqual(edge.body.http, { method: 'GET', url: `${urls.get('carrier-api')}/health`, headers: { [CALLER_HEADER]: 'shipping-integration' } });
  assert.deepEqual(edge.edge, { from: 'shipping-integration', to: 'carrier-api' }, 'it names the edge it checks (its id becomes dependency_id)');
  assert.deepEqual(monitors.filter((m) => m.edge).map((m) => `${m.edge!.from}>${m.edge!.to}`).sort(), dependencyEdges(model).map((e) => `${e.from}>${e.to}`).sort(), 'one edge monitor per edge');
  assert.ok(monitors.every((m) => (m.role === 'edge') === (m.edge !== undefined)), 'only edge monitors name an edge');
  const fast = desiredMonitors(model, urls, { regions: ['eu-west-1', 'us-east-1'], intervalSeconds: 5 });
  assert.ok(fast.every((m) => m.body.interval_seconds === 5 && m.body.timeout_seconds === 4 && (m.body.regions as string[]).join() === 'eu-west-1,us-east-1'));
});

describe('a running fleet', () => {
  let fleet: RunningFleet;
  const url = (service: string, path: string) => `${fleet.services.get(service)!.url}${path}`;

  before(async () => {
    fleet = await startFleet({ controlPort: 0, downstreamTimeoutMs: 2000 });
  });
  after(async () => {
    await fleet?.stop();
  });

  test('31 servers on 127.0.0.1; every /health and every business endpoint answers 200 with JSON', async () => {
    assert.equal(fleet.services.size, 31);
    for (const s of fleet.services.values()) assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const model = fleet.model;
    const results = [];
    for (const s of model.services) {
      results.push(...(await Promise.all(endpointsOf(s).map(async (e) => ({ id: `${s.name} ${e.method} ${e.path}`, ...(await call(url(s.name, e.path), { method: e.method })) })))));
    }
    assert.equal(results.length, model.services.reduce((n, s) => n + endpointsOf(s).length, 0));
    for (const r of results) {
      assert.equal(r.status, 200, `${r.id}: ${JSON.stringify(r.body)}`);
      assert.equal(typeof r.body, 'object', r.id);
    }
    assert.deepEqual((await call(url('pricing', '/health'))).body, { status: 'healthy' });
    assert.equal((await call(url('pricing', '/nope'))).status, 404);
  });

  test('cut: the business endpoint fails with 502 while both /health stay 200; callers up the chain fail too; heal restores', async () => {
    fleet.control.cut('shipping-integration', 'carrier-api');
    const rates = await call(url('shipping-integration', '/rates'));
    assert.equal(rates.status, 502);
    assert.equal(rates.body.dependency, 'carrier-api');
    assert.equal((await call(url('shipping-integration', '/health'))).status, 200, '/health of the caller stays green');
    assert.equal((await call(url('carrier-api', '/health'))).status, 200, 'the downstream itself is fine');
    assert.equal((await call(url('carrier-api', '/v3/rates'))).status, 200, 'other callers still reach it');
    assert.equal((await call(url('carrier-api', '/health'), { headers: { [CALLER_HEADER]: 'shipping-integration' } })).status, 0, 'a check from the caller\'s zone is dropped');
    const options = await call(url('checkout-api', '/checkout/shipping-options'));
    assert.equal(options.status, 502);
    assert.equal(options.body.dependency, 'shipping-integration');
    assert.equal((await call(url('shipping-integration', '/tracking/shp-88'))).status, 502);
    assert.deepEqual(fleet.control.status().cuts, [{ from: 'shipping-integration', to: 'carrier-api' }]);

    fleet.control.heal('shipping-integration');
    assert.equal((await call(url('shipping-integration', '/rates'))).status, 200);
    assert.equal((await call(url('checkout-api', '/checkout/shipping-options'))).status, 200);
    assert.equal(fleet.control.status().healthy, true);
  });

  test('break: every endpoint of the service answers 500, /health too; its callers answer 502', async () => {
    fleet.control.break('pricing');
    assert.equal((await call(url('pricing', '/health'))).status, 500);
    assert.equal((await call(url('pricing', '/prices/sku-1042'))).status, 500);
    const product = await call(url('catalog-api', '/products/sku-1042'));
    assert.equal(product.status, 502);
    assert.equal(product.body.dependency_status, 500);
    assert.equal((await call(url('catalog-api', '/health'))).status, 200);
    assert.equal((await call(url('storefront-web', '/'))).status, 502, 'two levels up');
    fleet.control.heal('all');
    assert.equal((await call(url('storefront-web', '/'))).status, 200);
  });

  test('slow: responses are delayed; a caller waiting longer than its downstream timeout answers 504', async () => {
    fleet.control.slow('tax-service', 150);
    const slow = await call(url('tax-service', '/health'));
    assert.equal(slow.status, 200);
    assert.ok(slow.ms >= 140, `took ${slow.ms} ms`);
    assert.equal((await call(url('checkout-api', '/checkout/quote'), { method: 'POST' })).status, 200, 'within the 2000 ms downstream timeout');
    fleet.control.slow('tax-service', 2300);
    const quote = await call(url('checkout-api', '/checkout/quote'), { method: 'POST' });
    assert.equal(quote.status, 504);
    assert.equal(quote.body.error, 'dependency_timeout');
    fleet.control.slow('tax-service', 0);
    assert.equal(fleet.control.status().healthy, true);
  });

  test('pool metrics: orders /health reports its pool; a slow downstream fills it and callers wait', async () => {
    assert.deepEqual((await call(url('orders', '/health'))).body, { status: 'healthy', pool: { utilization_pct: 0, wait_count: 0 } });
    fleet.control.slow('inventory', 800);
    try {
      // Twelve orders in flight, each holding one of the 10 connections while inventory answers slowly.
      const orders = Array.from({ length: 12 }, () => call(url('orders', '/orders'), { method: 'POST' }));
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual((await call(url('orders', '/health'))).body, { status: 'healthy', pool: { utilization_pct: 100, wait_count: 2 } });
      assert.ok((await Promise.all(orders)).every((o) => o.status === 200));
    } finally {
      fleet.control.slow('inventory', 0);
    }
    assert.deepEqual((await call(url('orders', '/health'))).body.pool, { utilization_pct: 0, wait_count: 0 }, 'the pool drains');
  });

  test('the control server: HTTP commands, problem+json errors, an HTML page', async () => {
    const c = fleet.controlUrl!;
    const post = (path: string) => fetch(c + path, { method: 'POST' }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as any }));
    assert.equal((await post('/cut/orders/inventory')).body.summary, 'cut: orders -> inventory');
    assert.equal((await call(url('orders', '/orders'), { method: 'POST' })).status, 502);
    assert.equal((await post('/slow/ledger/20')).status, 200);
    assert.equal((await post('/break/ledger')).body.broken[0], 'ledger');
    const unknown = await post('/break/nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.type, 'application/problem+json');
    assert.equal((await post('/cut/pricing/carrier-api')).status, 422, 'not an edge');
    assert.equal((await post('/slow/ledger/fast')).status, 422);
    assert.equal((await post('/slow/ledger/999999')).status, 422);
    assert.equal((await fetch(c + '/break/ledger', { method: 'POST', headers: { origin: 'http://evil.example' } })).status, 403);
    const status = (await (await fetch(c + '/status')).json()) as any;
    assert.deepEqual(status.cuts, [{ from: 'orders', to: 'inventory' }]);
    const fleetInfo = (await (await fetch(c + '/fleet')).json()) as any;
    assert.equal(fleetInfo.services.length, 31);
    const page = await fetch(c + '/');
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /data-post="\/break\/shipping-integration"/);
    assert.equal((await post('/heal')).body.summary, 'all healthy');
  });

  test('the CLI talks to the running control server', async () => {
    const env = { PHAROS_DEMO_CONTROL_PORT: new URL(fleet.controlUrl!).port };
    const cut = await runCli(['cut', 'shipping-integration', 'carrier-api'], env);
    assert.equal(cut.code, 0, cut.stderr);
    assert.match(cut.stdout, /cut: shipping-integration -> carrier-api/);
    assert.equal((await call(url('shipping-integration', '/rates'))).status, 502);
    const [wrong, heal] = await Promise.all([runCli(['cut', 'pricing', 'nope'], env), runCli(['heal', 'all'], env)]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /No service named "nope"/);
    assert.equal(heal.code, 0, heal.stderr);
    assert.match(heal.stdout, /all healthy/);
    assert.equal((await call(url('shipping-integration', '/rates'))).status, 200);
  });
});

test('npm run demo -- fleet-only runs the fleet and its control server; CLI errors are clear', { timeout: 25_000 }, async () => {
  const controlPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), 'fleet-only'], { cwd: root, env: { ...process.env, PHAROS_DEMO_CONTROL_PORT: String(controlPort) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fleet-only not ready in 15 s:\n${out}`)), 15_000);
      child.stdout.on('data', () => {
        if (out.includes('Ctrl-C stops the fleet')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`fleet-only exited:\n${out}`)));
    });
    assert.match(out, /28 services and 3 external APIs, 112 endpoints/);
    assert.match(out, /npm run demo -- cut shipping-integration carrier-api/);
    assert.match(out, new RegExp(`Control: http://127.0.0.1:${controlPort}`));
    const env = { PHAROS_DEMO_CONTROL_PORT: String(controlPort) };
    const status = await runCli(['status'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /all healthy/);
    const rates = /shipping-integration\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(rates, out);
    assert.equal((await runCli(['cut', 'shipping-integration', 'carrier-api'], env)).code, 0);
    assert.equal((await call(`${rates}/rates`)).status, 502);
    assert.equal((await call(`${rates}/health`)).status, 200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
  const [noServer, usage] = await Promise.all([runCli(['status'], { PHAROS_DEMO_CONTROL_PORT: String(controlPort) }), runCli(['bogus'], {})]);
  assert.equal(noServer.code, 1);
  assert.match(noServer.stderr, /No demo control server answers/);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /Unknown command "bogus"/);
});
