import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProvider, cliConfigSnippet } from '../../provider-schema/scripts/build-provider.ts';
import { magicCookieValue } from '../../provider-schema/src/protocol/magic-cookie.guard.ts';
import { createServerCertificate } from '../../provider-schema/src/protocol/server-certificate.tls.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { startApiProcess, type ApiProc } from '../test/support/processes.ts';

// npm run bench:terraform — the shipped provider (bundled, from a filesystem mirror) with the real
// terraform against the control plane on a real PostgreSQL:
//   1. provider start-up to the handshake line (mTLS, as Terraform launches it), median of N,
//      with and without the embedded V8 code cache; baselines: `node -e 0`, `terraform version`;
//   2. `terraform apply` creating MONITORS monitors (plus a team and 28 services);
//   3. `terraform plan` with refresh (reads every object) — the figure users wait for;
//      baseline: the same plan with -refresh=false (Terraform and provider start-up, no API reads).

const root = join(import.meta.dirname, '..', '..');
const MONITORS = Number(process.env.BENCH_MONITORS ?? 300);
const STARTS = Number(process.env.BENCH_STARTS ?? 15);
const PARALLELISM = Number(process.env.BENCH_PARALLELISM ?? 10);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(1)} s`;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}

/** Time from spawn to the go-plugin handshake line on stdout. */
async function handshake(bundle: string, clientCert: string): Promise<number> {
  const started = performance.now();
  const child = spawn(bundle, [], {
    env: { PATH: process.env['PATH'], TF_PLUGIN_MAGIC_COOKIE: magicCookieValue, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: clientCert },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const elapsed = performance.now() - started;
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  return elapsed;
}

function configuration(services: number, monitors: number): string {
  const parts = [
    'terraform {\n  required_providers {\n    pharos = { source = "pharos/pharos", version = "0.1.0" }\n  }\n}\nprovider "pharos" {}\n',
    'resource "pharos_team" "bench" {\n  name = "bench"\n}\n',
    `resource "pharos_service" "svc" {\n  count   = ${services}\n  name    = "service-\${count.index}"\n  team_id = pharos_team.bench.id\n}\n`,
    `resource "pharos_monitor" "m" {
  count            = ${monitors}
  name             = "monitor-\${count.index}"
  service_id       = pharos_service.svc[count.index % ${services}].id
  type             = "http"
  interval_seconds = 30
  regions          = ["us-east-1", "us-west-2"]
  http { url = "http://127.0.0.1:9/health/\${count.index}" }
  assertion {
    source   = "status_code"
    operator = "equals"
    target   = "200"
  }
  assertion {
    source   = "response_time"
    operator = "less_than"
    target   = "500"
    severity = "degraded"
  }
  tags = { env = "prod" }
}
`,
  ];
  return parts.join('\n');
}

const cluster = await startPostgresCluster();
const api: ApiProc = await startApiProcess(await createDatabase(cluster.url, 'pharos_tf_bench'));
const { url: origin, token } = api;
const dir = mkdtempSync(join(tmpdir(), 'pharos-tf-bench-'));
try {
  const built = await buildProvider({ outDir: join(dir, 'dist') });
  const plain = await buildProvider({ outDir: join(dir, 'dist-plain'), codeCache: false });
  process.stdout.write(`provider: ${(built.bytes / 1024).toFixed(0)} KiB${built.codeCache ? ' with V8 code cache' : ' (code cache NOT produced)'}; plain bundle ${(plain.bytes / 1024).toFixed(0)} KiB\n`);
  // 1. Start-up.
  const clientCert = (await createServerCertificate()).certPem;
  const starts: number[] = [];
  const plainStarts: number[] = [];
  const nodeStarts: number[] = [];
  const tfStarts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    starts.push(await handshake(built.bundle, clientCert));
    plainStarts.push(await handshake(plain.bundle, clientCert));
    nodeStarts.push((await run(process.execPath, ['-e', '0'])).ms);
    tfStarts.push((await run('terraform', ['version'], { env: { PATH: process.env['PATH'], CHECKPOINT_DISABLE: '1' } })).ms);
  }

  // 2–3. apply and plan.
  const work = join(dir, 'work');
  mkdirSync(work);
  writeFileSync(join(dir, 'terraform.rc'), cliConfigSnippet(built.mirrorDir));
  writeFileSync(join(work, 'main.tf'), configuration(28, MONITORS));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc'),
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    PHAROS_API_URL: origin,
    PHAROS_TOKEN: token,
  };
  const tf = async (args: string[], expect = 0) => {
    const r = await run('terraform', args, { cwd: work, env });
    if (r.code !== expect) throw new Error(`terraform ${args.join(' ')} → ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    return r;
  };
  await tf(['init', '-input=false', '-no-color']);
  const apply = await tf(['apply', '-input=false', '-no-color', '-auto-approve', `-parallelism=${PARALLELISM}`]);
  const plans: number[] = [];
  const plansNoRefresh: number[] = [];
  for (let i = 0; i < 3; i++) {
    plans.push((await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', `-parallelism=${PARALLELISM}`])).ms);
    plansNoRefresh.push((await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-refresh=false'])).ms);
  }

  const objects = MONITORS + 29;
  const rows: [string, string, string][] = [
    ['provider start-up to handshake (mTLS), median', ms(median(starts)), `runs ${STARTS}, min ${ms(Math.min(...starts))}, max ${ms(Math.max(...starts))}`],
    ['  same bundle without the code cache, median', ms(median(plainStarts)), `min ${ms(Math.min(...plainStarts))}`],
    ['  baseline: node -e 0, median', ms(median(nodeStarts)), ''],
    ['  baseline: terraform version, median', ms(median(tfStarts)), ''],
    [`terraform apply: create ${objects} objects (${MONITORS} monitors)`, s(apply.ms), `-parallelism=${PARALLELISM}, ${(apply.ms / objects).toFixed(1)} ms per object`],
    [`terraform plan (refresh ${objects} objects), median of 3`, s(median(plans)), `-parallelism=${PARALLELISM}, no changes`],
    ['  baseline: terraform plan -refresh=false, median of 3', s(median(plansNoRefresh)), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\n${'what'.padEnd(width)}  ${'time'.padStart(8)}  notes\n`);
  for (const [what, time, note] of rows) process.stdout.write(`${what.padEnd(width)}  ${time.padStart(8)}  ${note}\n`);
  process.stdout.write(
    `\nratios: start-up / node -e 0 = ${(median(starts) / median(nodeStarts)).toFixed(1)}×; ` +
      `plan with refresh / plan -refresh=false = ${(median(plans) / median(plansNoRefresh)).toFixed(2)}×\n` +
      `target: start-up ≤ 300 ms → ${median(starts) <= 300 ? 'MET' : 'NOT MET'} (machine load matters: run when quiet)\n`,
  );
} finally {
  await api.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
