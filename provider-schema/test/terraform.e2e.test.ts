import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildProvider, cliConfigSnippet } from '../scripts/build-provider.ts';
import { createServerCertificate } from '../src/protocol/server-certificate.tls.ts';
import { magicCookieValue } from '../src/protocol/magic-cookie.guard.ts';
import { FakePharosApi } from './fixtures/fake-api.server.ts';
import { createTerraformRunner, type TfResult } from './fixtures/terraform.runner.ts';
import { loadSchemaDirectory, mergeSchemaFiles } from '../src/schema/schema.loader.ts';
import type { BlockJson, SchemaDocument, SchemaJson } from '../src/schema/schema-document.model.ts';

const fixtureEntry = fileURLToPath(new URL('./fixtures/widget-provider.main.ts', import.meta.url));
const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));
const schemaDir = fileURLToPath(new URL('../schema', import.meta.url));

/** Terraform omits false flags and defaults description_kind; compare what the converter must preserve. */
function normalize(schema: SchemaJson): unknown {
  const block = (b: BlockJson): unknown => ({
    description: b.description ?? '',
    attributes: Object.fromEntries(
      Object.entries(b.attributes ?? {}).map(([n, a]) => [
        n,
        { type: a.type, description: a.description ?? '', required: !!a.required, optional: !!a.optional, computed: !!a.computed, sensitive: !!a.sensitive, write_only: !!a.write_only },
      ]),
    ),
    block_types: Object.fromEntries(
      Object.entries(b.block_types ?? {}).map(([n, nb]) => [n, { nesting_mode: nb.nesting_mode, min_items: nb.min_items ?? 0, max_items: nb.max_items ?? 0, block: block(nb.block) }]),
    ),
  });
  return { version: schema.version, block: block(schema.block) };
}
const api = new FakePharosApi();
let root: string;
let apiUrl: string;
let bundle: string;
let tf: ReturnType<typeof createTerraformRunner>;

const header = (url: string) => `
terraform {
  required_providers {
    pharos = { source = "pharos/pharos", version = "0.1.0" }
  }
}
provider "pharos" {
  endpoint = "${url}"
}
`;

const mainWidget = (over: { region?: string; description?: string; labels?: string } = {}) => `
resource "pharos_widget" "main" {
  name   = "checkout"
  region = "${over.region ?? 'us-east-1'}"
  ${over.description ? `description = "${over.description}"` : ''}
  labels = ${over.labels ?? '{ team = "payments" }'}
  ports  = [80, 443]
  secret = "s3cr3t"
  token_wo = "hunter2"
  limits = { max = 5 }
  settings {
    mode = "fast"
  }
  rule {
    name      = "latency"
    threshold = 500
  }
  rule {
    name = "errors"
  }
}

data "pharos_widget" "lookup" {
  id = pharos_widget.main.id
}

output "widget_id" { value = pharos_widget.main.id }
output "retries" { value = pharos_widget.main.settings.retries }
output "burst" { value = pharos_widget.main.limits.burst }
output "lookup_name" { value = data.pharos_widget.lookup.name }
`;

const writeConfig = (...parts: string[]) => writeFileSync(join(root, 'work', 'main.tf'), [header(apiUrl), ...parts].join('\n'));

const expectOk = (r: TfResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);

async function outputs(): Promise<Record<string, unknown>> {
  const r = await tf(['output', '-json']);
  expectOk(r, 'terraform output');
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
}

async function stateOf(address: string): Promise<Record<string, unknown>> {
  const r = await tf(['show', '-json']);
  expectOk(r, 'terraform show');
  const state = JSON.parse(r.stdout) as { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
  const res = state.values?.root_module?.resources?.find((x) => x.address === address);
  assert.ok(res, `${address} is not in the state`);
  return res.values;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'pharos-tf-e2e-'));
  const built = await buildProvider({ entry: fixtureEntry, outDir: join(root, 'dist') });
  bundle = built.bundle;
  apiUrl = await api.start();
  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(cliConfig, cliConfigSnippet(built.mirrorDir));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'work'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: root,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    PHAROS_TOKEN: 'test-token',
  };
  tf = createTerraformRunner(join(root, 'work'), env);
});

after(async () => {
  await api.close();
  rmSync(root, { recursive: true, force: true });
});

test('provider start-up to handshake (bundled, mTLS)', async () => {
  const clientCert = (await createServerCertificate()).certPem;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const child = spawn(bundle, [], {
      env: { PATH: process.env['PATH'], TF_PLUGIN_MAGIC_COOKIE: magicCookieValue, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: clientCert },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    times.push(performance.now() - started);
    child.kill();
    assert.match(line, /^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]+\n$/);
  }
  times.sort((a, b) => a - b);
  console.log(`provider start-up to handshake: median ${times[1]!.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  assert.ok(times[1]! < 2000, 'start-up is far too slow');
});

test('provider run by hand explains itself and exits 1', async () => {
  const child = spawn(bundle, [], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /plugin for Terraform/);
});

test('terraform lifecycle against the fake API', async (t) => {
  await t.test('offline init from the filesystem mirror', async () => {
    writeConfig(mainWidget());
    const r = await tf(['init', '-no-color', '-input=false']);
    expectOk(r, 'init');
    assert.match(r.stdout, /Installed pharos\/pharos v0\.1\.0/);
  });

  await t.test('terraform providers schema -json reports the schema files unchanged', async () => {
    const r = await tf(['providers', 'schema', '-json']);
    expectOk(r, 'providers schema');
    const reported = (JSON.parse(r.stdout) as SchemaDocument).provider_schemas['registry.terraform.io/pharos/pharos']!;
    const files = mergeSchemaFiles([...loadSchemaDirectory(schemaDir), ...loadSchemaDirectory(fixturesDir)]);
    assert.deepEqual(normalize(reported.provider!), normalize(files.provider));
    assert.deepEqual(normalize(reported.resource_schemas!['pharos_widget']!), normalize(files.resources.get('pharos_widget')!));
    assert.deepEqual(normalize(reported.data_source_schemas!['pharos_widget']!), normalize(files.dataSources.get('pharos_widget')!));
  });

  await t.test('create: plan shows computed values unknown, apply fills them', async () => {
    const plan = await tf(['plan', '-no-color', '-input=false']);
    expectOk(plan, 'plan');
    assert.match(plan.stdout, /pharos_widget\.main will be created/);
    assert.match(plan.stdout, /id\s+= \(known after apply\)/);
    assert.match(plan.stdout, /enabled\s+= true/, 'the default is planned');
    assert.match(plan.stdout, /secret\s+= \(sensitive value\)/);
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'apply');
    assert.match(r.stdout, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
    const out = await outputs();
    assert.equal(out['retries'], 3, 'computed attribute in a nested block filled from the API default');
    assert.equal(out['burst'], 10, 'computed member of a nested attribute filled from the API default');
    assert.equal(out['lookup_name'], 'checkout', 'data source read the object');
    assert.ok(api.widgets.has(String(out['widget_id'])));
    assert.equal(api.secrets.get(String(out['widget_id'])), 's3cr3t');
    assert.equal(api.writeOnly.get(String(out['widget_id'])), 'hunter2', 'write-only value reached the API');
    const state = await stateOf('pharos_widget.main');
    assert.equal(state['secret'], 's3cr3t', 'secret kept although the API never returns it');
    assert.equal(state['enabled'], true);
    assert.equal(state['token_wo'], null, 'write-only value is never stored');
    assert.deepEqual(state['rule'], [
      { name: 'latency', threshold: 500 },
      { name: 'errors', threshold: null },
    ]);
  });

  await t.test('second plan shows no changes (and survives 503s with retries)', async () => {
    api.failNext(503, 503);
    const r = await tf(['plan', '-no-color', '-input=false', '-detailed-exitcode']);
    assert.equal(r.code, 0, `expected no changes:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /No changes\./);
    assert.equal(api.requests.filter((q) => q.status === 503).length, 2);
  });

  await t.test('in-place update sends only what changed', async () => {
    const before = await outputs();
    writeConfig(mainWidget({ description: 'Card payments', labels: '{ team = "payments", tier = "1" }' }));
    const plan = await tf(['plan', '-no-color', '-input=false', '-detailed-exitcode']);
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /pharos_widget\.main will be updated in-place/);
    assert.match(plan.stdout, /updated_at\s+= "[^"]+" -> \(known after apply\)/);
    const mark = api.requests.length;
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'apply update');
    assert.match(r.stdout, /Resources: 0 added, 1 changed, 0 destroyed\./);
    const patch = api.requests.slice(mark).find((q) => q.method === 'PATCH');
    assert.ok(patch, 'a PATCH was sent');
    assert.deepEqual(Object.keys(patch.body ?? {}).sort(), ['description', 'labels']);
    assert.equal((await outputs())['widget_id'], before['widget_id'], 'same object');
    const again = await tf(['plan', '-no-color', '-input=false', '-detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  await t.test('changing region replaces the widget', async () => {
    const oldId = String((await outputs())['widget_id']);
    writeConfig(mainWidget({ region: 'eu-west-1', description: 'Card payments', labels: '{ team = "payments", tier = "1" }' }));
    const plan = await tf(['plan', '-no-color', '-input=false']);
    expectOk(plan, 'plan replace');
    assert.match(plan.stdout, /pharos_widget\.main must be replaced/);
    assert.match(plan.stdout, /region\s+= "us-east-1" -> "eu-west-1" # forces replacement/);
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'apply replace');
    assert.match(r.stdout, /Resources: 1 added, 0 changed, 1 destroyed\./);
    const newId = String((await outputs())['widget_id']);
    assert.notEqual(newId, oldId);
    assert.equal(api.widgets.has(oldId), false);
    assert.equal(api.widgets.get(newId)?.['region'], 'eu-west-1');
  });

  await t.test('a widget deleted outside Terraform is planned for re-creation', async () => {
    const id = String((await outputs())['widget_id']);
    api.widgets.delete(id);
    const plan = await tf(['plan', '-no-color', '-input=false', '-detailed-exitcode']);
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /pharos_widget\.main will be created/);
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'apply re-create');
    assert.match(r.stdout, /Resources: 1 added, 0 changed, 0 destroyed\./);
  });

  const current = () => mainWidget({ region: 'eu-west-1', description: 'Card payments', labels: '{ team = "payments", tier = "1" }' });

  await t.test('terraform import adopts an existing widget', async () => {
    api.seed({ id: 'w-import', name: 'imported', region: 'us-east-1', labels: { origin: 'manual' } });
    writeConfig(current(), 'resource "pharos_widget" "imported" {\n  name   = "imported"\n  region = "us-east-1"\n  labels = { origin = "manual" }\n}\n');
    const r = await tf(['import', '-no-color', '-input=false', 'pharos_widget.imported', 'w-import']);
    expectOk(r, 'import');
    assert.match(r.stdout, /Import successful!/);
    const state = await stateOf('pharos_widget.imported');
    assert.equal(state['name'], 'imported');
    assert.deepEqual(state['labels'], { origin: 'manual' });
    const plan = await tf(['plan', '-no-color', '-input=false', '-detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });

  await t.test('an import {} block imports during apply', async () => {
    api.seed({ id: 'w-block', name: 'blocked', region: 'us-west-2' });
    writeConfig(
      current(),
      'resource "pharos_widget" "imported" {\n  name   = "imported"\n  region = "us-east-1"\n  labels = { origin = "manual" }\n}\n',
      'import {\n  to = pharos_widget.blocked\n  id = "w-block"\n}\nresource "pharos_widget" "blocked" {\n  name   = "blocked"\n  region = "us-west-2"\n}\n',
    );
    const plan = await tf(['plan', '-no-color', '-input=false']);
    expectOk(plan, 'plan import block');
    assert.match(plan.stdout, /Plan: 1 to import, 0 to add, 0 to change, 0 to destroy\./);
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'apply import block');
    assert.match(r.stdout, /Resources: 1 imported, 0 added, 0 changed, 0 destroyed\./);
  });

  await t.test('an API field error points at the configuration line', async () => {
    writeConfig(current(), 'resource "pharos_widget" "bad" {\n  name   = "bad"\n  region = "us-east-1"\n  rule {\n    name = "has space"\n  }\n}\n');
    const r = await tf(['apply', '-no-color', '-input=false', '-auto-approve', '-target=pharos_widget.bad']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Creating pharos_widget: Validation failed/);
    assert.match(r.stderr, /rule names must not contain spaces/);
    assert.match(r.stderr, /name = "has space"/, 'Terraform shows the offending line from the attribute path');
  });

  await t.test('a refused token is reported clearly', async () => {
    writeConfig(current());
    const r = await tf(['plan', '-no-color', '-input=false'], { PHAROS_TOKEN: 'wrong' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Pharos API refused the token/);
    assert.match(r.stderr, /PHAROS_TOKEN/);
  });

  await t.test('destroy removes everything', async () => {
    const r = await tf(['destroy', '-no-color', '-input=false', '-auto-approve']);
    expectOk(r, 'destroy');
    assert.match(r.stdout, /Destroy complete! Resources: 3 destroyed\./);
    assert.deepEqual([...api.widgets.keys()], []);
  });
});
