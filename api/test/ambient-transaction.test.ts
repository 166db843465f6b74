import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { isDatabaseUnavailable } from '../src/db/db-errors.ts';
import { inTransaction } from '../src/modules/resources/transaction.ts';
import { PharosError } from '../src/contract/errors.ts';
import { createTestDatabase, postgresSkip, type Backend } from './support/harness.ts';

// The ambient transaction of a Database: everything run in its async context commits or rolls back
// as one, db.transaction() inside it is a savepoint, and work left behind (timers) does not leak
// into a finished transaction — on real PostgreSQL and on the embedded database.

const backends: Array<[Backend, string | false]> = [['postgres', postgresSkip()], ['pglite', false]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const [backend, skip] of backends) {
  describe(`ambient transactions on ${backend}`, { skip }, () => {
    let database: Database;
    before(async () => {
      database = await openDatabase(backend === 'postgres' ? { url: await createTestDatabase(), dataDir: '' } : { dataDir: 'memory://' });
      await sql`CREATE TABLE probe (id text PRIMARY KEY, tag text NOT NULL)`.execute(database.db);
    });
    after(async () => database?.close());

    const db = () => database.db as any;
    const insert = (runner: any, id: string, tag: string) => runner.insertInto('probe').values({ id, tag }).execute();
    const ids = async (tag: string): Promise<string[]> =>
      (await db().selectFrom('probe').select('id').where('tag', '=', tag).orderBy('id').execute()).map((r: { id: string }) => r.id);

    test('plain queries and db.transaction() inside commit together when the work resolves', async () => {
      const answer = await database.withAmbientTransaction(async () => {
        await insert(db(), 'c1', 'commit');
        await db().transaction().execute((trx: any) => insert(trx, 'c2', 'commit'));
        return 42;
      });
      assert.equal(answer, 42);
      assert.deepEqual(await ids('commit'), ['c1', 'c2']);
    });

    test('everything rolls back when the work throws, committed savepoints included', async () => {
      await assert.rejects(
        database.withAmbientTransaction(async () => {
          await insert(db(), 'r1', 'rollback');
          await db().transaction().execute((trx: any) => insert(trx, 'r2', 'rollback'));
          throw new Error('handler failed');
        }),
        /handler failed/,
      );
      assert.deepEqual(await ids('rollback'), []);
    });

    test('an inner inTransaction that fails with a conflict undoes only itself; the outer work goes on and commits', async () => {
      await database.withAmbientTransaction(async () => {
        await insert(db(), 'n1', 'nested');
        const failed = await inTransaction(db(), 'Probe', async (trx) => {
          await insert(trx, 'n2', 'nested');
          await insert(trx, 'n1', 'nested');
        }).catch((e: unknown) => e);
        assert.ok(failed instanceof PharosError && failed.code === 'conflict', `conflict expected: ${String(failed)}`);
        // A failing plain statement, caught, keeps autocommit meaning too: it does not poison the rest.
        await assert.rejects(insert(db(), 'n1', 'nested'));
        await insert(db(), 'n3', 'nested');
      });
      assert.deepEqual(await ids('nested'), ['n1', 'n3'], 'n2 went with its savepoint; n1 and n3 committed');
    });

    test('concurrent queries and transactions inside one ambient transaction all run', async () => {
      await database.withAmbientTransaction(async () => {
        await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => insert(db(), `p${String(i).padStart(2, '0')}`, 'parallel')),
          db().transaction().execute(async (trx: any) => {
            await insert(trx, 'p10', 'parallel');
            await insert(trx, 'p11', 'parallel');
          }),
          inTransaction(db(), 'Probe', (trx) => insert(trx, 'p00', 'parallel')).catch(() => 'conflict'),
          db().selectFrom('probe').selectAll().execute(),
        ]);
        assert.equal((await ids('parallel')).length, 12, 'the transaction sees its own writes');
      });
      assert.equal((await ids('parallel')).length, 12);
    });

    test('a timer that outlives the ambient transaction gets an ordinary connection, and its writes stay', async () => {
      let late: Promise<unknown> | undefined;
      await database.withAmbientTransaction(async () => {
        await insert(db(), 't1', 'timer');
        // Scheduled here, so it carries this async context; it runs after the commit.
        setTimeout(() => {
          late = db().transaction().execute(async (trx: any) => {
            await insert(trx, 't2', 'timer');
            await insert(trx, 't3', 'timer');
          });
        }, 30);
      });
      await sleep(60);
      assert.ok(late, 'the timer ran');
      await late;
      assert.deepEqual(await ids('timer'), ['t1', 't2', 't3']);
      // Later ambient transactions are not disturbed by the finished one.
      await database.withAmbientTransaction(() => insert(db(), 't4', 'timer'));
      assert.deepEqual(await ids('timer'), ['t1', 't2', 't3', 't4']);
    });

    test('a timer that fires while the ambient transaction is open joins it: the commit waits for it, a rollback takes it along', async () => {
      await database.withAmbientTransaction(async () => {
        setTimeout(() => void db().transaction().execute(async (trx: any) => {
          await sleep(40);
          await insert(trx, 'j1', 'joined');
        }), 0);
        await sleep(10);
      });
      assert.deepEqual(await ids('joined'), ['j1'], 'the commit waited for the joined work');
      await assert.rejects(
        database.withAmbientTransaction(async () => {
          setTimeout(() => void insert(db(), 'j2', 'joined'), 0);
          await sleep(30);
          throw new Error('handler failed');
        }),
      );
      await sleep(30);
      assert.deepEqual(await ids('joined'), ['j1'], 'the joined write rolled back with the request');
    });

    test('work outside the ambient transaction never sees it before the commit, and is not blocked for ever', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const wrote = new Promise<void>((r) => (inserted = r));
      const open = database.withAmbientTransaction(async () => {
        await insert(db(), 'o1', 'outside');
        inserted();
        await gate;
      });
      await wrote;
      // On PostgreSQL another connection answers at once; the embedded database has one connection,
      // so the outside query waits for the commit. Either way it never sees uncommitted rows.
      const outside = ids('outside');
      const seenEarly = backend === 'postgres' ? await outside : undefined;
      release();
      await open;
      if (seenEarly) assert.deepEqual(seenEarly, []);
      assert.deepEqual(await Promise.race([backend === 'postgres' ? ids('outside') : outside, sleep(5_000).then(() => 'deadlock')]), ['o1']);
    });

    if (backend === 'postgres') {
      test('the database going away inside the transaction rejects with the unavailable error, and the pool recovers', async () => {
        const failure = await database
          .withAmbientTransaction(async () => {
            await insert(db(), 'd1', 'down');
            await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(db());
          })
          .catch((e: unknown) => e);
        assert.ok(isDatabaseUnavailable(failure), `unavailable expected: ${String(failure)}`);
        assert.deepEqual(await ids('down'), []);
        await database.withAmbientTransaction(() => insert(db(), 'd2', 'down'));
        assert.deepEqual(await ids('down'), ['d2']);
      });
    }
  });
}
