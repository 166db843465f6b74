import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AlertExpressionError, alertExpressionErrors, analyzeAlertExpression, parseAlertExpression } from '../src/contract/alert-expression/index.ts';

// Whatever a user (or Terraform) sends, the parser answers with a tree or its typed error with a
// position inside the text, and the checker answers with problems: nothing else is ever thrown.

const pieces = ['down(', 'up(', 'p95(', 'metric(', 'monitor(', 'services(', 'slo(', 'burn_rate(', '"5m"', '"x"', '"', "'", '(', ')', ',', '=', '==', '>', '>=', '!', 'and', 'or', 'not', ' ', '\n', '2s', '500ms', '80%', '-1.5', '14.4', 'tag=', 'region=', '\\', '\u0000', '😀', 'x', '5min'];
const expressionish = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), expressionish);

function inside(text: string, e: AlertExpressionError) {
  for (const p of e.problems) {
    assert.ok(p.span.start.offset >= 0 && p.span.start.offset <= text.length, `offset ${p.span.start.offset} within ${text.length}`);
    assert.ok(p.span.start.line >= 1 && p.span.start.column >= 1);
    assert.ok(p.message.length > 10);
  }
}

test('the parser throws only AlertExpressionError, with positions inside the text', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      try {
        parseAlertExpression(text);
      } catch (error) {
        assert.ok(error instanceof AlertExpressionError, `threw ${String(error)}`);
        inside(text, error);
      }
    }),
    { numRuns: 3000 },
  );
});

test('analysis never throws and every problem has a line, a column and a message', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const result = analyzeAlertExpression(text);
      if (result.ok) return;
      assert.ok(result.problems.length > 0);
      for (const e of alertExpressionErrors(text)) {
        assert.equal(e.pointer, '/expression');
        assert.ok(e.line! >= 1 && e.column! >= 1);
      }
    }),
    { numRuns: 3000 },
  );
});

test('deep nesting without parentheses (not not not …) is refused with the typed error, not a stack overflow', () => {
  const text = `${'not '.repeat(1000)}down(service("x"))`;
  const result = analyzeAlertExpression(text);
  if (!result.ok) assert.match(result.problems[0]!.message, /nests too deeply|simplify/);
  else assert.equal(result.expression.ast.kind, 'not');
});
