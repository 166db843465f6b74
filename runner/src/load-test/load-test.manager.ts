import type { Logger } from 'pino';
import type { LoadTestShare } from '../../../api/src/contract/load-test.schema.ts';
import type { LoadTestProgressClient } from '../protocol/protocol.client.ts';
import { planOf, type LoadPlan } from './load.plan.ts';
import { LoadTestSession, type LoadTestSessionMode } from './load-test.session.ts';

export interface LoadTestManagerOptions {
  client: LoadTestProgressClient;
  runnerId: () => string | undefined;
  logger: Logger;
  /** Requests in flight over every share this runner runs at once (PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY). */
  maxConcurrency: number;
  mode?: LoadTestSessionMode;
  reportEveryMs?: number;
  finalRetryMs?: number;
}

/** How long a finished share's id is remembered past its deadline, so a late repeat does not start it again. */
const rememberMs = 10 * 60_000;

/**
 * The runner's load tests: starts each share the assignment feed hands over once, within the
 * runner's concurrency cap (a share asking for more gets what is left; none left: it ends at once
 * with an error saying so), stops shares named in `aborted_load_tests`, and stops every share on
 * shutdown.
 */
export class LoadTestManager {
  #options: LoadTestManagerOptions;
  #running = new Map<string, LoadTestSession>();
  /** Share ids started once, with when to forget them. */
  #seen = new Map<string, number>();
  #stopped = false;

  constructor(options: LoadTestManagerOptions) {
    this.#options = options;
  }

  /** Shares running now. */
  get running(): number {
    return this.#running.size;
  }

  /** Requests in flight the running shares may have, out of maxConcurrency. */
  get concurrencyInUse(): number {
    let sum = 0;
    for (const session of this.#running.values()) sum += session.concurrency;
    return sum;
  }

  /** Applies one assignments answer: new shares start, aborted ones stop. Never throws. */
  apply(shares: readonly LoadTestShare[] | undefined, aborted: readonly string[] | undefined): void {
    const now = Date.now();
    for (const [id, forgetAt] of this.#seen) if (forgetAt < now && !this.#running.has(id)) this.#seen.delete(id);
    for (const id of aborted ?? []) {
      const session = this.#running.get(id);
      if (session) {
        this.#options.logger.info({ load_test_id: id }, 'load test aborted by the control plane');
        session.stop('aborted');
      }
      this.#remember(id, now);
    }
    for (const share of shares ?? []) {
      if (this.#stopped || this.#seen.has(share.load_test_id)) continue;
      this.#remember(share.load_test_id, Date.parse(share.deadline) || now);
      this.#start(share);
    }
  }

  /** Stops every share and waits up to `budgetMs` for their final reports. */
  async stop(budgetMs: number): Promise<void> {
    this.#stopped = true;
    const sessions = [...this.#running.values()];
    sessions.forEach((s) => s.stop('shutdown'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)));
    await Promise.race([Promise.all(sessions.map((s) => s.finished)), timeout]);
    clearTimeout(timer);
    sessions.forEach((s) => s.abandon());
  }

  #remember(id: string, until: number): void {
    this.#seen.set(id, until + rememberMs);
  }

  #start(share: LoadTestShare): void {
    const { logger, maxConcurrency } = this.#options;
    let plan: LoadPlan | { error: string };
    const available = maxConcurrency - this.concurrencyInUse;
    try {
      if (Date.parse(share.deadline) <= Date.now()) throw new Error('the share reached this runner after its deadline');
      if (available < 1) throw new Error(`this runner's load-test capacity (${maxConcurrency} requests in flight, PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY) is taken by other load tests`);
      plan = planOf(share, available);
      if (plan.concurrency < share.concurrency) {
        logger.warn({ load_test_id: share.load_test_id, asked: share.concurrency, running_with: plan.concurrency, max_concurrency: maxConcurrency }, 'load-test share runs with less concurrency than asked: the runner cap is shared by its load tests');
      }
    } catch (err) {
      plan = { error: (err as Error).message };
    }
    const session = new LoadTestSession({
      share,
      plan,
      client: this.#options.client,
      runnerId: this.#options.runnerId,
      logger,
      ...(this.#options.mode ? { mode: this.#options.mode } : {}),
      ...(this.#options.reportEveryMs ? { reportEveryMs: this.#options.reportEveryMs } : {}),
      ...(this.#options.finalRetryMs ? { finalRetryMs: this.#options.finalRetryMs } : {}),
    });
    this.#running.set(share.load_test_id, session);
    void session.finished.then(() => this.#running.delete(share.load_test_id));
  }
}
