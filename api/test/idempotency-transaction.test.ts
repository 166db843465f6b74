import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// A request with an Idempotency-Key runs its claim, its effect and its stored response in one
// transaction: nothing of it is visible while it runs, a failure leaves nothing behind, and a retry
// executes exactly once.

const backends: Array<[Backend, string | false]> = [['postgres', postgresSkip()], ['pglite', false]];

async function fixture(backend: Backend) {
  const api = await startTestApi({ backend });
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('idemtx') })).id as string;
  const count = async (table: 'services' | 'monitors', name: string) =>
    Number((await api.database.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).where('name', '=', name).executeTakeFirstOrThrow()).n);
  const keyRows = async (key: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM idempotency_keys WHERE key = ${key}`.execute(api.database.db)).rows[0]!.n);
  const post = (path: string, key: string, body: unknown) => api.call('POST', path, { body, headers: { 'idempotency-key': key } });
  return { api, team, count, keyRows, post };
}

for (const [backend, skip] of backends) {
  describe(`idempotent requests in one transaction on ${backend}`, { skip }, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    before(async () => (f = await fixture(backend)));
    after(async () => f?.api.close());

    test('a create whose inner transaction fails with a conflict leaves neither the effect nor the claim; the retry executes once', async () => {
      const body = bodies.service(f.team);
      const taken = await expectOk(f.api, 'POST', '/v1/services', f.api.adminToken, body);
      const key = unique('conflict');
      const clash = await f.post('/v1/services', key, body);
      assert.equal(clash.status, 409, JSON.stringify(clash.body));
      assert.equal(clash.body.code, 'conflict');
      assert.equal(await f.keyRows(key), 0, 'the claim rolled back with the failed create');
      assert.equal(await f.count('services', body.name), 1);
      assert.equal((await f.api.call('DELETE', `/v1/services/${taken.id}`)).status, 204);
      const retry = await f.post('/v1/services', key, body);
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.headers.get('idempotent-replayed'), null, 'the retry executed');
      const again = await f.post('/v1/services', key, body);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.body.id, retry.body.id);
      assert.equal(await f.count('services', body.name), 1, 'executed exactly once');
    });

    test('many keys, repeated and concurrent, mixed with reads and unkeyed writes: each key executes once, nothing deadlocks', async () => {
      const keys = Array.from({ length: 6 }, () => ({ key: unique('mix'), body: bodies.service(f.team) }));
      const started = Date.now();
      const answers = await Promise.all([
        ...keys.flatMap(({ key, body }) => [0, 1, 2].map(() => f.post('/v1/services', key, body).then((a) => ({ key, a })))),
        ...Array.from({ length: 6 }, () => f.api.call('GET', '/v1/services').then((a) => ({ key: undefined, a }))),
        ...Array.from({ length: 3 }, () => f.api.call('POST', '/v1/services', { body: bodies.service(f.team) }).then((a) => ({ key: undefined, a }))),
      ]);
      assert.ok(Date.now() - started < 20_000, 'bounded');
      for (const { key, a } of answers) {
        if (key === undefined) assert.ok(a.status === 200 || a.status === 201, `${a.status} ${JSON.stringify(a.body)}`);
        else assert.ok(a.status === 201 || a.body.code === 'idempotency_key_in_flight', `${a.status} ${JSON.stringify(a.body)}`);
      }
      for (const { key, body } of keys) {
        const mine = answers.filter((x) => x.key === key).map((x) => x.a);
        assert.equal(mine.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null).length, 1, `one execution for ${key}`);
        const ids = new Set(mine.filter((a) => a.status === 201).map((a) => a.body.id));
        assert.equal(ids.size, 1, 'replays answer the executed create');
        assert.equal(await f.count('services', body.name), 1);
      }
    });

    test('every kind of resource is created with a key, once, and replayed, without stalling', async () => {
      const started = Date.now();
      const keyed = async (path: string, body: unknown) => {
        const key = unique('kind');
        const first = await Promise.race([f.post(path, key, body), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`POST ${path} stalled`)), 10_000))]);
        assert.equal(first.status, 201, `${path}: ${JSON.stringify(first.body)}`);
        const replay = await f.post(path, key, body);
        assert.ok(replay.headers.get('idempotent-replayed') === 'true' || replay.body.code === 'secret_shown_once', `${path} replays: ${JSON.stringify(replay.body)}`);
        return first.body.id as string;
      };
      const team = await keyed('/v1/teams', { name: unique('team') });
      const service = await keyed('/v1/services', bodies.service(team));
      const service2 = await keyed('/v1/services', bodies.service(team));
      await keyed('/v1/monitors', bodies.monitor(service));
      await keyed(`/v1/services/${service}/dependencies`, { depends_on_service_id: service2 });
      await keyed('/v1/alert-rules', bodies.alertRule(team));
      const channel = await keyed('/v1/channels', bodies.channel(team));
      await keyed('/v1/routing-policies', bodies.routingPolicy(team, channel));
      await keyed('/v1/maintenance-windows', bodies.window(team));
      await keyed('/v1/slos', bodies.slo(team, service));
      await keyed(`/v1/teams/${team}/members`, bodies.member());
      await keyed('/v1/tokens', bodies.token(team));
      await keyed('/v1/runner-tokens', bodies.runnerToken());
      assert.ok(Date.now() - started < 30_000, 'bounded');
    });

    test('a keyed monitor create: the rebalance scheduled by the request runs after the commit and places the monitor', async () => {
      const service = (await expectOk(f.api, 'POST', '/v1/services', f.api.adminToken, bodies.service(f.team))).id;
      const token = (await expectOk(f.api, 'POST', '/v1/runner-tokens', f.api.adminToken, { name: unique('rt'), region: 'idem-region' })).token;
      const registered = await f.api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      await f.api.app.settle();
      const body = { ...bodies.monitor(service), regions: ['idem-region'] };
      const created = await f.post('/v1/monitors', unique('mon'), body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await f.api.app.settle();
      const slots = await f.api.database.db.selectFrom('slot_assignments').select(['runner_id']).where('monitor_id', '=', created.body.id).execute();
      assert.deepEqual(slots.map((s) => s.runner_id), [registered.body.runner_id], 'the monitor was placed on the runner');
    });
  });
}

describe('a running idempotent request on postgres', { skip: postgresSkip() }, () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => (f = await fixture('postgres')));
  after(async () => f?.api.close());

  /** Backends of this database waiting for a lock: requests blocked inside their transaction. */
  const blocked = async () =>
    (await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(f.api.database.db)).rows.map((r) => r.pid);
  const waitBlocked = async () => {
    for (let i = 0; i < 100; i++) {
      const pids = await blocked();
      if (pids.length) return pids;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the request never blocked on the team row');
  };

  /** Holds the team row, so a service create blocks in its foreign-key check, inside its transaction. */
  async function whileTeamHeld<T>(work: () => Promise<T>): Promise<T> {
    return f.api.database.db.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      await sql`SELECT id FROM teams WHERE id = ${f.team} FOR UPDATE`.execute(conn);
      try {
        return await work();
      } finally {
        await sql`COMMIT`.execute(conn);
      }
    });
  }

  test('nothing of it is visible, and the same key answers 409 in-flight at once; afterwards it replays', async () => {
    const key = unique('running');
    const body = bodies.service(f.team);
    let first!: Promise<Awaited<ReturnType<typeof f.post>>>;
    await whileTeamHeld(async () => {
      first = f.post('/v1/services', key, body);
      await waitBlocked();
      const started = Date.now();
      const retries = await Promise.all(Array.from({ length: 4 }, () => f.post('/v1/services', key, body)));
      assert.ok(Date.now() - started < 3_000, 'in-flight answers do not wait for the running request');
      for (const r of retries) assert.equal(r.body.code, 'idempotency_key_in_flight', JSON.stringify(r.body));
      assert.equal(await f.keyRows(key), 0, 'the claim is not visible before the commit');
    });
    const done = await first;
    assert.equal(done.status, 201, JSON.stringify(done.body));
    const replay = await f.post('/v1/services', key, body);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, done.body.id);
    assert.equal(await f.count('services', body.name), 1);
  });

  test('its database connection dying answers 503 database_unavailable and leaves nothing; the retry executes once', async () => {
    const key = unique('dying');
    const body = bodies.service(f.team);
    let first!: Promise<Awaited<ReturnType<typeof f.post>>>;
    await whileTeamHeld(async () => {
      first = f.post('/v1/services', key, body);
      const [pid] = await waitBlocked();
      await sql`SELECT pg_terminate_backend(${pid}::int)`.execute(f.api.database.db);
      const failed = await first;
      assert.equal(failed.status, 503, JSON.stringify(failed.body));
      assert.equal(failed.body.code, 'database_unavailable');
    });
    assert.equal(await f.keyRows(key), 0);
    assert.equal(await f.count('services', body.name), 0);
    const retry = await f.post('/v1/services', key, body);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.headers.get('idempotent-replayed'), null);
    assert.equal(await f.count('services', body.name), 1);
  });
});
