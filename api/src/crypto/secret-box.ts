import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PharosError } from '../contract/errors.ts';
import { isPlainObject } from '../shared/json.ts';
import type { Keyring } from './keyring.ts';

/** Where a secret value lives: bound into the ciphertext (AAD), so a value copied to another row or column does not decrypt. */
export interface SecretSlot {
  table: string;
  id: string;
  column?: string;
}

/** The stored form of an encrypted value (a jsonb object; binary fields base64url). */
export interface SealedSecret {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

/** Told when a stored value cannot be decrypted (the caller leaves it out or reports it); never given the value. */
export type UnreadableObserver = (slot: SecretSlot, kid: string | undefined, reason: string) => void;

const aad = (slot: SecretSlot) => Buffer.from(`pharos:secret:v1:${slot.table}:${slot.column ?? 'secrets'}:${slot.id}`, 'utf8');

/**
 * Whether a stored value is an envelope. Clear values (rows written before encryption) are header
 * maps (string values), monitor secrets (object values) or channel secrets (a string `type`), none
 * of which has a number `v`.
 */
export function isSealed(stored: unknown): stored is SealedSecret {
  return isPlainObject(stored) && stored.v === 1 && typeof stored.kid === 'string' && typeof stored.iv === 'string' && typeof stored.ct === 'string' && typeof stored.tag === 'string';
}

/**
 * Envelope encryption of secrets columns: AES-256-GCM, a random 96-bit IV per value, the row's
 * table, column and id as additional authenticated data, and the key id in the envelope so keys can
 * rotate (the keyring's primary encrypts, older keys still decrypt).
 */
export class SecretBox {
  constructor(
    readonly keyring: Keyring,
    private readonly onUnreadable: UnreadableObserver = () => {},
  ) {}

  /** Encrypts a secrets document for one slot; null stays null (no secrets). */
  seal(slot: SecretSlot, value: Record<string, unknown> | null): SealedSecret | null {
    if (value === null) return null;
    const { kid, key } = this.keyring.primary;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(slot));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { v: 1, kid, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
  }

  /**
   * The secrets document of a stored value: decrypted, or as is when the row predates encryption.
   * Throws `secret_undecryptable` when no key of this process opens it (unknown key id, another
   * key of the same id, a value moved from another row, a damaged value).
   */
  open<T extends Record<string, unknown> = Record<string, unknown>>(slot: SecretSlot, stored: unknown): T | null {
    if (stored === null || stored === undefined) return null;
    if (!isSealed(stored)) {
      if (isPlainObject(stored)) return stored as T;
      throw this.unreadable(slot, undefined, 'the stored value is neither an encrypted envelope nor a JSON object');
    }
    const key = this.keyring.get(stored.kid);
    if (!key) throw this.unreadable(slot, stored.kid, `it was encrypted with key "${stored.kid}", which is not among the configured keys (${this.keyring.kids().join(', ')})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(stored.iv, 'base64url'));
      decipher.setAAD(aad(slot));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64url')), decipher.final()]).toString('utf8');
      const value: unknown = JSON.parse(text);
      if (!isPlainObject(value)) throw new Error('not an object');
      return value as T;
    } catch {
      throw this.unreadable(slot, stored.kid, `key "${stored.kid}" does not open it (a different key under that id, a value moved from another row, or a damaged value)`);
    }
  }

  /** Like open, but an undecryptable value is reported to the observer and read as absent. */
  openOrNull<T extends Record<string, unknown> = Record<string, unknown>>(slot: SecretSlot, stored: unknown): T | null {
    try {
      return this.open<T>(slot, stored);
    } catch (error) {
      if (error instanceof PharosError && error.code === 'secret_undecryptable') return null;
      throw error;
    }
  }

  /** Whether a stored value should be (re-)encrypted: clear, or under a key other than the primary. */
  needsReseal(stored: unknown): boolean {
    if (stored === null || stored === undefined) return false;
    return !isSealed(stored) || stored.kid !== this.keyring.primary.kid;
  }

  private unreadable(slot: SecretSlot, kid: string | undefined, reason: string): PharosError {
    this.onUnreadable(slot, kid, reason);
    return new PharosError('secret_undecryptable', `The stored secrets of ${slot.table} ${slot.id} cannot be decrypted: ${reason}. Add the key they were written with to PHAROS_SECRET_KEYS (see docs/security.md), or send the secrets again.`);
  }
}

/**
 * An observer that passes on the first report of each row and then at most one per `everyMs`: a
 * monitor whose secrets cannot be decrypted is read by every full feed and list, and one log line
 * per row and interval says enough. Remembers at most `maxRows` rows (then starts over).
 */
export function throttledObserver(observer: UnreadableObserver, everyMs: number, maxRows = 10_000, now: () => number = Date.now): UnreadableObserver {
  const last = new Map<string, number>();
  return (slot, kid, reason) => {
    const key = `${slot.table}/${slot.column ?? 'secrets'}/${slot.id}/${kid ?? ''}`;
    const at = now();
    const seen = last.get(key);
    if (seen !== undefined && at - seen < everyMs) return;
    if (last.size >= maxRows) last.clear();
    last.set(key, at);
    observer(slot, kid, reason);
  };
}
