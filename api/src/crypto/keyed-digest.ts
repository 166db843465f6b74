import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/**
 * Keyed digests (HMAC-SHA-256) of texts that hold secrets, for equality checks without storing a
 * plain hash a database reader could test guesses against (e.g. idempotency request hashes of
 * bodies carrying an SMTP password). Each keyring key yields its own digest key (HKDF, so the
 * encryption key itself is never used for this); the primary's digest is the one to store, and
 * every key's digest matches, so a stored digest survives a key rotation.
 */
export class KeyedDigest {
  private readonly keys: Buffer[];

  constructor(keyring: Keyring, purpose: string) {
    this.keys = keyring.kids().map((kid) => Buffer.from(hkdfSync('sha256', keyring.get(kid)!.key, Buffer.alloc(0), `pharos:${purpose}`, 32)));
  }

  /** The digest to store: under the primary key. */
  digest(text: string): string {
    return createHmac('sha256', this.keys[0]!).update(text).digest('hex');
  }

  /** Whether a stored digest is the digest of `text` under any configured key. */
  matches(stored: string, text: string): boolean {
    return this.keys.some((key) => createHmac('sha256', key).update(text).digest('hex') === stored);
  }
}
