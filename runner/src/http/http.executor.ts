import { performance } from 'node:perf_hooks';
import type { Timings } from '../../../api/src/contract/index.ts';
import { CheckFailure, toCheckFailure, type FailureCode } from '../checks/check.errors.ts';
import { exchangeHttp1, type Http1Response } from './http1.exchange.ts';

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
  /** The check's budget: aborting it ends the exchange at once (the exchange keeps no timers of its own). */
  signal: AbortSignal;
  trustedCa?: readonly string[];
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
// Credentials the user configured for one origin must not leak to another on redirect.
const originBoundHeaders = ['authorization', 'cookie', 'proxy-authorization', 'host'];
const userAgent = 'Pharos-Runner/0.1';

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

/** One hop on a fresh connection; a redirect that will be followed is not read past its head. */
async function executeHop(
  url: URL,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | undefined,
  spec: HttpRequestSpec,
  ctx: HttpExecutionContext,
): Promise<Http1Response> {
  try {
    return await exchangeHttp1({
      url,
      method,
      headers,
      body,
      verifyTls: spec.verifyTls,
      trustedCa: ctx.trustedCa,
      // A redirect we are about to follow has a body nobody will look at.
      bodyLimit: (head) => (spec.followRedirects && redirectStatuses.has(head.statusCode) && head.headers['location'] !== undefined ? -1 : spec.maxBodyBytes),
      signal: ctx.signal,
    });
  } catch (err) {
    throw toCheckFailure(err, ctx.signal);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
