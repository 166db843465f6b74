import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../src/observability/logger.ts';
import { redactPath } from '../src/observability/path-redaction.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// A heartbeat URL is a credential (whoever has it can report the job as healthy): the token must
// not reach the request log, the metrics or the problem documents.

test('redactPath replaces the heartbeat token, whatever follows it and in any letter case', () => {
  const cases: Array<[string, string]> = [
    ['/v1/heartbeats/AbC123_-xyz', '/v1/heartbeats/{token}'],
    ['/v1/heartbeats/AbC123_-xyz?status=down&message=disk%20full', '/v1/heartbeats/{token}?status=down&message=disk%20full'],
    ['/V1/Heartbeats/AbC123_-xyz/extra', '/V1/Heartbeats/{token}/extra'],
    ['/v1/heartbeats/', '/v1/heartbeats/'],
    ['/v1/monitors/mon_1', '/v1/monitors/mon_1'],
  ];
  for (const [path, expected] of cases) assert.equal(redactPath(path), expected, path);
});

describe('heartbeat tokens in logs and metrics on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let lines: string[];
  before(async () => {
    lines = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    api = await startTestApi({ app: { logger: createLogger('info', sink) } });
  });
  after(async () => api?.close());

  test('a ping, a failed ping and a bad URL never write the token to the log, the metrics or a problem', async () => {
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('job'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 3600 } });
    const token = String(monitor.heartbeat_url).split('/').pop()!;
    assert.ok(token.length >= 20);

    const ok = await api.call('POST', `/v1/heartbeats/${token}?status=down&message=disk%20full`, { token: null });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const wrong = `${token.slice(0, -4)}zzzz`;
    const unknown = await api.call('GET', `/v1/heartbeats/${wrong}`, { token: null });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.instance, '/v1/heartbeats/{token}', 'the problem names the route, not the token');
    const unrouted = await api.call('GET', `/v1/heartbeats/${token}/extra`, { token: null });
    assert.equal(unrouted.status, 404);
    const metrics = await api.call('GET', '/metrics', { token: null });
    assert.equal(metrics.status, 200);

    const log = lines.join('');
    const requestLines = lines.filter((l) => l.includes('"msg":"request"') && l.includes('heartbeats'));
    assert.ok(requestLines.length >= 3, `every request is still logged:\n${log}`);
    assert.ok(requestLines.every((l) => l.includes('"path":"/v1/heartbeats/{token}')), requestLines.join(''));
    const echoed = JSON.stringify([unknown.body, unrouted.body]) + String(metrics.body) + log;
    for (const secret of [token, wrong]) assert.ok(!echoed.includes(secret), `the token ${secret} appears in:\n${echoed}`);
  });
});
