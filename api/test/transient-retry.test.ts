import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { isTransientConflict, retryTransientConflicts } from '../src/db/db-errors.ts';
import { createTestDatabase, postgresSkip } from './support/harness.ts';

// A deadlock or serialization failure rolls the whole transaction back; running it again is the
// remedy, and ingest does so instead of answering 500.

test('only deadlocks and serialization failures are transient conflicts', () => {
  assert.equal(isTransientConflict({ code: '40P01' }), true);
  assert.equal(isTransientConflict({ code: '40001' }), true);
  for (const code of ['23505', '57P01', '42P01', undefined]) assert.equal(isTransientConflict({ code }), false, String(code));
});

test('a transient conflict is retried up to the attempts; other errors are thrown at once', async () => {
  let calls = 0;
  assert.equal(await retryTransientConflicts(async () => (++calls < 3 ? Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' })) : 'done')), 'done');
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(retryTransientConflicts(async () => (calls++, Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' }))), 2), /deadlock/);
  assert.equal(calls, 2, 'gives up after the attempts');
  calls = 0;
  await assert.rejects(retryTransientConflicts(async () => (calls++, Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505' })))), /duplicate/);
  assert.equal(calls, 1, 'a failing statement is not retried');
});

test('PostgreSQL: two transactions locking the same rows in opposite orders both commit when retried', { skip: postgresSkip() }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '' });
  const db = database.db;
  try {
    await sql`CREATE TABLE deadlock_probe (id int PRIMARY KEY, n int NOT NULL)`.execute(db);
    await sql`INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)`.execute(db);
    let deadlocks = 0;
    const both = { first: 0, second: 0 };
    const bump = (order: [number, number], ready: { arrived: number; go?: () => void }) => retryTransientConflicts(async () => {
      try {
        await db.transaction().execute(async (trx) => {
          await sql`UPDATE deadlock_probe SET n = n + 1 WHERE id = ${order[0]}`.execute(trx);
          // Both hold their first row before either asks for the second: a deadlock on the first try.
          if (++ready.arrived === 2) ready.go?.();
          else await new Promise<void>((resolve) => { ready.go = resolve; setTimeout(resolve, 2_000); });
          await sql`UPDATE deadlock_probe SET n = n + 1 WHERE id = ${order[1]}`.execute(trx);
        });
      } catch (error) {
        if (isTransientConflict(error)) deadlocks++;
        throw error;
      }
      return order[0] === 1 ? both.first++ : both.second++;
    });
    const ready = { arrived: 0 } as { arrived: number; go?: () => void };
    await Promise.all([bump([1, 2], ready), bump([2, 1], ready)]);
    assert.ok(deadlocks >= 1, 'the first try deadlocked');
    assert.deepEqual(both, { first: 1, second: 1 }, 'each transaction committed once');
    const rows = (await sql<{ n: number }>`SELECT n FROM deadlock_probe ORDER BY id`.execute(db)).rows.map((r) => r.n);
    assert.deepEqual(rows, [2, 2], 'every update applied exactly once');
  } finally {
    await database.close();
  }
});
