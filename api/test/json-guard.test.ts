import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, guardJson, stringProblem } from '../src/http/json-guard.ts';

const nest = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

test('guardJson: depth is measured without recursion, up to the limit and beyond', () => {
  assert.equal(MAX_JSON_DEPTH, 64);
  assert.deepEqual(guardJson(nest(64)), { ok: true });
  assert.deepEqual(guardJson(nest(65)), { ok: false, tooDeep: true, depth: 65 });
  // 200,000 levels: a recursive walk (structuredClone, ajv) overflows the stack long before.
  const result = guardJson(nest(200_000));
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.tooDeep, true);
  assert.deepEqual(guardJson({ a: { b: { c: 1 } } }, 3), { ok: true });
  assert.equal(guardJson({ a: { b: { c: {} } } }, 3).ok, false);
});

const cases: Array<[string, unknown, string[]]> = [
  ['plain text, emoji (a surrogate pair) and CJK', { d: 'héllo 💡 漢字', t: { env: 'prod' } }, []],
  ['NUL in a value', { description: 'a\u0000b' }, ['/description']],
  ['NUL in a nested value', { http: { headers: { 'x-a': '\u0000' } } }, ['/http/headers/x-a']],
  ['NUL in an array item', { assertions: [{ target: 'ok' }, { target: 'x\u0000' }] }, ['/assertions/1/target']],
  ['lone high surrogate', { name: '\ud800' }, ['/name']],
  ['lone low surrogate', { name: 'a\udfffb' }, ['/name']],
  ['reversed pair is two lone surrogates', { name: '\udc00\ud800' }, ['/name']],
  ['NUL in a key (pointer escapes / and ~)', { tags: { 'a/b~\u0000': 'v' } }, ['/tags/a~1b~0\u0000']],
  ['numbers, booleans and null are fine', { a: 1e308, b: true, c: null }, []],
];

for (const [name, value, pointers] of cases) {
  test(`guardJson: ${name}`, () => {
    const result = guardJson(value);
    assert.deepEqual(result.ok ? [] : result.tooDeep ? ['too deep'] : result.errors.map((e) => e.pointer), pointers);
  });
}

test('stringProblem says what is wrong and what to do', () => {
  assert.match(stringProblem('a\u0000')!, /NUL character \(\\u0000\); remove it/);
  assert.match(stringProblem('\ud800')!, /lone UTF-16 surrogate \(\\ud800\)/);
  assert.equal(stringProblem('💡'), undefined);
});
