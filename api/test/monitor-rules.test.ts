import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorErrors } from '../src/contract/monitor.rules.ts';
import type { MonitorInput } from '../src/contract/monitor.schema.ts';

const base: MonitorInput = { name: 'm', service_id: 'svc_01JD0000000000000000000000', type: 'http', http: { url: 'http://a.internal/' } };
const pointers = (m: Partial<MonitorInput>) => monitorErrors({ ...base, ...m } as MonitorInput).map((e) => e.pointer);

const cases: Array<[string, Partial<MonitorInput>, string[]]> = [
  ['valid http', {}, []],
  ['timeout equal to interval', { interval_seconds: 10, timeout_seconds: 10 }, ['/timeout_seconds']],
  ['default timeout with short interval', { interval_seconds: 5 }, ['/timeout_seconds']],
  ['heartbeat ignores timeout', { type: 'heartbeat', http: undefined, heartbeat: { period_seconds: 60 }, interval_seconds: 5 }, []],
  ['tcp without tcp block', { type: 'tcp', http: undefined }, ['/tcp']],
  ['tcp with http block', { type: 'tcp', tcp: { host: 'h', port: 1 } }, ['/http']],
  ['header assertion without name', { assertions: [{ source: 'header', operator: 'equals', target: 'x' }] }, ['/assertions/0/path']],
  ['json path not starting with $', { assertions: [{ source: 'json_body', path: 'status', operator: 'exists' }] }, ['/assertions/0/path']],
  ['exists needs no target', { assertions: [{ source: 'json_body', path: '$.a', operator: 'exists' }] }, []],
  ['equals needs a target', { assertions: [{ source: 'body', operator: 'equals' }] }, ['/assertions/0/target']],
  ['in_range format', { assertions: [{ source: 'status_code', operator: 'in_range', target: '200..299' }] }, ['/assertions/0/target']],
  ['in_range ok', { assertions: [{ source: 'status_code', operator: 'in_range', target: '200-299' }] }, []],
  ['numeric compare with text', { assertions: [{ source: 'response_time', operator: 'less_than', target: 'fast' }] }, ['/assertions/0/target']],
  ['contains on a number', { assertions: [{ source: 'status_code', operator: 'contains', target: '2' }] }, ['/assertions/0/operator']],
  ['broken regex', { assertions: [{ source: 'body', operator: 'matches', target: '(' }] }, ['/assertions/0/target']],
  ['body assertion on tcp', { type: 'tcp', http: undefined, tcp: { host: 'h', port: 1 }, assertions: [{ source: 'body', operator: 'contains', target: 'x' }] }, ['/assertions/0/source']],
  ['response time on tcp', { type: 'tcp', http: undefined, tcp: { host: 'h', port: 1 }, assertions: [{ source: 'response_time', operator: 'less_than', target: '100' }] }, []],
  ['quorum above regions', { regions: ['a', 'b'], min_failed_regions: 3 }, ['/min_failed_regions']],
  ['quorum without regions', { min_failed_regions: 3 }, []],
  ['tls fail above warn', { type: 'tls', http: undefined, tls: { host: 'h', warn_days: 3, fail_days: 4 } }, ['/tls/fail_days']],
  ['steps: duplicate names', { type: 'multistep', http: undefined, steps: [{ name: 'a', url: 'http://x/' }, { name: 'a', url: 'http://x/' }] }, ['/steps/1/name']],
  ['steps: variable from a later step', { type: 'multistep', http: undefined, steps: [{ name: 'a', url: 'http://x/{{t}}' }, { name: 'b', url: 'http://x/', extract: [{ name: 't', source: 'header', property: 'x-t' }] }] }, ['/steps/0/url']],
  ['steps: variable from an earlier step', { type: 'multistep', http: undefined, steps: [{ name: 'a', url: 'http://x/', extract: [{ name: 't', source: 'header', property: 'x-t' }] }, { name: 'b', url: 'http://x/{{t}}' }] }, []],
  ['steps: relative url', { type: 'multistep', http: undefined, steps: [{ name: 'a', url: '/relative' }] }, ['/steps/0/url']],
  ['lookahead is not RE2', { assertions: [{ source: 'body', operator: 'matches', target: 'a(?=b)' }] }, ['/assertions/0/target']],
  ['steps: bad extraction regex', { type: 'multistep', http: undefined, steps: [{ name: 'a', url: 'http://x/', extract: [{ name: 't', source: 'body_regex', property: '[' }] }] }, ['/steps/0/extract/0/property']],
];

for (const [name, patch, expected] of cases) {
  test(`monitor rules: ${name}`, () => assert.deepEqual(pointers(patch), expected));
}
