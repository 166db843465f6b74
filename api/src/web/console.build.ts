import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { join, relative, resolve } from 'node:path';

/** Where the console's sources are and where their bundle goes (served by the console router). */
export const consoleSourceDir = join(import.meta.dirname, 'console');
export const consoleDistDir = join(import.meta.dirname, 'dist');
const stampFile = join(consoleDistDir, 'build.json');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}

/** True when the bundle exists and is newer than every console source file. */
export function consoleBuildIsCurrent(): boolean {
  if (!existsSync(stampFile)) return false;
  return statSync(stampFile).mtimeMs >= newestSource(consoleSourceDir);
}

export interface ConsoleBuild {
  files: Array<{ name: string; bytes: number }>;
}

/**
 * Bundles the console with esbuild: ES modules with code splitting (the map's graph library and the
 * charts load only on the views that use them), minified, with source maps, into consoleDistDir.
 */
export async function buildConsole(): Promise<ConsoleBuild> {
  // esbuild is a build-time tool: imported here, not at the top, so the control plane never loads it.
  const esbuild = await import('esbuild');
  // Built beside the served directory and swapped in whole: a page (or a browser test) loading the
  // console meanwhile never sees a half-written bundle, and concurrent builds do not collide.
  const out = `${consoleDistDir}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(out, { recursive: true });
  try {
    const result = await esbuild.build({
      entryPoints: { console: join(consoleSourceDir, 'main.tsx') },
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
      minify: true,
      sourcemap: 'linked',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'css' },
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      metafile: true,
      legalComments: 'linked',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    // esbuild writes the stylesheets that lazily loaded views import (uPlot's, by the chart views)
    // beside their chunk but never loads them, and the page links one stylesheet: they are appended to
    // console.css, so a chart is styled however the view was reached.
    const consoleCss = join(out, 'console.css');
    // Two views importing the same stylesheet get a copy each: it is appended once.
    const appended = new Set<string>();
    for (const name of Object.keys(result.metafile.outputs).filter((n) => n.endsWith('.css') && resolve(n) !== consoleCss).sort()) {
      const css = readFileSync(name, 'utf8').replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, '').trim();
      if (appended.has(css)) continue;
      appended.add(css);
      appendFileSync(consoleCss, `\n/* ${relative(out, name)} */\n${css}\n`);
    }
    precompress(out);
    const files = Object.entries(result.metafile.outputs)
      .filter(([name]) => !name.endsWith('.map'))
      .map(([name, output]) => ({ name: relative(out, name), bytes: output.bytes }));
    writeFileSync(join(out, 'build.json'), JSON.stringify({ built_at: new Date().toISOString(), files }, null, 2));
    swapIn(out);
    return { files };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Replaces the served bundle with the new one. The previous build's chunks are kept beside the new
 * ones for a generation, so a page opened before the rebuild still loads its lazy views.
 */
function swapIn(out: string): void {
  const previousChunks = join(consoleDistDir, 'chunks');
  if (existsSync(previousChunks)) {
    for (const name of readdirSync(previousChunks)) {
      const target = join(out, 'chunks', name);
      if (!existsSync(target)) cpSync(join(previousChunks, name), target);
    }
  }
  const old = `${consoleDistDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(consoleDistDir, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(out, consoleDistDir);
  } catch (error) {
    // A concurrent build swapped its bundle in first: built from the same sources, it is kept.
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every script and stylesheet, so the console
 * router sends them compressed without spending CPU per request (the map's chunk is a third of its size in brotli).
 */
function precompress(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      precompress(path);
      continue;
    }
    if (!/\.(js|css)$/.test(name)) continue;
    const content = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
}
