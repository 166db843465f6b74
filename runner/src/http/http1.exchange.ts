import { performance } from 'node:perf_hooks';
import { CheckFailure } from '../checks/check.errors.ts';
import { Http1Error } from './http1.errors.ts';
import { ResponseParser, type ResponseHead } from './http1.parser.ts';
import { openTimedSocket, type ConnectTimings } from './timed.connector.ts';

/** One request on a fresh connection: the caller has applied every default and chosen the headers. */
export interface Http1Request {
  url: URL;
  method: string;
  /** Lower-case names. Host, Connection and Content-Length are set here and override these. */
  headers: Readonly<Record<string, string>>;
  body?: string;
  verifyTls: boolean;
  trustedCa?: readonly string[];
  /** Body bytes to keep for this response, decided from its head (-1: do not read the body at all). */
  bodyLimit: (head: ResponseHead) => number;
  signal: AbortSignal;
}

/** One response as read from the wire, with the phase timings of its connection. */
export interface Http1Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes kept in `body`. */
  bodyBytes: number;
  /** The body had more than the limit; the rest was not read. */
  bodyTruncated: boolean;
  connect: ConnectTimings;
  /** From the socket being ready (request written) to the response head parsed. */
  firstByteMs: number;
  /** From the head parsed to the body read (or cut). */
  downloadMs: number;
}

const payloadMethods = new Set(['POST', 'PUT', 'PATCH']);
const framingHeaders = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const badValue = /[\x00-\x08\x0a-\x1f\x7f]/;
// decode() without { stream: true } keeps no state between calls, so one instance serves every exchange.
const utf8 = new TextDecoder();

/** A request as written: the head goes out as latin1, as with any Node HTTP client; the body as UTF-8. */
export interface SerializedRequest {
  head: string;
  body?: string;
}

/**
 * The request head and body. Connection: close because every check measures a fresh connection
 * and closes it after the response; Content-Length from the body's UTF-8 length. Throws
 * invalid_monitor for a header HTTP cannot carry (a line break in a value would inject headers).
 */
export function serializeRequest(url: URL, method: string, headers: Readonly<Record<string, string>>, body: string | undefined): SerializedRequest {
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${headers['host'] ?? url.host}\r\nconnection: close\r\n`;
  for (const name in headers) {
    if (framingHeaders.has(name)) continue;
    const value = headers[name]!;
    if (!tokenName.test(name)) throw new CheckFailure('invalid_monitor', `request header name ${JSON.stringify(name.slice(0, 100))} has characters HTTP does not allow`);
    if (badValue.test(value)) throw new CheckFailure('invalid_monitor', `request header ${name} has a line break or control character in its value`);
    head += `${name}: ${value}\r\n`;
  }
  if (body !== undefined) return { head: `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n`, body };
  return { head: payloadMethods.has(method) ? `${head}content-length: 0\r\n\r\n` : `${head}\r\n` };
}

/**
 * Makes one HTTP/1.1 request on a fresh socket and reads one response, then closes the socket.
 * Everything a check pays for is here: one socket, one parser, one promise, one abort listener.
 * Rejects with the socket's error, an Http1Error (malformed or cut-off response) or the signal's
 * reason; toCheckFailure names them.
 */
export function exchangeHttp1(request: Http1Request): Promise<Http1Response> {
  const { url, signal } = request;
  // Validates the headers before any connection is opened.
  const payload = serializeRequest(url, request.method, request.headers, request.body);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<Http1Response>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    let connect: ConnectTimings = {};
    let headAt = 0;
    let statusCode = 0;
    let headers: Record<string, string> = {};
    let limit = 0;
    let kept = 0;
    let truncated = false;
    let settled = false;
    const chunks: Buffer[] = [];

    const socket = openTimedSocket(
      { hostname: url.hostname, port: Number(url.port) || (secure ? 443 : 80), secure, verifyTls: request.verifyTls, trustedCa: request.trustedCa },
      (timings) => {
        connect = timings;
        // No Buffer of our own: the strings go to the socket as they are, head and body in one writev.
        if (!payload.body) return void socket.write(payload.head, 'latin1');
        socket.cork();
        socket.write(payload.head, 'latin1');
        socket.write(payload.body, 'utf8');
        socket.uncork();
      },
    );

    const parser = new ResponseParser(
      { noBody: request.method === 'HEAD' },
      {
        onHead(head) {
          headAt = performance.now();
          statusCode = head.statusCode;
          headers = head.headers;
          limit = request.bodyLimit(head);
          if (limit < 0) {
            parser.halt();
            succeed();
          }
        },
        onBody(chunk) {
          const room = limit - kept;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            kept = limit;
            truncated = true;
            parser.halt();
            succeed();
            return;
          }
          chunks.push(chunk);
          kept += chunk.length;
        },
        onComplete: () => succeed(),
      },
    );

    const finish = (): void => {
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    function succeed(): void {
      if (settled) return;
      finish();
      const doneAt = performance.now();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept);
      resolve({
        statusCode,
        headers,
        body: kept === 0 ? '' : utf8.decode(bytes),
        bodyBytes: kept,
        bodyTruncated: truncated,
        connect,
        firstByteMs: headAt - (connect.readyAt ?? headAt),
        downloadMs: doneAt - headAt,
      });
    }
    function fail(err: unknown): void {
      if (settled) return;
      finish();
      reject(err);
    }
    function onAbort(): void {
      fail(signal.reason);
    }

    signal.addEventListener('abort', onAbort);
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.execute(chunk);
      } catch (err) {
        fail(err);
      }
    });
    socket.on('end', () => {
      try {
        parser.finish();
      } catch (err) {
        fail(err);
      }
    });
    socket.on('error', fail);
    // Closed with neither a full response nor an error (e.g. destroyed from outside).
    socket.on('close', () => {
      if (!settled) fail(new Http1Error('HPE_CLOSED_EARLY', 'the connection closed before the response was complete'));
    });
  });
}
