import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, type TestApi } from '../../api/test/support/harness.ts';
import { header } from './fixtures/fleet.config.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { assertCleanPlan, resourcesInState, startTerraformWorld, type TerraformWorld } from './fixtures/terraform.world.ts';

// pharos_silence and organization routing policies with the shipped provider and the real
// terraform binary against a control plane on PostgreSQL: plan-time validation, apply, a clean
// second plan, an in-place update, drift (deleted through the API), import by id, destroy.

const skip = postgresSkip();
let api: TestApi;
let work: string;
let tf: ReturnType<typeof createTerraformRunner>;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const apply = () => tf(['apply', '-no-color', '-input=false', '-auto-approve']);
const plan = (...args: string[]) => tf(['plan', '-no-color', '-input=false', ...args]);

interface Options {
  endsAt?: string;
  startsAt?: string;
  regex?: string;
  orgPolicyTeam?: boolean;
}
const config = (o: Options = {}) => `${header}
resource "pharos_team" "ops" {
  name = "ops"
}

resource "pharos_channel" "leads" {
  name    = "engineering-leads"
  team_id = pharos_team.ops.id
  type    = "webhook"
  webhook {
    url = "http://127.0.0.1:9/leads"
  }
}

resource "pharos_routing_policy" "multi_service" {
  name        = "multi-service-outages"
  scope       = "organization"
  # Cross-field rules run at plan once every value is known: the bad variant names a literal team and no channel.
  ${o.orgPolicyTeam ? 'team_id     = "team_01JD8Z3Q4M5N6P7R8S9T0VWXYZ"' : 'channel_ids = [pharos_channel.leads.id]'}
  matcher {
    label    = "impact"
    operator = "="
    value    = "multi-service"
  }
}

resource "pharos_silence" "migration" {
  team_id   = pharos_team.ops.id
  starts_at = "${o.startsAt ?? '2030-03-01T22:00:00Z'}"
  ends_at   = "${o.endsAt ?? '2030-03-02T02:00:00Z'}"
  comment   = "CHG-4711 carrier migration"
  matcher {
    label    = "service"
    operator = "=~"
    value    = "${o.regex ?? 'shipping-.*'}"
  }
}
`;
const write = (o: Options = {}) => writeFileSync(join(work, 'main.tf'), config(o));

const state = () => resourcesInState(tf);

let world: TerraformWorld | undefined;

before(async () => {
  if (skip) return;
  world = await startTerraformWorld('pharos-tf-silence-');
  ({ api, work, tf } = world);
});

after(async () => {
  if (skip) return;
  await world?.close();
});

test('pharos_silence and organization routing policies with real terraform', { skip }, async (t) => {
  await t.test('init, and plan-time validation of a silence at its attributes', async () => {
    write();
    expectOk(await tf(['init', '-no-color', '-input=false']), 'init');
    write({ endsAt: '2030-03-01T21:00:00Z' });
    const ends = await tf(['validate', '-no-color']);
    assert.equal(ends.code, 1, ends.stdout);
    assert.match(ends.stderr, /ends_at \(2030-03-01T21:00:00Z\) must be after starts_at\s+\(2030-03-01T22:00:00Z\)/);
    assert.match(ends.stderr, /ends_at\s+= "2030-03-01T21:00:00Z"/);
    write({ regex: '(shipping' });
    const regex = await tf(['validate', '-no-color']);
    assert.equal(regex.code, 1, regex.stdout);
    assert.match(regex.stderr, /Not a valid RE2 regular expression/);
    write({ orgPolicyTeam: true });
    const scoped = await plan();
    assert.equal(scoped.code, 1, scoped.stdout);
    assert.match(scoped.stderr, /An organization routing policy belongs to no team: remove team_id/);
    assert.match(scoped.stderr, /team_id\s+= "team_01JD8Z3Q4M5N6P7R8S9T0VWXYZ"/);
    assert.equal((await api.call('GET', '/v1/silences')).body.items.length, 0, 'nothing reached the API');
    assert.equal((await api.call('GET', '/v1/teams')).body.items.length, 0, 'plan created nothing');
  });

  await t.test('apply creates the silence and the organization policy as configured', async () => {
    write();
    const r = await apply();
    expectOk(r, 'apply');
    assert.match(r.stdout, /Resources: 4 added, 0 changed, 0 destroyed\./);
    const s = await state();
    const silence = (await api.call('GET', `/v1/silences/${s.get('pharos_silence.migration')?.['id']}`)).body;
    assert.deepEqual([silence.scope, silence.team_id, silence.state, silence.comment], ['team', s.get('pharos_team.ops')?.['id'], 'pending', 'CHG-4711 carrier migration']);
    assert.deepEqual(silence.matchers, [{ label: 'service', operator: '=~', value: 'shipping-.*' }]);
    assert.equal(silence.created_by.type, 'api_token');
    assert.deepEqual(s.get('pharos_silence.migration')?.['created_by'], silence.created_by);
    assert.equal(s.get('pharos_silence.migration')?.['state'], 'pending');
    const policy = (await api.call('GET', `/v1/routing-policies/${s.get('pharos_routing_policy.multi_service')?.['id']}`)).body;
    assert.equal(policy.scope, 'organization');
    assert.equal(policy.team_id, undefined);
    // The organization tree takes an alert no team takes and names the ops team's channel.
    const routed = (await api.call('POST', '/v1/routing-policies/test', { body: { labels: { team: 'storefront', impact: 'multi-service' } } })).body;
    assert.deepEqual(routed.routes.map((x: any) => x.channels.map((c: any) => c.name)), [['engineering-leads']]);
    await assertCleanPlan(tf, 'after apply');
  });

  await t.test('ends_at updates in place (expire early), keeping the id', async () => {
    const id = (await state()).get('pharos_silence.migration')?.['id'];
    write({ startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-01-02T00:00:00Z' });
    const r = await apply();
    expectOk(r, 'apply update');
    assert.match(r.stdout, /Resources: 0 added, 1 changed, 0 destroyed\./);
    const s = (await state()).get('pharos_silence.migration');
    assert.equal(s?.['id'], id);
    assert.equal(s?.['state'], 'expired');
    assert.equal((await api.call('GET', `/v1/silences/${id}`)).body.ends_at, '2020-01-02T00:00:00Z');
    await assertCleanPlan(tf, 'after update');
  });

  await t.test('a silence deleted through the API is planned for re-creation; import by id adopts it', async () => {
    const id = String((await state()).get('pharos_silence.migration')?.['id']);
    assert.equal((await api.call('DELETE', `/v1/silences/${id}`)).status, 204);
    const p = await plan('-detailed-exitcode');
    assert.equal(p.code, 2, p.stdout + p.stderr);
    assert.match(p.stdout, /pharos_silence\.migration will be created/);
    expectOk(await apply(), 'apply re-create');
    const again = String((await state()).get('pharos_silence.migration')?.['id']);
    expectOk(await tf(['state', 'rm', 'pharos_silence.migration']), 'state rm');
    expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_silence.migration', again]), 'import');
    const policy = String((await state()).get('pharos_routing_policy.multi_service')?.['id']);
    expectOk(await tf(['state', 'rm', 'pharos_routing_policy.multi_service']), 'state rm policy');
    expectOk(await tf(['import', '-no-color', '-input=false', 'pharos_routing_policy.multi_service', policy]), 'import policy');
    await assertCleanPlan(tf, 'after import');
  });

  await t.test('destroy removes the silence and the policy', async () => {
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Resources: 4 destroyed\./);
    assert.deepEqual((await api.call('GET', '/v1/silences')).body.items, []);
    assert.deepEqual((await api.call('GET', '/v1/routing-policies')).body.items, []);
  });
});
