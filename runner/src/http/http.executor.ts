import { once } from 'node:events';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import type { Timings } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckFailure, type FailureCode } from '../checks/check.errors.ts';
import { createTimedConnector, type ConnectTimings } from './timed.connector.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One HTTP(S) request as a check wants it made, with every default already applied. */
export interface HttpRequestSpec {
  url: string;
  method: HttpMethod;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  followRedirects: boolean;
  maxRedirects: number;
  verifyTls: boolean;
  maxBodyBytes: number;
  /** W3C traceparent header value, sent on every hop. */
  traceparent: string;
}

/** What came back: the final response after redirects, its body cut at maxBodyBytes, and timings. */
export interface HttpExchange {
  statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Bytes kept in `body` (at most maxBodyBytes). */
  bodyBytes: number;
  /** True when the response had more than maxBodyBytes; the rest was not read. */
  bodyTruncated: boolean;
  /** Phases summed over every hop; total covers the whole exchange. */
  timings: Timings;
  finalUrl: string;
  redirects: number;
}

export interface HttpExecutionContext {
  signal: AbortSignal;
  deadline: number;
  trustedCa?: readonly string[];
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
// Credentials the user configured for one origin must not leak to another on redirect.
const originBoundHeaders = ['authorization', 'cookie', 'proxy-authorization', 'host'];
const userAgent = 'Pharos-Runner/0.1';

interface HopResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  connect: ConnectTimings;
  firstByteMs: number;
  downloadMs: number;
}

/** Performs the request, following redirects itself (each hop on a fresh connection); throws CheckFailure. */
export async function executeHttp(spec: HttpRequestSpec, ctx: HttpExecutionContext): Promise<HttpExchange> {
  const startedAt = performance.now();
  const sums = { dns: 0, connect: 0, tls: 0, firstByte: 0, download: 0 };
  const seen = { dns: false, connect: false, tls: false };
  let url = parseUrl(spec.url);
  let method = spec.method;
  let body = spec.body;
  let headers = baseHeaders(spec);

  for (let redirects = 0; ; redirects++) {
    const hop = await executeHop(url, method, headers, body, spec, ctx);
    if (hop.connect.dnsMs !== undefined) {
      sums.dns += hop.connect.dnsMs;
      seen.dns = true;
    }
    if (hop.connect.connectMs !== undefined) {
      sums.connect += hop.connect.connectMs;
      seen.connect = true;
    }
    if (hop.connect.tlsMs !== undefined) {
      sums.tls += hop.connect.tlsMs;
      seen.tls = true;
    }
    sums.firstByte += hop.firstByteMs;
    sums.download += hop.downloadMs;

    const location = hop.headers['location'];
    if (!spec.followRedirects || !redirectStatuses.has(hop.statusCode) || !location) {
      const timings: Timings = { total_ms: round(performance.now() - startedAt) };
      if (seen.dns) timings.dns_ms = round(sums.dns);
      if (seen.connect) timings.connect_ms = round(sums.connect);
      if (seen.tls) timings.tls_ms = round(sums.tls);
      timings.first_byte_ms = round(sums.firstByte);
      timings.download_ms = round(sums.download);
      return {
        statusCode: hop.statusCode,
        headers: hop.headers,
        body: hop.body,
        bodyBytes: hop.bodyBytes,
        bodyTruncated: hop.bodyTruncated,
        timings,
        finalUrl: url.href,
        redirects,
      };
    }
    if (redirects >= spec.maxRedirects) {
      throw new CheckFailure('too_many_redirects', `more than ${spec.maxRedirects} redirects (last to ${location})`);
    }
    // A broken Location is the server's fault, not the monitor's.
    const next = parseUrl(location, url, 'http_error');
    if (next.origin !== url.origin) headers = withoutHeaders(headers, originBoundHeaders);
    // Browsers and curl turn these into GET without a body; a monitor should see what a client sees.
    if (hop.statusCode === 303 || ((hop.statusCode === 301 || hop.statusCode === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length']);
    }
    url = next;
  }
}

function parseUrl(raw: string, base?: URL, code: FailureCode = 'invalid_monitor'): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new CheckFailure(code, `not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckFailure(code, `unsupported URL scheme ${url.protocol}`);
  }
  return url;
}

function baseHeaders(spec: HttpRequestSpec): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['user-agent'] ??= userAgent;
  headers['traceparent'] = spec.traceparent;
  return headers;
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const copy = { ...headers };
  for (const name of names) delete copy[name];
  return copy;
}

async function executeHop(
  url: URL,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | undefined,
  spec: HttpRequestSpec,
  ctx: HttpExecutionContext,
): Promise<HopResult> {
  let connect: ConnectTimings = {};
  let socket: Socket | undefined;
  const budget = Math.max(1, ctx.deadline - Date.now());
  // One Client per hop, no Pool/Agent: a check wants a fresh connection, and undici's shared
  // pool would build and tear down a Pool for it anyway (see DESIGN.md, performance facts).
  const client = new Client(url.origin, {
    connect: createTimedConnector({
      verifyTls: spec.verifyTls,
      trustedCa: ctx.trustedCa,
      onTimings: (t) => (connect = t),
      onSocket: (s) => (socket = s),
    }),
    pipelining: 1,
    // The check's signal is the real deadline; these only keep undici's own defaults from firing first.
    headersTimeout: budget + 1000,
    bodyTimeout: budget + 1000,
  });
  const sentAt = performance.now();
  let finished = false;
  try {
    const response = await client.request({
      path: url.pathname + url.search,
      method,
      headers,
      body,
      signal: ctx.signal,
    });
    // Destroying an unread body errors the stream; nothing else listens, so swallow it here.
    response.body.on('error', () => {});
    const headersAt = performance.now();
    const responseHeaders = flattenHeaders(response.headers);
    // A redirect we are about to follow has a body nobody will look at.
    const willFollow = spec.followRedirects && redirectStatuses.has(response.statusCode) && responseHeaders['location'] !== undefined;
    const limit = willFollow ? 0 : spec.maxBodyBytes;
    const read = await readCapped(response.body, limit, method === 'HEAD');
    // A truncated body left the response half read: that one goes the destroy() way.
    finished = !read.bodyTruncated;
    return {
      statusCode: response.statusCode,
      headers: responseHeaders,
      ...read,
      connect,
      firstByteMs: headersAt - (connect.readyAt ?? sentAt),
      downloadMs: performance.now() - headersAt,
    };
  } catch (err) {
    throw toCheckFailure(err, ctx.signal);
  } finally {
    await closeQuietly(client, socket, finished);
  }
}

/**
 * The reason handed to undici when a check that finished closes its connection. undici builds an
 * Error for every connection that closes (SocketError "closed" when the socket goes,
 * ClientDestroyedError when the Client does), even when no request is left to fail; capturing
 * their stack traces was 9 % of a check's CPU at 333 checks/s. A finished exchange has no request
 * left for the reason to reach, so one shared instance serves every check.
 */
const finishedExchange = Object.assign(new Error('the check finished and closed its connection'), { code: 'UND_ERR_INFO' });

/**
 * Closes the check's connection. We end the socket ourselves, without an error, before
 * destroying the Client: undici's own paths (reset: true, destroy on an open socket) hand an
 * error to socket.destroy(), and Node then renders its stack trace (source-mapped under tsx),
 * which costs more CPU than the rest of a check. Why not keep-alive: every check must measure a
 * fresh connection.
 */
async function closeQuietly(client: Client, socket: Socket | undefined, finished: boolean): Promise<void> {
  if (socket && !socket.closed) {
    // undici reads the reason a socket closed from its own error slot and makes a SocketError only
    // when that is empty: after a finished exchange the reason is known and needs no new Error.
    if (finished) markClosedBy(socket, finishedExchange);
    const closed = once(socket, 'close').catch(() => {});
    socket.destroy();
    await closed;
  }
  // An exchange that finished leaves an idle Client without a socket: destroying it with the shared
  // reason settles it without building a ClientDestroyedError. Anything else (aborted, failed)
  // may still hold a request: destroy() errors it out with undici's own error.
  if (finished) await client.destroy(finishedExchange).catch(() => {});
  else await client.destroy().catch(() => {});
}

/** undici's per-socket error slot: the same Symbol('error') on every socket it drives, found once. */
let errorSlot: symbol | undefined;

/** Sets undici's per-socket error slot when it is empty; does nothing on a socket without one. */
function markClosedBy(socket: Socket, reason: Error): void {
  const slots = socket as unknown as Record<symbol, unknown>;
  if (errorSlot === undefined || !Object.hasOwn(socket, errorSlot)) {
    errorSlot = Object.getOwnPropertySymbols(socket).find((key) => key.description === 'error');
    if (errorSlot === undefined) return;
  }
  if (slots[errorSlot] === null || slots[errorSlot] === undefined) slots[errorSlot] = reason;
}

// decode() without { stream: true } keeps no state between calls, so one instance serves every check.
const utf8 = new TextDecoder();

/**
 * Reads the body up to maxBytes from 'data' events (no async iterator: for await built an
 * iterator, an end-of-stream watcher and a promise per chunk for every check). Past the cap the
 * stream is destroyed: the rest is never read, let alone buffered.
 */
function readCapped(
  stream: NodeJS.ReadableStream & { destroy(): void },
  maxBytes: number,
  skip: boolean,
): Promise<Pick<HopResult, 'body' | 'bodyBytes' | 'bodyTruncated'>> {
  if (skip) {
    stream.destroy();
    return Promise.resolve({ body: '', bodyBytes: 0, bodyTruncated: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let settled = false;
    const settle = (truncated: boolean): void => {
      settled = true;
      stream.removeListener('data', onData);
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept);
      resolve({ body: utf8.decode(bytes), bodyBytes: kept, bodyTruncated: truncated });
    };
    const onData = (chunk: Uint8Array): void => {
      const room = maxBytes - kept;
      if (chunk.byteLength > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept += Math.max(room, 0);
        settle(true);
        stream.destroy();
        return;
      }
      chunks.push(chunk);
      kept += chunk.byteLength;
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (!settled) settle(false);
    });
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    stream.once('error', fail);
    // Closed with neither 'end' nor 'error': what for await reported as a premature close.
    // The Error is built only then: capturing its stack on every close would cost more than the read.
    stream.once('close', () => {
      if (!settled) fail(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
