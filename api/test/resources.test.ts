import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, storedSecrets, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Behaviour of the configuration resources, on real PostgreSQL and on the embedded database.

const backends: Array<[Backend, string | false]> = [['postgres', postgresSkip()], ['pglite', false]];

for (const [backend, skip] of backends) {
  describe(`resources on ${backend}`, { skip }, () => {
    let api: TestApi;
    let team: string;
    before(async () => {
      api = await startTestApi({ backend });
      team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: 'fulfillment', description: 'Fulfillment routing and shipping' })).id;
    });
    after(async () => api?.close());

    const count = async (table: 'services' | 'monitors' | 'teams' | 'audit_entries' | 'channels') =>
      Number((await api.database.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    test('a service, a dependency and a monitor round-trip with defaults filled in', async () => {
      const shipping = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: 'shipping-integration', team_id: team, kind: 'internal', tags: { tier: '1' } });
      const carrier = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: 'carrier-api', team_id: team, kind: 'external' });
      const dep = await api.call('POST', `/v1/services/${shipping.id}/dependencies`, { body: { depends_on_service_id: carrier.id } });
      assert.equal(dep.status, 201);
      assert.equal(dep.body.service_id, shipping.id);
      assert.equal(dep.body.team_id, team);
      const monitor = await api.call('POST', '/v1/monitors', {
        body: {
          name: 'fulfillment-health', service_id: shipping.id, type: 'http', interval_seconds: 30, timeout_seconds: 10,
          regions: ['us-east-1', 'us-west-2'], run_from: { zone: 'fulfillment' },
          http: { method: 'GET', url: 'http://fulfillment.internal/health', headers: {}, follow_redirects: true, verify_tls: true },
          assertions: [
            { source: 'status_code', operator: 'equals', target: '200' },
            { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' },
            { source: 'response_time', operator: 'less_than', target: '500', severity: 'degraded' },
          ],
          failure_threshold: 2, recovery_threshold: 1, min_failed_regions: 1, tags: { env: 'prod' },
        },
      });
      assert.equal(monitor.status, 201, JSON.stringify(monitor.body));
      assert.equal(monitor.headers.get('etag'), '"1"');
      assert.equal(monitor.headers.get('location'), `/v1/monitors/${monitor.body.id}`);
      assert.equal(monitor.body.team_id, team);
      assert.equal(monitor.body.http.max_redirects, 5, 'defaults are filled in');
      assert.equal(monitor.body.assertions[0].severity, 'down');
      assert.equal(monitor.body.enabled, true);
      const read = await api.call('GET', `/v1/monitors/${monitor.body.id}`);
      // No runner is registered here: the create answer warns, the stored monitor is the same.
      const { warnings, ...created } = monitor.body;
      assert.deepEqual(warnings.map((w: { code: string; regions: string[] }) => [w.code, w.regions]), [['no_runner', ['us-east-1', 'us-west-2']]]);
      assert.deepEqual(read.body, created);
      assert.deepEqual(Object.keys(read.body).slice(0, 4), ['id', 'created_at', 'updated_at', 'version'], 'fields come in contract order');
    });

    test('every check type is accepted with a valid configuration', async () => {
      const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
      const configs: Record<string, unknown> = {
        tcp: { tcp: { host: '127.0.0.1', port: 5432 } },
        dns: { dns: { hostname: 'example.internal', record_type: 'MX', resolver: '127.0.0.1:53', expected_values: ['mx.example.internal'] } },
        tls: { tls: { host: 'example.internal', port: 443, warn_days: 21, fail_days: 7 } },
        multistep: {
          steps: [
            { name: 'login', method: 'POST', url: 'http://api.internal/login', body: '{"user":"probe"}', extract: [{ name: 'token', source: 'json_body', property: '$.token' }], assertions: [{ source: 'status_code', operator: 'equals', target: '200' }] },
            { name: 'orders', url: 'http://api.internal/orders', secret_headers: { authorization: 'Bearer {{token}}' }, assertions: [{ source: 'json_body', path: '$.items', operator: 'exists' }] },
          ],
        },
        heartbeat: { heartbeat: { period_seconds: 3600, grace_seconds: 300 } },
      };
      for (const [type, config] of Object.entries(configs)) {
        const res = await api.call('POST', '/v1/monitors', { body: { name: unique(type), service_id: service, type, interval_seconds: 60, ...(config as object) } });
        assert.equal(res.status, 201, `${type}: ${JSON.stringify(res.body)}`);
      }
    });

    test('invalid monitors are refused with the pointer of each bad field and change nothing', async () => {
      const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
      const before = await count('monitors');
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['interval below 5 s', { type: 'http', interval_seconds: 2, timeout_seconds: 1, http: { url: 'http://x.internal/' } }, '/interval_seconds'],
        ['timeout not below interval', { type: 'http', interval_seconds: 10, timeout_seconds: 10, http: { url: 'http://x.internal/' } }, '/timeout_seconds'],
        ['bad URL', { type: 'http', http: { url: 'not a url' } }, '/http/url'],
        ['missing sibling', { type: 'tcp' }, '/tcp'],
        ['wrong sibling', { type: 'tcp', tcp: { host: 'a', port: 1 }, http: { url: 'http://x.internal/' } }, '/http'],
        ['unknown operator', { type: 'http', http: { url: 'http://x.internal/' }, assertions: [{ source: 'status_code', operator: 'roughly', target: '200' }] }, '/assertions/0/operator'],
        ['bad regex', { type: 'http', http: { url: 'http://x.internal/' }, assertions: [{ source: 'body', operator: 'matches', target: '([' }] }, '/assertions/0/target'],
        ['json path without property', { type: 'http', http: { url: 'http://x.internal/' }, assertions: [{ source: 'json_body', operator: 'exists' }] }, '/assertions/0/path'],
        ['unknown field', { type: 'http', http: { url: 'http://x.internal/', proxy: 'x' } }, '/http/proxy'],
        ['undefined step variable', { type: 'multistep', steps: [{ name: 'a', url: 'http://x.internal/{{missing}}' }] }, '/steps/0/url'],
        ['too few regions for quorum', { type: 'http', http: { url: 'http://x.internal/' }, regions: ['a'], min_failed_regions: 2 }, '/min_failed_regions'],
        ['tls fail after warn', { type: 'tls', tls: { host: 'x', warn_days: 5, fail_days: 10 } }, '/tls/fail_days'],
      ];
      for (const [name, body, pointer] of cases) {
        const res = await api.call('POST', '/v1/monitors', { body: { name: unique('bad'), service_id: service, ...body } });
        assert.equal(res.status, 422, name);
        assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        assert.equal(res.body.code, 'validation_failed', name);
        const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
        assert.ok(pointers.includes(pointer), `${name}: expected ${pointer} in ${JSON.stringify(res.body.errors)}`);
        assert.ok(res.body.errors.every((e: { message: string }) => e.message.length > 10), `${name}: messages say what to fix`);
      }
      const missingService = await api.call('POST', '/v1/monitors', { body: { name: 'x', service_id: 'svc_01JD0000000000000000000000', type: 'tcp', tcp: { host: 'a', port: 1 } } });
      assert.equal(missingService.status, 422);
      assert.equal(missingService.body.errors[0].pointer, '/service_id');
      assert.equal(await count('monitors'), before, 'nothing was stored');
    });

    test('lists page with a stable cursor and filter by team, service, type and tag', async () => {
      const other = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('other') })).id;
      const svc = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { ...bodies.service(team), tags: { tier: '2', env: 'prod' } })).id;
      await expectOk(api, 'POST', '/v1/services', api.adminToken, { ...bodies.service(other), tags: { tier: '2' } });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(svc), tags: { n: String(i) } })).id);
      await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('tcp'), service_id: svc, type: 'tcp', tcp: { host: 'h', port: 1 } });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.call('GET', `/v1/monitors?service_id=${svc}&type=http&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((m: { id: string }) => m.id));
        cursor = page.body.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, ids, 'every http monitor once, in creation order');
      const tagged = await api.call('GET', `/v1/monitors?service_id=${svc}&tag=n:3`);
      assert.deepEqual(tagged.body.items.map((m: { id: string }) => m.id), [ids[3]]);
      const byTeam = await api.call('GET', `/v1/services?team_id=${other}&tag=tier:2`);
      assert.equal(byTeam.body.items.length, 1);
      const multiTag = await api.call('GET', `/v1/services?tag=tier:2&tag=env:prod`);
      assert.deepEqual(multiTag.body.items.map((s: { id: string }) => s.id), [svc]);
      const byName = await api.call('GET', `/v1/services?name=${encodeURIComponent(byTeam.body.items[0].name)}`);
      assert.deepEqual(byName.body.items.map((s: { id: string }) => s.id), [byTeam.body.items[0].id], 'exact name filter');
      const badCursor = await api.call('GET', '/v1/monitors?cursor=garbage');
      assert.equal(badCursor.status, 400);
      const badLimit = await api.call('GET', '/v1/monitors?limit=100000');
      assert.equal(badLimit.status, 422);
      assert.equal(badLimit.body.errors[0].pointer, '/limit');
    });

    test('If-Match makes concurrent edits fail with 412 instead of overwriting', async () => {
      const svc = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team));
      const first = await api.call('PATCH', `/v1/services/${svc.id}`, { body: { description: 'first' }, headers: { 'if-match': '"1"' } });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('etag'), '"2"');
      const stale = await api.call('PATCH', `/v1/services/${svc.id}`, { body: { description: 'second' }, headers: { 'if-match': '"1"' } });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.code, 'precondition_failed');
      const now = await api.call('GET', `/v1/services/${svc.id}`);
      assert.equal(now.body.description, 'first');
      const staleDelete = await api.call('DELETE', `/v1/services/${svc.id}`, { headers: { 'if-match': '"1"' } });
      assert.equal(staleDelete.status, 412);
      const removeField = await api.call('PATCH', `/v1/services/${svc.id}`, { body: { description: null }, headers: { 'content-type': 'application/merge-patch+json' } });
      assert.equal(removeField.status, 200);
      assert.equal(removeField.body.description, undefined, 'merge patch null removes the field');
      const put = await api.call('PUT', `/v1/services/${svc.id}`, { body: { name: svc.name, team_id: team } });
      assert.equal(put.status, 200);
      assert.equal(put.body.version, 4);
      assert.deepEqual(put.body.tags, undefined, 'PUT replaces the whole document');
    });

    test('Idempotency-Key returns the first response for a retried create', async () => {
      const before = await count('services');
      const body = bodies.service(team);
      const a = await api.call('POST', '/v1/services', { body, headers: { 'idempotency-key': 'create-svc-1' } });
      const b = await api.call('POST', '/v1/services', { body, headers: { 'idempotency-key': 'create-svc-1' } });
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.body.id, a.body.id);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      assert.equal(await count('services'), before + 1);
      const reused = await api.call('POST', '/v1/services', { body: bodies.service(team), headers: { 'idempotency-key': 'create-svc-1' } });
      assert.equal(reused.status, 422);
      assert.equal(reused.body.code, 'idempotency_key_reused');
      const failed = await api.call('POST', '/v1/services', { body: { name: 'x' }, headers: { 'idempotency-key': 'k2' } });
      assert.equal(failed.status, 422);
      const retried = await api.call('POST', '/v1/services', { body: bodies.service(team), headers: { 'idempotency-key': 'k2' } });
      assert.equal(retried.status, 201, 'a failed request does not burn its key');
    });

    test('malformed, oversized and wrongly typed bodies are refused and change nothing', async () => {
      const before = await count('teams');
      const malformed = await api.call('POST', '/v1/teams', { raw: '{"name": ', headers: { 'content-type': 'application/json' } });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.code, 'malformed_json');
      const large = await api.call('POST', '/v1/teams', { raw: JSON.stringify({ name: 'big', description: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
      assert.equal(large.status, 413);
      assert.equal(large.body.code, 'payload_too_large');
      const wrongType = await api.call('POST', '/v1/teams', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(wrongType.status, 415);
      assert.equal(wrongType.body.code, 'unsupported_media_type');
      const notObject = await api.call('POST', '/v1/teams', { body: ['x'] });
      assert.equal(notObject.status, 422);
      const unknownRoute = await api.call('GET', '/v1/nothing-here');
      assert.equal(unknownRoute.status, 404);
      const wrongMethod = await api.call('POST', `/v1/teams/${team}`, { body: {} });
      assert.equal(wrongMethod.status, 405);
      assert.match(wrongMethod.headers.get('allow') ?? '', /PATCH/);
      assert.equal(await count('teams'), before);
    });

    test('channel secrets are write-only: never returned, kept on update, absent from the audit log', async () => {
      const secret = 'https://hooks.slack.example/T000/B000/very-secret-path';
      const created = await api.call('POST', '/v1/channels', { body: { name: 'ops-slack', team_id: team, type: 'slack', slack: { webhook_url: secret, channel: '#ops' } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.configured_secrets, ['slack.webhook_url']);
      assert.equal(created.body.slack.webhook_url, undefined);
      const patched = await api.call('PATCH', `/v1/channels/${created.body.id}`, { body: { slack: { channel: '#ops-2' } } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body.configured_secrets, ['slack.webhook_url'], 'the secret is kept');
      const row = await api.database.db.selectFrom('channels').select(['secrets', 'spec']).where('id', '=', created.body.id).executeTakeFirstOrThrow();
      assert.equal((await storedSecrets(api.database, 'channels', created.body.id) as { webhook_url: string }).webhook_url, secret);
      const everything = JSON.stringify([created.body, patched.body, (await api.call('GET', `/v1/channels/${created.body.id}`)).body, (await api.call('GET', '/v1/channels')).body, (await api.call('GET', '/v1/audit?limit=200')).body, row.spec]);
      assert.ok(!everything.includes('very-secret-path'), 'the secret never leaves the server');
      const switched = await api.call('PATCH', `/v1/channels/${created.body.id}`, { body: { type: 'pagerduty', slack: null } });
      assert.equal(switched.status, 422, 'a new type needs its own configuration');
    });

    test('dependencies: no self-edge, no duplicates, cycles allowed but reported', async () => {
      const a = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('a'), team_id: team })).id;
      const b = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('b'), team_id: team })).id;
      const self = await api.call('POST', `/v1/services/${a}/dependencies`, { body: { depends_on_service_id: a } });
      assert.equal(self.status, 422);
      assert.equal(self.body.errors[0].pointer, '/depends_on_service_id');
      const ab = await api.call('POST', `/v1/services/${a}/dependencies`, { body: { depends_on_service_id: b } });
      assert.equal(ab.status, 201);
      assert.equal(ab.body.warnings, undefined);
      const dup = await api.call('POST', `/v1/services/${a}/dependencies`, { body: { depends_on_service_id: b } });
      assert.equal(dup.status, 409);
      const ba = await api.call('POST', `/v1/services/${b}/dependencies`, { body: { depends_on_service_id: a } });
      assert.equal(ba.status, 201);
      assert.equal(ba.body.warnings[0].code, 'dependency_cycle');
      assert.equal(ba.body.warnings[0].cycle.length, 3);
      const list = await api.call('GET', `/v1/services/${a}/dependencies`);
      assert.equal(list.body.items.length, 1);
    });

    test('a service with monitors cannot be deleted; an empty team can', async () => {
      const t = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      const svc = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(t))).id;
      const mon = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, bodies.monitor(svc))).id;
      assert.equal((await api.call('DELETE', `/v1/services/${svc}`)).status, 409);
      assert.equal((await api.call('DELETE', `/v1/teams/${t}`)).status, 409);
      assert.equal((await api.call('DELETE', `/v1/monitors/${mon}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/services/${svc}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/teams/${t}`)).status, 204);
      assert.equal((await api.call('GET', `/v1/teams/${t}`)).status, 404);
    });

    test('a monitor or service that an SLO measures cannot be deleted from under it', async () => {
      const svc = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
      const mon = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, bodies.monitor(svc))).id;
      const slo = (await expectOk(api, 'POST', '/v1/slos', api.adminToken, { name: unique('slo'), team_id: team, monitor_id: mon, objective: 'uptime', target_percent: 99.9 })).id;
      const refused = await api.call('DELETE', `/v1/monitors/${mon}`);
      assert.equal(refused.status, 409);
      assert.match(refused.body.detail, /SLO/);
      assert.equal((await api.call('DELETE', `/v1/slos/${slo}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/monitors/${mon}`)).status, 204);
      const svcSlo = (await expectOk(api, 'POST', '/v1/slos', api.adminToken, { name: unique('slo'), team_id: team, service_id: svc, objective: 'uptime', target_percent: 99 })).id;
      assert.equal((await api.call('DELETE', `/v1/services/${svc}`)).status, 409);
      assert.equal((await api.call('DELETE', `/v1/slos/${svcSlo}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/services/${svc}`)).status, 204);
    });

    test('every write is in the audit log with actor, action and before/after', async () => {
      const svc = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team));
      await expectOk(api, 'PATCH', `/v1/services/${svc.id}`, api.adminToken, { description: 'audited' });
      await api.call('DELETE', `/v1/services/${svc.id}`);
      const log = await api.call('GET', `/v1/audit?resource_id=${svc.id}`);
      assert.deepEqual(log.body.items.map((e: { action: string }) => e.action), ['delete', 'update', 'create']);
      const [del, upd, crt] = log.body.items;
      assert.equal(crt.after.name, svc.name);
      assert.equal(upd.before.description, undefined);
      assert.equal(upd.after.description, 'audited');
      assert.equal(del.before.description, 'audited');
      assert.equal(crt.actor.type, 'api_token');
      assert.ok(crt.request_id);
    });

    test('tokens are shown once, stored hashed, scoped, and revocable', async () => {
      const created = await api.call('POST', '/v1/tokens', { body: { name: 'ci', role: 'team_editor', team_id: team } });
      assert.equal(created.status, 201);
      assert.match(created.body.token, /^phs_/);
      const stored = await api.database.db.selectFrom('api_tokens').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
      assert.notEqual(stored.token_hash, created.body.token);
      assert.ok(!JSON.stringify(stored).includes(created.body.token), 'only a hash is stored');
      const read = await api.call('GET', `/v1/tokens/${created.body.id}`);
      assert.equal(read.body.token, undefined);
      const use = await api.call('GET', '/v1/services', { token: created.body.token });
      assert.equal(use.status, 200);
      const wait = Date.now();
      while (Date.now() - wait < 2000 && !(await api.call('GET', `/v1/tokens/${created.body.id}`)).body.last_used_at) await new Promise((r) => setTimeout(r, 50));
      assert.ok((await api.call('GET', `/v1/tokens/${created.body.id}`)).body.last_used_at, 'last use is recorded');
      const orgAdminWithTeam = await api.call('POST', '/v1/tokens', { body: { name: 'x', role: 'org_admin', team_id: team } });
      assert.equal(orgAdminWithTeam.status, 422);
      const teamWithout = await api.call('POST', '/v1/tokens', { body: { name: 'x', role: 'viewer' } });
      assert.equal(teamWithout.status, 422);
      assert.equal(teamWithout.body.errors[0].pointer, '/team_id');
      assert.equal((await api.call('DELETE', `/v1/tokens/${created.body.id}`)).status, 204);
      const revoked = await api.call('GET', '/v1/services', { token: created.body.token });
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.code, 'unauthorized');
      const expired = await api.call('POST', '/v1/tokens', { body: { name: 'old', role: 'viewer', team_id: team, expires_at: '2001-01-01T00:00:00Z' } });
      assert.equal(expired.status, 422);
    });

    test('/healthz reports the database and /metrics counts requests by route', async () => {
      const health = await api.call('GET', '/healthz', { token: null });
      assert.equal(health.status, 200);
      assert.equal(health.body.database.ok, true);
      assert.equal(health.body.database.kind, backend);
      const metrics = await api.call('GET', '/metrics', { token: null });
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /pharos_http_requests_total\{method="POST",route="\/v1\/services",status="201"\} \d+/);
      assert.match(metrics.body, /pharos_http_request_duration_seconds_bucket/);
      assert.match(metrics.body, /pharos_db_pool_connections \d+/);
      assert.ok(health.headers.get('x-request-id'));
    });
  });
}
