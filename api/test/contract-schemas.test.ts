import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';

// Every map of the wire contract is closed: an object schema with patternProperties must also say
// additionalProperties: false (else a key with CR/LF, an empty key or a 1,000-character key is
// accepted and stored), and an object schema with no properties must not accept any key either.

type Json = Record<string, unknown>;

/** Paths of open object schemas under `node`. */
export function openMaps(node: unknown, path = '', out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return out;
  seen.add(node);
  if (Array.isArray(node)) {
    node.forEach((child, i) => openMaps(child, `${path}/${i}`, out, seen));
    return out;
  }
  const schema = node as Json;
  const types = [schema['type']].flat();
  if (types.includes('object')) {
    const closed = schema['additionalProperties'] === false;
    if (schema['patternProperties'] && !closed) out.push(`${path || '/'}: patternProperties without additionalProperties: false`);
    else if (!schema['properties'] && !schema['patternProperties'] && !closed) out.push(`${path || '/'}: an object schema with neither properties nor additionalProperties: false`);
  }
  for (const [key, child] of Object.entries(schema)) openMaps(child, `${path}/${key}`, out, seen);
  return out;
}

const contractDir = fileURLToPath(new URL('../src/contract/', import.meta.url));

test('the walk finds an open map (patternProperties without additionalProperties: false, or a bare object)', () => {
  assert.deepEqual(openMaps({ type: 'object', properties: { tags: { type: 'object', patternProperties: { '^a$': { type: 'string' } } } } }), ['/properties/tags: patternProperties without additionalProperties: false']);
  assert.deepEqual(openMaps({ type: 'object', additionalProperties: { type: 'string' } }), ['/: an object schema with neither properties nor additionalProperties: false']);
  assert.deepEqual(openMaps({ type: 'object', patternProperties: { '^a$': {} }, additionalProperties: false }), []);
});

test('every schema exported by api/src/contract/*.schema.ts closes its maps', async () => {
  const files = readdirSync(contractDir).filter((f) => f.endsWith('.schema.ts'));
  assert.ok(files.length >= 8, `found ${files.length} schema files`);
  const open: string[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, `file://${contractDir}`).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'object' && value !== null) open.push(...openMaps(value, `${file}#${name}`));
    }
  }
  assert.deepEqual(open, []);
});

let api: TestApi;
const skip = postgresSkip();
before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

/** Paths of string schemas with a pattern but no human errorMessage (the validator would print the expression). */
function bareRegexes(node: unknown, path = '', out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return out;
  seen.add(node);
  const schema = node as Json;
  if (typeof schema['pattern'] === 'string' && typeof schema['errorMessage'] !== 'string') out.push(`${path}: ${String(schema['pattern'])}`);
  // A closed map's key patterns are explained by the map's own errorMessage.
  if (schema['patternProperties'] && typeof schema['errorMessage'] !== 'string') out.push(`${path}: map keys without an errorMessage`);
  for (const [key, child] of Object.entries(schema)) if (key !== 'patternProperties') bareRegexes(child, `${path}/${key}`, out, seen);
  for (const child of Object.values((schema['patternProperties'] as Json | undefined) ?? {})) bareRegexes(child, `${path}/patternProperties`, out, seen);
  return out;
}

test('the OpenAPI document closes every map, and bounds every integer parameter', { skip }, async () => {
  const doc = (await api.call('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: Json }> }>> };
  assert.deepEqual(openMaps(doc), []);
  const unbounded: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const p of op.parameters ?? []) {
        if (p.schema['type'] === 'integer' && (typeof p.schema['minimum'] !== 'number' || typeof p.schema['maximum'] !== 'number')) unbounded.push(`${method} ${path} ${p.name}`);
      }
    }
  }
  // PostgreSQL refuses an integer beyond bigint; a bound turns that into a 422 naming the parameter.
  assert.deepEqual(unbounded, []);
});

test('every pattern a client can fail in a request body has a human message, not the expression', { skip }, async () => {
  const doc = (await api.call('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  const bare: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) if (op.requestBody) bareRegexes(op.requestBody, `${method} ${path}`, bare);
  assert.deepEqual([...new Set(bare.map((b) => b.replace(/^\S+ \S+/, '')))], []);
});
