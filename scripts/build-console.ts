import { consoleBuildIsCurrent, buildConsole } from '../api/src/web/console.build.ts';

// `npm run build:console`: bundles the web console (api/src/web/console) into api/src/web/dist with
// esbuild. `npm install` runs it (postinstall) and `npm start` runs it when a source is newer than
// the bundle, so the README's two commands serve a working console on a fresh clone.
// Usage: npm run build:console [-- --if-stale]
const ifStale = process.argv.includes('--if-stale');
if (ifStale && consoleBuildIsCurrent()) process.exit(0);
const started = Date.now();
const built = await buildConsole();
process.stderr.write(`console built in ${Date.now() - started} ms: ${built.files.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(0)} KiB`).join(', ')}\n`);
