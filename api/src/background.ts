import { isDatabaseUnavailable } from './db/db-errors.ts';
import type { Logger } from './observability/logger.ts';

/** A periodic job of the control plane (partition upkeep, lease reaping, heartbeat sweeps). */
export interface BackgroundJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

// While a job keeps failing (the database is down for a minute, say), its failure is logged once
// at the start and then at most this often, and its recovery is logged.
const REPEAT_LOG_MS = 60_000;

/**
 * Runs jobs on their intervals, never two runs of one job at once. Jobs are safe to run on every
 * replica at the same time: each coordinates through PostgreSQL (advisory locks, row locks). A
 * failing run is logged and the job runs again at its next tick; a failure never stops the process.
 */
export class Background {
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly failing = new Map<string, { since: number; loggedAt: number; failures: number }>();

  constructor(
    private readonly jobs: readonly BackgroundJob[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const tick = () => {
        if (this.running.has(job.name)) return;
        const run = Promise.resolve()
          .then(() => job.run())
          .then(
            () => this.succeeded(job.name),
            (error: unknown) => this.failed(job.name, error),
          );
        this.running.set(job.name, run);
        void run.finally(() => this.running.delete(job.name));
      };
      tick();
      this.timers.push(setInterval(tick, job.everyMs).unref());
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all(this.running.values());
  }

  private failed(job: string, error: unknown): void {
    const now = Date.now();
    const streak = this.failing.get(job) ?? { since: now, loggedAt: 0, failures: 0 };
    streak.failures++;
    this.failing.set(job, streak);
    if (now - streak.loggedAt < REPEAT_LOG_MS) return;
    streak.loggedAt = now;
    const fields = { err: error, job, failures: streak.failures, failing_for_ms: now - streak.since };
    if (isDatabaseUnavailable(error)) this.logger.warn(fields, 'background job skipped: database unavailable');
    else this.logger.error(fields, 'background job failed');
  }

  private succeeded(job: string): void {
    const streak = this.failing.get(job);
    if (!streak) return;
    this.failing.delete(job);
    this.logger.info({ job, failures: streak.failures, failing_for_ms: Date.now() - streak.since }, 'background job recovered');
  }
}
