import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Routing policies, the organization fallback tree, silences and POST /v1/routing-policies/test,
// over HTTP on a real PostgreSQL.

const skip = postgresSkip();
let api: TestApi;
let admin: string;
const ids: Record<string, string> = {};
const names: Record<string, string> = {};
const tokens = {} as Record<'team_admin' | 'team_editor' | 'viewer' | 'viewer_b', string>;

const post = async (path: string, body: unknown, token = admin) => (await expectOk(api, 'POST', path, token, body)).id as string;
const routeOf = async (body: unknown, token = admin) => {
  const res = await api.call('POST', '/v1/routing-policies/test', { token, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const channelsOf = (result: any) => result.routes.flatMap((r: any) => r.channels.map((c: any) => c.id));
const countRows = async (table: 'routing_policies' | 'silences') => Number((await api.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  if (skip) return;
  api = await startTestApi();
  admin = api.adminToken;
  for (const team of ['a', 'b', 'c', 'platform']) {
    names[team] = unique(`team-${team}`);
    ids[team] = await post('/v1/teams', { name: names[team] });
  }
  for (const team of ['a', 'b', 'platform']) ids[`ch_${team}`] = await post('/v1/channels', bodies.channel(ids[team]!));
  ids.checkout = await post('/v1/services', { name: unique('checkout'), team_id: ids.a });
  names.checkout = (await api.call('GET', `/v1/services/${ids.checkout}`)).body.name;
  // Two teams with a catch-all policy each, and the organization fallback tree.
  ids.pol_a = await post('/v1/routing-policies', { name: 'catch-all', team_id: ids.a, channel_ids: [ids.ch_a] });
  ids.pol_b = await post('/v1/routing-policies', { name: 'catch-all', team_id: ids.b, channel_ids: [ids.ch_b] });
  ids.org_multi = await post('/v1/routing-policies', { name: 'multi-service-outages', scope: 'organization', matchers: [{ label: 'impact', operator: '=', value: 'multi-service' }], channel_ids: [ids.ch_platform], group_by: ['alertname'] });
  for (const role of ['team_admin', 'team_editor', 'viewer'] as const) tokens[role] = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique(role), role, team_id: ids.a })).token;
  tokens.viewer_b = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer-b'), role: 'viewer', team_id: ids.b })).token;
});
after(async () => api?.close());

test('only the owning team\'s channels get its alert: team=A goes to A\'s catch-all, never to B\'s', { skip }, async () => {
  const a = await routeOf({ labels: { alertname: 'CheckoutDown', team: names.a, service: 'checkout', severity: 'critical' } });
  assert.equal(a.tree, 'team');
  assert.deepEqual(a.routes.map((r: any) => r.policies.map((p: any) => p.id)), [[ids.pol_a]]);
  assert.deepEqual(channelsOf(a), [ids.ch_a]);
  assert.equal(a.routes[0].channels[0].type, 'webhook');
  assert.equal(a.routes[0].channels[0].team_id, ids.a);
  const b = await routeOf({ labels: { team: names.b } });
  assert.deepEqual(channelsOf(b), [ids.ch_b]);
  // team_id sets the team label, as the alert engine does.
  const byId = await routeOf({ labels: { alertname: 'x' }, team_id: ids.b });
  assert.equal(byId.labels.team, names.b);
  assert.deepEqual(channelsOf(byId), [ids.ch_b]);
});

test('an alert no team policy takes goes to the organization fallback; an alert the team takes does not', { skip }, async () => {
  const none = await routeOf({ labels: { team: names.c, impact: 'multi-service', alertname: 'Outage' } });
  assert.equal(none.tree, 'organization');
  assert.deepEqual(none.routes[0].policies, [{ id: ids.org_multi, name: 'multi-service-outages' }]);
  assert.deepEqual(channelsOf(none), [ids.ch_platform], 'an organization policy may name another team\'s channel');
  assert.deepEqual(none.routes[0].group_labels, { alertname: 'Outage' });
  assert.equal(none.routes[0].group_wait, '1s');
  assert.equal(none.routes[0].group_interval, '5m');
  assert.equal(none.routes[0].repeat_interval, '4h');
  const taken = await routeOf({ labels: { team: names.a, impact: 'multi-service' } });
  assert.deepEqual(channelsOf(taken), [ids.ch_a]);
  const nowhere = await routeOf({ labels: { team: names.c } });
  assert.deepEqual(nowhere, { labels: { team: names.c }, at: nowhere.at, tree: null, routes: [], muted: false });
});

test('a child policy inherits its parent\'s settings and takes precedence with continue order', { skip }, async () => {
  const parent = await post('/v1/routing-policies', { name: 'db', team_id: ids.b, priority: 1, matchers: [{ label: 'service', operator: '=~', value: 'db-.*' }], channel_ids: [ids.ch_b], group_wait: '20s', group_by: ['alertname', 'region'], continue: true });
  const child = await post('/v1/routing-policies', { name: 'db-eu', team_id: ids.b, parent_id: parent, matchers: [{ label: 'region', operator: '=', value: 'eu' }], repeat_interval: '1h30m' });
  try {
    const r = await routeOf({ labels: { team: names.b, service: 'db-main', region: 'eu', alertname: 'Slow' } });
    assert.deepEqual(r.routes.map((x: any) => x.policies.map((p: any) => p.name)), [['db', 'db-eu'], ['catch-all']]);
    assert.equal(r.routes[0].group_wait, '20s');
    assert.equal(r.routes[0].repeat_interval, '1h30m');
    assert.deepEqual(r.routes[0].group_by, ['alertname', 'region']);
    assert.deepEqual(r.routes[0].group_labels, { alertname: 'Slow', region: 'eu' });
    assert.notEqual(r.routes[0].group_key, r.routes[1].group_key);
  } finally {
    await expectOk(api, 'DELETE', `/v1/routing-policies/${child}`, admin);
    await expectOk(api, 'DELETE', `/v1/routing-policies/${parent}`, admin);
  }
});

test('organization policies: only org admins change them, everyone in the organization reads them', { skip }, async () => {
  const before = await countRows('routing_policies');
  const body = { name: unique('org'), scope: 'organization', channel_ids: [ids.ch_a] };
  for (const role of ['team_admin', 'team_editor', 'viewer'] as const) {
    const res = await api.call('POST', '/v1/routing-policies', { token: tokens[role], body });
    assert.equal(res.status, 403, `${role}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.detail, /org admin/);
    assert.equal((await api.call('PATCH', `/v1/routing-policies/${ids.org_multi}`, { token: tokens[role], body: { priority: 1 }, headers: { 'content-type': 'application/merge-patch+json' } })).status, 403);
    assert.equal((await api.call('DELETE', `/v1/routing-policies/${ids.org_multi}`, { token: tokens[role] })).status, 403);
    const got = await api.call('GET', `/v1/routing-policies/${ids.org_multi}`, { token: tokens[role] });
    assert.equal(got.status, 200);
    assert.equal(got.body.scope, 'organization');
    assert.equal(got.body.team_id, undefined);
    const list = await api.call('GET', '/v1/routing-policies?limit=200', { token: tokens[role] });
    assert.ok(list.body.items.some((p: any) => p.id === ids.org_multi), `${role} lists the organization policy`);
    assert.ok(!list.body.items.some((p: any) => p.id === ids.pol_b), `${role} does not list team b's policy`);
  }
  // A team policy cannot become an organization policy through a team role either.
  const res = await api.call('PATCH', `/v1/routing-policies/${ids.pol_a}`, { token: tokens.team_admin, body: { scope: 'organization', team_id: null }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(res.status, 403);
  assert.equal(await countRows('routing_policies'), before, 'nothing was written');
});

test('a policy stored without a scope (before organization policies existed) reads as a team policy', { skip }, async () => {
  const row = await api.database.db.selectFrom('routing_policies').select('spec').where('id', '=', ids.pol_b!).executeTakeFirstOrThrow();
  const { scope: _scope, ...older } = row.spec as Record<string, unknown>;
  await api.database.db.updateTable('routing_policies').set({ spec: JSON.stringify(older) }).where('id', '=', ids.pol_b!).execute();
  assert.equal((await api.call('GET', `/v1/routing-policies/${ids.pol_b}`)).body.scope, 'team');
  assert.deepEqual(channelsOf(await routeOf({ labels: { team: names.b } })), [ids.ch_b]);
});

test('routing policy validation: scope and team_id, the tree of the parent, channels of the team, durations', { skip }, async () => {
  const before = await countRows('routing_policies');
  const cases: Array<[string, unknown, string]> = [
    ['organization with team_id', { name: unique('p'), scope: 'organization', team_id: ids.a }, '/team_id'],
    ['team without team_id', { name: unique('p') }, '/team_id'],
    ['another team\'s channel', { name: unique('p'), team_id: ids.a, channel_ids: [ids.ch_b] }, '/channel_ids/0'],
    ['a team parent under an organization policy', { name: unique('p'), team_id: ids.a, parent_id: ids.org_multi }, '/parent_id'],
    ['an organization child of a team policy', { name: unique('p'), scope: 'organization', parent_id: ids.pol_a }, '/parent_id'],
    ['zero group_interval', { name: unique('p'), team_id: ids.a, group_interval: '0s' }, '/group_interval'],
    ['"..." with other labels', { name: unique('p'), team_id: ids.a, group_by: ['...', 'service'] }, '/group_by'],
    ['a regex that does not compile', { name: unique('p'), team_id: ids.a, matchers: [{ label: 'x', operator: '=~', value: '(a' }] }, '/matchers/0/value'],
  ];
  for (const [name, body, pointer] of cases) {
    const res = await api.call('POST', '/v1/routing-policies', { body });
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(res.body.code, 'validation_failed');
    assert.ok(res.body.errors.some((e: any) => e.pointer === pointer), `${name}: ${JSON.stringify(res.body.errors)}`);
  }
  assert.equal(await countRows('routing_policies'), before);
  // Organization policy names are unique among organization policies.
  const taken = await api.call('POST', '/v1/routing-policies', { body: { name: 'multi-service-outages', scope: 'organization' } });
  assert.equal(taken.status, 409);
});

test('the test route: access follows the team\'s routing policies, bad input is a problem', { skip }, async () => {
  assert.equal((await api.call('POST', '/v1/routing-policies/test', { token: tokens.viewer_b, body: { labels: {}, team_id: ids.a } })).status, 404);
  assert.equal((await api.call('POST', '/v1/routing-policies/test', { token: tokens.viewer_b, body: { labels: { team: names.a } } })).status, 404);
  assert.equal((await api.call('POST', '/v1/routing-policies/test', { token: tokens.viewer, body: { labels: { team: names.a } } })).status, 200);
  assert.equal((await api.call('POST', '/v1/routing-policies/test', { token: tokens.viewer_b, body: { labels: { impact: 'multi-service' } } })).status, 200, 'the organization tree is readable by all');
  assert.equal((await api.call('POST', '/v1/routing-policies/test', { token: tokens.viewer_b, body: { labels: { team: 'no-such-team' } } })).status, 200, 'a team label naming no team routes through the organization tree');
  const bad: Array<[unknown, number]> = [
    [{}, 422],
    [{ labels: { team: 1 } }, 422],
    [{ labels: {}, at: 'yesterday' }, 422],
    [{ labels: {}, extra: true }, 422],
    [{ labels: { 'bad key': 'x' } }, 422],
    [{ labels: {}, team_id: 'team_01JD8Z3Q4M5N6P7R8S9T0VWXYZ' }, 404],
  ];
  for (const [body, status] of bad) {
    const res = await api.call('POST', '/v1/routing-policies/test', { body });
    assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.ok(res.body.detail.length > 10);
  }
});

test('silences: a team silence mutes its team\'s matching alerts only, is listed by state and expires early through ends_at', { skip }, async () => {
  const now = Date.now();
  const silence = await expectOk(api, 'POST', '/v1/silences', tokens.team_editor, {
    team_id: ids.a, matchers: [{ label: 'service', operator: '=', value: 'checkout' }], starts_at: new Date(now - 1000).toISOString(), ends_at: new Date(now + 3_600_000).toISOString(), comment: 'CHG-1234 checkout migration',
  });
  assert.equal(silence.state, 'active');
  assert.equal(silence.scope, 'team');
  assert.equal(silence.created_by.type, 'api_token');
  assert.match(silence.created_by.name, /^team_editor-/);
  const muted = await routeOf({ labels: { team: names.a, service: 'checkout' } });
  assert.equal(muted.muted, true);
  assert.deepEqual(muted.routes[0].muted_by, [{ kind: 'silence', id: silence.id }]);
  assert.equal((await routeOf({ labels: { team: names.a, service: 'web' } })).muted, false, 'matchers must match');
  assert.equal((await routeOf({ labels: { team: names.b, service: 'checkout' } })).muted, false, 'another team\'s alert');
  assert.equal((await routeOf({ labels: { team: names.a, service: 'checkout' }, at: new Date(now + 7_200_000).toISOString() })).muted, false, 'after ends_at');

  const pending = await expectOk(api, 'POST', '/v1/silences', admin, {
    team_id: ids.a, matchers: [{ label: 'severity', operator: '=~', value: 'warning|info' }], starts_at: new Date(now + 86_400_000).toISOString(), ends_at: new Date(now + 90_000_000).toISOString(), comment: 'tomorrow',
  });
  assert.equal(pending.state, 'pending');
  const listed = async (state: string) => (await api.call('GET', `/v1/silences?state=${state}&team_id=${ids.a}`)).body.items.map((s: any) => s.id);
  assert.deepEqual(await listed('active'), [silence.id]);
  assert.deepEqual(await listed('pending'), [pending.id]);
  assert.deepEqual(await listed('expired'), []);
  assert.ok(!(await api.call('GET', '/v1/silences', { token: tokens.viewer_b })).body.items.some((s: any) => s.team_id === ids.a), 'other teams do not see it');

  // Expire early: ends_at = now. The silence stays, as expired, and no longer mutes.
  const expired = await api.call('PATCH', `/v1/silences/${silence.id}`, { token: tokens.team_editor, body: { ends_at: new Date().toISOString() }, headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(expired.status, 200, JSON.stringify(expired.body));
  assert.equal(expired.body.state, 'expired');
  assert.equal(expired.body.comment, 'CHG-1234 checkout migration');
  assert.deepEqual(await listed('expired'), [silence.id]);
  assert.equal((await routeOf({ labels: { team: names.a, service: 'checkout' } })).muted, false);

  // A viewer cannot silence; DELETE removes it.
  assert.equal((await api.call('POST', '/v1/silences', { token: tokens.viewer, body: { team_id: ids.a, matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: new Date(now).toISOString(), ends_at: new Date(now + 60_000).toISOString(), comment: 'x' } })).status, 403);
  assert.equal((await api.call('DELETE', `/v1/silences/${pending.id}`, { token: tokens.team_editor })).status, 204);
  assert.equal((await api.call('GET', `/v1/silences/${pending.id}`)).status, 404);
  const audit = await api.call('GET', `/v1/audit?resource_type=silence&resource_id=${silence.id}`);
  assert.deepEqual(audit.body.items.map((e: any) => e.action).sort(), ['create', 'update']);
});

test('organization silences mute every team\'s alerts and need an org admin', { skip }, async () => {
  const body = { scope: 'organization', matchers: [{ label: 'alertname', operator: '=', value: 'NoisyRule' }], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 600_000).toISOString(), comment: 'INC-9' };
  assert.equal((await api.call('POST', '/v1/silences', { token: tokens.team_admin, body })).status, 403);
  const s = await expectOk(api, 'POST', '/v1/silences', admin, body);
  assert.equal(s.team_id, undefined);
  for (const team of [names.a, names.b, names.c]) {
    const r = await routeOf({ labels: { team: team!, alertname: 'NoisyRule', impact: 'multi-service' } });
    assert.equal(r.muted, true, `team ${team}`);
    assert.deepEqual(r.routes[0].muted_by, [{ kind: 'silence', id: s.id }]);
  }
  assert.ok((await api.call('GET', '/v1/silences?state=active', { token: tokens.viewer_b })).body.items.some((x: any) => x.id === s.id), 'visible to every team');
  assert.equal((await api.call('DELETE', `/v1/silences/${s.id}`, { token: tokens.team_admin })).status, 403);
  assert.equal((await api.call('DELETE', `/v1/silences/${s.id}`)).status, 204);
});

test('a team that still owns a silence cannot be deleted; the answer names the silences', { skip }, async () => {
  const team = await post('/v1/teams', { name: unique('short-lived') });
  const silence = await post('/v1/silences', { team_id: team, matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 60_000).toISOString(), comment: 'x' });
  const refused = await api.call('DELETE', `/v1/teams/${team}`);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.detail, /1 silences/);
  await expectOk(api, 'DELETE', `/v1/silences/${silence}`, admin);
  assert.equal((await api.call('DELETE', `/v1/teams/${team}`)).status, 204);
});

test('silence validation: ends_at after starts_at, at least one matcher, a safe regex, a visible team; nothing is stored', { skip }, async () => {
  const before = await countRows('silences');
  const soon = new Date(Date.now() + 60_000).toISOString();
  const start = new Date().toISOString();
  const cases: Array<[string, unknown, string]> = [
    ['ends before it starts', { team_id: ids.a, matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: soon, ends_at: new Date(Date.now() - 60_000).toISOString(), comment: 'x' }, '/ends_at'],
    ['no matchers', { team_id: ids.a, matchers: [], starts_at: start, ends_at: soon, comment: 'x' }, '/matchers'],
    ['a regex that does not compile', { team_id: ids.a, matchers: [{ label: 'a', operator: '!~', value: '[' }], starts_at: start, ends_at: soon, comment: 'x' }, '/matchers/0/value'],
    ['an empty comment', { team_id: ids.a, matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: start, ends_at: soon, comment: '' }, '/comment'],
    ['a team silence without team_id', { matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: start, ends_at: soon, comment: 'x' }, '/team_id'],
    ['no starts_at', { team_id: ids.a, matchers: [{ label: 'a', operator: '=', value: 'b' }], ends_at: soon, comment: 'x' }, '/starts_at'],
    ['an unknown team', { team_id: 'team_01JD8Z3Q4M5N6P7R8S9T0VWXYZ', matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: start, ends_at: soon, comment: 'x' }, '/team_id'],
    ['created_by is read-only', { team_id: ids.a, matchers: [{ label: 'a', operator: '=', value: 'b' }], starts_at: start, ends_at: soon, comment: 'x', created_by: { type: 'user', id: 'u', name: 'someone' } }, ''],
  ];
  for (const [name, body, pointer] of cases) {
    const res = await api.call('POST', '/v1/silences', { body });
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.code, 'validation_failed');
    if (pointer) assert.ok(res.body.errors.some((e: any) => e.pointer === pointer), `${name}: ${JSON.stringify(res.body.errors)}`);
  }
  assert.equal(await countRows('silences'), before);
});

test('maintenance windows with mute_notifications mute the services they cover; a route\'s mute time windows mute by time', { skip }, async () => {
  const now = Date.now();
  const span = { starts_at: new Date(now - 60_000).toISOString(), ends_at: new Date(now + 3_600_000).toISOString() };
  const covering = await post('/v1/maintenance-windows', { name: unique('mw'), team_id: ids.a, service_ids: [ids.checkout!], ...span });
  const r = await routeOf({ labels: { team: names.a, service: names.checkout!, alertname: 'Down' } });
  assert.deepEqual(r.routes[0].muted_by.map((b: any) => [b.kind, b.id]), [['maintenance_window', covering]]);
  assert.equal((await routeOf({ labels: { team: names.a, service: 'other' } })).muted, false, 'a service the window does not cover');
  await expectOk(api, 'PATCH', `/v1/maintenance-windows/${covering}`, admin, { mute_notifications: false });
  assert.equal((await routeOf({ labels: { team: names.a, service: names.checkout! } })).muted, false, 'mute_notifications false');

  const quiet = await post('/v1/maintenance-windows', { name: unique('quiet-hours'), team_id: ids.b, mute_notifications: false, ...span });
  const policy = await post('/v1/routing-policies', { name: unique('quiet'), team_id: ids.b, priority: 0, matchers: [{ label: 'severity', operator: '=', value: 'info' }], mute_time_window_ids: [quiet] });
  const q = await routeOf({ labels: { team: names.b, severity: 'info' } });
  assert.deepEqual(q.routes[0].policies.map((p: any) => p.id), [policy]);
  assert.deepEqual(q.routes[0].channels, [], 'no channels of its own and no parent: routed nowhere');
  assert.deepEqual(q.routes[0].muted_by, [{ kind: 'mute_time_window', id: quiet, name: (await api.call('GET', `/v1/maintenance-windows/${quiet}`)).body.name }]);
  assert.equal((await routeOf({ labels: { team: names.b, severity: 'info' }, at: new Date(now + 7_200_000).toISOString() })).muted, false, 'outside the window');
});
