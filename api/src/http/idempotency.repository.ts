import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { PharosError } from '../contract/errors.ts';
import type { KeyedDigest } from '../crypto/keyed-digest.ts';
import type { Db } from '../db/database.ts';
import { canonicalJson } from '../shared/json.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Body fields that were secrets shown once: absent from body, named so a replay can say so. */
  omittedFields?: string[];
}

// Keys are kept for a day: long enough for any client retry, short enough to bound the table.
const KEY_TTL_MS = 24 * 60 * 60 * 1000;

// Earlier releases committed a claim on its own, before the request ran (claims now commit with the
// request): such a claim without a response counts as running for this long after it was made, and
// as abandoned after, so one left by a killed process never blocks its key for a day.
const EARLIER_CLAIM_RUNNING_SECONDS = 60;

/**
 * Remembers POST responses by Idempotency-Key so a retried create returns the first answer. A claim
 * is written in the request's own transaction: it commits with the request's effect and its stored
 * response, or not at all, so a request that died leaves no claim and its retry executes once.
 */
export class IdempotencyRepository {
  /**
   * `digests` keys the request hash: bodies carry secrets (channel credentials, secret headers), so
   * a plain hash would let a database reader test guesses. Without it the hash is plain SHA-256.
   */
  constructor(
    private readonly db: Db,
    private readonly digests?: KeyedDigest,
  ) {}

  /**
   * Claims the key for this transaction, or returns the stored response of an earlier identical
   * request. Must run inside the request's transaction: the claim's lock lasts until it ends.
   */
  async claim(orgId: string, principalId: string, key: string, method: string, path: string, body: unknown): Promise<StoredResponse | undefined> {
    const request = `${method} ${path}\n${canonicalJson(body)}`;
    const plainHash = () => createHash('sha256').update(request).digest('hex');
    const requestHash = this.digests ? this.digests.digest(request) : plainHash();
    // A transaction-scoped advisory lock marks the key as running without waiting for it: a second
    // request with the key while the first runs answers in-flight at once.
    const locked = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${lockId(orgId, principalId, key)}::bigint) AS locked`.execute(this.db);
    if (!locked.rows[0]?.locked) throw inFlight(key);
    await this.db
      .deleteFrom('idempotency_keys')
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('created_at', '<', new Date(Date.now() - KEY_TTL_MS))
      .execute();
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'response', 'headers', 'omitted_fields', sql<boolean>`created_at > now() - make_interval(secs => ${EARLIER_CLAIM_RUNNING_SECONDS})`.as('running')])
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .executeTakeFirst();
    // Keys claimed before request hashes were keyed (within the key TTL) carry the plain hash.
    const same = (stored: string) => stored === requestHash || (this.digests ? this.digests.matches(stored, request) || stored === plainHash() : false);
    if (existing && !same(existing.request_hash)) {
      throw new PharosError('idempotency_key_reused', `The Idempotency-Key "${key}" was already used for a different request; use a new key for a new request.`);
    }
    if (!existing) {
      await this.db
        .insertInto('idempotency_keys')
        .values({ org_id: orgId, principal_id: principalId, key, method, path, request_hash: requestHash, created_at: new Date() })
        .execute();
      return undefined;
    }
    if (existing.status === null) {
      // Only earlier releases, which committed claims on their own, leave a visible claim without a
      // response: it is running for a short while after it was made, abandoned after.
      if (existing.running) throw inFlight(key);
      await this.db
        .updateTable('idempotency_keys')
        .set({ created_at: new Date() })
        .where('org_id', '=', orgId)
        .where('principal_id', '=', principalId)
        .where('key', '=', key)
        .execute();
      return undefined;
    }
    const omitted = existing.omitted_fields ?? [];
    return {
      status: existing.status,
      body: existing.response,
      headers: (existing.headers as Record<string, string> | null) ?? {},
      ...(omitted.length ? { omittedFields: omitted } : {}),
    };
  }

  /** Stores the response of a claimed key; fields named in omittedFields must already be absent from body. */
  async complete(orgId: string, principalId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({
        status: response.status,
        response: JSON.stringify(response.body ?? null),
        headers: JSON.stringify(response.headers),
        omitted_fields: response.omittedFields?.length ? JSON.stringify(response.omittedFields) : null,
      })
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }
}

// The advisory lock id of a key: 64 bits of a hash of its scope, so keys of different principals
// and organizations never share a lock.
const lockId = (orgId: string, principalId: string, key: string): string =>
  createHash('sha256').update(`idempotency\0${orgId}\0${principalId}\0${key}`).digest().readBigInt64BE(0).toString();

const inFlight = (key: string) =>
  new PharosError('idempotency_key_in_flight', `A request with Idempotency-Key "${key}" is still being processed; retry in a moment.`);
