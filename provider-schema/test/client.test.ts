import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ApiError } from '../src/client/api.error.ts';
import { resolveClientConfig } from '../src/client/client-config.model.ts';
import { pointerToPath } from '../src/client/json-pointer.mapper.ts';
import { PharosClient } from '../src/client/pharos.client.ts';
import { isRetryableError, isRetryableStatus, retryDelayMs } from '../src/client/retry.policy.ts';
import { Diagnostics } from '../src/engine/diagnostics.model.ts';
import type { Logger } from '../src/engine/logger.port.ts';
import { blockType } from '../src/schema/block-type.mapper.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

test('JSON pointers map to attribute paths', () => {
  const cases: [string, unknown][] = [
    ['/http/url', [{ attribute: 'http' }, { attribute: 'url' }]],
    ['/assertions/0/target', [{ attribute: 'assertions' }, { index: 0 }, { attribute: 'target' }]],
    ['/a~1b/c~0d', [{ attribute: 'a/b' }, { attribute: 'c~d' }]],
    ['', []],
  ];
  for (const [pointer, path] of cases) assert.deepEqual(pointerToPath(pointer), path, pointer);
});

test('with the schema type, numeric map keys stay keys and list indexes stay indexes', () => {
  const type = blockType({
    attributes: { tags: { type: ['map', 'string'], optional: true } },
    block_types: { rule: { nesting_mode: 'list', block: { attributes: { name: { type: 'string', required: true } } } } },
  });
  assert.deepEqual(pointerToPath('/tags/1', type), [{ attribute: 'tags' }, { key: '1' }]);
  assert.deepEqual(pointerToPath('/rule/2/name', type), [{ attribute: 'rule' }, { index: 2 }, { attribute: 'name' }]);
});

test('retry policy: which failures, how long', () => {
  assert.deepEqual([429, 500, 502, 503, 504, 404].map(isRetryableStatus), [true, false, true, true, true, false]);
  assert.ok(isRetryableError({ code: 'ECONNREFUSED' }));
  assert.ok(isRetryableError({ cause: { code: 'UND_ERR_SOCKET' } }));
  assert.ok(!isRetryableError(new Error('boom')));
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(retryDelayMs(policy, 1, undefined, () => 1), 100);
  assert.equal(retryDelayMs(policy, 3, undefined, () => 1), 400);
  assert.equal(retryDelayMs(policy, 3, undefined, () => 0), 200);
  assert.equal(retryDelayMs(policy, 10, undefined, () => 1), 1000);
  assert.equal(retryDelayMs(policy, 1, '0.5'), 500);
  assert.equal(retryDelayMs(policy, 1, '120'), 1000);
});

test('client config falls back to PHAROS_API_URL / PHAROS_TOKEN', () => {
  const d = new Diagnostics();
  assert.deepEqual(resolveClientConfig({}, { PHAROS_API_URL: 'http://x:1/', PHAROS_TOKEN: 't' }, d), { endpoint: 'http://x:1', token: 't' });
  assert.deepEqual(resolveClientConfig({ endpoint: 'https://y', token: 'u' }, { PHAROS_API_URL: 'http://x:1' }, d), { endpoint: 'https://y', token: 'u' });
  const bad = new Diagnostics();
  assert.equal(resolveClientConfig({ endpoint: 'not a url' }, {}, bad), undefined);
  assert.deepEqual(bad.items[0]?.path, [{ attribute: 'endpoint' }]);
  const none = new Diagnostics();
  assert.equal(resolveClientConfig({}, {}, none), undefined);
  assert.match(none.items[0]?.detail ?? '', /PHAROS_API_URL/);
});

async function withServer(handler: Parameters<typeof createServer>[1], fn: (client: PharosClient, hits: () => number) => Promise<void>) {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler!(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new PharosClient({
    config: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'tok' },
    fetch: globalThis.fetch,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    log: quiet,
  });
  try {
    await fn(client, () => count);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('retries 503 and 429, then succeeds; sends the token and one idempotency key', async () => {
  const keys = new Set<string>();
  let n = 0;
  await withServer(
    (req, res) => {
      keys.add(String(req.headers['idempotency-key']));
      assert.equal(req.headers.authorization, 'Bearer tok');
      n++;
      if (n <= 2) {
        res.writeHead(n === 1 ? 503 : 429, { 'retry-after': '0' }).end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"t-1"}');
    },
    async (client, hits) => {
      assert.deepEqual(await client.post('/v1/teams', { name: 'a' }), { id: 't-1' });
      assert.equal(hits(), 3);
      assert.equal(keys.size, 1, 'retries reuse the idempotency key');
    },
  );
});

test('422 field errors become diagnostics with attribute paths', async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(422, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({ type: 'x', title: 'Validation failed', status: 422, code: 'validation_failed', detail: 'bad', errors: [{ pointer: '/assertions/1/target', message: 'must be a number' }] }),
      );
    },
    async (client) => {
      const err = await client.post('/v1/monitors', {}, { operation: 'Creating pharos_monitor' }).catch((e: unknown) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'validation_failed');
      assert.equal(err.diagnostics[0]?.summary, 'Creating pharos_monitor: Validation failed');
      assert.deepEqual(err.diagnostics[0]?.path, [{ attribute: 'assertions' }, { index: 1 }, { attribute: 'target' }]);
    },
  );
});

test('401 says the token was refused; 404 on GET is null and on DELETE success', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/v1/teams/x') res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"not_found","title":"Not Found","status":404}');
      else res.writeHead(401, { 'content-type': 'application/problem+json' }).end('{"code":"unauthorized","title":"Unauthorized","status":401,"detail":"Token revoked."}');
    },
    async (client) => {
      assert.equal(await client.getOrNull('/v1/teams/x'), null);
      await client.delete('/v1/teams/x');
      const err = await client.get('/v1/teams').catch((e: unknown) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.diagnostics[0]?.summary, 'The Pharos API refused the token');
      assert.match(err.diagnostics[0]?.detail ?? '', /Token revoked\..*PHAROS_TOKEN/);
    },
  );
});

test('an unreachable API is retried, then reported with the URL', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const client = new PharosClient({ config: { endpoint: `http://127.0.0.1:${port}`, token: 't' }, fetch: globalThis.fetch, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, log: quiet });
  const err = await client.get('/v1/teams').catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 'unreachable');
  assert.equal(err.diagnostics[0]?.summary, 'Cannot reach the Pharos API');
  assert.match(err.diagnostics[0]?.detail ?? '', new RegExp(`127\\.0\\.0\\.1:${port}.*after 3 attempt`));
});

test('a hung API call times out per attempt and is retried', async () => {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    if (n === 1) return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new PharosClient({
    config: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' },
    fetch: globalThis.fetch,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    log: quiet,
    attemptTimeoutMs: 200,
  });
  try {
    assert.deepEqual(await client.get('/v1/teams'), { ok: true });
    assert.equal(n, 2);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
