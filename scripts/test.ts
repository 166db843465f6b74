import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts';
import { buildConsole, consoleBuildIsCurrent } from '../api/src/web/console.build.ts';

// Runs the whole suite with node's test runner: starts one throwaway PostgreSQL cluster for every
// integration test (each test file creates its own database in it), then stops it.
// Usage: npm test [-- <test files or directories>]

const root = join(import.meta.dirname, '..');
const suites = ['api/test', 'runner/test', 'provider-schema/test', 'cdktf-bindings/test', 'scripts/test'];

function testFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && name !== 'fixtures')
    .flatMap((name) => testFiles(join(path, name)));
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = (requested.length ? requested : suites).flatMap((p) => testFiles(join(root, p))).sort();
if (files.length === 0) {
  process.stderr.write('No test files found.\n');
  process.exit(1);
}

// Browser tests load the console's bundle: build it when a console source is newer than it.
if (!consoleBuildIsCurrent()) await buildConsole();

let cluster: PostgresCluster | undefined;
if (!process.env.PHAROS_TEST_DATABASE_URL) {
  try {
    cluster = await startPostgresCluster();
    process.env.PHAROS_TEST_DATABASE_URL = cluster.url;
    process.stderr.write(`PostgreSQL for tests: ${cluster.url}\n`);
  } catch (error) {
    if (process.env.PHAROS_TEST_REQUIRE_PG === '1') {
      process.stderr.write(`PHAROS_TEST_REQUIRE_PG=1 but no PostgreSQL server could be started: ${(error as Error).message}\n`);
      process.exit(1);
    }
    process.stderr.write(`PostgreSQL is not available (${(error as Error).message}); tests that need it are skipped.\n`);
  }
}

// No --test-force-exit: with files run in parallel it can end a file's process before the parent has
// read the file's last results, which then go missing from the report, counts and failures alike
// (nodejs/node#64833; here the last 8 tests of one file in one run, so counts differed between runs).
// Every file closes what it opens; a file that held the run open anyway is stopped by the watchdog,
// which bounds the whole run and fails it with a message long before CI's own limit.
const suiteTimeoutMs = Number(process.env.PHAROS_TEST_SUITE_TIMEOUT_MS ?? 40 * 60_000);
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...process.argv.slice(2).filter((a) => a.startsWith('--')), ...files.map((f) => relative(root, f))];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env, detached: true });
const watchdog = setTimeout(() => {
  process.stderr.write(`\nThe test run did not finish within ${Math.round(suiteTimeoutMs / 1000)} s (PHAROS_TEST_SUITE_TIMEOUT_MS); stopping it.\n`);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}, suiteTimeoutMs);
// The run has its own process group (so the watchdog can stop every test process); pass Ctrl-C on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
clearTimeout(watchdog);
await cluster?.stop();
process.exit(code);
