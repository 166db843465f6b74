import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { buildProvider, cliConfigSnippet } from '../../provider-schema/scripts/build-provider.ts';
import { createTerraformRunner, terraformTestEnv, type TfResult } from '../../provider-schema/test/fixtures/terraform.runner.ts';
import { synthesizeExample, type SynthesizedExample } from './support/example.build.ts';

// The example fleet, synthesized by cdktf and applied by the real terraform (provider installed
// offline from a filesystem mirror) against a control plane on a real PostgreSQL.

const skip = postgresSkip();
let root: string;
let example: SynthesizedExample;
let api: TestApi;
let tf: ReturnType<typeof createTerraformRunner>;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);

async function list(path: string): Promise<any[]> {
  const res = await api.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200`);
  assert.equal(res.status, 200, `GET ${path}: ${JSON.stringify(res.body)}`);
  return res.body.items;
}

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'pharos-cdktf-apply-'));
  example = await synthesizeExample(root);
  assert.ok(!JSON.stringify(example.config).includes('phs_'), 'no token in cdk.tf.json');
  const provider = await buildProvider({ outDir: join(root, 'provider') });
  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(cliConfig, cliConfigSnippet(provider.mirrorDir));
  api = await startTestApi({ backend: 'postgres' });
  tf = createTerraformRunner(example.stackDir, terraformTestEnv(root, cliConfig, api));
});

after(async () => {
  await api?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('terraform applies the example fleet offline from the mirror, and a second plan shows no changes', { skip }, async () => {
  expectOk(await tf(['init', '-input=false', '-no-color']), 'terraform init');
  const apply = await tf(['apply', '-auto-approve', '-input=false', '-no-color']);
  expectOk(apply, 'terraform apply');
  assert.match(apply.stdout, /Apply complete! Resources: 25 added, 0 changed, 0 destroyed/);

  const teams = await list('/v1/teams');
  assert.deepEqual(teams.map((t) => t.name).sort(), ['commerce', 'logistics']);
  const teamId = (name: string) => teams.find((t) => t.name === name).id;

  const services = await list('/v1/services');
  const byName = new Map(services.map((s) => [s.name, s]));
  assert.deepEqual([...byName.keys()].sort(), ['inventory', 'order-processing', 'payment-provider', 'shipping', 'storefront']);
  assert.equal(byName.get('payment-provider').kind, 'external');
  assert.equal(byName.get('order-processing').kind, 'internal');
  assert.equal(byName.get('order-processing').team_id, teamId('commerce'));
  assert.equal(byName.get('shipping').team_id, teamId('logistics'));
  assert.deepEqual(byName.get('storefront').tags, { tier: '1' });

  const dependsOn = async (name: string) => {
    const edges = await list(`/v1/services/${byName.get(name).id}/dependencies`);
    return edges.map((e) => services.find((s) => s.id === e.depends_on_service_id).name).sort();
  };
  assert.deepEqual(await dependsOn('order-processing'), ['inventory', 'payment-provider', 'shipping']);
  assert.deepEqual(await dependsOn('storefront'), ['order-processing']);
  assert.deepEqual(await dependsOn('inventory'), []);

  const monitors = new Map((await list('/v1/monitors')).map((m) => [m.name, m]));
  assert.equal(monitors.size, 13);
  const edge = monitors.get('inventory-from-order-processing');
  assert.ok(edge, 'the dependency edge order-processing → inventory has a monitor');
  assert.equal(edge.service_id, byName.get('order-processing').id, 'owned by the calling service');
  assert.deepEqual(edge.run_from, { zone: 'commerce' }, 'checked from the calling service\'s zone');
  assert.equal(edge.http.url, 'http://inventory.internal/health');
  const edgeToInventory = (await list(`/v1/services/${byName.get('order-processing').id}/dependencies`)).find((e) => e.depends_on_service_id === byName.get('inventory').id);
  assert.equal(edge.dependency_id, edgeToInventory.id, 'the edge monitor checks the edge order-processing → inventory');
  assert.equal([...monitors.values()].filter((m) => m.dependency_id !== undefined).length, 4, 'each of the 4 edges has its monitor');
  const health = monitors.get('order-processing-health');
  assert.equal(health.interval_seconds, 30);
  assert.equal(health.dependency_id, undefined, 'a health monitor checks no edge');
  assert.equal(health.type, 'http');
  assert.deepEqual(
    health.assertions.map((a: any) => [a.source, a.operator, a.target, a.severity]),
    [
      ['status_code', 'equals', '200', 'down'],
      ['response_time', 'less_than', '500', 'degraded'],
    ],
  );
  const key = monitors.get('order-processing-accepting-orders');
  assert.equal(key.http.url, 'http://orders.internal/v1/orders/probe');
  assert.ok(key.assertions.some((a: any) => a.source === 'json_body' && a.path === '$.accepting' && a.target === 'true'));
  const quote = monitors.get('shipping-quote');
  assert.equal(quote.http.method, 'POST');
  assert.equal(monitors.get('payment-provider-health').run_from ?? null, null, 'an external service without a zone runs from any runner');

  const rules = await list('/v1/alert-rules');
  assert.equal(rules.length, 1);
  assert.equal(rules[0].expression, 'down(service("order-processing"))');
  assert.equal(rules[0].team_id, teamId('commerce'));

  const plan = await tf(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
  assert.equal(plan.code, 0, `second plan is not clean:\n${plan.stdout}\n${plan.stderr}`);
  assert.match(plan.stdout, /No changes/);
});

test('terraform destroy removes the fleet from the control plane', { skip }, async () => {
  expectOk(await tf(['destroy', '-auto-approve', '-input=false', '-no-color']), 'terraform destroy');
  assert.deepEqual(await list('/v1/monitors'), []);
  assert.deepEqual(await list('/v1/services'), []);
  assert.deepEqual(await list('/v1/alert-rules'), []);
  assert.deepEqual(await list('/v1/teams'), []);
});
