import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { IncidentSettingsInput } from '../src/contract/incident-settings.schema.ts';
import { IncidentSettingsRepository, incidentSettingsOf } from '../src/modules/incidents/incident-settings.repository.ts';
import { defaultIncidentSettings } from '../src/modules/incidents/incident-settings.ts';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { createOrganization, expectOk, unique } from './support/world.ts';

// GET/PUT /v1/incident-settings on a real PostgreSQL: the defaults before any write, PUT replacing
// the whole document, bad input refused with problem+json and nothing changed, org admins only
// writing, If-Match, the audit entry, and the repository the incident correlator reads.

const problemType = 'application/problem+json; charset=utf-8';

test('the contract defaults are the defaults the correlator uses', () => {
  assert.deepEqual(Value.Default(IncidentSettingsInput, {}), defaultIncidentSettings);
});

test('a stored spec is read field by field; a wrong or out-of-bounds value reads as its default', () => {
  const cases: Array<[unknown, Partial<typeof defaultIncidentSettings>]> = [
    [null, {}],
    [[], {}],
    ['text', {}],
    [{}, {}],
    [{ correlation_window_seconds: 60 }, { correlation_window_seconds: 60 }],
    [{ correlation_window_seconds: 0, resolve_after_seconds: 0, root_cause_grace_seconds: 0, auto_resolve: false }, { correlation_window_seconds: 0, resolve_after_seconds: 0, root_cause_grace_seconds: 0, auto_resolve: false }],
    [{ correlation_window_seconds: 3601 }, {}],
    [{ resolve_after_seconds: 86400 }, { resolve_after_seconds: 86400 }],
    [{ resolve_after_seconds: 86401 }, {}],
    [{ root_cause_grace_seconds: -1 }, {}],
    [{ root_cause_grace_seconds: 1.5 }, {}],
    [{ correlation_window_seconds: '60' }, {}],
    [{ auto_resolve: 'false' }, {}],
    [{ unknown: 1, resolve_after_seconds: 30 }, { resolve_after_seconds: 30 }],
  ];
  for (const [spec, expected] of cases) assert.deepEqual(incidentSettingsOf(spec), { ...defaultIncidentSettings, ...expected }, JSON.stringify(spec));
});

const skip = postgresSkip();

describe('incident settings over HTTP', { skip }, () => {
  let api: TestApi;
  const tokens: Record<'team_admin' | 'team_editor' | 'viewer', string> = { team_admin: '', team_editor: '', viewer: '' };
  const repo = new IncidentSettingsRepository();
  const auditEntries = async () => (await expectOk(api, 'GET', '/v1/audit?resource_type=incident_settings&limit=50', api.adminToken)).items as any[];

  before(async () => {
    api = await startTestApi({ backend: 'postgres' });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('team') })).id;
    for (const role of ['team_admin', 'team_editor', 'viewer'] as const) tokens[role] = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique(role), role, team_id: team })).token;
  });
  after(async () => api?.close());

  test('before any write: the defaults, version 0, no updated_at, for every role', async () => {
    for (const token of [api.adminToken, ...Object.values(tokens)]) {
      const res = await api.call('GET', '/v1/incident-settings', { token });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ...defaultIncidentSettings, version: 0, managed_by: 'api' });
      assert.equal(res.headers.get('etag'), '"0"');
    }
    assert.deepEqual(await repo.get(api.database.db, api.orgId), defaultIncidentSettings);
  });

  test('bad input is refused with problem+json naming each field, and changes nothing', async () => {
    const bad: Array<[unknown, string, RegExp]> = [
      [{ correlation_window_seconds: 3601 }, '/correlation_window_seconds', /<= 3600/],
      [{ correlation_window_seconds: -1 }, '/correlation_window_seconds', />= 0/],
      [{ resolve_after_seconds: 86401 }, '/resolve_after_seconds', /<= 86400/],
      [{ root_cause_grace_seconds: 3601 }, '/root_cause_grace_seconds', /<= 3600/],
      [{ root_cause_grace_seconds: 1.5 }, '/root_cause_grace_seconds', /integer/],
      [{ resolve_after_seconds: '30' }, '/resolve_after_seconds', /integer/],
      [{ auto_resolve: 'yes' }, '/auto_resolve', /boolean/],
      [{ correlation_window: 60 }, '/correlation_window', /Unknown field "correlation_window"; remove it\. Known fields: correlation_window_seconds, auto_resolve, resolve_after_seconds, root_cause_grace_seconds/],
    ];
    for (const [body, pointer, message] of bad) {
      const res = await api.call('PUT', '/v1/incident-settings', { body });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.headers.get('content-type'), problemType);
      assert.equal(res.body.code, 'validation_failed');
      const error = (res.body.errors as Array<{ pointer: string; message: string }>).find((e) => e.pointer === pointer);
      assert.ok(error, `${JSON.stringify(body)}: an error at ${pointer} in ${JSON.stringify(res.body.errors)}`);
      assert.match(error.message, message);
    }
    const notJson = await api.call('PUT', '/v1/incident-settings', { raw: '[1,', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers.get('content-type'), problemType);
    assert.equal((await api.call('GET', '/v1/incident-settings')).body.version, 0);
    assert.deepEqual(await auditEntries(), []);
    assert.equal((await api.database.db.selectFrom('incident_settings').selectAll().execute()).length, 0);
  });

  test('team admins, team editors and viewers may not write; nothing changes', async () => {
    for (const [role, token] of Object.entries(tokens)) {
      const res = await api.call('PUT', '/v1/incident-settings', { token, body: { correlation_window_seconds: 60 } });
      assert.equal(res.status, 403, role);
      assert.equal(res.headers.get('content-type'), problemType);
      assert.equal(res.body.code, 'forbidden');
      assert.match(res.body.detail, /Only an org admin can change the incident settings/);
    }
    assert.deepEqual((await api.call('GET', '/v1/incident-settings')).body, { ...defaultIncidentSettings, version: 0, managed_by: 'api' });
  });

  test('PUT replaces the whole document (a missing field takes its default), versioned, audited, read by the repository', async () => {
    const first = await api.call('PUT', '/v1/incident-settings', { body: { correlation_window_seconds: 120, resolve_after_seconds: 30, auto_resolve: false }, headers: { 'if-match': '"0"' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.headers.get('etag'), '"1"');
    const { updated_at, ...written } = first.body;
    assert.deepEqual(written, { correlation_window_seconds: 120, auto_resolve: false, resolve_after_seconds: 30, root_cause_grace_seconds: 120, version: 1, managed_by: 'api' });
    assert.ok(Math.abs(Date.parse(updated_at) - Date.now()) < 60_000);
    assert.deepEqual((await api.call('GET', '/v1/incident-settings', { token: tokens.viewer })).body, first.body);
    await api.database.db.transaction().execute(async (trx) => {
      assert.deepEqual(await repo.get(trx, api.orgId), { correlation_window_seconds: 120, auto_resolve: false, resolve_after_seconds: 30, root_cause_grace_seconds: 120 });
    });

    const second = await api.call('PUT', '/v1/incident-settings', { body: { root_cause_grace_seconds: 0 } });
    assert.equal(second.status, 200);
    assert.deepEqual({ ...second.body, updated_at: undefined }, { ...defaultIncidentSettings, root_cause_grace_seconds: 0, version: 2, updated_at: undefined, managed_by: 'api' });
    assert.deepEqual(await repo.get(api.database.db, api.orgId), { ...defaultIncidentSettings, root_cause_grace_seconds: 0 });

    const entries = await auditEntries();
    assert.equal(entries.length, 2);
    const [latest, earliest] = entries;
    assert.deepEqual([earliest.action, earliest.resource_type, earliest.resource_id, earliest.actor.type], ['update', 'incident_settings', api.orgId, 'api_token']);
    assert.deepEqual(earliest.before, { ...defaultIncidentSettings, version: 0, managed_by: 'api' });
    assert.deepEqual(earliest.after, first.body);
    assert.deepEqual(latest.before, first.body);
    assert.deepEqual(latest.after, second.body);
  });

  test('If-Match: a stale version is refused with 412 and changes nothing; the current one writes', async () => {
    const current = (await api.call('GET', '/v1/incident-settings')).body;
    const stale = await api.call('PUT', '/v1/incident-settings', { body: { correlation_window_seconds: 30 }, headers: { 'if-match': `"${current.version - 1}"` } });
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.get('content-type'), problemType);
    assert.equal(stale.body.code, 'precondition_failed');
    assert.match(stale.body.detail, new RegExp(`now version ${current.version}, you sent ${current.version - 1}`));
    assert.deepEqual((await api.call('GET', '/v1/incident-settings')).body, current);
    const fresh = await api.call('PUT', '/v1/incident-settings', { body: { correlation_window_seconds: 30 }, headers: { 'if-match': `"${current.version}"` } });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.correlation_window_seconds, 30);
    assert.equal(fresh.body.version, current.version + 1);
  });

  test('each organization has its own settings; two first writes with If-Match "0" at once: one wins, the other gets 412', async () => {
    const other = await createOrganization(api);
    assert.deepEqual((await api.call('GET', '/v1/incident-settings', { token: other.adminToken })).body, { ...defaultIncidentSettings, version: 0, managed_by: 'api' });
    const writes = await Promise.all([60, 90].map((seconds) => api.call('PUT', '/v1/incident-settings', { token: other.adminToken, body: { correlation_window_seconds: seconds }, headers: { 'if-match': '"0"' } })));
    assert.deepEqual(writes.map((w) => w.status).sort(), [200, 412]);
    const winner = writes.find((w) => w.status === 200)!.body;
    assert.deepEqual((await api.call('GET', '/v1/incident-settings', { token: other.adminToken })).body, winner);
    assert.equal(winner.version, 1);
    // The first organization's settings are untouched.
    assert.equal((await api.call('GET', '/v1/incident-settings')).body.correlation_window_seconds, 30);
    assert.deepEqual(await repo.get(api.database.db, other.orgId), { ...defaultIncidentSettings, correlation_window_seconds: winner.correlation_window_seconds });
  });
});
