import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README's five-minute tour, read from README.md and run with bash and curl as a reader would,
// so a test fails as soon as the README and the product disagree.

const readme = join(import.meta.dirname, '..', '..', '..', 'README.md');

/** The tour's shell block: the first ```sh block after the "A five-minute tour" heading. */
export function readmeTourScript(): string {
  const text = readFileSync(readme, 'utf8');
  const heading = text.indexOf('## A five-minute tour');
  if (heading < 0) throw new Error('README.md has no "## A five-minute tour" section');
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(heading));
  if (!block) throw new Error('the README tour has no ```sh block');
  return block[1]!;
}

export interface TourRun {
  /** Everything the tour printed. */
  output: string;
  /** The shell variables the tour assigned (TEAM, MON, …) with their values. */
  vars: Record<string, string>;
  /** Every JSON document the tour printed, one per line. */
  documents: unknown[];
}

/**
 * Runs the tour against `apiUrl` with `token`: the README's control plane address and its token
 * placeholder are the only things replaced, and both must be found.
 */
export async function runReadmeTour(apiUrl: string, token: string): Promise<TourRun> {
  let script = readmeTourScript();
  const placeholders: Array<[RegExp, string]> = [
    [/^export PHAROS_TOKEN=phs_…/m, `export PHAROS_TOKEN=${token}`],
    [/http:\/\/(?:127\.0\.0\.1|localhost):8080/g, apiUrl],
  ];
  for (const [pattern, value] of placeholders) {
    if (!pattern.test(script)) throw new Error(`the README tour no longer contains ${pattern}; update this test's placeholders`);
    script = script.replace(pattern, value);
  }
  const names = [...new Set([...script.matchAll(/^([A-Z][A-Z0-9_]*)=\$\(/gm)].map((m) => m[1]!))];
  script += `\n${names.map((n) => `printf 'TOUR_VAR %s=%s\\n' ${n} "$${n}"`).join('\n')}\n`;
  const child = spawn('bash', ['-eo', 'pipefail', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the README tour exited with ${code}:\n${output}`);
  const vars: Record<string, string> = {};
  const documents: unknown[] = [];
  for (const line of output.split('\n')) {
    const v = /^TOUR_VAR ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (v) vars[v[1]!] = v[2]!;
    else if (line.startsWith('{')) documents.push(JSON.parse(line));
  }
  return { output, vars, documents };
}
