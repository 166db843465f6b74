import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createDatabase } from '../../../scripts/postgres-cluster.ts';
import { createApp, type App, type AppOptions } from '../../src/app.ts';
import type { JwtSettings } from '../../src/auth/authenticator.ts';
import { bootstrap } from '../../src/bootstrap.ts';
import { createApiServer } from '../../src/http/api.server.ts';
import { migrateToLatest, openDatabase, type Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Keyring, parseSecretKeys } from '../../src/crypto/keyring.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';

export type Backend = 'postgres' | 'pglite';

/** True when the test runner provided a real PostgreSQL server. */
export const hasPostgres = () => Boolean(process.env.PHAROS_TEST_DATABASE_URL);

/** Skip reason for tests needing Postgres; CI sets PHAROS_TEST_REQUIRE_PG=1 so they never skip there. */
export function postgresSkip(): string | false {
  if (hasPostgres()) return false;
  if (process.env.PHAROS_TEST_REQUIRE_PG === '1') throw new Error('PHAROS_TEST_REQUIRE_PG=1 but PHAROS_TEST_DATABASE_URL is not set; run the suite with `npm test`.');
  return 'no PostgreSQL server (run through `npm test`)';
}

/** A fresh, empty database in the test cluster; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  return createDatabase(process.env.PHAROS_TEST_DATABASE_URL!, `pharos_test_${randomBytes(6).toString('hex')}`);
}

export interface TestApi {
  url: string;
  adminToken: string;
  database: Database;
  orgId: string;
  app: App;
  /** The HTTP server (tests that cut connections close and re-listen it). */
  server: Server;
  /** JSON request helper: returns status, parsed body and headers. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

/** The secret key of test control planes (in-process and spawned): PHAROS_SECRET_KEYS form; a test value, never a real key. */
export const testSecretKeys = 'test-key:dGVzdC1vbmx5LXNlY3JldC1rZXktMzItYnl0ZXMhISE=';

/** A SecretBox over testSecretKeys (or other PHAROS_SECRET_KEYS text). */
export function testSecretBox(keys: string = testSecretKeys): SecretBox {
  return new SecretBox(new Keyring(parseSecretKeys(keys, 'test keys')));
}

/** A row's secrets column decrypted with the test key (the column itself holds an envelope): what the API stored. */
export async function storedSecrets(database: Database, table: 'monitors' | 'channels' | 'load_tests', id: string): Promise<Record<string, unknown> | null> {
  const row = await database.db.selectFrom(table as 'monitors').select('secrets').where('id', '=', id).executeTakeFirstOrThrow();
  return testSecretBox().open({ table, id }, row.secrets);
}

/** Starts a control plane on 127.0.0.1:0 against a fresh database of the given backend. */
export async function startTestApi(options: { backend?: Backend; jwt?: JwtSettings; database?: Database; app?: Partial<AppOptions> } = {}): Promise<TestApi> {
  const backend = options.backend ?? 'postgres';
  const database = options.database ?? (await openDatabase(backend === 'postgres' ? { url: await createTestDatabase(), dataDir: '' } : { dataDir: 'memory://' }));
  await migrateToLatest(database.db);
  const adminToken = `phs_${randomBytes(24).toString('base64url')}`;
  const boot = await bootstrap(database.db, adminToken);
  const app = createApp({ database, logger: quiet(), secrets: testSecretBox(), jwt: options.jwt, sweepEveryMs: 250, ...(options.app ?? {}) });
  app.background.start();
  const server: Server = createApiServer(app.express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    adminToken,
    database,
    orgId: boot.orgId,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const token = o.token === undefined ? adminToken : o.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body });
      // A stream (GET /v1/stream) never ends by itself: answer its status and headers, and hang up.
      if (res.ok && res.headers.get('content-type')?.startsWith('text/event-stream')) {
        await res.body?.cancel();
        return { status: res.status, body: undefined, headers: res.headers };
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (metrics, HTML)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    app,
    server,
    async close() {
      await app.background.stop();
      await app.settle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.database) await database.close();
    },
  };
}
