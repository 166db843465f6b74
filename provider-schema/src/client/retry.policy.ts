/** When and how long to wait before retrying an API call. Pure, so it is tested with tables. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Statuses that mean "try again later": rate limiting and gateway/availability failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Error codes (Node and undici) of failures to connect or of connections dropped mid-request. */
const retryableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** True for connection-level failures worth retrying. */
export function isRetryableError(err: unknown): boolean {
  // An attempt that hit its own time limit (AbortSignal.timeout) is worth another try.
  if ((err as { name?: unknown } | null)?.name === 'TimeoutError') return true;
  const code = (err as { code?: unknown } | null)?.code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return (typeof code === 'string' && retryableCodes.has(code)) || (typeof cause === 'string' && retryableCodes.has(cause));
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential with full jitter,
 * or the server's Retry-After (seconds) when it sent one, both capped at maxDelayMs.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: string | undefined, random: () => number = Math.random): number {
  const seconds = retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  if (seconds !== undefined) return Math.min(seconds * 1000, policy.maxDelayMs);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
