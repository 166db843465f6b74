import type { CorrelatedAlert } from '../../api/src/modules/dependencies/correlation.ts';
import { edgeKey, serviceKey, type Evidence, type FailureGraph, type GraphEdge, type GraphService, type NodeHealth, type NodeKey } from '../../api/src/modules/dependencies/failure-graph.ts';

// A synthetic fleet for `npm run bench:incidents` (and any bench that drives incidents): teams,
// services in layers that depend on 2–4 services of the layers below, 30% of the dependencies
// checked by edge monitors, a few external APIs at the bottom, 5% of the services without monitors.
// A handful of root failures (one per 200 services: an external API down, an edge cut with a
// healthy target, a failure in one region only, internal services down) each spread upwards to
// their dependents, and every failing or degraded service fires an alert in a burst of about a
// minute: one alert per 5 services in all (200 at 1,000; when the failures run out of services first,
// failing services' second rules fire too), one of them flapping (fires, resolves, fires again 20 s
// later). The failures of different roots never touch (no service depends on two
// of them), so the right answer is one incident per root, with that root as its root cause.
// Deterministic for a seed.

export interface SyntheticFleet {
  graph: FailureGraph;
  /** In firing order. */
  alerts: CorrelatedAlert[];
  /** The root failures, one per expected incident. */
  roots: NodeKey[];
}

export const FLEET_T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const REGIONS = ['eu-west', 'us-east'];
const LAYERS = ['platform', 'data', 'core', 'domain', 'api', 'edge'];
const DAY = 86_400_000;

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticFleet(services: number, seed: number): SyntheticFleet {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const teams = Math.max(1, Math.round(services / 25));
  const externals = Math.max(2, Math.round(services / 250));

  // Services by layer: the bottom layer holds the external APIs and platform services (8%).
  const svc: GraphService[] = [];
  const layerOf: number[] = [];
  const byLayer: number[][] = LAYERS.map(() => []);
  const bottom = Math.max(externals + 2, Math.round(services * 0.08));
  for (let i = 0; i < services; i++) {
    const layer = i < bottom ? 0 : 1 + Math.floor(((i - bottom) * (LAYERS.length - 1)) / (services - bottom));
    const external = i < externals;
    const id = `svc-${String(i).padStart(5, '0')}`;
    svc.push({ id, name: external ? `ext-api-${i + 1}` : `${LAYERS[layer]}-${i}`, teamId: `team-${Math.floor(rand() * teams)}`, kind: external ? 'external' : 'internal' });
    layerOf.push(layer);
    byLayer[layer]!.push(i);
  }
  const edges: GraphEdge[] = [];
  const deps: number[][] = svc.map(() => []);
  const dependents: number[][] = svc.map(() => []);
  const edgeBetween = new Map<string, GraphEdge>();
  for (let i = 0; i < services; i++) {
    const layer = layerOf[i]!;
    if (layer === 0) continue;
    const want = 2 + Math.floor(rand() * 3);
    for (let tries = 0; deps[i]!.length < want && tries < 20; tries++) {
      const from = rand() < 0.6 ? byLayer[layer - 1]! : byLayer[Math.floor(rand() * layer)]!;
      const to = pick(from);
      if (deps[i]!.includes(to)) continue;
      deps[i]!.push(to);
      dependents[to]!.push(i);
      const e: GraphEdge = { id: `dep-${String(edges.length).padStart(6, '0')}`, from: svc[i]!.id, to: svc[to]!.id, teamId: svc[i]!.teamId, monitored: rand() < 0.3 };
      edges.push(e);
      edgeBetween.set(`${i}>${to}`, e);
    }
  }

  // Everything is up (5% of the services have no monitors) before the roots fail.
  const health = new Map<NodeKey, NodeHealth>();
  const unmonitored = new Set<number>();
  for (let i = externals; i < services; i++) if (rand() < 0.05) unmonitored.add(i);
  const up = (): NodeHealth => ({ state: 'up', since: FLEET_T0 - DAY, downRegions: [], upRegions: REGIONS, evidence: [] });
  svc.forEach((s, i) => unmonitored.has(i) || health.set(serviceKey(s.id), up()));
  for (const e of edges) if (e.monitored) health.set(edgeKey(e.id), up());

  const target = Math.round(services / 5);
  const rootCount = Math.max(2, Math.round(services / 200));
  const claimed = new Map<number, number>(); // service → region (root index)
  const blocked = new Set<number>(); // kept healthy: the target of the cut edge
  const admissible = (i: number, r: number) =>
    !unmonitored.has(i) && !blocked.has(i) && !claimed.has(i) && deps[i]!.every((d) => (claimed.get(d) ?? r) === r) && dependents[i]!.every((p) => (claimed.get(p) ?? r) === r);

  interface Region { root: NodeKey; regionOnly: boolean; frontier: number[]; depth: Map<number, number> }
  const regions: Region[] = [];
  const alerts: CorrelatedAlert[] = [];
  const regionOfAlert = new Map<CorrelatedAlert, number>();
  const fire = (node: NodeKey, at: number) => {
    const a: CorrelatedAlert = { alertId: `alert-${node}`, node, firingSince: at, resolvedAt: null };
    alerts.push(a);
    regionOfAlert.set(a, regions.length - 1);
  };
  const fail = (node: NodeKey, at: number, name: string, regionOnly: boolean, degraded = false, error = 'HTTP 503') => {
    const down = regionOnly ? [REGIONS[0]!] : REGIONS;
    const evidence: Evidence[] = (degraded ? REGIONS : down).map((region) => ({ monitorId: `mon-${node}-${region}`, monitorName: `${name} health`, region, state: degraded ? 'degraded' : 'down', since: at, ...(degraded ? {} : { error, statusCode: 503, traceId: `trace-${node}` }) }));
    health.set(node, degraded
      ? { state: 'degraded', since: at, downRegions: [], upRegions: [], evidence }
      : { state: 'down', since: at, downRegions: down, upRegions: REGIONS.filter((x) => !down.includes(x)), evidence });
  };
  /** A service joins region r: it fails (or is slow), and the monitored edges into it fail with it. */
  const admit = (i: number, r: number, depth: number, degraded: boolean) => {
    const region = regions[r]!;
    claimed.set(i, r);
    region.depth.set(i, depth);
    const at = FLEET_T0 + depth * 8_000 + Math.floor(rand() * 5_000);
    fail(serviceKey(svc[i]!.id), at - 30_000, svc[i]!.name, region.regionOnly, degraded);
    for (const p of dependents[i]!) {
      const e = edgeBetween.get(`${p}>${i}`)!;
      if (e.monitored && !degraded) fail(edgeKey(e.id), at - 30_000, `${svc[p]!.name} → ${svc[i]!.name}`, region.regionOnly, false, 'connection refused');
    }
    fire(serviceKey(svc[i]!.id), at);
    regionOfAlert.set(alerts[alerts.length - 1]!, r);
    if (!degraded) region.frontier.push(...dependents[i]!);
  };

  // The roots: low in the graph, with dependents, failures that do not touch each other.
  const kinds = ['external', 'edge', 'region', 'service'] as const;
  const lowInternal = [...byLayer[0]!.slice(externals), ...byLayer[1]!];
  for (let k = 0, tries = 0; regions.length < rootCount && tries < 10_000; tries++) {
    const kind = kinds[Math.min(k, kinds.length - 1)]!;
    const r = regions.length;
    if (kind === 'edge') {
      const e = pick(edges.filter((x) => x.monitored));
      const a = svc.findIndex((s) => s.id === e.from);
      const b = svc.findIndex((s) => s.id === e.to);
      if (layerOf[a]! > 2 || claimed.has(b) || !admissible(a, r) || dependents[a]!.length < 2 || deps[a]!.some((d) => blocked.has(d))) continue;
      blocked.add(b);
      regions.push({ root: edgeKey(e.id), regionOnly: false, frontier: [], depth: new Map() });
      fail(edgeKey(e.id), FLEET_T0 - 60_000, `${svc[a]!.name} → ${svc[b]!.name}`, false, false, 'connect ETIMEDOUT');
      fire(edgeKey(e.id), FLEET_T0);
      admit(a, r, 1, false);
    } else {
      const i = kind === 'external' ? pick(byLayer[0]!.slice(0, externals)) : pick(lowInternal);
      if (!admissible(i, r) || dependents[i]!.length < 3) continue;
      regions.push({ root: serviceKey(svc[i]!.id), regionOnly: kind === 'region', frontier: [], depth: new Map() });
      admit(i, r, 0, false);
    }
    k += 1;
  }

  // Spread the failures upwards, one service per region in turn, until the alert budget is spent
  // (one alert is kept for the flap).
  for (let progress = true; alerts.length < target - 1 && progress; ) {
    progress = false;
    for (let r = 0; r < regions.length && alerts.length < target - 1; r++) {
      const region = regions[r]!;
      while (region.frontier.length > 0) {
        const i = region.frontier.shift()!;
        if (!admissible(i, r)) continue;
        const depth = Math.max(...deps[i]!.map((d) => (claimed.get(d) === r ? region.depth.get(d)! : 0))) + 1;
        admit(i, r, depth, rand() < 0.08);
        progress = true;
        break;
      }
    }
  }

  // A fleet whose failures ran out of services before the budget (regions hemmed in by each other):
  // the failing services' second rules (error rate) fire too, a few seconds after the first.
  const firsts = alerts.filter((a) => a.node !== null && regions.every((r) => r.root !== a.node));
  for (let k = 0; alerts.length < target - 1 && k < firsts.length; k++) {
    const a = firsts[k]!;
    alerts.push({ ...a, alertId: `${a.alertId}-errors`, firingSince: a.firingSince + 3_000 });
    regionOfAlert.set(alerts[alerts.length - 1]!, regionOfAlert.get(a)!);
  }

  // One flap: an alert of the first region resolves 20 s after firing and fires again 20 s later.
  const flapping = alerts.find((a) => regionOfAlert.get(a) === 0 && a.node !== regions[0]!.root) ?? alerts[0]!;
  const refire = { ...flapping, firingSince: flapping.firingSince + 40_000 };
  flapping.resolvedAt = flapping.firingSince + 20_000;
  alerts.push(refire);
  alerts.sort((a, b) => a.firingSince - b.firingSince);

  const serviceMap = new Map(svc.map((s) => [s.id, s]));
  return { graph: { services: serviceMap, edges, health }, alerts, roots: regions.map((r) => r.root) };
}
