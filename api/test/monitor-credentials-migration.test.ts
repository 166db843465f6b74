import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { up } from '../src/db/migrations/2026-12-01T0900-monitor-credentials-to-secrets.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// Monitors written before secret headers existed keep credentials in their visible document (plain
// headers, URL userinfo) and in the audit log's copies of it. The migration moves them into the
// write-only secrets and blanks the audit copies, so an upgrade stops showing them at once.

describe('migration of monitor credentials on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let service: string;
  before(async () => {
    api = await startTestApi();
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
  });
  after(async () => api?.close());

  // Writes a document as the API stored it before this release (the API now refuses it).
  const legacy = async (id: string, spec: Record<string, unknown>) => {
    await api.database.db.updateTable('monitors').set({ spec: JSON.stringify(spec) as never }).where('id', '=', id).execute();
    await api.database.db.updateTable('audit_entries').set({ after: JSON.stringify(spec) as never }).where('resource_id', '=', id).execute();
  };
  const row = async (id: string) => api.database.db.selectFrom('monitors').select(['spec', 'secrets', 'version']).where('id', '=', id).executeTakeFirstOrThrow();

  test('credentials move to secret headers, URLs lose their userinfo, audit copies are blanked; a second run changes nothing', async () => {
    const http = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', http: { url: 'https://api.example.com/health' } });
    const flow = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('f'), service_id: service, type: 'multistep', steps: [{ name: 'login', url: 'https://api.example.com/login' }] });
    await legacy(http.id, { ...(await row(http.id)).spec, http: { url: 'https://ops:hunter%202@api.example.com/health', headers: { accept: 'application/json', 'X-Api-Key': 'k-legacy-1' } } });
    await legacy(flow.id, { ...(await row(flow.id)).spec, steps: [{ name: 'login', url: 'https://api.example.com/login', headers: { Cookie: 'sid=legacy-cookie' } }] });

    await up(api.database.db as unknown as Kysely<unknown>);

    const migrated = await row(http.id);
    assert.deepEqual(migrated.spec.http, { url: 'https://api.example.com/health', headers: { accept: 'application/json' } });
    assert.deepEqual(migrated.secrets, { http: { 'X-Api-Key': 'k-legacy-1', Authorization: `Basic ${Buffer.from('ops:hunter 2').toString('base64')}` } });
    assert.equal(migrated.version, 2, 'the visible document changed, so its version did');
    assert.deepEqual((await row(flow.id)).secrets, { steps: { login: { Cookie: 'sid=legacy-cookie' } } });

    const shown = JSON.stringify([
      (await api.call('GET', `/v1/monitors/${http.id}`)).body,
      (await api.call('GET', `/v1/monitors/${flow.id}`)).body,
      (await api.call('GET', '/v1/audit?resource_type=monitor&limit=200')).body,
    ]);
    for (const secret of ['hunter', 'k-legacy-1', 'legacy-cookie']) assert.ok(!shown.includes(secret), `${secret} is no longer shown`);
    assert.match(shown, /http\.secret_headers\.X-Api-Key/);
    assert.match(shown, /steps\.login\.secret_headers\.Cookie/);
    const edit = await api.call('PATCH', `/v1/monitors/${http.id}`, { body: { description: 'edited after the upgrade' } });
    assert.equal(edit.status, 200, `a migrated monitor can be edited: ${JSON.stringify(edit.body)}`);

    const again = await row(http.id);
    await up(api.database.db as unknown as Kysely<unknown>);
    assert.deepEqual(await row(http.id), again, 'a second run finds nothing to move');
  });
});
