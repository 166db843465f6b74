import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Alert rules are parsed, type-checked and resolved against the rule team's monitors, services and
// SLOs when written: bad text or unknown names answer 422 with the position and what to write, and
// store nothing; a subject a rule names cannot be deleted, renamed or moved away (409 listing the rules).

const skip = postgresSkip();
let api: TestApi;
const admin = () => api.adminToken;

before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

async function team() {
  const t = await expectOk(api, 'POST', '/v1/teams', admin(), { name: unique('commerce') });
  const orders = await expectOk(api, 'POST', '/v1/services', admin(), { ...bodies.service(t.id), name: unique('order-processing') });
  const inventory = await expectOk(api, 'POST', '/v1/services', admin(), { ...bodies.service(t.id), name: unique('inventory') });
  const health = await expectOk(api, 'POST', '/v1/monitors', admin(), { ...bodies.monitor(inventory.id), name: 'api-health' });
  const slo = await expectOk(api, 'POST', '/v1/slos', admin(), { ...bodies.slo(t.id, orders.id), name: 'checkout-availability' });
  return { team: t, orders, inventory, health, slo };
}

const rule = (teamId: string, expression: string) => ({ ...bodies.alertRule(teamId), expression });
const rulesNamed = async (name: string) => (await api.call('GET', `/v1/alert-rules?name=${encodeURIComponent(name)}`)).body.items;
const references = async (ruleId: string) =>
  (await api.database.db.selectFrom('alert_rule_references').select(['subject_type', 'subject_id']).where('rule_id', '=', ruleId).orderBy('subject_type').orderBy('subject_id').execute()).map((r) => `${r.subject_type}:${r.subject_id}`);

test('"this is not an expression" answers 422 at /expression with line and column, and stores nothing', { skip }, async () => {
  const t = await team();
  const body = { ...rule(t.team.id, 'this is not an expression'), name: unique('bad') };
  const res = await api.call('POST', '/v1/alert-rules', { body });
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.code, 'validation_failed');
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.deepEqual(res.body.errors.map((e: Record<string, unknown>) => [e.pointer, e.line, e.column]), [['/expression', 1, 6]]);
  assert.match(res.body.errors[0].message, /^line 1, column 6: expected .* but found "i"/);
  assert.deepEqual(await rulesNamed(body.name), []);
});

test('type errors say what to write instead, with the position', { skip }, async () => {
  const t = await team();
  const res = await api.call('POST', '/v1/alert-rules', { body: rule(t.team.id, `p96(service("${t.inventory.name}"), "5m") > 2000`) });
  assert.equal(res.status, 422);
  assert.match(res.body.errors[0].message, /^line 1, column 1: Unknown function "p96"\. Did you mean p95 or p99\?/);
  assert.match(res.body.detail, /Unknown function "p96"/);
});

test('the seed\'s rule and the canonical rules are accepted and their subjects stored as references', { skip }, async () => {
  const t = await team();
  const cases: Array<[string, string[]]> = [
    [`down(service("${t.orders.name}")) or p95(service("${t.inventory.name}"), "5m") > 2000`, [`service:${t.orders.id}`, `service:${t.inventory.id}`]],
    ['metric(monitor("api-health"), "utilization_pct") > 80', [`monitor:${t.health.id}`]],
    ['burn_rate(slo("checkout-availability"),"1h") > 14.4 and burn_rate(slo("checkout-availability"),"5m") > 14.4', [`slo:${t.slo.id}`]],
    ['down(monitors(tag="tier:1"))', []],
    [`down(services(team="${t.team.name}"))`, []],
    [`down(monitors(service="${t.inventory.name}", type="http"))`, [`service:${t.inventory.id}`]],
    ['p95(monitor("api-health"), "5m", region="us-east-1") > 500ms', [`monitor:${t.health.id}`]],
  ];
  for (const [expression, refs] of cases) {
    const created = await api.call('POST', '/v1/alert-rules', { body: rule(t.team.id, expression) });
    assert.equal(created.status, 201, `${expression}: ${JSON.stringify(created.body)}`);
    assert.equal(created.body.expression, expression);
    assert.deepEqual(await references(created.body.id), [...refs].sort(), expression);
  }
});

test('an unknown name answers 422 naming it, at its position, with close names; nothing is stored', { skip }, async () => {
  const t = await team();
  const typo = `${t.inventory.name.slice(0, -1)}`;
  const body = { ...rule(t.team.id, `down(service("${t.orders.name}"))\n  or down(service("${typo}"))`), name: unique('typo') };
  const res = await api.call('POST', '/v1/alert-rules', { body });
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.errors.length, 1);
  const [e] = res.body.errors;
  assert.deepEqual([e.pointer, e.line, e.column], ['/expression', 2, 11]);
  assert.equal(e.message, `line 2, column 11: service "${typo}" does not exist in team "${t.team.name}" (a rule names only its own team's services). Did you mean "${t.inventory.name}"?`);
  assert.deepEqual(await rulesNamed(body.name), []);
  const slo = await api.call('POST', '/v1/alert-rules', { body: rule(t.team.id, 'burn_rate(slo("checkout-availabilty"), "1h") > 2') });
  assert.equal(slo.status, 422);
  assert.match(slo.body.errors[0].message, /SLO "checkout-availabilty" does not exist in team .* Did you mean "checkout-availability"\?/);
});

test('another team\'s service answers like a missing one, and its team\'s names are not suggested', { skip }, async () => {
  const mine = await team();
  const theirs = await team();
  const res = await api.call('POST', '/v1/alert-rules', { body: rule(mine.team.id, `down(service("${theirs.orders.name}"))`) });
  assert.equal(res.status, 422);
  assert.match(res.body.errors[0].message, new RegExp(`service "${theirs.orders.name}" does not exist in team "${mine.team.name}"`));
  assert.ok(!res.body.errors[0].message.includes(theirs.team.name), 'the other team is not named');
  const selector = await api.call('POST', '/v1/alert-rules', { body: rule(mine.team.id, `down(services(team="${theirs.team.name}"))`) });
  assert.equal(selector.status, 422);
  assert.match(selector.body.errors[0].message, /is not this rule's team: a rule of team .* sees only its own team's subjects/);
});

test('two services with a monitor of the same name: monitor("x") is ambiguous, service= tells them apart', { skip }, async () => {
  const t = await team();
  await expectOk(api, 'POST', '/v1/monitors', admin(), { ...bodies.monitor(t.orders.id), name: 'api-health' });
  const ambiguous = await api.call('POST', '/v1/alert-rules', { body: rule(t.team.id, 'down(monitor("api-health"))') });
  assert.equal(ambiguous.status, 422);
  assert.match(ambiguous.body.errors[0].message, /monitor "api-health" is ambiguous: services .* each have one\. Say which: monitor\("api-health", service="/);
  const exact = await api.call('POST', '/v1/alert-rules', { body: rule(t.team.id, `down(monitor("api-health", service="${t.inventory.name}"))`) });
  assert.equal(exact.status, 201, JSON.stringify(exact.body));
  assert.deepEqual(await references(exact.body.id), [`monitor:${t.health.id}`, `service:${t.inventory.id}`], 'the service named in service= is a reference too');
  const rename = await api.call('PATCH', `/v1/services/${t.inventory.id}`, { body: { name: unique('inventory') } });
  assert.equal(rename.status, 409, 'renaming the service would break monitor("api-health", service="…")');
});

test('deleting a named monitor, service or SLO answers 409 listing the rules; after the rule goes, the delete works', { skip }, async () => {
  const t = await team();
  const r = await expectOk(api, 'POST', '/v1/alert-rules', admin(), rule(t.team.id, `down(service("${t.orders.name}")) or p95(monitor("api-health"), "5m") > 2s or budget_remaining(slo("checkout-availability")) < 10%`));
  for (const [path, label, name] of [[`/v1/monitors/${t.health.id}`, 'Monitor', 'api-health'], [`/v1/slos/${t.slo.id}`, 'SLO', 'checkout-availability'], [`/v1/services/${t.orders.id}`, 'Service', t.orders.name]] as const) {
    const res = await api.call('DELETE', path);
    assert.equal(res.status, 409, `${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.code, 'conflict');
    assert.ok(res.body.detail.startsWith(`${label} "${name}" is named by 1 alert rule(s): "${r.name}" (${r.id}, team "${t.team.name}"); deleting it would leave them naming nothing.`), res.body.detail);
    assert.deepEqual(res.body.conflicts, [{ type: 'alert_rule', id: r.id, name: r.name, team_id: t.team.id, team_name: t.team.name, relation: `names this ${label === 'SLO' ? 'SLO' : label.toLowerCase()} in its expression` }]);
    assert.equal((await api.call('GET', path)).status, 200, 'still there');
  }
  assert.equal((await api.call('DELETE', `/v1/alert-rules/${r.id}`)).status, 204);
  assert.deepEqual(await references(r.id), [], 'references go with their rule');
  assert.equal((await api.call('DELETE', `/v1/monitors/${t.health.id}`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/slos/${t.slo.id}`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/services/${t.orders.id}`)).status, 204);
});

test('renaming a named service or monitor answers 409; once the rule names something else, the rename works', { skip }, async () => {
  const t = await team();
  const r = await expectOk(api, 'POST', '/v1/alert-rules', admin(), rule(t.team.id, `down(service("${t.orders.name}")) and up(monitor("api-health"))`));
  const rename = await api.call('PATCH', `/v1/services/${t.orders.id}`, { body: { name: unique('orders') } });
  assert.equal(rename.status, 409, JSON.stringify(rename.body));
  assert.match(rename.body.detail, /renaming it would leave their expressions naming a subject that no longer exists/);
  const monitor = await api.call('PATCH', `/v1/monitors/${t.health.id}`, { body: { name: 'api-health-v2' } });
  assert.equal(monitor.status, 409);
  const moveMonitor = await api.call('PATCH', `/v1/monitors/${t.health.id}`, { body: { service_id: t.orders.id } });
  assert.equal(moveMonitor.status, 409, 'moving the named monitor to another service is refused');
  assert.match(moveMonitor.body.detail, /^Monitor "api-health" is named by 1 alert rule\(s\).*moving it to another team or service/);
  assert.equal((await api.call('GET', `/v1/services/${t.orders.id}`)).body.name, t.orders.name, 'unchanged');
  const moved = await expectOk(api, 'POST', '/v1/teams', admin(), { name: unique('other') });
  const move = await api.call('PATCH', `/v1/services/${t.inventory.id}`, { body: { team_id: moved.id } });
  assert.equal(move.status, 409, 'moving the service would take its named monitor away from the rule');
  assert.match(move.body.detail, /moving it to another team or service would take it out of their reach/);
  assert.equal(move.body.conflicts[0].relation, 'names a monitor of this service in its expression');
  // The rule now names only the inventory service: the references follow the new text.
  const patched = await api.call('PATCH', `/v1/alert-rules/${r.id}`, { body: { expression: `down(service("${t.inventory.name}"))` } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(await references(r.id), [`service:${t.inventory.id}`]);
  assert.equal((await api.call('PATCH', `/v1/services/${t.orders.id}`, { body: { name: unique('orders') } })).status, 200);
  assert.equal((await api.call('PATCH', `/v1/monitors/${t.health.id}`, { body: { name: 'api-health-v2' } })).status, 200);
});

test('PATCH and PUT with a bad expression or an unknown name answer 422 and leave the rule as it was', { skip }, async () => {
  const t = await team();
  const body = rule(t.team.id, `down(service("${t.orders.name}"))`);
  const r = await expectOk(api, 'POST', '/v1/alert-rules', admin(), body);
  const patch = await api.call('PATCH', `/v1/alert-rules/${r.id}`, { body: { expression: 'down(service("x")' } });
  assert.equal(patch.status, 422);
  assert.deepEqual([patch.body.errors[0].pointer, patch.body.errors[0].line, patch.body.errors[0].column], ['/expression', 1, 18]);
  const put = await api.call('PUT', `/v1/alert-rules/${r.id}`, { body: { ...body, expression: 'down(service("no-such-service"))' } });
  assert.equal(put.status, 422);
  assert.match(put.body.errors[0].message, /service "no-such-service" does not exist in team/);
  const stored = await api.call('GET', `/v1/alert-rules/${r.id}`);
  assert.equal(stored.body.expression, body.expression);
  assert.equal(stored.body.version, 1);
  assert.deepEqual(await references(r.id), [`service:${t.orders.id}`]);
});

test('a team editor writes rules naming their own team\'s subjects', { skip }, async () => {
  const t = await team();
  const editor = (await expectOk(api, 'POST', '/v1/tokens', admin(), { name: unique('ed'), role: 'team_editor', team_id: t.team.id })).token;
  const res = await api.call('POST', '/v1/alert-rules', { token: editor, body: rule(t.team.id, `error_rate(service("${t.orders.name}"), "5m") > 5%`) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});

test('keep_firing_for, no_data and no_data_timeout are stored and answered (no_data defaults to keep_last); bad values answer 422 and store nothing', { skip }, async () => {
  const t = await team();
  const expression = `down(service("${t.orders.name}"))`;
  const plain = await expectOk(api, 'POST', '/v1/alert-rules', admin(), { ...rule(t.team.id, expression), name: unique('plain') });
  assert.equal(plain.no_data, 'keep_last');
  assert.equal(plain.keep_firing_for, undefined);
  const tuned = await expectOk(api, 'POST', '/v1/alert-rules', admin(), { ...rule(t.team.id, expression), name: unique('tuned'), keep_firing_for: '2m', no_data: 'alerting', no_data_timeout: '30m' });
  const read = await api.call('GET', `/v1/alert-rules/${tuned.id}`);
  assert.deepEqual([read.body.keep_firing_for, read.body.no_data, read.body.no_data_timeout], ['2m', 'alerting', '30m']);
  for (const [field, value] of [['no_data', 'maybe'], ['keep_firing_for', 'two minutes'], ['no_data_timeout', '-5m']] as const) {
    const name = unique('bad-timing');
    const res = await api.call('POST', '/v1/alert-rules', { body: { ...rule(t.team.id, expression), name, [field]: value } });
    assert.equal(res.status, 422, `${field}=${value}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.errors[0].pointer, `/${field}`);
    assert.deepEqual(await rulesNamed(name), []);
  }
});
