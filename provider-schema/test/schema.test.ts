import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { registryProblems } from '../src/engine/handler.registry.ts';
import { toProtoSchema } from '../src/schema/schema.converter.ts';
import { asSchemaFile, loadSchemaDirectory, mergeSchemaFiles, toSchemaDocument } from '../src/schema/schema.loader.ts';
import { renderDescriptor } from '../scripts/compile-proto.ts';
import { createPharosRegistry } from '../src/resources/pharos.registry.ts';
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = join(here, 'fixtures');
const schemaDir = join(here, '..', 'schema');

test('converts the JSON schema shape into tfplugin6.Schema', () => {
  const set = mergeSchemaFiles(loadSchemaDirectory(fixtures));
  const widget = toProtoSchema(set.resources.get('pharos_widget')!);
  assert.equal(widget.version, 1);
  assert.equal(widget.block.version, 1);
  const attr = (name: string) => widget.block.attributes.find((a) => a.name === name)!;
  assert.equal(attr('labels').type?.toString(), '["map","string"]');
  assert.equal(attr('id').computed, true);
  assert.equal(attr('id').optional, false);
  assert.equal(attr('name').required, true);
  assert.equal(attr('secret').sensitive, true);
  assert.equal(attr('enabled').optional && attr('enabled').computed, true);
  assert.equal(attr('region').description, 'Where the widget lives; changing it replaces the widget.');
  const rule = widget.block.block_types.find((b) => b.type_name === 'rule')!;
  assert.equal(rule.nesting, 'LIST');
  assert.equal(rule.max_items, 10);
  assert.equal(widget.block.block_types.find((b) => b.type_name === 'settings')!.nesting, 'SINGLE');
  assert.equal(widget.block.description_kind, 'PLAIN');
});

test('nested attribute types become Schema.Object', () => {
  const proto = toProtoSchema({
    version: 0,
    block: { attributes: { steps: { nested_type: { nesting_mode: 'list', attributes: { url: { type: 'string', required: true } } }, optional: true } } },
  });
  const steps = proto.block.attributes[0]!;
  assert.equal(steps.type, undefined);
  assert.equal(steps.nested_type?.nesting, 'LIST');
  assert.equal(steps.nested_type?.attributes[0]?.name, 'url');
});

test('the shipped provider schema has the provider block (endpoint, sensitive token)', () => {
  const set = mergeSchemaFiles(loadSchemaDirectory(schemaDir));
  const provider = toProtoSchema(set.provider);
  assert.deepEqual(provider.block.attributes.map((a) => a.name).sort(), ['endpoint', 'token']);
  assert.equal(provider.block.attributes.find((a) => a.name === 'token')?.sensitive, true);
  const doc = toSchemaDocument(set);
  assert.deepEqual(Object.keys(doc.provider_schemas), ['registry.terraform.io/pharos/pharos']);
});

test('merging rejects duplicates and behaviours without a schema', () => {
  const files = loadSchemaDirectory(fixtures);
  assert.throws(() => mergeSchemaFiles([...files, ...files]), /more than one schema file|defined twice/);
  assert.throws(() => mergeSchemaFiles([{ resource_behaviours: { pharos_ghost: {} } }]), /pharos_ghost/);
  assert.throws(
    () => asSchemaFile({ format_version: '1.0', provider_schemas: { x: { resource_schemas: { r: { version: 0, block: { attributes: { a: { type: ['lisst', 'string'] } } } } } } } }),
    /r\.a: not a Terraform type/,
  );
});

test('registry problems name missing handlers and handlers without schema', () => {
  const set = mergeSchemaFiles(loadSchemaDirectory(fixtures));
  const problems = registryProblems({ resources: { pharos_other: { typeName: 'pharos_other' } } as never, dataSources: {} }, set);
  assert.ok(problems.includes('resource pharos_other has a handler but no schema'));
  assert.ok(problems.includes('resource pharos_widget has a schema but no handler'));
  assert.ok(problems.includes('data source pharos_widget has a schema but no handler'));
});

test('the committed proto descriptor matches the .proto files', () => {
  const committed = readFileSync(join(here, '..', 'proto', 'generated', 'plugin.descriptor.json'), 'utf8');
  assert.equal(committed, renderDescriptor(), 'run npm run -w provider-schema compile:proto');
});

test('the shipped provider bundles exactly schema/*.json and has a handler for every type', () => {
  const bundled = mergeSchemaFiles(pharosSchemaFiles());
  assert.deepEqual(toSchemaDocument(bundled), toSchemaDocument(mergeSchemaFiles(loadSchemaDirectory(schemaDir))), 'list every schema/*.json in src/resources/pharos.schemas.ts');
  assert.deepEqual(bundled.behaviours, mergeSchemaFiles(loadSchemaDirectory(schemaDir)).behaviours);
  assert.deepEqual(registryProblems(createPharosRegistry(), bundled), []);
});
