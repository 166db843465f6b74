import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCheckRegistry } from '../src/checks/check.registry.ts';
import { executeCheck } from '../src/checks/check.executor.ts';
import type { RunnerMonitor } from '../src/checks/check.types.ts';
import { startRawHttpFixture, type RawHttpFixture, type RawStep } from './helpers/raw-http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';

// HTTP checks against a server that writes exact bytes: how the runner's own HTTP/1.1 exchange
// handles packet splits, framing it must reject, early closes, and what the timings cover.

const registry = createCheckRegistry();
const run = (m: RunnerMonitor) => executeCheck(m, registry, { region: 'test-1' });
const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

const routes: Record<string, RawStep[]> = {
  '/chunked-split': [
    'HTTP/1.1 200 OK\r\nTransfer-En',
    { waitMs: 20 },
    'coding: chunked\r\n\r\n4\r',
    { waitMs: 60 },
    '\nPhar\r\n2',
    { waitMs: 60 },
    '\r\nos\r\n0\r\n\r\n',
  ],
  '/slow-head': [{ waitMs: 250 }, ok('late')],
  '/bad-chunk': ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n'],
  '/huge-headers': [`HTTP/1.1 200 OK\r\nX-Padding: ${'p'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`],
  '/not-http': ['SSH-2.0-OpenSSH_9.6\r\n\r\n'],
  '/short-body': ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this', 'end'],
  '/silent-close': ['end'],
  '/reset': ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart', { waitMs: 20 }, 'reset'],
  '/until-close': ['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nread ', { waitMs: 20 }, 'to the end', 'end'],
  // Announces a body it never sends and keeps the connection open: only HEAD may finish here.
  '/head-only': ['HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nX-Head: yes\r\n\r\n'],
  '/no-content': ['HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'],
  '/stall': ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'],
  '/big-chunks': ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', ...Array.from({ length: 50 }, () => `400\r\n${'y'.repeat(1024)}\r\n`)],
  '/early-hints': ['HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n', { waitMs: 10 }, ok('final', 'X-Final: 1\r\n')],
  '/redirect': ['HTTP/1.1 302 Found\r\nLocation: /until-close\r\nContent-Length: 1000000\r\n\r\n'],
  '/echo': [],
};

let fx: RawHttpFixture;
before(async () => {
  fx = await startRawHttpFixture((head) => {
    const path = head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1)).split('?')[0] ?? '';
    if (path === '/echo') return [ok(JSON.stringify({ head })), 'end'];
    return routes[path] ?? ['HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'];
  });
});
after(() => fx.close());

const url = (path: string): string => `${fx.baseUrl}${path}`;

describe('http check on the runner HTTP/1.1 exchange', () => {
  it('reads a chunked body split across packets and times the download after the head', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/chunked-split') }, assertions: [{ source: 'body', operator: 'equals', target: 'Pharos' }] }));
    assert.equal(result.status, 'up', JSON.stringify(result.error ?? result.assertions));
    assert.equal(result.details?.body_bytes, 6);
    // The head was complete after the first 20 ms; the two 60 ms gaps fall in the download.
    assert.ok(result.timings!.download_ms! >= 100, `download_ms ${result.timings!.download_ms}`);
    assert.ok(result.timings!.total_ms >= result.timings!.first_byte_ms! + result.timings!.download_ms!);
  });

  it('counts the wait for the response head as time to first byte, not download', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/slow-head') } }));
    assert.equal(result.status, 'up');
    assert.ok(result.timings!.first_byte_ms! >= 200, `first_byte_ms ${result.timings!.first_byte_ms}`);
    assert.ok(result.timings!.download_ms! < result.timings!.first_byte_ms!);
  });

  it('reports malformed responses as http_error naming what was wrong', async () => {
    const cases: [string, RegExp][] = [
      ['/bad-chunk', /HPE_INVALID_CHUNK.*chunk size/],
      ['/huge-headers', /HPE_HEADER_OVERFLOW.*larger than 16384 bytes/],
      ['/not-http', /HPE_INVALID_STATUS.*SSH-2\.0/],
    ];
    for (const [path, message] of cases) {
      const result = await run(monitor({ type: 'http', http: { url: url(path) } }));
      assert.equal(result.status, 'down', path);
      assert.equal(result.error?.code, 'http_error', path);
      assert.match(result.error!.message, message);
    }
  });

  it('reports a connection closed or reset before the response was complete as connection_reset', async () => {
    for (const [path, message] of [
      ['/short-body', /after 9 of 100 body bytes/],
      ['/silent-close', /without sending a response/],
      ['/reset', /ECONNRESET/],
    ] as const) {
      const result = await run(monitor({ type: 'http', http: { url: url(path) } }));
      assert.equal(result.status, 'down', path);
      assert.equal(result.error?.code, 'connection_reset', `${path}: ${JSON.stringify(result.error)}`);
      assert.match(result.error!.message, message);
    }
  });

  it('reads a body delimited by the end of the connection', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/until-close') }, assertions: [{ source: 'body', operator: 'equals', target: 'read to the end' }] }));
    assert.equal(result.status, 'up', JSON.stringify(result.assertions));
  });

  it('finishes HEAD and 204 at the head, without waiting for an announced body', async () => {
    const head = await run(monitor({ type: 'http', http: { url: url('/head-only'), method: 'HEAD' }, assertions: [{ source: 'header', path: 'x-head', operator: 'equals', target: 'yes' }] }));
    assert.equal(head.status, 'up', JSON.stringify(head.error ?? head.assertions));
    assert.equal(head.details?.body_bytes, 0);
    const noContent = await run(monitor({ type: 'http', http: { url: url('/no-content') } }));
    assert.equal(noContent.status, 'up', JSON.stringify(noContent.error));
    assert.equal(noContent.status_code, 204);
  });

  it('cuts a chunked body at max_body_bytes', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/big-chunks'), max_body_bytes: 3000 } }));
    assert.equal(result.status, 'up');
    assert.equal(result.details?.body_bytes, 3000);
    assert.equal(result.details?.body_truncated, true);
  });

  it('with max_body_bytes 0 reads no body but says there was one', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/until-close'), max_body_bytes: 0 } }));
    assert.equal(result.status, 'up');
    assert.equal(result.details?.body_bytes, 0);
    assert.equal(result.details?.body_truncated, true);
  });

  it('skips 1xx interim responses and judges the final one', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/early-hints') }, assertions: [{ source: 'header', path: 'x-final', operator: 'equals', target: '1' }] }));
    assert.equal(result.status, 'up', JSON.stringify(result.error ?? result.assertions));
    assert.equal(result.status_code, 200);
  });

  it('follows a redirect without reading the body it announced', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/redirect') }, assertions: [{ source: 'body', operator: 'equals', target: 'read to the end' }] }));
    assert.equal(result.status, 'up', JSON.stringify(result.error ?? result.assertions));
    assert.equal(result.details?.redirects, 1);
  });

  it('times out a response that stalls mid-body', async () => {
    const result = await run(monitor({ type: 'http', http: { url: url('/stall') }, timeout_seconds: 0.3 }));
    assert.equal(result.error?.code, 'timeout');
  });

  it('sends Host, Connection: close and Content-Length, and overrides framing headers a monitor sets', async () => {
    const result = await run(
      monitor({
        type: 'http',
        http: { url: url('/echo?q=1'), method: 'POST', body: 'grüße', headers: { 'Content-Length': '999', Connection: 'keep-alive', 'X-Team': 'checkout' } },
      }),
    );
    assert.equal(result.status, 'up', JSON.stringify(result.error));
    const head = fx.requests.at(-1)!;
    assert.match(head, /^POST \/echo\?q=1 HTTP\/1\.1\r\n/);
    assert.match(head, new RegExp(`\r\nhost: 127\\.0\\.0\\.1:${new URL(fx.baseUrl).port}\r\n`));
    assert.match(head, /\r\nconnection: close\r\n/);
    assert.match(head, /\r\ncontent-length: 7\r\n/);
    assert.match(head, /\r\nx-team: checkout\r\n/);
    assert.doesNotMatch(head, /999|keep-alive/);
  });

  it('rejects a header value with a line break as invalid_monitor, before connecting', async () => {
    const before = fx.requests.length;
    const result = await run(monitor({ type: 'http', http: { url: url('/echo'), headers: { 'X-Evil': 'a\r\nX-Injected: 1' } } }));
    assert.equal(result.error?.code, 'invalid_monitor');
    assert.match(result.error!.message, /x-evil/);
    assert.equal(fx.requests.length, before);
  });
});
