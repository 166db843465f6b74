import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Background, leaseMs, type BackgroundJob } from '../src/background.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import { JobLeaseRepository } from '../src/modules/jobs/job-lease.repository.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createTestDatabase, postgresSkip } from './support/harness.ts';

// Background jobs take a lease in job_leases: N replicas on one database run each job once per
// period, and the job moves to another replica when its holder stops (or dies).

const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const repository = new JobLeaseRepository();

test('a lease lasts a bit more than one period, at least a second more, at most 30 s more', () => {
  const cases: Array<[number, number]> = [
    [250, 1_250],
    [2_000, 3_000],
    [10_000, 15_000],
    [60_000, 90_000],
    [3_600_000, 3_630_000],
  ];
  for (const [every, expected] of cases) assert.equal(leaseMs(every), expected, `every ${every} ms`);
});

async function replicas(database: Database[], everyMs: number, firstRunEverywhere = false) {
  const runs: string[] = [];
  const backgrounds = database.map((d, i) => {
    const holder = `replica-${i}`;
    const job: BackgroundJob = { name: 'sweep', everyMs, firstRunEverywhere, run: async () => void runs.push(holder) };
    return new Background([job], quiet(), { db: d.db, repository, holder });
  });
  return { runs, backgrounds };
}

test('PostgreSQL: two replicas run a leased job once per period; the lease moves when its holder stops', { skip: postgresSkip() }, async () => {
  const url = await createTestDatabase();
  const one = await openDatabase({ url, dataDir: '', poolSize: 3 });
  const two = await openDatabase({ url, dataDir: '', poolSize: 3 });
  try {
    await migrateToLatest(one.db);
    const everyMs = 100;
    const { runs, backgrounds } = await replicas([one, two], everyMs);
    const started = Date.now();
    for (const b of backgrounds) b.start();
    await sleep(2_000);
    const elapsed = Date.now() - started;
    const periods = elapsed / everyMs;
    const firstHolder = runs[0]!;
    const byHolder = (h: string) => runs.filter((r) => r === h).length;
    assert.ok(runs.length <= periods + 2, `${runs.length} runs in ${periods.toFixed(1)} periods: once per period, not once per replica`);
    assert.ok(runs.length >= periods * 0.7, `the job kept running (${runs.length} runs in ${periods.toFixed(1)} periods)`);
    assert.equal(byHolder(firstHolder), runs.length, 'one replica held the job throughout');
    const leases = await repository.list(one.db);
    assert.deepEqual(leases.map((l) => [l.name, l.holder]), [['sweep', firstHolder]]);

    // The holder stops: it releases the lease, and the other replica takes the job at its next tick.
    const holderIndex = Number(firstHolder.split('-')[1]);
    const other = `replica-${1 - holderIndex}`;
    await backgrounds[holderIndex]!.stop();
    const before = runs.length;
    await sleep(600);
    const after = runs.slice(before);
    assert.ok(after.length >= 3, `the job went on (${after.length} runs)`);
    assert.ok(after.every((r) => r === other), 'on the other replica');
    assert.deepEqual((await repository.list(one.db)).map((l) => l.holder), [other]);
    await backgrounds[1 - holderIndex]!.stop();
    assert.deepEqual(await repository.list(one.db), [], 'a stopping replica gives its leases up');
  } finally {
    await two.close();
    await one.close();
  }
});

test('PostgreSQL: a holder that dies without releasing is replaced once its lease runs out; a first run may happen everywhere', { skip: postgresSkip() }, async () => {
  const url = await createTestDatabase();
  const database = await openDatabase({ url, dataDir: '', poolSize: 3 });
  try {
    await migrateToLatest(database.db);
    // A lease left by a process that was killed, valid for another 700 ms.
    assert.equal(await repository.claim(database.db, 'sweep', 'dead-replica', 700), true);
    assert.equal(await repository.claim(database.db, 'sweep', 'replica-0', 700), false, 'a live lease is not taken');
    const { runs, backgrounds } = await replicas([database], 100, true);
    const started = Date.now();
    backgrounds[0]!.start();
    await sleep(300);
    assert.deepEqual(runs, ['replica-0'], 'the first run happens at start, without the lease; then the dead holder blocks it');
    while (runs.length < 2 && Date.now() - started < 5_000) await sleep(20);
    const waited = Date.now() - started;
    assert.ok(waited >= 600 && waited < 1_500, `taken over once the dead lease ran out (${waited} ms)`);
    await backgrounds[0]!.stop();
  } finally {
    await database.close();
  }
});

test('PGlite: leases work on the embedded database', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(database.db);
    assert.equal(await repository.claim(database.db, 'partitions', 'a', 60_000), true);
    assert.equal(await repository.claim(database.db, 'partitions', 'b', 60_000), false);
    assert.equal(await repository.claim(database.db, 'partitions', 'a', 60_000), true, 'the holder renews');
    await repository.release(database.db, 'partitions', 'a');
    assert.equal(await repository.claim(database.db, 'partitions', 'b', 60_000), true);
  } finally {
    await database.close();
  }
});
