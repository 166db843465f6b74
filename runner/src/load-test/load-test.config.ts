import { EnvReader, type Env } from '../config/env.reader.ts';

/** The runner's load-test settings (environment variables PHAROS_RUNNER_LOAD_TEST*). */
export interface LoadTestConfig {
  /** PHAROS_RUNNER_LOAD_TESTS=off: the runner does not register the load_test capability and runs no share. */
  enabled: boolean;
  /** PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY: requests in flight over every load test this runner runs at once. */
  maxConcurrency: number;
}

export const defaultLoadTestMaxConcurrency = 200;

/** Reads the load-test variables; throws a ConfigError naming each wrong one. */
export function loadLoadTestConfig(env: Env): LoadTestConfig {
  const read = new EnvReader(env);
  const rawEnabled = read.value('PHAROS_RUNNER_LOAD_TESTS')?.toLowerCase() ?? 'on';
  const enabled = rawEnabled === 'on' || rawEnabled === 'true' || rawEnabled === '1';
  if (!enabled && !['off', 'false', '0'].includes(rawEnabled)) {
    read.problem('PHAROS_RUNNER_LOAD_TESTS', `must be "on" or "off" (whether this runner runs load tests); got "${env.PHAROS_RUNNER_LOAD_TESTS}".`);
  }
  const maxConcurrency = read.integer('PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY', defaultLoadTestMaxConcurrency, 1, 10_000, 'requests in flight over all load tests of this runner');
  read.finish();
  return { enabled, maxConcurrency };
}
