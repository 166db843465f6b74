import assert from 'node:assert/strict';
import { test } from 'node:test';
import { committedDocs, renderDocs } from '../scripts/generate-docs.ts';
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';
import { mergeSchemaFiles } from '../src/schema/schema.loader.ts';
import type { BlockJson } from '../src/schema/schema-document.model.ts';

test('docs/terraform matches a fresh generation from the schema (npm run -w provider-schema docs)', () => {
  const fresh = renderDocs();
  const committed = committedDocs();
  assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), 'generated files added or removed: run npm run -w provider-schema docs');
  for (const [path, content] of fresh) assert.equal(committed.get(path), content, `docs/terraform/${path} is stale: run npm run -w provider-schema docs`);
});

test('every attribute and block of every resource and data source has a description', () => {
  const set = mergeSchemaFiles(pharosSchemaFiles());
  const missing: string[] = [];
  const walk = (block: BlockJson, at: string) => {
    if (!block.description) missing.push(at);
    for (const [name, attr] of Object.entries(block.attributes ?? {})) if (!attr.description) missing.push(`${at}.${name}`);
    for (const [name, nb] of Object.entries(block.block_types ?? {})) walk(nb.block, `${at}.${name}`);
  };
  for (const [name, schema] of set.resources) walk(schema.block, name);
  for (const [name, schema] of set.dataSources) walk(schema.block, `data.${name}`);
  assert.deepEqual(missing, []);
});
