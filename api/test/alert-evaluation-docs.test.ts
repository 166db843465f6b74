import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeAlertExpression } from '../src/contract/alert-expression/index.ts';
import { defaultInstanceSpec } from '../src/modules/alerts/alert-instance.machine.ts';
import { windowMs } from '../src/modules/alerts/alert-window.ts';
import { burnRatePairs } from '../src/modules/alerts/burn-rate.ts';
import { defaultBaselineOptions } from '../src/modules/alerts/latency.baseline.ts';

// Keeps docs/alert-evaluation.md true: its examples are valid rules, its burn-rate table is the
// code's table, and the defaults it quotes are the code's defaults.

const doc = readFileSync(join(import.meta.dirname, '../../docs/alert-evaluation.md'), 'utf8');

test('every fenced example in docs/alert-evaluation.md is a valid alert expression', () => {
  const blocks = [...doc.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  assert.ok(blocks.length >= 1);
  for (const block of blocks) {
    const r = analyzeAlertExpression(block);
    assert.ok(r.ok, `${block}\n${JSON.stringify(!r.ok && r.problems)}`);
  }
});

test('the seed rule quoted in §1 is a valid alert expression', () => {
  const seed = 'down(service("order-processing")) or p95(service("inventory"), "5m") > 2000';
  assert.ok(doc.includes(`\`${seed}\``));
  assert.ok(analyzeAlertExpression(seed).ok);
});

test('the burn-rate table in the docs is the code\'s table, and its windows are windows of the language', () => {
  for (const p of burnRatePairs) {
    const row = `| ${p.severity} | ${p.long_window} | ${p.short_window} | ${p.factor} | ${p.budget_percent} % |`;
    assert.ok(doc.includes(row), row);
    assert.deepEqual(windowMs(p.long_window), { ok: true, ms: p.long_ms });
    assert.deepEqual(windowMs(p.short_window), { ok: true, ms: p.short_ms });
  }
});

test('the defaults the docs quote are the code\'s defaults', () => {
  assert.equal(defaultInstanceSpec.no_data_timeout_ms, 15 * 60_000);
  assert.ok(doc.includes('after **15 minutes** of continuous no data'));
  const o = defaultBaselineOptions;
  assert.deepEqual([o.lookback_ms, o.exclude_recent_ms, o.min_points, o.k, o.min_ratio, o.relative_floor, o.absolute_floor_ms, o.min_seasonal_points], [7 * 86_400_000, 5 * 60_000, 180, 3, 1.5, 0.05, 5, 30]);
  for (const phrase of ['past **7 days**', '5 minutes before now', '**180 usable points**', '**3** × spread', '**1.5** × median', 'less than 5 % of the median or 5 ms', 'at least 30 points']) {
    assert.ok(doc.includes(phrase), phrase);
  }
});
