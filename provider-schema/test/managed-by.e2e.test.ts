import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, type TestApi } from '../../api/test/support/harness.ts';
import { header } from './fixtures/fleet.config.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { assertCleanPlan, resourcesInState, startTerraformWorld, type TerraformWorld } from './fixtures/terraform.world.ts';

// managed_by with the shipped provider and the real terraform binary against a control plane on
// PostgreSQL: what Terraform creates is managed by terraform and plans clean; a monitor the
// discovery agent created, once imported, is claimed (managed_by = terraform, the next plan has
// nothing to do), and the agent's next write to it is refused with 409 managed_elsewhere.

const skip = postgresSkip();
let api: TestApi;
let work: string;
let tf: ReturnType<typeof createTerraformRunner>;
let world: TerraformWorld | undefined;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const base = `${header}
resource "pharos_team" "shop" {
  name = "shop"
}

resource "pharos_service" "checkout" {
  name    = "checkout"
  team_id = pharos_team.shop.id
}
`;
const monitor = `
resource "pharos_monitor" "checkout_health" {
  name       = "checkout-health"
  service_id = pharos_service.checkout.id
  type       = "http"
  http {
    url = "http://127.0.0.1:9/health"
  }
  assertion {
    source   = "status_code"
    operator = "equals"
    target   = "200"
  }
}
`;
const discovered = (serviceId: string) => ({
  name: 'checkout-health',
  service_id: serviceId,
  type: 'http',
  http: { url: 'http://127.0.0.1:9/health' },
  assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
});
const asDiscovery = { 'pharos-managed-by': 'discovery' };

before(async () => {
  if (skip) return;
  world = await startTerraformWorld('pharos-tf-managed-by-');
  ({ api, work, tf } = world);
});
after(async () => {
  if (skip) return;
  await world?.close();
});

test('Terraform manages what it creates and claims a discovered monitor on import', { skip }, async () => {
  writeFileSync(join(work, 'main.tf'), base);
  expectOk(await tf(['init', '-no-color', '-input=false']), 'init');
  expectOk(await tf(['apply', '-no-color', '-input=false', '-auto-approve']), 'apply');
  const state = await resourcesInState(tf);
  const serviceId = String(state.get('pharos_service.checkout')?.['id']);
  assert.equal(state.get('pharos_service.checkout')?.['managed_by'], 'terraform');
  assert.equal((await api.call('GET', `/v1/services/${serviceId}`)).body.managed_by, 'terraform');
  assert.equal((await api.call('GET', `/v1/teams/${state.get('pharos_team.shop')?.['id']}`)).body.managed_by, 'terraform');
  await assertCleanPlan(tf, 'after apply');

  // The discovery agent found the service in the cluster and created its monitor.
  const created = await api.call('POST', '/v1/monitors', { body: discovered(serviceId), headers: asDiscovery });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.managed_by, 'discovery');

  writeFileSync(join(work, 'main.tf'), base + monitor);
  expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_monitor.checkout_health', created.body.id]), 'import');
  const imported = (await api.call('GET', `/v1/monitors/${created.body.id}`)).body;
  assert.equal(imported.managed_by, 'terraform', 'import claimed the monitor');
  assert.equal((await resourcesInState(tf)).get('pharos_monitor.checkout_health')?.['managed_by'], 'terraform');
  await assertCleanPlan(tf, 'after import');

  // The agent's next reconciliation of it is refused, and changes nothing.
  const refused = await api.call('PUT', `/v1/monitors/${created.body.id}`, { body: { ...discovered(serviceId), interval_seconds: 30 }, headers: asDiscovery });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'managed_elsewhere');
  assert.match(refused.body.detail, /^monitor "checkout-health" is managed by terraform; discovery does not change it/);
  assert.equal((await api.call('GET', `/v1/monitors/${created.body.id}`)).body.version, imported.version);

  // An object written before Terraform named itself (managed_by api) is claimed by the next apply, shown in the plan.
  await api.database.db.updateTable('services').set({ managed_by: 'api' }).where('id', '=', serviceId).execute();
  const planned = await tf(['plan', '-no-color', '-input=false']);
  assert.match(planned.stdout, /managed_by\s+= "api" -> "terraform"/);
  expectOk(await tf(['apply', '-no-color', '-input=false', '-auto-approve']), 'claiming apply');
  assert.equal((await api.call('GET', `/v1/services/${serviceId}`)).body.managed_by, 'terraform');
  await assertCleanPlan(tf, 'after the claiming apply');

  expectOk(await tf(['destroy', '-no-color', '-input=false', '-auto-approve']), 'destroy');
  assert.equal((await api.call('GET', `/v1/monitors/${created.body.id}`)).status, 404);
});
