import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

// An HTTP target with a known latency, in a child process of its own so that serving a load test does
// not share the measuring process's event loop. Every request is answered 200 "ok" after
// LATENCY_MS (argv[2]); a path starting with /status/<code> answers that code; every request's
// headers are counted by name so tests can see what arrived (x-secret values are counted, not kept).
// Started with startLatencyTarget(); it reports {port} over IPC and answers {stats: true} with
// {requests, secretSeen}.

export interface LatencyTarget {
  origin: string;
  /** Requests served so far and how many carried the x-secret header. */
  stats(): Promise<{ requests: number; withSecret: number }>;
  close(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

/** Forks the target with the given latency and waits until it listens on 127.0.0.1. */
export async function startLatencyTarget(latencyMs: number, secret = ''): Promise<LatencyTarget> {
  const child: ChildProcess = fork(self, [String(latencyMs), secret], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`latency target exited with ${code}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m: { requests: number; withSecret: number }) => resolve(m));
        child.send({ stats: true });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[1] === self && process.send) {
  const latency = Number(process.argv[2] ?? 0);
  const secret = process.argv[3] ?? '';
  let requests = 0;
  let withSecret = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (secret && req.headers['x-secret'] === secret) withSecret += 1;
    req.resume();
    const status = /^\/status\/(\d{3})/.exec(req.url ?? '')?.[1];
    setTimeout(() => {
      res.writeHead(status ? Number(status) : 200, { 'content-type': 'text/plain' });
      res.end('ok');
    }, latency);
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (m: { stats?: boolean }) => {
    if (m.stats) process.send!({ requests, withSecret });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
