import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** A child of `npm start` whose output is forwarded line by line and watched for its last error. */
export interface WatchedChild {
  readonly child: ChildProcess;
  readonly startedAt: number;
  /** The most recent error the child logged (a pino line of level error/fatal, or an "Error: …" line on stderr). */
  lastError(): string | undefined;
  /** Resolves once the child has exited and its output has been read to the end. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface WatchOptions {
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
  /** Every stdout line that is a JSON log object, parsed (e.g. to learn the runner's metrics URL). */
  onLogLine?: (line: Record<string, unknown>) => void;
}

const errorLine = /^\s*(?:[A-Za-z]*Error\b|error\b)/;

/**
 * Starts `node --import tsx <entry>` in its own process group, so a Ctrl-C in the terminal reaches
 * only the supervisor, which stops the children in order (runner first, so it can flush).
 */
export function startWatchedChild(options: WatchOptions): WatchedChild {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let last: string | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    options.stdout.write(`${line}\n`);
    if (!line.startsWith('{')) return;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (typeof parsed.level === 'number' && parsed.level >= 50 && typeof parsed.msg === 'string') last = parsed.msg;
      options.onLogLine?.(parsed);
    } catch {
      /* not a log line */
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    options.stderr.write(`${line}\n`);
    if (errorLine.test(line)) last = line.trim();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, startedAt: Date.now(), lastError: () => last, exited };
}

/** True while the child runs. */
export function isRunning(c: WatchedChild | undefined): c is WatchedChild {
  return c !== undefined && c.child.exitCode === null && c.child.signalCode === null;
}
