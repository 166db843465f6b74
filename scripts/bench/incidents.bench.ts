import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { failureReach, incidentFor, nodesOf, type CorrelatedAlert } from '../../api/src/modules/dependencies/correlation.ts';
import { nodeName } from '../../api/src/modules/dependencies/failure-index.ts';
import type { FailureGraph, NodeKey } from '../../api/src/modules/dependencies/failure-graph.ts';
import { analyzeRootCause, describeRootCause, type RootCauseAnalysis } from '../../api/src/modules/dependencies/root-cause.ts';
import { defaultIncidentSettings } from '../../api/src/modules/incidents/incident-settings.ts';
import { syntheticFleet, type SyntheticFleet } from './incident-graph.fixture.ts';

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

const RUNS = Math.min(50, Math.max(1, Number(process.env.BENCH_INCIDENT_RUNS ?? 7)));
const SEED = Number(process.env.BENCH_INCIDENT_SEED ?? 42);
const WINDOW_MS = defaultIncidentSettings.correlation_window_seconds * 1000;
const TARGET_MS = 1_000;
const SIZES = [1_000, 2_000];

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
const figures = SIZES.map(measure);
const [base, doubled] = figures as [SizeFigures, SizeFigures];
const ratio = median(doubled.burst) / median(base.burst);
const cpuRatio = median(doubled.burstCpu) / median(base.burstCpu);
out('');
out(`growth: ${doubled.services} services / ${base.services} services = ${ratio.toFixed(2)}× the burst time (${ms(median(doubled.burst))} / ${ms(median(base.burst))}), ${cpuRatio.toFixed(2)}× its CPU time`);
const metBase = max(base.burst) <= TARGET_MS && base.right;
const metDoubled = max(doubled.burst) <= TARGET_MS && doubled.right;
out(`target: ${base.services} services, ${base.alerts} alerts → stable incidents and root causes ≤ ${TARGET_MS} ms after the last alert, incidents right → max ${ms(max(base.burst))}, ${base.right ? 'right' : 'wrong'} ${metBase ? 'MET' : 'NOT MET'}`);
out(`target: growth check, ${doubled.services} services, ${doubled.alerts} alerts within the same ${TARGET_MS} ms, incidents right → max ${ms(max(doubled.burst))}, ${doubled.right ? 'right' : 'wrong'} ${metDoubled ? 'MET' : 'NOT MET'}`);
if (!metBase || !metDoubled) process.exitCode = 1;
