import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, type TestApi } from '../../api/test/support/harness.ts';
import { header } from './fixtures/fleet.config.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { assertCleanPlan, resourcesInState, startTerraformWorld, type TerraformWorld } from './fixtures/terraform.world.ts';

// pharos_monitor.dependency_id (the edge an edge monitor checks) with the shipped provider and
// the real terraform binary against a control plane on PostgreSQL: a malformed id refused at
// plan, an edge of another service refused by the API at the attribute, apply with the edge's
// id, a clean second plan, clearing it in place, drift through the API, import, destroy.

const skip = postgresSkip();
let api: TestApi;
let work: string;
let tf: ReturnType<typeof createTerraformRunner>;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const apply = () => tf(['apply', '-no-color', '-input=false', '-auto-approve']);
const plan = (...args: string[]) => tf(['plan', '-no-color', '-input=false', ...args]);

/** dependency_id of the edge monitor: an HCL expression, or undefined to leave it out. */
const config = (dependency: string | undefined) => `${header}
resource "pharos_team" "fulfillment" {
  name = "fulfillment"
}

resource "pharos_service" "routing" {
  name    = "fulfillment-routing"
  team_id = pharos_team.fulfillment.id
}

resource "pharos_service" "shipping" {
  name    = "shipping-integration"
  team_id = pharos_team.fulfillment.id
}

resource "pharos_service_dependency" "routing_to_shipping" {
  service_id            = pharos_service.routing.id
  depends_on_service_id = pharos_service.shipping.id
}

resource "pharos_service_dependency" "shipping_to_routing" {
  service_id            = pharos_service.shipping.id
  depends_on_service_id = pharos_service.routing.id
}

resource "pharos_monitor" "edge" {
  name       = "routing-reaches-shipping"
  service_id = pharos_service.routing.id
  ${dependency === undefined ? '' : `dependency_id = ${dependency}`}
  type       = "http"
  http {
    url = "http://127.0.0.1:9/shipping/health"
  }
  assertion {
    source   = "status_code"
    operator = "equals"
    target   = "200"
  }
}
`;
const write = (dependency: string | undefined) => writeFileSync(join(work, 'main.tf'), config(dependency));

const state = () => resourcesInState(tf);
const monitorOf = async (s: Map<string, Record<string, any>>) => (await api.call('GET', `/v1/monitors/${s.get('pharos_monitor.edge')?.['id']}`)).body;

let world: TerraformWorld | undefined;

before(async () => {
  if (skip) return;
  world = await startTerraformWorld('pharos-tf-monitor-edge-');
  ({ api, work, tf } = world);
});

after(async () => {
  if (skip) return;
  await world?.close();
});

test('pharos_monitor.dependency_id with real terraform', { skip }, async (t) => {
  await t.test('init; a malformed id is refused at plan time, at the attribute', async () => {
    write(undefined);
    expectOk(await tf(['init', '-no-color', '-input=false']), 'init');
    write('"edge-to-shipping"');
    const r = await tf(['validate', '-no-color']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Must be a Pharos id as returned when the object was created/);
    assert.match(r.stderr, /dependency_id = "edge-to-shipping"/);
    assert.equal((await api.call('GET', '/v1/teams')).body.items.length, 0, 'nothing reached the API');
  });

  await t.test("an edge of another service is refused by the API with what to fix, at the attribute", async () => {
    write('pharos_service_dependency.shipping_to_routing.id');
    const r = await apply();
    assert.equal(r.code, 1, r.stdout);
    // terraform wraps the detail at its line width.
    assert.match(r.stderr, /A\s+monitor\s+checks\s+an\s+edge\s+of\s+its\s+own\s+service/);
    assert.match(r.stderr, /Creating pharos_monitor: Validation failed/);
    assert.match(r.stderr, /with pharos_monitor\.edge,[\s\S]*dependency_id = pharos_service_dependency\.shipping_to_routing\.id/);
    assert.deepEqual((await api.call('GET', '/v1/monitors')).body.items, [], 'no monitor was created');
  });

  await t.test('apply with the edge of its own service; the API has it; a second plan is clean', async () => {
    write('pharos_service_dependency.routing_to_shipping.id');
    const r = await apply();
    expectOk(r, 'apply');
    assert.match(r.stdout, /Resources: 1 added, 0 changed, 0 destroyed\./);
    const s = await state();
    const edge = s.get('pharos_service_dependency.routing_to_shipping')?.['id'];
    assert.match(String(edge), /^dep_/);
    assert.equal(s.get('pharos_monitor.edge')?.['dependency_id'], edge);
    assert.equal((await monitorOf(s)).dependency_id, edge);
    await assertCleanPlan(tf, 'after apply');
  });

  await t.test('removing dependency_id clears it in place, keeping the monitor', async () => {
    const before = await state();
    write(undefined);
    const r = await apply();
    expectOk(r, 'apply clear');
    assert.match(r.stdout, /Resources: 0 added, 1 changed, 0 destroyed\./);
    const s = await state();
    assert.equal(s.get('pharos_monitor.edge')?.['id'], before.get('pharos_monitor.edge')?.['id']);
    assert.equal(s.get('pharos_monitor.edge')?.['dependency_id'], null);
    assert.equal((await monitorOf(s)).dependency_id, undefined);
    await assertCleanPlan(tf, 'after clearing');
  });

  await t.test('dependency_id set through the API is planned back; import adopts the monitor with its edge', async () => {
    write('pharos_service_dependency.routing_to_shipping.id');
    expectOk(await apply(), 'apply set again');
    const s = await state();
    const monitor = String(s.get('pharos_monitor.edge')?.['id']);
    assert.equal((await api.call('PATCH', `/v1/monitors/${monitor}`, { body: { dependency_id: null } })).status, 200);
    const p = await plan('-detailed-exitcode');
    assert.equal(p.code, 2, p.stdout + p.stderr);
    assert.match(p.stdout, /pharos_monitor\.edge will be updated in-place/);
    assert.match(p.stdout, /\+ dependency_id\s+= "dep_/);
    expectOk(await apply(), 'apply after drift');
    assert.equal((await monitorOf(s)).dependency_id, s.get('pharos_service_dependency.routing_to_shipping')?.['id']);
    expectOk(await tf(['state', 'rm', 'pharos_monitor.edge']), 'state rm');
    expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_monitor.edge', 'fulfillment-routing/routing-reaches-shipping']), 'import');
    assert.equal((await state()).get('pharos_monitor.edge')?.['dependency_id'], s.get('pharos_service_dependency.routing_to_shipping')?.['id']);
    await assertCleanPlan(tf, 'after import');
  });

  await t.test('destroy removes the monitor before its edge', async () => {
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Resources: 6 destroyed\./);
    assert.deepEqual((await api.call('GET', '/v1/monitors')).body.items, []);
    assert.deepEqual((await api.call('GET', '/v1/services')).body.items, []);
  });
});
