/**
 * Compiles the bindings, constructs and examples with tsconfig.app.json (CommonJS, the cdktf
 * template's settings) into an output directory that Node loads as CommonJS.
 * Usage: npm run -w cdktf-bindings build [-- --out <dir>]   (default: cdktf-bindings/dist)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs tsc on tsconfig.app.json into `outDir`; throws with the compiler's output on errors. */
export function buildApp(outDir = join(packageDir, 'dist')): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.app.json'), '--outDir', outDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}${result.stderr}`);
  // This package is "type": "module"; the compiled CommonJS must not inherit that.
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  process.stdout.write(`compiled into ${buildApp(values.out ? resolve(values.out) : undefined)}\n`);
}
