import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import type { SyncReport } from '../src/discovery/discovery.agent.ts';
import { loadDiscoveryConfig } from '../src/discovery/discovery.config.ts';
import { startDiscovery, type DiscoveryProcess } from '../src/discovery/main.ts';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from './support/fake-kube-api.ts';
import { memoryLogger } from './support/runner-process.harness.ts';

// The agent's composition root against a fake kube-apiserver (list/watch wire protocol) and a real
// control plane on PostgreSQL: what an operator sees after annotating, changing, deleting, restarting.

const source = 'test-cluster';
const annotated = (name: string, annotations: Record<string, string>, namespace = 'shop'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, annotations: { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments', ...annotations } },
  spec: { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], type: 'ClusterIP' },
});
const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'storefront', namespace: 'shop', annotations: { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments', 'pharos.dev/service': 'checkout' } },
  spec: {
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'checkout', port: { number: 8080 } } } }] } }],
  },
};

interface ApiMonitor { id: string; name: string; version: number; service_id: string; team_id: string; interval_seconds: number; http: { url: string }; tags: Record<string, string>; managed_by: string }

describe('discovery agent against a fake cluster and a real control plane', { skip: postgresSkip(), timeout: 90_000 }, () => {
  let api: TestApi;
  let kube: FakeKubeApi;
  let agent: DiscoveryProcess | undefined;
  const { logger, lines } = memoryLogger('debug');
  let teamId = '';

  const env = () => ({
    PHAROS_API_URL: api.url,
    PHAROS_DISCOVERY_TOKEN: api.adminToken,
    PHAROS_DISCOVERY_SOURCE: source,
    PHAROS_DISCOVERY_DELETE_GRACE_SECONDS: '2',
    PHAROS_DISCOVERY_DEBOUNCE_MS: '50',
    PHAROS_DISCOVERY_METRICS_PORT: 'auto',
    PHAROS_DISCOVERY_METRICS_HOST: '127.0.0.1',
    KUBECONFIG: kube.kubeconfigPath,
    LOG_LEVEL: 'debug',
  });
  const start = async () => (agent = await startDiscovery(loadDiscoveryConfig(env()), logger));
  const monitors = async (): Promise<ApiMonitor[]> => (await api.call('GET', `/v1/monitors?tag=pharos.dev/source:${source}&limit=200`)).body.items;
  const byObject = async (key: string) => (await monitors()).find((m) => m.tags['pharos.dev/object'] === key);
  const serviceLists = () => kube.requests.filter((r) => r.method === 'GET' && /\/services$/.test(r.path) && r.query.watch === undefined).length;
  /** Waits for the agent's next sync that satisfies `done`, at most 30 of them. */
  const syncUntil = async (done: (r: SyncReport | undefined) => boolean | Promise<boolean>, what: string): Promise<SyncReport | undefined> => {
    let last: SyncReport | undefined;
    for (let i = 0; i < 30; i++) {
      agent!.agent.schedule(0);
      last = await agent!.agent.nextSync();
      if (await done(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`${what}; last report: ${JSON.stringify(last)}\n${lines.slice(-20).map((l) => JSON.stringify(l)).join('\n')}`);
  };

  before(async () => {
    api = await startTestApi();
    teamId = (await api.call('POST', '/v1/teams', { body: { name: 'payments' } })).body.id;
    kube = await startFakeKubeApi({
      fixtures: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        annotated('inventory', { 'pharos.dev/expect-status': '200-299', 'pharos.dev/zone': 'shop-net', 'pharos.dev/timeout': '3s', 'pharos.dev/regions': 'us-east-1,eu-west-1' }),
        annotated('checkout', { 'pharos.dev/depends-on': 'inventory', 'pharos.dev/path': '/ready', 'pharos.dev/regions': 'eu-west-1' }),
        annotated('cart', {}),
        annotated('ledger', { 'pharos.dev/team': 'no-such-team' }),
        { ...annotated('plain', {}), metadata: { name: 'plain', namespace: 'shop' } },
        ingress,
      ],
    });
  });
  after(async () => {
    await agent?.shutdown('test done');
    await kube?.close();
    await api?.close();
  });

  it('annotated objects become monitors with the right URL, team, service and edges; a bad team is reported and blocks nothing', async () => {
    await start();
    await syncUntil(async () => (await monitors()).length === 4, 'four monitors (inventory, checkout, cart, the Ingress host)');
    const all = await monitors();
    const checkout = all.find((m) => m.tags['pharos.dev/object'] === 'service/shop/checkout')!;
    assert.equal(checkout.http.url, 'http://checkout.shop.svc:8080/ready');
    assert.equal(checkout.team_id, teamId);
    assert.equal(checkout.managed_by, 'discovery');
    const host = all.find((m) => m.tags['pharos.dev/object'] === 'ingress/shop/storefront/shop.example.com/')!;
    assert.equal(host.http.url, 'https://shop.example.com/');
    assert.equal(host.service_id, checkout.service_id, 'the Ingress monitor joins the service it names');
    const services = (await api.call('GET', '/v1/services?limit=200')).body.items as { id: string; name: string; managed_by: string }[];
    const inventory = services.find((s) => s.name === 'inventory')!;
    assert.equal(inventory.managed_by, 'discovery');
    const edges = (await api.call('GET', `/v1/services/${checkout.service_id}/dependencies`)).body.items as { depends_on_service_id: string }[];
    assert.deepEqual(edges.map((e) => e.depends_on_service_id), [inventory.id]);

    const report = (await api.call('GET', `/v1/discovery/sources/${source}`)).body;
    assert.equal(report.synced, true);
    assert.equal(report.monitors_managed, 4);
    assert.deepEqual(report.errors.map((e: { name: string; code: string }) => [e.name, e.code]), [['ledger', 'unknown_team']]);
    const events = kube.events().filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'ledger');
    assert.equal(events.length, 1);
    assert.equal((events[0] as { reason?: string }).reason, 'PharosInvalidAnnotation');
    assert.equal((events[0] as { type?: string }).type, 'Warning');
  });

  it('a changed annotation updates the monitor in place (same id)', async () => {
    const before = (await byObject('service/shop/checkout'))!;
    kube.apply(annotated('checkout', { 'pharos.dev/depends-on': 'inventory', 'pharos.dev/path': '/ready', 'pharos.dev/interval': '30s' }));
    await syncUntil(async () => (await byObject('service/shop/checkout'))?.interval_seconds === 30, 'the interval to change');
    const updated = (await byObject('service/shop/checkout'))!;
    assert.equal(updated.id, before.id);
    assert.ok(updated.version > before.version);
  });

  it('never changes a Terraform-managed monitor carrying the same tags', async () => {
    const svc = (await api.call('POST', '/v1/services', { body: { name: 'legacy', team_id: teamId }, headers: { 'Pharos-Managed-By': 'terraform' } })).body;
    const tf = await api.call('POST', '/v1/monitors', {
      headers: { 'Pharos-Managed-By': 'terraform' },
      body: { name: 'legacy-health', service_id: svc.id, type: 'http', interval_seconds: 120, http: { url: 'https://legacy.example.com/health' }, tags: { 'pharos.dev/source': source, 'pharos.dev/object': 'service/shop/legacy' } },
    });
    assert.equal(tf.status, 201, JSON.stringify(tf.body));
    kube.apply(annotated('legacy', { 'pharos.dev/interval': '15s' }));
    await syncUntil((r) => Boolean(r?.problems.some((p) => p.object.name === 'legacy' && p.code === 'managed_elsewhere')), 'legacy reported as managed elsewhere');
    const after = (await api.call('GET', `/v1/monitors/${tf.body.id}`)).body;
    assert.equal(after.version, tf.body.version);
    assert.equal(after.interval_seconds, 120);
    assert.equal(after.managed_by, 'terraform');
    assert.equal((await monitors()).filter((m) => m.tags['pharos.dev/object'] === 'service/shop/legacy').length, 1, 'no second monitor for the object');
  });

  it('a deleted Service: its monitor is kept through the grace, then deleted', async () => {
    const cart = (await byObject('service/shop/cart'))!;
    kube.remove('Service', 'shop', 'cart');
    await syncUntil(async () => Boolean((await byObject('service/shop/cart'))?.tags['pharos.dev/missing-since']), 'the cart monitor tagged missing');
    assert.equal((await byObject('service/shop/cart'))!.id, cart.id, 'kept during the grace');
    await syncUntil(async () => (await byObject('service/shop/cart')) === undefined, 'the cart monitor deleted after the grace');
    await syncUntil(async () => !(await api.call('GET', '/v1/services?name=cart')).body.items.length, 'the emptied discovered service removed');
  });

  it('a restart with no cluster change makes zero writes', async () => {
    await agent!.shutdown('restart');
    await start();
    const report = await agent!.agent.nextSync();
    assert.ok(report, 'the first sync after the restart succeeded');
    assert.equal(report.writes, 0, JSON.stringify(report.actions));
    assert.equal(report.actions.created + report.actions.updated + report.actions.deleted, 0);
  });

  it('after a compaction and dropped watches (410 Gone, relist) the agent converges on a new object', async () => {
    // In one tick: the watches end, a change happens while they are down, and the history is
    // compacted past the agent's resourceVersion, so its re-watch gets 410 Expired and it must relist.
    const listsBefore = serviceLists();
    kube.dropWatches();
    kube.apply(annotated('search', {}));
    kube.compact();
    await syncUntil(async () => (await byObject('service/shop/search'))?.http.url === 'http://search.shop.svc:8080/healthz', 'the search monitor after the relist');
    assert.ok(serviceLists() > listsBefore, 'the agent listed Services again after the 410');
    const metrics = await fetch(`http://127.0.0.1:${agent!.metricsPort}/metrics`).then((r) => r.text());
    assert.match(metrics, /pharos_discovery_actions_total\{action="created"\} [1-9]/);
    assert.match(metrics, /pharos_discovery_objects_watched\{kind="service"\} [1-9]/);
    const health = await fetch(`http://127.0.0.1:${agent!.metricsPort}/healthz`);
    assert.equal(health.status, 200);
  });

  it('without RBAC permission to create Events, problems still reach the source report and the sync goes on', async () => {
    kube.forbid('events', ['create']);
    kube.apply(annotated('broken', { 'pharos.dev/interval': 'often' }));
    kube.apply(annotated('reports', {}));
    await syncUntil(async (r) => Boolean(r?.problems.some((p) => p.object.name === 'broken' && p.code === 'invalid_annotation')) && (await byObject('service/shop/reports')) !== undefined, 'broken reported and reports created');
    assert.ok(!kube.events().some((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'broken'), 'no Event was stored');
    const report = (await api.call('GET', `/v1/discovery/sources/${source}`)).body;
    assert.ok(report.errors.some((e: { name: string; code: string; message: string }) => e.name === 'broken' && /pharos\.dev\/interval: "often"/.test(e.message)));
    assert.ok(lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('not allowed to create Events')));
  });
});
