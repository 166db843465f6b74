import type { Logger } from 'pino';
import { DISCOVERY_MAX_ERRORS } from '../../../api/src/contract/discovery.schema.ts';
import type { HealthVerdict } from '../health/runner.health.ts';
import type { DiscoveryConfig } from './discovery.config.ts';
import type { DiscoveryMetrics } from './discovery.metrics.ts';
import { objectTag, sourceTag, type ObjectProblem } from './discovery.types.ts';
import { buildDesired } from './desired.builder.ts';
import type { EventRecorder } from './kube.events.ts';
import type { ClusterView } from './kube.watcher.ts';
import type { PharosClient } from './pharos.client.ts';
import { executePlan, readCurrent } from './reconcile.executor.ts';
import { planReconcile, planWrites } from './reconcile.planner.ts';

// The sync loop: a cluster change schedules a sync after a quiet time (a burst of changes is one
// sync); a sync also runs every resync period and when the earliest deletion grace runs out. One
// sync at a time; a change during a sync schedules the next one.

export interface SyncReport {
  synced: boolean;
  objectsSeen: number;
  monitorsManaged: number;
  actions: { created: number; updated: number; deleted: number; unchanged: number };
  writes: number;
  problems: ObjectProblem[];
}

export interface AgentDeps {
  config: DiscoveryConfig;
  view: ClusterView;
  client: PharosClient;
  events: EventRecorder;
  metrics: DiscoveryMetrics;
  logger: Logger;
  version: string;
  /** Cluster name from the kubeconfig, for the source report. */
  cluster: string | undefined;
  now?: () => Date;
}


export class DiscoveryAgent {
  #timer: NodeJS.Timeout | undefined;
  #dueAt = Infinity;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #lastOkAt: number | undefined;
  #lastError: string | undefined;
  #lastReport: SyncReport | undefined;
  /** Resolves after each finished sync (tests and the first-sync log wait on it). */
  #listeners: ((report: SyncReport | undefined) => void)[] = [];
  readonly #deps: AgentDeps;

  constructor(deps: AgentDeps) {
    this.#deps = deps;
  }

  /** Schedules a sync `delayMs` from now, unless one is due sooner. */
  schedule(delayMs: number = this.#deps.config.debounceMs): void {
    if (this.#stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (at >= this.#dueAt && this.#timer) return;
    clearTimeout(this.#timer);
    this.#dueAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#dueAt = Infinity;
      void this.#trigger();
    }, Math.max(0, at - Date.now()));
  }

  /** The next sync's report (undefined when it failed). */
  nextSync(): Promise<SyncReport | undefined> {
    return new Promise((resolve) => this.#listeners.push(resolve));
  }

  health(): HealthVerdict {
    if (this.#stopped) return { status: 503, body: { status: 'stopping' } };
    if (!this.#deps.view.synced) return { status: 503, body: { status: 'starting', reason: 'the Kubernetes informers have not listed every resource yet' } };
    if (this.#lastOkAt === undefined) return { status: 503, body: { status: 'starting', reason: this.#lastError ?? 'no sync finished yet' } };
    const staleAfter = 3 * this.#deps.config.resyncSeconds * 1000 + 60_000;
    if (Date.now() - this.#lastOkAt > staleAfter) return { status: 503, body: { status: 'stale', reason: `no successful sync for ${Math.round((Date.now() - this.#lastOkAt) / 1000)} s: ${this.#lastError ?? ''}` } };
    return { status: 200, body: { status: 'ok' } };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #trigger(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#syncAndSchedule();
    await this.#running;
    this.#running = undefined;
    if (this.#again && !this.#stopped) {
      this.#again = false;
      this.schedule();
    }
  }

  async #syncAndSchedule(): Promise<void> {
    const { config, metrics, logger } = this.#deps;
    const started = performance.now();
    let report: SyncReport | undefined;
    let nextDeadline: Date | undefined;
    try {
      const result = await this.sync();
      report = result.report;
      this.#lastReport = report;
      nextDeadline = result.nextDeadline;
      this.#lastOkAt = Date.now();
      this.#lastError = undefined;
      metrics.recordSync('ok', (performance.now() - started) / 1000);
    } catch (err) {
      this.#lastError = (err as Error).message;
      metrics.recordSync('failed', (performance.now() - started) / 1000);
      logger.warn({ error: this.#lastError }, 'discovery sync failed; retrying');
      await this.#reportFailure(this.#lastError);
    }
    for (const l of this.#listeners.splice(0)) l(report);
    if (this.#stopped) return;
    // The next sync: the resync period, sooner when a grace runs out, or a retry after a failure.
    let delay = report ? config.resyncSeconds * 1000 : Math.min(30_000, config.resyncSeconds * 1000);
    if (nextDeadline) delay = Math.min(delay, Math.max(0, nextDeadline.getTime() - Date.now()) + 100);
    this.schedule(delay);
  }

  /** One reconciliation; throws when the cluster is not listed yet or Pharos cannot be read. */
  async sync(): Promise<{ report: SyncReport; nextDeadline: Date | undefined }> {
    const { config, view, client, events, metrics, logger } = this.#deps;
    if (!view.synced) throw new Error('the Kubernetes informers have not listed every resource yet (see the watch errors above)');
    const desired = buildDesired(view.services(), view.ingresses(), {
      source: config.source,
      namespaces: config.namespaces,
      excludeNamespaces: config.excludeNamespaces,
      selectedNamespaces: view.selectedNamespaces(),
      defaultTeam: config.defaultTeam,
      defaultPath: config.defaultPath,
      defaultIntervalSeconds: config.defaultIntervalSeconds,
      clusterDomain: config.clusterDomain,
    });
    const current = await readCurrent(client, config.source, new Set(desired.monitors.map((m) => m.service)));
    const plan = planReconcile(desired, current, { source: config.source, graceSeconds: config.deleteGraceSeconds, now: (this.#deps.now ?? (() => new Date()))() });
    const result = planWrites(plan) > 0 ? await executePlan(client, plan, current) : { actions: { created: 0, updated: 0, deleted: 0, unchanged: plan.unchanged }, problems: [], writes: 0, monitorsCreated: 0, monitorsDeleted: 0 };
    const problems = [...plan.problems, ...result.problems];
    const managedBefore = current.monitors.filter((m) => m.managed_by === 'discovery' && m.tags?.[sourceTag] === config.source && m.tags?.[objectTag]).length;
    const report: SyncReport = {
      synced: true,
      objectsSeen: desired.objectsSeen,
      monitorsManaged: managedBefore + result.monitorsCreated - result.monitorsDeleted,
      actions: result.actions,
      writes: result.writes,
      problems,
    };
    metrics.recordActions(result.actions);
    metrics.setManaged(report.monitorsManaged);
    metrics.setProblems(problems.reduce<Record<string, number>>((acc, p) => ((acc[p.code] = (acc[p.code] ?? 0) + 1), acc), {}));
    const level = result.writes > 0 || problems.length > 0 ? 'info' : 'debug';
    logger[level]({ objects_seen: report.objectsSeen, monitors_managed: report.monitorsManaged, ...result.actions, writes: result.writes, problems: problems.length }, 'discovery sync done');
    for (const p of problems) logger.warn({ kind: p.object.kind, namespace: p.object.namespace, name: p.object.name, code: p.code }, p.message);
    await this.#putReport(report);
    await events.report(problems);
    return { report, nextDeadline: plan.nextDeadline };
  }

  async #putReport(report: SyncReport): Promise<void> {
    const { config, client, logger } = this.#deps;
    const body = {
      ...(this.#deps.cluster ? { cluster: this.#deps.cluster.slice(0, 255) } : {}),
      agent_version: this.#deps.version,
      last_sync_at: new Date().toISOString(),
      synced: report.synced,
      objects_seen: report.objectsSeen,
      monitors_managed: report.monitorsManaged,
      actions: report.actions,
      errors: report.problems.slice(0, DISCOVERY_MAX_ERRORS).map((p) => ({ kind: p.object.kind, namespace: p.object.namespace, name: p.object.name, code: p.code, message: p.message.slice(0, 1000) })),
    };
    try {
      await client.call('PUT', `/v1/discovery/sources/${encodeURIComponent(config.source)}`, body);
    } catch (err) {
      logger.warn({ error: (err as Error).message }, 'could not send the source report to Pharos');
    }
  }

  async #reportFailure(message: string): Promise<void> {
    // The counts of the last good sync stay; synced: false and the error say this one failed.
    const last = this.#lastReport;
    await this.#putReport({
      synced: false,
      objectsSeen: last?.objectsSeen ?? 0,
      monitorsManaged: last?.monitorsManaged ?? 0,
      actions: { created: 0, updated: 0, deleted: 0, unchanged: 0 },
      writes: 0,
      problems: [{ object: { kind: 'Agent', namespace: '', name: this.#deps.config.source }, code: 'sync_failed', message: `sync failed: ${message}` }],
    });
  }
}
