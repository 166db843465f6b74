import { isAbsolute, relative } from 'node:path';
import { buildConsole, consoleBuildIsCurrent } from '../api/src/web/console.build.ts';
import { buildBytes, buildProduction, repositoryRoot } from './build.bundle.ts';

// `npm run build`: the deployable tree. Builds the web console (when a console source is newer than
// its bundle), then bundles each process listed in scripts/build.entries.ts into plain JavaScript
// under dist/ (`node dist/control-plane.js`, `node dist/runner.js`; see docs/operations.md, "Production").
// Usage: npm run build [-- --outdir <dir>]

const at = process.argv.indexOf('--outdir');
const outDir = at > 0 ? process.argv[at + 1] : undefined;
if (at > 0 && !outDir) {
  process.stderr.write('usage: npm run build [-- --outdir <dir>]\n');
  process.exit(2);
}
const started = Date.now();
if (!consoleBuildIsCurrent()) {
  await buildConsole();
  process.stderr.write('built the web console\n');
}
const built = await buildProduction({ outDir });
const near = relative(process.cwd(), built.outDir);
const shown = near && !near.startsWith('..') && !isAbsolute(near) ? near : built.outDir;
for (const p of built.processes) process.stderr.write(`${p.name.padEnd(14)} node ${shown}/${p.file}  (${(p.bytes / 1024).toFixed(0)} KiB, from ${p.source})\n`);
process.stderr.write(`npm packages loaded from node_modules: ${built.packages.join(', ')}\n`);
process.stderr.write(`built ${shown} (${(buildBytes(built.outDir) / 1024 / 1024).toFixed(1)} MiB with the console) in ${Date.now() - started} ms\n`);
