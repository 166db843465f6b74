import type { LoadTest } from '../api/src/contract/load-test.schema.ts';
import { PharosApiError, PharosClient } from './demo/pharos.client.ts';
import { parseLoadTestArgs, usage, UsageError, type LoadTestArgs } from './loadtest.args.ts';
import { progressLine, summary } from './loadtest.report.ts';

// `npm run loadtest -- …`: a CI-friendly load test. Creates it, prints progress every second, waits
// for the verdict, prints the figures; exit 0 passed, 1 failed/aborted/error, 2 bad usage or API
// refusal. Ctrl-C aborts the test before exiting.

const finished = new Set<LoadTest['state']>(['passed', 'failed', 'aborted', 'error']);
const pollMs = Number(process.env.PHAROS_LOADTEST_POLL_MS ?? 1000);
/** Consecutive failed polls (API unreachable, 5xx) tolerated before giving up. */
const maxPollFailures = 30;

const err = (line: string): void => void process.stderr.write(`${line}\n`);

let args: LoadTestArgs;
try {
  args = parseLoadTestArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  err(`loadtest: ${error.message}\n\n${usage}`);
  process.exit(2);
}
const token = process.env.PHAROS_TOKEN?.trim();
if (!token) {
  err('loadtest: PHAROS_TOKEN is not set: export an API token (phs_…) of a team editor or above.');
  process.exit(2);
}
const api = new PharosClient((process.env.PHAROS_API_URL?.trim() || 'http://localhost:8080').replace(/\/+$/, ''), token);

let test: LoadTest;
try {
  test = await api.create<LoadTest>('/v1/load-tests', args.input);
} catch (error) {
  err(`loadtest: ${(error as Error).message}`);
  process.exit(2);
}
err(`load test ${test.id} created: ${test.regions.join(', ')}, concurrency ${test.concurrency}, ${test.requests !== null ? `${test.requests} requests` : `${test.duration_seconds} s`}`);

let interrupted = false;
const abort = async (): Promise<never> => {
  err(`\ninterrupted: aborting load test ${test.id}`);
  try {
    await api.remove(`/v1/load-tests/${test.id}`);
    err('aborted');
  } catch (error) {
    err(`loadtest: could not abort: ${(error as Error).message}`);
  }
  process.exit(1);
};
process.on('SIGINT', () => {
  if (interrupted) process.exit(1);
  interrupted = true;
  void abort();
});

// Bounded: the control plane ends every test by its deadline; this is a backstop past it.
const waitUntil = Date.now() + ((test.duration_seconds ?? 3600) + 300) * 1000;
let failures = 0;
while (!finished.has(test.state) && Date.now() < waitUntil) {
  await new Promise((r) => setTimeout(r, pollMs));
  if (interrupted) await new Promise(() => {}); // the abort handler exits
  try {
    test = await api.get<LoadTest>(`/v1/load-tests/${test.id}`);
    failures = 0;
    err(progressLine(test));
  } catch (error) {
    const status = (error as PharosApiError).status;
    if (status !== undefined && status < 500 && status !== 429) {
      err(`loadtest: ${(error as Error).message}`);
      process.exit(2);
    }
    if (++failures >= maxPollFailures) {
      err(`loadtest: giving up after ${failures} failed polls: ${(error as Error).message}`);
      process.exit(1);
    }
  }
}
if (!finished.has(test.state)) {
  err(`loadtest: load test ${test.id} did not finish in time (state ${test.state})`);
  process.exit(1);
}
if (args.json) process.stdout.write(`${JSON.stringify(test, null, 2)}\n`);
else process.stdout.write(`${summary(test)}\n`);
process.exit(test.state === 'passed' ? 0 : 1);
