import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable } from './db-errors.ts';
import { preparedName } from './prepared-statements.ts';

/** Connection settings of the PostgreSQL pool; every wait on the database is bounded. */
export interface PostgresPoolOptions {
  url: string;
  max: number;
  /** Longest wait for a connection, new or from the pool (pg's connectionTimeoutMillis). */
  connectTimeoutMs: number;
  /** Longest a statement may run: the server cancels it (statement_timeout) and the client stops waiting shortly after. */
  queryTimeoutMs: number;
  /** Told about connection errors that are survived (a restart, a dropped socket); never throws. */
  onConnectionError(error: Error): void;
}

// Margin between the server's statement_timeout and the client's own read timeout: a live server
// cancels first (a clean 57014 that keeps the connection); the client timeout is for a frozen or
// unreachable server that cannot answer at all.
const CLIENT_MARGIN_MS = 2_000;

/**
 * A pg pool for kysely that survives the database going away: errors of idle and checked-out clients
 * are reported instead of crashing the process, and a client whose connection failed or timed out
 * is discarded on release instead of being handed to the next request.
 */
export function createPostgresPool(options: PostgresPoolOptions): { pool: PostgresPool; stats(): { total: number; idle: number; waiting: number } } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.queryTimeoutMs,
    query_timeout: options.queryTimeoutMs + CLIENT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client whose server went away (pg_ctl restart: 57P01) is removed by pg-pool, which then
  // emits 'error' on the pool; without a listener that event would end the process.
  pool.on('error', (error) => options.onConnectionError(error));
  return {
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    pool: {
      end: () => pool.end(),
      async connect(): Promise<PostgresPoolClient> {
        const client = await pool.connect();
        let broken: Error | undefined;
        // pg-pool listens for errors only while a client is idle; a checked-out client that loses its
        // socket between two queries would emit an unheard 'error'.
        const onError = (error: Error) => {
          broken ??= error;
          options.onConnectionError(error);
        };
        client.on('error', onError);
        const query = ((text: unknown, parameters?: unknown) => {
          // A statement marked `prepared` runs as a named statement: parsed once per connection.
          const name = typeof text === 'string' ? preparedName(text) : undefined;
          const result = name
            ? (client.query as (config: unknown) => unknown)({ name, text, values: parameters })
            : (client.query as (a: unknown, b?: unknown) => unknown)(text, parameters);
          if (!(result instanceof Promise)) return result;
          return result.catch((error: unknown) => {
            if (isDatabaseUnavailable(error)) broken ??= error as Error;
            throw error;
          });
        }) as PostgresPoolClient['query'];
        return {
          query,
          release() {
            client.removeListener('error', onError);
            // Releasing with an error makes pg-pool close the connection: after a read timeout the
            // socket still waits for the old answer and would stall whoever gets it next.
            client.release(broken);
          },
        };
      },
    },
  };
}
