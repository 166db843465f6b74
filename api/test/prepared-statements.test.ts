import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { prepared, preparedName } from '../src/db/prepared-statements.ts';
import { createTestDatabase, postgresSkip } from './support/harness.ts';

// Hot statements marked `prepared` run as named statements on PostgreSQL (parsed once per pooled
// connection, then planned once); on PGlite the mark is a comment. Either way the answers are those
// of the plain statement, whatever the parameters, and a failing execution leaves the statement usable.

test('a marked statement gets a name derived from its text; an unmarked one none', () => {
  assert.equal(preparedName('SELECT 1'), undefined);
  assert.equal(preparedName('/* prepared */ SELECT $1'), preparedName('/* prepared */ SELECT $1'));
  assert.notEqual(preparedName('/* prepared */ SELECT $1'), preparedName('/* prepared */ SELECT $1 + 1'));
  assert.match(preparedName('/* prepared */ SELECT $1')!, /^pharos_[\w-]{24}$/);
});

for (const backend of ['postgres', 'pglite'] as const) {
  describe(`prepared statements on ${backend}`, { skip: backend === 'postgres' ? postgresSkip() : false }, () => {
    let database: Database;
    before(async () => {
      database = await openDatabase(backend === 'postgres' ? { url: await createTestDatabase(), dataDir: '', poolSize: 1 } : { dataDir: 'memory://' });
    });
    after(async () => database?.close());

    const sum = async (values: number[]) =>
      (await sql<{ total: number | null; n: number }>`${prepared}
        SELECT sum(v::integer)::integer AS total, count(*)::integer AS n FROM jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) AS x(v)`.execute(database.db)).rows[0];

    test('repeated executions (past the generic-plan threshold) answer for their own parameters', async () => {
      for (let i = 0; i < 12; i++) {
        const values = Array.from({ length: i * 7 }, (_, k) => k + i);
        assert.deepEqual(await sum(values), { total: values.length ? values.reduce((a, b) => a + b, 0) : null, n: values.length });
      }
    });

    test('a failed execution (bad parameter) answers an error and the statement keeps working', async () => {
      await assert.rejects(() => sql`${prepared}
        SELECT sum(v::integer)::integer AS total, count(*)::integer AS n FROM jsonb_array_elements_text(${'not json'}::jsonb) AS x(v)`.execute(database.db));
      assert.deepEqual(await sum([1, 2, 3]), { total: 6, n: 3 });
    });

    test('a statement with named output columns keeps working after a migration adds a column to the table it reads', async () => {
      const table = `prepared_probe_${backend}`;
      await sql.raw(`CREATE TABLE ${table} (a integer)`).execute(database.db);
      await sql.raw(`INSERT INTO ${table} VALUES (1)`).execute(database.db);
      const rows = async () => (await sql<{ rows: unknown }>`${prepared}SELECT (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.a) FROM ${sql.table(table)} t) AS rows`.execute(database.db)).rows[0]!.rows;
      for (let i = 0; i < 6; i++) assert.deepEqual(await rows(), [{ a: 1 }]);
      await sql.raw(`ALTER TABLE ${table} ADD COLUMN b text DEFAULT 'x'`).execute(database.db);
      assert.deepEqual(await rows(), [{ a: 1, b: 'x' }]);
    });
  });
}
