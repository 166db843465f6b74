import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorErrors } from '../src/contract/monitor.rules.ts';
import { MonitorInput, type HealthMetric } from '../src/contract/monitor.schema.ts';
import { CheckResult } from '../src/contract/result.schema.ts';
import { Validator } from '../src/http/validator.ts';

// The contract of health-endpoint metrics: names, uniqueness, JSONPath, bounds, and the result's
// metric values.

const validator = new Validator();
const monitor = (metrics: unknown) => ({ name: 'api-health', service_id: 'svc_01JD0000000000000000000000', type: 'http', http: { url: 'http://api.internal/health', metrics } });

const schemaCases: Array<[string, unknown, string[]]> = [
  ['two metrics', [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }], []],
  ['upper-case name', [{ name: 'Utilization', path: '$.u' }], ['/http/metrics/0/name']],
  ['name starting with a digit', [{ name: '1x', path: '$.u' }], ['/http/metrics/0/name']],
  ['name with a dash', [{ name: 'wait-count', path: '$.u' }], ['/http/metrics/0/name']],
  ['64-character name', [{ name: `a${'b'.repeat(63)}`, path: '$.u' }], ['/http/metrics/0/name']],
  ['63-character name', [{ name: `a${'b'.repeat(62)}`, path: '$.u' }], []],
  ['missing path', [{ name: 'u' }], ['/http/metrics/0/path']],
  ['unknown field', [{ name: 'u', path: '$.u', unit: '%' }], ['/http/metrics/0/unit']],
  ['33 metrics', Array.from({ length: 33 }, (_, i) => ({ name: `m${i}`, path: `$.m${i}` })), ['/http/metrics']],
];
for (const [name, metrics, expected] of schemaCases) {
  test(`metrics schema: ${name}`, () => assert.deepEqual(validator.errors(MonitorInput, monitor(metrics)).map((e) => e.pointer), expected));
}

const ruleCases: Array<[string, HealthMetric[], Array<[string, RegExp]>]> = [
  ['unique names', [{ name: 'a', path: '$.a' }, { name: 'b', path: '$.b' }], []],
  ['a name used twice', [{ name: 'a', path: '$.a' }, { name: 'b', path: '$.b' }, { name: 'a', path: '$.c' }], [['/http/metrics/2/name', /"a" is already used by metrics\[0\]/]]],
  ['path not starting with $', [{ name: 'a', path: 'pool.size' }], [['/http/metrics/0/path', /must start with "\$"/]]],
  ['unclosed bracket', [{ name: 'a', path: '$.pools[0' }], [['/http/metrics/0/path', /never closed/]]],
  ['filter that does not parse', [{ name: 'a', path: '$.pools[?(@.name==)].util' }], [['/http/metrics/0/path', /does not parse/]]],
  ['filter that parses', [{ name: 'a', path: '$.pools[?(@.name=="primary")].util' }], []],
];
for (const [name, metrics, expected] of ruleCases) {
  test(`metrics rules: ${name}`, () => {
    const errors = monitorErrors(monitor(metrics) as MonitorInput);
    assert.deepEqual(errors.map((e) => e.pointer), expected.map(([p]) => p));
    expected.forEach(([, message], i) => assert.match(errors[i]!.message, message));
  });
}

const result = (metrics: unknown) => ({ id: 'res_01JD0000000000000000000000', monitor_id: 'mon_01JD0000000000000000000000', region: 'us-east-1', started_at: '2026-12-01T09:00:00.000Z', status: 'up', duration_ms: 5, metrics });
const resultCases: Array<[string, unknown, string[]]> = [
  ['numbers', { utilization_pct: 42.5, wait_count: 0, delta: -3 }, []],
  ['a string value', { utilization_pct: '42' }, ['/metrics/utilization_pct']],
  ['null', { utilization_pct: null }, ['/metrics/utilization_pct']],
  ['beyond 1e15', { big: 2e15 }, ['/metrics/big']],
  ['Infinity (1e400 in JSON)', { big: JSON.parse('1e400') as number }, ['/metrics/big']],
  ['a bad name', { 'Bad Name': 1 }, ['/metrics/Bad Name']],
  ['33 values', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`m${i}`, i])), ['/metrics']],
];
for (const [name, metrics, expected] of resultCases) {
  test(`result metrics: ${name}`, () => assert.deepEqual(validator.errors(CheckResult, result(metrics)).map((e) => e.pointer), expected));
}
