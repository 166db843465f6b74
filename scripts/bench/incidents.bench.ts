import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { failureReach, incidentFor, nodesOf, type CorrelatedAlert } from '../../api/src/modules/dependencies/correlation.ts';
import { nodeName } from '../../api/src/modules/dependencies/failure-index.ts';
import type { FailureGraph, NodeKey } from '../../api/src/modules/dependencies/failure-graph.ts';
import { analyzeRootCause, describeRootCause, type RootCauseAnalysis } from '../../api/src/modules/dependencies/root-cause.ts';
import { defaultIncidentSettings } from '../../api/src/modules/incidents/incident-settings.ts';
import { startPostgresCluster } from '../postgres-cluster.ts';
import { syntheticFleet, type SyntheticFleet } from './incident-graph.fixture.ts';
import { measurePipeline, type PipelineFigures } from './incidents.pipeline.ts';
import { onInterrupt } from './runner.support.ts';

// npm run bench:incidents — what correlation and root-cause analysis cost on a large fleet
// (docs/operations.md, "Benchmarks"). A synthetic graph (scripts/bench/incident-graph.fixture.ts) of
// 1,000 services with a burst of 200 alerts from a handful of root failures, then the same doubled
// (2,000 services, 400 alerts) as the growth check. The alerts are taken in arrival order as the
// incident correlator takes them: incidentFor picks the incident each joins, and every new alert
// re-analyses its incident (analyzeRootCause + describeRootCause for the timeline). The figure is
// the time from the last alert to a stable incident set with a root cause for every incident when
// the whole burst arrives at once (the worst case: nothing was correlated before the last alert),
// on a new FailureGraph object (its adjacency and failing components derived inside the timing).
// Also printed: the burst's CPU time (the machine is shared), the last alert alone (the burst spread
// over its minute), the cost of deriving a new graph object. Then whether the incidents are right:
// one per root failure, named as its root cause, every alert's failure reaching it.
// Pure CPU, no I/O; RUNS measured runs after one warm-up, every loop bounded.
// Then the same fleets through the product's pipeline (scripts/bench/incidents.pipeline.ts): a throwaway
// PostgreSQL, the fleet as an organization's rows, the burst appended as alert.state_changed events
// in 20 transactions, the notification router's correlator turning them into incidents; the time
// from the last append's commit to a stable, complete incident set, beside the pure figure.

const RUNS = Math.min(50, Math.max(1, Number(process.env.BENCH_INCIDENT_RUNS ?? 7)));
const SEED = Number(process.env.BENCH_INCIDENT_SEED ?? 42);
const WINDOW_MS = defaultIncidentSettings.correlation_window_seconds * 1000;
const TARGET_MS = 1_000;
const SIZES = [1_000, 2_000];
const PIPELINE_RUNS = Math.min(10, Math.max(1, Number(process.env.BENCH_INCIDENT_PIPELINE_RUNS ?? 3)));

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const max = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 0);
/** A new graph object with the same data: nothing derived from an earlier one is reused. */
const fresh = (g: FailureGraph): FailureGraph => ({ services: g.services, edges: g.edges, health: g.health });

interface Incident { id: string; openedAt: number; alerts: CorrelatedAlert[]; rootCause: NodeKey | null; analysis?: RootCauseAnalysis; line?: string }
interface Run { totalMs: number; cpuMs: number; lastMs: number; incidents: Incident[] }

/** The correlator's work for a burst, alert by alert. */
function correlate(fleet: SyntheticFleet): Run {
  const incidents: Incident[] = [];
  const byId = new Map<string, Incident>();
  const graph = fresh(fleet.graph);
  let lastMs = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const alert of fleet.alerts) {
    const at = performance.now();
    const joined = incidentFor(graph, alert, incidents, WINDOW_MS);
    let incident = joined === undefined ? undefined : byId.get(joined);
    if (!incident) {
      incident = { id: `inc-${String(incidents.length + 1).padStart(5, '0')}`, openedAt: alert.firingSince, alerts: [], rootCause: null };
      incidents.push(incident);
      byId.set(incident.id, incident);
    }
    incident.alerts.push(alert);
    const analysis = analyzeRootCause(graph, nodesOf(incident.alerts));
    incident.analysis = analysis;
    incident.rootCause = analysis.rootCause?.node ?? null;
    incident.line = analysis.rootCause ? describeRootCause(graph, analysis.rootCause) : undefined;
    lastMs = performance.now() - at;
  }
  const totalMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { totalMs, cpuMs: (used.user + used.system) / 1000, lastMs, incidents };
}

function deriveMs(fleet: SyntheticFleet): number {
  const g = fresh(fleet.graph);
  const start = performance.now();
  failureReach(g, fleet.roots[0]!);
  return performance.now() - start;
}

/** Is the incident set right: one incident per root failure, its root cause that failure, each alert's failure reaching it. */
function check(fleet: SyntheticFleet, run: Run): { ok: boolean; lines: string[] } {
  const roots = new Set(fleet.roots);
  const named = run.incidents.filter((i) => i.rootCause !== null && roots.has(i.rootCause));
  const distinct = new Set(named.map((i) => i.rootCause));
  const misplaced = run.incidents.flatMap((i) => i.alerts.filter((a) => a.node === null || i.rootCause === null || !failureReach(fleet.graph, a.node).has(i.rootCause)));
  const grouped = run.incidents.reduce((n, i) => n + i.alerts.length, 0);
  const ok = run.incidents.length === roots.size && distinct.size === roots.size && misplaced.length === 0 && grouped === fleet.alerts.length;
  const lines = [
    `${run.incidents.length} incidents for ${roots.size} root failures; root cause right in ${distinct.size}/${roots.size}; ${grouped}/${fleet.alerts.length} alerts grouped, ${misplaced.length} in an incident whose root cause their failure does not reach ${ok ? 'RIGHT' : 'WRONG'}`,
    ...run.incidents.map((i) => `  ${i.id}: ${String(i.alerts.length).padStart(3)} alerts, ${String(i.analysis?.impacted.length ?? 0).padStart(3)} impacted, ${i.analysis?.candidates.length ?? 0} candidate(s); root cause ${i.rootCause ? `${i.rootCause} (${i.analysis!.rootCause!.reason})` : 'none'}: ${i.line ?? '-'}`),
  ];
  return { ok, lines };
}

interface SizeFigures { services: number; alerts: number; burst: number[]; burstCpu: number[]; last: number[]; derive: number[]; right: boolean }

function measure(services: number): SizeFigures {
  const fleet = syntheticFleet(services, SEED);
  const monitored = fleet.graph.edges.filter((e) => e.monitored).length;
  const external = [...fleet.graph.services.values()].filter((s) => s.kind === 'external').length;
  const teams = new Set([...fleet.graph.services.values()].map((s) => s.teamId)).size;
  out(`\n${services} services (${teams} teams, ${external} external APIs), ${fleet.graph.edges.length} dependencies (${monitored} monitored edges), ${fleet.alerts.length} alerts from ${fleet.roots.length} root failures: ${fleet.roots.map((r) => nodeName(fleet.graph, r)).join('; ')}`);
  correlate(fleet); // warm-up: the JIT, not the figure
  const f: SizeFigures = { services, alerts: fleet.alerts.length, burst: [], burstCpu: [], last: [], derive: [], right: true };
  for (let r = 0; r < RUNS; r++) {
    const run = correlate(fleet);
    f.burst.push(run.totalMs);
    f.burstCpu.push(run.cpuMs);
    f.last.push(run.lastMs);
    f.derive.push(deriveMs(fleet));
    if (r === 0) {
      const { ok, lines } = check(fleet, run);
      f.right = ok;
      for (const line of lines) out(line);
    }
  }
  out(`burst (${fleet.alerts.length} alerts at once → stable incidents and root causes): median ${ms(median(f.burst))}, max ${ms(max(f.burst))} over ${RUNS} runs (CPU time median ${ms(median(f.burstCpu))}: the rest is waiting for a core on a busy machine)`);
  out(`last alert alone (incidentFor + re-analysis of its incident): median ${ms(median(f.last))}`);
  out(`a new FailureGraph object derived (adjacency, failing components; once per graph the correlator loads): median ${ms(median(f.derive))}`);
  return f;
}

out(`bench:incidents on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine); seed ${SEED}, window ${WINDOW_MS / 1000} s`);
out('\n## Pure correlation and root cause (the baseline)');
const figures = SIZES.map(measure);
const [base, doubled] = figures as [SizeFigures, SizeFigures];
const ratio = median(doubled.burst) / median(base.burst);
const cpuRatio = median(doubled.burstCpu) / median(base.burstCpu);
out('');
out(`growth: ${doubled.services} services / ${base.services} services = ${ratio.toFixed(2)}× the burst time (${ms(median(doubled.burst))} / ${ms(median(base.burst))}), ${cpuRatio.toFixed(2)}× its CPU time`);

// The same fleets through the product's pipeline (scripts/bench/incidents.pipeline.ts).
out('\n## Pipeline: the incident correlator in the notification router\'s batches, on PostgreSQL');
const cluster = await startPostgresCluster();
const forget = onInterrupt(() => cluster.stop());
const pipeline: PipelineFigures[] = [];
try {
  for (const services of SIZES) {
    out(`\n${services} services`);
    const p = await measurePipeline(cluster.url, services, SEED, PIPELINE_RUNS, out);
    const pure = figures.find((f) => f.services === services)!;
    out(`last alert committed → stable incident set with root causes: median ${ms(median(p.stable))}, max ${ms(max(p.stable))} over ${PIPELINE_RUNS} runs (seen by a 20 ms poller); the burst took ${ms(median(p.spread))} to append (its transactions wait for the router's batches running beside them), so first alert → stable median ${ms(median(p.spread.map((x, i) => x + p.stable[i]!)))}; ${median(p.batches)} router batches changed incidents`);
    out(`  vs the pure functions on the same fleet in this run: ${ms(median(pure.burst))} → ${(median(p.stable) / median(pure.burst)).toFixed(1)}× (the pipeline reads the graph from the database every batch: IncidentGraphRepository.load median ${ms(median(p.graphLoad))})`);
    pipeline.push(p);
  }
} finally {
  await cluster.stop();
  forget();
}
const [pBase, pDoubled] = pipeline as [PipelineFigures, PipelineFigures];
out('');
out(`pipeline growth: ${pDoubled.services} services / ${pBase.services} services = ${(median(pDoubled.stable) / median(pBase.stable)).toFixed(2)}× the time to a stable incident set (${ms(median(pDoubled.stable))} / ${ms(median(pBase.stable))})`);

out('\n## Targets');
const metBase = max(base.burst) <= TARGET_MS && base.right;
const metDoubled = max(doubled.burst) <= TARGET_MS && doubled.right;
out(`target (pure): ${base.services} services, ${base.alerts} alerts → stable incidents and root causes ≤ ${TARGET_MS} ms after the last alert, incidents right → max ${ms(max(base.burst))}, ${base.right ? 'right' : 'wrong'} ${metBase ? 'MET' : 'NOT MET'}`);
out(`target (pure): growth check, ${doubled.services} services, ${doubled.alerts} alerts within the same ${TARGET_MS} ms, incidents right → max ${ms(max(doubled.burst))}, ${doubled.right ? 'right' : 'wrong'} ${metDoubled ? 'MET' : 'NOT MET'}`);
const metPipeBase = max(pBase.stable) <= TARGET_MS && pBase.right;
const metPipeDoubled = max(pDoubled.stable) <= TARGET_MS && pDoubled.right;
out(`target (pipeline): ${pBase.services} services, ${pBase.alerts} alerts → stable incident set ≤ ${TARGET_MS} ms after the last alert's commit, incidents right → max ${ms(max(pBase.stable))}, ${pBase.right ? 'right' : 'wrong'} ${metPipeBase ? 'MET' : 'NOT MET'}`);
out(`target (pipeline): growth check, ${pDoubled.services} services, ${pDoubled.alerts} alerts within the same ${TARGET_MS} ms, incidents right → max ${ms(max(pDoubled.stable))}, ${pDoubled.right ? 'right' : 'wrong'} ${metPipeDoubled ? 'MET' : 'NOT MET'}`);
if (!metBase || !metDoubled || !metPipeBase || !metPipeDoubled) process.exitCode = 1;
