import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';

// GET /v1/me: what the console asks first, to know who is signed in and what to offer.

const skip = postgresSkip();
let api: TestApi;
before(async () => {
  if (!skip) api = await startTestApi();
});
after(async () => api?.close());

test('the admin token is an org admin; a team token names its team, role and expiry; no token is 401', { skip }, async () => {
  const admin = await api.call('GET', '/v1/me');
  assert.equal(admin.status, 200);
  assert.equal(admin.body.org_admin, true);
  assert.equal(admin.body.kind, 'api_token');
  assert.deepEqual(admin.body.teams, []);
  assert.equal(admin.body.expires_at, null);

  const team = (await api.call('POST', '/v1/teams', { body: { name: 'whoami-team' } })).body;
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const token = (await api.call('POST', '/v1/tokens', { body: { name: 'whoami-viewer', role: 'viewer', team_id: team.id, expires_at: expires } })).body;
  const viewer = await api.call('GET', '/v1/me', { token: token.token });
  assert.equal(viewer.status, 200);
  assert.equal(viewer.body.org_admin, false);
  assert.equal(viewer.body.name, 'whoami-viewer');
  assert.deepEqual(viewer.body.teams, [{ id: team.id, name: 'whoami-team', role: 'viewer' }]);
  assert.equal(Date.parse(viewer.body.expires_at), Date.parse(expires));

  const anonymous = await api.call('GET', '/v1/me', { token: null });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.code, 'unauthorized');
});
