import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadRunnerConfig } from '../src/config/runner.config.ts';

const base = { PHAROS_API_URL: 'https://pharos.example.com/', PHAROS_RUNNER_TOKEN: 'phr_abc' };

describe('runner config', () => {
  it('applies the defaults', () => {
    const config = loadRunnerConfig(base);
    assert.equal(config.apiUrl.href, 'https://pharos.example.com/');
    assert.equal(config.expectedRegion, undefined);
    assert.equal(config.metricsPort, 9464);
    assert.equal(config.bufferCapacity, 50_000);
    assert.equal(config.concurrency, 256);
    assert.equal(config.pushIntervalMs, 300);
    assert.equal(config.logLevel, 'info');
  });

  it('reads every variable', () => {
    const config = loadRunnerConfig({
      ...base,
      PHAROS_API_URL: 'http://gw.internal:8080/pharos',
      PHAROS_REGION: 'us-east-1',
      PHAROS_RUNNER_METRICS_PORT: '0',
      PHAROS_RUNNER_BUFFER: '1000',
      PHAROS_RUNNER_CONCURRENCY: '32',
      PHAROS_RUNNER_PUSH_INTERVAL_MS: '0',
      LOG_LEVEL: 'DEBUG',
    });
    assert.equal(config.apiUrl.pathname, '/pharos');
    assert.equal(config.expectedRegion, 'us-east-1');
    assert.equal(config.metricsPort, 0);
    assert.equal(config.bufferCapacity, 1000);
    assert.equal(config.concurrency, 32);
    assert.equal(config.pushIntervalMs, 0);
    assert.equal(config.logLevel, 'debug');
  });

  it('reads the metrics listener and the spool settings', () => {
    assert.equal(loadRunnerConfig({ ...base, PHAROS_RUNNER_METRICS_PORT: 'auto' }).metricsPort, 'auto');
    assert.equal(loadRunnerConfig({ ...base, PHAROS_RUNNER_METRICS_HOST: '127.0.0.1' }).metricsHost, '127.0.0.1');
    assert.equal(loadRunnerConfig({ ...base, PHAROS_RUNNER_METRICS_HOST: '::1' }).metricsHost, '::1');
    assert.equal(loadRunnerConfig(base).spool, undefined, 'memory only unless a spool directory is set');
    assert.deepEqual(loadRunnerConfig({ ...base, PHAROS_RUNNER_SPOOL_DIR: '/var/lib/pharos-runner' }).spool, { dir: '/var/lib/pharos-runner', maxBytes: 256 * 1024 * 1024 });
    assert.deepEqual(loadRunnerConfig({ ...base, PHAROS_RUNNER_SPOOL_DIR: 'spool', PHAROS_RUNNER_SPOOL_MAX_BYTES: '2000000' }).spool, { dir: 'spool', maxBytes: 2_000_000 });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['missing URL', { PHAROS_RUNNER_TOKEN: 'phr_x' }, /^PHAROS_API_URL: is required/],
    ['URL without scheme', { ...base, PHAROS_API_URL: 'pharos.example.com' }, /^PHAROS_API_URL: must be an http\(s\) URL/],
    ['URL with credentials', { ...base, PHAROS_API_URL: 'https://u:p@pharos.example.com' }, /^PHAROS_API_URL: must be an http\(s\) URL without credentials/],
    ['missing token', { PHAROS_API_URL: 'http://x' }, /^PHAROS_RUNNER_TOKEN: is required/],
    ['API token instead of runner token', { ...base, PHAROS_RUNNER_TOKEN: 'phs_x' }, /^PHAROS_RUNNER_TOKEN: .*This is an API token/],
    ['bad region', { ...base, PHAROS_REGION: 'US East' }, /^PHAROS_REGION: must be a region name/],
    ['port out of range', { ...base, PHAROS_RUNNER_METRICS_PORT: '70000' }, /^PHAROS_RUNNER_METRICS_PORT: must be a whole number from 0 to 65535/],
    ['port that is neither a number nor auto', { ...base, PHAROS_RUNNER_METRICS_PORT: 'any' }, /^PHAROS_RUNNER_METRICS_PORT: must be a whole number from 0 to 65535 \(0 disables \/metrics and \/healthz, "auto" picks a free port\)/],
    ['host with a port or a scheme', { ...base, PHAROS_RUNNER_METRICS_HOST: 'http://127.0.0.1:9464' }, /^PHAROS_RUNNER_METRICS_HOST: must be an IP address or host name/],
    ['spool budget too small', { ...base, PHAROS_RUNNER_SPOOL_DIR: 'spool', PHAROS_RUNNER_SPOOL_MAX_BYTES: '1000' }, /^PHAROS_RUNNER_SPOOL_MAX_BYTES: must be a whole number from 1048576/],
    ['buffer of zero', { ...base, PHAROS_RUNNER_BUFFER: '0' }, /^PHAROS_RUNNER_BUFFER: must be a whole number from 1/],
    ['fractional concurrency', { ...base, PHAROS_RUNNER_CONCURRENCY: '1.5' }, /^PHAROS_RUNNER_CONCURRENCY: must be a whole number/],
    ['push interval past 10 s', { ...base, PHAROS_RUNNER_PUSH_INTERVAL_MS: '60000' }, /^PHAROS_RUNNER_PUSH_INTERVAL_MS: must be a whole number from 0 to 10000/],
    ['unknown log level', { ...base, LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of fatal, error/],
  ];
  for (const [name, env, message] of bad) {
    it(`names the variable: ${name}`, () => {
      assert.throws(() => loadRunnerConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('lists every problem at once', () => {
    assert.throws(() => loadRunnerConfig({ LOG_LEVEL: 'x' }), (err: unknown) => err instanceof ConfigError && err.problems.map((p) => p.variable).join() === 'PHAROS_API_URL,PHAROS_RUNNER_TOKEN,LOG_LEVEL');
  });
});
