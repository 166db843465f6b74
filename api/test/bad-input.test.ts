import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { ulid } from 'ulid';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { bodies, createTeamFixture, expectOk, unique, type TeamFixture } from './support/world.ts';

// Input that used to answer 500 (or an empty 431, or an HTML 400) answers problem+json with a
// stable code, names the field, and stores nothing.

const skip = postgresSkip();
let api: TestApi;
let own: TeamFixture;
let runner: { token: string; id: string; region: string };

before(async () => {
  if (skip) return;
  api = await startTestApi();
  own = await createTeamFixture(api, api.adminToken);
  const region = unique('r');
  const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
  const registered = await expectOk(api, 'POST', '/v1/runner/register', token, { protocol_version: 1, version: 't', capabilities: ['http'] });
  runner = { token, id: registered.runner_id, region };
});
after(async () => api?.close());

const counts = async () => {
  const db = api.database.db;
  const [services, monitors, audit, results, teams] = await Promise.all(
    (['services', 'monitors', 'audit_entries', 'check_results', 'teams'] as const).map(async (t) => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)),
  );
  return { services, monitors, audit, results, teams };
};

const raw = async (method: string, path: string, text: string, token = api.adminToken) => {
  const res = await fetch(api.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: text });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as { code: string; detail: string; errors?: Array<{ pointer: string; message: string }> } };
};

/** Sends bytes on a raw socket and returns the whole answer (the server closes the connection). */
const rawHttp = (bytes: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(bytes);
  });

const result = (extra: Record<string, unknown> = {}) => ({
  id: `res_${ulid()}`, monitor_id: own.monitor, region: runner.region, started_at: new Date().toISOString(), status: 'down', duration_ms: 3, error: { code: 'http_error', message: 'HTTP 500' }, ...extra,
});

describe('bad input answers 4xx problem+json and changes nothing', { skip }, () => {
  test('JSON nested 2,000 and 100,000 levels deep → 400 json_too_deep on writes and on /v1/runner/results', async () => {
    const before = await counts();
    for (const depth of [2_000, 100_000]) {
      const deep = '['.repeat(depth) + ']'.repeat(depth);
      for (const [method, path, text, token] of [
        ['POST', '/v1/teams', `{"name":"deep","description":${deep}}`, api.adminToken],
        ['PUT', `/v1/monitors/${own.monitor}`, `{"name":"m","tags":${deep}}`, api.adminToken],
        ['PATCH', `/v1/services/${own.service}`, deep, api.adminToken],
        ['POST', '/v1/runner/results', `{"runner_id":"${runner.id}","results":${deep}}`, runner.token],
      ] as const) {
        const res = await raw(method, path, text, token);
        assert.equal(res.status, 400, `${method} ${path} at depth ${depth}: ${JSON.stringify(res.body)}`);
        assert.match(res.type, /^application\/problem\+json/);
        assert.equal(res.body.code, 'json_too_deep');
        assert.match(res.body.detail, /more than 64 levels/);
      }
    }
    // At the limit the body is read and validated as usual (422 for the wrong type, not 400).
    const atLimit = await raw('POST', '/v1/teams', `{"name":"deep","description":${'['.repeat(63)}${']'.repeat(63)}}`);
    assert.equal(atLimit.status, 422);
    assert.deepEqual(await counts(), before);
  });

  test('NUL and lone surrogates anywhere in a body → 422 naming the field', async () => {
    const before = await counts();
    const cases: Array<[string, string, unknown, string, string?]> = [
      ['POST', '/v1/teams', { name: unique('t'), description: 'a\u0000b' }, '/description'],
      ['POST', '/v1/services', { ...bodies.service(own.team), tags: { env: 'pr\u0000d' } }, '/tags/env'],
      ['POST', '/v1/services', { ...bodies.service(own.team), description: 'x\ud800y' }, '/description'],
      ['POST', '/v1/monitors', { ...bodies.monitor(own.service), http: { url: 'http://127.0.0.1:9/', headers: { 'x-a': 'v\u0000' } } }, '/http/headers/x-a'],
      ['POST', '/v1/monitors', { ...bodies.monitor(own.service), assertions: [{ source: 'body', operator: 'contains', target: '\u0000' }] }, '/assertions/0/target'],
      ['POST', '/v1/alert-rules', { ...bodies.alertRule(own.team), expression: 'down(service("a\u0000"))' }, '/expression'],
      ['POST', '/v1/alert-rules', { ...bodies.alertRule(own.team), labels: { team: '\udc00' } }, '/labels/team'],
      ['POST', '/v1/routing-policies', { ...bodies.routingPolicy(own.team, own.channel), matchers: [{ label: 'severity', operator: '=', value: 'x\u0000' }] }, '/matchers/0/value'],
      ['POST', '/v1/runner-tokens', { name: unique('rt'), region: 'us-east-1', labels: { zone: '\u0000' } }, '/labels/zone'],
      ['POST', '/v1/runner/results', { runner_id: '', results: [result({ error: { code: 'http_error', message: 'bad\u0000' } })] }, '/results/0/error/message', 'runner'],
    ];
    for (const [method, path, body, pointer, who] of cases) {
      if (who === 'runner') (body as { runner_id: string }).runner_id = runner.id;
      const res = await raw(method, path, JSON.stringify(body), who === 'runner' ? runner.token : api.adminToken);
      assert.equal(res.status, 422, `${path} ${pointer}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'validation_failed');
      assert.deepEqual(res.body.errors?.map((e) => e.pointer), [pointer]);
      assert.match(res.body.errors![0]!.message, /NUL|surrogate/);
    }
    assert.deepEqual(await counts(), before);
  });

  test('path ids with NUL → 404, invalid percent-encoding → 400, both problem+json', async () => {
    for (const path of ['/v1/services/%00', `/v1/monitors/${own.monitor}%00`, '/v1/sla/monitors/mon_%00', '/v1/teams/%00/members']) {
      const res = await api.call('GET', path);
      assert.equal(res.status, 404, `${path}: ${JSON.stringify(res.body)}`);
      assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
      assert.equal(res.body.code, 'not_found');
    }
    const res = await api.call('GET', '/v1/services/%ED%A0%80');
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
    assert.equal(res.body.code, 'bad_request');
    assert.match(res.body.detail, /percent-encoded/);
  });

  test('query values: an integer beyond bigint and NUL → 422 naming the parameter', async () => {
    const big = await api.call('GET', `/v1/runner/assignments?runner_id=${runner.id}&revision=99999999999999999999&wait=0`, { token: runner.token });
    assert.equal(big.status, 422, JSON.stringify(big.body));
    assert.deepEqual(big.body.errors.map((e: { pointer: string }) => e.pointer), ['/revision']);
    const nul = await api.call('GET', '/v1/services?name=a%00b');
    assert.equal(nul.status, 422, JSON.stringify(nul.body));
    assert.deepEqual(nul.body.errors.map((e: { pointer: string }) => e.pointer), ['/name']);
  });

  test('a 100 kB query string or a huge header → 431 problem+json; malformed HTTP → 400 problem+json', async () => {
    const long = await fetch(`${api.url}/v1/services?name=${'x'.repeat(100_000)}`, { headers: { authorization: `Bearer ${api.adminToken}` } });
    assert.equal(long.status, 431);
    assert.match(long.headers.get('content-type')!, /^application\/problem\+json/);
    const problem = (await long.json()) as { code: string; status: number; detail: string };
    assert.equal(problem.code, 'request_header_too_large');
    assert.equal(problem.status, 431);
    assert.match(problem.detail, /shorter URL or query string/);
    const header = await fetch(`${api.url}/healthz`, { headers: { 'x-big': 'y'.repeat(40_000) } });
    assert.equal(header.status, 431);
    assert.equal(((await header.json()) as { code: string }).code, 'request_header_too_large');

    const garbage = await rawHttp('THIS IS NOT HTTP\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(garbage, /Content-Type: application\/problem\+json/);
    assert.equal(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).code, 'bad_request');
    const badHeader = await rawHttp('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
    assert.match(badHeader, /^HTTP\/1\.1 400 /);
    assert.equal(JSON.parse(badHeader.slice(badHeader.indexOf('\r\n\r\n') + 4)).code, 'bad_request');
  });

  test('monitor header names and values, tag and label keys: CR/LF, spaces, colons, empty, over-long → 422 naming the key', async () => {
    const before = await counts();
    const monitor = (http: Record<string, unknown>) => ({ ...bodies.monitor(own.service), http: { url: 'http://127.0.0.1:9/', ...http } });
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['/v1/monitors', monitor({ headers: { 'x-a\r\nx-b': 'v' } }), '/http/headers/x-a\r\nx-b', /RFC 7230 token/],
      ['/v1/monitors', monitor({ headers: { 'with space': 'v' } }), '/http/headers/with space', /RFC 7230 token/],
      ['/v1/monitors', monitor({ headers: { 'a:b': 'v' } }), '/http/headers/a:b', /RFC 7230 token/],
      ['/v1/monitors', monitor({ headers: { '': 'v' } }), '/http/headers/', /RFC 7230 token/],
      ['/v1/monitors', monitor({ headers: { ['h'.repeat(129)]: 'v' } }), `/http/headers/${'h'.repeat(129)}`, /1 to 128/],
      ['/v1/monitors', monitor({ headers: { 'x-a': 'v\r\nx-injected: 1' } }), '/http/headers/x-a', /CR, LF or NUL/],
      ['/v1/monitors', { ...bodies.monitor(own.service), steps: undefined, tags: { 'a\r\nb': 'v' } }, '/tags/a\r\nb', /1 to 63/],
      ['/v1/services', { ...bodies.service(own.team), tags: { '': 'v' } }, '/tags/', /1 to 63/],
      ['/v1/services', { ...bodies.service(own.team), tags: { ['k'.repeat(1000)]: 'v' } }, `/tags/${'k'.repeat(1000)}`, /1 to 63/],
      ['/v1/runner-tokens', { name: unique('rt'), region: 'us-east-1', labels: { 'zo ne': 'a' } }, '/labels/zo ne', /1 to 63/],
      ['/v1/channels', { ...bodies.channel(own.team), webhook: { url: 'http://127.0.0.1:9/hook', headers: { 'x\ny': 'v' } } }, '/webhook/headers/x\ny', /RFC 7230 token/],
    ];
    for (const [path, body, pointer, message] of cases) {
      const res = await api.call('POST', path, { body });
      assert.equal(res.status, 422, `${path} ${JSON.stringify(pointer)}: ${JSON.stringify(res.body)}`);
      const error = res.body.errors.find((e: { pointer: string }) => e.pointer === pointer);
      assert.ok(error, `${JSON.stringify(pointer)} named in ${JSON.stringify(res.body.errors)}`);
      assert.match(error.message, message);
    }
    assert.deepEqual(await counts(), before);
    // A valid header and tag are still accepted.
    assert.equal((await api.call('POST', '/v1/monitors', { body: { ...monitor({ headers: { 'X-Trace_ID.v2': 'a: b; c=d' } }), tags: { 'team/tier:x': '1' } } })).status, 201);
  });

  test('JSONPath the runner cannot evaluate → 422; a URL without a scheme says so in words', async () => {
    const bad = await api.call('POST', '/v1/monitors', { body: { ...bodies.monitor(own.service), assertions: [{ source: 'json_body', path: '$[?(@.status==)]', operator: 'exists' }, { source: 'json_body', path: '$.items[', operator: 'exists' }] } });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.deepEqual(bad.body.errors.map((e: { pointer: string }) => e.pointer), ['/assertions/0/path', '/assertions/1/path']);
    assert.match(bad.body.errors[0].message, /not a JSONPath expression the runner can evaluate: .*does not parse/);
    assert.match(bad.body.errors[1].message, /never closed/);
    const good = await api.call('POST', '/v1/monitors', { body: { ...bodies.monitor(own.service), assertions: [{ source: 'json_body', path: '$.items[?(@.state == "up")].id', operator: 'exists' }] } });
    assert.equal(good.status, 201, JSON.stringify(good.body));

    const noScheme = await api.call('POST', '/v1/monitors', { body: { ...bodies.monitor(own.service), http: { url: 'localhost:9000/health' } } });
    assert.equal(noScheme.status, 422);
    assert.equal(noScheme.body.errors[0].pointer, '/http/url');
    assert.match(noScheme.body.errors[0].message, /^Must start with http:\/\/ or https:\/\//);
    assert.doesNotMatch(noScheme.body.detail, /\^https\?/, 'the regular expression is not shown');
  });
});

describe('pattern failures explain the rule in words', { skip }, () => {
  test('ids, regions, hosts, zones, names, durations and channel URLs', async () => {
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['/v1/monitors', { ...bodies.monitor('svc-1') }, '/service_id', /^Must be a Pharos id as returned/],
      ['/v1/monitors', { ...bodies.monitor(own.service), regions: ['US East'] }, '/regions/0', /^Must be lower-case letters, digits and "-"/],
      ['/v1/monitors', { ...bodies.monitor(own.service), type: 'tcp', http: undefined, tcp: { host: 'tcp://db:5432', port: 5432 } }, '/tcp/host', /^Must be a host name or IP address without a scheme/],
      ['/v1/monitors', { ...bodies.monitor(own.service), run_from: { zone: 'Fulfillment Zone' } }, '/run_from/zone', /^Must be lower-case letters/],
      ['/v1/monitors', { ...bodies.monitor(own.service), name: 'has space' }, '/name', /^Must be letters, digits, "\.", "-" and "_"/],
      ['/v1/alert-rules', { ...bodies.alertRule(own.team), for_duration: '5 minutes' }, '/for_duration', /^Must be a duration/],
      ['/v1/channels', { ...bodies.channel(own.team), webhook: { url: 'hooks.example.com/x' } }, '/webhook/url', /^Must start with http:\/\/ or https:\/\//],
      ['/v1/channels', { ...bodies.channel(own.team), webhook: { url: 'ftp://hooks.example.com/x' } }, '/webhook/url', /^Must start with http:\/\/ or https:\/\//],
    ];
    for (const [path, body, pointer, message] of cases) {
      const res = await api.call('POST', path, { body });
      assert.equal(res.status, 422, `${path} ${pointer}: ${JSON.stringify(res.body)}`);
      const error = res.body.errors.find((e: { pointer: string }) => e.pointer === pointer);
      assert.ok(error, `${pointer} in ${JSON.stringify(res.body.errors)}`);
      assert.match(error.message, message);
      assert.doesNotMatch(res.body.detail, /must match \^/, 'no regular expression in the message');
    }
  });
});
