import { isIP } from 'node:net';

// Reading a process's settings from environment variables: each reader collects every problem
// (variable and what to set) instead of stopping at the first, and `finish` throws them as one
// ConfigError. The runner, its load-test settings and the discovery agent read through it.

/** Log levels LOG_LEVEL accepts (pino's). */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** One or more environment variables are missing or wrong; `problems` names each variable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

const hostnamePattern = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;

export class EnvReader {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly env: Env) {}

  problem(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }

  /** The trimmed value; undefined when unset or blank. */
  value(name: string): string | undefined {
    const raw = this.env[name]?.trim();
    return raw ? raw : undefined;
  }

  /** A whole number in [min, max]; `fallback` when unset (and when wrong, with a problem recorded). */
  integer(name: string, fallback: number, min: number, max: number, what: string): number {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(name, `must be a whole number from ${min} to ${max} (${what}); got "${raw}".`);
      return fallback;
    }
    return n;
  }

  /** A required http(s) base URL without credentials, query or fragment (a path prefix is kept). */
  apiUrl(name: string): URL | undefined {
    const raw = this.value(name);
    if (raw === undefined) {
      this.problem(name, 'is required: the control plane base URL, e.g. https://pharos.example.com.');
      return undefined;
    }
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      if (url.username || url.password || url.search || url.hash) throw new Error('extra parts');
      return url;
    } catch {
      this.problem(name, `must be an http(s) URL without credentials, query or fragment, e.g. https://pharos.example.com; got "${raw}".`);
      return undefined;
    }
  }

  /** Port of /metrics and /healthz: 0 disables the server, "auto" lets the OS pick a free one. */
  metricsPort(name: string, fallback: number): number | 'auto' {
    return this.value(name)?.toLowerCase() === 'auto' ? 'auto' : this.integer(name, fallback, 0, 65535, '0 disables /metrics and /healthz, "auto" picks a free port');
  }

  /** Interface to listen on: an IP address or host name; undefined = all interfaces. */
  listenHost(name: string): string | undefined {
    const host = this.value(name);
    if (host !== undefined && !isIP(host) && !hostnamePattern.test(host)) {
      this.problem(name, `must be an IP address or host name to listen on, e.g. 127.0.0.1 (loopback only) or 0.0.0.0 (all interfaces); got "${host}".`);
    }
    return host;
  }

  /** LOG_LEVEL, default info. */
  logLevel(): LogLevel | undefined {
    const raw = this.value('LOG_LEVEL')?.toLowerCase() ?? 'info';
    if ((logLevels as readonly string[]).includes(raw)) return raw as LogLevel;
    this.problem('LOG_LEVEL', `must be one of ${logLevels.join(', ')}; got "${this.value('LOG_LEVEL')}".`);
    return undefined;
  }

  /** Throws every recorded problem as one ConfigError. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
