import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAlertExpression } from '../src/contract/alert-expression/index.ts';
import { latencyBucketBounds, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { implementations, evaluateExpression, type AlertDataPort, type StateReading, type Subject } from '../src/modules/alerts/expression.evaluator.ts';
import type { RollupTotals } from '../src/modules/sla/sla.math.ts';
import type { MetricWindow } from '../src/modules/metrics/metric-rollup.repository.ts';
import { learnBaseline, type LatencyPoint } from '../src/modules/alerts/latency.baseline.ts';
import { functionNames } from '../src/contract/alert-expression/functions.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');

/** Totals of `n` checks of `ms` each, `down` of them failed. */
function totals(n: number, ms: number, down = 0): RollupTotals {
  const histogram = new Array<number>(latencyBucketCount).fill(0);
  const i = latencyBucketBounds.findIndex((b) => ms <= b);
  histogram[i] = n;
  return { checks: n, up: n - down, degraded: 0, down, sumMs: n * ms, maxMs: ms, histogram };
}

interface World {
  subjects?: Record<string, Subject>;
  states?: Record<string, StateReading>;
  rollups?: Record<string, RollupTotals>;
  latest?: Record<string, number>;
  metrics?: Record<string, MetricWindow>;
  history?: Record<string, LatencyPoint[]>;
  slos?: Record<string, { targetPercent: number; bad: number; total: number }>;
  fail?: boolean;
}

const subj = (kind: Subject['kind'], name: string): Subject => ({ kind, id: `${kind}_${name}`, name });

/** A port answering from tables keyed by subject name (and `name@region`, `name/window-ms`). */
function port(w: World, calls: string[] = []): AlertDataPort {
  const key = (s: Subject, region?: string) => (region ? `${s.name}@${region}` : s.name);
  return {
    async subject(kind, name) {
      calls.push(`subject:${name}`);
      if (w.fail) throw new Error('connection refused');
      return w.subjects?.[name] ?? (name === 'gone' ? undefined : subj(kind, name));
    },
    async state(s, region) {
      calls.push(`state:${key(s, region)}`);
      return w.states?.[key(s, region)];
    },
    async rollups(s, windowMs, region) {
      calls.push(`rollups:${key(s, region)}/${windowMs}`);
      return w.rollups?.[`${key(s, region)}/${windowMs}`] ?? w.rollups?.[key(s, region)];
    },
    async lastLatency(s, region) {
      return w.latest?.[key(s, region)];
    },
    async metric(m, metric, windowMs, region) {
      calls.push(`metric:${m.name}.${metric}/${windowMs}`);
      return w.metrics?.[`${key(m, region)}.${metric}`];
    },
    async latencyBaseline(s, region, excludeRecentMs) {
      return learnBaseline(w.history?.[key(s, region)] ?? [], NOW, { exclude_recent_ms: excludeRecentMs });
    },
    async sloUsage(s, span) {
      const slo = w.slos?.[`${s.name}/${span}`];
      return slo ? { targetPercent: slo.targetPercent, usage: { total: slo.total, bad: slo.bad } } : undefined;
    },
  };
}

async function run(expression: string, w: World, binding?: Subject) {
  const analyzed = analyzeAlertExpression(expression);
  if (!analyzed.ok) throw new Error(`${expression}: ${analyzed.problems.map((p) => p.message).join(' ')}`);
  return evaluateExpression(analyzed.expression.ast, expression, { port: port(w), now: NOW, binding });
}

const up: StateReading = { state: 'up', cause: null };
const down: StateReading = { state: 'down', cause: null };
const noDataState: StateReading = { state: 'unknown', cause: 'no_data' };
const noRunner: StateReading = { state: 'unknown', cause: 'no_runner' };
const flatHistory = (ms: number): LatencyPoint[] => Array.from({ length: 300 }, (_, i) => ({ at: NOW - 10 * 60_000 - i * 60_000, p95_ms: ms }));

type Case = [string, World, string, Subject?];
const cases: Record<string, Case[]> = {
  state: [
    ['down(service("checkout"))', { states: { checkout: down } }, 'true'],
    ['down(service("checkout"))', { states: { checkout: up } }, 'false'],
    ['up(monitor("api"))', { states: { api: up } }, 'true'],
    ['degraded(monitor("api"))', { states: { api: { state: 'degraded', cause: null } } }, 'true'],
    ['down(monitor("api"))', { states: { api: noDataState } }, 'no_data'],
    ['down(monitor("api"))', {}, 'no_data'],
    ['unknown(monitor("api"))', { states: { api: noRunner } }, 'true'],
    ['unknown(monitor("api"))', {}, 'true'],
    ['no_data(monitor("api"))', { states: { api: noDataState } }, 'true'],
    ['no_data(monitor("api"))', { states: { api: noRunner } }, 'false'],
    ['down(monitor("api"), region="eu-west-1")', { states: { api: up, 'api@eu-west-1': down } }, 'true'],
    ['down(service("order-processing")) or p95(service("inventory"), "5m") > 2000', { states: { 'order-processing': down } }, 'true'],
    ['down(service("order-processing")) or p95(service("inventory"), "5m") > 2000', { states: { 'order-processing': up }, rollups: { inventory: totals(10, 2500) } }, 'true'],
    ['down(service("order-processing")) or p95(service("inventory"), "5m") > 2000', { states: { 'order-processing': up } }, 'no_data'],
    ['not down(service("checkout"))', { states: { checkout: up } }, 'true'],
    // An edge is named by its dependent service (this fake port keys it by that name).
    ['down(edge("fulfillment-api", "shipping-integration"))', { states: { 'fulfillment-api': down } }, 'true'],
    ['down(edge("fulfillment-api", "shipping-integration"))', {}, 'no_data'],
  ],
  window: [
    ['p95(monitor("api"), "5m") > 2s', { rollups: { 'api/300000': totals(20, 2500) } }, 'true'],
    ['p95(monitor("api"), "5m") > 2s', { rollups: { 'api/300000': totals(20, 900) } }, 'false'],
    ['p50(monitor("api"), "5m") > 300ms', { rollups: { api: totals(20, 400) } }, 'true'],
    ['p99(monitor("api"), "15m") > 2s', { rollups: { api: totals(20, 100) } }, 'false'],
    ['avg(monitor("api"), "5m") > 500ms', { rollups: { api: totals(4, 600) } }, 'true'],
    ['error_rate(service("checkout"), "5m") > 5%', { rollups: { checkout: totals(10, 50, 1) } }, 'true'],
    ['error_rate(service("checkout"), "5m") > 5%', { rollups: { checkout: totals(100, 50, 5) } }, 'false'],
    ['uptime(monitor("api"), "1h") < 99.5', { rollups: { api: totals(100, 50, 1) } }, 'true'],
    ['uptime(monitor("api"), "1h") < 99.5', {}, 'no_data'],
    ['latency(monitor("api")) > 2s', { latest: { api: 2100 } }, 'true'],
    ['latency(monitor("api"), region="us-east-1") > 2s', { latest: { api: 2100, 'api@us-east-1': 100 } }, 'false'],
  ],
  metric: [
    ['metric(monitor("api-health"), "utilization_pct") > 80', { metrics: { 'api-health.utilization_pct': { count: 3, min: 70, max: 95, avg: 85, last: 90, last_at: '' } } }, 'true'],
    ['metric(monitor("api-health"), "utilization_pct") > 80', { metrics: { 'api-health.utilization_pct': { count: 3, min: 70, max: 95, avg: 85, last: 75, last_at: '' } } }, 'false'],
    ['metric(monitor("api-health"), "wait_count") > 0', {}, 'no_data'],
    ['max(metric(monitor("api-health"), "utilization_pct"), "1m") > 80', { metrics: { 'api-health.utilization_pct': { count: 3, min: 70, max: 95, avg: 75, last: 70, last_at: '' } } }, 'true'],
    ['min(metric(monitor("api-health"), "utilization_pct"), "1m") > 80', { metrics: { 'api-health.utilization_pct': { count: 3, min: 70, max: 95, avg: 75, last: 70, last_at: '' } } }, 'false'],
    ['avg(metric(monitor("api-health"), "wait_count"), "5m") > 2', { metrics: { 'api-health.wait_count': { count: 2, min: 1, max: 5, avg: 3, last: 1, last_at: '' } } }, 'true'],
    ['last(metric(monitor("api-health"), "wait_count"), "1m") > 0', { metrics: { 'api-health.wait_count': { count: 2, min: 0, max: 5, avg: 3, last: 0, last_at: '' } } }, 'false'],
  ],
  anomaly: [
    ['latency_ratio(monitor("api"), "5m") > 3', { rollups: { api: totals(20, 350) }, history: { api: flatHistory(100) } }, 'true'],
    ['latency_ratio(monitor("api"), "5m") > 3', { rollups: { api: totals(20, 120) }, history: { api: flatHistory(100) } }, 'false'],
    ['anomalous(monitor("api"))', { rollups: { api: totals(20, 350) }, history: { api: flatHistory(100) } }, 'true'],
    ['anomalous(monitor("api"))', { rollups: { api: totals(20, 350) }, history: { api: flatHistory(100).slice(0, 50) } }, 'no_data'],
  ],
  slo: [
    ['burn_rate(slo("checkout-availability"), "1h") > 14.4', { slos: { 'checkout-availability/3600000': { targetPercent: 99.9, total: 1000, bad: 20 } } }, 'true'],
    ['burn_rate(slo("checkout-availability"), "1h") > 14.4', { slos: { 'checkout-availability/3600000': { targetPercent: 99.9, total: 1000, bad: 1 } } }, 'false'],
    ['burn_rate(slo("checkout-availability"), "1h") > 14.4', { slos: { 'checkout-availability/3600000': { targetPercent: 99.9, total: 0, bad: 0 } } }, 'no_data'],
    ['burn_rate(slo("checkout-availability"), "1h") > 1', { slos: { 'checkout-availability/3600000': { targetPercent: 100, total: 10, bad: 1 } } }, 'error'],
    ['budget_remaining(slo("checkout-availability")) < 25%', { slos: { 'checkout-availability/objective': { targetPercent: 99, total: 1000, bad: 9 } } }, 'true'],
    ['budget_remaining(slo("checkout-availability")) < 25%', { slos: { 'checkout-availability/objective': { targetPercent: 99, total: 1000, bad: 1 } } }, 'false'],
  ],
  selector: [
    ['down(monitors(tag="tier:1"))', { states: { a: down } }, 'true', subj('monitor', 'a')],
    ['down(monitors(tag="tier:1"))', { states: { a: down, b: up } }, 'false', subj('monitor', 'b')],
    ['p95(services(team="fulfillment"), "5m") > 1s', { rollups: { shipping: totals(5, 1500) } }, 'true', subj('service', 'shipping')],
    ['down(edges(to="shipping-integration"))', { states: { 'a → shipping-integration': down } }, 'true', subj('edge', 'a → shipping-integration')],
    ['down(monitors(tag="tier:1"))', {}, 'error'],
  ],
  errors: [
    ['down(monitor("gone"))', {}, 'error'],
    ['down(monitor("api"))', { fail: true }, 'error'],
  ],
};

for (const [family, rows] of Object.entries(cases)) {
  for (const [expression, world, expected, binding] of rows) {
    test(`${family}: ${expression}${binding ? ` for ${binding.name}` : ''} → ${expected}`, async () => {
      const result = await run(expression, world, binding);
      assert.equal(result.outcome, expected, JSON.stringify(result.value));
    });
  }
}

test('every function of the language has an implementation and a case above', () => {
  assert.deepEqual(Object.keys(implementations).sort(), [...functionNames].sort());
  const used = new Set(Object.values(cases).flat().flatMap(([e]) => [...e.matchAll(/([a-z_0-9]+)\(/g)].map((m) => m[1])));
  assert.deepEqual(functionNames.filter((f) => !used.has(f)), []);
});

test('a decided left side skips the right side\'s queries (true or …, false and …)', async () => {
  const calls: string[] = [];
  const expression = 'down(service("a")) or p95(service("b"), "5m") > 2000';
  const analyzed = analyzeAlertExpression(expression);
  assert.ok(analyzed.ok);
  await evaluateExpression(analyzed.expression.ast, expression, { port: port({ states: { a: down } }, calls), now: NOW });
  assert.ok(!calls.some((c) => c.startsWith('rollups:')), calls.join(','));
});

test('comparisons record what they measured (the instance\'s value), in milliseconds and percent', async () => {
  const result = await run('p95(monitor("api"), "5m") > 2s and error_rate(monitor("api"), "5m") > 5%', { rollups: { api: totals(10, 3000, 1) } });
  assert.equal(result.outcome, 'true');
  assert.equal(result.measurements[0]!.expression, 'p95(monitor("api"), "5m")');
  assert.ok(result.measurements[0]!.value! > 2000);
  assert.deepEqual(result.measurements[1], { expression: 'error_rate(monitor("api"), "5m")', value: 10 });
});
