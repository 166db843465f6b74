// BENCH_PG_LOG=<file> for the benches on a throwaway PostgreSQL: statements of one database are
// logged with their durations, the slow ones with their plans (auto_explain, EXPLAIN ANALYZE), and
// the server log is copied to <file> before the cluster is removed.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { postgresPids } from './runner.support.ts';

/**
 * Logs every statement of `database` that runs `durationMs` or longer, with the plan of those over
 * `planMs` when given (EXPLAIN ANALYZE instruments every statement, which slows all of them).
 */
export async function logStatements(clusterUrl: string, database: string, durationMs: number, planMs?: number): Promise<void> {
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${database} SET log_min_duration_statement = ${Math.trunc(durationMs)}`);
    if (planMs === undefined) return;
    await admin.query(`ALTER DATABASE ${database} SET session_preload_libraries = 'auto_explain'`);
    for (const [name, value] of [['log_min_duration', String(Math.trunc(planMs))], ['log_analyze', 'on'], ['log_buffers', 'on'], ['log_nested_statements', 'on']]) {
      await admin.query(`ALTER DATABASE ${database} SET auto_explain.${name} = '${value}'`);
    }
  } finally {
    await admin.end();
  }
}

/** Copies the server log of the cluster on `port` to `dest` (call before the cluster stops). */
export function keepServerLog(port: number, dest: string): void {
  const dataDir = /-D\0([^\0]+)/.exec(readFileSync(`/proc/${postgresPids(port)[0]}/cmdline`, 'utf8'))?.[1];
  if (dataDir) copyFileSync(join(dataDir, '..', 'server.log'), dest);
}
