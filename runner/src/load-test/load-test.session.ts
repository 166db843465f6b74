import type { Logger } from 'pino';
import type { LoadTestProgress, LoadTestShare } from '../../../api/src/contract/load-test.schema.ts';
import { Backoff, pause } from '../protocol/backoff.policy.ts';
import { ProtocolError } from '../protocol/protocol.errors.ts';
import type { LoadTestProgressClient } from '../protocol/protocol.client.ts';
import { describeError } from '../protocol/runner.session.ts';
import type { LoadPlan } from './load.plan.ts';
import { startLoadRun, type LoadRun, type LoadRunMode } from './load.run.ts';
import { emptyTally, type LoadTally } from './load.tally.ts';

export interface LoadTestSessionOptions {
  share: LoadTestShare;
  /** What to run, or why the share cannot run (then only the final report with that error is sent). */
  plan: LoadPlan | { error: string };
  client: LoadTestProgressClient;
  /** The runner's current id (it changes when the runner registers again). */
  runnerId: () => string | undefined;
  logger: Logger;
  mode?: LoadTestSessionMode;
  /** Progress reports this far apart while the share runs (the protocol asks for at most 1 s). */
  reportEveryMs?: number;
  /** How long a final report is retried before it is given up. */
  finalRetryMs?: number;
  backoff?: Backoff;
}

export type LoadTestSessionMode = LoadRunMode;

/** Why a share stopped before its plan was done. */
export type StopReason = 'aborted' | 'shutdown';

export const defaultReportEveryMs = 500;

/**
 * One share on this runner: runs its plan, reports the cumulative tally every `reportEveryMs`
 * (a failed report is retried with backoff, a later one supersedes it: counts are cumulative),
 * stops when an answer says abort or `stop()` is called, and sends the final report (retried with
 * backoff for `finalRetryMs`). The plan, which holds the secret headers, is dropped once the
 * generator is done; nothing of the request is logged but the load test's id.
 */
export class LoadTestSession {
  readonly id: string;
  readonly concurrency: number;
  /** Settles once the final report was accepted or given up. */
  readonly finished: Promise<void>;
  #options: LoadTestSessionOptions;
  #run: LoadRun | undefined;
  #seq = 0;
  #stopReason: StopReason | undefined;
  #giveUp = new AbortController();
  #backoff: Backoff;

  constructor(options: LoadTestSessionOptions) {
    this.#options = options;
    this.id = options.share.load_test_id;
    this.concurrency = 'error' in options.plan ? 0 : options.plan.concurrency;
    this.#backoff = options.backoff ?? new Backoff({ initialMs: 100, maxMs: 2_000 });
    this.finished = this.#drive();
  }

  /** Stops the generator (requests in flight are cut off); the final report still goes out. */
  stop(reason: StopReason): void {
    this.#stopReason ??= reason;
    this.#run?.stop();
  }

  /** Gives up on reporting (shutdown budget spent): `finished` settles at once. */
  abandon(): void {
    this.stop('shutdown');
    this.#giveUp.abort();
  }

  async #drive(): Promise<void> {
    const { plan, logger } = this.#options;
    if ('error' in plan) {
      logger.warn({ load_test_id: this.id, error: plan.error }, 'load-test share cannot run');
      return this.#final(emptyTally(), 0, plan.error);
    }
    logger.info({ load_test_id: this.id, concurrency: plan.concurrency, requests: plan.requests, duration_ms: plan.durationMs, rate_per_second: plan.ratePerSecond }, 'load-test share started');
    const run = startLoadRun(plan, this.#options.mode ?? 'worker');
    this.#run = run;
    if (this.#stopReason) run.stop();
    const reporting = this.#reportWhileRunning(run);
    const end = await run.done;
    this.#run = undefined;
    this.#options.plan = { error: 'finished' }; // drops the plan and its secret headers
    await reporting;
    const error = end.error ?? (this.#stopReason === 'shutdown' ? 'the runner shut down before the share finished' : undefined);
    logger.info({ load_test_id: this.id, requests: end.tally.requests, errors: end.tally.errors, elapsed_ms: end.elapsedMs, stopped: this.#stopReason, error }, 'load-test share done');
    return this.#final(end.tally, end.elapsedMs, error);
  }

  /** Progress reports until the generator is done. */
  async #reportWhileRunning(run: LoadRun): Promise<void> {
    const every = this.#options.reportEveryMs ?? defaultReportEveryMs;
    let finished = false;
    void run.done.then(() => (finished = true));
    const wake = new AbortController();
    void run.done.then(() => wake.abort());
    while (!finished) {
      let delay = every;
      const { tally, elapsedMs } = run.snapshot();
      try {
        const answer = await this.#send(tally, elapsedMs, false, undefined, wake.signal);
        this.#backoff.reset();
        if (answer.abort) {
          this.#options.logger.info({ load_test_id: this.id }, 'load test aborted by the control plane');
          this.stop('aborted');
        }
      } catch (err) {
        if (finished) break;
        if (rejected(err)) {
          // The control plane will never take a report of this share (the test is gone or over): stop.
          this.#options.logger.warn({ load_test_id: this.id, error: describeError(err) }, 'the control plane refuses progress of this load test; stopping it');
          this.stop('aborted');
          break;
        }
        delay = Math.min(every, this.#backoff.next());
        this.#logFailure(err, false);
      }
      await pause(delay, wake.signal);
    }
  }

  async #final(tally: LoadTally, elapsedMs: number, error: string | undefined): Promise<void> {
    const giveUpAt = Date.now() + (this.#options.finalRetryMs ?? 30_000);
    this.#backoff.reset();
    while (!this.#giveUp.signal.aborted) {
      try {
        await this.#send(tally, elapsedMs, true, error, this.#giveUp.signal);
        return;
      } catch (err) {
        if (rejected(err)) {
          this.#options.logger.warn({ load_test_id: this.id, error: describeError(err) }, 'final load-test report refused; not retrying');
          return;
        }
        this.#logFailure(err, true);
        if (Date.now() >= giveUpAt) {
          this.#options.logger.error({ load_test_id: this.id }, 'final load-test report not accepted; giving up (the control plane ends the test at its deadline)');
          return;
        }
        await pause(this.#backoff.next(), this.#giveUp.signal);
      }
    }
  }

  #send(tally: LoadTally, elapsedMs: number, final: boolean, error: string | undefined, signal: AbortSignal): Promise<{ abort: boolean }> {
    const runnerId = this.#options.runnerId();
    if (runnerId === undefined) return Promise.reject(new Error('not registered'));
    const progress: LoadTestProgress = {
      runner_id: runnerId,
      seq: this.#seq++,
      final,
      elapsed_ms: Math.max(0, Math.round(elapsedMs)),
      requests: tally.requests,
      errors: tally.errors,
      status_codes: tally.status_codes,
      errors_by_code: tally.errors_by_code,
      histogram: tally.histogram,
      max_us: tally.max_us,
    };
    if (error !== undefined) progress.error = error.slice(0, 1000);
    return this.#options.client.reportLoadTest(this.id, progress, signal);
  }

  #logFailure(err: unknown, final: boolean): void {
    const attempts = this.#backoff.attempts;
    const level = attempts <= 1 || attempts % 20 === 0 ? 'warn' : 'debug';
    this.#options.logger[level]({ load_test_id: this.id, final, attempt: attempts, error: describeError(err) }, 'load-test progress report failed; retrying');
  }
}

/** An answer no retry changes (4xx other than 429: the test is unknown, over, or the report invalid). */
const rejected = (err: unknown): boolean => err instanceof ProtocolError && err.code === 'request_rejected';
