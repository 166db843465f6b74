import { ControlClient, ControlClientError, controlUsage, DEFAULT_CONTROL_PORT, isControlCommand } from './demo/control.client.ts';
import { DeclareConflictError, declareFleet, type DeclareReport } from './demo/fleet.declare.ts';
import { createFleetModel } from './demo/fleet.model.ts';
import { startFleet, type RunningFleet } from './demo/fleet.server.ts';
import { fleetSummary } from './demo/fleet.summary.ts';
import { formatIncidents, readIncidents } from './demo/incidents.view.ts';
import { formatPage, generateWebhookSecret } from './demo/pager.inbox.ts';
import type { PagerTargets } from './demo/pager.declare.ts';
import { PharosApiError, PharosClient } from './demo/pharos.client.ts';
import { startZoneRunners, type ZoneRunners } from './demo/zone.runners.ts';

// `npm run demo`: a simulated e-commerce fleet on 127.0.0.1, declared in Pharos, with fault
// injection. See docs/demo.md.

const usage = `Usage: npm run demo [-- <command>]

  (no command)   start the fleet, wait for the Pharos API, declare the fleet, print a summary
  fleet-only     start the fleet without declaring it
  declare-only   declare the running fleet (or the one at PHAROS_DEMO_BASE_PORT) in Pharos
${controlUsage}
  incidents              list the open and recent incidents in Pharos: root cause, owner team, impacted
                         services, pages sent and held (reads PHAROS_API_URL with PHAROS_TOKEN)

Environment: PHAROS_API_URL (default http://localhost:8080), PHAROS_TOKEN (org admin token printed
by npm start), PHAROS_DEMO_BASE_PORT (service i on base+i; default: free ports),
PHAROS_DEMO_CONTROL_PORT (default ${DEFAULT_CONTROL_PORT}), PHAROS_DEMO_REGIONS (comma-separated; default:
every region with live runners), PHAROS_DEMO_INTERVAL (seconds, default 30),
PHAROS_DEMO_API_WAIT (seconds to wait for the API, default 60), PHAROS_DEMO_RUNNERS (1: start one
runner per team zone in region PHAROS_DEMO_RUNNER_REGION, default "local", so the edge monitors run;
they stop with the demo; 0: don't; default 1).`;

class UsageError extends Error {}

interface Config {
  apiUrl: string;
  token: string;
  basePort: number | undefined;
  controlPort: number;
  regions: string[];
  intervalSeconds: number;
  apiWaitSeconds: number;
}

function intFromEnv(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  return Number(raw);
}

function readConfig(): Config {
  const regions = (process.env.PHAROS_DEMO_REGIONS ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of regions) if (!/^[a-z0-9][a-z0-9-]*$/.test(r)) throw new UsageError(`PHAROS_DEMO_REGIONS: "${r}" is not a region name (lower-case letters, digits and "-").`);
  return {
    apiUrl: (process.env.PHAROS_API_URL?.trim() || 'http://localhost:8080').replace(/\/+$/, ''),
    token: process.env.PHAROS_TOKEN?.trim() ?? '',
    basePort: intFromEnv('PHAROS_DEMO_BASE_PORT', 1024, 65_000),
    controlPort: intFromEnv('PHAROS_DEMO_CONTROL_PORT', 0, 65_535) ?? DEFAULT_CONTROL_PORT,
    regions,
    intervalSeconds: intFromEnv('PHAROS_DEMO_INTERVAL', 5, 86_400) ?? 30,
    apiWaitSeconds: intFromEnv('PHAROS_DEMO_API_WAIT', 0, 3600) ?? 60,
  };
}

async function declare(config: Config, urls: ReadonlyMap<string, string>, pagers: PagerTargets | undefined): Promise<DeclareReport> {
  if (!config.token) throw new PharosApiError('PHAROS_TOKEN is not set: export the org admin token printed by `npm start` (export PHAROS_TOKEN=phs_…), then run `npm run demo -- declare-only`.');
  const client = new PharosClient(config.apiUrl, config.token);
  process.stdout.write(`Waiting for the Pharos API at ${config.apiUrl} (up to ${config.apiWaitSeconds} s)…\n`);
  await client.waitUntilReachable(config.apiWaitSeconds * 1000);
  return declareFleet({
    apiUrl: config.apiUrl,
    token: config.token,
    model: createFleetModel(),
    urls,
    regions: config.regions,
    intervalSeconds: config.intervalSeconds,
    pagers,
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
}

function keepRunning(fleet: RunningFleet, runners: { current?: ZoneRunners }): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the demo fleet…\n');
    Promise.all([fleet.stop(), runners.current?.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function runFleet(config: Config, withDeclaration: boolean): Promise<void> {
  const fleet = await startFleet({ basePort: config.basePort, controlPort: config.controlPort });
  const runners: { current?: ZoneRunners } = {};
  keepRunning(fleet, runners);
  // Every page any team's pager receives is printed as it arrives, one line per alert.
  fleet.pager.onPage((page) => process.stdout.write(`${formatPage(page)}\n`));
  let declared: DeclareReport | undefined;
  if (withDeclaration) {
    let refused: PharosApiError | undefined;
    try {
      const pagers = { controlUrl: fleet.controlUrl!, secrets: fleet.pager.rotateSecrets() };
      declared = await declare(config, new Map([...fleet.services].map(([name, s]) => [name, s.url])), pagers);
    } catch (error) {
      if (!(error instanceof PharosApiError)) throw error;
      refused = error;
      process.stderr.write(`\nNot declared in Pharos: ${error.message}\nThe fleet keeps running; once that is fixed, run \`npm run demo -- declare-only\` in another terminal.\n`);
    }
    // The zone runners belong to the fleet's story (the edge monitors run from them): they start
    // whenever the API accepts the token, so a later `declare-only` finds them running.
    if (process.env.PHAROS_DEMO_RUNNERS !== '0' && (!refused || refused instanceof DeclareConflictError)) {
      const zones = [...new Set(fleet.model.services.map((s) => s.team))];
      const region = process.env.PHAROS_DEMO_RUNNER_REGION || 'local';
      try {
        runners.current = await startZoneRunners(new PharosClient(config.apiUrl, config.token), config.apiUrl, zones, region);
        process.stdout.write(`Started ${zones.length} zone runners (region ${region}, zones: ${zones.join(', ')}; /metrics on free loopback ports); they stop with the demo.\n`);
      } catch (error) {
        if (!(error instanceof PharosApiError)) throw error;
        process.stderr.write(`\nZone runners not started: ${error.message}\nThe edge monitors stay unknown until runners of their zones run (docs/demo.md, "Runners").\n`);
      }
    }
  }
  process.stdout.write(fleetSummary(fleet.model, fleet.services, fleet.controlUrl, declared, config.apiUrl));
  process.stdout.write('Ctrl-C stops the fleet.\n');
}

async function declareOnly(config: Config): Promise<void> {
  const model = createFleetModel();
  let urls: Map<string, string>;
  let pagers: PagerTargets | undefined;
  const client = new ControlClient(`http://127.0.0.1:${config.controlPort}`);
  try {
    urls = new Map((await client.fleet()).services.map((s) => [s.name, s.url]));
    // The running demo serves the pagers: it gets the new secrets before the channels do.
    const secrets = Object.fromEntries(model.teams.map((t) => [t.name, generateWebhookSecret()]));
    await client.setPagerSecrets(secrets);
    pagers = { controlUrl: client.baseUrl, secrets };
  } catch (error) {
    if (config.basePort === undefined) throw error;
    urls = new Map(model.services.map((s, i) => [s.name, `http://127.0.0.1:${config.basePort! + i}`]));
    process.stdout.write('No running demo answers on the control port: the teams\' pagers are not declared (they live in the running demo).\n');
  }
  const report = await declare(config, urls, pagers);
  process.stdout.write(`Declared ${report.monitorIds.size} monitors of ${model.services.length} services in ${config.apiUrl}${report.pagers ? `, and a pager per team (${model.teams.length})` : ''}.\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = readConfig();
  if (command === undefined) return runFleet(config, true);
  if (command === 'fleet-only') return runFleet(config, false);
  if (command === 'declare-only') return declareOnly(config);
  if (command === 'pages') {
    if (argv.length !== 1) throw new UsageError('Usage: npm run demo -- pages');
    const pages = await new ControlClient(`http://127.0.0.1:${config.controlPort}`).pages();
    process.stdout.write(pages.length ? `${pages.map(formatPage).join('\n')}\n` : 'No pages yet: no team has been paged since the demo started.\n');
    return;
  }
  if (command === 'incidents') {
    if (argv.length !== 1) throw new UsageError('Usage: npm run demo -- incidents');
    if (!config.token) throw new PharosApiError('PHAROS_TOKEN is not set: export the org admin token printed by `npm start` (export PHAROS_TOKEN=phs_…), then run `npm run demo -- incidents` again.');
    const { incidents, teamNames } = await readIncidents(new PharosClient(config.apiUrl, config.token));
    process.stdout.write(`${formatIncidents(incidents, teamNames)}\n`);
    return;
  }
  if (isControlCommand(command)) {
    const status = await new ControlClient(`http://127.0.0.1:${config.controlPort}`).run(argv);
    process.stdout.write(`${status.summary}\n`);
    return;
  }
  throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ControlClientError || error instanceof PharosApiError;
  process.stderr.write(`${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
  process.exit(known && error instanceof UsageError ? 2 : 1);
});
