/**
 * Why a call to the control plane failed, as the loops branch on it:
 * - incompatible_runner (426), unauthorized (401), region_mismatch: fatal, the process exits;
 * - runner_unknown (404/410 on poll or push): the API forgot this runner, register again;
 * - payload_too_large (413): send smaller batches;
 * - unavailable (network error, timeout, 5xx, 429): transient, retry with backoff;
 * - request_rejected (any other 4xx): a bug on one side; logged, retried with backoff;
 * - bad_response (2xx that is not the contract's JSON): retried with backoff;
 * - aborted: the runner is shutting down.
 */
export const protocolErrorCodes = [
  'incompatible_runner',
  'unauthorized',
  'region_mismatch',
  'runner_unknown',
  'payload_too_large',
  'unavailable',
  'request_rejected',
  'bad_response',
  'aborted',
] as const;
export type ProtocolErrorCode = (typeof protocolErrorCodes)[number];

const fatalCodes: ReadonlySet<ProtocolErrorCode> = new Set(['incompatible_runner', 'unauthorized', 'region_mismatch']);

/** A failed protocol call with a stable code; `status` is the HTTP status when there was one. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After), when it did. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  /** The runner cannot continue: retrying would not help and the operator must act. */
  get fatal(): boolean {
    return fatalCodes.has(this.code);
  }
}

/** True when `error` is a ProtocolError that ends the process. */
export const isFatal = (error: unknown): error is ProtocolError => error instanceof ProtocolError && error.fatal;
