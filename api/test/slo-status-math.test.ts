import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { attainedPercent, budgetFraction, burnRate, checksWithin, errorBudget, sloStatus, sloWindow, type BurnSpan, type ErrorBudget, type SloStatusValue, type SloWindowLabel, type Usage } from '../src/modules/slos/slo-status.math.ts';

const day = 86_400_000;
const at = (s: string) => Date.parse(s);
const histogram = (entries: Record<number, number>, length = latencyBucketCount) => Array.from({ length }, (_, i) => entries[i] ?? 0);

const windowCases: Array<[SloWindowLabel, string, string]> = [
  ['rolling_7d', '2026-11-22T04:17:38.123Z', '2026-11-15T04:17:38.123Z'],
  ['rolling_28d', '2026-03-10T00:00:00.000Z', '2026-02-10T00:00:00.000Z'],
  ['rolling_30d', '2026-11-22T04:17:38.123Z', '2026-10-23T04:17:38.123Z'],
  ['calendar_month', '2026-11-22T04:17:38.123Z', '2026-11-01T00:00:00.000Z'],
  ['calendar_month', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
  ['calendar_month', '2026-02-28T23:59:59.999Z', '2026-02-01T00:00:00.000Z'],
  ['calendar_month', '2028-02-29T12:00:00.000Z', '2028-02-01T00:00:00.000Z'],
  ['calendar_month', '2026-12-31T23:59:59.999Z', '2026-12-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-01-15T10:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-03-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-06-30T12:00:00.000Z', '2026-04-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-07-01T00:00:00.001Z', '2026-07-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-09-30T23:59:59.999Z', '2026-07-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-11-22T04:17:38.123Z', '2026-10-01T00:00:00.000Z'],
  ['calendar_quarter', '2026-12-31T23:59:59.999Z', '2026-10-01T00:00:00.000Z'],
];
for (const [label, now, from] of windowCases) {
  test(`sloWindow(${label}) at ${now} starts ${from} and ends now`, () => assert.deepEqual(sloWindow(label, at(now)), { from: at(from), to: at(now) }));
}

test('rolling windows are exactly N days long', () => {
  for (const [label, days] of [['rolling_7d', 7], ['rolling_28d', 28], ['rolling_30d', 30]] as const) {
    const w = sloWindow(label, 1_800_000_000_000);
    assert.equal(w.to - w.from, days * day, label);
  }
});

// {4: 9, 8: 1}: 9 checks in (10, 20] ms and 1 in (75, 100] ms.
const withinCases: Array<[string, number[], number, number | undefined, { total: number; within: number }]> = [
  ['empty histogram', histogram({}), 100, undefined, { total: 0, within: 0 }],
  ['threshold on a bucket bound counts the whole bucket', histogram({ 4: 9, 8: 1 }), 100, undefined, { total: 10, within: 10 }],
  ['threshold between buckets', histogram({ 4: 9, 8: 1 }), 50, undefined, { total: 10, within: 9 }],
  ['interpolated inside (75, 100]', histogram({ 4: 9, 8: 1 }), 87.5, undefined, { total: 10, within: 9.5 }],
  ['interpolated inside (10, 20]', histogram({ 4: 9, 8: 1 }), 15, undefined, { total: 10, within: 4.5 }],
  ['threshold at the lower bound of the first full bucket', histogram({ 4: 9, 8: 1 }), 10, undefined, { total: 10, within: 0 }],
  ['first bucket starts at 0', histogram({ 0: 10 }), 0.5, undefined, { total: 10, within: 5 }],
  ['at or above the largest duration everything is within', histogram({ 4: 9, 8: 1 }), 95, 95, { total: 10, within: 10 }],
  ['below the largest duration: still interpolated within the bucket bounds', histogram({ 4: 9, 8: 1 }), 90, 95, { total: 10, within: 9.6 }],
  ['+Inf bucket ends at the largest duration', histogram({ 26: 4 }), 90_000, 120_000, { total: 4, within: 2 }],
  ['+Inf bucket without a largest duration counts as slow', histogram({ 26: 4 }), 90_000, undefined, { total: 4, within: 0 }],
  ['a threshold above every bound but below the largest duration', histogram({ 3: 6, 26: 4 }), 600_000, 900_000, { total: 10, within: 6 + 4 * (540_000 / 840_000) }],
  ['extra buckets fold into +Inf', histogram({ 3: 6, 27: 2, 28: 2 }, latencyBucketCount + 2), 100, undefined, { total: 10, within: 6 }],
];
for (const [name, h, threshold, max, expected] of withinCases) {
  test(`checksWithin: ${name}`, () => {
    const r = checksWithin(h, threshold, max);
    assert.equal(r.total, expected.total);
    assert.ok(Math.abs(r.within - expected.within) < 1e-9, `${r.within} ≈ ${expected.within}`);
  });
}

test('budgetFraction is (100 − target) / 100', () => {
  assert.ok(Math.abs(budgetFraction(99.9) - 0.001) < 1e-12);
  assert.equal(budgetFraction(99), 0.01);
  assert.equal(budgetFraction(100), 0);
});

const budgetCases: Array<[string, number, Usage, ErrorBudget]> = [
  // 20 minutes down in a 7-day window against 99.9 %: 604.8 s allowed, 1200 s spent (198 %).
  ['99.9 % over 7 days with 20 minutes down', 99.9, { total: 7 * 86400, bad: 1200 }, { allowed: 604.8, consumed: 1200, remaining_percent: -98.4127 }],
  // A calendar window 10 days in: the budget so far is 0.1 % of 10 days, not of the whole month.
  ['prorated: 10 days into the month, nothing down', 99.9, { total: 10 * 86400, bad: 0 }, { allowed: 864, consumed: 0, remaining_percent: 100 }],
  ['prorated: 10 days into the month, 432 s down', 99.9, { total: 10 * 86400, bad: 432 }, { allowed: 864, consumed: 432, remaining_percent: 50 }],
  ['latency: 5 slow checks of 1000 against 99 %', 99, { total: 1000, bad: 5 }, { allowed: 10, consumed: 5, remaining_percent: 50 }],
  ['exactly spent', 99, { total: 1000, bad: 10 }, { allowed: 10, consumed: 10, remaining_percent: 0 }],
  ['a 100 % target with nothing bad', 100, { total: 3600, bad: 0 }, { allowed: 0, consumed: 0, remaining_percent: 100 }],
  ['a 100 % target with anything bad', 100, { total: 3600, bad: 1 }, { allowed: 0, consumed: 1, remaining_percent: -100 }],
  ['no data', 99.9, { total: 0, bad: 0 }, { allowed: 0, consumed: 0, remaining_percent: 100 }],
];
for (const [name, target, usage, expected] of budgetCases) test(`errorBudget: ${name}`, () => assert.deepEqual(errorBudget(target, usage), expected));

const burnCases: Array<[string, number, Usage, number | null]> = [
  ['1 minute down in the last hour against 99.9 %', 99.9, { total: 3600, bad: 60 }, 16.667],
  ['spending the budget exactly at its pace', 99.9, { total: 21600, bad: 21.6 }, 1],
  ['nothing bad', 99, { total: 100, bad: 0 }, 0],
  ['latency: 3 slow of 100 checks against 99 %', 99, { total: 100, bad: 3 }, 3],
  ['no data', 99.9, { total: 0, bad: 0 }, null],
  ['a 100 % target has no budget to burn', 100, { total: 3600, bad: 60 }, null],
];
for (const [name, target, usage, expected] of burnCases) test(`burnRate: ${name}`, () => assert.equal(burnRate(target, usage), expected));

test('attainedPercent: good share, 4 decimals, null without data', () => {
  assert.equal(attainedPercent({ total: 7 * 86400, bad: 1200 }), 99.8016);
  assert.equal(attainedPercent({ total: 10, bad: 0.5 }), 95);
  assert.equal(attainedPercent({ total: 0, bad: 0 }), null);
});

const budget = (remaining_percent: number): ErrorBudget => ({ allowed: 100, consumed: 100 - remaining_percent, remaining_percent });
const data: Usage = { total: 3600, bad: 0 };
const statusCases: Array<[string, Usage, ErrorBudget, Partial<Record<BurnSpan, number | null>>, SloStatusValue]> = [
  ['no counted time', { total: 0, bad: 0 }, budget(100), {}, 'no_data'],
  ['overspent', data, budget(-0.5), { '1h': 0, '6h': 0 }, 'breached'],
  ['overspent wins over fast burn', data, budget(-50), { '1h': 100 }, 'breached'],
  ['1 h burn above 14.4', data, budget(80), { '1h': 14.5, '6h': 1 }, 'at_risk'],
  ['1 h burn at 14.4 exactly', data, budget(80), { '1h': 14.4, '6h': 1 }, 'ok'],
  ['6 h burn above 6', data, budget(80), { '1h': 0, '6h': 6.1 }, 'at_risk'],
  ['6 h burn at 6 exactly', data, budget(80), { '1h': 0, '6h': 6 }, 'ok'],
  ['24 h burn alone does not alarm', data, budget(80), { '1h': 0, '6h': 0, '24h': 50 }, 'ok'],
  ['less than 10 % left', data, budget(9.99), { '1h': 0, '6h': 0 }, 'at_risk'],
  ['10 % left', data, budget(10), { '1h': 0, '6h': 0 }, 'ok'],
  ['burn rates without data', data, budget(100), { '1h': null, '6h': null, '24h': null }, 'ok'],
];
for (const [name, usage, b, burn, expected] of statusCases) test(`sloStatus: ${name} → ${expected}`, () => assert.equal(sloStatus(usage, b, burn), expected));
