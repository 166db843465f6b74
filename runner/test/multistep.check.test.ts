import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Step } from '../../api/src/contract/index.ts';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import { renderTemplate } from '../src/flow/template.renderer.ts';
import { extractValue } from '../src/flow/value.extractor.ts';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';

const registry = createCheckRegistry();
let fx: HttpFixture;
before(async () => {
  fx = await startHttpFixture();
});
after(() => fx.close());

const flow = (steps: Step[], timeout = 3) => executeCheck(monitor({ type: 'multistep', steps, timeout_seconds: timeout }), registry, { region: 'r' });

describe('multistep check', () => {
  it('carries values extracted by json_body, header and body_regex into later steps', async () => {
    const result = await flow([
      {
        name: 'login',
        method: 'POST',
        url: `${fx.baseUrl}/login`,
        headers: { 'content-type': 'application/json' },
        body: '{"user":"robot"}',
        extract: [
          { name: 'token', source: 'json_body', property: '$.token' },
          { name: 'session', source: 'header', property: 'X-Session' },
          { name: 'user_id', source: 'body_regex', property: '"id":"(u\\d+)"' },
        ],
        assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      },
      {
        name: 'order',
        url: `${fx.baseUrl}/orders/{{user_id}}-1`,
        headers: { 'x-session': '{{ session }}' },
        // Credentials come as write-only secret headers; they take {{variables}} like the others.
        secret_headers: { authorization: 'Bearer {{token}}' },
        assertions: [
          { source: 'json_body', path: '$.order', operator: 'equals', target: 'u7-1' },
          { source: 'json_body', path: '$.session', operator: 'equals', target: 'sess-9' },
          { source: 'json_body', path: '$.state', operator: 'equals', target: 'shipped' },
        ],
      },
    ]);
    assert.equal(result.status, 'up', JSON.stringify(result.steps));
    assert.deepEqual(result.steps?.map((s) => [s.name, s.status, s.status_code]), [['login', 'up', 200], ['order', 'up', 200]]);
    assert.ok(result.steps?.every((s) => s.timings?.total_ms !== undefined));
    // One trace for the flow, one span per step.
    const parents = fx.requests.slice(-2).map((r) => String(r.headers.traceparent).split('-'));
    assert.equal(parents[0]![1], result.trace_id);
    assert.equal(parents[1]![1], result.trace_id);
    assert.notEqual(parents[0]![2], parents[1]![2]);
  });

  it('stops at the first failing step and reports it', async () => {
    const before = fx.requests.length;
    const result = await flow([
      { name: 'login', method: 'POST', url: `${fx.baseUrl}/login`, body: '{"user":"intruder"}' },
      { name: 'never', url: `${fx.baseUrl}/json` },
    ]);
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'http_error');
    assert.match(result.error?.message ?? '', /step "login"/);
    assert.equal(result.steps?.length, 1);
    assert.equal(result.steps?.[0]?.status_code, 401);
    assert.equal(fx.requests.length - before, 1, 'the second step never ran');
  });

  it('fails a step whose extraction finds nothing, and a later step using an unknown variable', async () => {
    const extraction = await flow([{ name: 'a', url: `${fx.baseUrl}/json`, extract: [{ name: 'x', source: 'json_body', property: '$.missing' }] }]);
    assert.equal(extraction.status, 'down');
    assert.equal(extraction.error?.code, 'extraction_failed');

    const template = await flow([
      { name: 'a', url: `${fx.baseUrl}/json` },
      { name: 'b', url: `${fx.baseUrl}/orders/{{nope}}` },
    ]);
    assert.equal(template.error?.code, 'template_error');
    assert.equal(template.steps?.[1]?.status, 'down');
  });

  it('keeps going past a degraded step and reports the flow degraded', async () => {
    const result = await flow([
      { name: 'a', url: `${fx.baseUrl}/json`, assertions: [{ source: 'json_body', path: '$.version', operator: 'equals', target: '2.0.0', severity: 'degraded' }] },
      { name: 'b', url: `${fx.baseUrl}/json` },
    ]);
    assert.equal(result.status, 'degraded');
    assert.equal(result.steps?.length, 2);
  });

  it('spends one timeout budget across all steps', async () => {
    const started = Date.now();
    const result = await flow(
      [
        { name: 'a', url: `${fx.baseUrl}/slow?ms=250` },
        { name: 'b', url: `${fx.baseUrl}/slow?ms=250` },
        { name: 'c', url: `${fx.baseUrl}/slow?ms=250` },
      ],
      0.6,
    );
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'timeout');
    assert.equal(result.steps?.length, 3);
    assert.equal(result.steps?.[2]?.status, 'down');
    assert.ok(Date.now() - started < 1500);
  });
});

describe('template renderer', () => {
  const vars = new Map([['id', '42'], ['url', 'https://x.test/a?b=1']]);
  const cases: [string, string, ReturnType<typeof renderTemplate>][] = [
    ['plain', 'no placeholders', { ok: true, text: 'no placeholders' }],
    ['one', '/orders/{{id}}', { ok: true, text: '/orders/42' }],
    ['spaces and repeats', '{{ id }}-{{id}}', { ok: true, text: '42-42' }],
    ['verbatim url', '{{url}}', { ok: true, text: 'https://x.test/a?b=1' }],
    ['missing', '{{id}}/{{who}}/{{who}}', { ok: false, missing: ['who'] }],
  ];
  for (const [name, template, expected] of cases) {
    it(name, () => assert.deepEqual(renderTemplate(template, vars), expected));
  }
});

describe('value extractor', () => {
  const source = { headers: { 'x-token': 't1' }, body: '{"a":{"b":[5,{"c":"deep"}]},"n":7}' };
  const cases: [string, Parameters<typeof extractValue>[0], ReturnType<typeof extractValue>['ok'], string?][] = [
    ['json string', { name: 'v', source: 'json_body', property: '$.a.b[1].c' }, true, 'deep'],
    ['json number', { name: 'v', source: 'json_body', property: '$.n' }, true, '7'],
    ['json object', { name: 'v', source: 'json_body', property: '$.a.b[1]' }, true, '{"c":"deep"}'],
    ['json miss', { name: 'v', source: 'json_body', property: '$.zzz' }, false],
    ['header any case', { name: 'v', source: 'header', property: 'X-Token' }, true, 't1'],
    ['header absent', { name: 'v', source: 'header', property: 'x-nope' }, false],
    ['regex group', { name: 'v', source: 'body_regex', property: '"n":(\\d+)' }, true, '7'],
    ['regex whole match', { name: 'v', source: 'body_regex', property: 'de+p' }, true, 'deep'],
    ['regex invalid', { name: 'v', source: 'body_regex', property: '(' }, false],
  ];
  for (const [name, extraction, ok, value] of cases) {
    it(name, () => {
      const got = extractValue(extraction, source);
      assert.equal(got.ok, ok);
      if (got.ok) assert.equal(got.value, value);
    });
  }
});
