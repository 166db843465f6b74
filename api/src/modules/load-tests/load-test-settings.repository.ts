import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { defaultLoadTestLimits, loadTestLimitsOf, type LoadTestLimits } from './load-test-settings.ts';

/** The stored settings of an organization with their version; version 0 and no updated_at while never written. */
export interface StoredLoadTestSettings {
  limits: LoadTestLimits;
  version: number;
  updatedAt: Date | undefined;
}

const stored = (row: { spec: unknown; version: number; updated_at: Date | string }): StoredLoadTestSettings => ({ limits: loadTestLimitsOf(row.spec), version: row.version, updatedAt: new Date(row.updated_at) });

/** SQL for load_test_settings (one row per organization, absent until first written). */
export class LoadTestSettingsRepository {
  /** The settings with their version; `forUpdate` locks the row (when there is one) until the transaction ends. */
  async get(db: Db, orgId: string, forUpdate = false): Promise<StoredLoadTestSettings> {
    let query = db.selectFrom('load_test_settings').select(['spec', 'version', 'updated_at']).where('org_id', '=', orgId);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? stored(row) : { limits: { ...defaultLoadTestLimits, allowed_hosts: [] }, version: 0, updatedAt: undefined };
  }

  /**
   * Writes the whole document and increments the version. With `expectedVersion` the write only
   * happens when the stored version is that one (0: never written); undefined when it was not.
   */
  async replace(db: Db, orgId: string, limits: LoadTestLimits, expectedVersion: number | undefined): Promise<StoredLoadTestSettings | undefined> {
    const now = new Date();
    const spec = JSON.stringify(limits);
    const row = await db
      .insertInto('load_test_settings')
      .values({ org_id: orgId, spec, updated_at: now })
      .onConflict((oc) => {
        if (expectedVersion === 0) return oc.column('org_id').doNothing();
        const update = oc.column('org_id').doUpdateSet({ spec, updated_at: now, version: sql<number>`load_test_settings.version + 1` });
        return expectedVersion === undefined ? update : update.where('load_test_settings.version', '=', expectedVersion);
      })
      .returning(['spec', 'version', 'updated_at'])
      .executeTakeFirst();
    if (!row) return undefined;
    // A version > 0 was expected but there was no row, so this inserted version 1: not the write asked for.
    if (expectedVersion !== undefined && row.version !== expectedVersion + 1) return undefined;
    return stored(row);
  }
}
