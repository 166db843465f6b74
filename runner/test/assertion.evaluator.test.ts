import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assertion } from '../../api/src/contract/index.ts';
import { evaluateAssertion, evaluateAssertions, type ResponseView } from '../src/assertions/assertion.evaluator.ts';
import { decideVerdict, type VerdictInput } from '../src/assertions/status.decider.ts';
import { CheckFailure, toCheckFailure } from '../src/checks/check.errors.ts';

const view: ResponseView = {
  statusCode: 204,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-version': '3' },
  body: JSON.stringify({ status: 'healthy', count: 12, ratio: 0.5, ok: true, none: null, tags: ['a', 'b'], items: [{ s: 'up' }, { s: 'down' }] }),
  responseTimeMs: 180,
};

type Case = [name: string, assertion: Omit<Assertion, 'operator'> & { operator: Assertion['operator'] }, passed: boolean, actual?: string];

const cases: Case[] = [
  // status_code
  ['status equals', { source: 'status_code', operator: 'equals', target: '204' }, true, '204'],
  ['status equals numeric form', { source: 'status_code', operator: 'equals', target: '204.0' }, true],
  ['status not_equals', { source: 'status_code', operator: 'not_equals', target: '200' }, true],
  ['status in_range', { source: 'status_code', operator: 'in_range', target: '200-299' }, true],
  ['status in_range with spaces', { source: 'status_code', operator: 'in_range', target: ' 200 - 204 ' }, true],
  ['status out of range', { source: 'status_code', operator: 'in_range', target: '300-399' }, false],
  ['status bad range', { source: 'status_code', operator: 'in_range', target: '299-200' }, false],
  ['status one_of', { source: 'status_code', operator: 'one_of', target: '200, 204,301' }, true],
  ['status not one_of', { source: 'status_code', operator: 'one_of', target: '200,201' }, false],
  ['status less_than', { source: 'status_code', operator: 'less_than', target: '300' }, true],
  ['status greater_than_or_equal', { source: 'status_code', operator: 'greater_than_or_equal', target: '204' }, true],
  ['status greater_than equal value', { source: 'status_code', operator: 'greater_than', target: '204' }, false],
  ['status exists', { source: 'status_code', operator: 'exists' }, true],
  // header
  ['header case-insensitive name', { source: 'header', path: 'Content-Type', operator: 'contains', target: 'json' }, true],
  ['header matches', { source: 'header', path: 'content-type', operator: 'matches', target: '^application/json' }, true],
  ['header not_matches', { source: 'header', path: 'content-type', operator: 'not_matches', target: 'xml' }, true],
  ['header numeric compare', { source: 'header', path: 'x-version', operator: 'less_than_or_equal', target: '3' }, true],
  ['header exists', { source: 'header', path: 'x-version', operator: 'exists' }, true],
  ['header absent exists', { source: 'header', path: 'x-missing', operator: 'exists' }, false],
  ['header absent not_exists', { source: 'header', path: 'x-missing', operator: 'not_exists' }, true],
  ['header absent equals', { source: 'header', path: 'x-missing', operator: 'equals', target: '' }, false],
  ['header absent not_equals fails too', { source: 'header', path: 'x-missing', operator: 'not_equals', target: 'x' }, false],
  ['header without path', { source: 'header', operator: 'exists' }, false],
  // body
  ['body contains', { source: 'body', operator: 'contains', target: '"healthy"' }, true],
  ['body not_contains', { source: 'body', operator: 'not_contains', target: 'error' }, true],
  ['body regex', { source: 'body', operator: 'matches', target: '"count":\\s*\\d+' }, true],
  ['body invalid regex fails', { source: 'body', operator: 'matches', target: '(' }, false],
  ['body invalid regex fails not_matches too', { source: 'body', operator: 'not_matches', target: '(' }, false],
  ['regex inline flags (RE2 syntax)', { source: 'body', operator: 'matches', target: '(?i)HEALTHY' }, true],
  ['regex lookaround is not RE2', { source: 'body', operator: 'matches', target: '(?=healthy)' }, false],
  // json_body
  ['json string equals', { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' }, true, 'healthy'],
  ['json number equals', { source: 'json_body', path: '$.count', operator: 'equals', target: '12' }, true, '12'],
  ['json number greater_than numerically', { source: 'json_body', path: '$.count', operator: 'greater_than', target: '9' }, true],
  ['json decimal less_than', { source: 'json_body', path: '$.ratio', operator: 'less_than', target: '0.75' }, true],
  ['json text not numeric compare', { source: 'json_body', path: '$.status', operator: 'less_than', target: '5' }, false],
  ['json boolean', { source: 'json_body', path: '$.ok', operator: 'equals', target: 'true' }, true, 'true'],
  ['json null', { source: 'json_body', path: '$.none', operator: 'equals', target: 'null' }, true],
  ['json array contains', { source: 'json_body', path: '$.tags', operator: 'contains', target: '"b"' }, true, '["a","b"]'],
  ['json filter one of many', { source: 'json_body', path: '$.items[*].s', operator: 'equals', target: 'down' }, true, '["up","down"]'],
  ['json negative over many needs all', { source: 'json_body', path: '$.items[*].s', operator: 'not_equals', target: 'down' }, false],
  ['json filter expression', { source: 'json_body', path: '$.items[?(@.s=="down")].s', operator: 'equals', target: 'down' }, true, 'down'],
  ['json filter with code is not run', { source: 'json_body', path: '$.items[?(process.exit())]', operator: 'exists' }, false],
  ['json exists', { source: 'json_body', path: '$.items[0].s', operator: 'exists' }, true],
  ['json missing path', { source: 'json_body', path: '$.nope', operator: 'exists' }, false],
  ['json missing not_exists', { source: 'json_body', path: '$.nope', operator: 'not_exists' }, true],
  ['json one_of', { source: 'json_body', path: '$.status', operator: 'one_of', target: 'ok,healthy' }, true],
  ['json without path', { source: 'json_body', operator: 'exists' }, false],
  // response_time
  ['response_time less_than', { source: 'response_time', operator: 'less_than', target: '500' }, true, '180'],
  ['response_time too slow', { source: 'response_time', operator: 'less_than', target: '100' }, false, '180'],
  ['response_time in_range', { source: 'response_time', operator: 'in_range', target: '100-200' }, true],
];

describe('assertion evaluator', () => {
  for (const [name, assertion, passed, actual] of cases) {
    it(name, () => {
      const outcome = evaluateAssertion(assertion, view);
      assert.equal(outcome.passed, passed, JSON.stringify(outcome));
      assert.equal(outcome.severity, assertion.severity ?? 'down');
      if (actual !== undefined) assert.equal(outcome.actual, actual);
    });
  }

  it('reports non-JSON and truncated bodies in actual instead of throwing', () => {
    const [plain] = evaluateAssertions([{ source: 'json_body', path: '$.a', operator: 'exists' }], { body: '<html>', responseTimeMs: 1 });
    assert.equal(plain?.passed, false);
    assert.match(plain?.actual ?? '', /not valid JSON/);
    const [cut] = evaluateAssertions([{ source: 'json_body', path: '$.a', operator: 'exists' }], { body: '{"a":', bodyTruncated: true, responseTimeMs: 1 });
    assert.match(cut?.actual ?? '', /truncated/);
  });

  it('matches catastrophic patterns in linear time, so one monitor cannot freeze the runner', () => {
    const started = performance.now();
    const [o] = evaluateAssertions([{ source: 'body', operator: 'matches', target: '^(a+)+$' }], { body: `${'a'.repeat(100_000)}!`, responseTimeMs: 1 });
    assert.equal(o?.passed, false);
    assert.ok(performance.now() - started < 1000, 'a backtracking engine would take longer than the universe');
  });

  it('caps actual at 1024 characters', () => {
    const [o] = evaluateAssertions([{ source: 'body', operator: 'equals', target: 'x' }], { body: 'y'.repeat(5000), responseTimeMs: 1 });
    assert.equal(o?.actual?.length, 1024);
  });

  it('has no status, headers or body for non-HTTP checks', () => {
    const outcomes = evaluateAssertions(
      [
        { source: 'status_code', operator: 'equals', target: '200' },
        { source: 'body', operator: 'contains', target: '' },
      ],
      { responseTimeMs: 3 },
    );
    assert.deepEqual(outcomes.map((o) => o.passed), [false, false]);
  });
});

describe('verdict', () => {
  const pass = { source: 'status_code', operator: 'equals', passed: true, severity: 'down' } as const;
  const failDown = { source: 'body', operator: 'contains', passed: false, severity: 'down' } as const;
  const failDegraded = { source: 'response_time', operator: 'less_than', passed: false, severity: 'degraded' } as const;
  const base: VerdictInput = { outcomes: [], defaultStatusRule: true, statusCode: 200, responseTimeMs: 100 };
  const cases: [string, Partial<VerdictInput>, string, string?][] = [
    ['2xx without assertions is up', {}, 'up'],
    ['3xx without assertions is up', { statusCode: 301 }, 'up'],
    ['5xx without status assertion is down', { statusCode: 503 }, 'down', 'http_error'],
    ['199 is down', { statusCode: 199 }, 'down', 'http_error'],
    ['5xx with the rule off is judged by assertions', { statusCode: 503, defaultStatusRule: false, outcomes: [pass] }, 'up'],
    ['a failed down assertion is down', { outcomes: [pass, failDown] }, 'down', 'assertion_failed'],
    ['down outweighs degraded', { outcomes: [failDegraded, failDown] }, 'down', 'assertion_failed'],
    ['a failed degraded assertion is degraded', { outcomes: [pass, failDegraded] }, 'degraded', 'assertion_failed'],
    ['slow but passing is degraded', { degradedThresholdMs: 50 }, 'degraded', 'slow_response'],
    ['exactly at the threshold is up', { degradedThresholdMs: 100 }, 'up'],
    ['slow and failing is down', { degradedThresholdMs: 50, outcomes: [failDown] }, 'down', 'assertion_failed'],
  ];
  for (const [name, input, status, code] of cases) {
    it(name, () => {
      const verdict = decideVerdict({ ...base, ...input });
      assert.equal(verdict.status, status);
      assert.equal(verdict.error?.code, code);
    });
  }
});

describe('failure code mapping', () => {
  const errno = (code: string, cause?: Error): Error => Object.assign(new Error(code, cause ? { cause } : undefined), { code });
  const cases: [string, unknown, string][] = [
    ['refused', errno('ECONNREFUSED'), 'connection_refused'],
    ['reset', errno('ECONNRESET'), 'connection_reset'],
    ['dns', errno('ENOTFOUND'), 'dns_failed'],
    ['undici connect timeout', errno('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
    ['self-signed', errno('DEPTH_ZERO_SELF_SIGNED_CERT'), 'certificate_invalid'],
    ['altname', errno('ERR_TLS_CERT_ALTNAME_INVALID'), 'certificate_invalid'],
    ['expired', errno('CERT_HAS_EXPIRED'), 'certificate_expired'],
    ['ssl', errno('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls_error'],
    ['wrapped cause', new Error('fetch failed', { cause: errno('ECONNREFUSED') }), 'connection_refused'],
    ['abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout'],
    ['unknown', new Error('???'), 'network_error'],
    ['already typed', new CheckFailure('too_many_redirects', 'x'), 'too_many_redirects'],
  ];
  for (const [name, err, code] of cases) {
    it(name, () => assert.equal(toCheckFailure(err).code, code));
  }

  it('blames the budget when the signal has aborted, whatever the error says', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(toCheckFailure(errno('ECONNRESET'), controller.signal).code, 'timeout');
  });
});
