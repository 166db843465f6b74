import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadApiConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { createTestDatabase, postgresSkip } from './support/harness.ts';

// PHAROS_DB_POOL_SIZE sets how many PostgreSQL connections a control-plane process keeps (10 unless
// said otherwise); a bad value names the variable and its bounds; the pool never opens more.

describe('database pool size', () => {
  test('10 connections unless PHAROS_DB_POOL_SIZE says otherwise; bad values say what to write', () => {
    assert.equal(loadApiConfig({}).databasePoolSize, 10);
    assert.equal(loadApiConfig({ PHAROS_DB_POOL_SIZE: '40' }).databasePoolSize, 40);
    assert.throws(() => loadApiConfig({ PHAROS_DB_POOL_SIZE: '1' }), /PHAROS_DB_POOL_SIZE="1" is not an integer between 2 and 500/);
    assert.throws(() => loadApiConfig({ PHAROS_DB_POOL_SIZE: 'lots' }), /PHAROS_DB_POOL_SIZE="lots" is not an integer between 2 and 500/);
  });

  test('the pool opens at most that many connections; more statements wait their turn', { skip: postgresSkip() }, async () => {
    const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 3 });
    try {
      const backends = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()`.execute(database.db)).rows[0]!.n);
      let most = 0;
      const watching = setInterval(() => (most = Math.max(most, database.poolStats().total)), 10);
      await Promise.all(Array.from({ length: 8 }, () => sql`SELECT pg_sleep(0.2)`.execute(database.db)));
      clearInterval(watching);
      assert.equal(most, 3, 'the pool grew to its size and no further');
      assert.ok((await backends()) <= 3, 'the server saw no more connections of this database than the pool size');
    } finally {
      await database.close();
    }
  });
});
