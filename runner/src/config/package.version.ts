import { readFileSync } from 'node:fs';

// Kept apart from runner/src/main.ts, which runs the runner when it is the entry: in a bundle a bare
// import.meta.url names the bundle for every module, so the discovery agent importing main.ts would
// start a runner inside the agent.

/** The runner package's version: what a runner registers with, and what the discovery agent (shipped in the runner image) reports. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
