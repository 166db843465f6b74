import type { CheckError } from '../../../api/src/contract/index.ts';

/**
 * Stable failure codes a runner reports in CheckResult.error.code. Consumers (alert rules,
 * UI, tests) branch on these, never on messages, so they never change meaning.
 */
export const failureCodes = [
  'timeout',
  'connection_refused',
  'connection_reset',
  'host_unreachable',
  'dns_failed',
  'dns_no_answer',
  'dns_mismatch',
  'tls_error',
  'certificate_invalid',
  'certificate_expired',
  'certificate_expiring',
  'too_many_redirects',
  'assertion_failed',
  'http_error',
  'slow_response',
  'extraction_failed',
  'template_error',
  'invalid_monitor',
  'network_error',
  'internal_error',
] as const;
export type FailureCode = (typeof failureCodes)[number];

/** A check failure with a stable code; thrown inside checks and turned into a CheckError at their edge. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const certificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const codeByErrno: Record<string, FailureCode> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  // The server hung up before its response was complete.
  HPE_CLOSED_EARLY: 'connection_reset',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
  EADDRNOTAVAIL: 'host_unreachable',
  ENOTFOUND: 'dns_failed',
  EAI_AGAIN: 'dns_failed',
  EAI_FAIL: 'dns_failed',
  EAI_NONAME: 'dns_failed',
  ETIMEDOUT: 'timeout',
  ETIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  CERT_HAS_EXPIRED: 'certificate_expired',
};

/** Maps any error thrown by the HTTP/1.1 exchange, undici, node:net, node:tls or node:dns to a stable failure. */
export function toCheckFailure(err: unknown, signal?: AbortSignal): CheckFailure {
  if (err instanceof CheckFailure) return err;
  // The budget running out surfaces as many different errors (AbortError, socket destroyed…);
  // the signal is the truth about why.
  if (signal?.aborted) return new CheckFailure('timeout', 'check timed out', { cause: err });
  // undici and node wrap the root cause; walk the chain to find a code we know.
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return new CheckFailure('timeout', 'check timed out', { cause: err });
    if (typeof code !== 'string') continue;
    if (certificateCodes.has(code)) return new CheckFailure('certificate_invalid', `${code}: ${e.message}`, { cause: err });
    const mapped = codeByErrno[code];
    if (mapped) return new CheckFailure(mapped, `${code}: ${e.message}`, { cause: err });
    // Any other HTTP/1.1 framing error is a malformed response: the server's fault.
    if (code.startsWith('HPE_')) return new CheckFailure('http_error', `malformed response (${code}): ${e.message}`, { cause: err });
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
      return new CheckFailure('tls_error', `${code}: ${e.message}`, { cause: err });
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CheckFailure('network_error', message || 'request failed', { cause: err });
}

/** The wire shape of a failure, with the message cut to the contract's limit. */
export function toCheckError(failure: CheckFailure): CheckError {
  return { code: failure.code, message: failure.message.slice(0, 2000) };
}
