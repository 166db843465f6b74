import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PharosError, type ErrorCode } from '../contract/errors.ts';
import { toProblem } from './problem.ts';

const reasons: Partial<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The problem a request Node's HTTP parser refused before express saw it (oversized headers, malformed HTTP). */
export function clientErrorProblem(code: string | undefined) {
  const [errorCode, message]: [ErrorCode, string] =
    code === 'HPE_HEADER_OVERFLOW'
      ? ['request_header_too_large', 'The request line and headers are larger than the server accepts (16 KiB); send a shorter URL or query string (use a request body or pagination) and fewer or smaller headers.']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'The request was not received completely in time; send it again.']
        : ['bad_request', `The request is not valid HTTP/1.1 (${code ?? 'parse error'}); check the request line, header syntax and framing.`];
  const problem = toProblem(new PharosError(errorCode, message), `req_${randomUUID()}`, '');
  delete problem.instance;
  return problem;
}

/** Answers a parser-level failure with problem+json when the socket can still be written, then closes it. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem = clientErrorProblem(error.code);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${reasons[problem.status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${problem.request_id}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The HTTP server of the control plane: the app plus problem+json answers for requests Node refuses itself. */
export function createApiServer(app: RequestListener): Server {
  const server = createServer(app);
  server.on('clientError', answerClientError);
  return server;
}
