// Pure: when a failed delivery is tried again (docs/alerting.md, "Delivery guarantees").

export interface RetryPolicy {
  /** Tries in all, the first included; after the last failed one the notification is dead. */
  maxAttempts: number;
  /** Wait before the second try; each later wait doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

/** Longest Retry-After a vendor can impose on one wait. */
export const maxRetryAfterMs = 60 * 60_000;

/**
 * The wait before the next try after `attempts` failed ones (1 for the first failure), or null when
 * no try is left. Exponential backoff with jitter (a random wait between half and all of the
 * backoff, so many notifications failing together do not retry in step); a vendor's Retry-After is
 * honoured when longer (capped at an hour). `random` is in [0, 1).
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs: number | undefined, random: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(backoff / 2 + (backoff / 2) * random);
  return retryAfterMs !== undefined && retryAfterMs > jittered ? Math.min(retryAfterMs, maxRetryAfterMs) : jittered;
}
