import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertExpressionErrors, analyzeAlertExpression, functions, isTimeBased, subjectKinds } from '../src/contract/alert-expression/index.ts';
import { evaluateExpression, type AlertDataPort, type StateReading, type Subject } from '../src/modules/alerts/expression.evaluator.ts';
import type { RollupTotals } from '../src/modules/sla/sla.math.ts';
import { latencyBucketBounds, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { learnBaseline } from '../src/modules/alerts/latency.baseline.ts';

// `edge("from", "to")`: a dependency edge as a subject of the alert language, usable wherever a
// service is for states and windows. The database side is api/test/alert-edge-engine.test.ts.

test('edge is a subject kind with a constructor and a selector', () => {
  assert.deepEqual(subjectKinds.edge, { label: 'edge', constructor: 'edge', selector: 'edges' });
  assert.equal(functions.edge.family, 'subject');
  assert.equal(functions.edge.subject, 'edge');
  assert.equal(functions.edges.family, 'selector');
  assert.equal(functions.edges.subject, 'edge');
});

// Selectors over edges: one alert instance per matching edge of the rule's team.
const selectors: Array<[string, string, boolean]> = [
  ['down(edges())', 'edges()', false],
  ['down(edges(to="shipping-integration"))', 'edges(to="shipping-integration")', false],
  ['down(edges(to="b", from="a", team="fulfillment"))', 'edges(from="a", team="fulfillment", to="b")', false],
  ['error_rate(edges(from="a"), "5m") > 5% and not no_data(edges(from="a"))', 'edges(from="a")', true],
];

for (const [text, selector, timeBased] of selectors) {
  test(`valid selector: ${text}`, () => {
    const result = analyzeAlertExpression(text);
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    assert.equal(result.expression.selector?.kind, 'edge');
    assert.equal(result.expression.selector?.text, selector);
    assert.equal(result.expression.instances, 'per_subject');
    assert.deepEqual(result.expression.subjects, [], 'the filters\' services are resolved among the team\'s edges, not as service("…")');
    assert.equal(isTimeBased(result.expression.ast), timeBased);
  });
}

// Each valid expression and the subjects it names (kind:from→to for edges).
const valid: Array<[string, string[], boolean]> = [
  ['down(edge("fulfillment-api", "shipping-integration"))', ['edge:fulfillment-api→shipping-integration'], false],
  ['up(edge("a", "b"))', ['edge:a→b'], false],
  ['degraded(edge("a", "b")) or unknown(edge("a", "b"))', ['edge:a→b', 'edge:a→b'], false],
  ['no_data(edge("a", "b"))', ['edge:a→b'], false],
  ['down(edge("a", "b"), region="us-east-1")', ['edge:a→b'], false],
  ['uptime(edge("a", "b"), "5m") < 99', ['edge:a→b'], true],
  ['error_rate(edge("a", "b"), "5m") > 5%', ['edge:a→b'], true],
  ['p95(edge("a", "b"), "15m", region="eu-west-1") > 2s', ['edge:a→b'], true],
  ['latency(edge("a", "b")) > 2s', ['edge:a→b'], true],
  ['avg(edge("a", "b"), "5m") > 500ms', ['edge:a→b'], true],
  ['latency_ratio(edge("a", "b"), "5m") > 3', ['edge:a→b'], true],
  ['down(edge("a", "b")) and up(service("b"))', ['edge:a→b', 'service:b'], false],
  ['down(edge("a", "b")) or down(edge("a", "c"))', ['edge:a→b', 'edge:a→c'], false],
];

for (const [text, subjects, timeBased] of valid) {
  test(`valid: ${text}`, () => {
    const result = analyzeAlertExpression(text);
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    assert.deepEqual(result.expression.subjects.map((s) => (s.kind === 'edge' ? `edge:${s.name}→${s.dependsOn}` : `${s.kind}:${s.name}`)), subjects);
    assert.equal(result.expression.instances, 'one');
    assert.equal(isTimeBased(result.expression.ast), timeBased);
  });
}

// What a user is told, with the column where it starts.
const invalid: Array<[string, number, RegExp]> = [
  ['down(edge("a"))', 6, /edge takes the dependent service's name and the name of the service it depends on, e\.g\. edge\("fulfillment-api", "shipping-integration"\) \(2 arguments, not 1\)/],
  ['down(edge("a", "b", "c"))', 6, /\(2 arguments, not 3\)/],
  ['down(edge("a", "a"))', 6, /edge\("a", "a"\) names an edge from a service to itself; a service cannot depend on itself/],
  ['down(edge("a", service("b")))', 16, /The second argument of edge must be a service name as a string; service\("b"\) is a service/],
  ['down(edge(a, "b"))', 11, /"a" is not a value or function/],
  ['down(edge("a b", "c"))', 11, /The first argument of edge must be a service name as a string: "a b" is not a name/],
  ['down(edge("a", "b", region="us-east-1"))', 21, /edge has no argument "region"\. It takes no named arguments\./],
  ['edge("a", "b")', 1, /A rule must be true or false; edge\("a", "b"\) is an edge\. Ask something about it, e\.g\. down\(edge\("a", "b"\)\)/],
  ['metric(edge("a", "b"), "x") > 1', 8, /The first argument of metric must be a monitor; edge\("a", "b"\) is an edge/],
  ['burn_rate(edge("a", "b"), "1h") > 1', 11, /The first argument of burn_rate must be an SLO; edge\("a", "b"\) is an edge/],
  ['p95("a", "5m") > 1', 5, /must be a monitor, service or edge; "a" is a string/],
  ['down(edge("a", "b")) > 1', 1, /">" compares numbers, durations or percentages; down\(edge\("a", "b"\)\) is true or false/],
  ['down(edges("a"))', 6, /edges takes named filters only \(from=, to=, team=\), e\.g\. edges\(to="shipping-integration"\)/],
  ['down(edges(form="a"))', 12, /edges has no argument "form"\. Did you mean from=\? It takes from=, to=, team=\./],
  ['down(edges(tag="tier:1"))', 12, /edges has no argument "tag"\. It takes from=, to=, team=\./],
  ['down(edges(to="a")) and down(services())', 30, /A rule fans out over one selector .* edges\(to="a"\) and services\(\)/],
];

for (const [text, column, message] of invalid) {
  test(`invalid: ${text}`, () => {
    const errors = alertExpressionErrors(text);
    const hit = errors.find((e) => message.test(e.message));
    assert.ok(hit, `${text}: ${errors.map((e) => e.message).join(' | ') || 'no error'}`);
    assert.equal(hit.column, column);
  });
}

// The evaluator over a fake port: an edge is read like any subject, by the port's answers.
const NOW = Date.parse('2026-12-01T12:00:00Z');
const edge: Subject = { kind: 'edge', id: 'dependency_1', name: 'a → b', service: 'a', dependsOn: 'b' };

function totals(n: number, ms: number, down = 0): RollupTotals {
  const histogram = new Array<number>(latencyBucketCount).fill(0);
  histogram[latencyBucketBounds.findIndex((b) => ms <= b)] = n;
  return { checks: n, up: n - down, degraded: 0, down, sumMs: n * ms, maxMs: ms, histogram };
}

interface EdgeWorld {
  state?: StateReading;
  regional?: Record<string, StateReading>;
  rollups?: RollupTotals;
  latest?: number;
  exists?: boolean;
}

function port(w: EdgeWorld, asked: string[]): AlertDataPort {
  return {
    async subject(kind, name, service, dependsOn) {
      asked.push(`subject:${kind}:${name}:${service ?? ''}:${dependsOn ?? ''}`);
      return w.exists === false ? undefined : kind === 'edge' ? edge : { kind, id: `${kind}_${name}`, name };
    },
    async state(s, region) {
      if (s.kind !== 'edge') return { state: 'up', cause: null };
      return region ? w.regional?.[region] : w.state;
    },
    async rollups(s) {
      return s.kind === 'edge' ? w.rollups : undefined;
    },
    async lastLatency(s) {
      return s.kind === 'edge' ? w.latest : undefined;
    },
    async metric() {
      return undefined;
    },
    async latencyBaseline(_s, _region, excludeRecentMs) {
      return learnBaseline([], NOW, { exclude_recent_ms: excludeRecentMs });
    },
    async sloUsage() {
      return undefined;
    },
  };
}

const evaluations: Array<[string, EdgeWorld, string]> = [
  ['down(edge("a", "b"))', { state: { state: 'down', cause: null } }, 'true'],
  ['down(edge("a", "b"))', { state: { state: 'up', cause: null } }, 'false'],
  ['up(edge("a", "b"))', { state: { state: 'up', cause: null } }, 'true'],
  ['degraded(edge("a", "b"))', { state: { state: 'degraded', cause: null } }, 'true'],
  // No edge state yet (no monitor checks it, or none reported): unknown, and down() has no data.
  ['down(edge("a", "b"))', {}, 'no_data'],
  ['unknown(edge("a", "b"))', {}, 'true'],
  ['no_data(edge("a", "b"))', { state: { state: 'unknown', cause: 'no_data' } }, 'true'],
  ['no_data(edge("a", "b"))', { state: { state: 'unknown', cause: 'no_runner' } }, 'false'],
  ['down(edge("a", "b"), region="eu-west-1")', { state: { state: 'up', cause: null }, regional: { 'eu-west-1': { state: 'down', cause: null } } }, 'true'],
  ['uptime(edge("a", "b"), "5m") < 99', { rollups: totals(50, 80, 5) }, 'true'],
  ['uptime(edge("a", "b"), "5m") < 99', { rollups: totals(50, 80, 0) }, 'false'],
  ['uptime(edge("a", "b"), "5m") < 99', {}, 'no_data'],
  ['error_rate(edge("a", "b"), "5m") > 5%', { rollups: totals(10, 80, 1) }, 'true'],
  ['p95(edge("a", "b"), "5m") > 2s', { rollups: totals(10, 2500) }, 'true'],
  ['latency(edge("a", "b")) > 2s', { latest: 900 }, 'false'],
  ['down(edge("a", "b")) and up(service("b"))', { state: { state: 'down', cause: null } }, 'true'],
  // An edge deleted after the rule was written: an error the rule's status shows, not a page.
  ['down(edge("a", "b"))', { exists: false }, 'error'],
];

for (const [text, world, expected] of evaluations) {
  test(`evaluates ${text} → ${expected}`, async () => {
    const analyzed = analyzeAlertExpression(text);
    assert.ok(analyzed.ok);
    const asked: string[] = [];
    const result = await evaluateExpression(analyzed.expression.ast, text, { port: port(world, asked), now: NOW });
    assert.equal(result.outcome, expected, JSON.stringify(result.value));
    // The edge is looked up by its dependent service and the service it depends on.
    assert.ok(asked.includes('subject:edge:a::b'), asked.join(', '));
  });
}
