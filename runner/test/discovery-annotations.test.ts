import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import { parseAnnotations, parseDuration } from '../src/discovery/annotations.parser.ts';
import { buildDesired, monitorName, type BuildOptions } from '../src/discovery/desired.builder.ts';

const options: BuildOptions = {
  source: 'prod',
  namespaces: [],
  excludeNamespaces: ['kube-system'],
  selectedNamespaces: undefined,
  defaultTeam: undefined,
  defaultPath: '/healthz',
  defaultIntervalSeconds: 60,
  clusterDomain: '',
};
const service = (name: string, annotations: Record<string, string>, ports: { name?: string; port: number }[] = [{ name: 'http', port: 8080 }], namespace = 'shop'): V1Service => ({
  metadata: { name, namespace, uid: `uid-${name}`, annotations },
  spec: { ports },
});

describe('annotation parsing', () => {
  it('reads every pharos.dev/ annotation', () => {
    const parsed = parseAnnotations({
      'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments', 'pharos.dev/service': 'checkout', 'pharos.dev/path': '/ready', 'pharos.dev/port': 'metrics',
      'pharos.dev/scheme': 'HTTPS', 'pharos.dev/interval': '1m30s', 'pharos.dev/timeout': '5s', 'pharos.dev/regions': 'us-east-1, eu-west-1,us-east-1',
      'pharos.dev/zone': 'fulfillment', 'pharos.dev/depends-on': 'inventory,payments-api', 'pharos.dev/expect-status': '200-299',
    });
    assert.ok(parsed.optedIn);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.settings, {
      via: 'pharos', team: 'payments', service: 'checkout', path: '/ready', port: 'metrics', scheme: 'https', intervalSeconds: 90, timeoutSeconds: 5,
      regions: ['us-east-1', 'eu-west-1'], zone: 'fulfillment', dependsOn: ['inventory', 'payments-api'],
      assertions: [{ source: 'status_code', operator: 'in_range', target: '200-299' }],
    });
  });

  it('is not opted in without monitor: "true" or prometheus.io/probe: "true"', () => {
    assert.deepEqual(parseAnnotations({ 'pharos.dev/team': 'payments' }), { optedIn: false });
    assert.deepEqual(parseAnnotations({ 'pharos.dev/monitor': 'false' }), { optedIn: false });
    assert.deepEqual(parseAnnotations(undefined), { optedIn: false });
  });

  it('takes path, port and scheme from prometheus.io/ annotations', () => {
    const parsed = parseAnnotations({ 'prometheus.io/probe': 'true', 'prometheus.io/path': '/metrics-health', 'prometheus.io/port': '9090', 'prometheus.io/scheme': 'http' });
    assert.ok(parsed.optedIn);
    assert.equal(parsed.settings.via, 'prometheus');
    assert.equal(parsed.settings.path, '/metrics-health');
    assert.equal(parsed.settings.port, 9090);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['interval below 5 s', { 'pharos.dev/interval': '2s' }, /pharos\.dev\/interval: "2s"/],
    ['interval not a duration', { 'pharos.dev/interval': 'often' }, /pharos\.dev\/interval/],
    ['timeout not below interval', { 'pharos.dev/interval': '10s', 'pharos.dev/timeout': '10s' }, /must be below pharos\.dev\/interval/],
    ['path without slash', { 'pharos.dev/path': 'healthz' }, /pharos\.dev\/path: "healthz" must be a URL path/],
    ['port out of range', { 'pharos.dev/port': '70000' }, /pharos\.dev\/port/],
    ['scheme', { 'pharos.dev/scheme': 'ftp' }, /"http" or "https"/],
    ['region', { 'pharos.dev/regions': 'US East' }, /pharos\.dev\/regions: "US East"/],
    ['team with a space', { 'pharos.dev/team': 'pay ments' }, /pharos\.dev\/team/],
    ['expect-status', { 'pharos.dev/expect-status': 'ok' }, /pharos\.dev\/expect-status/],
    ['depends-on', { 'pharos.dev/depends-on': 'a b' }, /pharos\.dev\/depends-on/],
  ];
  for (const [what, annotations, message] of bad) {
    it(`reports a bad annotation: ${what}`, () => {
      const parsed = parseAnnotations({ 'pharos.dev/monitor': 'true', ...annotations });
      assert.ok(parsed.optedIn);
      assert.equal(parsed.problems.length, 1, parsed.problems.join('; '));
      assert.match(parsed.problems[0]!, message);
    });
  }

  it('parses durations as seconds or Go-style', () => {
    assert.deepEqual(['30', '30s', '5m', '1h', '1m30s', '2.5', 'x', ''].map(parseDuration), [30, 30, 300, 3600, 90, 2.5, undefined, undefined]);
  });
});

describe('desired monitors from Services and Ingresses', () => {
  it('a Service becomes one monitor on its cluster DNS name, tagged with source and object', () => {
    const set = buildDesired([service('checkout', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'payments', 'pharos.dev/depends-on': 'inventory' })], [], options);
    assert.deepEqual(set.problems, []);
    assert.equal(set.monitors.length, 1);
    const [m] = set.monitors;
    assert.equal(m!.doc.http.url, 'http://checkout.shop.svc:8080/healthz');
    assert.equal(m!.service, 'checkout');
    assert.equal(m!.team, 'payments');
    assert.deepEqual(m!.dependsOn, ['inventory']);
    assert.deepEqual(m!.doc.tags, { 'pharos.dev/source': 'prod', 'pharos.dev/object': 'service/shop/checkout' });
    assert.equal(m!.doc.name, 'prod.shop.checkout');
    assert.equal(m!.doc.timeout_seconds, 10);
  });

  it('picks the named port, https for port 443 or an https port name, and the cluster domain', () => {
    const set = buildDesired(
      [
        service('a', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't', 'pharos.dev/port': 'admin' }, [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }]),
        service('b', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't' }, [{ name: 'web', port: 443 }]),
        service('c', { 'prometheus.io/probe': 'true' }, [{ name: 'https-api', port: 8443 }]),
      ],
      [],
      { ...options, clusterDomain: 'cluster.local', defaultTeam: 'platform' },
    );
    assert.deepEqual(set.monitors.map((m) => [m.doc.http.url, m.team]), [
      ['http://a.shop.svc.cluster.local:9000/healthz', 't'],
      ['https://b.shop.svc.cluster.local:443/healthz', 't'],
      ['https://c.shop.svc.cluster.local:8443/', 'platform'],
    ]);
  });

  it('an Ingress becomes one monitor per host and path, https when the host has TLS', () => {
    const ingress: V1Ingress = {
      metadata: { name: 'storefront', namespace: 'web', uid: 'u1', annotations: { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 'web', 'pharos.dev/service': 'storefront' } },
      spec: {
        tls: [{ hosts: ['shop.example.com'] }, { hosts: ['*.example.org'] }],
        rules: [
          { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: {} }, { path: '/api', pathType: 'Prefix', backend: {} }] } },
          { host: 'eu.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: {} }] } },
          { host: 'plain.example.net' },
          { host: '*.wild.example.com' },
          { http: { paths: [{ path: '/x', pathType: 'Prefix', backend: {} }] } },
        ],
      },
    };
    const set = buildDesired([], [ingress], options);
    assert.deepEqual(set.problems, []);
    assert.deepEqual(set.monitors.map((m) => [m.doc.http.url, m.key]), [
      ['https://shop.example.com/', 'ingress/web/storefront/shop.example.com/'],
      ['https://shop.example.com/api', 'ingress/web/storefront/shop.example.com/api'],
      ['https://eu.example.org/', 'ingress/web/storefront/eu.example.org/'],
      ['http://plain.example.net/', 'ingress/web/storefront/plain.example.net/'],
    ]);
    assert.equal(new Set(set.monitors.map((m) => m.doc.name)).size, 4, 'names are unique within the service');
  });

  it('holds objects with problems and reports each; others proceed', () => {
    const set = buildDesired(
      [
        service('good', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't' }),
        service('noteam', { 'pharos.dev/monitor': 'true' }),
        service('probe', { 'prometheus.io/probe': 'true' }),
        service('bad', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't', 'pharos.dev/interval': '1s' }),
        service('noports', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't' }, []),
        service('wrongport', { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't', 'pharos.dev/port': 'grpc' }),
      ],
      [],
      options,
    );
    assert.deepEqual(set.monitors.map((m) => m.object.name), ['good']);
    assert.deepEqual(set.problems.map((p) => [p.object.name, p.code]), [
      ['noteam', 'missing_team'], ['probe', 'missing_team'], ['bad', 'invalid_annotation'], ['noports', 'no_port'], ['wrongport', 'unknown_port'],
    ]);
    assert.match(set.problems[1]!.message, /PHAROS_DISCOVERY_DEFAULT_TEAM/);
    assert.deepEqual([...set.held].sort(), ['service/shop/bad', 'service/shop/noports', 'service/shop/noteam', 'service/shop/probe', 'service/shop/wrongport']);
    assert.equal(set.objectsSeen, 6);
  });

  it('applies namespace include, exclude and selector lists', () => {
    const objs = ['a', 'b', 'kube-system', 'c'].map((ns) => service(`s-${ns}`, { 'pharos.dev/monitor': 'true', 'pharos.dev/team': 't' }, undefined, ns));
    assert.deepEqual(buildDesired(objs, [], options).monitors.map((m) => m.object.namespace), ['a', 'b', 'c']);
    assert.deepEqual(buildDesired(objs, [], { ...options, namespaces: ['a', 'kube-system'] }).monitors.map((m) => m.object.namespace), ['a']);
    assert.deepEqual(buildDesired(objs, [], { ...options, selectedNamespaces: new Set(['b', 'c']) }).monitors.map((m) => m.object.namespace), ['b', 'c']);
  });

  it('keeps monitor names valid and at most 100 characters, unique by hash when cut', () => {
    const long = monitorName(['prod', 'ns', 'x'.repeat(120)]);
    const other = monitorName(['prod', 'ns', `${'x'.repeat(119)}y`]);
    assert.ok(long.length <= 100 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(long));
    assert.notEqual(long, other);
    assert.equal(monitorName(['prod', 'web', 'shop', 'shop.example.com/api/v1']), 'prod.web.shop.shop.example.com-api-v1');
  });
});
