import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The discovery agent's Prometheus metrics, in their own Registry. */
export interface DiscoveryMetrics {
  readonly registry: Registry;
  recordSync(outcome: 'ok' | 'failed', seconds: number): void;
  recordActions(actions: { created: number; updated: number; deleted: number; unchanged: number }): void;
  /** Problems of the last sync, by code (a gauge: it falls back when they are fixed). */
  setProblems(byCode: Record<string, number>): void;
  setManaged(monitors: number): void;
  setWatchedSource(source: () => { services: number; ingresses: number; namespaces: number }): void;
  render(): Promise<string>;
  readonly contentType: string;
}

/** Creates the metrics; once per process, in the composition root. */
export function createDiscoveryMetrics(): DiscoveryMetrics {
  const registry = new Registry();
  const registers = [registry];
  let watched: () => { services: number; ingresses: number; namespaces: number } = () => ({ services: 0, ingresses: 0, namespaces: 0 });
  const syncs = new Counter({ name: 'pharos_discovery_syncs_total', help: 'Reconciliations run, by outcome (failed: Pharos could not be read or the cluster was not listed yet).', labelNames: ['outcome'] as const, registers });
  const duration = new Histogram({ name: 'pharos_discovery_sync_duration_seconds', help: 'Time of one reconciliation, reads and writes included.', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers });
  const actions = new Counter({ name: 'pharos_discovery_actions_total', help: 'Writes made to Pharos, by action (created, updated, deleted).', labelNames: ['action'] as const, registers });
  const unchanged = new Gauge({ name: 'pharos_discovery_unchanged_monitors', help: 'Managed monitors the last sync found as the cluster asks.', registers });
  const problems = new Gauge({ name: 'pharos_discovery_object_errors', help: 'Objects with a problem in the last sync (bad annotation, unknown team, managed elsewhere, failed write), by code.', labelNames: ['code'] as const, registers });
  const lastSync = new Gauge({ name: 'pharos_discovery_last_sync_timestamp_seconds', help: 'Unix time of the last successful sync.', registers });
  const managed = new Gauge({ name: 'pharos_discovery_monitors_managed', help: 'Monitors of this source managed by discovery after the last sync.', registers });
  new Gauge({
    name: 'pharos_discovery_objects_watched',
    help: 'Objects in the informer caches, by kind.',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const c = watched();
      this.set({ kind: 'service' }, c.services);
      this.set({ kind: 'ingress' }, c.ingresses);
      this.set({ kind: 'namespace' }, c.namespaces);
    },
  });
  const knownCodes = new Set<string>();
  return {
    registry,
    recordSync(outcome, seconds) {
      syncs.inc({ outcome });
      duration.observe(seconds);
      if (outcome === 'ok') lastSync.set(Date.now() / 1000);
    },
    recordActions(a) {
      actions.inc({ action: 'created' }, a.created);
      actions.inc({ action: 'updated' }, a.updated);
      actions.inc({ action: 'deleted' }, a.deleted);
      unchanged.set(a.unchanged);
    },
    setProblems(byCode) {
      for (const code of Object.keys(byCode)) knownCodes.add(code);
      for (const code of knownCodes) problems.set({ code }, byCode[code] ?? 0);
    },
    setManaged: (n) => managed.set(n),
    setWatchedSource(source) {
      watched = source;
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
