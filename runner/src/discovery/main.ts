/**
 * The Kubernetes discovery agent: the one composition root. Reads the environment, watches Services
 * and Ingresses with informers, reconciles the annotated ones into Pharos through the public REST
 * API with its own API token, serves /metrics and /healthz, and stops on SIGTERM/SIGINT.
 *
 *   PHAROS_API_URL=https://pharos.example.com PHAROS_DISCOVERY_TOKEN=phs_… PHAROS_DISCOVERY_SOURCE=prod npm run discovery
 */
import os from 'node:os';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { packageVersion } from '../config/package.version.ts';
import { configuredProcess } from '../config/process.logger.ts';
import { listenFailureMessage, startHealthServer, type HealthServer } from '../health/health.server.ts';
import { createCallLimiter } from './call.limiter.ts';
import { DiscoveryAgent } from './discovery.agent.ts';
import { loadDiscoveryConfig, type DiscoveryConfig } from './discovery.config.ts';
import { createDiscoveryMetrics } from './discovery.metrics.ts';
import { createEventRecorder } from './kube.events.ts';
import { loadKubeConfig, watchCluster, type ClusterView } from './kube.watcher.ts';
import { createPharosClient } from './pharos.client.ts';

export interface DiscoveryProcess {
  readonly agent: DiscoveryAgent;
  /** Port of /metrics and /healthz, when served. */
  readonly metricsPort: number | undefined;
  /** Stops watching and syncing; resolves when stopped. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

/** Wires and starts every part of the agent; rejects when the kubeconfig cannot be read or the metrics port cannot be bound. */
export async function startDiscovery(config: DiscoveryConfig, logger: Logger): Promise<DiscoveryProcess> {
  const version = packageVersion();
  const lifetime = new AbortController();
  const kc = await loadKubeConfig(config.kubeconfig);
  const cluster = kc.getCurrentCluster();
  const metrics = createDiscoveryMetrics();
  const limiter = createCallLimiter({ concurrency: config.apiConcurrency, ratePerSecond: config.apiRatePerSecond });
  const client = createPharosClient({ apiUrl: config.apiUrl, token: config.token, userAgent: `pharos-discovery/${version} node/${process.versions.node}`, limiter, signal: lifetime.signal });
  logger.info(
    {
      version, api_url: config.apiUrl.href, source: config.source, cluster: cluster?.name, kube_server: cluster?.server,
      namespaces: config.namespaces.length ? config.namespaces : 'all', exclude_namespaces: config.excludeNamespaces,
      namespace_selector: config.namespaceSelector, label_selector: config.labelSelector, delete_grace_seconds: config.deleteGraceSeconds,
      resync_seconds: config.resyncSeconds, api_rate: config.apiRatePerSecond, api_concurrency: config.apiConcurrency,
    },
    'pharos discovery starting',
  );
  let agent: DiscoveryAgent | undefined;
  let healthServer: HealthServer | undefined;
  const view: ClusterView = await watchCluster(kc, {
    namespaces: config.namespaces,
    namespaceSelector: config.namespaceSelector,
    labelSelector: config.labelSelector,
    onChange: () => agent?.schedule(),
    logger,
  });
  metrics.setWatchedSource(() => view.counts());
  const events = await createEventRecorder(kc, { source: config.source, instance: os.hostname(), logger });
  agent = new DiscoveryAgent({ config, view, client, events, metrics, logger, version, cluster: cluster?.name });
  const running = agent;
  if (config.metricsPort !== 0) {
    const port = config.metricsPort === 'auto' ? 0 : config.metricsPort;
    try {
      healthServer = await startHealthServer({ port, host: config.metricsHost, metrics, health: () => running.health() });
    } catch (err) {
      await view.stop();
      await client.close();
      throw new Error(listenFailureMessage(port, config.metricsHost, err as NodeJS.ErrnoException).replaceAll('PHAROS_RUNNER_METRICS', 'PHAROS_DISCOVERY_METRICS'));
    }
    logger.info({ port: healthServer.port, host: healthServer.host }, 'serving /metrics and /healthz');
  }
  agent.schedule(0);
  let stopping: Promise<void> | undefined;
  return {
    agent,
    metricsPort: healthServer?.port,
    shutdown: (reason) =>
      (stopping ??= (async () => {
        logger.info({ reason }, 'shutting down');
        lifetime.abort();
        await running.stop();
        await view.stop();
        await client.close().catch(() => undefined);
        await healthServer?.close();
        logger.info('pharos discovery stopped');
      })()),
  };
}

/** The process entry: configuration and start-up errors exit 1, a signal stops it with 0. */
async function main(): Promise<void> {
  const { config, logger } = configuredProcess('pharos-discovery', () => loadDiscoveryConfig(process.env));
  process.on('unhandledRejection', (reason) => {
    logger.error({ error: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled rejection (the agent carries on)');
  });
  let agent: DiscoveryProcess;
  try {
    agent = await startDiscovery(config, logger);
  } catch (err) {
    logger.fatal({ code: 'startup_failed' }, (err as Error).message);
    process.exit(1);
  }
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) process.exit(1);
      signalled = true;
      void agent.shutdown(signal).then(() => process.exit(0));
    });
  }
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) await main();
