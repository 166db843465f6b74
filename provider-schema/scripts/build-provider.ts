/**
 * Bundles the provider into one executable file and lays out a Terraform filesystem mirror.
 * Usage: npm run -w provider-schema build:provider [-- --entry <file> --out <dir>]
 *   default entry: src/main.ts; default out: provider-schema/dist
 * Produces <out>/terraform-provider-pharos (bundle) and
 * <out>/mirror/registry.terraform.io/pharos/pharos/<version>/<os>_<arch>/terraform-provider-pharos_v<version>.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { magicCookieValue } from '../src/protocol/magic-cookie.guard.ts';
import { createServerCertificate } from '../src/protocol/server-certificate.tls.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildOptions {
  readonly entry?: string;
  readonly outDir?: string;
  /** Embed a V8 code cache (default true): start-up skips compiling the bundle. */
  readonly codeCache?: boolean;
}

export interface BuildResult {
  readonly bundle: string;
  readonly mirrorDir: string;
  readonly binary: string;
  readonly version: string;
  readonly bytes: number;
  /** Whether the embedded code cache was produced (false: plain bundle). */
  readonly codeCache: boolean;
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
  const result = await build({
    entryPoints: [resolve(opts.entry ?? join(packageDir, 'src', 'main.ts'))],
    bundle: true,
    platform: 'node',
    target: 'node20',
    // CommonJS: grpc-js and friends require() Node built-ins, which an ESM bundle cannot do;
    // an extension-less file outside any package is loaded as CommonJS by Node anyway.
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  const source = result.outputFiles[0]!.text;
  let codeCache = false;
  if (opts.codeCache ?? true) {
    writeFileSync(bundle, loaderText(source, ''));
    chmodSync(bundle, 0o755);
    const cache = await produceCodeCache(bundle, outDir);
    codeCache = cache !== undefined;
    writeFileSync(bundle, loaderText(source, cache ?? ''));
  } else writeFileSync(bundle, `#!/usr/bin/env node\n${source}`);
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
  return { bundle, mirrorDir, binary, version, bytes: statSync(bundle).size, codeCache };
}

/**
 * The executable: the bundle as a string, compiled through vm.Script with an embedded V8 code
 * cache. Terraform starts the provider 3–4 times per command and compiling the 1.2 MB bundle was
 * the largest single start-up cost; with the cache V8 deserializes the already compiled functions
 * instead. A cache from another Node/V8 version is rejected by V8 and the bundle is compiled as
 * usual, so the file stays correct anywhere, only slower.
 */
export function loaderText(source: string, cacheBase64: string): string {
  return `#!/usr/bin/env node
"use strict";
const SOURCE = ${JSON.stringify(`(function (exports, require, module, __filename, __dirname) {${source}\n})`)};
const CACHE = ${JSON.stringify(cacheBase64)};
(() => {
  const vm = require("node:vm");
  const script = new vm.Script(SOURCE, { filename: __filename, cachedData: CACHE ? Buffer.from(CACHE, "base64") : undefined });
  const produceTo = process.env.PHAROS_PRODUCE_CODE_CACHE;
  if (produceTo) {
    // Build step: run until the handshake line, so the functions start-up needs are compiled, then save the cache.
    process.stdout.write = () => {
      require("node:fs").writeFileSync(produceTo, script.createCachedData());
      process.exit(0);
    };
  }
  script.runInThisContext()(exports, require, module, __filename, __dirname);
})();
`;
}

/** Runs the loader once up to its handshake (with mTLS, as Terraform starts it) and returns the V8 code cache it produced (base64). */
async function produceCodeCache(loader: string, outDir: string): Promise<string | undefined> {
  const cacheFile = join(outDir, '.code-cache');
  const clientCert = (await createServerCertificate()).certPem;
  const run = spawnSync(process.execPath, [loader], {
    env: { PATH: process.env['PATH'], TF_PLUGIN_MAGIC_COOKIE: magicCookieValue, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: clientCert, PHAROS_PRODUCE_CODE_CACHE: cacheFile },
    stdio: 'ignore',
    timeout: 60_000,
  });
  try {
    if (run.status !== 0) return undefined;
    return readFileSync(cacheFile).toString('base64');
  } catch {
    return undefined;
  } finally {
    rmSync(cacheFile, { force: true });
  }
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
  const result = await buildProvider({ entry: arg('--entry'), outDir: arg('--out'), codeCache: !process.argv.includes('--no-code-cache') });
  console.log(`bundled ${result.bundle} (${(result.bytes / 1024).toFixed(0)} KiB${result.codeCache ? ', with V8 code cache' : ''})`);
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
