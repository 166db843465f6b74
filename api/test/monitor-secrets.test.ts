import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, storedSecrets as decryptedSecrets, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// Monitor credentials are write-only secret headers: never shown to anyone who reads the monitor
// (viewers, admins, the audit log), carried by the assignment feed only to the runner that owns the
// monitor's slot, and sent by that runner to the target.

const secret = 'Bearer sk-live-9f8e7d6c5b4a-very-secret';
const stepSecret = 'k-step-secret-0a1b2c3d4e';

describe('monitor secret headers on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let team: string;
  let service: string;
  let viewer: string;
  let target: Server;
  let targetUrl: string;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  before(async () => {
    api = await startTestApi({ app: { runner: { leaseSeconds: 3, recheckMs: 100 } } });
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: team })).token;
    target = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"healthy"}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const a = target.address();
    targetUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  after(async () => {
    target?.close();
    await api?.close();
  });

  const httpMonitor = (extra: Record<string, unknown> = {}) => ({
    name: unique('mon'), service_id: service, type: 'http', interval_seconds: 5, timeout_seconds: 2,
    http: { url: `${targetUrl}/health`, headers: { accept: 'application/json' }, secret_headers: { Authorization: secret } }, ...extra,
  });
  const flowMonitor = () => ({
    name: unique('flow'), service_id: service, type: 'multistep', interval_seconds: 30, timeout_seconds: 5,
    steps: [
      { name: 'login', url: `${targetUrl}/login`, secret_headers: { 'X-Api-Key': stepSecret }, extract: [{ name: 'token', source: 'json_body', property: '$.status' }] },
      { name: 'orders', url: `${targetUrl}/orders`, secret_headers: { Authorization: 'Bearer {{token}}' } },
    ],
  });
  const count = async () => Number((await api.database.db.selectFrom('monitors').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const storedSecrets = async (id: string) => ({ ...(await api.database.db.selectFrom('monitors').select(['spec']).where('id', '=', id).executeTakeFirstOrThrow()), secrets: await decryptedSecrets(api.database, 'monitors', id) });

  test('secret headers are never returned to viewers or admins, nor written to the audit log', async () => {
    const created = await api.call('POST', '/v1/monitors', { body: httpMonitor() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.configured_secrets, ['http.secret_headers.Authorization']);
    assert.equal(created.body.http.secret_headers, undefined);
    assert.deepEqual(created.body.http.headers, { accept: 'application/json' }, 'plain headers stay visible');
    const flow = await api.call('POST', '/v1/monitors', { body: flowMonitor() });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.deepEqual(flow.body.configured_secrets, ['steps.login.secret_headers.X-Api-Key', 'steps.orders.secret_headers.Authorization']);

    const renamed = await api.call('PATCH', `/v1/monitors/${created.body.id}`, { body: { description: 'checks the auth path' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const reads = [];
    for (const token of [viewer, api.adminToken]) {
      const one = await api.call('GET', `/v1/monitors/${created.body.id}`, { token });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body.configured_secrets, ['http.secret_headers.Authorization'], 'readers learn which secret headers are set');
      reads.push(one.body, (await api.call('GET', `/v1/monitors/${flow.body.id}`, { token })).body, (await api.call('GET', `/v1/monitors?service_id=${service}`, { token })).body);
    }
    const audit = await api.call('GET', '/v1/audit?resource_type=monitor&limit=200');
    assert.equal(audit.status, 200);
    assert.ok(audit.body.items.length >= 3, 'creates and the update are audited');
    const row = await storedSecrets(created.body.id);
    const everything = JSON.stringify([created.body, flow.body, renamed.body, reads, audit.body, row.spec, (await storedSecrets(flow.body.id)).spec]);
    for (const value of ['sk-live-9f8e7d6c5b4a', stepSecret, 'Bearer {{token}}']) assert.ok(!everything.includes(value), `"${value}" never leaves the server`);
    assert.deepEqual(row.secrets, { http: { Authorization: secret } }, 'the secret is stored apart from the document');
  });

  test('PUT and PATCH keep an omitted secret; null (PATCH) or {} removes it', async () => {
    const created = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, httpMonitor({ http: { url: `${targetUrl}/health`, secret_headers: { Authorization: secret, 'X-Api-Key': 'k1-secret' } } }));
    const { id, created_at: _c, updated_at: _u, version: _v, team_id: _t, configured_secrets: _s, warnings: _w, managed_by: _m, ...doc } = created;
    const put = await api.call('PUT', `/v1/monitors/${id}`, { body: { ...doc, description: 'put without secrets' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.configured_secrets, ['http.secret_headers.Authorization', 'http.secret_headers.X-Api-Key'], 'a PUT that omits secret_headers keeps them');
    const patched = await api.call('PATCH', `/v1/monitors/${id}`, { body: { http: { secret_headers: { 'X-Api-Key': null, 'X-Tenant': 'acme' } } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.configured_secrets, ['http.secret_headers.Authorization', 'http.secret_headers.X-Tenant'], 'PATCH merges secret headers key by key');
    assert.deepEqual((await storedSecrets(id)).secrets, { http: { Authorization: secret, 'X-Tenant': 'acme' } });
    const cleared = await api.call('PATCH', `/v1/monitors/${id}`, { body: { http: { secret_headers: null } } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual(cleared.body.configured_secrets, [], 'secret_headers: null in a PATCH removes them all');
    await expectOk(api, 'PATCH', `/v1/monitors/${id}`, api.adminToken, { http: { secret_headers: { Authorization: secret } } });
    const emptied = await api.call('PUT', `/v1/monitors/${id}`, { body: { ...doc, http: { ...doc.http, secret_headers: {} } } });
    assert.equal(emptied.status, 200, JSON.stringify(emptied.body));
    assert.deepEqual(emptied.body.configured_secrets, [], 'secret_headers: {} in a PUT removes them all');
    assert.equal((await storedSecrets(id)).secrets, null);
  });

  test('credentials in the visible document are refused with a message pointing at secret_headers', async () => {
    const before = await count();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['userinfo', httpMonitor({ http: { url: `http://ops:hunter2@127.0.0.1:9/health` } }), '/http/url'],
      ['user only', httpMonitor({ http: { url: `https://token@example.com/x` } }), '/http/url'],
      ['step userinfo', { ...flowMonitor(), steps: [{ name: 'a', url: 'http://ops:hunter2@127.0.0.1:9/a' }] }, '/steps/0/url'],
      ['authorization header', httpMonitor({ http: { url: `${targetUrl}/x`, headers: { Authorization: 'Basic b3BzOmh1bnRlcjI=' } } }), '/http/headers/Authorization'],
      ['api key header', httpMonitor({ http: { url: `${targetUrl}/x`, headers: { 'x-api-key': 'k' } } }), '/http/headers/x-api-key'],
      ['cookie in a step', { ...flowMonitor(), steps: [{ name: 'a', url: `${targetUrl}/a`, headers: { Cookie: 'sid=1' } }] }, '/steps/0/headers/Cookie'],
      ['in both maps', httpMonitor({ http: { url: `${targetUrl}/x`, headers: { 'X-Tenant': 'a' }, secret_headers: { 'x-tenant': 'b' } } }), '/http/headers/X-Tenant'],
    ];
    for (const [what, body, pointer] of cases) {
      const res = await api.call('POST', '/v1/monitors', { body });
      assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'validation_failed');
      assert.ok(res.body.errors.some((e: { pointer: string }) => e.pointer === pointer), `${what}: names ${pointer}: ${JSON.stringify(res.body.errors)}`);
      assert.match(res.body.detail, /secret_headers|in one of them/, `${what}: says what to do`);
      assert.ok(!JSON.stringify(res.body).includes('hunter2'), `${what}: the problem does not echo the password`);
    }
    assert.equal(await count(), before, 'nothing was created');
    const existing = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, httpMonitor());
    const patched = await api.call('PATCH', `/v1/monitors/${existing.id}`, { body: { http: { headers: { authorization: 'Bearer x' } } } });
    assert.equal(patched.status, 422, 'an update is held to the same rule');
    assert.equal((await api.call('GET', `/v1/monitors/${existing.id}`)).body.version, 1, 'and changes nothing');
  });

  test('the assignment feed carries secret headers only to the runner that owns the slot', async () => {
    const region = unique('r');
    const runnerToken = async (r: string) => (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region: r })).token as string;
    const register = async (token: string) => {
      const res = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http', 'multistep'] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { id: res.body.runner_id as string, token };
    };
    const poll = async (r: { id: string; token: string }) => {
      await api.app.settle();
      const res = await api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=0&wait=0`, { token: r.token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const sameRegionToken = await runnerToken(region);
    const a = await register(sameRegionToken);
    const b = await register(sameRegionToken);
    const elsewhere = await register(await runnerToken(unique('other')));
    // Secrets of their own: monitors of the other tests (without regions) run everywhere.
    const httpSecret = `Bearer ${unique('feed-secret')}`;
    const flowSecret = unique('feed-step-secret');
    const http = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, httpMonitor({ regions: [region], http: { url: `${targetUrl}/health`, headers: { accept: 'application/json' }, secret_headers: { Authorization: httpSecret } } }));
    const flow = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...flowMonitor(), regions: [region], steps: [{ name: 'login', url: `${targetUrl}/login`, secret_headers: { 'X-Api-Key': flowSecret } }] });
    const feeds = { a: await poll(a), b: await poll(b), elsewhere: await poll(elsewhere) };
    const owns = (feed: { monitors: Array<{ id: string }> }, id: string) => feed.monitors.some((m) => m.id === id);
    for (const id of [http.id, flow.id]) assert.equal(Number(owns(feeds.a, id)) + Number(owns(feeds.b, id)), 1, 'one runner of the region owns each slot');
    const ownerOf = (id: string) => (owns(feeds.a, id) ? feeds.a : feeds.b);
    const assignedHttp = ownerOf(http.id).monitors.find((m: { id: string }) => m.id === http.id);
    assert.deepEqual(assignedHttp.http.secret_headers, { Authorization: httpSecret }, 'the owner gets the secret header');
    assert.deepEqual(assignedHttp.http.headers, { accept: 'application/json' });
    const assignedFlow = ownerOf(flow.id).monitors.find((m: { id: string }) => m.id === flow.id);
    assert.deepEqual(assignedFlow.steps.map((s: { secret_headers?: unknown }) => s.secret_headers), [{ 'X-Api-Key': flowSecret }]);
    const notOwner = (id: string) => (owns(feeds.a, id) ? feeds.b : feeds.a);
    for (const feed of [notOwner(http.id), notOwner(flow.id), feeds.elsewhere]) {
      const text = JSON.stringify(feed);
      if (feed !== ownerOf(http.id)) assert.ok(!text.includes(httpSecret), 'a runner that does not own the http slot never sees its secret');
      if (feed !== ownerOf(flow.id)) assert.ok(!text.includes(flowSecret), 'a runner that does not own the flow slot never sees its secret');
    }
    assert.deepEqual(feeds.elsewhere.monitors.filter((m: { id: string }) => m.id === http.id || m.id === flow.id), []);
    for (const r of [a, b, elsewhere]) await api.call('POST', `/v1/runner/deregister`, { token: r.token, body: { runner_id: r.id } });
  });

  test('a real runner sends the secret headers to a real target', { timeout: 90_000 }, async () => {
    const region = unique('real');
    const path = `/secured-${unique('p')}`;
    await expectOk(api, 'POST', '/v1/monitors', api.adminToken, httpMonitor({ regions: [region], http: { url: `${targetUrl}${path}`, headers: { accept: 'application/json' }, secret_headers: { Authorization: secret, 'X-Tenant': 'acme' } } }));
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    let runner: Proc | undefined;
    try {
      runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region, LOG_LEVEL: 'debug' });
      const request = await waitFor('the target to be checked by the runner', 60_000, async () => seen.find((r) => r.url === path)?.headers);
      assert.equal(request.authorization, secret, 'the runner sent the secret headers');
      assert.equal(request['x-tenant'], 'acme');
      assert.equal(request.accept, 'application/json', 'and the plain ones');
      assert.ok(!runner.output().includes('sk-live-9f8e7d6c5b4a'), 'the runner does not log the secret');
    } finally {
      await runner?.stop();
    }
  });
});
