import { defaultMaxConcurrent } from '../engine.ts';
import { defaultPushIntervalMs } from '../protocol/push.loop.ts';
import { defaultResultBufferCapacity } from '../results/result.buffer.ts';
import { defaultSpoolMaxBytes, minSpoolMaxBytes } from '../results/result.spool.ts';

import { ConfigError, EnvReader, type Env, type LogLevel } from './env.reader.ts';

export { ConfigError, logLevels, type LogLevel } from './env.reader.ts';

/** The runner's settings, read once from the environment by the composition root. */
export interface RunnerConfig {
  /** Control plane base URL; a path prefix (e.g. behind a gateway) is kept. */
  apiUrl: URL;
  /** Runner token (`phr_…`); never logged. */
  token: string;
  /** Region the operator expects this runner to serve; absent = whatever the token says. */
  expectedRegion: string | undefined;
  /** Port of /metrics and /healthz; 0 disables the server, 'auto' lets the OS pick a free one. */
  metricsPort: number | 'auto';
  /** Interface the metrics server listens on; undefined = all interfaces. */
  metricsHost: string | undefined;
  bufferCapacity: number;
  /** On-disk spool of unsent results (PHAROS_RUNNER_SPOOL_DIR); undefined = memory only. */
  spool: { dir: string; maxBytes: number } | undefined;
  concurrency: number;
  /** Longest wait of a result that repeats its monitor's up or degraded status before it is pushed (PHAROS_RUNNER_PUSH_INTERVAL_MS). */
  pushIntervalMs: number;
  logLevel: LogLevel;
}

export const defaultMetricsPort = 9464;

const regionPattern = /^[a-z0-9][a-z0-9-]*$/;

/** Reads and checks every runner variable; throws one ConfigError listing all problems. */
export function loadRunnerConfig(env: Env): RunnerConfig {
  const read = new EnvReader(env);
  const problems = read.problems;
  const value = (name: string) => read.value(name);
  const integer = read.integer.bind(read);
  const apiUrl = read.apiUrl('PHAROS_API_URL');

  const token = value('PHAROS_RUNNER_TOKEN');
  if (token === undefined) {
    problems.push({ variable: 'PHAROS_RUNNER_TOKEN', message: 'is required: a runner token ("phr_…") created with POST /v1/runner-tokens.' });
  } else if (!token.startsWith('phr_')) {
    const hint = token.startsWith('phs_') ? ' This is an API token ("phs_…"); runners need a runner token.' : '';
    problems.push({ variable: 'PHAROS_RUNNER_TOKEN', message: `must be a runner token starting with "phr_".${hint} Create one with POST /v1/runner-tokens.` });
  }

  const region = value('PHAROS_REGION');
  if (region !== undefined && (!regionPattern.test(region) || region.length > 64)) {
    problems.push({ variable: 'PHAROS_REGION', message: `must be a region name like "us-east-1" (lower-case letters, digits, "-"); got "${region}".` });
  }

  const metricsPort = read.metricsPort('PHAROS_RUNNER_METRICS_PORT', defaultMetricsPort);
  const metricsHost = read.listenHost('PHAROS_RUNNER_METRICS_HOST');
  const spoolDir = value('PHAROS_RUNNER_SPOOL_DIR');
  const spoolMaxBytes = integer('PHAROS_RUNNER_SPOOL_MAX_BYTES', defaultSpoolMaxBytes, minSpoolMaxBytes, Number.MAX_SAFE_INTEGER, 'disk the spool may use, in bytes');
  const bufferCapacity = integer('PHAROS_RUNNER_BUFFER', defaultResultBufferCapacity, 1, 10_000_000, 'results kept while the API is unreachable');
  const concurrency = integer('PHAROS_RUNNER_CONCURRENCY', defaultMaxConcurrent, 1, 100_000, 'checks running at once');
  const pushIntervalMs = integer('PHAROS_RUNNER_PUSH_INTERVAL_MS', defaultPushIntervalMs, 0, 10_000, 'how long a result that repeats its monitor\'s status may wait to share a push; 0 pushes every result at once');

  const logLevel = read.logLevel();

  if (problems.length > 0 || !apiUrl || !token || !logLevel) throw new ConfigError(problems);
  const spool = spoolDir === undefined ? undefined : { dir: spoolDir, maxBytes: spoolMaxBytes };
  return { apiUrl, token, expectedRegion: region, metricsPort, metricsHost, bufferCapacity, spool, concurrency, pushIntervalMs, logLevel };
}
