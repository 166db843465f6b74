import { createHash } from 'node:crypto';
import { PharosError } from '../contract/errors.ts';
import type { Db } from '../db/database.ts';
import { canonicalJson } from '../shared/json.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

// Keys are kept for a day: long enough for any client retry, short enough to bound the table.
const KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Remembers POST responses by Idempotency-Key so a retried create returns the first answer. */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

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
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ org_id: orgId, principal_id: principalId, key, method, path, request_hash: requestHash, created_at: new Date() })
      .onConflict((oc) => oc.columns(['org_id', 'principal_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return undefined;
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'response', 'headers'])
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== requestHash) {
      throw new PharosError('idempotency_key_reused', `The Idempotency-Key "${key}" was already used for a different request; use a new key for a new request.`);
    }
    if (existing.status === null) {
      throw new PharosError('idempotency_key_in_flight', `A request with Idempotency-Key "${key}" is still being processed; retry in a moment.`);
    }
    return { status: existing.status, body: existing.response, headers: (existing.headers as Record<string, string> | null) ?? {} };
  }

  /** Stores the response of a claimed key. */
  async complete(orgId: string, principalId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status: response.status, response: JSON.stringify(response.body ?? null), headers: JSON.stringify(response.headers) })
      .where('org_id', '=', orgId)
      .where('principal_id', '=', principalId)
      .where('key', '=', key)
      .execute();
  }

  /** Releases a claimed key after a failure, so the client may retry with it. */
  async abandon(orgId: string, principalId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('principal_id', '=', principalId).where('key', '=', key).execute();
  }
}
