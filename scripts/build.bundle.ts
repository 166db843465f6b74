import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';
import { bundleFile, processEntries, type ProcessEntry } from './build.entries.ts';

// The production build: each process's composition root bundled by esbuild into one plain ES module
// (no tsx at run time), with a linked source map. npm packages stay external and are loaded from
// node_modules beside the output (`npm ci --omit=dev`): PGlite reads its wasm and data files and
// swagger-ui-dist serves its assets from their own package directories, which a bundle would not carry.

export const repositoryRoot = join(import.meta.dirname, '..');

/** Written into the output directory; names what was built. */
export const manifestName = 'build.json';

export interface BuildManifest {
  builtAt: string;
  node: string;
  processes: Array<{ name: string; source: string; file: string; bytes: number }>;
  /** npm packages the bundles import (installed by `npm ci --omit=dev`). */
  packages: string[];
}

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

function productionDependencies(root: string): Set<string> {
  const names = new Set<string>();
  for (const manifest of ['package.json', 'api/package.json', 'runner/package.json']) {
    const pkg = JSON.parse(readFileSync(join(root, manifest), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) names.add(name);
  }
  return names;
}

/**
 * Source-relative lookups in our own modules point at the bundle's directory once bundled; this
 * rewrites them to the same relative path under the output directory (where the build copies the
 * entry's assets): `import.meta.dirname` in api/src/web/x.ts becomes `<out>/api/src/web`, and
 * `new URL('../package.json', import.meta.url)` in runner/src/main.ts becomes `<out>/runner/package.json`.
 * A bare `import.meta.url` (the runner's "am I the entry?" check) keeps naming the bundle itself.
 */
export function sourceLookupPlugin(root: string): Plugin {
  return {
    name: 'pharos-source-lookups',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return undefined;
        const dir = relative(root, dirname(args.path)).split(sep).join('/');
        const contents = text
          .replaceAll('import.meta.dirname', `(import.meta.dirname + ${JSON.stringify(`/${dir}`)})`)
          .replace(/new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g, (_m, _q, path: string) => `new URL(${JSON.stringify(`./${posix.join(dir, path)}`)}, import.meta.url)`);
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** The npm packages an output imports (statically or with import()). */
function packagesOf(metafile: Metafile, output: string): string[] {
  const imports = metafile.outputs[output]?.imports ?? [];
  return [...new Set(imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path)))].sort();
}

/** A bundle importing a package that `npm ci --omit=dev` leaves out would start in development and fail in production. */
function checkPackages(entry: ProcessEntry, found: string[], production: Set<string>): void {
  const missing = found.filter((name) => !production.has(name));
  if (missing.length) {
    throw new Error(`${entry.source} imports ${missing.join(', ')}, which \`npm ci --omit=dev\` does not install: make it a dependency in package.json, api/package.json or runner/package.json.`);
  }
}

function directoryBytes(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + directoryBytes(join(path, name)), 0);
}

export interface BuildOptions {
  /** Output directory (default <root>/dist); replaced whole. */
  outDir?: string;
  entries?: readonly ProcessEntry[];
  root?: string;
  /** Bundle npm packages too (the benchmark's comparison; PGlite and swagger-ui-dist do not survive it, the runner does). */
  inlinePackages?: boolean;
}

/** Bundles every process into `outDir` (built beside it and swapped in whole) and returns what it wrote. */
export async function buildProduction(options: BuildOptions = {}): Promise<BuildManifest & { outDir: string }> {
  const root = options.root ?? repositoryRoot;
  const outDir = resolve(options.outDir ?? join(root, 'dist'));
  const entries = options.entries ?? processEntries;
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, manifestName))) {
    throw new Error(`${outDir} exists and is not a Pharos build (no ${manifestName}); not replacing it.`);
  }
  const esbuild = await import('esbuild');
  const staging = `${outDir}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(entries.map((e) => [e.name, join(root, e.source)])),
      outdir: staging,
      entryNames: '[name]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: options.inlinePackages ? 'bundle' : 'external',
      // Bundled CommonJS packages (pino) call require() for node's own modules.
      banner: options.inlinePackages ? { js: "import { createRequire as __pharosCreateRequire } from 'node:module'; const require = __pharosCreateRequire(import.meta.url);" } : undefined,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
      plugins: [sourceLookupPlugin(root)],
    });
    const production = productionDependencies(root);
    const packages = new Set<string>();
    const processes = entries.map((entry) => {
      const file = bundleFile(entry);
      const output = relative(process.cwd(), join(staging, file)).split(sep).join('/');
      const found = packagesOf(result.metafile, output);
      checkPackages(entry, found, production);
      for (const name of found) packages.add(name);
      for (const asset of entry.assets) {
        const from = join(root, asset);
        if (!existsSync(from)) throw new Error(`${entry.source} reads ${asset} at run time, and it does not exist (for the console: npm run build:console).`);
        cpSync(from, join(staging, asset), { recursive: true });
      }
      return { name: entry.name, source: entry.source, file, bytes: statSync(join(staging, file)).size };
    });
    // The bundles are ES modules: say so beside them, so the directory runs wherever it is copied.
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
    const manifest: BuildManifest = { builtAt: new Date().toISOString(), node: process.versions.node, processes, packages: [...packages].sort() };
    writeFileSync(join(staging, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    return { ...manifest, outDir };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Bytes of the output directory, the console's bundle included. */
export const buildBytes = (outDir: string): number => directoryBytes(outDir);
