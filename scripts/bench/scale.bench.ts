import { createWriteStream } from 'node:fs';
import pg from 'pg';
import { planAssignments, type PlannedSlot, type PlannerRunner } from '../../api/src/modules/runner/assignment.planner.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { keepServerLog, logStatements } from './pg-log.ts';
import { startApiProcess, type ApiProc } from '../test/support/processes.ts';
import { onInterrupt, out, processCpuMs, track } from './runner.support.ts';
import { growthExponent, type ScaleContext, type ScaleFigure } from './scale.context.ts';
import { buildFleet, REGIONS } from './scale.fleet.ts';
import { scaleHttp } from './scale.http.ts';
import { fleetMeasurements } from './scale.measurements.ts';
import { fleetReads } from './scale.reads.ts';
import { incrementalPoll, pushAtFleetRate, RUNNERS_PER_REGION, startRunners } from './scale.runners.ts';

// `npm run bench:scale`: for each size in BENCH_SCALE_SIZES (default 10000,100000) a fresh PostgreSQL
// and control plane (api/src/main.ts as its own process), a fleet of that many monitors built through
// the public API (scale.fleet.ts), 20 simulated runners in 2 regions speaking the runner protocol
// (scale.runners.ts), then the figures: creation, assignment planning, full and incremental polls,
// results at the fleet's rate, /v1/status and /v1/dependency-graph pages, and every measurement of
// scale.measurements.ts. The table at the end gives each figure at each size and its growth exponent
// (1 = linear in the fleet, 0 = flat); a figure with a target that misses it makes the exit code 1.

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const PUSH_SECONDS = Number(process.env.BENCH_SCALE_PUSH_SECONDS ?? 10);

/** The pure planner alone on `slots` synthetic slots over 20 runners: the CPU of a plan without PostgreSQL. */
function plannerFigure(size: number): ScaleFigure {
  const runners: PlannerRunner[] = REGIONS.flatMap((region) => Array.from({ length: RUNNERS_PER_REGION }, (_, i) => ({ id: `run_${region}_${i}`, region, labels: {}, capabilities: ['http'] })));
  const slots: PlannedSlot[] = [];
  for (let k = 0; k < size; k++) for (const region of REGIONS) slots.push({ monitorId: `mon_${String(k).padStart(26, '0')}`, region, selector: {}, type: 'http' });
  const t = performance.now();
  const initial = planAssignments(slots, runners, new Map());
  const first = performance.now() - t;
  const t2 = performance.now();
  planAssignments(slots, runners, initial);
  const again = performance.now() - t2;
  return { name: 'planner alone (pure, no PostgreSQL)', size, value: again, unit: 'ms', note: `replan of ${slots.length} placed slots; from empty ${first.toFixed(0)} ms` };
}

async function atSize(size: number): Promise<ScaleFigure[]> {
  out(`\n## ${size.toLocaleString('en-US')} monitors`);
  const t0 = Date.now();
  const cluster = await startPostgresCluster();
  let api: ApiProc | undefined;
  const forget = onInterrupt(async () => {
    await api?.kill();
    await cluster.stop();
  });
  const databaseUrl = await createDatabase(cluster.url, 'pharos_scale');
  // BENCH_PG_LOG=<file>: statements over 500 ms are logged (no plans), the log kept per size.
  if (process.env.BENCH_PG_LOG) await logStatements(cluster.url, 'pharos_scale', 500);
  let http: ReturnType<typeof scaleHttp> | undefined;
  let runnersStop: (() => Promise<void>) | undefined;
  try {
    // BENCH_API_LOG=<file>: the control plane logs at info, its lines other than answered requests kept there per size.
    api = await startApiProcess(databaseUrl, process.env.BENCH_API_LOG ? { LOG_LEVEL: 'info' } : {});
    if (process.env.BENCH_API_LOG) keepApiLog(api, `${process.env.BENCH_API_LOG}.${size}`);
    track(api.child);
    http = scaleHttp(api.url);
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    try {
      const orgId = (await db.query('SELECT id FROM organizations LIMIT 1')).rows[0].id as string;
      const regions = [];
      for (const name of REGIONS) regions.push({ name, runnerToken: (await http.call(api.token, 'POST', '/v1/runner-tokens', { name: `scale-${name}`, region: name })).body.token as string });
      out(`PostgreSQL and control plane up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      const figures: ScaleFigure[] = [];
      const fleet = await buildFleet(http, api.token, databaseUrl, size, out);
      figures.push(...fleet.figures);

      const slots = size * REGIONS.length;
      const countAssigned = async () => Number((await db.query('SELECT count(*) AS n FROM slot_assignments')).rows[0].n);
      const cpu0 = processCpuMs(api.child.pid!);
      const pool = await startRunners(http, regions, size, slots, countAssigned, out);
      runnersStop = pool.stop;
      figures.push(...pool.figures);
      out(`control-plane CPU for placement and the full polls: ${((processCpuMs(api.child.pid!) - cpu0) / 1000).toFixed(1)} s`);
      figures.push(plannerFigure(size));

      figures.push(...(await incrementalPoll(http, api.token, pool, size)));
      for (const pass of ['first', 'again'] as const) {
        const pushed = await pushAtFleetRate(http, pool, size, PUSH_SECONDS, pass);
        figures.push(...pushed);
        out(`pushed at the fleet's rate for ${PUSH_SECONDS} s (${pass === 'first' ? 'first results' : 'the same slots again'}): ${pushed[0]!.value.toFixed(0)} stored/s (${pushed[0]!.note})`);
      }

      figures.push(...(await fleetReads(http, api.token, size)));

      const ctx: ScaleContext = { size, databaseUrl, api: { url: api.url, adminToken: api.token, pid: api.child.pid! }, orgId, regions, teams: fleet.teams, services: fleet.services, out };
      for (const measure of fleetMeasurements) figures.push(...(await measure(ctx)));
      for (const f of figures) out(`  ${f.name}: ${format(f.value)} ${f.unit}${f.note ? ` (${f.note})` : ''}`);
      out(`${size.toLocaleString('en-US')} monitors done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return figures;
    } catch (error) {
      out(`control plane's last output:\n${api.output().slice(-4000)}`);
      throw error;
    } finally {
      await runnersStop?.();
      await db.end();
    }
  } finally {
    await http?.close().catch(() => undefined);
    await api?.stop();
    if (process.env.BENCH_PG_LOG) keepServerLog(cluster.port, `${process.env.BENCH_PG_LOG}.${size}`);
    await cluster.stop();
    forget();
  }
}

function keepApiLog(api: ApiProc, file: string): void {
  const log = createWriteStream(file);
  let rest = '';
  api.child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    // Request lines only when they failed: a 503 to a runner's poll is how a lease lapses under load.
    for (const line of lines) if (!line.includes('"msg":"request"') || !/"status":[23]\d\d,/.test(line)) log.write(line + '\n');
  });
  api.child.once('exit', () => log.end(rest));
}

const format = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The summary: each figure at each size, its growth exponent between the smallest and largest size, and its target. */
function table(all: ScaleFigure[]): boolean {
  const names = [...new Set(all.map((f) => f.name))];
  const sizes = [...new Set(all.map((f) => f.size))].sort((a, b) => a - b);
  const rows = names.map((name) => {
    const of = sizes.map((s) => all.find((f) => f.name === name && f.size === s));
    const small = of.find(Boolean);
    const large = [...of].reverse().find(Boolean);
    const k = small && large && small !== large ? growthExponent(small, large) : Number.NaN;
    const max = of.find((f) => f?.max !== undefined)?.max;
    const missed = of.some((f) => f && f.max !== undefined && !(f.value <= f.max));
    const unit = small?.unit ?? '';
    return { cells: [name, ...of.map((f) => (f ? `${format(f.value)} ${unit}` : '-')), Number.isFinite(k) ? k.toFixed(2) : '-', max === undefined ? '' : `≤ ${max} ${unit} ${missed ? 'NOT MET' : 'MET'}`], missed };
  });
  const header = ['figure', ...sizes.map((s) => s.toLocaleString('en-US')), 'exponent', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(`\n## Summary (growth exponent k: value ∝ size^k between ${sizes[0]?.toLocaleString('en-US')} and ${sizes.at(-1)?.toLocaleString('en-US')}; 1 = linear, 0 = flat)`);
  out(line(header));
  for (const r of rows) out(line(r.cells));
  return rows.every((r) => !r.missed);
}

const started = Date.now();
const figures: ScaleFigure[] = [];
let failed: unknown;
for (const size of SIZES) {
  try {
    figures.push(...(await atSize(size)));
  } catch (error) {
    failed = error;
    out(`\n${size} monitors failed: ${error instanceof Error ? error.stack : String(error)}`);
    break;
  }
}
const met = table(figures);
out(`\nbench:scale took ${((Date.now() - started) / 60_000).toFixed(1)} min for ${SIZES.join(', ')} monitors`);
process.exitCode = failed || !met ? 1 : 0;
