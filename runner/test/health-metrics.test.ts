import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { lazyJson } from '../src/assertions/json-body.ts';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import { judgedOutcome, startClock } from '../src/checks/outcome.builder.ts';
import { extractMetrics } from '../src/metrics-extract/metric.extractor.ts';
import { monitor } from './helpers/monitor.factory.ts';

// Health-endpoint metrics: numbers read from a JSON /health body with each check, reported in
// `metrics`; a metric with no numeric value is absent and explained in details.metric_errors,
// and never changes the check's status.

const registry = createCheckRegistry();
const poolBody = { status: 'healthy', pool: { utilization_pct: 42, wait_count: 0, size: '20', saturated: false, replicas: [1, 2] }, note: 'n/a', empty: null };

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    const [status, type, body] =
      req.url === '/health' ? [200, 'application/json', JSON.stringify(poolBody)]
      : req.url === '/overloaded' ? [503, 'application/json', JSON.stringify({ status: 'overloaded', pool: { utilization_pct: 100, wait_count: 17 } })]
      : [200, 'text/html', '<html>not json</html>'];
    res.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const metrics = [
  { name: 'utilization_pct', path: '$.pool.utilization_pct' },
  { name: 'wait_count', path: '$.pool.wait_count' },
  { name: 'pool_size', path: '$.pool.size' },
  { name: 'saturated', path: '$.pool.saturated' },
];

describe('health metrics from a real HTTP endpoint', () => {
  it('reports numbers, numeric strings and booleans (as 1/0) with the result', async () => {
    const result = await executeCheck(monitor({ type: 'http', http: { url: `${base}/health`, metrics } }), registry, { region: 'test-1' });
    assert.equal(result.status, 'up');
    assert.deepEqual(result.metrics, { utilization_pct: 42, wait_count: 0, pool_size: 20, saturated: 0 });
    assert.equal(result.details?.['metric_errors'], undefined);
  });

  it('leaves a missing or non-numeric metric absent, says why, and keeps the check up', async () => {
    const result = await executeCheck(
      monitor({ type: 'http', http: { url: `${base}/health`, metrics: [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'idle', path: '$.pool.idle' }, { name: 'note', path: '$.note' }, { name: 'replicas', path: '$.pool.replicas[*]' }] } }),
      registry,
      { region: 'test-1' },
    );
    assert.equal(result.status, 'up');
    assert.deepEqual(result.metrics, { utilization_pct: 42 });
    assert.deepEqual(result.details?.['metric_errors'], [
      'idle: no value at $.pool.idle',
      'note: the value at $.note is the text "n/a", not a number',
      'replicas: $.pool.replicas[*] matches 2 values; a metric takes one, so narrow the path (e.g. an index [0])',
    ]);
  });

  it('still reads the metrics of a failing health endpoint (503 with a JSON body)', async () => {
    const result = await executeCheck(monitor({ type: 'http', http: { url: `${base}/overloaded`, metrics: metrics.slice(0, 2) } }), registry, { region: 'test-1' });
    assert.equal(result.status, 'down');
    assert.deepEqual(result.metrics, { utilization_pct: 100, wait_count: 17 });
  });

  it('a body that is not JSON leaves every metric absent and the check up', async () => {
    const result = await executeCheck(monitor({ type: 'http', http: { url: `${base}/page`, metrics: metrics.slice(0, 2) } }), registry, { region: 'test-1' });
    assert.equal(result.status, 'up');
    assert.equal(result.metrics, undefined);
    assert.deepEqual(result.details?.['metric_errors'], ['utilization_pct: (body is not valid JSON)', 'wait_count: (body is not valid JSON)']);
  });
});

describe('extractMetrics (pure)', () => {
  const cases: Array<[string, string, number | string]> = [
    ['integer', '{"v": 7}', 7],
    ['negative decimal', '{"v": -0.25}', -0.25],
    ['numeric string with spaces', '{"v": " 12.5 "}', 12.5],
    ['true', '{"v": true}', 1],
    ['false', '{"v": false}', 0],
    ['exponent', '{"v": 1e3}', 1000],
    ['at the bound', '{"v": 1e15}', 1e15],
    ['beyond the bound', '{"v": 2e15}', 'v: the value at $.v (2000000000000000) is outside ±1000000000000000'],
    ['overflow to Infinity', '{"v": 1e400}', 'v: the value at $.v (Infinity) is outside ±1000000000000000'],
    ['null', '{"v": null}', 'v: the value at $.v is null, not a number'],
    ['object', '{"v": {"a": 1}}', 'v: the value at $.v is an object, not a number'],
    ['array as one value', '{"v": [1]}', 'v: the value at $.v is an array, not a number'],
    ['hex text', '{"v": "0x10"}', 'v: the value at $.v is the text "0x10", not a number'],
    ['empty text', '{"v": ""}', 'v: the value at $.v is the text "", not a number'],
    ['missing', '{}', 'v: no value at $.v'],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      const out = extractMetrics([{ name: 'v', path: '$.v' }], lazyJson({ body }));
      if (typeof expected === 'number') assert.deepEqual(out, { values: { v: expected }, errors: [] });
      else assert.deepEqual(out, { values: {}, errors: [expected] });
    });
  }

  it('a filter expression picks one element', () => {
    const out = extractMetrics([{ name: 'primary_util', path: '$.pools[?(@.name=="primary")].util' }], lazyJson({ body: '{"pools":[{"name":"primary","util":55},{"name":"replica","util":10}]}' }));
    assert.deepEqual(out.values, { primary_util: 55 });
  });

  it('no metrics: the body is not parsed at all', () => {
    let parses = 0;
    extractMetrics([], lazyJson({ body: '{}' }, (t) => (parses++, JSON.parse(t))));
    assert.equal(parses, 0);
  });
});

describe('one parse per check', () => {
  it('json_body assertions and metrics share a single JSON.parse of the body', () => {
    const original = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => (parses++, original(text, reviver))) as typeof JSON.parse;
    try {
      const outcome = judgedOutcome(
        startClock(),
        monitor({ type: 'http', http: { url: 'http://127.0.0.1/' }, assertions: [{ source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' }, { source: 'json_body', path: '$.pool.wait_count', operator: 'equals', target: '0' }] }),
        { statusCode: 200, body: JSON.stringify(poolBody), responseTimeMs: 3 },
        { defaultStatusRule: true, metrics },
      );
      assert.equal(outcome.status, 'up');
      assert.equal(Object.keys(outcome.metrics ?? {}).length, 4);
    } finally {
      JSON.parse = original;
    }
    assert.equal(parses, 1);
  });
});
