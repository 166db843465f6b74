import { ConfigError } from '../config/runner.config.ts';

/** The runner's load-test settings (environment variables PHAROS_RUNNER_LOAD_TEST*). */
export interface LoadTestConfig {
  /** PHAROS_RUNNER_LOAD_TESTS=off: the runner does not register the load_test capability and runs no share. */
  enabled: boolean;
  /** PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY: requests in flight over every load test this runner runs at once. */
  maxConcurrency: number;
}

export const defaultLoadTestMaxConcurrency = 200;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the load-test variables; throws a ConfigError naming each wrong one. */
export function loadLoadTestConfig(env: Env): LoadTestConfig {
  const problems: { variable: string; message: string }[] = [];
  const rawEnabled = env.PHAROS_RUNNER_LOAD_TESTS?.trim().toLowerCase() || 'on';
  const enabled = rawEnabled === 'on' || rawEnabled === 'true' || rawEnabled === '1';
  if (!enabled && !['off', 'false', '0'].includes(rawEnabled)) {
    problems.push({ variable: 'PHAROS_RUNNER_LOAD_TESTS', message: `must be "on" or "off" (whether this runner runs load tests); got "${env.PHAROS_RUNNER_LOAD_TESTS}".` });
  }
  const rawMax = env.PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY?.trim();
  let maxConcurrency = defaultLoadTestMaxConcurrency;
  if (rawMax) {
    const n = /^\d+$/.test(rawMax) ? Number(rawMax) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > 10_000) {
      problems.push({ variable: 'PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY', message: `must be a whole number from 1 to 10000 (requests in flight over all load tests of this runner); got "${rawMax}".` });
    } else maxConcurrency = n;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { enabled, maxConcurrency };
}
