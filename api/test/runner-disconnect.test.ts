import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { openDatabase } from '../src/db/database.ts';
import { RunnerRepository } from '../src/modules/runner/runner.repository.ts';
import { createTestDatabase, postgresSkip, startTestApi, type Backend, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// A runner whose long poll's connection closes before the answer is presumed gone after the
// disconnect grace (not the full lease), unless it polls again within the grace. Driven over HTTP as
// a runner would, with the periodic lease reaper out of the way (once a minute) so what moves the
// slots is the drop itself.

const leaseSeconds = 10;
const graceSeconds = 1;
const appOptions = { sweepEveryMs: 60_000, runner: { leaseSeconds, disconnectGraceSeconds: graceSeconds, recheckMs: 100 } };

/** Opens a long poll and cuts its connection after `ms`, as a killed runner's kernel would. */
async function cutPoll(api: TestApi, r: SimulatedRunner, ms = 300): Promise<void> {
  const controller = new AbortController();
  const pending = fetch(`${api.url}/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=20`, { headers: { authorization: `Bearer ${r.token}` }, signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, ms));
  controller.abort();
  await pending.then(() => assert.fail('the poll answered before it was cut'), () => undefined);
}

/** A poll answered at once on a connection of its own, read whole; the connection is left open. */
async function answeredPoll(api: TestApi, r: SimulatedRunner): Promise<Socket> {
  const { port } = new URL(api.url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`GET /v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${r.token}\r\nConnection: keep-alive\r\n\r\n`);
  let text = '';
  socket.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: string) => {
      text += chunk;
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && Buffer.byteLength(text.slice(head + 4)) >= Number(length)) {
        socket.off('data', read);
        resolve();
      }
    };
    socket.on('data', read);
    socket.once('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 200/, 'the poll was answered');
  return socket;
}

/** A runner killed after reading an answer and before its next poll: the answered poll's connection closes with no poll open. */
async function answeredThenGone(api: TestApi, r: SimulatedRunner): Promise<void> {
  (await answeredPoll(api, r)).destroy();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`long-poll drops on ${backend}`, { skip }, () => {
    let api: TestApi;
    let service: string;
    before(async () => {
      api = await startTestApi({ backend, app: appOptions });
      const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    });
    after(async () => api?.close());

    const db = () => api.database.db;
    const fleet = async (monitors: number, interval = 30) => {
      const region = unique('r');
      const ids: string[] = [];
      for (let i = 0; i < monitors; i++) {
        ids.push((await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: interval, regions: [region], http: { url: 'http://127.0.0.1:9/health' } })).id);
      }
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
      return { region, ids, token };
    };
    const owned = async (runnerId: string) => (await db().selectFrom('slot_assignments').select('monitor_id').where('runner_id', '=', runnerId).execute()).map((r) => r.monitor_id);
    const leaseLeftMs = async (runnerId: string) => {
      const row = await db().selectFrom('runners').select('lease_expires_at').where('id', '=', runnerId).executeTakeFirstOrThrow();
      return new Date(row.lease_expires_at as unknown as string).getTime() - Date.now();
    };
    // Two runners sharing a region's slots, both having seen their assignments.
    const pair = async (monitors: number, interval?: number) => {
      const { region, ids, token } = await fleet(monitors, interval);
      const a = await registerRunner(api, token);
      await pollRunner(api, a);
      const b = await registerRunner(api, token);
      await pollRunner(api, b);
      await pollRunner(api, a, 1);
      assert.equal((await owned(a.id)).length + (await owned(b.id)).length, monitors);
      assert.ok((await owned(a.id)).length > 0 && (await owned(b.id)).length > 0, 'both runners own slots');
      return { region, ids, token, a, b };
    };

    test('a cut long poll shortens the lease to the grace and the slots move at once, not after the lease', async () => {
      const { ids, a, b } = await pair(6);
      const victimSlots = await owned(b.id);
      const cutAt = Date.now();
      await cutPoll(api, b);
      await until('the lease to be shortened', 2_000, async () => (await leaseLeftMs(b.id)) <= graceSeconds * 1000);
      const moved = await until('the slots to move to the live runner', 5_000, async () => (await owned(a.id)).length === ids.length && Date.now());
      const tookMs = moved - cutAt;
      assert.ok(tookMs < (graceSeconds + 1.5) * 1000, `moved ${tookMs} ms after the cut (grace ${graceSeconds} s, lease ${leaseSeconds} s)`);
      assert.deepEqual(await owned(b.id), []);
      // The live runner hears of it at once; never-checked slots are overdue, so it checks them now.
      const answer = await pollRunner(api, a, 5);
      const heard = new Set(answer.monitors.map((m: { id: string }) => m.id));
      for (const id of victimSlots) assert.ok(heard.has(id), `the survivor got ${id}`);
      assert.deepEqual(new Set(answer.confirmations.map((c: { monitor_id: string }) => c.monitor_id)), new Set(victimSlots), 'the taken-over slots are checked at once');
      assert.ok(answer.confirmations.every((c: { reason: string }) => /lease lapsed/.test(c.reason)));
    });

    test('a runner gone between two polls (its answered poll\'s connection closes before the next poll) is presumed gone after the grace', async () => {
      const { ids, a, b } = await pair(6);
      const goneAt = Date.now();
      await answeredThenGone(api, b);
      await until('the lease to be shortened', 2_000, async () => (await leaseLeftMs(b.id)) <= graceSeconds * 1000);
      const moved = await until('the slots to move to the live runner', 5_000, async () => (await owned(a.id)).length === ids.length && Date.now());
      assert.ok(moved - goneAt < (graceSeconds + 1.5) * 1000, `moved ${moved - goneAt} ms after the connection closed (grace ${graceSeconds} s, lease ${leaseSeconds} s)`);
    });

    test('an answered poll\'s connection closing after the runner polled again elsewhere shortens nothing', async () => {
      const { b } = await pair(4);
      const socket = await answeredPoll(api, b);
      // The runner's next poll comes on another connection (as a pool of connections does) before the first closes.
      await pollRunner(api, b);
      socket.destroy();
      await sleep((graceSeconds + 1) * 1000);
      assert.ok((await owned(b.id)).length > 0, 'still owns its slots');
      assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - graceSeconds - 3) * 1000, 'the full lease stands');
    });

    test('a connection reused for another request (a pooling proxy) and then closed says nothing about the runner it answered first', async () => {
      const { b } = await pair(4);
      const socket = await answeredPoll(api, b);
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await once(socket, 'data');
      socket.destroy();
      await sleep(500);
      assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - 3) * 1000, 'the full lease stands');
    });

    test('a runner whose poll is cut and that polls again within the grace keeps its slots and its full lease', async () => {
      const { a, b } = await pair(6);
      const before = { a: (await owned(a.id)).sort(), b: (await owned(b.id)).sort() };
      for (let i = 0; i < 3; i++) {
        await cutPoll(api, b, 200);
        // A load balancer's reset or a redeploy's reconnect: the runner is back 100 ms later.
        await sleep(100);
        await pollRunner(api, b);
        assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - 2) * 1000, 'the renewal restored the full lease');
      }
      await sleep((graceSeconds + 1) * 1000);
      assert.deepEqual({ a: (await owned(a.id)).sort(), b: (await owned(b.id)).sort() }, before, 'no slot moved');
      const revision = b.revision;
      assert.equal((await pollRunner(api, b)).revision, revision, 'the reconnected runner has nothing to catch up on');
    });

    test('a drop racing a reconnect (the new poll renewed before the old one\'s close was seen) shortens nothing', async () => {
      const { b } = await pair(4);
      const repo = new RunnerRepository();
      // Renewals back to back (on the embedded database many fall in the same millisecond) each
      // have their own mark, so the drop of any but the last is told apart from the last.
      const marks = (await Promise.all(Array.from({ length: 30 }, () => repo.renew(db(), b.id, leaseSeconds)))).map((r) => r.seenMark);
      assert.equal(new Set(marks).size, marks.length, 'every renewal has its own mark');
      const first = await repo.renew(db(), b.id, leaseSeconds);
      const second = await repo.renew(db(), b.id, leaseSeconds);
      assert.equal(await repo.presumeGone(db(), b.id, first.seenMark, graceSeconds), false, 'a poll renewed after the dropped one');
      assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - 2) * 1000);
      assert.equal(await repo.presumeGone(db(), b.id, second.seenMark, graceSeconds), true, 'nothing renewed since: presumed gone');
      assert.ok((await leaseLeftMs(b.id)) <= graceSeconds * 1000);
      assert.equal(await repo.presumeGone(db(), b.id, second.seenMark, leaseSeconds * 3), true, 'a later drop never lengthens the lease');
      assert.ok((await leaseLeftMs(b.id)) <= graceSeconds * 1000);
      await pollRunner(api, b);
      assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - 2) * 1000, 'a poll within the grace restores the full lease');
    });

    test('answered long polls (changes, or the wait running out) never shorten the lease', async () => {
      const { b } = await pair(4);
      for (const wait of [0, 1, 0, 1]) {
        await pollRunner(api, b, wait);
        assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - 2) * 1000, `after an answered poll (wait ${wait})`);
      }
      // Stop polling: nothing is cut, so only the full lease ends it.
      await sleep((graceSeconds + 1) * 1000);
      assert.ok((await owned(b.id)).length > 0, 'still owns its slots after the grace');
      assert.ok((await leaseLeftMs(b.id)) > (leaseSeconds - graceSeconds - 3) * 1000);
    });
  });
}

test('PostgreSQL, two replicas: a poll cut on one replica moves the slots for runners polling the other', { skip: postgresSkip(), timeout: 60_000 }, async () => {
  const url = await createTestDatabase();
  const first = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app: appOptions });
  // The second replica has a slow reaper too: the drop reaches it only through PostgreSQL.
  const second = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app: appOptions });
  try {
    const team = (await expectOk(first, 'POST', '/v1/teams', first.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(first, 'POST', '/v1/services', first.adminToken, { name: unique('svc'), team_id: team })).id;
    const region = unique('r');
    for (let i = 0; i < 4; i++) {
      await expectOk(first, 'POST', '/v1/monitors', first.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions: [region], http: { url: 'http://127.0.0.1:9/health' } });
    }
    const token = (await expectOk(first, 'POST', '/v1/runner-tokens', first.adminToken, { name: unique('rt'), region })).token as string;
    const a = await registerRunner(second, token);
    await pollRunner(second, a);
    const b = await registerRunner(first, token);
    await pollRunner(first, b);
    await pollRunner(second, a, 1);
    const count = async (runnerId: string) => (await first.database.db.selectFrom('slot_assignments').select('monitor_id').where('runner_id', '=', runnerId).execute()).length;
    const bSlots = (await first.database.db.selectFrom('slot_assignments').select('monitor_id').where('runner_id', '=', b.id).execute()).map((r) => r.monitor_id);
    assert.ok(bSlots.length > 0);
    // b's poll on the first replica is cut; a is waiting in a long poll on the second.
    const waiting = pollRunner(second, a, 15);
    await cutPoll(first, b);
    const cutAt = Date.now();
    const answer = await waiting;
    const tookMs = Date.now() - cutAt;
    const heard = new Set(answer.monitors.map((m: { id: string }) => m.id));
    assert.ok(bSlots.every((id) => heard.has(id)), 'the waiting poll was answered with the moved slots');
    assert.equal(await count(a.id), 4, 'every slot is on the runner of the other replica');
    assert.ok(tookMs < (graceSeconds + 2) * 1000, `the second replica's runner got the slots ${tookMs} ms after the cut`);
  } finally {
    await second.close();
    await first.close();
  }
});
