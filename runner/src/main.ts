/**
 * The runner process: the one composition root. Reads the environment, registers with the control
 * plane, long-polls assignments into the engine, pushes results from the bounded buffer, serves
 * /metrics and /healthz, and shuts down gracefully on SIGTERM/SIGINT.
 *
 *   PHAROS_API_URL=https://pharos.example.com PHAROS_RUNNER_TOKEN=phr_… node --import tsx runner/src/main.ts
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from 'pino';
import { LOAD_TEST_CAPABILITY } from '../../api/src/contract/load-test.schema.ts';
import { RUNNER_PROTOCOL_VERSION, type RunnerRegistration } from '../../api/src/contract/runner-protocol.schema.ts';
import { packageVersion } from './config/package.version.ts';
import { configuredProcess } from './config/process.logger.ts';
import { loadRunnerConfig, type RunnerConfig } from './config/runner.config.ts';
import { createCheckRegistry, createEngine, createRunnerMetrics, type Engine, type RunnerMetrics } from './engine.ts';
import { listenFailureMessage, startHealthServer, type HealthServer } from './health/health.server.ts';
import { RunnerHealth } from './health/runner.health.ts';
import { createProtocolMetrics } from './metrics/protocol.metrics.ts';
import { runPollLoop } from './protocol/poll.loop.ts';
import { createProtocolClient } from './protocol/protocol.client.ts';
import { ProtocolError } from './protocol/protocol.errors.ts';
import { PushLoop } from './protocol/push.loop.ts';
import { RunnerSession } from './protocol/runner.session.ts';
import { createMemoryQueue, type ResultQueue } from './results/result.queue.ts';
import { ResultSpool } from './results/result.spool.ts';
import { createSpoolMetrics } from './metrics/spool.metrics.ts';
import { loadLoadTestConfig, type LoadTestConfig } from './load-test/load-test.config.ts';
import { LoadTestManager } from './load-test/load-test.manager.ts';

/** Time budgets of a graceful shutdown; the sum stays well below Kubernetes' default 30 s grace period. */
export interface ShutdownBudget {
  /** Waiting for checks in flight. */
  checksMs: number;
  /** Pushing what is buffered, once. */
  flushMs: number;
  /** The deregister call. */
  deregisterMs: number;
}

export const defaultShutdownBudget: ShutdownBudget = { checksMs: 5_000, flushMs: 5_000, deregisterMs: 3_000 };

export interface RunnerProcess {
  /** Resolves with the process exit code once the runner has stopped (shutdown or fatal error). */
  readonly exited: Promise<number>;
  /** Graceful stop: stop scheduling, wait for checks, flush, deregister. Idempotent. */
  shutdown(reason: string): Promise<number>;
}

/** Wires and starts every part of the runner; load tests run unless `config.loadTests` turns them off. */
export function startRunner(config: RunnerConfig & { loadTests?: LoadTestConfig }, logger: Logger, budget: ShutdownBudget = defaultShutdownBudget): RunnerProcess {
  const loadTestConfig = config.loadTests ?? loadLoadTestConfig({});
  const version = packageVersion();
  const lifetime = new AbortController();
  const metrics = createRunnerMetrics();
  const health = new RunnerHealth();
  const buffer = createResultQueue(config, logger, metrics);
  metrics.setGaugeSources({ bufferDepth: () => buffer.depth });
  const protocolMetrics = createProtocolMetrics(metrics.registry, { lastPollAt: () => health.lastPollAt, bufferCapacity: config.bufferCapacity });
  const checks = createCheckRegistry();
  const client = createProtocolClient({ apiUrl: config.apiUrl, token: config.token, userAgent: `pharos-runner/${version} node/${process.versions.node}` });
  const session = new RunnerSession({
    client,
    registration: {
      protocol_version: RUNNER_PROTOCOL_VERSION,
      version,
      hostname: os.hostname().slice(0, 255),
      capabilities: [...Object.keys(checks), ...(loadTestConfig.enabled ? [LOAD_TEST_CAPABILITY] : [])] as RunnerRegistration['capabilities'],
    },
    expectedRegion: config.expectedRegion,
    logger,
    onError: () => metrics.recordPollError(),
    onRegistered: (r) => {
      health.registered(r.runner_id, r.lease_seconds, r.poll_wait_seconds);
      protocolMetrics.recordRegistration();
    },
  });
  const pushLoop = new PushLoop({
    client,
    session,
    buffer,
    logger,
    onPushError: () => metrics.recordPushError(),
    onPushed: (accepted, rejected) => protocolMetrics.recordPushed(accepted, rejected),
    flushIntervalMs: config.pushIntervalMs,
  });
  const loadTests = loadTestConfig.enabled
    ? new LoadTestManager({ client, runnerId: () => session.current?.runner_id, logger, maxConcurrency: loadTestConfig.maxConcurrency })
    : undefined;
  if (loadTests) metrics.setGaugeSources({ loadTestsRunning: () => loadTests.running, loadTestConcurrency: () => loadTests.concurrencyInUse });
  let engine: Engine | undefined;
  let healthServer: HealthServer | undefined;

  logger.info(
    {
      version,
      api_url: config.apiUrl.href,
      expected_region: config.expectedRegion,
      metrics_port: config.metricsPort || undefined,
      buffer_capacity: config.bufferCapacity,
      spool_dir: config.spool?.dir,
      spool_max_bytes: config.spool?.maxBytes,
      concurrency: config.concurrency,
      push_interval_ms: config.pushIntervalMs,
      capabilities: Object.keys(checks),
      load_tests: loadTestConfig.enabled ? { max_concurrency: loadTestConfig.maxConcurrency } : 'off',
    },
    'pharos runner starting',
  );

  const run = async (): Promise<void> => {
    if (config.metricsPort !== 0) {
      const port = config.metricsPort === 'auto' ? 0 : config.metricsPort;
      healthServer = await startHealthServer({ port, host: config.metricsHost, metrics, health: () => health.verdict() }).catch((err: NodeJS.ErrnoException) => {
        throw new Error(listenFailureMessage(port, config.metricsHost, err));
      });
      const shown = healthServer.host.includes(':') ? `[${healthServer.host}]` : healthServer.host;
      logger.info({ port: healthServer.port, host: healthServer.host, url: `http://${shown}:${healthServer.port}/metrics` }, 'serving /metrics and /healthz');
    }
    const { recovered } = await buffer.open().catch((err: Error) => {
      throw new Error(`PHAROS_RUNNER_SPOOL_DIR: cannot use "${config.spool?.dir}" for the result spool: ${err.message}. Point it at a writable directory of its own, or unset it to keep results in memory only.`);
    });
    if (config.spool) logger.info({ dir: config.spool.dir, recovered }, recovered > 0 ? 'result spool read back: sending what an earlier run left unsent' : 'result spool ready');
    const registered = await session.register(lifetime.signal);
    if (lifetime.signal.aborted) return; // registered just as a shutdown began: nothing to start
    engine = createEngine({
      region: registered.region,
      checks,
      metrics,
      maxConcurrent: config.concurrency,
      sink: (result) => {
        buffer.push({ runnerId: session.current?.runner_id ?? registered.runner_id, result });
        pushLoop.notify(result);
      },
      onMonitorRemoved: (id) => pushLoop.forget(id),
    });
    const onPollSucceeded = (): void => {
      health.pollSucceeded();
      pushLoop.nudge(); // the API is back: do not wait out the push backoff
    };
    const loops = [
      runPollLoop({ client, session, engine, logger, ...(loadTests ? { loadTests } : {}), onPollSucceeded, onPollError: () => metrics.recordPollError() }, lifetime.signal),
      pushLoop.run(lifetime.signal),
    ];
    await Promise.all(loops);
  };

  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let finishing: Promise<number> | undefined;
  const finish = (graceful: boolean, reason: string): Promise<number> =>
    (finishing ??= (async () => {
      health.stopping();
      lifetime.abort();
      if (graceful) logger.info({ reason }, 'shutting down: stopping checks');
      // Load tests stop at once; their final reports go out while the checks in flight finish.
      const loadTestsStopped = loadTests?.stop(graceful ? 3_000 : 500);
      if (engine) {
        const stopped = await within(engine.stop(), graceful ? budget.checksMs : 1_000);
        if (!stopped) logger.warn({ waited_ms: budget.checksMs }, 'checks still running at shutdown; not waiting for them');
      }
      await within(loopsSettled, 2_000);
      await loadTestsStopped;
      const current = session.current;
      if (graceful && current) {
        const depth = buffer.depth;
        const unsent = depth > 0 ? await pushLoop.flush(budget.flushMs) : 0;
        if (unsent > 0) logger.warn({ unsent, flushed: depth - unsent }, 'could not push every buffered result before exiting');
        else if (depth > 0) logger.info({ flushed: depth }, 'buffered results pushed');
        try {
          const known = await client.deregister(current.runner_id, AbortSignal.timeout(budget.deregisterMs));
          logger.info({ runner_id: current.runner_id, acknowledged: known }, 'deregistered: the control plane can move our monitors now');
        } catch (err) {
          logger.warn({ error: (err as Error).message }, 'deregistration failed; our monitors move when the lease runs out');
        }
      } else if (buffer.depth > 0 && !config.spool) {
        logger.warn({ unsent: buffer.depth }, 'exiting with unsent results');
      }
      if (!(await within(buffer.close(), 3_000))) logger.warn({ dir: config.spool?.dir }, 'the result spool did not finish writing within 3 s; its last results may be missing on the next start');
      if (config.spool && buffer.depth > 0) logger.info({ unsent: buffer.depth, dir: config.spool.dir }, 'unsent results stay in the spool and are sent on the next start');
      await within(client.close(), 1_000);
      await healthServer?.close();
      const code = graceful ? 0 : 1;
      logger.info({ exit_code: code }, 'pharos runner stopped');
      resolveExit(code);
      return code;
    })());

  const loopsPromise = run();
  const loopsSettled = loopsPromise.then(
    () => undefined,
    () => undefined,
  );
  loopsPromise.catch((err: unknown) => {
    if (lifetime.signal.aborted && !(err instanceof ProtocolError && err.fatal)) return;
    if (err instanceof ProtocolError && err.code === 'aborted') return;
    logger.fatal({ code: err instanceof ProtocolError ? err.code : 'fatal', status: err instanceof ProtocolError ? err.status : undefined }, fatalMessage(err));
    void finish(false, 'fatal error');
  });

  return { exited, shutdown: (reason) => finish(true, reason) };
}

/** The memory buffer, or the on-disk spool when PHAROS_RUNNER_SPOOL_DIR is set; evictions are counted and logged. */
function createResultQueue(config: RunnerConfig, logger: Logger, metrics: RunnerMetrics): ResultQueue {
  let dropped = 0;
  const onDrop = (): void => {
    metrics.recordDropped();
    dropped += 1;
    // The first eviction and every 1,000th: a long outage should not flood the log.
    if (dropped === 1 || dropped % 1000 === 0) {
      logger.warn({ dropped_total: dropped, capacity: config.bufferCapacity, spool_max_bytes: config.spool?.maxBytes }, 'result buffer full: the oldest unsent results were dropped (raise PHAROS_RUNNER_BUFFER or PHAROS_RUNNER_SPOOL_MAX_BYTES to ride out longer outages)');
    }
  };
  if (!config.spool) return createMemoryQueue(config.bufferCapacity, onDrop);
  const spoolMetrics = createSpoolMetrics(metrics.registry);
  const spool = new ResultSpool({
    dir: config.spool.dir,
    maxResults: config.bufferCapacity,
    maxBytes: config.spool.maxBytes,
    onDrop,
    onSkipped: (file, count) => {
      spoolMetrics.recordSkipped(count);
      logger.warn({ file, skipped: count }, 'skipped unreadable records in the result spool (a write torn by a crash, or a damaged file)');
    },
    onError: (err) => {
      spoolMetrics.recordWriteError();
      logger.error({ error: err.message }, 'result spool write failed; results stay queued in memory and are still sent');
    },
  });
  spoolMetrics.setBytesSource(() => spool.diskBytes);
  return spool;
}

/** What the operator must read when the runner cannot go on. */
export function fatalMessage(err: unknown): string {
  if (err instanceof ProtocolError) {
    switch (err.code) {
      case 'incompatible_runner':
        return `The control plane refuses this runner version (protocol ${RUNNER_PROTOCOL_VERSION}): ${err.message} Upgrade the runner to match the API.`;
      case 'unauthorized':
        return `The control plane rejected PHAROS_RUNNER_TOKEN (unknown or revoked): ${err.message} Create a new token with POST /v1/runner-tokens.`;
      default:
        return err.message;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** Resolves true when `promise` settled within `ms`, false otherwise (the promise is left running). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The process entry: config errors and fatal protocol errors exit 1, a graceful stop exits 0. */
async function main(): Promise<void> {
  const { config, logger } = configuredProcess('pharos-runner', () => ({ ...loadRunnerConfig(process.env), loadTests: loadLoadTestConfig(process.env) }));
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ error: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled rejection');
    process.exit(1);
  });
  const runner = startRunner(config, logger);
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
        process.exit(1);
      }
      signalled = true;
      void runner.shutdown(signal);
    });
  }
  process.exit(await runner.exited);
}

const entry = process.argv[1];
// In a load-test worker thread of the bundled runner, the bundle is the thread's entry too: not a second runner.
if (isMainThread && entry && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) await main();
