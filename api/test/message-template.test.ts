import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { messageTemplateErrors, parseMessageTemplate, renderMessage, type MessageVars } from '../src/contract/message-template.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Rule message templates: a logic-less {{variable}} language; every mistake is a 422 with its line
// and column when the rule is written, and rendering never runs code or throws.

const vars: MessageVars = {
  labels: { service: 'checkout', region: 'us-east-1', 'k8s.io/app': 'web' },
  value: 2350.123456,
  runbook_url: 'https://runbooks.example.com/checkout',
  severity: 'critical',
  alertname: 'checkout-slow',
  state: 'firing',
  starts_at: '2026-12-01T12:00:00.000Z',
};

test('renders every variable; missing labels and null values render empty', () => {
  const cases: Array<[string, string, Partial<MessageVars>?]> = [
    ['{{labels.service}} is slow in {{ labels.region }}', 'checkout is slow in us-east-1'],
    ['p95 {{value}} ms', 'p95 2350.123 ms'],
    ['{{value}}', '42', { value: 42 }],
    ['[{{value}}]', '[]', { value: null }],
    ['{{severity}} {{alertname}} {{state}} since {{starts_at}}', 'critical checkout-slow firing since 2026-12-01T12:00:00.000Z'],
    ['see {{runbook_url}}', 'see https://runbooks.example.com/checkout'],
    ['see {{runbook_url}}', 'see ', { runbook_url: null }],
    ['{{labels.missing}}!', '!'],
    ['{{labels.k8s.io/app}}', 'web'],
    ['no tags at all } {', 'no tags at all } {'],
    ['json-ish }} stays', 'json-ish }} stays'],
    ['', ''],
  ];
  for (const [template, expected, over] of cases) assert.equal(renderMessage(template, { ...vars, ...over }), expected, template);
});

test('values are copied, never interpreted: a label holding a tag or code stays text', () => {
  const out = renderMessage('{{labels.service}}', { ...vars, labels: { service: '{{value}} <script>alert(1)</script> ${process.exit()}' } });
  assert.equal(out, '{{value}} <script>alert(1)</script> ${process.exit()}');
});

test('broken templates: each problem with its line and column and what to write', () => {
  const cases: Array<[string, Array<[number, number, RegExp]>]> = [
    ['Hello {{labels.service', [[1, 7, /never closed; end the tag with "}}"/]]],
    ['line one\n  {{valu}} ms', [[2, 3, /Unknown variable "valu".*use one of \{\{labels\.<key>\}\}, \{\{value\}\}/]]],
    ['{{}}', [[1, 1, /empty tag/]]],
    ['{{labels}}', [[1, 1, /needs a label key, e.g. \{\{labels\.service\}\}/]]],
    ['{{labels.has space}}', [[1, 1, /is not a label key/]]],
    ['{{value.x}}', [[1, 1, /value has no fields; write \{\{value\}\}/]]],
    ['{{#each labels}}x{{/each}}', [[1, 1, /Unknown variable "#each labels"/], [1, 18, /Unknown variable "\/each"/]]],
    ['{{a {{value}}', [[1, 1, /never closed/]]],
    ['{{constructor}} {{__proto__}}', [[1, 1, /Unknown variable "constructor"/], [1, 17, /Unknown variable "__proto__"/]]],
  ];
  for (const [template, expected] of cases) {
    const errors = messageTemplateErrors(template);
    assert.equal(errors.length, expected.length, `${template}: ${JSON.stringify(errors)}`);
    expected.forEach(([line, column, message], i) => {
      assert.equal(errors[i]!.pointer, '/message');
      assert.deepEqual([errors[i]!.line, errors[i]!.column], [line, column], template);
      assert.match(errors[i]!.message, new RegExp(`^line ${line}, column ${column}: `));
      assert.match(errors[i]!.message, message, template);
    });
  }
  assert.equal(parseMessageTemplate('fine {{value}}').ok, true);
});

test('a template that does not parse renders as written instead of failing the page', () => {
  assert.equal(renderMessage('Down: {{labels.service', vars), 'Down: {{labels.service');
});

const skip = postgresSkip();
let api: TestApi;
before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

test('POST and PATCH of an alert rule with a broken message answer 422 at /message with line and column, and store nothing', { skip }, async () => {
  const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('tmpl') });
  const name = unique('rule');
  const bad = await api.call('POST', '/v1/alert-rules', { body: { ...bodies.alertRule(team.id), name, message: 'Checkout is down\n{{labels.service} in {{region}}' } });
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  assert.equal(bad.body.code, 'validation_failed');
  assert.deepEqual(bad.body.errors.map((e: Record<string, unknown>) => [e.pointer, e.line, e.column]), [['/message', 2, 1], ['/message', 2, 22]]);
  assert.match(bad.body.errors[0].message, /never closed/);
  assert.match(bad.body.errors[1].message, /Unknown variable "region".*\{\{labels\.<key>\}\}/);
  assert.deepEqual((await api.call('GET', `/v1/alert-rules?name=${name}`)).body.items, []);

  const good = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { ...bodies.alertRule(team.id), name, message: '{{labels.service}} p95 {{value}} ms, see {{runbook_url}}' });
  const patched = await api.call('PATCH', `/v1/alert-rules/${good.id}`, { body: { message: 'now {{valeu}}' }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(patched.status, 422);
  assert.deepEqual(patched.body.errors.map((e: Record<string, unknown>) => [e.pointer, e.line, e.column]), [['/message', 1, 5]]);
  assert.match(patched.body.errors[0].message, /Unknown variable "valeu"/);
  assert.equal((await api.call('GET', `/v1/alert-rules/${good.id}`)).body.message, '{{labels.service}} p95 {{value}} ms, see {{runbook_url}}');
});
