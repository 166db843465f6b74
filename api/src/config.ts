import { resolve } from 'node:path';
import { PharosError } from './contract/errors.ts';

/** Control plane settings, read from the environment once by the composition root. */
export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  jwt: { jwksUrl: string; issuer: string; audience: string; adminSubjects: string[] } | undefined;
  /** Public base URL used in links (heartbeat URLs); derived from the request when unset. */
  publicUrl: string | undefined;
  logLevel: string;
  maxBodyBytes: number;
  runnerLeaseSeconds: number;
  /** Seconds after a runner's long poll is cut before its answer until it is presumed gone (0: the lease only). */
  runnerDisconnectGraceSeconds: number;
  resultRetentionDays: number;
  /** Runner token to install for the local runner `npm start` launches (region "local"). */
  localRunnerToken: string | undefined;
  /** PostgreSQL: longest wait for a connection, and longest a statement may run (ms). */
  databaseConnectTimeoutMs: number;
  databaseQueryTimeoutMs: number;
  /** PostgreSQL: connections this process keeps in its pool. */
  databasePoolSize: number;
  /** How long /healthz waits for the database before it answers not-ready (ms). */
  healthTimeoutMs: number;
  /** Evaluate alert rules in this process (PHAROS_ALERT_EVALUATION=off turns it off, for baselines). */
  alertEvaluation: boolean;
  /** Interval of the periodic alert evaluation tick (ms). */
  alertTickMs: number;
  /** Send notifications from this process (PHAROS_NOTIFICATIONS=off: route and record, never send). */
  notifications: boolean;
  /** Tries of one notification before it is dead, and the deadline of one try (ms). */
  notifyMaxAttempts: number;
  notifyTimeoutMs: number;
  /** Most live streams (GET /v1/stream) this process holds open, all principals together. */
  liveMaxStreams: number;
  /** PHAROS_SECRET_KEYS and PHAROS_SECRET_KEY_FILE: the keys that encrypt secrets at rest (docs/security.md). */
  secretKeys: string | undefined;
  secretKeyFile: string | undefined;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new PharosError('bad_request', `${name}="${raw}" must be "on" or "off".`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PharosError('bad_request', `${name}="${raw}" is not an integer between ${min} and ${max}.`);
  }
  return value;
}

/** Reads PORT, DATABASE_URL, PHAROS_* variables; throws with the variable name when one is wrong. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const jwksUrl = env.PHAROS_JWT_JWKS_URL;
  let jwt: ApiConfig['jwt'];
  if (jwksUrl) {
    const issuer = env.PHAROS_JWT_ISSUER;
    const audience = env.PHAROS_JWT_AUDIENCE;
    if (!issuer || !audience) {
      throw new PharosError('bad_request', 'PHAROS_JWT_JWKS_URL is set, so PHAROS_JWT_ISSUER and PHAROS_JWT_AUDIENCE must be set too.');
    }
    const adminSubjects = (env.PHAROS_JWT_ADMIN_SUBJECTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    jwt = { jwksUrl, issuer, audience, adminSubjects };
  }
  const adminToken = env.PHAROS_ADMIN_TOKEN || undefined;
  if (adminToken && (!adminToken.startsWith('phs_') || adminToken.length < 24)) {
    throw new PharosError('bad_request', 'PHAROS_ADMIN_TOKEN must start with "phs_" and be at least 24 characters long.');
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.PHAROS_DATA_DIR || './.pharos'),
    adminToken,
    jwt,
    publicUrl: env.PHAROS_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    maxBodyBytes: integer(env, 'PHAROS_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    runnerLeaseSeconds: integer(env, 'PHAROS_RUNNER_LEASE_SECONDS', 10, 3, 300),
    runnerDisconnectGraceSeconds: integer(env, 'PHAROS_RUNNER_DISCONNECT_GRACE_SECONDS', 3, 0, 300),
    resultRetentionDays: integer(env, 'PHAROS_RESULT_RETENTION_DAYS', 14, 1, 400),
    localRunnerToken: env.PHAROS_LOCAL_RUNNER_TOKEN || undefined,
    databaseConnectTimeoutMs: integer(env, 'PHAROS_DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    databaseQueryTimeoutMs: integer(env, 'PHAROS_DB_QUERY_TIMEOUT_MS', 30_000, 100, 3_600_000),
    databasePoolSize: integer(env, 'PHAROS_DB_POOL_SIZE', 10, 2, 500),
    healthTimeoutMs: integer(env, 'PHAROS_HEALTHZ_TIMEOUT_MS', 1_500, 100, 60_000),
    alertEvaluation: onOff(env, 'PHAROS_ALERT_EVALUATION', true),
    alertTickMs: integer(env, 'PHAROS_ALERT_TICK_MS', 5_000, 200, 600_000),
    notifications: onOff(env, 'PHAROS_NOTIFICATIONS', true),
    notifyMaxAttempts: integer(env, 'PHAROS_NOTIFY_MAX_ATTEMPTS', 10, 1, 100),
    notifyTimeoutMs: integer(env, 'PHAROS_NOTIFY_TIMEOUT_MS', 10_000, 500, 120_000),
    liveMaxStreams: integer(env, 'PHAROS_LIVE_MAX_STREAMS', 1_000, 1, 100_000),
    secretKeys: env.PHAROS_SECRET_KEYS || undefined,
    secretKeyFile: env.PHAROS_SECRET_KEY_FILE ? resolve(env.PHAROS_SECRET_KEY_FILE) : undefined,
  };
}
