import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// /v1/discovery/sources on a real Postgres: an agent's report is stored and read back as sent,
// replaced by the next one, shown stale after 5 minutes of silence; bad reports are 422 naming the
// field and change nothing; viewers read only, org admins delete; every write is audited.

const skip = postgresSkip();
let api: TestApi;
const tokens = {} as { editor: string; viewer: string; teamAdmin: string };

const report = (over: Record<string, unknown> = {}) => ({
  cluster: 'prod-eu',
  agent_version: '0.1.0',
  last_sync_at: new Date().toISOString(),
  synced: true,
  objects_seen: 12,
  monitors_managed: 9,
  actions: { created: 2, updated: 1, deleted: 0, unchanged: 6 },
  errors: [{ kind: 'Service', namespace: 'shop', name: 'cart', code: 'unknown_team', message: 'pharos.dev/team "carts" is not a team of the organization.' }],
  ...over,
});

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('ds-team') })).id;
  for (const [key, role] of [['editor', 'team_editor'], ['viewer', 'viewer'], ['teamAdmin', 'team_admin']] as const) {
    tokens[key] = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique(role), role, team_id: team })).token;
  }
});
after(async () => api?.close());

test('an agent reports (201), reads it back, reports again (200, next version); the list pages in name order', { skip }, async () => {
  const name = unique('cluster-a');
  const sent = report();
  const first = await api.call('PUT', `/v1/discovery/sources/${name}`, { token: tokens.editor, body: sent });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.headers.get('etag'), '"1"');
  const { reported_by, created_at, updated_at, stale, version, name: stored, ...rest } = first.body;
  assert.deepEqual(rest, sent);
  assert.equal(stored, name);
  assert.equal(stale, false);
  assert.equal(version, 1);
  assert.equal(reported_by.type, 'api_token');
  assert.ok(Date.parse(updated_at) >= Date.parse(created_at));

  const second = await api.call('PUT', `/v1/discovery/sources/${name}`, { token: tokens.editor, body: report({ synced: false, errors: [], cluster: undefined }), headers: { 'if-match': '"1"' } });
  assert.equal(second.status, 200);
  assert.equal(second.body.version, 2);
  assert.equal(second.body.synced, false);
  assert.deepEqual(second.body.errors, []);
  assert.equal(second.body.cluster, undefined);
  const stale409 = await api.call('PUT', `/v1/discovery/sources/${name}`, { token: tokens.editor, body: report(), headers: { 'if-match': '"1"' } });
  assert.equal(stale409.status, 412);

  const got = await api.call('GET', `/v1/discovery/sources/${name}`, { token: tokens.viewer });
  assert.equal(got.status, 200);
  assert.equal(got.body.version, 2);

  const names = [unique('b'), unique('c')];
  for (const n of names) await expectOk(api, 'PUT', `/v1/discovery/sources/${n}`, tokens.editor, report());
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/v1/discovery/sources?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.viewer });
    assert.equal(page.status, 200);
    seen.push(...page.body.items.map((s: { name: string }) => s.name));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, [...seen].sort());
  for (const n of [name, ...names]) assert.ok(seen.includes(n));
});

test('a source not reported for 5 minutes is stale', { skip }, async () => {
  const name = unique('quiet');
  await expectOk(api, 'PUT', `/v1/discovery/sources/${name}`, tokens.editor, report());
  await api.database.db.updateTable('discovery_sources').set({ updated_at: new Date(Date.now() - 5 * 60_000 - 1000) }).where('name', '=', name).execute();
  assert.equal((await api.call('GET', `/v1/discovery/sources/${name}`)).body.stale, true);
  await expectOk(api, 'PUT', `/v1/discovery/sources/${name}`, tokens.editor, report());
  assert.equal((await api.call('GET', `/v1/discovery/sources/${name}`)).body.stale, false);
});

test('bad reports are 422 naming the field and store nothing', { skip }, async () => {
  const name = unique('bad');
  const tooMany = Array.from({ length: 501 }, (_, i) => ({ kind: 'Service', namespace: 'ns', name: `svc-${i}`, code: 'invalid_interval', message: 'pharos.dev/interval "fast" is not a duration.' }));
  const cases: Array<[Record<string, unknown>, string]> = [
    [report({ errors: tooMany }), '/errors'],
    [report({ last_sync_at: new Date(Date.now() + 3_600_000).toISOString() }), '/last_sync_at'],
    [report({ last_sync_at: 'yesterday' }), '/last_sync_at'],
    [report({ objects_seen: -1 }), '/objects_seen'],
    [report({ actions: { created: 1 } }), '/actions'],
    [report({ errors: [{ kind: 'Service', namespace: 'ns', name: 'x', code: 'Bad Code', message: 'm' }] }), '/errors/0/code'],
    [report({ extra: true }), ''],
    [{ ...report(), agent_version: undefined }, ''],
  ];
  for (const [body, pointer] of cases) {
    const res = await api.call('PUT', `/v1/discovery/sources/${name}`, { token: tokens.editor, body });
    assert.equal(res.status, 422, `${pointer}: ${JSON.stringify(res.body).slice(0, 300)}`);
    assert.equal(res.body.code, 'validation_failed');
    if (pointer) assert.ok(res.body.errors.some((e: { pointer: string }) => e.pointer.startsWith(pointer)), `${pointer} named: ${JSON.stringify(res.body.errors)}`);
  }
  const badName = await api.call('PUT', '/v1/discovery/sources/no%20spaces', { token: tokens.editor, body: report() });
  assert.ok(badName.status === 422 || badName.status === 400, `bad name: ${badName.status}`);
  assert.equal((await api.call('GET', `/v1/discovery/sources/${name}`)).status, 404);
  assert.equal(Number((await api.database.db.selectFrom('discovery_sources').select((eb) => eb.fn.countAll().as('n')).where('name', '=', name).executeTakeFirstOrThrow()).n), 0);
});

test('viewers cannot report, only org admins delete, and every write is in the audit log', { skip }, async () => {
  const name = unique('roles');
  const viewer = await api.call('PUT', `/v1/discovery/sources/${name}`, { token: tokens.viewer, body: report() });
  assert.equal(viewer.status, 403);
  assert.match(viewer.body.detail, /team_editor/);
  await expectOk(api, 'PUT', `/v1/discovery/sources/${name}`, tokens.teamAdmin, report());
  for (const token of [tokens.editor, tokens.teamAdmin, tokens.viewer]) {
    assert.equal((await api.call('DELETE', `/v1/discovery/sources/${name}`, { token })).status, 403);
  }
  assert.equal((await api.call('DELETE', `/v1/discovery/sources/${name}`)).status, 204);
  assert.equal((await api.call('GET', `/v1/discovery/sources/${name}`)).status, 404);
  assert.equal((await api.call('DELETE', `/v1/discovery/sources/${name}`)).status, 404);
  const audit = (await api.call('GET', `/v1/audit?resource_type=discovery_source&resource_id=${name}&limit=10`)).body.items as Array<{ action: string }>;
  assert.deepEqual(audit.map((e) => e.action), ['delete', 'create']);
});
