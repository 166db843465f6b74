import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Idempotency-Key claims live and die with their request's transaction (claims committed on their own
// by earlier versions, with a lease, are still honoured), and secrets shown once never reach the
// idempotency store — on real PostgreSQL and on the embedded database.

// A token is "phs_"/"phr_" and 32 url-safe characters; its hint shows four of them, then "…".
const secretLike = /ph[sr]_[A-Za-z0-9_-]{5,}/;

const backends: Array<[Backend, string | false]> = [['postgres', postgresSkip()], ['pglite', false]];

for (const [backend, skip] of backends) {
  describe(`idempotency keys on ${backend}`, { skip }, () => {
    let api: TestApi;
    let team: string;
    before(async () => {
      api = await startTestApi({ backend });
      team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('idem') })).id;
    });
    after(async () => api?.close());

    const servicesNamed = async (name: string) =>
      Number((await api.database.db.selectFrom('services').select(({ fn }) => fn.countAll<string>().as('n')).where('name', '=', name).executeTakeFirstOrThrow()).n);

    /**
     * Leaves `key` as a process of an earlier version (which committed claims on their own, counted
     * as running for 60 s after they were made) killed mid-request leaves it: claimed, no response,
     * made so that it counts as running for `leaseSeconds` more (negative: lapsed). The object the first request created is deleted,
     * as if the process died before its transaction committed; the body is returned for retries.
     */
    async function crashedClaim(key: string, leaseSeconds: number) {
      const body = bodies.service(team);
      const first = await api.call('POST', '/v1/services', { body, headers: { 'idempotency-key': key } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal((await api.call('DELETE', `/v1/services/${first.body.id}`)).status, 204);
      const updated = await sql`
        UPDATE idempotency_keys SET status = NULL, response = NULL, headers = NULL,
          created_at = now() - ${`${60 - leaseSeconds} seconds`}::interval
        WHERE key = ${key}`.execute(api.database.db);
      assert.equal(Number(updated.numAffectedRows), 1);
      return body;
    }

    const post = (key: string, body: unknown) => api.call('POST', '/v1/services', { body, headers: { 'idempotency-key': key } });

    test('an earlier version\'s claim whose lease has lapsed is taken over: the retry executes once, the next one replays', async () => {
      const key = unique('crashed');
      const body = await crashedClaim(key, -1);
      assert.equal(await servicesNamed(body.name), 0);
      const retry = await post(key, body);
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.headers.get('idempotent-replayed'), null, 'the retry executed the request');
      assert.equal(await servicesNamed(body.name), 1);
      const again = await post(key, body);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.body.id, retry.body.id, 'the completed response is replayed');
      assert.equal(await servicesNamed(body.name), 1, 'executed exactly once');
    });

    test('an earlier version\'s claim whose lease is still running answers 409 idempotency_key_in_flight and executes nothing', async () => {
      const key = unique('inflight');
      const body = await crashedClaim(key, 60);
      const retry = await post(key, body);
      assert.equal(retry.status, 409);
      assert.equal(retry.body.code, 'idempotency_key_in_flight');
      assert.match(retry.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(await servicesNamed(body.name), 0);
    });

    test('concurrent retries of a lapsed claim: exactly one executes', async () => {
      const key = unique('race');
      const body = await crashedClaim(key, -1);
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(key, body)));
      const executed = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
      assert.equal(executed.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body.code ?? a.headers.get('idempotent-replayed')])));
      for (const a of answers) {
        if (a === executed[0]) continue;
        assert.ok(a.body.code === 'idempotency_key_in_flight' || a.headers.get('idempotent-replayed') === 'true', `others wait or replay: ${a.status} ${JSON.stringify(a.body)}`);
      }
      assert.equal(await servicesNamed(body.name), 1);
    });

    test('a lapsed claim is not taken over by a different request with the same key', async () => {
      const key = unique('other');
      await crashedClaim(key, -1);
      const other = bodies.service(team);
      const retry = await post(key, other);
      assert.equal(retry.status, 422);
      assert.equal(retry.body.code, 'idempotency_key_reused');
      assert.equal(await servicesNamed(other.name), 0);
    });

    for (const [path, body, prefix] of [
      ['/v1/tokens', () => bodies.token(team), 'phs_'],
      ['/v1/runner-tokens', () => bodies.runnerToken(), 'phr_'],
    ] as const) {
      test(`POST ${path} with an Idempotency-Key stores no secret; a replay answers 409 secret_shown_once`, async () => {
        const key = unique('secret');
        const input = body();
        const created = await api.call('POST', path, { body: input, headers: { 'idempotency-key': key } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.ok(String(created.body.token).startsWith(prefix), 'the first response carries the secret');

        const row = await sql<{ row: string }>`SELECT row_to_json(k)::text AS row FROM idempotency_keys k WHERE key = ${key}`.execute(api.database.db);
        assert.equal(row.rows.length, 1);
        const stored = row.rows[0]!.row;
        assert.ok(!stored.includes(created.body.token), `the secret is not in the row: ${stored}`);
        // token_hint ("phs_AbCd…WxYz", returned by every GET) may stay; no longer run of a token may.
        assert.ok(!secretLike.test(stored), `no token of any kind in the row: ${stored}`);
        assert.match(stored, /"status":201/, 'the key is completed');
        assert.match(stored, /"omitted_fields":\["token"\]/);
        const everything = await sql<{ all: string | null }>`SELECT string_agg(row_to_json(k)::text, ' ') AS all FROM idempotency_keys k`.execute(api.database.db);
        assert.ok(!secretLike.test(everything.rows[0]!.all ?? ''), 'no secret anywhere in the idempotency store');

        const replay = await api.call('POST', path, { body: input, headers: { 'idempotency-key': key } });
        assert.equal(replay.status, 409);
        assert.equal(replay.body.code, 'secret_shown_once');
        assert.match(replay.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.ok(replay.body.detail.includes(`${path}/${created.body.id}`), `the problem names what was created: ${replay.body.detail}`);
        assert.ok(!/ph[sr]_/.test(JSON.stringify(replay.body)), 'the replay carries no secret, not even a hint');
        const listed = await api.call('GET', path);
        assert.equal(listed.body.items.filter((t: { name: string }) => t.name === input.name).length, 1, 'the replay created nothing');
      });
    }

    test('responses without secrets still replay in full', async () => {
      const key = unique('plain');
      const body = bodies.service(team);
      const a = await post(key, body);
      const b = await post(key, body);
      assert.equal(b.status, 201);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(b.body, a.body);
    });
  });
}

describe('a slow idempotent request on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let team: string;
  before(async () => {
    api = await startTestApi({ backend: 'postgres' });
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('renew') })).id;
  });
  after(async () => api?.close());

  test('keeps its key however long it runs: a retry answers in-flight, the request executes once', async () => {
    // Hold the team row so the create blocks in its foreign-key check, like a slow request.
    const holder = await api.database.db.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      await sql`SELECT id FROM teams WHERE id = ${team} FOR UPDATE`.execute(conn);
      const key = unique('slow');
      const body = bodies.service(team);
      const send = () =>
        fetch(`${api.url}/v1/services`, {
          method: 'POST',
          headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
      const first = send();
      // Let the first request reach the team row and block on it, inside its transaction.
      await new Promise((r) => setTimeout(r, 1_000));
      const retry = await send();
      const retryBody = (await retry.json()) as { code?: string };
      await sql`COMMIT`.execute(conn);
      return { first: await first, retry: { status: retry.status, body: retryBody }, body };
    });
    assert.equal(holder.retry.status, 409, JSON.stringify(holder.retry.body));
    assert.equal(holder.retry.body.code, 'idempotency_key_in_flight');
    assert.equal(holder.first.status, 201);
    const n = await api.database.db.selectFrom('services').select(({ fn }) => fn.countAll<string>().as('n')).where('name', '=', holder.body.name).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1, 'executed once');
  });
});
