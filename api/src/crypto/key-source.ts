import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PharosError } from '../contract/errors.ts';
import { Keyring, fingerprintKid, parseSecretKeys } from './keyring.ts';

/** Where the control plane's secret keys come from (config.ts reads these from the environment). */
export interface KeySettings {
  /** PHAROS_SECRET_KEYS: comma-separated `kid:base64` keys, the first is primary. */
  keys: string | undefined;
  /** PHAROS_SECRET_KEY_FILE: a file holding keys in the same form (one per line allowed). */
  keyFile: string | undefined;
  /** The embedded database's data directory ("memory://" for an in-memory one); undefined with an external PostgreSQL. */
  embeddedDataDir: string | undefined;
}

/** How the keyring was found, for the start-up log line (never the keys). */
export interface KeyringSource {
  keyring: Keyring;
  from: 'PHAROS_SECRET_KEYS' | 'PHAROS_SECRET_KEY_FILE' | 'generated' | 'embedded key file' | 'in-memory';
  path?: string;
}

/** The key file `npm start` keeps beside the embedded data directory (e.g. ./.pharos.secret-key). */
export function embeddedKeyFile(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.secret-key`);
}

export const missingKeyMessage = 'No secret key is configured: Pharos encrypts monitor and channel secrets in PostgreSQL and needs a key to do so. '
  + 'Generate one with `openssl rand -base64 32` and set PHAROS_SECRET_KEYS=<key id>:<key> (e.g. PHAROS_SECRET_KEYS=2026-12:$(openssl rand -base64 32)), '
  + 'or put it in a file (mode 0600) and set PHAROS_SECRET_KEY_FILE=<path>. Keep the key with your database backups: without it the stored secrets cannot be read. See docs/security.md.';

function readKeyFile(path: string, variable: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PharosError('bad_request', `${variable}=${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); point it at a file holding kid:key lines (docs/security.md).`);
  }
  return new Keyring(parseSecretKeys(text, `${variable} (${path})`));
}

/**
 * The keyring of the control plane. PHAROS_SECRET_KEYS wins over PHAROS_SECRET_KEY_FILE. With
 * neither: the embedded database uses (and on first start creates, mode 0600) a key file beside its
 * data directory; an external PostgreSQL refuses to start, since a key made up per process would
 * leave every other replica (and the next start) unable to read what this one wrote.
 */
export function loadKeyring(settings: KeySettings): KeyringSource {
  if (settings.keys?.trim()) return { keyring: new Keyring(parseSecretKeys(settings.keys, 'PHAROS_SECRET_KEYS')), from: 'PHAROS_SECRET_KEYS' };
  if (settings.keyFile) return { keyring: readKeyFile(settings.keyFile, 'PHAROS_SECRET_KEY_FILE'), from: 'PHAROS_SECRET_KEY_FILE', path: settings.keyFile };
  if (settings.embeddedDataDir === undefined) throw new PharosError('bad_request', missingKeyMessage);
  if (settings.embeddedDataDir === 'memory://') {
    const key = randomBytes(32);
    return { keyring: new Keyring([{ kid: fingerprintKid(key), key }]), from: 'in-memory' };
  }
  const path = embeddedKeyFile(settings.embeddedDataDir);
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // wx: never overwrite a key another start wrote (a lost key is lost secrets).
    writeFileSync(path, `# Pharos secret key (docs/security.md). Keep it with backups of ${settings.embeddedDataDir}.\n${fingerprintKid(key)}:${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { keyring: readKeyFile(path, 'the embedded key file'), from: 'generated', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new PharosError('bad_request', `The embedded key file ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}); make its directory writable or set PHAROS_SECRET_KEYS.`);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return { keyring: readKeyFile(path, 'the embedded key file'), from: 'embedded key file', path };
}
