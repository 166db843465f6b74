import type { FleetStatus } from './fleet.control.ts';
import type { DependencyEdge } from './fleet.model.ts';
import type { RunningService } from './fleet.server.ts';
import type { Page } from './pager.inbox.ts';

// Talks to the control server of a running demo: the `npm run demo -- <command>` CLI and
// `declare-only` (which needs the running fleet's URLs).

export const DEFAULT_CONTROL_PORT = 8090;
export const controlCommands = ['break', 'slow', 'cut', 'heal', 'status'] as const;
export type ControlCommand = (typeof controlCommands)[number];

export const isControlCommand = (word: string | undefined): word is ControlCommand => controlCommands.includes(word as ControlCommand);

export class ControlClientError extends Error {}

export const controlUsage = `Control commands (talk to the running demo's control server):
  break <service>        every endpoint of the service answers 500, /health too
  slow <service> <ms>    every response of the service is delayed by <ms> (0 removes it)
  cut <from> <to>        from's calls to <to> fail as if a network policy blocked them
  heal [<service>|all]   remove the faults of one service, or all of them
  status                 list the current faults
  pages                  list the pages the teams' pagers received (who got paged, and the resolutions)`;

/** The HTTP request a CLI command maps to. */
export function controlRequest(args: readonly string[]): { method: 'GET' | 'POST'; path: string } {
  const [command, ...rest] = args;
  const enc = encodeURIComponent;
  const need = (n: number, usage: string) => {
    if (rest.length !== n) throw new ControlClientError(`Usage: npm run demo -- ${usage}`);
  };
  switch (command) {
    case 'break':
      need(1, 'break <service>');
      return { method: 'POST', path: `/break/${enc(rest[0]!)}` };
    case 'slow':
      need(2, 'slow <service> <ms>');
      if (!/^\d+$/.test(rest[1]!)) throw new ControlClientError(`slow takes a delay in whole milliseconds, e.g. "slow pricing 800"; got "${rest[1]}".`);
      return { method: 'POST', path: `/slow/${enc(rest[0]!)}/${rest[1]}` };
    case 'cut':
      need(2, 'cut <from> <to>');
      return { method: 'POST', path: `/cut/${enc(rest[0]!)}/${enc(rest[1]!)}` };
    case 'heal':
      if (rest.length > 1) throw new ControlClientError('Usage: npm run demo -- heal [<service>|all]');
      return { method: 'POST', path: rest[0] ? `/heal/${enc(rest[0])}` : '/heal' };
    case 'status':
      need(0, 'status');
      return { method: 'GET', path: '/status' };
    default:
      throw new ControlClientError(`Unknown command "${command ?? ''}".\n${controlUsage}`);
  }
}

export class ControlClient {
  constructor(readonly baseUrl: string) {}

  /** Runs a CLI command; returns the resulting fault status. */
  async run(args: readonly string[]): Promise<FleetStatus & { summary: string }> {
    const { method, path } = controlRequest(args);
    return (await this.request(method, path)) as FleetStatus & { summary: string };
  }

  /** The pages the running demo's pagers received, oldest first. */
  async pages(): Promise<Page[]> {
    return ((await this.request('GET', '/pages')) as { pages: Page[] }).pages;
  }

  /** Hands the teams' new signing secrets to the running demo's pagers (write-only). */
  async setPagerSecrets(secrets: Readonly<Record<string, string>>): Promise<void> {
    await this.request('POST', '/pager-secrets', JSON.stringify(secrets));
  }

  /** The running fleet's services and edges. */
  async fleet(): Promise<{ services: RunningService[]; edges: DependencyEdge[] }> {
    return (await this.request('GET', '/fleet')) as { services: RunningService[]; edges: DependencyEdge[] };
  }

  private async request(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new ControlClientError(`No demo control server answers at ${this.baseUrl} (${cause}). Start the demo first with \`npm run demo\` (or \`npm run demo -- fleet-only\`), or set PHAROS_DEMO_CONTROL_PORT to its port.`);
    }
    const text = await res.text();
    if (res.status === 204) return undefined;
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new ControlClientError(`${this.baseUrl} is not a demo control server (it answered ${res.status} with something other than JSON).`);
    }
    if (!res.ok) throw new ControlClientError((answer as { detail?: string }).detail ?? `The control server answered ${res.status}.`);
    return answer;
  }
}
