import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { testSecretKeys } from '../../../api/test/support/harness.ts';

// Real processes for system tests: the control plane and runners started the way operators run them.

const root = join(import.meta.dirname, '..', '..', '..');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Listens on 127.0.0.1 on a port the system picks; resolves to the server's base URL. */
export async function listenLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process gets no chance to clean up. */
  kill(): Promise<void>;
}

function launch(entry: string, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text = (text + d).slice(-200_000)));
  child.stderr!.on('data', (d) => (text = (text + d).slice(-200_000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ApiProc extends Proc {
  url: string;
  token: string;
}

/** Starts api/src/main.ts on a free port against DATABASE_URL and waits for /healthz. */
export async function startApiProcess(databaseUrl: string, env: NodeJS.ProcessEnv = {}, port?: number, token?: string): Promise<ApiProc> {
  const p = port ?? (await freePort());
  const adminToken = token ?? `phs_${randomBytes(24).toString('base64url')}`;
  const proc = launch('api/src/main.ts', { DATABASE_URL: databaseUrl, PORT: String(p), HOST: '127.0.0.1', PHAROS_ADMIN_TOKEN: adminToken, PHAROS_SECRET_KEYS: testSecretKeys, LOG_LEVEL: 'warn', ...env });
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { ...proc, url, token: adminToken };
    if (proc.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(`control plane did not start:\n${proc.output()}`);
}

/** Starts runner/src/main.ts against the API with a runner token. */
export function startRunnerProcess(apiUrl: string, runnerToken: string, env: NodeJS.ProcessEnv = {}): Proc {
  return launch('runner/src/main.ts', { PHAROS_API_URL: apiUrl, PHAROS_RUNNER_TOKEN: runnerToken, PHAROS_RUNNER_METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env });
}

/** JSON call with a bearer token; throws on 4xx/5xx. */
export async function callJson(base: string, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Polls `probe` until it returns a value, or throws after `ms`. */
export async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>, everyMs = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
