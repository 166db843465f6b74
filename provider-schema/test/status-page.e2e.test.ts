import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, type TestApi } from '../../api/test/support/harness.ts';
import { bodies, createOrganization, expectOk as apiOk } from '../../api/test/support/world.ts';
import { header } from './fixtures/fleet.config.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { assertCleanPlan, resourcesInState, startTerraformWorld, type TerraformWorld } from './fixtures/terraform.world.ts';

// pharos_status_page with the shipped provider and the real terraform binary against a control
// plane on PostgreSQL: a page with component blocks, an in-place update (a component added, a
// display name changed), import by id and by "<team>/<name>", clean plans, the API's field errors
// at their attributes (an unknown service, a slug another organization holds), destroy.

const skip = postgresSkip();
let api: TestApi;
let work: string;
let tf: ReturnType<typeof createTerraformRunner>;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const apply = () => tf(['apply', '-no-color', '-input=false', '-auto-approve']);

interface Options {
  checkoutName?: string;
  withShipping?: boolean;
  slug?: string;
  ghost?: boolean;
}
const config = (o: Options = {}) => `${header}
resource "pharos_team" "storefront" {
  name = "storefront"
}

resource "pharos_service" "web" {
  name    = "storefront-web"
  team_id = pharos_team.storefront.id
}

resource "pharos_service" "checkout" {
  name    = "checkout-api"
  team_id = pharos_team.storefront.id
}

resource "pharos_service" "shipping" {
  name    = "shipping-integration"
  team_id = pharos_team.storefront.id
}

resource "pharos_status_page" "acme" {
  name        = "acme-public"
  team_id     = pharos_team.storefront.id
  title       = "Acme status"
  slug        = "${o.slug ?? 'acme-tf'}"
  visibility  = "public"
  custom_text = "Planned work is announced here."

  component {
    service_id   = pharos_service.web.id
    display_name = "Website"
    group        = "Shop"
  }

  component {
    service_id   = ${o.ghost ? '"svc_01JD8Z3Q4M5N6P7R8S9T0VWXYZ"' : 'pharos_service.checkout.id'}
    display_name = "${o.checkoutName ?? 'Checkout'}"
    group        = "Shop"
  }
${
  o.withShipping
    ? `
  component {
    service_id   = pharos_service.shipping.id
    display_name = "Delivery tracking"
    description  = "Parcel status from the carriers."
  }
`
    : ''
}}
`;
const write = (o: Options = {}) => writeFileSync(join(work, 'main.tf'), config(o));
const state = () => resourcesInState(tf);

let world: TerraformWorld | undefined;

before(async () => {
  if (skip) return;
  world = await startTerraformWorld('pharos-tf-status-page-');
  ({ api, work, tf } = world);
});

after(async () => {
  if (skip) return;
  await world?.close();
});

test('pharos_status_page with real terraform', { skip }, async (t) => {
  await t.test('init, apply a page with components, and a clean plan', async () => {
    write();
    expectOk(await tf(['init', '-no-color', '-input=false']), 'init');
    const r = await apply();
    expectOk(r, 'apply');
    assert.match(r.stdout, /Resources: 5 added, 0 changed, 0 destroyed\./);
    const s = await state();
    const values = s.get('pharos_status_page.acme')!;
    const page = (await api.call('GET', `/v1/status-pages/${values['id']}`)).body;
    assert.equal(page.title, 'Acme status');
    assert.equal(page.history_days, 90, 'the default is stored');
    assert.deepEqual(page.components, [
      { service_id: s.get('pharos_service.web')?.['id'], display_name: 'Website', group: 'Shop' },
      { service_id: s.get('pharos_service.checkout')?.['id'], display_name: 'Checkout', group: 'Shop' },
    ]);
    assert.equal(values['url'], `${api.url}/status/acme-tf`);
    assert.equal(values['history_days'], 90);
    await assertCleanPlan(tf, 'after apply');
  });

  await t.test('adding a component and renaming one update the page in place, keeping its id', async () => {
    const id = (await state()).get('pharos_status_page.acme')?.['id'];
    write({ withShipping: true, checkoutName: 'Checkout and payments' });
    const r = await apply();
    expectOk(r, 'apply update');
    assert.match(r.stdout, /Resources: 0 added, 1 changed, 0 destroyed\./);
    const s = await state();
    assert.equal(s.get('pharos_status_page.acme')?.['id'], id);
    const page = (await api.call('GET', `/v1/status-pages/${id}`)).body;
    assert.deepEqual(page.components.map((c: { display_name: string }) => c.display_name), ['Website', 'Checkout and payments', 'Delivery tracking']);
    assert.equal(page.components[2].description, 'Parcel status from the carriers.');
    assert.equal(page.version, 2);
    await assertCleanPlan(tf, 'after update');
  });

  await t.test('import by id and by "<team>/<name>" adopt the page with a clean plan', async () => {
    const id = String((await state()).get('pharos_status_page.acme')?.['id']);
    expectOk(await tf(['state', 'rm', 'pharos_status_page.acme']), 'state rm');
    expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_status_page.acme', id]), 'import by id');
    await assertCleanPlan(tf, 'after import by id');
    expectOk(await tf(['state', 'rm', 'pharos_status_page.acme']), 'state rm');
    expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_status_page.acme', 'storefront/acme-public']), 'import by team and name');
    assert.equal((await state()).get('pharos_status_page.acme')?.['id'], id);
    await assertCleanPlan(tf, 'after import by name');
  });

  await t.test("the API's field errors point at the attribute: an unknown service, a slug another organization holds", async () => {
    write({ withShipping: true, checkoutName: 'Checkout and payments', ghost: true });
    const ghost = await apply();
    assert.equal(ghost.code, 1, ghost.stdout);
    assert.match(ghost.stderr, /Service\s+"svc_01JD8Z3Q4M5N6P7R8S9T0VWXYZ"\s+does\s+not\s+exist\s+or\s+you\s+have\s+no\s+access\s+to\s+it;\s+check\s+the\s+id/);
    assert.match(ghost.stderr, /service_id\s+= "svc_01JD8Z3Q4M5N6P7R8S9T0VWXYZ"/, 'the diagnostic shows the component\'s service_id line');

    const other = await createOrganization(api);
    const team = await apiOk(api, 'POST', '/v1/teams', other.adminToken, { name: 'globex' });
    const service = await apiOk(api, 'POST', '/v1/services', other.adminToken, bodies.service(team.id));
    await apiOk(api, 'POST', '/v1/status-pages', other.adminToken, { name: 'globex-page', team_id: team.id, title: 'Globex', slug: 'globex', visibility: 'public', components: [{ service_id: service.id, display_name: 'API' }] });
    write({ withShipping: true, checkoutName: 'Checkout and payments', slug: 'globex' });
    const taken = await apply();
    assert.equal(taken.code, 1, taken.stdout);
    assert.match(taken.stderr, /The\s+slug\s+"globex"\s+is\s+already\s+in\s+use\s+on\s+this\s+Pharos\s+server;\s+pick\s+another\s+slug/);
    assert.match(taken.stderr, /slug\s+= "globex"/, 'the diagnostic shows the slug line');
    assert.ok(!taken.stderr.includes(other.orgId) && !taken.stderr.includes('globex-page'), 'nothing says whose page it is');

    write({ withShipping: true, checkoutName: 'Checkout and payments' });
    await assertCleanPlan(tf, 'after the refused applies');
  });

  await t.test('destroy removes the page before its services', async () => {
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Resources: 5 destroyed\./);
    assert.deepEqual((await api.call('GET', '/v1/status-pages')).body.items, []);
    assert.deepEqual((await api.call('GET', '/v1/services')).body.items, []);
  });
});
