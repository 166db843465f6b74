/**
 * Why a response could not be read, named after llhttp's error codes so that logs read the same
 * as with other Node HTTP clients. HPE_CLOSED_EARLY is the connection's fault (the runner reports
 * connection_reset); every other code is a malformed response, the server's fault (http_error).
 */
export type Http1ErrorCode =
  | 'HPE_CLOSED_EARLY'
  | 'HPE_INVALID_STATUS'
  | 'HPE_INVALID_HEADER'
  | 'HPE_HEADER_OVERFLOW'
  | 'HPE_INVALID_CONTENT_LENGTH'
  | 'HPE_INVALID_CHUNK';

/** A response that broke HTTP/1.1 framing, or a connection that ended before the response did. */
export class Http1Error extends Error {
  override readonly name = 'Http1Error';
  constructor(
    readonly code: Http1ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
