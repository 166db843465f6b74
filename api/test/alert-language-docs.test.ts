import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { alertExpressionErrors, functionNames, functions } from '../src/contract/alert-expression/index.ts';

// docs/alert-language.md stays true to the language: every function is documented with the example
// the registry type-checks, and the error messages it quotes are the ones the checker gives.

const doc = readFileSync(new URL('../../docs/alert-language.md', import.meta.url), 'utf8');

test('every function of the registry is documented with its example', () => {
  for (const name of functionNames) {
    assert.ok(doc.includes(`\`${functions[name].example}\``), `docs/alert-language.md shows ${name}'s example \`${functions[name].example}\``);
  }
});

test('every example in the function tables type-checks', () => {
  const rows = [...doc.matchAll(/^\| `[a-z_0-9]+\([^`]*\)` \| [^|]+ \| `([^`]+)` \|$/gm)].map((m) => m[1]!);
  assert.ok(rows.length >= 26, `found ${rows.length} examples`);
  for (const example of rows) assert.deepEqual(alertExpressionErrors(example), [], example);
});

test('the error messages the docs quote are the messages the checker gives', () => {
  const section = doc.slice(doc.indexOf('| you wrote | you are told |'));
  const rows = [...section.matchAll(/^\| `([^`]+)`(?: with [^|]+)? \| `([^`]+)` \|$/gm)];
  assert.ok(rows.length >= 15, `found ${rows.length} rows`);
  let checked = 0;
  for (const [, input, quoted] of rows) {
    const errors = alertExpressionErrors(input!);
    if (errors.length === 0) continue; // a name error: it needs the API (api/test/alert-rule-validation.test.ts)
    checked++;
    const pattern = new RegExp(quoted!.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
    assert.ok(errors.some((e) => pattern.test(e.message)), `${input}: docs say ${quoted}, the checker says ${errors.map((e) => e.message).join(' | ')}`);
  }
  assert.ok(checked >= 13);
});
