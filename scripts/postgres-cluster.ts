import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL server started from the machine's binaries in a temp directory. */
export interface PostgresCluster {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Fault injection for outage tests: `pg_ctl restart -m fast` (every connection is terminated, 57P01). */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`, keeping the data directory for startServer(). */
  stopServer(): Promise<void>;
  /** Starts the server stopped by stopServer() again, on the same port. */
  startServer(): Promise<void>;
  /** Process ids of the postmaster and its children (to freeze them with SIGSTOP). */
  serverPids(): number[];
}

/** Directory holding initdb/pg_ctl: PATH first, then /usr/lib/postgresql/<newest>/bin. */
export function findPostgresBin(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Postgres refuses to run as root, so as root the cluster belongs to the "postgres" system user.
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

function run(command: string, args: string[]): void {
  const [cmd, argv] = asServerUser(command, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * Starts a fresh cluster on 127.0.0.1 with trust authentication; stop() removes it. `settings`:
 * more server settings (name → value), e.g. a library to preload.
 */
export async function startPostgresCluster(settings: Readonly<Record<string, string>> = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin.');
  const dir = mkdtempSync(join(tmpdir(), 'pharos-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB${Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('')}`;
  const start = ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'];
  run(join(bin, 'pg_ctl'), start);
  const pgCtl = async (args: string[]) => {
    const [cmd, argv] = asServerUser(join(bin, 'pg_ctl'), args);
    const code = await new Promise<number | null>((resolve) => spawn(cmd, argv, { stdio: 'ignore' }).on('exit', resolve));
    if (code !== 0) throw new Error(`pg_ctl ${args.at(-1)} failed (${code}); see ${join(dir, 'server.log')}`);
  };
  const serverPids = (): number[] => {
    let postmaster: number;
    try {
      postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return [];
    }
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter((n) => n > 0);
    return [postmaster, ...children];
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const [cmd, argv] = asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    await new Promise<void>((resolve) => spawn(cmd, argv, { stdio: 'ignore' }).on('exit', () => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    restart: () => pgCtl(['-D', data, '-m', 'fast', '-l', join(dir, 'server.log'), '-w', '-t', '60', 'restart']),
    stopServer: () => pgCtl(['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    startServer: () => pgCtl(start),
    serverPids,
  };
}

/** Runs `use` with a client connected to `url`, closed afterwards. */
export async function withClient<T>(url: string, use: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database in the cluster at `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
