import { isIP } from 'node:net';
import { defaultMaxConcurrent } from '../engine.ts';
import { defaultPushIntervalMs } from '../protocol/push.loop.ts';
import { defaultResultBufferCapacity } from '../results/result.buffer.ts';
import { defaultSpoolMaxBytes, minSpoolMaxBytes } from '../results/result.spool.ts';

/** Log levels LOG_LEVEL accepts (pino's). */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

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

/** One or more environment variables are missing or wrong; `problems` names each variable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const regionPattern = /^[a-z0-9][a-z0-9-]*$/;
const hostnamePattern = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;

/** Reads and checks every runner variable; throws one ConfigError listing all problems. */
export function loadRunnerConfig(env: Env): RunnerConfig {
  const problems: { variable: string; message: string }[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push({ variable: name, message: `must be a whole number from ${min} to ${max} (${what}); got "${raw}".` });
      return fallback;
    }
    return n;
  };

  let apiUrl: URL | undefined;
  const rawUrl = value('PHAROS_API_URL');
  if (rawUrl === undefined) {
    problems.push({ variable: 'PHAROS_API_URL', message: 'is required: the control plane base URL, e.g. https://pharos.example.com.' });
  } else {
    try {
      apiUrl = new URL(rawUrl);
      if (apiUrl.protocol !== 'http:' && apiUrl.protocol !== 'https:') throw new Error('not http');
      if (apiUrl.username || apiUrl.password || apiUrl.search || apiUrl.hash) throw new Error('extra parts');
    } catch {
      apiUrl = undefined;
      problems.push({ variable: 'PHAROS_API_URL', message: `must be an http(s) URL without credentials, query or fragment, e.g. https://pharos.example.com; got "${rawUrl}".` });
    }
  }

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

  const metricsPort = value('PHAROS_RUNNER_METRICS_PORT')?.toLowerCase() === 'auto' ? 'auto' : integer('PHAROS_RUNNER_METRICS_PORT', defaultMetricsPort, 0, 65535, '0 disables /metrics and /healthz, "auto" picks a free port');
  const metricsHost = value('PHAROS_RUNNER_METRICS_HOST');
  if (metricsHost !== undefined && !isIP(metricsHost) && !hostnamePattern.test(metricsHost)) {
    problems.push({ variable: 'PHAROS_RUNNER_METRICS_HOST', message: `must be an IP address or host name to listen on, e.g. 127.0.0.1 (loopback only) or 0.0.0.0 (all interfaces); got "${metricsHost}".` });
  }
  const spoolDir = value('PHAROS_RUNNER_SPOOL_DIR');
  const spoolMaxBytes = integer('PHAROS_RUNNER_SPOOL_MAX_BYTES', defaultSpoolMaxBytes, minSpoolMaxBytes, Number.MAX_SAFE_INTEGER, 'disk the spool may use, in bytes');
  const bufferCapacity = integer('PHAROS_RUNNER_BUFFER', defaultResultBufferCapacity, 1, 10_000_000, 'results kept while the API is unreachable');
  const concurrency = integer('PHAROS_RUNNER_CONCURRENCY', defaultMaxConcurrent, 1, 100_000, 'checks running at once');
  const pushIntervalMs = integer('PHAROS_RUNNER_PUSH_INTERVAL_MS', defaultPushIntervalMs, 0, 10_000, 'how long a result that repeats its monitor\'s status may wait to share a push; 0 pushes every result at once');

  const rawLevel = value('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = (logLevels as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : undefined;
  if (!logLevel) problems.push({ variable: 'LOG_LEVEL', message: `must be one of ${logLevels.join(', ')}; got "${value('LOG_LEVEL')}".` });

  if (problems.length > 0 || !apiUrl || !token || !logLevel) throw new ConfigError(problems);
  const spool = spoolDir === undefined ? undefined : { dir: spoolDir, maxBytes: spoolMaxBytes };
  return { apiUrl, token, expectedRegion: region, metricsPort, metricsHost, bufferCapacity, spool, concurrency, pushIntervalMs, logLevel };
}
