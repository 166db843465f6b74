import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { all, and, any, bool, compare, comparisonOperators, evalError, noData, not, num, or, outcomeOf, type EvalValue } from '../src/modules/alerts/evaluate.logic.ts';

const T = bool(true);
const F = bool(false);
const N = noData();
const W = noData('warming_up');
const E = evalError('query failed');
const show = (v: EvalValue) => (v.kind === 'bool' || v.kind === 'number' ? String(v.value) : v.kind === 'no_data' ? `no_data(${v.reason})` : 'error');

// The full truth tables over {true, false, no_data, error}.
const andTable: Array<[EvalValue, EvalValue, EvalValue]> = [
  [T, T, T], [T, F, F], [T, N, N], [T, E, E],
  [F, T, F], [F, F, F], [F, N, F], [F, E, F],
  [N, T, N], [N, F, F], [N, N, N], [N, E, E],
  [E, T, E], [E, F, F], [E, N, E], [E, E, E],
];
const orTable: Array<[EvalValue, EvalValue, EvalValue]> = [
  [T, T, T], [T, F, T], [T, N, T], [T, E, T],
  [F, T, T], [F, F, F], [F, N, N], [F, E, E],
  [N, T, T], [N, F, N], [N, N, N], [N, E, E],
  [E, T, T], [E, F, E], [E, N, E], [E, E, E],
];
for (const [a, b, expected] of andTable) test(`${show(a)} and ${show(b)} = ${show(expected)}`, () => assert.deepEqual(and(a, b), expected));
for (const [a, b, expected] of orTable) test(`${show(a)} or ${show(b)} = ${show(expected)}`, () => assert.deepEqual(or(a, b), expected));

const notTable: Array<[EvalValue, EvalValue]> = [[T, F], [F, T], [N, N], [W, W], [E, E]];
for (const [a, expected] of notTable) test(`not ${show(a)} = ${show(expected)}`, () => assert.deepEqual(not(a), expected));

test('the reason of a missing value survives: a warming-up baseline stays warming_up through and / or / not / comparisons', () => {
  assert.deepEqual(and(T, W), W);
  assert.deepEqual(or(F, W), W);
  assert.deepEqual(compare('>', W, num(3)), W);
  assert.deepEqual(not(compare('>=', num(1), W)), W);
});

test('an error wins over no_data whichever side it is on, so it reaches the rule status', () => {
  assert.equal(and(N, E).kind, 'error');
  assert.equal(and(E, N).kind, 'error');
  assert.equal(compare('<', N, E).kind, 'error');
  assert.equal(compare('<', E, N).kind, 'error');
});

const compareTable: Array<[(typeof comparisonOperators)[number], number, number, boolean]> = [
  ['>', 2001, 2000, true], ['>', 2000, 2000, false], ['>', 1999, 2000, false],
  ['>=', 2000, 2000, true], ['>=', 1999.999, 2000, false],
  ['<', 1, 2, true], ['<', 2, 2, false],
  ['<=', 2, 2, true], ['<=', 3, 2, false],
  ['==', 0, 0, true], ['==', 0, -0, true], ['==', 0.1 + 0.2, 0.3, false],
  ['!=', 1, 2, true], ['!=', 2, 2, false],
];
for (const [op, a, b, expected] of compareTable) test(`${a} ${op} ${b} is ${expected}`, () => assert.deepEqual(compare(op, num(a), num(b)), bool(expected)));

for (const op of comparisonOperators) {
  test(`${op} with no_data on either side is no_data`, () => {
    assert.deepEqual(compare(op, N, num(1)), N);
    assert.deepEqual(compare(op, num(1), N), N);
  });
}

test('type mismatches are error values that say what was expected, not throws', () => {
  const cases: Array<[EvalValue, RegExp]> = [
    [and(num(1), T), /and expects a boolean but got the number 1/],
    [or(F, num(2)), /or expects a boolean but got the number 2/],
    [not(num(0)), /not expects a boolean/],
    [compare('>', T, num(1)), /> compares numbers but got a bool/],
    [compare('==', num(1), F), /== compares numbers but got a bool/],
  ];
  for (const [value, message] of cases) {
    assert.equal(value.kind, 'error');
    assert.match((value as { message: string }).message, message);
  }
});

test('a non-finite number is an error, so no comparison ever sees NaN or Infinity', () => {
  for (const n of [Number.NaN, Infinity, -Infinity]) assert.equal(num(n).kind, 'error');
  assert.equal(compare('>', num(Number.NaN), num(1)).kind, 'error');
});

const outcomeTable: Array<[EvalValue, string]> = [[T, 'true'], [F, 'false'], [N, 'no_data'], [W, 'no_data'], [E, 'error'], [num(3), 'error']];
for (const [value, expected] of outcomeTable) test(`outcome of ${show(value)} is ${expected}`, () => assert.equal(outcomeOf(value), expected));

test('the seed example: down(...) or p95(...) > 2000 with the p95 missing is decided by the state alone', () => {
  assert.deepEqual(or(T, compare('>', N, num(2000))), T);
  assert.deepEqual(or(F, compare('>', N, num(2000))), N);
  assert.deepEqual(or(F, compare('>', num(2500), num(2000))), T);
});

test('all / any fold with the same rules and their identities', () => {
  assert.deepEqual(all([]), T);
  assert.deepEqual(any([]), F);
  assert.deepEqual(all([T, N, F]), F);
  assert.deepEqual(all([T, N, T]), N);
  assert.deepEqual(any([F, N, T]), T);
  assert.deepEqual(any([F, E, N]), E);
});

const value = fc.oneof(fc.boolean().map(bool), fc.constant(N), fc.constant(E));
const kindOf = (v: EvalValue) => (v.kind === 'bool' ? String(v.value) : v.kind);

test('property: and / or are commutative and associative (up to which error message), and De Morgan holds', () => {
  fc.assert(
    fc.property(value, value, value, (a, b, c) => {
      assert.equal(kindOf(and(a, b)), kindOf(and(b, a)));
      assert.equal(kindOf(or(a, b)), kindOf(or(b, a)));
      assert.equal(kindOf(and(and(a, b), c)), kindOf(and(a, and(b, c))));
      assert.equal(kindOf(or(or(a, b), c)), kindOf(or(a, or(b, c))));
      assert.equal(kindOf(not(and(a, b))), kindOf(or(not(a), not(b))));
      assert.equal(kindOf(not(or(a, b))), kindOf(and(not(a), not(b))));
    }),
    { seed: 8, numRuns: 500 },
  );
});

test('property: on known booleans the logic is plain boolean logic', () => {
  fc.assert(
    fc.property(fc.boolean(), fc.boolean(), (a, b) => {
      assert.deepEqual(and(bool(a), bool(b)), bool(a && b));
      assert.deepEqual(or(bool(a), bool(b)), bool(a || b));
      assert.deepEqual(not(bool(a)), bool(!a));
    }),
    { seed: 8, numRuns: 100 },
  );
});

test('property: replacing an unknown operand by either boolean never contradicts a known result (monotonicity)', () => {
  fc.assert(
    fc.property(value, value, fc.boolean(), (a, b, fill) => {
      const known = (v: EvalValue) => (v.kind === 'bool' ? v : bool(fill));
      for (const op of [and, or]) {
        const r = op(a, b);
        if (r.kind === 'bool') assert.deepEqual(op(known(a), known(b)), r);
      }
    }),
    { seed: 8, numRuns: 500 },
  );
});
