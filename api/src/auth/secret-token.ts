import { createHash, randomBytes } from 'node:crypto';

/** Prefixes that make a leaked token recognisable (e.g. by secret scanners). */
export const tokenPrefixes = { api: 'phs_', runner: 'phr_' } as const;

/** A new opaque secret with its prefix, the hash to store and a short hint to show in lists. */
export function generateToken(kind: keyof typeof tokenPrefixes): { token: string; hash: string; hint: string } {
  const token = tokenPrefixes[kind] + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), hint: `${token.slice(0, 8)}…${token.slice(-4)}` };
}

// Tokens carry 256 bits of entropy, so a fast unsalted hash is enough to make a database leak useless
// and lets authentication find the row by an index lookup.
/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Hint for a token supplied by the operator (e.g. PHAROS_ADMIN_TOKEN). */
export function tokenHint(token: string): string {
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}
