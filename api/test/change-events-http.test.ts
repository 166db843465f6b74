import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ChangeEventRepository } from '../src/modules/change-events/change-event.repository.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, createOrganization, expectOk, unique } from './support/world.ts';

// POST/GET /v1/events on a real Postgres: what CI/CD reports after a deploy is stored once, found
// by the filters, scoped to the teams the caller can read, and bad input is a problem naming the
// field and changes nothing.

const skip = postgresSkip();
let api: TestApi;
const ids = {} as { team: string; otherTeam: string; service: string; serviceName: string; otherService: string; editor: string; viewer: string; otherEditor: string };
const M = 60_000;

const count = async () => Number((await api.database.db.selectFrom('change_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('ce-team') })).id;
  ids.otherTeam = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('ce-other') })).id;
  const service = await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team));
  ids.service = service.id;
  ids.serviceName = service.name;
  ids.otherService = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.otherTeam))).id;
  ids.editor = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('ci'), role: 'team_editor', team_id: ids.team })).token;
  ids.viewer = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('view'), role: 'viewer', team_id: ids.team })).token;
  ids.otherEditor = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('ci2'), role: 'team_editor', team_id: ids.otherTeam })).token;
});
after(async () => api?.close());

test('a team editor reports a deploy by service name; it is stored with the service, the team and who reported it', { skip }, async () => {
  const at = new Date(Date.now() - 3 * M).toISOString();
  const res = await api.call('POST', '/v1/events', { token: ids.editor, body: { service: ids.serviceName, kind: 'deploy', version: 'v2.4.1', actor: 'github-actions', link: 'https://github.com/acme/shop/actions/runs/42', description: 'Release 2.4.1', at } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.headers.get('location'), `/v1/events/${res.body.id}`);
  assert.match(res.body.id, /^chg_/);
  assert.deepEqual({ ...res.body, id: undefined, created_at: undefined, created_by: { ...res.body.created_by, id: undefined } }, {
    id: undefined, created_at: undefined, service_id: ids.service, service_name: ids.serviceName, team_id: ids.team, kind: 'deploy', version: 'v2.4.1', actor: 'github-actions',
    link: 'https://github.com/acme/shop/actions/runs/42', description: 'Release 2.4.1', at, created_by: { type: 'api_token', id: undefined, name: res.body.created_by.name },
  });
  const got = await api.call('GET', `/v1/events/${res.body.id}`, { token: ids.viewer });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, res.body);
  const audit = await api.database.db.selectFrom('audit_entries').select(['action', 'team_id']).where('resource_id', '=', res.body.id).execute();
  assert.deepEqual(audit, [{ action: 'create', team_id: ids.team }]);
});

test('by service id with only the kind: at defaults to now', { skip }, async () => {
  const before = Date.now();
  const res = await api.call('POST', '/v1/events', { token: ids.editor, body: { service: ids.service, kind: 'config_change' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const at = Date.parse(res.body.at);
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, res.body.at);
  assert.equal(res.body.version, undefined);
});

test('bad input answers problem+json naming the field and what to do, and stores nothing', { skip }, async () => {
  const n = await count();
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['unknown service', { service: 'no-such-service', kind: 'deploy' }, '/service', /No service "no-such-service" exists/],
    ['bad kind', { service: ids.service, kind: 'release' }, '/kind', /deploy, config_change, feature_flag, rollback, other/],
    ['bad URL', { service: ids.service, kind: 'deploy', link: 'ftp://example.com/x' }, '/link', /http:\/\/ or https:\/\//],
    ['not a URL', { service: ids.service, kind: 'deploy', link: 'see the pipeline' }, '/link', /http:\/\/ or https:\/\//],
    ['version too long', { service: ids.service, kind: 'deploy', version: 'v'.repeat(201) }, '/version', /more than 200 characters/],
    ['actor with a line break', { service: ids.service, kind: 'deploy', actor: 'ci\nrm -rf' }, '/actor', /no line breaks/],
    ['description too long', { service: ids.service, kind: 'deploy', description: 'x'.repeat(1001) }, '/description', /1000/],
    ['at far in the future', { service: ids.service, kind: 'deploy', at: new Date(Date.now() + 10 * M).toISOString() }, '/at', /more than 5 minutes ahead/],
    ['at older than 30 days', { service: ids.service, kind: 'deploy', at: new Date(Date.now() - 31 * 24 * 60 * M).toISOString() }, '/at', /more than 30 days ago/],
    ['at not a time', { service: ids.service, kind: 'deploy', at: 'yesterday' }, '/at', /date-time/],
    ['unknown field', { service: ids.service, kind: 'deploy', commit: 'abc' }, '/commit', /Unknown field "commit"/],
    ['missing kind', { service: ids.service }, '/kind', /required/],
  ];
  for (const [name, body, pointer, message] of cases) {
    const res = await api.call('POST', '/v1/events', { token: ids.editor, body });
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(res.body.code, 'validation_failed', name);
    const error = (res.body.errors as Array<{ pointer: string; message: string }>).find((e) => e.pointer === pointer);
    assert.ok(error, `${name}: an error at ${pointer} in ${JSON.stringify(res.body.errors)}`);
    assert.match(error.message, message, name);
  }
  assert.equal(await count(), n);
});

test('who may report: a viewer is refused (403), another team\'s editor does not see the service (422), another organization neither', { skip }, async () => {
  const n = await count();
  const viewer = await api.call('POST', '/v1/events', { token: ids.viewer, body: { service: ids.service, kind: 'deploy' } });
  assert.equal(viewer.status, 403);
  assert.match(viewer.body.detail, /team_editor/);
  const other = await api.call('POST', '/v1/events', { token: ids.otherEditor, body: { service: ids.serviceName, kind: 'deploy' } });
  assert.equal(other.status, 422);
  assert.match(other.body.errors[0].message, /No service/);
  const org = await createOrganization(api);
  const foreign = await api.call('POST', '/v1/events', { token: org.adminToken, body: { service: ids.service, kind: 'deploy' } });
  assert.equal(foreign.status, 422);
  assert.equal(await count(), n);
});

test('Idempotency-Key: a retried report is stored once and replays the first answer; another body with the key is refused', { skip }, async () => {
  const n = await count();
  const key = `deploy-${unique('run')}`;
  const body = { service: ids.service, kind: 'deploy', version: 'v9' };
  const first = await api.call('POST', '/v1/events', { token: ids.editor, body, headers: { 'idempotency-key': key } });
  assert.equal(first.status, 201);
  const again = await api.call('POST', '/v1/events', { token: ids.editor, body, headers: { 'idempotency-key': key } });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.body.id, first.body.id);
  const changed = await api.call('POST', '/v1/events', { token: ids.editor, body: { ...body, version: 'v10' }, headers: { 'idempotency-key': key } });
  assert.equal(changed.status, 422);
  assert.equal(changed.body.code, 'idempotency_key_reused');
  assert.equal(await count(), n + 1);
});

test('the list: newest first, filters by service (id or name), team, kind and time, cursor pages, team scoping', { skip }, async () => {
  const admin = api.adminToken;
  const svc = await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team));
  const base = Date.now() - 60 * M;
  const made: string[] = [];
  for (let i = 0; i < 5; i++) {
    made.push((await expectOk(api, 'POST', '/v1/events', ids.editor, { service: svc.id, kind: i % 2 ? 'rollback' : 'deploy', version: `v${i}`, at: new Date(base + i * M).toISOString() })).id);
  }
  await expectOk(api, 'POST', '/v1/events', ids.otherEditor, { service: ids.otherService, kind: 'feature_flag' });

  const all = await api.call('GET', `/v1/events?service=${svc.name}`, { token: ids.viewer });
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.items.map((e: { version: string }) => e.version), ['v4', 'v3', 'v2', 'v1', 'v0']);

  const pages: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/v1/events?service=${svc.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: ids.viewer });
    assert.equal(page.status, 200);
    pages.push(...page.body.items.map((e: { id: string }) => e.id));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.deepEqual(pages, [...made].reverse());

  const rollbacks = await api.call('GET', `/v1/events?service=${svc.id}&kind=rollback`, { token: ids.viewer });
  assert.deepEqual(rollbacks.body.items.map((e: { version: string }) => e.version), ['v3', 'v1']);
  const span = await api.call('GET', `/v1/events?service=${svc.id}&from=${encodeURIComponent(new Date(base + M).toISOString())}&to=${encodeURIComponent(new Date(base + 3 * M).toISOString())}`, { token: ids.viewer });
  assert.deepEqual(span.body.items.map((e: { version: string }) => e.version), ['v2', 'v1']);

  // A viewer of the team sees its events and none of the other team's; the org admin sees both.
  const mine = await api.call('GET', '/v1/events?limit=200', { token: ids.viewer });
  assert.ok(mine.body.items.every((e: { team_id: string }) => e.team_id === ids.team));
  const everything = await api.call('GET', `/v1/events?team_id=${ids.otherTeam}&limit=200`, { token: admin });
  assert.ok(everything.body.items.length >= 1 && everything.body.items.every((e: { team_id: string }) => e.team_id === ids.otherTeam));
  const hidden = await api.call('GET', `/v1/events?service=${ids.otherService}`, { token: ids.viewer });
  assert.equal(hidden.status, 422);
  const otherEvent = everything.body.items[0].id;
  assert.equal((await api.call('GET', `/v1/events/${otherEvent}`, { token: ids.viewer })).status, 404);

  const badCursor = await api.call('GET', '/v1/events?cursor=bm9wZQ', { token: ids.viewer });
  assert.equal(badCursor.status, 400);
  const backwards = await api.call('GET', `/v1/events?from=${encodeURIComponent(new Date(base).toISOString())}&to=${encodeURIComponent(new Date(base - M).toISOString())}`, { token: ids.viewer });
  assert.equal(backwards.status, 422);
});

test('ChangeEventRepository.near: the events of some services in a span, oldest first', { skip }, async () => {
  const svc = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(ids.team));
  const base = Date.now() - 120 * M;
  for (const [minutes, version] of [[0, 'a'], [10, 'b'], [20, 'c'], [40, 'd']] as const) {
    await expectOk(api, 'POST', '/v1/events', ids.editor, { service: svc.id, kind: 'deploy', version, at: new Date(base + minutes * M).toISOString() });
  }
  const rows = await new ChangeEventRepository().near(api.database.db, api.orgId, [svc.id, ids.otherService], new Date(base + 5 * M), new Date(base + 20 * M));
  assert.deepEqual(rows.map((r) => [r.version, r.service_name, r.kind]), [['b', svc.name, 'deploy'], ['c', svc.name, 'deploy']]);
  assert.ok(rows[0]!.at instanceof Date);
  assert.deepEqual(await new ChangeEventRepository().near(api.database.db, api.orgId, [], new Date(0), new Date()), []);
});

test('the curl one-liner of docs/incidents.md reports a deploy', { skip }, async () => {
  const doc = readFileSync(new URL('../../docs/incidents.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Change events'));
  const command = /```sh\n([\s\S]*?)\n#/.exec(section)![1]!.replaceAll('http://localhost:8080', api.url);
  const service = await api.call('POST', '/v1/services', { body: { ...bodies.service(ids.team), name: 'fulfillment-routing' } });
  assert.equal(service.status, 201, JSON.stringify(service.body));
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH, PHAROS_TOKEN: ids.editor }, timeout: 10_000 });
  const created = JSON.parse(stdout);
  assert.equal(created.service_id, service.body.id);
  assert.equal(created.kind, 'deploy');
  assert.equal(created.version, 'v2.4.1');
  assert.equal((await api.call('GET', `/v1/events/${created.id}`, { token: ids.viewer })).status, 200);
});
