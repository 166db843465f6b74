import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Keyring, parseSecretKeys } from '../src/crypto/keyring.ts';
import { SecretBox, isSealed, throttledObserver } from '../src/crypto/secret-box.ts';
import { embeddedKeyFile, loadKeyring, missingKeyMessage } from '../src/crypto/key-source.ts';
import { PharosError } from '../src/contract/errors.ts';
import { KeyedDigest } from '../src/crypto/keyed-digest.ts';

// The crypto module on its own: envelopes, AAD binding to the row, key rotation, key parsing and
// the embedded key file. The database paths are in secrets-at-rest.test.ts.

const key = () => randomBytes(32).toString('base64');
const box = (keys: string) => new SecretBox(new Keyring(parseSecretKeys(keys, 'test')));
const slot = { table: 'channels', id: 'ch_1' };
const value = { type: 'slack', webhook_url: 'https://hooks.slack.com/services/T/B/very-secret-path' };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof PharosError ? error.code : `not a PharosError: ${String(error)}`;
  }
  return 'no error';
};

test('an envelope holds no plaintext, names its key, and opens to the same document', () => {
  const b = box(`one:${key()}`);
  const sealed = b.seal(slot, value)!;
  assert.ok(isSealed(sealed));
  assert.equal(sealed.kid, 'one');
  assert.equal(Buffer.from(sealed.iv, 'base64url').length, 12, '96-bit IV');
  assert.ok(!JSON.stringify(sealed).includes('very-secret-path'));
  assert.deepEqual(b.open(slot, sealed), value);
  assert.notEqual(b.seal(slot, value)!.iv, sealed.iv, 'a fresh IV per value');
  assert.equal(b.seal(slot, null), null);
  assert.equal(b.open(slot, null), null);
});

test('AAD: a value copied to another row, table or column does not decrypt; a damaged one neither', () => {
  const b = box(`one:${key()}`);
  const sealed = b.seal(slot, value)!;
  assert.equal(code(() => b.open({ table: 'channels', id: 'ch_2' }, sealed)), 'secret_undecryptable');
  assert.equal(code(() => b.open({ table: 'monitors', id: 'ch_1' }, sealed)), 'secret_undecryptable');
  assert.equal(code(() => b.open({ ...slot, column: 'other' }, sealed)), 'secret_undecryptable');
  const flipped = Buffer.from(sealed.ct, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  assert.equal(code(() => b.open(slot, { ...sealed, ct: flipped.toString('base64url') })), 'secret_undecryptable');
  assert.equal(b.openOrNull({ table: 'channels', id: 'ch_2' }, sealed), null);
});

test('rotation: the primary encrypts, older keys still decrypt, an unknown key id is reported without the value', () => {
  const oldKey = `old:${key()}`;
  const newKey = `new:${key()}`;
  const sealedOld = box(oldKey).seal(slot, value)!;
  const rotated = box(`${newKey},${oldKey}`);
  assert.deepEqual(rotated.open(slot, sealedOld), value);
  assert.equal(rotated.needsReseal(sealedOld), true);
  const resealed = rotated.seal(slot, rotated.open(slot, sealedOld))!;
  assert.equal(resealed.kid, 'new');
  assert.equal(rotated.needsReseal(resealed), false);
  const seen: string[] = [];
  const onlyNew = new SecretBox(new Keyring(parseSecretKeys(newKey, 'test')), (s, kid, reason) => seen.push(`${s.table}/${s.id} ${kid} ${reason}`));
  let message = '';
  try {
    onlyNew.open(slot, sealedOld);
  } catch (error) {
    message = (error as Error).message;
  }
  assert.match(message, /key "old", which is not among the configured keys \(new\).*PHAROS_SECRET_KEYS/);
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /^channels\/ch_1 old /, 'the observer learns the row and the key id');
  assert.ok(!seen[0]!.includes('very-secret-path') && !message.includes('very-secret-path'));
  // A key under the right id but with other bytes is told apart from a missing key.
  assert.equal(code(() => box(`old:${key()}`).open(slot, sealedOld)), 'secret_undecryptable');
});

test('clear rows (written before encryption) are read as they are and need sealing', () => {
  const b = box(`one:${key()}`);
  const clear = { http: { Authorization: 'Bearer legacy' } };
  assert.deepEqual(b.open({ table: 'monitors', id: 'm' }, clear), clear);
  assert.equal(b.needsReseal(clear), true);
  assert.equal(isSealed({ v: '1', kid: 'a', iv: 'b', ct: 'c', tag: 'd' }), false, 'a header map named like the envelope (string values) is not one');
});

test('key parsing: ids, bare keys (fingerprint id), wrong length and bad base64 are refused with what to do, never the key', () => {
  const k = key();
  assert.deepEqual(parseSecretKeys(`a:${k}, b:${key()}`, 'X').map((e) => e.kid), ['a', 'b']);
  const bare = parseSecretKeys(`# comment\n${k}\n`, 'X');
  assert.match(bare[0]!.kid, /^k[0-9a-f]{12}$/);
  assert.equal(parseSecretKeys(k, 'X')[0]!.kid, bare[0]!.kid, 'the same key gets the same id');
  const short = randomBytes(16).toString('base64');
  for (const [text, pattern] of [[`a:${short}`, /16 bytes.*openssl rand -base64 32/], ['a:not base64!', /not base64/], ['bad id!:' + k, /key ids are/], ['', /holds no key/], [`a:${k},a:${key()}`, /given twice/]] as const) {
    let message = '';
    try {
      new Keyring(parseSecretKeys(text, 'PHAROS_SECRET_KEYS'));
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, pattern, text);
    assert.ok(!message.includes(k) && !message.includes(short), 'the message never holds key material');
  }
});

test('key sources: PHAROS_SECRET_KEYS first, then the key file; an external database without a key refuses', () => {
  const k = key();
  assert.equal(loadKeyring({ keys: `env:${k}`, keyFile: '/nonexistent', embeddedDataDir: undefined }).keyring.primary.kid, 'env');
  const dir = mkdtempSync(join(tmpdir(), 'pharos-keys-'));
  try {
    const file = join(dir, 'keys');
    writeFileSync(file, `file:${k}\nolder:${key()}\n`, { mode: 0o600 });
    const fromFile = loadKeyring({ keys: undefined, keyFile: file, embeddedDataDir: undefined });
    assert.deepEqual(fromFile.keyring.kids(), ['file', 'older']);
    assert.throws(() => loadKeyring({ keys: undefined, keyFile: join(dir, 'missing'), embeddedDataDir: undefined }), /PHAROS_SECRET_KEY_FILE=.*missing cannot be read \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => loadKeyring({ keys: undefined, keyFile: undefined, embeddedDataDir: undefined }), (e: Error) => e.message === missingKeyMessage);
  assert.match(missingKeyMessage, /PHAROS_SECRET_KEYS.*openssl rand -base64 32/);
});

test('embedded database: a key file is created beside the data directory with mode 0600 and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pharos-embedded-'));
  try {
    const dataDir = join(dir, 'data');
    const first = loadKeyring({ keys: undefined, keyFile: undefined, embeddedDataDir: dataDir });
    assert.equal(first.from, 'generated');
    assert.equal(first.path, embeddedKeyFile(dataDir));
    assert.equal(first.path, join(dir, 'data.secret-key'));
    assert.equal(statSync(first.path!).mode & 0o777, 0o600);
    const again = loadKeyring({ keys: undefined, keyFile: undefined, embeddedDataDir: dataDir });
    assert.equal(again.from, 'embedded key file');
    assert.equal(again.keyring.primary.kid, first.keyring.primary.kid);
    assert.ok(again.keyring.primary.key.equals(first.keyring.primary.key), 'the same key across restarts');
    assert.match(readFileSync(first.path!, 'utf8'), /^# Pharos secret key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keyed digests: not the plain hash, stable per key, still matched after a rotation', () => {
  const oldKey = `old:${key()}`;
  const text = 'POST /v1/channels\n{"email":{"smtp_password":"hunter2"}}';
  const before = new KeyedDigest(new Keyring(parseSecretKeys(oldKey, 'test')), 'idempotency-request');
  const stored = before.digest(text);
  assert.notEqual(stored, createHash('sha256').update(text).digest('hex'));
  assert.equal(before.digest(text), stored);
  assert.notEqual(new KeyedDigest(new Keyring(parseSecretKeys(oldKey, 'test')), 'other-purpose').digest(text), stored, 'one digest key per purpose');
  const rotated = new KeyedDigest(new Keyring(parseSecretKeys(`new:${key()},${oldKey}`, 'test')), 'idempotency-request');
  assert.notEqual(rotated.digest(text), stored, 'new digests use the new primary');
  assert.equal(rotated.matches(stored, text), true);
  assert.equal(rotated.matches(stored, text.replace('hunter2', 'hunter3')), false);
});

test('the unreadable-row observer reports each row once per interval, not on every read', () => {
  let clock = 0;
  const seen: string[] = [];
  const observe = throttledObserver((s, kid) => seen.push(`${s.id}:${kid}`), 1_000, 2, () => clock);
  observe({ table: 'monitors', id: 'a' }, 'k', 'r');
  observe({ table: 'monitors', id: 'a' }, 'k', 'r');
  observe({ table: 'monitors', id: 'b' }, 'k', 'r');
  clock = 999;
  observe({ table: 'monitors', id: 'a' }, 'k', 'r');
  clock = 1_000;
  observe({ table: 'monitors', id: 'a' }, 'k', 'r');
  assert.deepEqual(seen, ['a:k', 'b:k', 'a:k']);
});
