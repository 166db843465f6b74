import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, postgresSkip, testSecretKeys } from '../../api/test/support/harness.ts';
import { migrations } from '../../api/src/db/migrations/index.ts';
import { bundleFile, processEntries } from '../build.entries.ts';
import { callJson, freePort, listenLoopback, waitFor } from './support/processes.ts';
import { queryDatabase } from './support/pg-query.ts';

// The production build as operators use it: `npm run build` into a directory of its own (with
// node_modules beside it, as `npm ci --omit=dev` leaves it), then each bundle started with plain
// `node` from that directory: no tsx, no repository sources on the way.

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pharos-build-'));
const outDir = join(work, 'dist');
const started: ChildProcess[] = [];
let target: Server;
let targetUrl = '';

interface Bundled { child: ChildProcess; output: () => string }

/** Starts dist/<name>.js with node alone (NODE_OPTIONS cleared, so nothing preloads tsx), from the build's directory. */
function startBundle(name: string, env: NodeJS.ProcessEnv): Bundled {
  const file = join(outDir, `${name}.js`);
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [file], { cwd: work, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let text = '';
  child.stdout!.on('data', (d) => (text = (text + d).slice(-200_000)));
  child.stderr!.on('data', (d) => (text = (text + d).slice(-200_000)));
  return { child, output: () => text };
}

function assertPlainNode(child: ChildProcess, name: string): void {
  const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  assert.deepEqual(argv, [process.execPath, join(outDir, `${name}.js`)], 'started as `node dist/<name>.js`, nothing else on the command line');
  const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
  assert.ok(!environ.some((v) => v.startsWith('NODE_OPTIONS=')), 'no NODE_OPTIONS that could load tsx');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Starts the bundled control plane and checks what it serves: health, console, OpenAPI, API docs assets, status-page stylesheet, migrations. */
async function controlPlane(env: NodeJS.ProcessEnv, kind: 'pglite' | 'postgres'): Promise<{ url: string; token: string; proc: Bundled }> {
  const port = await freePort();
  const token = `phs_${randomBytes(24).toString('base64url')}`;
  const proc = startBundle('control-plane', { PORT: String(port), HOST: '127.0.0.1', PHAROS_ADMIN_TOKEN: token, LOG_LEVEL: 'info', ...env });
  const url = `http://127.0.0.1:${port}`;
  const health = await waitFor(`the bundled control plane's /healthz\n${proc.output()}`, 45_000, async () => {
    if (proc.child.exitCode !== null) throw new Error(`the bundled control plane exited ${proc.child.exitCode}:\n${proc.output()}`);
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    return res?.ok ? ((await res.json()) as { database: { kind: string } }) : undefined;
  });
  assertPlainNode(proc.child, 'control-plane');
  assert.equal(health.database.kind, kind);

  const ready = proc.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; applied?: string[] }).find((l) => l.msg === 'database ready');
  assert.deepEqual(ready?.applied, Object.keys(migrations), 'every migration ran on the empty database');

  const page = await fetch(`${url}/`);
  assert.equal(page.status, 200, 'the console page is served (its bundle was found beside the control plane\'s bundle)');
  assert.match(await page.text(), /\/console\/console\.js/);
  const script = await fetch(`${url}/console/console.js`);
  assert.equal(script.status, 200);
  assert.ok((await script.text()).length > 1000);
  const openapi = await fetch(`${url}/openapi.json`);
  assert.equal(openapi.status, 200);
  assert.match(((await openapi.json()) as { openapi: string }).openapi, /^3\./);
  assert.equal((await fetch(`${url}/docs/assets/swagger-ui.css`)).status, 200, 'the API reference\'s assets come from node_modules');
  const css = await fetch(`${url}/status-assets/status.css`);
  assert.equal(css.status, 200);
  assert.equal(await css.text(), readFileSync(join(root, 'api/src/web/status-page.css'), 'utf8'), 'the status pages\' stylesheet is the one beside the sources');
  return { url, token, proc };
}

before(async () => {
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--outdir', outDir], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);
  target = createServer((_req, res) => res.setHeader('content-type', 'application/json').end('{"status":"healthy"}'));
  targetUrl = `${await listenLoopback(target)}/health`;
});

after(async () => {
  await Promise.all(started.map(stop));
  target?.close();
  rmSync(work, { recursive: true, force: true });
});

test('the build writes one plain JavaScript bundle with a source map per process, and nothing that needs tsx', () => {
  for (const entry of processEntries) {
    const file = join(outDir, bundleFile(entry));
    assert.ok(existsSync(file) && existsSync(`${file}.map`), `${bundleFile(entry)} and its map`);
    const code = readFileSync(file, 'utf8');
    assert.ok(!/from ["'][^"']+\.tsx?["']/.test(code), `${bundleFile(entry)} imports no TypeScript file`);
    assert.ok(!code.includes('"tsx"') && !code.includes("'tsx'"), `${bundleFile(entry)} does not import tsx`);
    for (const asset of entry.assets) assert.ok(existsSync(join(outDir, asset)), `${asset} is copied beside the bundle`);
  }
  assert.equal(JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')).type, 'module');
});

test('bundled control plane on the embedded database (a PHAROS_DATA_DIR of its own)', { timeout: 60_000 }, async () => {
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const cp = await controlPlane({ DATABASE_URL: '', PHAROS_DATA_DIR: dataDir }, 'pglite');
  assert.ok(readdirSync(dataDir).length > 0, 'the embedded database lives in PHAROS_DATA_DIR');
  await stop(cp.proc.child);
  assert.equal(cp.proc.child.exitCode, 0, 'a clean shutdown');
});

test('bundled control plane on PostgreSQL, and a bundled runner that registers and checks a monitor', { skip: postgresSkip(), timeout: 60_000 }, async () => {
  const databaseUrl = await createTestDatabase();
  // A control plane on PostgreSQL needs its secret key (docs/security.md), as in production.
  const { url, token } = await controlPlane({ DATABASE_URL: databaseUrl, PHAROS_SECRET_KEYS: testSecretKeys }, 'postgres');
  const applied = await queryDatabase(databaseUrl, 'select name from kysely_migration order by name');
  assert.deepEqual(applied.map((r: { name: string }) => r.name), Object.keys(migrations).sort(), 'migrations recorded in PostgreSQL');

  const team = await callJson(url, token, 'POST', '/v1/teams', { name: 'build' });
  const service = await callJson(url, token, 'POST', '/v1/services', { name: 'bundle', team_id: team.id });
  const runnerToken = (await callJson(url, token, 'POST', '/v1/runner-tokens', { name: 'bundle-pool', region: 'bundle' })).token as string;
  const runner = startBundle('runner', { PHAROS_API_URL: url, PHAROS_RUNNER_TOKEN: runnerToken, PHAROS_RUNNER_METRICS_PORT: '0', LOG_LEVEL: 'info' });
  const lines = () => runner.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  await waitFor(`the bundled runner to register\n${runner.output()}`, 20_000, async () => {
    if (runner.child.exitCode !== null) throw new Error(`the bundled runner exited ${runner.child.exitCode}:\n${runner.output()}`);
    return lines().some((l) => l.msg === 'registered with the control plane' && l.region === 'bundle');
  });
  assertPlainNode(runner.child, 'runner');
  const version = JSON.parse(readFileSync(join(root, 'runner/package.json'), 'utf8')).version as string;
  assert.equal(lines().find((l) => l.msg === 'pharos runner starting')?.version, version, 'the runner reads its version from the package.json copied beside the bundle');

  const monitor = await callJson(url, token, 'POST', '/v1/monitors', {
    name: 'health', service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: ['bundle'], http: { url: targetUrl },
    assertions: [{ source: 'json_body', path: '$.status', operator: 'equals', target: 'healthy' }],
  });
  const results = await waitFor(`a result from the bundled runner\n${runner.output()}`, 25_000, async () => {
    const page = await callJson(url, token, 'GET', `/v1/monitors/${monitor.id}/results`);
    return page.items.length > 0 ? page.items : undefined;
  }, 250);
  assert.equal(results[0].region, 'bundle');
  assert.equal(results[0].status, 'up');
  await stop(runner.child);
  assert.equal(runner.child.exitCode, 0, 'the runner deregisters and exits cleanly');
});
