import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { PharosError } from '../contract/errors.ts';
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

/** How long a claim holds a key before a retry may take it over (the first request died with its process). */
export const DEFAULT_CLAIM_LEASE_MS = 60_000;

/** Remembers POST responses by Idempotency-Key so a retried create returns the first answer. */
export class IdempotencyRepository {
  constructor(
    private readonly db: Db,
    private readonly leaseMs = DEFAULT_CLAIM_LEASE_MS,
  ) {}

  /** Claims the key, or returns the stored response of an earlier identical request. */
  async begin(orgId: string, principalId: string, key: string, method: string, path: string, body: unknown): Promise<StoredResponse | undefined> {
    const requestHash = createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
    await this.db
      .deleteFrom('idempotency_keys')
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('created_at', '<', new Date(Date.now() - KEY_TTL_MS))
      .execute();
    // One statement claims a new key or takes over a claim whose lease has passed (same request only).
    // The conflict update locks the row, so of two concurrent retries exactly one sees the lapsed
    // lease; the other finds a fresh claim and answers in-flight. Lease times use the database clock
    // so replicas agree.
    const lease = sql<Date>`now() + ${`${this.leaseMs} milliseconds`}::interval`;
    const claimed = await this.db
      .insertInto('idempotency_keys')
      .values({ org_id: orgId, principal_id: principalId, key, method, path, request_hash: requestHash, created_at: new Date(), lease_until: lease })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'principal_id', 'key'])
          .doUpdateSet({ lease_until: (eb) => eb.ref('excluded.lease_until') })
          .where('idempotency_keys.status', 'is', null)
          .where('idempotency_keys.request_hash', '=', requestHash)
          .where((eb) => eb.or([eb('idempotency_keys.lease_until', 'is', null), eb('idempotency_keys.lease_until', '<', sql<Date>`now()`)])),
      )
      .returning('key')
      .executeTakeFirst();
    if (claimed) return undefined;
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'response', 'headers', 'omitted_fields'])
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .executeTakeFirst();
    // Completed and abandoned between the two statements: the client may simply retry.
    if (!existing) throw inFlight(key);
    if (existing.request_hash !== requestHash) {
      throw new PharosError('idempotency_key_reused', `The Idempotency-Key "${key}" was already used for a different request; use a new key for a new request.`);
    }
    if (existing.status === null) throw inFlight(key);
    const omitted = existing.omitted_fields ?? [];
    return {
      status: existing.status,
      body: existing.response,
      headers: (existing.headers as Record<string, string> | null) ?? {},
      ...(omitted.length ? { omittedFields: omitted } : {}),
    };
  }

  /** How often a running request renews its claim: three times per lease. */
  get renewEveryMs(): number {
    return Math.max(1, Math.floor(this.leaseMs / 3));
  }

  /** Extends the lease of a claim that is still running. */
  async renew(orgId: string, principalId: string, key: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ lease_until: sql<Date>`now() + ${`${this.leaseMs} milliseconds`}::interval` })
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
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
        lease_until: null,
      })
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }

  /** Releases a claimed key after a failure, so the client may retry with it. */
  async abandon(orgId: string, principalId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }
}

const inFlight = (key: string) =>
  new PharosError('idempotency_key_in_flight', `A request with Idempotency-Key "${key}" is still being processed; retry in a moment.`);
