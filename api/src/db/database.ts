import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { Kysely, Migrator, PostgresDialect, sql, type Dialect, type Migration, type MigrationProvider } from 'kysely';
import { AmbientTransactionDialect, type AmbientStore } from './ambient-transaction.driver.ts';
import type { Tables } from './tables.ts';
import { createPostgresPool } from './postgres-pool.ts';
import { migrations } from './migrations/index.ts';

export type Db = Kysely<Tables>;

/** An open database: the kysely handle plus what operators need to know about it. */
export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Connection pool figures for /metrics (embedded: one serialized connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Runs work in one transaction that every query of its async context joins, `db.transaction()`
   * included (as a savepoint): committed when work resolves, rolled back when it throws.
   */
  withAmbientTransaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL of a real server; absent means the embedded database in dataDir. */
  url?: string | undefined;
  /** Data directory of the embedded database; "memory://" keeps it in memory. */
  dataDir: string;
  poolSize?: number;
  /** PostgreSQL: longest wait for a connection (ms). */
  connectTimeoutMs?: number;
  /** PostgreSQL: longest a statement may run (ms). */
  queryTimeoutMs?: number;
  /** PostgreSQL: a connection error the pool survived (server restart, dropped socket). */
  onConnectionError?: (error: Error) => void;
}

/** Defaults of the PostgreSQL timeouts (PHAROS_DB_CONNECT_TIMEOUT_MS, PHAROS_DB_QUERY_TIMEOUT_MS). */
export const databaseTimeoutDefaults = { connectTimeoutMs: 5_000, queryTimeoutMs: 30_000 } as const;

// Timestamps arrive as Date from both drivers; bigint counts from pg arrive as strings and are
// parsed where they are read, so no global type parser is installed here.

/** Opens Postgres (with a URL) or the embedded PGlite database, without migrating. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const { pool, stats } = createPostgresPool({
      url: options.url,
      max: options.poolSize ?? 10,
      connectTimeoutMs: options.connectTimeoutMs ?? databaseTimeoutDefaults.connectTimeoutMs,
      queryTimeoutMs: options.queryTimeoutMs ?? databaseTimeoutDefaults.queryTimeoutMs,
      onConnectionError: options.onConnectionError ?? (() => undefined),
    });
    const { db, withAmbientTransaction } = withAmbient(new PostgresDialect({ pool }));
    return { db, kind: 'postgres', poolStats: stats, withAmbientTransaction, close: () => db.destroy() };
  }
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  const memory = options.dataDir === 'memory://';
  if (!memory) mkdirSync(options.dataDir, { recursive: true });
  const client = memory ? new PGlite() : new PGlite(options.dataDir);
  await client.waitReady;
  const { db, withAmbientTransaction } = withAmbient(new PGliteDialect(client));
  return { db, kind: 'pglite', poolStats: () => ({ total: 1, idle: 1, waiting: 0 }), withAmbientTransaction, close: () => db.destroy() };
}

// Each Database has its own storage: two databases in one process never see each other's transaction.
function withAmbient(inner: Dialect): Pick<Database, 'db' | 'withAmbientTransaction'> {
  const dialect = new AmbientTransactionDialect(inner, new AsyncLocalStorage<AmbientStore>());
  const db = new Kysely<Tables>({ dialect });
  return { db, withAmbientTransaction: (work) => dialect.driver!.run(work) };
}

const provider: MigrationProvider = { getMigrations: async (): Promise<Record<string, Migration>> => migrations };

/** Applies every pending migration; safe to run from several processes at once (kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the database answers a trivial query. */
export async function ping(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return true;
}
