import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, type TestApi } from '../../api/test/support/harness.ts';
import { header } from './fixtures/fleet.config.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { assertCleanPlan, resourcesInState, startTerraformWorld, type TerraformWorld } from './fixtures/terraform.world.ts';

// pharos_incident_settings (one per organization) with the shipped provider and the real
// terraform binary against a control plane on PostgreSQL: plan-time bounds, apply writes the
// settings (unset attributes take the defaults), a clean second plan, an in-place update, drift
// through the API put back, import by any id, a team token refused, destroy restores the defaults.

const skip = postgresSkip();
let api: TestApi;
let work: string;
let tf: ReturnType<typeof createTerraformRunner>;

const defaults = { correlation_window_seconds: 300, auto_resolve: true, resolve_after_seconds: 180, root_cause_grace_seconds: 120 };
const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const apply = () => tf(['apply', '-no-color', '-input=false', '-auto-approve']);
const plan = (...args: string[]) => tf(['plan', '-no-color', '-input=false', ...args]);
const settings = async () => {
  const { updated_at: _u, version: _v, managed_by: _m, ...rest } = (await api.call('GET', '/v1/incident-settings')).body;
  return rest;
};

const write = (attributes: Record<string, string | number | boolean>) =>
  writeFileSync(
    join(work, 'main.tf'),
    `${header}
resource "pharos_incident_settings" "this" {
${Object.entries(attributes).map(([k, v]) => `  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n')}
}
`,
  );

const state = async () => (await resourcesInState(tf)).get('pharos_incident_settings.this');

let world: TerraformWorld | undefined;

before(async () => {
  if (skip) return;
  world = await startTerraformWorld('pharos-tf-incident-settings-');
  ({ api, work, tf } = world);
});

after(async () => {
  if (skip) return;
  await world?.close();
});

test('pharos_incident_settings with real terraform', { skip }, async (t) => {
  await t.test('init, and plan-time validation of the bounds at their attributes', async () => {
    write({ correlation_window_seconds: 120 });
    expectOk(await tf(['init', '-no-color', '-input=false']), 'init');
    write({ correlation_window_seconds: 4000, resolve_after_seconds: -1 });
    const r = await tf(['validate', '-no-color']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Invalid pharos_incident_settings/);
    assert.match(r.stderr, /Must be <= 3600/);
    assert.match(r.stderr, /correlation_window_seconds = 4000/);
    assert.match(r.stderr, /Must be >= 0/);
    assert.match(r.stderr, /resolve_after_seconds\s+= -1/);
    assert.equal((await api.call('GET', '/v1/incident-settings')).body.version, 0, 'nothing reached the API');
  });

  await t.test('apply writes the settings; attributes left out take the defaults; a second plan is clean', async () => {
    write({ correlation_window_seconds: 120, resolve_after_seconds: 30 });
    const r = await apply();
    expectOk(r, 'apply');
    assert.match(r.stdout, /Resources: 1 added, 0 changed, 0 destroyed\./);
    assert.deepEqual(await settings(), { ...defaults, correlation_window_seconds: 120, resolve_after_seconds: 30 });
    const s = await state();
    assert.deepEqual([s?.['id'], s?.['correlation_window_seconds'], s?.['auto_resolve'], s?.['resolve_after_seconds'], s?.['root_cause_grace_seconds'], s?.['version']], ['organization', 120, true, 30, 120, 1]);
    await assertCleanPlan(tf, 'after apply');
  });

  await t.test('a change updates in place', async () => {
    write({ correlation_window_seconds: 120, resolve_after_seconds: 30, auto_resolve: false });
    const r = await apply();
    expectOk(r, 'apply update');
    assert.match(r.stdout, /Resources: 0 added, 1 changed, 0 destroyed\./);
    assert.deepEqual(await settings(), { ...defaults, correlation_window_seconds: 120, resolve_after_seconds: 30, auto_resolve: false });
    await assertCleanPlan(tf, 'after update');
  });

  await t.test('a change made through the API is planned back and put right by apply', async () => {
    assert.equal((await api.call('PUT', '/v1/incident-settings', { body: { correlation_window_seconds: 900 } })).status, 200);
    const p = await plan('-detailed-exitcode');
    assert.equal(p.code, 2, p.stdout + p.stderr);
    assert.match(p.stdout, /pharos_incident_settings\.this will be updated in-place/);
    assert.match(p.stdout, /correlation_window_seconds = 900 -> 120/);
    expectOk(await apply(), 'apply after drift');
    assert.deepEqual(await settings(), { ...defaults, correlation_window_seconds: 120, resolve_after_seconds: 30, auto_resolve: false });
    await assertCleanPlan(tf, 'after drift was put right');
  });

  await t.test('import by any id adopts the settings and leaves a clean plan', async () => {
    for (const id of ['organization', 'anything']) {
      expectOk(await tf(['state', 'rm', 'pharos_incident_settings.this']), 'state rm');
      expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_incident_settings.this', id]), `import ${id}`);
      assert.equal((await state())?.['id'], 'organization');
      await assertCleanPlan(tf, `after import of "${id}"`);
    }
  });

  await t.test('a team token cannot change the settings: the apply fails saying so, nothing changes', async () => {
    const team = (await api.call('POST', '/v1/teams', { body: { name: 'ops' } })).body.id;
    const token = (await api.call('POST', '/v1/tokens', { body: { name: 'ops-ci', role: 'team_admin', team_id: team } })).body.token;
    write({ correlation_window_seconds: 60 });
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve'], { PHAROS_TOKEN: token });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Only an org admin can change the incident settings/);
    assert.equal((await settings()).correlation_window_seconds, 120);
  });

  await t.test('destroy puts the defaults back', async () => {
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Resources: 1 destroyed\./);
    assert.deepEqual(await settings(), defaults);
    const entries = (await api.call('GET', '/v1/audit?resource_type=incident_settings&limit=50')).body.items;
    assert.deepEqual(entries[0].after, { ...defaults, updated_at: entries[0].after.updated_at, version: entries[0].after.version, managed_by: 'terraform' });
  });
});
