import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postgresSkip, startTestApi, storedSecrets, type TestApi } from '../../api/test/support/harness.ts';
import { buildProvider, cliConfigSnippet } from '../scripts/build-provider.ts';
import { fileURLToPath } from 'node:url';
import { fleet, fleetResources, header, invalidMonitors, type FleetOptions } from './fixtures/fleet.config.ts';

import { createTerraformRunner, terraformTestEnv, type TfResult } from './fixtures/terraform.runner.ts';

// An alert rule whose expression the type checker refuses (validate and plan).
const invalidRule = `
resource "pharos_alert_rule" "bad_expression" {
  name       = "bad-expression"
  team_id    = pharos_team.fulfillment.id
  expression = "p96(service(\\"fulfillment-api\\"), \\"5m\\") > 2000"
}

resource "pharos_alert_rule" "bad_message" {
  name       = "bad-message"
  team_id    = pharos_team.fulfillment.id
  expression = "down(service(\\"fulfillment-api\\"))"
  message    = "{{labels.service}} is down, {{servce}}"
}
`;

// The shipped provider (src/main.ts, bundled and installed into a filesystem mirror) driven by
// the real terraform binary against a real control plane on real PostgreSQL: every resource,
// monitors of every check type, updates, replacements, drift, imports, validation, destroy.

const skip = postgresSkip();
let api: TestApi;
let root: string;
let tf: ReturnType<typeof createTerraformRunner>;
let tfEnv: NodeJS.ProcessEnv;
let work: string;

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
const write = (o: FleetOptions = {}) => writeFileSync(join(work, 'main.tf'), fleet(o));
const apply = (...args: string[]) => tf(['apply', '-no-color', '-input=false', '-auto-approve', '-parallelism=20', ...args]);
const plan = (...args: string[]) => tf(['plan', '-no-color', '-input=false', '-parallelism=20', ...args]);

interface StateResource {
  address: string;
  values: Record<string, unknown>;
}
async function state(): Promise<Map<string, Record<string, unknown>>> {
  const r = await tf(['show', '-json']);
  expectOk(r, 'terraform show');
  const parsed = JSON.parse(r.stdout) as { values?: { root_module?: { resources?: StateResource[] } } };
  return new Map((parsed.values?.root_module?.resources ?? []).map((x) => [x.address, x.values]));
}
const idOf = async (address: string) => String((await state()).get(address)?.['id']);

async function get(path: string): Promise<Record<string, any>> {
  const r = await api.call('GET', path);
  assert.equal(r.status, 200, `GET ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Record<string, any>;
}

async function assertCleanPlan(what: string) {
  const r = await plan('-detailed-exitcode');
  assert.equal(r.code, 0, `${what}: expected no changes:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /No changes\./);
}

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'pharos-tf-real-'));
  const [built, started] = await Promise.all([buildProvider({ outDir: join(root, 'dist') }), startTestApi({ backend: 'postgres' })]);
  api = started;
  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(cliConfig, cliConfigSnippet(built.mirrorDir));
  work = join(root, 'work');
  mkdirSync(work);
  tfEnv = terraformTestEnv(root, cliConfig, api);
  tf = createTerraformRunner(work, tfEnv);
});

after(async () => {
  if (skip) return;
  await api?.close();
  rmSync(root, { recursive: true, force: true });
});

test('the shipped provider against a control plane on PostgreSQL', { skip }, async (t) => {
  await t.test('offline init from the filesystem mirror', async () => {
    write();
    const r = await tf(['init', '-no-color', '-input=false']);
    expectOk(r, 'init');
    assert.match(r.stdout, /Installed pharos\/pharos v0\.1\.0/);
  });

  await t.test('invalid configurations fail at validate with the attribute path', async () => {
    write({ extra: invalidMonitors + invalidRule });
    const r = await tf(['validate', '-no-color', '-json']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const diags = (JSON.parse(r.stdout) as { diagnostics: { summary: string; detail: string; range?: { start: { line: number } }; snippet?: { code: string; context: string } }[] }).diagnostics;
    const at = (resource: string, code: RegExp, detail: RegExp) =>
      assert.ok(
        diags.some((d) => d.snippet?.context === `resource "pharos_monitor" "${resource}"` && code.test(d.snippet.code) && detail.test(d.detail)),
        `expected a diagnostic on ${resource} at ${code}: ${detail}\n${JSON.stringify(diags, null, 1)}`,
      );
    at('bad_interval', /interval_seconds = 3/, /must be >= 5/i);
    at('bad_timeout', /timeout_seconds\s+= 10/, /timeout_seconds \(10\) must be below interval_seconds \(10\)/);
    at('bad_url', /url = "fulfillment\.internal\/health"/, /Must start with http:\/\/ or https:\/\//);
    at('bad_json_path', /path\s+= "\$\.items\["/, /not a JSONPath expression the runner can evaluate: a "\[" is never closed/);
    at('bad_assertions', /operator = "roughly"/, /Must be one of: equals/);
    at('bad_step', /url\s+= "https:\/\/x\.example\.com\/\{\{missing\}\}"/, /not extracted by an earlier step/);
    at('credential_header', /headers = \{ Authorization = /, /move it from headers to secret_headers/);
    at('bad_metrics', /name = "wait_count"/, /Metric name "wait_count" is already used by metrics\[0\]/);
    // The alert language's parser and type checker run at plan time, on the expression attribute.
    assert.ok(
      diags.some((d) => d.snippet?.context === 'resource "pharos_alert_rule" "bad_expression"' && /expression = /.test(d.snippet.code) && /^line 1, column 1: Unknown function "p96"\. Did you mean p95 or p99\?/.test(d.detail)),
      `expected the expression error on pharos_alert_rule.bad_expression\n${JSON.stringify(diags, null, 1)}`,
    );
    // So does the message template's parser.
    assert.ok(
      diags.some((d) => d.snippet?.context === 'resource "pharos_alert_rule" "bad_message"' && /message\s+= /.test(d.snippet.code) && /^line 1, column 29: Unknown variable "servce"/.test(d.detail)),
      `expected the template error on pharos_alert_rule.bad_message\n${JSON.stringify(diags, null, 1)}`,
    );
    // The regex check runs in the cross-field rules, which wait for the schema errors of the same monitor.
    write({ extra: invalidMonitors.replace('operator = "roughly"', 'operator = "equals"') });
    const again = await tf(['validate', '-no-color']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Not a valid regular expression/);
    assert.match(again.stderr, /target\s+= "\(unclosed"/);
  });

  await t.test('apply creates every resource; the API has each object as configured', async () => {
    write();
    const r = await apply();
    expectOk(r, 'apply');
    assert.match(r.stdout, /Apply complete! Resources: 18 added, 0 changed, 0 destroyed\./);
    const s = await state();
    const id = (a: string) => String(s.get(a)?.['id']);

    const team = await get(`/v1/teams/${id('pharos_team.fulfillment')}`);
    assert.equal(team['description'], 'Fulfillment routing and shipping');
    const member = await get(`/v1/teams/${team['id']}/members/${id('pharos_team_member.alice')}`);
    assert.deepEqual([member['subject'], member['role'], member['email']], ['auth0|alice', 'team_editor', 'alice@example.com']);
    const shipping = await get(`/v1/services/${id('pharos_service.shipping')}`);
    assert.deepEqual([shipping['kind'], shipping['team_id']], ['external', team['id']]);
    const dep = await get(`/v1/services/${id('pharos_service.fulfillment')}/dependencies/${id('pharos_service_dependency.to_shipping')}`);
    assert.equal(dep['depends_on_service_id'], shipping['id']);

    const health = await get(`/v1/monitors/${id('pharos_monitor.health')}`);
    assert.deepEqual(health['regions'], ['us-east-1', 'us-west-2']);
    assert.deepEqual(health['run_from'], { zone: 'fulfillment' });
    assert.equal(health['http']['url'], 'http://fulfillment.internal/health');
    assert.deepEqual(health['http']['headers'], { accept: 'application/json' });
    assert.deepEqual(health['http']['metrics'], [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }]);
    assert.deepEqual(health['configured_secrets'], ['http.secret_headers.authorization']);
    assert.equal(health['http']['secret_headers'], undefined, 'the API never returns secret headers');
    assert.deepEqual((s.get('pharos_monitor.health')?.['http'] as Record<string, unknown>)['secret_headers'], { authorization: 'Bearer fleet-health-secret-0001' }, 'Terraform keeps them');
    const monitorSecrets = async (address: string) => storedSecrets(api.database, 'monitors', id(address));
    assert.deepEqual(await monitorSecrets('pharos_monitor.health'), { http: { authorization: 'Bearer fleet-health-secret-0001' } });
    assert.deepEqual(health['assertions'][1], { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy', severity: 'down' });
    assert.equal(health['assertions'][2]['severity'], 'degraded');
    assert.deepEqual((await get(`/v1/monitors/${id('pharos_monitor.db')}`))['tcp'], { host: '10.0.0.5', port: 5432 });
    assert.deepEqual((await get(`/v1/monitors/${id('pharos_monitor.dns')}`))['dns']['expected_values'], ['10.0.0.7']);
    assert.equal((await get(`/v1/monitors/${id('pharos_monitor.cert')}`))['tls']['warn_days'], 21);
    const flow = await get(`/v1/monitors/${id('pharos_monitor.checkout_flow')}`);
    assert.equal(flow['steps'].length, 2);
    assert.deepEqual(flow['steps'][0]['extract'], [{ name: 'token', source: 'json_body', property: '$.token' }]);
    assert.deepEqual(flow['configured_secrets'], ['steps.orders.secret_headers.authorization']);
    assert.equal(flow['steps'][1]['secret_headers'], undefined);
    assert.deepEqual(await monitorSecrets('pharos_monitor.checkout_flow'), { steps: { orders: { authorization: 'Bearer {{token}}' } } });
    const nightly = await get(`/v1/monitors/${id('pharos_monitor.nightly')}`);
    assert.equal(nightly['heartbeat']['period_seconds'], 86400);
    assert.equal(s.get('pharos_monitor.nightly')?.['heartbeat_url'], nightly['heartbeat_url']);

    assert.equal((await get(`/v1/alert-rules/${id('pharos_alert_rule.down')}`))['severity'], 'critical');
    const channel = await get(`/v1/channels/${id('pharos_channel.slack')}`);
    assert.deepEqual(channel['configured_secrets'], ['slack.webhook_url']);
    assert.equal(channel['slack']['webhook_url'], undefined, 'the API never returns the secret');
    assert.equal((s.get('pharos_channel.slack')?.['slack'] as Record<string, unknown>)['webhook_url'], 'https://hooks.slack.com/services/T000/B000/secretsecret', 'Terraform keeps the secret');
    const policy = await get(`/v1/routing-policies/${id('pharos_routing_policy.critical')}`);
    assert.deepEqual(policy['channel_ids'], [channel['id']]);
    assert.deepEqual(policy['matchers'][1], { label: 'service', operator: '=~', value: 'fulfillment-.*' });
    const window = await get(`/v1/maintenance-windows/${id('pharos_maintenance_window.weekly')}`);
    assert.deepEqual(window['recurrence'], { cron: '0 2 * * SUN', duration: '2h', timezone: 'UTC' });
    const slo = await get(`/v1/slos/${id('pharos_slo.availability')}`);
    assert.deepEqual([slo['objective'], slo['target_percent'], slo['window']], ['uptime', 99.9, 'rolling_30d']);
    const runnerToken = await get(`/v1/runner-tokens/${id('pharos_runner_token.pool')}`);
    assert.deepEqual(runnerToken['labels'], { zone: 'fulfillment' });
    assert.equal(runnerToken['serves_general_pool'], true, 'the zone pool also serves the general pool, as configured');
    const token = String(s.get('pharos_runner_token.pool')?.['token']);
    assert.match(token, /^[a-z]+_/, 'the one-time runner token is in the state');
    assert.equal(runnerToken['token_hint'], s.get('pharos_runner_token.pool')?.['token_hint']);

    const out = JSON.parse((await tf(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
    assert.equal(out['team_id_by_name']?.value, team['id'], 'data source by name');
    assert.equal(out['health_interval']?.value, 30, 'monitor data source by service name and name');
    assert.equal(out['shipping_kind']?.value, 'external', 'service data source by name');
  });

  await t.test('a second plan shows no changes', async () => {
    await assertCleanPlan('after apply');
  });

  await t.test('mutable attributes update in place, keeping ids and secrets', async () => {
    const before = await state();
    write({ interval: 60, slackChannel: '#fulfillment-alerts', healthSecret: 'fleet-health-secret-0002' });
    const p = await plan();
    expectOk(p, 'plan update');
    assert.match(p.stdout, /pharos_monitor\.health will be updated in-place/);
    assert.match(p.stdout, /interval_seconds\s+= 30 -> 60/);
    assert.match(p.stdout, /pharos_channel\.slack will be updated in-place/);
    assert.match(p.stdout, /Plan: 0 to add, 2 to change, 0 to destroy\./);
    const r = await apply();
    expectOk(r, 'apply update');
    assert.match(r.stdout, /Resources: 0 added, 2 changed, 0 destroyed\./);
    const after = await state();
    assert.equal(after.get('pharos_monitor.health')?.['id'], before.get('pharos_monitor.health')?.['id']);
    assert.equal((await get(`/v1/monitors/${String(after.get('pharos_monitor.health')?.['id'])}`))['interval_seconds'], 60);
    const channel = await get(`/v1/channels/${String(after.get('pharos_channel.slack')?.['id'])}`);
    assert.equal(channel['slack']['channel'], '#fulfillment-alerts');
    assert.deepEqual(channel['configured_secrets'], ['slack.webhook_url'], 'the secret survived the update');
    const rotated = await storedSecrets(api.database, 'monitors', String(after.get('pharos_monitor.health')?.['id']));
    assert.deepEqual(rotated, { http: { authorization: 'Bearer fleet-health-secret-0002' } }, 'a rotated secret header reaches the API');
    await assertCleanPlan('after update');
  });

  await t.test('immutable attributes replace the object', async () => {
    const oldMember = await idOf('pharos_team_member.alice');
    const oldDep = await idOf('pharos_service_dependency.to_shipping');
    write({ interval: 60, slackChannel: '#fulfillment-alerts', healthSecret: 'fleet-health-secret-0002', memberSubject: 'auth0|alice2', dependencyFrom: 'storefront' });
    const p = await plan();
    expectOk(p, 'plan replace');
    assert.match(p.stdout, /pharos_team_member\.alice must be replaced/);
    assert.match(p.stdout, /subject\s+= "auth0\|alice" -> "auth0\|alice2" # forces replacement/);
    assert.match(p.stdout, /pharos_service_dependency\.to_shipping must be replaced/);
    assert.match(p.stdout, /service_id\s+= "svc_\w+" -> "svc_\w+" # forces replacement/);
    const r = await apply();
    expectOk(r, 'apply replace');
    assert.match(r.stdout, /Resources: 2 added, 0 changed, 2 destroyed\./);
    assert.notEqual(await idOf('pharos_team_member.alice'), oldMember);
    assert.notEqual(await idOf('pharos_service_dependency.to_shipping'), oldDep);
    await assertCleanPlan('after replacement');
  });

  const current: FleetOptions = { interval: 60, slackChannel: '#fulfillment-alerts', healthSecret: 'fleet-health-secret-0002', memberSubject: 'auth0|alice2', dependencyFrom: 'storefront' };

  await t.test('objects deleted through the API are planned for re-creation', async () => {
    const s = await state();
    assert.equal((await api.call('DELETE', `/v1/monitors/${String(s.get('pharos_monitor.db')?.['id'])}`)).status, 204);
    assert.equal((await api.call('DELETE', `/v1/alert-rules/${String(s.get('pharos_alert_rule.down')?.['id'])}`)).status, 204);
    const p = await plan('-detailed-exitcode');
    assert.equal(p.code, 2, p.stdout + p.stderr);
    assert.match(p.stdout, /pharos_monitor\.db will be created/);
    assert.match(p.stdout, /pharos_alert_rule\.down will be created/);
    assert.match(p.stdout, /Plan: 2 to add, 0 to change, 0 to destroy\./);
    expectOk(await apply(), 'apply re-create');
    await assertCleanPlan('after re-creation');
  });

  await t.test('an unreachable API fails with a clear message and leaves the state alone', async () => {
    const before = readFileSync(join(work, 'terraform.tfstate'), 'utf8');
    write({ ...current, interval: 90 });
    // Port 9 (discard) on loopback refuses connections; the client retries, then gives up.
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve'], { PHAROS_API_URL: 'http://127.0.0.1:9' });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Cannot reach the Pharos API/);
    assert.match(r.stderr, /PHAROS_API_URL/);
    assert.doesNotMatch(r.stdout, /Apply complete/);
    assert.equal(readFileSync(join(work, 'terraform.tfstate'), 'utf8'), before, 'no partial state');
    write(current);
  });

  await t.test('terraform import by id adopts every resource and leaves a clean plan', async () => {
    write(current);
    const ids = new Map([...(await state())].map(([address, values]) => [address, values]));
    for (const address of Object.keys(fleetResources)) expectOk(await tf(['state', 'rm', address]), `state rm ${address}`);
    const importId = (address: string) => {
      const v = ids.get(address)!;
      if (address.startsWith('pharos_team_member.')) return `${String(v['team_id'])}/${String(v['id'])}`;
      if (address.startsWith('pharos_service_dependency.')) return `${String(v['service_id'])}/${String(v['id'])}`;
      return String(v['id']);
    };
    for (const address of Object.keys(fleetResources)) {
      const r = await tf(['import', '-no-color', '-input=false', address, importId(address)]);
      expectOk(r, `import ${address}`);
    }
    // Secrets (the channel's webhook URL, the monitors' secret headers) are never returned:
    // Terraform sends them once more, then all is clean.
    const p = await plan('-detailed-exitcode');
    assert.equal(p.code, 2, p.stdout + p.stderr);
    assert.match(p.stdout, /pharos_channel\.slack will be updated in-place/);
    assert.match(p.stdout, /pharos_monitor\.health will be updated in-place/);
    assert.match(p.stdout, /pharos_monitor\.checkout_flow will be updated in-place/);
    assert.match(p.stdout, /Plan: 0 to add, 3 to change, 0 to destroy\./);
    expectOk(await apply(), 'apply after import');
    await assertCleanPlan('after import');
  });

  await t.test('import {} blocks by natural key adopt every resource', async () => {
    for (const address of Object.keys(fleetResources)) expectOk(await tf(['state', 'rm', address]), `state rm ${address}`);
    const keys = { member_subject: 'auth0|alice2', dependency_from: 'storefront' };
    const blocks = Object.entries(fleetResources)
      .map(([address, natural]) => `import {\n  to = ${address}\n  id = ${JSON.stringify(natural!(keys))}\n}\n`)
      .join('\n');
    write({ ...current, extra: blocks });
    const p = await plan();
    expectOk(p, 'plan import blocks');
    assert.match(p.stdout, /Plan: 18 to import, 0 to add, 3 to change, 0 to destroy\./);
    const r = await apply();
    expectOk(r, 'apply import blocks');
    assert.match(r.stdout, /Resources: 18 imported, 0 added, 3 changed, 0 destroyed\./);
    write(current);
    await assertCleanPlan('after import blocks');
  });

  await t.test('destroy removes everything', async () => {
    const teamId = await idOf('pharos_team.fulfillment');
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve', '-parallelism=20']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Destroy complete! Resources: 18 destroyed\./);
    assert.equal((await api.call('GET', `/v1/teams/${teamId}`)).status, 404);
    for (const path of ['/v1/services', '/v1/monitors', '/v1/alert-rules', '/v1/channels', '/v1/routing-policies', '/v1/maintenance-windows', '/v1/slos', '/v1/runner-tokens']) {
      assert.deepEqual((await get(`${path}?limit=200`))['items'], [], `${path} is empty`);
    }
  });
});

test('the documentation examples are valid configurations', { skip }, async () => {
  const examples = fileURLToPath(new URL('../examples/resources', import.meta.url));
  const dir = join(root, 'examples');
  mkdirSync(dir);
  for (const file of readdirSync(examples)) copyFileSync(join(examples, file), join(dir, file));
  writeFileSync(join(dir, 'providers.tf'), header);
  const run = createTerraformRunner(dir, tfEnv);
  expectOk(await run(['init', '-no-color', '-input=false', '-backend=false']), 'init examples');
  expectOk(await run(['validate', '-no-color']), 'validate examples');
});
