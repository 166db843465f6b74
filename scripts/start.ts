import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

// `npm start`: the control plane with its embedded database (unless DATABASE_URL is set) on
// http://localhost:8080, and one runner in region "local" beside it. Each runs in its own process
// with its own composition root; the runner's token is made up for this start only.

const root = join(import.meta.dirname, '..');
const port = process.env.PORT ?? '8080';
const localRunnerToken = `phr_${randomBytes(32).toString('base64url')}`;
const children: ChildProcess[] = [];
let stopping = false;

function start(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`pharos: ${name} exited (${signal ?? code}); stopping.\n`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code: number): void {
  stopping = true;
  // Runner first, so it can flush its results to the control plane and deregister.
  const [api, ...rest] = children;
  for (const child of rest) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all(rest.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)))
    .then(() => {
      if (api && api.exitCode === null) api.kill('SIGTERM');
      return api && api.exitCode === null ? new Promise((r) => api.once('exit', r)) : undefined;
    })
    .then(() => process.exit(code));
  setTimeout(() => process.exit(code), 15_000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('control plane', 'api/src/main.ts', { PORT: port, PHAROS_LOCAL_RUNNER_TOKEN: localRunnerToken });

// The runner starts once the control plane answers; until then there is nothing to register with.
const healthUrl = `http://127.0.0.1:${port}/healthz`;
const deadline = Date.now() + 120_000;
while (!stopping && Date.now() < deadline) {
  const ok = await fetch(healthUrl).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 250));
}
if (!stopping && process.env.PHAROS_NO_LOCAL_RUNNER !== '1') {
  start('local runner', 'runner/src/main.ts', {
    PHAROS_API_URL: `http://127.0.0.1:${port}`,
    PHAROS_RUNNER_TOKEN: localRunnerToken,
    PHAROS_REGION: 'local',
    PHAROS_RUNNER_METRICS_PORT: process.env.PHAROS_RUNNER_METRICS_PORT ?? '9464',
  });
  process.stderr.write(`Local runner (region "local"): metrics on http://localhost:${process.env.PHAROS_RUNNER_METRICS_PORT ?? '9464'}/metrics\n`);
}
