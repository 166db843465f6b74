import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSONPath } from 'jsonpath-plus';
import { jsonPathError } from '../src/contract/json-path.ts';

// The contract accepts exactly the JSONPath expressions the runner (jsonpath-plus, eval "safe") can evaluate.
const valid = ['$', '$.status', '$..id', '$[0]', '$[*].id', '$[1:3]', "$['a b']", '$["x"].y', '$.items[?(@.state == "up")]', '$[?(@.x > 1 && @.y < 2)].name', '$.data.tags[?(@ == "a[b]")]'];
const invalid: Array<[string, RegExp]> = [
  ['status', /must start with "\$"/],
  ['$status', /after "\$" comes "\." or "\["/],
  ['$.', /ends with "\."/],
  ['$.a.', /ends with "\."/],
  ['$.a[', /never closed/],
  ['$[0', /never closed/],
  ['$.a]', /closes no "\["/],
  ['$[]', /empty brackets/],
  ["$['a]", /quote ' is never closed/],
  ['$...a', /"\.\.\."/],
  ['$[?(@.a==)]', /does not parse: Expected expression after ==/],
  ['$[?(@.a==1]', /does not parse/],
];

for (const path of valid) {
  test(`JSONPath accepted: ${path}`, () => {
    assert.equal(jsonPathError(path), undefined);
    assert.doesNotThrow(() => JSONPath({ path, json: { status: 'ok', items: [{ state: 'up' }], data: { tags: ['a'] } }, wrap: true, eval: 'safe' }), 'the runner evaluates what the contract accepts');
  });
}
for (const [path, reason] of invalid) {
  test(`JSONPath refused: ${path}`, () => assert.match(jsonPathError(path) ?? 'accepted', reason));
}

test('validating does not grow the library cache', () => {
  const before = Object.keys(JSONPath.cache).length;
  for (let i = 0; i < 100; i++) jsonPathError(`$.a${i}[?(@.n == ${i})]`);
  assert.equal(Object.keys(JSONPath.cache).length, before);
});
