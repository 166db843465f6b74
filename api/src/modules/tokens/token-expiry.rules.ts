import type { FieldError } from '../../contract/errors.ts';

/**
 * A token's expiry only moves earlier, and never into the past: a leaked token must not be kept
 * alive by whoever holds admin rights, and an expired one stays dead. Ending a token now is a revoke.
 */
export function expiryError(current: Date | null, next: string | undefined, now: Date): FieldError | undefined {
  if (next === undefined) {
    return current ? { pointer: '/expires_at', message: `The expiry (${current.toISOString()}) cannot be removed; it can only move earlier. For a token without expiry, create a new token.` } : undefined;
  }
  const at = Date.parse(next);
  if (at <= now.getTime()) return { pointer: '/expires_at', message: 'expires_at must be in the future; to end the token now, revoke it (DELETE /v1/tokens/{id}).' };
  if (current && at > current.getTime()) {
    return { pointer: '/expires_at', message: `The expiry can only move earlier than ${current.toISOString()}; for a longer-lived token, create a new token.` };
  }
  return undefined;
}
