import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { V1Service } from '@kubernetes/client-node';
import { loadKubeClient } from '../src/discovery/kube.client.ts';
import { until } from './support/control-plane.fake.ts';
import { FakeKubeApi, type KubeList, type KubeObject } from './support/fake-kube-api.ts';
import { loadKubeFixtures } from './support/fake-kube-api.fixtures.ts';

let api: FakeKubeApi;

type Event = { type: string; object: KubeObject & { code?: number; reason?: string; message?: string } };

const request = (path: string, init: RequestInit = {}, token: string | null = api.token) =>
  fetch(`${api.url}${path}`, { ...init, headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(init.headers as Record<string, string> | undefined) } });

async function getJson<T = KubeObject & KubeList & Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const res = await request(path);
  return { status: res.status, body: (await res.json()) as T };
}

const names = (list: KubeList) => list.items.map((i) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`);

/** Reads a watch to its end (the caller passes timeoutSeconds, or the server ends it on ERROR). */
async function watchToEnd(path: string): Promise<Event[]> {
  const res = await request(path);
  assert.equal(res.status, 200);
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

const service = (name: string, namespace: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels, annotations },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] },
});

before(async () => {
  api = await FakeKubeApi.start({ fixtures: loadKubeFixtures(), bookmarkIntervalMs: 100 });
});

after(async () => {
  await api.close();
});

describe('fake Kubernetes API: lists and single objects', () => {
  it('lists Services cluster-wide and per namespace as typed lists, in key order, with the global resourceVersion', async () => {
    const all = await getJson('/api/v1/services');
    assert.equal(all.status, 200);
    assert.equal(all.body.kind, 'ServiceList');
    assert.equal(all.body.apiVersion, 'v1');
    assert.equal(all.body.metadata.resourceVersion, String(api.resourceVersion));
    assert.deepEqual(names(all.body), ['default/kubernetes', 'shop/checkout', 'shop/my-service', 'staging/redis']);
    assert.equal((all.body.items[0] as Record<string, unknown>).kind, undefined, 'list items carry no kind, as on a real server');
    const shop = await getJson('/api/v1/namespaces/shop/services');
    assert.deepEqual(names(shop.body), ['shop/checkout', 'shop/my-service']);
    const ingresses = await getJson('/apis/networking.k8s.io/v1/namespaces/shop/ingresses');
    assert.equal(ingresses.body.kind, 'IngressList');
    assert.equal(ingresses.body.apiVersion, 'networking.k8s.io/v1');
    assert.deepEqual(names(ingresses.body), ['shop/minimal-ingress', 'shop/tls-example-ingress']);
    const namespaces = await getJson('/api/v1/namespaces');
    assert.deepEqual(names(namespaces.body), ['/default', '/kube-node-lease', '/kube-public', '/kube-system', '/shop', '/staging']);
  });

  it('answers single GETs with the full object and 404 NotFound Status otherwise', async () => {
    const svc = await getJson('/api/v1/namespaces/shop/services/my-service');
    assert.equal(svc.status, 200);
    assert.equal(svc.body.kind, 'Service');
    assert.equal(svc.body.metadata.uid, '0c6f8a52-3e19-4d7b-a2c8-9f4e1b6d3a70', 'fixture uid kept');
    assert.match(svc.body.metadata.resourceVersion!, /^\d+$/);
    const ing = await getJson('/apis/networking.k8s.io/v1/namespaces/shop/ingresses/tls-example-ingress');
    assert.deepEqual((ing.body.spec as { tls: unknown }).tls, [{ hosts: ['https-example.foo.com'], secretName: 'testsecret-tls' }]);
    const ns = await getJson('/api/v1/namespaces/shop');
    assert.equal(ns.body.kind, 'Namespace');
    const missing = await getJson<Record<string, unknown>>('/api/v1/namespaces/shop/services/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'services "nope" not found', reason: 'NotFound', details: { name: 'nope', group: '', kind: 'services' }, code: 404 });
    assert.equal((await request('/api/v1/widgets')).status, 404);
    assert.equal((await request('/api/v1/namespaces/%E0%A4%A/services')).status, 400);
  });

  it('fills what the API server defaults: ClusterIP, port protocol and targetPort', () => {
    const stored = api.apply(service('defaults', 'staging'));
    const spec = stored.spec as { type: string; clusterIP: string; ports: { protocol: string; targetPort: number }[] };
    assert.equal(spec.type, 'ClusterIP');
    assert.match(spec.clusterIP, /^10\.96\.\d+\.\d+$/);
    assert.deepEqual([spec.ports[0]!.protocol, spec.ports[0]!.targetPort], ['TCP', 80]);
    const rv = api.resourceVersion;
    api.apply(service('defaults', 'staging'));
    assert.equal(api.resourceVersion, rv, 'a no-op update does not bump the resourceVersion');
    api.remove('Service', 'staging', 'defaults');
  });
});

describe('fake Kubernetes API: paging', () => {
  it('pages with limit and continue over a consistent snapshot, with remainingItemCount', async () => {
    const first = await getJson('/api/v1/services?limit=2');
    assert.deepEqual(names(first.body), ['default/kubernetes', 'shop/checkout']);
    assert.equal(first.body.metadata.remainingItemCount, 2);
    const token = first.body.metadata.continue!;
    assert.ok(token);
    // A write between pages: the next page still shows the state at the first page's resourceVersion.
    const before = api.object('Service', 'staging', 'redis')!;
    api.apply({ ...before, metadata: { ...before.metadata, labels: { ...before.metadata.labels, changed: 'yes' } } });
    api.apply(service('zzz-late', 'staging'));
    const second = await getJson(`/api/v1/services?limit=2&continue=${encodeURIComponent(token)}`);
    assert.deepEqual(names(second.body), ['shop/my-service', 'staging/redis']);
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    assert.equal(second.body.items[1]!.metadata.labels?.changed, undefined, 'snapshot, not the newer state');
    assert.equal(second.body.metadata.continue, undefined);
    api.remove('Service', 'staging', 'zzz-late');
  });

  it('answers 410 Expired for a continue token older than the compacted history, 400 for a garbled one', async () => {
    const first = await getJson('/api/v1/services?limit=1');
    api.apply(service('after-first-page', 'staging'));
    api.compact();
    const expired = await getJson<Record<string, unknown>>(`/api/v1/services?limit=1&continue=${encodeURIComponent(first.body.metadata.continue!)}`);
    assert.equal(expired.status, 410);
    assert.equal(expired.body.reason, 'Expired');
    assert.equal(expired.body.code, 410);
    assert.equal((await request('/api/v1/services?limit=1&continue=garbage')).status, 400);
    api.remove('Service', 'staging', 'after-first-page');
  });
});

describe('fake Kubernetes API: resourceVersion on lists', () => {
  it('reads the state at an Exact resourceVersion, and refuses one from the future with 504 Too large', async () => {
    const rv0 = String(api.resourceVersion);
    api.apply(service('exact-later', 'staging'));
    const now = await getJson('/api/v1/namespaces/staging/services');
    assert.ok(names(now.body).includes('staging/exact-later'));
    const then = await getJson(`/api/v1/namespaces/staging/services?resourceVersion=${rv0}&resourceVersionMatch=Exact`);
    assert.equal(then.body.metadata.resourceVersion, rv0);
    assert.ok(!names(then.body).includes('staging/exact-later'));
    const notOlder = await getJson(`/api/v1/namespaces/staging/services?resourceVersion=${rv0}`);
    assert.equal(notOlder.body.metadata.resourceVersion, String(api.resourceVersion), 'NotOlderThan semantics: the current state');
    const future = await getJson<Record<string, unknown>>(`/api/v1/services?resourceVersion=${api.resourceVersion + 100}`);
    assert.equal(future.status, 504);
    assert.equal(future.body.reason, 'Timeout');
    assert.equal((await request('/api/v1/services?resourceVersion=abc')).status, 400);
    api.remove('Service', 'staging', 'exact-later');
  });
});

describe('fake Kubernetes API: selectors', () => {
  const cases: [string, string[]][] = [
    ['labelSelector=tier%3Dfrontend', ['shop/my-service']],
    ['labelSelector=tier%3D%3Dfrontend', ['shop/my-service']],
    ['labelSelector=tier!%3Dfrontend', ['default/kubernetes', 'shop/checkout', 'staging/redis']],
    ['labelSelector=tier%20in%20(frontend,backend)', ['shop/checkout', 'shop/my-service']],
    ['labelSelector=tier%20notin%20(frontend,backend)', ['default/kubernetes', 'staging/redis']],
    ['labelSelector=tier', ['shop/checkout', 'shop/my-service', 'staging/redis']],
    ['labelSelector=!tier', ['default/kubernetes']],
    ['labelSelector=app.kubernetes.io/part-of%3Dshop,tier!%3Dbackend', ['shop/my-service']],
    ['fieldSelector=metadata.name%3Dcheckout', ['shop/checkout']],
    ['fieldSelector=metadata.namespace!%3Dshop', ['default/kubernetes', 'staging/redis']],
    ['fieldSelector=metadata.namespace%3Dshop&labelSelector=tier%3Dbackend', ['shop/checkout']],
  ];
  for (const [query, expected] of cases) {
    it(`filters ${decodeURIComponent(query)}`, async () => {
      const res = await getJson(`/api/v1/services?${query}`);
      assert.equal(res.status, 200);
      assert.deepEqual(names(res.body), expected);
    });
  }

  it('rejects a malformed label selector and an unsupported field with 400 BadRequest', async () => {
    for (const query of ['labelSelector=tier%20in%20frontend', 'labelSelector=a%3D%3D%3Db', 'fieldSelector=spec.selector%3Dx']) {
      const res = await getJson<Record<string, unknown>>(`/api/v1/services?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.reason, 'BadRequest');
    }
  });
});

describe('fake Kubernetes API: watch', () => {
  it('replays the changes after a resourceVersion, in order, then ends at timeoutSeconds', async () => {
    const rv0 = Number((await getJson('/api/v1/namespaces/staging/services')).body.metadata.resourceVersion);
    const redis = api.object('Service', 'staging', 'redis')!;
    api.apply({ ...redis, metadata: { ...redis.metadata, annotations: { 'pharos.dev/monitor': 'true' } } });
    api.apply(service('queue', 'staging'));
    api.apply(service('elsewhere', 'shop'));
    api.remove('Service', 'staging', 'queue');
    const events = await watchToEnd(`/api/v1/namespaces/staging/services?watch=true&resourceVersion=${rv0}&timeoutSeconds=1`);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['MODIFIED redis', 'ADDED queue', 'DELETED queue'],
    );
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((a, b) => a - b), rvs, 'resourceVersions increase');
    assert.ok(rvs[0]! > rv0);
    api.remove('Service', 'shop', 'elsewhere');
  });

  it('without a resourceVersion sends the current objects as ADDED first, then live changes', async () => {
    const res = await request('/apis/networking.k8s.io/v1/ingresses?watch=1&timeoutSeconds=2');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const lines = () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
    while (lines().length < 2) text += decoder.decode((await reader.read()).value);
    api.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'live', namespace: 'staging' }, spec: { defaultBackend: { service: { name: 'redis', port: { number: 6379 } } } } });
    while (lines().length < 3) text += decoder.decode((await reader.read()).value);
    assert.deepEqual(
      lines().map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED minimal-ingress', 'ADDED tls-example-ingress', 'ADDED live'],
    );
    await reader.cancel();
    api.remove('Ingress', 'staging', 'live');
  });

  it('sends an object leaving the label selector as DELETED and one entering it as ADDED', async () => {
    const rv0 = api.resourceVersion;
    const redis = api.object('Service', 'staging', 'redis')!;
    api.apply({ ...redis, metadata: { ...redis.metadata, labels: { ...redis.metadata.labels, tier: 'storage' } } });
    api.apply({ ...redis, metadata: { ...redis.metadata, labels: { ...redis.metadata.labels, tier: 'cache' } } });
    const events = await watchToEnd(`/api/v1/services?watch=true&labelSelector=tier%3Dcache&resourceVersion=${rv0}&timeoutSeconds=1`);
    assert.deepEqual(events.map((e) => e.type), ['DELETED', 'ADDED']);
  });

  it('sends BOOKMARKs carrying the current resourceVersion only when allowWatchBookmarks is set', async () => {
    const rv = api.resourceVersion;
    const withBookmarks = await watchToEnd(`/api/v1/services?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`);
    assert.ok(withBookmarks.length >= 2, `bookmarks every 100 ms over 1 s, got ${withBookmarks.length}`);
    for (const e of withBookmarks) {
      assert.equal(e.type, 'BOOKMARK');
      assert.deepEqual(e.object, { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: String(rv), creationTimestamp: null } });
    }
    const without = await watchToEnd(`/api/v1/services?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    assert.deepEqual(without, []);
  });

  it('answers a resourceVersion older than the compacted history with 200 and one ERROR 410 Expired event, then ends', async () => {
    const old = api.resourceVersion;
    api.apply(service('bump', 'staging'));
    api.compact();
    const events = await watchToEnd(`/api/v1/services?watch=true&resourceVersion=${old}`);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    assert.deepEqual(events[0]!.object, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${old} (${api.resourceVersion})`, reason: 'Expired', code: 410 });
    api.remove('Service', 'staging', 'bump');
  });

  it('frames the stream with chunked transfer encoding, one WatchEvent JSON line per chunk', async () => {
    const rv0 = api.resourceVersion;
    api.apply(service('chunk-a', 'staging'));
    api.apply(service('chunk-b', 'staging'));
    const port = new URL(api.url).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d.toString('latin1')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write(`GET /api/v1/namespaces/staging/services?watch=true&resourceVersion=${rv0}&timeoutSeconds=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\nConnection: close\r\n\r\n`);
    });
    const [head, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.match(head, /transfer-encoding: chunked/i);
    assert.match(head, /content-type: application\/json/i);
    const chunks: string[] = [];
    let rest = body;
    for (;;) {
      const sizeEnd = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, sizeEnd), 16);
      if (size === 0) break;
      chunks.push(rest.slice(sizeEnd + 2, sizeEnd + 2 + size));
      rest = rest.slice(sizeEnd + 2 + size + 2);
    }
    assert.equal(chunks.length, 2);
    for (const chunk of chunks) {
      assert.ok(chunk.endsWith('\n') && !chunk.slice(0, -1).includes('\n'), 'one event per chunk, newline-terminated');
      assert.equal((JSON.parse(chunk) as Event).type, 'ADDED');
    }
    api.remove('Service', 'staging', 'chunk-a');
    api.remove('Service', 'staging', 'chunk-b');
  });
});

describe('fake Kubernetes API: cutting watches and deleting namespaces', () => {
  it('dropWatches("reset") cuts the connection without the terminating chunk; "end" finishes the body', async () => {
    const cut = await request('/api/v1/services?watch=true');
    await until(() => api.openWatches('services') === 1, 'the watch open');
    assert.equal(api.dropWatches('reset'), 1);
    await assert.rejects(cut.text(), 'a reset stream is an error to the client');
    const ended = await request('/api/v1/services?watch=true');
    await until(() => api.openWatches('services') === 1, 'the second watch open');
    api.dropWatches('end');
    const events = (await ended.text()).split('\n').filter(Boolean);
    assert.equal(events.length, 4, 'the initial ADDED events, then a clean end');
    assert.equal(api.openWatches(), 0);
  });

  it('a deleted Namespace takes its objects with it, each sent as DELETED', async () => {
    api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    api.apply(service('a', 'doomed'));
    api.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'b', namespace: 'doomed' }, spec: {} });
    const rv0 = api.resourceVersion;
    assert.equal(api.remove('Namespace', undefined, 'doomed'), true);
    const events = await watchToEnd(`/api/v1/services?watch=true&resourceVersion=${rv0}&timeoutSeconds=1`);
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`), ['DELETED doomed/a']);
    assert.equal(api.object('Ingress', 'doomed', 'b'), undefined);
    assert.throws(() => api.apply(service('c', 'doomed')), /namespaces "doomed" not found/);
  });

  it('logs every request with its method, path, query and answered status', async () => {
    const from = api.requests.length;
    await request('/api/v1/namespaces/shop/services?labelSelector=tier%3Dfrontend&limit=5');
    await request('/api/v1/services', {}, null);
    assert.deepEqual(api.requests.slice(from), [
      { method: 'GET', path: '/api/v1/namespaces/shop/services', query: { labelSelector: 'tier=frontend', limit: '5' }, status: 200 },
      { method: 'GET', path: '/api/v1/services', query: {}, status: 401 },
    ]);
  });
});

describe('fake Kubernetes API: authentication, authorization and Events', () => {
  it('answers 401 Unauthorized without the Bearer token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const res = await request('/api/v1/services', {}, token);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('stores Events posted to either events API, with generated names, readable by the test', async () => {
    const before = api.events().length;
    const core = await request('/api/v1/namespaces/shop/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: 'my-service.' },
        involvedObject: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'my-service' },
        reason: 'InvalidAnnotation',
        message: 'pharos.dev/interval: "fast" is not a duration',
        type: 'Warning',
      }),
    });
    assert.equal(core.status, 201);
    const created = (await core.json()) as KubeObject;
    assert.match(created.metadata.name!, /^my-service\.[a-z0-9]{5}$/);
    const v1 = await request('/apis/events.k8s.io/v1/namespaces/shop/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'checkout.1' },
        eventTime: '2026-12-02T01:00:00.000000Z',
        reportingController: 'pharos.dev/discovery',
        reportingInstance: 'discovery-0',
        action: 'Reconcile',
        reason: 'UnknownTeam',
        note: 'team "nobody" does not exist',
        type: 'Warning',
        regarding: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'checkout' },
      }),
    });
    assert.equal(v1.status, 201);
    const events = api.events();
    assert.equal(events.length, before + 2);
    assert.deepEqual(events.slice(-2).map((e) => e.reason), ['InvalidAnnotation', 'UnknownTeam']);
  });

  it('rejects invalid Events with Status codes and stores nothing', async () => {
    const before = api.events().length;
    const post = (path: string, body: unknown, type = 'application/json') => request(path, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const missing = await post('/apis/events.k8s.io/v1/namespaces/shop/events', { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' }, type: 'Warning' });
    assert.equal(missing.status, 422);
    const status = (await missing.json()) as { reason: string; details: { causes: { field: string }[] } };
    assert.equal(status.reason, 'Invalid');
    assert.deepEqual(status.details.causes.map((c) => c.field), ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason']);
    assert.equal((await post('/api/v1/namespaces/nowhere/events', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' }, involvedObject: {} })).status, 404);
    assert.equal((await post('/api/v1/namespaces/shop/events', '{not json')).status, 400);
    assert.equal((await post('/api/v1/namespaces/shop/events', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).status, 400);
    assert.equal((await post('/api/v1/namespaces/shop/events', 'a', 'text/plain')).status, 415);
    assert.equal(api.events().length, before);
  });

  it('answers 403 Forbidden for a forbidden resource and verb, leaving the others allowed', async () => {
    api.forbid('events', ['create']);
    const res = await request('/api/v1/namespaces/shop/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'denied' }, involvedObject: { kind: 'Service', name: 'x' } }),
    });
    assert.equal(res.status, 403);
    const status = (await res.json()) as { reason: string; message: string };
    assert.equal(status.reason, 'Forbidden');
    assert.match(status.message, /cannot create resource "events" in API group "" in the namespace "shop"/);
    assert.equal((await request('/api/v1/services')).status, 200);
    api.permit('events');
    api.forbid('ingresses.networking.k8s.io', ['watch']);
    assert.equal((await request('/apis/networking.k8s.io/v1/ingresses')).status, 200);
    assert.equal((await request('/apis/networking.k8s.io/v1/ingresses?watch=true')).status, 403);
    api.permit('ingresses.networking.k8s.io');
    assert.ok(!api.events().some((e) => e.metadata.name === 'denied'));
  });
});

describe('fake Kubernetes API: a real @kubernetes/client-node informer', () => {
  it('follows add, update and delete, and after a compaction and dropped watches relists and converges', async () => {
    // The discovery agent's loader (the same @kubernetes/client-node the agent runs).
    const { CoreV1Api, KubeConfig, makeInformer } = await loadKubeClient();
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Service>(kc, '/api/v1/namespaces/shop/services', () => core.listNamespacedService({ namespace: 'shop' }));
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (s) => seen.push(`add ${s.metadata?.name}`));
    informer.on('update', (s) => seen.push(`update ${s.metadata?.name}`));
    informer.on('delete', (s) => seen.push(`delete ${s.metadata?.name}`));
    informer.on('error', (e) => errors.push(e));
    const cached = () => informer.list('shop').map((s) => `${s.metadata?.name}@${s.metadata?.resourceVersion}`).sort();
    const stored = () => ['checkout', 'my-service', 'web'].map((n) => api.object('Service', 'shop', n)).filter((s) => s !== undefined).map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`).sort();
    const startRequests = api.requests.length;
    try {
      await informer.start();
      await until(() => api.openWatches('services') === 1, 'the informer watching');
      assert.deepEqual(seen.sort(), ['add checkout', 'add my-service']);
      seen.length = 0;

      api.apply(service('web', 'shop', { tier: 'frontend' }, { 'pharos.dev/monitor': 'true' }));
      await until(() => seen.length === 1, 'add web');
      const web = api.object('Service', 'shop', 'web')!;
      api.apply({ ...web, metadata: { ...web.metadata, annotations: { 'pharos.dev/monitor': 'false' } } });
      await until(() => seen.length === 2, 'update web');
      api.remove('Service', 'shop', 'web');
      await until(() => seen.length === 3, 'delete web');
      assert.deepEqual(seen, ['add web', 'update web', 'delete web']);
      assert.deepEqual(cached(), stored());
      seen.length = 0;

      // While the watch is down: one object changes, one is deleted, and the history is compacted,
      // so the informer's resume resourceVersion is too old: ERROR 410, then a relist.
      const resumeFrom = String(api.resourceVersion); // the DELETED event's, the last the informer saw
      api.dropWatches('end');
      const checkout = api.object('Service', 'shop', 'checkout')!;
      api.apply({ ...checkout, metadata: { ...checkout.metadata, labels: { ...checkout.metadata.labels, version: 'v2' } } });
      api.remove('Service', 'shop', 'my-service');
      api.compact();
      await until(() => seen.length === 2 && api.openWatches('services') === 1, 'the informer relisting and watching again', 15_000);
      assert.deepEqual(seen.sort(), ['delete my-service', 'update checkout']);
      assert.deepEqual(cached(), stored());
      assert.equal(informer.list('shop').find((s) => s.metadata?.name === 'checkout')?.metadata?.labels?.version, 'v2');
      assert.deepEqual(errors, []);

      const log = api.requests.slice(startRequests).filter((r) => r.path === '/api/v1/namespaces/shop/services');
      const lists = log.filter((r) => r.query.watch === undefined);
      assert.equal(lists.length, 2, 'one initial list, one relist after 410');
      assert.ok(log.some((r) => r.query.watch === 'true' && r.query.resourceVersion === resumeFrom), 'resumed the watch from its last resourceVersion');
    } finally {
      await informer.stop();
    }
    api.apply(loadKubeFixtures('service-my-service')[0]!);
  });
});
