import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Database, type Db } from '../src/db/database.ts';
import { EventLogRepository } from '../src/modules/events/event-log.repository.ts';
import { EventConsumerRunner, type EventConsumer } from '../src/modules/events/event.consumer.ts';
import type { NewEvent, StoredEvent } from '../src/modules/events/event.types.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createTestDatabase, postgresSkip } from './support/harness.ts';

// The event log: every appended event is consumed exactly once, in seq order per organization,
// by however many consumer instances, through commits out of order, aborted appends, failing
// batches and connections killed mid-batch.

const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = new EventLogRepository();
const ORGS = ['org_a', 'org_b', 'org_c'];

async function setUp(database: Database): Promise<void> {
  await migrateToLatest(database.db);
  await database.db.insertInto('organizations').values(ORGS.map((id) => ({ id, name: id, created_at: new Date() }))).execute();
  await sql`CREATE TABLE test_effects (consumer text, org_id text, seq bigint, marker text, handled_by text)`.execute(database.db);
}

const event = (orgId: string, marker: string): NewEvent => ({
  orgId, kind: 'state.transition', at: new Date(),
  payload: { subject_type: 'monitor', subject_id: marker, region: null, from: 'up', to: 'down', cause: {} },
});

/** A consumer whose effect is a row per event, written in the batch's transaction. */
function recorder(name: string, handledBy: string, hooks: { before?: (trx: Db, events: readonly StoredEvent[]) => Promise<void> } = {}): EventConsumer {
  return {
    name,
    async handle(trx, orgId, events) {
      await hooks.before?.(trx, events);
      const rows = events.map((e) => ({ consumer: name, org_id: orgId, seq: e.seq, marker: e.kind === 'state.transition' ? e.payload.subject_id : '', handled_by: handledBy }));
      await sql`INSERT INTO test_effects SELECT * FROM jsonb_populate_recordset(null::test_effects, ${JSON.stringify(rows)}::jsonb)`.execute(trx);
    },
  };
}

async function effects(db: Db, consumer: string): Promise<Array<{ org_id: string; seq: number; marker: string; handled_by: string }>> {
  const { rows } = await sql<{ org_id: string; seq: string; marker: string; handled_by: string }>`SELECT org_id, seq, marker, handled_by FROM test_effects WHERE consumer = ${consumer} ORDER BY org_id, seq`.execute(db);
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Writers {
  committed: string[];
  /** Markers in the order their transactions committed, per organization. */
  commitOrder: Map<string, string[]>;
}

/**
 * Concurrent writers: each transaction appends one to three events of one organization, waits a
 * random while before committing (so later seqs often commit first across organizations), and one
 * in seven throws after appending (an aborted append leaves a gap in seq).
 */
async function write(database: Database, writers: number, perWriter: number, seed: number): Promise<Writers> {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: Writers = { committed: [], commitOrder: new Map(ORGS.map((o) => [o, []])) };
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; i < perWriter; i++) {
      const orgId = ORGS[Math.floor(random() * ORGS.length)]!;
      const markers = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => `w${w}-${i}-${k}`);
      const abort = random() < 1 / 7;
      const hold = Math.floor(random() * 25);
      await sleep(Math.floor(random() * 5));
      try {
        await database.db.transaction().execute(async (trx) => {
          await sql`SELECT 1`.execute(trx);
          await log.append(trx, markers.map((m) => event(orgId, m)));
          await sleep(hold);
          if (abort) throw new Error('aborted on purpose');
        });
        out.committed.push(...markers);
        out.commitOrder.get(orgId)!.push(...markers);
      } catch (error) {
        if (!abort) throw error;
      }
    }
  }));
  return out;
}

function assertExactlyOnceInOrder(seen: Awaited<ReturnType<typeof effects>>, writers: Writers): void {
  assert.equal(seen.length, writers.committed.length, 'one effect per committed event');
  assert.equal(new Set(seen.map((e) => e.marker)).size, seen.length, 'no event handled twice');
  assert.deepEqual(new Set(seen.map((e) => e.marker)), new Set(writers.committed), 'no committed event missed, no aborted one handled');
  for (const orgId of ORGS) {
    const mine = seen.filter((e) => e.org_id === orgId);
    // Within an organization, seq order is commit order (the writers' own record of their commits).
    assert.deepEqual(mine.map((e) => e.marker), writers.commitOrder.get(orgId), `${orgId}: seq order is commit order`);
  }
}

test('PostgreSQL: concurrent writers committing out of order, with aborts; a consumer handles every event once, in order', { skip: postgresSkip() }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 12 });
  try {
    await setUp(database);
    // The consumer also checks, batch by batch, that it never goes back in an organization.
    const last = new Map<string, number>();
    let regressions = 0;
    const consumer = recorder('ordered', 'one', {
      before: async (_trx, events) => {
        for (const e of events) {
          if ((last.get(e.orgId) ?? 0) >= e.seq) regressions++;
          last.set(e.orgId, e.seq);
        }
      },
    });
    const runner = new EventConsumerRunner(database.db, log, consumer, quiet(), { pollMs: 5, batchSize: 7 });
    runner.start();
    const writers = await write(database, 8, 30, 7);
    await waitFor('the consumer to catch up', async () => (await effects(database.db, 'ordered')).length >= writers.committed.length);
    await runner.stop();
    assert.equal(regressions, 0);
    assertExactlyOnceInOrder(await effects(database.db, 'ordered'), writers);
    const positions = await log.positions(database.db, 'ordered');
    const max = await sql<{ org_id: string; seq: string }>`SELECT org_id, max(seq) AS seq FROM events GROUP BY org_id`.execute(database.db);
    for (const row of max.rows) assert.equal(positions.get(row.org_id), Number(row.seq), `${row.org_id}: the cursor is at the last event`);
  } finally {
    await database.close();
  }
});

test('PostgreSQL: a later append of the same organization waits for the earlier one to commit; other organizations do not wait', { skip: postgresSkip() }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 6 });
  try {
    await setUp(database);
    let releaseFirst!: () => void;
    const held = new Promise<void>((r) => (releaseFirst = r));
    let appended!: () => void;
    const firstAppended = new Promise<void>((r) => (appended = r));
    const first = database.db.transaction().execute(async (trx) => {
      await log.append(trx, [event('org_a', 'first')]);
      appended();
      await held;
    });
    await firstAppended;
    const t0 = Date.now();
    const other = await database.db.transaction().execute(async (trx) => log.append(trx, [event('org_b', 'other')]).then(() => Date.now() - t0));
    assert.ok(other < 1_000, `another organization appends at once (${other} ms)`);
    let secondDone = false;
    const second = database.db.transaction().execute(async (trx) => {
      await log.append(trx, [event('org_a', 'second')]);
      secondDone = true;
    });
    await sleep(300);
    assert.equal(secondDone, false, 'the second append of org_a waits for the first transaction');
    releaseFirst();
    await Promise.all([first, second]);
    const { rows } = await sql<{ marker: string; seq: string }>`SELECT payload->>'subject_id' AS marker, seq FROM events WHERE org_id = 'org_a' ORDER BY seq`.execute(database.db);
    assert.deepEqual(rows.map((r) => r.marker), ['first', 'second']);
  } finally {
    await database.close();
  }
});

test('PostgreSQL: why appends take a lock: an xid horizon read (xid < snapshot xmin) with a seq cursor skips an event', { skip: postgresSkip() }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 6 });
  try {
    await setUp(database);
    await sql`CREATE TABLE naive_events (seq bigint GENERATED ALWAYS AS IDENTITY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(), marker text)`.execute(database.db);
    const gate = () => {
      let open!: () => void;
      return { wait: new Promise<void>((r) => (open = r)), open: () => open() };
    };
    const bWrote = gate();
    const aAppended = gate();
    const aCommit = gate();
    // B writes first (it gets the older xid), A appends first (it gets the lower seq), B commits first.
    const b = database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO test_effects (marker) VALUES ('b-work')`.execute(trx);
      bWrote.open();
      await aAppended.wait;
      await sql`INSERT INTO naive_events (marker) VALUES ('b')`.execute(trx);
    });
    let aXid = '';
    const a = database.db.transaction().execute(async (trx) => {
      await bWrote.wait;
      await sql`INSERT INTO naive_events (marker) VALUES ('a')`.execute(trx);
      aXid = (await sql<{ x: string }>`SELECT pg_current_xact_id()::text AS x`.execute(trx)).rows[0]!.x;
      aAppended.open();
      await aCommit.wait;
    });
    await b;
    // The horizon a reader's snapshot has while A is the oldest running transaction (its xmin is A's
    // xid). Read against A's xid itself: the cluster is shared with other tests, whose transactions
    // may hold the real xmin lower for a moment.
    const read = await sql<{ seq: string; marker: string }>`SELECT seq, marker FROM naive_events WHERE xid < ${aXid}::xid8 ORDER BY seq`.execute(database.db);
    aCommit.open();
    await a;
    const all = await sql<{ seq: string; marker: string }>`SELECT seq, marker FROM naive_events ORDER BY seq`.execute(database.db);
    assert.deepEqual(all.rows.map((r) => [Number(r.seq), r.marker]), [[1, 'a'], [2, 'b']]);
    assert.deepEqual(read.rows.map((r) => [Number(r.seq), r.marker]), [[2, 'b']], 'seq 2 passed the xid rule while seq 1 was still to commit');
    // A reader whose cursor moved to 2 would never read seq 1. An (xid, seq) cursor would not skip it
    // but would hand out events in xid order, not commit order: a transition written after waiting
    // on another's row lock can then come before the one it followed. Hence the append lock.
  } finally {
    await database.close();
  }
});

test('PostgreSQL: two consumer instances on their own pools count each event exactly once between them', { skip: postgresSkip() }, async () => {
  const url = await createTestDatabase();
  const one = await openDatabase({ url, dataDir: '', poolSize: 12 });
  const two = await openDatabase({ url, dataDir: '', poolSize: 4 });
  try {
    await setUp(one);
    // A slow effect makes the two instances overlap in time.
    const slow = { before: async () => void (await sleep(3)) };
    const a = new EventConsumerRunner(one.db, log, recorder('counter', 'a', slow), quiet(), { pollMs: 5, batchSize: 5 });
    const b = new EventConsumerRunner(two.db, log, recorder('counter', 'b', slow), quiet(), { pollMs: 5, batchSize: 5 });
    a.start();
    b.start();
    const writers = await write(one, 6, 30, 11);
    await waitFor('both consumers to catch up', async () => (await effects(one.db, 'counter')).length >= writers.committed.length);
    await Promise.all([a.stop(), b.stop()]);
    const seen = await effects(one.db, 'counter');
    assertExactlyOnceInOrder(seen, writers);
    const byA = seen.filter((e) => e.handled_by === 'a').length;
    const byB = seen.filter((e) => e.handled_by === 'b').length;
    assert.ok(byA > 0 && byB > 0, `both instances took batches (a ${byA}, b ${byB})`);
  } finally {
    await two.close();
    await one.close();
  }
});

test('PostgreSQL: a batch whose effect fails, or whose connection is killed mid-batch, is handled later, once', { skip: postgresSkip() }, async () => {
  const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 6 });
  try {
    await setUp(database);
    let attempts = 0;
    const consumer = recorder('flaky', 'one', {
      before: async (trx, events) => {
        if (!events.some((e) => e.kind === 'state.transition' && e.payload.subject_id === 'poison')) return;
        attempts++;
        // First a thrown error, then the server ends the connection in the middle of the batch.
        if (attempts === 1) throw new Error('effect failed');
        if (attempts === 2) await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(trx);
      },
    });
    const runner = new EventConsumerRunner(database.db, log, consumer, quiet(), { pollMs: 20, batchSize: 50 });
    await database.db.transaction().execute((trx) => log.append(trx, [event('org_a', 'before'), event('org_a', 'poison'), event('org_a', 'after'), event('org_b', 'elsewhere')]));
    await assert.rejects(runner.drain(), /effect failed/);
    // org_a's batch rolled back; org_b was not held up by it.
    assert.deepEqual((await effects(database.db, 'flaky')).map((e) => e.marker), ['elsewhere']);
    await assert.rejects(runner.drain());
    assert.deepEqual((await effects(database.db, 'flaky')).map((e) => e.marker), ['elsewhere']);
    runner.start();
    await waitFor('the batch to be handled after the failures', async () => (await effects(database.db, 'flaky')).length === 4);
    await runner.stop();
    assert.equal(attempts, 3);
    const seen = await effects(database.db, 'flaky');
    assert.deepEqual(seen.filter((e) => e.org_id === 'org_a').map((e) => e.marker), ['before', 'poison', 'after']);
  } finally {
    await database.close();
  }
});

test('PGlite: appended events are consumed once, a new consumer can start after the newest, and retention prunes old events', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await setUp(database);
    await database.db.transaction().execute((trx) => log.append(trx, [event('org_a', 'one'), event('org_b', 'two')]));
    const runner = new EventConsumerRunner(database.db, log, recorder('lite', 'one'), quiet(), { pollMs: 10, batchSize: 10 });
    assert.equal(await runner.drain(), 2);
    assert.equal(await runner.drain(), 0, 'nothing is handled twice');
    await database.db.transaction().execute((trx) => log.append(trx, [event('org_a', 'three')]));
    runner.start();
    runner.nudge();
    await waitFor('the nudged consumer', async () => (await effects(database.db, 'lite')).length === 3, 5_000);
    await runner.stop();
    assert.deepEqual((await effects(database.db, 'lite')).map((e) => e.marker), ['one', 'three', 'two']);

    const late = new EventConsumerRunner(database.db, log, { ...recorder('late', 'one'), start: 'latest' }, quiet());
    assert.equal(await late.drain(), 0, 'a consumer starting at the newest event skips the history');
    await database.db.transaction().execute((trx) => log.append(trx, [event('org_b', 'four')]));
    assert.equal(await late.drain(), 1);

    await sql`UPDATE events SET created_at = now() - interval '8 days' WHERE payload->>'subject_id' IN ('one', 'two')`.execute(database.db);
    assert.equal(await log.prune(database.db, new Date(Date.now() - 7 * 86_400_000), 1), 2);
    const left = await database.db.selectFrom('events').select('seq').execute();
    assert.equal(left.length, 2);
  } finally {
    await database.close();
  }
});
