import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { httpAssertions } from '../src/constructs/http-assertions.ts';
import { resolveUrl, ServiceMonitors } from '../src/constructs/service-monitors.construct.ts';

type Synth = { resource: Record<string, Record<string, Record<string, any>>> };

function synth(declare: (stack: TerraformStack) => void): Synth {
  const stack = new TerraformStack(Testing.app(), 'test');
  declare(stack);
  return JSON.parse(Testing.synth(stack)) as Synth;
}

const byName = (s: Synth, type: string) => new Map(Object.values(s.resource[type] ?? {}).map((r) => [r.name as string, r]));

test('httpAssertions: defaults and options, table', () => {
  const status = (target: string) => ({ source: 'status_code', operator: 'equals', target });
  const slow = (target: string) => ({ source: 'response_time', operator: 'less_than', target, severity: 'degraded' });
  const cases: [string, Parameters<typeof httpAssertions>[0], unknown[]][] = [
    ['defaults: 200, degraded above 500 ms', undefined, [status('200'), slow('500')]],
    ['other status and threshold', { status: 204, degradedAfterMs: 1500 }, [status('204'), slow('1500')]],
    ['0 ms leaves response time unchecked', { degradedAfterMs: 0 }, [status('200')]],
    ['body text', { bodyContains: 'ok' }, [status('200'), { source: 'body', operator: 'contains', target: 'ok' }, slow('500')]],
    [
      'JSON values in path order',
      { json: { '$.b': '2', '$.a': '1' } },
      [status('200'), { source: 'json_body', path: '$.a', operator: 'equals', target: '1' }, { source: 'json_body', path: '$.b', operator: 'equals', target: '2' }, slow('500')],
    ],
  ];
  for (const [name, input, expected] of cases) assert.deepEqual(httpAssertions(input), expected, name);
});

test('resolveUrl joins with one slash and keeps absolute URLs', () => {
  assert.equal(resolveUrl('http://a.internal/', '/health'), 'http://a.internal/health');
  assert.equal(resolveUrl('http://a.internal', 'v1/x'), 'http://a.internal/v1/x');
  assert.equal(resolveUrl('http://a.internal', 'https://status.example/ping'), 'https://status.example/ping');
});

test('ServiceMonitors declares the service, health and key endpoint monitors with the defaults', () => {
  const s = synth((stack) => {
    new ServiceMonitors(stack, 'orders', {
      name: 'orders', team: 'team_1', zone: 'commerce', tags: { tier: '1' },
      baseUrl: 'http://orders.internal',
      keyEndpoint: { name: 'checkout', path: '/v1/checkout/probe', method: 'POST', json: { '$.ok': 'true' }, degradedAfterMs: 800 },
    });
  });
  const service = Object.values(s.resource.pharos_service!)[0]!;
  assert.equal(service.name, 'orders');
  assert.equal(service.team_id, 'team_1');
  const monitors = byName(s, 'pharos_monitor');
  assert.deepEqual([...monitors.keys()].sort(), ['orders-checkout', 'orders-health']);
  const health = monitors.get('orders-health')!;
  assert.equal(health.interval_seconds, 30);
  assert.equal(health.type, 'http');
  assert.deepEqual(health.http, { url: 'http://orders.internal/health' });
  assert.deepEqual(health.run_from, { zone: 'commerce' });
  assert.deepEqual(health.tags, { tier: '1', check: 'health' });
  assert.deepEqual(health.assertion, httpAssertions());
  const key = monitors.get('orders-checkout')!;
  assert.deepEqual(key.http, { url: 'http://orders.internal/v1/checkout/probe', method: 'POST' });
  assert.deepEqual(key.assertion, httpAssertions({ json: { '$.ok': 'true' }, degradedAfterMs: 800 }));
  assert.equal(s.resource.pharos_service_dependency, undefined);
});

test('each dependency edge gets a pharos_service_dependency and a check of the target from the caller\'s zone', () => {
  const s = synth((stack) => {
    const stripe = new ServiceMonitors(stack, 'stripe', { name: 'stripe', team: 'team_1', kind: 'external', baseUrl: 'https://api.stripe.example', health: { path: '/v1/ping' } });
    const inventory = { serviceName: 'inventory', serviceId: 'svc_declared_elsewhere', healthUrl: 'http://inventory.internal/healthz' };
    new ServiceMonitors(stack, 'orders', { name: 'orders', team: 'team_1', zone: 'commerce', baseUrl: 'http://orders.internal', health: false, dependsOn: [stripe, inventory] });
  });
  const edges = Object.values(s.resource.pharos_service_dependency!);
  assert.equal(edges.length, 2);
  assert.ok(edges.every((e) => /^\$\{pharos_service\.orders_service_[0-9A-F]+\.id\}$/.test(e.service_id)));
  const targets = edges.map((e) => e.depends_on_service_id as string);
  assert.ok(targets.includes('svc_declared_elsewhere'));
  assert.match(targets.find((t) => t !== 'svc_declared_elsewhere')!, /^\$\{pharos_service\.stripe_service_[0-9A-F]+\.id\}$/);

  const monitors = byName(s, 'pharos_monitor');
  assert.deepEqual([...monitors.keys()].sort(), ['inventory-from-orders', 'stripe-from-orders', 'stripe-health']);
  const toStripe = monitors.get('stripe-from-orders')!;
  assert.equal(toStripe.service_id, edges[0]!.service_id, 'the edge monitor belongs to the calling service');
  assert.deepEqual(toStripe.run_from, { zone: 'commerce' });
  assert.deepEqual(toStripe.http, { url: 'https://api.stripe.example/v1/ping' });
  assert.equal(monitors.get('inventory-from-orders')!.http.url, 'http://inventory.internal/healthz');
  assert.equal(monitors.get('stripe-health')!.run_from, undefined, 'no zone: any runner');
  // Each edge monitor checks its own edge (dependency_id = that pharos_service_dependency's id); the others check none.
  const edgeIds = new Map(Object.entries(s.resource.pharos_service_dependency!).map(([key, e]) => [e.depends_on_service_id as string, `\${pharos_service_dependency.${key}.id}`]));
  assert.equal(toStripe.dependency_id, edgeIds.get(targets.find((t) => t !== 'svc_declared_elsewhere')!));
  assert.equal(monitors.get('inventory-from-orders')!.dependency_id, edgeIds.get('svc_declared_elsewhere'));
  assert.notEqual(toStripe.dependency_id, monitors.get('inventory-from-orders')!.dependency_id);
  assert.equal(monitors.get('stripe-health')!.dependency_id, undefined, 'a health monitor checks no edge');
  assert.equal(Object.values(s.resource.pharos_service!).find((x) => x.name === 'stripe')!.kind, 'external');
});

test('a service cannot depend on itself or twice on the same service', () => {
  synth((stack) => {
    const a = new ServiceMonitors(stack, 'a', { name: 'a', team: 'team_1', baseUrl: 'http://a' });
    assert.throws(() => a.addDependency(a), /cannot depend on itself/);
    const b = new ServiceMonitors(stack, 'b', { name: 'b', team: 'team_1', baseUrl: 'http://b', dependsOn: [a] });
    assert.throws(() => b.addDependency(a), /already depends on a/);
  });
});

test('ServiceMonitors sends credentials as secret_headers, never as plain headers', () => {
  const s = synth((stack) => {
    new ServiceMonitors(stack, 'partner', {
      name: 'partner', team: 'team_1', kind: 'external', baseUrl: 'https://partner.example.com',
      keyEndpoint: { name: 'quote', path: '/v2/quote', headers: { accept: 'application/json' }, secretHeaders: { 'X-Api-Key': 'k-123' } },
    });
  });
  const key = byName(s, 'pharos_monitor').get('partner-quote')!;
  assert.deepEqual(key.http.headers, { accept: 'application/json' });
  assert.deepEqual(key.http.secret_headers, { 'X-Api-Key': 'k-123' });
});
