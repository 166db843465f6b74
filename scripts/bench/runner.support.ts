import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { RunnerMonitor } from '../../runner/src/engine.ts';

// Shared pieces of `npm run bench:runner` (scripts/bench/runner.bench.ts).

export const root = join(import.meta.dirname, '..', '..');

/** One line of the final summary. */
export interface Figure {
  name: string;
  target: string;
  measured: string;
  baseline: string;
  met: boolean;
}

export const out = (line = ''): void => void process.stdout.write(`${line}\n`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const ms = (n: number, digits = 1): string => (Number.isFinite(n) ? `${n.toFixed(digits)} ms` : '-');

/** Children this run started; killed on exit whatever happens. */
const children = new Set<ChildProcess>();
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killChildren);

/** Clean-ups that must also run when the run is interrupted (Ctrl-C, SIGTERM), e.g. stopping PostgreSQL. */
const cleanups = new Set<() => Promise<void>>();
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping child processes and PostgreSQL\n`);
    killChildren();
    const deadline = sleep(15_000);
    void Promise.race([Promise.allSettled([...cleanups].map((c) => c())), deadline]).then(() => process.exit(130));
  });
}

export interface Target {
  origin: string;
  pid: number;
  /** Switches a path to HTTP 500; resolves with the epoch ms at which the target made the switch. */
  fail(path: string): Promise<number>;
  recover(path: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts scripts/bench/runner.target.ts in a child process (its own event loop) and waits for its port. */
export async function startTarget(): Promise<Target> {
  const child = track(fork(join(import.meta.dirname, 'runner.target.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const waiting = new Map<string, (at: number) => void>();
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
    child.on('message', (m: { port?: number; switched?: string; at?: number }) => {
      if (m.port) resolve(m.port);
      if (m.switched !== undefined) {
        waiting.get(m.switched)?.(m.at ?? Date.now());
        waiting.delete(m.switched);
      }
    });
  });
  const send = (message: { fail?: string; recover?: string }, path: string) =>
    new Promise<number>((resolve) => {
      waiting.set(path, resolve);
      child.send(message);
    });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    fail: (path) => send({ fail: path }, path),
    recover: (path) => send({ recover: path }, path),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size (VmRSS) and its peak (VmHWM) of a process, in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Starts `node <args>` and resolves once it has run for `settleMs`, with its memory then; kills it. */
export async function idleRss(args: string[], settleMs: number): Promise<number> {
  const child = track(spawn(process.execPath, args, { cwd: root, stdio: 'ignore' }));
  await sleep(settleMs);
  const { rssMb } = memoryOf(child.pid!);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return rssMb;
}

/** A monitor id as the control plane makes them. */
export const monitorId = (): string => `mon_${ulid()}`;

/** The HTTP monitor every figure checks: the contract's defaults plus the three usual assertions. */
export function httpMonitor(id: string, url: string, intervalSeconds = 30): RunnerMonitor {
  return {
    id,
    type: 'http',
    name: `bench-${id.slice(-8).toLowerCase()}`,
    interval_seconds: intervalSeconds,
    timeout_seconds: 10,
    http: { method: 'GET', url },
    assertions: [
      { source: 'status_code', operator: 'equals', target: '200' },
      { source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' },
      { source: 'response_time', operator: 'less_than', target: '500', severity: 'degraded' },
    ],
  } as RunnerMonitor;
}

/** CPU milliseconds (user + system) this process spent since `since`. */
export const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** CPU milliseconds (user + system) a process has used so far, from /proc/<pid>/stat (0 once it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server listening on `port`: its postmaster and every backend it forked. */
export function postgresPids(port: number): number[] {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const postmaster = pids.find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.startsWith('/') && cmd.includes('postgres') && cmd.includes(`port=${port}`);
    } catch {
      return false;
    }
  });
  if (postmaster === undefined) return [];
  return [postmaster, ...pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
    } catch {
      return false;
    }
  })];
}
