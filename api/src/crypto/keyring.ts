import { createHash } from 'node:crypto';
import { PharosError } from '../contract/errors.ts';

/** One data-encryption key: 32 bytes for AES-256-GCM, named by a key id stored with each value. */
export interface SecretKey {
  kid: string;
  key: Buffer;
}

/** The keys of a process: the primary encrypts; every key (primary included) decrypts. */
export class Keyring {
  readonly primary: SecretKey;
  private readonly byKid: ReadonlyMap<string, SecretKey>;

  constructor(keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new PharosError('bad_request', 'A keyring needs at least one key.');
    const byKid = new Map<string, SecretKey>();
    for (const k of keys) {
      if (k.key.length !== 32) throw new PharosError('bad_request', `Secret key "${k.kid}" is ${k.key.length} bytes long; keys are 32 random bytes (openssl rand -base64 32).`);
      if (byKid.has(k.kid)) throw new PharosError('bad_request', `Secret key id "${k.kid}" is given twice; give each key its own id.`);
      byKid.set(k.kid, k);
    }
    this.primary = keys[0]!;
    this.byKid = byKid;
  }

  /** The key of a key id, if this process holds it. */
  get(kid: string): SecretKey | undefined {
    return this.byKid.get(kid);
  }

  /** The key ids, primary first (safe to log: ids, never keys). */
  kids(): string[] {
    return [...this.byKid.keys()];
  }
}

const kidPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** The key id of a key given without one: a fingerprint, so the same key always gets the same id. */
export function fingerprintKid(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * Parses keys as PHAROS_SECRET_KEYS and key files hold them: entries separated by commas or new
 * lines, each `kid:base64-of-32-bytes` or a bare base64 key (its id is then its fingerprint); `#`
 * starts a comment line. `source` names where the text came from in error messages; a message never
 * contains key material.
 */
export function parseSecretKeys(text: string, source: string): SecretKey[] {
  const entries = text.split(/[\n,]/).map((e) => e.trim()).filter((e) => e && !e.startsWith('#'));
  if (entries.length === 0) throw new PharosError('bad_request', `${source} holds no key. Generate one with \`openssl rand -base64 32\` and give it as kid:key (e.g. "2026-12:<key>").`);
  return entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    const kid = colon >= 0 ? entry.slice(0, colon).trim() : undefined;
    const encoded = (colon >= 0 ? entry.slice(colon + 1) : entry).trim();
    if (kid !== undefined && !kidPattern.test(kid)) throw new PharosError('bad_request', `${source}: key ${i + 1} has the id "${kid.slice(0, 64)}"; key ids are 1 to 64 letters, digits, ".", "_" or "-".`);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new PharosError('bad_request', `${source}: key ${i + 1}${kid ? ` ("${kid}")` : ''} is not base64; generate a key with \`openssl rand -base64 32\`.`);
    const key = Buffer.from(encoded.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (key.length !== 32) throw new PharosError('bad_request', `${source}: key ${i + 1}${kid ? ` ("${kid}")` : ''} decodes to ${key.length} bytes; a key is 32 random bytes (\`openssl rand -base64 32\`).`);
    return { kid: kid ?? fingerprintKid(key), key };
  });
}
