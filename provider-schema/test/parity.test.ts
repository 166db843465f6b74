import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { contractInputs } from '../src/resources/contract.validation.ts';
import { FieldNameMap } from '../src/resources/field-names.map.ts';
import { createPharosRegistry, type PharosResourceName } from '../src/resources/pharos.registry.ts';
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';
import { mergeSchemaFiles } from '../src/schema/schema.loader.ts';
import type { BlockJson } from '../src/schema/schema-document.model.ts';

// API ⇄ provider parity: every field a client may send (the contract's *Input schemas) has a
// Terraform attribute or block, with the same requiredness, kind of type and default, and every
// configurable Terraform attribute is a field the API accepts. Computed-only attributes (id,
// created_at, team_id of monitors, configured_secrets, token, …) are what the API answers with.

interface Field {
  readonly required: boolean;
  readonly kind: string;
  readonly default?: unknown;
}

type Json = Record<string, any>;

function kindOf(s: Json): string {
  // A nullable field (Type.Union([X, Type.Null()]): null clears it) is an optional attribute of X's kind.
  if (Array.isArray(s['anyOf'])) {
    const kinds = (s['anyOf'] as Json[]).filter((x) => x['type'] !== 'null');
    if (kinds.length === 1) return kindOf(kinds[0]!);
  }
  if (s['type'] === 'integer' || s['type'] === 'number') return 'number';
  if (s['type'] === 'boolean') return 'bool';
  if (s['type'] === 'string') return 'string';
  if (s['type'] === 'array') return s['items']?.['type'] === 'object' && s['items']['properties'] ? 'blocks' : `list(${kindOf(s['items'])})`;
  if (s['type'] === 'object' && s['properties']) return 'block';
  // A closed map (patternProperties + additionalProperties: false) takes its value type from the pattern.
  if (s['type'] === 'object') return `map(${kindOf(typeof s['additionalProperties'] === 'object' ? s['additionalProperties'] : (Object.values(s['patternProperties'] ?? {})[0] ?? {}))})`;
  return 'unknown';
}

function restFields(schema: Json, prefix = '', out = new Map<string, Field>()): Map<string, Field> {
  const required = new Set<string>(schema['required'] ?? []);
  for (const [name, s] of Object.entries(schema['properties'] as Record<string, Json>)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const kind = kindOf(s);
    out.set(path, { required: required.has(name), kind, ...(s['default'] !== undefined && kind !== 'blocks' ? { default: s['default'] } : {}) });
    if (kind === 'block') restFields(s, path, out);
    if (kind === 'blocks') restFields(s['items'], path, out);
  }
  return out;
}

function tfKind(type: unknown): string {
  if (type === 'string' || type === 'number' || type === 'bool') return type;
  const [k, inner] = type as [string, unknown];
  return `${k}(${tfKind(inner)})`;
}

function tfFields(block: BlockJson, defaults: Record<string, unknown>, fields: FieldNameMap, prefix = '', out = new Map<string, Field>()): Map<string, Field> {
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.computed && !attr.optional) continue;
    const tfPath = prefix ? `${prefix}.${name}` : name;
    const hasDefault = tfPath in defaults;
    out.set(fields.restPath(tfPath), { required: !!attr.required, kind: tfKind(attr.type), ...(hasDefault ? { default: defaults[tfPath] } : {}) });
    assert.ok(!attr.computed || hasDefault || attr.required, `${tfPath} is Optional+Computed without a planned default`);
  }
  for (const [name, nb] of Object.entries(block.block_types ?? {})) {
    const tfPath = prefix ? `${prefix}.${name}` : name;
    const single = nb.nesting_mode === 'single';
    out.set(fields.restPath(tfPath), { required: (nb.min_items ?? 0) > 0, kind: single ? 'block' : 'blocks' });
    tfFields(nb.block, defaults, fields, tfPath, out);
  }
  return out;
}

const schemas = mergeSchemaFiles(pharosSchemaFiles());
const registry = createPharosRegistry(schemas);

for (const typeName of Object.keys(contractInputs) as PharosResourceName[]) {
  test(`parity: ${typeName} matches the API contract field by field`, () => {
    const schema = schemas.resources.get(typeName);
    assert.ok(schema, `no schema for ${typeName}`);
    const behaviour = schemas.behaviours.get(typeName) ?? {};
    const tf = tfFields(schema.block, behaviour.defaults ?? {}, FieldNameMap.of(typeName));
    const handler = registry.resources[typeName] as { pathFields?: readonly string[] };
    for (const pathField of handler.pathFields ?? []) {
      assert.equal(tf.get(pathField)?.required, true, `${pathField} is a required URL part`);
      tf.delete(pathField);
    }
    const rest = restFields(contractInputs[typeName].input as TSchema as Json);
    assert.deepEqual([...tf.keys()].filter((k) => !rest.has(k)), [], `${typeName}: Terraform attributes the API does not accept`);
    assert.deepEqual([...rest.keys()].filter((k) => !tf.has(k)), [], `${typeName}: API fields without a Terraform attribute or block`);
    for (const [path, r] of rest) {
      const t = tf.get(path)!;
      assert.equal(t.required, r.required, `${typeName}.${path}: required in the API ⇔ required in Terraform`);
      assert.equal(t.kind, r.kind, `${typeName}.${path}: type`);
      if (r.default !== undefined) assert.deepEqual(t.default, r.default, `${typeName}.${path}: the planned default is the API's default`);
    }
  });
}

test('parity: every contract-backed resource is in the registry and vice versa', () => {
  assert.deepEqual(Object.keys(contractInputs).sort(), Object.keys(registry.resources).sort());
});

test('parity: data sources expose every field of the API object (plus their look-up keys)', async () => {
  const { Team } = await import('../../api/src/contract/team.schema.ts');
  const { Service } = await import('../../api/src/contract/service.schema.ts');
  const { Monitor } = await import('../../api/src/contract/monitor.schema.ts');
  const outputs: Record<string, { schema: Json; lookupOnly: string[] }> = {
    pharos_team: { schema: Team as Json, lookupOnly: [] },
    pharos_service: { schema: Service as Json, lookupOnly: [] },
    pharos_monitor: { schema: Monitor as Json, lookupOnly: ['service_name'] },
  };
  assert.deepEqual(Object.keys(outputs).sort(), [...schemas.dataSources.keys()].sort());
  for (const [name, { schema, lookupOnly }] of Object.entries(outputs)) {
    const attrs = Object.keys(schemas.dataSources.get(name)!.block.attributes ?? {}).filter((a) => !lookupOnly.includes(a));
    assert.deepEqual(attrs.sort(), Object.keys(schema['properties'] as Json).sort(), `data source ${name}`);
  }
});
