import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnknown, unknownValue, type Value } from '../src/codec/value.model.ts';
import { attributePath } from '../src/engine/attribute-path.model.ts';
import { conformBlock } from '../src/engine/block-value.rules.ts';
import { Diagnostics } from '../src/engine/diagnostics.model.ts';
import { planChange } from '../src/engine/plan.rules.ts';
import { preserveOnRead } from '../src/engine/state.rules.ts';
import { FieldNameMap } from '../src/resources/field-names.map.ts';
import { createPharosRegistry } from '../src/resources/pharos.registry.ts';
import { pharosSchemaFiles } from '../src/resources/pharos.schemas.ts';
import { emptyBlockListsAsNull, mergePatchOf } from '../src/resources/rest.resource.ts';
import { mergeSchemaFiles } from '../src/schema/schema.loader.ts';

const set = mergeSchemaFiles(pharosSchemaFiles());
const monitor = set.resources.get('pharos_monitor')!;
const channel = set.resources.get('pharos_channel')!;

test('field map: block names ⇄ REST names, both ways and in JSON pointers', () => {
  const fields = FieldNameMap.of('pharos_monitor');
  const rest = { steps: [{ name: 's', assertions: [{ source: 'body' }], extract: [{ name: 'x' }] }], assertions: [{ source: 'status_code' }], tags: { assertions: 'kept' } };
  const tf = fields.toTerraform(rest);
  assert.deepEqual(tf, { step: [{ name: 's', assertion: [{ source: 'body' }], extract: [{ name: 'x' }] }], assertion: [{ source: 'status_code' }], tags: { assertions: 'kept' } });
  assert.deepEqual(fields.toRest(tf), rest);
  assert.equal(fields.pointerToTerraform('/steps/1/assertions/0/target'), '/step/1/assertion/0/target');
  assert.equal(fields.restPath('step.assertion.target'), 'steps.assertions.target');
});

test('merge patch: removed map keys and block fields become null, lists are replaced whole', () => {
  assert.deepEqual(mergePatchOf({ a: '1', b: '2' }, { a: '1' }), { a: '1', b: null });
  assert.deepEqual(mergePatchOf({ url: 'u', body: 'x' }, { url: 'u', body: null, headers: { k: 'v' } }), { url: 'u', body: null, headers: { k: 'v' } });
  assert.deepEqual(mergePatchOf([1], [{ a: null, b: 2 }]), [{ b: 2 }]);
  assert.equal(mergePatchOf({ a: 1 }, null), null);
});

test('empty repeated blocks are absent fields for the API', () => {
  assert.deepEqual(emptyBlockListsAsNull(monitor.block, { name: 'm', step: [], assertion: [{ source: 'body' }] }), { name: 'm', step: null, assertion: [{ source: 'body' }] });
});

test('plan: API defaults inside blocks and repeated blocks are planned (no unknowns, no drift)', () => {
  const behaviour = set.behaviours.get('pharos_monitor')!;
  const c = conformBlock(monitor.block, { name: 'm', service_id: 'svc', type: 'http', http: { url: 'http://x' }, assertion: [{ source: 'status_code', operator: 'equals', target: '200' }] });
  const { planned } = planChange({ block: monitor.block, behaviour, prior: null, proposed: c, config: c });
  const http = planned!['http'] as Record<string, unknown>;
  assert.equal(http['method'], 'GET');
  assert.equal(http['max_body_bytes'], 1048576);
  assert.equal((planned!['assertion'] as Record<string, unknown>[])[0]!['severity'], 'down');
  assert.equal(planned!['interval_seconds'], 60);
  assert.ok(isUnknown(planned!['id']));
  assert.ok(isUnknown(planned!['heartbeat_url']));
});

test('secrets inside blocks survive reads that do not return them', () => {
  const behaviour = set.behaviours.get('pharos_channel')!;
  const prior = conformBlock(channel.block, { id: 'c', type: 'slack', slack: { webhook_url: 'https://hooks/x', channel: '#a' } });
  const read = conformBlock(channel.block, { id: 'c', type: 'slack', slack: { channel: '#b' }, configured_secrets: ['slack.webhook_url'] });
  const kept = preserveOnRead(channel.block, behaviour, prior, read);
  assert.deepEqual(kept['slack'], { webhook_url: 'https://hooks/x', channel: '#b', username: null });
});

test('monitor secret headers survive reads in the http block and in each step (matched by step name)', () => {
  const behaviour = set.behaviours.get('pharos_monitor')!;
  const http = monitor.block.block_types!['http']!.block.attributes!['secret_headers']!;
  const stepAttr = monitor.block.block_types!['step']!.block.attributes!['secret_headers']!;
  assert.equal(http.sensitive, true);
  assert.equal(stepAttr.sensitive, true);
  const prior = conformBlock(monitor.block, {
    id: 'm', type: 'multistep',
    step: [{ name: 'login', url: 'https://x/login', secret_headers: { 'X-Api-Key': 'k' } }, { name: 'orders', url: 'https://x/orders', secret_headers: { Authorization: 'Bearer {{t}}' } }],
  });
  // The API returns the steps without their secrets (here in another order, as if edited elsewhere).
  const read = conformBlock(monitor.block, { id: 'm', type: 'multistep', step: [{ name: 'orders', url: 'https://x/orders' }, { name: 'login', url: 'https://x/login' }], configured_secrets: ['steps.login.secret_headers.X-Api-Key'] });
  const kept = preserveOnRead(monitor.block, behaviour, prior, read);
  const steps = kept['step'] as Array<Record<string, unknown>>;
  assert.deepEqual(steps.map((st) => [st['name'], st['secret_headers']]), [['orders', { Authorization: 'Bearer {{t}}' }], ['login', { 'X-Api-Key': 'k' }]]);
  const httpPrior = conformBlock(monitor.block, { id: 'm', type: 'http', http: { url: 'https://x', secret_headers: { Authorization: 'Basic eA==' } } });
  const httpRead = conformBlock(monitor.block, { id: 'm', type: 'http', http: { url: 'https://x' } });
  assert.deepEqual((preserveOnRead(monitor.block, behaviour, httpPrior, httpRead)['http'] as Record<string, unknown>)['secret_headers'], { Authorization: 'Basic eA==' });
});

test('validation: the API contract at plan time, with attribute paths; unknown references are fine', async () => {
  const registry = createPharosRegistry(set);
  const validate = async (over: Record<string, unknown>) => {
    const d = new Diagnostics();
    const value = conformBlock(monitor.block, { name: 'm', service_id: unknownValue, type: 'http', http: { url: 'http://x.internal' }, ...over });
    await registry.resources.pharos_monitor.validate!(value, d);
    return d.items.map((i) => [i.path, i.detail] as const);
  };
  assert.deepEqual(await validate({}), []);
  const timeout = await validate({ interval_seconds: 10, timeout_seconds: 10 });
  assert.deepEqual(timeout[0]?.[0], attributePath('timeout_seconds'));
  const op = await validate({ assertion: [{ source: 'status_code', operator: 'roughly', target: '200', path: null, severity: null }] });
  assert.deepEqual(op[0]?.[0], attributePath('assertion', 0, 'operator'));
  const step = await validate({ type: 'multistep', http: null, step: [conformBlock(monitor.block.block_types!['step']!.block, { name: 's', url: 'https://x/{{nope}}' })] });
  assert.deepEqual(step[0]?.[0], attributePath('step', 0, 'url'));
  assert.match(step[0]?.[1] ?? '', /not extracted by an earlier step/);
  const credential = await validate({ http: conformBlock(monitor.block.block_types!['http']!.block, { url: 'http://ops:pw@x.internal', headers: { Authorization: 'Basic eA==' } }) });
  assert.deepEqual(credential.map(([path]) => path), [attributePath('http', 'url'), [{ attribute: 'http' }, { attribute: 'headers' }, { key: 'Authorization' }]], 'credentials outside secret_headers are refused at plan time');
  assert.match(credential[1]?.[1] ?? '', /secret_headers/);
  const unknownInterval = await validate({ interval_seconds: unknownValue, timeout_seconds: 10 });
  assert.deepEqual(unknownInterval, [], 'rules wait until the values they compare are known');
});

test('validation: an alert rule\'s expression is parsed and type-checked at plan time, errors on the expression attribute with line and column', async () => {
  const registry = createPharosRegistry(set);
  const rule = set.resources.get('pharos_alert_rule')!;
  const validate = async (expression: Value, over: Record<string, unknown> = {}) => {
    const d = new Diagnostics();
    await registry.resources.pharos_alert_rule.validate!(conformBlock(rule.block, { name: 'r', team_id: unknownValue, expression, ...over }), d);
    return d.items.map((i) => [i.path, i.detail] as const);
  };
  assert.deepEqual(await validate('down(service("order-processing")) or p95(service("inventory"), "5m") > 2000'), []);
  assert.deepEqual(await validate('down(monitors(tag="tier:1"))'), []);
  const syntax = await validate('this is not an expression');
  assert.deepEqual(syntax.map(([path]) => path), [attributePath('expression')]);
  assert.match(syntax[0]?.[1] ?? '', /^line 1, column 6: expected .* but found "i"/);
  const typo = await validate('down(service("a"))\n  or p96(service("b"), "5m") > 2000');
  assert.deepEqual(typo, [[attributePath('expression'), 'line 2, column 6: Unknown function "p96". Did you mean p95 or p99?']]);
  const window = await validate('p95(monitor("x"), "30s") > 1s');
  assert.match(window[0]?.[1] ?? '', /^line 1, column 19: "30s" is not a window: rollups are per minute/);
  assert.deepEqual(await validate(unknownValue), [], 'an expression not known until apply is checked by the API then');
  assert.deepEqual(await validate('down(service("no-such-service"))'), [], 'names resolve at apply: they need the API');
});

test('validation: an alert rule\'s message template is parsed at plan time, errors on the message attribute with line and column', async () => {
  const registry = createPharosRegistry(set);
  const rule = set.resources.get('pharos_alert_rule')!;
  const validate = async (message: Value) => {
    const d = new Diagnostics();
    await registry.resources.pharos_alert_rule.validate!(conformBlock(rule.block, { name: 'r', team_id: unknownValue, expression: 'down(monitors(tag="tier:1"))', message }), d);
    return d.items.map((i) => [i.path, i.detail] as const);
  };
  assert.deepEqual(await validate('{{labels.service}} is down, p95 {{value}} ms; {{runbook_url}}'), []);
  const unclosed = await validate('Down:\n  {{labels.service');
  assert.deepEqual(unclosed.map(([path]) => path), [attributePath('message')]);
  assert.match(unclosed[0]?.[1] ?? '', /^line 2, column 3: This "\{\{" is never closed/);
  const unknown = await validate('{{labels.service}} {{servce}}');
  assert.match(unknown[0]?.[1] ?? '', /^line 1, column 20: Unknown variable "servce"/);
  assert.deepEqual(await validate(unknownValue), [], 'a message not known until apply is checked by the API then');
});
