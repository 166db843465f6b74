import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { CALLER_HEADER, createFleetModel, DeclareConflictError, declareFleet, demoIncidentSettings, dependencyEdges, PharosApiError, PharosClient, startFleet, type RunningFleet } from '../demo/demo.api.ts';
import { runReadmeTour } from './support/readme-tour.ts';

// `npm run demo` declares the fleet in a real control plane (PostgreSQL): teams, 28 + 3 services,
// the dependency edges, the monitors (each edge monitor naming its edge) and the incident
// settings; a second run declares nothing twice.
// Run with: npm test -- scripts/test/demo-declare.test.ts

const root = join(import.meta.dirname, '..', '..');
const skip = postgresSkip();

describe('declaring the demo fleet', { skip }, () => {
  let api: TestApi;
  let fleet: RunningFleet;
  const model = createFleetModel();
  const edges = dependencyEdges(model);
  const keyEndpoints = model.services.reduce((n, s) => n + s.endpoints.filter((e) => e.key).length, 0);
  const monitorCount = model.services.length + keyEndpoints + edges.length;
  const urls = () => new Map([...fleet.services].map(([name, s]) => [name, s.url]));

  before(async () => {
    [api, fleet] = await Promise.all([startTestApi({ backend: 'postgres' }), startFleet({ controlPort: 0 })]);
  });
  after(async () => {
    await Promise.all([api?.close(), fleet?.stop()]);
  });

  const list = async (path: string): Promise<any[]> => {
    const items: any[] = [];
    let cursor = '';
    for (let page = 0; page < 20; page++) {
      const res = await api.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      items.push(...res.body.items);
      if (!res.body.next_cursor) return items;
      cursor = encodeURIComponent(res.body.next_cursor);
    }
    throw new Error('too many pages');
  };

  test('creates the teams, 28 internal and 3 external services, the edges and the monitors', { timeout: 25_000 }, async () => {
    const report = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls() });
    assert.deepEqual(report.teams, { created: 6, updated: 0, unchanged: 0 });
    assert.deepEqual(report.services, { created: 31, updated: 0, unchanged: 0 });
    assert.deepEqual(report.dependencies, { created: edges.length, updated: 0, unchanged: 0 });
    assert.deepEqual(report.monitors, { created: monitorCount, updated: 0, unchanged: 0 });

    for (const t of model.teams) {
      const found = await api.call('GET', `/v1/teams?name=${t.name}`);
      assert.equal(found.body.items.length, 1, t.name);
    }
    const services = await list('/v1/services');
    assert.equal(services.length, 31);
    assert.equal(services.filter((s) => s.kind === 'external').length, 3);
    const byName = new Map(services.map((s) => [s.name, s]));
    const teams = new Map((await list('/v1/teams')).map((t) => [t.id, t.name]));
    assert.equal(teams.get(byName.get('shipping-integration').team_id), 'fulfillment');
    assert.equal(byName.get('carrier-api').kind, 'external');
    assert.equal(byName.get('shipping-integration').tags.source, 'pharos-demo');

    const edgeCount = (await Promise.all(services.map((s) => list(`/v1/services/${s.id}/dependencies`)))).reduce((n, d) => n + d.length, 0);
    assert.equal(edgeCount, edges.length);
    const shipDeps = await list(`/v1/services/${byName.get('shipping-integration').id}/dependencies`);
    assert.deepEqual(shipDeps.map((d) => d.depends_on_service_id), [byName.get('carrier-api').id]);

    const monitors = await list('/v1/monitors');
    assert.equal(monitors.length, monitorCount);
    const byMonitor = new Map(monitors.map((m) => [m.name, m]));
    const shipUrl = fleet.services.get('shipping-integration')!.url;
    const health = byMonitor.get('shipping-integration-health');
    assert.equal(health.http.url, `${shipUrl}/health`);
    assert.deepEqual(health.regions, []);
    assert.deepEqual(byMonitor.get('orders-health').http.metrics, [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }], 'the service with a pool has its pool metrics declared');
    const rates = byMonitor.get('shipping-integration-get-rates');
    assert.equal(rates.service_id, byName.get('shipping-integration').id);
    assert.equal(rates.http.url, `${shipUrl}/rates`);
    assert.deepEqual(
      rates.assertions.map((a: any) => [a.source, a.operator, a.target, a.severity ?? 'down']),
      [['status_code', 'equals', '200', 'down'], ['json_body', 'exists', undefined, 'down'], ['response_time', 'less_than', '500', 'degraded']],
    );
    const edge = byMonitor.get('shipping-integration-reaches-carrier-api');
    assert.equal(edge.service_id, byName.get('shipping-integration').id, 'the edge monitor belongs to the caller, whose path is broken');
    assert.deepEqual(edge.run_from, { zone: 'fulfillment' });
    assert.equal(edge.http.url, `${fleet.services.get('carrier-api')!.url}/health`);
    assert.equal(edge.http.headers[CALLER_HEADER], 'shipping-integration');
    assert.equal(monitors.filter((m) => m.tags.check === 'edge').length, edges.length);
    assert.equal(monitors.filter((m) => m.tags.check === 'health').length, 31);

    // Each edge monitor names its edge (dependency_id): the edge from its own service to the one it checks.
    assert.equal(edge.dependency_id, shipDeps[0].id, 'shipping-integration-reaches-carrier-api checks the edge shipping-integration → carrier-api');
    const edgeOf = new Map<string, string>();
    for (const s of services) for (const d of await list(`/v1/services/${s.id}/dependencies`)) edgeOf.set(`${s.id}>${d.depends_on_service_id}`, d.id);
    const wrong = monitors
      .filter((m) => m.tags.check === 'edge')
      .filter((m) => m.dependency_id === undefined || m.dependency_id !== edgeOf.get(`${m.service_id}>${byName.get(m.tags.downstream).id}`))
      .map((m) => `${m.name}: ${m.dependency_id}`);
    assert.deepEqual(wrong, [], 'every edge monitor names the edge it checks');
    assert.equal(new Set(monitors.map((m) => m.dependency_id).filter(Boolean)).size, edges.length, 'one edge monitor per edge');
    assert.ok(monitors.filter((m) => m.tags.check !== 'edge').every((m) => m.dependency_id === undefined), 'health and business monitors name no edge');

    // The incident settings: a healed cut resolves its incident after 20 quiet seconds.
    assert.equal(report.incidentSettings, 'written');
    const settings = (await api.call('GET', '/v1/incident-settings')).body;
    assert.deepEqual({ ...settings, updated_at: undefined }, { ...demoIncidentSettings, resolve_after_seconds: 20, updated_at: undefined, version: 1, managed_by: 'api' });

    // The public status page: the shop's customer-facing services under friendly names, grouped.
    assert.deepEqual(report.statusPage, { state: 'created', url: `${api.url}/status/acme` });
    const [page, ...others] = await list('/v1/status-pages');
    assert.equal(others.length, 0);
    assert.deepEqual([page.title, page.slug, page.visibility, page.team_id], ['Acme status', 'acme', 'public', [...teams].find(([, name]) => name === 'storefront')![0]]);
    const byId = new Map(services.map((s) => [s.id, s.name]));
    assert.deepEqual(
      page.components.map((c: any) => [c.group, c.display_name, byId.get(c.service_id)]),
      [
        ['Shop', 'Website', 'storefront-web'], ['Shop', 'Mobile apps', 'api-gateway'], ['Shop', 'Search', 'search-api'], ['Shop', 'Sign-in', 'identity'],
        ['Ordering', 'Shopping cart', 'cart'], ['Ordering', 'Checkout', 'checkout-api'], ['Ordering', 'Payments', 'payments-api'], ['Ordering', 'Order processing', 'orders'],
        ['Delivery', 'Shipping and tracking', 'fulfillment-api'], ['Delivery', 'Returns', 'returns'],
        ['Messages', 'E-mails and push notifications', 'notifications'],
      ],
    );
  });

  test('a second run declares nothing twice; new ports update the monitors in place', { timeout: 25_000 }, async () => {
    const again = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls() });
    assert.deepEqual(
      [again.teams, again.services, again.dependencies, again.monitors].map((c) => c.created + c.updated),
      [0, 0, 0, 0],
    );
    assert.equal(again.monitors.unchanged, monitorCount);
    assert.equal(again.incidentSettings, 'unchanged');
    assert.equal(again.statusPage.state, 'unchanged');
    assert.equal((await api.call('GET', '/v1/incident-settings')).body.version, 1, 'the settings were not written again');

    // An edge monitor that exists without its edge (declared before monitors named edges, or cleared by hand) gets it back.
    const edgeMonitor = (await list('/v1/monitors')).find((m) => m.name === 'shipping-integration-reaches-carrier-api');
    const edgeId = edgeMonitor.dependency_id;
    assert.match(String(edgeId), /^dep_/);
    assert.equal((await api.call('PATCH', `/v1/monitors/${edgeMonitor.id}`, { body: { dependency_id: null } })).status, 200);
    assert.equal((await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body.dependency_id, undefined);
    const healed = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls() });
    assert.deepEqual(healed.monitors, { created: 0, updated: 1, unchanged: monitorCount - 1 });
    assert.equal((await api.call('GET', `/v1/monitors/${edgeMonitor.id}`)).body.dependency_id, edgeId, 'updated in place with its edge');

    const moved = new Map([...urls()].map(([name, url]) => [name, name === 'carrier-api' ? 'http://127.0.0.1:9' : url]));
    const third = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: moved });
    assert.deepEqual(third.monitors, { created: 0, updated: 2, unchanged: monitorCount - 2 }, 'carrier-api-health and shipping-integration-reaches-carrier-api follow the new port');
    const monitors = await list('/v1/monitors');
    assert.equal(monitors.length, monitorCount);
    assert.equal(monitors.find((m) => m.name === 'carrier-api-health').http.url, 'http://127.0.0.1:9/health');
    assert.equal((await list('/v1/services')).length, 31);
  });

  test('incident settings someone else chose are kept as they are', async () => {
    const chosen = await api.call('PUT', '/v1/incident-settings', { body: { correlation_window_seconds: 120, resolve_after_seconds: 600 } });
    assert.equal(chosen.status, 200);
    const logged: string[] = [];
    // With the ports of the previous run, so that the monitors stay as that run left them (declare-only below puts them back).
    const moved = new Map([...urls()].map(([name, url]) => [name, name === 'carrier-api' ? 'http://127.0.0.1:9' : url]));
    const report = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: moved, log: (l) => logged.push(l) });
    assert.equal(report.incidentSettings, 'kept');
    assert.ok(logged.includes("incident settings: kept as you set them (not the demo's)"), logged.join('\n'));
    assert.deepEqual((await api.call('GET', '/v1/incident-settings')).body, chosen.body, 'not written');
  });

  test('clear errors: a refused token, an unreachable API', async () => {
    await assert.rejects(declareFleet({ apiUrl: api.url, token: 'phs_wrong', model, urls: urls() }), (e: unknown) => e instanceof PharosApiError && /refused PHAROS_TOKEN \(401/.test(e.message));
    await assert.rejects(new PharosClient('http://127.0.0.1:9', 'phs_x').waitUntilReachable(300), (e: unknown) => e instanceof PharosApiError && /not reachable .*npm start/.test(e.message));
  });

  test('a create whose answer is lost is retried with the same Idempotency-Key and creates once', async () => {
    // A proxy that forwards every request but drops the connection instead of the first answer.
    const keys: string[] = [];
    let dropped = false;
    const target = new URL(api.url);
    const proxy = createServer((req, res) => {
      if (req.method === 'POST') keys.push(String(req.headers['idempotency-key']));
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        if (req.method === 'POST' && !dropped) {
          dropped = true;
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new PharosClient(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, api.adminToken);
      const team = await client.create<{ id: string }>('/v1/teams', { name: 'retried-team' });
      assert.equal(keys.length, 2, 'one retry');
      assert.equal(keys[0], keys[1], 'with the same key');
      assert.match(keys[0]!, /^pharos-demo-/);
      const found = await api.call('GET', '/v1/teams?name=retried-team');
      assert.deepEqual(found.body.items.map((t: { id: string }) => t.id), [team.id], 'created once');
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  test('an object of the same name that the demo did not declare is left alone, with a clear error', async () => {
    const monitor = (await list('/v1/monitors')).find((m) => m.name === 'carrier-api-health');
    const { id, team_id, created_at, updated_at, version, managed_by, heartbeat_url, configured_secrets, ...input } = monitor;
    const handmade = await api.call('PUT', `/v1/monitors/${id}`, { body: { ...input, tags: { owner: 'someone' } } });
    assert.equal(handmade.status, 200, JSON.stringify(handmade.body));
    await assert.rejects(declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls() }), (e: unknown) => e instanceof PharosApiError && e.message.includes(`monitor "carrier-api/carrier-api-health" (${id}, team "fulfillment")`) && /were not declared by it/.test(e.message));
    assert.deepEqual((await api.call('GET', `/v1/monitors/${id}`)).body.tags, { owner: 'someone' }, 'unchanged');
    assert.equal((await api.call('PUT', `/v1/monitors/${id}`, { body: input })).status, 200);
  });

  test('npm run demo -- declare-only declares the running fleet found through its control server', { timeout: 25_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), 'declare-only'], {
      cwd: root,
      env: { ...process.env, PHAROS_API_URL: api.url, PHAROS_TOKEN: api.adminToken, PHAROS_DEMO_CONTROL_PORT: new URL(fleet.controlUrl!).port },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`Declared ${monitorCount} monitors of 31 services`));
    assert.match(out, /services: 0 created, 0 updated, 31 unchanged/);
    assert.match(out, /monitors: 0 created, [1-9]\d* updated/, 'earlier tests moved some monitors');
    const health = (await list('/v1/monitors')).find((m) => m.name === 'carrier-api-health');
    assert.equal(health.http.url, `${fleet.services.get('carrier-api')!.url}/health`, 'the running fleet\'s URLs are back');
  });
});

describe('the documented order: the README tour, then the demo', { skip }, () => {
  let api: TestApi;
  let fleet: RunningFleet;
  const model = createFleetModel();
  const urls = () => new Map([...fleet.services].map(([name, s]) => [name, s.url]));
  const count = async (path: string) => (await new PharosClient(api.url, api.adminToken).list(path)).length;

  before(async () => {
    [api, fleet] = await Promise.all([startTestApi({ backend: 'postgres' }), startFleet({ controlPort: 0 })]);
  });
  after(async () => {
    await Promise.all([api?.close(), fleet?.stop()]);
  });

  test('after the README tour the demo declares its whole fleet and leaves the tour\'s objects alone', { timeout: 60_000 }, async () => {
    const tour = await runReadmeTour(api.url, api.adminToken);
    const before = { teams: await count('/v1/teams'), services: await count('/v1/services'), monitors: await count('/v1/monitors') };
    assert.ok(before.services >= 1 && before.monitors >= 1, tour.output);
    const report = await declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls() });
    assert.equal(report.services.created + report.services.unchanged, 31);
    assert.equal(report.services.updated, 0, 'no tour object was taken over');
    assert.equal(await count('/v1/services'), before.services + report.services.created);
    const tourMonitor = await api.call('GET', `/v1/monitors/${tour.vars.MON}`);
    assert.equal(tourMonitor.status, 200);
    assert.equal(tourMonitor.body.tags?.source, undefined, 'the tour monitor is not re-tagged');
  });

  test('a real conflict: a clear error naming the object, its id and team, and nothing created', { timeout: 30_000 }, async () => {
    const other = await startTestApi({ backend: 'postgres' });
    try {
      const team = (await other.call('POST', '/v1/teams', { body: { name: 'vendors' } })).body;
      const carrier = (await other.call('POST', '/v1/services', { body: { name: 'carrier-api', team_id: team.id, kind: 'external' } })).body;
      const ledger = (await other.call('POST', '/v1/services', { body: { name: 'ledger', team_id: team.id } })).body;
      const error = await declareFleet({ apiUrl: other.url, token: other.adminToken, model, urls: urls() }).then(
        () => assert.fail('declared despite the conflict'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DeclareConflictError, String(error));
      assert.deepEqual(error.conflicts.map((c) => [c.kind, c.name, c.id, c.team]).sort(), [['service', 'carrier-api', carrier.id, 'vendors'], ['service', 'ledger', ledger.id, 'vendors']].sort());
      assert.match(error.message, new RegExp(`service "carrier-api" \\(${carrier.id}, team "vendors"\\)`));
      assert.match(error.message, /nothing was created/);
      assert.match(error.message, /rename or delete these objects/);
      assert.match(error.message, /npm run demo -- declare-only/);
      const list = async (path: string) => (await new PharosClient(other.url, other.adminToken).list<{ name: string }>(path)).map((o) => o.name).sort();
      assert.deepEqual(await list('/v1/teams'), ['vendors'], 'no team created');
      assert.deepEqual(await list('/v1/services'), ['carrier-api', 'ledger'], 'no service created');
      assert.deepEqual(await list('/v1/monitors'), [], 'no monitor created');
      // Tagged for the demo, the objects are taken over and the fleet is declared.
      for (const s of [carrier, ledger]) {
        const { id, created_at, updated_at, version, managed_by, ...input } = s;
        assert.equal((await other.call('PUT', `/v1/services/${id}`, { body: { ...input, tags: { source: 'pharos-demo' } } })).status, 200);
      }
      const report = await declareFleet({ apiUrl: other.url, token: other.adminToken, model, urls: urls() });
      assert.equal(report.services.updated, 2);
      assert.equal(report.services.created, 29);
    } finally {
      await other.close();
    }
  });
});
