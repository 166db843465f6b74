import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateAlertParser, generatedPath } from '../scripts/alert-parser.generate.ts';

test('the committed alert expression parser is what the grammar generates (run `npm run generate:alert-parser`)', () => {
  assert.equal(readFileSync(generatedPath, 'utf8'), generateAlertParser(), 'alert-expression.parser.generated.ts differs from alert-expression.peggy: run `npm run generate:alert-parser` and commit the result');
});
