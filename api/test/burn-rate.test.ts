import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetRemainingValue, burnRatePairs, burnRateValue, burnThreshold, pairBurning } from '../src/modules/alerts/burn-rate.ts';
import { burnRate } from '../src/modules/slos/slo-status.math.ts';
import { any, noData, num } from '../src/modules/alerts/evaluate.logic.ts';

const hour = 3_600_000;
const period30d = 720 * hour;

test('the pairs table: windows, factors and budgets; each factor is budget × period / long window; short = long / 12', () => {
  assert.deepEqual(
    burnRatePairs.map((p) => [p.severity, p.long_window, p.short_window, p.factor, p.budget_percent]),
    [
      ['page', '1h', '5m', 14.4, 2],
      ['page', '6h', '30m', 6, 5],
      ['ticket', '24h', '2h', 3, 10],
      ['ticket', '72h', '6h', 1, 10],
    ],
  );
  for (const p of burnRatePairs) {
    assert.equal(burnThreshold(p.budget_percent, period30d, p.long_ms), p.factor, p.long_window);
    assert.equal(p.short_ms * 12, p.long_ms, p.long_window);
  }
  assert.match(burnRatePairs[2]!.source, /Sloth/);
  assert.match(burnRatePairs[0]!.source, /SRE workbook/);
});

const values: Array<[string, number, { total: number; bad: number } | null, ReturnType<typeof num>]> = [
  ['99.9 %: 1.44 % bad is a 14.4 burn', 99.9, { total: 10_000, bad: 144 }, num(14.4)],
  ['99.9 %: nothing bad is 0', 99.9, { total: 3600, bad: 0 }, num(0)],
  ['99 %: all bad is 100', 99, { total: 60, bad: 60 }, num(100)],
  ['no counted units is no_data', 99.9, { total: 0, bad: 0 }, noData()],
  ['no usage at all is no_data', 99.9, null, noData()],
];
for (const [name, target, usage, expected] of values) test(`burn_rate: ${name}`, () => assert.deepEqual(burnRateValue(target, usage), expected));

test('burn_rate is the SLO status figure (same function), and a 100 % objective is an error saying why', () => {
  const usage = { total: 7200, bad: 13 };
  assert.deepEqual(burnRateValue(99.5, usage), num(burnRate(99.5, usage)!));
  const e = burnRateValue(100, { total: 10, bad: 1 });
  assert.ok(e.kind === 'error' && /100 % has no error budget/.test(e.message));
});

test('budget_remaining: percent of the budget left, negative once overspent, no_data without data', () => {
  assert.deepEqual(budgetRemainingValue(99, { total: 1000, bad: 5 }), num(50));
  assert.deepEqual(budgetRemainingValue(99, { total: 1000, bad: 20 }), num(-100));
  assert.deepEqual(budgetRemainingValue(99, { total: 0, bad: 0 }), noData());
});

const pairs: Array<[string, ReturnType<typeof num>, ReturnType<typeof num>, string]> = [
  ['both windows above 14.4 pages', num(20), num(15), 'true'],
  ['the long window alone (the burn has stopped) does not', num(20), num(2), 'false'],
  ['the short window alone (a blip) does not', num(3), num(30), 'false'],
  ['exactly at the factor is not above it', num(14.4), num(14.4), 'false'],
  ['a short window without data leaves it undecided', num(20), noData(), 'no_data'],
  ['a long window below the factor decides it without the short one', num(1), noData(), 'false'],
];
for (const [name, long, short, expected] of pairs) {
  test(`1h/5m pair: ${name}`, () => {
    const v = pairBurning(14.4, long, short);
    assert.equal(v.kind === 'bool' ? String(v.value) : v.kind, expected);
  });
}

test('pairs are ORed: the 6h/30m pair pages when the 1h/5m one does not', () => {
  const page = any([pairBurning(14.4, num(8), num(9)), pairBurning(6, num(7), num(6.5))]);
  assert.deepEqual(page, { kind: 'bool', value: true });
});
