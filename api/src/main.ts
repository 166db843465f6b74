import { defaultRetryPolicy } from './modules/notifications/retry.policy.ts';
import { loadApiConfig } from './config.ts';
import { openDatabase, migrateToLatest } from './db/database.ts';
import { createLogger } from './observability/logger.ts';
import { bootstrap } from './bootstrap.ts';
import { createApp } from './app.ts';
import { createApiServer } from './http/api.server.ts';
import { loadKeyring } from './crypto/key-source.ts';
import { SecretBox, throttledObserver } from './crypto/secret-box.ts';
import { resealSecrets } from './crypto/secret-reseal.ts';

/** Composition root of the control plane process. */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger(config.logLevel);
  // Before the database: a missing key on an external PostgreSQL refuses to start with what to set.
  const keys = loadKeyring({ keys: config.secretKeys, keyFile: config.secretKeyFile, embeddedDataDir: config.databaseUrl ? undefined : config.dataDir });
  if (keys.from === 'generated') logger.warn({ key_file: keys.path }, 'generated the key that encrypts secrets at rest; keep this file with backups of the data directory (docs/security.md)');
  logger.info({ from: keys.from, ...(keys.path ? { key_file: keys.path } : {}), key_ids: keys.keyring.kids(), primary_key_id: keys.keyring.primary.kid }, 'secret keys loaded');
  const secrets = new SecretBox(keys.keyring, throttledObserver((slot, kid, reason) => logger.warn({ table: slot.table, id: slot.id, key_id: kid, reason }, 'stored secrets cannot be decrypted with the configured keys; add the key they were written with to PHAROS_SECRET_KEYS (docs/security.md)'), 600_000));
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    queryTimeoutMs: config.databaseQueryTimeoutMs,
    poolSize: config.databasePoolSize,
    // A restart of PostgreSQL ends every pooled connection; the pool reconnects on the next query.
    onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; reconnecting on next use'),
  });
  const applied = await migrateToLatest(database.db);
  logger.info({ database: database.kind, applied }, 'database ready');
  // Rows from before encryption at rest, and rows under an older key, move to the primary key.
  await resealSecrets(database.db, secrets, logger).catch((error: unknown) => logger.warn({ err: error }, 'encrypting stored secrets failed; reads still accept them, the next start tries again'));
  const boot = await bootstrap(database.db, config.adminToken, { localRunnerToken: config.localRunnerToken });
  const app = createApp({
    database, logger, secrets, jwt: config.jwt, publicUrl: config.publicUrl, maxBodyBytes: config.maxBodyBytes,
    runner: { leaseSeconds: config.runnerLeaseSeconds, disconnectGraceSeconds: config.runnerDisconnectGraceSeconds }, resultRetentionDays: config.resultRetentionDays,
    healthTimeoutMs: config.healthTimeoutMs, alertEvaluation: config.alertEvaluation, alertTickMs: config.alertTickMs,
    notifications: { enabled: config.notifications, retry: { ...defaultRetryPolicy, maxAttempts: config.notifyMaxAttempts }, sendTimeoutMs: config.notifyTimeoutMs },
    live: { maxStreams: config.liveMaxStreams },
  });
  app.background.start();
  const server = createApiServer(app.express);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  logger.info({ port, database: database.kind }, 'pharos control plane listening');
  const lines = [
    '',
    `Pharos control plane: ${base}`,
    `  Console:        ${base}/   (sign in with an API token)`,
    `  API reference:  ${base}/docs`,
    `  OpenAPI:        ${base}/openapi.json`,
    `  Health:         ${base}/healthz    Metrics: ${base}/metrics`,
    `  Database:       ${database.kind === 'pglite' ? `embedded (${config.dataDir})` : 'postgres'}`,
    `  Secret key:     ${keys.path ? `${keys.path}${keys.from === 'generated' ? ' (created now; back it up with the data)' : ''}` : keys.from}`,
  ];
  if (boot.generatedToken) lines.push('', `Admin token (shown once, store it now): ${boot.generatedToken}`, `  export PHAROS_TOKEN=${boot.generatedToken}`);
  else if (boot.created && config.adminToken) lines.push('', 'Admin token: the value of PHAROS_ADMIN_TOKEN.');
  process.stderr.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeIdleConnections();
    await app.background.stop();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
    await database.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`pharos: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
