import { readFileSync } from 'node:fs';

// Not imported from runner/src/main.ts: that module runs the runner when it is the entry, and in the
// bundle a bare import.meta.url names dist/discovery.js for every module, so importing it would start
// a runner inside the agent.

/** The runner package's version (the agent ships in the runner image), for the source report and the User-Agent. */
export function agentVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
