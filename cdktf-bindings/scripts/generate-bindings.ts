/**
 * Generates the TypeScript CDKTF bindings for the Pharos provider from provider-schema/schema.
 * Usage: npm run generate:bindings [-- --toolchain cdktf|cdktn --out <dir>]
 *   default toolchain: defaultToolchain (cdktf), or PHAROS_CDK_TOOLCHAIN; default out: cdktf-bindings/src/generated
 * The input is the document `terraform providers schema -json` prints for the shipped provider,
 * built by the provider's own loader, so the bindings cannot disagree with what Terraform sees.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pharosSchemaFiles } from '../../provider-schema/src/resources/pharos.schemas.ts';
import { mergeSchemaFiles, toSchemaDocument } from '../../provider-schema/src/schema/schema.loader.ts';
import type { SchemaDocument } from '../../provider-schema/src/schema/schema-document.model.ts';
import { applySingleBlockFixes, singleBlockFixes, type SingleBlockFix } from './single-block.fix.ts';
import { defaultToolchain, toolchains, type ToolchainName } from './toolchain.model.ts';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(packageDir, '..');

/** Where `npm run generate:bindings` writes, and what the drift test compares against. */
export const defaultBindingsDir = join(packageDir, 'src', 'generated');

export interface GenerateOptions {
  /** Directory the `providers/pharos/…` tree is written into; emptied first. */
  readonly outDir?: string;
  readonly toolchain?: ToolchainName;
  /** Schema document to generate from; default: the shipped provider's (pharosSchemaDocument()). */
  readonly schema?: SchemaDocument;
}

/** The provider's merged schema exactly as `terraform providers schema -json` prints it. */
export function pharosSchemaDocument(): SchemaDocument {
  return toSchemaDocument(mergeSchemaFiles(pharosSchemaFiles()));
}

/** Provider version constraint for `required_providers`: compatible releases of the current minor. */
export function providerConstraint(): string {
  const pkg = JSON.parse(readFileSync(join(repoDir, 'provider-schema', 'package.json'), 'utf8')) as { version: string };
  const [major, minor] = pkg.version.split('.');
  return `pharos/pharos@~> ${major}.${minor}`;
}

/** Runs the CDKTF (or CDK Terrain) provider generator into `outDir`; returns the directory. */
export async function generateBindings(opts: GenerateOptions = {}): Promise<string> {
  const toolchain = toolchains[opts.toolchain ?? defaultToolchain];
  const outDir = resolve(opts.outDir ?? defaultBindingsDir);
  // @cdktf/commons runs `terraform version -json` on load and may try to send telemetry.
  process.env.CHECKPOINT_DISABLE = '1';
  // That call only prints a warning when TF_CLI_CONFIG_FILE names a missing file; give it none.
  if (process.env.TF_CLI_CONFIG_FILE && !existsSync(process.env.TF_CLI_CONFIG_FILE)) process.env.TF_CLI_CONFIG_FILE = '/dev/null';
  const require = createRequire(join(packageDir, 'package.json'));
  try {
    require.resolve(toolchain.generatorModule);
  } catch {
    throw new Error(`${toolchain.generatorModule} is not installed; for ${toolchain.library}: npm install -w cdktf-bindings ${toolchain.library} ${toolchain.commonsModule.replace('/commons', '/provider-generator')}`);
  }
  const { TerraformProviderGenerator } = require(toolchain.generatorModule) as typeof import('@cdktf/provider-generator/lib/get/generator/provider-generator');
  const { ConstructsMakerProviderTarget, TerraformProviderConstraint, Language } = require(toolchain.commonsModule) as typeof import('@cdktf/commons');
  const { CodeMaker } = require('codemaker') as typeof import('codemaker');

  const schema = opts.schema ?? pharosSchemaDocument();
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema as never);
  generator.generate(new ConstructsMakerProviderTarget(new TerraformProviderConstraint(providerConstraint()), Language.TYPESCRIPT));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await code.save(outDir);
  fixSingleBlocks(outDir, singleBlockFixes(schema, (type) => generator.getClassNameForResource(type)));
  return outDir;
}

function fixSingleBlocks(outDir: string, fixes: readonly SingleBlockFix[]): void {
  if (fixes.length === 0) return;
  const pending = new Set(fixes);
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const path = join(outDir, file);
    const { source, applied } = applySingleBlockFixes(readFileSync(path, 'utf8'), fixes);
    if (applied.length === 0) continue;
    writeFileSync(path, source);
    for (const fix of applied) pending.delete(fix);
  }
  // Not an error: a fixed generator (or cdktn) already declares these optional.
  for (const fix of pending) process.stderr.write(`note: ${fix.where} was already optional in the generated code\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, toolchain: { type: 'string' } } });
  const name = values.toolchain ?? process.env.PHAROS_CDK_TOOLCHAIN ?? defaultToolchain;
  if (!(name in toolchains)) {
    process.stderr.write(`Unknown toolchain "${name}"; use one of: ${Object.keys(toolchains).join(', ')}\n`);
    process.exit(2);
  }
  try {
    const dir = await generateBindings({ outDir: values.out, toolchain: name as ToolchainName });
    process.stdout.write(`bindings written to ${dir} (toolchain ${name}, constraint ${providerConstraint()})\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
