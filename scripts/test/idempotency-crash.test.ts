import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../postgres-cluster.ts';
import { callJson, startApiProcess, type ApiProc } from './support/processes.ts';

// System test: the control plane is killed with SIGKILL in the middle of a request with an
// Idempotency-Key, after the request's effect was written and while its response is being stored.
// The effect and the stored response commit together or not at all, so after a restart the retry
// with the same key executes exactly once and answers correctly.

const skip = process.env.PHAROS_TEST_DATABASE_URL ? false : process.env.PHAROS_TEST_REQUIRE_PG === '1' ? false : 'no PostgreSQL server (run through `npm test`)';
const name = `pharos_idem_crash_${randomBytes(4).toString('hex')}`;
let dbUrl: string;
let api: ApiProc | undefined;
let observer: pg.Client;
let holder: pg.Client;

before(async () => {
  if (skip) return;
  dbUrl = await createDatabase(process.env.PHAROS_TEST_DATABASE_URL!, name);
  observer = new pg.Client({ connectionString: dbUrl });
  await observer.connect();
  // The server then notices within 100 ms that the client of a waiting backend has died, as it
  // would when its host dies, instead of when the lock it waits for is released.
  await observer.query(`ALTER DATABASE ${name} SET client_connection_check_interval = '100ms'`);
  holder = new pg.Client({ connectionString: dbUrl });
  await holder.connect();
});

after(async () => {
  if (skip) return;
  await api?.kill();
  await holder?.end().catch(() => undefined);
  await observer?.end().catch(() => undefined);
});

const count = async (serviceName: string) => Number((await observer.query('SELECT count(*) AS n FROM services WHERE name = $1', [serviceName])).rows[0].n);
const waitingOnHold = async () => Number((await observer.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`)).rows[0].n);

async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SIGKILL while a keyed create stores its response: the effect is never visible without it, and the retry after a restart executes once', { skip, timeout: 120_000 }, async () => {
  api = await startApiProcess(dbUrl);
  const token = api.token;
  const team = await callJson(api.url, token, 'POST', '/v1/teams', { name: 'crash' });
  // Test scaffolding in the test's own database: storing a response (the UPDATE that completes a
  // key) waits on an advisory lock the test holds, so the process can be killed exactly there.
  await observer.query(`
    CREATE FUNCTION hold_completion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_lock_shared(7, 7); PERFORM pg_advisory_unlock_shared(7, 7); RETURN NEW; END $$`);
  await observer.query('CREATE TRIGGER hold_completion BEFORE UPDATE ON idempotency_keys FOR EACH ROW WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION hold_completion()');
  await holder.query('SELECT pg_advisory_lock(7, 7)');

  const key = `crash-${randomBytes(6).toString('hex')}`;
  const body = { name: `svc-crash-${randomBytes(4).toString('hex')}`, team_id: team.id };
  const post = (base: string) =>
    fetch(`${base}/v1/services`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  const doomed = post(api.url).catch((error: unknown) => error);
  await until('the request to reach the storing of its response', 10_000, async () => (await waitingOnHold()) > 0);
  assert.equal(await count(body.name), 0, 'the created service is not visible before its response is stored');

  await api.kill();
  assert.ok((await doomed) instanceof Error, 'the client lost its connection');
  await until('the killed request to end in the database', 10_000, async () => (await waitingOnHold()) === 0);
  await holder.query('SELECT pg_advisory_unlock(7, 7)');
  await observer.query('DROP TRIGGER hold_completion ON idempotency_keys');
  assert.equal(await count(body.name), 0, 'the killed request left no service');
  assert.equal(Number((await observer.query('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key])).rows[0].n), 0, 'and no claim');

  api = await startApiProcess(dbUrl, {}, undefined, token);
  const retry = await post(api.url);
  const created = (await retry.json()) as { id: string; name: string };
  assert.equal(retry.status, 201, JSON.stringify(created));
  assert.equal(retry.headers.get('idempotent-replayed'), null, 'the retry executed the create');
  assert.equal(created.name, body.name);
  const again = await post(api.url);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(((await again.json()) as { id: string }).id, created.id);
  assert.equal(await count(body.name), 1, 'the create took effect exactly once');
});
