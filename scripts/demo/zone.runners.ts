import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PharosClient } from './pharos.client.ts';

// The edge monitors run "from inside" each team's zone (run_from.zone = team). On one machine the
// zones are runner processes labelled zone=<team>: one per team, in the region of npm start's runner.
// Each serves /metrics and /healthz on a port the system picks, on loopback, so they never collide
// with npm start's runner or with each other.

const root = join(import.meta.dirname, '..', '..');
const TOKEN_PREFIX = 'demo-zone-';

export interface ZoneRunners {
  zones: string[];
  /** Process ids of the runners, in the order of `zones`. */
  pids: number[];
  stop(): Promise<void>;
}

/** Creates a runner token per zone (replacing earlier demo tokens) and starts a runner process for each; they stop with the demo. */
export async function startZoneRunners(client: PharosClient, apiUrl: string, zones: readonly string[], region: string, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<ZoneRunners> {
  const existing = await client.list<{ id: string; name: string }>('/v1/runner-tokens');
  for (const token of existing.filter((t) => t.name.startsWith(TOKEN_PREFIX))) await client.remove(`/v1/runner-tokens/${token.id}`);
  const children: ChildProcess[] = [];
  let stopping = false;
  // A runner must not outlive the demo, whatever ends it (Ctrl-C, an error, process.exit).
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGTERM'));
  process.once('exit', killAll);
  for (const zone of zones) {
    const { token } = await client.create<{ token: string }>('/v1/runner-tokens', { name: `${TOKEN_PREFIX}${zone}`, region, labels: { zone } });
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'runner/src/main.ts')], {
      cwd: root,
      env: { ...process.env, PHAROS_API_URL: apiUrl, PHAROS_RUNNER_TOKEN: token, PHAROS_REGION: region, PHAROS_RUNNER_METRICS_PORT: 'auto', PHAROS_RUNNER_METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code, signal) => {
      if (!stopping) log(`The runner of zone ${zone} stopped (${signal ?? `exit code ${code}`}); the ${zone} edge monitors turn unknown. Restart the demo to bring it back.`);
    });
    children.push(child);
  }
  return {
    zones: [...zones],
    pids: children.map((c) => c.pid ?? 0),
    async stop() {
      stopping = true;
      process.removeListener('exit', killAll);
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); }) : undefined)));
    },
  };
}
