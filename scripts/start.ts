import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { buildConsole, consoleBuildIsCurrent } from '../api/src/web/console.build.ts';
import { isRunning, startWatchedChild, type WatchedChild } from './start/child.process.ts';
import { defaultRestartPolicy, failuresAfterExit, restartDelayMs } from './start/restart.policy.ts';

// `npm start`: the control plane with its embedded database (unless DATABASE_URL is set) on
// http://localhost:8080, and one runner in region "local" beside it. Each runs in its own process
// with its own composition root; the runner's token is made up for this start only.
//
// This process supervises both. The local runner is restarted with backoff whenever it exits (a
// taken metrics port, a crash): a runner problem never stops the control plane. The control plane
// exiting ends `npm start` (non-zero), after stopping the runner: it owns the database, and a
// restart loop around an embedded database would hide the cause; run it under a process manager to
// have it restarted.

const root = join(import.meta.dirname, '..');
const port = process.env.PORT ?? '8080';
const localRunnerToken = `phr_${randomBytes(32).toString('base64url')}`;
const say = (line: string): void => void process.stderr.write(`pharos: ${line}\n`);
const policy = defaultRestartPolicy;

let stopping = false;
let api: WatchedChild | undefined;
let runner: WatchedChild | undefined;
let restartTimer: NodeJS.Timeout | undefined;
let runnerFailures = 0;
let metricsUrl: string | undefined;

const describeExit = (e: { code: number | null; signal: NodeJS.Signals | null }): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`);

function startControlPlane(): void {
  api = startWatchedChild({ entry: join(root, 'api/src/main.ts'), cwd: root, env: { ...process.env, PORT: port, PHAROS_LOCAL_RUNNER_TOKEN: localRunnerToken }, stdout: process.stdout, stderr: process.stderr });
  const self = api;
  void self.exited.then((e) => {
    if (stopping) return;
    const cause = self.lastError();
    say(`the control plane stopped (${describeExit(e)})${cause ? `: ${cause}` : ''}.`);
    say('npm start does not restart the control plane; stopping the local runner. Fix the cause above and start again (or run Pharos under a process manager that restarts it).');
    void stop(e.code && e.code !== 0 ? e.code : 1);
  });
}

function startLocalRunner(): void {
  restartTimer = undefined;
  if (stopping) return;
  const env = {
    ...process.env,
    PHAROS_API_URL: `http://127.0.0.1:${port}`,
    PHAROS_RUNNER_TOKEN: localRunnerToken,
    PHAROS_REGION: 'local',
    // Loopback and a port the system picks: never the 9464 of another runner or of an OpenTelemetry
    // exporter, and a second `npm start` on another PORT does not collide either.
    PHAROS_RUNNER_METRICS_PORT: process.env.PHAROS_RUNNER_METRICS_PORT ?? 'auto',
    PHAROS_RUNNER_METRICS_HOST: process.env.PHAROS_RUNNER_METRICS_HOST ?? '127.0.0.1',
  };
  runner = startWatchedChild({
    entry: join(root, 'runner/src/main.ts'), cwd: root, env, stdout: process.stdout, stderr: process.stderr,
    onLogLine: (line) => {
      if (line.msg === 'serving /metrics and /healthz' && typeof line.url === 'string' && line.url !== metricsUrl) {
        metricsUrl = line.url;
        process.stderr.write(`Local runner (region "local"): metrics on ${metricsUrl}\n`);
      }
      if (line.msg === 'registered with the control plane' && runnerFailures > 0) say('the local runner is running again.');
    },
  });
  const self = runner;
  void self.exited.then((e) => {
    if (stopping) return;
    runnerFailures = failuresAfterExit(runnerFailures, Date.now() - self.startedAt, policy);
    const delay = restartDelayMs(runnerFailures, policy);
    const cause = self.lastError();
    say(`the local runner stopped (${describeExit(e)})${cause ? `: ${cause}` : ''}; restarting it in ${delay / 1000} s (attempt ${runnerFailures}). The control plane keeps running.`);
    restartTimer = setTimeout(startLocalRunner, delay);
  });
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (restartTimer) clearTimeout(restartTimer);
  setTimeout(() => process.exit(code), 15_000).unref();
  // Runner first, so it can flush its results to the control plane and deregister.
  if (isRunning(runner)) {
    runner.child.kill('SIGTERM');
    await runner.exited;
  }
  if (isRunning(api)) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// The children run in process groups of their own (so Ctrl-C reaches only us): never leave them behind.
process.on('exit', () => {
  for (const c of [runner, api]) if (isRunning(c)) c.child.kill('SIGKILL');
});

// The console's bundle: built by npm install; rebuilt here when a console source is newer (a pull).
if (!consoleBuildIsCurrent()) {
  try {
    await buildConsole();
    say('built the web console.');
  } catch (error) {
    say(`the web console could not be built (${(error as Error).message}); the API works, / answers 503 until npm run build:console succeeds.`);
  }
}
startControlPlane();

// The runner starts once the control plane answers; until then there is nothing to register with.
const healthUrl = `http://127.0.0.1:${port}/healthz`;
const deadline = Date.now() + 120_000;
while (!stopping && Date.now() < deadline) {
  const ok = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 250));
}
if (!stopping && process.env.PHAROS_NO_LOCAL_RUNNER !== '1') startLocalRunner();
