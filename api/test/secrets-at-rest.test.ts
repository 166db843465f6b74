import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { SecretBox, isSealed } from '../src/crypto/secret-box.ts';
import { resealSecrets } from '../src/crypto/secret-reseal.ts';
import { createLogger } from '../src/observability/logger.ts';
import { canonicalJson } from '../src/shared/json.ts';
import { startTestApi, postgresSkip, storedSecrets, testSecretBox, testSecretKeys, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { webhookReceiver } from './support/vendor-receivers/index.ts';

// Secrets at rest on PostgreSQL: what the secrets columns hold (envelopes, never plaintext), that the
// API, the runner feed and channel sends still see the plain values, AAD (a ciphertext moved to
// another row is refused, and reported instead of crashing), the start-up pass that encrypts clear
// rows and moves rows to the primary key, and the refusal to start without a key on PostgreSQL.

const skip = postgresSkip();
const root = join(import.meta.dirname, '..', '..');
const monitorSecret = `Bearer ${randomBytes(12).toString('hex')}`;
const whsec = `whsec_${randomBytes(32).toString('base64')}`;
const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

describe('secrets at rest on postgres', { skip }, () => {
  let api: TestApi;
  let team: string;
  let service: string;
  let hook: ReturnType<typeof webhookReceiver>;
  const logs: string[] = [];

  before(async () => {
    hook = await webhookReceiver(whsec).start();
    const capture = new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) });
    const logger = createLogger('debug', capture);
    // The box's observer logs the row of a value that does not decrypt, as main.ts wires it.
    const observed = new SecretBox(testSecretBox().keyring, (slot, kid) => logger.warn({ table: slot.table, id: slot.id, key_id: kid }, 'stored secrets cannot be decrypted'));
    api = await startTestApi({ app: { logger, secrets: observed, channelTest: { timeoutMs: 5_000 }, runner: { leaseSeconds: 30, recheckMs: 100 } } });
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
  });
  after(async () => {
    await api?.close();
    await hook?.close();
  });

  const rawSecrets = async (table: 'monitors' | 'channels' | 'load_tests', id: string) =>
    (await sql<{ secrets: unknown }>`SELECT secrets FROM ${sql.table(table)} WHERE id = ${id}`.execute(api.database.db)).rows[0]!.secrets;
  const httpMonitor = (region: string, secret = monitorSecret) => expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region], http: { url: 'http://127.0.0.1:9/health', secret_headers: { Authorization: secret } } });
  const webhookChannel = () => expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique('hook'), team_id: team, type: 'webhook', webhook: { url: `${hook.url}/pharos`, signing_secret: whsec } });
  const feedOf = async (region: string) => {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const reg = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    return async () => {
      await api.app.settle();
      const res = await api.call('GET', `/v1/runner/assignments?runner_id=${reg.body.runner_id}&revision=0&wait=0`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.monitors as Array<{ id: string; http: { secret_headers?: Record<string, string> } }>;
    };
  };

  test('monitor, channel and load-test rows hold envelopes, never the plaintext; the API and the runner feed see plain values', async () => {
    const region = unique('r');
    const poll = await feedOf(region);
    const monitor = await httpMonitor(region);
    const channel = await webhookChannel();
    for (const [table, id, plain] of [['monitors', monitor.id, monitorSecret], ['channels', channel.id, whsec]] as const) {
      const raw = await rawSecrets(table, id);
      assert.ok(isSealed(raw), `${table}: ${JSON.stringify(raw)}`);
      assert.equal(raw.kid, 'test-key');
      assert.ok(!JSON.stringify(raw).includes(plain.slice(7)), `${table} row holds no plaintext`);
    }
    assert.deepEqual(await storedSecrets(api.database, 'monitors', monitor.id), { http: { Authorization: monitorSecret } });
    assert.deepEqual((await api.call('GET', `/v1/monitors/${monitor.id}`)).body.configured_secrets, ['http.secret_headers.Authorization']);
    const assigned = (await poll()).find((m) => m.id === monitor.id);
    assert.deepEqual(assigned?.http.secret_headers, { Authorization: monitorSecret }, 'the owning runner gets the decrypted header');
    // A PATCH keeps the (decrypted, merged, encrypted again) secret.
    await expectOk(api, 'PATCH', `/v1/monitors/${monitor.id}`, api.adminToken, { description: 'renamed' });
    assert.deepEqual(await storedSecrets(api.database, 'monitors', monitor.id), { http: { Authorization: monitorSecret } });

    // A load test copies the monitor's secret headers into its own row, encrypted for that row.
    const ltToken = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const lt = await api.call('POST', '/v1/runner/register', { token: ltToken, body: { protocol_version: 1, version: 'test', capabilities: ['http', 'load_test'] } });
    await api.database.db.updateTable('runners').set({ lease_expires_at: new Date(Date.now() + 3_600_000) }).where('id', '=', lt.body.runner_id).execute();
    const made = await api.call('POST', '/v1/load-tests', { body: { monitor_id: monitor.id, regions: [region], requests: 5, concurrency: 1, rate_per_second: 10 } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const rawLt = await rawSecrets('load_tests', made.body.id);
    assert.ok(isSealed(rawLt) && !JSON.stringify(rawLt).includes(monitorSecret.slice(7)));
    const share = await api.call('GET', `/v1/runner/assignments?runner_id=${lt.body.runner_id}&revision=0&wait=0`, { token: ltToken });
    assert.equal(share.body.load_tests[0].request.secret_headers.Authorization, monitorSecret, 'the runner gets the load test\'s secret headers');
    await api.call('DELETE', `/v1/load-tests/${made.body.id}`);
  });

  test('idempotency records keep a keyed hash of the request body (which holds the secret), not a plain one; replays still work', async () => {
    const body = { name: unique('hook'), team_id: team, type: 'webhook', webhook: { url: `${hook.url}/pharos`, signing_secret: whsec } };
    const key = unique('idem');
    const first = await api.call('POST', '/v1/channels', { body, headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const replay = await api.call('POST', '/v1/channels', { body, headers: { 'idempotency-key': key } });
    assert.deepEqual([replay.status, replay.body.id], [201, first.body.id]);
    const row = await api.database.db.selectFrom('idempotency_keys').select(['request_hash', 'response']).where('key', '=', key).executeTakeFirstOrThrow();
    const plain = createHash('sha256').update(`POST /v1/channels\n${canonicalJson(body)}`).digest('hex');
    assert.notEqual(row.request_hash, plain, 'a plain hash would let a database reader test guesses of the secret');
    assert.ok(!JSON.stringify(row).includes(whsec), 'the stored response holds no secret');
    const other = await api.call('POST', '/v1/channels', { body: { ...body, webhook: { ...body.webhook, signing_secret: `whsec_${randomBytes(32).toString('base64')}` } }, headers: { 'idempotency-key': key } });
    assert.equal(other.body.code, 'idempotency_key_reused', 'another secret is another request');
  });

  test('a channel still delivers to a local receiver with its (decrypted) signing secret', async () => {
    const channel = await webhookChannel();
    const sent = await api.call('POST', `/v1/channels/${channel.id}/test`);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.ok, true, JSON.stringify(sent.body));
    assert.equal((hook.accepted.at(-1)!.json as { type: string }).type, 'notification.test', 'the receiver verified the signature made with the stored secret');
  });

  test('AAD: a ciphertext moved to another row is refused and reported; the process keeps serving', async () => {
    const region = unique('r');
    const poll = await feedOf(region);
    const donor = await httpMonitor(region, 'Bearer donor-secret');
    const victim = await httpMonitor(region, 'Bearer victim-secret');
    await sql`UPDATE monitors SET secrets = (SELECT secrets FROM monitors WHERE id = ${donor.id}) WHERE id = ${victim.id}`.execute(api.database.db);
    const monitors = await poll();
    assert.deepEqual(monitors.find((m) => m.id === donor.id)?.http.secret_headers, { Authorization: 'Bearer donor-secret' });
    const moved = monitors.find((m) => m.id === victim.id);
    assert.ok(moved, 'the monitor stays in the feed');
    assert.equal(moved.http.secret_headers, undefined, 'without the secret headers it cannot decrypt');
    assert.ok(!JSON.stringify(monitors).includes('victim-secret'));
    assert.ok(logs.some((l) => l.includes(victim.id) && l.includes('cannot be decrypted')), 'the monitor id is logged');
    assert.equal((await api.call('GET', `/v1/monitors/${victim.id}`)).status, 200, 'reads still answer');
    const patched = await api.call('PATCH', `/v1/monitors/${victim.id}`, { body: { description: 'x' } });
    assert.equal(patched.status, 409, JSON.stringify(patched.body));
    assert.equal(patched.body.code, 'secret_undecryptable');
    assert.match(patched.body.detail, /PHAROS_SECRET_KEYS/);
    // A PUT states the whole monitor: it replaces the unreadable secrets with the ones it carries.
    const { id: _i, created_at: _c, updated_at: _u, version: _v, team_id: _t, configured_secrets: _s, warnings: _w, managed_by: _m, ...doc } = victim;
    const put = await api.call('PUT', `/v1/monitors/${victim.id}`, { body: { ...doc, http: { ...doc.http, secret_headers: { Authorization: 'Bearer victim-again' } } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(await storedSecrets(api.database, 'monitors', victim.id), { http: { Authorization: 'Bearer victim-again' } });

    const a = await webhookChannel();
    const b = await webhookChannel();
    await sql`UPDATE channels SET secrets = (SELECT secrets FROM channels WHERE id = ${a.id}) WHERE id = ${b.id}`.execute(api.database.db);
    const refused = await api.call('POST', `/v1/channels/${b.id}/test`);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'secret_undecryptable');
    assert.equal(refused.headers.get('content-type')?.startsWith('application/problem+json'), true);
    assert.equal((await api.call('GET', '/healthz')).status, 200);
  });

  test('upgrade and rotation: the start-up pass encrypts clear rows and moves old-key rows to the primary key, idempotently', async () => {
    const region = unique('r');
    const poll = await feedOf(region);
    const legacy = await httpMonitor(region, 'Bearer legacy-clear');
    const channel = await webhookChannel();
    // As an earlier version stored them: clear JSON.
    await sql`UPDATE monitors SET secrets = ${JSON.stringify({ http: { Authorization: 'Bearer legacy-clear' } })}::jsonb WHERE id = ${legacy.id}`.execute(api.database.db);
    await sql`UPDATE channels SET secrets = ${JSON.stringify({ type: 'webhook', signing_secret: whsec })}::jsonb WHERE id = ${channel.id}`.execute(api.database.db);
    assert.deepEqual((await poll()).find((m) => m.id === legacy.id)?.http.secret_headers, { Authorization: 'Bearer legacy-clear' }, 'clear rows are still read before the pass');

    const first = await resealSecrets(api.database.db, testSecretBox(), quiet(), { batchSize: 2 });
    assert.ok(first.ran && first.resealed >= 2, JSON.stringify(first));
    for (const [table, id] of [['monitors', legacy.id], ['channels', channel.id]] as const) assert.ok(isSealed(await rawSecrets(table, id)), `${table} row encrypted`);
    assert.ok(!JSON.stringify(await rawSecrets('monitors', legacy.id)).includes('legacy-clear'));
    const again = await resealSecrets(api.database.db, testSecretBox(), quiet());
    assert.equal(again.resealed, 0, 'a second pass has nothing to do');

    // Rotation: a new primary key, the test key kept for decryption.
    const newKey = `next:${randomBytes(32).toString('base64')}`;
    const rotated = testSecretBox(`${newKey},${testSecretKeys}`);
    const moved = await resealSecrets(api.database.db, rotated, quiet());
    assert.ok(moved.resealed >= 2, JSON.stringify(moved));
    const raw = await rawSecrets('monitors', legacy.id);
    assert.ok(isSealed(raw) && raw.kid === 'next', JSON.stringify(raw));
    assert.deepEqual(rotated.open({ table: 'monitors', id: legacy.id }, raw), { http: { Authorization: 'Bearer legacy-clear' } });
    assert.equal((await resealSecrets(api.database.db, rotated, quiet())).resealed, 0);
    // Rows under a key no configured key matches are counted and left alone, not lost.
    const unknown = await resealSecrets(api.database.db, testSecretBox(`other:${randomBytes(32).toString('base64')}`), quiet());
    assert.ok(unknown.unreadable >= 2 && unknown.resealed === 0, JSON.stringify(unknown));
    assert.deepEqual(await rawSecrets('monitors', legacy.id), raw);
    // Back to the test key for the rest of the suite's rows.
    await resealSecrets(api.database.db, testSecretBox(`${testSecretKeys},${newKey}`), quiet());
    assert.deepEqual(await storedSecrets(api.database, 'monitors', legacy.id), { http: { Authorization: 'Bearer legacy-clear' } });
  });

  test('two passes at once (two replicas starting) encrypt every row once and lose nothing', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await httpMonitor(unique('r'), `Bearer many-${i}`)).id);
    for (const [i, id] of ids.entries()) await sql`UPDATE monitors SET secrets = ${JSON.stringify({ http: { Authorization: `Bearer many-${i}` } })}::jsonb WHERE id = ${id}`.execute(api.database.db);
    const [x, y] = await Promise.all([resealSecrets(api.database.db, testSecretBox(), quiet(), { batchSize: 2 }), resealSecrets(api.database.db, testSecretBox(), quiet(), { batchSize: 2 })]);
    assert.ok(x.resealed + y.resealed >= ids.length, `${JSON.stringify(x)} ${JSON.stringify(y)}`);
    await resealSecrets(api.database.db, testSecretBox(), quiet());
    for (const [i, id] of ids.entries()) {
      assert.ok(isSealed(await rawSecrets('monitors', id)));
      assert.deepEqual(await storedSecrets(api.database, 'monitors', id), { http: { Authorization: `Bearer many-${i}` } });
    }
  });
});

test('with an external PostgreSQL and no key, the control plane refuses to start and says what to set', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'api/src/main.ts')], {
    cwd: root, env: { ...process.env, DATABASE_URL: 'postgres://127.0.0.1:1/none', PHAROS_SECRET_KEYS: '', PHAROS_SECRET_KEY_FILE: '', PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 1, output);
  assert.match(output, /No secret key is configured/);
  assert.match(output, /PHAROS_SECRET_KEYS=/);
  assert.match(output, /openssl rand -base64 32/);
});

test('embedded database (PGlite): rows hold envelopes, the feed decrypts, the start-up pass encrypts clear rows', { timeout: 60_000 }, async () => {
  const api = await startTestApi({ backend: 'pglite' });
  try {
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    const region = unique('r');
    const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region], http: { url: 'http://127.0.0.1:9/health', secret_headers: { Authorization: 'Bearer embedded-secret' } } });
    const raw = async () => (await sql<{ secrets: unknown }>`SELECT secrets FROM monitors WHERE id = ${monitor.id}`.execute(api.database.db)).rows[0]!.secrets;
    assert.ok(isSealed(await raw()) && !JSON.stringify(await raw()).includes('embedded-secret'));
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const reg = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
    await api.app.settle();
    const feed = await api.call('GET', `/v1/runner/assignments?runner_id=${reg.body.runner_id}&revision=0&wait=0`, { token });
    assert.deepEqual(feed.body.monitors.find((m: { id: string }) => m.id === monitor.id)?.http.secret_headers, { Authorization: 'Bearer embedded-secret' });
    await sql`UPDATE monitors SET secrets = ${JSON.stringify({ http: { Authorization: 'Bearer embedded-secret' } })}::jsonb WHERE id = ${monitor.id}`.execute(api.database.db);
    const pass = await resealSecrets(api.database.db, testSecretBox(), quiet());
    assert.equal(pass.resealed, 1);
    assert.ok(isSealed(await raw()));
    assert.deepEqual(await storedSecrets(api.database, 'monitors', monitor.id), { http: { Authorization: 'Bearer embedded-secret' } });
  } finally {
    await api.close();
  }
});
