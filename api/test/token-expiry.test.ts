import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expiryError } from '../src/modules/tokens/token-expiry.rules.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// A token's expiry only moves earlier, never into the past, and an expired or revoked token stays
// dead: nobody, not even an org admin, can keep a leaked token alive by editing it.

const now = new Date('2030-06-01T12:00:00Z');
const at = (offsetHours: number) => new Date(now.getTime() + offsetHours * 3600_000);

test('expiryError: earlier or equal is fine; later, removed or past is refused with what to do', () => {
  const cases: Array<[string, Date | null, string | undefined, RegExp | undefined]> = [
    ['no expiry, none set', null, undefined, undefined],
    ['no expiry, one set', null, at(24).toISOString(), undefined],
    ['moved earlier', at(48), at(24).toISOString(), undefined],
    ['unchanged', at(48), at(48).toISOString(), undefined],
    ['extended', at(48), at(72).toISOString(), /only move earlier.*create a new token/],
    ['removed', at(48), undefined, /cannot be removed.*create a new token/],
    ['in the past', at(48), at(-1).toISOString(), /in the future.*revoke it/],
    ['now', null, now.toISOString(), /in the future/],
  ];
  for (const [name, current, next, message] of cases) {
    const error = expiryError(current, next, now);
    if (!message) assert.equal(error, undefined, name);
    else {
      assert.equal(error?.pointer, '/expires_at', name);
      assert.match(error!.message, message, name);
    }
  }
});

describe('token expiry on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let team: string;
  let teamAdmin: string;
  before(async () => {
    api = await startTestApi();
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    teamAdmin = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('ta'), role: 'team_admin', team_id: team })).token;
  });
  after(async () => api?.close());

  const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString().replace(/\.\d{3}Z$/, '.000Z');
  const create = async (expires_at?: string) => expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('ci'), role: 'viewer', team_id: team, ...(expires_at ? { expires_at } : {}) });
  const stored = async (id: string) => api.database.db.selectFrom('api_tokens').select(['expires_at', 'version', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
  const works = async (token: string) => (await api.call('GET', '/v1/teams', { token })).status === 200;

  test('extending, clearing or back-dating an expiry is refused for org and team admins and changes nothing', async () => {
    const expiry = inHours(24);
    const token = await create(expiry);
    const before = await stored(token.id);
    const attempts: Array<[string, string, 'PATCH' | 'PUT', Record<string, unknown>, RegExp]> = [
      ['org admin extends', api.adminToken, 'PATCH', { expires_at: inHours(24 * 365) }, /only move earlier/],
      ['team admin extends', teamAdmin, 'PATCH', { expires_at: inHours(48) }, /only move earlier/],
      ['org admin clears', api.adminToken, 'PATCH', { expires_at: null }, /cannot be removed/],
      ['team admin clears', teamAdmin, 'PATCH', { expires_at: null }, /cannot be removed/],
      ['PUT without expiry', teamAdmin, 'PUT', { name: token.name, role: 'viewer', team_id: team }, /cannot be removed/],
      ['back-dated', api.adminToken, 'PATCH', { expires_at: '2020-01-01T00:00:00Z' }, /in the future.*revoke/],
    ];
    for (const [what, caller, method, body, message] of attempts) {
      const res = await api.call(method, `/v1/tokens/${token.id}`, { token: caller, body });
      assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'validation_failed');
      assert.equal(res.body.errors[0].pointer, '/expires_at', what);
      assert.match(res.body.detail, message, what);
    }
    assert.deepEqual(await stored(token.id), before, 'nothing changed');
    assert.ok(await works(token.token), 'the token still works until its expiry');
  });

  test('an expiry can be set or moved earlier', async () => {
    const token = await create();
    const first = inHours(48);
    const set = await api.call('PATCH', `/v1/tokens/${token.id}`, { token: teamAdmin, body: { expires_at: first } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.expires_at, first);
    const earlier = inHours(2);
    const moved = await api.call('PATCH', `/v1/tokens/${token.id}`, { token: teamAdmin, body: { expires_at: earlier, name: 'ci-short' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.expires_at, moved.body.name], [earlier, 'ci-short']);
    const renamed = await api.call('PATCH', `/v1/tokens/${token.id}`, { token: teamAdmin, body: { name: 'ci-renamed' } });
    assert.equal(renamed.status, 200, 'a rename keeps the expiry');
    assert.equal(renamed.body.expires_at, earlier);
  });

  test('an expired token stays dead: no PATCH revives or changes it', async () => {
    const token = await create(inHours(1));
    await api.database.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', token.id).execute();
    assert.equal(await works(token.token), false, 'the expired token is refused');
    const before = await stored(token.id);
    for (const [caller, body] of [[api.adminToken, { expires_at: inHours(24) }], [teamAdmin, { expires_at: null }], [api.adminToken, { name: 'renamed' }]] as const) {
      const res = await api.call('PATCH', `/v1/tokens/${token.id}`, { token: caller, body });
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'conflict');
      assert.match(res.body.detail, /expired at .* cannot be changed or revived; create a new token/);
    }
    assert.deepEqual(await stored(token.id), before, 'nothing changed');
    assert.equal(await works(token.token), false, 'and it still does not work');
  });

  test('a revoked token cannot be edited back to life', async () => {
    const token = await create(inHours(24));
    assert.equal((await api.call('DELETE', `/v1/tokens/${token.id}`)).status, 204);
    const res = await api.call('PATCH', `/v1/tokens/${token.id}`, { body: { expires_at: inHours(12) } });
    assert.equal(res.status, 404, 'a revoked token is gone from the API');
    assert.equal(await works(token.token), false);
  });
});
