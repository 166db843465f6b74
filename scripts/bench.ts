// `npm run bench <name>`: runs one benchmark and prints its figures with the baseline of the same run.
const benches: Record<string, () => Promise<unknown>> = {
  api: () => import('./bench/api.bench.ts'),
  terraform: () => import('./bench/terraform.bench.ts'),
  runner: () => import('./bench/runner.bench.ts'),
  alerts: () => import('./bench/alerts.bench.ts'),
  alerting: () => import('./bench/alerting.bench.ts'),
  incidents: () => import('./bench/incidents.bench.ts'),
  scale: () => import('./bench/scale.bench.ts'),
  build: () => import('./bench/build.bench.ts'),
  loadtest: () => import('./bench/loadtest.bench.ts'),
  secrets: () => import('./bench/secrets.bench.ts'),
  'rollup-hours': () => import('./bench/rollup-hours.bench.ts'),
};

const name = process.argv[2];
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench <${Object.keys(benches).join('|')}>\n`);
  process.exit(2);
}
await load();
