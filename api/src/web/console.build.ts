import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  rmSync(consoleDistDir, { recursive: true, force: true });
  mkdirSync(consoleDistDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { console: join(consoleSourceDir, 'main.tsx') },
    outdir: consoleDistDir,
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
  const consoleCss = join(consoleDistDir, 'console.css');
  // Two views importing the same stylesheet get a copy each: it is appended once.
  const appended = new Set<string>();
  for (const name of Object.keys(result.metafile.outputs).filter((n) => n.endsWith('.css') && resolve(n) !== consoleCss).sort()) {
    const css = readFileSync(name, 'utf8').replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, '').trim();
    if (appended.has(css)) continue;
    appended.add(css);
    appendFileSync(consoleCss, `\n/* ${relative(consoleDistDir, name)} */\n${css}\n`);
  }
  const files = Object.entries(result.metafile.outputs)
    .filter(([name]) => !name.endsWith('.map'))
    .map(([name, out]) => ({ name: relative(consoleDistDir, name), bytes: out.bytes }));
  writeFileSync(stampFile, JSON.stringify({ built_at: new Date().toISOString(), files }, null, 2));
  return { files };
}
