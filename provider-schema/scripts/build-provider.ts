/**
 * Bundles the provider into one executable file and lays out a Terraform filesystem mirror.
 * Usage: npm run -w provider-schema build:provider [-- --entry <file> --out <dir>]
 *   default entry: src/main.ts; default out: provider-schema/dist
 * Produces <out>/terraform-provider-pharos (bundle) and
 * <out>/mirror/registry.terraform.io/pharos/pharos/<version>/<os>_<arch>/terraform-provider-pharos_v<version>.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildOptions {
  readonly entry?: string;
  readonly outDir?: string;
}

export interface BuildResult {
  readonly bundle: string;
  readonly mirrorDir: string;
  readonly binary: string;
  readonly version: string;
  readonly bytes: number;
}

/** Terraform's platform name for this machine, e.g. linux_amd64. */
export function terraformPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `${process.platform}_${arch}`;
}

/** Bundles `entry` into one CommonJS file with a node shebang and installs it into a filesystem mirror. */
export async function buildProvider(opts: BuildOptions = {}): Promise<BuildResult> {
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const outDir = resolve(opts.outDir ?? join(packageDir, 'dist'));
  const bundle = join(outDir, 'terraform-provider-pharos');
  await build({
    entryPoints: [resolve(opts.entry ?? join(packageDir, 'src', 'main.ts'))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // CommonJS: grpc-js and friends require() Node built-ins, which an ESM bundle cannot do;
    // an extension-less file outside any package is loaded as CommonJS by Node anyway.
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(bundle, 0o755);
  // Node decides CommonJS vs ESM for an extension-less file from the nearest package.json;
  // inside this repo that says "module", so the output directory declares itself CommonJS.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const mirrorDir = join(outDir, 'mirror');
  const platformDir = join(mirrorDir, 'registry.terraform.io', 'pharos', 'pharos', version, terraformPlatform());
  mkdirSync(platformDir, { recursive: true });
  const binary = join(platformDir, `terraform-provider-pharos_v${version}`);
  copyFileSync(bundle, binary);
  chmodSync(binary, 0o755);
  return { bundle, mirrorDir, binary, version, bytes: statSync(bundle).size };
}

/** The CLI configuration that makes `terraform init` install from the mirror, offline. */
export function cliConfigSnippet(mirrorDir: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = "${mirrorDir}"
    include = ["registry.terraform.io/pharos/pharos"]
  }
  direct {
    exclude = ["registry.terraform.io/pharos/pharos"]
  }
}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const result = await buildProvider({ entry: arg('--entry'), outDir: arg('--out') });
  console.log(`bundled ${result.bundle} (${(result.bytes / 1024).toFixed(0)} KiB)`);
  console.log(`mirror  ${result.binary}`);
  console.log(`\nPut this in a file and point TF_CLI_CONFIG_FILE at it (or in ~/.terraformrc):\n`);
  console.log(cliConfigSnippet(result.mirrorDir));
  console.log(`Then, in your configuration:\n
terraform {
  required_providers {
    pharos = { source = "pharos/pharos", version = "${result.version}" }
  }
}`);
}
