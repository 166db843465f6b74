import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import type { RunnerMonitor } from '../src/checks/check.types.ts';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';

const registry = createCheckRegistry();
const run = (m: RunnerMonitor) => executeCheck(m, registry, { region: 'test-1' });
let fx: HttpFixture;

before(async () => {
  fx = await startHttpFixture();
});
after(() => fx.close());

describe('http check', () => {
  it('reports up with status, timing breakdown and a W3C trace id that the server received', async () => {
    const result = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/json` },
        assertions: [
          { source: 'status_code', operator: 'equals', target: '200' },
          { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' },
          { source: 'header', path: 'X-Request-Id', operator: 'equals', target: 'abc-123' },
          { source: 'response_time', operator: 'less_than', target: '2000' },
        ],
      }),
    );
    assert.equal(result.status, 'up', JSON.stringify(result.error));
    assert.equal(result.status_code, 200);
    assert.match(result.id, /^res_[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(result.region, 'test-1');
    assert.equal(result.assertions?.length, 4);
    assert.ok(result.assertions?.every((a) => a.passed));
    const t = result.timings!;
    assert.ok(t.connect_ms !== undefined && t.first_byte_ms !== undefined && t.download_ms !== undefined);
    assert.equal(t.tls_ms, undefined, 'plain http has no TLS phase');
    assert.equal(t.dns_ms, undefined, 'an IP literal needs no DNS lookup');
    assert.ok(t.total_ms >= t.connect_ms! + t.first_byte_ms!);
    assert.match(result.trace_id ?? '', /^[0-9a-f]{32}$/);
    const seen = fx.requests.at(-1)!;
    assert.match(String(seen.headers.traceparent), new RegExp(`^00-${result.trace_id}-[0-9a-f]{16}-01$`));
    assert.match(String(seen.headers['user-agent']), /Pharos-Runner/);
  });

  it('sends a fresh trace id and opens a fresh connection for every check', async () => {
    const m = monitor({ type: 'http', http: { url: `${fx.baseUrl}/json` } });
    const first = await run(m);
    const second = await run(m);
    assert.notEqual(first.trace_id, second.trace_id);
    const [a, b] = fx.requests.slice(-2);
    assert.notEqual(a!.remotePort, b!.remotePort, 'each check uses its own TCP connection');
    // ...and closes it when done, so nothing is pooled or leaked between checks.
    for (let i = 0; i < 50 && (await fx.openConnections()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await fx.openConnections(), 0);
  });

  it('applies the default 2xx/3xx rule only when no status assertion is given', async () => {
    const plain = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/status/503` } }));
    assert.equal(plain.status, 'down');
    assert.equal(plain.error?.code, 'http_error');
    assert.equal(plain.status_code, 503);

    const expected = await run(
      monitor({ type: 'http', http: { url: `${fx.baseUrl}/status/503` }, assertions: [{ source: 'status_code', operator: 'equals', target: '503' }] }),
    );
    assert.equal(expected.status, 'up');

    const notFound = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/status/404` } }));
    assert.equal(notFound.status, 'down');
  });

  it('fails on a down assertion and degrades on a degraded one', async () => {
    const down = await run(
      monitor({ type: 'http', http: { url: `${fx.baseUrl}/json` }, assertions: [{ source: 'json_body', path: '$.status', operator: 'equals', target: 'ok' }] }),
    );
    assert.equal(down.status, 'down');
    assert.equal(down.error?.code, 'assertion_failed');
    assert.equal(down.assertions?.[0]?.actual, 'healthy');

    const degraded = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/json` },
        assertions: [{ source: 'body', operator: 'contains', target: 'maintenance', severity: 'degraded' }],
      }),
    );
    assert.equal(degraded.status, 'degraded');
    assert.equal(degraded.error?.code, 'assertion_failed');
  });

  it('marks a passing but slow check degraded via degraded_threshold_ms', async () => {
    const result = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/slow?ms=150` }, degraded_threshold_ms: 50 }));
    assert.equal(result.status, 'degraded');
    assert.equal(result.error?.code, 'slow_response');
    assert.ok(result.duration_ms >= 140);
  });

  it('stops at timeout_seconds with code timeout', async () => {
    const started = Date.now();
    const result = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/slow?ms=3000` }, timeout_seconds: 0.3 }));
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'timeout');
    assert.ok(Date.now() - started < 1500, 'the whole check is bounded by its budget');
  });

  it('follows redirects up to max_redirects', async () => {
    const ok = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/redirect/3`, max_redirects: 5 } }));
    assert.equal(ok.status, 'up');
    assert.equal(ok.status_code, 200);
    assert.equal(ok.details?.redirects, 3);
    assert.match(String(ok.details?.final_url), /\/json$/);

    const capped = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/redirect/3`, max_redirects: 2 } }));
    assert.equal(capped.status, 'down');
    assert.equal(capped.error?.code, 'too_many_redirects');

    const loop = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/loop` } }));
    assert.equal(loop.error?.code, 'too_many_redirects');

    const notFollowed = await run(monitor({ type: 'http', http: { url: `${fx.baseUrl}/redirect/1`, follow_redirects: false } }));
    assert.equal(notFollowed.status_code, 302);
    assert.equal(notFollowed.status, 'up', '3xx counts as up under the default rule');
  });

  it('sends secret headers (from the assignment) along with the plain ones', async () => {
    const res = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/echo`, headers: { accept: 'application/json' }, secret_headers: { Authorization: 'Bearer s3cr3t', 'X-Api-Key': 'k2' } },
        assertions: [
          { source: 'json_body', path: '$.headers.authorization', operator: 'equals', target: 'Bearer s3cr3t' },
          { source: 'json_body', path: '$.headers.x-api-key', operator: 'equals', target: 'k2' },
          { source: 'json_body', path: '$.headers.accept', operator: 'equals', target: 'application/json' },
        ],
      }),
    );
    assert.equal(res.status, 'up', JSON.stringify(res.assertions));
  });

  it('sends method, headers and body, and turns a POST into a GET on 303', async () => {
    const post = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/echo`, method: 'POST', headers: { 'X-Api-Key': 'k1', 'content-type': 'text/plain' }, body: 'ping' },
        assertions: [
          { source: 'json_body', path: '$.method', operator: 'equals', target: 'POST' },
          { source: 'json_body', path: '$.headers.x-api-key', operator: 'equals', target: 'k1' },
          { source: 'json_body', path: '$.body', operator: 'equals', target: 'ping' },
        ],
      }),
    );
    assert.equal(post.status, 'up', JSON.stringify(post.assertions));

    const seeOther = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/see-other`, method: 'POST', body: 'payload' },
        assertions: [
          { source: 'json_body', path: '$.method', operator: 'equals', target: 'GET' },
          { source: 'json_body', path: '$.body', operator: 'equals', target: '' },
        ],
      }),
    );
    assert.equal(seeOther.status, 'up', JSON.stringify(seeOther.assertions));
  });

  it('reads at most max_body_bytes and never pulls the rest of a huge body', async () => {
    const total = 64 * 1024 * 1024;
    const result = await run(
      monitor({
        type: 'http',
        http: { url: `${fx.baseUrl}/big?bytes=${total}`, max_body_bytes: 1000 },
        assertions: [{ source: 'body', operator: 'matches', target: '^x+$' }],
      }),
    );
    assert.equal(result.status, 'up');
    assert.equal(result.details?.body_bytes, 1000);
    assert.equal(result.details?.body_truncated, true);
    // Give the server a moment to notice the hang-up, then check how much it got rid of.
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(fx.bigBytesWritten() < total / 4, `server wrote ${fx.bigBytesWritten()} of ${total} bytes`);
  });

  it('reports connection_refused for a closed port', async () => {
    const port = await closedPort();
    const result = await run(monitor({ type: 'http', http: { url: `http://127.0.0.1:${port}/` } }));
    assert.equal(result.status, 'down');
    assert.equal(result.error?.code, 'connection_refused');
    assert.match(result.trace_id ?? '', /^[0-9a-f]{32}$/);
  });

  it('reports invalid_monitor for an http monitor without its http block', async () => {
    const result = await run(monitor({ type: 'http' }));
    assert.equal(result.error?.code, 'invalid_monitor');
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
