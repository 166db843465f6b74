import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProvider, cliConfigSnippet } from '../../provider-schema/scripts/build-provider.ts';
import type { ScaleFigure, ScaleMeasurement } from './scale.context.ts';

// Terraform apply of MONITORS monitors in one run against the scale control plane: the shipped
// provider (bundled, from a filesystem mirror, as bench:terraform builds it) with the real terraform,
// a configuration of its own team, SERVICES services and MONITORS monitors beside the fleet. Figures:
// the apply (create), then a plan with refresh that finds no change (it reads every object back).

const MONITORS = Number(process.env.BENCH_SCALE_TF_MONITORS ?? 1_000);
const SERVICES = 50;
const PARALLELISM = 10;
/** Bound on one terraform command. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ms: performance.now() - started, stdout });
      else reject(new Error(`terraform ${args.join(' ')} → ${code}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
    });
  });
}

function configuration(tag: string): string {
  return `terraform {
  required_providers {
    pharos = { source = "pharos/pharos", version = "0.1.0" }
  }
}
provider "pharos" {}
resource "pharos_team" "tf" {
  name = "tf-${tag}"
}
resource "pharos_service" "svc" {
  count   = ${SERVICES}
  name    = "tf-${tag}-service-\${count.index}"
  team_id = pharos_team.tf.id
}
resource "pharos_monitor" "m" {
  count            = ${MONITORS}
  name             = "tf-${tag}-monitor-\${count.index}"
  service_id       = pharos_service.svc[count.index % ${SERVICES}].id
  type             = "http"
  interval_seconds = 60
  regions          = ["eu-west-1", "us-east-1"]
  http { url = "http://10.30.0.1:8080/tf/\${count.index}/health" }
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
  tags = { env = "prod", via = "terraform" }
}
`;
}

export const terraformApply: ScaleMeasurement = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'pharos-scale-tf-'));
  try {
    const built = await buildProvider({ outDir: join(dir, 'dist') });
    const work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(dir, 'terraform.rc'), cliConfigSnippet(built.mirrorDir));
    writeFileSync(join(work, 'main.tf'), configuration(String(ctx.size)));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'], HOME: dir, TF_CLI_CONFIG_FILE: join(dir, 'terraform.rc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1',
      PHAROS_API_URL: ctx.api.url, PHAROS_TOKEN: ctx.api.adminToken,
    };
    await terraform(['init', '-input=false', '-no-color'], work, env);
    const apply = await terraform(['apply', '-input=false', '-no-color', '-auto-approve', `-parallelism=${PARALLELISM}`], work, env);
    const plan = await terraform(['plan', '-input=false', '-no-color', '-detailed-exitcode', `-parallelism=${PARALLELISM}`], work, env);
    const objects = MONITORS + SERVICES + 1;
    ctx.out(`terraform: apply of ${objects} objects (${MONITORS} monitors) in one run ${(apply.ms / 1000).toFixed(1)} s (${(apply.ms / objects).toFixed(1)} ms per object, -parallelism=${PARALLELISM}); no-change plan with refresh ${(plan.ms / 1000).toFixed(1)} s`);
    const figures: ScaleFigure[] = [
      { name: `terraform apply: ${MONITORS} monitors in one run`, size: ctx.size, value: apply.ms / 1000, unit: 's', note: `${objects} objects, ${(apply.ms / objects).toFixed(1)} ms each, -parallelism=${PARALLELISM}` },
      { name: 'terraform plan, no change (refresh)', size: ctx.size, value: plan.ms / 1000, unit: 's', note: `reads ${objects} objects back` },
    ];
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
