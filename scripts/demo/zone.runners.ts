import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PharosClient } from './pharos.client.ts';

// The edge monitors run "from inside" each team's zone (run_from.zone = team). On one machine the
// zones are runner processes labelled zone=<team>: one per team, in the region of npm start's runner.

const root = join(import.meta.dirname, '..', '..');
const TOKEN_PREFIX = 'demo-zone-';

export interface ZoneRunners {
  zones: string[];
  stop(): Promise<void>;
}

/** Creates a runner token per zone (replacing earlier demo tokens) and starts a runner process for each. */
export async function startZoneRunners(client: PharosClient, apiUrl: string, zones: readonly string[], region: string): Promise<ZoneRunners> {
  const existing = await client.list<{ id: string; name: string }>('/v1/runner-tokens');
  for (const token of existing.filter((t) => t.name.startsWith(TOKEN_PREFIX))) await client.remove(`/v1/runner-tokens/${token.id}`);
  const children: ChildProcess[] = [];
  for (const zone of zones) {
    const { token } = await client.create<{ token: string }>('/v1/runner-tokens', { name: `${TOKEN_PREFIX}${zone}`, region, labels: { zone } });
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'runner/src/main.ts')], {
      cwd: root,
      env: { ...process.env, PHAROS_API_URL: apiUrl, PHAROS_RUNNER_TOKEN: token, PHAROS_REGION: region, PHAROS_RUNNER_METRICS_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
  }
  return {
    zones: [...zones],
    async stop() {
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); }) : undefined)));
    },
  };
}
