import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { synthesizeExample, type SynthesizedExample } from './support/example.build.ts';

// The example compiles with the cdktf template's settings (tsconfig.app.json) and synthesizes
// with plain `node`; example.apply.test.ts applies the result with terraform.

let root: string;
let example: SynthesizedExample;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'pharos-cdktf-synth-'));
  example = await synthesizeExample(root);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the example synthesizes the fleet with the provider from the mirror address and no credentials', () => {
  const { config } = example;
  assert.deepEqual(config.terraform.required_providers.pharos, { source: 'pharos/pharos', version: '~> 0.1' });
  assert.deepEqual(config.terraform.backend, { local: { path: 'terraform.tfstate' } });
  assert.deepEqual(config.provider.pharos, [{}], 'endpoint and token come from PHAROS_API_URL / PHAROS_TOKEN at plan time');
  const count = (type: string) => Object.keys(config.resource[type] ?? {}).length;
  assert.deepEqual(
    ['pharos_team', 'pharos_service', 'pharos_service_dependency', 'pharos_monitor', 'pharos_alert_rule'].map(count),
    [2, 5, 4, 13, 1],
  );
});

test('dependency monitors run from the calling service\'s zone', () => {
  const monitors = Object.values(example.config.resource.pharos_monitor!);
  const edge = monitors.find((m) => m.name === 'inventory-from-order-processing')!;
  assert.deepEqual(edge.run_from, { zone: 'commerce' });
  assert.deepEqual(edge.http, { url: 'http://inventory.internal/health' });
  assert.match(String(edge.service_id), /^\$\{pharos_service\.order-processing_service_[0-9A-F]+\.id\}$/);
  assert.match(String(edge.dependency_id), /^\$\{pharos_service_dependency\.order-processing_depends-on-inventory_[0-9A-F]+\.id\}$/, 'it checks the edge order-processing → inventory');
  assert.equal(monitors.filter((m) => m.dependency_id !== undefined).length, 4, 'one edge monitor per edge');
});
