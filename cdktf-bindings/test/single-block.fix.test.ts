import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultBindingsDir } from '../scripts/generate-bindings.ts';
import { applySingleBlockFixes, singleBlockFixes } from '../scripts/single-block.fix.ts';
import type { SchemaDocument } from '../../provider-schema/src/schema/schema-document.model.ts';

const doc: SchemaDocument = {
  format_version: '1.0',
  provider_schemas: {
    'registry.terraform.io/pharos/pharos': {
      resource_schemas: {
        pharos_monitor: {
          version: 0,
          block: {
            block_types: {
              tcp: { nesting_mode: 'single', block: { attributes: { host: { type: 'string', required: true }, port: { type: 'number', required: true } } } },
              http: { nesting_mode: 'single', block: { attributes: { url: { type: 'string', required: true }, method: { type: 'string', optional: true } } } },
              must: { nesting_mode: 'single', min_items: 1, block: { attributes: { x: { type: 'string', required: true } } } },
              step: {
                nesting_mode: 'list',
                block: { block_types: { auth: { nesting_mode: 'single', block: { attributes: { user: { type: 'string', required: true } } } } } },
              },
            },
          },
        },
      },
    },
  },
};

test('single blocks whose attributes are all required, and that Terraform treats as optional, are found (nested too)', () => {
  const fixes = singleBlockFixes(doc, () => 'Monitor');
  assert.deepEqual(fixes, [
    { where: 'pharos_monitor.tcp', property: 'tcp', struct: 'MonitorTcp' },
    { where: 'pharos_monitor.step.auth', property: 'auth', struct: 'MonitorStepAuth' },
  ]);
});

test('the fix makes exactly those configuration properties optional', () => {
  const source = 'export interface MonitorConfig {\n  readonly tcp: MonitorTcp;\n  readonly http?: MonitorHttp;\n  readonly must: MonitorMust;\n}\n';
  const { source: fixed, applied } = applySingleBlockFixes(source, singleBlockFixes(doc, () => 'Monitor'));
  assert.equal(fixed, 'export interface MonitorConfig {\n  readonly tcp?: MonitorTcp;\n  readonly http?: MonitorHttp;\n  readonly must: MonitorMust;\n}\n');
  assert.deepEqual(applied.map((f) => f.where), ['pharos_monitor.tcp']);
});

test('the committed monitor bindings do not require a tcp block', () => {
  const monitor = readFileSync(join(defaultBindingsDir, 'providers', 'pharos', 'monitor', 'index.ts'), 'utf8');
  assert.match(monitor, /\n {2}readonly tcp\?: MonitorTcp;\n/);
});
