import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { specTables } from '../db/tables.ts';

/** Every table with a secrets column (the spec tables and load tests). */
export const secretTables = [...specTables, 'load_tests'] as const;
export type SecretTable = (typeof secretTables)[number];

/** SQL of the re-encryption pass (api/src/crypto/secret-reseal.ts). */
export class SecretResealRepository {
  /** Takes the pass's session-independent lock for this transaction; false when another replica holds it. */
  async tryLock(trx: Db): Promise<boolean> {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('pharos-secret-reseal')) AS locked`.execute(trx);
    return rows[0]?.locked === true;
  }

  /**
   * The next rows after `after` (id order) whose secrets are clear or under a key other than
   * `primaryKid`, locked for update. An envelope is an object with a number `v` (see isSealed).
   */
  async batch(trx: Db, table: SecretTable, primaryKid: string, after: string, limit: number): Promise<Array<{ id: string; secrets: unknown }>> {
    const { rows } = await sql<{ id: string; secrets: unknown }>`
      SELECT id, secrets FROM ${sql.table(table)}
      WHERE id > ${after} AND secrets IS NOT NULL AND jsonb_typeof(secrets) <> 'null'
        AND (jsonb_typeof(secrets -> 'v') IS DISTINCT FROM 'number' OR secrets ->> 'kid' IS DISTINCT FROM ${primaryKid})
      ORDER BY id LIMIT ${limit} FOR UPDATE`.execute(trx);
    return rows;
  }

  async write(trx: Db, table: SecretTable, id: string, sealed: unknown): Promise<void> {
    await sql`UPDATE ${sql.table(table)} SET secrets = ${JSON.stringify(sealed)}::jsonb WHERE id = ${id}`.execute(trx);
  }
}
