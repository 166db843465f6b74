import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProtocolClient, type ProtocolClient } from '../src/protocol/protocol.client.ts';
import { ProtocolError } from '../src/protocol/protocol.errors.ts';

/** What the server answers next: status, headers and body (a string is sent as is). */
let reply: { status: number; headers?: Record<string, string>; body?: unknown; hang?: boolean; destroy?: boolean } = { status: 200 };
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
let server: http.Server;
let client: ProtocolClient;
const signal = new AbortController().signal;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      if (reply.destroy) return void req.socket.destroy();
      if (reply.hang) return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`);
  client = createProtocolClient({ apiUrl: base, token: 'phr_secret', userAgent: 'test', registerTimeoutMs: 300, pushTimeoutMs: 300 });
});
after(async () => {
  await client.close().catch(() => undefined);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const problem = (status: number, code: string, detail: string) => ({ status, body: { type: 'x', title: code, status, code, detail } });
const registration = { protocol_version: 1, version: '0.1.0', capabilities: ['http' as const] };
const runnerId = 'run_01J0000000000000000000000A';

/** The ProtocolError a call ends with (or a failure when it succeeds). */
async function failure(call: () => Promise<unknown>): Promise<ProtocolError> {
  try {
    await call();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('protocol client', () => {
  it('sends the token and keeps the base path; fills defaults of a sparse registration answer', async () => {
    reply = { status: 201, body: { runner_id: runnerId, region: 'eu-west-1', labels: { zone: 'a' }, lease_seconds: 10, poll_wait_seconds: 0, max_batch: 5000 } };
    const registered = await client.register(registration, signal);
    assert.equal(seen.at(-1)!.url, '/prefix/v1/runner/register');
    assert.equal(seen.at(-1)!.authorization, 'Bearer phr_secret');
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), registration);
    assert.equal(registered.poll_wait_seconds, 1, 'a wait of 0 would be a busy loop');
    assert.equal(registered.max_batch, 1000, 'never above the contract maximum');
  });

  it('polls with runner id, revision and wait', async () => {
    reply = { status: 200, body: { revision: 7, full: false, monitors: [], removed: ['mon_1'], confirmations: [], lease_expires_at: 'x' } };
    const answer = await client.pollAssignments({ runnerId, revision: 6, waitSeconds: 1 }, signal);
    assert.equal(seen.at(-1)!.url, `/prefix/v1/runner/assignments?runner_id=${runnerId}&revision=6&wait=1`);
    assert.deepEqual(answer.removed, ['mon_1']);
  });

  const cases: [string, typeof reply, 'register' | 'poll' | 'push' , string, number | undefined][] = [
    ['426 is incompatible_runner with the API message', problem(426, 'incompatible_runner', 'Speak protocol 2.'), 'register', 'incompatible_runner', 426],
    ['401 is unauthorized', problem(401, 'unauthorized', 'revoked'), 'poll', 'unauthorized', 401],
    ['404 on a poll is runner_unknown', problem(404, 'not_found', 'Runner was not found.'), 'poll', 'runner_unknown', 404],
    ['410 on a push is runner_unknown', problem(410, 'gone', 'gone'), 'push', 'runner_unknown', 410],
    ['404 on register is a rejected request (wrong URL?)', problem(404, 'not_found', 'no route'), 'register', 'request_rejected', 404],
    ['413 is payload_too_large', problem(413, 'payload_too_large', 'At most 250.'), 'push', 'payload_too_large', 413],
    ['503 is unavailable', problem(503, 'unavailable', 'down'), 'push', 'unavailable', 503],
    ['502 from a proxy with HTML is unavailable', { status: 502, body: '<html>bad gateway</html>' }, 'poll', 'unavailable', 502],
    ['403 is a rejected request', problem(403, 'forbidden', 'no'), 'push', 'request_rejected', 403],
    ['a 2xx that is not JSON is bad_response', { status: 200, body: 'ok' }, 'push', 'bad_response', 200],
    ['a 2xx without the required fields is bad_response', { status: 200, body: { hello: 1 } }, 'poll', 'bad_response', undefined],
    ['a dropped connection is unavailable', { status: 0, destroy: true }, 'push', 'unavailable', undefined],
    ['no answer in time is unavailable', { status: 0, hang: true }, 'register', 'unavailable', undefined],
  ];
  for (const [name, answer, call, code, status] of cases) {
    it(name, async () => {
      reply = answer;
      const err = await failure(() =>
        call === 'register'
          ? client.register(registration, signal)
          : call === 'poll'
            ? client.pollAssignments({ runnerId, revision: 0, waitSeconds: 1 }, signal)
            : client.pushResults(runnerId, [], signal),
      );
      assert.equal(err.code, code, err.message);
      assert.equal(err.status, status);
      if (code === 'incompatible_runner') assert.equal(err.message, 'Speak protocol 2.');
      assert.equal(err.fatal, code === 'incompatible_runner' || code === 'unauthorized');
    });
  }

  it('reads Retry-After on 429', async () => {
    reply = { ...problem(429, 'rate_limited', 'slow down'), headers: { 'retry-after': '3' } };
    const err = await failure(() => client.pushResults(runnerId, [], signal));
    assert.equal(err.code, 'unavailable');
    assert.equal(err.retryAfterSeconds, 3);
  });

  it('treats a 404 on deregister as "not known" and an abort as aborted', async () => {
    reply = problem(404, 'not_found', 'no such route');
    assert.equal(await client.deregister(runnerId, signal), false);
    reply = { status: 204, body: '' };
    assert.equal(await client.deregister(runnerId, signal), true);
    const controller = new AbortController();
    controller.abort();
    assert.equal((await failure(() => client.pushResults(runnerId, [], controller.signal))).code, 'aborted');
  });
});
