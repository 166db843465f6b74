import { test } from 'node:test';
import assert from 'node:assert/strict';
import { record, type SparseHistogram } from '../src/contract/load-test-histogram.ts';
import { PharosError } from '../src/contract/errors.ts';
import type { LoadTestInput } from '../src/contract/load-test.schema.ts';
import { overallFigures, regionProgress, splitRequests, verdictOf, type Report } from '../src/modules/load-tests/load-test.figures.ts';
import { checkLimits, effectiveRate, hostAllowed, hostOf, shapeErrors } from '../src/modules/load-tests/load-test.guard.ts';
import { defaultLoadTestLimits, loadTestLimitsOf } from '../src/modules/load-tests/load-test-settings.ts';
import { pickRunners } from '../src/modules/load-tests/share.planner.ts';

// The pure parts of load tests: figures, verdict, split, guard rails, share placement.

const report = (latenciesMs: number[], extra: Partial<Report> = {}): Report => {
  const histogram: SparseHistogram = {};
  for (const ms of latenciesMs) record(histogram, ms * 1000);
  return { elapsed_ms: 1000, requests: latenciesMs.length, errors: 0, status_codes: { 200: latenciesMs.length }, errors_by_code: {}, histogram, max_us: Math.max(0, ...latenciesMs) * 1000, ...extra };
};

test('verdict against the criteria, one reason per criterion missed', () => {
  const fast = overallFigures([report(Array(100).fill(50))]);
  const erring = overallFigures([report(Array(100).fill(50), { errors: 5 })]);
  const cases: Array<[string, Parameters<typeof verdictOf>[0], ReturnType<typeof overallFigures>, 'pass' | 'fail', RegExp[]]> = [
    ['no criteria, requests done', {}, fast, 'pass', []],
    ['p95 below', { p95_below_ms: 60 }, fast, 'pass', []],
    // 50 ms lands in a bucket whose upper bound is 50.175 ms: at the criterion is not below it.
    ['p95 at the criterion', { p95_below_ms: 50 }, fast, 'fail', [/^p95 50\.175 ms is not below 50 ms$/]],
    ['error rate below', { error_rate_below: 0.06 }, erring, 'pass', []],
    ['error rate over', { error_rate_below: 0.01 }, erring, 'fail', [/^error rate 0\.05 \(5 of 100\) is not below 0\.01$/]],
    ['both missed', { p95_below_ms: 10, error_rate_below: 0.01 }, erring, 'fail', [/^p95/, /^error rate/]],
    ['nothing completed', { p95_below_ms: 10 }, overallFigures([null]), 'fail', [/^no request completed$/]],
  ];
  for (const [name, criteria, figures, verdict, reasons] of cases) {
    const got = verdictOf(criteria, figures);
    assert.equal(got.verdict, verdict, name);
    assert.equal(got.reasons.length, reasons.length, `${name}: ${got.reasons.join('; ')}`);
    reasons.forEach((r, i) => assert.match(got.reasons[i]!, r, name));
  }
});

test('overall figures merge histograms and sum rates; a region alone keeps its own', () => {
  const a = report(Array(90).fill(10));
  const b = report(Array(10).fill(500), { elapsed_ms: 2000, errors: 2, status_codes: { 200: 8, 500: 2 }, errors_by_code: { http_500: 2 } });
  const all = overallFigures([a, b, null]);
  assert.equal(all.requests, 100);
  assert.equal(all.errors, 2);
  assert.equal(all.error_rate, 0.02);
  assert.equal(all.requests_per_second, 95, '90/s + 5/s');
  assert.deepEqual(all.status_codes, { 200: 98, 500: 2 });
  assert.deepEqual(all.errors_by_code, { http_500: 2 });
  assert.ok(all.latency.p90_ms! <= 10.4, `p90 of the merged histogram is the fast side: ${all.latency.p90_ms}`);
  assert.ok(all.latency.p95_ms! >= 500 && all.latency.p95_ms! <= 516, `p95 is the slow side: ${all.latency.p95_ms}`);
  assert.equal(all.latency.max_ms, 500);
  const none = overallFigures([]);
  assert.deepEqual(none.latency, { p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null });
  assert.equal(none.error_rate, null);
  assert.equal(none.requests_per_second, null);
});

test('requests are split evenly, the remainder to the first regions; progress by requests or time', () => {
  assert.deepEqual(splitRequests(10, 3), [4, 3, 3]);
  assert.deepEqual(splitRequests(9, 3), [3, 3, 3]);
  assert.deepEqual(splitRequests(1, 1), [1]);
  assert.equal(regionProgress({ requests: 200, durationSeconds: null }, report(Array(50).fill(1)), false), 0.25);
  assert.equal(regionProgress({ requests: null, durationSeconds: 4 }, report([1]), false), 0.25);
  assert.equal(regionProgress({ requests: null, durationSeconds: 4 }, null, false), 0);
  assert.equal(regionProgress({ requests: 10, durationSeconds: null }, null, true), 1);
});

test('declared hosts: the service\'s hosts, exact allow-list entries and *.domain wildcards', () => {
  const declared = new Set(['api.internal']);
  const cases: Array<[string, string[], boolean]> = [
    ['api.internal', [], true],
    ['other.internal', [], false],
    ['a.partner.example.com', ['*.partner.example.com'], true],
    ['x.y.partner.example.com', ['*.partner.example.com'], true],
    ['partner.example.com', ['*.partner.example.com'], false],
    ['evilpartner.example.com', ['*.partner.example.com'], false],
    ['cdn.example.org', ['cdn.example.org'], true],
  ];
  for (const [host, allow, ok] of cases) assert.equal(hostAllowed(host, declared, allow), ok, `${host} with ${allow.join(',')}`);
  assert.equal(hostOf('https://API.Internal:8443/x?y'), 'api.internal');
  assert.equal(hostOf('http://[::1]:80/'), '[::1]');
  assert.equal(hostOf('not a url'), undefined);
});

test('shape rules and limits: each refusal names the field and what to change', () => {
  const base: LoadTestInput = { monitor_id: 'mon_01JD8Z3Q4M5N6P7R8S9T0VWXYZ', regions: ['a', 'b'], requests: 100, concurrency: 10, rate_per_second: 50 };
  assert.deepEqual(shapeErrors(base), []);
  assert.deepEqual(shapeErrors({ ...base, requests: undefined }).map((e) => e.pointer), ['/requests']);
  assert.deepEqual(shapeErrors({ ...base, duration_seconds: 10 }).map((e) => e.pointer), ['/duration_seconds']);
  assert.deepEqual(shapeErrors({ ...base, requests: 1 }).map((e) => e.pointer), ['/requests']);
  assert.deepEqual(shapeErrors({ ...base, monitor_id: undefined }).map((e) => e.pointer), ['/service_id', '/request']);
  const limits = { ...defaultLoadTestLimits };
  assert.doesNotThrow(() => checkLimits(base, limits));
  const refused = (input: LoadTestInput) => {
    try {
      checkLimits(input, limits);
    } catch (error) {
      assert.ok(error instanceof PharosError);
      assert.equal(error.code, 'load_test_limit_exceeded');
      return error.errors!.map((e) => e.pointer);
    }
    return [];
  };
  assert.deepEqual(refused({ ...base, concurrency: 51, rate_per_second: 501 }), ['/concurrency', '/rate_per_second']);
  assert.deepEqual(refused({ ...base, requests: undefined, duration_seconds: 301 }), ['/duration_seconds']);
  assert.deepEqual(refused({ ...base, requests: 100_001, rate_per_second: 500 }), ['/requests']);
  // 40,000 requests per region at 100/s take 400 s, over the 300 s limit.
  assert.deepEqual(refused({ ...base, requests: 80_000, rate_per_second: 100 }), ['/requests']);
  assert.equal(effectiveRate({ ...base, rate_per_second: undefined }, limits), 500, 'no rate: the organization\'s max');
  assert.deepEqual(refused({ ...base, requests: 100_000, rate_per_second: undefined }), [], '50,000 per region at 500/s = 100 s');
});

test('stored settings are read with defaults for anything missing or out of bounds', () => {
  assert.deepEqual(loadTestLimitsOf(null), defaultLoadTestLimits);
  assert.deepEqual(loadTestLimitsOf({ allowed_hosts: ['A.example.com', 3], max_concurrency: 0, max_rate_per_second: 10.5, max_duration_seconds: 1.5, max_requests: 7 }), {
    allowed_hosts: ['a.example.com'], max_concurrency: 50, max_rate_per_second: 10.5, max_duration_seconds: 300, max_requests: 7,
  });
});

test('a share goes to the least loaded runner of its region, ties by id', () => {
  const runners = [{ id: 'run_b', region: 'eu' }, { id: 'run_a', region: 'eu' }, { id: 'run_c', region: 'us' }];
  assert.deepEqual([...pickRunners(['eu', 'us', 'ap'], runners, new Map())], [['eu', 'run_a'], ['us', 'run_c']]);
  assert.deepEqual([...pickRunners(['eu'], runners, new Map([['run_a', 2], ['run_b', 1]]))], [['eu', 'run_b']]);
});
